/* SPDX-License-Identifier: MIT */
/*
 * go-yaml v2's reading of plain scalars (lib/k8s/yaml11.c), case by case
 * from its resolve.go: what is a number or a boolean to Kubernetes, and
 * what stays a string although it looks like one.
 */
#include "cmocka-wrap.h"

#include <string.h>

#include "k8s/yaml11.h"

static bool num(const char *s)
{
	return yaml11_number(s, strlen(s));
}

static void test_numbers(void **state)
{
	static const char *const yes[] = {"0",
					  "-0",
					  "+0",
					  "7",
					  "-7",
					  "+7",
					  "1_000",
					  "+_1",
					  "0x1F",
					  "0X1f",
					  "-0x10",
					  "0o17",
					  "0O17",
					  "0b101",
					  "0B1",
					  "-0b1",
					  "0777",
					  "08",
					  "09.5",
					  "1.",
					  "1.5",
					  ".5",
					  "-.5",
					  "+.5e3",
					  "1e3",
					  "1E+3",
					  "1e-400",
					  "9223372036854775808",
					  "18446744073709551615",
					  "99999999999999999999999",
					  "+18446744073709551616",
					  "1e308",
					  "0b-1",
					  "0b+1",
					  "-0b-1",
					  ".inf",
					  "-.INF",
					  "+.Inf",
					  ".NaN",
					  "1__0",
					  "0x_1"};
	static const char *const no[] = {"10.0.0.1",
					 "1.2.3",
					 "1-2",
					 "2001-12-14",
					 "2001-12-14T21:59:43.10-05:00",
					 "1:20",
					 "0x",
					 "0b",
					 "0o",
					 "0b2",
					 "0xg",
					 "1e",
					 "1e+",
					 ".",
					 "._5",
					 ".5_0",
					 "e1",
					 "_1",
					 "-",
					 "+",
					 "-.nan",
					 "+.nan",
					 ".nAn",
					 "1e999",
					 "1e309",
					 "-1e309",
					 "2e308",
					 "0x10000000000000000",
					 "+0xFFFFFFFFFFFFFFFF",
					 "-0x8000000000000001",
					 "0x1p3",
					 "1,000",
					 "1 2",
					 "inf",
					 "nan",
					 "Infinity",
					 "12abc",
					 "v1",
					 "1.0.0-rc1",
					 "0b-",
					 "--1",
					 "+-1",
					 ""};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!num(yes[i]))
			fail_msg("'%s' is a number to go-yaml v2", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (num(no[i]))
			fail_msg("'%s' is a string to go-yaml v2", no[i]);
	/* right at the largest double: 1.7976931348623157e308 is one,
	 * 1.7976931348623159e308 rounds past it (a range error in Go) */
	assert_true(num("1.7976931348623157e308"));
	/* the same as 309 digits */
	char big[310];

	memcpy(big, "17976931348623157", 17);
	memset(big + 17, '0', 292);
	big[309] = '\0';
	assert_true(num(big));
	big[15] = '5', big[16] = '9';
	assert_false(num(big));
	assert_false(num("1.7976931348623159e308"));
	assert_true(num("0.000000000000000000000000000000000000000000000000000001e310"));
}

static void test_booleans(void **state)
{
	(void)state;
	assert_int_equal(yaml11_bool("yes", 3), 1);
	assert_int_equal(yaml11_bool("Off", 3), 0);
	assert_int_equal(yaml11_bool("y", 1), 1);
	assert_int_equal(yaml11_bool("oN", 2), -1);
	assert_int_equal(yaml11_bool("yes ", 4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_booleans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
