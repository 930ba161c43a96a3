/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "spec.h"

/* What the engine tells about a container: which image it runs and what
 * it is called. The policy's per-workload entries match on it, and the
 * audit log and `runc-harden report` name containers by it.
 *
 * Each engine says it differently, and only what the engine itself writes
 * is taken (never what an image's author put in the image):
 * - CRI (containerd's CRI plugin, CRI-O): the io.kubernetes.cri.* and
 *   io.kubernetes.cri-o.ImageName annotations the engine sets.
 * - Docker: config.json names no image, but dockerd keeps the container's
 *   configuration in DATA-ROOT/containers/ID/config.v2.json, root-owned,
 *   beside the root file system it mounts (DATA-ROOT/overlay2/...).
 * - podman: containers/storage's containers.json, whose entry for the
 *   container holds the image name podman resolved. */

#define EXEMPT_KEY "org.runc-harden.exempt"

struct workload {
        const char *engine; /* "docker", "podman", "cri", "cri-o"; NULL unknown (static) */
        char *image;        /* as the engine names it ("nginx", "docker.io/library/nginx:1.25") */
        char *image_ref;    /* normalised: "docker.io/library/nginx:latest"; NULL without an image */
        char *image_id;     /* "sha256:HEX" when the engine records it */
        char *name;         /* the container's name */
        char *pod, *ns;     /* Kubernetes pod and namespace */
        /* Docker only: the org.runc-harden.exempt label, when the user set
         * it on the container (docker run --label); one that comes from the
         * image's own labels is not taken (exempt_problem says why). */
        char *exempt;
        char *exempt_problem;
};

void workload_done(struct workload *w);
#define _cleanup_workload_ __attribute__((cleanup(workload_done)))

/* Fills w from the spec (a container's config.json, with s->bundle set)
 * and the container id. What cannot be found stays NULL: identifying is
 * best effort and never fails a container. -ENOMEM only. */
int workload_identify(const struct spec *s, const char *container_id, struct workload *w);

/* Whether anything was identified. */
bool workload_known(const struct workload *w);

/* Copies what was identified (for records made later, at delete). */
int workload_to_json(const struct workload *w, struct jdoc *d, struct jv **ret);
int workload_from_json(const struct jv *o, struct workload *w);

/* The name a report shows: the image, else the container's name. */
const char *workload_display(const struct workload *w);

/* "busybox" is "docker.io/library/busybox:latest", "team/app:1" is
 * "docker.io/team/app:1", as Docker and the CRI engines expand them.
 * with_tag adds ":latest" when there is neither tag nor digest. */
char *image_ref_normalize(const char *ref, bool with_tag);
/* An entry with a glob character is an fnmatch pattern ("*" crosses "/");
 * a plain entry names a repository and matches it with any tag or digest,
 * or names one exact tag or digest. Both sides normalised. */
bool image_ref_matches(const char *pattern, const char *ref);

/* Test seam: where Docker's and podman's files are looked for is derived
 * from the spec's paths; the owner they must have is this (default: the
 * effective uid, root for a rootful engine). */
void workload_set_trusted_owner(uid_t uid);
