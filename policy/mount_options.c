/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "mount_options.h"

#include <errno.h>

#include "util.h"

int mount_options_read(const struct jv *options, struct mount_options *ret, const struct jv **ret_bad)
{
        *ret = (struct mount_options){0};
        *ret_bad = NULL;
        if (!options || options->type == JV_NULL)
                return 0;
        if (options->type != JV_ARRAY) {
                *ret_bad = options;
                return -EINVAL;
        }
        for (size_t i = 0; i < options->u.arr.n; i++) {
                const char *o;
                if (!jv_cstr(options->u.arr.v[i], &o)) {
                        *ret_bad = options->u.arr.v[i];
                        return -EINVAL;
                }
                if (STREQ(o, "bind") || STREQ(o, "rbind"))
                        ret->bind = true;
                else if (STREQ(o, "ro") || STREQ(o, "rw"))
                        ret->ro = o[1] == 'o';
                else if (STREQ(o, "remount"))
                        ret->remount = true;
        }
        return 0;
}
