/* SPDX-License-Identifier: MIT */
/* Strict number parsing (see include/capscope/number.h for the rules). */
#include "capscope/number.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int digit(char c, unsigned base)
{
	int v = c >= '0' && c <= '9'   ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10
				       : -1;

	return v >= 0 && (unsigned)v < base ? v : -1;
}

int cs_parse_u64n(const char *s, size_t len, unsigned flags, uint64_t max, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	bool range = false;

	if (!s || !len)
		return -EINVAL;
	if ((flags & CS_NUM_HEX) && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	} else if (s[0] == '0' && len > 1) {
		/* "010" is octal to strtoul(…, 0) and ten to strtoul(…, 10): refuse both */
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		int x = digit(s[i], base);

		if (x < 0)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned)x) / base)
			range = true;
		else
			v = v * base + (unsigned)x;
	}
	if (range || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int cs_parse_u64(const char *s, unsigned flags, uint64_t max, uint64_t *out)
{
	return cs_parse_u64n(s, s ? strlen(s) : 0, flags, max, out);
}

int cs_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int r = cs_parse_u64(s, CS_NUM_DEC, max, &v);

	if (r == 0)
		*out = (uint32_t)v;
	return r;
}

int cs_parse_int(const char *s, int min, int max, int *out)
{
	bool neg = s && s[0] == '-';
	uint64_t v;
	int r;

	if (min > max)
		return -EINVAL;
	/* "-0" is not a form anyone writes on purpose */
	if (neg && s[1] == '0')
		return -EINVAL;
	r = cs_parse_u64(neg ? s + 1 : s, CS_NUM_DEC, (uint64_t)INT_MAX + 1, &v);
	if (r < 0)
		return r;
	if (neg ? (int64_t) - (int64_t)v < min : (int64_t)v > max)
		return -ERANGE;
	*out = neg ? (int)-(int64_t)v : (int)v;
	return 0;
}

int cs_parse_size(const char *s, uint64_t *out)
{
	size_t len = strlen(s);
	unsigned shift = 0;
	uint64_t v;

	if (len && strchr("KkMG", s[len - 1])) {
		shift = s[len - 1] == 'M' ? 20 : s[len - 1] == 'G' ? 30 : 10;
		len--;
	}
	if (cs_parse_u64n(s, len, CS_NUM_DEC, UINT64_MAX >> shift, &v) < 0)
		return -EINVAL;
	*out = v << shift;
	return 0;
}

int cs_parse_id_range(const char *s, uint32_t *start, uint32_t *size)
{
	const char *slash = strchr(s, '/');
	uint64_t x, y;

	if (!slash || cs_parse_u64n(s, (size_t)(slash - s), CS_NUM_DEC, UINT32_MAX, &x) < 0 ||
	    cs_parse_u64(slash + 1, CS_NUM_DEC, UINT32_MAX, &y) < 0 || y == 0 ||
	    x + y - 1 > UINT32_MAX)
		return -EINVAL;
	*start = (uint32_t)x;
	*size = (uint32_t)y;
	return 0;
}

int cs_parse_seconds(const char *s, double max, double *out)
{
	size_t digits = 0, dots = 0;
	double v;

	if (!s)
		return -EINVAL;
	/* Checked first, so strtod below only ever sees plain decimal text. */
	for (const char *p = s; *p; p++)
		if (*p == '.')
			dots++;
		else if (*p >= '0' && *p <= '9')
			digits++;
		else
			return -EINVAL;
	if (!digits || dots > 1 || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return -EINVAL;
	v = strtod(s, NULL);
	/* A number, but not one the caller can take: said apart ("99999999999"
	 * is a number of seconds, only too many). */
	if (!(v > 0 && v <= max))
		return -ERANGE;
	*out = v;
	return 0;
}
