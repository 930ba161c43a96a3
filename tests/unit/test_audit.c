/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit_testutil.h"

/* ---------------------------------------------------------------- daemon */

START_TEST(test_a_hardened_daemon_json_has_no_daemon_findings)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put_tls_files();
        audit_ok((struct audit_input){.daemon_config = fixture("hardened.json"),
                                      .runc_harden = harden_at("/usr/bin/runc-harden")},
                 &res);
        if (res.daemon.n)
                dump(&res.daemon);
        ck_assert_uint_eq(res.daemon.n, 0);
        ck_assert_str_eq(res.daemon_path, fixture("hardened.json"));
}
END_TEST

START_TEST(test_dockerd_defaults_fail_every_option_check_but_aufs_and_tcp)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){0}, &res);
        const char *expected[] = {"daemon-live-restore",      "daemon-icc",
                                  "daemon-userland-proxy",    "daemon-userns-remap",
                                  "daemon-default-ulimits",   "daemon-log-driver",
                                  "daemon-log-rotation",      "daemon-default-ip",
                                  "daemon-no-new-privileges", "daemon-default-runtime"};
        for (size_t i = 0; i < sizeof(expected) / sizeof(*expected); i++)
                ck_assert_msg(count_rule(&res.daemon, expected[i]) == 1, "%s", expected[i]);
        ck_assert_uint_eq(res.daemon.n, sizeof(expected) / sizeof(*expected));
        ck_assert_str_eq(must_find(&res.daemon, "daemon-icc")->pointer, "/icc");
        ck_assert_int_eq(must_find(&res.daemon, "daemon-icc")->action, ACTION_DENY);
        ck_assert_int_eq(must_find(&res.daemon, "daemon-live-restore")->action, ACTION_WARN);
        ck_assert(has_note(&res, "daemon.json does not exist"));
        ck_assert(has_note(&res, "flags not checked"));
        char want[128];
        snprintf(want, sizeof(want), "%s/etc/docker/daemon.json", root);
        ck_assert_str_eq(res.daemon_path, want);
}
END_TEST

START_TEST(test_a_weak_daemon_json_fails_every_check_it_sets)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){.daemon_config = fixture("weak.json"),
                                      .runc_harden = harden_at("/usr/local/bin/runc-harden")},
                 &res);
        const char *expected[] = {"daemon-live-restore",         "daemon-icc",
                                  "daemon-userland-proxy",       "daemon-userns-remap",
                                  "daemon-default-ulimits",      "daemon-log-rotation",
                                  "daemon-storage-driver",       "daemon-remote-api-tls",
                                  "daemon-authorization-plugin", "daemon-default-ip",
                                  "daemon-no-new-privileges",    "daemon-default-runtime"};
        for (size_t i = 0; i < sizeof(expected) / sizeof(*expected); i++)
                ck_assert_msg(count_rule(&res.daemon, expected[i]) == 1, "%s", expected[i]);
        ck_assert_uint_eq(res.daemon.n, sizeof(expected) / sizeof(*expected));
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-log-driver"), 0);
        ck_assert(strstr(must_find(&res.daemon, "daemon-default-ulimits")->message, "for nproc:"));
        ck_assert(strstr(must_find(&res.daemon, "daemon-log-rotation")->message, "no max-file"));
        ck_assert_str_eq(must_find(&res.daemon, "daemon-remote-api-tls")->pointer, "/hosts/1");
        ck_assert(strstr(must_find(&res.daemon, "daemon-remote-api-tls")->message, "without TLS"));
        ck_assert(strstr(must_find(&res.daemon, "daemon-default-runtime")->message, "default runtime is runc"));
        ck_assert_str_eq(must_find(&res.daemon, "daemon-default-runtime")->pointer, "/default-runtime");
}
END_TEST

START_TEST(test_malformed_or_non_object_daemon_json_is_an_error)
{
        const char *files[] = {"malformed.json", "not-an-object.json"};
        for (size_t i = 0; i < 2; i++) {
                _cleanup_audit_result_ struct audit_result res = {0};
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                struct audit_input in = {.root = root, .daemon_config = fixture(files[i])};
                ck_assert_int_eq(audit_run(&in, &res, &err), -EINVAL);
                ck_assert_msg(strstr(rh_error_msg(&err), files[i]), "%s", rh_error_msg(&err));
                ck_assert(strstr(rh_error_msg(&err), i == 0 ? "not valid JSON" : "not a JSON object"));
        }
}
END_TEST

START_TEST(test_values_of_the_wrong_type_are_invalid_and_count_as_unset)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){.daemon_config = fixture("wrong-types.json")}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-config-invalid"), 6);
        const char *ptrs[] = {"/icc",
                              "/live-restore",
                              "/hosts",
                              "/log-opts/max-file",
                              "/authorization-plugins/1",
                              "/default-runtime"};
        for (size_t i = 0; i < 6; i++) {
                bool seen = false;
                for (size_t k = 0; k < res.daemon.n; k++)
                        if (!strcmp(res.daemon.findings[k].rule, "daemon-config-invalid") &&
                            !strcmp(res.daemon.findings[k].pointer, ptrs[i]))
                                seen = true;
                ck_assert_msg(seen, "no invalid finding at %s", ptrs[i]);
        }
        /* "icc": "false" is not false: dockerd would not start, and the
         * default (on) is what the check sees. */
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-icc"), 1);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-remote-api-tls"), 0);
}
END_TEST

START_TEST(test_the_last_of_duplicate_keys_counts_as_in_go)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json",
            "{\"icc\": true, \"icc\": false, \"default-runtime\": \"rh\", \"runtimes\": "
            "{\"rh\": {\"path\": \"/usr/bin/runc-harden\"}, \"rh\": {\"path\": \"/usr/bin/runc\"}}}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-icc"), 0);
        ck_assert(strstr(must_find(&res.daemon, "daemon-default-runtime")->message, "not registered"));
}
END_TEST

START_TEST(test_tls_without_verification_and_missing_cert_files_are_reported)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"hosts\": [\"tcp://0.0.0.0:2376\"], \"tls\": true, "
                                       "\"tlscacert\": \"/etc/docker/ca.pem\", \"tlscert\": \"/etc/docker/c.pem\", "
                                       "\"tlskey\": \"/etc/docker/k.pem\"}");
        put("/etc/docker/ca.pem", "ca");
        put("/etc/docker/c.pem", "c");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-remote-api-tls"), 2);
        ck_assert(strstr(must_find(&res.daemon, "daemon-remote-api-tls")->message, "without client verification"));
        bool key = false;
        for (size_t i = 0; i < res.daemon.n; i++)
                if (!strcmp(res.daemon.findings[i].pointer, "/tlskey"))
                        key = strstr(res.daemon.findings[i].message, "/etc/docker/k.pem does not exist") != NULL;
        ck_assert(key);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-authorization-plugin"), 1);
}
END_TEST

START_TEST(test_tlsverify_uses_roots_docker_dir_by_default_and_a_plugin_satisfies_authz)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json",
            "{\"hosts\": [\"192.0.2.1:2376\"], \"tlsverify\": true, \"authorization-plugins\": [\"opa\"]}");
        audit_ok((struct audit_input){0}, &res);
        /* A host without a scheme is TCP; the three default files are missing. */
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-remote-api-tls"), 3);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-authorization-plugin"), 0);
        put("/root/.docker/ca.pem", "ca");
        put("/root/.docker/cert.pem", "c");
        put("/root/.docker/key.pem", "k");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-remote-api-tls"), 0);
}
END_TEST

START_TEST(test_unix_and_fd_hosts_are_not_remote)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"hosts\": [\"unix:///var/run/docker.sock\", \"fd://\"]}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-remote-api-tls"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-authorization-plugin"), 0);
}
END_TEST

START_TEST(test_flags_of_a_running_dockerd_count_and_conflict_with_daemon_json)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_dockerd(4242, (const char *[]){"/usr/bin/dockerd", "--icc=false", "-H", "tcp://0.0.0.0:2375",
                                            "--live-restore", "--log-opt", "max-size=10m", "--log-opt=max-file=3",
                                            "--debug", "--default-ulimit", "nofile=1024:2048", "--default-ulimit",
                                            "nproc=512:1024", "--userland-proxy=0", NULL});
        put("/proc/1/comm", "systemd\n");
        put("/etc/docker/daemon.json", "{\"hosts\": [\"unix:///var/run/docker.sock\"], \"live-restore\": true}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_str_eq(res.flags_origin, "/proc/4242/cmdline");
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-option-conflict"), 2);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-icc"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-live-restore"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-log-rotation"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-default-ulimits"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-userland-proxy"), 0);
        bool hosts = false, live = false;
        for (size_t i = 0; i < res.daemon.n; i++) {
                const struct finding *f = &res.daemon.findings[i];
                if (strcmp(f->rule, "daemon-option-conflict"))
                        continue;
                if (!strcmp(f->pointer, "/hosts"))
                        hosts = strstr(f->message, "-H tcp://0.0.0.0:2375") && strstr(f->message, "different") &&
                                strstr(f->message, "/proc/4242/cmdline");
                if (!strcmp(f->pointer, "/live-restore"))
                        live = strstr(f->message, "same value") != NULL;
        }
        ck_assert(hosts && live);
        /* The TCP host came from the flag, and the finding says so. */
        ck_assert_str_eq(must_find(&res.daemon, "daemon-remote-api-tls")->pointer,
                         "-H tcp://0.0.0.0:2375 (/proc/4242/cmdline)");
}
END_TEST

START_TEST(test_a_non_boolean_flag_value_is_invalid)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_dockerd(7, (const char *[]){"dockerd", "--icc=maybe", NULL});
        audit_ok((struct audit_input){0}, &res);
        ck_assert_str_eq(must_find(&res.daemon, "daemon-config-invalid")->pointer, "--icc=maybe");
}
END_TEST

START_TEST(test_the_systemd_unit_gives_the_flags_without_a_running_dockerd)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/lib/systemd/system/docker.service",
            "[Unit]\nDescription=Docker\n[Service]\nType=notify\n"
            "ExecStart=/usr/bin/dockerd -H fd:// \\\n  --containerd=/run/containerd/containerd.sock\n");
        put("/etc/docker/daemon.json", "{\"hosts\": [\"tcp://127.0.0.1:2375\"]}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_str_eq(res.flags_origin, "/lib/systemd/system/docker.service");
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-option-conflict"), 1);
        ck_assert(strstr(must_find(&res.daemon, "daemon-option-conflict")->message, "-H fd://"));

        /* A drop-in resets ExecStart and sets its own. */
        put("/etc/systemd/system/docker.service.d/override.conf",
            "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --userland-proxy=false \"--add-runtime=rh=/opt/"
            "runc-harden\" --default-runtime rh\n");
        audit_ok((struct audit_input){.runc_harden = harden_at("/opt/runc-harden")}, &res);
        ck_assert_str_eq(res.flags_origin, "/etc/systemd/system/docker.service.d/override.conf");
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-option-conflict"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-userland-proxy"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-default-runtime"), 0);
}
END_TEST

START_TEST(test_runtimes_from_flags_and_daemon_json_are_merged_not_conflicting)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_dockerd(31, (const char *[]){"dockerd", "--add-runtime", "rh=/usr/bin/runc-harden", NULL});
        put("/etc/docker/daemon.json", "{\"runtimes\": {\"crun\": {\"path\": \"/usr/bin/crun\"}}, "
                                       "\"default-runtime\": \"rh\"}");
        audit_ok((struct audit_input){.runc_harden = harden_at("/usr/bin/runc-harden")}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-option-conflict"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-default-runtime"), 0);
}
END_TEST

START_TEST(test_the_config_file_flag_names_the_daemon_json_read)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_dockerd(99, (const char *[]){"dockerd", "--config-file", "/srv/d.json", NULL});
        put("/srv/d.json", "{\"icc\": false}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-icc"), 0);
        ck_assert(strstr(res.daemon_path, "/srv/d.json"));
}
END_TEST

START_TEST(test_runc_harden_registered_but_not_default_is_reported)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"runtimes\": {\"rh\": {\"path\": \"/usr/bin/runc-harden\"}}}");
        audit_ok((struct audit_input){.runc_harden = harden_at("/usr/bin/runc-harden")}, &res);
        ck_assert(strstr(must_find(&res.daemon, "daemon-default-runtime")->message, "default runtime is runc"));
        put("/etc/docker/daemon.json", "{\"runtimes\": {\"rh\": {\"path\": \"/usr/bin/runc\"}}, "
                                       "\"default-runtime\": \"rh\"}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert(strstr(must_find(&res.daemon, "daemon-default-runtime")->message, "not registered"));
}
END_TEST

START_TEST(test_selinux_enabled_is_wanted_only_on_an_selinux_host)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-selinux"), 0);
        put("/sys/fs/selinux/enforce", "1");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-selinux"), 1);
        put("/etc/docker/daemon.json", "{\"selinux-enabled\": true}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-selinux"), 0);
}
END_TEST

START_TEST(test_exec_start_is_split_like_systemd)
{
        int argc = 0;
        _cleanup_(audit_names_freep) char **argv =
                dockerd_split_exec("-/usr/bin/dockerd -H fd:// \"--label=a b\" --x='c d' e\\ f", &argc);
        ck_assert_int_eq(argc, 6);
        ck_assert_str_eq(argv[0], "/usr/bin/dockerd");
        ck_assert_str_eq(argv[2], "fd://");
        ck_assert_str_eq(argv[3], "--label=a b");
        ck_assert_str_eq(argv[4], "--x=c d");
        ck_assert_str_eq(argv[5], "e f");
}
END_TEST

START_TEST(test_docker_versions_compare_by_number)
{
        ck_assert_int_lt(audit_version_cmp("20.10.5+dfsg1", "20.10.24"), 0);
        ck_assert_int_eq(audit_version_cmp("20.10.24", "20.10.24"), 0);
        ck_assert_int_gt(audit_version_cmp("24.0.7", "20.10.24"), 0);
        ck_assert_int_lt(audit_version_cmp("20.10", "20.10.24"), 0);
        ck_assert_int_eq(audit_version_cmp("abc", "20.10.24"), -2);
}
END_TEST

/* ------------------------------------------------------------------ host */

START_TEST(test_the_data_root_on_the_root_file_system_is_reported)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/proc/self/mountinfo", "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                                    "23 22 0:5 / /proc rw - proc proc rw\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_str_eq(must_find(&res.host, "host-data-root-partition")->pointer, "/var/lib/docker");
        const char *ok[] = {"24 22 8:2 / /var/lib/docker rw - ext4 /dev/sda2 rw\n",
                            "24 22 8:2 / /var/lib rw - ext4 /dev/sda2 rw\n"};
        for (size_t i = 0; i < 2; i++) {
                char buf[512];
                snprintf(buf, sizeof(buf), "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n%s", ok[i]);
                put("/proc/self/mountinfo", buf);
                audit_ok((struct audit_input){0}, &res);
                ck_assert_uint_eq(count_rule(&res.host, "host-data-root-partition"), 0);
        }
        put("/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n24 22 8:2 / /var rw - ext4 /dev/sda2 rw\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert(strstr(must_find(&res.host, "host-data-root-partition")->message, "mounted at /var (device 8:2):"));
}
END_TEST

START_TEST(test_a_custom_data_root_needs_its_own_mount_and_escapes_are_read)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"data-root\": \"/srv/docker data\"}");
        /* /srv is a bind mount of the root file system's own /srv: no
         * partition of its own. */
        put("/proc/self/mountinfo",
            "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n24 22 8:1 /srv /srv rw - ext4 /dev/sda1 rw\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_str_eq(must_find(&res.host, "host-data-root-partition")->pointer, "/srv/docker data");
        put("/proc/self/mountinfo",
            "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n24 22 8:2 / /srv/docker\\040data rw - ext4 /dev/sdb rw\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-data-root-partition"), 0);
}
END_TEST

START_TEST(test_proc_mounts_is_read_without_mountinfo)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/proc/mounts", "/dev/sda1 / ext4 rw 0 0\n/dev/sda2 /var/lib/docker xfs rw 0 0\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-data-root-partition"), 0);
        put("/proc/mounts", "/dev/sda1 / ext4 rw 0 0\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-data-root-partition"), 1);
        unlink(at("/proc/mounts"));
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-data-root-partition"), 0);
        ck_assert(has_note(&res, "host-data-root-partition"));
}
END_TEST

START_TEST(test_one_audit_finding_lists_the_unwatched_files)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/usr/bin/containerd", "");
        put("/usr/bin/runc", "");
        put("/lib/systemd/system/docker.socket", "[Socket]\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-audit-rules"), 1);
        const char *msg = must_find(&res.host, "host-audit-rules")->message;
        ck_assert_msg(strstr(msg, "/usr/bin/dockerd, /usr/bin/containerd, /usr/bin/runc, /etc/docker, "
                                  "/lib/systemd/system/docker.socket, /var/lib/docker;"),
                      "%s", msg);

        put("/etc/audit/rules.d/docker.rules", "-w /usr/bin/dockerd -p wa -k docker\n-w /etc/docker -p wa\n"
                                               "-a always,exit -F path=/usr/bin/containerd -F perm=wa -k docker\n");
        put("/etc/audit/rules.d/ignored.txt", "-w /usr/bin/runc -p wa\n");
        put("/etc/audit/audit.rules", "-w /var/lib/docker -p wa -k docker\n");
        audit_ok((struct audit_input){.auditctl_rules = "-w /lib/systemd/system/docker.socket -p rwxa -k docker\n"},
                 &res);
        msg = must_find(&res.host, "host-audit-rules")->message;
        ck_assert_msg(strstr(msg, "watches /usr/bin/runc;"), "%s", msg);

        /* daemon.json exists now but /etc/docker's watch covers it. */
        put("/etc/docker/daemon.json", "{}");
        put("/etc/audit/rules.d/runc.rules", "-w /usr/bin/runc -p wa\n-w /lib/systemd/system/docker.socket -p wa\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-audit-rules"), 0);
}
END_TEST

START_TEST(test_an_old_docker_is_reported_and_no_version_is_a_note)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){.dockerd_version = "Docker version 20.10.5+dfsg1, build 55c4c88\n"}, &res);
        ck_assert(strstr(must_find(&res.host, "host-docker-version")->message,
                         "Docker 20.10.5+dfsg1 is older than 20.10.24"));
        audit_ok((struct audit_input){.dockerd_version = "Docker version 24.0.7, build afdd53b\n"}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-docker-version"), 0);
        audit_ok((struct audit_input){.dockerd_version = "Docker version 24.0.7, build afdd53b\n",
                                      .min_docker_version = "25.0"},
                 &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-docker-version"), 1);
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-docker-version"), 0);
        ck_assert(has_note(&res, "host-docker-version not checked"));
}
END_TEST

START_TEST(test_docker_group_members_are_reported_primary_ones_too)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/group", "root:x:0:\ndocker:x:998:\n");
        put("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-docker-group"), 0);
        put("/etc/group", "root:x:0:\ndocker:x:998:alice,bob\n");
        put("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\ncarol:x:1002:998::/home/carol:/bin/sh\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert(strstr(must_find(&res.host, "host-docker-group")->message, "(alice,bob,carol)"));
}
END_TEST

START_TEST(test_daemon_files_must_be_root_owned_and_not_writable_by_others)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/group", "root:x:0:\ndocker:x:998:\n");
        put_dir("/etc/docker", 0755, 0, 0);
        put_dir("/etc/docker/certs.d", 0755, 0, 0);
        put_bytes("/etc/docker/daemon.json", "{}", 2, 0644, 0, 0);
        put_bytes("/lib/systemd/system/docker.service", "", 0, 0644, 0, 0);
        put_bytes("/var/run/docker.sock", "", 0, 0660, 0, 998);
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 0);

        put_bytes("/etc/docker/daemon.json", "{}", 2, 0666, 0, 0);
        put_dir("/etc/docker/certs.d", 0755, 1000, 1000);
        put_bytes("/lib/systemd/system/docker.service", "", 0, 0664, 0, 0);
        put_bytes("/var/run/docker.sock", "", 0, 0666, 0, 1000);
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 5);
        const char *want[] = {"/etc/docker/daemon.json", "/etc/docker/certs.d", "/lib/systemd/system/docker.service",
                              "/var/run/docker.sock"};
        for (size_t i = 0; i < 4; i++) {
                bool seen = false;
                for (size_t k = 0; k < res.host.n; k++)
                        seen |= !strcmp(res.host.findings[k].pointer, want[i]);
                ck_assert_msg(seen, "%s", want[i]);
        }
        ck_assert_int_eq(must_find(&res.host, "host-file-permissions")->action, ACTION_DENY);
}
END_TEST

START_TEST(test_one_file_reached_by_two_names_is_checked_once)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put_bytes("/usr/lib/systemd/system/docker.socket", "", 0, 0666, 0, 0);
        mkdirs("/lib");
        rmdir(at("/lib"));
        ck_assert_int_eq(symlink("usr/lib", at("/lib")), 0);
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 1);
}
END_TEST

START_TEST(test_the_tls_key_must_be_private)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put_tls_files();
        put_bytes("/etc/docker/tls/server-key.pem", "key", 3, 0644, 0, 0);
        audit_ok((struct audit_input){.daemon_config = fixture("hardened.json")}, &res);
        ck_assert_str_eq(must_find(&res.host, "host-file-permissions")->pointer, "/etc/docker/tls/server-key.pem");
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 1);
}
END_TEST

START_TEST(test_a_kernel_without_apparmor_or_selinux_is_reported)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-lsm"), 1);
        put("/sys/module/apparmor/parameters/enabled", "N\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-lsm"), 1);
        put("/sys/module/apparmor/parameters/enabled", "Y\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-lsm"), 0);
        unlink(at("/sys/module/apparmor/parameters/enabled"));
        put("/sys/fs/selinux/enforce", "0");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-lsm"), 0);
}
END_TEST

/* ------------------------------------------------------------ containers */

START_TEST(test_listening_ports_outside_the_allowlist_and_sshd_are_reported)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        fake_containers();
        containers_ok((struct audit_container_input){0}, &c);
        ck_assert_uint_eq(c.n, 2);
        ck_assert_str_eq(c.v[0].id, "c1");
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-ports"), 2);
        ck_assert(strstr(c.v[0].ev.findings[0].message, "TCP port 8081"));
        ck_assert(strstr(c.v[0].ev.findings[1].message, "UDP port 5353"));
        ck_assert(strstr(must_find(&c.v[0].ev, "container-ssh-server")->message, "host pid 101"));
        ck_assert_uint_eq(c.v[1].ev.n, 0);
        /* c1, c2: no Docker record and no audit log, so whether runc-harden
         * checked them is unknown; c3 is not running. */
        ck_assert_uint_eq(c.notes.n, 3);
        ck_assert(strstr(c.notes.v[0], "container c1: whether runc-harden checked it is not known"));
        ck_assert(strstr(c.notes.v[2], "c3 is stopped"));
}
END_TEST

START_TEST(test_allowed_ports_come_from_the_option_and_the_annotation)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        unsigned allowed[] = {8081};
        fake_containers();
        containers_ok((struct audit_container_input){.allowed = allowed, .n_allowed = 1}, &c);
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-ports"), 1);
        put("/bundles/c1/config.json", "{\"annotations\": {\"org.runc-harden.ports\": \"5353,8081\"}}");
        containers_ok((struct audit_container_input){0}, &c);
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-ports"), 0);
}
END_TEST

START_TEST(test_containers_without_a_logged_decision_are_unchecked)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        fake_containers();
        put("/log.jsonl", "{\"time\":\"t\",\"command\":\"create\",\"container\":\"c1\",\"verdict\":\"allow\"}\n"
                          "not json\n{\"container\":null}\n");
        containers_ok((struct audit_container_input){.audit_log = at("/log.jsonl")}, &c);
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-unchecked"), 0);
        ck_assert_uint_eq(count_rule(&c.v[1].ev, "container-unchecked"), 1);
}
END_TEST

START_TEST(test_an_empty_container_list_is_null_and_garbage_is_an_error)
{
        _cleanup_audit_containers_ struct audit_containers c = {0}, bad = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        containers_ok((struct audit_container_input){.list_json = "null"}, &c);
        ck_assert_uint_eq(c.n, 0);
        struct audit_container_input in = {.root = root, .list_json = "[{"};
        ck_assert_int_lt(audit_containers_check(&in, &bad, &err), 0);
}
END_TEST

START_TEST(test_port_lists_are_parsed_strictly)
{
        _cleanup_free_ unsigned *v = NULL;
        size_t n = 0;
        ck_assert_int_eq(audit_parse_ports("80,443", &v, &n), 0);
        ck_assert_uint_eq(n, 2);
        ck_assert_uint_eq(v[1], 443);
        const char *bad[] = {"", "80,", "http", "70000", "0", "80;443"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
                ck_assert_msg(audit_parse_ports(bad[i], &v, &n) == -EINVAL, "%s", bad[i]);
}
END_TEST

START_TEST(test_every_audit_rule_has_a_prefix_a_guide_item_and_a_severity)
{
        for (size_t i = 0; i < audit_rules_count(); i++) {
                const struct audit_rule *r = audit_rules_get(i);
                ck_assert(!strncmp(r->id, "daemon-", 7) || !strncmp(r->id, "host-", 5) ||
                          !strncmp(r->id, "container-", 10));
                ck_assert(r->guide && *r->guide && r->summary && *r->summary);
                ck_assert(r->action == ACTION_DENY || r->action == ACTION_WARN);
                size_t idx;
                ck_assert_ptr_eq(audit_rules_find(r->id, &idx), r);
                ck_assert_uint_eq(idx, i);
        }
}
END_TEST

/* ---------------------------------------------------------------- bypass */

/* The fake host's runc-harden: a file of its own whose inode the checks
 * compare runtimes with (what /proc/self/exe is on a real host). */
static void fake_runc_harden(void)
{
        put_bytes("/usr/local/bin/runc-harden", "\177ELF", 4, 0755, 0, 0);
}

static void put_exe(const char *path)
{
        put_bytes(path, "\177ELF", 4, 0755, 0, 0);
}

/* A symlink in the fake host; an absolute target stays in the fake host. */
static void put_link(const char *path, const char *target)
{
        parent_dirs(path);
        unlink(at(path));
        ck_assert_int_eq(symlink(target, at(path)), 0);
}

static void bypass_audit(struct audit_result *res)
{
        audit_ok((struct audit_input){.runc_harden = at("/usr/local/bin/runc-harden")}, res);
}

static const struct toml_entry *toml_find(const struct toml_doc *d, const char *joined)
{
        for (size_t i = 0; i < d->n; i++) {
                char buf[512] = "";
                for (size_t k = 0; k < d->v[i].n_key; k++)
                        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", k ? "|" : "", d->v[i].key[k]);
                if (!strcmp(buf, joined))
                        return &d->v[i];
        }
        ck_abort_msg("no TOML entry %s", joined);
        return NULL;
}

START_TEST(test_the_toml_reader_keeps_strings_from_every_form_it_reads)
{
        static const char text[] = "version = 2 # a comment\n"
                                   "imports = [\n  \"a.toml\", # first\n  'b.toml',\n]\n"
                                   "[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
                                   "  default_runtime_name = \"crun\"\n"
                                   "  started = 1979-05-27 07:32:00Z\n"
                                   "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.crun]\n"
                                   "  runtime_type = 'io.containerd.runc.v2'\n"
                                   "  options = { BinaryName = \"/usr/bin/crun\", SystemdCgroup = true }\n"
                                   "[plugins.'x'.containerd.runtimes.\"odd.name\".options]\n"
                                   "  BinaryName = \"\"\"\n/opt/\\\n   bin/r\\u00e9\"\"\"\n"
                                   "  dotted.key = '''lit\\eral'''\n"
                                   "[[array.of.tables]]\n  n = [1, [2, 3], {a = \"x\"}]\n";
        struct toml_doc d;
        unsigned line = 0;
        const char *why = NULL;
        ck_assert_int_eq(toml_parse(text, strlen(text), &d, &line, &why), 0);
        const struct toml_entry *e = toml_find(&d, "imports");
        ck_assert_int_eq(e->kind, TOML_STRINGS);
        ck_assert_uint_eq(e->n_strs, 2);
        ck_assert_str_eq(e->strs[1], "b.toml");
        ck_assert_uint_eq(e->line, 2);
        e = toml_find(&d, "plugins|io.containerd.grpc.v1.cri|containerd|runtimes|crun|options|BinaryName");
        ck_assert_str_eq(e->str, "/usr/bin/crun");
        ck_assert_uint_eq(e->line, 11);
        ck_assert_int_eq(toml_find(&d, "plugins|io.containerd.grpc.v1.cri|containerd|started")->kind, TOML_OTHER);
        e = toml_find(&d, "plugins|x|containerd|runtimes|odd.name|options|BinaryName");
        ck_assert_str_eq(e->str, "/opt/bin/r\xc3\xa9");
        ck_assert_str_eq(toml_find(&d, "plugins|x|containerd|runtimes|odd.name|options|dotted|key")->str, "lit\\eral");
        ck_assert_int_eq(toml_find(&d, "array|of|tables|n")->kind, TOML_OTHER);
        toml_doc_done(&d);
}
END_TEST

START_TEST(test_the_toml_reader_refuses_what_it_does_not_know_with_a_line)
{
        static const struct {
                const char *text;
                unsigned line;
        } bad[] = {
                {"a = 1\nb = \"open\n", 2},        {"[table\n", 1},      {"a = \"\\q\"\n", 1},
                {"a = [1, 2\nb = 3\n", 2},         {"a = 1 b = 2\n", 1}, {"= 1\n", 1},
                {"a = \"\"\"never closed\n\n", 3}, {"a = { b = 1\n", 1}, {"ok = true\nkey\n", 2},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                struct toml_doc d;
                unsigned line = 0;
                const char *why = NULL;
                ck_assert_msg(toml_parse(bad[i].text, strlen(bad[i].text), &d, &line, &why) == -EINVAL, "%s",
                              bad[i].text);
                ck_assert_msg(line == bad[i].line, "%s: line %u", bad[i].text, line);
                ck_assert_ptr_nonnull(why);
        }
}
END_TEST

START_TEST(test_daemon_json_runtimes_that_are_not_runc_harden_are_bypasses)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_runc_harden();
        put_link("/usr/bin/rh", "/usr/local/bin/runc-harden");
        put_exe("/usr/bin/crun");
        put_exe("/usr/local/bin/runc-harden-copy");
        put("/etc/docker/daemon.json",
            "{\"runtimes\": {\"hardened\": {\"path\": \"/usr/bin/rh\"}, \"crun\": {\"path\": \"/usr/bin/crun\"},"
            " \"copy\": {\"path\": \"runc-harden-copy\"}, \"gone\": {\"path\": \"/opt/none\"},"
            " \"kata\": {\"runtimeType\": \"io.containerd.kata.v2\"},"
            " \"shim\": {\"runtimeType\": \"io.containerd.runc.v2\", \"options\": {\"BinaryName\": \"/usr/bin/rh\"}}},"
            " \"default-runtime\": \"hardened\"}");
        bypass_audit(&res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-runtime-bypass"), 3);
        const struct finding *f = find_at(&res.daemon, "daemon-runtime-bypass", "/runtimes/crun/path");
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->guide, "RUN-5");
        ck_assert(strstr(f->message, "docker run --runtime=crun starts containers unchecked"));
        /* a name is looked up on PATH; a copy is another inode */
        ck_assert(strstr(find_at(&res.daemon, "daemon-runtime-bypass", "/runtimes/copy/path")->message,
                         "/usr/local/bin/runc-harden-copy"));
        ck_assert(strstr(find_at(&res.daemon, "daemon-runtime-bypass", "/runtimes/kata/runtimeType")->message,
                         "shim io.containerd.kata.v2"));
        ck_assert(has_note(&res, "runtime gone: /opt/none"));
}
END_TEST

START_TEST(test_add_runtime_flags_are_runtimes_too)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_runc_harden();
        put_exe("/usr/bin/crun");
        const char *args[] = {"/usr/bin/dockerd",
                              "--add-runtime",
                              "crun=/usr/bin/crun",
                              "--add-runtime",
                              "rh=/usr/local/bin/runc-harden",
                              NULL};
        fake_dockerd(812, args);
        bypass_audit(&res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-runtime-bypass"), 1);
        ck_assert(strstr(must_find(&res.daemon, "daemon-runtime-bypass")->pointer, "--add-runtime crun=/usr/bin/crun"));
}
END_TEST

START_TEST(test_runc_on_path_is_a_bypass_until_it_is_runc_harden)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_runc_harden();
        put_exe("/usr/bin/dockerd");
        put_exe("/usr/sbin/runc");
        put_link("/usr/bin/runc", "../sbin/runc");
        bypass_audit(&res);
        const struct finding *f = find_at(&res.host, "host-runtime-bypass", "/usr/sbin/runc");
        ck_assert(strstr(f->message, "docker run --runtime=runc"));
        ck_assert(!strstr(f->message, "containerd"));
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-default-runtime"), 1);

        /* what setup system does: the real runc aside, runc a symlink; then
         * dockerd's default runtime, the built-in runc, is runc-harden */
        ck_assert_int_eq(rename(at("/usr/sbin/runc"), at("/usr/local/bin/real-runc")), 0);
        put_link("/usr/sbin/runc", "/usr/local/bin/runc-harden");
        put_exe("/usr/bin/containerd");
        bypass_audit(&res);
        ck_assert_uint_eq(count_rule(&res.host, "host-runtime-bypass"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-default-runtime"), 0);

        /* a runc earlier on PATH wins */
        put_exe("/usr/local/sbin/runc");
        bypass_audit(&res);
        f = find_at(&res.host, "host-runtime-bypass", "/usr/local/sbin/runc");
        ck_assert(strstr(f->message, "containerd's runc shim"));
}
END_TEST

START_TEST(test_without_an_engine_runc_on_path_is_no_bypass)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_runc_harden();
        put_exe("/usr/sbin/runc");
        bypass_audit(&res);
        ck_assert_uint_eq(count_rule(&res.host, "host-runtime-bypass"), 0);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-runtime-bypass"), 0);
}
END_TEST

START_TEST(test_containerd_runtimes_come_from_config_toml_and_its_imports)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_runc_harden();
        put_link("/usr/sbin/runc", "/usr/local/bin/runc-harden");
        put_exe("/usr/bin/crun");
        put("/etc/containerd/config.toml",
            "version = 2\n"
            "imports = [\"conf.d/*.toml\"]\n"
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
            "  default_runtime_name = \"runc\"\n"
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
            "  runtime_type = \"io.containerd.runc.v2\"\n"
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.hardened.options]\n"
            "  BinaryName = \"/usr/local/bin/runc-harden\"\n"
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.crun]\n"
            "  runtime_type = \"io.containerd.runc.v2\"\n"
            "  [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.crun.options]\n"
            "    BinaryName = \"crun\"\n"
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata]\n"
            "  runtime_type = \"io.containerd.kata.v2\"\n");
        put("/etc/containerd/conf.d/10-gvisor.toml",
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runsc]\n"
            "  runtime_type = \"io.containerd.runsc.v1\"\n"
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.hardened]\n"
            "  options = { BinaryName = \"/usr/sbin/runc\" }\n");
        bypass_audit(&res);
        ck_assert_uint_eq(count_rule(&res.host, "host-runtime-bypass"), 3);
        ck_assert(strstr(find_at(&res.host, "host-runtime-bypass", "/etc/containerd/config.toml:12")->message,
                         "runtime crun runs /usr/bin/crun (BinaryName)"));
        ck_assert(strstr(find_at(&res.host, "host-runtime-bypass", "/etc/containerd/config.toml:14")->message,
                         "shim io.containerd.kata.v2"));
        ck_assert(strstr(find_at(&res.host, "host-runtime-bypass", "/etc/containerd/conf.d/10-gvisor.toml:2")->message,
                         "RuntimeClass names the handler runsc"));
}
END_TEST

START_TEST(test_a_containerd_config_the_reader_cannot_follow_fails_closed)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_runc_harden();
        put("/etc/containerd/config.toml", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"\n");
        bypass_audit(&res);
        const struct finding *f = find_at(&res.host, "host-runtime-bypass", "/etc/containerd/config.toml");
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert(strstr(f->message, "config.toml:2: expected ] after a table name"));
}
END_TEST

START_TEST(test_podmans_default_runtime_comes_from_containers_conf_and_its_drop_ins)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_runc_harden();
        put_exe("/usr/bin/podman");
        put_exe("/usr/bin/crun");
        put_exe("/usr/sbin/runc");
        put_link("/usr/bin/runc", "../sbin/runc");
        put("/usr/share/containers/containers.conf", "[engine]\n#runtime = \"crun\"\n");
        bypass_audit(&res);
        ck_assert(strstr(find_at(&res.host, "host-runtime-bypass", "/etc/containers/containers.conf")->message,
                         "podman's default OCI runtime crun is /usr/bin/crun"));

        /* what setup system does */
        ck_assert_int_eq(unlink(at("/usr/sbin/runc")), 0);
        put_link("/usr/sbin/runc", "/usr/local/bin/runc-harden");
        put("/etc/containers/containers.conf.d/90-runc-harden.conf", "[engine]\nruntime = \"runc\"\n");
        bypass_audit(&res);
        ck_assert_uint_eq(count_rule(&res.host, "host-runtime-bypass"), 0);

        /* a later drop-in has the last word; so do [engine.runtimes] paths */
        put("/etc/containers/containers.conf.d/95-mine.conf", "[engine]\nruntime = \"crun\"\n");
        bypass_audit(&res);
        find_at(&res.host, "host-runtime-bypass", "/etc/containers/containers.conf.d/95-mine.conf:2");
        put("/etc/containers/containers.conf.d/95-mine.conf",
            "[engine.runtimes]\nrunc = [\"/opt/none/runc\", \"/usr/bin/crun\"]\n");
        bypass_audit(&res);
        ck_assert(strstr(
                find_at(&res.host, "host-runtime-bypass", "/etc/containers/containers.conf.d/90-runc-harden.conf:2")
                        ->message,
                "runc is /usr/bin/crun"));
}
END_TEST

START_TEST(test_an_unknown_runc_harden_binary_skips_the_bypass_checks_with_a_note)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put_exe("/usr/sbin/runc");
        put_exe("/usr/bin/dockerd");
        audit_ok((struct audit_input){.runc_harden = at("/nowhere")}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-runtime-bypass"), 0);
        ck_assert(has_note(&res, "runc-harden's own binary is unknown"));
}
END_TEST

static Suite *audit_suite(void)
{
        Suite *s = suite_create("audit");
        TCase *d = tcase_create("daemon");
        tcase_add_checked_fixture(d, setup, teardown);
        tcase_add_test(d, test_a_hardened_daemon_json_has_no_daemon_findings);
        tcase_add_test(d, test_dockerd_defaults_fail_every_option_check_but_aufs_and_tcp);
        tcase_add_test(d, test_a_weak_daemon_json_fails_every_check_it_sets);
        tcase_add_test(d, test_malformed_or_non_object_daemon_json_is_an_error);
        tcase_add_test(d, test_values_of_the_wrong_type_are_invalid_and_count_as_unset);
        tcase_add_test(d, test_the_last_of_duplicate_keys_counts_as_in_go);
        tcase_add_test(d, test_tls_without_verification_and_missing_cert_files_are_reported);
        tcase_add_test(d, test_tlsverify_uses_roots_docker_dir_by_default_and_a_plugin_satisfies_authz);
        tcase_add_test(d, test_unix_and_fd_hosts_are_not_remote);
        tcase_add_test(d, test_flags_of_a_running_dockerd_count_and_conflict_with_daemon_json);
        tcase_add_test(d, test_a_non_boolean_flag_value_is_invalid);
        tcase_add_test(d, test_the_systemd_unit_gives_the_flags_without_a_running_dockerd);
        tcase_add_test(d, test_runtimes_from_flags_and_daemon_json_are_merged_not_conflicting);
        tcase_add_test(d, test_the_config_file_flag_names_the_daemon_json_read);
        tcase_add_test(d, test_runc_harden_registered_but_not_default_is_reported);
        tcase_add_test(d, test_selinux_enabled_is_wanted_only_on_an_selinux_host);
        tcase_add_test(d, test_exec_start_is_split_like_systemd);
        tcase_add_test(d, test_docker_versions_compare_by_number);
        tcase_add_test(d, test_every_audit_rule_has_a_prefix_a_guide_item_and_a_severity);
        suite_add_tcase(s, d);

        TCase *h = tcase_create("host");
        tcase_add_checked_fixture(h, setup, teardown);
        tcase_add_test(h, test_the_data_root_on_the_root_file_system_is_reported);
        tcase_add_test(h, test_a_custom_data_root_needs_its_own_mount_and_escapes_are_read);
        tcase_add_test(h, test_proc_mounts_is_read_without_mountinfo);
        tcase_add_test(h, test_one_audit_finding_lists_the_unwatched_files);
        tcase_add_test(h, test_an_old_docker_is_reported_and_no_version_is_a_note);
        tcase_add_test(h, test_docker_group_members_are_reported_primary_ones_too);
        tcase_add_test(h, test_daemon_files_must_be_root_owned_and_not_writable_by_others);
        tcase_add_test(h, test_one_file_reached_by_two_names_is_checked_once);
        tcase_add_test(h, test_the_tls_key_must_be_private);
        tcase_add_test(h, test_a_kernel_without_apparmor_or_selinux_is_reported);
        suite_add_tcase(s, h);

        TCase *b = tcase_create("bypass");
        tcase_add_checked_fixture(b, setup, teardown);
        tcase_add_test(b, test_the_toml_reader_keeps_strings_from_every_form_it_reads);
        tcase_add_test(b, test_the_toml_reader_refuses_what_it_does_not_know_with_a_line);
        tcase_add_test(b, test_daemon_json_runtimes_that_are_not_runc_harden_are_bypasses);
        tcase_add_test(b, test_add_runtime_flags_are_runtimes_too);
        tcase_add_test(b, test_runc_on_path_is_a_bypass_until_it_is_runc_harden);
        tcase_add_test(b, test_without_an_engine_runc_on_path_is_no_bypass);
        tcase_add_test(b, test_containerd_runtimes_come_from_config_toml_and_its_imports);
        tcase_add_test(b, test_a_containerd_config_the_reader_cannot_follow_fails_closed);
        tcase_add_test(b, test_podmans_default_runtime_comes_from_containers_conf_and_its_drop_ins);
        tcase_add_test(b, test_an_unknown_runc_harden_binary_skips_the_bypass_checks_with_a_note);
        suite_add_tcase(s, b);

        TCase *c = tcase_create("containers");
        tcase_add_checked_fixture(c, setup, teardown);
        tcase_add_test(c, test_listening_ports_outside_the_allowlist_and_sshd_are_reported);
        tcase_add_test(c, test_allowed_ports_come_from_the_option_and_the_annotation);
        tcase_add_test(c, test_containers_without_a_logged_decision_are_unchecked);
        tcase_add_test(c, test_an_empty_container_list_is_null_and_garbage_is_an_error);
        tcase_add_test(c, test_port_lists_are_parsed_strictly);
        suite_add_tcase(s, c);
        return s;
}

RUN_SUITE(audit_suite)
