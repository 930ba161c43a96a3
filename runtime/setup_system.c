/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The steps of `runc-harden setup system` and of its --undo, each with its
 * reverse: a step that fails half-way leaves the system as it found it.
 * The order keeps runc callable at every instant: the real runc gets its
 * second name before the name engines run is replaced, and that name is
 * replaced by rename(2), never removed first. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "exit.h"
#include "fileio.h"
#include "rootpath.h"
#include "setup_system.h"
#include "spec.h"
#include "util.h"

#define DROPIN_MARK "# Written by `runc-harden setup system`"
/* The first line marks the file as ours: --undo removes only such a file. */
#define DROPIN_HEAD                                                                                                    \
        "# Written by `runc-harden setup system`, removed by `runc-harden setup system --undo`:\n"                     \
        "# podman's default OCI runtime is runc, which is runc-harden.\n"
/* --undo removes the directory too when setup made it, and says so here. */
#define DROPIN_MADE_DIR "# " SYS_DROPIN_DIR " was made for this file.\n"
#define DROPIN_BODY "[engine]\nruntime = \"runc\"\n"
static const char dropin_text[] = DROPIN_HEAD DROPIN_BODY;
static const char dropin_text_made_dir[] = DROPIN_HEAD DROPIN_MADE_DIR DROPIN_BODY;

void sys_done(struct sys *s)
{
        for (size_t i = 0; i < s->n_made; i++)
                free(s->made[i]);
        free(s->binary);
        free(s->private_dir);
        free(s->target);
        free(s->link_text);
        free(s->dropin_old);
}

char *sys_host_path(const struct sys *s, const char *path)
{
        return root_path(s->root, path);
}

bool sys_exists(const struct sys *s, const char *path)
{
        struct stat st;
        _cleanup_free_ char *h = sys_host_path(s, path);
        return h && lstat(h, &st) == 0;
}

bool sys_same_file(const struct sys *s, const char *a, const char *b)
{
        _cleanup_free_ char *ha = sys_host_path(s, a), *hb = sys_host_path(s, b), *da = NULL, *db = NULL;
        struct stat sa, sb;
        size_t la, lb;
        if (!ha || !hb || stat(ha, &sa) < 0 || stat(hb, &sb) < 0)
                return false;
        if (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino)
                return true;
        return sa.st_size == sb.st_size && read_full_file(ha, SIZE_MAX, &da, &la) == 0 &&
               read_full_file(hb, SIZE_MAX, &db, &lb) == 0 && la == lb && memcmp(da, db, la) == 0;
}

/* --- dpkg ----------------------------------------------------------------- */

int sys_have_dpkg(const struct sys *s)
{
        return access("/usr/bin/dpkg", X_OK) == 0 && access("/usr/bin/dpkg-divert", X_OK) == 0 &&
                               sys_exists(s, "/var/lib/dpkg/status")
                       ? 0
                       : 1;
}

int sys_dpkg(const struct sys *s, const char *prog, const char *const *args, char **ret_out, rh_error_t *err)
{
        _cleanup_free_ char *path = NULL, *root = NULL, *out = NULL, *errs = NULL;
        char *argv[16];
        size_t n = 0;

        if (asprintf(&path, "/usr/bin/%s", prog) < 0 || asprintf(&root, "--root=%s", s->root) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        argv[n++] = path;
        if (!STREQ(s->root, "/"))
                argv[n++] = root;
        for (; *args && n < ARRAY_SIZE(argv) - 1; args++)
                argv[n++] = (char *)*args;
        argv[n] = NULL;
        static char *const envp[] = {"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
        int r = capture_program(argv, envp, CAPTURE_ERR_KEEP, &out, &errs);
        if (r < 0)
                return rh_error_set(err, -r, "cannot run %s: %s", path, strerror(-r));
        if (r != 0 && !ret_out) {
                errs[strcspn(errs, "\n")] = '\0';
                return rh_error_set(err, EIO, "%s failed (exit status %d): %s", prog, r, errs);
        }
        if (ret_out)
                *ret_out = TAKE_PTR(out);
        return r;
}

int sys_manual(const struct sys *s, const char *fmt, ...)
{
        const char *t = s->target ?: "/usr/sbin/runc", *p = s->private_path, *b = s->binary;
        va_list ap;

        fprintf(stderr, "runc-harden: setup system: ");
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr,
                ": nothing done: without a dpkg diversion, the next upgrade of runc's package would put runc "
                "back over runc-harden, unseen.\n"
                "By hand, as root (paths below %s):\n"
                "  mkdir -p %s\n"
                "  ln %s %s            # the real runc, where runc-harden hands off to (cp -p across file systems)\n"
                "  ln -s %s %s.new && mv -T %s.new %s\n"
                "  mkdir -p %s && printf '[engine]\\nruntime = \"runc\"\\n' > %s   # podman\n"
                "and repeat the ln/mv steps after every upgrade of runc's package. Check with: runc-harden audit.\n"
                "To undo: ln -f %s %s.new && mv -T %s.new %s && rm %s %s\n",
                s->root, s->private_dir, t, p, b, t, t, t, SYS_DROPIN_DIR, SYS_DROPIN, p, t, t, t, p, SYS_DROPIN);
        return EXIT_ERROR;
}

/* --- podman's drop-in -------------------------------------------------------- */

int sys_dropin_state(struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *h = sys_host_path(s, SYS_DROPIN);
        size_t len;

        s->podman = sys_exists(s, "/etc/containers") || sys_exists(s, "/usr/bin/podman");
        int r = h ? read_full_file(h, SIZE_MAX, &s->dropin_old, &len) : -ENOMEM;
        if (r == -ENOENT || r == -ENOTDIR)
                return 0;
        if (r < 0)
                return rh_error_set(err, -r, "%s: %s", SYS_DROPIN, strerror(-r));
        s->dropin_ours = strncmp(s->dropin_old, DROPIN_MARK, strlen(DROPIN_MARK)) == 0;
        s->dropin_current = STREQ(s->dropin_old, dropin_text) || STREQ(s->dropin_old, dropin_text_made_dir);
        if (!s->dropin_ours && !s->undo)
                return rh_error_set(err, EEXIST, "%s exists and was not written by runc-harden; move it away first",
                                    SYS_DROPIN);
        return 0;
}

static int dropin_write(const struct sys *s, const char *text, rh_error_t *err)
{
        _cleanup_free_ char *dir = sys_host_path(s, SYS_DROPIN_DIR);
        if (!dir)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return rh_error_set(err, errno, "mkdir %s: %m", SYS_DROPIN_DIR);
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return rh_error_set(err, errno, "%s: %m", SYS_DROPIN_DIR);
        if (spec_write_atomic(dfd, strrchr(SYS_DROPIN, '/') + 1, text, strlen(text), NULL, err) < 0)
                return rh_error_wrap(err, "writing %s", SYS_DROPIN);
        return 0;
}

/* The file, and its directory when the file says setup made it. */
static int dropin_remove(const struct sys *s, const char *text, rh_error_t *err)
{
        _cleanup_free_ char *h = sys_host_path(s, SYS_DROPIN), *dir = sys_host_path(s, SYS_DROPIN_DIR);
        if (!h || !dir)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (unlink(h) < 0 && errno != ENOENT)
                return rh_error_set(err, errno, "rm %s: %m", SYS_DROPIN);
        if (text && strstr(text, DROPIN_MADE_DIR) && rmdir(dir) < 0 && errno != ENOTEMPTY && errno != EEXIST)
                return rh_error_set(err, errno, "rmdir %s: %m", SYS_DROPIN_DIR);
        return 0;
}

/* --- files, replaced atomically ------------------------------------------------ */

static int copy_into(const char *from, int dirfd, const char *name, rh_error_t *err)
{
        _cleanup_close_ int in = open(from, O_RDONLY | O_CLOEXEC);
        struct stat st;
        char buf[65536];
        ssize_t k;
        if (in < 0 || fstat(in, &st) < 0)
                return rh_error_set(err, errno, "%s: %m", from);
        _cleanup_close_ int out = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
        if (out < 0)
                return rh_error_set(err, errno, "creating a copy of %s: %m", from);
        while ((k = read(in, buf, sizeof(buf))) > 0)
                if (write(out, buf, (size_t)k) != k)
                        return rh_error_set(err, errno ?: EIO, "copying %s: %m", from);
        if (k < 0 || fchown(out, st.st_uid, st.st_gid) < 0 || fchmod(out, st.st_mode & 07777) < 0 || fsync(out) < 0)
                return rh_error_set(err, errno, "copying %s: %m", from);
        return 0;
}

/* path becomes a symlink with text, or (text NULL) another name of the
 * file at from (a copy across file systems): made beside it under a
 * temporary name, then renamed over it, so path never goes missing. */
static int place(const struct sys *s, const char *path, const char *text, const char *from, rh_error_t *err)
{
        _cleanup_free_ char *h = sys_host_path(s, path), *hf = from ? sys_host_path(s, from) : NULL;
        char tmp[64];
        unsigned rnd = 0;
        if (!h || (from && !hf))
                return rh_error_set(err, ENOMEM, "out of memory");
        char *slash = strrchr(h, '/');
        *slash = '\0';
        _cleanup_close_ int dirfd = open(*h ? h : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return rh_error_set(err, errno, "the directory of %s: %m", path);
        if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
                rnd = (unsigned)getpid();
        snprintf(tmp, sizeof(tmp), ".runc-harden-%08x", rnd);
        int r = 0;
        if (text ? symlinkat(text, dirfd, tmp) < 0 : linkat(AT_FDCWD, hf, dirfd, tmp, 0) < 0) {
                if (!text && errno == EXDEV)
                        r = copy_into(hf, dirfd, tmp, err);
                else
                        r = rh_error_set(err, errno, "%s %s beside %s: %m", text ? "symlink" : "link", text ?: from,
                                         path);
        }
        if (r == 0 && renameat(dirfd, tmp, dirfd, slash + 1) < 0)
                r = rh_error_set(err, errno, "rename over %s: %m", path);
        if (r < 0) {
                unlinkat(dirfd, tmp, 0);
                return r;
        }
        (void)fsync(dirfd); /* the rename is durable once the directory is */
        return 0;
}

/* --- the steps ------------------------------------------------------------------ */

struct step {
        size_t need; /* offset of its flag in struct sys */
        void (*show)(const struct sys *s, FILE *f);
        int (*run)(struct sys *s, rh_error_t *err);
        int (*rollback)(struct sys *s, rh_error_t *err);
};

#define NEED(flag) offsetof(struct sys, need.flag)

static const char *root_flag(const struct sys *s)
{
        static char buf[PATH_MAX + 16];
        if (STREQ(s->root, "/"))
                return "";
        snprintf(buf, sizeof(buf), " --root=%s", s->root);
        return buf;
}

static int divert_add(struct sys *s, rh_error_t *err)
{
        return sys_dpkg(s, "dpkg-divert",
                        (const char *[]){"--package", SYS_DIVERT_PACKAGE, "--no-rename", "--divert", s->private_path,
                                         "--add", s->target, NULL},
                        NULL, err);
}

static int divert_remove(struct sys *s, rh_error_t *err)
{
        return sys_dpkg(s, "dpkg-divert",
                        (const char *[]){"--package", SYS_DIVERT_PACKAGE, "--no-rename", "--remove", s->target, NULL},
                        NULL, err);
}

static void show_divert_add(const struct sys *s, FILE *f)
{
        fprintf(f, "dpkg-divert%s --package %s --no-rename --divert %s --add %s   (upgrades of runc go there)",
                root_flag(s), SYS_DIVERT_PACKAGE, s->private_path, s->target);
}

static void show_divert_remove(const struct sys *s, FILE *f)
{
        fprintf(f, "dpkg-divert%s --package %s --no-rename --remove %s", root_flag(s), SYS_DIVERT_PACKAGE, s->target);
}

/* mkdir -p, remembering what it made for the rollback. */
static int mkdir_private(struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *dir = strdup(s->private_dir);
        if (!dir)
                return rh_error_set(err, ENOMEM, "out of memory");
        for (char *p = dir + 1;; p++) {
                if (*p != '/' && *p != '\0')
                        continue;
                char c = *p;
                *p = '\0';
                if (!sys_exists(s, dir)) {
                        _cleanup_free_ char *h = sys_host_path(s, dir);
                        if (!h)
                                return rh_error_set(err, ENOMEM, "out of memory");
                        if (s->n_made >= ARRAY_SIZE(s->made))
                                return rh_error_set(err, ENAMETOOLONG, "mkdir %s: more than %zu directories to make",
                                                    dir, ARRAY_SIZE(s->made));
                        if (mkdir(h, 0755) < 0)
                                return rh_error_set(err, errno, "mkdir %s: %m", dir);
                        if (!(s->made[s->n_made] = strdup(dir)))
                                return rh_error_set(err, ENOMEM, "out of memory");
                        s->n_made++;
                }
                if (!(*p = c))
                        return 0;
        }
}

static int rmdir_made(struct sys *s, rh_error_t *err)
{
        while (s->n_made > 0) {
                _cleanup_free_ char *h = sys_host_path(s, s->made[s->n_made - 1]);
                if (!h || rmdir(h) < 0)
                        return rh_error_set(err, h ? errno : ENOMEM, "rmdir %s: %m", s->made[s->n_made - 1]);
                free(s->made[--s->n_made]);
        }
        return 0;
}

static int rmdir_private(struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *h = sys_host_path(s, s->private_dir);
        if (!h || rmdir(h) < 0)
                return rh_error_set(err, h ? errno : ENOMEM, "rmdir %s: %m", s->private_dir);
        return 0;
}

static void show_mkdir(const struct sys *s, FILE *f)
{
        fprintf(f, "mkdir -p -m 0755 %s", s->private_dir);
}

static int link_private(struct sys *s, rh_error_t *err)
{
        return place(s, s->private_path, NULL, s->target, err);
}

static int unlink_private(struct sys *s, rh_error_t *err)
{
        _cleanup_free_ char *h = sys_host_path(s, s->private_path);
        if (!h || unlink(h) < 0)
                return rh_error_set(err, h ? errno : ENOMEM, "rm %s: %m", s->private_path);
        return 0;
}

/* --undo: the private name goes, and its directory if nothing else is in it. */
static int unlink_private_and_dir(struct sys *s, rh_error_t *err)
{
        rh_error_t ignored = RH_ERROR_INIT;
        int r = unlink_private(s, err);
        if (r == 0)
                rmdir_private(s, &ignored);
        rh_error_clear(&ignored);
        return r;
}

static void show_link(const struct sys *s, FILE *f)
{
        fprintf(f, "ln %s %s   (the real runc, where runc-harden hands off to)", s->target, s->private_path);
}

static void show_unlink(const struct sys *s, FILE *f)
{
        fprintf(f, "rm %s; rmdir %s", s->private_path, s->private_dir);
}

static int swap_in(struct sys *s, rh_error_t *err)
{
        return place(s, s->target, s->binary, NULL, err);
}

/* Back to what the target was before this run: the real runc, or the
 * symlink an earlier setup made. */
static int swap_in_rollback(struct sys *s, rh_error_t *err)
{
        if (s->tstate == TARGET_OURS && s->link_text)
                return place(s, s->target, s->link_text, NULL, err);
        return place(s, s->target, NULL, s->private_path, err);
}

static int swap_out(struct sys *s, rh_error_t *err)
{
        return place(s, s->target, NULL, s->private_path, err);
}

static int swap_out_rollback(struct sys *s, rh_error_t *err)
{
        return place(s, s->target, s->link_text ?: s->binary, NULL, err);
}

static void show_swap_in(const struct sys *s, FILE *f)
{
        fprintf(f, "ln -s %s %s.new && mv -T %s.new %s   (runc is runc-harden, never missing)", s->binary, s->target,
                s->target, s->target);
}

static void show_swap_out(const struct sys *s, FILE *f)
{
        fprintf(f, "ln %s %s.new && mv -T %s.new %s   (the real runc back)", s->private_path, s->target, s->target,
                s->target);
}

static int dropin_put(struct sys *s, rh_error_t *err)
{
        s->dropin_new = s->dropin_old || sys_exists(s, SYS_DROPIN_DIR) ? dropin_text : dropin_text_made_dir;
        return dropin_write(s, s->dropin_new, err);
}

static int dropin_put_rollback(struct sys *s, rh_error_t *err)
{
        return s->dropin_old ? dropin_write(s, s->dropin_old, err) : dropin_remove(s, s->dropin_new, err);
}

static int dropin_take(struct sys *s, rh_error_t *err)
{
        return dropin_remove(s, s->dropin_old, err);
}

static int dropin_take_rollback(struct sys *s, rh_error_t *err)
{
        return dropin_write(s, s->dropin_old, err);
}

static void show_dropin_put(const struct sys *s, FILE *f)
{
        (void)s;
        fprintf(f, "write %s: [engine] runtime = \"runc\"   (podman's default runtime)", SYS_DROPIN);
}

static void show_dropin_take(const struct sys *s, FILE *f)
{
        (void)s;
        fprintf(f, "rm %s", SYS_DROPIN);
}

static const struct step setup_steps[] = {
        {NEED(mkdir), show_mkdir, mkdir_private, rmdir_made},
        {NEED(link), show_link, link_private, unlink_private},
        {NEED(divert), show_divert_add, divert_add, divert_remove},
        {NEED(swap), show_swap_in, swap_in, swap_in_rollback},
        {NEED(dropin), show_dropin_put, dropin_put, dropin_put_rollback},
};

static const struct step undo_steps[] = {
        {NEED(dropin), show_dropin_take, dropin_take, dropin_take_rollback},
        {NEED(swap), show_swap_out, swap_out, swap_out_rollback},
        {NEED(divert), show_divert_remove, divert_remove, divert_add},
        {NEED(link), show_unlink, unlink_private_and_dir, link_private},
};

/* The steps done so far, for the rollback: room for the longer list. */
#define MAX_STEPS (ARRAY_SIZE(setup_steps) > ARRAY_SIZE(undo_steps) ? ARRAY_SIZE(setup_steps) : ARRAY_SIZE(undo_steps))

static void rollback(struct sys *s, const struct step *steps, const size_t *done, size_t n_done)
{
        fprintf(stderr, "runc-harden: setup system: %s\n",
                n_done ? "rolling back what was done:" : "nothing was changed");
        while (n_done-- > 0) {
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                const struct step *st = &steps[done[n_done]];
                fprintf(stderr, "  undoing: ");
                st->show(s, stderr);
                if (st->rollback(s, &err) < 0)
                        fprintf(stderr, "\n    FAILED: %s: put it back by hand\n", rh_error_msg(&err));
                else
                        fprintf(stderr, "\n    undone\n");
        }
}

static void say_done(const struct sys *s)
{
        if (s->undo && !s->diverted) {
                printf("runc-harden: %s removed; runc-harden was not the system's runc\n", SYS_DROPIN);
                return;
        }
        if (s->undo) {
                printf("runc-harden: %s is the real runc again, no longer diverted%s\n", s->target,
                       s->need.dropin ? "; podman's default runtime is its own again" : "");
                return;
        }
        printf("runc-harden: %s is runc-harden now (a symlink to %s); the real runc is %s, where dpkg puts runc's "
               "upgrades and runc-harden hands off to.\n"
               "From their next container on, docker's built-in runtime \"runc\", containerd's runc shim (ctr run, the "
               "CRI handler runc)%s are checked.\n"
               "Check what is left with: runc-harden audit. Undo with: runc-harden setup system --undo\n",
               s->target, s->binary, s->private_path, s->podman ? " and podman's default runtime" : "");
}

int sys_run(struct sys *s)
{
        const struct step *steps = s->undo ? undo_steps : setup_steps;
        size_t n = s->undo ? ARRAY_SIZE(undo_steps) : ARRAY_SIZE(setup_steps), n_done = 0, k = 0;
        size_t done[MAX_STEPS];
        const char *what = s->undo ? "setup system --undo" : "setup system";

        for (size_t i = 0; i < n; i++)
                k += *(bool *)((char *)s + steps[i].need);
        if (k == 0) {
                printf("runc-harden: %s: nothing to do: %s\n", what,
                       s->undo ? "runc-harden is not the system's runc" : "runc-harden is the system's runc already");
                return EXIT_OK;
        }
        printf("runc-harden: %s%s%s%s:\n", what, STREQ(s->root, "/") ? "" : " below ",
               STREQ(s->root, "/") ? "" : s->root, s->dry_run ? " (dry run: nothing is changed)" : "");
        for (size_t i = 0, num = 1; i < n; i++) {
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                if (!*(bool *)((char *)s + steps[i].need))
                        continue;
                printf("  %zu. ", num++);
                steps[i].show(s, stdout);
                printf("\n");
                fflush(stdout);
                if (s->dry_run)
                        continue;
                if (steps[i].run(s, &err) < 0) {
                        fprintf(stderr, "runc-harden: %s: step failed: %s\n", what, rh_error_msg(&err));
                        rollback(s, steps, done, n_done);
                        return EXIT_DENIED;
                }
                done[n_done++] = i;
        }
        if (!s->dry_run)
                say_done(s);
        return EXIT_OK;
}
