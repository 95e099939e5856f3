/* SPDX-License-Identifier: MIT */
#include "cmocka-wrap.h"

#include <errno.h>
#include <string.h>
#include <sys/capability.h>

#include "capscope/caps.h"

static void table_matches_libcap(void **state)
{
	(void)state;
	/* libcap's own names are the reference for the 41 known capabilities. */
	for (int cap = 0; cap <= CS_CAP_LAST_KNOWN; cap++) {
		char *theirs = cap_to_name(cap);

		assert_non_null(theirs);
		assert_string_equal(cs_cap_name(cap), theirs);
		cap_free(theirs);
	}
	assert_null(cs_cap_name(41));
	assert_null(cs_cap_name(-1));
	assert_null(cs_cap_name(63));
	assert_null(cs_cap_name(1000000));
}

static void names_past_table(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(cs_cap_name_r(41, false, buf, sizeof(buf)), "cap_41");
	assert_string_equal(cs_cap_name_r(63, true, buf, sizeof(buf)), "CAP_63");
	assert_string_equal(cs_cap_name_r(10, true, buf, sizeof(buf)), "CAP_NET_BIND_SERVICE");
}

static void from_name_spellings(void **state)
{
	(void)state;
#define N(s) cs_cap_from_name(s, strlen(s))
	assert_int_equal(N("cap_net_bind_service"), 10);
	assert_int_equal(N("CAP_NET_BIND_SERVICE"), 10);
	assert_int_equal(N("NET_BIND_SERVICE"), 10);
	assert_int_equal(N("net_bind_service"), 10);
	assert_int_equal(N("Cap_Chown"), 0);
	assert_int_equal(N("41"), 41);
	assert_int_equal(N("cap_63"), 63);
	assert_int_equal(N("0"), 0);
	assert_int_equal(N("64"), -EINVAL);
	assert_int_equal(N("cap_64"), -EINVAL);
	assert_int_equal(N("07"), -EINVAL);
	assert_int_equal(N("-1"), -EINVAL);
	assert_int_equal(N(""), -EINVAL);
	assert_int_equal(N("cap_"), -EINVAL);
	assert_int_equal(N(" chown"), -EINVAL);
	assert_int_equal(N("chown "), -EINVAL);
	assert_int_equal(N("NET_BIND"), -EINVAL);
	assert_int_equal(N("ALL"), -EINVAL); /* "all" is a list keyword, not a capability */
	assert_int_equal(cs_cap_from_name("chownX", 5), 0); /* length-bounded */
	assert_int_equal(cs_cap_from_name(NULL, 0), -EINVAL);
#undef N
}

static void cap_last_runtime(void **state)
{
	(void)state;
	cs_cap_last_override(-1);
	int last = cs_cap_last();

	assert_true(last >= 30 && last < 64);
	cs_cap_last_override(40);
	assert_int_equal(cs_mask_all(), 0x1ffffffffffULL);
	cs_cap_last_override(63);
	assert_int_equal(cs_mask_all(), ~0ULL);
	cs_cap_last_override(37);
	assert_int_equal(cs_mask_all(), 0x3fffffffffULL);
	cs_cap_last_override(-1);
}

static void quintet_algebra(void **state)
{
	struct cs_quintet a, b;

	(void)state;
	cs_quintet_clear(&a);
	cs_quintet_clear(&b);
	assert_true(cs_quintet_equal(&a, &b));
	assert_true(cs_quintet_consistent(&a));
	a.set[CS_EFF] = CS_BIT(10);
	assert_false(cs_quintet_consistent(&a)); /* pE ⊄ pP */
	a.set[CS_PRM] = CS_BIT(10);
	assert_true(cs_quintet_consistent(&a));
	a.set[CS_AMB] = CS_BIT(10);
	assert_false(cs_quintet_consistent(&a)); /* pA ⊄ pI */
	a.set[CS_INH] = CS_BIT(10);
	assert_true(cs_quintet_consistent(&a));
	assert_false(cs_quintet_equal(&a, &b));
	b = a;
	b.present = 1;
	assert_false(cs_quintet_equal(&a, &b)); /* "not set" differs from empty */
	assert_string_equal(cs_set_name(CS_AMB), "ambient");
	assert_string_equal(cs_set_short(CS_BND), "CapBnd");
	assert_string_equal(cs_set_name((enum cs_set)99), "?");
	assert_int_equal(cs_mask_count(0x5c0), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table_matches_libcap), cmocka_unit_test(names_past_table),
	    cmocka_unit_test(from_name_spellings),  cmocka_unit_test(cap_last_runtime),
	    cmocka_unit_test(quintet_algebra),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
