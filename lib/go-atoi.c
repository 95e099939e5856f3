/* SPDX-License-Identifier: MIT */
/* Go's strconv.Atoi, as the container runtimes read ids (util.h). */
#include <limits.h>

#include "internal/util.h"

bool cs_go_atoi(const char *s, size_t n, long long *v)
{
	size_t i = n && (s[0] == '+' || s[0] == '-');
	unsigned long long x = 0;

	if (i == n)
		return false;
	for (size_t k = i; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		x = x > (1ULL << 63) / 10 ? (1ULL << 63) : x * 10 + (unsigned)(s[k] - '0');
	}
	if (x > (1ULL << 63))
		x = 1ULL << 63;
	*v = s[0] == '-' ? (x == 1ULL << 63 ? LLONG_MIN : -(long long)x)
			 : (x >= 1ULL << 63 ? LLONG_MAX : (long long)x);
	return true;
}
