/* SPDX-License-Identifier: MIT */
/*
 * UTF-16 text with a byte order mark, converted to UTF-8 as kubectl -f
 * converts it before any YAML is read.
 */
#ifndef CAPSCOPE_K8S_UTF16_H
#define CAPSCOPE_K8S_UTF16_H

#include <stdbool.h>
#include <stddef.h>

/* The text starts with FF FE (UTF-16LE) or FE FF (UTF-16BE). */
bool cs_k8s_utf16_bom(const char *text, size_t len);

/*
 * The text after its byte order mark (len >= 2) as UTF-8, in a new buffer
 * (free it, also on -EILSEQ) with room free bytes before it; *out_len is
 * the text's length. A unit or a pair of the text is one character of the
 * new one, so a line and a column counted in characters are the same in
 * both. 0, -ENOMEM, or -EILSEQ with *bad saying what is not well formed,
 * which is at the end of the text converted so far (*out_len bytes).
 */
int cs_k8s_utf16_to_utf8(const char *text, size_t len, size_t room, char **out, size_t *out_len,
			 const char **bad);

#endif
