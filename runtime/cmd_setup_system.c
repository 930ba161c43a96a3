/* SPDX-License-Identifier: GPL-2.0-or-later */
/* runc-harden setup system: makes runc-harden the system's runc. Docker's
 * built-in runtime "runc", containerd's runc shim and podman find runc by
 * name; a runtime entry in their configuration leaves those names to the
 * real runc, which any user of the engine can ask for. Here the real runc
 * moves to RH_SYSTEM_RUNTIME, where the delegate looks for it when the
 * default runtime turns out to be runc-harden itself (shim/delegate.c),
 * and the name engines run becomes a symlink to runc-harden.
 *
 * Debian only: dpkg-divert records the move, so that an upgrade of runc's
 * package writes the new runc at the private path instead of over
 * runc-harden. Elsewhere the steps are printed and nothing is done: a
 * package manager that does not know would put runc back at the next
 * upgrade, silently. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "rootpath.h"
#include "runtime.h"
#include "setup_system.h"
#include "util.h"

static void usage(FILE *f)
{
        fputs("usage: runc-harden setup system [--undo] [--dry-run] [--path BINARY] [--root DIR]\n"
              "Makes runc-harden the system's runc: the real runc moves to " RH_SYSTEM_RUNTIME " (a dpkg\n"
              "diversion), runc becomes a symlink to BINARY (default: this runc-harden), and podman's\n"
              "default runtime becomes runc. --undo puts everything back; --dry-run prints the steps;\n"
              "--root works on a host image below DIR.\n",
              f);
}

/* --- looking at the system ------------------------------------------------ */

static int lstat_at(const struct sys *s, const char *path, struct stat *st)
{
        _cleanup_free_ char *h = sys_host_path(s, path);
        if (!h)
                return -ENOMEM;
        return lstat(h, st) < 0 ? -errno : 0;
}

/* The binary engines run: a symlink to runc-harden, the real runc, or
 * anything else. */
static target_state_t target_state(const struct sys *s, char **ret_link)
{
        struct stat lst, st;
        _cleanup_free_ char *h = sys_host_path(s, s->target);

        *ret_link = NULL;
        if (!h || lstat(h, &lst) < 0)
                return TARGET_MISSING;
        if (root_resolve(s->root, s->target, &st, NULL) < 0)
                return TARGET_OTHER;
        if (st.st_dev == s->binary_st.st_dev && st.st_ino == s->binary_st.st_ino) {
                if (S_ISLNK(lst.st_mode)) {
                        char buf[PATH_MAX];
                        ssize_t n = readlink(h, buf, sizeof(buf) - 1);
                        if (n > 0)
                                *ret_link = strndup(buf, (size_t)n);
                }
                return TARGET_OURS;
        }
        return S_ISREG(lst.st_mode) ? TARGET_REAL : TARGET_OTHER;
}

/* The private runc: absent, or a regular file that is not runc-harden. */
static int private_state(struct sys *s, rh_error_t *err)
{
        struct stat st;
        int r = lstat_at(s, s->private_path, &st);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return rh_error_set(err, -r, "%s: %s", s->private_path, strerror(-r));
        if (!S_ISREG(st.st_mode) || (st.st_dev == s->binary_st.st_dev && st.st_ino == s->binary_st.st_ino))
                return rh_error_set(err, EEXIST, "%s is there and is not the real runc; move it away first",
                                    s->private_path);
        s->private_exists = true;
        return 0;
}

/* root-owned and writable by nobody else, from the file up to /: whoever
 * can change any of these runs code as root in every container start. A
 * sticky directory (/tmp) keeps others from renaming what they do not own. */
static int check_binary_safe(const struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *h = sys_host_path(s, s->binary), *p = h ? realpath(h, NULL) : NULL;
        struct stat st;

        if (!p)
                return rh_error_set(err, errno ?: ENOMEM, "--path %s: %m", s->binary);
        for (;;) {
                if (lstat(p, &st) < 0)
                        return rh_error_set(err, errno, "%s: %m", p);
                if (st.st_uid != 0 || ((st.st_mode & 022) && !(S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX))))
                        return rh_error_set(err, EPERM,
                                            "%s is not root's or is writable by others: whoever can change it would "
                                            "run code as root in every container; install runc-harden somewhere safe "
                                            "(meson install) and name that with --path",
                                            p);
                char *slash = strrchr(p, '/');
                if (!slash || STREQ(p, "/"))
                        return 0;
                slash[slash == p ? 1 : 0] = '\0';
        }
}

/* runc-harden knows itself by inode when it runs as runc and hands off to
 * the real runc then; a wrapper script in its place would be handed the
 * call again, and again. */
static int check_binary_elf(const struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *h = sys_host_path(s, s->binary);
        char magic[4] = {0};
        _cleanup_close_ int fd = h ? open(h, O_RDONLY | O_CLOEXEC) : -1;
        if (fd < 0 || read(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic))
                return rh_error_set(err, errno ?: EIO, "--path %s: cannot read it: %m", s->binary);
        if (memcmp(magic, "\177ELF", 4) != 0)
                return rh_error_set(err, EINVAL,
                                    "--path %s is not an executable binary (a script?): name runc-harden itself, "
                                    "which knows itself by inode when it runs as runc; a wrapper would call itself "
                                    "forever",
                                    s->binary);
        return 0;
}

static int check_binary(struct sys *s, rh_error_t *err)
{
        int r;

        if (s->binary[0] != '/')
                return rh_error_set(err, EINVAL, "--path must be an absolute path");
        if ((r = root_resolve(s->root, s->binary, &s->binary_st, NULL)) < 0)
                return rh_error_set(err, -r, "--path %s: %s", s->binary, strerror(-r));
        if (!S_ISREG(s->binary_st.st_mode) || !(s->binary_st.st_mode & 0111))
                return rh_error_set(err, EINVAL, "--path %s is not an executable file", s->binary);
        return s->undo ? 0 : check_binary_elf(s, err) ?: check_binary_safe(s, err);
}

/* The first runc on the search path of services (where dockerd and
 * containerd's shim find it), followed to the file itself. */
static int find_target(struct sys *s, rh_error_t *err)
{
        static const char *const dirs[] = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                           "/usr/bin",        "/sbin",          "/bin"};
        for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
                _cleanup_free_ char *p = NULL, *shown = NULL;
                struct stat st;
                if (asprintf(&p, "%s/runc", dirs[i]) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
                if (root_resolve(s->root, p, &st, &shown) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
                        continue;
                s->target = shown ? TAKE_PTR(shown) : TAKE_PTR(p);
                return 0;
        }
        return rh_error_set(err, ENOENT, "there is no runc on PATH to replace (install runc first)");
}

/* Where the dpkg-divert records lead: our diversion, if any. */
static int find_diversion(struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *out = NULL;
        int r = sys_dpkg(s, "dpkg-divert", (const char *[]){"--list", NULL}, &out, err);
        if (r < 0)
                return r;
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
                char from[PATH_MAX], to[PATH_MAX], pkg[256];
                if (sscanf(line, "diversion of %4095s to %4095s by %255s", from, to, pkg) != 3 ||
                    !STREQ(pkg, SYS_DIVERT_PACKAGE))
                        continue;
                if (!STREQ(to, s->private_path))
                        return rh_error_set(err, EEXIST,
                                            "%s is diverted to %s by an earlier setup, but this runc-harden hands "
                                            "off to %s: undo with the runc-harden that set it up",
                                            from, to, s->private_path);
                free(s->target);
                if (!(s->target = strdup(from)))
                        return rh_error_set(err, ENOMEM, "out of memory");
                s->diverted = true;
        }
        return 0;
}

/* Before a first setup: runc belongs to a package, and nobody else diverts it. */
static int check_package(struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *out = NULL;
        int r = sys_dpkg(s, "dpkg", (const char *[]){"-S", s->target, NULL}, &out, err);
        if (r < 0)
                return r;
        if (r != 0)
                return sys_manual(s, "no package owns %s", s->target);
        free(out);
        out = NULL;
        r = sys_dpkg(s, "dpkg-divert", (const char *[]){"--listpackage", s->target, NULL}, &out, err);
        if (r < 0)
                return r;
        out[strcspn(out, "\n")] = '\0';
        if (*out)
                return rh_error_set(err, EEXIST, "%s is already diverted by %s; not adding a second diversion",
                                    s->target, out);
        return 0;
}

static int observe(struct sys *s, rh_error_t *err)
{
        int r;

        if ((r = check_binary(s, err)) < 0)
                return r;
        if (sys_have_dpkg(s) != 0) {
                if (!s->undo)
                        find_target(s, err);
                return sys_manual(s, "no dpkg here");
        }
        if ((r = find_diversion(s, err)) < 0)
                return r;
        if (!s->diverted && !s->undo && ((r = find_target(s, err)) < 0 || (r = check_package(s, err)) != 0))
                return r;
        if (s->target) { /* --undo with nothing diverted has none */
                if ((r = private_state(s, err)) < 0)
                        return r;
                s->tstate = target_state(s, &s->link_text);
        }
        return sys_dropin_state(s, err);
}

/* --- what to do ----------------------------------------------------------- */

static int decide_setup(struct sys *s, rh_error_t *err)
{
        switch (s->tstate) {
        case TARGET_REAL:
                /* diverted: an earlier setup stopped before the swap, or
                 * somebody put a runc of their own there */
                if (s->diverted && (!s->private_exists || !sys_same_file(s, s->target, s->private_path)))
                        return rh_error_set(err, EEXIST,
                                            "%s is neither the real runc (kept at %s) nor runc-harden: someone "
                                            "replaced it; not touching it",
                                            s->target, s->private_path);
                if (s->private_exists && !sys_same_file(s, s->target, s->private_path))
                        return rh_error_set(err, EEXIST,
                                            "%s is there and differs from %s; move it away or remove it first",
                                            s->private_path, s->target);
                break;
        case TARGET_OURS:
                if (!s->private_exists)
                        return rh_error_set(err, ENOENT,
                                            "%s is runc-harden but the real runc is not at %s: reinstall runc's "
                                            "package (apt-get install --reinstall runc) after --undo",
                                            s->target, s->private_path);
                break;
        default:
                return rh_error_set(err, EEXIST, "%s is neither the real runc nor runc-harden; not touching it",
                                    s->target);
        }
        s->need.mkdir = !sys_exists(s, s->private_dir);
        s->need.link = !s->private_exists;
        s->need.divert = !s->diverted;
        s->need.swap = s->tstate == TARGET_REAL || !s->link_text || !STREQ(s->link_text, s->binary);
        s->need.dropin = s->podman && !s->dropin_current;
        return 0;
}

static int decide_undo(struct sys *s, rh_error_t *err)
{
        s->need.dropin = s->dropin_ours;
        if (!s->diverted)
                return 0;
        if (!s->private_exists)
                return rh_error_set(err, ENOENT, "the real runc is not at %s; reinstall runc's package by hand",
                                    s->private_path);
        if (s->tstate == TARGET_REAL && sys_same_file(s, s->target, s->private_path))
                s->need.swap = false; /* an earlier --undo got this far */
        else if (s->tstate == TARGET_OURS)
                s->need.swap = true;
        else
                return rh_error_set(err, EEXIST,
                                    "%s is not runc-harden (%s): someone replaced it; not touching it. If "
                                    "runc-harden is installed elsewhere, name it with --path",
                                    s->target, s->tstate == TARGET_MISSING ? "it is missing" : "another file");
        s->need.divert = true;
        s->need.link = true;
        return 0;
}

/* --- main --------------------------------------------------------------------- */

static int parse(int argc, char **argv, struct sys *s)
{
        static const struct option longopts[] = {
                {"undo", no_argument, NULL, 'u'},       {"dry-run", no_argument, NULL, 'n'},
                {"path", required_argument, NULL, 'p'}, {"root", required_argument, NULL, 'r'},
                {"help", no_argument, NULL, 'h'},       {0},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
                switch (c) {
                case 'u':
                        s->undo = true;
                        break;
                case 'n':
                        s->dry_run = true;
                        break;
                case 'p':
                        free(s->binary);
                        s->binary = strdup(optarg);
                        break;
                case 'r':
                        s->root = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return -1;
                default:
                        usage(stderr);
                        return EXIT_ERROR;
                }
        }
        struct stat st;
        if (optind != argc || s->root[0] != '/' || stat(s->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
                usage(stderr);
                return EXIT_ERROR;
        }
        return 0;
}

/* Exit: EXIT_OK done (or nothing to do), EXIT_DENIED failed (what was
 * done is rolled back), EXIT_ERROR usage, or refused: no dpkg, runc not
 * from a package. */
int cmd_setup_system(int argc, char **argv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_(sys_done) struct sys s = {.root = "/", .private_path = RH_SYSTEM_RUNTIME};
        int r = parse(argc, argv, &s);

        if (r != 0)
                return r < 0 ? EXIT_OK : r;
        if (!s.dry_run && geteuid() != 0) {
                fprintf(stderr, "runc-harden: setup system: must run as root (or use --dry-run)\n");
                return EXIT_DENIED;
        }
        if (!s.binary && !(s.binary = realpath("/proc/self/exe", NULL))) {
                fprintf(stderr, "runc-harden: setup system: cannot find this binary's path: %m; use --path\n");
                return EXIT_DENIED;
        }
        char *slash = strrchr(s.private_path, '/');
        if (!(s.private_dir = strndup(s.private_path,
                                      slash && slash != s.private_path ? (size_t)(slash - s.private_path) : 1))) {
                fprintf(stderr, "runc-harden: setup system: out of memory\n");
                return EXIT_DENIED;
        }
        r = observe(&s, &err);
        if (r == 0)
                r = s.undo ? decide_undo(&s, &err) : decide_setup(&s, &err);
        if (r > 0)
                return r; /* the manual steps are printed */
        if (r < 0) {
                fprintf(stderr, "runc-harden: setup system%s: %s\n", s.undo ? " --undo" : "", rh_error_msg(&err));
                return EXIT_DENIED;
        }
        return sys_run(&s);
}
