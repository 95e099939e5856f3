/* SPDX-License-Identifier: MIT */
/* User and group lookups through glibc's NSS (see ids.h). */
#include "capscope/ids.h"

const struct cs_ids cs_ids_nss = {
    .pw_name = getpwnam,
    .pw_uid = getpwuid,
    .gr_name = getgrnam,
};
