/* SPDX-License-Identifier: MIT */
/*
 * For bench/bench-trace.sh: attach the empty program bpf/floor.bpf.c to
 * tp_btf/cap_capable, say "ready", and keep it attached until SIGTERM/SIGINT.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "floor.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	struct floor_bpf *skel = floor_bpf__open_and_load();

	if (!skel || floor_bpf__attach(skel) != 0) {
		perror("bpf-floor: loading the empty program");
		floor_bpf__destroy(skel);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	floor_bpf__destroy(skel);
	return 0;
}
