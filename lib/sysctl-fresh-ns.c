/* SPDX-License-Identifier: MIT */
/*
 * Whether a sysctl is there in a new network and IPC namespace (see
 * internal/sysctl-here.h). /proc/sys/net and the IPC sysctls are looked up
 * in the namespaces of the task that opens them, not of the /proc mount
 * (fs/proc/proc_sysctl.c asks the table's set for its lookup; net's is
 * current->nsproxy->net_ns in net/sysctl_net.c, the IPC ones the
 * opener's ipc_ns): runc's init and CRI-O's pinns open them inside the
 * pod's new namespaces, where 62 of this kernel's net.* sysctls
 * (net.core.rmem_max...) are not, being the initial namespace's only.
 *
 * One child per process, made at the first such question: it unshares a
 * network and an IPC namespace (as root; else inside a new user namespace)
 * and answers each path over a socket, stat() and nothing else. Only in a
 * namespace the initial user namespace owns is "not there" sure. It ends
 * when this process's end of the socket closes, at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal/sysctl-here.h"

/* the child's first word: which namespaces it could make */
enum { FRESH_ROOT = 'R', FRESH_USER = 'U', FRESH_NONE = 'X' };

static pthread_mutex_t fresh_mu = PTHREAD_MUTEX_INITIALIZER;
static int fresh_fd = -1;
static char fresh_kind; /* 0: not asked yet; else the child's first word */

/* In the child: only system calls, so a fork of a threaded caller is safe. */
static void serve(int fd)
{
	char path[4096 + 1], word;
	struct stat st;
	ssize_t n;

	/* hold no descriptor of the caller's (a pipe a reader waits on) */
	if (fd > 0)
		syscall(SYS_close_range, 0U, (unsigned)fd - 1, 0U);
	syscall(SYS_close_range, (unsigned)fd + 1, ~0U, 0U);
	word = FRESH_ROOT;
	if (unshare(CLONE_NEWNET | CLONE_NEWIPC) < 0) {
		/* not root: a user namespace of its own may own the others */
		word = FRESH_USER;
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC) < 0)
			word = FRESH_NONE;
	}
	if (send(fd, &word, 1, MSG_NOSIGNAL) != 1 || word == FRESH_NONE)
		_exit(0);
	/* one path a message (SOCK_SEQPACKET keeps them apart); EOF ends it */
	while ((n = recv(fd, path, sizeof(path) - 1, 0)) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		path[n] = '\0';
		/* runc and pinns open it for writing: a file this root may
		 * not write (net.core.rmem_max is read-only outside the
		 * initial namespace) fails there too, with EACCES; the
		 * sysctl's own permission hook decides, not the mode stat
		 * shows */
		word = stat(path, &st) < 0	 ? '0'
		       : S_ISDIR(st.st_mode)	 ? 'd'
		       : !S_ISREG(st.st_mode)	 ? '0'
		       : access(path, W_OK) == 0 ? '1'
						 : 'w';
		if (send(fd, &word, 1, MSG_NOSIGNAL) != 1)
			break;
	}
	_exit(0);
}

static ssize_t recv_one(int fd, char *word)
{
	ssize_t n;

	while ((n = recv(fd, word, 1, 0)) < 0 && errno == EINTR)
		;
	return n;
}

/*
 * Whether this process is in the initial user namespace (its uid_map is
 * the whole identity): only then is a network namespace made without a new
 * user namespace owned by the initial one, as runc's is under a root
 * runtime. One owned by another hides some tables (on 6.18
 * net.core.xfrm_* and net.ipv6.route.*, which runc's has), so there an
 * absent file proves nothing.
 */
static bool initial_userns(void)
{
	char buf[128], extra;
	unsigned long a, b, c;
	/* open and read, no stdio: a failed allocation must not change the
	 * answer unsaid */
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return sscanf(buf, "%lu %lu %lu %c", &a, &b, &c, &extra) == 3 && a == 0 && b == 0 &&
	       c == 4294967295UL;
}

/* the child, once; its word into fresh_kind (FRESH_NONE on any failure) */
static void start(void)
{
	bool initial = initial_userns();
	int sv[2];
	pid_t pid;

	fresh_kind = FRESH_NONE;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		serve(sv[1]);
	}
	close(sv[1]);
	if (pid < 0 || recv_one(sv[0], &fresh_kind) != 1 ||
	    (fresh_kind != FRESH_ROOT && fresh_kind != FRESH_USER)) {
		fresh_kind = FRESH_NONE;
		close(sv[0]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	/* made without a user namespace, but inside one that is not the
	 * initial: no surer than one made inside a new one */
	if (!initial)
		fresh_kind = FRESH_USER;
	fresh_fd = sv[0];
}

int cs_sysctl_fresh_ns(const char *path)
{
	size_t len = strlen(path);
	int r = CS_SYSCTL_UNTOLD_NO_NS;
	char word;

	if (len > 4096)
		return 0;
	pthread_mutex_lock(&fresh_mu);
	if (!fresh_kind)
		start();
	if (fresh_kind != FRESH_NONE && send(fresh_fd, path, len, MSG_NOSIGNAL) == (ssize_t)len &&
	    recv_one(fresh_fd, &word) == 1) {
		r = word == '1' ? 1 : word == 'w' ? 2 : word == 'd' ? 3 : 0;
		/* a user namespace's network namespace hides some tables that
		 * one made by root (runc's) has, and its root is not the
		 * initial one's: only "there and writable" is sure */
		if (r != 1 && fresh_kind == FRESH_USER)
			r = CS_SYSCTL_UNTOLD_USERNS;
	}
	pthread_mutex_unlock(&fresh_mu);
	return r;
}
