/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/* A substring every match of the POSIX extended regular expression re
 * must contain, written to out (at most cap - 1 bytes); its length, 0 when
 * none can be told. env-secrets skips a pattern for a value that lacks it. */
size_t env_secrets_required_literal(const char *re, char *out, size_t cap);
