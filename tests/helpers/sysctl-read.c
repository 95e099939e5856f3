/* SPDX-License-Identifier: MIT */
/*
 * sysctl-read: for each line of stdin, a value written as hex bytes, what
 * capscope's reader (cs_sysctl_int, cs_sysctl_ints) says a write of it does
 * to ip_unprivileged_port_start (0 to 65535) and to ip_local_port_range
 * (two ints 1 to 65535, from a new network namespace's 32768 60999), the
 * range's own rules left to the caller: "START|LO HI", each value or
 * "EINVAL" or "NODATA". tests/truth/sysctl-kernel-diff.py compares it with
 * what the kernel does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/sysctl-int.h"

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void say(int r, const int *v, size_t n)
{
	if (r == -EINVAL)
		fputs("EINVAL", stdout);
	else if (r == -ENODATA)
		fputs("NODATA", stdout);
	else if (r < 0)
		printf("E%d", -r);
	else if (n == 1)
		printf("%d", v[0]);
	else
		printf("%d %d", v[0], v[1]);
}

int main(void)
{
	static char line[1 << 16], val[1 << 15];

	while (fgets(line, sizeof(line), stdin)) {
		size_t n = 0;
		int start = 1024, range[2] = {32768, 60999}, r;

		for (char *p = line; hexval(p[0]) >= 0 && hexval(p[1]) >= 0 && n + 1 < sizeof(val);
		     p += 2)
			val[n++] = (char)(hexval(p[0]) << 4 | hexval(p[1]));
		val[n] = 0;
		if (strlen(val) != n) { /* a NUL: no C string holds it */
			puts("NUL");
			continue;
		}
		r = cs_sysctl_int(val, 0, 65535, &start);
		say(r, &start, 1);
		putchar('|');
		r = cs_sysctl_ints(val, 2, 1, 65535, range);
		say(r, range, 2);
		putchar('\n');
	}
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
