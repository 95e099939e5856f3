/* SPDX-License-Identifier: MIT */
/*
 * Go's decoders match a key to a struct field without case: encoding/json
 * (runc's config.json, Docker's and containerd's image JSON) and
 * BurntSushi/toml (CRI-O's crio.conf) compare with Unicode simple folding
 * (strings.EqualFold, encoding/json foldName). Against an ASCII field name
 * that is ASCII case plus the two other letters in the orbits of s and k:
 * U+017F LATIN SMALL LETTER LONG S and U+212A KELVIN SIGN.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "capscope/escape.h"
#include "internal/util.h"

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool cs_go_fold_equal(const char *key, size_t len, const char *name)
{
	const unsigned char *k = (const unsigned char *)key, *end = k + len;

	for (; *name; name++) {
		char c = ascii_lower(*name);

		if (c == 's' && end - k >= 2 && k[0] == 0xC5 && k[1] == 0xBF)
			k += 2;
		else if (c == 'k' && end - k >= 3 && k[0] == 0xE2 && k[1] == 0x84 && k[2] == 0xAA)
			k += 3;
		else if (k < end && ascii_lower((char)*k) == c)
			k++;
		else
			return false;
	}
	return k == end;
}

void cs_go_upper(char *dst, size_t len, const char *prefix, const char *s)
{
	size_t n = (size_t)snprintf(dst, len, "%s", prefix);

	for (; *s && n + 1 < len; s++) {
		unsigned char c0 = (unsigned char)s[0], c1 = (unsigned char)s[1];

		if ((c0 == 0xC4 && c1 == 0xB1) || (c0 == 0xC5 && c1 == 0xBF)) {
			dst[n++] = c0 == 0xC4 ? 'I' : 'S';
			s++;
			continue;
		}
		dst[n++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
	}
	/* Twenty-first pass: a name longer than dst was cut at a byte, in the
	 * middle of a character, and quoted so by the runtimes' refusals
	 * ("CAP_" and 19 CJK characters then \xe4\xb8, bytes in an order the
	 * name does not hold, with no mark of the cut). Cut on a character
	 * and mark it: "..." is in no capability's name, so a cut name still
	 * matches none. */
	if (*s && len > 4 && n + 1 >= len) {
		n = cs_text_cut(dst, n, len - 4);
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n < len ? n : len - 1] = '\0';
}
