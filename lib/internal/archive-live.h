/* SPDX-License-Identifier: MIT */
#ifndef CAPSCOPE_INTERNAL_ARCHIVE_LIVE_H
#define CAPSCOPE_INTERNAL_ARCHIVE_LIVE_H

#include <stdbool.h>

/*
 * Whether a reader of libarchive's is alive (lib/scan/archive-dl.c). The
 * command line asks when the process ends by an exit() not its own:
 * libarchive 3.6 ends it, exit(1), when one of its strings cannot grow
 * (__archive_errx, "Fatal Internal Error in libarchive: Out of memory",
 * and "No memory" when a name cannot be made wide), which capscope cannot
 * avoid without changing libarchive. False in a program that never read an
 * image.
 */
bool cs_archive_reading(void);

#endif
