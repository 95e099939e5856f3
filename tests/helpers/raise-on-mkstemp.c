/* SPDX-License-Identifier: MIT */
/*
 * An LD_PRELOAD shim for tests/cli/html-signal-window.sh: a signal that
 * comes just after a temporary file is made, at a point fixed by the call,
 * not by time. When mkostemp (or mkstemp, mkostemps and their 64 names)
 * has made a file whose template holds $RAISE_MATCH, the signal numbered
 * $RAISE_SIG is raised before the call returns: at its default action it
 * ends the process there, with the file made and nobody left to remove it.
 * Test code only.
 */
#undef _FILE_OFFSET_BITS /* mkostemp and mkostemp64 both, by their own names */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static int after(int fd, const char *tmpl)
{
	const char *match = getenv("RAISE_MATCH"), *sig = getenv("RAISE_SIG");

	if (fd >= 0 && match && sig && strstr(tmpl, match))
		raise(atoi(sig));
	return fd;
}

#define NEXT(type, name) ((type)dlsym(RTLD_NEXT, name))
/* Exported whatever -fvisibility says: these are what the preload puts first. */
#define SHIM __attribute__((visibility("default")))

SHIM int mkstemp(char *tmpl)
{
	return after(NEXT(int (*)(char *), "mkstemp")(tmpl), tmpl);
}

SHIM int mkstemp64(char *tmpl)
{
	return after(NEXT(int (*)(char *), "mkstemp64")(tmpl), tmpl);
}

SHIM int mkostemp(char *tmpl, int flags)
{
	return after(NEXT(int (*)(char *, int), "mkostemp")(tmpl, flags), tmpl);
}

SHIM int mkostemp64(char *tmpl, int flags)
{
	return after(NEXT(int (*)(char *, int), "mkostemp64")(tmpl, flags), tmpl);
}

SHIM int mkostemps(char *tmpl, int suffixlen, int flags)
{
	return after(NEXT(int (*)(char *, int, int), "mkostemps")(tmpl, suffixlen, flags), tmpl);
}

SHIM int mkostemps64(char *tmpl, int suffixlen, int flags)
{
	return after(NEXT(int (*)(char *, int, int), "mkostemps64")(tmpl, suffixlen, flags), tmpl);
}
