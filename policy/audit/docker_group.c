/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util.h"

/* The docker group, which host.c judges by its members (RUN-15) and
 * files.c uses as the group dockerd's socket may have. */

bool docker_group_find(const char *root, gid_t *ret_gid, char **ret_members)
{
        _cleanup_free_ char *buf = NULL;
        if (audit_read(root, "/etc/group", &buf, NULL) < 0)
                return false;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
                if (strncmp(line, "docker:", 7) != 0)
                        continue;
                char *f[4] = {0}, *p = line;
                for (int i = 0; i < 4 && p; i++) {
                        f[i] = p;
                        p = strchr(p, ':');
                        if (p)
                                *p++ = '\0';
                }
                if (!f[2])
                        return false;
                *ret_gid = (gid_t)strtoul(f[2], NULL, 10);
                if (ret_members)
                        *ret_members = strdup(f[3] ? f[3] : "");
                return true;
        }
        return false;
}
