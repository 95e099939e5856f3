/* SPDX-License-Identifier: MIT */
/* The library's version, as meson's project() gives it. */
#ifndef CAPSCOPE_VERSION_H
#define CAPSCOPE_VERSION_H

#include "caps.h"

/* "0.1.0": the version of the libcapscope that is running (not the headers'). */
CS_EXPORT const char *cs_version(void);

#endif
