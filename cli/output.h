/* SPDX-License-Identifier: MIT */
/* What every subcommand shares: errors, colour, checked writes. */
#ifndef CAPSCOPE_CLI_OUTPUT_H
#define CAPSCOPE_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "capscope/diag.h"

/* Exit codes: 0 ok, 1 a finding or an error in the data, 2 usage, 127 launch failure. */
enum { CS_EXIT_OK = 0, CS_EXIT_FAIL = 1, CS_EXIT_USAGE = 2 };

struct cs_cmd {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);
};

/* "capscope CMD: MESSAGE" on stderr; returns CS_EXIT_FAIL. */
int cs_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same plus "Try 'capscope CMD --help'."; returns CS_EXIT_USAGE. */
int cs_usage_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A diagnostic from the library, prefixed with what was being read. */
int cs_diag_err(const char *cmd, const char *what, const struct cs_diag *d);

/* Colour only on a terminal and never with NO_COLOR set (no-color.org). */
bool cs_use_color(FILE *f);
const char *cs_color(FILE *f, const char *sgr); /* "" when no colour */

/*
 * Flush stdout and report a write error (EPIPE, ENOSPC, …) as a failure: a
 * command whose output was lost has not succeeded.
 */
int cs_finish_stdout(const char *cmd, int rc);

/* getopt_long's error for an unknown option, in our one-line form. */
int cs_bad_option(const char *cmd, int opt, int optopt_, char **argv, int optind_);

/* Print a table: rows of ncol cells, columns padded to the widest cell. */
struct cs_table {
	size_t ncol, nrow, cap;
	char **cells; /* nrow * ncol, owned */
};
void cs_table_init(struct cs_table *t, size_t ncol);
int cs_table_add(struct cs_table *t, const char *const *cells);
void cs_table_print(const struct cs_table *t, FILE *f, const char *header_sgr);
void cs_table_free(struct cs_table *t);

#endif
