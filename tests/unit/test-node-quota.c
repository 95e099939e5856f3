/* SPDX-License-Identifier: MIT */
/*
 * capscope serve --trace with the real BPF programs: one cgroup's share of
 * the kernel map (bpf/capscope.bpf.c, cgroup_rows). Real processes in real
 * cgroups made under the v2 mount (capscope-test-nq-PID, removed by the
 * teardown even after a failed assertion). Skips without root, a writable
 * cgroup v2 mount or BPF.
 */
#include "cmocka-wrap.h"
#include "fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope-trace.h"
#include "capscope/node.h"

#define CAP_CHOWN_NR 0
/* More distinct rows than the kernel map holds (16,384). */
#define FLOOD 20000

static char top[256], file[64];

static uint64_t ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* In a child: join cgroup dir (its cgroup.procs), or _exit(3). */
static void join(const char *dir)
{
	char procs[1200]; /* deep chains: many_levels */
	int fd;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(3);
	close(fd);
}

/* Wait for child p, which must have exited 0. */
static void reap(pid_t p)
{
	int st;

	assert_true(p >= 0);
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * A child in cgroup dir making n CAP_CHOWN checks (chown of a file owned by
 * another uid), named comm, or renaming itself before each when comm is
 * NULL: a new comm, a new row each. Returns when it has exited.
 */
static void checks_in(const char *dir, int n, const char *comm)
{
	pid_t p = fork();

	if (p == 0) {
		join(dir);
		for (int i = 0; i < n; i++) {
			char name[16];

			snprintf(name, sizeof(name), "nq%d", i);
			prctl(PR_SET_NAME, comm ? comm : name);
			if (chown(file, (uid_t)(1 + (i & 1)), (gid_t)-1) < 0)
				_exit(4);
		}
		_exit(0);
	}
	reap(p);
}

/* The granted CAP_CHOWN checks of cgroup's row, -1 when it has none. */
static long long chowns(const struct cs_node_trace *nt, uint64_t cgroup)
{
	for (size_t i = 0; i < nt->n; i++)
		if (nt->v[i].cgroup == cgroup)
			return (long long)nt->v[i].checks[CAP_CHOWN_NR][0];
	return -1;
}

/* top/NAME made, with its id; false when the cgroup mount refused. */
static bool make_top(const char *name, char *dir, size_t len, uint64_t *id)
{
	char *root = NULL;

	if (geteuid() != 0 || cs_cgroup2_root(&root) < 0)
		return false;
	snprintf(top, sizeof(top), "%s/capscope-test-nq-%d", strcmp(root, "/") ? root : "",
		 (int)getpid());
	free(root);
	if (mkdir(top, 0755) < 0)
		return false;
	snprintf(dir, len, "%s/%s", top, name);
	assert_int_equal(mkdir(dir, 0755), 0);
	*id = ino(dir);
	return true;
}

/* The file the checks chown (file), made anew for this test. */
static void make_file(void)
{
	int fd;

	snprintf(file, sizeof(file), "/tmp/cs-nq-%d", (int)getpid());
	assert_true((fd = open(file, O_CREAT | O_WRONLY | O_EXCL, 0600)) >= 0);
	close(fd);
}

/* n cgroups PARENT/<prefix>0.. below parent; their ids in ids (when given). */
static void make_subs(const char *parent, const char *prefix, int n, uint64_t *ids)
{
	char sub[320];

	for (int i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%s/%s%d", parent, prefix, i);
		assert_int_equal(mkdir(sub, 0755), 0);
		if (ids)
			ids[i] = ino(sub);
	}
}

/* The node's programs loaded (the test skipped where BPF is not), the
 * container's cgroup owner named to them (when given), and what came before
 * drained. */
static void open_traced(struct cs_node_trace *nt, const uint64_t *owner)
{
	struct cs_diag d = {0};

	if (cs_node_trace_open(nt, 0, &d) < 0)
		skip(); /* no BPF here */
	if (owner)
		assert_int_equal(cs_tracer_set_owners(nt->tracer, owner, 1), 0);
	assert_true(cs_node_trace_drain(nt) >= 0);
}

/*
 * Fourteenth pass, part K (part E's open find): a container whose processes
 * renamed themselves before each check filled the one kernel map every
 * container shares, and another container's checks were lost until the
 * next drain (kernel_map_full). Now the flooding cgroup has at most
 * CS_CGROUP_ROWS rows of its own, the rest coarse: the other's check is
 * counted, and so is every one of the flood's (by capability).
 */
static void flood_leaves_room(void **state)
{
	struct cs_node_trace nt;
	struct cs_tracer_stats st;
	char flood[300], victim[300];
	uint64_t flood_id, victim_id;

	(void)state;
	if (!make_top("flood", flood, sizeof(flood), &flood_id))
		skip(); /* not root, or no writable cgroup v2 here */
	snprintf(victim, sizeof(victim), "%s/victim", top);
	assert_int_equal(mkdir(victim, 0755), 0);
	victim_id = ino(victim);
	make_file();
	open_traced(&nt, NULL);

	checks_in(flood, FLOOD, NULL);
	checks_in(victim, 1, "nq-victim");
	assert_true(cs_node_trace_drain(&nt) > 0);
	cs_tracer_stats(nt.tracer, &st);

	/* The other cgroup's one check, counted. */
	assert_int_equal(chowns(&nt, victim_id), 1);
	/* Every check of the flood counted, by capability. */
	assert_int_equal(chowns(&nt, flood_id), FLOOD);
	assert_true(st.coarse >= FLOOD - CS_CGROUP_ROWS - 2 * 64);
	cs_node_trace_close(&nt);
}

#define SUBS	300
#define PER_SUB 70

/*
 * The same with delegation: a container that makes cgroups of its own
 * below its cgroup. Charged by leaf, each of its 300 sub-cgroups had its
 * own 64 rows and its own coarse row, 19,500 rows, and the other
 * container's check was lost again. Charged to the container's cgroup
 * (cs_tracer_set_owners, as the agent does after each scan), all its
 * sub-cgroups share one quota.
 */
static void subcgroups_share(void **state)
{
	struct cs_node_trace nt;
	char ctr[300], victim[300], sub[320];
	uint64_t ctr_id, victim_id, ids[SUBS];
	long long sum = 0;

	(void)state;
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	snprintf(victim, sizeof(victim), "%s/victim", top);
	assert_int_equal(mkdir(victim, 0755), 0);
	victim_id = ino(victim);
	make_subs(ctr, "s", SUBS, ids);
	make_file();
	open_traced(&nt, &ctr_id);

	for (int i = 0; i < SUBS; i++) {
		snprintf(sub, sizeof(sub), "%s/s%d", ctr, i);
		checks_in(sub, PER_SUB, NULL);
	}
	checks_in(victim, 1, "nq-victim");
	assert_true(cs_node_trace_drain(&nt) > 0);

	assert_int_equal(chowns(&nt, victim_id), 1);
	/* Every check of the container's, in its sub-cgroups' rows and its own coarse one. */
	for (int i = 0; i < SUBS; i++)
		sum += chowns(&nt, ids[i]) > 0 ? chowns(&nt, ids[i]) : 0;
	sum += chowns(&nt, ctr_id) > 0 ? chowns(&nt, ctr_id) : 0;
	assert_int_equal(sum, SUBS * PER_SUB);
	cs_node_trace_close(&nt);
}

static pid_t sleeper = -1, sleeper2 = -1; /* killed by the teardown too */

/*
 * Fourteenth pass, part E's open find: the agent joined at most 256
 * sub-cgroups a container a scrape (a walk of the cgroup tree, MAX_SUBS
 * in lib/node/trace.c) and counted the checks of the rest as no
 * container's. Now a named container's sub-cgroups' rows are keyed by its
 * cgroup in the kernel: 300 sub-cgroups, one check each, are all the
 * container's (before: 256 rows by leaf and 44 in the
 * container's coarse row: 0x2c != 0x12c below).
 */
static void subcgroups_keyed_by_owner(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {.id = "nq-owner"}, *cp = &c;
	struct cs_node_inventory inv = {.v = &cp, .n = 1};
	char ctr[300], sub[320];
	uint64_t ctr_id, ids[SUBS];
	const struct cs_node_usage *u;
	int ready[2];
	char byte;

	(void)state;
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	make_subs(ctr, "s", SUBS, ids);
	make_file();
	open_traced(&nt, &ctr_id);

	for (int i = 0; i < SUBS; i++) {
		snprintf(sub, sizeof(sub), "%s/s%d", ctr, i);
		checks_in(sub, 1, "nq-sub");
	}
	assert_true(cs_node_trace_drain(&nt) > 0);
	assert_int_equal(chowns(&nt, ctr_id), SUBS);
	for (int i = 0; i < SUBS; i++)
		assert_int_equal(chowns(&nt, ids[i]), -1);

	/* The agent's claim: the container's first process in its cgroup
	 * (it says when it has joined: a claim before would find no owner). */
	assert_int_equal(pipe(ready), 0);
	sleeper = fork();
	if (sleeper == 0) {
		join(ctr);
		if (write(ready[1], "j", 1) != 1)
			_exit(5);
		pause();
		_exit(0);
	}
	assert_true(sleeper > 0);
	close(ready[1]);
	assert_int_equal(read(ready[0], &byte, 1), 1);
	close(ready[0]);
	c.pid = sleeper;
	assert_int_equal(cs_node_trace_claim(&nt, &inv, NULL), 0);
	assert_int_equal(c.cgroup, ctr_id);
	assert_non_null(u = cs_node_trace_usage(&nt, &c));
	assert_int_equal(u->checks[CAP_CHOWN_NR][0], SUBS);
	/* (nt.unclaimed is not asserted: it counts the node's other processes.) */
	cs_node_trace_close(&nt);
	free(c.cgroup_path);
}

/* In a child: a process in ctr until killed; returns its pid once it has joined. */
static pid_t sleeper_in(const char *dir)
{
	int ready[2];
	char byte;
	pid_t p;

	assert_int_equal(pipe(ready), 0);
	p = fork();
	if (p == 0) {
		join(dir);
		if (write(ready[1], "j", 1) != 1)
			_exit(5);
		pause();
		_exit(0);
	}
	assert_true(p > 0);
	close(ready[1]);
	assert_int_equal(read(ready[0], &byte, 1), 1);
	close(ready[0]);
	return p;
}

#define DEEP 12

/*
 * Part E's open find (fifteenth pass): rows made before the agent names a
 * container (between its start and the scan that finds it) are keyed by
 * the sub-cgroups, and the agent joined them by walking the container's
 * tree, 256 directories a scrape: of 300 sub-cgroups and one 12 levels
 * down, one check each, 56 were counted as no container's (0xf5 != 0x12d
 * below). Now each row
 * is joined from its own cgroup up: all 300, and one 12 levels down, are
 * the container's; another container's below it keeps its own.
 */
static void rows_before_naming_joined(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {.id = "nq-owner"}, inner = {.id = "nq-inner"};
	struct cs_node_ctr *cp[] = {&c, &inner};
	struct cs_node_inventory inv = {.v = cp, .n = 2};
	char ctr[300], sub[320], deep[320 + DEEP * 3], in[320];
	uint64_t ctr_id;
	const struct cs_node_usage *u;

	(void)state;
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	make_subs(ctr, "s", SUBS, NULL);
	snprintf(deep, sizeof(deep), "%s", ctr);
	for (int i = 0; i < DEEP; i++) {
		strcat(deep, "/d");
		assert_int_equal(mkdir(deep, 0755), 0);
	}
	snprintf(in, sizeof(in), "%s/s7/inner", ctr);
	assert_int_equal(mkdir(in, 0755), 0);
	make_file();
	open_traced(&nt, NULL);

	/* No container named yet: every row keyed by its leaf. */
	for (int i = 0; i < SUBS; i++) {
		snprintf(sub, sizeof(sub), "%s/s%d", ctr, i);
		checks_in(sub, 1, "nq-sub");
	}
	checks_in(deep, 1, "nq-deep");
	checks_in(in, 2, "nq-inner");
	assert_true(cs_node_trace_drain(&nt) > 0);

	sleeper = sleeper_in(ctr);
	sleeper2 = sleeper_in(in);
	c.pid = sleeper;
	inner.pid = sleeper2;
	assert_int_equal(cs_node_trace_claim(&nt, &inv, NULL), 0);
	assert_int_equal(c.cgroup, ctr_id);
	assert_non_null(u = cs_node_trace_usage(&nt, &c));
	assert_int_equal(u->checks[CAP_CHOWN_NR][0], SUBS + 1);
	assert_non_null(u = cs_node_trace_usage(&nt, &inner));
	assert_int_equal(u->checks[CAP_CHOWN_NR][0], 2);
	cs_node_trace_close(&nt);
	free(c.cgroup_path);
	free(inner.cgroup_path);
}

#define OWNER_LEVEL 33

/*
 * A container whose own cgroup is deeper than level 31: the programs'
 * walk looked at levels 1 to 31 only, so its sub-cgroups' rows were keyed
 * and charged by their leaves (each its own quota; past a full map, lost),
 * silently (-1 below before). The walk now starts at the shallowest named
 * container's level.
 */
static void deep_owner(void **state)
{
	struct cs_node_trace nt;
	char owner[400], sub[410];
	uint64_t ctr_id, owner_id, sub_id;

	(void)state;
	if (!make_top("ctr", owner, sizeof(owner), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	/* top is at level 1 under the mount, ctr at 2 */
	for (int l = 3; l <= OWNER_LEVEL; l++) {
		strcat(owner, "/c");
		assert_int_equal(mkdir(owner, 0755), 0);
	}
	owner_id = ino(owner);
	snprintf(sub, sizeof(sub), "%s/s", owner);
	assert_int_equal(mkdir(sub, 0755), 0);
	sub_id = ino(sub);
	make_file();
	open_traced(&nt, &owner_id);
	checks_in(sub, 3, "nq-deep");
	assert_true(cs_node_trace_drain(&nt) > 0);
	assert_int_equal(chowns(&nt, owner_id), 3);
	assert_int_equal(chowns(&nt, sub_id), -1);
	cs_node_trace_close(&nt);
}

#define FEW 40

/* open_by_handle_at(2) failing with EPERM, as without CAP_DAC_READ_SEARCH
 * (x86-64; false elsewhere). For this process and its children. */
static bool deny_handles(void)
{
#if defined(__x86_64__)
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xC000003E /* AUDIT_ARCH_X86_64 */, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_open_by_handle_at, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
#else
	return false;
#endif
}

/* In a child without cmocka (a failed assertion there would go on with the
 * parent's tests): FEW sub-cgroups' rows made before the container is
 * named, joined with open_by_handle_at refused. The exit status says. */
static int without_handles(const char *ctr, uint64_t ctr_id)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {.id = "nq-owner"}, *cp = &c;
	struct cs_node_inventory inv = {.v = &cp, .n = 1};
	struct cs_diag d = {0};
	const struct cs_node_usage *u;
	char sub[320];

	if (!deny_handles())
		return 77;
	if (cs_node_trace_open(&nt, 0, &d) < 0 || cs_node_trace_drain(&nt) < 0)
		return 10;
	for (int i = 0; i < FEW; i++) {
		int st;
		pid_t p = fork();

		snprintf(sub, sizeof(sub), "%s/s%d", ctr, i);
		if (p == 0) {
			join(sub);
			prctl(PR_SET_NAME, "nq-sub");
			_exit(chown(file, 1, (gid_t)-1) < 0 ? 4 : 0);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
			return 11;
	}
	if (cs_node_trace_drain(&nt) <= 0)
		return 12;
	join(ctr); /* this process is the container's first */
	c.pid = getpid();
	if (cs_node_trace_claim(&nt, &inv, NULL) < 0 || c.cgroup != ctr_id)
		return 13;
	if (!(u = cs_node_trace_usage(&nt, &c)) || u->checks[CAP_CHOWN_NR][0] != FEW)
		return 14;
	cs_node_trace_close(&nt);
	free(c.cgroup_path);
	return 0;
}

/* Where the kernel will not open a cgroup by its id, the rows are still
 * joined, by the walk of the container's tree (under its 256). */
static void rows_joined_without_handles(void **state)
{
	char ctr[300];
	uint64_t ctr_id;
	int st;
	pid_t p;

	(void)state;
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	make_subs(ctr, "s", FEW, NULL);
	make_file();
	if ((p = fork()) == 0)
		_exit(without_handles(ctr, ctr_id));
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77 || WEXITSTATUS(st) == 10)
		skip(); /* no seccomp filter, or no BPF here */
	assert_int_equal(WEXITSTATUS(st), 0);
}

#define FILLERS	   70
#define PER_FILLER 240

/* Fill the node's kernel map: FILLERS cgroups below top, PER_FILLER rows each. */
static void fill_map(void)
{
	char sub[320];

	make_subs(top, "f", FILLERS, NULL);
	for (int i = 0; i < FILLERS; i++) {
		snprintf(sub, sizeof(sub), "%s/f%d", top, i);
		checks_in(sub, PER_FILLER, NULL);
	}
}

/*
 * Fourteenth pass, part K's open find: each cgroup's rows are bounded, but
 * some 22 containers flooding in the same second still filled the node's
 * map, and a later container's checks were lost until the next drain
 * (-1 here). 70 cgroups of 240 rows each (16,800, each under its quota)
 * fill it; a named container's checks after that are counted by its
 * cgroup (cgroup_spill).
 */
static void map_full_keeps_named(void **state)
{
	struct cs_node_trace nt;
	struct cs_tracer_stats st;
	char ctr[300];
	uint64_t ctr_id;

	(void)state;
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	make_file();
	open_traced(&nt, &ctr_id);
	fill_map();
	checks_in(ctr, 7, "nq-late");
	checks_in(ctr, 3, "runc:[2:INIT]");
	cs_tracer_stats(nt.tracer, &st);
	assert_true(st.spilled >= 7); /* the map was full */
	assert_int_equal(st.dropped, 0);
	assert_true(cs_node_trace_drain(&nt) > 0);
	/* The named container's 7 counted; the runtime init's 3 left out. */
	assert_int_equal(chowns(&nt, ctr_id), 7);
	cs_node_trace_close(&nt);
}

/*
 * Sixteenth pass (the fifteenth's open find, part E): past a full map, a
 * cgroup no container has yet (a container between its start and the
 * scan that finds it) lost its checks, counted only as dropped (-1 below
 * before). Now it takes a spill entry of its own, and the agent joins it
 * to the container when the scan names it.
 */
static void map_full_keeps_unnamed(void **state)
{
	struct cs_node_trace nt;
	struct cs_tracer_stats st;
	char ctr[300];
	uint64_t ctr_id;

	(void)state;
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	make_file();
	open_traced(&nt, NULL);
	fill_map();
	checks_in(ctr, 7, "nq-late");
	cs_tracer_stats(nt.tracer, &st);
	assert_true(st.spilled >= 7); /* the map was full */
	assert_int_equal(st.dropped, 0);
	assert_true(cs_node_trace_drain(&nt) > 0);
	assert_int_equal(chowns(&nt, ctr_id), 7);
	cs_node_trace_close(&nt);
}

#define SPILLERS (CS_CGROUP_SPILL_ANON + 150)

/*
 * Past the spill entries too (more unnamed cgroups spilling in one drain
 * than CS_CGROUP_SPILL_ANON; named containers past CS_CGROUP_SPILL_MAX
 * likewise), a check is counted: by capability and verdict in the node's
 * counters (rows of cgroup 0, capscope_trace_unattributed_checks_total),
 * never dropped (before: the last 150 or more counted only as dropped).
 */
static void spill_full_counts_on_node(void **state)
{
	struct cs_node_trace nt;
	struct cs_tracer_stats st;
	char ctr[300], sub[320];
	uint64_t ctr_id, *ids = calloc(SPILLERS, sizeof(*ids));
	long long kept = 0;

	(void)state;
	assert_non_null(ids);
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id)) {
		free(ids);
		skip(); /* not root, or no writable cgroup v2 here */
	}
	make_subs(ctr, "s", SPILLERS, ids);
	make_file();
	{
		struct cs_diag d = {0};

		/* A table with room for every cgroup here: none in overflow. */
		if (cs_node_trace_open(&nt, 4 * SPILLERS, &d) < 0)
			skip(); /* no BPF here */
	}
	assert_true(cs_node_trace_drain(&nt) >= 0);
	fill_map();
	for (int i = 0; i < SPILLERS; i++) {
		snprintf(sub, sizeof(sub), "%s/s%d", ctr, i);
		checks_in(sub, 1, "nq-spill");
	}
	cs_tracer_stats(nt.tracer, &st);
	assert_int_equal(st.dropped, 0);
	assert_true(st.spilled_node > 0);
	assert_true(cs_node_trace_drain(&nt) > 0);
	assert_int_equal(nt.overflow, 0);
	for (int i = 0; i < SPILLERS; i++)
		kept += chowns(&nt, ids[i]) > 0 ? chowns(&nt, ids[i]) : 0;
	assert_true(kept <= CS_CGROUP_SPILL_ANON);
	/* The rest by capability (other processes of the node may add theirs). */
	assert_true(kept + (long long)nt.node_spill.checks[CAP_CHOWN_NR][0] >= SPILLERS);
	assert_true(nt.node_spill.coarse >= SPILLERS - (uint64_t)kept);
	/* Drained again, nothing is counted twice: the node's counters are
	 * taken by difference. */
	kept = (long long)nt.node_spill.checks[CAP_CHOWN_NR][0];
	assert_true(cs_node_trace_drain(&nt) >= 0);
	assert_true((long long)nt.node_spill.checks[CAP_CHOWN_NR][0] - kept < 64);
	cs_node_trace_close(&nt);
	free(ids);
}

#define FAR 40

/*
 * Fifteenth pass' open find (part K): two containers more than 31 levels
 * apart (one at level 2, one at 40): the walk looked at 32 levels from the
 * shallowest, so the deeper one's sub-cgroups were charged by their leaves
 * (-1 below before). Now the walk looks at the levels where a named
 * container is, whatever the distance.
 */
static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void far_apart(bool one_gone)
{
	struct cs_node_trace nt;
	char near[300], far[300 + 3 * FAR], sub[320 + 3 * FAR], gone[320];
	uint64_t ids[3], sub_id;
	size_t n = 2;

	if (!make_top("ctr", near, sizeof(near), &ids[0]))
		skip();				    /* not root, or no writable cgroup v2 here */
	snprintf(far, sizeof(far), "%s/deep", top); /* level 2 */
	assert_int_equal(mkdir(far, 0755), 0);
	for (int l = 3; l <= FAR; l++) {
		strcat(far, "/c");
		assert_int_equal(mkdir(far, 0755), 0);
	}
	ids[1] = ino(far);
	snprintf(sub, sizeof(sub), "%s/s", far);
	assert_int_equal(mkdir(sub, 0755), 0);
	sub_id = ino(sub);
	if (one_gone) { /* a container that exited since the scan named it */
		snprintf(gone, sizeof(gone), "%s/gone", top);
		assert_int_equal(mkdir(gone, 0755), 0);
		ids[n++] = ino(gone);
		assert_int_equal(rmdir(gone), 0);
	}
	make_file();
	qsort(ids, n, sizeof(ids[0]), u64_cmp);
	{
		struct cs_diag d = {0};

		if (cs_node_trace_open(&nt, 0, &d) < 0)
			skip(); /* no BPF here */
	}
	assert_int_equal(cs_tracer_set_owners(nt.tracer, ids, n), 0);
	assert_true(cs_node_trace_drain(&nt) >= 0);
	checks_in(sub, 3, "nq-far");
	checks_in(near, 2, "nq-near");
	assert_true(cs_node_trace_drain(&nt) > 0);
	assert_int_equal(chowns(&nt, ino(far)), 3);
	assert_int_equal(chowns(&nt, sub_id), -1);
	assert_int_equal(chowns(&nt, ino(near)), 2);
	cs_node_trace_close(&nt);
}

static void owners_far_apart(void **state)
{
	(void)state;
	far_apart(false);
}

/*
 * Sixteenth pass, second round: one named container whose cgroup is gone
 * (it exited between the scan and the naming) made every level "not told",
 * and the programs walked levels 1 to 32 again: the level-40 container's
 * sub-cgroup was keyed by its leaf until the next scan. A gone cgroup is
 * left out of the levels; the others' stand.
 */
static void owners_far_apart_one_gone(void **state)
{
	(void)state;
	far_apart(true);
}

/*
 * Sixteenth pass' open find (parts C and J): containers at more than 32
 * distinct levels (a chain of them, levels 2 to 2 + deep - 1): the programs
 * looked at the 32 shallowest, and a deeper container's sub-cgroup was
 * charged to the nearest container looked at, another one (-1 below
 * before). Now 256 levels are looked at, from the leaf's up; past them the
 * containers left out are counted (owners_unwatched), and a container's own
 * cgroup is still its own.
 */
static void many_levels(int deep, long long want_unwatched)
{
	struct cs_node_trace nt;
	char dummy[300], *chain = calloc(1, 3 * (size_t)deep + 400), sub[64];
	uint64_t *ids = calloc((size_t)deep, sizeof(*ids)), deepest, sub_id;
	struct cs_tracer_stats st = {0};
	char *subdir = calloc(1, 3 * (size_t)deep + 480);

	assert_non_null(chain);
	assert_non_null(ids);
	assert_non_null(subdir);
	if (!make_top("unused", dummy, sizeof(dummy), &deepest))
		skip(); /* not root, or no writable cgroup v2 here */
	snprintf(chain, 3 * (size_t)deep + 400, "%s/deep", top); /* level 2 */
	assert_int_equal(mkdir(chain, 0755), 0);
	ids[0] = ino(chain);
	for (int l = 1; l < deep; l++) {
		strcat(chain, "/c");
		assert_int_equal(mkdir(chain, 0755), 0);
		ids[l] = ino(chain);
	}
	deepest = ids[deep - 1];
	snprintf(sub, sizeof(sub), "/s");
	snprintf(subdir, 3 * (size_t)deep + 480, "%s%s", chain, sub);
	assert_int_equal(mkdir(subdir, 0755), 0);
	sub_id = ino(subdir);
	make_file();
	qsort(ids, (size_t)deep, sizeof(ids[0]), u64_cmp);
	{
		struct cs_diag d = {0};

		if (cs_node_trace_open(&nt, 0, &d) < 0)
			skip(); /* no BPF here */
	}
	assert_int_equal(cs_tracer_set_owners(nt.tracer, ids, (size_t)deep), 0);
	cs_tracer_stats(nt.tracer, &st);
	assert_int_equal(st.owners_unwatched, want_unwatched);
	assert_true(cs_node_trace_drain(&nt) >= 0);
	if (!want_unwatched)
		checks_in(subdir, 3, "nq-sub");
	checks_in(chain, 2, "nq-own");
	assert_true(cs_node_trace_drain(&nt) > 0);
	/* The sub-cgroup's 3 chowns in the deepest container's row, with its
	 * own 2; when that container is past the levels looked at, its own. */
	assert_int_equal(chowns(&nt, deepest), want_unwatched ? 2 : 5);
	assert_int_equal(chowns(&nt, sub_id), -1);
	cs_node_trace_close(&nt);
	free(chain);
	free(subdir);
	free(ids);
}

static void owners_many_levels(void **state)
{
	(void)state;
	many_levels(34, 0);
}

/* 258 distinct levels: the two deepest are not looked at, and said so. */
static void owners_past_the_levels(void **state)
{
	(void)state;
	many_levels(258, 2);
}

/* A child in cgroup dir: sethostname in a user and UTS namespace of its own
 * (CAP_SYS_ADMIN, checked against its own user namespace). */
static void own_userns_check_in(const char *dir)
{
	pid_t p = fork();

	if (p == 0) {
		join(dir);
		prctl(PR_SET_NAME, "nq-userns");
		if (unshare(CLONE_NEWUSER | CLONE_NEWUTS) < 0 || sethostname("nq", 2) < 0)
			_exit(4);
		_exit(0);
	}
	reap(p);
}

/*
 * Past the quota, a row keeps what serve's rows are made of: the kind of
 * user namespace (a user-namespaced container whose runc init spent the
 * quota at its start had its own checks shown as "unknown", and
 * only_in_child_user_namespaces missed them), and whether it is the
 * runtime's init (its checks left out, not counted as the container's).
 */
static void coarse_keeps_kind_and_init(void **state)
{
	struct cs_node_trace nt;
	char ctr[300];
	uint64_t ctr_id, used_own = 0;

	(void)state;
	if (!make_top("ctr", ctr, sizeof(ctr), &ctr_id))
		skip(); /* not root, or no writable cgroup v2 here */
	make_file();
	open_traced(&nt, NULL);

	checks_in(ctr, CS_CGROUP_ROWS + 50, NULL); /* the quota spent */
	checks_in(ctr, 5, "nq-victim");
	own_userns_check_in(ctr);
	checks_in(ctr, 7, "runc:[2:INIT]");
	assert_true(cs_node_trace_drain(&nt) > 0);
	for (size_t i = 0; i < nt.n; i++)
		if (nt.v[i].cgroup == ctr_id)
			used_own = nt.v[i].used_in[CS_USERNS_OWN];
	/* The runtime init's 7 chowns left out; the others all counted. */
	assert_int_equal(chowns(&nt, ctr_id), CS_CGROUP_ROWS + 50 + 5);
	/* CAP_SYS_ADMIN (21) used in its own user namespace, told as such. */
	assert_true(used_own & (1ULL << 21));
	cs_node_trace_close(&nt);
}

/* The per-cgroup programs, with the quota's owner walk, load on every hook
 * the kernel has (the verifier takes the bounded loop on each). */
static void loads_on_every_hook(void **state)
{
	static const char *const hooks[] = {"tp_btf", "fexit", "kprobe"};
	int loaded = 0;

	(void)state;
	if (geteuid() != 0)
		skip();
	for (size_t i = 0; i < 3; i++) {
		struct cs_tracer_config cfg = {
		    .scope = CS_TRACER_ALL, .per_cgroup = true, .force_hook = hooks[i]};
		struct cs_tracer *t = NULL;
		struct cs_diag d = {0};
		uint64_t id = 1;

		if (cs_tracer_open(&cfg, &t, &d) < 0) {
			print_message("# %s: %s\n", hooks[i], d.message);
			continue;
		}
		assert_int_equal(cs_tracer_set_owners(t, &id, 1), 0);
		cs_tracer_close(t);
		loaded++;
	}
	if (!loaded)
		skip(); /* no BPF here */
}

/*
 * The teardown's remover takes nothing but the tree its text names: a path
 * with "..", an empty cgroup name, ".." as one (fourteenth pass, part K:
 * "/tmp/x/a/.." removed x).
 */
static void rm_tree_refuses_dots(void **state)
{
	char keep[64], a[80], up[90];

	(void)state;
	snprintf(keep, sizeof(keep), "/tmp/cs-nq-%d", (int)getpid());
	snprintf(a, sizeof(a), "%s/a", keep);
	snprintf(up, sizeof(up), "%s/..", a);
	assert_int_equal(mkdir(keep, 0700), 0);
	assert_int_equal(mkdir(a, 0700), 0);
	cs_test_rm_tree(up);
	cs_test_rm_tree("");
	cs_test_rm_tree("a");
	assert_int_equal(access(a, F_OK), 0);
	cs_test_rm_cgroup_tree("");
	cs_test_rm_cgroup_tree("..");
	cs_test_rm_cgroup_tree(".");
	cs_test_rm_tree(keep);
	assert_int_equal(access(keep, F_OK), -1);
}

static int teardown(void **state)
{
	char p[64];

	(void)state;
	if (sleeper > 0) {
		kill(sleeper, SIGKILL);
		waitpid(sleeper, NULL, 0);
		sleeper = -1;
	}
	if (sleeper2 > 0) {
		kill(sleeper2, SIGKILL);
		waitpid(sleeper2, NULL, 0);
		sleeper2 = -1;
	}
	snprintf(p, sizeof(p), "capscope-test-nq-%d", (int)getpid());
	cs_test_rm_cgroup_tree(p);
	snprintf(p, sizeof(p), "/tmp/cs-nq-%d", (int)getpid());
	cs_test_rm_tree(p);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(flood_leaves_room, teardown),
	    cmocka_unit_test_teardown(subcgroups_share, teardown),
	    cmocka_unit_test_teardown(subcgroups_keyed_by_owner, teardown),
	    cmocka_unit_test_teardown(rows_before_naming_joined, teardown),
	    cmocka_unit_test_teardown(rows_joined_without_handles, teardown),
	    cmocka_unit_test_teardown(deep_owner, teardown),
	    cmocka_unit_test_teardown(map_full_keeps_named, teardown),
	    cmocka_unit_test_teardown(map_full_keeps_unnamed, teardown),
	    cmocka_unit_test_teardown(spill_full_counts_on_node, teardown),
	    cmocka_unit_test_teardown(owners_far_apart, teardown),
	    cmocka_unit_test_teardown(owners_far_apart_one_gone, teardown),
	    cmocka_unit_test_teardown(owners_many_levels, teardown),
	    cmocka_unit_test_teardown(owners_past_the_levels, teardown),
	    cmocka_unit_test_teardown(coarse_keeps_kind_and_init, teardown),
	    cmocka_unit_test_teardown(loads_on_every_hook, teardown),
	    cmocka_unit_test_teardown(rm_tree_refuses_dots, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
