/* SPDX-License-Identifier: MIT */
/* Heap strings for results: printf into a fresh allocation. */
#ifndef CAPSCOPE_EXPLAIN_STRF_H
#define CAPSCOPE_EXPLAIN_STRF_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal/util.h"

/*
 * The formatted prose on the heap, or NULL on ENOMEM: a value the format
 * quotes ('%s', "%s") has that quote doubled (lib/msg-format.c), so that
 * a verdict, a reason or a remedy's sentence follows the rule every message
 * follows (seventeenth pass: these were vasprintf's, and each caller that
 * quoted a name doubled it by hand, or not).
 */
__attribute__((format(printf, 1, 2))) static inline char *cs_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = cs_vformat_quoted(fmt, ap);
	va_end(ap);
	return s;
}

/*
 * Code and markup (a Dockerfile, YAML, a shell line): printed as printf
 * prints, the language's own quoting already applied to each value
 * (escape.h cs_quote_*_dup). NULL on ENOMEM.
 */
__attribute__((format(printf, 1, 2))) static inline char *cs_code_strf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

#endif
