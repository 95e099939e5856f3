/* SPDX-License-Identifier: MIT */
/*
 * binfmt_misc's handlers read from their entry files as the kernel matches
 * them (fs/binfmt_misc.c check_file): magic with a mask and an offset, an
 * extension taken after the path's last '.', disabled entries and a
 * disabled binfmt_misc; an entry that cannot be read or is not the text
 * the kernel prints is an error naming it, never matched on a wrong reading
 * nor taken as claiming nothing.
 */
#include "cmocka-wrap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/resource.h>
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
	/*
	 * Not understood, each alone (fifteenth pass, second round: they were
	 * ignored, as if they claimed nothing): an error naming the handler.
	 */
	unlink(strcat(strcpy(cmd, dir), "/ext"));
	unlink(strcat(strcpy(cmd, dir), "/mag"));
	unlink(strcat(strcpy(cmd, dir), "/zero"));
	static const char *const bad[] = {
	    "enabled\ninterpreter /i/odd\nflags: \noffset 0\nmagic 414\n",
	    "enabled\ninterpreter /i/far\nflags: \noffset 255\nmagic 0000\n",
	    "enabled\ninterpreter /i/mask\nflags: \noffset 0\nmagic 4142\nmask ff\n",
	    /* an interpreter holding a newline: a line the kernel did not print as one */
	    "enabled\ninterpreter /i/a\nmagic 00\nflags: \nextension .zz\n",
	    "enabled\ninterpreter /i/a\nflags: \nextension .zz\nflags: C\n",
	    "enabled\ninterpreter /i/a\nflags: CP\nextension .zz\n",
	    "enabled\ninterpreter /i/a\nflags: X\nextension .zz\n",
	    "enabled\ninterpreter /i/a\nflags: \noffset x\nmagic 00\n",
	    "enabled\ninterpreter /i/a\nflags: \nextension .zz", /* cut: no last newline */
	    "enabled\ninterpreter /i/a\nflags: \n",
	    "enabled\ninterpreter /i/a\nflags: \nextension .\n", /* create_entry refuses it */
	    "on\ninterpreter /i/a\nflags: \nextension .zz\n",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("bad", bad[i]);
		assert_int_equal(claim("x.zz", "AB", 2, &c), -EINVAL);
		assert_string_equal(c.name, "bad");
	}
	unlink(strcat(strcpy(cmd, dir), "/bad"));
	/* An entry that cannot be read: a directory (EISDIR), a symlink (ELOOP). */
	assert_int_equal(mkdir(strcat(strcpy(cmd, dir), "/sub"), 0755), 0);
	assert_int_equal(claim("x.zz", "", 0, &c), -EISDIR);
	assert_string_equal(c.name, "sub");
	assert_int_equal(rmdir(cmd), 0);
	assert_int_equal(symlink("/nonexistent", strcat(strcpy(cmd, dir), "/ln")), 0);
	assert_int_equal(claim("x.zz", "", 0, &c), -ELOOP);
	unlink(cmd);
	/* A status that is neither: not understood. */
	put("status", "enabledx\n");
	assert_int_equal(claim("x.zz", "", 0, &c), -EINVAL);
	assert_string_equal(c.name, "");
	put("status", "enabled\n");
	/* A handler's name may begin with '.' (create_entry refuses "." and ".." only). */
	put(".dot", "enabled\ninterpreter /i/dot\nflags: F\nextension .zz\n");
	assert_int_equal(claim("x.zz", "", 0, &c), 1);
	assert_string_equal(c.name, ".dot");
	assert_true(c.open_file);
	/*
	 * EMFILE between the status file and the entry (the first round's open
	 * find): the entry's open is the descriptor past the limit.
	 */
	{
		struct rlimit old, lim;
		int lowest = open("/dev/null", O_RDONLY | O_CLOEXEC);

		assert_true(lowest >= 0);
		close(lowest);
		assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
		lim = old;
		lim.rlim_cur = (rlim_t)lowest + 2; /* the directory and its dup, no more */
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
		int rc = claim("x.zz", "", 0, &c);
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
		assert_int_equal(rc, -EMFILE);
		assert_string_equal(c.name, ".dot");
	}
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
