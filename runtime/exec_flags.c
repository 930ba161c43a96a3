/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "exec_flags.h"
#include "goflag.h"
#include "runtime.h"
#include "util.h"

/* runc exec without --process builds the process from the container's
 * config.json and the command line (runc 1.1.5 exec.go, getProcess). That
 * is rebuilt here the same way, checked like a process file, and runc is
 * then handed the checked process as --process, so that what runs is what
 * was checked (including flags whose "not given" runc tells apart from
 * "false", such as --no-new-privs=false). */

static int put_string_list(struct jdoc *d, struct jv *obj, const char *key, const char *const *v, int n, bool append)
{
        struct jv *a = jv_get(obj, key);
        if (!a || !append || a->type != JV_ARRAY) {
                a = jv_new(d, JV_ARRAY);
                if (jv_obj_put(d, obj, key, a) < 0)
                        return -ENOMEM;
        }
        for (int i = 0; i < n; i++)
                if (jv_arr_push(d, a, jv_new_string(d, v[i])) < 0)
                        return -ENOMEM;
        return 0;
}

/* strconv.Atoi, then uint32(), as runc converts --user and gids. */
static int go_atoi_u32(const char *s, uint32_t *ret)
{
        int64_t v;
        int r = go_parse_int(s, 10, 0, &v);

        if (r < 0)
                return r;
        *ret = (uint32_t)v;
        return 0;
}

static int apply_user(struct jdoc *d, struct jv *proc, const struct runc_exec_flags *x, rh_error_t *err)
{
        struct jv *user = jv_get(proc, "user");
        uint32_t uid, gid;

        if (!user && (!(user = jv_new(d, JV_OBJECT)) || jv_obj_put(d, proc, "user", user) < 0))
                return rh_error_set(err, ENOMEM, "out of memory");
        if (x->user && *x->user) {
                _cleanup_free_ char *u = strdup(x->user);
                char *colon = u ? strchr(u, ':') : NULL;
                if (!u)
                        return rh_error_set(err, ENOMEM, "out of memory");
                if (colon) {
                        *colon = '\0';
                        if (go_atoi_u32(colon + 1, &gid) < 0)
                                return rh_error_set(err, EINVAL, "--user: %s is not a gid", colon + 1);
                        if (jv_obj_put(d, user, "gid", jv_new_int(d, gid)) < 0)
                                return rh_error_set(err, ENOMEM, "out of memory");
                }
                if (go_atoi_u32(u, &uid) < 0)
                        return rh_error_set(err, EINVAL, "--user: %s is not a uid", u);
                if (jv_obj_put(d, user, "uid", jv_new_int(d, uid)) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
        }
        if (x->n_additional_gids) {
                struct jv *g = jv_get(user, "additionalGids");
                if (!g || g->type != JV_ARRAY) {
                        g = jv_new(d, JV_ARRAY);
                        if (jv_obj_put(d, user, "additionalGids", g) < 0)
                                return rh_error_set(err, ENOMEM, "out of memory");
                }
                for (int i = 0; i < x->n_additional_gids; i++) {
                        /* urfave's Int64Slice read them with ParseInt(s, 10, 64) */
                        int64_t v;
                        if (go_parse_int(x->additional_gids[i], 10, 64, &v) < 0 || v < 0 || v > UINT32_MAX)
                                return rh_error_set(err, EINVAL, "--additional-gids: %s", x->additional_gids[i]);
                        if (jv_arr_push(d, g, jv_new_int(d, v)) < 0)
                                return rh_error_set(err, ENOMEM, "out of memory");
                }
        }
        return 0;
}

static int apply_flags(struct jdoc *d, struct jv *proc, const struct runc_invocation *inv, rh_error_t *err)
{
        const struct runc_exec_flags *x = &inv->exec;
        static const char *const sets[] = {"bounding", "effective", "permitted", "ambient"};
        int k = put_string_list(d, proc, "args", (const char *const *)inv->exec_args, inv->n_exec_args, false);

        if (!k && x->cwd && *x->cwd)
                k = jv_obj_put(d, proc, "cwd", jv_new_string(d, x->cwd));
        if (!k && x->apparmor && *x->apparmor)
                k = jv_obj_put(d, proc, "apparmorProfile", jv_new_string(d, x->apparmor));
        if (!k && x->process_label && *x->process_label)
                k = jv_obj_put(d, proc, "selinuxLabel", jv_new_string(d, x->process_label));
        if (!k && x->n_caps) {
                struct jv *caps = jv_get(proc, "capabilities");
                if (!caps && (!(caps = jv_new(d, JV_OBJECT)) || jv_obj_put(d, proc, "capabilities", caps) < 0))
                        k = -ENOMEM;
                for (size_t i = 0; !k && i < ARRAY_SIZE(sets); i++)
                        k = put_string_list(d, caps, sets[i], x->caps, x->n_caps, true);
        }
        if (!k && x->n_env)
                k = put_string_list(d, proc, "env", x->env, x->n_env, true);
        if (!k)
                k = jv_obj_put(d, proc, "terminal", jv_new_bool(d, x->tty));
        /* runc keeps the spec's value unless the flag is given; a given
         * false cannot be told from an absent flag here, so the spec's value
         * stands, and no-new-privileges judges it. */
        if (!k && x->no_new_privs)
                k = jv_obj_put(d, proc, "noNewPrivileges", jv_new_bool(d, true));
        if (k < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        return apply_user(d, proc, x, err);
}

/* The container's bundle, from the runtime's own state: "state ID" with
 * the same global flags (runtime_argv(): its log goes nowhere, where the
 * engine would read its errors as ours). */
/* The bundle and the init process of the container, from the runtime's
 * state. */
static int container_state(const struct runc_invocation *inv, const char *runtime, char **ret_bundle, pid_t *ret_pid,
                           rh_error_t *err)
{
        const char *words[] = {"state", inv->container_id};
        _cleanup_free_ char **argv = runtime_argv(inv, words, ARRAY_SIZE(words));
        _cleanup_free_ char *buf = NULL;
        int64_t pid = 0;
        int r;

        if (!argv)
                return rh_error_set(err, ENOMEM, "out of memory");
        argv[0] = (char *)runtime;
        if ((r = capture_program(argv, NULL, CAPTURE_ERR_INHERIT, &buf, NULL)) < 0)
                return rh_error_set(err, -r, "reading the container's state: %s", strerror(-r));
        if (r != 0)
                return rh_error_set(err, ENOENT, "%s state %s failed", runtime, inv->container_id);
        _cleanup_jdoc_ struct jdoc *state = NULL;
        const char *bundle;
        if (jdoc_parse(buf, strlen(buf), &state, err) < 0)
                return rh_error_wrap(err, "the container's state");
        if (!jv_cstr(jv_get_exact(state->root, "bundle"), &bundle) || bundle[0] != '/')
                return rh_error_set(err, EINVAL, "the container's state names no bundle");
        /* a stopped container has pid 0: nothing to join then */
        if (jv_int64(jv_get_exact(state->root, "pid"), &pid) < 0 || pid < 0 || pid > INT32_MAX)
                pid = 0;
        *ret_pid = (pid_t)pid;
        return (*ret_bundle = strdup(bundle)) ? 0 : rh_error_set(err, ENOMEM, "out of memory");
}

int exec_container_config(const struct runc_invocation *inv, const char *runtime, struct spec **ret, rh_error_t *err)
{
        _cleanup_free_ char *bundle = NULL;
        _cleanup_close_ int dirfd = -1;
        pid_t pid = 0;
        int r;

        if ((r = container_state(inv, runtime, &bundle, &pid, err)) < 0)
                return r;
        if ((dirfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                return rh_error_set(err, errno, "the bundle %s: %m", bundle);
        if ((r = spec_load_at(dirfd, "config.json", SPEC_CONFIG, ret, NULL, err)) < 0)
                return rh_error_wrap(err, "%s/config.json", bundle);
        (*ret)->bundle = TAKE_PTR(bundle);
        (*ret)->pid = pid;
        return 0;
}

int exec_flags_process(const struct runc_invocation *inv, const struct spec *config, struct spec **ret, rh_error_t *err)
{
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_free_ char *json = NULL;
        const struct jv *orig = jv_get(config->root, "process");
        struct jv *proc;
        size_t len;
        int r;

        if (!jv_is(orig, JV_OBJECT))
                return rh_error_set(err, EINVAL, "%s/config.json has no process to start from", config->bundle);
        /* A copy: the container's own process stays as it is, for the
         * rules that give exec processes what the container has. */
        if (!d || !(proc = jv_copy(d, orig)))
                return rh_error_set(err, ENOMEM, "out of memory");
        if ((r = apply_flags(d, proc, inv, err)) < 0)
                return r;
        /* Through text again, so the process is judged exactly as the file
         * runc will read. */
        if ((r = jv_serialize(proc, false, &json, &len, err)) < 0)
                return r;
        return spec_parse(json, len, SPEC_PROCESS, ret, err);
}

int exec_flags_handoff_argv(const struct runc_invocation *inv, const struct spec *s, int fds_end, char ***ret_argv,
                            rh_error_t *err)
{
        const struct runc_exec_flags *x = &inv->exec;
        _cleanup_free_ char *data = NULL;
        size_t len;
        int r;

        if ((r = spec_serialize(s, false, &data, &len, err)) < 0)
                return r;
        /* An fd runc inherits, above the range --preserve-fds (read as
         * runc reads it, with LISTEN_FDS' fds before it) hands to the
         * container; runc closes the others before the process starts. */
        _cleanup_close_ int mfd = memfd_create("runc-harden-process", MFD_CLOEXEC);
        if (mfd < 0)
                return rh_error_set(err, errno, "memfd_create: %m");
        if (write(mfd, data, len) != (ssize_t)len || lseek(mfd, 0, SEEK_SET) < 0)
                return rh_error_set(err, errno ?: EIO, "writing the process: %m");
        int fd = fcntl(mfd, F_DUPFD, (fds_end > 3 ? fds_end : 3) + 64);
        if (fd < 0)
                return rh_error_set(err, errno, "fcntl: %m");

        char **argv = calloc((size_t)inv->argc + 24 + 2 * (size_t)x->n_cgroups, sizeof(char *));
        if (!argv)
                return rh_error_set(err, ENOMEM, "out of memory");
        int n = 0;
        for (int i = 0; i <= inv->cmd_index; i++) /* argv[0], globals, "exec" */
                argv[n++] = inv->argv[i];
        char *path = NULL;
        if (asprintf(&path, "/proc/self/fd/%d", fd) < 0) {
                free(argv);
                return rh_error_set(err, ENOMEM, "out of memory");
        }
        argv[n++] = (char *)"--process";
        argv[n++] = path;
#define KEEP(flag, val)                                                                                                \
        do {                                                                                                           \
                if (val) {                                                                                             \
                        argv[n++] = (char *)flag;                                                                      \
                        argv[n++] = (char *)(val);                                                                     \
                }                                                                                                      \
        } while (0)
        KEEP("--console-socket", x->console_socket);
        KEEP("--pid-file", x->pid_file);
        KEEP("--preserve-fds", x->preserve_fds);
        for (int i = 0; i < x->n_cgroups; i++)
                KEEP("--cgroup", x->cgroups[i]);
#undef KEEP
        if (x->detach)
                argv[n++] = (char *)"--detach";
        if (x->ignore_paused)
                argv[n++] = (char *)"--ignore-paused";
        argv[n++] = (char *)inv->container_id;
        argv[n] = NULL;
        *ret_argv = argv;
        return 0;
}
