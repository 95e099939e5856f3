// SPDX-License-Identifier: MIT
/*
 * The temporary file of an --html page (lib/html/page.c writes .NAME.XXXXXX
 * and renames it when whole) was left behind when a signal ended scan,
 * explain pod or trace while the page was written: Ctrl-C, a kill, a
 * reader of the report that went away (SIGPIPE) or a file-size limit
 * (SIGXFSZ). The library installs no handler; this is the CLI's. The
 * handler only unlinks (async-signal-safe) and raises the signal again at
 * its default action, so the exit status is the signal's, as before.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html-guard.h"

static const int guarded[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGXFSZ};
#define N_GUARDED (sizeof(guarded) / sizeof(guarded[0]))

static char *volatile temp_name; /* read by the handler */
static bool installed[N_GUARDED];

static void on_fatal_signal(int sig)
{
	int saved = errno;
	char *t = temp_name;

	if (t)
		unlink(t);
	/* SA_RESETHAND|SA_NODEFER: the default action, at once. */
	raise(sig);
	errno = saved;
}

static void guarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < N_GUARDED; i++)
		sigaddset(set, guarded[i]);
}

/* cs_html_open, then the handler for its temporary file (guarded signals held). */
static int guard_open(const char *path, const char *title, struct cs_html **out, struct cs_diag *d)
{
	struct sigaction sa = {0};
	const char *t;
	int rc = cs_html_open(path, title, out, d);

	if (rc < 0 || !(t = cs_html_temp_name(*out)))
		return rc;
	/* Without the copy the page is written as before, unguarded. */
	if (!(temp_name = strdup(t)))
		return rc;
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_GUARDED; i++) {
		struct sigaction old;

		/* A signal ignored or caught (trace's SIGINT) is left as it is. */
		installed[i] = sigaction(guarded[i], NULL, &old) == 0 &&
			       old.sa_handler == SIG_DFL && !(old.sa_flags & SA_SIGINFO) &&
			       sigaction(guarded[i], &sa, NULL) == 0;
	}
	return rc;
}

/*
 * The guarded signals are held from before the temporary file is made until
 * its handler is in place: one that came between the two (mkostemp, then the
 * copy of the name and the sigactions) ended capscope at its default action
 * and left the file behind (nineteenth pass, part F, left open; twentieth
 * pass, part B). Held, it is taken at the unblock by the handler, which
 * removes the file; if the page could not be opened, by its default action.
 */
int html_guard_open(const char *path, const char *title, struct cs_html **out, struct cs_diag *d)
{
	sigset_t set, old;
	int rc;

	guarded_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	rc = guard_open(path, title, out, d);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* The page is closed or discarded: back to the defaults, the name dropped. */
static void unguard(void)
{
	char *t = temp_name;

	temp_name = NULL;
	free(t);
	for (size_t i = 0; i < N_GUARDED; i++) {
		struct sigaction cur;

		/* Only ours: trace may have caught SIGINT since. */
		if (installed[i] && sigaction(guarded[i], NULL, &cur) == 0 &&
		    cur.sa_handler == on_fatal_signal)
			signal(guarded[i], SIG_DFL);
		installed[i] = false;
	}
}

/* The page closed (keep) or discarded with the guarded signals held from
 * before the rename until the name is dropped: a signal in between would
 * otherwise unlink a name that is no longer ours. Held signals end
 * capscope at the unblock, with the page in place. */
static int end_page(struct cs_html *h, bool keep, struct cs_diag *d)
{
	sigset_t set, old;
	int rc = 0;

	guarded_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (keep)
		rc = cs_html_close(h, d);
	else
		cs_html_discard(h);
	unguard();
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int html_guard_close(struct cs_html *h, struct cs_diag *d)
{
	return end_page(h, true, d);
}

void html_guard_discard(struct cs_html *h)
{
	if (h)
		end_page(h, false, NULL);
}
