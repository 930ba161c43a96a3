/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* A JSON tree that keeps what runc will see: keys with their exact bytes
 * (an embedded NUL included), member order, and numbers as their original
 * text, so that a spec written back differs only where a rule changed it.
 * yajl does the lexing, UTF-8 validation and generation; this file only
 * builds the tree, which yajl's own tree API cannot do faithfully (it cuts
 * keys at NUL and turns large integers into doubles). */

typedef enum {
        JV_NULL,
        JV_BOOL,
        JV_NUMBER,
        JV_STRING,
        JV_OBJECT,
        JV_ARRAY,
        _JV_TYPE_MAX,
} jv_type_t;

struct jv;

struct jv_member {
        const char *key;
        size_t keylen;
        struct jv *val;
};

struct jv {
        jv_type_t type;
        struct jv *parent;
        union {
                bool b;
                struct {
                        const char *s; /* NUMBER: the raw spelling */
                        size_t len;
                } str;
                struct {
                        struct jv_member *m;
                        size_t n, cap;
                } obj;
                struct {
                        struct jv **v;
                        size_t n, cap;
                } arr;
        } u;
};

struct arena;

/* A document owns every node and string of its tree, so one free releases
 * all; nodes made by fixes are allocated from the same document. */
struct jdoc {
        struct arena *arena;
        struct jv *root;
};

/* Deeper documents are refused: no OCI document nests beyond ten levels,
 * and yajl's generator stops at 128. */
#define JV_MAX_DEPTH 100

int jdoc_parse(const char *buf, size_t len, struct jdoc **ret, rh_error_t *err);
struct jdoc *jdoc_new(void);
void jdoc_free(struct jdoc *doc);
static inline void jdoc_freep(struct jdoc **d)
{
        if (*d)
                jdoc_free(*d);
}
#define _cleanup_jdoc_ __attribute__((cleanup(jdoc_freep)))

/* Serialises v; pretty adds newlines and indentation. */
int jv_serialize(const struct jv *v, bool pretty, char **ret, size_t *ret_len, rh_error_t *err);

/* Constructors: the node belongs to doc. NULL only on allocation failure. */
struct jv *jv_new(struct jdoc *doc, jv_type_t type);
struct jv *jv_new_bool(struct jdoc *doc, bool b);
struct jv *jv_new_string(struct jdoc *doc, const char *s);
struct jv *jv_new_int(struct jdoc *doc, int64_t n);
/* Copies a subtree (possibly from another document) into doc. */
struct jv *jv_copy(struct jdoc *doc, const struct jv *src);

/* Sets key in obj: replaces the value of the member named exactly key, or
 * appends one. Fixes write exact names only: a member Go might fold onto
 * the same field never survives the loader (spec_schema.h). */
int jv_obj_put(struct jdoc *doc, struct jv *obj, const char *key, struct jv *val);
int jv_arr_push(struct jdoc *doc, struct jv *arr, struct jv *val);

/* The member named exactly key (byte for byte, so a key with a NUL inside
 * never matches). Returns NULL when obj is not an object, the key is
 * absent, or its value is null (Go leaves such a field at its zero value).
 * Exact is what runc reads: the loader refused every key that a Go release
 * could take for a field without being its exact name. */
struct jv *jv_get(const struct jv *obj, const char *key);
/* The same, for map-typed objects (annotations, sysctl), where the name
 * says why the match is exact. */
static inline struct jv *jv_get_exact(const struct jv *obj, const char *key)
{
        return jv_get(obj, key);
}

/* Same tree, byte for byte: types, keys in order, strings and number
 * spellings (what a validation result can be reused for). */
bool jv_equal(const struct jv *a, const struct jv *b);

static inline bool jv_is(const struct jv *v, jv_type_t t)
{
        return v && v->type == t;
}
/* String value as a C string; false if not a string or it holds a NUL,
 * which no kernel path or name may contain. */
bool jv_cstr(const struct jv *v, const char **ret);
/* Integers as Go decodes them into int64/uint64 fields: integer syntax
 * only, no fraction or exponent, within range. -EINVAL or -ERANGE. */
int jv_int64(const struct jv *v, int64_t *ret);
int jv_uint64(const struct jv *v, uint64_t *ret);

/* RFC 6901 pointer of v within its document; malloc'd. */
char *jv_pointer(const struct jv *v);
const char *jv_type_name(jv_type_t t);
