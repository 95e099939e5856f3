/* SPDX-License-Identifier: MIT */
/*
 * lib/json-check.c: JSON as Go's encoding/json reads it, checked in one
 * pass; values found by their keys; strings decoded.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/internal/json-check.h"

static void expect_ok(const char *text, bool whole)
{
	struct cs_diag d = {0};
	int r = cs_json_check(text, strlen(text), whole, NULL, 0, NULL, "", "JSON: ", &d);

	if (r != 0)
		fail_msg("%s: %d %u:%u %s", text, r, d.line, d.column, d.message);
}

static void expect_error(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct cs_diag d = {0};
	int r = cs_json_check(text, strlen(text), true, NULL, 0, NULL, "", "JSON: ", &d);

	if (r != -EINVAL || d.line != line || d.column != col || strcmp(d.message, msg))
		fail_msg("%s: got %d %u:%u '%s', want %u:%u '%s'", text, r, d.line, d.column,
			 d.message, line, col, msg);
}

static void test_valid(void **state)
{
	static const char *const ok[] = {
	    "{}",
	    "[]",
	    "0",
	    "-0",
	    "1.5e-3",
	    "-12E+4",
	    "\"\"",
	    "true",
	    "false",
	    "null",
	    " \t\r\n{ \"a\" : [ 1 , { } , [ ] , \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\" ] }\n",
	    "\"\\ud83d\\ude00\"",
	    "\"\xc3\xa9\xf0\x9f\x98\x80\"",
	    "{\"a\":{\"a\":{\"a\":1}}}",
	    /* the same key in different objects, and keys differing after escapes */
	    "[{\"k\":1},{\"k\":2}]",
	    "{\"k\":1,\"K\":2,\"k1\":3,\"\\u006b2\":4}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		expect_ok(ok[i], true);
	/* a decoder's reading (runc's config.json): what follows is not read */
	expect_ok("{\"a\":1} trailing {", false);
}

/*
 * Session 12, part G: a decoder's reading (whole false: runc's json.Decoder,
 * the node agent's state.json and annotations) reads nothing after the
 * first value, so bytes there that are not UTF-8, or NUL, are not refused;
 * within the value they are refused as before, with the same message.
 */
static void test_decoder_tail(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		int r;
		unsigned line, column;
		const char *msg;
	} cases[] = {
	    {"{\"a\":1}\n\0\xff junk", 15, 0, 0, 0, NULL},
	    {"[1, \"\xc3\xa9\"]\xc3", 10, 0, 0, 0, NULL},
	    {"{\"a\":\"\xff\"}", 9, -EINVAL, 1, 7, "not UTF-8 text (byte 0xff)"},
	    {"{\"a\":\"x\0\"}", 10, -EINVAL, 1, 8, "NUL byte in the text"},
	    {"{\"a\":1,\xc3\xa9:2}", 12, -EINVAL, 1, 8,
	     "JSON: a key (a string) was expected, not "
	     "byte 0xc3"},
	    {"{\"a\":1,\xc3}", 9, -EINVAL, 1, 8, "not UTF-8 text (byte 0xc3)"},
	    {"{\"a\":[1,\0]}", 11, -EINVAL, 1, 9, "NUL byte in the text"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cs_diag d = {0};
		size_t end = 0;
		int r = cs_json_check(cases[i].text, cases[i].len, false, NULL, 0, &end, "",
				      "JSON: ", &d);

		if (r != cases[i].r ||
		    (r && (d.line != cases[i].line || d.column != cases[i].column ||
			   strcmp(d.message, cases[i].msg))))
			fail_msg("case %zu: got %d %u:%u '%s'", i, r, d.line, d.column, d.message);
	}
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", 1, 1, "JSON: the text ends where a value was expected");
	/* a CR ending the text is a line break; the byte after it is not read
	 * (found by libFuzzer under ASan); CR LF is one break */
	expect_error("\r", 2, 1, "JSON: the text ends where a value was expected");
	expect_error("[[[\r", 2, 1, "JSON: the text ends where a value was expected");
	expect_error("[1,\r\n x]", 2, 2, "JSON: a value was expected, not 'x'");
	expect_error("[1,\r\r x]", 3, 2, "JSON: a value was expected, not 'x'");
	expect_error("{\"a\":1} x", 1, 9, "JSON: more after the first value");
	expect_error("{\"a\":1}{}", 1, 8, "JSON: more after the first value");
	expect_error("{a:1}", 1, 2, "JSON: a key (a string) was expected, not 'a'");
	expect_error("{\"a\" 1}", 1, 6, "JSON: ':' was expected after a key, not '1'");
	expect_error("[1,]", 1, 4, "JSON: a value was expected, not ']'");
	expect_error("{\"a\":1,}", 1, 8, "JSON: a key (a string) was expected, not '}'");
	expect_error("[1 2]", 1, 4, "JSON: ',' or ']' was expected, not '2'");
	expect_error("{\"a\":1\n\"b\":2}", 2, 1, "JSON: ',' or '}' was expected, not '\"'");
	expect_error("['a']", 1, 2, "JSON: a value was expected, not byte 0x27");
	expect_error("[01]", 1, 3, "JSON: ',' or ']' was expected, not '1'");
	expect_error("[1.]", 1, 2, "JSON: a number wants a digit after '.'");
	expect_error("[-]", 1, 2, "JSON: a number wants a digit after '-'");
	expect_error("[1e]", 1, 2, "JSON: a number wants a digit in its exponent");
	expect_error("[+1]", 1, 2, "JSON: a value was expected, not '+'");
	expect_error("[NaN]", 1, 2, "JSON: a value was expected, not 'N'");
	expect_error("[tru]", 1, 2, "JSON: a value was expected, not 't'");
	expect_error("[\"a\tb\"]", 1, 4,
		     "JSON: a control character (U+0009) in a string: JSON writes it as an escape");
	expect_error("[\"\\x\"]", 1, 3, "JSON: an escape JSON does not have: backslash then 'x'");
	expect_error("[\"\\u12\"]", 1, 3, "JSON: backslash then 'u' wants four hex digits");
	expect_error("[\"\\ud800\"]", 1, 3,
		     "JSON: a lone UTF-16 surrogate (U+D800, escaped), which Go reads as U+FFFD");
	expect_error("[\"\\ude00\"]", 1, 3,
		     "JSON: a lone UTF-16 surrogate (U+DE00, escaped), which Go reads as U+FFFD");
	expect_error("[\"\\ud800\\u0041\"]", 1, 3,
		     "JSON: a lone UTF-16 surrogate (U+D800, escaped), which Go reads as U+FFFD");
	expect_error("[\"abc", 1, 2, "JSON: the text ends inside this string");
	expect_error("{\"a\":", 1, 6, "JSON: the text ends where a value was expected");
	expect_error("\xef\xbb\xbf{}", 1, 1, "JSON: a byte order mark (U+FEFF) before the value");
	expect_error("[\"\xff\"]", 1, 3, "not UTF-8 text (byte 0xff)");
	/* columns count characters */
	expect_error("[\"\xc3\xa9\xc3\xa9\", x]", 1, 8, "JSON: a value was expected, not 'x'");
	/* a duplicate at the later key's opening quote (where an editor shows
	 * the key), after escapes; the earliest of several, after any syntax
	 * error */
	expect_error("{\"k\":1,\n \"\\u006b\":2}", 2, 2, "JSON: duplicate key 'k'");
	expect_error("[{\"b\":1,\"a\":1,\"b\":2},{\"a\":1,\"a\":2}]", 1, 15,
		     "JSON: duplicate key 'b'");
	expect_error("[{\"a\":1,\"a\":2}, x]", 1, 17, "JSON: a value was expected, not 'x'");
	expect_error("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}", 1, 19,
		     "JSON: duplicate key '\xf0\x9f\x98\x80'");
}

static void test_depth(void **state)
{
	char deep[2 * (CS_JSON_CHECK_DEPTH + 1) + 1];

	(void)state;
	memset(deep, '[', CS_JSON_CHECK_DEPTH);
	memset(deep + CS_JSON_CHECK_DEPTH, ']', CS_JSON_CHECK_DEPTH);
	deep[2 * CS_JSON_CHECK_DEPTH] = '\0';
	expect_ok(deep, true);
	memset(deep, '[', CS_JSON_CHECK_DEPTH + 1);
	memset(deep + CS_JSON_CHECK_DEPTH + 1, ']', CS_JSON_CHECK_DEPTH + 1);
	deep[2 * CS_JSON_CHECK_DEPTH + 2] = '\0';
	expect_error(deep, 1, CS_JSON_CHECK_DEPTH + 1,
		     "JSON: more than 63 objects and arrays nested");
}

static void test_wants(void **state)
{
	static const char *const p_root[] = {NULL}, *const p_a[] = {"a"},
				 *const p_ab[] = {"a", "b"}, *const p_e[] = {"\xc3\xa9"},
				 *const p_miss[] = {"a", "c"}, *const p_arr[] = {"l", "x"};
	struct cs_json_want w[] = {{p_root, 0, false, 0, 0, 0}, {p_a, 1, false, 0, 0, 0},
				   {p_ab, 2, false, 0, 0, 0},	{p_e, 1, false, 0, 0, 0},
				   {p_miss, 2, false, 0, 0, 0}, {p_arr, 2, false, 0, 0, 0}};
	const char *t = "{\"a\": {\"b\": [1, {\"b\": 2}], \"z\": 3}, \"\\u00e9\": \"x\\\"y\","
			" \"l\": [{\"x\": 1}]}";
	struct cs_diag d = {0};
	size_t end = 0;
	char *s = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(cs_json_check(t, strlen(t), true, w, 6, &end, "", "", &d), 0);
	assert_int_equal(end, strlen(t));
	assert_true(w[0].found && w[0].type == '{' && w[0].from == 0 && w[0].to == strlen(t));
	assert_true(w[1].found && w[1].type == '{');
	assert_memory_equal(t + w[1].from, "{\"b\": [1, {\"b\": 2}], \"z\": 3}",
			    w[1].to - w[1].from);
	assert_true(w[2].found && w[2].type == '[');
	assert_memory_equal(t + w[2].from, "[1, {\"b\": 2}]", w[2].to - w[2].from);
	assert_true(w[3].found && w[3].type == '"');
	assert_int_equal(cs_json_string(t, w[3].from, w[3].to, &s, &len), 0);
	assert_string_equal(s, "x\"y");
	free(s);
	assert_false(w[4].found);
	assert_false(w[5].found); /* a path does not go through arrays */
	/* a string that decodes to a NUL is no C string */
	t = "\"a\\u0000b\"";
	assert_int_equal(cs_json_string(t, 0, strlen(t), &s, &len), -EINVAL);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),	 cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_decoder_tail), cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_wants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
