/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "testutil.h"
#include "util.h"

/* Tests of host.c's walk of host paths: the kernel's resolution, the
 * limits it applies before looking, and what the walk notices on the way
 * (links others can change, links in /proc, the object it was asked to
 * watch). Each test runs in its own process: the facts host.c keeps do not
 * leak from one to the next. */

static void mkdir_at(const char *rel)
{
        _cleanup_free_ char *p = tmp_path(rel);
        ck_assert_int_eq(mkdir(p, 0755), 0);
}

static void symlink_at(const char *target, const char *rel)
{
        _cleanup_free_ char *p = tmp_path(rel);
        ck_assert_int_eq(symlink(target, p), 0);
}

static void write_file_at(const char *path)
{
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fclose(f);
}

static struct host_walk walk_ok(const char *path)
{
        struct host_walk w;
        int r = host_walk(path, NULL, &w);
        ck_assert_msg(r == 0, "walk of %s: %s", path, strerror(-r));
        return w;
}

START_TEST(test_paths_longer_than_the_kernel_takes_are_refused_before_any_lookup)
{
        struct host_walk w;
        _cleanup_free_ char *p = malloc(PATH_MAX + 1);

        /* PATH_MAX counts the NUL: 4095 bytes is the most the kernel takes */
        memset(p, 'a', PATH_MAX);
        p[0] = '/';
        for (size_t i = 2; i < PATH_MAX - 1; i += 2)
                p[i] = '/';
        p[PATH_MAX] = '\0';
        ck_assert_int_eq(path_check_length(p), -ENAMETOOLONG);
        ck_assert_int_eq(host_walk(p, NULL, &w), -ENAMETOOLONG);
        p[PATH_MAX - 1] = '\0';
        ck_assert_int_eq(path_check_length(p), 0);
        /* a name of 256 bytes, in a short path */
        memset(p, 'b', 300);
        p[0] = '/';
        p[257] = '\0';
        ck_assert_int_eq(path_check_length(p), -ENAMETOOLONG);
        ck_assert_int_eq(host_walk(p, NULL, &w), -ENAMETOOLONG);
        p[256] = '\0';
        ck_assert_int_eq(path_check_length(p), 0);
        /* path_resolve() still answers, by name */
        p[257] = 'b';
        p[300] = '\0';
        _cleanup_free_ char *r = path_resolve(p);
        ck_assert_str_eq(r, p);
}
END_TEST

START_TEST(test_links_and_dot_dot_are_followed_as_the_kernel_does)
{
        make_tmpdir();
        mkdir_at("a");
        mkdir_at("a/b");
        mkdir_at("c");
        symlink_at("a/b", "l");      /* relative */
        symlink_at("/etc/ssh", "e"); /* absolute */
        /* ".." after a link goes to the physical parent of its target */
        _cleanup_free_ char *p1 = tmp_path("l/../x"), *w1 = tmp_path("a/x");
        struct host_walk w = walk_ok(p1);
        ck_assert_str_eq(w.path, w1);
        ck_assert(!w.exists);
        ck_assert(w.followed_link);
        host_walk_done(&w);
        _cleanup_free_ char *p2 = tmp_path("e/..//./passwd");
        w = walk_ok(p2);
        ck_assert_str_eq(w.path, "/etc/passwd");
        ck_assert(w.exists);
        host_walk_done(&w);
        /* repeated slashes, "." and a trailing slash */
        _cleanup_free_ char *p3 = tmp_path(".//c/"), *w3 = tmp_path("c");
        w = walk_ok(p3);
        ck_assert_str_eq(w.path, w3);
        ck_assert(!w.followed_link);
        host_walk_done(&w);
        w = walk_ok("/../../");
        ck_assert_str_eq(w.path, "/");
        host_walk_done(&w);
        remove_tmpdir();
}
END_TEST

START_TEST(test_what_does_not_exist_is_taken_by_name)
{
        make_tmpdir();
        mkdir_at("d");
        _cleanup_free_ char *p = tmp_path("d/missing/deeper/../leaf"), *want = tmp_path("d/missing/leaf");
        _cleanup_free_ char *d = tmp_path("d");
        struct host_walk w = walk_ok(p);
        struct stat st;
        ck_assert_str_eq(w.path, want);
        ck_assert(!w.exists);
        ck_assert_uint_eq(w.exist_len, strlen(d));
        /* st and the chain are those of the last directory that exists */
        ck_assert_int_eq(stat(d, &st), 0);
        ck_assert_uint_eq(w.st.st_ino, st.st_ino);
        ck_assert_uint_eq(w.chain[0].ino, st.st_ino);
        ck_assert_int_eq(stat("/", &st), 0);
        ck_assert_uint_eq(w.chain[w.n_chain - 1].ino, st.st_ino);
        host_walk_done(&w);
        /* below a file: the kernel says ENOTDIR, the rest is a name */
        _cleanup_free_ char *f = tmp_path("file");
        write_file_at(f);
        _cleanup_free_ char *pf = tmp_path("file/x");
        w = walk_ok(pf);
        ck_assert(!w.exists);
        ck_assert_str_eq(w.path, pf);
        host_walk_done(&w);
        remove_tmpdir();
}
END_TEST

START_TEST(test_a_link_loop_and_the_forty_first_link_fail_as_in_the_kernel)
{
        char name[32], target[32];
        struct host_walk w;

        make_tmpdir();
        symlink_at("loop2", "loop1");
        symlink_at("loop1", "loop2");
        _cleanup_free_ char *p = tmp_path("loop1");
        ck_assert_int_eq(host_walk(p, NULL, &w), -ELOOP);
        /* a chain of 40 links resolves, one of 41 does not */
        mkdir_at("end");
        for (int i = 0; i < 41; i++) {
                snprintf(name, sizeof(name), "c%d", i);
                snprintf(target, sizeof(target), i == 0 ? "end" : "c%d", i - 1);
                symlink_at(target, name);
        }
        _cleanup_free_ char *forty = tmp_path("c39"), *many = tmp_path("c40"), *end = tmp_path("end");
        /* the failed walk first: it keeps nothing half-followed */
        ck_assert_int_eq(host_walk(many, NULL, &w), -ELOOP);
        for (int round = 0; round < 2; round++) {
                /* the second time through what the first one kept */
                w = walk_ok(forty);
                ck_assert_str_eq(w.path, end);
                host_walk_done(&w);
                ck_assert_int_eq(host_walk(many, NULL, &w), -ELOOP);
        }
        remove_tmpdir();
}
END_TEST

START_TEST(test_a_link_a_user_other_than_root_can_replace_makes_the_path_racy)
{
        make_tmpdir();
        mkdir_at("user");
        _cleanup_free_ char *user = tmp_path("user");
        ck_assert_int_eq(chown(user, 65534, 65534), 0);
        symlink_at("/etc", "user/link");
        symlink_at("/etc", "rootlink");
        _cleanup_free_ char *p = tmp_path("user/link/passwd"), *want = tmp_path("user/link");
        struct host_walk w = walk_ok(p);
        ck_assert_str_eq(w.racy_at, want);
        host_walk_done(&w);
        /* root's link in root's directory: not racy */
        _cleanup_free_ char *q = tmp_path("rootlink/passwd");
        w = walk_ok(q);
        ck_assert_ptr_null(w.racy_at);
        host_walk_done(&w);
        /* a link into the user's directory: the user can swap what follows */
        mkdir_at("user/dir");
        symlink_at("user/dir", "into");
        _cleanup_free_ char *r = tmp_path("into/x"), *rw = tmp_path("user/dir");
        for (int round = 0; round < 2; round++) {
                w = walk_ok(r);
                ck_assert_str_eq(w.racy_at, rw);
                host_walk_done(&w);
        }
        /* no link on the way: a path is not refused for its directories */
        _cleanup_free_ char *s = tmp_path("user/dir/x");
        w = walk_ok(s);
        ck_assert_ptr_null(w.racy_at);
        host_walk_done(&w);
        remove_tmpdir();
}
END_TEST

START_TEST(test_in_a_sticky_directory_only_the_owners_of_entries_count)
{
        make_tmpdir();
        mkdir_at("sticky");
        _cleanup_free_ char *d = tmp_path("sticky"), *mine = tmp_path("sticky/mine"),
                            *theirs = tmp_path("sticky/theirs");
        ck_assert_int_eq(chmod(d, 01777), 0);
        symlink_at("/etc", "sticky/mine");
        symlink_at("/etc", "sticky/theirs");
        ck_assert_int_eq(lchown(theirs, 65534, 65534), 0);
        struct host_walk w = walk_ok(mine);
        ck_assert_ptr_null(w.racy_at);
        host_walk_done(&w);
        w = walk_ok(theirs);
        ck_assert_str_eq(w.racy_at, theirs);
        host_walk_done(&w);
        remove_tmpdir();
}
END_TEST

START_TEST(test_a_link_in_proc_is_named)
{
        struct host_walk w = walk_ok("/proc/self/root/etc");
        ck_assert_str_eq(w.proc_link, "/proc/self");
        ck_assert_str_eq(w.path, "/etc");
        host_walk_done(&w);
        w = walk_ok("/proc/cpuinfo");
        ck_assert_ptr_null(w.proc_link);
        host_walk_done(&w);
}
END_TEST

START_TEST(test_relative_names_are_made_absolute_as_go_makes_them)
{
        make_tmpdir();
        _cleanup_free_ char *real = tmp_path("real"), *link = tmp_path("link"), *abs = NULL, *cwd = NULL;
        mkdir_at("real");
        mkdir_at("real/sub");
        symlink_at("real/sub", "link");
        ck_assert_int_eq(chdir(link), 0);
        /* Go takes $PWD when it names the working directory: ".." is then
         * the link's directory, not the parent of the real one */
        ck_assert_int_eq(setenv("PWD", link, 1), 0);
        abs = go_abs("../pid");
        _cleanup_free_ char *want = tmp_path("pid");
        ck_assert_str_eq(abs, want);
        free(abs);
        ck_assert_int_eq(setenv("PWD", "/", 1), 0); /* not the working directory: getcwd() */
        abs = go_abs("./x/../pid");
        cwd = getcwd(NULL, 0);
        _cleanup_free_ char *want2 = NULL;
        ck_assert_int_ge(asprintf(&want2, "%s/pid", cwd), 0);
        ck_assert_str_eq(abs, want2);
        free(abs);
        abs = go_abs("/proc/self/cwd/../pid");
        ck_assert_str_eq(abs, "/proc/self/pid");
        ck_assert_int_eq(chdir("/"), 0);
        (void)real;
}
END_TEST

START_TEST(test_a_proc_magic_link_is_not_followed)
{
        int fd = host_open_no_magiclinks("/proc/self/cwd", O_PATH);
        ck_assert_int_eq(fd, -ELOOP);
        fd = host_open_no_magiclinks("/proc/self/status", O_RDONLY);
        ck_assert_int_ge(fd, 0);
        close(fd);
        fd = host_open_no_magiclinks("/dev/fd/0", O_PATH);
        ck_assert_int_eq(fd, -ELOOP);
}
END_TEST

START_TEST(test_the_walk_says_when_it_passed_through_the_watched_object)
{
        struct stat st;
        struct host_walk w;

        make_tmpdir();
        mkdir_at("rootfs");
        mkdir_at("rootfs/proc");
        symlink_at("rootfs", "alias");
        _cleanup_free_ char *rootfs = tmp_path("rootfs"), *through = tmp_path("rootfs/../x"),
                            *alias = tmp_path("alias/proc"), *beside = tmp_path("x");
        ck_assert_int_eq(stat(rootfs, &st), 0);
        struct host_fileid id = {st.st_dev, st.st_ino};
        ck_assert_int_eq(host_walk(through, &id, &w), 0);
        ck_assert(w.watched);
        ck_assert_str_eq(w.path, beside);
        host_walk_done(&w);
        ck_assert_int_eq(host_walk(alias, &id, &w), 0);
        ck_assert(w.watched);
        host_walk_done(&w);
        ck_assert_int_eq(host_walk(beside, &id, &w), 0);
        ck_assert(!w.watched);
        host_walk_done(&w);
        remove_tmpdir();
}
END_TEST

START_TEST(test_forgotten_facts_are_looked_up_again)
{
        make_tmpdir();
        mkdir_at("one");
        mkdir_at("two");
        symlink_at("one", "flip");
        _cleanup_free_ char *flip = tmp_path("flip"), *one = tmp_path("one"), *two = tmp_path("two");
        struct host_walk w = walk_ok(flip);
        ck_assert_str_eq(w.path, one);
        host_walk_done(&w);
        ck_assert_int_eq(unlink(flip), 0);
        ck_assert_int_eq(symlink("two", flip), 0);
        host_facts_forget();
        w = walk_ok(flip);
        ck_assert_str_eq(w.path, two);
        host_walk_done(&w);
        struct stat st, hs;
        ck_assert_int_eq(stat(two, &st), 0);
        ck_assert_int_eq(host_stat(flip, &hs), 0);
        ck_assert_uint_eq(hs.st_ino, st.st_ino);
        _cleanup_free_ char *nothing = tmp_path("nothing");
        ck_assert_int_eq(host_stat(nothing, &hs), -ENOENT);
        remove_tmpdir();
}
END_TEST

START_TEST(test_a_deep_tree_is_walked_component_by_component)
{
        /* 1,000 nested directories: every lookup is relative to its parent,
         * and the result is exact */
        make_tmpdir();
        ck_assert_int_eq(chdir(tmpdir), 0);
        size_t n = strlen(tmpdir);
        _cleanup_free_ char *p = malloc(n + 1000 * 2 + 1);
        memcpy(p, tmpdir, n);
        for (int i = 0; i < 1000; i++) {
                ck_assert_int_eq(mkdir("d", 0755), 0);
                ck_assert_int_eq(chdir("d"), 0);
                memcpy(p + n + i * 2, "/d", 2);
        }
        p[n + 2000] = '\0';
        ck_assert_int_eq(chdir("/"), 0);
        struct host_walk w = walk_ok(p);
        ck_assert(w.exists);
        ck_assert_str_eq(w.path, p);
        ck_assert_uint_ge(w.n_chain, 1001);
        host_walk_done(&w);
        remove_tmpdir();
}
END_TEST

static Suite *host_suite(void)
{
        Suite *s = suite_create("host");
        TCase *tc = tcase_create("walk");
        tcase_add_test(tc, test_paths_longer_than_the_kernel_takes_are_refused_before_any_lookup);
        tcase_add_test(tc, test_links_and_dot_dot_are_followed_as_the_kernel_does);
        tcase_add_test(tc, test_what_does_not_exist_is_taken_by_name);
        tcase_add_test(tc, test_a_link_loop_and_the_forty_first_link_fail_as_in_the_kernel);
        tcase_add_test(tc, test_a_link_a_user_other_than_root_can_replace_makes_the_path_racy);
        tcase_add_test(tc, test_in_a_sticky_directory_only_the_owners_of_entries_count);
        tcase_add_test(tc, test_a_link_in_proc_is_named);
        tcase_add_test(tc, test_relative_names_are_made_absolute_as_go_makes_them);
        tcase_add_test(tc, test_a_proc_magic_link_is_not_followed);
        tcase_add_test(tc, test_the_walk_says_when_it_passed_through_the_watched_object);
        tcase_add_test(tc, test_forgotten_facts_are_looked_up_again);
        tcase_add_test(tc, test_a_deep_tree_is_walked_component_by_component);
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(host_suite)
