/* SPDX-License-Identifier: MIT */
/*
 * A child process in the run's credentials, for the dry run: what execve
 * will be allowed to see (which directories of $PATH the new user may
 * search, which files it may execute or read) is asked of the kernel by a
 * process that holds exactly those credentials, not modelled from the
 * caller's. The child carries out the plan as the run does (cs_launch_apply,
 * cs_launch_verify) and then calls fn instead of execve; nothing it does
 * outlives it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope/launch.h"
#include "internal/sigchld.h"

/* What the child says when it could not take the credentials. */
struct child_failure {
	int err;
	struct cs_diag d;
};

static ssize_t read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void child(const struct cs_launch *l, int (*fn)(void *), void *arg, int wfd)
{
	struct child_failure f = {0};
	int rc = cs_launch_apply(l, &f.d);

	if (rc == 0)
		rc = cs_launch_verify(l, &f.d);
	if (rc < 0) {
		f.err = -rc;
		/* A short write is a failure too: the parent sees no exit status 0 from fn. */
		(void)!write(wfd, &f, sizeof(f));
		_exit(127);
	}
	close(wfd);
	rc = fn(arg);
	fflush(NULL);
	_exit(rc & 0xff);
}

int cs_launch_in_child(const struct cs_launch *l, int (*fn)(void *), void *arg, struct cs_diag *d)
{
	struct child_failure f;
	int p[2], status, e;
	pid_t pid, w;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return cs_diag_set(d, errno, 0, 0, "fork", "pipe: %s", strerror(errno));
	/* The child's stdio must not write the parent's buffered output again. */
	fflush(NULL);
	cs_sigchld_wait_own();
	pid = fork();
	if (pid < 0) {
		e = errno;
		cs_sigchld_as_inherited();
		close(p[0]);
		close(p[1]);
		return cs_diag_set(d, e, 0, 0, "fork", "%s", strerror(e));
	}
	if (pid == 0) {
		close(p[0]);
		child(l, fn, arg, p[1]);
	}
	close(p[1]);
	n = read_all(p[0], &f, sizeof(f));
	close(p[0]);
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	e = errno;
	cs_sigchld_as_inherited();
	if (w < 0)
		return cs_diag_set(d, e, 0, 0, "fork", "waitpid: %s", strerror(e));
	if (n == (ssize_t)sizeof(f)) {
		*d = f.d;
		return -(f.err ? f.err : EPROTO);
	}
	/* As a shell says it: a dry run piped into `head` ends by SIGPIPE, quietly. */
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
