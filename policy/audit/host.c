/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "host.h"
#include "internal.h"
#include "mountinfo.h"
#include "rootpath.h"
#include "util.h"

/* Checks of the host around dockerd: its partitions, audit rules, version,
 * the docker group, file modes and the kernel's LSM. */

/* --- HOST-1: the data root on its own file system --------------------- */

/* What a path lies on: its mount point, and what tells file systems apart
 * (the device in mountinfo, the source in /proc/mounts). dockerd bind
 * mounts its data root onto itself at start, so a mount point at the data
 * root says nothing: a bind of the root file system's own directory has
 * the root file system's device. */
struct holder {
        char *point;
        char *fs; /* "8:1", or "/dev/sda1" */
};

static void holder_done(struct holder *h)
{
        free(h->point);
        free(h->fs);
}

/* From mountinfo: the mount path lies on (the last of the longest). */
static int holder_mountinfo(const struct mount_table *t, const char *path, struct holder *ret)
{
        const struct mount_entry *m = mount_table_find(t, path);
        if (!m)
                return -ENOENT;
        ret->point = strdup(m->point);
        if (asprintf(&ret->fs, "%u:%u", major(m->dev), minor(m->dev)) < 0)
                ret->fs = NULL;
        return ret->point && ret->fs ? 0 : -ENOMEM;
}

/* Mount points in /proc/mounts escape space, tab, newline and backslash
 * as \ooo. */
static void unescape_octal(char *s)
{
        char *w = s;
        for (char *r = s; *r; r++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
                    r[3] <= '7') {
                        *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 3;
                } else {
                        *w++ = *r;
                }
        }
        *w = '\0';
}

/* From /proc/mounts ("SOURCE POINT TYPE OPTIONS 0 0"): the last of the
 * longest mount points holding path, and its source. */
static int holder_mounts(const char *text, const char *path, struct holder *ret)
{
        _cleanup_free_ char *buf = strdup(text);
        char *save = NULL;
        size_t best = 0;

        if (!buf)
                return -ENOMEM;
        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *fsave = NULL, *src = strtok_r(line, " ", &fsave), *point = strtok_r(NULL, " ", &fsave);
                if (!src || !point)
                        continue;
                unescape_octal(point);
                if (!path_is_under(path, point) || (ret->point && strlen(point) < best))
                        continue;
                holder_done(ret);
                ret->point = strdup(point);
                ret->fs = strdup(src);
                if (!ret->point || !ret->fs)
                        return -ENOMEM;
                best = strlen(point);
        }
        return ret->point ? 0 : -ENOENT;
}

static int holder_of(const struct mount_table *t, const char *mounts, const char *path, struct holder *ret)
{
        *ret = (struct holder){0};
        return t ? holder_mountinfo(t, path, ret) : holder_mounts(mounts, path, ret);
}

static void check_data_root(const struct daemon *d, struct eval *ev, struct audit_notes *notes)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_mount_table_ struct mount_table table = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        const char *src = "/proc/self/mountinfo";
        size_t len;
        bool have_table = false;

        if (audit_read(d->root, src, &buf, &len) == 0) {
                if (mount_table_parse(buf, len, &table, &err) < 0) {
                        audit_note(notes, "%s: %s: host-data-root-partition not checked", src, rh_error_msg(&err));
                        return;
                }
                have_table = true;
        } else if (audit_read(d->root, src = "/proc/mounts", &buf, &len) < 0) {
                audit_note(notes, "no /proc/self/mountinfo or /proc/mounts: %s not checked",
                           "host-data-root-partition");
                return;
        }
        const struct mount_table *t = have_table ? &table : NULL;
        _cleanup_(holder_done) struct holder data = {0}, root = {0}, var = {0};
        if (holder_of(t, buf, d->data_root, &data) < 0 || holder_of(t, buf, "/", &root) < 0) {
                audit_note(notes, "%s lists no mount holding %s (or /): host-data-root-partition not checked", src,
                           d->data_root);
                return;
        }
        /* Its own file system: not the root's, nor /var's when /var has
         * one (images and volumes would fill that just the same). */
        const struct holder *shared = STREQ(data.fs, root.fs) ? &root : NULL;
        if (!shared && holder_of(t, buf, "/var", &var) == 0 && !STREQ(var.point, root.point) &&
            STREQ(data.fs, var.fs) && path_is_under(d->data_root, "/var"))
                shared = &var;
        if (!shared)
                return;
        audit_report(ev, "host-data-root-partition", d->data_root,
                     "Docker's data root is on the file system mounted at %s (%s %s)%s: images and volumes can fill "
                     "it; give %s its own partition (an fstab entry) before starting dockerd",
                     shared->point, t ? "device" : "source", shared->fs,
                     STREQ(data.point, d->data_root) ? ", though it is a mount point: a bind mount of a directory of "
                                                       "that file system (dockerd makes one at start) is no partition"
                                                     : "",
                     d->data_root);
}

/* --- HOST-4: audit rules ----------------------------------------------- */

struct watches {
        char **v;
        size_t n;
};

static void watches_done(struct watches *w)
{
        for (size_t i = 0; i < w->n; i++)
                free(w->v[i]);
        free(w->v);
}

static int watch_add(struct watches *w, const char *p, size_t len)
{
        char **nv = realloc(w->v, (w->n + 1) * sizeof(*nv));
        if (!nv)
                return -ENOMEM;
        w->v = nv;
        _cleanup_free_ char *raw = strndup(p, len);
        if (!raw || !(nv[w->n] = path_normalize(raw)))
                return -ENOMEM;
        w->n++;
        return 0;
}

/* "-w PATH …" and syscall rules with "-F path=PATH" or "-F dir=PATH", as
 * in rules files and `auditctl -l`. */
static int watches_parse(const char *text, struct watches *w)
{
        for (const char *line = text; line && *line;) {
                const char *end = strchr(line, '\n');
                size_t n = end ? (size_t)(end - line) : strlen(line);
                for (const char *p = line; p < line + n; p++) {
                        const char *v = NULL;
                        if (strncmp(p, "-w ", 3) == 0)
                                v = p + 3;
                        else if (strncmp(p, "path=", 5) == 0 && p > line && p[-1] == ' ')
                                v = p + 5;
                        else if (strncmp(p, "dir=", 4) == 0 && p > line && p[-1] == ' ')
                                v = p + 4;
                        if (!v)
                                continue;
                        while (*v == ' ')
                                v++;
                        size_t l = strcspn(v, " \t\n");
                        if (l && *v == '/' && watch_add(w, v, l) < 0)
                                return -ENOMEM;
                }
                line = end ? end + 1 : NULL;
        }
        return 0;
}

static int watches_load(const struct audit_input *in, struct watches *w)
{
        _cleanup_free_ char *dir = root_path(in->root, "/etc/audit/rules.d");
        if (!dir)
                return -ENOMEM;
        _cleanup_closedir_ DIR *d = opendir(dir);
        struct dirent *de;
        while (d && (de = readdir(d))) {
                size_t l = strlen(de->d_name);
                _cleanup_free_ char *p = NULL, *buf = NULL;
                if (l < 7 || !STREQ(de->d_name + l - 6, ".rules"))
                        continue;
                if (asprintf(&p, "/etc/audit/rules.d/%s", de->d_name) < 0)
                        return -ENOMEM;
                if (audit_read(in->root, p, &buf, NULL) == 0 && watches_parse(buf, w) < 0)
                        return -ENOMEM;
        }
        _cleanup_free_ char *buf = NULL;
        if (audit_read(in->root, "/etc/audit/audit.rules", &buf, NULL) == 0 && watches_parse(buf, w) < 0)
                return -ENOMEM;
        if (in->auditctl_rules && watches_parse(in->auditctl_rules, w) < 0)
                return -ENOMEM;
        return 0;
}

/* A watch on a directory covers what lies below it. */
static bool watched(const struct watches *w, const char *path)
{
        for (size_t i = 0; i < w->n; i++)
                if (path_is_under(path, w->v[i]))
                        return true;
        return false;
}

/* The first of candidates that exists, else the first if always. */
static const char *present(const char *root, const char *const *candidates, bool always)
{
        for (const char *const *c = candidates; *c; c++)
                if (audit_exists(root, *c))
                        return *c;
        return always ? candidates[0] : NULL;
}

static void check_audit_rules(const struct audit_input *in, const struct daemon *d, struct eval *ev)
{
        static const char *const dockerd[] = {"/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd", NULL};
        static const char *const containerd[] = {"/usr/bin/containerd", "/usr/local/bin/containerd", NULL};
        static const char *const runc[] = {"/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc",
                                           "/usr/local/sbin/runc", NULL};
        static const char *const etc[] = {"/etc/docker", NULL};
        static const char *const service[] = {"/lib/systemd/system/docker.service",
                                              "/usr/lib/systemd/system/docker.service", NULL};
        static const char *const socket[] = {"/lib/systemd/system/docker.socket",
                                             "/usr/lib/systemd/system/docker.socket", NULL};
        static const char *const def[] = {"/etc/default/docker", NULL};
        static const char *const sysconfig[] = {"/etc/sysconfig/docker", NULL};
        static const char *const daemon_json[] = {"/etc/docker/daemon.json", NULL};
        const struct {
                const char *const *candidates;
                bool always;
        } wanted[] = {
                {dockerd, true}, {containerd, false}, {runc, false},      {etc, true},          {service, false},
                {socket, false}, {def, false},        {sysconfig, false}, {daemon_json, false},
        };
        _cleanup_(watches_done) struct watches w = {0};
        _cleanup_free_ char *missing = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&missing, &len);

        if (!f || watches_load(in, &w) < 0) {
                if (f)
                        fclose(f);
                ev->oom = true;
                return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(wanted); i++) {
                const char *p = present(in->root, wanted[i].candidates, wanted[i].always);
                if (p && !watched(&w, p))
                        fprintf(f, "%s%s", ftell(f) ? ", " : "", p);
        }
        if (!watched(&w, d->data_root))
                fprintf(f, "%s%s", ftell(f) ? ", " : "", d->data_root);
        fclose(f);
        if (len)
                audit_report(ev, "host-audit-rules", "/etc/audit/rules.d",
                             "no audit rule watches %s; add \"-w PATH -p wa -k docker\" lines to "
                             "/etc/audit/rules.d/docker.rules and run augenrules --load",
                             missing);
}

/* --- HOST-3: the Docker version ---------------------------------------- */

static void check_version(const struct audit_input *in, struct eval *ev, struct audit_notes *notes)
{
        const char *min = in->min_docker_version ?: AUDIT_MIN_DOCKER_VERSION;
        if (!in->dockerd_version) {
                audit_note(notes, "dockerd --version not run (no dockerd, or --root-dir): host-docker-version not "
                                  "checked");
                return;
        }
        /* "Docker version 20.10.24+dfsg1, build 297e128" */
        const char *v = strstr(in->dockerd_version, "version ");
        v = v ? v + 8 : in->dockerd_version;
        _cleanup_free_ char *shown = strndup(v, strcspn(v, ", \n"));
        int c = audit_version_cmp(v, min);
        if (c == -2)
                audit_note(notes, "cannot read a version in dockerd --version output: host-docker-version not checked");
        else if (c < 0)
                audit_report(ev, "host-docker-version", "dockerd",
                             "Docker %s is older than %s and misses its security fixes; upgrade the docker "
                             "packages (apt-get install --only-upgrade docker-ce or docker.io)",
                             shown ?: "?", min);
}

/* --- RUN-15: the docker group ------------------------------------------ */

/* Users whose primary group is docker are members too. */
static void append_primary_members(const char *root, gid_t gid, FILE *f)
{
        _cleanup_free_ char *buf = NULL;
        if (audit_read(root, "/etc/passwd", &buf, NULL) < 0)
                return;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
                char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL,
                     *c3 = c2 ? strchr(c2 + 1, ':') : NULL;
                if (!c3)
                        continue;
                if ((gid_t)strtoul(c3 + 1, NULL, 10) == gid)
                        fprintf(f, "%s%.*s", ftell(f) ? "," : "", (int)(c1 - line), line);
        }
}

static void check_docker_group(const char *root, struct eval *ev)
{
        gid_t gid;
        _cleanup_free_ char *members = NULL, *all = NULL;
        size_t len = 0;
        if (!docker_group_find(root, &gid, &members))
                return;
        FILE *f = open_memstream(&all, &len);
        if (!f) {
                ev->oom = true;
                return;
        }
        if (members && *members)
                fputs(members, f);
        append_primary_members(root, gid, f);
        fclose(f);
        if (len)
                audit_report(ev, "host-docker-group", "/etc/group",
                             "the docker group has members (%s): each can run a privileged container and is root "
                             "on the host; remove them (gpasswd -d USER docker) and use sudo or rootless Docker",
                             all);
}

/* --- RUN-1/RUN-2: an LSM ------------------------------------------------ */

static void check_lsm(const char *root, struct eval *ev)
{
        _cleanup_free_ char *aa = NULL;
        if (audit_read(root, "/sys/module/apparmor/parameters/enabled", &aa, NULL) == 0 && aa[0] == 'Y')
                return;
        if (audit_exists(root, "/sys/fs/selinux/enforce"))
                return;
        audit_report(ev, "host-lsm", "host",
                     "neither AppArmor nor SELinux is enabled in the kernel: containers run without a mandatory "
                     "access control profile; boot with apparmor=1 security=apparmor (Debian, Ubuntu) or "
                     "selinux=1 (Fedora, RHEL)");
}

void host_check(const struct audit_input *in, const struct daemon *d, struct eval *ev, struct audit_notes *notes)
{
        check_data_root(d, ev, notes);
        check_audit_rules(in, d, ev);
        check_version(in, ev, notes);
        check_docker_group(in->root, ev);
        host_check_files(in, d, ev);
        check_lsm(in->root, ev);
}
