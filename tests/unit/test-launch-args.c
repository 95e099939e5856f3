/* SPDX-License-Identifier: MIT */
/* capscope run's option strings → struct cs_launch_plan, with both lookups. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/launch-args.h"

static void numeric_user_takes_passwd_group(void **state)
{
	struct cs_launch_plan p = {0};
	struct cs_diag d = {0};

	(void)state;
	/* uid 0 has a passwd entry on every system the tests run on. */
	assert_int_equal(cs_launch_args_user(&p, "0", &cs_ids_etc_files, &d), 0);
	assert_true(p.set_uid && p.set_gid);
	assert_int_equal(p.uid, 0);
	assert_int_equal(p.gid, 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cs_launch_args_user(&p, "root", &cs_ids_nss, &d), 0);
	assert_int_equal(p.uid, 0);
}

static void user_errors(void **state)
{
	struct cs_launch_plan p = {0};
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_launch_args_user(&p, "no-such-user-xyz", &cs_ids_etc_files, &d),
			 -EINVAL);
	assert_string_equal(d.message, "--user: no such user 'no-such-user-xyz'");
	/* A number out of range is said to be one, not a name nobody has. */
	assert_int_equal(cs_launch_args_user(&p, "4294967295", &cs_ids_etc_files, &d), -EINVAL);
	assert_non_null(strstr(d.message, "'4294967295' is out of range: a user id is"));
	assert_int_equal(cs_launch_args_user(&p, "-1", &cs_ids_etc_files, &d), -EINVAL);
	/* Refused for its sign or its leading 0, not for its size: said so. */
	assert_non_null(strstr(d.message, "'-1' has a sign"));
	assert_null(strstr(d.message, "out of range"));
	assert_int_equal(cs_launch_args_gid("--group", "05", &cs_ids_etc_files, &p.gid, &d),
			 -EINVAL);
	assert_non_null(strstr(d.message, "'05' has a leading 0"));
	assert_null(strstr(d.message, "out of range"));
	assert_int_equal(
	    cs_launch_args_gid("--group", "99999999999999999999", &cs_ids_etc_files, &p.gid, &d),
	    -EINVAL);
	assert_non_null(strstr(d.message, "a group id is 0-4294967294"));
	/* A number without a passwd entry and no --group: refused, never root's group. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(cs_launch_args_user(&p, "4000000000", &cs_ids_etc_files, &d), -EINVAL);
	assert_non_null(strstr(d.message, "no passwd entry to take the group from"));
	/* With a group given first, the number alone is enough. */
	memset(&p, 0, sizeof(p));
	p.set_gid = true;
	p.gid = 5;
	assert_int_equal(cs_launch_args_user(&p, "4000000000", &cs_ids_etc_files, &d), 0);
	assert_int_equal(p.uid, 4000000000u);
	assert_int_equal(p.gid, 5);
	/* (uid_t)-1 means "no change" to the kernel: not a uid. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(cs_launch_args_user(&p, "4294967295", &cs_ids_etc_files, &d), -EINVAL);
}

static void groups_list(void **state)
{
	struct cs_launch_plan *p = calloc(1, sizeof(*p));
	struct cs_diag d = {0};
	char big[CS_CRED_MAX_GROUPS * 4 + 8] = "";

	(void)state;
	assert_int_equal(cs_launch_args_groups(p, "5,root,7", &cs_ids_etc_files, &d), 0);
	assert_int_equal(p->ngroups, 3);
	assert_int_equal(p->groups[0], 5);
	assert_int_equal(p->groups[1], 0);
	assert_int_equal(p->groups[2], 7);
	assert_int_equal(cs_launch_args_groups(p, "5,,6", &cs_ids_etc_files, &d), -EINVAL);
	assert_string_equal(d.message,
			    "--groups: empty group name in '5,,6' (use --clear-groups for none)");
	assert_int_equal(cs_launch_args_groups(p, "", &cs_ids_nss, &d), -EINVAL);
	assert_int_equal(cs_launch_args_groups(p, "no-such-group-xyz", &cs_ids_nss, &d), -EINVAL);
	assert_string_equal(d.message, "--groups: no such group 'no-such-group-xyz'");
	for (int i = 0; i <= CS_CRED_MAX_GROUPS; i++)
		strcat(big, i ? ",1" : "1");
	assert_int_equal(cs_launch_args_groups(p, big, &cs_ids_etc_files, &d), -EINVAL);
	assert_non_null(strstr(d.message, "more than"));
	free(p);
}

static void gid(void **state)
{
	struct cs_diag d = {0};
	gid_t g = 99;

	(void)state;
	assert_int_equal(cs_launch_args_gid("--group", "root", &cs_ids_etc_files, &g, &d), 0);
	assert_int_equal(g, 0);
	assert_int_equal(cs_launch_args_gid("--group", "42", &cs_ids_etc_files, &g, &d), 0);
	assert_int_equal(g, 42);
	assert_int_equal(cs_launch_args_gid("--group", "", &cs_ids_etc_files, &g, &d), -EINVAL);
	assert_string_equal(d.message, "--group: no such group ''");
}

static void securebits(void **state)
{
	struct cs_diag d = {0};
	unsigned v = 0;

	(void)state;
	assert_int_equal(cs_launch_args_securebits("0x2f", &v, &d), 0);
	assert_int_equal(v, 0x2f);
	assert_int_equal(cs_launch_args_securebits("noroot,keep-caps", &v, &d), 0);
	assert_int_equal(v, (1u << 0) | (1u << 4));
	assert_int_equal(cs_launch_args_securebits("0x1000", &v, &d), -EINVAL);
	assert_string_equal(d.message, "--securebits: unknown bits in 0x1000");
	assert_int_equal(cs_launch_args_securebits("1x", &v, &d), -EINVAL);
	assert_string_equal(d.message, "--securebits: '1x' is not a number (digits alone, or 0x "
				       "and hex digits: no blank, no sign)");
	/* A blank or a sign before the digits: a number, not an unknown name. */
	assert_int_equal(cs_launch_args_securebits(" 1", &v, &d), -EINVAL);
	assert_non_null(strstr(d.message, "' 1' is not a number"));
	assert_int_equal(cs_launch_args_securebits("+1", &v, &d), -EINVAL);
	assert_non_null(strstr(d.message, "'+1' is not a number"));
	/* A number refused for its form or size says which, not "not a number". */
	assert_int_equal(cs_launch_args_securebits("010", &v, &d), -EINVAL);
	assert_non_null(strstr(d.message, "'010' has a leading 0"));
	assert_int_equal(cs_launch_args_securebits("99999999999", &v, &d), -EINVAL);
	assert_non_null(strstr(d.message, "'99999999999' is out of range"));
	assert_int_equal(cs_launch_args_securebits("noroot,bogus", &v, &d), -EINVAL);
	assert_string_equal(d.message, "--securebits: unknown name 'bogus'");
	/* An empty name (an unset variable, a stray comma) is named as missing. */
	assert_int_equal(cs_launch_args_securebits("", &v, &d), -EINVAL);
	assert_string_equal(d.message, "--securebits: a name is missing in '' (names are "
				       "separated by one comma; 0 for none)");
	assert_int_equal(cs_launch_args_securebits("noroot,", &v, &d), -EINVAL);
	assert_string_equal(d.message, "--securebits: a name is missing in 'noroot,' (names are "
				       "separated by one comma; 0 for none)");
	assert_int_equal(cs_launch_args_securebits("noroot,,keep-caps", &v, &d), -EINVAL);
}

/* glibc's files module answers getpwnam("") with a nameless line (uid 0). */
static struct passwd *nameless_pw(const char *name)
{
	static struct passwd pw = {.pw_name = (char *)"", .pw_uid = 0, .pw_gid = 0};

	return strcmp(name, "") == 0 ? &pw : NULL;
}

static void empty_user_name(void **state)
{
	const struct cs_ids ids = {.pw_name = nameless_pw};
	struct cs_launch_plan p = {0};
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_launch_args_user(&p, "", &ids, &d), -EINVAL);
	assert_false(p.set_uid);
	assert_non_null(strstr(d.message, "no such user"));
}

/* run's capability lists: one comma between names and nothing else. */
static void caps_list(void **state)
{
	static const char *const refused[] = {
	    "chown kill",   " chown",	   "chown ", "chown, kill",
	    "chown,\tkill", "chown\nkill", " ",	     "chown,,kill",
	    "chown,",	    ",chown",	   ","};
	struct cs_diag d = {0};
	cs_mask_t m = 7;

	(void)state;
	assert_int_equal(cs_launch_args_caps("chown,KILL,cap_net_raw,41", &m, &d), 0);
	assert_int_equal(m, (1ULL << 0) | (1ULL << 5) | (1ULL << 13) | (1ULL << 41));
	assert_int_equal(cs_launch_args_caps("", &m, &d), 0);
	assert_int_equal(m, 0);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		m = 7;
		memset(&d, 0, sizeof(d));
		assert_int_equal(cs_launch_args_caps(refused[i], &m, &d), -EINVAL);
		assert_int_equal(m, 7);
		assert_true(d.column > 0);
	}
	assert_int_equal(cs_launch_args_caps("net_raw,chown kill", &m, &d), -EINVAL);
	assert_string_equal(d.message, "a blank in 'chown kill': names are separated by one comma "
				       "and nothing else");
	assert_int_equal(d.column, 14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(numeric_user_takes_passwd_group),
	    cmocka_unit_test(user_errors),
	    cmocka_unit_test(groups_list),
	    cmocka_unit_test(gid),
	    cmocka_unit_test(securebits),
	    cmocka_unit_test(empty_user_name),
	    cmocka_unit_test(caps_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
