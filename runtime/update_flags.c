/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "update_flags.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goflag.h"
#include "util.h"

typedef enum {
        VALUE_UINT,   /* strconv.ParseUint(v, 10, 64) */
        VALUE_INT,    /* strconv.ParseInt(v, 10, 64) */
        VALUE_RAM,    /* "-1", else units.RAMInBytes(v) */
        VALUE_GO_INT, /* flag.Int: strconv.ParseInt(v, 0, strconv.IntSize) */
        _VALUE_KIND_MAX,
} value_kind_t;

/* update.go's flags, in the order of the document written below. */
enum {
        F_MEMORY,
        F_MEMORY_RESERVATION,
        F_MEMORY_SWAP,
        F_KERNEL_MEMORY,
        F_KERNEL_MEMORY_TCP,
        F_CPU_SHARE,
        F_CPU_QUOTA,
        F_CPU_PERIOD,
        F_CPU_RT_RUNTIME,
        F_CPU_RT_PERIOD,
        F_BLKIO_WEIGHT,
        F_PIDS_LIMIT,
        _F_MAX,
};

static const struct {
        const char *name;
        value_kind_t kind;
        bool judged; /* carries a limit a rule judges */
} flag_defs[_F_MAX] = {
        [F_MEMORY] = {"memory", VALUE_RAM, true},
        [F_MEMORY_RESERVATION] = {"memory-reservation", VALUE_RAM, false},
        [F_MEMORY_SWAP] = {"memory-swap", VALUE_RAM, true},
        [F_KERNEL_MEMORY] = {"kernel-memory", VALUE_RAM, false},
        [F_KERNEL_MEMORY_TCP] = {"kernel-memory-tcp", VALUE_RAM, false},
        [F_CPU_SHARE] = {"cpu-share", VALUE_UINT, true},
        [F_CPU_QUOTA] = {"cpu-quota", VALUE_INT, true},
        [F_CPU_PERIOD] = {"cpu-period", VALUE_UINT, false},
        [F_CPU_RT_RUNTIME] = {"cpu-rt-runtime", VALUE_INT, true},
        [F_CPU_RT_PERIOD] = {"cpu-rt-period", VALUE_UINT, true},
        [F_BLKIO_WEIGHT] = {"blkio-weight", VALUE_GO_INT, false},
        [F_PIDS_LIMIT] = {"pids-limit", VALUE_GO_INT, true},
};

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* go-units v0.4.0 RAMInBytes: ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$,
 * binary multiples, the float product converted to int64. */
static int go_ram_in_bytes(const char *s, int64_t *ret)
{
        static const char units[] = "kmgtp";
        const char *p = s;
        int dots = 0, shift = 0;

        if (!is_digit(*p))
                return -EINVAL;
        while (is_digit(*p))
                p++;
        while (p[0] == '.' && is_digit(p[1]))
                for (dots++, p++; is_digit(*p); p++)
                        ;
        size_t numlen = (size_t)(p - s);
        if (*p == ' ')
                p++;
        const char *u = *p ? strchr(units, *p | 0x20) : NULL;
        if (u) {
                shift = 10 * (int)(u - units + 1);
                p++;
        }
        if ((*p | 0x20) == 'i')
                p++;
        if ((*p | 0x20) == 'b')
                p++;
        if (*p || dots > 1) /* "1.2.3" matches, but ParseFloat refuses it */
                return -EINVAL;

        _cleanup_free_ char *num = strndup(s, numlen);
        if (!num)
                return -ENOMEM;
        /* glibc's strtod rounds decimal input correctly, as ParseFloat does */
        double size = strtod(num, NULL);
        if (isinf(size))
                return -ERANGE;
        size *= (double)(UINT64_C(1) << shift);
        /* Out of int64 range, amd64 converts to INT64_MIN and arm64
         * saturates: neither is a usable limit, and a negative one is
         * judged as "unlimited". */
        *ret = size >= 9223372036854775808.0 ? INT64_MIN : (int64_t)size;
        return 0;
}

struct value {
        bool is_unsigned;
        int64_t i;
        uint64_t u;
};

static int parse_value(value_kind_t kind, const char *s, struct value *ret)
{
        *ret = (struct value){.is_unsigned = kind == VALUE_UINT};
        switch (kind) {
        case VALUE_UINT:
                return go_parse_uint(s, 10, 64, &ret->u);
        case VALUE_INT:
                return go_parse_int(s, 10, 64, &ret->i);
        case VALUE_RAM:
                if (STREQ(s, "-1"))
                        return ret->i = -1, 0;
                return go_ram_in_bytes(s, &ret->i);
        case VALUE_GO_INT:
                return go_parse_int(s, 0, 0, &ret->i);
        default:
                return -EINVAL;
        }
}

static void put(FILE *f, const char *key, const struct value *v, const char *after)
{
        if (v->is_unsigned)
                fprintf(f, "\"%s\":%" PRIu64 "%s", key, v->u, after);
        else
                fprintf(f, "\"%s\":%" PRId64 "%s", key, v->i, after);
}

static int write_document(const struct value *v, char **ret_json, size_t *ret_len, rh_error_t *err)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return rh_error_set(err, errno, "open_memstream: %m");
        /* runc: "if val := context.Int("blkio-weight"); val != 0" then uint16(val) */
        struct value weight = {.is_unsigned = true, .u = (uint16_t)v[F_BLKIO_WEIGHT].i};
        fputs("{\"memory\":{", f);
        put(f, "limit", &v[F_MEMORY], ",");
        put(f, "reservation", &v[F_MEMORY_RESERVATION], ",");
        put(f, "swap", &v[F_MEMORY_SWAP], ",");
        put(f, "kernel", &v[F_KERNEL_MEMORY], ",");
        put(f, "kernelTCP", &v[F_KERNEL_MEMORY_TCP], "},\"cpu\":{");
        put(f, "shares", &v[F_CPU_SHARE], ",");
        put(f, "quota", &v[F_CPU_QUOTA], ",");
        put(f, "period", &v[F_CPU_PERIOD], ",");
        put(f, "realtimeRuntime", &v[F_CPU_RT_RUNTIME], ",");
        put(f, "realtimePeriod", &v[F_CPU_RT_PERIOD], "},\"blockIO\":{");
        put(f, "weight", &weight, "},\"pids\":{");
        put(f, "limit", &v[F_PIDS_LIMIT], "}}");
        if (fclose(f) != 0) {
                free(buf);
                return rh_error_set(err, ENOMEM, "out of memory");
        }
        *ret_json = buf;
        *ret_len = len;
        return 0;
}

int update_flags_resources(const struct runc_kv *flags, int n_flags, char **ret_json, size_t *ret_len, rh_error_t *err)
{
        const char *last[_F_MAX] = {NULL};
        struct value v[_F_MAX];

        for (int i = 0; i < n_flags; i++)
                for (int k = 0; k < _F_MAX; k++)
                        if (STREQ(flags[i].name, flag_defs[k].name))
                                last[k] = flags[i].value;
        for (int k = 0; k < _F_MAX; k++) {
                v[k] = (struct value){.is_unsigned = flag_defs[k].kind == VALUE_UINT};
                /* update.go skips empty strings: the value stays 0 */
                if (!last[k] || !*last[k])
                        continue;
                int r = parse_value(flag_defs[k].kind, last[k], &v[k]);
                if (r == -ENOMEM)
                        return rh_error_set(err, ENOMEM, "out of memory");
                if (r < 0 && flag_defs[k].judged)
                        return rh_error_set(err, EINVAL,
                                            "invalid value \"%s\" for --%s (runc refuses it too); give a number "
                                            "runc reads%s",
                                            last[k], flag_defs[k].name,
                                            flag_defs[k].kind == VALUE_RAM ? ", such as 512m or 2g" : "");
                if (r < 0)
                        v[k] = (struct value){.is_unsigned = flag_defs[k].kind == VALUE_UINT};
        }
        return write_document(v, ret_json, ret_len, err);
}
