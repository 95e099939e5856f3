/* SPDX-License-Identifier: MIT */
/*
 * The one reader of /proc/PID/uid_map and gid_map (lib/idmap-proc.c): every
 * line exactly as the kernel writes it, the kernel's own rules for a map,
 * and real maps of user namespaces this test makes (as root).
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/fcaps.h"
#include "capscope/kernel.h"
#include "capscope/userns.h"
#include "fixtures.h"

static int parse(const char *text, struct cs_idmap *m, size_t max, size_t *n, struct cs_diag *d)
{
	memset(d, 0, sizeof(*d));
	return cs_idmap_parse(text, strlen(text), m, max, n, d);
}

/* What the kernel writes, read whole. */
static void kernel_text(void **state)
{
	struct cs_idmap m[4];
	struct cs_diag d;
	size_t n = 9;
	(void)state;
	assert_int_equal(parse("", m, 4, &n, &d), 0);
	assert_int_equal(n, 0);
	assert_int_equal(parse("         0          0 4294967295\n", m, 4, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_true(cs_idmap_is_initial(m, n));
	assert_int_equal(parse("      1000     100000          1\n"
			       "         0 4294967293          2\n"
			       "4294967294       1000          1\n",
			       m, 4, &n, &d),
			 0);
	assert_int_equal(n, 3);
	assert_false(cs_idmap_is_initial(m, n));
	assert_int_equal(m[0].container_id, 1000);
	assert_int_equal(m[0].host_id, 100000);
	assert_int_equal(m[1].host_id, 4294967293u);
	assert_int_equal(m[2].container_id, 4294967294u);
	assert_int_equal(m[2].size, 1);
}

/* Text no kernel writes: refused at its line and column, nothing kept. */
static void hostile_text(void **state)
{
	static const struct {
		const char *text;
		unsigned line, column;
		const char *why;
		size_t len; /* 0: strlen */
	} bad[] = {
	    {"0 0 1\n", 1, 1, "as the kernel writes"}, /* unpadded: scanf took it */
	    {"         0          0          1", 1, 33, "no line end"},
	    {"         0          0          1\r\n", 1, 33, "as the kernel"},
	    {"         0          0          1 \n", 1, 33, "as the kernel"},
	    {"         0          0          1          5\n", 1, 33, "as the kernel"},
	    {"         0          0\n", 1, 22, "as the kernel"},
	    {"\t        0          0          1\n", 1, 1, "as the kernel"},
	    {"         0 \t        0          1\n", 1, 12, "as the kernel"},
	    {"        +0          0          1\n", 1, 9, "as the kernel"},
	    {"        -1          0          1\n", 1, 9, "as the kernel"},
	    {"        00          0          1\n", 1, 11, "as the kernel"},
	    {"         0          0 4294967296\n", 1, 33, "as the kernel"},
	    {"         0          0 99999999999\n", 1, 34, "as the kernel"},
	    {"         0        0x0          1\n", 1, 20, "as the kernel"},
	    {"         0          0          1\n\n", 2, 1, "as the kernel"},
	    {"         0          0          1\nhello\n", 2, 1, "as the kernel"},
	    {"         0          0          1\0\n", 1, 33, "as the kernel", 34},
	    {"         0          0          0\n", 1, 1, "a range of 0 ids"},
	    {"4294967295          0          1\n", 1, 1, "past the last id"},
	    {"         0 4294967295          1\n", 1, 1, "past the last id"},
	    {"4294967290          0          6\n", 1, 1, "past the last id"},
	    {"         0 4294967290          6\n", 1, 1, "past the last id"},
	    {"         0          0         10\n         9        100          1\n", 2, 1,
	     "inside the namespace in two"},
	    {"         0        100         10\n       100        109          5\n", 2, 1,
	     "outside the namespace in two"},
	    {"       100          0          1\n         0       1000        101\n", 2, 1,
	     "inside the namespace in two"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cs_idmap m[4];
		struct cs_diag d;
		size_t n = 9;
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);

		memset(&d, 0, sizeof(d));
		print_message("%zu: %s", i, bad[i].text);
		assert_int_equal(cs_idmap_parse(bad[i].text, len, m, 4, &n, &d), -EINVAL);
		assert_int_equal(n, 0);
		assert_int_equal(d.line, bad[i].line);
		assert_int_equal(d.column, bad[i].column);
		assert_non_null(strstr(d.message, bad[i].why));
	}
}

/* More ranges than asked for, or than the kernel ever writes (340). */
static void too_many(void **state)
{
	char *text = malloc(341 * 33 + 1), *p = text;
	struct cs_idmap m[341];
	struct cs_diag d;
	size_t n;
	(void)state;
	assert_non_null(text);
	for (unsigned i = 0; i < 341; i++)
		p += sprintf(p, "%10u %10u %10u\n", i, i, 1u);
	assert_int_equal(cs_idmap_parse(text, (size_t)(p - text), m, 341, &n, &d), -E2BIG);
	assert_int_equal(d.line, 341);
	assert_non_null(strstr(d.message, "more than 340 ranges, more than the kernel writes"));
	assert_int_equal(cs_idmap_parse(text, (size_t)(p - text) - 33, m, 341, &n, &d), 0);
	assert_int_equal(n, 340);
	assert_int_equal(cs_idmap_parse(text, 17 * 33, m, 16, &n, &d), -E2BIG);
	assert_int_equal(d.line, 17);
	assert_non_null(strstr(d.message, "more than 16 ranges, more than the model holds"));
	free(text);
}

/* ---- real maps, from user namespaces of this test's own ---- */

struct want {
	size_t n;
	struct cs_idmap m[340];
};

static int read_back(void *arg)
{
	const struct want *w = arg;
	struct cs_idmap m[CS_IDMAP_KERNEL_MAX];
	size_t n;

	if (cs_idmap_read_self(false, m, CS_IDMAP_KERNEL_MAX, &n, NULL) < 0 || n != w->n)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (memcmp(&m[i], &w->m[i], sizeof(m[i])) != 0)
			return 2;
	if (cs_idmap_read_self(true, m, CS_IDMAP_KERNEL_MAX, &n, NULL) < 0 || n != w->n)
		return 3;
	return 0;
}

static void skip_unless_root(void)
{
	if (geteuid() != 0)
		skip();
}

static void run_in(const char *map, int (*fn)(void *), void *arg, int want)
{
	int rc = cs_test_in_userns(map, map, fn, arg);

	if (rc == CS_TEST_NO_NS)
		skip();
	assert_int_equal(rc, want);
}

/* Ranges out of order, at both ends of the id space, and 340 of them. */
static void real_maps(void **state)
{
	static struct want w;
	char text[4096], *p = text;
	(void)state;
	skip_unless_root();
	w = (struct want){3,
			  {{4294967294u, 1000, 1}, {0, 4294967290u, 4}, {5, 200000, 4294767290u}}};
	run_in("4294967294 1000 1\n0 4294967290 4\n5 200000 4294767290\n", read_back, &w, 0);
	w = (struct want){0, {{0}}};
	/* Not written yet: the file is empty. */
	run_in(NULL, read_back, &w, 0);
	w.n = 340;
	for (unsigned i = 0; i < 340; i++) {
		w.m[i] = (struct cs_idmap){i, i, 1};
		p += sprintf(p, "%u %u 1\n", i, i);
	}
	run_in(text, read_back, &w, 0);
}

/* The credentials reader: the model's 16 ranges, and no more. */
static int cred_ranges(void *arg)
{
	struct cs_cred c;
	struct cs_diag d = {0};
	int rc = cs_cred_read_self(&c, &d);

	(void)arg;
	if (rc == -E2BIG)
		return strstr(d.file, "/proc/self/uid_map") && d.line == 17 &&
			       strstr(d.message, "more than 16 ranges")
			   ? 17
			   : 1;
	if (rc < 0 || !c.user_namespace)
		return 2;
	return c.n_uid_map == 16 && c.n_gid_map == 16 && c.uid_map[15].host_id == 1015 ? 16 : 3;
}

static void cred_maps(void **state)
{
	char text[1024], *p = text;
	(void)state;
	skip_unless_root();
	for (unsigned i = 0; i < 16; i++)
		p += sprintf(p, "%u %u 1\n", i, 1000 + i);
	run_in(text, cred_ranges, NULL, 16);
	sprintf(p, "%u %u 1\n", 16u, 1016u);
	run_in(text, cred_ranges, NULL, 17);
}

/* file set -n: the rootid looked up in the namespace's own map. */
static int rootids(void *arg)
{
	(void)arg;
	if (cs_fcaps_rootid_mapped(0, NULL) != 1 || cs_fcaps_rootid_mapped(99, NULL) != 1 ||
	    cs_fcaps_rootid_mapped(100, NULL) != 0 ||
	    cs_fcaps_rootid_mapped(4294967294u, NULL) != 1)
		return 1;
	return 0;
}

static void rootid_mapped(void **state)
{
	(void)state;
	skip_unless_root();
	run_in("0 5000 100\n4294967294 4294967294 1\n", rootids, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kernel_text), cmocka_unit_test(hostile_text),
	    cmocka_unit_test(too_many),	   cmocka_unit_test(real_maps),
	    cmocka_unit_test(cred_maps),   cmocka_unit_test(rootid_mapped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
