/* SPDX-License-Identifier: MIT */
/* Whose root a v3 rootid is, asked of the kernel (see internal/fcaps-owner.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "capscope/fcaps.h"
#include "internal/fcaps-owner.h"
#include "internal/sigchld.h"

/* In the child: only system calls, so a fork of a threaded caller is safe. */
static void ask(const char *proc, int wfd)
{
	unsigned char buf[CS_VFS_CAP_V3_SIZE];
	int answer;
	ssize_t n;

	if (unshare(CLONE_NEWUSER) < 0)
		answer = -errno;
	else if ((n = getxattr(proc, CS_XATTR_CAPS, buf, sizeof(buf))) >= 0)
		/* With no map, the only value it can give is v2: owned above. */
		answer = n == CS_VFS_CAP_V2_SIZE ? 1 : -EPROTO;
	else
		answer = errno == EOVERFLOW ? 0 : -errno;
	(void)!write(wfd, &answer, sizeof(answer));
	_exit(0);
}

int cs_fcaps_rootid_owned_above(int fd)
{
	char proc[64];
	int p[2], answer = -EPROTO, status;
	ssize_t n;
	pid_t pid;

	/* The magic link names the inode for any descriptor, O_PATH too. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	cs_sigchld_wait_own();
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		ask(proc, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		answer = -errno;
		close(p[0]);
		cs_sigchld_as_inherited();
		return answer;
	}
	while ((n = read(p[0], &answer, sizeof(answer))) < 0 && errno == EINTR)
		;
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cs_sigchld_as_inherited();
	return n == (ssize_t)sizeof(answer) ? answer : -EPROTO;
}
