/* SPDX-License-Identifier: GPL-2.0-or-later */
/* runc-harden setup docker: registers runc-harden as a Docker runtime in
 * daemon.json, keeping every other key of the file as it is. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "json.h"
#include "runtime.h"
#include "spec.h"
#include "util.h"

#define SETUP_RUNTIME_NAME "hardened"
#define SETUP_DAEMON_CONFIG "/etc/docker/daemon.json"

struct setup_opts {
        bool make_default;
        bool undo;
        bool dry_run;
        const char *config;
        const char *path;
        const char *policy;
};

static void setup_usage(FILE *f)
{
        fputs("usage: runc-harden setup docker [--default] [--undo] [--dry-run] [--daemon-config FILE]\n"
              "                                [--path BINARY] [--policy FILE]\n"
              "       runc-harden setup system [--undo] [--dry-run] [--path BINARY] [--root DIR]\n"
              "setup docker adds the runtime \"" SETUP_RUNTIME_NAME
              "\" to dockerd's daemon.json (default " SETUP_DAEMON_CONFIG "),\n"
              "--default makes it the default runtime, --undo removes both again; --dry-run prints the change\n"
              "and writes nothing. The file before the first change is kept as daemon.json.bak, later ones as\n"
              "daemon.json.bak.1, .2, ... (no .bak when there was no file: setup created it)\n"
              "setup system makes runc-harden the system's runc, for every engine (see runc-harden(8)).\n",
              f);
}

/* The whole file, or NULL with *ret_len 0 when it does not exist (dockerd
 * runs without one). */
static int read_config(const char *path, char **ret, size_t *ret_len, struct stat *ret_st, bool *ret_exists,
                       rh_error_t *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        int r;

        *ret_exists = false;
        if (fd < 0) {
                if (errno == ENOENT)
                        return 0;
                return rh_error_set(err, errno, "cannot open %s: %m", path);
        }
        if (fstat(fd, ret_st) < 0)
                return rh_error_set(err, errno, "cannot stat %s: %m", path);
        if ((r = read_full_fd(fd, SIZE_MAX, ret, ret_len)) == -ENOMEM)
                return rh_error_set(err, ENOMEM, "out of memory reading %s", path);
        if (r < 0)
                return rh_error_set(err, EIO, "cannot read %s", path);
        *ret_exists = true;
        return 0;
}

/* Sets runtimes.hardened (and default-runtime) in the daemon.json tree;
 * every other member keeps its place and spelling. */
static int merge_runtime(struct jdoc *d, const struct setup_opts *o, rh_error_t *err)
{
        struct jv *runtimes, *entry, *args;

        if (!jv_is(d->root, JV_OBJECT))
                return rh_error_set(err, EINVAL, "the daemon configuration is not a JSON object");
        runtimes = jv_get(d->root, "runtimes");
        if (runtimes && !jv_is(runtimes, JV_OBJECT))
                return rh_error_set(err, EINVAL, "\"runtimes\" is not an object; fix the file first");
        if (!runtimes && jv_obj_put(d, d->root, "runtimes", runtimes = jv_new(d, JV_OBJECT)) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (!(entry = jv_new(d, JV_OBJECT)) || !(args = jv_new(d, JV_ARRAY)) ||
            jv_obj_put(d, entry, "path", jv_new_string(d, o->path)) < 0 ||
            jv_arr_push(d, args, jv_new_string(d, "--harden-policy")) < 0 ||
            jv_arr_push(d, args, jv_new_string(d, o->policy)) < 0 || jv_obj_put(d, entry, "runtimeArgs", args) < 0 ||
            jv_obj_put(d, runtimes, SETUP_RUNTIME_NAME, entry) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (o->make_default && jv_obj_put(d, d->root, "default-runtime", jv_new_string(d, SETUP_RUNTIME_NAME)) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        return 0;
}

/* Takes out what setup put in: the runtime entry, and the default runtime
 * when it names it. dockerd keeps a default runtime that disappears from
 * the file (and refuses a HUP whose default names no runtime), so the
 * default is written back as "runc", never just removed. Sets *ret_changed
 * when there was anything to undo. */
static void obj_remove(struct jv *o, size_t i)
{
        memmove(&o->u.obj.m[i], &o->u.obj.m[i + 1], (o->u.obj.n - i - 1) * sizeof(o->u.obj.m[0]));
        o->u.obj.n--;
}

static int remove_runtime(struct jdoc *d, bool *ret_changed, rh_error_t *err)
{
        struct jv *runtimes = jv_get(d->root, "runtimes");
        const char *def;

        *ret_changed = false;
        if (!jv_is(d->root, JV_OBJECT))
                return rh_error_set(err, EINVAL, "the daemon configuration is not a JSON object");
        if (jv_is(runtimes, JV_OBJECT)) {
                for (size_t i = 0; i < runtimes->u.obj.n; i++)
                        if (STREQ(runtimes->u.obj.m[i].key, SETUP_RUNTIME_NAME)) {
                                obj_remove(runtimes, i--);
                                *ret_changed = true;
                        }
                if (runtimes->u.obj.n == 0)
                        for (size_t i = 0; i < d->root->u.obj.n; i++)
                                if (d->root->u.obj.m[i].val == runtimes)
                                        obj_remove(d->root, i--);
        }
        if (jv_cstr(jv_get(d->root, "default-runtime"), &def) && STREQ(def, SETUP_RUNTIME_NAME)) {
                if (jv_obj_put(d, d->root, "default-runtime", jv_new_string(d, "runc")) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
                *ret_changed = true;
        }
        return 0;
}

static void print_prefixed(const char *prefix, const char *text)
{
        const char *p = text;
        while (*p) {
                const char *nl = strchr(p, '\n');
                int n = nl ? (int)(nl - p) : (int)strlen(p);
                _cleanup_free_ char *line = strndup(p, (size_t)n);
                if (line)
                        rh_say(stdout, "%s%s", prefix, line);
                p += n + (nl ? 1 : 0);
        }
}

/* The backup's name: NAME.bak for the file as it was before runc-harden
 * first changed it, which is never replaced; NAME.bak.N (the first free N)
 * for each later version. A file that already holds setup's runtime is not
 * that first state (setup created it where there was none, or someone
 * added the runtime): it never becomes NAME.bak. */
static int backup_name(int dirfd, const char *name, bool ours, char **ret, rh_error_t *err)
{
        for (unsigned n = ours ? 1 : 0; n < 10000; n++) {
                _cleanup_free_ char *b = NULL;
                struct stat st;
                if ((n ? asprintf(&b, "%s.bak.%u", name, n) : asprintf(&b, "%s.bak", name)) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
                if (fstatat(dirfd, b, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno != ENOENT)
                                return rh_error_set(err, errno, "%s: %m", b);
                        *ret = TAKE_PTR(b);
                        return 0;
                }
        }
        return rh_error_set(err, EEXIST, "%s.bak.1 to .9999 all exist; remove old backups", name);
}

/* Writes path atomically, after a backup of the old content beside it. */
static int write_config(const char *path, const char *old, size_t old_len, const struct stat *st, bool existed,
                        bool ours, const char *data, size_t len, char **ret_backup, rh_error_t *err)
{
        _cleanup_free_ char *dcopy = strdup(path), *bcopy = strdup(path), *backup = NULL;
        if (!dcopy || !bcopy)
                return rh_error_set(err, ENOMEM, "out of memory");
        const char *name = basename(bcopy);
        _cleanup_close_ int dirfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return rh_error_set(err, errno, "cannot open the directory of %s: %m", path);
        if (existed) {
                if (backup_name(dirfd, name, ours, &backup, err) < 0)
                        return rh_error_wrap(err, "cannot back up %s", path);
                if (spec_write_atomic(dirfd, backup, old, old_len, st, err) < 0)
                        return rh_error_wrap(err, "cannot write the backup %s", backup);
        }
        if (spec_write_atomic(dirfd, name, data, len, existed ? st : NULL, err) < 0)
                return rh_error_wrap(err, "cannot write %s", path);
        /* The backup as the operator named the file: beside it. */
        const char *slash = strrchr(path, '/');
        if (backup && asprintf(ret_backup, "%.*s%s", slash ? (int)(slash - path + 1) : 0, path, backup) < 0)
                *ret_backup = NULL;
        return 0;
}

static void say_done(const struct setup_opts *o, bool existed, const char *backup)
{
        _cleanup_free_ char *first = NULL;
        struct stat st;

        rh_say(stdout, "runc-harden: runtime \"%s\" %s %s", SETUP_RUNTIME_NAME, o->undo ? "removed from" : "written to",
               o->config);
        if (!existed)
                rh_say(stdout,
                       "runc-harden: there was no %s: runc-harden created it, so there is no backup; the "
                       "state before is no file (--undo takes the runtime out again but leaves the file)",
                       o->config);
        else if (asprintf(&first, "%s.bak", o->config) >= 0 && stat(first, &st) == 0)
                rh_say(stdout,
                       "runc-harden: the previous version is %s; %s is the file as it was before "
                       "runc-harden first changed it",
                       backup, first);
        else
                rh_say(stdout,
                       "runc-harden: the previous version is %s; there is no %s.bak: the file held the "
                       "runtime \"%s\" already when first backed up (runc-harden created it where there was "
                       "none, or it was added by hand)",
                       backup, o->config, SETUP_RUNTIME_NAME);
        puts("Reload dockerd: kill -HUP $(pidof dockerd) (SIGHUP), or systemctl reload docker.");
        if (o->undo)
                puts("Containers created with --runtime=" SETUP_RUNTIME_NAME " keep running; they cannot be started\n"
                     "again once dockerd has reloaded: recreate them.");
        else
                printf("Then: docker run --runtime=%s ...%s\n", SETUP_RUNTIME_NAME,
                       o->make_default ? " (or any docker run: it is the default runtime)" : "");
}

/* The daemon.json tree, and whether it holds setup's runtime already. */
static int parse_config(const char *text, size_t len, struct jdoc **ret, bool *ret_ours, rh_error_t *err)
{
        int k = jdoc_parse(text, len, ret, err);
        if (k < 0)
                return k;
        const struct jv *runtimes = jv_get((*ret)->root, "runtimes");
        *ret_ours = jv_is(runtimes, JV_OBJECT) && jv_get(runtimes, SETUP_RUNTIME_NAME);
        return 0;
}

static int setup_docker(const struct setup_opts *o)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_jdoc_ struct jdoc *d = NULL;
        _cleanup_free_ char *old = NULL, *out = NULL, *text = NULL, *backup = NULL;
        size_t old_len = 0, len = 0;
        struct stat st = {0};
        bool existed, ours, changed = true;

        if (read_config(o->config, &old, &old_len, &st, &existed, &err) < 0 ||
            parse_config(existed ? old : "{}", existed ? old_len : 2, &d, &ours, &err) < 0 ||
            (o->undo ? remove_runtime(d, &changed, &err) : merge_runtime(d, o, &err)) < 0 ||
            jv_serialize(d->root, true, &out, &len, &err) < 0) {
                rh_say(stderr, "runc-harden: setup: %s: %s", o->config, rh_error_msg(&err));
                return EXIT_DENIED;
        }
        if (asprintf(&text, "%s%s", out, len && out[len - 1] == '\n' ? "" : "\n") < 0)
                return EXIT_DENIED;
        /* Run again, setup changes nothing and makes no backup. */
        if (!changed || (existed && old_len == strlen(text) && memcmp(old, text, old_len) == 0)) {
                rh_say(stdout, "runc-harden: %s %s; nothing written", o->config,
                       o->undo ? "has no runtime \"" SETUP_RUNTIME_NAME "\" to remove" : "is already set up");
                return EXIT_OK;
        }
        if (o->dry_run) {
                rh_say(stdout, "--- %s%s", o->config, existed ? "" : " (absent)");
                rh_say(stdout, "+++ %s (after runc-harden setup%s)", o->config, o->undo ? " --undo" : "");
                if (existed)
                        print_prefixed("-", old);
                print_prefixed("+", text);
                printf("runc-harden: dry run: nothing written\n");
                return EXIT_OK;
        }
        if (write_config(o->config, old, old_len, &st, existed, ours, text, strlen(text), &backup, &err) < 0) {
                rh_say(stderr, "runc-harden: setup: %s", rh_error_msg(&err));
                return EXIT_DENIED;
        }
        say_done(o, existed, backup);
        return EXIT_OK;
}

/* Exit: EXIT_OK done, EXIT_DENIED failed, EXIT_ERROR usage. */
int cmd_setup(int argc, char **argv)
{
        static const struct option longopts[] = {
                {"default", no_argument, NULL, 'D'},    {"dry-run", no_argument, NULL, 'n'},
                {"undo", no_argument, NULL, 'u'},       {"daemon-config", required_argument, NULL, 'c'},
                {"path", required_argument, NULL, 'p'}, {"policy", required_argument, NULL, 'P'},
                {"help", no_argument, NULL, 'h'},       {0},
        };
        struct setup_opts o = {.config = SETUP_DAEMON_CONFIG, .policy = RH_POLICY_PATH};
        _cleanup_free_ char *self = NULL;
        int c;

        if (argc >= 2 && STREQ(argv[1], "system"))
                return cmd_setup_system(argc - 1, argv + 1);
        if (argc >= 2 && (STREQ(argv[1], "--help") || STREQ(argv[1], "-h"))) {
                setup_usage(stdout);
                return EXIT_OK;
        }
        if (argc < 2 || !STREQ(argv[1], "docker")) {
                setup_usage(stderr);
                return EXIT_ERROR;
        }
        argc--;
        argv++;
        optind = 1;
        while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
                switch (c) {
                case 'D':
                        o.make_default = true;
                        break;
                case 'n':
                        o.dry_run = true;
                        break;
                case 'u':
                        o.undo = true;
                        break;
                case 'c':
                        o.config = optarg;
                        break;
                case 'p':
                        o.path = optarg;
                        break;
                case 'P':
                        o.policy = optarg;
                        break;
                case 'h':
                        setup_usage(stdout);
                        return EXIT_OK;
                default:
                        setup_usage(stderr);
                        return EXIT_ERROR;
                }
        }
        if (optind != argc || (o.undo && o.make_default)) {
                setup_usage(stderr);
                return EXIT_ERROR;
        }
        /* dockerd runs the path it is given: by default this very binary,
         * by its absolute name. */
        if (!o.path) {
                self = realpath("/proc/self/exe", NULL);
                if (!self) {
                        rh_say(stderr, "runc-harden: setup: cannot find this binary's path: %m; use --path");
                        return EXIT_DENIED;
                }
                o.path = self;
        }
        if (o.path[0] != '/' || o.policy[0] != '/') {
                fprintf(stderr, "runc-harden: setup: --path and --policy must be absolute paths\n");
                return EXIT_ERROR;
        }
        return setup_docker(&o);
}
