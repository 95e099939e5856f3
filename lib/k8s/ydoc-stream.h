/* SPDX-License-Identifier: MIT */
/*
 * A YAML stream of JSON documents, built without libfyaml (ydoc-stream.c
 * says which texts and why). Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_STREAM_H
#define CAPSCOPE_LIB_K8S_YDOC_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "ydoc.h"

/*
 * Each document of text[0, len) (UTF-8 without NUL, checked) to fn, as
 * ydoc_read gives them, when every one is a JSON value; 1, with nothing
 * given to fn, when the text is not such a stream (libfyaml reads it).
 * Otherwise 0, fn's negative return, or -ENOMEM.
 */
int ydoc_stream_read(const char *text, size_t len, ydoc_doc_fn fn, void *user);

/* Whether ydoc_stream_read builds text itself (1; it then needs no
 * YDOC_ROOM before the text, and writes nothing into it), 0, or -ENOMEM. */
int ydoc_is_json_stream(const char *text, size_t len);

#endif
