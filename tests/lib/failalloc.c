/* SPDX-License-Identifier: MIT */
/*
 * An allocation-failure injector for the tests, as LD_PRELOAD: malloc,
 * calloc, realloc, posix_memalign and aligned_alloc succeed CS_FAILALLOC_AFTER
 * times and then fail with ENOMEM, every call after (memory that has run
 * out stays out), or only CS_FAILALLOC_SPAN calls when that is set: memory
 * short for a moment, as a long-running server meets it (one request's
 * allocations fail, the next request's succeed; tests/cli/serve-enomem.sh).
 * Without CS_FAILALLOC_AFTER nothing fails, and
 * CS_FAILALLOC_COUNT=FILE receives the number of calls made, at exit, so
 * that a test can sweep the last calls of a run (tests/cli/lint-enomem.sh).
 * Built by the test that uses it: cc -shared -fPIC -o failalloc.so failalloc.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static unsigned long calls, after = (unsigned long)-1, span = (unsigned long)-1;

__attribute__((constructor)) static void init(void)
{
	const char *a = getenv("CS_FAILALLOC_AFTER");

	if (a && *a)
		after = strtoul(a, NULL, 10);
	if ((a = getenv("CS_FAILALLOC_SPAN")) && *a)
		span = strtoul(a, NULL, 10);
}

__attribute__((destructor)) static void fini(void)
{
	const char *f = getenv("CS_FAILALLOC_COUNT");
	char b[32];
	int fd, n;

	if (!f || !*f || (fd = open(f, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return;
	n = snprintf(b, sizeof(b), "%lu\n", __atomic_load_n(&calls, __ATOMIC_RELAXED));
	if (write(fd, b, (size_t)n) != n)
		n = 0;
	close(fd);
}

static int fails(void)
{
	unsigned long n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);

	if (n <= after || n - after > span)
		return 0;
	errno = ENOMEM;
	return 1;
}

void *malloc(size_t n)
{
	return fails() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	return fails() ? NULL : __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	if (p && !n)
		return __libc_realloc(p, n); /* a free */
	return fails() ? NULL : __libc_realloc(p, n);
}

int posix_memalign(void **p, size_t al, size_t n)
{
	if (fails())
		return ENOMEM;
	return (*p = __libc_memalign(al, n)) ? 0 : ENOMEM;
}

void *aligned_alloc(size_t al, size_t n)
{
	return fails() ? NULL : __libc_memalign(al, n);
}
