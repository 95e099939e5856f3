/* SPDX-License-Identifier: MIT */
/* The strict number parser: what strtoul lets through, it must not. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "capscope/number.h"
#include "internal/sysctl-int.h"

static void u64_forms(void **state)
{
	uint64_t v = 42;

	(void)state;
	assert_int_equal(cs_parse_u64("0", CS_NUM_DEC, UINT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cs_parse_u64("18446744073709551615", CS_NUM_DEC, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(cs_parse_u64("0x1F", CS_NUM_HEX, UINT64_MAX, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(cs_parse_u64("0XfF", CS_NUM_HEX, UINT64_MAX, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(cs_parse_u64("1000", CS_NUM_HEX, UINT64_MAX, &v), 0);
	assert_int_equal(v, 1000);
}

static void u64_refusals(void **state)
{
	static const char *const bad[] = {"",	 " 1",	"1 ",  "\t1", "1\n",  "+1",   "-1",  "-0",
					  "1x",	 "0x",	"0x ", "x1",  "1.0",  "1e3",  "01",  "00",
					  "0b1", "1_0", "1,2", "٣",   "0x-1", "0x+1", " 0x1"};
	uint64_t v = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cs_parse_u64(bad[i], CS_NUM_HEX, UINT64_MAX, &v) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(v, 42); /* untouched on failure */
	}
	/* hex only when asked for */
	assert_int_equal(cs_parse_u64("0x10", CS_NUM_DEC, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(cs_parse_u64(NULL, CS_NUM_DEC, UINT64_MAX, &v), -EINVAL);
	/* length-bounded: a number followed by more text is not a number */
	assert_int_equal(cs_parse_u64n("12x", 2, CS_NUM_DEC, UINT64_MAX, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(cs_parse_u64n("12x", 3, CS_NUM_DEC, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(cs_parse_u64n("12", 0, CS_NUM_DEC, UINT64_MAX, &v), -EINVAL);
}

static void u64_overflow(void **state)
{
	uint64_t v = 42;

	(void)state;
	assert_int_equal(cs_parse_u64("18446744073709551616", CS_NUM_DEC, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(cs_parse_u64("99999999999999999999999", CS_NUM_DEC, UINT64_MAX, &v),
			 -ERANGE);
	assert_int_equal(cs_parse_u64("0x10000000000000000", CS_NUM_HEX, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(cs_parse_u64("65536", CS_NUM_DEC, 65535, &v), -ERANGE);
	assert_int_equal(cs_parse_u64("65535", CS_NUM_DEC, 65535, &v), 0);
	assert_int_equal(v, 65535);
}

static void u32_and_int(void **state)
{
	uint32_t u = 7;
	int i = 7;

	(void)state;
	assert_int_equal(cs_parse_u32("4294967294", UINT32_MAX - 1, &u), 0);
	assert_true(u == UINT32_MAX - 1);
	assert_int_equal(cs_parse_u32("4294967295", UINT32_MAX - 1, &u), -ERANGE);
	assert_int_equal(cs_parse_u32("4294967296", UINT32_MAX, &u), -ERANGE);
	assert_int_equal(cs_parse_u32(" 5", UINT32_MAX, &u), -EINVAL);
	assert_int_equal(cs_parse_u32("-1", UINT32_MAX, &u), -EINVAL);
	assert_true(u == UINT32_MAX - 1);

	assert_int_equal(cs_parse_int("-5", -10, 10, &i), 0);
	assert_int_equal(i, -5);
	assert_int_equal(cs_parse_int("2147483647", INT_MIN, INT_MAX, &i), 0);
	assert_int_equal(i, INT_MAX);
	assert_int_equal(cs_parse_int("-2147483648", INT_MIN, INT_MAX, &i), 0);
	assert_int_equal(i, INT_MIN);
	assert_int_equal(cs_parse_int("2147483648", INT_MIN, INT_MAX, &i), -ERANGE);
	assert_int_equal(cs_parse_int("-2147483649", INT_MIN, INT_MAX, &i), -ERANGE);
	assert_int_equal(cs_parse_int("11", -10, 10, &i), -ERANGE);
	assert_int_equal(cs_parse_int("-11", -10, 10, &i), -ERANGE);
	assert_int_equal(cs_parse_int("+1", -10, 10, &i), -EINVAL);
	assert_int_equal(cs_parse_int("--1", -10, 10, &i), -EINVAL);
	assert_int_equal(cs_parse_int("-", -10, 10, &i), -EINVAL);
	assert_int_equal(cs_parse_int("-0", -10, 10, &i), -EINVAL);
	assert_int_equal(cs_parse_int(" 1", -10, 10, &i), -EINVAL);
	assert_int_equal(cs_parse_int("1 ", -10, 10, &i), -EINVAL);
	assert_int_equal(i, INT_MIN);
}

static void sizes(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(cs_parse_size("512", &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(cs_parse_size("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cs_parse_size("4K", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cs_parse_size("3M", &v), 0);
	assert_int_equal(v, 3u << 20);
	assert_int_equal(cs_parse_size("2G", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(cs_parse_size("", &v), -EINVAL);
	assert_int_equal(cs_parse_size("K", &v), -EINVAL);
	assert_int_equal(cs_parse_size("1m", &v), -EINVAL);
	assert_int_equal(cs_parse_size("-1", &v), -EINVAL);
	assert_int_equal(cs_parse_size("17179869184G", &v), -EINVAL); /* 2^34 G = 2^64 */
	assert_int_equal(cs_parse_size("17179869183G", &v), 0);
}

/* strtod alone took hex floats, exponents, "inf" and spaces (trace --duration). */
static void seconds(void **state)
{
	static const char *const bad[] = {"",	   "-1",   "+1",    " 1",  "1 ",  "0x10",
					  "0x1p3", "1e1",  "1e999", "inf", "nan", "05",
					  "1..5",  "1.5.", ".",	    NULL};
	static const char *const range[] = {"0", "0.0", "10", "99999999999999999999", NULL};
	double v = -1;

	(void)state;
	assert_int_equal(cs_parse_seconds("5", 86400, &v), 0);
	assert_true(v == 5);
	assert_int_equal(cs_parse_seconds("0.5", 86400, &v), 0);
	assert_true(v == 0.5);
	assert_int_equal(cs_parse_seconds(".25", 86400, &v), 0);
	assert_true(v == 0.25);
	assert_int_equal(cs_parse_seconds("5.", 86400, &v), 0);
	assert_true(v == 5);
	for (size_t i = 0; bad[i]; i++)
		assert_int_equal(cs_parse_seconds(bad[i], 9.5, &v), -EINVAL);
	for (size_t i = 0; range[i]; i++)
		assert_int_equal(cs_parse_seconds(range[i], 9.5, &v), -ERANGE);
	assert_true(v == 5);
}

/* Not the strict parser: a sysctl's value as the kernel reads what a
 * runtime writes (proc_dointvec_minmax), checked against this kernel by
 * cli/sysctl-port-spelling and truth/sysctl-refused-runc. */
static void sysctl_kernel_reading(void **state)
{
	static const struct {
		const char *in;
		int out;
	} good[] = {{"0", 0},
		    {"0x0", 0},
		    {"0X50", 80},
		    {"00", 0},
		    {"010", 8},
		    {"0x51", 81},
		    {"-0", 0},
		    {" 0", 0},
		    {"\t0", 0},
		    {"\n0", 0},
		    {"0 junk", 0},
		    {"80\n", 80},
		    {"\xa0"
		     "7",
		     7},
		    {"32768", 32768}};
	static const char *const bad[] = {" ",
					  "0x",
					  "0junk",
					  "08",
					  "+0",
					  "-1",
					  "1e1",
					  "junk",
					  "32769",
					  "99999999999999999999",
					  "000000000000000000000"};
	int v = -1;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (cs_sysctl_int(good[i].in, 0, 32768, &v) != 0 || v != good[i].out)
			fail_msg("'%s': %d, not %d", good[i].in, v, good[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cs_sysctl_int(bad[i], 0, 32768, &v) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(cs_sysctl_int("", 0, 32768, &v), -ENODATA); /* nothing written */
}

/* ip_local_port_range's two ints (each 1 to 65535), as this kernel took
 * them written from a shell in a new network namespace. */
static void sysctl_pair_reading(void **state)
{
	static const struct {
		const char *in;
		int lo, hi;
	} good[] = {{"40000 60999", 40000, 60999},
		    {"40000\t60999", 40000, 60999},
		    {"  40000   60999  ", 40000, 60999},
		    {"0x9c40 60999", 40000, 60999},
		    {"40000 60999 70000", 40000, 60999},
		    {"40000 60999 junk", 40000, 60999},
		    {"40000", 40000, 60999},
		    {"40000 ", 40000, 60999},
		    {"60999 40000", 60999, 40000}}; /* the handler refuses this order */
	static const char *const bad[] = {"0 100",	  "40000,60999", "40000 70000",
					  "-5 100",	  "junk",	 "40000 x",
					  "40000\v60999", "   ",	 "65536 65536"};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int v[2] = {32768, 60999};

		if (cs_sysctl_ints(good[i].in, 2, 1, 65535, v) != 0 || v[0] != good[i].lo ||
		    v[1] != good[i].hi)
			fail_msg("'%s': %d %d, not %d %d", good[i].in, v[0], v[1], good[i].lo,
				 good[i].hi);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v[2] = {32768, 60999};

		if (cs_sysctl_ints(bad[i], 2, 1, 65535, v) != -EINVAL || v[0] != 32768 ||
		    v[1] != 60999)
			fail_msg("accepted '%s', or changed the values", bad[i]);
	}
	{
		int v[2] = {32768, 60999};

		assert_int_equal(cs_sysctl_ints("", 2, 1, 65535, v), -ENODATA);
		assert_int_equal(v[0], 32768);
	}
}

/* blanks, then text at `at` */
static const char *page_text(char *s, size_t len, size_t at, const char *text)
{
	memset(s, ' ', len);
	memcpy(s + at, text, strlen(text) + 1);
	return s;
}

/* The kernel reads a page less one byte of a write (4,095 with 4 KiB pages)
 * and takes the rest as read: blanks before "100" that leave it "1" or
 * "10", two values whose second is cut or left out (twenty-sixth pass,
 * truth/sysctl-kernel-diff). */
static void sysctl_page_reading(void **state)
{
	char s[5200];
	int v = -1, r[2] = {32768, 60999};

	(void)state;
	/* 4,096 bytes: "10" read */
	assert_int_equal(cs_sysctl_int(page_text(s, sizeof(s), 4093, "100"), 0, 65535, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(cs_sysctl_int(page_text(s, sizeof(s), 4094, "100"), 0, 65535, &v), 0);
	assert_int_equal(v, 1);
	/* blanks alone: refused */
	assert_int_equal(cs_sysctl_int(page_text(s, sizeof(s), 4095, "100"), 0, 65535, &v),
			 -EINVAL);
	/* 40000 and 5000 */
	page_text(s, sizeof(s), 4091, "50000");
	memcpy(s, "40000", 5);
	assert_int_equal(cs_sysctl_ints(s, 2, 1, 65535, r), 0);
	assert_int_equal(r[1], 5000);
	/* 40000 alone */
	page_text(s, sizeof(s), 4095, "50000");
	memcpy(s, "40000", 5);
	r[0] = 32768, r[1] = 60999;
	assert_int_equal(cs_sysctl_ints(s, 2, 1, 65535, r), 0);
	assert_int_equal(r[0], 40000);
	assert_int_equal(r[1], 60999);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(u64_forms),
	    cmocka_unit_test(u64_refusals),
	    cmocka_unit_test(u64_overflow),
	    cmocka_unit_test(u32_and_int),
	    cmocka_unit_test(sizes),
	    cmocka_unit_test(seconds),
	    cmocka_unit_test(sysctl_kernel_reading),
	    cmocka_unit_test(sysctl_pair_reading),
	    cmocka_unit_test(sysctl_page_reading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
