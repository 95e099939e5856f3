/* SPDX-License-Identifier: MIT */
/*
 * binfmt_misc's handlers read from their entry files as the kernel matches
 * them (fs/binfmt_misc.c check_file): magic with a mask and an offset, an
 * extension taken after the path's last '.', disabled entries and a
 * disabled binfmt_misc; entries that are not understood are ignored, never
 * matched on a wrong reading.
 */
#include "cmocka-wrap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal/exec-binfmt.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

static int claim(const char *path, const char *head, size_t n, struct cs_binfmt_claim *c)
{
	memset(c, 0, sizeof(*c));
	return cs_exec_binfmt_claim(dir, path, head, n, c);
}

static void test_match(void **state)
{
	struct cs_binfmt_claim c;
	char cmd[96];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/capscope-binfmt.XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* Not mounted (no status file): nothing can be seen. */
	put("ext", "enabled\ninterpreter /i/ext\nflags: \nextension .zz\n");
	assert_int_equal(claim("a.zz", "", 0, &c), 0);
	put("status", "enabled\n");
	put("register", "");
	assert_int_equal(claim("a.zz", "", 0, &c), 1);
	assert_string_equal(c.name, "ext");
	assert_string_equal(c.interp, "/i/ext");
	assert_false(c.credentials);
	/* The text after the path's last '.', whole. */
	assert_int_equal(claim("d.zz/a", "", 0, &c), 0);
	assert_int_equal(claim("a.zzz", "", 0, &c), 0);
	assert_int_equal(claim("a.z", "", 0, &c), 0);
	assert_int_equal(claim("azz", "", 0, &c), 0);
	/* Magic at an offset, under a mask; past the file's end the buffer is zeros. */
	put("mag", "enabled\ninterpreter /i/mag\nflags: OC\noffset 2\nmagic 41420043\n"
		   "mask ffdfffff\n");
	assert_int_equal(claim("x", "..Ab\0C", 6, &c), 1);
	assert_string_equal(c.name, "mag");
	assert_true(c.credentials);
	assert_int_equal(claim("x", "..AB\0D", 6, &c), 0);
	assert_int_equal(claim("x", "..AB", 4, &c), 0);
	put("zero", "enabled\ninterpreter /i/zero\nflags: \noffset 250\nmagic 000000\n");
	assert_int_equal(claim("x", "", 0, &c), 1);
	assert_string_equal(c.name, "zero");
	/* Disabled: the entry, then binfmt_misc itself. */
	put("zero", "disabled\ninterpreter /i/zero\nflags: \noffset 250\nmagic 000000\n");
	assert_int_equal(claim("x", "", 0, &c), 0);
	put("status", "disabled\n");
	assert_int_equal(claim("a.zz", "", 0, &c), 0);
	put("status", "enabled\n");
	/* Not understood: ignored (odd hex, past the 256-byte buffer, a mask of another size). */
	unlink(strcat(strcpy(cmd, dir), "/ext"));
	put("odd", "enabled\ninterpreter /i/odd\nflags: \noffset 0\nmagic 414\n");
	put("far", "enabled\ninterpreter /i/far\nflags: \noffset 255\nmagic 0000\n");
	put("mask", "enabled\ninterpreter /i/mask\nflags: \noffset 0\nmagic 4142\nmask ff\n");
	assert_int_equal(claim("x", "AB", 2, &c), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
