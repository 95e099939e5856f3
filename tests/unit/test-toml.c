/* SPDX-License-Identifier: MIT */
/* The strict TOML reader: what it takes, and where it says no. */
#include "cmocka-wrap.h"

#include <stdio.h>
#include <string.h>

#include "capscope/toml.h"

static char seen[4096];

static int cb(void *u, const char *path, const struct cs_toml_value *v, struct cs_diag *d)
{
	size_t l = strlen(seen);

	(void)u;
	(void)d;
	snprintf(seen + l, sizeof(seen) - l, "%s:%d:%zu;", path, (int)v->type,
		 v->type == CS_TOML_ARRAY || v->type == CS_TOML_TABLE ? v->n : 0);
	if (v->type == CS_TOML_STRING) {
		l = strlen(seen);
		snprintf(seen + l, sizeof(seen) - l, "[%s]", v->s);
	}
	return 0;
}

static int parse(const char *s, struct cs_diag *d)
{
	seen[0] = '\0';
	memset(d, 0, sizeof(*d));
	return cs_toml_parse(s, strlen(s), "c.toml", cb, NULL, d);
}

static void test_ok(void **state)
{
	struct cs_diag d;
	(void)state;
	assert_int_equal(parse("# top\n[crio]\nroot = \"/var/lib\" # c\n"
			       "[crio.runtime]\ndefault_capabilities = [\n  \"CHOWN\", # one\n  'KILL',\n]\n"
			       "x.y = 1_000\nf = -1.5e3\nb = false\nt = {a = 1, \"b c\" = 'x'}\n"
			       "m = \"\"\"\nline\\\n   more\"\"\"\nh = 0xff\nu = \"\\u00e9\\t\"\n",
			       &d),
			 0);
	assert_non_null(strstr(seen, "crio.root:0:0;[/var/lib]"));
	assert_non_null(strstr(seen, "crio.runtime.default_capabilities:4:2;"));
	assert_non_null(strstr(seen, "crio.runtime.x.y:1:0;"));
	assert_non_null(strstr(seen, "crio.runtime.t:5:2;"));
	assert_non_null(strstr(seen, "[linemore]"));
	assert_non_null(strstr(seen, "[\xc3\xa9\t]"));
}

static void bad(const char *s, unsigned line, unsigned col, const char *msg)
{
	struct cs_diag d;

	assert_true(parse(s, &d) < 0);
	if (d.line != line || d.column != col || !strstr(d.message, msg)) {
		fprintf(stderr, "%u:%u %s\n", d.line, d.column, d.message);
		fail();
	}
	assert_string_equal(d.file, "c.toml");
}

static void test_errors(void **state)
{
	(void)state;
	bad("a = 1\na = 2\n", 2, 1, "defined twice");
	bad("[t]\n[t]\n", 2, 1, "defined twice");
	bad("[[t]]\n", 1, 1, "arrays of tables");
	bad("a = yes\n", 1, 5, "strings need quotes");
	bad("a = 1979-05-27\n", 1, 5, "not a value");
	bad("a = 07:32:00\n", 1, 5, "dates");
	bad("a = \"x\n", 1, 7, "newline");
	bad("a = [1, 2\n", 2, 1, "unterminated array");
	bad("a = 1 b = 2\n", 1, 7, "end of the line");
	bad("a = \"\\q\"\n", 1, 6, "unknown escape");
	bad("a = 012\n", 1, 5, "leading zeros");
	bad("a = 1__0\n", 1, 6, "misplaced");
	bad("= 1\n", 1, 1, "expected");
	bad("a = {b = 1,}\n", 1, 12, "in a key");
	bad("a = \"\\u0000\"\n", 1, 8, "NUL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
