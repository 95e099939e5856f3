/* SPDX-License-Identifier: MIT */
/*
 * Start a command in the tracer's scope: the child waits on a pipe until its
 * pid is tracked, so its very first check (in execve) is counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope/trace.h"
#include "internal/sigchld.h"

static void default_unless_ignored(int sig)
{
	struct sigaction old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		signal(sig, SIG_DFL);
}

/* In the child: wait for the go, then exec; the errno of a failed exec goes to fail_fd. */
__attribute__((noreturn)) static void child(char *const argv[], bool stdout_to_stderr, int go_fd,
					    int fail_fd)
{
	char c;
	int err;

	/* The tracer's handlers would run here until execve resets them; an
	 * ignored signal is the caller's, and stays (see cmd-trace.c). */
	default_unless_ignored(SIGINT);
	default_unless_ignored(SIGTERM);
	if (read(go_fd, &c, 1) != 1)
		_exit(127);
	if (stdout_to_stderr)
		dup2(STDERR_FILENO, STDOUT_FILENO);
	cs_sigchld_as_inherited(); /* the command gets the caller's SIGCHLD */
	execvp(argv[0], argv);
	err = errno;
	if (write(fail_fd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

int cs_tracer_spawn(struct cs_tracer *t, char *const argv[], bool stdout_to_stderr, pid_t *out)
{
	int go[2], fail[2], err, e = 0;
	pid_t pid;
	char c = 0;

	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(fail, O_CLOEXEC) < 0) {
		err = -errno;
		close(go[0]);
		close(go[1]);
		return err;
	}
	/* The tracer waits for the command (watch.c): not the kernel's to reap. */
	cs_sigchld_wait_own();
	pid = fork();
	if (pid < 0) {
		err = -errno;
		cs_sigchld_as_inherited();
		close(go[0]);
		close(go[1]);
		close(fail[0]);
		close(fail[1]);
		return err;
	}
	if (pid == 0) {
		close(go[1]);
		close(fail[0]);
		child(argv, stdout_to_stderr, go[0], fail[1]);
	}
	close(go[0]);
	close(fail[1]);
	err = cs_tracer_track(t, pid);
	if (err < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(go[1]);
		close(fail[0]);
		return err;
	}
	if (write(go[1], &c, 1) != 1)
		err = -errno;
	close(go[1]);
	/* The exec-failure pipe is close-on-exec: EOF means exec succeeded. */
	if (read(fail[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		waitpid(pid, NULL, 0);
		close(fail[0]);
		return -(e > 0 ? e : ENOEXEC);
	}
	close(fail[0]);
	*out = pid;
	return err;
}
