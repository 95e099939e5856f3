/* SPDX-License-Identifier: MIT */
/* The process snapshot JSON (capscope ps --json) for a fixed snapshot. */
#include "cmocka-wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/proc-json.h"

static void snapshot(void **state)
{
	gid_t groups[] = {4, 27};
	struct cs_proc_status thread = {
	    .name = "worker", .pid = 43, .seccomp = 2, .no_new_privs = -1};
	struct cs_proc_info p = {
	    .st = {.name = "srv",
		   .pid = 42,
		   .ppid = 1,
		   .uid = {1000, 1000, 1000, 1000},
		   .groups = groups,
		   .ngroups = 2,
		   .no_new_privs = 1,
		   .seccomp = 0,
		   .caps = {{0, CS_BIT(10), CS_BIT(10), 0, 0}, 0x1f}},
	    .user = "alice",
	    .cmdline = "srv --x \x01 caf\xc3\xa9 ? \xff",
	    .userns = -1,
	    .securebits = 0,
	    .threads = &thread,
	    .nthreads = 1,
	};
	struct cs_proc_snapshot s = {.procs = &p, .n = 1};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cs_json j;

	(void)state;
	cs_json_init(&j, f, false);
	cs_proc_snapshot_json(&j, &s);
	assert_int_equal(cs_json_finish(&j), 0);
	fclose(f);
	assert_non_null(strstr(
	    buf, "{\"processes\":[{\"pid\":42,\"ppid\":1,\"comm\":\"srv\","
		 "\"cmdline\":\"srv --x \\u0001 caf\xc3\xa9 ? \xef\xbf\xbd\","
		 /* not UTF-8: the escaping rule's text beside it (json.h) */
		 "\"cmdline_escaped\":\"srv --x \\\\x01 caf\xc3\xa9 ? \\\\xff\",\"user\":\"alice\","
		 "\"uids\":[1000,1000,1000,1000],\"gids\":[0,0,0,0],"
		 "\"groups\":[4,27],\"caps\":"));
	assert_non_null(strstr(buf,
			       "\"no_new_privs\":true,\"seccomp\":\"disabled\","
			       "\"securebits\":0,\"in_user_namespace\":null,"
			       "\"container\":null,\"threads\":[{\"tid\":43,\"comm\":\"worker\","));
	assert_non_null(strstr(buf, "\"no_new_privs\":null,\"seccomp\":\"filter\"}]}]}"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(snapshot)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
