/* SPDX-License-Identifier: MIT */
#include "cmocka-wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/json.h"

static char *render(void (*fn)(struct cs_json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cs_json j;

	cs_json_init(&j, f, false);
	fn(&j);
	assert_int_equal(cs_json_finish(&j), 0);
	fclose(f);
	return buf;
}

static void doc_caps(struct cs_json *j)
{
	struct cs_quintet q = {{0, CS_BIT(10), CS_BIT(10), CS_BIT(41), 0}, 0x0f};

	cs_json_caps(j, &q);
}

static void caps_shape(void **state)
{
	char *s = render(doc_caps);

	(void)state;
	assert_string_equal(
	    s,
	    "{\"inheritable\":{\"mask\":\"0x0000000000000000\",\"names\":[]},"
	    "\"permitted\":{\"mask\":\"0x0000000000000400\",\"names\":[\"CAP_NET_BIND_SERVICE\"]},"
	    "\"effective\":{\"mask\":\"0x0000000000000400\",\"names\":[\"CAP_NET_BIND_SERVICE\"]},"
	    "\"bounding\":{\"mask\":\"0x0000020000000000\",\"names\":[\"CAP_41\"]},"
	    "\"ambient\":null}\n");
	free(s);
}

static void doc_escape(struct cs_json *j)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "s");
	cs_json_strn(j, "a\"b\\c\n\t\x01\x7f\xc3\xa9", 11);
	cs_json_key(j, "n");
	cs_json_int(j, -5);
	cs_json_key(j, "u");
	cs_json_uint(j, 18446744073709551615ULL);
	cs_json_key(j, "b");
	cs_json_bool(j, true);
	cs_json_key(j, "z");
	cs_json_str(j, NULL);
	cs_json_key(j, "a");
	cs_json_arr_begin(j);
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}

static void escaping(void **state)
{
	char *s = render(doc_escape);

	(void)state;
	assert_string_equal(s, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\xc3\xa9\",\"n\":-5,"
			       "\"u\":18446744073709551615,\"b\":true,\"z\":null,\"a\":[]}\n");
	free(s);
}

static void doc_bytes(struct cs_json *j)
{
	/* invalid start, lone continuation, overlong '/', surrogate, cut 3-byte
	 * sequence at the end; around them valid U+00E9 and U+202E */
	cs_json_str(j, "a\xff\x80\xc0\xaf\xc3\xa9\xed\xa0\x80\xe2\x80\xae\xe2\x80");
}

static void invalid_utf8(void **state)
{
	char *s = render(doc_bytes);

	(void)state;
	assert_string_equal(s, "\"a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9"
			       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\\u202e"
			       "\xef\xbf\xbd\xef\xbf\xbd\"\n");
	free(s);
}

static void doc_hidden(struct cs_json *j)
{
	/* C1 CSI, RLM, line separator, BOM, a joiner, an emoji, a Chinese word */
	cs_json_str(j, "\xc2\x9b"
		       "1\xe2\x80\x8f"
		       "2\xe2\x80\xa8"
		       "3\xef\xbb\xbf"
		       "4\xe2\x80\x8d"
		       "5\xf0\x9f\x98\x80\xe4\xb8\xad"
		       /* fifteenth pass, second round: a soft hyphen, a Hangul filler */
		       "\xc2\xad"
		       "6\xe3\x85\xa4");
}

/* What hides or controls is written as \\uNNNN: the same string to a JSON
 * reader, and nothing a terminal showing the document acts on. */
static void hidden_controls(void **state)
{
	char *s = render(doc_hidden);

	(void)state;
	/* Nineteenth pass: a joiner too, always (a string can be written in
	 * parts, so its neighbours are not known): "4" U+200D read as "4". */
	assert_string_equal(s, "\"\\u009b1\\u200f2\\u20283\\ufeff4\\u200d"
			       "5\xf0\x9f\x98\x80\xe4\xb8\xad\\u00ad6\\u3164\"\n");
	free(s);
}

static void doc_tags(struct cs_json *j)
{
	/* NET_ADMIN and the tag characters "ev" (U+E0065, U+E0076), then U+1D173 */
	cs_json_str(j, "NET_ADMIN\xf3\xa0\x81\xa5\xf3\xa0\x81\xb6\xf0\x9d\x85\xb3");
}

/* Twelfth pass: hidden characters past U+FFFF are a UTF-16 surrogate pair
 * (RFC 8259 7); "\\u" and five digits would be another string. */
static void hidden_astral(void **state)
{
	char *s = render(doc_tags);

	(void)state;
	assert_string_equal(s, "\"NET_ADMIN\\udb40\\udc65\\udb40\\udc76\\ud834\\udd73\"\n");
	free(s);
}

static void write_error(void **state)
{
	FILE *f = fopen("/dev/full", "w");
	struct cs_json j;

	(void)state;
	if (!f)
		skip();
	cs_json_init(&j, f, true);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "k");
	cs_json_str(&j, "v");
	cs_json_obj_end(&j);
	assert_true(cs_json_finish(&j) < 0);
	fclose(f);
}

/*
 * Twenty-first pass: "a\xff" and "a" U+FFFD were one JSON string, so two
 * files (or comms, or container names) of those names were one object to a
 * consumer keying on them. A member whose value is not UTF-8 is followed by
 * KEY_escaped (the escaping rule's text, one to one); a valid one, a
 * string in an array and a SARIF document (no_escaped) have none.
 */
static void doc_twins(struct cs_json *j)
{
	static const char *const parts[] = {"p/", "a\xff", NULL, "b"};

	cs_json_obj_begin(j);
	cs_json_key(j, "bad");
	cs_json_str(j, "a\xff\\");
	cs_json_key(j, "good");
	cs_json_str(j, "a\xef\xbf\xbd");
	cs_json_key(j, "parts");
	cs_json_str_parts(j, parts, 4);
	cs_json_key(j, "list");
	cs_json_arr_begin(j);
	cs_json_str(j, "a\xff");
	cs_json_arr_end(j);
	cs_json_obj_end(j);
	j->no_escaped = true;
	cs_json_obj_begin(j);
	cs_json_key(j, "sarif");
	cs_json_str(j, "a\xff");
	cs_json_obj_end(j);
}

static void escaped_twins(void **state)
{
	char *s = render(doc_twins);

	(void)state;
	assert_string_equal(s,
			    "{\"bad\":\"a\xef\xbf\xbd\\\\\",\"bad_escaped\":\"a\\\\xff\\\\\\\\\","
			    "\"good\":\"a\xef\xbf\xbd\","
			    "\"parts\":\"p/a\xef\xbf\xbd"
			    "b\",\"parts_escaped\":\"p/a\\\\xffb\","
			    "\"list\":[\"a\xef\xbf\xbd\"]}{\"sarif\":\"a\xef\xbf\xbd\"}\n");
	free(s);
}

/*
 * Session 22: a list's strings (an image's entrypoint, trace's comms, a
 * manifest's capabilities) had no twin, so ["a\xff"] and ["a" U+FFFD]
 * were one array. cs_json_strv follows such a list with KEY_escaped, an
 * array of as many elements, each by the escaping rule (null for null);
 * a list of UTF-8 strings, one in an array and SARIF's have none.
 */
static void doc_list_twins(struct cs_json *j)
{
	static const char *const bad[] = {"ok", "a\xff", NULL, "\x1b"};
	static const char *const fake[] = {"ok", "a\xef\xbf\xbd", NULL, "\x1b"};

	cs_json_obj_begin(j);
	cs_json_key(j, "argv");
	cs_json_strv(j, bad, 4);
	cs_json_key(j, "fake");
	cs_json_strv(j, fake, 4);
	cs_json_key(j, "none");
	cs_json_strv(j, NULL, 0);
	cs_json_key(j, "nested");
	cs_json_arr_begin(j);
	cs_json_strv(j, bad, 2);
	cs_json_arr_end(j);
	cs_json_obj_end(j);
	j->no_escaped = true;
	cs_json_obj_begin(j);
	cs_json_key(j, "sarif");
	cs_json_strv(j, bad, 2);
	cs_json_obj_end(j);
}

static void list_twins(void **state)
{
	char *s = render(doc_list_twins);

	(void)state;
	assert_string_equal(s, "{\"argv\":[\"ok\",\"a\xef\xbf\xbd\",null,\"\\u001b\"],"
			       "\"argv_escaped\":[\"ok\",\"a\\\\xff\",null,\"\\\\x1b\"],"
			       "\"fake\":[\"ok\",\"a\xef\xbf\xbd\",null,\"\\u001b\"],"
			       "\"none\":[],"
			       "\"nested\":[[\"ok\",\"a\xef\xbf\xbd\"]]}"
			       "{\"sarif\":[\"ok\",\"a\xef\xbf\xbd\"]}\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(caps_shape),      cmocka_unit_test(escaping),
	    cmocka_unit_test(invalid_utf8),    cmocka_unit_test(escaped_twins),
	    cmocka_unit_test(hidden_controls), cmocka_unit_test(hidden_astral),
	    cmocka_unit_test(write_error),     cmocka_unit_test(list_twins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
