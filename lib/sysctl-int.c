/* SPDX-License-Identifier: MIT */
/* An integer sysctl written as a string, read as the kernel reads it (sysctl-int.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "internal/sysctl-int.h"

/* The kernel's isspace (lib/ctype.c): the C ones and Latin-1's no-break space. */
static bool kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static int kdigit(unsigned char c, unsigned base)
{
	int v = c >= '0' && c <= '9'   ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10
				       : -1;

	return v >= 0 && (unsigned)v < base ? v : -1;
}

/*
 * __do_proc_dointvec reads at most a page less one byte of a write and
 * takes the rest as read (the write's count is the whole text): "40000",
 * 4,086 blanks and "50000" is 40000 5000, four bytes more and it is 40000
 * alone (twenty-sixth pass, found against this kernel). A page of 4 KiB
 * (x86-64; arm64 and ppc64 kernels may have 64 KiB).
 */
enum { KERNEL_READS = 4096 - 1 };

/*
 * One number at s (blanks already skipped, left > 0 bytes of the text the
 * kernel reads), as proc_get_long and do_proc_dointvec_minmax_conv read it:
 * 0, *out and *end just past the number, or -EINVAL.
 */
static int one_value(const char *s, size_t left, int min, int max, int *out, const char **end)
{
	/* proc_get_long copies at most 21 bytes (TMPBUFLEN - 1) of the value. */
	enum { TMP = 21 };
	size_t n = left < TMP ? left : TMP, i;
	unsigned base = 10;
	uint64_t v = 0;
	bool neg = s[0] == '-' && left > 1;

	i = neg;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return -EINVAL;
	/* strtoul_lenient, base 0 (_parse_integer_fixup_radix): "0x" and a hex
	 * digit is hex, any other leading 0 octal */
	if (s[i] == '0') {
		base = 8;
		if (i + 2 < n && (s[i + 1] | 0x20) == 'x' &&
		    kdigit((unsigned char)s[i + 2], 16) >= 0) {
			base = 16;
			i += 2;
		}
	}
	for (int x; i < n && (x = kdigit((unsigned char)s[i], base)) >= 0; i++) {
		if (v > (UINT64_MAX - (unsigned)x) / base)
			return -EINVAL;
		v = v * base + (unsigned)x;
	}
	/* the number filled the copy: the kernel cannot tell it ends there */
	if (i == TMP)
		return -EINVAL;
	/* after the number only a blank, tab or newline (proc_wspace_sep) */
	if (i < left && !memchr(" \t\n", s[i], 3))
		return -EINVAL;
	/* do_proc_dointvec_conv, then the minmax bounds */
	if (neg ? v > (uint64_t)INT_MAX + 1 : v > INT_MAX)
		return -EINVAL;
	{
		int64_t val = neg ? -(int64_t)v : (int64_t)v;

		if (val < min || val > max)
			return -EINVAL;
		*out = (int)val;
	}
	*end = s + i;
	return 0;
}

int cs_sysctl_ints(const char *s, size_t n, int min, int max, int *vals)
{
	int got[2];
	size_t i = 0;
	const char *stop = s + strnlen(s, KERNEL_READS);

	if (n > sizeof(got) / sizeof(got[0]))
		return -EINVAL;
	if (!*s)
		return -ENODATA;
	/* __do_proc_dointvec: blanks, a number, for each element; the write
	 * ends at the end of the text or after the last element (what follows
	 * it is not read) */
	for (; i < n; i++) {
		while (s < stop && kspace((unsigned char)*s))
			s++;
		if (s == stop)
			break;
		if (one_value(s, (size_t)(stop - s), min, max, &got[i], &s) < 0)
			return -EINVAL;
	}
	if (!i)
		return -EINVAL; /* blanks alone: no value, the write is refused */
	/* the elements not written keep their values (the handlers start from
	 * the current ones) */
	memcpy(vals, got, i * sizeof(*vals));
	return 0;
}

int cs_sysctl_int(const char *s, int min, int max, int *out)
{
	return cs_sysctl_ints(s, 1, min, max, out);
}
