/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "util.h"

void rh_log_open(struct rh_log *log, const char *path, const char *format)
{
        log->fd = -1;
        log->json = format && STREQ(format, "json");
        if (path && *path)
                log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

void rh_log_close(struct rh_log *log)
{
        if (log->fd >= 0)
                close(log->fd);
        log->fd = -1;
}

/* RFC 3339 with nanoseconds, as logrus writes it. */
static void now_rfc3339(char *buf, size_t size)
{
        struct timespec ts;
        struct tm tm;
        char base[32];

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf, size, "%s.%09ldZ", base, ts.tv_nsec);
}

static char *json_record(const char *level, const char *msg, const char *time)
{
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *out;
        size_t len;
        char *line = NULL;

        if (!g)
                return NULL;
        yajl_gen_map_open(g);
        yajl_gen_string(g, (const unsigned char *) "level", 5);
        yajl_gen_string(g, (const unsigned char *) level, strlen(level));
        yajl_gen_string(g, (const unsigned char *) "msg", 3);
        yajl_gen_string(g, (const unsigned char *) msg, strlen(msg));
        yajl_gen_string(g, (const unsigned char *) "time", 4);
        yajl_gen_string(g, (const unsigned char *) time, strlen(time));
        yajl_gen_map_close(g);
        if (yajl_gen_get_buf(g, &out, &len) == yajl_gen_status_ok && asprintf(&line, "%.*s\n", (int) len, out) < 0)
                line = NULL;
        yajl_gen_free(g);
        return line;
}

/* logrus' text formatter quotes values as Go's %q does. */
static char *text_record(const char *level, const char *msg, const char *time)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return NULL;
        fprintf(f, "time=\"%s\" level=%s msg=\"", time, level);
        for (const unsigned char *p = (const unsigned char *) msg; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                else if (*p == '\n')
                        fputs("\\n", f);
                else if (*p < 0x20)
                        fprintf(f, "\\x%02x", *p);
                else
                        fputc(*p, f);
        }
        fputs("\"\n", f);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static void write_once(int fd, const char *s)
{
        size_t len = strlen(s);
        while (len) {
                ssize_t w = write(fd, s, len);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return;
                s += w;
                len -= (size_t) w;
        }
}

void rh_log_write(const struct rh_log *log, const char *level, const char *msg)
{
        char time[64];
        _cleanup_free_ char *line = NULL;

        if (log->fd < 0) {
                if (asprintf(&line, "%s\n", msg) >= 0)
                        write_once(STDERR_FILENO, line);
                return;
        }
        now_rfc3339(time, sizeof(time));
        line = log->json ? json_record(level, msg, time) : text_record(level, msg, time);
        if (line)
                write_once(log->fd, line);
        /* As runc does with a fatal error: containerd reads the log after a
         * failed create, but after a failed update it shows only stderr. */
        if (STREQ(level, "error")) {
                _cleanup_free_ char *plain = NULL;
                if (asprintf(&plain, "%s\n", msg) >= 0)
                        write_once(STDERR_FILENO, plain);
        }
}

int rh_append_line(const char *path, const char *line)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        size_t len = strlen(line);

        if (fd < 0)
                return -errno;
        ssize_t w = write(fd, line, len);
        if (w < 0)
                return -errno;
        return (size_t) w == len ? 0 : -EIO;
}
