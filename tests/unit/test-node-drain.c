/* SPDX-License-Identifier: MIT */
/*
 * capscope serve --trace: the agent drains the kernel's maps while the
 * programs go on counting (cs_tracer_drain). A check being counted as its
 * row is taken must be counted once, in its own row: this test makes two
 * processes, each in a cgroup of its own and on a CPU of its own, check
 * CAP_SETUID a known number of times while the drain runs in a loop, and
 * wants exactly that number in each cgroup's row, nothing more, nothing
 * less. Fifteenth pass, second round (part K's find, fixed by part T): a
 * row was taken by lookup-and-delete while a program held a pointer into
 * it from its lookup; the add that followed went to an element already
 * read (lost) or already reused for another row.
 *
 * Real processes in real cgroups made under the v2 mount
 * (capscope-test-nd-PID), killed and removed by the teardown even after a
 * failed assertion. Skips without root, a writable cgroup v2 mount, BPF or
 * a second CPU (the race needs the drain and a check at the same time),
 * and when no drain took a row while the checks ran (then the window was
 * not reached, and the test would prove nothing).
 */
#include "cmocka-wrap.h"
#include "fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope/node.h"

#define CAP_SETUID_NR 7
#define WORKERS	      2

static char top[256];
static pid_t workers[WORKERS] = {-1, -1}; /* killed by the teardown too */

static uint64_t ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Pinned to cpu, or false. */
static bool pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

/*
 * A child in cgroup dir, on cpu: waits for a byte on go, then makes n
 * CAP_SETUID checks (setuid to its own uid as root), then exits 0.
 */
static pid_t worker(const char *dir, int cpu, long n, int go)
{
	pid_t p = fork();

	if (p == 0) {
		char procs[320], b;
		uid_t u = getuid();
		int fd;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1 || !pin(cpu))
			_exit(3);
		close(fd);
		prctl(PR_SET_NAME, "nd-worker");
		if (read(go, &b, 1) != 1)
			_exit(5);
		for (long i = 0; i < n; i++)
			if (setuid(u) < 0)
				_exit(4);
		_exit(0);
	}
	return p;
}

/* The granted CAP_SETUID checks counted for cgroup, 0 when none. */
static uint64_t setuids(const struct cs_node_trace *nt, uint64_t cgroup)
{
	for (size_t i = 0; i < nt->n; i++)
		if (nt->v[i].cgroup == cgroup)
			return nt->v[i].checks[CAP_SETUID_NR][0];
	return 0;
}

/* Whether every worker has exited; each must have exited 0. */
static bool all_done(int *left)
{
	for (int i = 0; i < WORKERS; i++) {
		int st;

		if (workers[i] < 0 || waitpid(workers[i], &st, WNOHANG) != workers[i])
			continue;
		workers[i] = -1;
		(*left)--;
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	return *left == 0;
}

static void exact_while_draining(void **state)
{
	struct cs_node_trace nt;
	struct cs_diag d = {0};
	char *root = NULL, dir[WORKERS][300];
	uint64_t id[WORKERS], before[WORKERS] = {0};
	const char *env = getenv("CS_TEST_DRAIN_N");
	long n = env ? atol(env) : 300000, drains = 0, overlapped = 0;
	int go[2], left = WORKERS;

	(void)state;
	if (geteuid() != 0 || cs_cgroup2_root(&root) < 0)
		skip(); /* not root, or no cgroup v2 here */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || !pin(0) || !pin(1))
		skip(); /* the drain and a check at the same time need two CPUs */
	snprintf(top, sizeof(top), "%s/capscope-test-nd-%d", strcmp(root, "/") ? root : "",
		 (int)getpid());
	free(root);
	if (mkdir(top, 0755) < 0)
		skip(); /* the cgroup mount refused */
	for (int i = 0; i < WORKERS; i++) {
		snprintf(dir[i], sizeof(dir[i]), "%s/w%d", top, i);
		assert_int_equal(mkdir(dir[i], 0755), 0);
		id[i] = ino(dir[i]);
	}
	/* The drain floats; the workers each have a CPU. */
	{
		cpu_set_t all;

		CPU_ZERO(&all);
		CPU_SET(0, &all);
		CPU_SET(1, &all);
		assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
	}
	if (cs_node_trace_open(&nt, 0, &d) < 0)
		skip(); /* no BPF here */
	/* Named as containers' own, as the agent does: their checks past a
	 * full map go to their spill entries, drained the same way. */
	{
		uint64_t sorted[WORKERS] = {id[0] < id[1] ? id[0] : id[1],
					    id[0] < id[1] ? id[1] : id[0]};

		assert_int_equal(cs_tracer_set_owners(nt.tracer, sorted, WORKERS), 0);
	}
	assert_true(cs_node_trace_drain(&nt) >= 0);
	assert_int_equal(pipe(go), 0);
	for (int i = 0; i < WORKERS; i++)
		assert_true((workers[i] = worker(dir[i], i, n, go[0])) > 0);
	close(go[0]);
	assert_int_equal(write(go[1], "gg", WORKERS), WORKERS);
	close(go[1]);
	while (!all_done(&left)) {
		assert_true(cs_node_trace_drain(&nt) >= 0);
		drains++;
		for (int i = 0; i < WORKERS; i++) {
			uint64_t now = setuids(&nt, id[i]);

			overlapped += now != before[i];
			before[i] = now;
		}
	}
	assert_true(cs_node_trace_drain(&nt) >= 0);
	print_message("# %ld drains while %d x %ld checks ran, %ld took a worker's row\n", drains,
		      WORKERS, n, overlapped);
	for (int i = 0; i < WORKERS; i++)
		print_message("# worker %d: %llu of %ld counted\n", i,
			      (unsigned long long)setuids(&nt, id[i]), n);
	if (overlapped < 10) {
		cs_node_trace_close(&nt);
		skip(); /* the window was not reached: no verdict */
	}
	for (int i = 0; i < WORKERS; i++)
		assert_int_equal(setuids(&nt, id[i]), n);
	cs_node_trace_close(&nt);
}

static int teardown(void **state)
{
	char p[64];

	(void)state;
	for (int i = 0; i < WORKERS; i++)
		if (workers[i] > 0) {
			kill(workers[i], SIGKILL);
			waitpid(workers[i], NULL, 0);
			workers[i] = -1;
		}
	snprintf(p, sizeof(p), "capscope-test-nd-%d", (int)getpid());
	cs_test_rm_cgroup_tree(p);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(exact_while_draining, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
