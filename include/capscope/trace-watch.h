/* SPDX-License-Identifier: MIT */
/*
 * What to trace, as a person names it (a command, a process, a cgroup, a
 * container, everything), turned into the tracer's scope; and the loop that
 * watches it until the command ends, the time is up or a signal arrives.
 * `capscope trace` and any other program that traces share both.
 */
#ifndef CAPSCOPE_TRACE_WATCH_H
#define CAPSCOPE_TRACE_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"
#include "trace.h"

/* Exactly one of cmd, pid, cgroup, container, all. */
struct cs_trace_target {
	char *const *cmd;      /* start this command, traced from before its execve */
	pid_t pid;	       /* an existing process and the children it has or starts */
	const char *cgroup;    /* a cgroup v2 directory: absolute, or below the cgroup2 mount */
	const char *container; /* a running container whose id starts with this */
	bool all;	       /* every process but the tracer's own */
	/* Set by cs_trace_target_resolve for pid: when that process started
	 * (clock ticks after boot), to tell it from a later one given its
	 * number; 0 when /proc did not say. */
	unsigned long long pid_start;
	/* ... and a pidfd of it (has_pidfd), opened by cs_trace_target_resolve
	 * before the start time was read: it names that process and no later
	 * one, whenever they started (the start time is in clock ticks, 10 ms,
	 * and a number reused within one was not told apart). Closed by
	 * cs_trace_target_close. */
	bool has_pidfd;
	int pidfd;
};

/*
 * Set cfg->scope (and the cgroup id and depth for a cgroup or container) and
 * *what, a heap phrase for reports: "'CMD'", "process 42 and its children",
 * "cgroup /sys/fs/cgroup/…", "all processes". -ESRCH: no such process or no
 * container with that id; -EMEDIUMTYPE: no cgroup v2 hierarchy; -EXDEV: not a
 * directory of it; other -errno; d says which, in one line.
 */
CS_EXPORT int cs_trace_target_resolve(struct cs_trace_target *tg, struct cs_tracer_config *cfg,
				      char **what, struct cs_diag *d);

/*
 * For a pid target: is the process that holds the number still the one
 * cs_trace_target_resolve saw? Loading the tracer takes a while (0.2 to 0.5
 * s), and a process that exits in that time can have its number handed to
 * another, which would be traced in its place. 0, or -ESRCH with d saying
 * which happened. cs_tracer_watch asks it before it tracks the process.
 */
CS_EXPORT int cs_trace_target_same(const struct cs_trace_target *tg, struct cs_diag *d);
/* What cs_trace_target_resolve holds open (the pidfd). */
CS_EXPORT void cs_trace_target_close(struct cs_trace_target *tg);

struct cs_trace_watch {
	const struct cs_trace_target *target;
	double duration;	   /* seconds; 0: until the process ends or a signal */
	bool cmd_stdout_to_stderr; /* the command's stdout goes to stderr (JSON reports) */
	/*
	 * Set by the caller's signal handler; the loop stops (or, with a command,
	 * passes the signal on) when it becomes non-zero. from_tty: the terminal
	 * sent it, so the command already has it too.
	 */
	volatile sig_atomic_t *signal, *signal_from_tty;
	cs_tracer_event_fn on_event; /* each check as it happens, or NULL */
	void *ctx;
};

/*
 * Run the target's command to its end (*status: its exit status, 128+N for
 * a signal), or watch the scope until the duration, the process or a signal
 * ends it (*status left as it is). 0, or -errno when the command cannot be
 * started or the process (-p) exited before the trace began, -ESRCH (d says
 * so); 1 when the traced cgroup was removed (or another one
 * made at its path, which is not traced): the trace ended there.
 */
CS_EXPORT int cs_tracer_watch(struct cs_tracer *t, const struct cs_trace_watch *w, int *status,
			      struct cs_diag *d);

#endif
