/* SPDX-License-Identifier: MIT */
/* The first record of Go's encoding/csv (see internal/go-csv.h). */
#include <stdlib.h>
#include <string.h>

#include "internal/go-csv.h"

/*
 * in with each line's end as Go's readLine leaves it, into b (strlen(in)
 * + 1 bytes): "\r\n" becomes "\n", a '\r' ending the last line (no '\n'
 * after it) goes. Returns b's length. Done for every line at once: the
 * record reader reads lines in order, and a line it does not reach does
 * not count.
 */
static size_t normalise(const char *in, char *b)
{
	size_t m = 0, len = strlen(in);

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\r' && (i + 1 == len || in[i + 1] == '\n'))
			continue;
		b[m++] = in[i];
	}
	b[m] = '\0';
	return m;
}

enum cs_go_csv_err cs_go_csv_record(const char *in, char *out, size_t *n, size_t *field)
{
	size_t m, pos = 0, o = 0;
	char *b = malloc(strlen(in) + 1);
	enum cs_go_csv_err rc = CS_GO_CSV_OK;

	*n = 0;
	*field = 1;
	if (!b)
		return CS_GO_CSV_NOMEM;
	m = normalise(in, b);
	/* empty lines before the record are skipped; nothing else: no record */
	while (pos < m && b[pos] == '\n')
		pos++;
	if (pos == m) {
		free(b);
		return CS_GO_CSV_NO_RECORD;
	}
	for (;;) {
		if (b[pos] != '"') {
			/* a field not quoted: up to ',' or the line's end, no '"' in it */
			size_t end = pos + strcspn(b + pos, ",\n");

			if (memchr(b + pos, '"', end - pos)) {
				rc = CS_GO_CSV_BARE_QUOTE;
				break;
			}
			memcpy(out + o, b + pos, end - pos);
			o += end - pos;
			out[o++] = '\0';
			++*n;
			if (b[end] != ',')
				break;
			pos = end + 1;
			++*field;
			continue;
		}
		/* quoted: up to a '"' not doubled, across lines; then ',' or the
		 * line's end (or the value's) */
		pos++;
		for (;;) {
			char *q = strchr(b + pos, '"');

			if (!q) {
				rc = CS_GO_CSV_QUOTE;
				break;
			}
			memcpy(out + o, b + pos, (size_t)(q - (b + pos)));
			o += (size_t)(q - (b + pos));
			pos = (size_t)(q - b) + 1;
			if (b[pos] == '"') {
				out[o++] = '"';
				pos++;
				continue;
			}
			if (b[pos] != ',' && b[pos] != '\n' && b[pos])
				rc = CS_GO_CSV_QUOTE;
			break;
		}
		if (rc)
			break;
		out[o++] = '\0';
		++*n;
		if (b[pos] != ',')
			break;
		pos++;
		++*field;
	}
	free(b);
	return rc;
}
