/* SPDX-License-Identifier: MIT */
/* SIGCHLD while our children are waited for (see internal/sigchld.h). */
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "internal/sigchld.h"

/* What the caller gave, while ours differs: its action and its mask. */
static struct sigaction inherited;
static sigset_t inherited_mask;
static bool replaced, blocked;

void cs_sigchld_wait_own(void)
{
	struct sigaction now, ours;
	sigset_t chld;

	if (replaced || blocked || sigaction(SIGCHLD, NULL, &now) < 0)
		return;
	/*
	 * SIG_IGN, or SA_NOCLDWAIT with any action (a library caller's: execve
	 * clears the flags), and the kernel reaps the child itself. A handler
	 * of the caller's that reaps with waitpid(-1) would take it too:
	 * SIGCHLD is blocked until the wait is over, and the handler then
	 * runs for its own children only.
	 */
	if (now.sa_handler == SIG_IGN || (now.sa_flags & SA_NOCLDWAIT)) {
		ours = now;
		ours.sa_flags &= ~SA_NOCLDWAIT;
		if (now.sa_handler == SIG_IGN) {
			ours = (struct sigaction){.sa_handler = SIG_DFL};
			sigemptyset(&ours.sa_mask);
		}
		if (sigaction(SIGCHLD, &ours, NULL) == 0) {
			inherited = now;
			replaced = true;
		}
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, &inherited_mask) == 0)
		blocked = true;
}

void cs_sigchld_as_inherited(void)
{
	if (replaced && sigaction(SIGCHLD, &inherited, NULL) == 0)
		replaced = false;
	if (blocked && sigprocmask(SIG_SETMASK, &inherited_mask, NULL) == 0)
		blocked = false;
}
