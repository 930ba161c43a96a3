/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "engine.h"
#include "error.h"
#include "mountinfo.h"
#include "policy.h"
#include "spec.h"

/* The second layer: after the runtime has built the container, and before
 * it can run one instruction of the user's program, what the kernel holds
 * is compared with the spec that was judged and with the policy. Judging a
 * spec predicts how runc will read it; this checks the result, so a wrong
 * prediction (a key runc reads differently, a path it resolves elsewhere, a
 * volume that is an alias of /etc) is caught whatever caused it.
 *
 * The facts come from /proc/PID of the container's init process, read by
 * the caller (runtime/verify_proc.c); this file only judges them, so that
 * the judgement can be tested without a container. */

/* The namespace types, in /proc/PID/ns names. */
typedef enum {
        VNS_PID,
        VNS_NET,
        VNS_MNT,
        VNS_IPC,
        VNS_UTS,
        VNS_USER,
        VNS_CGROUP,
        VNS_TIME,
        _VNS_MAX,
} verify_ns_t;

const char *verify_ns_proc_name(verify_ns_t t); /* "net" */
const char *verify_ns_oci_type(verify_ns_t t);  /* "network" */

struct verify_fileid {
        bool have;
        dev_t dev;
        ino_t ino;
};

/* /proc/PID/status, the lines that matter. */
struct verify_status {
        bool have_caps, have_ids;
        uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
        int nnp;             /* NoNewPrivs; -1 when the line is missing */
        int seccomp;         /* Seccomp: 0 off, 1 strict, 2 filter; -1 missing */
        int seccomp_filters; /* Seccomp_filters; -1 missing */
        uid_t uid[4];        /* real, effective, saved, fs */
        gid_t gid[4];
        gid_t groups[64];
        size_t n_groups;
        bool groups_truncated;
};

/* One line of /proc/PID/limits: RLIM_INFINITY for "unlimited". */
struct verify_limit {
        bool have;
        uint64_t soft, hard;
};

/* One line of /proc/PID/cgroup: "4:memory:/docker/ID" (v1) or "0::/x" (v2). */
struct verify_cgroup {
        char *controllers; /* "memory", "cpu,cpuacct", "name=systemd", "" (v2) */
        char *path;
};

struct verify_cgroups {
        struct verify_cgroup *v;
        size_t n;
};

/* What the caller found about the container and about itself (which stands
 * in for the host: engines run runc-harden in the host's namespaces, and
 * /proc/1 may be unreadable). */
struct verify_facts {
        pid_t pid;
        const char *id;      /* the container id */
        const char *bundle;  /* absolute */
        const char *runtime; /* the runtime's path */
        char *runtime_root;  /* the runtime's state directory (--root) */
        bool runc_init;      /* the init process is runc's (comm "runc:[2:INIT]") */
        struct verify_fileid ns[_VNS_MAX], self_ns[_VNS_MAX];
        struct mount_table mounts;      /* the container's, from /proc/PID/mountinfo */
        struct mount_table host_mounts; /* ours, from /proc/self/mountinfo */
        struct verify_status status, self_status;
        struct verify_limit limits[RLIM_NLIMITS];
        struct verify_cgroups cgroups, self_cgroups;
        char *uid_map, *gid_map;   /* the text, "" when no user namespace */
        struct verify_fileid root; /* the container's root directory */
        /* What a runtime other than runc keeps in its state directory
         * (ROOT/ID): crun copies the config.json it read there and writes
         * the seccomp filter it loads at start (seccomp.bpf). NULL and 0
         * when absent. */
        char *runtime_config;
        int64_t pending_filter; /* bytes */
};

void verify_facts_done(struct verify_facts *f);

/* A device node in the container's /dev (char or block). */
struct verify_devnode {
        char *path; /* inside the container: "/dev/null" */
        char type;  /* 'c' or 'b' */
        unsigned major, minor;
};

struct verify_devnodes {
        struct verify_devnode *v;
        size_t n;
        bool truncated; /* more than could be listed */
};

void verify_devnodes_done(struct verify_devnodes *d);

/* Questions only the container's file system can answer, asked by the
 * judgement as it goes (paths are inside the container; nothing is ever
 * opened for reading or writing, so no FIFO or device is touched). */
struct verify_probe {
        void *data;
        /* stat() of path with symlinks resolved inside the container's
         * root; follow: also a final symlink. -errno. */
        int (*stat_in)(void *data, const char *path, bool follow, struct stat *ret);
        /* path with every symlink resolved inside the container's root,
         * as the runtime resolved mount destinations. -errno. */
        int (*resolve_in)(void *data, const char *path, char **ret);
        /* The text of a file of the container's cgroup: controller is a v1
         * controller ("memory", "pids", "cpu") or "" for the v2 hierarchy.
         * -ENOENT when the hierarchy or the file does not exist. */
        int (*cgroup_read)(void *data, const char *controller, const char *file, char **ret);
        /* The name of a cgroup below the container's in that hierarchy
         * (malloc'd in *ret): 1 when there is one, 0 when none, -errno
         * (NULL in tests that have no cgroups). */
        int (*cgroup_child)(void *data, const char *controller, char **ret);
        /* The char and block device nodes under the container's /dev,
         * symlinks not followed (NULL in tests that have no /dev). -errno. */
        int (*dev_nodes)(void *data, struct verify_devnodes *ret);
};

/* Parsers of the /proc files (pure). */
int verify_parse_status(const char *text, struct verify_status *ret, rh_error_t *err);
int verify_parse_limits(const char *text, struct verify_limit ret[RLIM_NLIMITS], rh_error_t *err);
int verify_parse_cgroups(const char *text, struct verify_cgroups *ret, rh_error_t *err);
void verify_cgroups_done(struct verify_cgroups *c);

/* Judges the container. s is the spec as handed to the runtime (after the
 * fixes), NULL when it could not be read (dry-run). Findings go to ev with
 * the pointer naming the /proc file that shows them; the rule is the one
 * whose requirement the container breaks, or "verify" where the container
 * is not what the spec says. Returns < 0 only on allocation failure. */
int verify_judge(const struct policy *p, struct spec *s, const struct verify_facts *f, const struct verify_probe *probe,
                 struct eval *ev, rh_error_t *err);

/* Whether the container's cgroup is not its own: the root cgroup, the
 * caller's, or, in any hierarchy, one holding other processes or with
 * cgroups below it. runc delete then kills every process in it (runc
 * 1.1.5's destroy() when the container has no pid namespace of its own),
 * crun's delete every process below it too (cgroup_killall_path), so a
 * refused container is only killed. */
bool verify_cgroup_is_shared(const struct verify_facts *f, const struct verify_probe *probe);

/* "runc-harden: container ID: /proc/PID/mountinfo: ... (rule); ..." for
 * the deny findings, or with prefix "dry-run: would refuse" (malloc'd). */
char *verify_message(const struct eval *ev, const char *id, bool dry_run);
