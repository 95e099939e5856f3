/* SPDX-License-Identifier: MIT */
/*
 * The sandbox ("pause") process of the runtime truth tests: containerd's CRI
 * plugin and Podman's pods keep one long-lived process per pod, and no image
 * can be pulled here. It waits for a signal and exits; as PID 1 of its pid
 * namespace it needs real handlers, since default actions are ignored there.
 */
#include <signal.h>
#include <unistd.h>

static void stop(int sig)
{
	(void)sig;
	_exit(0);
}

int main(void)
{
	signal(SIGTERM, stop);
	signal(SIGINT, stop);
	for (;;)
		pause();
}
