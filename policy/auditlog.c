/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "auditlog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Creates the missing directories above path, mode 0700, from the first
 * that exists down. */
static int make_parents(const char *path)
{
        _cleanup_free_ char *dir = strdup(path);
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (!slash || slash == dir)
                return -ENOENT;
        *slash = '\0';
        if (mkdir(dir, 0700) == 0 || errno == EEXIST)
                return 0;
        if (errno != ENOENT)
                return -errno;
        int r = make_parents(dir);
        if (r < 0)
                return r;
        return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -errno;
}

static int open_log(const char *path, rh_error_t *err)
{
        const int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
        int fd = open(path, flags, 0600);
        struct stat st;

        if (fd < 0 && errno == ENOENT) {
                int r = make_parents(path);
                if (r < 0)
                        return rh_error_set(err, -r, "cannot create the directory of %s: %s", path, strerror(-r));
                fd = open(path, flags, 0600);
        }
        if (fd < 0)
                return rh_error_set(err, errno, "%s: %m", path);
        /* A FIFO or device there would block or swallow the record. */
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return rh_error_set(err, EINVAL, "%s is not a regular file", path);
        }
        return fd;
}

static char *numbered(const char *path, unsigned i)
{
        char *s = NULL;
        if (asprintf(&s, "%s.%u", path, i) < 0)
                return NULL;
        return s;
}

/* PATH.(keep-1) -> PATH.keep, ..., PATH -> PATH.1; with keep 0 the log is
 * emptied instead. Called with the old file locked, after checking that
 * PATH still names it. */
static int rotate(const struct auditlog *a, int fd)
{
        if (a->keep == 0)
                return ftruncate(fd, 0) < 0 ? -errno : 0;
        for (unsigned i = a->keep; i > 1; i--) {
                _cleanup_free_ char *from = numbered(a->path, i - 1), *to = numbered(a->path, i);
                if (!from || !to)
                        return -ENOMEM;
                if (rename(from, to) < 0 && errno != ENOENT)
                        return -errno;
        }
        _cleanup_free_ char *first = numbered(a->path, 1);
        if (!first)
                return -ENOMEM;
        return rename(a->path, first) < 0 ? -errno : 0;
}

/* When line does not fit, rotates (once among concurrent writers) and
 * points *fd at the new file. On failure *fd is still the old file, which
 * the record then goes to: the bound is the lesser loss. */
static int rotate_if_full(const struct auditlog *a, int *fd, size_t len, rh_error_t *err)
{
        struct stat st, now;

        if (fstat(*fd, &st) < 0)
                return rh_error_set(err, errno, "%s: %m", a->path);
        if (st.st_size == 0 || (uint64_t)st.st_size + len <= a->max_size)
                return 0;
        if (flock(*fd, LOCK_EX) < 0)
                return rh_error_set(err, errno, "%s: lock: %m", a->path);
        /* Another writer may have rotated it while we waited: then the
         * path names a new file and ours is PATH.1. */
        bool ours = stat(a->path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino;
        int r = ours ? rotate(a, *fd) : 0;
        flock(*fd, LOCK_UN);
        if (r < 0)
                return rh_error_set(err, -r, "%s: rotating: %s", a->path, strerror(-r));
        if (a->keep == 0)
                return 0;
        int nfd = open_log(a->path, err);
        if (nfd < 0)
                return nfd;
        close(*fd);
        *fd = nfd;
        return 0;
}

int auditlog_append(const struct auditlog *a, const char *line, rh_error_t *err)
{
        _cleanup_error_ rh_error_t rot = RH_ERROR_INIT;
        _cleanup_close_ int fd = -1;
        size_t len = strlen(line);

        if (!a->path)
                return 0;
        if ((fd = open_log(a->path, err)) < 0)
                return fd;
        int r = rotate_if_full(a, &fd, len, &rot);
        ssize_t n = write(fd, line, len);
        if (n < 0)
                return rh_error_set(err, errno, "%s: %m", a->path);
        if ((size_t)n != len)
                return rh_error_set(err, EIO, "%s: short write", a->path);
        if (r < 0) {
                rh_error_set(err, rot.code, "the record was written, but %s", rh_error_msg(&rot));
                return 1;
        }
        return 0;
}

void auditlog_time_format(time_t t, char *buf, size_t size)
{
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int auditlog_time_parse(const char *s, time_t now, time_t *ret)
{
        struct tm tm = {0};
        const char *end;
        char *num_end;

        if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) && !*end) {
                *ret = timegm(&tm);
                return 0;
        }
        tm = (struct tm){0};
        if ((end = strptime(s, "%Y-%m-%d", &tm)) && !*end) {
                *ret = timegm(&tm);
                return 0;
        }
        if (!isdigit((unsigned char)s[0]))
                return -EINVAL;
        errno = 0;
        unsigned long long n = strtoull(s, &num_end, 10);
        static const struct {
                const char *unit;
                unsigned long long secs;
        } units[] = {{"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 7 * 86400}};
        for (size_t i = 0; errno == 0 && i < ARRAY_SIZE(units); i++)
                if (STREQ(num_end, units[i].unit)) {
                        if (n > (unsigned long long)now / units[i].secs)
                                return -ERANGE;
                        *ret = now - (time_t)(n * units[i].secs);
                        return 0;
                }
        return -EINVAL;
}

static int read_one(const char *path, auditlog_record_fn fn, void *userdata, struct auditlog_read_stats *st,
                    rh_error_t *err)
{
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        struct stat sb;

        if (fd < 0)
                return errno == ENOENT ? 0 : rh_error_set(err, errno, "%s: %m", path);
        if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
                close(fd);
                return rh_error_set(err, EINVAL, "%s is not a regular file", path);
        }
        if (!(f = fdopen(fd, "r"))) {
                close(fd);
                return rh_error_set(err, errno, "%s: %m", path);
        }
        st->files++;
        while ((n = getline(&line, &cap, f)) > 0) {
                _cleanup_jdoc_ struct jdoc *d = NULL;
                _cleanup_error_ rh_error_t perr = RH_ERROR_INIT;
                /* A line cut by a crash or a full disk is skipped, counted. */
                if (jdoc_parse(line, (size_t)n, &d, &perr) < 0 || !jv_is(d->root, JV_OBJECT)) {
                        st->bad++;
                        continue;
                }
                st->lines++;
                int r = fn(d->root, userdata);
                if (r < 0)
                        return r;
        }
        if (ferror(f))
                return rh_error_set(err, EIO, "%s: read error", path);
        return 1;
}

int auditlog_read(const struct auditlog *a, auditlog_record_fn fn, void *userdata,
                  struct auditlog_read_stats *ret_stats, rh_error_t *err)
{
        struct auditlog_read_stats st = {0};
        bool any = false;
        int r;

        if (!a->path)
                return rh_error_set(err, ENOENT, "no audit log is set (audit-log is null)");
        for (unsigned i = a->keep; i >= 1; i--) {
                _cleanup_free_ char *p = numbered(a->path, i);
                if (!p)
                        return rh_error_set(err, ENOMEM, "out of memory");
                if ((r = read_one(p, fn, userdata, &st, err)) < 0)
                        return r;
                any |= r > 0;
        }
        if ((r = read_one(a->path, fn, userdata, &st, err)) < 0)
                return r;
        any |= r > 0;
        if (ret_stats)
                *ret_stats = st;
        if (!any)
                return rh_error_set(err, ENOENT, "%s: no audit log there yet", a->path);
        return 0;
}
