/* SPDX-License-Identifier: MIT */
/*
 * The TOML reader: the tree it builds, and where it says no (line and
 * column). tests/cli/toml-diff.sh checks it against tomllib on a corpus;
 * these are the cases crio.conf depends on, and the ones that once went
 * wrong silently.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/cri.h"
#include "internal/toml.h"

/* The document as compact JSON, or "ERR line:col message". */
static char *tree(const char *s)
{
	struct cs_toml_doc *doc;
	struct cs_diag d = {0};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	if (cs_toml_load(s, strlen(s), "c.toml", &doc, &d) < 0) {
		assert_string_equal(d.file, "c.toml");
		fprintf(f, "ERR %u:%u %s", d.line, d.column, d.message);
	} else {
		assert_int_equal(cs_toml_dump_json(cs_toml_root(doc), f), 0);
		cs_toml_free(doc);
	}
	fclose(f);
	return out;
}

static void is(const char *doc, const char *want)
{
	char *got = tree(doc);

	if (strcmp(got, want) != 0)
		fail_msg("%s\n  got:  %s\n  want: %s", doc, got, want);
	free(got);
}

/* An error starting with "ERR line:col" and containing msg. */
static void bad(const char *doc, unsigned line, unsigned col, const char *msg)
{
	char *got = tree(doc), pre[32];

	snprintf(pre, sizeof(pre), "ERR %u:%u ", line, col);
	if (strncmp(got, pre, strlen(pre)) != 0 || !strstr(got, msg))
		fail_msg("%s\n  got:  %s\n  want: %s...%s", doc, got, pre, msg);
	free(got);
}

static void values(void **state)
{
	(void)state;
	is("# top\n[crio]\nroot = \"/var/lib\" # c\n"
	   "[crio.runtime]\ndefault_capabilities = [\n  \"CHOWN\", # one\n  'KILL',\n]\n",
	   "{\"crio\":{\"root\":\"/var/lib\",\"runtime\":{\"default_capabilities\":[\"CHOWN\","
	   "\"KILL\"]}}}");
	is("x.y = 1_000\nf = -1.5e3\nb = false\nh = 0xff\no = 0o17\nbin = 0b101\n",
	   "{\"x\":{\"y\":1000},\"f\":{\"$f\":\"-1500\"},\"b\":false,\"h\":255,\"o\":15,\"bin\":"
	   "5}");
	is("m = \"\"\"\nline\\\n   more\"\"\"\nu = \"\\u00e9\\t\"\nl = '''a\\b'''''\n",
	   "{\"m\":\"linemore\",\"u\":\"\xc3\xa9\\u0009\",\"l\":\"a\\\\b''\"}");
	is("a = inf\nb = -inf\nc = nan\nd = +0.0\n",
	   "{\"a\":{\"$f\":\"inf\"},\"b\":{\"$f\":\"-inf\"},\"c\":{\"$f\":\"nan\"},\"d\":{\"$f\":"
	   "\"0\"}}");
	is("d1 = 1979-05-27T07:32:00Z\nd2 = 1979-05-27 00:32:00.999999-07:00\n"
	   "d3 = 1979-05-27T07:32:00\nd4 = 1979-05-27\nd5 = 00:32:00.5\n",
	   "{\"d1\":{\"$dt\":\"1979-05-27T07:32:00+00:00\"},"
	   "\"d2\":{\"$dt\":\"1979-05-27T00:32:00.999999-07:00\"},"
	   "\"d3\":{\"$dt\":\"1979-05-27T07:32:00\"},\"d4\":{\"$dt\":\"1979-05-27\"},"
	   "\"d5\":{\"$dt\":\"00:32:00.500000\"}}");
	is("a = 9223372036854775807\nb = -9223372036854775808\n",
	   "{\"a\":9223372036854775807,\"b\":-9223372036854775808}");
	is("a = \"x\"\r\nb = 1\r\n", "{\"a\":\"x\",\"b\":1}");
}

/* What crio.conf files really contain: the same table in every spelling. */
static void tables(void **state)
{
	const char *want = "{\"crio\":{\"runtime\":{\"default_capabilities\":[\"CHOWN\"]}}}";

	(void)state;
	is("[crio.runtime]\ndefault_capabilities = [\"CHOWN\"]\n", want);
	is("[crio]\nruntime.default_capabilities = [\"CHOWN\"]\n", want);
	is("[crio]\nruntime = { default_capabilities = [\"CHOWN\"] }\n", want);
	is("crio = { runtime = { default_capabilities = [\"CHOWN\"] } }\n", want);
	is("crio.runtime.default_capabilities = [\"CHOWN\"]\n", want);
	is("[ crio . \"runtime\" ]\ndefault_capabilities = [\"CHOWN\"]\n", want);
	/* one quoted key is one key */
	is("[\"crio.runtime\"]\ndefault_capabilities = [\"CHOWN\"]\n",
	   "{\"crio.runtime\":{\"default_capabilities\":[\"CHOWN\"]}}");
	is("[[crio.runtime.runtimes]]\nx = 1\n[crio.runtime.runtimes.sub]\ny = 2\n"
	   "[[crio.runtime.runtimes]]\nx = 3\n",
	   "{\"crio\":{\"runtime\":{\"runtimes\":[{\"x\":1,\"sub\":{\"y\":2}},{\"x\":3}]}}}");
	is("[a.b.c]\n[a]\nd = 1\n", "{\"a\":{\"b\":{\"c\":{}},\"d\":1}}");
	is("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n",
	   "{\"fruit\":{\"apple\":{\"color\":\"red\",\"texture\":{\"smooth\":true}}}}");
}

static void errors(void **state)
{
	(void)state;
	bad("a = 1\na = 2\n", 2, 1, "defined twice");
	bad("[t]\n[t]\n", 2, 1, "defined twice");
	bad("a = yes\n", 1, 5, "strings need quotes");
	bad("a = 1979-02-30\n", 1, 5, "no such date");
	bad("a = 0000-01-01\n", 1, 5, "no such date");
	/* fourteenth pass: TOML 1.1 forms, which CRI-O 1.36's decoder reads,
	 * are refused as such rather than as unknown or misplaced bytes */
	bad("a = 07:32\n", 1, 5, "TOML 1.1");
	bad("a = 1979-05-27T07:32Z\n", 1, 16, "time without seconds");
	bad("a = \"\\e\"\n", 1, 6, "backslash then 'e' is a TOML 1.1 escape");
	bad("a = \"\\x41\"\n", 1, 6, "after the backslash write 'u00' and the same two");
	bad("a = {\n b = 1}\n", 1, 6, "TOML 1.1");
	bad("a = {b = 1, # c\n}\n", 1, 13, "TOML 1.1");
	bad("a = \"x\n", 1, 7, "newline");
	bad("a = [1, 2\n", 2, 1, "unterminated array");
	bad("a = 1 b = 2\n", 1, 7, "end of the line");
	bad("a = \"\\q\"\n", 1, 6, "unknown escape");
	bad("a = 012\n", 1, 6, "end of the line");
	bad("a = 1__0\n", 1, 6, "end of the line");
	bad("= 1\n", 1, 1, "expected a key");
	bad("a = {b = 1,}\n", 1, 12, "TOML 1.1");
	bad("a = \"\\u0000\"\n", 1, 6, "NUL");
	bad("a = 9223372036854775808\n", 1, 5, "64-bit");
	bad("a = 0xffffffffffffffff\n", 1, 5, "64-bit");
	bad("a = 1\na.b = 2\n", 2, 1, "already a value");
	bad("a = {b = 1}\na.c = 2\n", 2, 1, "inline");
	bad("a = {b = 1}\n[a.c]\n", 2, 1, "inline");
	bad("a = [1]\n[[a]]\n", 2, 1, "inline");
	bad("[a]\n[[a]]\n", 2, 1, "not an array of tables");
	bad("[[a]]\n[a]\n", 2, 1, "defined twice");
	bad("a.b = 1\n[a]\n", 2, 1, "defined twice");
	bad("[a]\nb.c = 1\n[a.b]\n", 3, 1, "defined twice");
	bad("[a.b]\nc = 1\n[a]\nb.d = 2\n", 4, 1, "declared elsewhere");
	/* a key named whole, with its table (twenty-fifth pass, part A: the
	 * last part alone, "table 'runtime' defined twice") */
	bad("[crio.runtime]\n[crio.runtime]\n", 2, 1, "table 'crio.runtime' defined twice");
	bad("[crio.runtime]\nx = 1\nx = 2\n", 3, 1, "key 'crio.runtime.x' defined twice");
	bad("[a.\"x.y\"]\nk = 1\nk = 2\n", 3, 1, "key 'a.\"x.y\".k' defined twice");
	bad("[a]\nb = {c = {d = 1}, c = 2}\n", 2, 19, "key 'a.b.c' defined twice");
	bad("[a]\nb = {c = 1}\n[x]\ny = 1\ny = 2\n", 5, 1, "key 'x.y' defined twice");
	bad("a = {b = 1}\nc = 1\nc = 2\n", 3, 1, "key 'c' defined twice");
	bad("[a.b]\nc = 1\n[a]\nb.d = 2\n", 4, 1, "'a.b' is a table declared elsewhere");
	bad("[a]\nb.c = 1\nb.c.d = 2\n", 3, 1, "'a.b.c' is already a value");
	bad("[a]\nb = {c = 1}\n[a.b.d]\n", 3, 1, "'a.b' is an inline value");
	bad("a = {x = 1\n}\n", 1, 11, "inline table");
	bad("a = 1\r\r\n", 1, 6, "end of the line");
	bad("# \x01\n", 1, 3, "control character");
	bad("a = \"\xff\"\n", 1, 6, "UTF-8");
	bad("a = \"\xed\xa0\x80\"\n", 1, 6, "UTF-8");
}

/* The crio.conf loader sees every spelling, and refuses wrong types. */
static void crio(void **state)
{
	static const char *const same[] = {
	    "[crio.runtime]\ndefault_capabilities = [\"KILL\"]\n",
	    "[crio]\nruntime = { default_capabilities = [\"KILL\"] }\n",
	    "crio = { runtime = { default_capabilities = [\"KILL\"] } }\n",
	    "[crio]\nruntime.default_capabilities = [\"KILL\"]\n",
	};
	struct cs_crio_config c;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		cs_crio_config_default(&c);
		memset(&d, 0, sizeof(d));
		assert_int_equal(cs_crio_config_parse(&c, same[i], strlen(same[i]), "x.conf", &d),
				 0);
		assert_int_equal(c.n_default_caps, 1);
		assert_string_equal(c.default_caps[0], "KILL");
		assert_string_equal(c.defaults_from, "x.conf");
	}
	/* a quoted dotted name is another table: the defaults stay, and say so */
	cs_crio_config_default(&c);
	{
		const char *q = "[\"crio.runtime\"]\ndefault_capabilities = []\n";

		assert_int_equal(cs_crio_config_parse(&c, q, strlen(q), "x.conf", &d), 0);
	}
	assert_true(c.n_default_caps > 1);
	assert_string_not_equal(c.defaults_from, "x.conf");
	cs_crio_config_default(&c);
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_crio_config_parse(&c, "crio = 1\n", 9, "x.conf", &d), -EINVAL);
	assert_string_equal(d.file, "x.conf");
	assert_int_equal(d.line, 1);
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_crio_config_parse(&c, "[crio]\nruntime = []\n", 20, "x.conf", &d),
			 -EINVAL);
	assert_int_equal(d.line, 2);
	/* a NUL byte anywhere is refused, with its place */
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_crio_config_parse(&c, "a = 1\n\0", 7, "x.conf", &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.column, 1);
}

/*
 * Finding a key costs about one probe whatever the table's size: 20,000 keys
 * in one table (and 20,000 tables) looked each key up against every key
 * before it, some 2 * 10^8 compares (a 4 MiB crio.conf took minutes).
 */
static void key_cost(void **state)
{
	const size_t n = 20000;
	struct cs_toml_doc *doc = NULL;
	struct cs_diag d = {0};
	char *buf = malloc(n * 32), *p = buf;

	(void)state;
	assert_non_null(buf);
	p += sprintf(p, "[crio.runtime]\n");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "k%zu = %zu\n", i, i);
	assert_int_equal(cs_toml_load(buf, (size_t)(p - buf), "t", &doc, &d), 0);
	assert_true(cs_toml_key_probes < 8 * n);
	cs_toml_free(doc);
	p = buf;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "[t%zu]\nx = 1\n", i);
	assert_int_equal(cs_toml_load(buf, (size_t)(p - buf), "t", &doc, &d), 0);
	assert_true(cs_toml_key_probes < 8 * 2 * n);
	cs_toml_free(doc);
	free(buf);
}

/*
 * Session 13, part A (the twelfth pass's open find): the tree of a file of
 * many small tables held some 40 bytes a byte of it (200,000 `[tN]`
 * headers with a key, 2.7 MB: 140 MB resident); every key and header took
 * 64 bytes of the arena for its parts, each table room for 8 keys, each
 * value 96 bytes. Now the bytes held are counted for 20,000 such tables.
 */
static void tree_bytes(void **state)
{
	const size_t n = 20000;
	struct cs_toml_doc *doc = NULL;
	struct cs_diag d = {0};
	char *buf = malloc(n * 32), *p = buf;
	size_t before, held;

	(void)state;
	/* a scalar's fields and a collection's in one union, 32-bit counts:
	 * 40 bytes, 64 before (a file of small tables is mostly values) */
	assert_true(sizeof(struct cs_toml_value) <= 40);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "[t%zu]\nx = 1\n", i);
	before = mallinfo2().uordblks;
	assert_int_equal(cs_toml_load(buf, (size_t)(p - buf), "t", &doc, &d), 0);
	held = mallinfo2().uordblks - before;
	print_message("tree: %zu bytes for %zu bytes of text\n", held, (size_t)(p - buf));
	/* the arena places values at 8 bytes and strings at 1, not every
	 * piece at 16: 12.6 bytes a byte of text here, 21.5 before */
	assert_true(held < 16 * (size_t)(p - buf));
	cs_toml_free(doc);
	free(buf);
}

/*
 * Session 16: each part of a dotted key is a level of the tree, and the
 * tree's depth was bounded only for nested brackets: a 4 MB crio.conf
 * `x = {a.a.a... = 1}` (2,000,000 parts) overflowed freeze's stack
 * (explain pod --crio-config: SIGSEGV). Now at most 100 parts, and an
 * inline table's keys count toward the 100 levels of nesting.
 */
static void deep_keys(void **state)
{
	const size_t n = 2000000;
	char *buf = malloc(2 * n + 16), *p = buf;
	char *out;

	(void)state;
	assert_non_null(buf);
	p += sprintf(p, "x = {");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, i ? ".a" : "a");
	strcpy(p, " = 1}\n");
	out = tree(buf);
	assert_string_equal(out, "ERR 1:206 a key of more than 100 dotted parts: capscope reads no "
				 "deeper (no setting of CRI-O's is so deep)");
	free(out);
	buf[0] = '[';
	memmove(buf + 1, buf + 5, strlen(buf + 5) + 1);
	strcpy(strstr(buf, " = 1}"), "]\n");
	out = tree(buf);
	assert_string_equal(out, "ERR 1:202 a key of more than 100 dotted parts: capscope reads no "
				 "deeper (no setting of CRI-O's is so deep)");
	free(out);
	free(buf);
	/* 100 parts are read; inline tables of dotted keys nest 100 levels */
	bad("x = "
	    "{a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
	    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a = "
	    "{b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b."
	    "b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b = 1}}\n",
	    1, 229, "values nested more than 100 deep");
	p = buf = malloc(256);
	assert_non_null(buf);
	for (size_t i = 0; i < 100; i++)
		p += sprintf(p, i ? ".a" : "a");
	strcpy(p, " = 1\n");
	out = tree(buf);
	assert_true(strncmp(out, "ERR", 3) != 0);
	assert_non_null(strstr(out, "{\"a\":{\"a\":"));
	free(out);
	free(buf);
}

/*
 * Session 16: a float past the 64-bit range was read as inf (as Python
 * does); CRI-O's reader (BurntSushi/toml) refuses the file and CRI-O does
 * not start, where capscope predicted its containers. An underflow is 0 to
 * both, and inf written so is read.
 */
static void float_range(void **state)
{
	(void)state;
	bad("x = 1e400\n", 1, 5, "a float beyond the 64-bit range");
	bad("[crio.runtime]\nx = [1.0, -2e308]\n", 2, 11, "a float beyond the 64-bit range");
	is("x = 1e-400\n", "{\"x\":{\"$f\":\"0\"}}");
	is("x = -inf\n", "{\"x\":{\"$f\":\"-inf\"}}");
	is("x = 1.7976931348623157e308\n", "{\"x\":{\"$f\":\"1.7976931348623157e+308\"}}");
}

/*
 * Session 16: every dotted key of a section put each table it passes
 * through on the section's pending list again, and a key of more than 8
 * parts grew its list of parts in the arena, left there: 20,000 lines
 * `a.a.(98 parts).kN = 1` (4.1 MB) held 86 MB. The bytes held for 4,000
 * such lines are counted: 16 a byte of text before, 1.4 now.
 */
/* A mark at the file's start is dropped as CRI-O's reader (BurntSushi/toml
 * 1.3 on) drops it; anywhere else it is refused as there. */
static void byte_order_marks(void **state)
{
	(void)state;
	is("\xef\xbb\xbf[crio.runtime]\nx = 1\n", "{\"crio\":{\"runtime\":{\"x\":1}}}");
	is("\xff\xfex = 1\n", "{\"x\":1}");
	is("\xfe\xffx = 1\n", "{\"x\":1}");
	is("\xef\xbb\xbfx = 1 # \xef\xbb\xbf\n", "{\"x\":1}");
	bad("\xef\xbb\xbf\xef\xbb\xbfx = 1\n", 1, 1, "");
	bad("x = 1\n\xef\xbb\xbfy = 2\n", 2, 1, "");
	bad("\xef\xbb\xbf\n\nx = = 1\n", 3, 5, "");
}

static void pending_bytes(void **state)
{
	const size_t n = 4000;
	struct cs_toml_doc *doc = NULL;
	struct cs_diag d = {0};
	char *buf = malloc(n * 220), *p = buf;
	size_t before, held;

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 98; k++)
			p += sprintf(p, "a.");
		p += sprintf(p, "k%zu = 1\n", i);
	}
	before = mallinfo2().uordblks;
	assert_int_equal(cs_toml_load(buf, (size_t)(p - buf), "t", &doc, &d), 0);
	held = mallinfo2().uordblks - before;
	print_message("tree: %zu bytes for %zu bytes of text\n", held, (size_t)(p - buf));
	assert_true(held < 4 * (size_t)(p - buf));
	cs_toml_free(doc);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(values),	     cmocka_unit_test(tables),
	    cmocka_unit_test(errors),	     cmocka_unit_test(crio),
	    cmocka_unit_test(key_cost),	     cmocka_unit_test(tree_bytes),
	    cmocka_unit_test(deep_keys),     cmocka_unit_test(float_range),
	    cmocka_unit_test(pending_bytes), cmocka_unit_test(byte_order_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
