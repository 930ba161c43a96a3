/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

struct workload;

/* What a document is. Rules always see a config-shaped tree: an exec
 * process file is wrapped as {"process": ...} and update's resources as
 * {"linux": {"resources": ...}}, and pointers are reported relative to the
 * original document. */
typedef enum {
        SPEC_CONFIG,
        SPEC_PROCESS,
        SPEC_RESOURCES,
        _SPEC_KIND_MAX,
} spec_kind_t;

/* Larger inputs are refused before parsing: Docker's specs are ~10 KiB. */
#define SPEC_MAX_SIZE (4u * 1024 * 1024)

struct spec {
        struct jdoc *doc;
        struct jv *root;     /* config-shaped view */
        struct jv *original; /* the document as read */
        spec_kind_t kind;
        const char *prefix; /* pointer prefix of the wrapper, "" for configs */
        /* The bundle directory, absolute, when known: runc takes relative
         * bind sources from it. */
        char *bundle;
        /* The container id from the command line (create, run, restore;
         * borrowed, NULL when not known): without linux.cgroupsPath the
         * runtimes name the container's cgroup after it. */
        const char *id;
        /* Checked away from the host that will run it (lint): host paths
         * that do not exist here are not evidence of anything. */
        bool offline;
        /* The file was indented (runc spec); engines write one line. A
         * fixed spec is written back the same way. */
        bool pretty;
        /* For an exec process: its container's config.json, as found
         * through the runtime's state (borrowed; NULL when not known).
         * Exec processes are given what the container was given. */
        const struct spec *container;
        /* For a container's config found through the runtime's state: its
         * init process (0 when not known). */
        pid_t pid;
        /* For an exec: runc's --cgroup values as given (borrowed), which
         * put the process in a sub-cgroup; no document holds them. */
        const char *const *exec_cgroups;
        size_t n_exec_cgroups;
        /* For an exec: the runtime it is handed to (borrowed). */
        const char *runtime;
        /* What the engine tells about the container (workload.h;
         * borrowed, NULL when not looked up): the policy's per-workload
         * entries match on it. */
        const struct workload *workload;
        /* root.path as runc will take it, opened when the spec is judged
         * for create (hostpath_root_record()): its device and inode, or why
         * it could not be opened. Verification compares the container's
         * root with this, not with what the path names by then. */
        bool root_recorded;
        int root_err;
        dev_t root_dev;
        ino_t root_ino;
};

void spec_free(struct spec *s);
static inline void spec_freep(struct spec **s)
{
        if (*s)
                spec_free(*s);
}
#define _cleanup_spec_ __attribute__((cleanup(spec_freep)))

/* Reads a whole document from fd: a regular file, pipe or socket, at most
 * SPEC_MAX_SIZE bytes. */
int spec_read_fd(int fd, char **ret_buf, size_t *ret_len, rh_error_t *err);
/* Opens name under dirfd without following a final symlink and without
 * blocking on a FIFO; only a regular file is accepted. */
int spec_open_regular(int dirfd, const char *name, int *ret_fd, struct stat *ret_st, rh_error_t *err);

/* The container's root file system, root.path taken from the bundle when
 * relative as runc takes it, opened O_PATH; -errno, -ENOENT when the spec
 * names none. */
int spec_rootfs_open(const struct spec *s, int *ret_fd);
/* Parses and validates a document the way runc will decode it: strict
 * JSON, no repeated keys, and no key that some Go release could take for
 * a field of the runtime-spec without being its exact name. */
int spec_parse(const char *buf, size_t len, spec_kind_t kind, struct spec **ret, rh_error_t *err);
/* open + read + parse */
int spec_load_at(int dirfd, const char *name, spec_kind_t kind, struct spec **ret, struct stat *ret_st,
                 rh_error_t *err);

/* Serialises the document as read (with any fixes applied). */
int spec_serialize(const struct spec *s, bool pretty, char **ret, size_t *ret_len, rh_error_t *err);

/* Replaces dirfd/name with data atomically: a temporary file in the same
 * directory with the original's mode and owner, fsync, rename, fsync of the
 * directory. On failure the original is untouched and the temporary file
 * removed. The file has no name until it is complete (O_TMPFILE, where the
 * file system has it) and is locked (flock) while it has one; temporary
 * files of name that a killed writer left behind (".NAME.runc-harden-" and
 * eight hex digits, unlocked, at least two seconds old) are removed first. */
int spec_write_atomic(int dirfd, const char *name, const char *data, size_t len, const struct stat *orig,
                      rh_error_t *err);

/* The pointer of a node relative to the original document. */
char *spec_pointer(const struct spec *s, const struct jv *at, const char *suffix);
