/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util.h"

/* A narrow TOML reader for the few keys the bypass checks need from
 * containerd's config.toml and podman's containers.conf. It reads the
 * whole grammar those files use (tables, dotted and quoted keys, the four
 * string forms, arrays over several lines, inline tables) so that no table
 * header is missed inside something it skipped, but keeps only strings and
 * arrays of strings. Anything it does not recognise is an error with a line
 * number: the caller fails closed rather than guess what the engine reads. */

struct parser {
        const char *p, *end;
        unsigned line;
        const char *why;
        struct toml_doc *doc;
};

struct strbuf {
        char *s;
        size_t n, cap;
};

static int sb_put(struct strbuf *b, const char *s, size_t n)
{
        if (b->n + n + 1 > b->cap) {
                size_t cap = (b->n + n + 1) * 2;
                char *ns = realloc(b->s, cap);
                if (!ns)
                        return -ENOMEM;
                b->s = ns;
                b->cap = cap;
        }
        memcpy(b->s + b->n, s, n);
        b->n += n;
        b->s[b->n] = '\0';
        return 0;
}

static int fail(struct parser *P, const char *why)
{
        P->why = why;
        return -EINVAL;
}

static bool at(const struct parser *P, const char *s)
{
        size_t n = strlen(s);
        return (size_t)(P->end - P->p) >= n && memcmp(P->p, s, n) == 0;
}

static void skip_ws(struct parser *P)
{
        while (P->p < P->end && (*P->p == ' ' || *P->p == '\t'))
                P->p++;
}

static void skip_comment(struct parser *P)
{
        if (P->p < P->end && *P->p == '#')
                while (P->p < P->end && *P->p != '\n')
                        P->p++;
}

static bool newline(struct parser *P)
{
        if (at(P, "\r\n"))
                P->p++;
        if (P->p < P->end && *P->p == '\n') {
                P->p++;
                P->line++;
                return true;
        }
        return false;
}

/* Spaces, comments and newlines, as inside an array. */
static void skip_blank(struct parser *P)
{
        for (;;) {
                skip_ws(P);
                skip_comment(P);
                if (!newline(P))
                        return;
        }
}

/* --- strings ---------------------------------------------------------- */

static int put_utf8(struct strbuf *b, uint32_t c)
{
        char u[4];
        size_t n;
        if (c < 0x80) {
                u[0] = (char)c;
                n = 1;
        } else if (c < 0x800) {
                u[0] = (char)(0xc0 | c >> 6);
                u[1] = (char)(0x80 | (c & 0x3f));
                n = 2;
        } else if (c < 0x10000) {
                u[0] = (char)(0xe0 | c >> 12);
                u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
                u[2] = (char)(0x80 | (c & 0x3f));
                n = 3;
        } else {
                u[0] = (char)(0xf0 | c >> 18);
                u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
                u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
                u[3] = (char)(0x80 | (c & 0x3f));
                n = 4;
        }
        return sb_put(b, u, n);
}

static int escape(struct parser *P, struct strbuf *b)
{
        static const char from[] = "btnfre\"\\", to[] = "\b\t\n\f\r\033\"\\";
        char c = ++P->p < P->end ? *P->p : '\0';
        const char *k = c ? strchr(from, c) : NULL;
        if (k) {
                P->p++;
                return sb_put(b, &to[k - from], 1);
        }
        if (c != 'u' && c != 'U')
                return fail(P, "unknown escape in a string");
        size_t digits = c == 'u' ? 4 : 8;
        uint32_t v = 0;
        P->p++;
        for (size_t i = 0; i < digits; i++, P->p++) {
                char h = P->p < P->end ? *P->p : '\0';
                int d = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
                if (d < 0)
                        return fail(P, "bad \\u escape in a string");
                v = v * 16 + (uint32_t)d;
        }
        if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
                return fail(P, "bad \\u escape in a string");
        return put_utf8(b, v);
}

/* After the opening quote(s); literal: no escapes; multi: may span lines. */
static int string_body(struct parser *P, char quote, bool literal, bool multi, char **ret)
{
        struct strbuf b = {0};
        int r = sb_put(&b, "", 0);

        if (multi && (at(P, "\n") || at(P, "\r\n")))
                newline(P); /* a newline right after the quotes is not content */
        while (r >= 0) {
                if (P->p >= P->end || (!multi && *P->p == '\n')) {
                        r = fail(P, "unterminated string");
                        break;
                }
                if (*P->p == quote && (!multi || (P->p + 2 < P->end && P->p[1] == quote && P->p[2] == quote))) {
                        size_t q = 0;
                        while (multi && P->p + q < P->end && P->p[q] == quote)
                                q++;
                        if (multi && q > 5) {
                                r = fail(P, "too many quotes closing a string");
                                break;
                        }
                        if (multi && q > 3)
                                r = sb_put(&b, P->p, q - 3); /* quotes just before the closing three */
                        P->p += multi ? q : 1;
                        break;
                }
                if (*P->p == '\\' && !literal) {
                        const char *s = P->p + 1;
                        while (multi && s < P->end && (*s == ' ' || *s == '\t'))
                                s++;
                        if (multi && s < P->end && (*s == '\n' || *s == '\r')) {
                                /* a line-ending backslash eats the blanks that follow */
                                P->p = s;
                                for (;;) {
                                        if (newline(P))
                                                continue;
                                        if (P->p < P->end && (*P->p == ' ' || *P->p == '\t')) {
                                                P->p++;
                                                continue;
                                        }
                                        break;
                                }
                                continue;
                        }
                        r = escape(P, &b);
                        continue;
                }
                if (*P->p == '\n')
                        P->line++;
                r = sb_put(&b, P->p++, 1);
        }
        if (r < 0) {
                free(b.s);
                return r;
        }
        *ret = b.s;
        return 0;
}

/* Any of the four string forms at P->p; 0 when there is none. */
static int string(struct parser *P, char **ret)
{
        bool multi;
        char q;
        if (P->p >= P->end || (*P->p != '"' && *P->p != '\''))
                return 0;
        q = *P->p;
        multi = at(P, q == '"' ? "\"\"\"" : "'''");
        P->p += multi ? 3 : 1;
        int r = string_body(P, q, q == '\'', multi, ret);
        return r < 0 ? r : 1;
}

/* --- keys -------------------------------------------------------------- */

static bool bare_char(char c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

struct key {
        char **v;
        size_t n;
};

static void key_done(struct key *k)
{
        for (size_t i = 0; i < k->n; i++)
                free(k->v[i]);
        free(k->v);
        *k = (struct key){0};
}

static int key_push(struct key *k, char *part)
{
        char **v = part ? realloc(k->v, (k->n + 1) * sizeof(*v)) : NULL;
        if (!v) {
                free(part);
                return -ENOMEM;
        }
        k->v = v;
        k->v[k->n++] = part;
        return 0;
}

static int key_copy(const struct key *from, struct key *to)
{
        *to = (struct key){0};
        for (size_t i = 0; i < from->n; i++)
                if (key_push(to, strdup(from->v[i])) < 0) {
                        key_done(to);
                        return -ENOMEM;
                }
        return 0;
}

/* A dotted key (a.b."c.d"), appended to k. */
static int key_parts(struct parser *P, struct key *k)
{
        for (;;) {
                char *part = NULL;
                skip_ws(P);
                int r = string(P, &part);
                if (r < 0)
                        return r;
                if (r == 0) {
                        const char *s = P->p;
                        while (P->p < P->end && bare_char(*P->p))
                                P->p++;
                        if (P->p == s)
                                return fail(P, "expected a key");
                        part = strndup(s, (size_t)(P->p - s));
                }
                if (key_push(k, part) < 0)
                        return -ENOMEM;
                skip_ws(P);
                if (P->p >= P->end || *P->p != '.')
                        return 0;
                P->p++;
        }
}

/* --- values ------------------------------------------------------------- */

static int emit(struct parser *P, const struct key *k, toml_kind_t kind, char *str, char **strs, size_t n_strs,
                unsigned line)
{
        struct toml_doc *d = P->doc;
        struct toml_entry *v = realloc(d->v, (d->n + 1) * sizeof(*v));
        struct key copy;
        if (!v || key_copy(k, &copy) < 0) {
                if (v)
                        d->v = v;
                free(str);
                for (size_t i = 0; i < n_strs; i++)
                        free(strs[i]);
                free(strs);
                return -ENOMEM;
        }
        d->v = v;
        d->v[d->n++] = (struct toml_entry){
                .key = copy.v, .n_key = copy.n, .kind = kind, .str = str, .strs = strs, .n_strs = n_strs, .line = line};
        return 0;
}

static int value(struct parser *P, const struct key *k, bool keep);

/* Numbers, booleans, dates: kept as nothing. A date may have a space
 * before its time ("1979-05-27 07:32:00Z"). */
static int scalar(struct parser *P)
{
        const char *s = P->p;
        while (P->p < P->end && !strchr(" \t\r\n,]}#", *P->p))
                P->p++;
        if (P->p - s == 10 && s[4] == '-' && s[7] == '-' && P->p + 1 < P->end && *P->p == ' ' && P->p[1] >= '0' &&
            P->p[1] <= '9') {
                P->p++;
                while (P->p < P->end && !strchr(" \t\r\n,]}#", *P->p))
                        P->p++;
        }
        return P->p == s ? fail(P, "expected a value") : 0;
}

struct strlist {
        char **v;
        size_t n;
        bool only_strings;
};

static void strlist_done(struct strlist *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i]);
        free(l->v);
        *l = (struct strlist){0};
}

static int array(struct parser *P, const struct key *k, bool keep, unsigned line)
{
        struct strlist l = {.only_strings = true};
        int r = 0;

        P->p++; /* [ */
        for (;;) {
                skip_blank(P);
                if (P->p < P->end && *P->p == ']')
                        break;
                char *s = NULL;
                if ((r = string(P, &s)) < 0)
                        break;
                if (r == 0) {
                        l.only_strings = false;
                        if ((r = value(P, k, false)) < 0)
                                break;
                } else {
                        char **v = realloc(l.v, (l.n + 1) * sizeof(*v));
                        if (!v) {
                                free(s);
                                r = -ENOMEM;
                                break;
                        }
                        l.v = v;
                        l.v[l.n++] = s;
                }
                skip_blank(P);
                if (P->p < P->end && *P->p == ',') {
                        P->p++;
                        continue;
                }
                if (P->p < P->end && *P->p == ']')
                        break;
                r = fail(P, "expected , or ] in an array");
                break;
        }
        if (r < 0) {
                strlist_done(&l);
                return r;
        }
        P->p++; /* ] */
        if (!keep || !l.only_strings) {
                strlist_done(&l);
                return keep ? emit(P, k, TOML_OTHER, NULL, NULL, 0, line) : 0;
        }
        return emit(P, k, TOML_STRINGS, NULL, l.v, l.n, line);
}

/* { a = 1, b.c = "x" }: each member is an entry under k. */
/* "key = value" below base (a table, or an inline table's key). */
static int key_value(struct parser *P, const struct key *base, bool keep, const char *no_equals)
{
        struct key k;
        int r = key_copy(base, &k);
        if (r < 0)
                return r;
        if ((r = key_parts(P, &k)) >= 0) {
                if (P->p < P->end && *P->p == '=') {
                        P->p++;
                        skip_ws(P);
                        r = value(P, &k, keep);
                } else {
                        r = fail(P, no_equals);
                }
        }
        key_done(&k);
        return r;
}

static int inline_table(struct parser *P, const struct key *k, bool keep)
{
        P->p++; /* { */
        skip_ws(P);
        if (P->p < P->end && *P->p == '}') {
                P->p++;
                return 0;
        }
        for (;;) {
                int r = key_value(P, k, keep, "expected = in an inline table");
                if (r < 0)
                        return r;
                skip_ws(P);
                if (P->p < P->end && *P->p == ',') {
                        P->p++;
                        continue;
                }
                if (P->p < P->end && *P->p == '}') {
                        P->p++;
                        return 0;
                }
                return fail(P, "expected , or } in an inline table");
        }
}

/* The value of key k; keep: record it (false inside arrays). */
static int value(struct parser *P, const struct key *k, bool keep)
{
        unsigned line = P->line;
        char *s = NULL;
        int r = string(P, &s);
        if (r < 0)
                return r;
        if (r > 0) {
                if (!keep) {
                        free(s);
                        return 0;
                }
                return emit(P, k, TOML_STRING, s, NULL, 0, line);
        }
        if (P->p < P->end && *P->p == '[')
                return array(P, k, keep, line);
        if (P->p < P->end && *P->p == '{')
                return inline_table(P, k, keep);
        if ((r = scalar(P)) < 0)
                return r;
        return keep ? emit(P, k, TOML_OTHER, NULL, NULL, 0, line) : 0;
}

/* --- lines ---------------------------------------------------------------- */

static int header(struct parser *P, struct key *table)
{
        bool array_table = at(P, "[[");
        P->p += array_table ? 2 : 1;
        key_done(table);
        int r = key_parts(P, table);
        if (r < 0)
                return r;
        if (!at(P, array_table ? "]]" : "]"))
                return fail(P, "expected ] after a table name");
        P->p += array_table ? 2 : 1;
        return 0;
}

static int assignment(struct parser *P, const struct key *table)
{
        return key_value(P, table, true, "expected = after a key");
}

static int document(struct parser *P)
{
        struct key table = {0};
        int r = 0;

        if (at(P, "\xef\xbb\xbf"))
                P->p += 3;
        while (r >= 0) {
                skip_ws(P);
                skip_comment(P);
                if (P->p >= P->end)
                        break;
                if (newline(P))
                        continue;
                r = *P->p == '[' ? header(P, &table) : assignment(P, &table);
                if (r < 0)
                        break;
                skip_ws(P);
                skip_comment(P);
                if (P->p < P->end && !newline(P))
                        r = fail(P, "expected the end of the line");
        }
        key_done(&table);
        return r;
}

void toml_doc_done(struct toml_doc *doc)
{
        for (size_t i = 0; i < doc->n; i++) {
                struct toml_entry *e = &doc->v[i];
                for (size_t k = 0; k < e->n_key; k++)
                        free(e->key[k]);
                free(e->key);
                free(e->str);
                for (size_t k = 0; k < e->n_strs; k++)
                        free(e->strs[k]);
                free(e->strs);
        }
        free(doc->v);
        *doc = (struct toml_doc){0};
}

int toml_parse(const char *text, size_t len, struct toml_doc *ret, unsigned *ret_line, const char **ret_why)
{
        struct parser P = {.p = text, .end = text + len, .line = 1, .doc = ret};

        *ret = (struct toml_doc){0};
        int r = document(&P);
        if (r < 0) {
                *ret_line = P.line;
                *ret_why = r == -ENOMEM ? "out of memory" : P.why;
                toml_doc_done(ret);
        }
        return r;
}
