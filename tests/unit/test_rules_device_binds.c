/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

/* linux.devices as host bind sources (policy/rules/devices.c and the bind
 * rules through hostpath.c): with a user namespace runc 1.1.5 binds the
 * host's file at each entry's path instead of making the node. The paths
 * are real files of this host: /dev/zero, /dev/fuse, a pty this test
 * opens, files in a scratch directory. */

static const char *const judged[] = {"devices", "kernel-mounts", "engine-socket", "sensitive-mount", NULL};

#define USERNS                                                                                                         \
        "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"                                                   \
        "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"                                      \
        "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
#define NO_USERNS "\"namespaces\":[{\"type\":\"mount\"}],"

/* The findings of the rules above for a spec whose linux object holds ns
 * (USERNS or NO_USERNS) and the devices (a JSON array). */
static struct eval dev_eval(const char *ns, const char *devices, bool offline)
{
        _cleanup_policy_ struct policy *p = policy_only(judged);
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"linux\":{%s\"devices\":%s}}", ns, devices) > 0);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        struct eval ev = {0};

        s->offline = offline;
        evaluate(p, s, CHECK_CONFIG, &ev);
        return ev;
}

/* One device entry: {"path": path, "type": type, "major": ma, "minor": mi}. */
static char *one(const char *path, const char *type, int ma, int mi)
{
        char *s = NULL;
        ck_assert(asprintf(&s, "[{\"path\":\"%s\",\"type\":\"%s\",\"major\":%d,\"minor\":%d}]", path, type, ma, mi) >
                  0);
        return s;
}

static const struct finding *find_at(const struct eval *ev, const char *rule, const char *pointer)
{
        for (size_t i = 0; i < ev->n; i++)
                if (STREQ(ev->findings[i].rule, rule) && STREQ(ev->findings[i].pointer, pointer))
                        return &ev->findings[i];
        return NULL;
}

static void expect_denied(const struct eval *ev, const char *rule, const char *pointer, const char *words,
                          const char *what)
{
        const struct finding *f = find_at(ev, rule, pointer);
        ck_assert_msg(f, "%s: no %s finding at %s (%zu findings, first %s: %s)", what, rule, pointer, ev->n,
                      ev->n ? ev->findings[0].rule : "", ev->n ? ev->findings[0].message : "");
        ck_assert_msg(f->action == ACTION_DENY, "%s: %s, not deny", what, action_name(f->action));
        ck_assert_msg(strstr(f->message, words), "%s: \"%s\" lacks \"%s\"", what, f->message, words);
}

static void expect_clean(const struct eval *ev, const char *what)
{
        ck_assert_msg(ev->n == 0, "%s: %zu finding(s), first %s at %s: %s", what, ev->n,
                      ev->n ? ev->findings[0].rule : "", ev->n ? ev->findings[0].pointer : "",
                      ev->n ? ev->findings[0].message : "");
}

START_TEST(test_a_host_terminal_listed_in_a_user_namespace_is_denied)
{
        _cleanup_close_ int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        ck_assert_int_ge(m, 0);
        ck_assert_int_eq(grantpt(m), 0);
        ck_assert_int_eq(unlockpt(m), 0);
        const char *pts = ptsname(m);
        struct stat st;
        ck_assert_int_eq(stat(pts, &st), 0);
        _cleanup_free_ char *d = one(pts, "c", 136, (int)minor(st.st_rdev));

        struct eval ev = dev_eval(USERNS, d, false);
        expect_denied(&ev, "kernel-mounts", "/linux/devices/0/path", "the host's devpts", "a host pty");
        ck_assert_ptr_null(find(&ev, "devices")); /* it is the device it says it is */
        eval_done(&ev);
        /* lint, on this host: statfs() still says devpts */
        ev = dev_eval(USERNS, d, true);
        expect_denied(&ev, "kernel-mounts", "/linux/devices/0/path", "terminals", "a host pty, offline");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_host_file_listed_as_a_device_is_denied_with_or_without_a_user_namespace)
{
        _cleanup_free_ char *d = one("/etc/shadow", "c", 1, 3);
        struct eval ev = dev_eval(USERNS, d, false);
        expect_denied(&ev, "devices", "/linux/devices/0/path", "no device node", "/etc/shadow");
        expect_denied(&ev, "sensitive-mount", "/linux/devices/0/path", "the host's /etc/shadow read-write",
                      "/etc/shadow");
        eval_done(&ev);
        /* runc still binds it where mknod fails with EPERM */
        ev = dev_eval(NO_USERNS, d, false);
        expect_denied(&ev, "devices", "/linux/devices/0/path", "wherever mknod fails", "/etc/shadow, mknod");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_host_socket_listed_as_a_device_is_an_engine_socket)
{
        make_tmpdir();
        _cleanup_free_ char *sock = NULL, *pol = NULL, *d = NULL;
        ck_assert(asprintf(&sock, "%s/api.sock", tmpdir) > 0);
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
        ck_assert(asprintf(&pol, "{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":[\"%s\"]}}}}",
                           sock) > 0);
        d = one(sock, "c", 1, 3);

        _cleanup_policy_ struct policy *p = policy_from(pol);
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"linux\":{" USERNS "\"devices\":%s}}", d) > 0);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        expect_denied(&ev, "engine-socket", "/linux/devices/0/path", "through linux.devices", "a socket");
        expect_denied(&ev, "devices", "/linux/devices/0/path", "no device node", "a socket");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_device_of_other_numbers_is_denied_in_a_user_namespace)
{
        _cleanup_free_ char *d = one("/dev/zero", "c", 1, 3);
        struct eval ev = dev_eval(USERNS, d, false);
        expect_denied(&ev, "devices", "/linux/devices/0/path", "device c 1:5, not the c 1:3", "/dev/zero as 1:3");
        eval_done(&ev);
        /* mknod makes 1:3 wherever the path is: docker --device A:B */
        ev = dev_eval(NO_USERNS, d, false);
        expect_clean(&ev, "/dev/zero as 1:3, mknod");
        eval_done(&ev);
        _cleanup_free_ char *b = one("/dev/zero", "b", 1, 5);
        ev = dev_eval(USERNS, b, false);
        expect_denied(&ev, "devices", "/linux/devices/0/path", "not the b 1:5", "/dev/zero as a block device");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_missing_device_is_denied_only_where_runc_binds_on_this_host)
{
        _cleanup_free_ char *d = one("/dev/rh-unit-no-such-device", "c", 1, 3);
        struct eval ev = dev_eval(USERNS, d, false);
        expect_denied(&ev, "devices", "/linux/devices/0/path", "not a file on this host", "missing, userns");
        eval_done(&ev);
        ev = dev_eval(NO_USERNS, d, false);
        expect_clean(&ev, "missing, mknod");
        eval_done(&ev);
        ev = dev_eval(USERNS, d, true);
        expect_clean(&ev, "missing, lint (another host's /dev)");
        eval_done(&ev);
}
END_TEST

START_TEST(test_the_hosts_device_nodes_pass_in_a_user_namespace)
{
        const char *d = "[{\"path\":\"/dev/zero\",\"type\":\"c\",\"major\":1,\"minor\":5},"
                        "{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229},"
                        "{\"path\":\"/dev/ptmx\",\"type\":\"c\",\"major\":5,\"minor\":2},"
                        "{\"path\":\"/dev//./null\",\"type\":\"c\",\"major\":1,\"minor\":3}]";
        struct eval ev = dev_eval(USERNS, d, false);
        expect_clean(&ev, "zero, fuse, ptmx, null");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_fifo_in_a_user_namespace_is_the_hosts_fifo)
{
        make_tmpdir();
        _cleanup_free_ char *fifo = NULL, *d = NULL;
        ck_assert(asprintf(&fifo, "%s/initctl", tmpdir) > 0);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        d = one(fifo, "p", 0, 0);
        struct eval ev = dev_eval(USERNS, d, false);
        expect_denied(&ev, "devices", "/linux/devices/0/path", "no device node", "a host FIFO");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_relative_device_path_is_spec_invalid)
{
        _cleanup_free_ char *d = one("dev/null", "c", 1, 3);
        struct eval ev = dev_eval(USERNS, d, false);
        expect_denied(&ev, "spec-invalid", "/linux/devices/0/path", "container's root file system", "relative");
        eval_done(&ev);
}
END_TEST

static Suite *device_binds_suite(void)
{
        Suite *s = suite_create("device-binds");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_a_host_terminal_listed_in_a_user_namespace_is_denied);
        tcase_add_test(tc, test_a_host_file_listed_as_a_device_is_denied_with_or_without_a_user_namespace);
        tcase_add_test(tc, test_a_host_socket_listed_as_a_device_is_an_engine_socket);
        tcase_add_test(tc, test_a_device_of_other_numbers_is_denied_in_a_user_namespace);
        tcase_add_test(tc, test_a_missing_device_is_denied_only_where_runc_binds_on_this_host);
        tcase_add_test(tc, test_the_hosts_device_nodes_pass_in_a_user_namespace);
        tcase_add_test(tc, test_a_fifo_in_a_user_namespace_is_the_hosts_fifo);
        tcase_add_test(tc, test_a_relative_device_path_is_spec_invalid);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(device_binds_suite)
