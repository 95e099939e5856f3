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
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

#define NEXT(type, name) ((type)dlsym(RTLD_NEXT, name))
#define SHIM		 __attribute__((visibility("default")))
#define FAIL_OR(path, call)                                                                        \
	do {                                                                                       \
		if (fail_now(path)) {                                                              \
			errno = EMFILE;                                                            \
			return -1;                                                                 \
		}                                                                                  \
		return call;                                                                       \
	} while (0)

SHIM int __open_2(const char *path, int flags);
SHIM int __openat_2(int dir, const char *path, int flags);

SHIM int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	FAIL_OR(path, NEXT(int (*)(const char *, int, ...), "open")(path, flags, mode));
}

SHIM int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	FAIL_OR(path, NEXT(int (*)(const char *, int, ...), "open64")(path, flags, mode));
}

SHIM int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	FAIL_OR(path, NEXT(int (*)(int, const char *, int, ...), "openat")(dir, path, flags, mode));
}

SHIM int openat64(int dir, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	FAIL_OR(path,
		NEXT(int (*)(int, const char *, int, ...), "openat64")(dir, path, flags, mode));
}

SHIM int __open_2(const char *path, int flags)
{
	FAIL_OR(path, NEXT(int (*)(const char *, int), "__open_2")(path, flags));
}

SHIM int __openat_2(int dir, const char *path, int flags)
{
	FAIL_OR(path, NEXT(int (*)(int, const char *, int), "__openat_2")(dir, path, flags));
}
