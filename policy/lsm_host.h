/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/* What the host's Linux security modules can enforce right now. This is
 * the only place the apparmor and selinux rules ask the running kernel,
 * so that tests can stand in for a host with AppArmor or SELinux on a
 * kernel that has neither. Everything else those rules do with libapparmor
 * and libselinux (parsing contexts, asking the kernel whether a context is
 * valid, finding the container contexts file) calls the libraries
 * directly, and tests see the real answers. */
struct lsm_host {
        /* AppArmor is enabled and usable by this process. */
        bool (*apparmor_enabled)(void);
        /* 1 when a profile called name is loaded, 0 when not, -errno when
         * the loaded profiles cannot be read. */
        int (*apparmor_profile_loaded)(const char *name);
        /* SELinux is enabled (enforcing or permissive). */
        bool (*selinux_enabled)(void);
};

/* Calls libapparmor and libselinux (or says "no" when the build has
 * neither). */
extern const struct lsm_host lsm_host_real;

/* The host the rules consult: lsm_host_real unless a test replaced it. */
const struct lsm_host *lsm_host(void);
/* For tests: makes h the host (NULL restores the real one); returns the
 * one it replaces. */
const struct lsm_host *lsm_host_set(const struct lsm_host *h);
