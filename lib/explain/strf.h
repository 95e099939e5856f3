/* SPDX-License-Identifier: MIT */
/* Heap strings for results: printf into a fresh allocation. */
#ifndef CAPSCOPE_EXPLAIN_STRF_H
#define CAPSCOPE_EXPLAIN_STRF_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* The formatted text on the heap, or NULL on ENOMEM. */
__attribute__((format(printf, 1, 2))) static inline char *cs_strf(const char *fmt, ...)
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
