/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "json.h"
#include "policy.h"
#include "workload.h"
#include "writes.h"

/* `runc-harden report`'s reading of the audit log: per workload (image,
 * else container name, else container id) and per rule, what enforce
 * denied or fixed, or what dry-run says it would have; what dry-run saw
 * the containers do at delete; and for each, what makes the workload
 * pass. Pure: records in, a JSON document out (cmd_report.c prints it). */

typedef enum {
        AR_DENIED,
        AR_FIXED,
        AR_WOULD_DENY,
        AR_WOULD_FIX,
        AR_WARNED,
        AR_EXEMPTED,
        _AR_OUTCOME_MAX,
} ar_outcome_t;

const char *ar_outcome_name(ar_outcome_t o);

struct ar_rule {
        char *rule;
        uint64_t counts[_AR_OUTCOME_MAX];
        char *pointer, *message; /* of the latest finding */
};

struct ar_write {
        char *dir;
        uint64_t count;      /* the most written under dir by one container */
        uint64_t containers; /* containers that wrote there */
        char *examples[WRITES_EXAMPLES];
        size_t n_examples;
};

struct ar_workload {
        char *key; /* what the report calls it */
        struct workload w;
        char **containers;
        size_t n_containers;
        char *last; /* time of the latest record */
        bool dry_run, enforce;
        char *entry; /* the policy's per-workload entry that applied */
        struct ar_rule *rules;
        size_t n_rules;
        /* seen at delete, in dry-run */
        uint64_t watched;
        struct ar_write *writes;
        size_t n_writes;
        bool writes_truncated;
        char *writes_error;
        int64_t memory_limit, memory_peak; /* -1: not known */
};

struct audit_report {
        time_t since; /* records before are skipped */
        struct ar_workload *v;
        size_t n;
        uint64_t records, skipped;
        char *first, *last;
};

void audit_report_done(struct audit_report *r);
#define _cleanup_audit_report_ __attribute__((cleanup(audit_report_done)))

/* Adds one audit-log record. -ENOMEM only; records it cannot read are
 * counted as skipped. */
int audit_report_add(struct audit_report *r, const struct jv *rec);

/* The report as JSON, with what makes each workload pass worked out
 * against policy p (its parameters, which rules are exemptible). */
int audit_report_json(const struct audit_report *r, const struct policy *p, struct jdoc *d, struct jv **ret);
