/* SPDX-License-Identifier: MIT */
/*
 * An LD_PRELOAD shim for tests/cli/serve-node-fds.sh: the open number
 * $EMFILE_AT of a run (open, openat and their 64 and _2 forms, counted
 * from 1) fails with EMFILE, as at the RLIMIT_NOFILE, and no other; with
 * $EMFILE_COUNT set, the number of opens made is written there at exit;
 * with $EMFILE_SAY, the path that failed on stderr.
 * One descriptor short at one point of a scan, fixed by counting, not by
 * a limit that every later open meets too. Test code only.
 */
#undef _FILE_OFFSET_BITS /* open and open64 both, by their own names */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static long counted;

/* Whether this open is the one to fail. */
static bool fail_now(const char *path)
{
	const char *at = getenv("EMFILE_AT");

	if (++counted != (at ? atol(at) : 0))
		return false;
	if (getenv("EMFILE_SAY")) /* which one, for a test's author */
		fprintf(stderr, "emfile-on-open: %ld %s\n", counted, path);
	return true;
}

__attribute__((destructor)) static void write_count(void)
{
	const char *path = getenv("EMFILE_COUNT");
	FILE *f;

	if (path && (f = fopen(path, "w"))) {
		fprintf(f, "%ld\n", counted);
		fclose(f);
	}
}

/* The open to fail fails with EMFILE; every other is made. */
static bool shim_before(const char *path, long flags, bool *after)
{
	(void)flags;
	(void)after;
	if (!fail_now(path))
		return false;
	errno = EMFILE;
	return true;
}

static long shim_after(bool after, long r)
{
	(void)after;
	return r;
}

#include "open-shims.h"
