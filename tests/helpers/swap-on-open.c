/* SPDX-License-Identifier: MIT */
/*
 * An LD_PRELOAD shim for tests/cli/scan-image-swap.sh: a file replaced
 * between two opens of one run, at a point fixed by counting, not by time.
 * Every open of a path ending in $SWAP_NAME (open, openat, and openat2
 * through syscall(2)) is counted; just before open number $SWAP_AT,
 * $SWAP_FROM is renamed over $SWAP_TO, or with SWAP_MODE=write its bytes
 * written over $SWAP_TO's (the same inode). With SWAP_WHEN=after, just
 * after that open instead: the file opened is the one there before, and a
 * look at the path after it sees the other (tests/cli/serve-node-swap.sh).
 * With SWAP_READS=1 an open with O_PATH (which reads nothing) is not
 * counted: "the open that reads", however many looks come before it.
 * $SWAP_LOG, when set, names a file that gets one line per counted open.
 * Test code only.
 */
#undef _FILE_OFFSET_BITS /* open and open64 both, by their own names */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

static int counted;

static void write_over(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out = fopen(to, "r+");
	char buf[4096];
	size_t n;

	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (!in || !out || ferror(in) || ferror(out))
		perror("swap-on-open: write");
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

static void swap(void)
{
	const char *from = getenv("SWAP_FROM"), *to = getenv("SWAP_TO");

	if (!from || !to)
		return;
	if (getenv("SWAP_MODE") && !strcmp(getenv("SWAP_MODE"), "write"))
		write_over(from, to);
	else if (rename(from, to) < 0)
		perror("swap-on-open: rename");
}

static bool swap_after(void)
{
	return getenv("SWAP_WHEN") && !strcmp(getenv("SWAP_WHEN"), "after");
}

/* Counts an open of path; swaps now unless SWAP_WHEN=after, and returns
 * whether the open about to be made is the one to swap after. */
static bool seen(const char *path, long flags)
{
	const char *name = getenv("SWAP_NAME"), *at = getenv("SWAP_AT");
	const char *log = getenv("SWAP_LOG");
	size_t n, l;

	if (!path || !name || !*name)
		return false;
	n = strlen(name);
	l = strlen(path);
	if (l < n || strcmp(path + l - n, name) != 0)
		return false;
	if (getenv("SWAP_READS") && (flags & O_PATH))
		return false;
	counted++;
	if (log) {
		FILE *f = fopen(log, "a");

		if (f) {
			fprintf(f, "%d %s\n", counted, path);
			fclose(f);
		}
	}
	if (!at || atoi(at) != counted)
		return false;
	if (swap_after())
		return true;
	swap();
	return false;
}

/* The real call's result, the swap made after it when it was the one. */
static long done(bool now, long r)
{
	int e = errno;

	if (now)
		swap();
	errno = e;
	return r;
}

/* Counted (and swapped before the open, unless after it), never failed. */
static bool shim_before(const char *path, long flags, bool *after)
{
	*after = seen(path, flags);
	return false;
}

static long shim_after(bool after, long r)
{
	return done(after, r);
}

#include "open-shims.h"

SHIM long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	bool now = false;

#ifdef SYS_openat2
	if (nr == SYS_openat2)
		now = seen((const char *)a[1], (long)((const struct open_how *)a[2])->flags);
#endif
	return done(now,
		    NEXT(long (*)(long, ...), "syscall")(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}
