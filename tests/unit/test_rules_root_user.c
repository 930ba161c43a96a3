/* SPDX-License-Identifier: GPL-2.0-or-later */
/* root-user (policy/rules/root_user.c): uid 0, gid 0 and an additional group
 * 0 are root unless a user namespace maps them to an unprivileged host
 * range; a namespace whose mappings hold host id 0 maps nothing away. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nschild.h"
#include "testutil.h"

static struct eval eval_kind(const char *json, spec_kind_t kind)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec_kind(json, kind);
        struct eval ev = {0};
        s->bundle = strdup("/nonexistent-bundle");
        evaluate(p, s, kind == SPEC_PROCESS ? CHECK_EXEC : CHECK_CONFIG, &ev);
        return ev;
}

static struct eval eval_user(const char *user, const char *linux_json)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"process\":{\"args\":[\"true\"],\"user\":%s},\"linux\":%s}", user,
                 linux_json ? linux_json : "{}");
        return eval_kind(json, SPEC_CONFIG);
}

/* The one root-user finding, at ptr, saying text. */
static void expect_root(const struct eval *ev, const char *ptr, const char *text)
{
        const struct finding *f = find(ev, "root-user");
        ck_assert_msg(f != NULL, "no root-user finding");
        ck_assert_int_eq(f->action, ACTION_WARN);
        ck_assert_str_eq(f->pointer, ptr);
        ck_assert_msg(strstr(f->message, text), "\"%s\" lacks \"%s\"", f->message, text);
        ck_assert_uint_eq(count_rule(ev, "root-user"), 1);
}

static void expect_no_root(const struct eval *ev)
{
        const struct finding *f = find(ev, "root-user");
        ck_assert_msg(f == NULL, "unexpected root-user finding at %s: %s", f ? f->pointer : "", f ? f->message : "");
}

#define USERNS(uidmap, gidmap)                                                                                         \
        "{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[" uidmap "],\"gidMappings\":[" gidmap "]}"
#define MAP(c, h, n) "{\"containerID\":" #c ",\"hostID\":" #h ",\"size\":" #n "}"

START_TEST(test_group_root_warns_like_user_root)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":1000,\"gid\":0}", NULL);
        expect_root(&ev, "/process/user/gid", "runs with group root (gid 0)");
        /* an absent gid is Go's zero: group root */
        eval_replace(&ev, eval_user("{\"uid\":1000}", NULL));
        expect_root(&ev, "/process/user/gid", "group root");
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[5,0,7]}", NULL));
        expect_root(&ev, "/process/user/additionalGids/1", "group root");
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[1000,5]}", NULL));
        expect_no_root(&ev);
}
END_TEST

START_TEST(test_user_root_is_still_one_finding_at_the_uid)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":0,\"gid\":0,\"additionalGids\":[0]}", NULL);
        expect_root(&ev, "/process/user/uid", "runs as root (uid 0)");
}
END_TEST

START_TEST(test_a_user_namespace_that_maps_group_root_away_passes)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":0,\"gid\":0,\"additionalGids\":[0]}",
                                                  USERNS(MAP(0, 100000, 65536), MAP(0, 100000, 65536)));
        expect_no_root(&ev);
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":0}", USERNS(MAP(0, 100000, 65536), MAP(0, 100000, 65536))));
        expect_no_root(&ev);
}
END_TEST

START_TEST(test_a_user_namespace_that_maps_host_root_anywhere_maps_nothing_away)
{
        /* uid 0 mapped away, gid 0 to the host's */
        _cleanup_eval_ struct eval ev =
                eval_user("{\"uid\":0,\"gid\":0}", USERNS(MAP(0, 100000, 65536), MAP(0, 0, 65536)));
        expect_root(&ev, "/process/user/uid", "runs as root");
        /* container uid 1000 is host root: container root can become it */
        eval_replace(&ev, eval_user("{\"uid\":0,\"gid\":0}",
                                    USERNS(MAP(0, 100000, 1000) "," MAP(1000, 0, 1), MAP(0, 100000, 65536))));
        expect_root(&ev, "/process/user/uid", "runs as root");
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":0}", USERNS(MAP(0, 100000, 65536), MAP(0, 0, 1))));
        expect_root(&ev, "/process/user/gid", "group root");
}
END_TEST

START_TEST(test_a_joined_user_namespace_by_a_relative_path_maps_nothing_away)
{
        _cleanup_eval_ struct eval ev =
                eval_user("{\"uid\":0}", "{\"namespaces\":[{\"type\":\"user\",\"path\":\"proc/1/ns/user\"}]}");
        expect_root(&ev, "/process/user/uid", "runs as root");
}
END_TEST

START_TEST(test_exec_with_group_root_warns)
{
        _cleanup_eval_ struct eval ev = eval_kind(
                "{\"args\":[\"true\"],\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[0]}}", SPEC_PROCESS);
        expect_root(&ev, "/user/additionalGids/0", "unless the container has a user namespace");
}
END_TEST

START_TEST(test_a_group_that_is_not_an_integer_is_spec_invalid)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[\"0\"]}", NULL);
        const struct finding *f = find(&ev, "spec-invalid");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->pointer, "/process/user/additionalGids/0");
}
END_TEST

/* --- additionalGids as runc resolves them ---------------------------------- */

/* A bundle in tmpdir: rootfs/etc/group holding group (NULL: none). */
static void make_group_rootfs(const char *group)
{
        char p[256];
        make_tmpdir();
        snprintf(p, sizeof(p), "%s/rootfs", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/rootfs/etc", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        if (!group)
                return;
        snprintf(p, sizeof(p), "%s/rootfs/etc/group", tmpdir);
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fputs(group, f) >= 0, 1);
        fclose(f);
}

/* A spec of the bundle in tmpdir for user, with mounts (a JSON array or
 * NULL), judged online (or offline), as a container or as an exec
 * process of it. */
static struct eval eval_group_image_kind(const char *user, const char *mounts, bool offline, bool exec)
{
        char *json = NULL, *proc = NULL;
        struct policy *p = builtin_policy();
        ck_assert(asprintf(&json,
                           "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"true\"],\"user\":%s},"
                           "\"mounts\":%s,\"linux\":{}}",
                           user, mounts ? mounts : "[]") > 0);
        struct spec *config = parse_spec(json);
        config->bundle = strdup(tmpdir);
        config->offline = offline;
        struct eval ev = {0};
        if (exec) {
                ck_assert(asprintf(&proc, "{\"args\":[\"true\"],\"user\":%s}", user) > 0);
                struct spec *s = parse_spec_kind(proc, SPEC_PROCESS);
                s->container = config;
                evaluate(p, s, CHECK_EXEC, &ev);
                spec_free(s);
        } else {
                evaluate(p, config, CHECK_CONFIG, &ev);
        }
        spec_free(config);
        policy_free(p);
        free(json);
        free(proc);
        return ev;
}

static struct eval eval_group_image(const char *user, const char *mounts)
{
        return eval_group_image_kind(user, mounts, false, false);
}

#define USER_1000 "{\"uid\":1000,\"gid\":1000,\"additionalGids\":[1000]}"

START_TEST(test_an_image_group_named_like_the_id_gives_group_root)
{
        /* the attack: group "1000" with gid 0 in the image */
        make_group_rootfs("1000:x:0:\nroot:x:0:\n");
        struct eval ev = eval_group_image(USER_1000, NULL);
        expect_root(&ev, "/process/user/additionalGids/0",
                    "runs with group root (gid 0): runc resolves 1000 through "
                    "the image's /etc/group");
        eval_done(&ev);
        /* the same for an exec process of that container */
        ev = eval_group_image_kind(USER_1000, NULL, false, true);
        expect_root(&ev, "/user/additionalGids/0", "unless the container has a user namespace");
        eval_done(&ev);
        /* a gid that setgroups takes as 0, a gid that is not a number */
        remove_tmpdir();
        make_group_rootfs("staff:x:50:\n1000:x:4294967296:\n");
        ev = eval_group_image("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[50,1000]}", NULL);
        expect_root(&ev, "/process/user/additionalGids/1", "group root");
        eval_done(&ev);
        remove_tmpdir();
        make_group_rootfs("\xc2\xa0"
                          "1000:x:zero:\n");
        ev = eval_group_image(USER_1000, NULL);
        expect_root(&ev, "/process/user/additionalGids/0", "group root");
        eval_done(&ev);
}
END_TEST

START_TEST(test_an_image_whose_groups_resolve_elsewhere_passes)
{
        static const char *const files[] = {
                "users:x:1000:\n1000:x:0:\n", /* a gid match comes first */
                "#1000:x:0:\nroot:x:0:\n",    /* a comment */
                "1000:x:1000:\n",
                "root:x:0:\n",
        };
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
                make_group_rootfs(files[i]);
                struct eval ev = eval_group_image(USER_1000, NULL);
                expect_no_root(&ev);
                eval_done(&ev);
                remove_tmpdir();
        }
        /* no /etc/group: runc takes the ids as numbers */
        make_group_rootfs(NULL);
        struct eval ev = eval_group_image(USER_1000, NULL);
        expect_no_root(&ev);
        eval_done(&ev);
        /* no root file system here at all (lint away from the host, or
         * runc refuses the spec) */
        remove_tmpdir();
        make_tmpdir();
        ev = eval_group_image_kind(USER_1000, NULL, true, false);
        expect_no_root(&ev);
        eval_done(&ev);
}
END_TEST

START_TEST(test_the_group_file_is_read_inside_the_root_only)
{
        char p[256];
        /* a link out of the root stays inside it (RESOLVE_IN_ROOT): the
         * host's /etc/group, whose "root" group would not match anyway, is
         * never what is read; the image's own is */
        make_group_rootfs(NULL);
        snprintf(p, sizeof(p), "%s/rootfs/etc/group", tmpdir);
        ck_assert_int_eq(symlink("../../../../../../../etc/real-group", p), 0);
        snprintf(p, sizeof(p), "%s/rootfs/etc/real-group", tmpdir);
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        fputs("1000:x:0:\n", f);
        fclose(f);
        struct eval ev = eval_group_image(USER_1000, NULL);
        expect_root(&ev, "/process/user/additionalGids/0", "group root");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_group_file_that_cannot_be_read_counts_as_group_root)
{
        char p[256];
        make_group_rootfs(NULL);
        snprintf(p, sizeof(p), "%s/rootfs/etc/group", tmpdir);
        ck_assert_int_eq(mkfifo(p, 0644), 0);
        struct eval ev = eval_group_image(USER_1000, NULL);
        expect_root(&ev, "/process/user/additionalGids", "cannot be read");
        eval_done(&ev);
        unlink(p);
        /* too large to be read whole */
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        for (int i = 0; i < 80000; i++)
                fputs("somegroup:x:1234:\n", f);
        fclose(f);
        ev = eval_group_image(USER_1000, NULL);
        expect_root(&ev, "/process/user/additionalGids", "File too large");
        eval_done(&ev);
        /* an exec process whose container is not known */
        struct policy *pol = builtin_policy();
        struct spec *s = parse_spec_kind("{\"args\":[\"true\"],\"user\":" USER_1000 "}", SPEC_PROCESS);
        evaluate(pol, s, CHECK_EXEC, &ev);
        expect_root(&ev, "/user/additionalGids", "config.json is not known");
        eval_done(&ev);
        spec_free(s);
        policy_free(pol);
}
END_TEST

START_TEST(test_a_mount_over_the_group_file_decides_it)
{
        char src[256], mounts[600];
        make_group_rootfs("root:x:0:\n");
        /* a bind of a host file at /etc/group is that file (podman binds a
         * generated one for --read-only) */
        snprintf(src, sizeof(src), "%s/host-group", tmpdir);
        FILE *f = fopen(src, "we");
        ck_assert_ptr_nonnull(f);
        fputs("1000:x:0:\n", f);
        fclose(f);
        snprintf(mounts, sizeof(mounts),
                 "[{\"destination\":\"/etc/group\",\"type\":\"bind\",\"source\":\"%s\",\"options\":[\"rbind\"]}]", src);
        struct eval ev = eval_group_image(USER_1000, mounts);
        expect_root(&ev, "/process/user/additionalGids/0", "(bound at /etc/group)");
        eval_done(&ev);
        /* relative to the bundle, as runc takes it */
        ev = eval_group_image(USER_1000,
                              "[{\"destination\":\"/etc/group\",\"source\":\"host-group\",\"options\":[\"bind\"]}]");
        expect_root(&ev, "/process/user/additionalGids/0", "host-group (bound at /etc/group)");
        eval_done(&ev);
        /* a mount on /etc, or the root, cannot be judged from the image */
        static const char *const over[] = {
                "[{\"destination\":\"/etc\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]",
                "[{\"destination\":\"//etc/.\",\"type\":\"bind\",\"source\":\"/etc\",\"options\":[\"rbind\"]}]",
                "[{\"destination\":\"/\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]",
                "[{\"destination\":\"/etc/group\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]",
        };
        for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
                ev = eval_group_image(USER_1000, over[i]);
                expect_root(&ev, "/process/user/additionalGids", "replaces what runc reads as /etc/group");
                eval_done(&ev);
        }
        /* mounts elsewhere change nothing */
        ev = eval_group_image(USER_1000,
                              "[{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/etc/hosts\","
                              "\"options\":[\"rbind\"]},{\"destination\":\"/etcetera\",\"type\":\"tmpfs\"}]");
        expect_no_root(&ev);
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_mount_reached_through_the_images_links_counts)
{
        char p[256];
        /* /etc is a link to /data in the image: a mount at /data is a
         * mount over /etc */
        make_tmpdir();
        snprintf(p, sizeof(p), "%s/rootfs", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/rootfs/data", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/rootfs/etc", tmpdir);
        ck_assert_int_eq(symlink("/data", p), 0);
        struct eval ev = eval_group_image(USER_1000, "[{\"destination\":\"/data\",\"type\":\"tmpfs\"}]");
        expect_root(&ev, "/process/user/additionalGids", "the mount at /data replaces");
        eval_done(&ev);
        /* and a destination that is a link to /etc */
        remove_tmpdir();
        make_group_rootfs("root:x:0:\n");
        snprintf(p, sizeof(p), "%s/rootfs/conf", tmpdir);
        ck_assert_int_eq(symlink("etc", p), 0);
        ev = eval_group_image(USER_1000, "[{\"destination\":\"/conf\",\"type\":\"tmpfs\"}]");
        expect_root(&ev, "/process/user/additionalGids", "the mount at /conf replaces");
        eval_done(&ev);
        /* a link on the way, not only where the path ends: /etc/group ->
         * /a/b/group and /a/b -> /etc2 in the image; a volume at /a brings
         * its own b, and with it another group file */
        remove_tmpdir();
        make_group_rootfs(NULL);
        snprintf(p, sizeof(p), "%s/rootfs/etc/group", tmpdir);
        ck_assert_int_eq(symlink("/a/b/group", p), 0);
        snprintf(p, sizeof(p), "%s/rootfs/a", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/rootfs/a/b", tmpdir);
        ck_assert_int_eq(symlink("../etc2", p), 0);
        snprintf(p, sizeof(p), "%s/rootfs/etc2", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        ev = eval_group_image(USER_1000, NULL);
        expect_no_root(&ev); /* no group file where the links lead */
        eval_done(&ev);
        ev = eval_group_image(USER_1000, "[{\"destination\":\"/a\",\"type\":\"bind\",\"source\":\"/tmp\","
                                         "\"options\":[\"rbind\"]}]");
        expect_root(&ev, "/process/user/additionalGids", "the mount at /a replaces");
        eval_done(&ev);
        /* a mount elsewhere still changes nothing */
        ev = eval_group_image(USER_1000, "[{\"destination\":\"/b\",\"type\":\"tmpfs\"}]");
        expect_no_root(&ev);
        eval_done(&ev);
}
END_TEST

/* --- capabilities that make a user root ------------------------------------- */

static struct eval eval_caps(const char *caps, bool nnp)
{
        char json[1024];
        snprintf(json, sizeof(json),
                 "{\"process\":{\"args\":[\"true\"],\"user\":{\"uid\":1000,\"gid\":1000},\"noNewPrivileges\":%s,"
                 "\"capabilities\":%s},\"linux\":{}}",
                 nnp ? "true" : "false", caps);
        return eval_kind(json, SPEC_CONFIG);
}

START_TEST(test_ambient_setuid_or_setgid_makes_a_user_root)
{
        for (int nnp = 0; nnp <= 1; nnp++) {
                struct eval ev = eval_caps("{\"bounding\":[\"CAP_SETUID\"],\"permitted\":[\"CAP_SETUID\"],"
                                           "\"inheritable\":[\"CAP_SETUID\"],\"ambient\":[\"CAP_SETUID\"]}",
                                           nnp);
                expect_root(&ev, "/process/capabilities/ambient", "keeps CAP_SETUID across execve (the ambient set");
                ck_assert_msg(strstr(find(&ev, "root-user")->message, "setuid(0)"), "%s",
                              find(&ev, "root-user")->message);
                eval_done(&ev);
        }
        struct eval ev = eval_caps("{\"bounding\":[\"CAP_SETGID\"],\"permitted\":[\"CAP_SETGID\"],"
                                   "\"inheritable\":[\"CAP_SETGID\"],\"ambient\":[\"CAP_SETGID\"]}",
                                   true);
        expect_root(&ev, "/process/capabilities/ambient", "setgid(0) call makes it group root");
        eval_done(&ev);
}
END_TEST

START_TEST(test_permitted_setuid_that_file_capabilities_regain_makes_a_user_root)
{
        struct eval ev = eval_caps("{\"bounding\":[\"CAP_SETUID\"],\"permitted\":[\"CAP_SETUID\"],"
                                   "\"effective\":[\"CAP_SETUID\"]}",
                                   true);
        expect_root(&ev, "/process/capabilities/permitted", "the permitted set, which a program of the image");
        eval_done(&ev);
}
END_TEST

START_TEST(test_capabilities_that_do_not_survive_execve_pass)
{
        /* Docker's default for --user 1000: the bounding set only */
        struct eval ev = eval_caps("{\"bounding\":[\"CAP_SETUID\",\"CAP_SETGID\",\"CAP_CHOWN\"]}", false);
        expect_no_root(&ev);
        eval_done(&ev);
        ev = eval_caps("{\"effective\":[\"CAP_SETUID\"],\"permitted\":[\"CAP_SETUID\"]}", true);
        expect_no_root(&ev);
        eval_done(&ev);
        ev = eval_caps("{\"ambient\":[\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_NET_BIND_SERVICE\"],"
                       "\"inheritable\":[\"CAP_NET_BIND_SERVICE\"]}",
                       true);
        expect_no_root(&ev);
        eval_done(&ev);
        struct spec *s = corpus_spec("docker/user.json");
        struct policy *p = builtin_policy();
        ev = (struct eval){0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        expect_no_root(&ev);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_a_user_namespace_makes_the_capabilities_its_own)
{
        char json[1024];
        snprintf(json, sizeof(json),
                 "{\"process\":{\"args\":[\"true\"],\"user\":{\"uid\":1000,\"gid\":1000},\"capabilities\":{"
                 "\"permitted\":[\"CAP_SETUID\"],\"inheritable\":[\"CAP_SETUID\"],\"ambient\":[\"CAP_SETUID\"]}},"
                 "\"linux\":%s}",
                 USERNS(MAP(0, 100000, 65536), MAP(0, 100000, 65536)));
        struct eval ev = eval_kind(json, SPEC_CONFIG);
        expect_no_root(&ev);
        eval_done(&ev);
}
END_TEST

/* --- a joined user namespace is judged by its own maps ---------------------- */

static struct eval eval_joined(const char *user, pid_t holder)
{
        char json[1024];
        /* the spec's mappings are what runc wants, not what it applies */
        snprintf(json, sizeof(json),
                 "{\"process\":{\"args\":[\"true\"],\"user\":%s},\"linux\":{\"namespaces\":[{\"type\":\"user\","
                 "\"path\":\"/proc/%d/ns/user\"}],\"uidMappings\":[" MAP(0, 100000, 65536) "],\"gidMappings\":[" MAP(
                         0, 100000, 65536) "]}}",
                 user, (int)holder);
        return eval_kind(json, SPEC_CONFIG);
}

START_TEST(test_a_joined_user_namespace_that_maps_host_root_maps_nothing_away)
{
        struct nschild c = nschild_userns("0 0 65536", "0 0 65536");
        struct eval ev = eval_joined("{\"uid\":0,\"gid\":0}", c.pid);
        expect_root(&ev, "/process/user/uid", "runs as root");
        eval_done(&ev);
        nschild_release(&c);
        /* not written yet: whoever holds it may still write host root */
        c = nschild_userns(NULL, NULL);
        ev = eval_joined("{\"uid\":0,\"gid\":0}", c.pid);
        expect_root(&ev, "/process/user/uid", "runs as root");
        eval_done(&ev);
        nschild_release(&c);
        c = nschild_userns("0 100000 65536", "0 100000 65536");
        ev = eval_joined("{\"uid\":0,\"gid\":0}", c.pid);
        expect_no_root(&ev);
        eval_done(&ev);
        nschild_release(&c);
}
END_TEST

/* --- root, and exec as root, without a user namespace ---------------------- */

START_TEST(test_root_without_a_user_namespace_warns)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/default.json", true);
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN, NULL, NULL)->pointer, "/process/user/uid");
        eval_replace(&ev, eval_doc(NULL, "{\"process\":{\"args\":[\"true\"]}}"));
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN, NULL, NULL)->pointer, "/process/user");
        eval_replace(&ev, eval_corpus("docker/user.json", true));
        expect_none(&ev, "root-user");
}
END_TEST

START_TEST(test_root_mapped_by_a_user_namespace_passes)
{
        _cleanup_eval_ struct eval ev =
                eval_doc(NULL, "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
                               "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}}");
        expect_none(&ev, "root-user");
        /* an identity mapping of root is the host's root */
        eval_replace(&ev,
                     eval_doc(NULL,
                              "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
                              "\"uidMappings\":[{\"containerID\":1,\"hostID\":100001,\"size\":10},"
                              "{\"containerID\":0,\"hostID\":0,\"size\":1}]}}"));
        expect(&ev, "root-user", ACTION_WARN, NULL, NULL);
        /* mappings without a user namespace do nothing */
        eval_replace(&ev, eval_doc(NULL,
                                   "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"uidMappings\":[{\"containerID\":0,"
                                   "\"hostID\":100000,\"size\":65536}]}}"));
        expect(&ev, "root-user", ACTION_WARN, NULL, NULL);
        /* joining the host's user namespace maps nothing */
        eval_replace(&ev,
                     eval_doc(NULL, "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\","
                                    "\"path\":\"/proc/self/ns/user\"}]}}"));
        expect(&ev, "root-user", ACTION_WARN, NULL, NULL);
}
END_TEST

START_TEST(test_exec_as_root_warns)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = NULL;
        _cleanup_free_ char *path = corpus_path("docker/exec-plain.process.json");
        size_t len;
        _cleanup_free_ char *buf = read_file(path, &len);
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(spec_parse(buf, len, SPEC_PROCESS, &s, &err), 0);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN, NULL, NULL)->pointer, "/user/uid");
}
END_TEST

static Suite *rules_root_user_suite(void)
{
        Suite *s = suite_create("rules-root-user");
        TCase *tc = tcase_create("root-user");
        tcase_add_test(tc, test_group_root_warns_like_user_root);
        tcase_add_test(tc, test_user_root_is_still_one_finding_at_the_uid);
        tcase_add_test(tc, test_a_user_namespace_that_maps_group_root_away_passes);
        tcase_add_test(tc, test_a_user_namespace_that_maps_host_root_anywhere_maps_nothing_away);
        tcase_add_test(tc, test_a_joined_user_namespace_by_a_relative_path_maps_nothing_away);
        tcase_add_test(tc, test_exec_with_group_root_warns);
        tcase_add_test(tc, test_a_group_that_is_not_an_integer_is_spec_invalid);
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_an_image_group_named_like_the_id_gives_group_root);
        tcase_add_test(tc, test_an_image_whose_groups_resolve_elsewhere_passes);
        tcase_add_test(tc, test_the_group_file_is_read_inside_the_root_only);
        tcase_add_test(tc, test_a_group_file_that_cannot_be_read_counts_as_group_root);
        tcase_add_test(tc, test_a_mount_over_the_group_file_decides_it);
        tcase_add_test(tc, test_a_mount_reached_through_the_images_links_counts);
        tcase_add_test(tc, test_ambient_setuid_or_setgid_makes_a_user_root);
        tcase_add_test(tc, test_permitted_setuid_that_file_capabilities_regain_makes_a_user_root);
        tcase_add_test(tc, test_capabilities_that_do_not_survive_execve_pass);
        tcase_add_test(tc, test_a_user_namespace_makes_the_capabilities_its_own);
        tcase_add_test(tc, test_a_joined_user_namespace_that_maps_host_root_maps_nothing_away);
        tcase_add_test(tc, test_root_without_a_user_namespace_warns);
        tcase_add_test(tc, test_root_mapped_by_a_user_namespace_passes);
        tcase_add_test(tc, test_exec_as_root_warns);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_root_user_suite)
