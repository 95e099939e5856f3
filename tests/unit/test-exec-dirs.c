/* SPDX-License-Identifier: MIT */
/*
 * The record of the directories a lookup searched (lib/exec-dirs.c): each
 * directory once, found again by its identity whichever way it is reached,
 * its path spelled from the nearest recorded directory above it, and a cost
 * linear in the walk (the seventh pass left it quadratic: every path stored
 * whole and compared with every other).
 */
#include "cmocka-wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/kernel.h"
#include "internal/exec-script.h"

/* One visit of a walk: path from the root, its identity and mode (owner root). */
static void see(struct cs_exec_file *f, const char *path, uint64_t id, mode_t mode)
{
	size_t depth = 0;

	for (const char *p = path; *p; p++)
		depth += *p == '/' && p[1];
	assert_int_equal(
	    cs_exec_file_add_dir(
		f, &(struct cs_searched_dir){.path = path,
					     .len = strcmp(path, "/") ? strlen(path) : 0,
					     .depth = depth,
					     .id = {id, 7},
					     .mode = S_IFDIR | mode}),
	    0);
}

static void path_is(const struct cs_exec_file *f, size_t i, const char *want)
{
	char *p = cs_exec_dir_path(f, i);

	assert_non_null(p);
	assert_string_equal(p, want);
	free(p);
}

static void two_ways(void **state)
{
	struct cs_exec_file f = {0};

	(void)state;
	/* First walk: / (0700), /a (0755: nobody is stopped, not kept), /a/b (0700),
	 * /a/b/c (0711: every class may search). */
	see(&f, "/", 1, 0700);
	see(&f, "/a", 2, 0755);
	see(&f, "/a/b", 3, 0700);
	see(&f, "/a/b/c", 4, 0711);
	/* Second walk, through a symlink: /x (0750), then /a/b again as /x/y, and below it. */
	see(&f, "/", 1, 0700);
	see(&f, "/x", 5, 0750);
	see(&f, "/x/y", 3, 0700);
	see(&f, "/x/y/z", 6, 0700);
	see(&f, "/x/y", 3, 0700); /* "..": searched again, kept once */
	assert_int_equal(f.ndirs, 4);
	path_is(&f, 0, "/");
	path_is(&f, 1, "/a/b");
	path_is(&f, 2, "/x");
	/* Below /a/b as first reached: a path that names the same directory. */
	path_is(&f, 3, "/a/b/z");
	assert_int_equal(f.dirs[1].parent, 0);
	assert_string_equal(f.dirs[1].name, "/a/b"); /* /a is not kept: the rest of the way */
	assert_string_equal(f.dirs[3].name, "/z");
	cs_exec_file_clear(&f);
}

/* Without a recorded root, the first kept directory holds its whole path. */
static void open_root(void **state)
{
	struct cs_exec_file f = {0};

	(void)state;
	see(&f, "/", 1, 0755);
	see(&f, "/srv", 2, 0700);
	see(&f, "/srv/app", 3, 0700);
	assert_int_equal(f.ndirs, 2);
	assert_int_equal(f.dirs[0].parent, CS_EXEC_DIR_NONE);
	path_is(&f, 0, "/srv");
	path_is(&f, 1, "/srv/app");
	assert_string_equal(f.dirs[1].name, "/app");
	cs_exec_file_clear(&f);
}

/*
 * 40 ways through one chain of 2,000 directories, then 40 chains of their
 * own: each kept once, each holding one name, whatever the depth.
 */
static void deep_chains(void **state)
{
	enum { DEPTH = 2000, WAYS = 40 };
	struct cs_exec_file f = {0};
	char *path = malloc(2 * DEPTH + 8);
	size_t names = 0;

	(void)state;
	assert_non_null(path);
	for (int way = 0; way < 2 * WAYS; way++) {
		size_t len = (size_t)sprintf(path, "/c%d", way < WAYS ? 0 : way);

		see(&f, "/", 1, 0700);
		for (int d = 0; d < DEPTH; d++) {
			see(&f, path, ((uint64_t)(way < WAYS ? 0 : way) << 20) | ((uint64_t)d + 2),
			    0700);
			len += (size_t)sprintf(path + len, "/d");
		}
	}
	assert_int_equal(f.ndirs, 1 + (WAYS + 1) * DEPTH);
	for (size_t i = 0; i < f.ndirs; i++)
		names += strlen(f.dirs[i].name);
	assert_true(names < 4 * f.ndirs); /* linear: "/d", not the whole path */
	path_is(&f, 2, "/c0/d");
	free(path);
	cs_exec_file_clear(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(two_ways),
	    cmocka_unit_test(open_root),
	    cmocka_unit_test(deep_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
