/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <sys/types.h>

#include "verify.h"

/* Reads what policy/verify.c judges from /proc/PID of a container's init
 * process, and answers its questions about the container's file system
 * through /proc/PID/root (symlinks inside the container resolve inside it,
 * as the runtime resolved them; files are looked at with readlinkat() and
 * fstatat() only, so no FIFO or device is ever opened). */
struct verify_proc {
        int procfd; /* /proc/PID */
        int rootfd; /* /proc/PID/root */
        const struct verify_facts *f;
};

#define VERIFY_PROC_INIT                                                                                               \
        {                                                                                                              \
                .procfd = -1, .rootfd = -1                                                                             \
        }

/* Fills f (pid, id, bundle, runtime and runtime_root are the caller's) and
 * vp. Fails when a file cannot be read or parsed: nothing is judged from
 * part of the facts. */
int verify_proc_collect(pid_t pid, struct verify_facts *f, struct verify_proc *vp, rh_error_t *err);
void verify_proc_done(struct verify_proc *vp);
void verify_proc_probe(struct verify_proc *vp, struct verify_probe *ret);
