/* SPDX-License-Identifier: MIT */
/*
 * The columns a terminal gives text (text-table.h): the one width rule of
 * every aligned output. Twenty-first pass: tables counted a code point as
 * one column, so a container or file named in CJK (two columns each) or
 * with combining marks (none) moved every later cell of its row, which
 * could then stand under another column's header. The rule is glibc's
 * wcwidth(), the one xterm, VTE, procps and coreutils follow; it is
 * written here, not taken from wcwidth(), because that answers by the
 * process's locale (a program in the C locale, or a distroless image
 * without locale files, would count every such character as unprintable)
 * and the table is checked against it for every code point both know
 * (tests/helpers/text-width.py).
 */
#include <stdint.h>
#include <string.h>

#include "capscope/text-table.h"
#include "internal/util.h"

struct cs_cp_range {
	uint32_t lo, hi;
};

#include "text-width-table.h"

static bool in(const struct cs_cp_range *r, size_t n, uint32_t c)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c > r[mid].hi)
			lo = mid + 1;
		else if (c < r[mid].lo)
			hi = mid;
		else
			return true;
	}
	return false;
}

unsigned cs_cp_width(uint32_t c)
{
	if (c < 0xa0)
		return c >= 0x20 && c < 0x7f; /* controls: escaped before they are shown */
	if (in(cs_width_zero, sizeof(cs_width_zero) / sizeof(*cs_width_zero), c))
		return 0;
	return in(cs_width_two, sizeof(cs_width_two) / sizeof(*cs_width_two), c) ? 2 : 1;
}

size_t cs_text_width(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;

	for (size_t i = 0, k; i < n; i += k) {
		uint32_t cp;

		if (s[i] < 0x80) {
			w += s[i] >= 0x20 && s[i] < 0x7f;
			k = 1;
		} else if ((k = cs_utf8_decode(s + i, n - i, &cp))) {
			w += cs_cp_width(cp);
		} else {
			w++; /* a byte that is no character: a terminal shows U+FFFD */
			k = 1;
		}
	}
	return w;
}
