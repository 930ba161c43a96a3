/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The shape of the documents runc decodes, as data: for every Go struct of
 * the runtime-spec, the JSON names of its fields and what each holds. Go's
 * encoding/json matches a key to a field without regard to case (and, in
 * some releases, to a few non-ASCII letters); runc-harden reads only exact
 * names, so the loader refuses any other key that some Go release could
 * take for a field (spec.c). Arrays are transparent: a field that holds a
 * list of structs is described by the struct. */

typedef enum {
        SCHEMA_STRUCT, /* a Go struct: keys are matched to fields */
        SCHEMA_MAP,    /* a Go map[string]T: keys are data, matched exactly */
        _SCHEMA_KIND_MAX,
} schema_kind_t;

struct schema;

struct schema_field {
        const char *name; /* the JSON name, exactly as the struct tag spells it */
        /* What the value holds: NULL for scalars, lists of scalars and
         * anything no key inside can change (interface{} values). */
        const struct schema *type;
};

struct schema {
        const char *go_name; /* "specs.LinuxResources": what a message names */
        schema_kind_t kind;
        const struct schema_field *fields; /* STRUCT: ends with a NULL name */
        const struct schema *elem;         /* MAP: the values, NULL for scalars */
};

/* specs.Spec (config.json), specs.Process (exec --process) and
 * specs.LinuxResources (update --resources). */
extern const struct schema schema_spec;
extern const struct schema schema_process;
extern const struct schema schema_linux_resources;

/* The field named exactly key, or NULL. */
const struct schema_field *schema_field_exact(const struct schema *s, const char *key, size_t keylen);
/* The first field that some Go release could take key for, when key is not
 * that field's exact name; NULL when none could. */
const struct schema_field *schema_field_folded(const struct schema *s, const char *key, size_t keylen);

/* Whether some Go release's encoding/json could match key to the field
 * named name (ASCII, as every runtime-spec name is). */
bool go_key_folds_onto(const char *key, size_t keylen, const char *name);
