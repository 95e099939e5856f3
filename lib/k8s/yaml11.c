/* SPDX-License-Identifier: MIT */
/*
 * go-yaml v2's resolver for plain scalars (resolve.go), as far as the
 * manifest reader needs it: is this text a boolean or a number to
 * Kubernetes? A string field holding one is refused there, and so here;
 * anything else is a string, however much it looks like a number
 * (`10.0.0.1`, `1.2.3`, `1-2`, `2001-12-14`, `1:20`, `0x`, `1e999`).
 */
#include "yaml11.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool eqn(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

int yaml11_bool(const char *s, size_t len)
{
	static const char *const t[] = {"y",	"Y",	"yes", "Yes", "YES", "true",
					"True", "TRUE", "on",  "On",  "ON"};
	static const char *const f[] = {"n",	 "N",	  "no",	 "No",	"NO", "false",
					"False", "FALSE", "off", "Off", "OFF"};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (eqn(s, len, t[i]))
			return 1;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (eqn(s, len, f[i]))
			return 0;
	return -1;
}

/* The float names in go-yaml v2's table (resolveMap): exactly these. */
static bool special_float(const char *s, size_t len)
{
	static const char *const v[] = {".inf",	 ".Inf",  ".INF",  "+.inf", "+.Inf", "+.INF",
					"-.inf", "-.Inf", "-.INF", ".nan",  ".NaN",  ".NAN"};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (eqn(s, len, v[i]))
			return true;
	return false;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Digits in base, at most max: strconv's loop after the prefix. */
static bool digits_fit(const char *s, size_t len, unsigned base, uint64_t max)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)digit_value(s[i]);

		if (d >= base || v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	return true;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): a sign (ParseInt
 * only), then 0b/0o/0x (either case) with digits, a leading 0 (octal) or
 * decimal, within int64 (uint64 without a sign).
 */
static bool go_int(const char *s, size_t len)
{
	uint64_t max = UINT64_MAX;
	unsigned base = 10;

	if (len && (s[0] == '+' || s[0] == '-')) {
		max = s[0] == '-' ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		s++, len--;
	}
	if (!len)
		return false;
	if (s[0] == '0') {
		char p = len >= 3 ? lower(s[1]) : 0;

		base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
		s += base == 8 && p != 'o' ? 1 : 2;
		len -= base == 8 && p != 'o' ? 1 : 2;
	}
	return digits_fit(s, len, base, max);
}

/*
 * `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (yamlStyleFloat)
 * and strconv.ParseFloat without a range error: a value that rounds past
 * the largest double is an error there, so the text stays a string.
 */
static bool go_float(const char *s, size_t len)
{
	size_t i = 0, int_digits = 0, frac_digits = 0;
	char norm[64];
	size_t nd = 0;
	long exp10 = 0, lead = -1; /* exponent of the first significant digit */
	bool neg_exp = false;
	long e = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, int_digits++)
		if (lead < 0 && s[i] != '0')
			lead = (long)int_digits;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac_digits++)
			if (lead < 0 && s[i] != '0')
				lead = (long)(int_digits + frac_digits);
		if (!int_digits && !frac_digits)
			return false;
	}
	if (!int_digits && !frac_digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			neg_exp = s[i++] == '-';
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ed++)
			if (e < 1000000)
				e = e * 10 + (s[i] - '0');
		if (!ed)
			return false;
	}
	if (i != len)
		return false;
	if (lead < 0)
		return true; /* zero */
	/* d.ddd * 10^exp10 with the first significant digit d */
	exp10 = (long)int_digits - 1 - lead + (neg_exp ? -e : e);
	if (exp10 < 300)
		return true;
	if (exp10 > 310)
		return false;
	/* Near the largest double: let strtod round the first 40 digits. */
	for (size_t k = 0; k < len && nd < 40; k++) {
		if (s[k] >= '0' && s[k] <= '9' && (nd || s[k] != '0'))
			norm[nd++] = s[k];
		else if (s[k] == 'e' || s[k] == 'E')
			break;
	}
	norm[nd] = '\0';
	char buf[96];

	snprintf(buf, sizeof(buf), "%.1s.%se%ld", norm, norm + 1, exp10);
	return !isinf(strtod(buf, NULL));
}

/* strconv.ParseInt(s, 2, 64): resolve.go's last try after `0b` or `-0b`,
 * so `0b-1` and `-0b+1` are numbers. */
static bool signed_binary(const char *s, size_t len)
{
	uint64_t max = (uint64_t)INT64_MAX;

	if (len && (s[0] == '+' || s[0] == '-')) {
		max += s[0] == '-';
		s++, len--;
	}
	return len && digits_fit(s, len, 2, max);
}

static bool resolve_plain(const char *plain, size_t n)
{
	if (go_int(plain, n) || go_float(plain, n))
		return true;
	if (n > 2 && plain[0] == '0' && plain[1] == 'b')
		return signed_binary(plain + 2, n - 2);
	if (n > 3 && plain[0] == '-' && plain[1] == '0' && plain[2] == 'b')
		return signed_binary(plain + 3, n - 3);
	return false;
}

bool yaml11_number(const char *s, size_t len)
{
	char small[128], *plain = small;
	size_t n = 0;
	bool r;

	if (!len)
		return false;
	if (special_float(s, len))
		return true;
	/* resolve.go's hint: '.' is tried as a float as written (ParseFloat
	 * refuses '_' without a base prefix), a digit or a sign as a number
	 * with every '_' removed; anything else is a string. */
	if (s[0] == '.')
		return !memchr(s, '_', len) && go_float(s, len);
	if (!(s[0] >= '0' && s[0] <= '9') && s[0] != '+' && s[0] != '-')
		return false;
	if (len > sizeof(small) && !(plain = malloc(len)))
		return true; /* out of memory: refused, never read as text */
	for (size_t i = 0; i < len; i++)
		if (s[i] != '_')
			plain[n++] = s[i];
	r = resolve_plain(plain, n);
	if (plain != small)
		free(plain);
	return r;
}
