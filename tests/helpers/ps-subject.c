/* SPDX-License-Identifier: MIT */
/*
 * A process for capscope ps to look at: optionally one thread that lowers its
 * own effective set (capabilities are per thread) and an allow-all seccomp
 * filter (which needs no_new_privs), a hostile comm (--evil-name: escape
 * sequences and a newline that would forge a table row, set with
 * PR_SET_NAME as any process may). Writes "ready" on stdout, then sleeps
 * until killed; with --check-exit it makes one capability check (setuid to
 * its own uid, CAP_SETUID as root) and exits instead, for capscope trace;
 * --clear-argv zeroes its command line (ps then shows [comm]);
 * --thread-user UID makes the thread run as UID (setresuid as a raw system
 * call changes only the calling thread; glibc's wrapper would change all).
 */
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t ready;
static bool evil;
static long thread_uid = -1;

/* What capscope must never print raw: clear screen, red, and a forged row. */
static const char evil_name[] = "\x1b[2J\x1b[31mFAKE\n1 root";

static void *lower_effective(void *arg)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	(void)arg;
	if (evil)
		prctl(PR_SET_NAME, evil_name, 0, 0, 0);
	if (thread_uid >= 0 && syscall(SYS_setresuid, thread_uid, thread_uid, thread_uid) != 0)
		perror("setresuid");
	if (syscall(SYS_capget, &h, d) == 0) {
		d[0].effective = 0;
		d[1].effective = 0;
		if (syscall(SYS_capset, &h, d) != 0)
			perror("capset");
	}

	pthread_barrier_wait(&ready);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	bool thread = false, seccomp = false, check_exit = false, clear_argv = false;
	pthread_t t;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--thread-drop") == 0)
			thread = true;
		else if (strcmp(argv[i], "--seccomp") == 0)
			seccomp = true;
		else if (strcmp(argv[i], "--evil-name") == 0)
			evil = true;
		else if (strcmp(argv[i], "--check-exit") == 0)
			check_exit = true;
		else if (strcmp(argv[i], "--clear-argv") == 0)
			clear_argv = true;
		else if (strcmp(argv[i], "--thread-user") == 0 && i + 1 < argc)
			thread_uid = strtol(argv[++i], NULL, 10), thread = true;
	}
	if (evil)
		prctl(PR_SET_NAME, evil_name, 0, 0, 0);
	/* /proc/PID/cmdline reads this memory: zeroed, the process has no command line. */
	if (clear_argv)
		memset(argv[0], 0, (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) - argv[0]));
	if (check_exit)
		return setuid(getuid()) == 0 ? 0 : 1;
	if (seccomp) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = {.len = 1, .filter = &allow};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
			perror("seccomp");
			return 1;
		}
	}
	pthread_barrier_init(&ready, NULL, thread ? 2 : 1);
	if (thread && pthread_create(&t, NULL, lower_effective, NULL) != 0)
		return 1;
	pthread_barrier_wait(&ready);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
