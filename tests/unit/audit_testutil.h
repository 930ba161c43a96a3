/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "audit/internal.h"
#include "testutil.h"
#include "util.h"

/* The audit's checks over fake hosts: each test builds a root directory
 * (files, modes, owners, a fake /proc) and runs the checks on it. Tests
 * run as root, so chown to 0 and to 1000 both work. */

static char root[64];

static inline void setup(void)
{
        strcpy(root, "/tmp/rh-audit-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(root));
}

static inline void teardown(void)
{
        remove_tree(root);
}

static inline char *at(const char *path)
{
        static char buf[4][512];
        static int k;
        k = (k + 1) % 4;
        if (snprintf(buf[k], sizeof(buf[k]), "%s%s", root, path) >= (int)sizeof(buf[k]))
                ck_abort_msg("path too long: %s", path);
        return buf[k];
}

static inline void mkdirs(const char *path)
{
        char tmp[512];
        snprintf(tmp, sizeof(tmp), "%s", at(path));
        for (char *p = tmp + strlen(root) + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        mkdir(tmp, 0755);
                        *p = '/';
                }
        mkdir(tmp, 0755);
}

static inline void parent_dirs(const char *path)
{
        char dir[512];
        snprintf(dir, sizeof(dir), "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
                *slash = '\0';
                mkdirs(dir);
        }
}

/* A file under the fake root with bytes, mode and owner. */
static inline void put_bytes(const char *path, const char *data, size_t len, mode_t mode, uid_t uid, gid_t gid)
{
        parent_dirs(path);
        int fd = open(at(path), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
        close(fd);
        ck_assert_int_eq(chmod(at(path), mode), 0);
        ck_assert_int_eq(chown(at(path), uid, gid), 0);
}

static inline void put(const char *path, const char *text)
{
        put_bytes(path, text, strlen(text), 0644, 0, 0);
}

/* runc-harden's binary at path in the fake host, for audit_input's
 * runc_harden: runtimes are runc-harden by its device and inode. */
static inline const char *harden_at(const char *path)
{
        put_bytes(path, "\177ELF", 4, 0755, 0, 0);
        return at(path);
}

static inline void put_dir(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
        mkdirs(path);
        ck_assert_int_eq(chmod(at(path), mode), 0);
        ck_assert_int_eq(chown(at(path), uid, gid), 0);
}

static inline const char *fixture(const char *name)
{
        static char buf[512];
        const char *dir = getenv("RH_TEST_DATA");
        snprintf(buf, sizeof(buf), "%s/audit/%s", dir ? dir : "tests/data", name);
        return buf;
}

/* A running dockerd in the fake /proc: comm and NUL-separated cmdline. */
static inline void fake_dockerd(int pid, const char *const *args)
{
        char path[64], cmdline[2048];
        size_t n = 0;
        for (const char *const *a = args; *a; a++) {
                size_t l = strlen(*a) + 1;
                memcpy(cmdline + n, *a, l);
                n += l;
        }
        snprintf(path, sizeof(path), "/proc/%d/comm", pid);
        put(path, "dockerd\n");
        snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
        put_bytes(path, cmdline, n, 0444, 0, 0);
}

struct run {
        struct audit_result res;
};

/* Results are declared with these and filled by audit_ok() and
 * containers_ok(), which release what the result held before: a test
 * runs the audit as often as it likes and frees nothing by hand. */
#define _cleanup_audit_result_ _cleanup_(audit_result_done)
#define _cleanup_audit_containers_ _cleanup_(audit_containers_done)

static inline void audit_names_freep(char ***names)
{
        audit_names_free(*names);
}

static inline void audit_ok(struct audit_input in, struct audit_result *res)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        audit_result_done(res);
        if (!in.root)
                in.root = root;
        int r = audit_run(&in, res, &err);
        ck_assert_msg(r == 0, "audit failed: %s", rh_error_msg(&err));
}

static inline void dump(const struct eval *ev)
{
        for (size_t i = 0; i < ev->n; i++)
                fprintf(stderr, "  %s %s: %s\n", ev->findings[i].rule, ev->findings[i].pointer,
                        ev->findings[i].message);
}

/* The finding of id at pointer; the test fails without one. */
static inline const struct finding *find_at(const struct eval *ev, const char *id, const char *pointer)
{
        for (size_t i = 0; i < ev->n; i++)
                if (strcmp(ev->findings[i].rule, id) == 0 && strcmp(ev->findings[i].pointer, pointer) == 0)
                        return &ev->findings[i];
        dump(ev);
        ck_abort_msg("no %s finding at %s", id, pointer);
        return NULL;
}

static inline bool has_note(const struct audit_result *res, const char *part)
{
        for (size_t i = 0; i < res->notes.n; i++)
                if (strstr(res->notes.v[i], part))
                        return true;
        return false;
}

/* The TLS files hardened.json names, root-owned with proper modes. */
static inline void put_tls_files(void)
{
        put("/etc/docker/tls/ca.pem", "ca");
        put("/etc/docker/tls/server-cert.pem", "cert");
        put_bytes("/etc/docker/tls/server-key.pem", "key", 3, 0400, 0, 0);
}

/* ------------------------------------------------------------ containers */

static const char tcp_header[] =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

/* Container c1 (pid 100): listens on TCP 8081 (and has a connection from
 * port 80 that is not a listener), UDP 5353 bound; sshd (pid 101) in its
 * pid namespace. Container c2 (pid 200): nothing. */
static inline void fake_containers(void)
{
        char tcp[1024];
        snprintf(tcp, sizeof(tcp),
                 "%s   0: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n"
                 "   1: 0100007F:0050 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2\n",
                 tcp_header);
        put("/proc/100/net/tcp", tcp);
        put("/proc/100/net/udp", "   sl  local_address rem_address   st\n"
                                 "  10: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000\n");
        put("/ns/c1", "");
        put("/ns/c2", "");
        mkdirs("/proc/100/ns");
        mkdirs("/proc/101/ns");
        mkdirs("/proc/200/ns");
        mkdirs("/proc/201/ns");
        ck_assert_int_eq(symlink(at("/ns/c1"), at("/proc/100/ns/pid")), 0);
        ck_assert_int_eq(symlink(at("/ns/c1"), at("/proc/101/ns/pid")), 0);
        ck_assert_int_eq(symlink(at("/ns/c2"), at("/proc/200/ns/pid")), 0);
        ck_assert_int_eq(symlink(at("/ns/c2"), at("/proc/201/ns/pid")), 0);
        put("/proc/100/comm", "busybox\n");
        put("/proc/101/comm", "sshd\n");
        put("/proc/200/comm", "sleep\n");
        put("/proc/201/comm", "nginx\n");
        put("/bundles/c1/config.json", "{\"ociVersion\": \"1.0.2\", \"annotations\": {}}");
        put("/bundles/c2/config.json", "{\"ociVersion\": \"1.0.2\"}");
}

static char list_json[1024];

static inline const char *runc_list(void)
{
        snprintf(list_json, sizeof(list_json),
                 "[{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"pid\":100,\"status\":\"running\","
                 "\"bundle\":\"/bundles/c1\",\"rootfs\":\"/r\",\"created\":\"2026-01-01T00:00:00Z\",\"owner\":\"\"},"
                 "{\"ociVersion\":\"1.0.2\",\"id\":\"c2\",\"pid\":200,\"status\":\"running\",\"bundle\":\"/bundles/"
                 "c2\"},"
                 "{\"ociVersion\":\"1.0.2\",\"id\":\"c3\",\"pid\":0,\"status\":\"stopped\",\"bundle\":\"/b3\"}]");
        return list_json;
}

static inline void containers_ok(struct audit_container_input in, struct audit_containers *ret)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        audit_containers_done(ret);
        in.root = root;
        in.list_json = in.list_json ?: runc_list();
        int r = audit_containers_check(&in, ret, &err);
        ck_assert_msg(r == 0, "%s", rh_error_msg(&err));
}
