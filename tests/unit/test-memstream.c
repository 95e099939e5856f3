/* SPDX-License-Identifier: MIT */
/*
 * The memory stream whose failures are seen (lib/memstream.c): one growth
 * that fails is no text at all, where glibc's open_memstream gives a text
 * with a hole and fclose 0 (twenty-first pass, part C). realloc is made to
 * fail here by a definition of this program's own; not under ASan, whose
 * allocator a realloc of ours would bypass.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/internal/memstream.h"

#if defined(__SANITIZE_ADDRESS__) /* GCC's */
#define NO_REALLOC_OF_OURS 1
#elif defined(__has_feature) /* clang's */
#if __has_feature(address_sanitizer)
#define NO_REALLOC_OF_OURS 1
#endif
#endif

static long realloc_fails_at = -1; /* the count of calls from now at which one fails */

#ifndef NO_REALLOC_OF_OURS
extern void *__libc_realloc(void *, size_t);

void *realloc(void *p, size_t n)
{
	if (realloc_fails_at >= 0 && realloc_fails_at-- == 0) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}
#endif

/* 100 writes of 1000 bytes, the growth number fail (from 0) failing alone. */
static int write_100k(long fail, char **buf, size_t *len)
{
	char chunk[1000];
	FILE *f = cs_memstream_open(buf, len);
	int rc;

	assert_non_null(f);
	memset(chunk, 'a', sizeof(chunk));
	realloc_fails_at = fail;
	for (int i = 0; i < 100; i++)
		fwrite(chunk, 1, sizeof(chunk), f);
	rc = cs_memstream_close(f);
	realloc_fails_at = -1;
	return rc;
}

static void whole(void **state)
{
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(write_100k(-1, &buf, &len), 0);
	assert_int_equal(len, 100000);
	assert_int_equal(strlen(buf), 100000);
	free(buf);
}

static void empty(void **state)
{
	char *buf;
	size_t len;
	FILE *f = cs_memstream_open(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(cs_memstream_close(f), 0);
	assert_non_null(buf); /* "", as open_memstream gives */
	assert_string_equal(buf, "");
	assert_int_equal(len, 0);
	free(buf);
}

#ifndef NO_REALLOC_OF_OURS /* not under ASan: left out of the list */
/* Each growth failing alone, the first to the last: never a text. */
static void one_growth_fails(void **state)
{
	long fail;
	char *buf;
	size_t len;

	(void)state;
	/* until the growth number fail is past the last (the text then whole) */
	for (fail = 0; write_100k(fail, &buf, &len) < 0; fail++) {
		assert_null(buf);
		assert_int_equal(len, 0);
	}
	assert_int_equal(len, 100000);
	free(buf);
	assert_true(fail >= 3); /* 100,000 bytes took that many growths at least */
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(whole),
	    cmocka_unit_test(empty),
#ifndef NO_REALLOC_OF_OURS
	    cmocka_unit_test(one_growth_fails),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
