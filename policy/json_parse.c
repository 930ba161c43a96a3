/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <yajl/yajl_parse.h>

#include "json_internal.h"
#include "util.h"

/* Building the tree from yajl's events, with the checks that make the tree
 * hold what Go's decoder will see (strict UTF-8, no lone surrogates, a
 * depth limit). */

struct parse_ctx {
        struct jdoc *doc;
        struct jv *stack[JV_MAX_DEPTH];
        unsigned depth;
        const char *key;
        size_t keylen;
        bool too_deep, nomem, bad_utf8;
};

static int add_value(struct parse_ctx *c, struct jv *v)
{
        if (!v) {
                c->nomem = true;
                return 0;
        }
        if (c->depth == 0) {
                c->doc->root = v;
                return 1;
        }
        struct jv *top = c->stack[c->depth - 1];
        int r = top->type == JV_OBJECT ? jv_obj_append(c->doc, top, c->key, c->keylen, v) : jv_arr_push(c->doc, top, v);
        if (r < 0) {
                c->nomem = true;
                return 0;
        }
        return 1;
}

static int cb_null(void *ctx)
{
        struct parse_ctx *c = ctx;
        return add_value(c, jv_new(c->doc, JV_NULL));
}

static int cb_bool(void *ctx, int b)
{
        struct parse_ctx *c = ctx;
        return add_value(c, jv_new_bool(c->doc, b));
}

static int cb_number(void *ctx, const char *s, size_t len)
{
        struct parse_ctx *c = ctx;
        return add_value(c, jv_new_text(c->doc, JV_NUMBER, s, len));
}

/* yajl checks only the shape of UTF-8 sequences; Go's decoder replaces
 * overlong forms, encoded surrogates and code points past U+10FFFF with
 * U+FFFD, so runc would see another string than the one checked. Such
 * strings are refused (RFC 3629, the same table as Go's utf8.Valid). */
static bool utf8_strict(const unsigned char *s, size_t len)
{
        for (size_t i = 0; i < len;) {
                unsigned char c = s[i];
                size_t n;
                unsigned char lo = 0x80, hi = 0xBF;
                if (c < 0x80) {
                        i++;
                        continue;
                } else if (c >= 0xC2 && c <= 0xDF) {
                        n = 1;
                } else if (c >= 0xE0 && c <= 0xEF) {
                        n = 2;
                        if (c == 0xE0)
                                lo = 0xA0;
                        else if (c == 0xED)
                                hi = 0x9F;
                } else if (c >= 0xF0 && c <= 0xF4) {
                        n = 3;
                        if (c == 0xF0)
                                lo = 0x90;
                        else if (c == 0xF4)
                                hi = 0x8F;
                } else {
                        return false;
                }
                if (i + n >= len)
                        return false;
                if (s[i + 1] < lo || s[i + 1] > hi)
                        return false;
                for (size_t k = 2; k <= n; k++)
                        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                                return false;
                i += n + 1;
        }
        return true;
}

static int hex4(const char *p)
{
        int v = 0;
        for (int i = 0; i < 4; i++) {
                char c = p[i];
                int d = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
                if (d < 0)
                        return -1;
                v = v * 16 + d;
        }
        return v;
}

/* yajl turns an escaped lone surrogate ("\ud800") into "?", Go into
 * U+FFFD: the strings differ, so such escapes are refused. Returns the
 * offset of the first one, or -1. Runs before yajl, over the raw text; an
 * escape outside a string is a syntax error yajl reports anyway, so
 * backslashes are found with memchr() (most specs have none); each escape
 * is stepped over whole, so "\\u" is not taken for one. */
static ssize_t find_lone_surrogate(const char *buf, size_t len)
{
        for (const char *p = buf, *end = buf + len; (p = memchr(p, '\\', (size_t)(end - p)));) {
                size_t i = (size_t)(p - buf);
                if (i + 1 >= len)
                        break;
                if (buf[i + 1] != 'u' || i + 6 > len) {
                        p += 2;
                        continue;
                }
                int u = hex4(buf + i + 2);
                if (u >= 0xDC00 && u <= 0xDFFF)
                        return (ssize_t)i;
                if (u >= 0xD800 && u <= 0xDBFF) {
                        int lo = i + 12 <= len && buf[i + 6] == '\\' && buf[i + 7] == 'u' ? hex4(buf + i + 8) : -1;
                        if (lo < 0xDC00 || lo > 0xDFFF)
                                return (ssize_t)i;
                        p += 6;
                }
                p += 6;
        }
        return -1;
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
        struct parse_ctx *c = ctx;
        if (!utf8_strict(s, len)) {
                c->bad_utf8 = true;
                return 0;
        }
        return add_value(c, jv_new_text(c->doc, JV_STRING, (const char *)s, len));
}

static int open_container(struct parse_ctx *c, jv_type_t t)
{
        if (c->depth >= JV_MAX_DEPTH) {
                c->too_deep = true;
                return 0;
        }
        struct jv *v = jv_new(c->doc, t);
        if (!add_value(c, v))
                return 0;
        c->stack[c->depth++] = v;
        return 1;
}

static int cb_start_map(void *ctx)
{
        return open_container(ctx, JV_OBJECT);
}
static int cb_start_array(void *ctx)
{
        return open_container(ctx, JV_ARRAY);
}

static int cb_end(void *ctx)
{
        struct parse_ctx *c = ctx;
        c->depth--;
        return 1;
}

static int cb_key(void *ctx, const unsigned char *k, size_t len)
{
        struct parse_ctx *c = ctx;
        if (!utf8_strict(k, len)) {
                c->bad_utf8 = true;
                return 0;
        }
        c->key = arena_strndup(c->doc->arena, (const char *)k, len);
        c->keylen = len;
        if (!c->key) {
                c->nomem = true;
                return 0;
        }
        return 1;
}

static const yajl_callbacks parse_callbacks = {
        .yajl_null = cb_null,
        .yajl_boolean = cb_bool,
        .yajl_number = cb_number,
        .yajl_string = cb_string,
        .yajl_start_map = cb_start_map,
        .yajl_map_key = cb_key,
        .yajl_end_map = cb_end,
        .yajl_start_array = cb_start_array,
        .yajl_end_array = cb_end,
};

static void yajl_handle_freep(yajl_handle *h)
{
        if (*h)
                yajl_free(*h);
}

static int parse_error(rh_error_t *err, yajl_handle h, const char *buf, size_t len, size_t off, struct parse_ctx *c)
{
        size_t line = 1, col = 1;
        if (off > len)
                off = len;
        for (size_t i = 0; i < off; i++) {
                if (buf[i] == '\n') {
                        line++;
                        col = 1;
                } else {
                        col++;
                }
        }
        if (c->nomem)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (c->bad_utf8)
                return rh_error_set(err, EINVAL,
                                    "invalid UTF-8 in a string near line %zu, column %zu (overlong form, surrogate "
                                    "or code point past U+10FFFF): runc would read it differently",
                                    line, col);
        if (c->too_deep)
                return rh_error_set(err, EINVAL, "nested deeper than %d levels at line %zu, column %zu", JV_MAX_DEPTH,
                                    line, col);
        /* Not the verbose form: it quotes the input, which may hold secrets. */
        unsigned char *m = yajl_get_error(h, 0, (const unsigned char *)buf, len);
        char what[128];
        snprintf(what, sizeof(what), "%s", m ? (const char *)m : "parse error");
        if (m)
                yajl_free_error(h, m);
        /* yajl prefixes "lexical error: " / "parse error: " already. */
        for (char *p = what; *p; p++)
                if (*p == '\n')
                        *p = ' ';
        size_t wl = strlen(what);
        while (wl && what[wl - 1] == ' ')
                what[--wl] = '\0';
        return rh_error_set(err, EINVAL, "malformed JSON at line %zu, column %zu: %s", line, col, what);
}

int jdoc_parse(const char *buf, size_t len, struct jdoc **ret, rh_error_t *err)
{
        _cleanup_jdoc_ struct jdoc *doc = jdoc_new();
        struct parse_ctx c = {.doc = doc};

        if (!doc)
                return rh_error_set(err, ENOMEM, "out of memory");
        size_t ws = 0;
        while (ws < len && (buf[ws] == ' ' || buf[ws] == '\t' || buf[ws] == '\r' || buf[ws] == '\n'))
                ws++;
        if (ws == len)
                return rh_error_set(err, EINVAL, "empty document");
        ssize_t sur = find_lone_surrogate(buf, len);
        if (sur >= 0)
                return rh_error_set(err, EINVAL,
                                    "an escaped lone UTF-16 surrogate at byte %zd: runc would read it as U+FFFD", sur);
        _cleanup_(yajl_handle_freep) yajl_handle h = yajl_alloc(&parse_callbacks, NULL, &c);
        if (!h)
                return rh_error_set(err, ENOMEM, "out of memory");
        /* yajl's defaults are what we want and are set here for the reader:
         * no comments, no trailing data, strings validated as UTF-8. */
        yajl_config(h, yajl_allow_comments, 0);
        yajl_config(h, yajl_dont_validate_strings, 0);
        yajl_config(h, yajl_allow_trailing_garbage, 0);
        yajl_config(h, yajl_allow_multiple_values, 0);

        if (yajl_parse(h, (const unsigned char *)buf, len) != yajl_status_ok)
                return parse_error(err, h, buf, len, yajl_get_bytes_consumed(h), &c);
        if (yajl_complete_parse(h) != yajl_status_ok)
                return parse_error(err, h, buf, len, len, &c);
        if (!doc->root)
                return rh_error_set(err, EINVAL, "empty document");
        *ret = TAKE_PTR(doc);
        return 0;
}
