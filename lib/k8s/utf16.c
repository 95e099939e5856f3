/* SPDX-License-Identifier: MIT */
/*
 * kubectl -f reads a file through unicode.BOMOverride (cli-runtime's
 * FileVisitor, golang.org/x/text): a UTF-16 byte order mark, little or big
 * endian, makes it decode the rest as UTF-16 before the YAML reader sees
 * it. capscope refused such a file (fifteenth pass); it now reads the same
 * text kubectl reads (second round). What is not well formed, x/text reads
 * silently as U+FFFD (checked against kubectl 1.32: a high surrogate
 * without a low one after it, a low one alone, an odd last byte): refused
 * here, at its line and column, as lib/json-check.c refuses a lone
 * surrogate in a JSON escape, which Go also reads as U+FFFD. Written by
 * hand: the job is twenty lines, and iconv(3) would say where it stopped
 * in bytes, not in the characters the message must count.
 */
#include "utf16.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

bool cs_k8s_utf16_bom(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;

	return len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff));
}

static size_t put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

int cs_k8s_utf16_to_utf8(const char *text, size_t len, size_t room, char **out, size_t *out_len,
			 const char **bad)
{
	const unsigned char *p = (const unsigned char *)text;
	bool le = p[0] == 0xff;
	/* A unit (2 bytes) makes at most 3 bytes, a pair (4 bytes) 4. */
	size_t n = 0;
	char *buf = malloc(room + (len - 2) / 2 * 3 + 1);

	*bad = NULL;
	if (!buf)
		return -ENOMEM;
	char *o = buf + room;

#define UNIT(i) (le ? (uint32_t)(p[(i) + 1] << 8 | p[i]) : (uint32_t)(p[i] << 8 | p[(i) + 1]))
	for (size_t i = 2; i + 1 < len && !*bad;) {
		uint32_t c = UNIT(i), c2;

		i += 2;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < len && (c2 = UNIT(i)) >= 0xdc00 &&
		    c2 < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
			i += 2;
		} else if (c >= 0xd800 && c < 0xe000) {
			*bad =
			    "a lone UTF-16 surrogate: kubectl reads it as U+FFFD, a silent change";
			break;
		}
		n += put_utf8(o + n, c);
	}
#undef UNIT
	if (!*bad && (len - 2) % 2)
		*bad =
		    "an odd number of bytes in UTF-16 text: kubectl reads the last one as U+FFFD, "
		    "a silent change";
	o[n] = '\0';
	*out = buf;
	*out_len = n;
	return *bad ? -EILSEQ : 0;
}
