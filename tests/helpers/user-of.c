/* SPDX-License-Identifier: MIT */
/*
 * user-of PID|self: the user name cs_proc_snapshot gives PID with no cs_ids (the
 * library's own lookup, getpwuid_r), for tests/cli/ps-long-passwd.sh; on
 * failure the errno's text on stderr, exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/diag.h"
#include "capscope/proc.h"

int main(int argc, char **argv)
{
	pid_t pid;
	struct cs_proc_snapshot_opts o = {.pids = &pid, .npids = 1, .skip_cmdline = true};
	struct cs_proc_snapshot s = {0};
	struct cs_diag d = {0};
	int rc;

	if (argc != 2)
		return 2;
	pid = strcmp(argv[1], "self") ? (pid_t)atoi(argv[1]) : getpid();
	if ((rc = cs_proc_snapshot(&o, &s, &d)) < 0 || s.n != 1) {
		fprintf(stderr, "%s\n", d.message[0] ? d.message : strerror(-rc));
		return 1;
	}
	printf("%s\n", s.procs[0].user ? s.procs[0].user : "(none)");
	cs_proc_snapshot_free(&s);
	return 0;
}
