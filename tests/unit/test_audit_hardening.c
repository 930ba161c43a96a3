/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit_testutil.h"

/* The daemon checks docker-bench-security has beyond the guide's list
 * (policy/audit/hardening.c), the TLS material and containerd's sockets
 * (files.c), the data root judged by device (host.c), and the audit's
 * advice (options.c, containers.c). */

/* A file of tests/data/audit copied under the fake root. */
static void put_fixture(const char *path, const char *name)
{
        _cleanup_free_ char *text = NULL;
        ck_assert_int_eq(audit_read("/", fixture(name), &text, NULL), 0);
        put(path, text);
}

/* ------------------------------------------------------ daemon settings */

START_TEST(test_each_docker_bench_setting_set_the_weak_way_is_reported)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){.daemon_config = fixture("bench-weak.json")}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-insecure-registry"), 2);
        const struct finding *f = find_at(&res.daemon, "daemon-insecure-registry", "/insecure-registries/0");
        ck_assert(strstr(f->message, "registry.example:5000 over plain HTTP"));
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->guide, "RUN-16");
        ck_assert(strstr(find_at(&res.daemon, "daemon-insecure-registry", "/registry-mirrors/0")->message,
                         "mirror http://mirror.example is plain HTTP"));
        f = find_at(&res.daemon, "daemon-iptables", "/iptables");
        ck_assert_int_eq(f->action, ACTION_WARN);
        ck_assert(strstr(f->message, "\"icc\": false"));
        ck_assert_str_eq(find_at(&res.daemon, "daemon-experimental", "/experimental")->guide, "HOST-2");
        f = find_at(&res.daemon, "daemon-log-level", "/log-level");
        ck_assert(strstr(f->message, "secrets included"));
        f = find_at(&res.daemon, "daemon-seccomp-profile", "/seccomp-profile");
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert(strstr(f->message, "no seccomp filter"));
        f = find_at(&res.daemon, "daemon-cgroup-parent", "/cgroup-parent");
        ck_assert(strstr(f->message, "under /custom instead of Docker's default /docker"));
        ck_assert_str_eq(f->guide, "RUN-4");
}
END_TEST

START_TEST(test_the_same_settings_set_well_pass)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put_fixture("/etc/docker/seccomp/custom.json", "seccomp-docker-format.json");
        audit_ok((struct audit_input){.daemon_config = fixture("bench-good.json")}, &res);
        static const char *const ids[] = {"daemon-insecure-registry", "daemon-iptables",        "daemon-experimental",
                                          "daemon-log-level",         "daemon-seccomp-profile", "daemon-cgroup-parent",
                                          "daemon-config-invalid"};
        for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
                ck_assert_msg(count_rule(&res.daemon, ids[i]) == 0, "%s", ids[i]);
        /* dockerd's defaults: none of them set. */
        audit_ok((struct audit_input){0}, &res);
        for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
                ck_assert_msg(count_rule(&res.daemon, ids[i]) == 0, "%s", ids[i]);
}
END_TEST

START_TEST(test_dockerd_flags_set_them_too)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_dockerd(812,
                     (const char *const[]){"/usr/bin/dockerd", "--insecure-registry=10.0.0.1:5000", "--registry-mirror",
                                           "http://m.example", "--iptables=false", "--experimental", "-l", "debug",
                                           "--seccomp-profile", "unconfined", "--cgroup-parent=/batch", NULL});
        audit_ok((struct audit_input){0}, &res);
        find_at(&res.daemon, "daemon-insecure-registry", "--insecure-registry=10.0.0.1:5000 (/proc/812/cmdline)");
        find_at(&res.daemon, "daemon-insecure-registry", "--registry-mirror http://m.example (/proc/812/cmdline)");
        find_at(&res.daemon, "daemon-iptables", "--iptables=false (/proc/812/cmdline)");
        find_at(&res.daemon, "daemon-experimental", "--experimental (/proc/812/cmdline)");
        find_at(&res.daemon, "daemon-log-level", "-l debug (/proc/812/cmdline)");
        find_at(&res.daemon, "daemon-seccomp-profile", "--seccomp-profile unconfined (/proc/812/cmdline)");
        find_at(&res.daemon, "daemon-cgroup-parent", "--cgroup-parent=/batch (/proc/812/cmdline)");
}
END_TEST

START_TEST(test_debug_mode_and_a_debug_level_in_any_case_are_debug_logs)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_dockerd(9, (const char *const[]){"/usr/bin/dockerd", "-D", NULL});
        audit_ok((struct audit_input){0}, &res);
        ck_assert(strstr(find_at(&res.daemon, "daemon-log-level", "-D (/proc/9/cmdline)")->message, "debug mode"));
        unlink(at("/proc/9/cmdline"));
        unlink(at("/proc/9/comm"));
        put("/etc/docker/daemon.json", "{\"log-level\": \"DEBUG\"}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-log-level"), 1);
        put("/etc/docker/daemon.json", "{\"debug\": true, \"log-level\": \"warn\"}");
        audit_ok((struct audit_input){0}, &res);
        find_at(&res.daemon, "daemon-log-level", "/debug");
}
END_TEST

START_TEST(test_wrong_types_and_flag_conflicts_of_the_new_keys_are_caught)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"iptables\": \"false\", \"insecure-registries\": \"reg:5000\", "
                                       "\"registry-mirrors\": [1]}");
        audit_ok((struct audit_input){0}, &res);
        find_at(&res.daemon, "daemon-config-invalid", "/iptables");
        find_at(&res.daemon, "daemon-config-invalid", "/insecure-registries");
        find_at(&res.daemon, "daemon-config-invalid", "/registry-mirrors/0");
        /* A value of the wrong type counts as unset. */
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-iptables"), 0);
        put("/etc/docker/daemon.json", "{\"experimental\": true}");
        fake_dockerd(9, (const char *const[]){"/usr/bin/dockerd", "--experimental", NULL});
        audit_ok((struct audit_input){0}, &res);
        find_at(&res.daemon, "daemon-option-conflict", "/experimental");
}
END_TEST

/* seccomp-profile names a file: it is judged as the seccomp rule judges
 * a container's linux.seccomp. */
START_TEST(test_a_custom_seccomp_profile_is_judged_like_a_specs)
{
        static const struct {
                const char *fixture, *want;
        } cases[] = {
                {"seccomp-allow-all.json", "refuses no system call"},
                {"seccomp-invalid.json", "SCMP_ACT_DENY_ALL\" is not a seccomp action"},
                {"malformed.json", "is not one runc can install"},
                {"seccomp-docker-format.json", NULL},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_audit_result_ struct audit_result res = {0};
                put_fixture("/etc/docker/profile.json", cases[i].fixture);
                put("/etc/docker/daemon.json", "{\"seccomp-profile\": \"/etc/docker/profile.json\"}");
                audit_ok((struct audit_input){0}, &res);
                if (!cases[i].want) {
                        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-seccomp-profile"), 0);
                } else {
                        const struct finding *f = find_at(&res.daemon, "daemon-seccomp-profile", "/seccomp-profile");
                        ck_assert_msg(strstr(f->message, cases[i].want), "%s: %s", cases[i].fixture, f->message);
                }
        }
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"seccomp-profile\": \"/etc/docker/missing.json\"}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert(strstr(must_find(&res.daemon, "daemon-seccomp-profile")->message, "dockerd will not start"));
        put("/etc/docker/daemon.json", "{\"seccomp-profile\": \"builtin\"}");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.daemon, "daemon-seccomp-profile"), 0);
}
END_TEST

START_TEST(test_the_default_cgroup_parent_depends_on_the_cgroup_driver)
{
        static const struct {
                const char *json;
                bool reported;
        } cases[] = {
                {"{\"cgroup-parent\": \"/docker\"}", false},
                {"{\"cgroup-parent\": \"docker\"}", false},
                {"{\"cgroup-parent\": \"system.slice\"}", true},
                {"{\"cgroup-parent\": \"system.slice\", \"exec-opts\": [\"native.cgroupdriver=systemd\"]}", false},
                {"{\"cgroup-parent\": \"/docker\", \"exec-opts\": [\"native.cgroupdriver=systemd\"]}", true},
                {"{\"cgroup-parent\": \"\"}", false},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_audit_result_ struct audit_result res = {0};
                put("/etc/docker/daemon.json", cases[i].json);
                audit_ok((struct audit_input){0}, &res);
                ck_assert_msg(count_rule(&res.daemon, "daemon-cgroup-parent") == cases[i].reported, "%s",
                              cases[i].json);
        }
}
END_TEST

/* --------------------------------------------------------- TLS material */

START_TEST(test_tls_files_are_root_read_only_certificates_and_root_only_keys)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"tlsverify\": true, \"tlscacert\": \"/tls/ca.pem\", "
                                       "\"tlscert\": \"/tls/cert.pem\", \"tlskey\": \"/tls/key.pem\"}");
        put_bytes("/tls/ca.pem", "ca", 2, 0444, 0, 0);
        put_bytes("/tls/cert.pem", "c", 1, 0644, 0, 0);
        put_bytes("/tls/key.pem", "k", 1, 0600, 0, 0);
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-tls-files"), 2);
        const struct finding *f = find_at(&res.host, "host-tls-files", "/tls/cert.pem");
        ck_assert(strstr(f->message, "mode 0644, more than 0444; chmod 444 /tls/cert.pem"));
        ck_assert_int_eq(f->action, ACTION_WARN);
        ck_assert(strstr(find_at(&res.host, "host-tls-files", "/tls/key.pem")->message, "chmod 400"));
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 0);
        /* Writable by others or not root's: a denial, said once. */
        put_bytes("/tls/cert.pem", "c", 1, 0666, 0, 0);
        put_bytes("/tls/ca.pem", "ca", 2, 0444, 1000, 0);
        audit_ok((struct audit_input){0}, &res);
        find_at(&res.host, "host-file-permissions", "/tls/cert.pem");
        ck_assert(strstr(find_at(&res.host, "host-file-permissions", "/tls/ca.pem")->message, "owned by uid 1000"));
        ck_assert_uint_eq(count_rule(&res.host, "host-tls-files"), 1); /* the key's 0600 */
}
END_TEST

START_TEST(test_tls_on_without_file_names_checks_roots_docker_dir)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/etc/docker/daemon.json", "{\"tls\": true}");
        put_bytes("/root/.docker/ca.pem", "ca", 2, 0644, 0, 0);
        put_bytes("/root/.docker/key.pem", "k", 1, 0440, 0, 0);
        audit_ok((struct audit_input){0}, &res);
        find_at(&res.host, "host-tls-files", "/root/.docker/ca.pem");
        find_at(&res.host, "host-file-permissions", "/root/.docker/key.pem");
}
END_TEST

START_TEST(test_registry_certificates_in_certs_d_are_checked)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put_dir("/etc/docker/certs.d/reg.example:5000", 0755, 0, 0);
        put_bytes("/etc/docker/certs.d/reg.example:5000/ca.crt", "ca", 2, 0644, 0, 0);
        put_bytes("/etc/docker/certs.d/reg.example:5000/client.cert", "c", 1, 0444, 0, 0);
        put_bytes("/etc/docker/certs.d/reg.example:5000/client.key", "k", 1, 0644, 0, 0);
        put_bytes("/etc/docker/certs.d/reg.example:5000/README", "r", 1, 0666, 0, 0);
        put_dir("/etc/docker/certs.d/other", 0777, 0, 0);
        audit_ok((struct audit_input){0}, &res);
        find_at(&res.host, "host-tls-files", "/etc/docker/certs.d/reg.example:5000/ca.crt");
        ck_assert(strstr(
                find_at(&res.host, "host-file-permissions", "/etc/docker/certs.d/reg.example:5000/client.key")->message,
                "readable beyond root"));
        find_at(&res.host, "host-file-permissions", "/etc/docker/certs.d/other");
        ck_assert_uint_eq(count_rule(&res.host, "host-tls-files"), 1);
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 2); /* README is not a certificate */
}
END_TEST

START_TEST(test_containerds_sockets_are_roots_alone)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put_bytes("/run/containerd/containerd.sock", "", 0, 0660, 0, 0);
        put_bytes("/run/containerd/containerd.sock.ttrpc", "", 0, 0660, 0, 0);
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 0);
        put_bytes("/run/containerd/containerd.sock", "", 0, 0666, 0, 1000);
        put_bytes("/run/containerd/containerd.sock.ttrpc", "", 0, 0660, 1000, 0);
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-file-permissions"), 3);
        const struct finding *f = find_at(&res.host, "host-file-permissions", "/run/containerd/containerd.sock");
        ck_assert(strstr(f->message, "group gid 1000 may drive containerd"));
        ck_assert(strstr(find_at(&res.host, "host-file-permissions", "/run/containerd/containerd.sock.ttrpc")->message,
                         "owned by uid 1000, who can change how containerd runs"));
}
END_TEST

/* ------------------------------------------------------------ data root */

START_TEST(test_dockerds_bind_of_the_data_root_onto_itself_is_no_partition)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        /* What dockerd makes at start on a host with one file system. */
        put("/proc/self/mountinfo", "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                                    "90 22 8:1 /var/lib/docker /var/lib/docker rw,relatime - ext4 /dev/sda1 rw\n");
        audit_ok((struct audit_input){0}, &res);
        const struct finding *f = find_at(&res.host, "host-data-root-partition", "/var/lib/docker");
        ck_assert(strstr(f->message, "mounted at / (device 8:1), though it is a mount point"));
        /* The same bind over a partition of its own. */
        put("/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                                    "24 22 8:2 / /var/lib/docker rw - ext4 /dev/sdb1 rw\n"
                                    "90 24 8:2 / /var/lib/docker rw - ext4 /dev/sdb1 rw\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-data-root-partition"), 0);
        /* /proc/mounts has no mount root: the source tells. */
        unlink(at("/proc/self/mountinfo"));
        put("/proc/mounts", "/dev/sda1 / ext4 rw 0 0\n/dev/sda1 /var/lib/docker ext4 rw 0 0\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert(strstr(must_find(&res.host, "host-data-root-partition")->message, "(source /dev/sda1)"));
}
END_TEST

START_TEST(test_a_data_root_on_vars_own_file_system_shares_it)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        put("/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                                    "23 22 8:2 / /var rw - ext4 /dev/sda2 rw\n"
                                    "90 23 8:2 /lib/docker /var/lib/docker rw - ext4 /dev/sda2 rw\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert(strstr(must_find(&res.host, "host-data-root-partition")->message, "mounted at /var (device 8:2)"));
        put("/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\nnot a mountinfo line\n");
        audit_ok((struct audit_input){0}, &res);
        ck_assert_uint_eq(count_rule(&res.host, "host-data-root-partition"), 0);
        ck_assert(has_note(&res, "host-data-root-partition not checked"));
}
END_TEST

/* --------------------------------------------------------------- advice */

START_TEST(test_the_default_runtime_advice_names_setup_and_the_installed_path)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        audit_ok((struct audit_input){.runc_harden = "/usr/local/bin/runc-harden"}, &res);
        const char *m = must_find(&res.daemon, "daemon-default-runtime")->message;
        ck_assert_msg(strstr(m, "runc-harden setup docker --default"), "%s", m);
        ck_assert_msg(strstr(m, "the path /usr/local/bin/runc-harden"), "%s", m);
        ck_assert_msg(strstr(m, "\"hardened\""), "%s", m);
        ck_assert_msg(!strstr(m, "/usr/bin/runc-harden"), "%s", m);
        put("/etc/docker/daemon.json", "{\"runtimes\": {\"strict\": {\"path\": \"/opt/runc-harden\"}}}");
        audit_ok((struct audit_input){.runc_harden = harden_at("/opt/runc-harden")}, &res);
        m = must_find(&res.daemon, "daemon-default-runtime")->message;
        ck_assert_msg(strstr(m, "\"default-runtime\": \"strict\""), "%s", m);
        ck_assert_msg(strstr(m, "runc-harden setup docker --default"), "%s", m);
        ck_assert_uint_eq(res.harden_runtimes[0] != NULL, 1);
        ck_assert_str_eq(res.harden_runtimes[0], "strict");
        ck_assert_ptr_null(res.harden_runtimes[1]);
}
END_TEST

START_TEST(test_the_default_runtime_advice_names_the_file_dockerd_reads)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        fake_dockerd(77, (const char *const[]){"/usr/bin/dockerd", "--config-file", "/srv/d.json", NULL});
        put("/srv/d.json", "{}");
        audit_ok((struct audit_input){.runc_harden = harden_at("/usr/local/bin/runc-harden")}, &res);
        const char *m = must_find(&res.daemon, "daemon-default-runtime")->message;
        _cleanup_free_ char *want = NULL;
        ck_assert(asprintf(&want, "run runc-harden setup docker --default --daemon-config %s (", at("/srv/d.json")) >
                  0);
        ck_assert_msg(strstr(m, want), "%s", m);
}
END_TEST

/* Both daemon checks judge a runtime by the binary's device and inode: a
 * copy named runc-harden is not it, a link under another name is. */
START_TEST(test_the_default_runtime_and_the_bypass_check_agree_on_what_is_runc_harden)
{
        _cleanup_audit_result_ struct audit_result res = {0};
        _cleanup_free_ char *self = strdup(harden_at("/opt/rh/runc-harden")); /* at() reuses its buffers */
        put_bytes("/srv/old/runc-harden", "\177ELF", 4, 0755, 0, 0);
        parent_dirs("/usr/bin/rh");
        unlink(at("/usr/bin/rh"));
        ck_assert_int_eq(link(self, at("/usr/bin/rh")), 0);
        put("/etc/docker/daemon.json", "{\"runtimes\": {\"copy\": {\"path\": \"/srv/old/runc-harden\"}, "
                                       "\"linked\": {\"path\": \"/usr/bin/rh\"}}, \"default-runtime\": \"copy\"}");
        audit_ok((struct audit_input){.runc_harden = self}, &res);
        must_find(&res.daemon, "daemon-runtime-bypass");
        const char *m = must_find(&res.daemon, "daemon-default-runtime")->message;
        ck_assert_msg(strstr(m, "the default runtime is copy, not runc-harden"), "%s", m);
        ck_assert_msg(strstr(m, "\"default-runtime\": \"linked\""), "%s", m);
        ck_assert_str_eq(res.harden_runtimes[0], "linked");
        ck_assert_ptr_null(res.harden_runtimes[1]);
}
END_TEST

/* Docker's records of c1 and c2 under a fake data root. */
static void docker_records(const char *c1_runtime, const char *c2_runtime)
{
        char json[256];
        put("/var/lib/docker/containers/c1/config.v2.json", "{\"ID\": \"c1\", \"Name\": \"/web\"}");
        snprintf(json, sizeof(json), "{\"Runtime\": \"%s\"}", c1_runtime);
        put("/var/lib/docker/containers/c1/hostconfig.json", json);
        put("/var/lib/docker/containers/c2/config.v2.json", "{\"ID\": \"c2\", \"Name\": \"/db\"}");
        snprintf(json, sizeof(json), "{\"Runtime\": \"%s\"}", c2_runtime);
        put("/var/lib/docker/containers/c2/hostconfig.json", json);
}

START_TEST(test_containers_show_the_engines_name_and_whether_runc_harden_checked_them)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        char *const harden[] = {"hardened", NULL};
        fake_containers();
        docker_records("runc", "hardened");
        containers_ok((struct audit_container_input){.data_root = at("/var/lib/docker"), .harden_runtimes = harden},
                      &c);
        ck_assert_uint_eq(c.n, 2);
        ck_assert_str_eq(c.v[0].name, "web");
        ck_assert_str_eq(c.v[1].name, "db");
        const struct finding *f = must_find(&c.v[0].ev, "container-unchecked");
        ck_assert(strstr(f->message, "not checked by runc-harden: Docker started it with the runtime runc"));
        ck_assert_uint_eq(count_rule(&c.v[1].ev, "container-unchecked"), 0);
        /* After runc-harden setup system, dockerd's runc is runc-harden. */
        char *const with_runc[] = {"runc", NULL};
        containers_ok((struct audit_container_input){.data_root = at("/var/lib/docker"), .harden_runtimes = with_runc},
                      &c);
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-unchecked"), 0);
        ck_assert_uint_eq(count_rule(&c.v[1].ev, "container-unchecked"), 1);
}
END_TEST

START_TEST(test_cri_containers_are_named_pod_and_container)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        fake_containers();
        put("/bundles/c2/config.json", "{\"annotations\": {\"io.kubernetes.cri.container-name\": \"nginx\", "
                                       "\"io.kubernetes.cri.sandbox-name\": \"web-0\"}}");
        containers_ok((struct audit_container_input){0}, &c);
        ck_assert_ptr_null(c.v[0].name);
        ck_assert_str_eq(c.v[1].name, "web-0/nginx");
        /* No audit log, no Docker record: nobody can tell. */
        ck_assert_uint_eq(count_rule(&c.v[1].ev, "container-unchecked"), 0);
        ck_assert(strstr(c.notes.v[1], "container web-0/nginx (c2): whether runc-harden checked it is not known"));
}
END_TEST

START_TEST(test_the_unchecked_advice_says_what_it_means_and_how_to_tell)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        fake_containers();
        docker_records("runc", "runc");
        put("/log.jsonl", "{\"container\":\"c1\",\"verdict\":\"allow\"}\n");
        containers_ok((struct audit_container_input){.audit_log = at("/log.jsonl"), .data_root = at("/var/lib/docker")},
                      &c);
        const char *m = must_find(&c.v[1].ev, "container-unchecked")->message;
        ck_assert_msg(strstr(m, "not checked by runc-harden: no decision of runc-harden is recorded"), "%s", m);
        ck_assert_msg(strstr(m, "before the log was set"), "%s", m);
        ck_assert_msg(strstr(m, "docker inspect --format '{{.HostConfig.Runtime}}' c2"), "%s", m);
        ck_assert_msg(!strstr(m, "make runc-harden dockerd's default-runtime and recreate it"), "%s", m);
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-unchecked"), 0);
}
END_TEST

static Suite *audit_hardening_suite(void)
{
        Suite *s = suite_create("audit_hardening");
        TCase *d = tcase_create("daemon");
        tcase_add_checked_fixture(d, setup, teardown);
        tcase_add_test(d, test_each_docker_bench_setting_set_the_weak_way_is_reported);
        tcase_add_test(d, test_the_same_settings_set_well_pass);
        tcase_add_test(d, test_dockerd_flags_set_them_too);
        tcase_add_test(d, test_debug_mode_and_a_debug_level_in_any_case_are_debug_logs);
        tcase_add_test(d, test_wrong_types_and_flag_conflicts_of_the_new_keys_are_caught);
        tcase_add_test(d, test_a_custom_seccomp_profile_is_judged_like_a_specs);
        tcase_add_test(d, test_the_default_cgroup_parent_depends_on_the_cgroup_driver);
        suite_add_tcase(s, d);
        TCase *f = tcase_create("files");
        tcase_add_checked_fixture(f, setup, teardown);
        tcase_add_test(f, test_tls_files_are_root_read_only_certificates_and_root_only_keys);
        tcase_add_test(f, test_tls_on_without_file_names_checks_roots_docker_dir);
        tcase_add_test(f, test_registry_certificates_in_certs_d_are_checked);
        tcase_add_test(f, test_containerds_sockets_are_roots_alone);
        tcase_add_test(f, test_dockerds_bind_of_the_data_root_onto_itself_is_no_partition);
        tcase_add_test(f, test_a_data_root_on_vars_own_file_system_shares_it);
        suite_add_tcase(s, f);
        TCase *a = tcase_create("advice");
        tcase_add_checked_fixture(a, setup, teardown);
        tcase_add_test(a, test_the_default_runtime_advice_names_setup_and_the_installed_path);
        tcase_add_test(a, test_the_default_runtime_advice_names_the_file_dockerd_reads);
        tcase_add_test(a, test_the_default_runtime_and_the_bypass_check_agree_on_what_is_runc_harden);
        tcase_add_test(a, test_containers_show_the_engines_name_and_whether_runc_harden_checked_them);
        tcase_add_test(a, test_cri_containers_are_named_pod_and_container);
        tcase_add_test(a, test_the_unchecked_advice_says_what_it_means_and_how_to_tell);
        suite_add_tcase(s, a);
        return s;
}

RUN_SUITE(audit_hardening_suite)
