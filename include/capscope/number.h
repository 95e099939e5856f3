/* SPDX-License-Identifier: MIT */
/*
 * The one strict number parser for anything a user or a file gives us:
 * digits only. No leading or trailing spaces, no '+', no '-' on unsigned
 * values, no empty string, no trailing junk, no silent wrap-around — the
 * things strtoul accepts without a word. Every command parses numbers
 * through these, so " 1000", "+5" and "5x" mean the same (nothing) everywhere.
 */
#ifndef CAPSCOPE_NUMBER_H
#define CAPSCOPE_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#include "caps.h"

enum {
	CS_NUM_DEC = 0,	     /* decimal only; "0" alone or no leading zero */
	CS_NUM_HEX = 1 << 0, /* also "0x" / "0X" followed by hex digits */
};

/*
 * Parse s[0..len) as an unsigned number no larger than max. 0, -EINVAL
 * (not a number in the accepted form) or -ERANGE (larger than max).
 * *out is written only on success.
 */
CS_EXPORT int cs_parse_u64n(const char *s, size_t len, unsigned flags, uint64_t max, uint64_t *out);

/* The same over a NUL-terminated string. */
CS_EXPORT int cs_parse_u64(const char *s, unsigned flags, uint64_t max, uint64_t *out);

/* Decimal uint32 (uids, gids, root ids, ports...) up to max. */
CS_EXPORT int cs_parse_u32(const char *s, uint32_t max, uint32_t *out);

/* A size: digits, then optionally K (or k), M or G (binary units); -EINVAL
 * when it is not one or does not fit in 64 bits. */
CS_EXPORT int cs_parse_size(const char *s, uint64_t *out);

/* Decimal int in [min, max]; a single leading '-' is the only sign accepted. */
CS_EXPORT int cs_parse_int(const char *s, int min, int max, int *out);

/*
 * A number of seconds: decimal digits with an optional fraction ("5", "0.5",
 * ".5", "5."), more than 0 and at most max. No sign, space, exponent, hex
 * float ("0x1p3"), "inf", "nan" or leading zero ("05"): strtod takes all of
 * them. 0, -EINVAL (not such text) or -ERANGE (0, or more than max); *out is
 * written only on success.
 */
CS_EXPORT int cs_parse_seconds(const char *s, double max, double *out);

/*
 * An id range "START/SIZE" (a namespace's openshift.io/sa.scc.uid-range,
 * --uid-range): both decimal, SIZE at least 1, the last id START + SIZE - 1
 * within uint32. 0 or -EINVAL.
 */
CS_EXPORT int cs_parse_id_range(const char *s, uint32_t *start, uint32_t *size);

#endif
