/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the first CSV record as Go's encoding/csv reads it (lib/go-csv.c,
 * the kubelet's --allowed-unsafe-sysctls through pflag), against two
 * readings of Go's rules: a value with no '"' and no '\r' is its first
 * line that is not empty, cut at each ','; and a record read, written
 * back with every field quoted ('"' doubled), reads back the same. The
 * record never needs more than the value's length and one byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/internal/go-csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fields (n, NUL-ended one after another) written with every one quoted */
static char *quote_all(const char *f, size_t n)
{
	size_t len = 0;
	const char *p = f;
	char *out, *o;

	for (size_t i = 0; i < n; p += strlen(p) + 1, i++)
		len += 2 * strlen(p) + 3;
	if (!(o = out = malloc(len + 1)))
		return NULL;
	p = f;
	for (size_t i = 0; i < n; p += strlen(p) + 1, i++) {
		if (i)
			*o++ = ',';
		*o++ = '"';
		for (const char *c = p; *c; c++) {
			if (*c == '"')
				*o++ = '"';
			*o++ = *c;
		}
		*o++ = '"';
	}
	*o = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *out, *out2 = NULL, *q = NULL;
	size_t n, field, n2, field2, used = 0;
	enum cs_go_csv_err e;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (!(out = malloc(strlen(in) + 1)))
		goto done;
	e = cs_go_csv_record(in, out, &n, &field);
	if (e == CS_GO_CSV_NOMEM)
		goto done;
	if (e == CS_GO_CSV_OK) {
		for (size_t i = 0; i < n; i++)
			used += strlen(out + used) + 1;
		if (used > strlen(in) + 1)
			abort();
	}
	/* no quote, no '\r': the first line not empty, cut at each ',' */
	if (!strpbrk(in, "\"\r")) {
		char *line = in + strspn(in, "\n"), *nl;
		const char *p = out;

		if (!*line) {
			if (e != CS_GO_CSV_NO_RECORD)
				abort();
			goto done;
		}
		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		if (e != CS_GO_CSV_OK)
			abort();
		for (char *f = line;; p += strlen(p) + 1) {
			char *comma = strchr(f, ',');
			size_t fl = comma ? (size_t)(comma - f) : strlen(f);

			if (!n-- || strlen(p) != fl || memcmp(p, f, fl))
				abort();
			if (!comma)
				break;
			f = comma + 1;
		}
		if (n)
			abort();
		goto done;
	}
	if (e != CS_GO_CSV_OK)
		goto done;
	/* written back quoted, read again: the same fields (a field with '\r'
	 * before a '\n' would read as "\n": Go's reader normalises it too) */
	if (!(q = quote_all(out, n)) || !(out2 = malloc(strlen(q) + 1)))
		goto done;
	if (strstr(q, "\r\n") || (strlen(q) && q[strlen(q) - 1] == '\r'))
		goto done;
	if (cs_go_csv_record(q, out2, &n2, &field2) != CS_GO_CSV_OK || n2 != n ||
	    memcmp(out, out2, used))
		abort();
done:
	free(out2);
	free(q);
	free(out);
	free(in);
	return 0;
}
