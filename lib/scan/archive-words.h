/* SPDX-License-Identifier: MIT */
/*
 * libarchive's error text as capscope says it (archive-words.c). Internal
 * to libcapscope.
 */
#ifndef CAPSCOPE_LIB_SCAN_ARCHIVE_WORDS_H
#define CAPSCOPE_LIB_SCAN_ARCHIVE_WORDS_H

#include <stddef.h>

/* es (archive_error_string, may be NULL) in capscope's words, into buf of
 * len bytes: buf. */
const char *cs_archive_words(const char *es, char *buf, size_t len);

#endif
