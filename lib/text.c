/* SPDX-License-Identifier: MIT */
#include "capscope/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "capscope/escape.h"
#include "internal/util.h"

int cs_mask_parse_hex(const char *s, size_t len, cs_mask_t *out, struct cs_diag *d)
{
	cs_mask_t v = 0;
	size_t i = 0, digits = 0;

	if (!s || len == 0)
		return cs_diag_set(d, EINVAL, 0, 0, NULL, "empty mask");
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == len)
		return cs_diag_set(d, EINVAL, 0, (unsigned)i + 1, NULL, "no hex digits");
	for (; i < len; i++) {
		int c = (unsigned char)s[i], x;

		if (c >= '0' && c <= '9')
			x = c - '0';
		else if (c >= 'a' && c <= 'f')
			x = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			x = c - 'A' + 10;
		else if (c >= ' ' && c < 0x7f)
			return cs_diag_set(d, EINVAL, 0, (unsigned)(i < 0xfffffff ? i + 1 : 0),
					   NULL, "'%c' is not a hex digit", c);
		else /* a '?' for every other byte named one that was not there */
			return cs_diag_set(d, EINVAL, 0, (unsigned)(i < 0xfffffff ? i + 1 : 0),
					   NULL, "byte 0x%02x is not a hex digit", c);
		if (digits || x) {
			if (++digits > 16)
				return cs_diag_set(d, ERANGE, 0, 0, NULL,
						   "mask is wider than 64 bits");
		}
		v = (v << 4) | (cs_mask_t)x;
	}
	*out = v;
	return 0;
}

/* ---- libcap's text grammar ---- */

struct tparser {
	const char *s;
	size_t len, pos;
	struct cs_diag *d;
};

static int tp_peek(const struct tparser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : 0;
}

static int tp_fail(struct tparser *p, const char *why)
{
	size_t col = p->pos + 1;

	return cs_diag_set(p->d, EINVAL, 0, col < 0xfffffff ? (unsigned)col : 0, NULL, "%s", why);
}

/* libcap's namcmp: a case-insensitive match that must end at a non-word char. */
static bool tp_word_is(const struct tparser *p, const char *word)
{
	size_t n = strlen(word), i;

	if (p->len - p->pos < n)
		return false;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)p->s[p->pos + i]) != word[i])
			return false;
	if (p->pos + n < p->len) {
		int c = (unsigned char)p->s[p->pos + n];

		if (isalnum(c) || c == '_')
			return false;
	}
	return true;
}

/* One name of a list: a number (strtoul base 0 semantics, < 64) or a known name. */
static int tp_name(struct tparser *p, cs_mask_t *list)
{
	int c = tp_peek(p);

	if (isdigit(c)) {
		/* strtoul(…, 0): "0x" + hex, "0" + octal, else decimal. */
		unsigned base = 10;
		size_t i = p->pos;
		unsigned long long v = 0;
		bool overflow = false, any = false;

		if (p->s[i] == '0') {
			if (i + 2 < p->len + 0 && (p->s[i + 1] == 'x' || p->s[i + 1] == 'X') &&
			    isxdigit((unsigned char)p->s[i + 2])) {
				base = 16;
				i += 2;
			} else {
				base = 8;
			}
		}
		for (; i < p->len; i++) {
			int ch = (unsigned char)p->s[i], x;

			if (isdigit(ch))
				x = ch - '0';
			else if (isalpha(ch))
				x = tolower(ch) - 'a' + 10;
			else
				break;
			if ((unsigned)x >= base)
				break;
			any = true;
			if (v > (~0ULL - (unsigned)x) / base)
				overflow = true;
			else
				v = v * base + (unsigned)x;
		}
		(void)any;
		if (overflow || v >= CS_CAP_BITS)
			return tp_fail(p, "capability number out of range (0-63)");
		p->pos = i;
		*list |= CS_BIT(v);
		return 0;
	}
	/* Names: libcap scans letters and '_' only, then looks the token up. */
	size_t start = p->pos, end = start;

	while (end < p->len && (isalpha((unsigned char)p->s[end]) || p->s[end] == '_'))
		end++;
	for (int cap = 0; cap <= CS_CAP_LAST_KNOWN; cap++) {
		const char *n = cs_cap_name(cap);

		if (strlen(n) == end - start && strncasecmp(n, p->s + start, end - start) == 0) {
			p->pos = end;
			*list |= CS_BIT(cap);
			return 0;
		}
	}
	/* Named, as the list parser names it: a long text may hold many. The
	 * word shown runs on over digits: libcap's name ends before them, but
	 * "cap_41" is what was written, not "cap_". */
	char why[160];
	size_t word = end, shown;

	if (end == start)
		return tp_fail(p, "expected a capability name");
	while (word < p->len && (isalnum((unsigned char)p->s[word]) || p->s[word] == '_'))
		word++;
	shown = cs_text_cut(p->s + start, word - start, 40);
	size_t digits = word - end;

	for (size_t i = end; i < word; i++)
		digits = isdigit((unsigned char)p->s[i]) ? digits : 0;
	while (digits > 1 && p->s[word - digits] == '0') /* 041 would be octal there */
		digits--;
	if (end - start == 4 && digits && digits <= 20 && strncasecmp(p->s + start, "cap_", 4) == 0)
		cs_format_cut(why, sizeof(why),
			      "unknown capability name '%.*s': in this grammar, as in libcap's, a "
			      "capability without a name is its number alone (%.*s)",
			      (int)(word - start), p->s + start, (int)digits, p->s + word - digits);
	else
		cs_format_cut(why, sizeof(why), "unknown capability name '%.*s%s'", (int)shown,
			      p->s + start, shown < word - start ? "..." : "");
	return tp_fail(p, why);
}

int cs_text_parse(const char *text, size_t len, struct cs_iep *out, struct cs_diag *d)
{
	struct tparser p = {.s = text, .len = len, .pos = 0, .d = d};
	struct cs_iep r = {0, 0, 0};

	if (!text && len)
		return cs_diag_set(d, EINVAL, 0, 0, NULL, "no text");
	for (;;) {
		cs_mask_t list = 0;
		bool listed = false;
		int op, c;
		unsigned flags = 0;

		while (isspace(tp_peek(&p)))
			p.pos++;
		if (p.pos >= p.len)
			break;
		c = tp_peek(&p);
		if (c == '\0')
			return tp_fail(&p, "NUL byte in text");
		if (isalnum(c) || c == '_') {
			for (;;) {
				int rc;

				if (tp_word_is(&p, "all")) {
					p.pos += 3;
					list = cs_mask_all();
				} else if ((rc = tp_name(&p, &list)) < 0) {
					return rc;
				}
				if (tp_peek(&p) != ',')
					break;
				p.pos++;
				c = tp_peek(&p);
				if (!isalnum(c) && c != '_')
					return tp_fail(&p, "expected a capability name after ','");
			}
			listed = true;
		} else if (c == '+' || c == '-') {
			return tp_fail(&p, "'+' and '-' need a list of capabilities before them");
		} else {
			list = cs_mask_all();
		}

		op = tp_peek(&p);
		p.pos++;
		if (op == '=' && (tp_peek(&p) == '+' || tp_peek(&p) == '-')) {
			if (!listed) {
				p.pos--;
				return tp_fail(&p, "'=+' and '=-' need a list of capabilities");
			}
			op = tp_peek(&p) == '+' ? 'P' : 'M';
			p.pos++;
		} else if (op != '+' && op != '-' && op != '=') {
			p.pos--;
			return tp_fail(&p, "expected '=', '+' or '-'");
		}

		do {
			c = tp_peek(&p);
			if (p.pos < p.len && c && !isspace(c)) {
				switch (c) {
				case 'e':
					flags |= 1;
					break;
				case 'i':
					flags |= 2;
					break;
				case 'p':
					flags |= 4;
					break;
				default:
					return tp_fail(&p, "expected a flag: e, i or p");
				}
				p.pos++;
			} else if (op != '=') {
				return tp_fail(&p, "'+' and '-' must be followed by flags");
			}
			switch (op) {
			case '=':
			case 'P':
			case 'M':
				r.eff &= ~list;
				r.prm &= ~list;
				r.inh &= ~list;
				if (op == 'M')
					goto minus;
				__attribute__((fallthrough));
			case '+':
				if (flags & 1)
					r.eff |= list;
				if (flags & 4)
					r.prm |= list;
				if (flags & 2)
					r.inh |= list;
				break;
			case '-':
			minus:
				if (flags & 1)
					r.eff &= ~list;
				if (flags & 4)
					r.prm &= ~list;
				if (flags & 2)
					r.inh &= ~list;
				break;
			}
			c = tp_peek(&p);
			if (p.pos < p.len && (c == '+' || c == '-')) {
				if (!listed)
					return tp_fail(&p,
						       "'+' and '-' need a list of capabilities");
				flags = 0;
				op = c;
				p.pos++;
				if (!isalpha(tp_peek(&p)) || p.pos >= p.len)
					return tp_fail(&p, "'+' and '-' must be followed by flags");
			}
			c = tp_peek(&p);
		} while (p.pos < p.len && c && !isspace(c));
		if (p.pos < p.len && c == '\0')
			return tp_fail(&p, "NUL byte in text");
	}
	*out = r;
	return 0;
}

char *cs_text_format(const struct cs_iep *iep)
{
	cap_t c = cap_init();
	char *lib, *res;

	if (!c)
		return NULL;
	for (int cap = 0; cap < CS_CAP_BITS; cap++) {
		cap_value_t v = cap;

		if (iep->eff & CS_BIT(cap))
			cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_SET);
		if (iep->prm & CS_BIT(cap))
			cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_SET);
		if (iep->inh & CS_BIT(cap))
			cap_set_flag(c, CAP_INHERITABLE, 1, &v, CAP_SET);
	}
	lib = cap_to_text(c, NULL);
	cap_free(c);
	if (!lib)
		return NULL;
	/* Hand back memory the caller frees with free(), not cap_free(). */
	res = strdup(lib);
	cap_free(lib);
	return res;
}

/* Append src to buf at *n, truncating but always counting (like snprintf). */
static void append(char *buf, size_t len, size_t *n, const char *src, size_t sl)
{
	if (*n < len) {
		size_t room = len - *n - 1, c = sl < room ? sl : room;

		memcpy(buf + *n, src, c);
		buf[*n + c] = '\0';
	}
	*n += sl;
}

/*
 * memcpy rather than one snprintf per name: decode formats every mask it
 * reads, and this is most of its work (bench/bench-foundation.sh).
 */
size_t cs_mask_format_names(cs_mask_t m, enum cs_name_style style, char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (int cap = 0; cap < CS_CAP_BITS; cap++) {
		const char *s = cs_cap_name(cap);
		char tmp[32];
		size_t sl;

		if (!(m & CS_BIT(cap)))
			continue;
		if (n)
			append(buf, len, &n, ",", 1);
		if (!s) {
			sl = (size_t)snprintf(tmp, sizeof(tmp), "%s%d",
					      style == CS_NAMES_CAPSH	? ""
					      : style == CS_NAMES_LOWER ? "cap_"
									: "CAP_",
					      cap);
			append(buf, len, &n, tmp, sl);
			continue;
		}
		if (style == CS_NAMES_CAPSH || style == CS_NAMES_LOWER) {
			append(buf, len, &n, s, strlen(s));
			continue;
		}
		/* Upper case; the Kubernetes spelling drops the "CAP_" prefix. */
		sl = strlen(s);
		if (style == CS_NAMES_K8S) {
			s += 4;
			sl -= 4;
		} else {
			append(buf, len, &n, "CAP_", 4);
			s += 4;
			sl -= 4;
		}
		for (size_t i = 0; i < sl; i++)
			tmp[i] = (char)toupper((unsigned char)s[i]);
		append(buf, len, &n, tmp, sl);
	}
	return n;
}

/* The blank at i of a list separated by commas alone: its item (between
 * the commas around it) is named, the column is the blank's. */
static int blank_refused(const char *text, size_t len, size_t i, struct cs_diag *d)
{
	size_t start = i, end = i, shown;

	while (start && text[start - 1] != ',')
		start--;
	while (end < len && text[end] != ',')
		end++;
	shown = cs_text_cut(text + start, end - start, 40);
	return cs_diag_set(d, EINVAL, 0, i < 0xfffffff ? (unsigned)i + 1 : 0, NULL,
			   "a blank in '%.*s%s': names are separated by one comma and nothing else",
			   (int)shown, text + start, shown < end - start ? "..." : "");
}

static int names_parse(const char *text, size_t len, bool commas_only, cs_mask_t *out,
		       struct cs_diag *d)
{
	cs_mask_t m = 0;
	size_t i = 0, comma = 0; /* 1 + where the last comma was, while no name followed it */
	bool any = false;

	while (i < len) {
		size_t start;
		int cap;

		/* One comma at most between two names: "a,,b", ",a" or "a," is a
		 * name left out (an empty variable), not a shorter list. */
		for (; i < len && (isspace((unsigned char)text[i]) || text[i] == ','); i++) {
			if (commas_only && text[i] != ',')
				return blank_refused(text, len, i, d);
			if (text[i] != ',')
				continue;
			if (!any || comma)
				return cs_diag_set(d, EINVAL, 0,
						   i < 0xfffffff ? (unsigned)i + 1 : 0, NULL,
						   "a capability name is missing before ','");
			comma = i + 1;
		}
		if (i >= len)
			break;
		comma = 0;
		any = true;
		start = i;
		while (i < len && !isspace((unsigned char)text[i]) && text[i] != ',')
			i++;
		if (i - start == 3 && strncasecmp(text + start, "all", 3) == 0) {
			m |= cs_mask_all();
			continue;
		}
		cap = cs_cap_from_name(text + start, i - start);
		if (cap < 0) {
			size_t shown = cs_text_cut(text + start, i - start, 40);

			return cs_diag_set(d, EINVAL, 0,
					   start < 0xfffffff ? (unsigned)start + 1 : 0, NULL,
					   "unknown capability '%.*s%s'", (int)shown, text + start,
					   shown < i - start ? "..." : "");
		}
		m |= CS_BIT(cap);
	}
	if (comma)
		return cs_diag_set(d, EINVAL, 0, comma < 0xfffffff ? (unsigned)comma : 0, NULL,
				   "a capability name is missing after ','");
	*out = m;
	return 0;
}

int cs_names_parse(const char *text, size_t len, cs_mask_t *out, struct cs_diag *d)
{
	return names_parse(text, len, false, out, d);
}

int cs_names_parse_commas(const char *text, size_t len, cs_mask_t *out, struct cs_diag *d)
{
	return names_parse(text, len, true, out, d);
}

char *cs_join(const char *prefix, const char *const *v, size_t n, const char *sep)
{
	size_t plen = prefix ? strlen(prefix) : 0, slen = strlen(sep), len = plen + 1, o = plen;
	char *out;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + (i ? slen : 0);
	if (!(out = malloc(len)))
		return NULL;
	memcpy(out, prefix ? prefix : "", plen);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]);

		if (i) {
			memcpy(out + o, sep, slen);
			o += slen;
		}
		memcpy(out + o, v[i], l);
		o += l;
	}
	out[o] = '\0';
	return out;
}
