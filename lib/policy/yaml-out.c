/* SPDX-License-Identifier: MIT */
#include "yaml-out.h"

#include <errno.h>
#include <string.h>

#include "../internal/util.h"

/* Decode one UTF-8 sequence at s (n bytes left); returns its length or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len = s[0] >= 0x80 ? cs_utf8_seq_len(s, n) : 0;
	unsigned long c;

	if (!len)
		return 0;
	c = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++)
		c = (c << 6) | (s[i] & 0x3f);
	*cp = c;
	return len;
}

void yw_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	fputc('"', f);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		unsigned long cp;
		size_t l;

		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
			i++;
		} else if (c == '\n') {
			fputs("\\n", f);
			i++;
		} else if (c == '\t') {
			fputs("\\t", f);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\x%02x", c);
			i++;
		} else if (c < 0x80) {
			fputc(c, f);
			i++;
		} else if ((l = utf8_decode(p + i, n - i, &cp)) > 0) {
			/* Escaped, so the output is ASCII and no bidi or C1 control
			 * can reach a reader's terminal or editor unseen. */
			fprintf(f, cp > 0xffff ? "\\U%08lx" : "\\u%04lx", cp);
			i += l;
		} else {
			fputs("\\ufffd", f); /* invalid UTF-8: YAML has no byte escape */
			i++;
		}
	}
	fputc('"', f);
}

void yw_kv(FILE *f, int indent, const char *key, const char *s)
{
	fprintf(f, "%*s%s: ", indent, "", key);
	yw_str(f, s);
	fputc('\n', f);
}

void yw_caps(FILE *f, cs_mask_t m, const char *quote)
{
	char buf[32];
	bool first = true;

	fputc('[', f);
	for (int c = 0; c < CS_CAP_BITS; c++) {
		if (!(m & CS_BIT(c)))
			continue;
		cs_cap_name_r(c, true, buf, sizeof(buf));
		fprintf(f, "%s%s%s%s", first ? "" : ", ", quote, buf + 4, quote);
		first = false;
	}
	fputc(']', f);
}

void yw_block(FILE *f, int indent, const char *text)
{
	fputs("|\n", f);
	for (const char *l = text; *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);

		if (len)
			fprintf(f, "%*s%.*s\n", indent, "", (int)len, l);
		else
			fputc('\n', f);
		l += len + (e ? 1 : 0);
	}
}

/* The flush's own cause when it fails (ENOSPC, EPIPE): the caller's message
 * names it. An earlier failed write leaves only the stream's flag: EIO. */
int yw_finish(FILE *f)
{
	errno = 0;
	if (fflush(f) != 0)
		return errno ? -errno : -EIO;
	return ferror(f) ? -EIO : 0;
}
