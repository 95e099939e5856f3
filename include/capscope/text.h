/* SPDX-License-Identifier: MIT */
/* Text forms of capabilities: hex masks, libcap's grammar, name lists. */
#ifndef CAPSCOPE_TEXT_H
#define CAPSCOPE_TEXT_H

#include "caps.h"
#include "diag.h"

/*
 * A hex mask as /proc and capsh print it: optional 0x/0X, any number of
 * leading zeros, at most 64 significant bits, nothing else (no spaces, no
 * sign). -EINVAL for junk or an empty string, -ERANGE when wider than 64 bits.
 */
CS_EXPORT int cs_mask_parse_hex(const char *s, size_t len, cs_mask_t *out, struct cs_diag *d);

/* Result of parsing libcap's text grammar (cap_text_formats(7)). */
struct cs_iep {
	cs_mask_t inh, eff, prm;
};

/*
 * libcap's grammar: whitespace-separated clauses "[caplist]op flags[op flags]..",
 * applied left to right. Accepts exactly what libcap's cap_from_text accepts
 * and gives the same sets (the tests use libcap as the oracle), including its
 * quirks: "all" and an empty list before "=" mean every capability of the
 * running kernel (0..cap_last_cap, as libcap 2.66 does); numbers are read
 * like strtoul(…, 0). On error the column of the offending character is
 * reported.
 */
CS_EXPORT int cs_text_parse(const char *text, size_t len, struct cs_iep *out, struct cs_diag *d);

/*
 * libcap's canonical text (what getcap prints), via libcap's cap_to_text.
 * Returns a malloc'd string or NULL with errno set.
 */
CS_EXPORT char *cs_text_format(const struct cs_iep *iep);

/* How a name list is spelled. */
enum cs_name_style {
	CS_NAMES_CAPSH, /* cap_chown,cap_kill,41  (capsh --decode) */
	CS_NAMES_LOWER, /* cap_chown,cap_kill,cap_41 */
	CS_NAMES_OCI,	/* CAP_CHOWN,CAP_KILL,CAP_41 */
	CS_NAMES_K8S,	/* CHOWN,KILL,CAP_41 */
};

/*
 * Comma-separated names of the bits in m, lowest first, into buf.
 * Returns the length that the full text needs (like snprintf).
 */
CS_EXPORT size_t cs_mask_format_names(cs_mask_t m, enum cs_name_style style, char *buf, size_t len);

/*
 * A list of names separated by commas and/or whitespace, in any spelling
 * cs_cap_from_name accepts, plus "all" (any case) for every capability of the
 * running kernel. Empty list = 0. Unknown names are -EINVAL with the column.
 */
CS_EXPORT int cs_names_parse(const char *text, size_t len, cs_mask_t *out, struct cs_diag *d);

/* cs_names_parse of a list separated by commas alone, as setpriv's (run's
 * --caps, --inh, --ambient, --bounding): a blank anywhere is -EINVAL at its
 * column, its item named. */
CS_EXPORT int cs_names_parse_commas(const char *text, size_t len, cs_mask_t *out,
				    struct cs_diag *d);

/*
 * The n strings of v joined by sep, after prefix (NULL: none), on the heap;
 * NULL on ENOMEM. Time and memory grow with the length of the result (a
 * strcat loop grows with its square: 40,000 names took a second).
 */
CS_EXPORT char *cs_join(const char *prefix, const char *const *v, size_t n, const char *sep);

#endif
