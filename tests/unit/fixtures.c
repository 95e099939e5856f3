/* SPDX-License-Identifier: MIT */
#include "fixtures.h"

#include "capscope/proc.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t cs_test_idle_child(uid_t uid)
{
	int fds[2];
	char b;
	ssize_t n;
	pid_t p;

	if (pipe(fds) < 0)
		return -1;
	if ((p = fork()) == 0) {
		close(fds[0]);
		/* One byte once the uid is taken; none (the pipe's end) if not. */
		if (setresuid(uid, uid, uid) < 0 || write(fds[1], "x", 1) != 1)
			_exit(1);
		close(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	while ((n = read(fds[0], &b, 1)) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (p > 0 && n != 1) {
		waitpid(p, NULL, 0);
		return -1;
	}
	return p;
}

int cs_test_in_pidns(int (*fn)(void *), void *arg)
{
	int st = -1;
	pid_t outer = fork();

	if (outer == 0) {
		pid_t init;
		int ist = -1;

		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
			_exit(CS_TEST_NO_NS);
		/* The first child in a new pid namespace is its init. */
		if ((init = fork()) == 0)
			_exit(fn(arg));
		if (init < 0 || waitpid(init, &ist, 0) != init || !WIFEXITED(ist))
			_exit(255);
		_exit(WEXITSTATUS(ist));
	}
	if (outer < 0 || waitpid(outer, &st, 0) != outer || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

void cs_test_rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void cs_test_rm_cgroup_tree(const char *name)
{
	char *root = NULL, *p = NULL;

	if (cs_cgroup2_root(&root) == 0 &&
	    asprintf(&p, "%s/%s", strcmp(root, "/") ? root : "", name) > 0)
		cs_test_rm_tree(p);
	free(root);
	free(p);
}
