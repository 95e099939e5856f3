/* SPDX-License-Identifier: MIT */
/* What every subcommand shares: errors, colour, checked writes. */
#ifndef CAPSCOPE_CLI_OUTPUT_H
#define CAPSCOPE_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "capscope/diag.h"
#include "capscope/text-table.h"

/*
 * Exit codes, the same for every command (docs/foundation.md): 0 clean, 1 a
 * finding (a prediction that fails, a lint or scan finding at or above
 * --fail-on), 2 a usage error or an error in the input or the operation. CI
 * must tell "your pod is wrong" from "capscope could not read it". `run`
 * alone adds 127: it could not set up the credentials, CMD was not run.
 */
enum { CS_EXIT_OK = 0, CS_EXIT_FINDINGS = 1, CS_EXIT_ERROR = 2, CS_EXIT_USAGE = 2 };

struct cs_cmd {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);
	/* May dlopen libarchive or libmicrohttpd: runs in capscope-dyn (capscope.c). */
	bool dynamic;
};

/*
 * Before anything is opened: a standard descriptor (0, 1, 2) that is closed
 * is held by /dev/null, opened so that using it fails as a closed one does
 * (EBADF) and closed on exec. false (nothing to say it on) when /dev/null
 * cannot be opened.
 */
bool cs_hold_std_fds(void);
/*
 * Its refusal, for the command argv names: run's is 127 and "nothing was
 * executed" (its contract: exit 127 whenever CMD did not start), any other
 * command's CS_EXIT_ERROR.
 */
int cs_std_fds_refused(const char *cmd);

/* "capscope CMD: MESSAGE" on stderr; returns CS_EXIT_ERROR. */
int cs_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cs_err for a line naming an entry of scanned data: not cut at 1 KiB (a
 * path whole, however deep), escaped the same. */
int cs_err_entry(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "no Pod or workload with a pod template in FILE" (or "any of the N files"). */
int cs_no_pods_err(const char *cmd, char *const *files, int n);
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
/*
 * An option naming a directory (--rootfs DIR): 0, or the usage error with
 * its reason ("No such file or directory", "Not a directory"). explain pod
 * said "not a directory" of a path that does not exist, and lint took such
 * a --rootfs and read the pod as if none was given (twenty-sixth pass).
 */
int cs_opt_dir(const char *cmd, const char *opt, const char *path);
/*
 * The same, told the error a writer saw (-errno, or 0): the failed write's
 * own cause, which a later fflush no longer knows ("No space left on
 * device", not "Input/output error"). A write error is CS_EXIT_ERROR
 * whatever rc was (a verdict or findings code would read as a result),
 * except 127 (run executed nothing).
 */
int cs_finish_stdout_err(const char *cmd, int rc, int err);

/*
 * The text on stdout is not whole (err: -ENOMEM, …): the first such error
 * is kept, and cs_finish_stdout_err then says the output is incomplete and
 * exits 2, as for a writer's error. cs_table_emit prints a table, frees it
 * and records its failure (struct cs_table's failed): a row dropped for
 * memory was a table printed short, exit 0 (twentieth pass).
 */
void cs_out_incomplete(int err);
/* "?", where text could not be made for memory; the output recorded
 * incomplete (a "?" alone read as capscope's answer, exit 0). */
const char *cs_oom_mark(void);
void cs_table_emit(struct cs_table *t, FILE *f, const char *header_sgr);

/*
 * A value option (required_argument in longopts) given twice would keep
 * only its last value, silently: the usage error, unless its short or long
 * value is in `repeatable` (options that accumulate). 0 otherwise; *seen
 * remembers which were given.
 */
struct option;
int cs_opt_once(const char *cmd, int c, const struct option *longopts, unsigned long long *seen,
		const char *repeatable);

/* getopt_long, remembering where it started (cs_bad_option reads it). */
int cs_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
	      int *longindex);

/* getopt_long's error for an option it refused, in our one-line form: a
 * missing value, a value given to an option that takes none, an ambiguous
 * prefix (named with what it could be) or an unknown option. */
int cs_bad_option(const char *cmd, int opt, int optopt_, char **argv, int optind_,
		  const struct option *longopts);

/* 1 when the regular file `file` names one named before (by any name: the
 * same device and inode in *seen, which starts NULL), 0 when not (it is now
 * remembered; a FIFO or a missing file is never), -ENOMEM. cs_named_free
 * frees *seen. */
int cs_named_before(const char *file, void **seen);
void cs_named_free(void *seen);

#endif
