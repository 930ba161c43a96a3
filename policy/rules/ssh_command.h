/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

#include "json.h"

/* How long a name ssh_command_find() gives back can be: "sshd", "the ssh
 * service". */
#define SSH_COMMAND_WHAT_LEN 64

/* What counts as an SSH server: arrays of strings (ssh-server's params). */
struct ssh_command_names {
        const struct jv *daemons;  /* program base names: sshd, dropbear */
        const struct jv *services; /* service NAME start, /etc/init.d/NAME */
};

/* Whether argv starts an SSH server, directly or through a wrapper or a
 * shell string: 1 with its name in ret_what (SSH_COMMAND_WHAT_LEN bytes),
 * 0 when not, negative errno on failure. */
int ssh_command_find(const struct ssh_command_names *names, char *const *argv, size_t argc, char *ret_what);
