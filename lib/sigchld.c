/* SPDX-License-Identifier: MIT */
/* SIGCHLD while our children are waited for (see internal/sigchld.h). */
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "internal/sigchld.h"

/* What the caller gave, while ours is SIG_DFL instead of its SIG_IGN. */
static struct sigaction inherited;
static bool replaced;

void cs_sigchld_wait_own(void)
{
	struct sigaction now, dfl = {.sa_handler = SIG_DFL};

	if (replaced || sigaction(SIGCHLD, NULL, &now) < 0 || now.sa_handler != SIG_IGN)
		return;
	sigemptyset(&dfl.sa_mask);
	if (sigaction(SIGCHLD, &dfl, NULL) == 0) {
		inherited = now;
		replaced = true;
	}
}

void cs_sigchld_as_inherited(void)
{
	if (replaced && sigaction(SIGCHLD, &inherited, NULL) == 0)
		replaced = false;
}
