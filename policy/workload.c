/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "workload.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "json.h"
#include "util.h"

static uid_t trusted_owner = (uid_t)-1;

void workload_set_trusted_owner(uid_t uid)
{
        trusted_owner = uid;
}

static uid_t owner_wanted(void)
{
        return trusted_owner == (uid_t)-1 ? geteuid() : trusted_owner;
}

void workload_done(struct workload *w)
{
        free(w->image);
        free(w->image_ref);
        free(w->image_id);
        free(w->name);
        free(w->pod);
        free(w->ns);
        free(w->exempt);
        free(w->exempt_problem);
        *w = (struct workload){0};
}

char *image_ref_normalize(const char *ref, bool with_tag)
{
        const char *slash = strchr(ref, '/');
        size_t first = slash ? (size_t)(slash - ref) : strlen(ref);
        /* the first component is a registry only when it has a dot or a
         * colon or is "localhost" */
        bool has_domain = slash && (memchr(ref, '.', first) || memchr(ref, ':', first) ||
                                    (first == 9 && strncmp(ref, "localhost", 9) == 0));
        const char *last = strrchr(ref, '/');
        bool tagged = strchr(last ? last : ref, ':') || strchr(ref, '@');
        char *out = NULL;

        if (asprintf(&out, "%s%s%s%s", has_domain ? "" : "docker.io/", has_domain || slash ? "" : "library/", ref,
                     with_tag && !tagged ? ":latest" : "") < 0)
                return NULL;
        return out;
}

bool image_ref_matches(const char *pattern, const char *ref)
{
        if (strpbrk(pattern, "*?["))
                return fnmatch(pattern, ref, 0) == 0;
        _cleanup_free_ char *p = image_ref_normalize(pattern, false), *r = image_ref_normalize(ref, false);
        if (!p || !r)
                return false;
        size_t n = strlen(p);
        if (strncmp(p, r, n) != 0)
                return false;
        return r[n] == '\0' || ((r[n] == ':' || r[n] == '@') && !strchr(r + n + 1, '/'));
}

bool workload_known(const struct workload *w)
{
        return w->engine || w->image || w->name || w->pod || w->ns || w->image_id;
}

const char *workload_display(const struct workload *w)
{
        return w->image_ref ? w->image_ref : w->image ? w->image : w->name;
}

static int set_str(char **field, const char *s)
{
        if (!s || !*s)
                return 0;
        free(*field);
        return (*field = strdup(s)) ? 0 : -ENOMEM;
}

static const char *ann(const struct jv *annotations, const char *key)
{
        const char *s;
        return jv_cstr(jv_get_exact(annotations, key), &s) && *s ? s : NULL;
}

/* --- files the engine keeps ---------------------------------------------- */

/* Reads and parses dir/name when it is a regular file of the trusted
 * owner that no one else can write, in a directory no one else can write
 * (anyone else could have put it there). NULL otherwise. */
static struct jdoc *read_engine_json(const char *dir, const char *name)
{
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct jdoc *d = NULL;
        struct stat st;
        size_t len;

        if (dfd < 0 || fstat(dfd, &st) < 0 || st.st_uid != owner_wanted() || (st.st_mode & 022))
                return NULL;
        fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != owner_wanted() || (st.st_mode & 022))
                return NULL;
        if (spec_read_fd(fd, &buf, &len, &err) < 0 || jdoc_parse(buf, len, &d, &err) < 0)
                return NULL;
        return d;
}

static bool is_hex(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
                        return false;
        return s[n] == '\0';
}

/* dockerd's data root from root.path: the directory above its storage
 * driver's ("/var/lib/docker/overlay2/ID/merged"). NULL when the root is
 * not one of dockerd's. */
static char *docker_data_root(const char *rootfs)
{
        static const char *const drivers[] = {"/overlay2/", "/fuse-overlayfs/", "/vfs/dir/", "/btrfs/subvolumes/",
                                              "/zfs/graph/"};
        for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
                const char *at = strstr(rootfs, drivers[i]);
                if (at && at > rootfs)
                        return strndup(rootfs, (size_t)(at - rootfs));
        }
        return NULL;
}

/* The org.runc-harden.exempt label of the image the container runs; an
 * image's author must not be able to exempt the containers made from it. */
static int docker_image_sets_label(const char *data_root, const char *driver, const char *image_id, bool *ret)
{
        _cleanup_free_ char *dir = NULL;
        *ret = true; /* cannot tell: taken as set, the label is not used */
        if (strncmp(image_id, "sha256:", 7) != 0 || !is_hex(image_id + 7, 64) || strchr(driver, '/'))
                return 0;
        if (asprintf(&dir, "%s/image/%s/imagedb/content/sha256", data_root, driver) < 0)
                return -ENOMEM;
        _cleanup_jdoc_ struct jdoc *img = read_engine_json(dir, image_id + 7);
        if (!img)
                return 0;
        *ret = jv_get_exact(jv_get_exact(jv_get_exact(img->root, "config"), "Labels"), EXEMPT_KEY) != NULL;
        return 0;
}

static int identify_docker(const struct spec *s, const char *id, struct workload *w)
{
        const char *rootfs, *str;
        _cleanup_free_ char *data_root = NULL, *dir = NULL;

        /* dockerd names containers by 64 hex digits, and so does runc's id */
        if (!id || !is_hex(id, 64) || !jv_cstr(jv_get(jv_get(s->root, "root"), "path"), &rootfs) ||
            !(data_root = docker_data_root(rootfs)))
                return 0;
        if (asprintf(&dir, "%s/containers/%s", data_root, id) < 0)
                return -ENOMEM;
        _cleanup_jdoc_ struct jdoc *d = read_engine_json(dir, "config.v2.json");
        if (!d || !jv_cstr(jv_get_exact(d->root, "ID"), &str) || !STREQ(str, id))
                return 0;
        const struct jv *cfg = jv_get_exact(d->root, "Config");
        w->engine = "docker";
        if (jv_cstr(jv_get_exact(cfg, "Image"), &str) && set_str(&w->image, str) < 0)
                return -ENOMEM;
        if (jv_cstr(jv_get_exact(d->root, "Image"), &str) && set_str(&w->image_id, str) < 0)
                return -ENOMEM;
        if (jv_cstr(jv_get_exact(d->root, "Name"), &str) && set_str(&w->name, str + (*str == '/')) < 0)
                return -ENOMEM;
        const struct jv *label = jv_get_exact(jv_get_exact(cfg, "Labels"), EXEMPT_KEY);
        if (!label)
                return 0;
        const char *driver = "overlay2";
        bool from_image;
        jv_cstr(jv_get_exact(d->root, "Driver"), &driver);
        if (!jv_cstr(label, &str) || !w->image_id)
                return set_str(&w->exempt_problem, "the label " EXEMPT_KEY " cannot be read");
        if (docker_image_sets_label(data_root, driver, w->image_id, &from_image) < 0)
                return -ENOMEM;
        if (from_image)
                return set_str(&w->exempt_problem, "the image sets the label " EXEMPT_KEY
                                                   " (or its labels cannot be read); an image cannot exempt the "
                                                   "containers made from it, so it is not taken");
        return set_str(&w->exempt, str);
}

/* podman: the bundle is STORAGE/overlay-containers/ID/userdata, and
 * STORAGE/overlay-containers/containers.json has the container's entry. */
static int identify_podman(const struct spec *s, const char *id, struct workload *w)
{
        static const char suffix[] = "/userdata";
        const char *str;
        size_t n = s->bundle ? strlen(s->bundle) : 0, idn = id ? strlen(id) : 0;

        if (!id || n < sizeof(suffix) + idn + 1 || !STREQ(s->bundle + n - (sizeof(suffix) - 1), suffix))
                return 0;
        const char *id_at = s->bundle + n - (sizeof(suffix) - 1) - idn;
        if (strncmp(id_at, id, idn) != 0 || id_at[-1] != '/')
                return 0;
        _cleanup_free_ char *dir = strndup(s->bundle, (size_t)(id_at - 1 - s->bundle));
        if (!dir)
                return -ENOMEM;
        _cleanup_jdoc_ struct jdoc *d = read_engine_json(dir, "containers.json");
        w->engine = "podman";
        for (size_t i = 0; d && jv_is(d->root, JV_ARRAY) && i < d->root->u.arr.n; i++) {
                const struct jv *c = d->root->u.arr.v[i], *names = jv_get_exact(c, "names");
                if (!jv_cstr(jv_get_exact(c, "id"), &str) || !STREQ(str, id))
                        continue;
                if (jv_is(names, JV_ARRAY) && names->u.arr.n && jv_cstr(names->u.arr.v[0], &str) &&
                    set_str(&w->name, str) < 0)
                        return -ENOMEM;
                if (jv_cstr(jv_get_exact(c, "image"), &str) && is_hex(str, 64)) {
                        _cleanup_free_ char *digest = NULL;
                        if (asprintf(&digest, "sha256:%s", str) < 0 || set_str(&w->image_id, digest) < 0)
                                return -ENOMEM;
                }
                /* metadata is a JSON document inside a string */
                _cleanup_jdoc_ struct jdoc *md = NULL;
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                if (jv_cstr(jv_get_exact(c, "metadata"), &str) && jdoc_parse(str, strlen(str), &md, &err) == 0 &&
                    jv_cstr(jv_get_exact(md->root, "image-name"), &str) && set_str(&w->image, str) < 0)
                        return -ENOMEM;
                break;
        }
        return 0;
}

int workload_identify(const struct spec *s, const char *container_id, struct workload *w)
{
        const struct jv *a = jv_get(s->root, "annotations");
        const char *type = ann(a, "io.kubernetes.cri.container-type");
        int r = 0;

        *w = (struct workload){0};
        if (type) {
                w->engine = "cri";
                r = set_str(&w->pod, ann(a, "io.kubernetes.cri.sandbox-name"));
                r = r ?: set_str(&w->ns, ann(a, "io.kubernetes.cri.sandbox-namespace"));
                if (STREQ(type, "sandbox"))
                        r = r ?: set_str(&w->name, "POD");
                else {
                        r = r ?: set_str(&w->name, ann(a, "io.kubernetes.cri.container-name"));
                        r = r ?: set_str(&w->image, ann(a, "io.kubernetes.cri.image-name"));
                }
        } else if (ann(a, "io.kubernetes.cri-o.ImageName")) {
                w->engine = "cri-o";
                r = set_str(&w->image, ann(a, "io.kubernetes.cri-o.ImageName"));
                r = r ?: set_str(&w->name, ann(a, "io.kubernetes.cri-o.ContainerName"));
                r = r ?: set_str(&w->pod, ann(a, "io.kubernetes.pod.name"));
                r = r ?: set_str(&w->ns, ann(a, "io.kubernetes.pod.namespace"));
        } else if ((type = ann(a, "io.container.manager")) && STREQ(type, "libpod")) {
                r = identify_podman(s, container_id, w);
        } else {
                r = identify_docker(s, container_id, w);
        }
        if (r == 0 && w->image && !(w->image_ref = image_ref_normalize(w->image, true)))
                r = -ENOMEM;
        if (r < 0)
                workload_done(w);
        return r;
}

/* --- as JSON, in records ---------------------------------------------------- */

static const struct {
        const char *key;
        size_t off;
} json_fields[] = {
        {"image", offsetof(struct workload, image)},       {"image-ref", offsetof(struct workload, image_ref)},
        {"image-id", offsetof(struct workload, image_id)}, {"name", offsetof(struct workload, name)},
        {"pod", offsetof(struct workload, pod)},           {"namespace", offsetof(struct workload, ns)},
};

int workload_to_json(const struct workload *w, struct jdoc *d, struct jv **ret)
{
        struct jv *o = jv_new(d, JV_OBJECT);
        if (!o || (w->engine && jv_obj_put(d, o, "engine", jv_new_string(d, w->engine)) < 0))
                return -ENOMEM;
        for (size_t i = 0; i < ARRAY_SIZE(json_fields); i++) {
                const char *v = *(char *const *)((const char *)w + json_fields[i].off);
                /* names from the engine's files: any bytes at all */
                if (v && jv_obj_put(d, o, json_fields[i].key, rh_escape_jv(d, v)) < 0)
                        return -ENOMEM;
        }
        *ret = o;
        return 0;
}

int workload_from_json(const struct jv *o, struct workload *w)
{
        static const char *const engines[] = {"docker", "podman", "cri", "cri-o"};
        const char *s;

        *w = (struct workload){0};
        if (jv_cstr(jv_get_exact(o, "engine"), &s))
                for (size_t i = 0; i < ARRAY_SIZE(engines); i++)
                        if (STREQ(s, engines[i]))
                                w->engine = engines[i];
        for (size_t i = 0; i < ARRAY_SIZE(json_fields); i++)
                if (jv_cstr(jv_get_exact(o, json_fields[i].key), &s) &&
                    set_str((char **)((char *)w + json_fields[i].off), s) < 0) {
                        workload_done(w);
                        return -ENOMEM;
                }
        return 0;
}
