/* SPDX-License-Identifier: MIT */
/*
 * Which texts Go's time.ParseDuration takes: an optional sign, then one or
 * more of a decimal number (digits, a '.' and digits, either side may be
 * empty but not both) and a unit (ns, us, U+00B5 s, U+03BC s, ms, s, m, h),
 * or a bare "0"; a whole part beyond 2^63, a component or a sum beyond
 * 2^63 ns, or a positive total of 2^63 ns is an error; a fraction's digits
 * beyond what fits are read and dropped. BurntSushi/toml decodes a TOML
 * string into a time.Duration with it (CRI-O's pull_progress_timeout and
 * others), and an error there stops CRI-O. Read in Go 1.22's
 * time/format.go (ParseDuration, leadingInt, leadingFraction, unitMap).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal/util.h"

#define TWO63 ((uint64_t)1 << 63)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* leadingInt: false on overflow */
static bool whole(const char *s, size_t len, size_t *i, uint64_t *x)
{
	*x = 0;
	for (; *i < len && is_digit(s[*i]); (*i)++) {
		if (*x > TWO63 / 10)
			return false;
		*x = *x * 10 + (uint64_t)(s[*i] - '0');
		if (*x > TWO63)
			return false;
	}
	return true;
}

/* leadingFraction: stops gaining precision, never fails */
static void fraction(const char *s, size_t len, size_t *i, uint64_t *x, double *scale)
{
	bool overflow = false;

	*x = 0;
	*scale = 1;
	for (; *i < len && is_digit(s[*i]); (*i)++) {
		uint64_t y;

		if (overflow)
			continue;
		if (*x > (TWO63 - 1) / 10) {
			overflow = true;
			continue;
		}
		y = *x * 10 + (uint64_t)(s[*i] - '0');
		if (y > TWO63) {
			overflow = true;
			continue;
		}
		*x = y;
		*scale *= 10;
	}
}

static uint64_t unit_ns(const char *u, size_t n)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
	    {"ns", 1},	     {"us", 1000},	   {"\xc2\xb5s", 1000},	  {"\xce\xbcs", 1000},
	    {"ms", 1000000}, {"s", 1000000000ull}, {"m", 60000000000ull}, {"h", 3600000000000ull}};

	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++)
		if (strlen(units[k].name) == n && !memcmp(units[k].name, u, n))
			return units[k].ns;
	return 0;
}

bool cs_go_duration_ok(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t d = 0;
	bool neg = false;

	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (len - i == 1 && s[i] == '0')
		return true;
	if (i == len)
		return false;
	while (i < len) {
		uint64_t v, f = 0, unit;
		double scale = 1;
		size_t start = i, u;
		bool pre, post = false;

		if (!(s[i] == '.' || is_digit(s[i])))
			return false;
		if (!whole(s, len, &i, &v))
			return false;
		pre = i != start;
		if (i < len && s[i] == '.') {
			size_t fs = ++i;

			fraction(s, len, &i, &f, &scale);
			post = i != fs;
		}
		if (!pre && !post)
			return false;
		for (u = i; u < len && s[u] != '.' && !is_digit(s[u]); u++)
			;
		if (u == i || !(unit = unit_ns(s + i, u - i)))
			return false;
		i = u;
		if (v > TWO63 / unit)
			return false;
		v *= unit;
		if (f > 0) {
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > TWO63)
				return false;
		}
		d += v;
		if (d > TWO63)
			return false;
	}
	return neg || d <= TWO63 - 1;
}
