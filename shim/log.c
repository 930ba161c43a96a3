/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "escape.h"
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
        yajl_gen_string(g, (const unsigned char *)"level", 5);
        yajl_gen_string(g, (const unsigned char *)level, strlen(level));
        yajl_gen_string(g, (const unsigned char *)"msg", 3);
        yajl_gen_string(g, (const unsigned char *)msg, strlen(msg));
        yajl_gen_string(g, (const unsigned char *)"time", 4);
        yajl_gen_string(g, (const unsigned char *)time, strlen(time));
        yajl_gen_map_close(g);
        if (yajl_gen_get_buf(g, &out, &len) == yajl_gen_status_ok && asprintf(&line, "%.*s\n", (int)len, out) < 0)
                line = NULL;
        yajl_gen_free(g);
        return line;
}

/* logrus' text formatter quotes values as Go's %q does. */
static char *text_record(const char *level, const char *msg, const char *time)
{
        _cleanup_free_ char *quoted = rh_escape(msg, ESCAPE_QUOTED);
        char *line = NULL;

        if (!quoted || asprintf(&line, "time=\"%s\" level=%s msg=\"%s\"\n", time, level, quoted) < 0)
                return NULL;
        return line;
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
                len -= (size_t)w;
        }
}

/* Engines show the message as it comes: stderr raw (podman, ctr), the
 * JSON log's msg decoded and then raw (containerd). So the message itself
 * is escaped in every format; JSON only adds its own quoting on top. */
void rh_log_write(const struct rh_log *log, const char *level, const char *msg)
{
        char time[64];
        _cleanup_free_ char *line = NULL, *shown = rh_escape(msg, ESCAPE_TEXT);

        if (!shown)
                return;
        if (log->fd < 0) {
                if (asprintf(&line, "%s\n", shown) >= 0)
                        write_once(STDERR_FILENO, line);
                return;
        }
        now_rfc3339(time, sizeof(time));
        line = log->json ? json_record(level, shown, time) : text_record(level, msg, time);
        if (line)
                write_once(log->fd, line);
        /* As runc does with a fatal error: containerd reads the log after a
         * failed create, but after a failed update it shows only stderr. */
        if (STREQ(level, "error")) {
                _cleanup_free_ char *plain = NULL;
                if (asprintf(&plain, "%s\n", shown) >= 0)
                        write_once(STDERR_FILENO, plain);
        }
}

void rh_say(FILE *f, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL, *shown = NULL, *line = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (!msg || !(shown = rh_escape(msg, ESCAPE_TEXT)) || asprintf(&line, "%s\n", shown) < 0) {
                fputs("runc-harden: out of memory\n", f);
                return;
        }
        fflush(f);
        write_once(fileno(f), line);
}
