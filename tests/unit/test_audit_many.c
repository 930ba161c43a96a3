/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit_testutil.h"

/* The audit over hosts with more than a fixed table would hold: each
 * listening port and each file is reported once, however many there are
 * (the ports seen are a bit per port, the files seen a growing list). */

START_TEST(test_each_port_is_reported_once_past_sixty_four_ports)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        _cleanup_free_ char *tcp = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&tcp, &len);

        fake_containers();
        ck_assert_ptr_nonnull(f);
        fputs(tcp_header, f);
        /* 100 listeners on ports 20000..20099, then the last ones again
         * (SO_REUSEPORT sockets, or IPv4 and a second address) */
        for (unsigned i = 0; i < 100; i++)
                fprintf(f, "%4u: 00000000:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 %u\n", i,
                        20000 + i, i + 1);
        for (unsigned i = 90; i < 100; i++)
                fprintf(f, "%4u: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 %u\n",
                        i + 100, 20000 + i, i + 101);
        fclose(f);
        put("/proc/100/net/tcp", tcp);

        containers_ok((struct audit_container_input){0}, &c);
        /* 100 TCP ports and UDP 5353 */
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-ports"), 101);
}
END_TEST

/* 100 registry certificates group-writable, each reached by two names
 * (certs.d/b is a symlink to certs.d/a): one finding each. */
START_TEST(test_each_file_is_reported_once_past_sixty_four_files)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        size_t n = 0;

        put_dir("/etc/docker/certs.d/a", 0755, 0, 0);
        for (int i = 0; i < 100; i++) {
                char p[64];
                snprintf(p, sizeof(p), "/etc/docker/certs.d/a/%03d.crt", i);
                put_bytes(p, "x", 1, 0666, 0, 0);
        }
        ck_assert_int_eq(symlink("a", at("/etc/docker/certs.d/b")), 0);
        audit_ok((struct audit_input){0}, &res);
        for (size_t i = 0; i < res.host.n; i++)
                if (strstr(res.host.findings[i].pointer, ".crt"))
                        n++;
        ck_assert_uint_eq(n, 100);
}
END_TEST

static Suite *audit_many_suite(void)
{
        Suite *s = suite_create("audit_many");
        TCase *tc = tcase_create("many");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_each_port_is_reported_once_past_sixty_four_ports);
        tcase_add_test(tc, test_each_file_is_reported_once_past_sixty_four_files);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(audit_many_suite)
