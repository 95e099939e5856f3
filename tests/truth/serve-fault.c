/* SPDX-License-Identifier: MIT */
/*
 * capscope-fault's hold in the node agent's page build (tests only; the
 * installed capscope has the no-op of daemon/serve-pager.c). With
 * CAPSCOPE_FAULT_PAGE_HOLD=PATH, a page build, under the node's lock,
 * creates PATH.held and waits while PATH exists: a test sees a build held,
 * asks what it likes of the agent, and removes PATH to let it go.
 * With CAPSCOPE_FAULT_RELEASE_HOLD=PATH, a page's last release (in the
 * libmicrohttpd thread that sent it, before the page is freed) waits the
 * same way: that thread is held as a busy one would be (at most 60 s).
 * With CAPSCOPE_FAULT_REVIEW_HOLD=PATH, a review waits so before it is
 * worked on, as a long one would.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

void serve_fault_page_build(void);
void serve_fault_page_release(void);
void serve_fault_review(void);

/* Create PATH.held and wait while PATH exists (at most limit hundredths of a
 * second; 0: for ever). */
static void hold(const char *var, long limit)
{
	const char *path = getenv(var);
	char held[PATH_MAX];
	int fd;

	if (!path || snprintf(held, sizeof(held), "%s.held", path) >= (int)sizeof(held))
		return;
	if (access(path, F_OK) != 0)
		return;
	if ((fd = open(held, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) >= 0)
		close(fd);
	for (long i = 0; access(path, F_OK) == 0 && (!limit || i < limit); i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};

		nanosleep(&ts, NULL);
	}
	unlink(held);
}

void serve_fault_page_build(void)
{
	hold("CAPSCOPE_FAULT_PAGE_HOLD", 0);
}

void serve_fault_page_release(void)
{
	hold("CAPSCOPE_FAULT_RELEASE_HOLD", 6000);
}

void serve_fault_review(void)
{
	hold("CAPSCOPE_FAULT_REVIEW_HOLD", 0);
}
