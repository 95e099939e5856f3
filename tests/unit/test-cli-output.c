/* SPDX-License-Identifier: MIT */
/*
 * cli/output.c's end of a command: what it says and the status it returns
 * when a writer failed. Fourteenth pass: a writer's failure that was not a
 * write (the JSON writer's depth limit, a SARIF writer out of memory) with
 * standard output intact ended the command with exit 2 and no message, or
 * with the verdict's code over a cut document.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/json.h"
#include "output.h"

/* What f(cmd, rc, err) writes on stderr, into buf; its return in *ret. */
static void run_finish(int rc, int err, int *ret, char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fileno(tmp), 2), 2);
	*ret = cs_finish_stdout_err("explain oci", rc, err);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

/* A document nested past CS_JSON_MAX_DEPTH: the writer's own -E2BIG. */
static int too_deep(void)
{
	FILE *f = fopen("/dev/null", "w");
	struct cs_json j;
	int r;

	cs_json_init(&j, f, false);
	for (int i = 0; i <= CS_JSON_MAX_DEPTH; i++)
		cs_json_arr_begin(&j);
	r = cs_json_finish(&j);
	fclose(f);
	return r;
}

static void writer_failure_said(void **state)
{
	char buf[512];
	int ret, err = too_deep();

	(void)state;
	assert_int_equal(err, -E2BIG);
	/* a verdict's code (0 or 1) is not kept over a cut document */
	for (int rc = 0; rc <= 2; rc++) {
		run_finish(rc, err, &ret, buf, sizeof(buf));
		assert_int_equal(ret, 2);
		assert_string_equal(buf, "capscope explain oci: the output on standard output is "
					 "incomplete: the JSON document nests deeper than the "
					 "writer's limit (a capscope bug)\n");
	}
	run_finish(1, -ENOMEM, &ret, buf, sizeof(buf));
	assert_int_equal(ret, 2);
	assert_string_equal(
	    buf,
	    "capscope explain oci: the output on standard output is incomplete: out of memory\n");
	/* no error: nothing said, the status kept */
	run_finish(1, 0, &ret, buf, sizeof(buf));
	assert_int_equal(ret, 1);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(writer_failure_said),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
