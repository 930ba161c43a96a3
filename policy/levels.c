/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "policy.h"
#include "util.h"

/* The built-in levels a policy file can start from ("extends"). Each is a
 * policy document laid over the built-in policy, so that `policy show
 * --level NAME` prints it whole and a file overrides it key by key. */

/* Kubernetes' Pod Security "restricted" profile, and the guide beside it:
 * - capabilities: every one dropped but NET_BIND_SERVICE (the fix drops
 *   the rest rather than refusing, as "drop: [ALL]" would be written);
 * - a non-root user and group (runAsNonRoot, and no gid 0: files the
 *   image left group-root-writable stay out of reach);
 * - a seccomp filter always (the fix gives one to a container without);
 * - host paths only from the allowlist of host directories (hostPath
 *   volumes are not allowed in "restricted" at all: /srv is the FHS's
 *   place for data a host serves, and the operator's list to extend);
 * - sysctls only from Kubernetes' safe set (those are namespaced, and
 *   cannot reach the host or other pods). */
static const char restricted[] =
        "{\"version\": 1, \"rules\": {"
        "\"capabilities\": {\"action\": \"fix\", \"params\": {\"allowed\": [\"CAP_NET_BIND_SERVICE\"]}},"
        "\"root-user\": {\"action\": \"deny\"},"
        "\"seccomp\": {\"action\": \"fix\"},"
        "\"no-new-privileges\": {\"action\": \"fix\"},"
        "\"sensitive-mount\": {\"action\": \"deny\", \"params\": {\"only\": [\"/srv/**\"]}},"
        "\"sysctls\": {\"action\": \"deny\", \"params\": {\"only\": [\"kernel.shm_rmid_forced\","
        " \"net.ipv4.ip_local_port_range\", \"net.ipv4.ip_unprivileged_port_start\", \"net.ipv4.tcp_syncookies\","
        " \"net.ipv4.ping_group_range\", \"net.ipv4.ip_local_reserved_ports\", \"net.ipv4.tcp_keepalive_time\","
        " \"net.ipv4.tcp_fin_timeout\", \"net.ipv4.tcp_keepalive_intvl\", \"net.ipv4.tcp_keepalive_probes\"]}},"
        "\"hooks\": {\"action\": \"deny\"},"
        "\"shared-namespace\": {\"action\": \"warn\", \"params\": {\"pod-sharing\": true}}"
        "}}";

static const struct policy_level_def levels[] = {
        {"baseline", "the built-in policy: refuses what reaches the host, fixes what can be fixed", NULL},
        {"restricted",
         "baseline, plus Kubernetes' Pod Security \"restricted\": no capability but NET_BIND_SERVICE, a non-root "
         "user and group, seccomp always, host paths only from an allowlist, sysctls only from the safe set",
         restricted},
};

size_t policy_levels_count(void)
{
        return ARRAY_SIZE(levels);
}

const struct policy_level_def *policy_levels_get(size_t i)
{
        return i < ARRAY_SIZE(levels) ? &levels[i] : NULL;
}

const struct policy_level_def *policy_levels_find(const char *name)
{
        for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
                if (STREQ(levels[i].name, name))
                        return &levels[i];
        return NULL;
}
