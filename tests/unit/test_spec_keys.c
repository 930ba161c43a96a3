/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exact keys only: every key that some Go release could take for a field of
 * the runtime-spec without being its exact name is refused at load, at every
 * level of config.json, exec process files and update documents; maps never
 * fold; what engines write loads unchanged. */
#include <dirent.h>

#include "spec_schema.h"
#include "testutil.h"
#include "util.h"

/* JSON texts below spell non-ASCII runes as \u escapes, which yajl decodes
 * to the UTF-8 bytes Go's decoder sees as well. */
struct fold_case {
        spec_kind_t kind;
        const char *json;
        const char *message; /* "POINTER: the key \"KEY\" could be taken for the field \"FIELD\"" */
};

static void expect_folded(const struct fold_case *c)
{
        expect_spec_error(c->json, strlen(c->json), c->kind, c->message);
}

/* --- Go's folding ------------------------------------------------------- */

START_TEST(test_ascii_case_folds_onto_letters_only)
{
        ck_assert(go_key_folds_onto("NameSpaces", 10, "namespaces"));
        ck_assert(go_key_folds_onto("L3CACHESCHEMA", 13, "l3CacheSchema"));
        ck_assert(go_key_folds_onto("dnssearchlist", 13, "DNSSearchList"));
        /* digits and punctuation match themselves only: '3' | 0x20 is '3',
         * but '#' is not '3', and '@' is not '`' */
        ck_assert(!go_key_folds_onto("l#CacheSchema", 13, "l3CacheSchema"));
        ck_assert(!go_key_folds_onto("@", 1, "`"));
        ck_assert(!go_key_folds_onto("uid", 3, "gid"));
        ck_assert(!go_key_folds_onto("ui", 2, "uid"));
        ck_assert(!go_key_folds_onto("uidd", 4, "uid"));
        ck_assert(!go_key_folds_onto("", 0, "uid"));
}
END_TEST

START_TEST(test_the_four_non_ascii_letters_fold_and_nothing_else)
{
        /* U+212A KELVIN SIGN onto k, U+017F LONG S onto s: all releases */
        ck_assert(go_key_folds_onto("hoo\xe2\x84\xaas", 7, "hooks"));
        ck_assert(go_key_folds_onto("HOO\xe2\x84\xaaS", 7, "hooks"));
        ck_assert(go_key_folds_onto("mount\xc5\xbf", 7, "mounts"));
        /* U+0130 and U+0131 onto i: Go 1.21 and later */
        ck_assert(go_key_folds_onto("u\xc4\xb0"
                                    "d",
                                    4, "uid"));
        ck_assert(go_key_folds_onto("u\xc4\xb1"
                                    "d",
                                    4, "uid"));
        ck_assert(go_key_folds_onto("L\xc4\xb0NUX", 6, "linux"));
        /* ...each onto its own letter only */
        ck_assert(!go_key_folds_onto("\xe2\x84\xaa"
                                     "ey",
                                     5, "sey"));
        ck_assert(!go_key_folds_onto("u\xc5\xbf"
                                     "d",
                                     4, "uid"));
        /* other letters that look alike do not fold onto ASCII in any
         * release: Greek capital iota U+0399, fullwidth I U+FF29, Latin
         * small letter i with ogonek U+012F, Angstrom sign U+212B */
        ck_assert(!go_key_folds_onto("u\xce\x99"
                                     "d",
                                     4, "uid"));
        ck_assert(!go_key_folds_onto("u\xef\xbc\xa9"
                                     "d",
                                     5, "uid"));
        ck_assert(!go_key_folds_onto("u\xc4\xaf"
                                     "d",
                                     4, "uid"));
        ck_assert(!go_key_folds_onto("\xe2\x84\xab", 3, "a"));
        /* a NUL byte is never part of a field name */
        ck_assert(!go_key_folds_onto("uid\0", 4, "uid"));
        ck_assert(!go_key_folds_onto("u\0d", 3, "uid"));
}
END_TEST

/* --- ASCII case at every level ------------------------------------------- */

static const struct fold_case ascii_cases[] = {
        {SPEC_CONFIG, "{\"Process\":{}}",
         "/: the key \"Process\" could be taken for the field \"process\" (specs.Spec)"},
        {SPEC_CONFIG, "{\"OCIVersion\":\"1.0.2\"}",
         "/: the key \"OCIVersion\" could be taken for the field \"ociVersion\""},
        {SPEC_CONFIG, "{\"process\":{\"ARGS\":[\"sh\"]}}",
         "/process: the key \"ARGS\" could be taken for the field \"args\" (specs.Process)"},
        {SPEC_CONFIG, "{\"process\":{\"user\":{\"UID\":0}}}",
         "/process/user: the key \"UID\" could be taken for the field \"uid\" (specs.User)"},
        {SPEC_CONFIG, "{\"process\":{\"user\":{\"AdditionalGids\":[0]}}}",
         "/process/user: the key \"AdditionalGids\" could be taken for the field \"additionalGids\""},
        {SPEC_CONFIG, "{\"process\":{\"capabilities\":{\"Bounding\":[]}}}",
         "/process/capabilities: the key \"Bounding\" could be taken for the field \"bounding\""},
        {SPEC_CONFIG, "{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NPROC\",\"Hard\":1,\"soft\":1}]}}",
         "/process/rlimits/0: the key \"Hard\" could be taken for the field \"hard\" (specs.POSIXRlimit)"},
        {SPEC_CONFIG, "{\"process\":{\"scheduler\":{\"Nice\":1}}}",
         "/process/scheduler: the key \"Nice\" could be taken for the field \"nice\" (specs.Scheduler)"},
        {SPEC_CONFIG, "{\"root\":{\"path\":\"rootfs\",\"ReadOnly\":false}}",
         "/root: the key \"ReadOnly\" could be taken for the field \"readonly\" (specs.Root)"},
        {SPEC_CONFIG, "{\"mounts\":[{\"destination\":\"/x\"},{\"destination\":\"/y\",\"Options\":[]}]}",
         "/mounts/1: the key \"Options\" could be taken for the field \"options\" (specs.Mount)"},
        {SPEC_CONFIG, "{\"hooks\":{\"Prestart\":[]}}",
         "/hooks: the key \"Prestart\" could be taken for the field \"prestart\" (specs.Hooks)"},
        {SPEC_CONFIG, "{\"hooks\":{\"poststop\":[{\"PATH\":\"/bin/true\"}]}}",
         "/hooks/poststop/0: the key \"PATH\" could be taken for the field \"path\" (specs.Hook)"},
        {SPEC_CONFIG, "{\"linux\":{\"Namespaces\":[]}}",
         "/linux: the key \"Namespaces\" could be taken for the field \"namespaces\" (specs.Linux)"},
        {SPEC_CONFIG, "{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"Path\":\"/proc/1/ns/net\"}]}}",
         "/linux/namespaces/0: the key \"Path\" could be taken for the field \"path\" (specs.LinuxNamespace)"},
        {SPEC_CONFIG, "{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"HostId\":0,\"size\":1}]}}",
         "/linux/uidMappings/0: the key \"HostId\" could be taken for the field \"hostID\" (specs.LinuxIDMapping)"},
        {SPEC_CONFIG, "{\"linux\":{\"resources\":{\"Pids\":{\"limit\":10}}}}",
         "/linux/resources: the key \"Pids\" could be taken for the field \"pids\" (specs.LinuxResources)"},
        {SPEC_CONFIG, "{\"linux\":{\"resources\":{\"memory\":{\"LIMIT\":1}}}}",
         "/linux/resources/memory: the key \"LIMIT\" could be taken for the field \"limit\" (specs.LinuxMemory)"},
        {SPEC_CONFIG, "{\"linux\":{\"resources\":{\"devices\":[{\"Allow\":true}]}}}",
         "/linux/resources/devices/0: the key \"Allow\" could be taken for the field \"allow\""},
        /* a field promoted from an embedded struct (LinuxBlockIODevice) */
        {SPEC_CONFIG, "{\"linux\":{\"resources\":{\"blockIO\":{\"weightDevice\":[{\"Major\":8}]}}}}",
         "/linux/resources/blockIO/weightDevice/0: the key \"Major\" could be taken for the field \"major\""},
        /* the values of a map of structs are structs */
        {SPEC_CONFIG, "{\"linux\":{\"resources\":{\"rdma\":{\"mlx5_0\":{\"HcaHandles\":1}}}}}",
         "/linux/resources/rdma/mlx5_0: the key \"HcaHandles\" could be taken for the field \"hcaHandles\""},
        {SPEC_CONFIG, "{\"linux\":{\"seccomp\":{\"DefaultAction\":\"SCMP_ACT_ALLOW\"}}}",
         "/linux/seccomp: the key \"DefaultAction\" could be taken for the field \"defaultAction\""},
        {SPEC_CONFIG, "{\"linux\":{\"seccomp\":{\"syscalls\":[{\"names\":[\"bpf\"],\"ACTION\":\"SCMP_ACT_ALLOW\"}]}}}",
         "/linux/seccomp/syscalls/0: the key \"ACTION\" could be taken for the field \"action\""},
        {SPEC_CONFIG, "{\"linux\":{\"seccomp\":{\"syscalls\":[{\"args\":[{\"index\":0,\"OP\":\"SCMP_CMP_EQ\"}]}]}}}",
         "/linux/seccomp/syscalls/0/args/0: the key \"OP\" could be taken for the field \"op\""},
        {SPEC_CONFIG, "{\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"FileMode\":438}]}}",
         "/linux/devices/0: the key \"FileMode\" could be taken for the field \"fileMode\" (specs.LinuxDevice)"},
        {SPEC_CONFIG, "{\"linux\":{\"netDevices\":{\"eth0\":{\"NAME\":\"x\"}}}}",
         "/linux/netDevices/eth0: the key \"NAME\" could be taken for the field \"name\" (specs.LinuxNetDevice)"},
        {SPEC_CONFIG, "{\"linux\":{\"personality\":{\"Domain\":\"LINUX\"}}}",
         "/linux/personality: the key \"Domain\" could be taken for the field \"domain\""},
        {SPEC_CONFIG, "{\"windows\":{\"network\":{\"dnssearchlist\":[]}}}",
         "/windows/network: the key \"dnssearchlist\" could be taken for the field \"DNSSearchList\""},
};

START_TEST(test_ascii_case_variants_are_refused_at_every_level)
{
        for (size_t i = 0; i < ARRAY_SIZE(ascii_cases); i++)
                expect_folded(&ascii_cases[i]);
}
END_TEST

/* --- the non-ASCII letters -------------------------------------------------- */

static const struct fold_case unicode_cases[] = {
        /* U+212A KELVIN SIGN */
        {SPEC_CONFIG, "{\"hoo\\u212As\":{}}", "/: the key \"hoo<U+212A>s\" could be taken for the field \"hooks\""},
        {SPEC_CONFIG, "{\"linux\":{\"resources\":{\"memory\":{\"\\u212Aernel\":1}}}}",
         "/linux/resources/memory: the key \"<U+212A>ernel\" could be taken for the field \"kernel\""},
        /* U+017F LATIN SMALL LETTER LONG S */
        {SPEC_CONFIG, "{\"mount\\u017F\":[]}", "/: the key \"mount<U+017F>\" could be taken for the field \"mounts\""},
        {SPEC_CONFIG, "{\"linux\":{\"\\u017Feccomp\":{}}}",
         "/linux: the key \"<U+017F>eccomp\" could be taken for the field \"seccomp\""},
        /* U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE: a whole section */
        {SPEC_CONFIG, "{\"L\\u0130NUX\":{\"namespaces\":[]}}",
         "/: the key \"L<U+0130>NUX\" could be taken for the field \"linux\" (specs.Spec)"},
        {SPEC_CONFIG, "{\"process\":{\"user\":{\"u\\u0130d\":0}}}",
         "/process/user: the key \"u<U+0130>d\" could be taken for the field \"uid\""},
        /* U+0131 LATIN SMALL LETTER DOTLESS I */
        {SPEC_CONFIG, "{\"l\\u0131nux\":{}}", "/: the key \"l<U+0131>nux\" could be taken for the field \"linux\""},
        {SPEC_CONFIG, "{\"process\":{\"noNewPr\\u0131vileges\":true}}",
         "/process: the key \"noNewPr<U+0131>vileges\" could be taken for the field \"noNewPrivileges\""},
        {SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":{\"l\\u0131mit\":10}}}}",
         "/linux/resources/pids: the key \"l<U+0131>mit\" could be taken for the field \"limit\" (specs.LinuxPids)"},
        /* mixed with ASCII case */
        {SPEC_CONFIG, "{\"linux\":{\"NAME\\u017FPACE\\u017F\":[]}}",
         "/linux: the key \"NAME<U+017F>PACE<U+017F>\" could be taken for the field \"namespaces\""},
};

START_TEST(test_kelvin_long_s_and_both_dotted_is_are_refused)
{
        for (size_t i = 0; i < ARRAY_SIZE(unicode_cases); i++)
                expect_folded(&unicode_cases[i]);
}
END_TEST

/* --- exec process files and update documents ------------------------------- */

static const struct fold_case document_cases[] = {
        {SPEC_PROCESS, "{\"args\":[\"sh\"],\"NoNewPrivileges\":false}",
         "/: the key \"NoNewPrivileges\" could be taken for the field \"noNewPrivileges\" (specs.Process)"},
        {SPEC_PROCESS, "{\"args\":[\"sh\"],\"user\":{\"u\\u0131d\":0}}",
         "/user: the key \"u<U+0131>d\" could be taken for the field \"uid\" (specs.User)"},
        {SPEC_PROCESS, "{\"capabilities\":{\"bounding\":[],\"Ambient\":[\"CAP_SYS_ADMIN\"]}}",
         "/capabilities: the key \"Ambient\" could be taken for the field \"ambient\""},
        {SPEC_RESOURCES, "{\"PIDS\":{\"limit\":10}}",
         "/: the key \"PIDS\" could be taken for the field \"pids\" (specs.LinuxResources)"},
        {SPEC_RESOURCES, "{\"pids\":{\"l\\u0130mit\":-1}}",
         "/pids: the key \"l<U+0130>mit\" could be taken for the field \"limit\" (specs.LinuxPids)"},
        {SPEC_RESOURCES, "{\"memory\":{\"\\u017Fwap\":-1}}",
         "/memory: the key \"<U+017F>wap\" could be taken for the field \"swap\" (specs.LinuxMemory)"},
};

START_TEST(test_process_files_and_resources_documents_are_checked_as_their_go_types)
{
        for (size_t i = 0; i < ARRAY_SIZE(document_cases); i++)
                expect_folded(&document_cases[i]);
        /* a process file's keys are Process fields, not Spec fields: a
         * "Linux" key in one folds onto nothing runc reads there */
        _cleanup_spec_ struct spec *proc = parse_spec_kind("{\"args\":[\"sh\"],\"Linux\":{}}", SPEC_PROCESS);
        _cleanup_spec_ struct spec *res = parse_spec_kind("{\"pids\":{\"limit\":10},\"Process\":{}}", SPEC_RESOURCES);
}
END_TEST

/* --- what is not refused ---------------------------------------------------- */

START_TEST(test_map_keys_are_data_and_never_fold)
{
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"annotations\":{\"Linux\":\"1\",\"linux\":\"2\",\"L\\u0130NUX\":\"3\"},"
                           "\"linux\":{\"sysctl\":{\"net.X\":\"1\",\"net.x\":\"2\"},"
                           "\"resources\":{\"unified\":{\"PIDS.MAX\":\"1\",\"pids.max\":\"2\"},"
                           "\"rdma\":{\"Mlx5_0\":{\"hcaHandles\":1},\"mlx5_0\":{\"hcaObjects\":2}}},"
                           "\"netDevices\":{\"Eth0\":{},\"eth0\":{}},"
                           "\"timeOffsets\":{\"Monotonic\":{},\"monotonic\":{\"secs\":1}}}}");
        ck_assert_str_eq(jv_get(jv_get(s->root, "annotations"), "linux")->u.str.s, "2");
        ck_assert_str_eq(jv_get(jv_get(jv_get(s->root, "linux"), "sysctl"), "net.x")->u.str.s, "2");
}
END_TEST

START_TEST(test_unknown_keys_are_ignored_as_runc_ignores_them)
{
        /* no field of specs.Spec folds onto these */
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"linuxx\":{},\"lin ux\":{},\"Foo\":{\"Linux\":{\"Namespaces\":1}},"
                           "\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"paths\":\"/x\"}]}}");
        struct jv *ns = jv_get(jv_get(s->root, "linux"), "namespaces");
        ck_assert_uint_eq(ns->u.arr.n, 1);
        ck_assert_ptr_null(jv_get(ns->u.arr.v[0], "path"));
        /* a field that holds a list of strings has no keys to fold */
        _cleanup_spec_ struct spec *args = parse_spec("{\"process\":{\"args\":[{\"ARGS\":1}]}}");
}
END_TEST

START_TEST(test_repeated_keys_are_refused_anywhere)
{
        expect_spec_error("{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"type\":\"network\"}]}}", 58, SPEC_CONFIG,
                          "/linux/namespaces/0: duplicate keys \"type\"");
        expect_spec_error("{\"foo\":{\"a\":1,\"a\":2}}", 21, SPEC_CONFIG, "/foo: duplicate keys \"a\"");
        expect_spec_error("{\"pids\":{\"limit\":1,\"limit\":-1}}", 31, SPEC_RESOURCES, "/pids: duplicate keys");
}
END_TEST

START_TEST(test_the_message_spells_out_control_characters_nul_and_non_ascii)
{
        const char j[] = "{\"process\":{},\"PROCESS\\u0000\":{},\"process\":{}}";
        expect_spec_error(j, sizeof(j) - 1, SPEC_CONFIG, "/: duplicate keys \"process\"");
        const char k[] = "{\"x\":{\"a\\u0001\\\"\\\\\\u0131\":1,\"a\\u0001\\\"\\\\\\u0131\":2}}";
        expect_spec_error(k, sizeof(k) - 1, SPEC_CONFIG, "/x: duplicate keys \"a<U+0001>\"\\<U+0131>\"");
        const char z[] = "{\"x\":{\"a\\u0000b\":1,\"a\\u0000b\":2}}";
        expect_spec_error(z, sizeof(z) - 1, SPEC_CONFIG, "/x: duplicate keys \"a<U+0000>b\"");
}
END_TEST

START_TEST(test_a_long_key_is_cut_in_the_message)
{
        char j[4096];
        int n = snprintf(j, sizeof(j), "{\"process\":{},\"%0200d\":1,\"%0200d\":2}", 0, 0);
        expect_spec_error(j, (size_t)n, SPEC_CONFIG, "00000...\"");
}
END_TEST

/* --- engines write exact names -------------------------------------------- */

static spec_kind_t kind_of(const char *name)
{
        return strstr(name, ".process.json")     ? SPEC_PROCESS
               : strstr(name, ".resources.json") ? SPEC_RESOURCES
                                                 : SPEC_CONFIG;
}

static check_kind_t check_of(spec_kind_t k)
{
        return k == SPEC_PROCESS ? CHECK_EXEC : k == SPEC_RESOURCES ? CHECK_UPDATE : CHECK_CONFIG;
}

/* Every document the engines wrote loads, and once the built-in policy
 * fixed it, loads again: fixes write exact names as well. */
START_TEST(test_engine_documents_load_and_fixed_documents_load_again)
{
        static const char *const dirs[] = {"docker", "podman"};
        _cleanup_policy_ struct policy *p = builtin_policy();
        size_t seen = 0;

        for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
                _cleanup_free_ char *dir = corpus_path(dirs[d]);
                _cleanup_closedir_ DIR *dh = opendir(dir);
                struct dirent *de;
                ck_assert_ptr_nonnull(dh);
                while ((de = readdir(dh))) {
                        if (!strstr(de->d_name, ".json"))
                                continue;
                        _cleanup_free_ char *path = NULL, *out = NULL;
                        size_t len;
                        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                        _cleanup_spec_ struct spec *s = NULL, *again = NULL;
                        _cleanup_eval_ struct eval ev = {0};
                        spec_kind_t k = kind_of(de->d_name);

                        ck_assert(asprintf(&path, "%s/%s", dir, de->d_name) > 0);
                        _cleanup_free_ char *buf = read_file(path, &len);
                        ck_assert_msg(spec_parse(buf, len, k, &s, &err) == 0, "%s: %s", path, rh_error_msg(&err));
                        s->offline = true;
                        evaluate(p, s, check_of(k), &ev);
                        if (eval_verdict(&ev) == VERDICT_FIX)
                                ck_assert_msg(engine_apply_fixes(p, s, check_of(k), &ev, &err) == 0, "%s: %s", path,
                                              rh_error_msg(&err));
                        ck_assert_int_eq(spec_serialize(s, false, &out, &len, &err), 0);
                        ck_assert_msg(spec_parse(out, len, k, &again, &err) == 0, "%s fixed: %s", path,
                                      rh_error_msg(&err));
                        seen++;
                }
        }
        ck_assert_uint_ge(seen, 13);
}
END_TEST

/* --- the schema itself ------------------------------------------------------- */

static void check_schema(const struct schema *t, unsigned depth)
{
        ck_assert_uint_lt(depth, 12);
        if (t->kind == SCHEMA_MAP) {
                ck_assert_ptr_null(t->fields);
                if (t->elem)
                        check_schema(t->elem, depth + 1);
                return;
        }
        ck_assert_int_eq(t->kind, SCHEMA_STRUCT);
        ck_assert_ptr_null(t->elem);
        for (const struct schema_field *f = t->fields; f->name; f++) {
                for (const char *c = f->name; *c; c++)
                        ck_assert_msg((unsigned char)*c < 0x80, "%s.%s is not ASCII", t->go_name, f->name);
                /* Two fields Go would confuse would make one unreachable. */
                for (const struct schema_field *g = t->fields; g < f; g++)
                        ck_assert_msg(!go_key_folds_onto(f->name, strlen(f->name), g->name), "%s: %s and %s",
                                      t->go_name, g->name, f->name);
                ck_assert_ptr_eq(schema_field_exact(t, f->name, strlen(f->name)), f);
                if (f->type)
                        check_schema(f->type, depth + 1);
        }
}

START_TEST(test_the_schema_has_no_two_fields_that_fold_alike)
{
        check_schema(&schema_spec, 0);
        check_schema(&schema_process, 0);
        check_schema(&schema_linux_resources, 0);
        ck_assert_ptr_eq(schema_field_exact(&schema_spec, "process", 7)->type, &schema_process);
        ck_assert_ptr_eq(schema_field_exact(schema_field_exact(&schema_spec, "linux", 5)->type, "resources", 9)->type,
                         &schema_linux_resources);
        ck_assert_ptr_null(schema_field_exact(&schema_spec, "process\0", 8));
}
END_TEST

static Suite *spec_keys_suite(void)
{
        Suite *s = suite_create("spec-keys");
        TCase *tc = tcase_create("keys");
        tcase_add_test(tc, test_ascii_case_folds_onto_letters_only);
        tcase_add_test(tc, test_the_four_non_ascii_letters_fold_and_nothing_else);
        tcase_add_test(tc, test_ascii_case_variants_are_refused_at_every_level);
        tcase_add_test(tc, test_kelvin_long_s_and_both_dotted_is_are_refused);
        tcase_add_test(tc, test_process_files_and_resources_documents_are_checked_as_their_go_types);
        tcase_add_test(tc, test_map_keys_are_data_and_never_fold);
        tcase_add_test(tc, test_unknown_keys_are_ignored_as_runc_ignores_them);
        tcase_add_test(tc, test_repeated_keys_are_refused_anywhere);
        tcase_add_test(tc, test_the_message_spells_out_control_characters_nul_and_non_ascii);
        tcase_add_test(tc, test_a_long_key_is_cut_in_the_message);
        tcase_add_test(tc, test_engine_documents_load_and_fixed_documents_load_again);
        tcase_add_test(tc, test_the_schema_has_no_two_fields_that_fold_alike);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(spec_keys_suite)
