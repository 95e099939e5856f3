/* SPDX-License-Identifier: MIT */
/*
 * The one UTF-8 rule of the library (internal/util.h): the JSON and
 * Prometheus writers, the policy YAML writer, the libfyaml text check and
 * the TOML reader all take a byte sequence as UTF-8 exactly when this does.
 */
#include "internal/util.h"

/*
 * Code points the escaping rule (escape.h) and the JSON writer show as
 * \uNNNN: C1 controls; every bidi control (embeddings, overrides and
 * isolates reorder what follows; the marks U+061C, U+200E and U+200F flip
 * neutral characters around them); the line and paragraph separators, which
 * end a line in many viewers of a log; and the invisible format characters
 * that make two names look alike or a name look empty (U+200B,
 * U+2060..U+2064, U+206A..U+206F, U+FEFF, U+FFF9..U+FFFB, U+180E, and past
 * U+FFFF the shorthand format controls U+1BCA0..U+1BCA3, the musical ones
 * U+1D173..U+1D17A and the tag characters U+E0000..U+E007F). Twelfth pass:
 * tags spelling any ASCII text draw nothing, so a capability "NET_ADMIN"
 * followed by them was shown as NET_ADMIN ("unknown capability
 * CAP_NET_ADMIN"). The joiners U+200C/U+200D and the variation selectors
 * (an emoji's U+FE0F, Mongolian's U+180B..U+180D, U+180F) are not in this
 * list: scripts and emoji need them, so they are judged in their context
 * (cs_cp_hidden_at, below).
 *
 * Fifteenth pass, second round: the rest of Unicode's default-ignorable
 * characters that no name needs. A browser draws the soft hyphen U+00AD
 * only where it breaks a line, so `explain pod --html` of a pod adding
 * "NET_" U+00AD "ADMIN" said: unknown capability "CAP_NET_ADMIN", and showed
 * two NET_ADMIN rows; the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0)
 * draw a blank, so a name of them looks empty; the combining grapheme
 * joiner U+034F and Khmer's U+17B4/U+17B5 (which Unicode says not to use)
 * draw nothing; U+FFF0..U+FFF8 are reserved as ignorable.
 */
bool cs_cp_hidden_control(uint32_t c)
{
	if (c > 0xffff)
		return (c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0x1d173 && c <= 0x1d17a) ||
		       (c >= 0xe0000 && c <= 0xe007f);
	return (c >= 0x80 && c <= 0x9f) || c == 0x00ad || c == 0x034f || c == 0x115f ||
	       c == 0x1160 || c == 0x17b4 || c == 0x17b5 || c == 0x3164 || c == 0xffa0 ||
	       (c >= 0xfff0 && c <= 0xfff8) || c == 0x061c || c == 0x180e || c == 0x200b ||
	       c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb);
}

/*
 * Nineteenth pass: the joiners U+200C/U+200D and the variation selectors
 * (U+FE00..U+FE0F, U+180B..U+180D, U+180F, U+E0100..U+E01EF) draw nothing
 * beside ASCII: a name "web" U+200D or "NET_ADMIN" U+FE0F looked like "web"
 * and "NET_ADMIN" in every table. Scripts and emoji need them only between
 * (a selector: after) characters that show, so they are kept there and
 * escaped everywhere else: beside ASCII, at either end of the text, beside
 * another joiner or a hidden character.
 */
static bool joiner(uint32_t c)
{
	return c == 0x200c || c == 0x200d;
}

static bool selector(uint32_t c)
{
	return (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x180b && c <= 0x180d) || c == 0x180f ||
	       (c >= 0xe0100 && c <= 0xe01ef);
}

bool cs_cp_shaping(uint32_t c)
{
	return joiner(c) || selector(c);
}

/* A character that shows by itself, past ASCII (a joiner's neighbour). */
static bool shows(uint32_t c)
{
	return c >= 0xa0 && !cs_cp_hidden_control(c) && !joiner(c) && !selector(c);
}

/* The valid character that ends at s + i: its length (0 for none), *cp. */
static size_t cp_before(const unsigned char *s, size_t i, uint32_t *cp)
{
	for (size_t k = 1; k <= 4 && k <= i; k++)
		if (cs_utf8_seq_len(s + i - k, k) == k)
			return cs_utf8_decode(s + i - k, k, cp);
	return 0;
}

bool cs_cp_hidden_at(const unsigned char *s, size_t n, size_t i, size_t len, uint32_t cp)
{
	uint32_t p = 0, q = 0;
	size_t k;

	if (cs_cp_hidden_control(cp))
		return true;
	if (!joiner(cp) && !selector(cp))
		return false;
	k = cp_before(s, i, &p);
	if (selector(cp))
		return !k || !shows(p);
	/* After a character that shows, or a selector that is kept after one
	 * (an emoji's U+FE0F before its joiner); before one that shows. */
	if (k && selector(p) && !(k = cp_before(s, i - k, &p)))
		return true;
	if (!k || !shows(p))
		return true;
	return i + len >= n || !cs_utf8_decode(s + i + len, n - i - len, &q) || !shows(q);
}

size_t cs_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	size_t n = cs_utf8_seq_len(s, left);
	uint32_t c = n > 1 ? s[0] & (0x7fu >> n) : s[0];

	if (!n)
		return 0;
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3f);
	*cp = c;
	return n;
}

size_t cs_utf8_encode(uint32_t cp, char out[4])
{
	static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

	/* The lead byte holds the top bits, each following byte six more. */
	out[0] = (char)(lead[n] | cp >> (6 * (n - 1)));
	for (size_t i = 1; i < n; i++)
		out[i] = (char)(0x80 | (cp >> (6 * (n - 1 - i)) & 0x3f));
	return n;
}

size_t cs_utf8_seq_len(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0; /* no overlong 3-byte forms */
	else if (c == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (c == 0xf0)
		lo = 0x90; /* no overlong 4-byte forms */
	else if (c == 0xf4)
		hi = 0x8f; /* nothing above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static bool go_space_cp(uint32_t cp)
{
	return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

size_t cs_go_space_len(const unsigned char *s, size_t left)
{
	uint32_t cp;
	size_t k;

	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	k = cs_utf8_decode(s, left, &cp);
	return k && go_space_cp(cp) ? k : 0;
}

bool cs_go_padded(const char *s, size_t n)
{
	size_t k;

	if (!n)
		return false;
	if (cs_go_space_len((const unsigned char *)s, n))
		return true;
	/* the last character: step back over UTF-8 continuation bytes */
	for (k = n - 1; k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80; k--)
		;
	return cs_go_space_len((const unsigned char *)s + k, n - k) == n - k;
}

bool cs_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0, k; i < n; i += k)
		if (!(k = u[i] < 0x80 ? 1 : cs_utf8_seq_len(u + i, n - i)))
			return false;
	return true;
}
