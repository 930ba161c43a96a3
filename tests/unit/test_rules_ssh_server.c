/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ssh-server (policy/rules/ssh_server.c, its command-line analyser in
 * ssh_command.c): daemons however a command line starts them, and SSH
 * servers in the root file system, looked for inside it only. Each check
 * runs in its own forked process (Check's default). */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

static struct eval eval_args(const char *args, spec_kind_t kind)
{
        char json[1024];
        if (kind == SPEC_PROCESS)
                snprintf(json, sizeof(json), "{\"args\":%s,\"cwd\":\"/\"}", args);
        else
                snprintf(json, sizeof(json), "{\"process\":{\"args\":%s,\"cwd\":\"/\"}}", args);
        return eval_with(NULL, json, (struct eval_opts){.kind = kind, .offline = true, .bundle = NO_BUNDLE});
}

START_TEST(test_ssh_daemons_are_denied_however_started)
{
        static const char *const cmds[] = {
                "[\"/usr/sbin/sshd\",\"-D\"]",
                "[\"sshd\"]",
                "[\"dropbear\",\"-F\",\"-E\"]",
                "[\"sh\",\"-c\",\"service ssh start && tail -f /dev/null\"]",
                "[\"/bin/bash\",\"-lc\",\"echo starting; exec /usr/sbin/sshd -D -e 2>&1\"]",
                "[\"env\",\"-i\",\"FOO=1\",\"/usr/sbin/sshd\",\"-D\"]",
                "[\"/usr/bin/env\",\"-S\",\"sshd -D\"]",
                "[\"busybox\",\"sh\",\"-c\",\"(cd /; /usr/sbin/sshd)\"]",
                "[\"tini\",\"--\",\"/usr/sbin/sshd\",\"-D\"]",
                "[\"gosu\",\"root\",\"sshd\"]",
                "[\"timeout\",\"-s\",\"KILL\",\"3600\",\"sshd\"]",
                "[\"/etc/init.d/ssh\",\"start\"]",
                "[\"su\",\"-c\",\"/usr/sbin/dropbear -F\",\"root\"]",
                "[\"sh\",\"-c\",\"FOO=bar nohup sshd & wait\"]",
                "[\"sh\",\"-c\",\"if true; then '/usr/sbin/sshd' -D; fi\"]",
                "[\"sh\",\"-ec\",\"sh -c \\\"sshd -D\\\"\"]",
        };
        for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
                _cleanup_eval_ struct eval ev = eval_args(cmds[i], SPEC_CONFIG);
                const struct finding *f = find(&ev, "ssh-server");
                ck_assert_msg(f && f->action == ACTION_DENY, "%s was not denied", cmds[i]);
                ck_assert_str_eq(f->pointer, "/process/args");
        }
}
END_TEST

START_TEST(test_commands_that_only_mention_ssh_pass)
{
        static const char *const cmds[] = {
                "[\"ssh\",\"host\"]",
                "[\"echo\",\"sshd\"]",
                "[\"sh\",\"-c\",\"echo sshd; cat /etc/ssh/sshd_config\"]",
                "[\"sh\",\"/start-sshd.sh\"]",
                "[\"sshd-keygen\"]",
                "[\"grep\",\"-r\",\"dropbear\",\"/etc\"]",
                "[\"sh\",\"-c\",\"ssh-keygen -A > /dev/null\"]",
                "[\"sh\",\"-c\",\"command -v sshd || echo no sshd\"]",
        };
        for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
                _cleanup_eval_ struct eval ev = eval_args(cmds[i], SPEC_CONFIG);
                ck_assert_msg(!find(&ev, "ssh-server"), "%s was reported", cmds[i]);
        }
}
END_TEST

START_TEST(test_exec_of_an_ssh_daemon_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_args("[\"/usr/sbin/sshd\",\"-D\"]", SPEC_PROCESS);
        ck_assert_str_eq(expect(&ev, "ssh-server", ACTION_DENY, NULL, NULL)->pointer, "/args");
}
END_TEST

static char rootfs[128];

static void make_sshd_rootfs(void)
{
        make_tmpdir();
        snprintf(rootfs, sizeof(rootfs), "%s/bundle/rootfs/usr/sbin", tmpdir);
        mkdir_p(rootfs);
        snprintf(rootfs, sizeof(rootfs), "%s/bundle/rootfs", tmpdir);
}

static struct eval eval_rootfs(const char *root_path, bool offline)
{
        char json[512], bundle[128];
        snprintf(json, sizeof(json), "{\"root\":{\"path\":\"%s\"},\"process\":{\"args\":[\"true\"]}}", root_path);
        snprintf(bundle, sizeof(bundle), "%s/bundle", tmpdir);
        return eval_with(NULL, json, (struct eval_opts){.offline = offline, .bundle = bundle});
}

START_TEST(test_an_sshd_binary_in_the_rootfs_warns)
{
        char p[256];
        make_sshd_rootfs();
        snprintf(p, sizeof(p), "%s/usr/sbin/sshd", rootfs);
        write_file(p, "#!/bin/sh\n", 0755);
        /* root.path relative to the bundle, and absolute */
        _cleanup_eval_ struct eval ev = eval_rootfs("rootfs", false);
        const struct finding *f = expect(&ev, "ssh-server", ACTION_WARN, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/root/path");
        eval_replace(&ev, eval_rootfs(rootfs, true));
        expect(&ev, "ssh-server", ACTION_WARN, NULL, NULL);
}
END_TEST

START_TEST(test_a_symlink_in_the_image_never_reaches_a_host_file)
{
        char host[256], link[256], inside[256];
        make_sshd_rootfs();
        /* an executable sshd on the host, outside the rootfs */
        snprintf(host, sizeof(host), "%s/host-sshd", tmpdir);
        write_file(host, "#!/bin/sh\n", 0755);
        snprintf(link, sizeof(link), "%s/usr/sbin/sshd", rootfs);
        ck_assert_int_eq(symlink(host, link), 0);
        _cleanup_eval_ struct eval ev = eval_rootfs("rootfs", false);
        expect_none(&ev, "ssh-server");
        /* the same through ".." climbing out of the root */
        unlink(link);
        ck_assert_int_eq(symlink("../../../../../../../../../host-sshd", link), 0);
        eval_replace(&ev, eval_rootfs("rootfs", false));
        expect_none(&ev, "ssh-server");
        /* and the absolute target is resolved inside the rootfs instead */
        snprintf(inside, sizeof(inside), "%s%s", rootfs, tmpdir);
        mkdir_p(inside);
        strcat(inside, "/host-sshd");
        write_file(inside, "#!/bin/sh\n", 0755);
        unlink(link);
        ck_assert_int_eq(symlink(host, link), 0);
        eval_replace(&ev, eval_rootfs("rootfs", false));
        expect(&ev, "ssh-server", ACTION_WARN, NULL, NULL);
}
END_TEST

START_TEST(test_a_missing_rootfs_is_skipped_quietly)
{
        make_tmpdir();
        _cleanup_eval_ struct eval ev = eval_rootfs("no-such-rootfs", true);
        expect_none(&ev, "ssh-server");
        eval_replace(&ev, eval_corpus("docker/default.json", true));
        expect_none(&ev, "ssh-server");
}
END_TEST

START_TEST(test_a_non_executable_or_directory_sshd_is_no_server)
{
        char p[256];
        make_sshd_rootfs();
        snprintf(p, sizeof(p), "%s/usr/sbin/sshd", rootfs);
        mkdir_p(p);
        snprintf(p, sizeof(p), "%s/usr/sbin/dropbear", rootfs);
        write_file(p, "", 0644);
        _cleanup_eval_ struct eval ev = eval_rootfs("rootfs", false);
        expect_none(&ev, "ssh-server");
}
END_TEST

static Suite *rules_ssh_server_suite(void)
{
        Suite *s = suite_create("rules-ssh-server");
        TCase *tc;

        tc = tcase_create("ssh-server");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_ssh_daemons_are_denied_however_started);
        tcase_add_test(tc, test_commands_that_only_mention_ssh_pass);
        tcase_add_test(tc, test_exec_of_an_ssh_daemon_is_denied);
        tcase_add_test(tc, test_an_sshd_binary_in_the_rootfs_warns);
        tcase_add_test(tc, test_a_symlink_in_the_image_never_reaches_a_host_file);
        tcase_add_test(tc, test_a_missing_rootfs_is_skipped_quietly);
        tcase_add_test(tc, test_a_non_executable_or_directory_sshd_is_no_server);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_ssh_server_suite)
