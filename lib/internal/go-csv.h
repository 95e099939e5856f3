/* SPDX-License-Identifier: MIT */
/*
 * One record of Go's encoding/csv Reader with its defaults (',' between
 * fields, no comment character, quotes strict), as pflag's StringSlice flags read a
 * value: readAsCSV makes a csv.Reader of the
 * value and calls Read once, so only the first record counts and the
 * lines after it are not read at all.
 */
#ifndef CAPSCOPE_INTERNAL_GO_CSV_H
#define CAPSCOPE_INTERNAL_GO_CSV_H

#include <stddef.h>

enum cs_go_csv_err {
	CS_GO_CSV_OK,
	CS_GO_CSV_NO_RECORD,  /* only empty lines: Read's io.EOF */
	CS_GO_CSV_BARE_QUOTE, /* ErrBareQuote: a '"' in a field not quoted */
	CS_GO_CSV_QUOTE,      /* ErrQuote: a '"' that neither closes nor doubles, or no close */
	CS_GO_CSV_NOMEM,
};

/*
 * The first record of in: its fields into out, each ended by a NUL, *n of
 * them (out holds strlen(in) + 1 bytes: a record is never longer). On an
 * error, *field is the field (1-based) it is in. Lines end at "\n";
 * "\r\n" reads as "\n" and a last '\r' is dropped, as Go's readLine does;
 * a quoted field may span lines.
 */
enum cs_go_csv_err cs_go_csv_record(const char *in, char *out, size_t *n, size_t *field);

#endif
