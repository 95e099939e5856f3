/* SPDX-License-Identifier: MIT */
/*
 * glibc's six entry points of open(2) for an LD_PRELOAD shim of the tests
 * (swap-on-open.c, emfile-on-open.c), written once. The shim defines,
 * before including this:
 *   static bool shim_before(const char *path, long flags, bool *after):
 *     true to fail the open (errno set by it), else the open is made, with
 *     *after handed to
 *   static long shim_after(bool after, long r): what the caller gets.
 * Test code only.
 */
#ifndef CAPSCOPE_TESTS_OPEN_SHIMS_H
#define CAPSCOPE_TESTS_OPEN_SHIMS_H

#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>

#define NEXT(type, name) ((type)dlsym(RTLD_NEXT, name))
/* Exported whatever -fvisibility says: these are what the preload puts first. */
#define SHIM __attribute__((visibility("default")))
#define SHIM_OPEN(path, flags, call)                                                               \
	do {                                                                                       \
		bool after_ = false;                                                               \
		if (shim_before(path, flags, &after_))                                             \
			return -1;                                                                 \
		return (int)shim_after(after_, call);                                              \
	} while (0)
/* open's optional mode, read whether or not the flags want one, as glibc does */
#define SHIM_MODE(flags, mode)                                                                     \
	do {                                                                                       \
		va_list ap_;                                                                       \
		va_start(ap_, flags);                                                              \
		mode = va_arg(ap_, mode_t);                                                        \
		va_end(ap_);                                                                       \
	} while (0)

SHIM int __open_2(const char *path, int flags);
SHIM int __openat_2(int dir, const char *path, int flags);

SHIM int open(const char *path, int flags, ...)
{
	mode_t mode;

	SHIM_MODE(flags, mode);
	SHIM_OPEN(path, flags, NEXT(int (*)(const char *, int, ...), "open")(path, flags, mode));
}

SHIM int open64(const char *path, int flags, ...)
{
	mode_t mode;

	SHIM_MODE(flags, mode);
	SHIM_OPEN(path, flags, NEXT(int (*)(const char *, int, ...), "open64")(path, flags, mode));
}

SHIM int openat(int dir, const char *path, int flags, ...)
{
	mode_t mode;

	SHIM_MODE(flags, mode);
	SHIM_OPEN(path, flags,
		  NEXT(int (*)(int, const char *, int, ...), "openat")(dir, path, flags, mode));
}

SHIM int openat64(int dir, const char *path, int flags, ...)
{
	mode_t mode;

	SHIM_MODE(flags, mode);
	SHIM_OPEN(path, flags,
		  NEXT(int (*)(int, const char *, int, ...), "openat64")(dir, path, flags, mode));
}

SHIM int __open_2(const char *path, int flags)
{
	SHIM_OPEN(path, flags, NEXT(int (*)(const char *, int), "__open_2")(path, flags));
}

SHIM int __openat_2(int dir, const char *path, int flags)
{
	SHIM_OPEN(path, flags,
		  NEXT(int (*)(int, const char *, int), "__openat_2")(dir, path, flags));
}

#endif
