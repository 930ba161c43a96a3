/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"
#include "workload.h"

#define CID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define IMG "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static void write_at(const char *rel, const char *content, mode_t mode)
{
        _cleanup_free_ char *p = NULL, *cmd = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, rel) > 0);
        ck_assert(asprintf(&cmd, "mkdir -p \"$(dirname '%s')\"", p) > 0);
        ck_assert_int_eq(system(cmd), 0);
        FILE *f = fopen(p, "w");
        ck_assert_ptr_nonnull(f);
        fputs(content, f);
        fclose(f);
        ck_assert_int_eq(chmod(p, mode), 0);
}

/* A Docker data root under tmpdir: a container running image IMG with the
 * given labels (JSON object text), and the image with its own labels. */
static void docker_root(const char *id, const char *labels, const char *image_labels)
{
        _cleanup_free_ char *cfg = NULL, *img = NULL;
        ck_assert(asprintf(&cfg,
                           "{\"StreamConfig\":{},\"ID\":\"%s\",\"Config\":{\"Image\":\"busybox\",\"Labels\":%s},"
                           "\"Image\":\"sha256:" IMG "\",\"Name\":\"/web-1\",\"Driver\":\"overlay2\"}",
                           id, labels) > 0);
        write_at("docker/containers/" CID "/config.v2.json", cfg, 0600);
        ck_assert(asprintf(&img, "{\"config\":{\"Labels\":%s},\"rootfs\":{}}", image_labels) > 0);
        write_at("docker/image/overlay2/imagedb/content/sha256/" IMG, img, 0600);
}

static struct spec *docker_spec(void)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"%s/docker/overlay2/abc/merged\"}}",
                           tmpdir) > 0);
        return parse_spec(json);
}

START_TEST(test_cri_annotations_name_the_image_pod_and_namespace)
{
        _cleanup_spec_ struct spec *s = parse_spec(
                "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
                "\"io.kubernetes.cri.image-name\":\"nginx:1.25\",\"io.kubernetes.cri.container-name\":\"web\","
                "\"io.kubernetes.cri.sandbox-name\":\"web-7d9f\",\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}");
        _cleanup_workload_ struct workload w = {0};

        ck_assert_int_eq(workload_identify(s, "c1", &w), 0);
        ck_assert_str_eq(w.engine, "cri");
        ck_assert_str_eq(w.image, "nginx:1.25");
        ck_assert_str_eq(w.image_ref, "docker.io/library/nginx:1.25");
        ck_assert_str_eq(w.name, "web");
        ck_assert_str_eq(w.pod, "web-7d9f");
        ck_assert_str_eq(w.ns, "shop");
        ck_assert_ptr_null(w.exempt);
}
END_TEST

START_TEST(test_a_cri_sandbox_is_the_pods_own_container)
{
        _cleanup_spec_ struct spec *s = parse_spec(
                "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\","
                "\"io.kubernetes.cri.sandbox-name\":\"web-7d9f\",\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}");
        _cleanup_workload_ struct workload w = {0};

        ck_assert_int_eq(workload_identify(s, "c1", &w), 0);
        ck_assert_str_eq(w.name, "POD");
        ck_assert_ptr_null(w.image);
        ck_assert_str_eq(w.pod, "web-7d9f");
}
END_TEST

START_TEST(test_docker_names_the_image_in_its_container_config)
{
        docker_root(CID, "{}", "{}");
        _cleanup_spec_ struct spec *s = docker_spec();
        _cleanup_workload_ struct workload w = {0};

        ck_assert_int_eq(workload_identify(s, CID, &w), 0);
        ck_assert_str_eq(w.engine, "docker");
        ck_assert_str_eq(w.image, "busybox");
        ck_assert_str_eq(w.image_ref, "docker.io/library/busybox:latest");
        ck_assert_str_eq(w.image_id, "sha256:" IMG);
        ck_assert_str_eq(w.name, "web-1");
        ck_assert_ptr_null(w.exempt);
        ck_assert_ptr_null(w.exempt_problem);
}
END_TEST

START_TEST(test_a_docker_label_on_the_container_is_its_exemption)
{
        docker_root(CID, "{\"org.runc-harden.exempt\":\"readonly-rootfs\",\"app\":\"web\"}", "{\"app\":\"web\"}");
        _cleanup_spec_ struct spec *s = docker_spec();
        _cleanup_workload_ struct workload w = {0};

        ck_assert_int_eq(workload_identify(s, CID, &w), 0);
        ck_assert_str_eq(w.exempt, "readonly-rootfs");
        ck_assert_ptr_null(w.exempt_problem);
}
END_TEST

START_TEST(test_a_docker_label_from_the_image_exempts_nothing)
{
        /* docker merges the image's labels into the container's */
        docker_root(CID, "{\"org.runc-harden.exempt\":\"readonly-rootfs\"}",
                    "{\"org.runc-harden.exempt\":\"readonly-rootfs\"}");
        _cleanup_spec_ struct spec *s = docker_spec();
        _cleanup_workload_ struct workload w = {0};

        ck_assert_int_eq(workload_identify(s, CID, &w), 0);
        ck_assert_ptr_null(w.exempt);
        ck_assert_ptr_nonnull(strstr(w.exempt_problem, "the image sets the label"));
        ck_assert_str_eq(w.image, "busybox"); /* the rest still counts */
}
END_TEST

START_TEST(test_a_docker_label_whose_image_cannot_be_read_exempts_nothing)
{
        docker_root(CID, "{\"org.runc-harden.exempt\":\"readonly-rootfs\"}", "{}");
        _cleanup_free_ char *img = NULL;
        ck_assert(asprintf(&img, "%s/docker/image/overlay2/imagedb/content/sha256/" IMG, tmpdir) > 0);
        ck_assert_int_eq(unlink(img), 0);
        _cleanup_spec_ struct spec *s = docker_spec();
        _cleanup_workload_ struct workload w = {0};

        ck_assert_int_eq(workload_identify(s, CID, &w), 0);
        ck_assert_ptr_null(w.exempt);
        ck_assert_ptr_nonnull(w.exempt_problem);
}
END_TEST

START_TEST(test_docker_files_others_can_write_are_not_taken)
{
        docker_root(CID, "{\"org.runc-harden.exempt\":\"readonly-rootfs\"}", "{}");
        _cleanup_free_ char *cfg = NULL, *dir = NULL;
        ck_assert(asprintf(&cfg, "%s/docker/containers/" CID "/config.v2.json", tmpdir) > 0);
        ck_assert(asprintf(&dir, "%s/docker/containers/" CID, tmpdir) > 0);
        _cleanup_spec_ struct spec *s = docker_spec();

        ck_assert_int_eq(chmod(cfg, 0666), 0);
        _cleanup_workload_ struct workload w1 = {0};
        ck_assert_int_eq(workload_identify(s, CID, &w1), 0);
        ck_assert_ptr_null(w1.engine);
        ck_assert_ptr_null(w1.exempt);

        ck_assert_int_eq(chmod(cfg, 0600), 0);
        ck_assert_int_eq(chmod(dir, 0777), 0);
        _cleanup_workload_ struct workload w2 = {0};
        ck_assert_int_eq(workload_identify(s, CID, &w2), 0);
        ck_assert_ptr_null(w2.exempt);

        /* owned by someone else */
        ck_assert_int_eq(chmod(dir, 0700), 0);
        workload_set_trusted_owner(4321);
        _cleanup_workload_ struct workload w3 = {0};
        ck_assert_int_eq(workload_identify(s, CID, &w3), 0);
        workload_set_trusted_owner((uid_t)-1);
        ck_assert_ptr_null(w3.exempt);
}
END_TEST

START_TEST(test_docker_config_of_another_container_is_not_taken)
{
        docker_root("1111111111111111111111111111111111111111111111111111111111111111",
                    "{\"org.runc-harden.exempt\":\"readonly-rootfs\"}", "{}");
        _cleanup_spec_ struct spec *s = docker_spec();
        _cleanup_workload_ struct workload w = {0}, w2 = {0};

        ck_assert_int_eq(workload_identify(s, CID, &w), 0);
        ck_assert_ptr_null(w.engine);
        /* and ids that are not Docker's are not looked up at all */
        ck_assert_int_eq(workload_identify(s, "../../etc", &w2), 0);
        ck_assert_ptr_null(w2.engine);
}
END_TEST

START_TEST(test_podman_names_the_image_in_containers_json)
{
        _cleanup_free_ char *json = NULL;
        write_at("storage/overlay-containers/containers.json",
                 "[{\"id\":\"other\",\"names\":[\"x\"]},{\"id\":\"" CID "\",\"names\":[\"web-1\"],"
                 "\"image\":\"" IMG "\",\"metadata\":\"{\\\"image-name\\\":\\\"localhost/app:2\\\","
                 "\\\"name\\\":\\\"web-1\\\"}\"}]",
                 0600);
        ck_assert(asprintf(&json, "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.container.manager\":\"libpod\"},"
                                  "\"root\":{\"path\":\"/x\"}}") > 0);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        ck_assert(asprintf(&s->bundle, "%s/storage/overlay-containers/" CID "/userdata", tmpdir) > 0);
        _cleanup_workload_ struct workload w = {0};

        ck_assert_int_eq(workload_identify(s, CID, &w), 0);
        ck_assert_str_eq(w.engine, "podman");
        ck_assert_str_eq(w.image, "localhost/app:2");
        ck_assert_str_eq(w.image_ref, "localhost/app:2");
        ck_assert_str_eq(w.image_id, "sha256:" IMG);
        ck_assert_str_eq(w.name, "web-1");
}
END_TEST

START_TEST(test_image_references_normalise_and_match_as_engines_expand_them)
{
        static const struct {
                const char *in, *out;
        } norm[] = {
                {"busybox", "docker.io/library/busybox:latest"},    {"team/app:1", "docker.io/team/app:1"},
                {"localhost/app", "localhost/app:latest"},          {"registry:5000/app", "registry:5000/app:latest"},
                {"quay.io/a/b@sha256:00", "quay.io/a/b@sha256:00"},
        };
        for (size_t i = 0; i < ARRAY_SIZE(norm); i++) {
                _cleanup_free_ char *n = image_ref_normalize(norm[i].in, true);
                ck_assert_str_eq(n, norm[i].out);
        }
        ck_assert(image_ref_matches("nginx", "docker.io/library/nginx:1.25"));
        ck_assert(image_ref_matches("docker.io/library/nginx", "docker.io/library/nginx@sha256:ab"));
        ck_assert(!image_ref_matches("nginx", "docker.io/library/nginx-extra:1"));
        ck_assert(!image_ref_matches("nginx:1.24", "docker.io/library/nginx:1.25"));
        ck_assert(image_ref_matches("nginx:1.25", "docker.io/library/nginx:1.25"));
        ck_assert(image_ref_matches("docker.io/library/*", "docker.io/library/nginx:1.25"));
        ck_assert(!image_ref_matches("docker.io/team/*", "docker.io/library/nginx:1.25"));
}
END_TEST

START_TEST(test_a_workload_goes_to_json_and_back)
{
        _cleanup_spec_ struct spec *s = parse_spec(
                "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
                "\"io.kubernetes.cri.image-name\":\"nginx\",\"io.kubernetes.cri.container-name\":\"web\"}}");
        _cleanup_workload_ struct workload w = {0}, back = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        struct jv *o;

        ck_assert_int_eq(workload_identify(s, "c1", &w), 0);
        ck_assert_int_eq(workload_to_json(&w, d, &o), 0);
        ck_assert_int_eq(workload_from_json(o, &back), 0);
        ck_assert_str_eq(back.engine, "cri");
        ck_assert_str_eq(back.image_ref, "docker.io/library/nginx:latest");
        ck_assert_str_eq(back.name, "web");
        ck_assert(workload_known(&back));
        ck_assert_str_eq(workload_display(&back), "docker.io/library/nginx:latest");
}
END_TEST

static Suite *workload_suite(void)
{
        Suite *s = suite_create("workload");
        TCase *tc = tcase_create("workload");
        tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_cri_annotations_name_the_image_pod_and_namespace);
        tcase_add_test(tc, test_a_cri_sandbox_is_the_pods_own_container);
        tcase_add_test(tc, test_docker_names_the_image_in_its_container_config);
        tcase_add_test(tc, test_a_docker_label_on_the_container_is_its_exemption);
        tcase_add_test(tc, test_a_docker_label_from_the_image_exempts_nothing);
        tcase_add_test(tc, test_a_docker_label_whose_image_cannot_be_read_exempts_nothing);
        tcase_add_test(tc, test_docker_files_others_can_write_are_not_taken);
        tcase_add_test(tc, test_docker_config_of_another_container_is_not_taken);
        tcase_add_test(tc, test_podman_names_the_image_in_containers_json);
        tcase_add_test(tc, test_image_references_normalise_and_match_as_engines_expand_them);
        tcase_add_test(tc, test_a_workload_goes_to_json_and_back);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(workload_suite)
