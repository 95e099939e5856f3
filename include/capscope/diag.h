/* SPDX-License-Identifier: MIT */
/* Diagnostics: where a parser stopped and why. The library never prints. */
#ifndef CAPSCOPE_DIAG_H
#define CAPSCOPE_DIAG_H

#include "caps.h"

struct cs_diag {
	char file[256];	 /* "" when the input was not a file */
	unsigned line;	 /* 1-based, 0 = unknown */
	unsigned column; /* 1-based, 0 = unknown */
	char field[160]; /* field or key being parsed, "" when none (a CronJob's deepest path fits)
			  */
	char message[256];
};

/* Fill d (if not NULL). Always returns -err so callers can `return cs_diag_set(...)`. */
CS_EXPORT int cs_diag_set(struct cs_diag *d, int err, unsigned line, unsigned column,
			  const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Name the file the diagnostic is about, unless one is named already (the
 * innermost reader knows best). Safe with d == NULL. */
CS_EXPORT void cs_diag_file(struct cs_diag *d, const char *file);

/*
 * Add context in front of the message, "what: message", as the error
 * travels outwards (crun's crun_error_wrap). Always returns -err so callers
 * can `return cs_diag_context(d, r, "reading %s", path)`; err is taken as
 * positive or negative. Safe with d == NULL.
 */
CS_EXPORT int cs_diag_context(struct cs_diag *d, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "file:line:column: field: message" with the empty parts left out. */
CS_EXPORT const char *cs_diag_format(const struct cs_diag *d, char *buf, size_t len);

#endif
