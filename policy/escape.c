/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "escape.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

size_t rh_utf8_next(const unsigned char *s, size_t len, uint32_t *ret_cp)
{
        unsigned char c = s[0], lo = 0x80, hi = 0xBF;
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
                *ret_cp = c;
                return 1;
        }
        if (c >= 0xC2 && c <= 0xDF) {
                n = 2;
                cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
                n = 3;
                cp = c & 0x0F;
                if (c == 0xE0)
                        lo = 0xA0; /* overlong */
                else if (c == 0xED)
                        hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
                n = 4;
                cp = c & 0x07;
                if (c == 0xF0)
                        lo = 0x90; /* overlong */
                else if (c == 0xF4)
                        hi = 0x8F; /* past U+10FFFF */
        } else {
                return 0;
        }
        if (len < n || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t k = 1; k < n; k++) {
                if (s[k] < 0x80 || s[k] > 0xBF)
                        return 0;
                cp = cp << 6 | (s[k] & 0x3F);
        }
        *ret_cp = cp;
        return n;
}

/* Code points past ASCII that act on how text is shown: C1 controls
 * (U+009B is CSI to some terminals), the marks and overrides that reorder
 * a line (the "Trojan Source" set), the line and paragraph separators, and
 * the byte order mark. */
static bool hidden_code_point(uint32_t cp)
{
        return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
               (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* Writes what one character becomes into out (at least 7 bytes) and
 * returns its length there, or 0 when the character stays as it is.
 * *ret_n is the number of input bytes it took. */
static size_t escape_one(const unsigned char *s, size_t len, escape_mode_t mode, char *out, size_t *ret_n)
{
        static const char hex[] = "0123456789abcdef";
        uint32_t cp;
        size_t n = rh_utf8_next(s, len, &cp);

        *ret_n = n ? n : 1;
        if (!n) {
                out[0] = '\\', out[1] = 'x', out[2] = hex[s[0] >> 4], out[3] = hex[s[0] & 15];
                return 4;
        }
        if (mode == ESCAPE_JSON)
                return 0;
        if (cp == '\\' || (cp == '"' && mode == ESCAPE_QUOTED)) {
                out[0] = '\\', out[1] = (char)cp;
                return 2;
        }
        if (cp == '\n' || cp == '\r' || cp == '\t') {
                out[0] = '\\', out[1] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
                return 2;
        }
        if (cp < 0x20 || cp == 0x7F) {
                out[0] = '\\', out[1] = 'x', out[2] = hex[cp >> 4], out[3] = hex[cp & 15];
                return 4;
        }
        if (hidden_code_point(cp)) {
                out[0] = '\\', out[1] = 'u';
                for (int i = 0; i < 4; i++)
                        out[2 + i] = hex[(cp >> (12 - 4 * i)) & 15];
                return 6;
        }
        return 0;
}

bool rh_escape_needed(const char *s, escape_mode_t mode)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t len = strlen(s);
        char out[8];

        for (size_t i = 0, n; i < len; i += n) {
                /* printable ASCII, the common case, without a call */
                if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '\\' && p[i] != '"') {
                        n = 1;
                        continue;
                }
                if (escape_one(p + i, len - i, mode, out, &n))
                        return true;
        }
        return false;
}

char *rh_escape(const char *s, escape_mode_t mode)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t len = strlen(s), w = 0;
        /* No input byte grows past four output bytes (\xNN; \uNNNN takes
         * at least two). */
        char *buf = malloc(len * 4 + 1);

        if (!buf)
                return NULL;
        for (size_t i = 0, n; i < len; i += n) {
                size_t k = escape_one(p + i, len - i, mode, buf + w, &n);
                if (!k) {
                        memcpy(buf + w, p + i, n);
                        k = n;
                }
                w += k;
        }
        buf[w] = '\0';
        return buf;
}

void rh_escape_write(FILE *f, const char *s, escape_mode_t mode)
{
        if (!rh_escape_needed(s, mode)) {
                fputs(s, f);
                return;
        }
        _cleanup_free_ char *e = rh_escape(s, mode);
        fputs(e ? e : "(out of memory)", f);
}

struct jv *rh_escape_jv(struct jdoc *d, const char *s)
{
        if (!rh_escape_needed(s, ESCAPE_JSON))
                return jv_new_string(d, s);
        _cleanup_free_ char *e = rh_escape(s, ESCAPE_JSON);
        return e ? jv_new_string(d, e) : NULL;
}
