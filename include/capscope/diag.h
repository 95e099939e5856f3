/* SPDX-License-Identifier: MIT */
/* Diagnostics: where a parser stopped and why. The library never prints. */
#ifndef CAPSCOPE_DIAG_H
#define CAPSCOPE_DIAG_H

#include "caps.h"

struct cs_diag {
	char file[256];  /* "" when the input was not a file */
	unsigned line;   /* 1-based, 0 = unknown */
	unsigned column; /* 1-based, 0 = unknown */
	char field[64];  /* field or key being parsed, "" when none */
	char message[256];
};

/* Fill d (if not NULL). Always returns -err so callers can `return cs_diag_set(...)`. */
CS_EXPORT int cs_diag_set(struct cs_diag *d, int err, unsigned line, unsigned column,
			  const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* "file:line:column: field: message" with the empty parts left out. */
CS_EXPORT const char *cs_diag_format(const struct cs_diag *d, char *buf, size_t len);

#endif
