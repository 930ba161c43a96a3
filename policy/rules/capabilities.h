/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* A capability's number from a name as the spec gives it ("CAP_SETUID";
 * any case, the prefix optional, as the capabilities rule reads names);
 * -1 when nobody knows it. */
int capability_from_name(const char *name);
