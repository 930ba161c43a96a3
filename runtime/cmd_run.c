/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "delegate.h"
#include "runtime.h"
#include "util.h"

/* run --detach is create and start in one command: runc run -d returns once
 * the user's program runs, which leaves no moment to look at the container
 * before it does. So it is split: create (the same flags), verify, start.
 * The container inherits the same stdio, the pid file and the console
 * socket get what run would give them, and the exit status is run's: 0
 * once started, or the failing step's (a container that cannot be started
 * is deleted, as run deletes it). */

/* globals + "create" + run's flags that create knows + the id */
static char **create_argv(const struct runc_invocation *inv)
{
        const struct runc_create_flags *f = &inv->create;
        char **argv = calloc((size_t)inv->cmd_index + 16, sizeof(*argv));
        size_t k = 0;

        if (!argv)
                return NULL;
        for (int i = 0; i < inv->cmd_index; i++)
                argv[k++] = inv->argv[i];
        argv[k++] = (char *)"create";
        if (inv->bundle) {
                argv[k++] = (char *)"--bundle";
                argv[k++] = (char *)inv->bundle;
        }
        if (f->console_socket) {
                argv[k++] = (char *)"--console-socket";
                argv[k++] = (char *)f->console_socket;
        }
        if (f->pid_file) {
                argv[k++] = (char *)"--pid-file";
                argv[k++] = (char *)f->pid_file;
        }
        if (f->no_pivot)
                argv[k++] = (char *)"--no-pivot";
        if (f->no_new_keyring)
                argv[k++] = (char *)"--no-new-keyring";
        if (f->preserve_fds) {
                argv[k++] = (char *)"--preserve-fds";
                argv[k++] = (char *)f->preserve_fds;
        }
        argv[k++] = (char *)inv->container_id;
        return argv;
}

static char **start_argv(const struct runc_invocation *inv)
{
        char **argv = calloc((size_t)inv->cmd_index + 3, sizeof(*argv));
        size_t k = 0;

        if (!argv)
                return NULL;
        for (int i = 0; i < inv->cmd_index; i++)
                argv[k++] = inv->argv[i];
        argv[k++] = (char *)"start";
        argv[k++] = (char *)inv->container_id;
        return argv;
}

int run_detached_verified(struct checked *c, struct spec *s, const char *bundle)
{
        _cleanup_free_ char **create = create_argv(c->inv), **start = start_argv(c->inv);
        int status, r;

        if (!create || !start)
                return checked_fail(c, "runc-harden: out of memory");
        if ((r = handoff_wait(c, create, &status)) > 0)
                return r;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return shim_exit_code(status);
        if ((r = container_verify(c, s, bundle)) != 0)
                return r;
        if ((r = handoff_wait(c, start, &status)) > 0)
                return r;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        container_delete_quietly(c);
        return shim_exit_code(status);
}
