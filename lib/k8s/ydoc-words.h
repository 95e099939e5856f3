/* SPDX-License-Identifier: MIT */
/*
 * libfyaml's parser error texts as capscope says them (ydoc-words.c).
 * Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_WORDS_H
#define CAPSCOPE_LIB_K8S_YDOC_WORDS_H

#include <stddef.h>

/* msg (a libfyaml 0.7.12 parser error, may be NULL) in capscope's words,
 * without the "YAML: " in front, into buf of len bytes: buf. */
const char *ydoc_fyaml_words(const char *msg, char *buf, size_t len);

#endif
