/* SPDX-License-Identifier: MIT */
/*
 * A process for capscope ps to look at: optionally one thread that lowers its
 * own effective set (capabilities are per thread) and an allow-all seccomp
 * filter (which needs no_new_privs). Writes "ready" on stdout, then sleeps
 * until killed.
 */
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t ready;

static void *lower_effective(void *arg)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	(void)arg;
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
	bool thread = false, seccomp = false;
	pthread_t t;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--thread-drop") == 0)
			thread = true;
		else if (strcmp(argv[i], "--seccomp") == 0)
			seccomp = true;
	}
	if (seccomp) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = {.len = 1, .filter = &allow};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
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
