/* SPDX-License-Identifier: MIT */
/*
 * go-csv: for each line of stdin, a value written as hex bytes, the first
 * CSV record capscope's reader (cs_go_csv_record, the kubelet's
 * --allowed-unsafe-sysctls) takes from it: its fields, each as hex, one
 * space between them, after "OK"; or "NORECORD", "BAREQUOTE", "QUOTE".
 * tests/truth/go-csv-kubectl.sh compares it with a real pflag StringSlice
 * (kubectl's --exec-arg).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/go-csv.h"

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int main(void)
{
	static const char *const err[] = {"OK", "NORECORD", "BAREQUOTE", "QUOTE", "NOMEM"};
	char line[8192], v[4096], out[4097];

	while (fgets(line, sizeof(line), stdin)) {
		size_t n = 0, fields, bad;
		enum cs_go_csv_err e;
		const char *p = out;

		for (size_t i = 0;
		     hexval(line[i]) >= 0 && hexval(line[i + 1]) >= 0 && n + 1 < sizeof(v); i += 2)
			v[n++] = (char)(hexval(line[i]) * 16 + hexval(line[i + 1]));
		v[n] = '\0';
		e = cs_go_csv_record(v, out, &fields, &bad);
		fputs(err[e], stdout);
		for (size_t f = 0; !e && f < fields; f++) {
			putchar(' ');
			putchar('=');
			for (; *p; p++)
				printf("%02x", (unsigned char)*p);
			p++;
		}
		putchar('\n');
	}
	return 0;
}
