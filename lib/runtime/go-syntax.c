/* SPDX-License-Identifier: MIT */
/*
 * Two of Go's parsers whose refusal stops containerd 1.x's CRI plugin when
 * it starts (ValidatePluginConfig, 1.6.20; twenty-second pass, part E, each
 * seen with the real containerd: "failed to load plugin
 * io.containerd.grpc.v1.cri", no pod starts): `stream_idle_timeout` through
 * time.ParseDuration and the keys of the deprecated `registry.auths`
 * through url.Parse. Written from Go's documented grammar, not its code.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../internal/go-syntax.h"

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* time.ParseDuration's units, in nanoseconds */
static uint64_t unit_ns(const char *u, size_t n)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {{"ns", 1},
		     {"us", 1000},
		     {"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
		     {"\xce\xbcs", 1000}, /* U+03BC Greek mu */
		     {"ms", 1000000},
		     {"s", 1000000000ull},
		     {"m", 60000000000ull},
		     {"h", 3600000000000ull}};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n && !memcmp(units[i].name, u, n))
			return units[i].ns;
	return 0;
}

/* [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ or "0", within 1<<63 nanoseconds */
const char *cs_go_duration_error(const char *s)
{
	const uint64_t lim = 1ull << 63;
	uint64_t d = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0"))
		return NULL;
	if (!*s)
		return "time: invalid duration";
	while (*s) {
		uint64_t v = 0, f = 0, u;
		double scale = 1;
		bool pre = false, post = false, over = false;
		size_t n = 0;

		if (*s != '.' && !digit(*s))
			return "time: invalid duration";
		for (; digit(*s); s++, pre = true) {
			if (v > (lim - 1) / 10)
				return "time: invalid duration"; /* leadingInt overflows */
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > lim)
				return "time: invalid duration";
		}
		if (*s == '.')
			for (s++; digit(*s); s++, post = true) {
				if (over || f > (UINT64_MAX >> 1) / 10) {
					over = true; /* leadingFraction stops, and reads on */
					continue;
				}
				f = f * 10 + (uint64_t)(*s - '0');
				scale *= 10;
			}
		if (!pre && !post)
			return "time: invalid duration";
		while (s[n] && s[n] != '.' && !digit(s[n]))
			n++;
		if (!n)
			return "time: missing unit in duration";
		if (!(u = unit_ns(s, n)))
			return "time: unknown unit in duration";
		s += n;
		if (v > lim / u)
			return "time: invalid duration";
		v *= u;
		if (f > 0 && (v += (uint64_t)((double)f * ((double)u / scale))) > lim)
			return "time: invalid duration";
		if ((d += v) > lim)
			return "time: invalid duration";
	}
	return !neg && d > lim - 1 ? "time: invalid duration" : NULL;
}

static bool hex(char c)
{
	return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

const char *cs_go_url_error(const char *s)
{
	const char *rest = s, *p;
	bool query = false; /* from the first '?' to the '#': not unescaped */

	for (p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "net/url: invalid control character in URL";
		query = (query || *p == '?') && *p != '#';
		if (*p == '%' && !query && !(hex(p[1]) && hex(p[2])))
			return "invalid URL escape";
	}
	/* getScheme: a letter, then letters, digits, '+', '-', '.' up to ':' */
	for (p = s; *p; p++) {
		bool first = p == s;
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (!first && (digit(*p) || *p == '+' || *p == '-' || *p == '.'));

		if (*p == ':') {
			if (first)
				return "missing protocol scheme";
			rest = p + 1;
			break;
		}
		if (!ok)
			break;
	}
	if (rest == s) { /* no scheme: a colon before the first '/' is refused */
		const char *slash = strchr(s, '/'), *colon = strchr(s, ':');

		if (colon && (!slash || colon < slash))
			return "first path segment in URL cannot contain colon";
	}
	if (rest[0] == '/' && rest[1] == '/') { /* the authority's port */
		const char *a = rest + 2, *end = a + strcspn(a, "/?#");
		const char *at = memchr(a, '@', (size_t)(end - a)), *host = at ? at + 1 : a, *c;

		if (*host == '[')
			host =
			    memchr(host, ']', (size_t)(end - host)) ? strchr(host, ']') + 1 : end;
		if ((c = memchr(host, ':', (size_t)(end - host))))
			for (c++; c < end; c++)
				if (!digit(*c))
					return "invalid port after host";
	}
	return NULL;
}
