/* SPDX-License-Identifier: MIT */
/*
 * Scalars libfyaml 0.7.12 reads otherwise than go-yaml (kubectl): refused
 * by the manifest reader (ydoc.c). Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_SCALAR_H
#define CAPSCOPE_LIB_K8S_YDOC_SCALAR_H

#include <stddef.h>

/*
 * A double-quoted scalar's text as written, between its quotes: NULL when
 * go-yaml reads its escapes as libfyaml does, else why not (a message).
 */
const char *ydoc_dq_escapes(const char *raw, size_t len);

/*
 * A double-quoted scalar on one line, decoded from its text between the
 * quotes (raw, len) into out (room for len / 2 * 3 + 1 bytes: \L writes 3
 * bytes for 2, no other escape more than it takes): 0 and *outlen, or 1 for an escape it leaves to
 * libfyaml (`\/`, a surrogate, a code point past U+10FFFF, one it does not
 * know). ydoc.c compares the length with libfyaml's.
 */
int ydoc_dq_line(const char *raw, size_t len, char *out, size_t *outlen);

/*
 * A block scalar (`|` or `>`): hdr its header line (NULL: not found), raw
 * its lines from the first after the header to its end (NULL: not found),
 * text as libfyaml gives it. NULL when go-yaml reads the same, else why not.
 */
const char *ydoc_block_misread(const char *hdr, size_t hdr_len, const char *raw, size_t raw_len,
			       const char *text, size_t len);

#endif
