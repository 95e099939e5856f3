/* SPDX-License-Identifier: MIT */
/* A trace target resolved to the tracer's scope, and the watch loop (trace-watch.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capscope/proc.h"
#include "capscope/trace-watch.h"
#include "internal/cleanup.h"
#include "internal/trace-target.h"
#include "explain/strf.h"
#include "internal/util.h"

static int resolve_cgroup(const struct cs_trace_target *tg, struct cs_tracer_config *cfg,
			  char **what, struct cs_diag *d)
{
	struct cs_cgroup_target cg = {0};
	char *cpath = NULL;
	int rc;

	if (tg->container && (rc = cs_container_cgroup(tg->container, &cpath, d)) < 0)
		return rc;
	rc = cs_cgroup_resolve(tg->container ? cpath : tg->cgroup, &cg);
	free(cpath);
	if (rc == -EMEDIUMTYPE)
		cs_diag_set(d, -rc, 0, 0, "cgroup",
			    "no cgroup v2 hierarchy is mounted: --cgroup and --container need it");
	else if (rc == -EXDEV && tg->cgroup && !tg->cgroup[0])
		cs_diag_set(d, -rc, 0, 0, "cgroup",
			    "--cgroup: an empty path names no cgroup (the whole hierarchy is '/')");
	else if (rc == -EXDEV)
		cs_diag_set(d, -rc, 0, 0, "cgroup",
			    "--cgroup: '%s' is not a directory of the cgroup v2 hierarchy",
			    tg->cgroup ? tg->cgroup : cg.path);
	else if (rc < 0)
		cs_diag_set(d, -rc, 0, 0, "cgroup", "cgroup %s: %s", cg.path ? cg.path : "?",
			    strerror(-rc));
	else if (asprintf(what, "cgroup %s", cg.path) < 0)
		rc = cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	cfg->scope = CS_TRACER_CGROUP;
	cfg->cgroup_id = cg.id;
	cfg->cgroup_level = cg.level;
	cs_cgroup_target_free(&cg);
	return rc;
}

/*
 * Whether the traced process has exited. By its pidfd when there is one:
 * kill(pid, 0) answers for whoever holds the number now, and a number freed
 * and handed to another process between two polls kept the trace going, to
 * --duration or for ever, counting nothing (the new process is not traced).
 */
static bool pid_gone(pid_t pid, int pidfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	if (pidfd >= 0)
		return poll(&p, 1, 0) > 0;
	return kill(pid, 0) < 0 && errno == ESRCH;
}

int cs_trace_target_same(const struct cs_trace_target *tg, struct cs_diag *d)
{
	unsigned long long now = 0;
	bool gone = tg->has_pidfd && pid_gone(tg->pid, tg->pidfd);

	if (!tg->pid || (!tg->pid_start && !tg->has_pidfd))
		return 0;
	if (tg->has_pidfd && !gone)
		return 0;
	/* Gone, with its start time still there: a zombie, or a number given
	 * again within the clock tick it started in. */
	if (cs_proc_start_ticks("/proc", tg->pid, &now) < 0 || (gone && now == tg->pid_start))
		return cs_diag_set(d, ESRCH, 0, 0, "pid",
				   "process %d exited before the trace began: nothing was traced",
				   (int)tg->pid);
	if (now != tg->pid_start || gone)
		return cs_diag_set(d, ESRCH, 0, 0, "pid",
				   "process %d exited before the trace began, and its number now "
				   "names a process started later: nothing was traced",
				   (int)tg->pid);
	return 0;
}

void cs_trace_target_close(struct cs_trace_target *tg)
{
	if (tg->has_pidfd)
		close(tg->pidfd);
	tg->has_pidfd = false;
	tg->pidfd = -1;
}

/*
 * The thread group of pid when pid is a thread other than its leader, else
 * 0. The tracer follows processes (thread groups) and their children: given
 * a thread's id it matched nothing, and the report said "no capability
 * checks" of a thread that made them.
 */
static pid_t leader_of_thread(pid_t pid)
{
	struct cs_proc_status st;
	pid_t tgid;

	if (cs_proc_status_read(pid, 0, &st, NULL) < 0)
		return 0;
	tgid = st.tgid;
	cs_proc_status_free(&st);
	return tgid > 0 && tgid != pid ? tgid : 0;
}

int cs_trace_resolve_pid(struct cs_trace_target *tg, struct cs_diag *d)
{
	pid_t leader;
	int rc;

	if (tg->pid == getpid()) /* `sh -c 'capscope trace -p $$'` execs it */
		return cs_diag_set(d, EINVAL, 0, 0, "pid",
				   "process %d is this capscope trace itself", (int)tg->pid);
	if (kill(tg->pid, 0) < 0 && errno == ESRCH)
		return cs_diag_set(d, ESRCH, 0, 0, "pid", "process %d: no such process",
				   (int)tg->pid);
	if ((leader = leader_of_thread(tg->pid)) > 0)
		return cs_diag_set(d, EINVAL, 0, 0, "pid",
				   "%d is a thread of process %d: give -p %d (a process "
				   "is traced with all its threads)",
				   (int)tg->pid, (int)leader, (int)leader);
	/*
	 * A pidfd first, then /proc says when it started, then the pidfd
	 * says the process was alive after that read: both are of the
	 * one process. When /proc/PID/stat cannot be read but /proc can
	 * (ours is), the process exited since kill(): it is refused, as
	 * then. Session 11, part E: the start time was left 0, which
	 * turned the reuse check off for the run.
	 */
	rc = (int)syscall(SYS_pidfd_open, tg->pid, 0);
	if (rc < 0 && errno == ESRCH)
		return cs_diag_set(d, ESRCH, 0, 0, "pid", "process %d: no such process",
				   (int)tg->pid);
	tg->has_pidfd = rc >= 0; /* ENOSYS before Linux 5.3: the start time alone */
	tg->pidfd = rc;
	rc = cs_proc_start_ticks("/proc", tg->pid, &tg->pid_start);
	if (tg->has_pidfd && pid_gone(tg->pid, tg->pidfd)) { /* a zombie, or since gone */
		cs_trace_target_close(tg);
		return cs_diag_set(d, ESRCH, 0, 0, "pid",
				   "process %d exited before the trace began: nothing was traced",
				   (int)tg->pid);
	}
	if (rc < 0) {
		unsigned long long self;

		tg->pid_start = 0; /* no /proc: the pidfd alone */
		if (cs_proc_start_ticks("/proc", getpid(), &self) == 0) {
			cs_trace_target_close(tg);
			return cs_diag_set(d, ESRCH, 0, 0, "pid", "process %d: no such process",
					   (int)tg->pid);
		}
	}
	return 0;
}

int cs_trace_target_resolve(struct cs_trace_target *tg, struct cs_tracer_config *cfg, char **what,
			    struct cs_diag *d)
{
	int rc = 0;

	*what = NULL;
	cfg->scope = CS_TRACER_PIDS;
	/*
	 * The BPF programs see the kernel's (initial namespace's) process ids,
	 * and the ids this process knows are its namespace's: twelfth pass,
	 * `trace -p PID` and `trace -- CMD` in a container without the host's
	 * pid namespace followed ids no task has there and reported "0
	 * processes", no checks and an empty profile. `--all` counted its own
	 * checks, left out by its id, and was refused here too; since the
	 * fourteenth pass the programs tell capscope by its id in its own
	 * namespace (bpf/capscope.bpf.c, is_self), and --all runs.
	 */
	if ((tg->cmd || tg->pid) && (rc = cs_proc_in_child_pidns()) < 0)
		return cs_diag_set(d, -rc, 0, 0, "pid",
				   "/proc/self/ns/pid: %s: the tracer sees the host's process ids "
				   "and cannot tell whether this capscope's are the same",
				   strerror(-rc));
	if ((tg->cmd || tg->pid) && rc == 1)
		return cs_diag_set(
		    d, ENOTSUP, 0, 0, "pid",
		    "this capscope runs in a pid namespace other than the host's, "
		    "and the tracer sees the host's process ids: it would follow no "
		    "process; run it in the host's (hostPID: true), or give --cgroup "
		    "or --container");
	if (tg->cmd) {
		rc = (*what = cs_strf("'%s'", tg->cmd[0])) ? 0 : -1;
	} else if (tg->pid) {
		if ((rc = cs_trace_resolve_pid(tg, d)) < 0)
			return rc;
		rc = asprintf(what, "process %d and its children", (int)tg->pid);
	} else if (tg->all) {
		cfg->scope = CS_TRACER_ALL;
		rc = asprintf(what, "all processes");
	} else {
		return resolve_cgroup(tg, cfg, what, d);
	}
	if (rc < 0) {
		*what = NULL;
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cs_wait_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

static int watch_command(struct cs_tracer *t, const struct cs_trace_watch *w, int *status,
			 struct cs_diag *d)
{
	char *const *cmd = w->target->cmd;
	pid_t child = 0;
	int rc = cs_tracer_spawn(t, cmd, w->cmd_stdout_to_stderr, &child);

	if (rc < 0)
		return cs_diag_set(d, -rc, 0, 0, NULL, "cannot run '%s': %s", cmd[0],
				   strerror(-rc));
	for (;;) {
		int st;

		if (waitpid(child, &st, WNOHANG) == child) {
			*status = cs_wait_status(st);
			return 0;
		}
		if (w->signal && *w->signal) {
			/* A signal sent to the tracer alone is passed on; the
			 * terminal's Ctrl-C already reached the child. */
			if (!(w->signal_from_tty && *w->signal_from_tty))
				kill(child, *w->signal);
			*w->signal = 0;
		}
		cs_tracer_poll(t, 50, w->on_event, w->ctx);
	}
}

/* The traced cgroup's directory, to notice its removal (cg->path NULL: none). */
static void watched_cgroup(const struct cs_trace_target *tg, struct cs_cgroup_target *cg)
{
	char *cpath = NULL;

	if (tg->container && cs_container_cgroup(tg->container, &cpath, NULL) < 0)
		return;
	if ((tg->cgroup || cpath) && cs_cgroup_resolve(cpath ? cpath : tg->cgroup, cg) < 0)
		cs_cgroup_target_free(cg);
	free(cpath);
}

/* Removed (a cgroup is removed only once empty), or another made at its path. */
static bool cgroup_gone(const struct cs_cgroup_target *cg)
{
	struct stat sb;

	return cg->path && (stat(cg->path, &sb) < 0 ? errno == ENOENT : sb.st_ino != cg->id);
}

int cs_tracer_watch(struct cs_tracer *t, const struct cs_trace_watch *w, int *status,
		    struct cs_diag *d)
{
	const struct cs_trace_target *tg = w->target;
	struct cs_cgroup_target cg = {0};
	cs_cleanup_close int pidfd = -1;
	double t0 = now_s();
	int rc = 0;

	/*
	 * The printer is set by polling: the events still queued when the
	 * watch ends are handed to it by cs_tracer_collect. A command (or
	 * process) that ended before the first poll left none set, and --events
	 * printed none of its checks, though the report counted them.
	 */
	cs_tracer_poll(t, 0, w->on_event, w->ctx);
	if (tg->cmd)
		return watch_command(t, w, status, d);
	if (tg->pid) {
		/* It existed when resolved; loading the programs takes a while, and
		 * a process gone by now was reported as traced: "0 processes, 0
		 * checks, profile: (no capabilities)", exit 0. */
		pidfd = tg->has_pidfd ? fcntl(tg->pidfd, F_DUPFD_CLOEXEC, 0)
				      : (int)syscall(SYS_pidfd_open, tg->pid, 0);
		if ((pidfd < 0 && errno == ESRCH) || pid_gone(tg->pid, pidfd)) /* or a zombie */
			return cs_diag_set(d, ESRCH, 0, 0, "pid",
					   "process %d exited before the trace began: nothing was "
					   "traced",
					   (int)tg->pid);
		/* After the pidfd: a number reused before it was opened shows here,
		 * and the process it holds cannot change after. */
		if ((rc = cs_trace_target_same(tg, d)) < 0)
			return rc;
		cs_tracer_track_tree(t, tg->pid);
	}
	watched_cgroup(tg, &cg);
	while (!(w->signal && *w->signal)) {
		if (w->duration > 0 && now_s() - t0 >= w->duration)
			break;
		if (tg->pid && pid_gone(tg->pid, pidfd))
			break;
		if (cgroup_gone(&cg)) {
			rc = 1;
			break;
		}
		cs_tracer_poll(t, 100, w->on_event, w->ctx);
	}
	cs_cgroup_target_free(&cg);
	return rc;
}
