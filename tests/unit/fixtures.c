/* SPDX-License-Identifier: MIT */
#include "fixtures.h"

#include "capscope/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* One byte through a pipe, retried on EINTR: 1 when it came, 0 when not. */
static int sync_read(int fd)
{
	char b;
	ssize_t n;

	while ((n = read(fd, &b, 1)) < 0 && errno == EINTR)
		;
	return n == 1;
}

static int write_map(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, ok;
	size_t len = strlen(text);

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return 0;
	/* The kernel takes a map in one write only. */
	ok = write(fd, text, len) == (ssize_t)len;
	close(fd);
	return ok;
}

int cs_test_in_userns(const char *uid_map, const char *gid_map, int (*fn)(void *), void *arg)
{
	int up[2], down[2], st = -1, ok;
	pid_t p;

	if (pipe(up) < 0)
		return -1;
	if (pipe(down) < 0) {
		close(up[0]);
		close(up[1]);
		return -1;
	}
	if ((p = fork()) == 0) {
		close(up[0]);
		close(down[1]);
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(CS_TEST_NO_NS);
		if (write(up[1], "u", 1) != 1 || !sync_read(down[0]))
			_exit(254);
		_exit(fn(arg));
	}
	close(up[1]);
	close(down[0]);
	ok = p > 0 && sync_read(up[0]);
	if (ok && uid_map)
		ok = write_map(p, "uid_map", uid_map);
	if (ok && gid_map)
		ok = write_map(p, "gid_map", gid_map);
	/* The child goes on only when both maps are written: else its pipe ends. */
	if (ok && write(down[1], "g", 1) != 1)
		ok = 0;
	close(up[0]);
	close(down[1]);
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	/* A map this process may not write (it is in a namespace of its own
	 * that does not map those ids): the namespace asked cannot be made. */
	if (!ok)
		return CS_TEST_NO_NS;
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

/* Whether path is empty or has a component "." or "..": the tree it names
 * is not the one its text says. */
static bool dotted(const char *path)
{
	const char *c = path;

	while (*c) {
		size_t n = strcspn(c, "/");

		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return true;
		c += n;
		c += strspn(c, "/");
	}
	return !*path;
}

/*
 * Fourteenth pass, part K: nothing but an absolute path below the root,
 * with no "." or ".." in it: "/tmp/cs-x/.." removed all of /tmp that one
 * file system holds, and an empty cgroup name the whole v2 hierarchy's
 * empty cgroups (other runs' included).
 */
void cs_test_rm_tree(const char *path)
{
	if (path[0] != '/' || !path[strspn(path, "/")] || dotted(path))
		return;
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void cs_test_rm_cgroup_tree(const char *name)
{
	char *root = NULL, *p = NULL;

	/* One cgroup's name: not empty, not "." or "..", no '/'. */
	if (!name[0] || strchr(name, '/') || dotted(name))
		return;
	if (cs_cgroup2_root(&root) == 0 &&
	    asprintf(&p, "%s/%s", strcmp(root, "/") ? root : "", name) > 0)
		cs_test_rm_tree(p);
	free(root);
	free(p);
}
