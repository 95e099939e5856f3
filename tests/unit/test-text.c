/* SPDX-License-Identifier: MIT */
#include "cmocka-wrap.h"

#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <wchar.h>

#include "capscope/text-table.h"
#include "capscope/text.h"
#include "../lib/libcap-oracle.h"

#define HEX(s, m) cs_mask_parse_hex(s, strlen(s), m, &d)

static void hex_masks(void **state)
{
	struct cs_diag d;
	cs_mask_t m;

	(void)state;
	assert_int_equal(HEX("0000003fffffffff", &m), 0);
	assert_int_equal(m, 0x3fffffffffULL);
	assert_int_equal(HEX("0x400", &m), 0);
	assert_int_equal(m, 0x400);
	assert_int_equal(HEX("0X5C0", &m), 0);
	assert_int_equal(m, 0x5c0);
	assert_int_equal(HEX("ffffffffffffffff", &m), 0);
	assert_int_equal(m, ~0ULL);
	/* Leading zeros do not count against the 64 bits. */
	assert_int_equal(HEX("00000000000000000000000000000001", &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(HEX("10000000000000000", &m), -ERANGE);
	assert_int_equal(HEX("0x1ffffffffffffffff", &m), -ERANGE);
	assert_int_equal(HEX("", &m), -EINVAL);
	assert_int_equal(HEX("0x", &m), -EINVAL);
	assert_int_equal(HEX(" 400", &m), -EINVAL);
	assert_int_equal(HEX("400 ", &m), -EINVAL);
	assert_int_equal(HEX("-1", &m), -EINVAL);
	assert_int_equal(HEX("zz", &m), -EINVAL);
	assert_int_equal(d.column, 1);
	assert_int_equal(HEX("12g4", &m), -EINVAL);
	assert_int_equal(d.column, 3);
	assert_int_equal(cs_mask_parse_hex(NULL, 0, &m, NULL), -EINVAL);
}

static void hex_huge(void **state)
{
	/* A very long string of zeros then a 1: no overflow, no quadratic work. */
	size_t n = 64u << 20;
	char *s = malloc(n);
	cs_mask_t m;

	(void)state;
	assert_non_null(s);
	memset(s, '0', n);
	s[n - 1] = '1';
	assert_int_equal(cs_mask_parse_hex(s, n, &m, NULL), 0);
	assert_int_equal(m, 1);
	memset(s, 'f', n);
	assert_int_equal(cs_mask_parse_hex(s, n, &m, NULL), -ERANGE);
	free(s);
}

/* Compare with libcap: same verdict, same sets. */
static void check_against_libcap(const char *text)
{
	struct cs_iep iep;
	struct cs_diag d;
	int mine = cs_text_parse(text, strlen(text), &iep, &d);
	cap_t theirs = cap_from_text(text);

	if ((mine == 0) != (theirs != NULL))
		fail_msg("'%s': capscope %s, libcap %s", text, mine ? "rejects" : "accepts",
			 theirs ? "accepts" : "rejects");
	if (theirs) {
		assert_int_equal(iep.eff, libcap_set(theirs, CAP_EFFECTIVE));
		assert_int_equal(iep.prm, libcap_set(theirs, CAP_PERMITTED));
		assert_int_equal(iep.inh, libcap_set(theirs, CAP_INHERITABLE));
		cap_free(theirs);
	}
}

static void grammar_examples(void **state)
{
	static const char *const texts[] = {
	    "",
	    "   ",
	    "=",
	    "=ep",
	    "all=eip",
	    "ALL=eip",
	    "all+e",
	    "cap_net_raw+ep",
	    "CAP_NET_RAW+EP",
	    "cap_net_raw+Ep",
	    "cap_chown,cap_kill=ep cap_kill-e",
	    "=ep cap_chown-e",
	    "cap_chown=+e",
	    "cap_chown=-e",
	    "=+e",
	    "=-e",
	    "+e",
	    "-e",
	    "cap_chown+",
	    "cap_chown-",
	    "cap_chown",
	    "cap_chown,",
	    "cap_chown,,cap_kill+e",
	    "cap_chown=e+p-i",
	    "cap_chown=e+",
	    "cap_chown+e+p",
	    "cap_chown+x",
	    "41+ep",
	    "63+ep",
	    "64+ep",
	    "0x2a+p",
	    "010+p",
	    "09+p",
	    "0x+p",
	    "00+i",
	    "99999999999999999999999+e",
	    "cap_chown2+e",
	    "cap_41+e",
	    "cap_net_bind_service=eip\tcap_kill=p\n",
	    "cap_chown=e cap_chown=p",
	    "cap_chown =e",
	    "= cap_chown+e",
	    "all-e",
	    "cap_chown,all=i",
	    "allx=e",
	    "chown+e",
	    "_+e",
	    "cap_chown=ee",
	    "cap_setpcap,cap_setuid,cap_setgid,cap_net_bind_service+eip",
	    "cap_checkpoint_restore,cap_bpf,cap_perfmon+p",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_against_libcap(texts[i]);
}

static void grammar_random(void **state)
{
	/* Random strings over the grammar's alphabet, seeded for repeatability. */
	static const char *const atoms[] = {
	    "cap_chown", "cap_kill", "all", "CAP_NET_RAW", "41", "0x3f",    ",",  "=",	"+", "-",
	    "e",	 "i",	     "p",   " ",	   "x",	 "cap_bpf", "07", "\t", "_"};
	char buf[256];

	(void)state;
	srandom(4242);
	for (int n = 0; n < 20000; n++) {
		size_t len = 0;
		int k = (int)(random() % 8) + 1;

		buf[0] = '\0';
		for (int a = 0; a < k; a++) {
			const char *t = atoms[random() % (sizeof(atoms) / sizeof(atoms[0]))];

			if (len + strlen(t) + 1 >= sizeof(buf))
				break;
			strcpy(buf + len, t);
			len += strlen(t);
		}
		check_against_libcap(buf);
	}
}

static void grammar_error_column(void **state)
{
	struct cs_iep iep;
	struct cs_diag d;

	(void)state;
	assert_int_equal(cs_text_parse("cap_chown+ep cap_bogus+e", 24, &iep, &d), -EINVAL);
	assert_int_equal(d.column, 14);
	assert_non_null(strstr(d.message, "unknown"));
	assert_int_equal(cs_text_parse("cap_chown+q", 11, &iep, &d), -EINVAL);
	assert_int_equal(d.column, 11);
	/* An embedded NUL is an error, not an early end. */
	assert_int_equal(cs_text_parse("cap_chown+e\0cap_kill+e", 22, &iep, &d), -EINVAL);
}

static void format_like_libcap(void **state)
{
	struct cs_iep iep = {.inh = 0, .prm = CS_BIT(12) | CS_BIT(13), .eff = 0};
	char *t;

	(void)state;
	t = cs_text_format(&iep);
	assert_string_equal(t, "cap_net_admin,cap_net_raw=p");
	free(t);
	iep.eff = iep.prm;
	t = cs_text_format(&iep);
	assert_string_equal(t, "cap_net_admin,cap_net_raw=ep");
	free(t);
	iep = (struct cs_iep){cs_mask_all(), cs_mask_all(), cs_mask_all()};
	t = cs_text_format(&iep);
	assert_string_equal(t, "=eip");
	free(t);
	iep = (struct cs_iep){0, CS_BIT(41) | 1, CS_BIT(41) | 1};
	t = cs_text_format(&iep);
	assert_string_equal(t, "cap_chown=ep 41+ep");
	free(t);
}

static void name_lists(void **state)
{
	char buf[1024];
	cs_mask_t m;
	struct cs_diag d;

	(void)state;
	cs_mask_format_names(0x5c0, CS_NAMES_CAPSH, buf, sizeof(buf));
	assert_string_equal(buf, "cap_setgid,cap_setuid,cap_setpcap,cap_net_bind_service");
	cs_mask_format_names(CS_BIT(10) | CS_BIT(41), CS_NAMES_CAPSH, buf, sizeof(buf));
	assert_string_equal(buf, "cap_net_bind_service,41");
	cs_mask_format_names(CS_BIT(10) | CS_BIT(41), CS_NAMES_OCI, buf, sizeof(buf));
	assert_string_equal(buf, "CAP_NET_BIND_SERVICE,CAP_41");
	cs_mask_format_names(CS_BIT(10) | CS_BIT(41), CS_NAMES_K8S, buf, sizeof(buf));
	assert_string_equal(buf, "NET_BIND_SERVICE,CAP_41");
	cs_mask_format_names(CS_BIT(10) | CS_BIT(63), CS_NAMES_LOWER, buf, sizeof(buf));
	assert_string_equal(buf, "cap_net_bind_service,cap_63");
	cs_mask_format_names(0, CS_NAMES_LOWER, buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* Truncation reports the full length, like snprintf, and stays terminated. */
	assert_int_equal(cs_mask_format_names(0x5c0, CS_NAMES_CAPSH, buf, 5), 54);
	assert_string_equal(buf, "cap_");
	/* The full 64-bit mask, without a buffer. */
	assert_true(cs_mask_format_names(~0ULL, CS_NAMES_OCI, NULL, 0) > 600);

	assert_int_equal(cs_names_parse("NET_BIND_SERVICE, cap_net_raw 41", 32, &m, &d), 0);
	assert_int_equal(m, CS_BIT(10) | CS_BIT(13) | CS_BIT(41));
	assert_int_equal(cs_names_parse("", 0, &m, &d), 0);
	assert_int_equal(m, 0);
	assert_int_equal(cs_names_parse("   ", 3, &m, &d), 0);
	assert_int_equal(m, 0);
	/* a comma with no name on one side is a name left out, not a shorter list */
	assert_int_equal(cs_names_parse("  ,, ", 5, &m, &d), -EINVAL);
	assert_int_equal(d.column, 3);
	assert_int_equal(cs_names_parse("CHOWN,,KILL", 11, &m, &d), -EINVAL);
	assert_int_equal(d.column, 7);
	assert_int_equal(cs_names_parse("CHOWN, ,KILL", 12, &m, &d), -EINVAL);
	assert_int_equal(cs_names_parse("CHOWN,", 6, &m, &d), -EINVAL);
	assert_int_equal(d.column, 6);
	assert_int_equal(cs_names_parse("CHOWN , KILL,NET_RAW", 20, &m, &d), 0);
	assert_int_equal(m, CS_BIT(0) | CS_BIT(5) | CS_BIT(13));
	cs_cap_last_override(40);
	assert_int_equal(cs_names_parse("ALL", 3, &m, &d), 0);
	assert_int_equal(m, 0x1ffffffffffULL);
	cs_cap_last_override(-1);
	assert_int_equal(cs_names_parse("CHOWN,BOGUS", 11, &m, &d), -EINVAL);
	assert_int_equal(d.column, 7);
	assert_int_equal(cs_names_parse("cap_64", 6, &m, &d), -EINVAL);
}

static void joining(void **state)
{
	const char *v[] = {"CHOWN", "", "NET_RAW"};
	char *j;

	(void)state;
	j = cs_join(NULL, v, 3, ",");
	assert_string_equal(j, "CHOWN,,NET_RAW");
	free(j);
	j = cs_join("capscope: ", v, 1, "; ");
	assert_string_equal(j, "capscope: CHOWN");
	free(j);
	j = cs_join(NULL, v, 0, ",");
	assert_string_equal(j, "");
	free(j);
	j = cs_join("p", v + 2, 1, "");
	assert_string_equal(j, "pNET_RAW");
	free(j);
}

/*
 * One cell far wider than the rest must not widen every row: 1,000 short
 * rows and one 10,000-character path printed ~10 MB (each row padded to
 * it); now each short row stays short and the long one stands alone.
 */
static void table_long_cell(void **state)
{
	const char *row[3] = {"a", "b", "c"};
	struct cs_table t;
	char *big = malloc(10001), *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_non_null(big);
	assert_non_null(f);
	memset(big, 'x', 10000);
	big[10000] = '\0';
	cs_table_init(&t, 3);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cs_table_add(&t, row), 0);
	row[0] = big;
	assert_int_equal(cs_table_add(&t, row), 0);
	row[0] = "abc";
	assert_int_equal(cs_table_add(&t, row), 0);
	cs_table_print(&t, f, NULL);
	fclose(f);
	/* "a    b  c": the column is as wide as its widest short cell ("abc"). */
	assert_memory_equal(out, "a    b  c\n", 10);
	assert_memory_equal(out + 1000 * 10 + 10000, "  b  c\nabc  b  c\n", 17);
	assert_int_equal(len, 1000 * 10 + 10000 + 7 + 10);
	cs_table_free(&t);
	free(out);
	free(big);
}

/*
 * Twenty-first pass: the columns of a character are glibc's wcwidth() in a
 * UTF-8 locale, for every code point wcwidth() knows (the table is made
 * from Python's unicodedata; both are Unicode 14 here). Where the C.UTF-8
 * locale is missing the oracle is, and only the spot checks run.
 */
static void width_is_wcwidth(void **state)
{
	locale_t u = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), old;
	size_t known = 0;

	(void)state;
	assert_int_equal(cs_cp_width(0x4e00), 2);
	assert_int_equal(cs_cp_width(0xff21), 2);
	assert_int_equal(cs_cp_width(0x1f600), 2);
	assert_int_equal(cs_cp_width(0x0301), 0);
	assert_int_equal(cs_cp_width(0x200d), 0);
	assert_int_equal(cs_cp_width(0x1161), 0);
	assert_int_equal(cs_cp_width(0x00ad), 1);
	assert_int_equal(cs_cp_width(0x2fffd), 2); /* unassigned, a wide block */
	assert_int_equal(cs_cp_width('a'), 1);
	assert_int_equal(cs_cp_width('\t'), 0);
	if (!u)
		return;
	old = uselocale(u);
	for (uint32_t c = 0xa0; c <= 0x10ffff; c++) {
		int w = wcwidth((wchar_t)c);

		if (w < 0 || (c >= 0xd800 && c <= 0xdfff))
			continue;
		known++;
		if ((int)cs_cp_width(c) != w)
			fail_msg("U+%04X: %u columns, wcwidth says %d", (unsigned)c, cs_cp_width(c),
				 w);
	}
	uselocale(old);
	freelocale(u);
	assert_true(known > 250000);
}

/* A cell is padded to the columns it shows, not its code points. */
static void table_wide_cells(void **state)
{
	const char *rows[][3] = {{"NAME", "UID", "X"},
				 {"\xe6\xbc\xa2\xe5\xad\x97", "0", "x"}, /* two CJK: 4 columns */
				 {"e\xcc\x81"
				  "e\xcc\x81",
				  "1", "y"}, /* e and U+0301 twice: 2 */
				 {"abcde", "2", "z"}};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct cs_table t;

	(void)state;
	assert_non_null(f);
	assert_int_equal(cs_text_width("\xf0\x9f\x98\x80x\xff", 6), 4); /* emoji, x, a bad byte */
	cs_table_init(&t, 3);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(cs_table_add(&t, rows[i]), 0);
	cs_table_print(&t, f, NULL);
	fclose(f);
	assert_string_equal(out, "NAME   UID  X\n"
				 "\xe6\xbc\xa2\xe5\xad\x97   0    x\n"
				 "e\xcc\x81"
				 "e\xcc\x81     1    y\n"
				 "abcde  2    z\n");
	cs_table_free(&t);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hex_masks),
	    cmocka_unit_test(width_is_wcwidth),
	    cmocka_unit_test(table_wide_cells),
	    cmocka_unit_test(hex_huge),
	    cmocka_unit_test(grammar_examples),
	    cmocka_unit_test(grammar_random),
	    cmocka_unit_test(grammar_error_column),
	    cmocka_unit_test(format_like_libcap),
	    cmocka_unit_test(name_lists),
	    cmocka_unit_test(joining),
	    cmocka_unit_test(table_long_cell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
