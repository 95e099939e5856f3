/* SPDX-License-Identifier: MIT */
/*
 * trace --verify: run the traced command again with only its profile. The
 * child reduces its bounding set and I/P/E to the profile with the
 * launcher (cs_launch_prepare / apply / verify, exactly what `capscope run
 * --bounding P --caps P=eip` does), then execs. For root the execve rule
 * pP' = pB | pI then gives the command exactly the profile. A step that
 * fails stops the child before exec; its reason comes back on a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope/launch.h"
#include "capscope/trace.h"
#include "internal/sigchld.h"
#include "internal/util.h"

/* In the child: never returns. Writes why it did not exec to fd. */
__attribute__((noreturn)) static void child(char *const argv[], cs_mask_t m, int fd)
{
	struct cs_launch_plan *pp = calloc(1, sizeof(*pp));
	struct cs_launch *l = calloc(1, sizeof(*l));
	struct cs_cred self;
	struct cs_steps st;
	struct cs_diag d = {0};
	char msg[768];
	int rc;

	cs_sigchld_as_inherited(); /* the command gets the caller's SIGCHLD */
	if (!pp || !l) {
		snprintf(msg, sizeof(msg), "out of memory");
		goto fail;
	}
	pp->set_bounding = true;
	pp->bounding = m;
	pp->set_caps = true;
	pp->caps_inh = pp->caps_prm = pp->caps_eff = m;
	if ((rc = cs_cred_read_self(&self, &d)) < 0) {
		snprintf(msg, sizeof(msg), "reading own credentials: %s", d.message);
		goto fail;
	}
	cs_steps_init(&st);
	rc = cs_launch_prepare(pp, &self, l, &st, &d);
	cs_steps_free(&st);
	if (rc < 0) {
		cs_format_cut(msg, sizeof(msg), "step '%s' refused: %s (%s)", d.field,
			      cs_errno_name(rc), d.message);
		goto fail;
	}
	d = (struct cs_diag){0};
	if ((rc = cs_launch_apply(l, &d)) < 0) {
		cs_format_cut(msg, sizeof(msg), "step '%s' failed: %s (%s)",
			      d.field[0] ? d.field : "?", cs_errno_name(rc), d.message);
		goto fail;
	}
	if ((rc = cs_launch_verify(l, &d)) < 0) {
		snprintf(msg, sizeof(msg), "step 'verify' failed: %s", d.message);
		goto fail;
	}
	rc = cs_launch_exec(argv);
	snprintf(msg, sizeof(msg), "cannot run %s: %s", argv[0], strerror(-rc));
fail:
	if (write(fd, msg, strlen(msg)) < 0)
		_exit(127);
	_exit(127);
}

/* What the child wrote before it exited, or NULL when it exec'd (EOF, close-on-exec). */
static char *read_reason(int fd)
{
	char buf[1024];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n += (size_t)r;
	}
	if (n == 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

int cs_trace_verify_run(char *const argv[], cs_mask_t m, int orig_status, bool stdout_to_stderr,
			struct cs_trace_verify *v)
{
	int fds[2], status;
	pid_t pid;

	memset(v, 0, sizeof(*v));
	v->runner = "capscope run";
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	cs_sigchld_wait_own();
	pid = fork();
	if (pid < 0) {
		int e = errno;

		cs_sigchld_as_inherited();
		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	if (pid == 0) {
		close(fds[0]);
		if (stdout_to_stderr)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		child(argv, m, fds[1]);
	}
	close(fds[1]);
	v->error = read_reason(fds[0]);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			int e = errno;

			cs_sigchld_as_inherited();
			return -e;
		}
	}
	cs_sigchld_as_inherited();
	/* A child that wrote why it stopped never executed the command: its 127
	 * is not the command's (a traced command that exits 127 was "the
	 * same as traced: the profile is enough" when nothing had run). */
	v->ran = v->error == NULL;
	v->status = cs_wait_status(status);
	v->ok = v->ran && v->status == orig_status;
	return 0;
}

void cs_trace_verify_free(struct cs_trace_verify *v)
{
	free(v->error);
	v->error = NULL;
}
