/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "json.h"

/* A seccomp profile judged as the seccomp rule judges a container's: for
 * others that hand containers a profile (the audit, for dockerd's
 * daemon-wide seccomp-profile; Docker's format has the same fields, plus
 * conditions runc never sees). -EINVAL with the reason when runc would
 * refuse it; otherwise 0, *ret_weak set when it installs no filter,
 * refuses no system call, or leaves open a call of the rule's built-in
 * "refuse" list (bpf, the module and kexec calls, ...). */
int seccomp_profile_judge(const struct jv *prof, bool *ret_weak, rh_error_t *err);
