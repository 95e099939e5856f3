/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the UTF-8 and width rules (lib/utf8.c, lib/text-width.c) and the
 * JSON writer's escaped twin (lib/json.c), differentially:
 *  - cs_utf8_valid takes exactly what glibc's mbrtowc takes in C.UTF-8,
 *    up to U+10FFFF;
 *  - cs_text_width is the sum of cs_cp_width, which is glibc's wcwidth for
 *    every character it knows (a control or a byte that is no UTF-8: 0, 1);
 *  - cs_text_cut cuts on a character, within its bound;
 *  - a member written by cs_json_strn is valid UTF-8, and is followed by
 *    KEY_escaped exactly when the value is not UTF-8.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "capscope/escape.h"
#include "capscope/json.h"
#include "capscope/text-table.h"
#include "../../lib/internal/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool glibc_valid(const char *s, size_t n)
{
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &st);

		/* glibc (2.36's C.UTF-8) still decodes the old 31-bit forms:
		 * F4 90 80 80 is U+110000, F5 to FD lead 4- to 6-byte ones; RFC
		 * 3629 (and Go, and JSON) end at U+10FFFF, as cs_utf8_valid does.
		 * Session 27 part B: the target aborted on this reading, not on
		 * capscope's. */
		if (k == (size_t)-1 || k == (size_t)-2 || (uint32_t)wc > 0x10FFFF)
			return false;
		i += k ? k : 1; /* a NUL is one byte */
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool utf8_locale;
	const char *s = (const char *)data;
	size_t w = 0, cut;
	bool valid;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	if (size > 1 << 14)
		return 0;
	if (!utf8_locale)
		utf8_locale = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	valid = cs_utf8_valid(s, size);
	if (utf8_locale && valid != glibc_valid(s, size))
		abort();
	for (size_t i = 0, k; i < size; i += k) {
		uint32_t cp;

		if (!(k = cs_utf8_decode(data + i, size - i, &cp))) {
			w++;
			k = 1;
			continue;
		}
		if (k > 1 && utf8_locale) {
			int g = wcwidth((wchar_t)cp);

			if (g >= 0 && (unsigned)g != cs_cp_width(cp))
				abort();
		}
		w += cs_cp_width(cp);
	}
	if (w != cs_text_width(s, size))
		abort();
	cut = cs_text_cut(s, size, size / 2);
	if (cut > size || (size > size / 2 && cut > size / 2) || (valid && !cs_utf8_valid(s, cut)))
		abort();
	if (!(f = open_memstream(&out, &outlen)))
		return 0;
	{
		struct cs_json j;

		cs_json_init(&j, f, false);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "k");
		cs_json_strn(&j, s, size);
		cs_json_obj_end(&j);
	}
	if (fclose(f) == 0 && out) {
		if (!cs_utf8_valid(out, outlen) || memchr(out, '\n', outlen) ||
		    valid == (strstr(out, "\"k_escaped\":") != NULL))
			abort();
	}
	free(out);
	return 0;
}
