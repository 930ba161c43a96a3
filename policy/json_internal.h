/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "json.h"

/* Shared by json.c (the tree) and json_parse.c (building it from yajl):
 * not part of the API. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
struct jv *jv_new_text(struct jdoc *doc, jv_type_t t, const char *s, size_t len);
/* Appends without looking for an existing member (the parser checks
 * duplicates later, with Go's rules). */
int jv_obj_append(struct jdoc *doc, struct jv *obj, const char *key, size_t keylen, struct jv *val);
