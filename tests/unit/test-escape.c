/* SPDX-License-Identifier: MIT */
/* The one escaping rule for text output (capscope/escape.h). */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

#include "capscope/diag.h"
#include "capscope/escape.h"
#include "capscope/steps.h"
#include "internal/util.h"

static char *esc(const char *s)
{
	char *r = cs_escape_dup(s);

	assert_non_null(r);
	return r;
}

#define ESC_EQ(in, want)                                                                           \
	do {                                                                                       \
		char *got_ = esc(in);                                                              \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

static void plain_text_unchanged(void **state)
{
	(void)state;
	ESC_EQ("nginx-7d9f web_1 /usr/bin/nc", "nginx-7d9f web_1 /usr/bin/nc");
	ESC_EQ("", "");
	ESC_EQ(NULL, "");
	ESC_EQ("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	assert_true(cs_text_is_safe("web"));
	assert_false(cs_text_is_safe("a\nb"));
}

static void controls_escaped(void **state)
{
	(void)state;
	ESC_EQ("\x1b[2J\x1b[Hcritical", "\\x1b[2J\\x1b[Hcritical");
	ESC_EQ("a\nb\tc\rd", "a\\nb\\tc\\rd");
	ESC_EQ("back\\slash", "back\\\\slash");
	ESC_EQ("del\x7f", "del\\x7f");
	ESC_EQ("bell\x07", "bell\\x07");
}

static void unicode_controls_escaped(void **state)
{
	(void)state;
	/* C1 CSI (U+009B) acts like ESC [ on many terminals. */
	ESC_EQ("x\xc2\x9b"
	       "31m",
	       "x\\u009b31m");
	/* Right-to-left override and isolates reorder the rest of the line. */
	ESC_EQ("\xe2\x80\xae"
	       "abc",
	       "\\u202eabc");
	ESC_EQ("\xe2\x81\xa6"
	       "x",
	       "\\u2066x");
	/* The bidi marks flip neutral characters around them. */
	ESC_EQ("a\xe2\x80\x8f"
	       "b\xe2\x80\x8e"
	       "c\xd8\x9c",
	       "a\\u200fb\\u200ec\\u061c");
	/* Line and paragraph separators end a line in many log viewers. */
	ESC_EQ("a\xe2\x80\xa8"
	       "b\xe2\x80\xa9",
	       "a\\u2028b\\u2029");
	/* A name of invisible characters must not look empty or like another. */
	ESC_EQ("\xe2\x80\x8bsshd\xef\xbb\xbf\xe2\x81\xa0\xe2\x81\xaf\xef\xbf\xb9\xe1\xa0\x8e",
	       "\\u200bsshd\\ufeff\\u2060\\u206f\\ufff9\\u180e");
	/*
	 * Twelfth pass: the tag characters (U+E0000..U+E007F) draw nothing, so
	 * "NET_ADMIN" and tags spelling "ev" showed as NET_ADMIN ("unknown
	 * capability CAP_NET_ADMIN"); so do the shorthand and musical format
	 * controls. Past U+FFFF, \\U and eight digits: "\\u" and four would
	 * read as another character and a digit.
	 */
	ESC_EQ("NET_ADMIN\xf3\xa0\x81\xa5\xf3\xa0\x81\xb6\xf3\xa0\x80\x81\xf3\xa0\x81\xbf",
	       "NET_ADMIN\\U000e0065\\U000e0076\\U000e0001\\U000e007f");
	ESC_EQ("a\xf0\x9d\x85\xb3"
	       "b\xf0\x9b\xb2\xa0"
	       "c",
	       "a\\U0001d173b\\U0001bca0c");
	/*
	 * Fifteenth pass, second round: a browser hides the soft hyphen, so
	 * "NET_" U+00AD "ADMIN" was shown as NET_ADMIN in --html pages ("unknown
	 * capability CAP_NET_ADMIN"); the Hangul fillers draw a blank (a name
	 * that looks empty); U+034F, U+17B4, U+17B5 nothing; U+FFF0..U+FFF8 are
	 * reserved as ignorable.
	 */
	ESC_EQ("NET_\xc2\xad"
	       "ADMIN",
	       "NET_\\u00adADMIN");
	ESC_EQ("\xe3\x85\xa4\xef\xbe\xa0\xe1\x85\x9f\xe1\x85\xa0"
	       "a\xcd\x8f"
	       "b\xe1\x9e\xb4\xe1\x9e\xb5\xef\xbf\xb0\xef\xbf\xb8",
	       "\\u3164\\uffa0\\u115f\\u1160a\\u034fb\\u17b4\\u17b5\\ufff0\\ufff8");
	/* ... but not their neighbours U+00AC, U+00AE and U+3165. */
	ESC_EQ("\xc2\xac\xc2\xae\xe3\x85\xa5", "\xc2\xac\xc2\xae\xe3\x85\xa5");
	/* Combining marks stay. */
	ESC_EQ("e\xcc\x81", "e\xcc\x81");
	/* Nineteenth pass: U+2065 (reserved, ignorable) between the isolates. */
	ESC_EQ("a\xe2\x81\xa5", "a\\u2065");
}

/*
 * Nineteenth pass: the joiners and the variation selectors draw nothing
 * beside ASCII, so "web" U+200D looked like "web" and "NET_ADMIN" U+FE0F
 * like NET_ADMIN in every table. Kept only where scripts and emoji need
 * them: a joiner between two characters that show, a selector after one.
 */
static void joiners_in_context(void **state)
{
	(void)state;
	ESC_EQ("web\xe2\x80\x8d", "web\\u200d");
	ESC_EQ("\xe2\x80\x8dweb", "\\u200dweb");
	ESC_EQ("a\xe2\x80\x8d"
	       "b\xe2\x80\x8c"
	       "c",
	       "a\\u200db\\u200cc");
	ESC_EQ("NET_ADMIN\xef\xb8\x8f", "NET_ADMIN\\ufe0f");
	ESC_EQ("x\xf3\xa0\x84\x80", "x\\U000e0100"); /* a supplementary selector */
	ESC_EQ("\xe1\xa0\x8b", "\\u180b");	     /* a selector alone */
	/* Two joiners: neither has a character that shows on both sides. */
	ESC_EQ("\xc3\xa9\xe2\x80\x8d\xe2\x80\x8d\xc3\xa9", "\xc3\xa9\\u200d\\u200d\xc3\xa9");
	/* A joiner beside a hidden character is escaped with it. */
	ESC_EQ("\xc3\xa9\xe2\x80\x8d\xe2\x80\x8b", "\xc3\xa9\\u200d\\u200b");
	/* Kept: emoji sequences (man ZWJ woman; heart U+FE0F ZWJ fire), the
	 * Devanagari conjunct (KA VIRAMA ZWJ SSA), Persian's ZWNJ, a heart's
	 * selector at the end. */
	const char *keep[] = {
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9",
	    "\xe2\x9d\xa4\xef\xb8\x8f\xe2\x80\x8d\xf0\x9f\x94\xa5",
	    "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7",
	    "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85",
	    "\xe2\x9d\xa4\xef\xb8\x8f"};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		ESC_EQ(keep[i], keep[i]);
	/* A selector after ASCII before a joiner: both escaped. */
	ESC_EQ("a\xef\xb8\x8f\xe2\x80\x8d\xc3\xa9", "a\\ufe0f\\u200d\xc3\xa9");
	assert_false(cs_text_is_safe("web\xe2\x80\x8d"));

	/* Written in 4 KiB pieces: a joiner at a piece's end is judged by the
	 * character after it, in the next piece (as the whole text). */
	char *src = malloc(8192), *got = NULL, *want;
	size_t len = 0;
	FILE *f = open_memstream(&got, &len);

	assert_non_null(src);
	assert_non_null(f);
	memset(src, 'a', 8192);
	memcpy(src + 4096 - 5, "\xc3\xa9\xe2\x80\x8d", 5); /* é ZWJ | a */
	src[8191] = '\0';
	cs_escape_write(f, src);
	assert_int_equal(fclose(f), 0);
	assert_non_null(want = cs_escape_dup(src));
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "\xc3\xa9\\u200da"));
	free(src);
	free(want);
	free(got);
}

static void invalid_utf8_escaped(void **state)
{
	(void)state;
	ESC_EQ("\xff\xfe", "\\xff\\xfe");
	ESC_EQ("\xc0\x80", "\\xc0\\x80");		    /* overlong NUL */
	ESC_EQ("\xed\xa0\x80", "\\xed\\xa0\\x80");	    /* surrogate */
	ESC_EQ("\xe2\x80", "\\xe2\\x80");		    /* truncated */
	ESC_EQ("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
}

static void cut_on_whole_escape(void **state)
{
	char buf[6];
	size_t need;

	(void)state;
	need = cs_escape_text("ab\ncd", 5, buf, sizeof(buf));
	assert_int_equal(need, 6);
	assert_string_equal(buf, "ab\\nc");
	need = cs_escape_text("a\x1b", 2, buf, 4);
	assert_int_equal(need, 5);
	assert_string_equal(buf, "a");
	/* Embedded NUL bytes counted by length are escaped, never cut the text. */
	char big[16];
	need = cs_escape_text("a\0b", 3, big, sizeof(big));
	assert_int_equal(need, 6);
	assert_string_equal(big, "a\\x00b");
}

static void diag_context_wraps(void **state)
{
	struct cs_diag d = {0};
	char buf[512];
	int r;

	(void)state;
	cs_diag_set(&d, EINVAL, 3, 7, "spec.containers", "not a list");
	r = cs_diag_context(&d, EINVAL, "reading pod %s", "web");
	assert_int_equal(r, -EINVAL);
	cs_diag_file(&d, "pod.yaml");
	cs_diag_file(&d, "other.yaml"); /* the innermost reader's name stays */
	assert_string_equal(cs_diag_format(&d, buf, sizeof(buf)),
			    "pod.yaml:3:7: spec.containers: reading pod web: not a list");
	assert_int_equal(cs_diag_context(NULL, -ENOENT, "x"), -ENOENT);
}

/* Twelfth pass: a message longer than the field was cut silently, mid-word. */
static void diag_cut_says_so(void **state)
{
	struct cs_diag d = {0};
	char long_text[400];

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	memcpy(long_text + 251, "\xc3\xa9", 2); /* é across the cut at 252 */
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "%s", long_text);
	/* Nineteenth pass: cut in its middle, both ends kept ("x...x"). */
	assert_int_equal(strlen(d.message), 255);
	assert_non_null(strstr(d.message, "x...x"));
	assert_int_equal(d.message[254], 'x');
	long_text[125] = '\xc3'; /* é across the head's cut at 126 */
	long_text[126] = '\xa9';
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "%s", long_text);
	assert_int_equal(strlen(d.message), 255);
	assert_memory_equal(d.message + 125, "...", 3); /* é dropped whole */
	memset(long_text + 125, 'x', 2);
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "short");
	cs_diag_context(&d, EINVAL, "%s", long_text + 100);
	/* The context is cut (in its middle, marked), the message kept: it
	 * says what is wrong (eighteenth pass; the context's end was kept). */
	assert_string_equal(d.message + strlen(d.message) - 7, ": short");
	assert_non_null(strstr(d.message, "x...x"));
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "%.255s", long_text); /* fits exactly */
	assert_int_equal(strlen(d.message), 255);
	assert_int_equal(d.message[254], 'x');
}

/*
 * Thirteenth pass, second round: the field (160 bytes), the file (256) and
 * the formatted line were cut silently: an annotation's long key read as
 * another key, a webhook's Status message ended mid-word at 400 bytes.
 */
static void diag_field_file_line_cut(void **state)
{
	struct cs_diag d = {0};
	char long_text[400], buf[200];

	(void)state;
	memset(long_text, 'k', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	long_text[398] = 'z'; /* the field's last byte */
	cs_diag_set(&d, EINVAL, 1, 2, long_text, "bad");
	assert_int_equal(strlen(d.field), sizeof(d.field) - 1);
	/* Nineteenth pass: both ends of the field (its last key) kept. */
	assert_non_null(strstr(d.field, "k...k"));
	assert_int_equal(d.field[sizeof(d.field) - 2], 'z');
	long_text[398] = 'k';
	cs_diag_set(&d, EINVAL, 1, 2, long_text + 400 - 160, "bad"); /* 159: fits */
	assert_int_equal(d.field[158], 'k');
	cs_diag_file(&d, long_text);
	assert_int_equal(strlen(d.file), sizeof(d.file) - 1);
	assert_non_null(strstr(d.file, "k...k"));
	cs_diag_format(&d, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_string_equal(buf + sizeof(buf) - 4, "...");
	d = (struct cs_diag){0};
	cs_diag_file(&d, "t.yaml");
	cs_diag_set(&d, EINVAL, 3, 4, "f", "m");
	assert_string_equal(cs_diag_format(&d, buf, sizeof(buf)), "t.yaml:3:4: f: m");
}

/* A table cell: the rule, then a space as \x20 and other blanks as \uNNNN. */
static void cell_blanks_escaped(void **state)
{
	char *c = cs_escape_cell_dup("a  b\xc2\xa0"
				     "c\xe3\x80\x80"
				     "d\te\xc3\xa9");

	(void)state;
	assert_non_null(c);
	assert_string_equal(c, "a\\x20\\x20b\\u00a0c\\u3000d\\te\xc3\xa9");
	free(c);
}

/* A list item with text after it: the cell rule and the list's own marks
 * (a capability "X] drop [ALL" forged "add [X] drop [ALL] drop []"). */
static void item_marks_escaped(void **state)
{
	char *c = cs_escape_item_dup("X] drop [ALL,Y\\", ",]"), *d = cs_escape_item_dup("x\xc2\xa0"
											"CAP",
											",");

	(void)state;
	assert_string_equal(c, "X\\x5d\\x20drop\\x20[ALL\\x2cY\\\\");
	assert_string_equal(d, "x\\u00a0CAP");
	free(c);
	free(d);
}

/* A message's cut: on a character boundary, and never back over bytes that
 * are no character (100 stray continuation bytes were cut to nothing). */
static void cut_keeps_stray_bytes(void **state)
{
	char stray[100];

	(void)state;
	memset(stray, 0x80, sizeof(stray));
	assert_int_equal(cs_text_cut(stray, sizeof(stray), 40), 40);
	assert_int_equal(cs_text_cut("ab\xc3\xa9", 4, 3), 2);
	assert_int_equal(cs_text_cut("a\xe2\x82\xac", 4, 3), 1);
	assert_int_equal(cs_text_cut("\xf0\x9f\x98\x80x", 5, 3), 0);
	assert_int_equal(cs_text_cut("\xf0\x9f\x98\x80x", 5, 4), 4);
	assert_int_equal(cs_text_cut("a\x80\x80\x80\x80", 5, 3), 3);
}

/* Snippet quoting: exact in its language, and terminal-safe. */
static void snippet_quoting(void **state)
{
	char *sh = cs_quote_shell_dup("/x; rm 'y'"), *sh2 = cs_quote_shell_dup("a\x1b"),
	     *js = cs_quote_json_dup("a\"b\xe2\x80\xae"),
	     *ym = cs_quote_yaml_dup("c\": x #\xc2\x9b");

	(void)state;
	assert_string_equal(sh, "'/x; rm '\\''y'\\'''");
	assert_string_equal(sh2, "$'a\\x1b'");
	assert_string_equal(js, "\"a\\\"b\\u202e\"");
	assert_string_equal(ym, "\"c\\\": x #\\u009b\"");
	free(sh);
	free(sh2);
	free(js);
	free(ym);
}

/*
 * A name as a word of the library's prose (lib/word.c): quoted when it is
 * not plain, its own quotes doubled, no backslash (the sentence is escaped
 * once where it is printed); a list of words read back whole.
 */
#define WORD_EQ(in, q, want)                                                                       \
	do {                                                                                       \
		char *w_ = cs_word_dup((in), (q));                                                 \
		assert_non_null(w_);                                                               \
		assert_string_equal(w_, (want));                                                   \
		free(w_);                                                                          \
	} while (0)

static void words_quoted(void **state)
{
	const char *v[] = {"NET_ADMIN", "X] drop [ALL", "A,SYS_ADMIN", "q\"x", ""};
	char *j, list[40] = "";

	(void)state;
	WORD_EQ("CAP_NET_ADMIN", '"', "CAP_NET_ADMIN");
	WORD_EQ("/usr/bin/x-1.2", '"', "/usr/bin/x-1.2");
	WORD_EQ("X] drop [ALL", '"', "\"X] drop [ALL\"");
	WORD_EQ("a\xc2\xa0"
		"b",
		'"',
		"\"a\xc2\xa0"
		"b\"");					    /* NBSP: a blank */
	WORD_EQ("a\xef\xbc\xbd", '"', "\"a\xef\xbc\xbd\""); /* U+FF3D looks like ']' */
	WORD_EQ("x: y", '"', "\"x: y\"");
	WORD_EQ("\"", '"', "\"\"\"\"");
	WORD_EQ("it's", '\'', "'it''s'");
	WORD_EQ(NULL, '"', "\"\"");
	WORD_EQ("", '"', "\"\"");
	j = cs_words_join(v, 5);
	assert_non_null(j);
	assert_string_equal(j, "NET_ADMIN,\"X] drop [ALL\",\"A,SYS_ADMIN\",\"q\"\"x\",\"\"");
	free(j);
	j = cs_quoted_inner_dup("a'b''", '\'');
	assert_string_equal(j, "a''b''''");
	free(j);
	/* A list of words: a quoted one holding ", " is one name, read whole. */
	cs_word_list_add(list, sizeof(list), "X, NET_RAW");
	cs_word_list_add(list, sizeof(list), "NET_RAW\"");
	cs_word_list_add(list, sizeof(list), "X, NET_RAW");
	assert_string_equal(list, "\"X, NET_RAW\", \"NET_RAW\"\"\"");
	assert_false(cs_word_list_has(list, "NET_RAW"));
	assert_false(cs_word_list_has(list, "X"));
	assert_true(cs_word_list_has(list, "\"X, NET_RAW\""));
	assert_true(cs_word_list_has(list, "\"NET_RAW\"\"\""));
	/* Full: ", ..." and nothing after it, no name cut in half. */
	cs_word_list_add(list, sizeof(list), "ABCDEFGHIJKL");
	assert_string_equal(list, "\"X, NET_RAW\", \"NET_RAW\"\"\", ...");
	cs_word_list_add(list, sizeof(list), "A");
	assert_string_equal(list, "\"X, NET_RAW\", \"NET_RAW\"\"\", ...");
}

/* A value among several in a message: cut to its share, head and tail kept,
 * each on a character (lib/diag.c). */
static void clip_mid_keeps_both_ends(void **state)
{
	char buf[16], v[64];

	(void)state;
	assert_string_equal(cs_clip_mid(buf, sizeof(buf), "/short"), "/short");
	assert_string_equal(cs_clip_mid(buf, sizeof(buf), "/system.slice/docker-abcdef.scope"),
			    "/syste....scope");
	/* "é" (2 bytes) across either cut is left out whole, never halved. */
	snprintf(v, sizeof(v),
		 "/aaaaa\xc3\xa9zzzzzzzzzzzzzzzz\xc3\xa9"
		 "bbbbb");
	assert_string_equal(cs_clip_mid(buf, sizeof(buf), v), "/aaaaa...bbbbb");
}

/* Context put in front of a message keeps the message's end, its reason
 * (eighteenth pass: cs_diag_context cut the joined text at its end). */
static void context_keeps_the_reason(void **state)
{
	struct cs_diag d = {0};
	char name[300], want[64];
	size_t n;

	(void)state;
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "short");
	cs_diag_context(&d, EINVAL, "reading %s", "f");
	assert_string_equal(d.message, "reading f: short");
	memset(name, 'L', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "%.*s: the reason", 200, name);
	cs_diag_context(&d, EINVAL, "layer 0 (%s)", name);
	n = strlen(d.message);
	assert_true(n <= sizeof(d.message) - 1);
	snprintf(want, sizeof(want), "L: the reason");
	assert_string_equal(d.message + n - strlen(want), want);
	assert_memory_equal(d.message, "layer 0 (LLL", 12);
	assert_non_null(strstr(d.message, "..."));
}

/*
 * Nineteenth pass: one message whose own text (not a context put in front)
 * is longer than the field was cut at its end, where its reason is: a
 * 5,000-byte file name quoted first left "cannot open 'NNN..." and nothing
 * of why. Now its head and its end, "..." between, also for a step's
 * sentence and for a 5,000-byte field name (its last key is the wrong one).
 */
static void long_message_keeps_both_ends(void **state)
{
	struct cs_diag d = {0};
	struct cs_steps st = {0};
	char *name = malloc(5001);

	(void)state;
	assert_non_null(name);
	memset(name, 'N', 5000);
	name[5000] = '\0';
	cs_diag_set(&d, ENOENT, 0, 0, NULL, "cannot open '%s': the reason", name);
	assert_int_equal(strlen(d.message), sizeof(d.message) - 1);
	assert_memory_equal(d.message, "cannot open 'NNN", 16);
	assert_string_equal(d.message + strlen(d.message) - 13, "': the reason");
	assert_non_null(strstr(d.message, "N...N"));
	memcpy(name + 4990, ".lastKey", 9);
	cs_diag_set(&d, EINVAL, 1, 1, name, "unknown field");
	assert_int_equal(strlen(d.field), sizeof(d.field) - 1);
	assert_memory_equal(d.field, "NNN", 3);
	assert_string_equal(d.field + strlen(d.field) - 8, ".lastKey");
	cs_steps_add(&st, "execve", "execve.resolve", "'%s' cannot be executed: ENOENT", name);
	assert_int_equal(st.n, 1);
	assert_int_equal(strlen(st.v[0].detail), sizeof(st.v[0].detail) - 1);
	assert_string_equal(st.v[0].detail + strlen(st.v[0].detail) - 36,
			    ".lastKey' cannot be executed: ENOENT");
	cs_steps_free(&st);
	free(name);
}

/* A message's quoted values have their quote doubled (lib/msg-format.c);
 * every other conversion prints as printf prints it. */
static void message_quotes_doubled(void **state)
{
	struct cs_diag d = {0};
	char want[256];

	(void)state;
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "no such user '%s' in %s, \"%s\"", "sa'id 'x", "f'",
		    "a\"b");
	assert_string_equal(d.message, "no such user 'sa''id ''x' in f', \"a\"\"b\"");
	cs_diag_set(&d, EINVAL, 0, 0, NULL, "'%.*s%s'", 3, "a'bcdef", "...");
	assert_string_equal(d.message, "'a''b...'");
	cs_diag_set(&d, EINVAL, 0, 0, NULL,
		    "%d %ld %lld %zu %x %c %.2f %% %5s|%-5s|%.*s|%*d|%u|%lu|%hhu|%05d", -3, -4L,
		    -5LL, (size_t)6, 255u, 'z', 1.5, "ab", "cd", 2, "xyz", 4, 7, 8u, 9UL,
		    (unsigned char)10, 11);
	snprintf(want, sizeof(want),
		 "%d %ld %lld %zu %x %c %.2f %% %5s|%-5s|%.*s|%*d|%u|%lu|%hhu|%05d", -3, -4L, -5LL,
		 (size_t)6, 255u, 'z', 1.5, "ab", "cd", 2, "xyz", 4, 7, 8u, 9UL, (unsigned char)10,
		 11);
	assert_string_equal(d.message, want);
}

/* cs_vformat_quoted of a format it is given at run time: the conversions
 * -Wformat would refuse in a literal (%n, %1$s) as well. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *fq(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = cs_vformat_quoted(fmt, ap);
	va_end(ap);
	return s;
}
#pragma GCC diagnostic pop

static void want_fq(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/*
 * Every conversion C11 and glibc define: printed as snprintf prints it, or
 * refused (NULL, EINVAL). The sixteenth pass's formatter read %t's
 * ptrdiff_t as an int (the next argument then read the wrong bytes) and
 * %ls's wide string as bytes (L"ab" printed "a").
 */
static void message_conversions(void **state)
{
	char want[256], *wide;
	ptrdiff_t t = (ptrdiff_t)1 << 40;
	long double ld = 2.5L;
	int n = 0;

	(void)state;
	snprintf(want, sizeof(want), "%td|%s", t, "next");
	want_fq(fq("%td|%s", t, "next"), want);
	want_fq(fq("%ls|'%ls'|%lc", L"ab", L"x'y", (wint_t)L'z'), "ab|'x''y'|z");
	want_fq(fq("'%c' \"%c\" %c", '\'', '"', '\''), "'''' \"\"\"\" '");
	snprintf(want, sizeof(want), "%Lg|%.3Lf|%jd|%ju|%zd|%hd|%hhx|%lld|%'d", ld, ld,
		 (intmax_t)-7, (uintmax_t)8, (ssize_t)-9, (short)10, (unsigned char)255, 11LL,
		 12345);
	want_fq(fq("%Lg|%.3Lf|%jd|%ju|%zd|%hd|%hhx|%qd|%'d", ld, ld, (intmax_t)-7, (uintmax_t)8,
		   (ssize_t)-9, (short)10, (unsigned char)255, 11LL, 12345),
		want);
	/* A negative * width is the '-' flag; a width past any buffer is whole. */
	want_fq(fq("[%*s]", -4, "ab"), "[ab  ]");
	snprintf(want, sizeof(want), "%200d", 5);
	want_fq(fq("%200d", 5), want);
	wide = fq("%700d|", 5);
	assert_non_null(wide);
	assert_int_equal(strlen(wide), 701);
	free(wide);
	errno = ENOENT;
	want_fq(fq("%m: '%s'", "a'b"), "No such file or directory: 'a''b'");
	/* Refused, never misread: %n writes through a pointer, a positional
	 * argument would be read out of order, an unknown letter or length. */
	errno = 0;
	assert_null(fq("x%n", &n));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(n, 0);
	assert_null(fq("%1$s", "a"));
	assert_null(fq("%y", 1));
	assert_null(fq("%Ls", "a"));
	assert_null(fq("%lp", (void *)0));
	assert_null(fq("%5", 1));
}

/* Written in 4 KiB pieces cut on a character: the same bytes as the whole
 * escaped at once, with a multi-byte character and an ESC on each cut. */
static void escape_write_in_pieces(void **state)
{
	(void)state;
	char *src = malloc(3 * 4096 + 64), *want, *got = NULL;
	size_t n = 0, len = 0;

	assert_non_null(src);
	for (int k = 0; k < 3; k++) {
		while (n < (size_t)(k + 1) * 4096 - 2) {
			src[n] = (n % 97) ? 'a' : '\x1b';
			n++;
		}
		memcpy(src + n, "\xe2\x80\xae\x1b", 4); /* U+202E over the cut, then ESC */
		n += 4;
	}
	src[n] = '\0';
	FILE *f = open_memstream(&got, &len);

	assert_non_null(f);
	cs_escape_write(f, src);
	cs_escape_write(f, NULL);
	assert_int_equal(fclose(f), 0);
	assert_non_null(want = cs_escape_dup(src));
	assert_string_equal(got, want);
	free(src);
	free(want);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(diag_field_file_line_cut),
	    cmocka_unit_test(cell_blanks_escaped),
	    cmocka_unit_test(item_marks_escaped),
	    cmocka_unit_test(cut_keeps_stray_bytes),
	    cmocka_unit_test(snippet_quoting),
	    cmocka_unit_test(plain_text_unchanged),
	    cmocka_unit_test(controls_escaped),
	    cmocka_unit_test(unicode_controls_escaped),
	    cmocka_unit_test(joiners_in_context),
	    cmocka_unit_test(invalid_utf8_escaped),
	    cmocka_unit_test(cut_on_whole_escape),
	    cmocka_unit_test(diag_context_wraps),
	    cmocka_unit_test(diag_cut_says_so),
	    cmocka_unit_test(words_quoted),
	    cmocka_unit_test(clip_mid_keeps_both_ends),
	    cmocka_unit_test(context_keeps_the_reason),
	    cmocka_unit_test(long_message_keeps_both_ends),
	    cmocka_unit_test(message_quotes_doubled),
	    cmocka_unit_test(message_conversions),
	    cmocka_unit_test(escape_write_in_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
