/* SPDX-License-Identifier: MIT */
/*
 * capscope serve --trace without BPF: drained rows in (as cs_tracer_drain
 * hands them over), per-container usage, metrics and the traced profile out.
 */
#include "cmocka-wrap.h"
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/node.h"

#define INIT_NS 0xEFFFFFFDu
#define POD_NS	4026532840u

static void add(struct cs_node_trace *nt, uint64_t cgroup, int cap, int ret, uint32_t target,
		uint32_t own, const char *comm, uint64_t n, enum cs_site_class cls)
{
	struct cs_trace_rec r = {.count = n,
				 .cap = cap,
				 .ret = ret,
				 .stackid = -1,
				 .syscall = -1,
				 .opts = -1,
				 .target_ns = target,
				 .own_ns = own,
				 .cgroup = cgroup};

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	cs_node_trace_add(&r, cls, nt);
}

static char *render(const struct cs_node_trace *nt, const struct cs_node_inventory *inv, double now,
		    bool metrics)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (metrics) {
		assert_int_equal(cs_node_trace_metrics_write(nt, inv, now, f), 0);
	} else {
		struct cs_json j;

		cs_json_init(&j, f, false);
		cs_node_trace_json(&j, nt, inv->v[0], now);
		assert_int_equal(cs_json_finish(&j), 0);
	}
	fclose(f);
	return buf;
}

/*
 * A container's cgroups, made under the cgroup v2 mount: its own
 * (".../docker/ID", as the cgroupfs driver names it), sub1 below it (where
 * its first process is) and sub2 below sub1; and a /proc of one process,
 * proc/PID/cgroup, saying where it is.
 */
#define CTR_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
struct fixture {
	char top[256], own[512], sub1[600], sub2[640], proc[64];
	uint64_t top_id, own_id, sub1_id, sub2_id;
	pid_t pids[2];
	size_t npids;
};

static uint64_t ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* PROC/PID/cgroup saying pid is in cgroup (the first call makes PROC). */
static void fake_proc(struct fixture *f, const char *tag, pid_t pid, const char *cgroup)
{
	char p[128];
	FILE *o;

	if (!f->proc[0]) {
		snprintf(f->proc, sizeof(f->proc), "/tmp/cs-nt-%s-%d", tag, (int)getpid());
		mkdir(f->proc, 0700);
	}
	snprintf(p, sizeof(p), "%s/%d", f->proc, (int)pid);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/%d/cgroup", f->proc, (int)pid);
	assert_non_null(o = fopen(p, "w"));
	fprintf(o, "1:name=systemd:/\n0::%s\n", cgroup);
	fclose(o);
	f->pids[f->npids++] = pid;
}

static void fixture_rm(struct fixture *f)
{
	char p[300];

	rmdir(f->sub2);
	rmdir(f->sub1);
	if (f->top[0]) {
		rmdir(f->own);
		snprintf(p, sizeof(p), "%s/docker", f->top);
		rmdir(p);
		rmdir(f->top);
	}
	for (size_t i = 0; i < f->npids; i++) {
		snprintf(p, sizeof(p), "%s/%d/cgroup", f->proc, (int)f->pids[i]);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%d", f->proc, (int)f->pids[i]);
		rmdir(p);
	}
	rmdir(f->proc);
}

static bool fixture_make(struct fixture *f)
{
	char *root = NULL, p[300], rel[160];

	memset(f, 0, sizeof(*f));
	if (geteuid() != 0 || cs_cgroup2_root(&root) < 0)
		return false;
	snprintf(f->top, sizeof(f->top), "%s/capscope-test-nt-%d", strcmp(root, "/") ? root : "",
		 (int)getpid());
	free(root);
	snprintf(p, sizeof(p), "%s/docker", f->top);
	snprintf(f->own, sizeof(f->own), "%s/" CTR_ID, p);
	snprintf(f->sub1, sizeof(f->sub1), "%s/sub1", f->own);
	snprintf(f->sub2, sizeof(f->sub2), "%s/sub2", f->sub1);
	if (mkdir(f->top, 0755) < 0)
		return false; /* the cgroup v2 mount is not writable here */
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(mkdir(f->own, 0755), 0);
	assert_int_equal(mkdir(f->sub1, 0755), 0);
	assert_int_equal(mkdir(f->sub2, 0755), 0);
	f->top_id = ino(f->top);
	f->own_id = ino(f->own);
	f->sub1_id = ino(f->sub1);
	f->sub2_id = ino(f->sub2);
	snprintf(rel, sizeof(rel), "/capscope-test-nt-%d/docker/" CTR_ID "/sub1", (int)getpid());
	fake_proc(f, "ctr", getpid(), rel);
	return true;
}

/*
 * The checks of a container's cgroup and of the cgroups below it are the
 * container's (twelfth pass: only its first process's leaf was, the others
 * counted as no container's).
 */
static void usage_per_container(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {0}, *cp = &c;
	struct cs_node_inventory inv = {.v = &cp, .n = 1};
	struct fixture f;
	const struct cs_node_usage *u;
	char *s;

	(void)state;
	if (!fixture_make(&f))
		skip(); /* not root, or no writable cgroup v2 here: the join cannot be shown */
	cs_node_trace_init(&nt, 4);
	add(&nt, f.sub1_id, 0, 0, INIT_NS, INIT_NS, "chown", 3,
	    CS_SITE_CHECK); /* CHOWN on the node */
	add(&nt, f.sub2_id, 0, -1, INIT_NS, INIT_NS, "chown", 1, CS_SITE_CHECK); /* once denied */
	add(&nt, f.own_id, 12, 0, POD_NS, POD_NS, "ip", 1,
	    CS_SITE_CHECK); /* NET_ADMIN in its own */
	add(&nt, f.sub1_id, 21, 0, INIT_NS, INIT_NS, "sh", 9, CS_SITE_OVERCOMMIT); /* noise */
	add(&nt, f.sub1_id, 7, 0, INIT_NS, INIT_NS, "runc:[2:INIT]", 2,
	    CS_SITE_CHECK);						       /* runtime */
	add(&nt, f.sub1_id, 21, 0, INIT_NS, INIT_NS, "exe", 1, CS_SITE_CHECK); /* runc init */
	add(&nt, 1, 1, 0, INIT_NS, INIT_NS, "host", 2,
	    CS_SITE_CHECK); /* the root's: no container's */
	add(&nt, f.own_id + 1000000, 1, 0, INIT_NS, INIT_NS, "host", 5,
	    CS_SITE_CHECK); /* a fifth */
	assert_int_equal(nt.n, 4);
	assert_int_equal(nt.overflow, 5);
	assert_int_equal(nt.noise, 12);

	c.id = "0123456789abcdef";
	c.namespace = "ns";
	c.pod = "web-0";
	c.container = "web";
	c.pid = getpid();
	c.have_status = true;
	c.status.caps.set[CS_EFF] = CS_BIT(0) | CS_BIT(12) | CS_BIT(13);
	assert_int_equal(cs_node_trace_claim(&nt, &inv, f.proc), 0);
	assert_true(c.cgroup == f.own_id);
	assert_true(c.trace_since >= nt.started);
	assert_int_equal(nt.n, 1); /* the cgroup no container has is forgotten */
	assert_int_equal(nt.unclaimed, 2);
	u = cs_node_trace_usage(&nt, &c);
	assert_non_null(u);
	assert_int_equal(u->checks[0][0], 3);
	assert_int_equal(u->checks[0][1], 1);
	assert_true(u->used == (CS_BIT(0) | CS_BIT(12)));
	assert_true(u->used_in[CS_USERNS_INITIAL] == CS_BIT(0));
	assert_true(u->used_in[CS_USERNS_OWN] == CS_BIT(12));

	s = render(&nt, &inv, c.trace_since + 10, true);
#define L "namespace=\"ns\",pod=\"web-0\",container=\"web\",id=\"0123456789ab\""
	assert_non_null(strstr(s, "# TYPE capscope_capability_checks_total counter\n"
				  "capscope_capability_checks_total{" L
				  ",capability=\"CAP_CHOWN\",verdict=\"allowed\"} 3\n"
				  "capscope_capability_checks_total{" L
				  ",capability=\"CAP_CHOWN\",verdict=\"denied\"} 1\n"
				  "capscope_capability_checks_total{" L
				  ",capability=\"CAP_NET_ADMIN\",verdict=\"allowed\"} 1\n#"));
	assert_non_null(strstr(s, "# TYPE capscope_container_capability_unused gauge\n"
				  "capscope_container_capability_unused{" L
				  ",capability=\"CAP_NET_RAW\"} 1\n#"));
	assert_non_null(strstr(s, "capscope_trace_observed_seconds{" L "} 10\n"));
	assert_non_null(
	    strstr(s, "capscope_trace_lost_events_total{reason=\"too_many_cgroups\"} 5\n"));
	assert_null(strstr(s, "CAP_SYS_ADMIN"));
	assert_null(strstr(s, "CAP_SETUID"));
	free(s);

	s = render(&nt, &inv, c.trace_since + 10, false);
	assert_string_equal(
	    s, "{\"observed_seconds\":10,\"checks\":[{\"capability\":\"CAP_CHOWN\",\"granted\":3,"
	       "\"denied\":1,\"user_namespaces\":[\"initial\"]},{\"capability\":\"CAP_NET_ADMIN\","
	       "\"granted\":1,\"denied\":0,\"user_namespaces\":[\"own\"]}],\"coarse_checks\":0,"
	       "\"used\":[\"CAP_CHOWN\",\"CAP_NET_ADMIN\"],\"unused\":[\"CAP_NET_RAW\"],"
	       "\"denied_only\":[],\"only_in_child_user_namespaces\":[\"CAP_NET_ADMIN\"],"
	       "\"profile\":{\"securityContext\":{\"capabilities\":{\"drop\":[\"ALL\"],"
	       "\"add\":[\"CHOWN\",\"NET_ADMIN\"]}}},\"snippet\":\"securityContext:\\n  "
	       "capabilities:\\n    drop:\\n    - ALL\\n    add:\\n    - CHOWN\\n    - "
	       "NET_ADMIN\\n\"}\n");
	free(s);

	/* A container not observed (no tracer) has no trace. */
	c.trace_since = 0;
	s = render(&nt, &inv, 0, false);
	assert_string_equal(s, "null\n");
	free(s);
	cs_node_trace_close(&nt);
	free(c.cgroup_path);
	fixture_rm(&f);
}

/* A drained row counted without its call site (tgid CS_ROW_COARSE, 1). */
static void add_coarse(struct cs_node_trace *nt, uint64_t cgroup, int cap, int ret, uint64_t n)
{
	struct cs_trace_rec r = {.tgid = 1,
				 .count = n,
				 .cap = cap,
				 .ret = ret,
				 .stackid = -1,
				 .syscall = -1,
				 .opts = -1,
				 .target_ns = INIT_NS,
				 .own_ns = INIT_NS,
				 .cgroup = cgroup};

	cs_node_trace_add(&r, CS_SITE_CHECK, nt);
}

/*
 * Sixteenth pass: a container's checks counted without their call site
 * (past its quota, or past a full map) are said to be coarse, per
 * container; checks kept by capability alone past a full map (rows of
 * cgroup 0, the node's spill) are counted and shown by capability, not
 * dropped with no trace of which capability they used.
 */
static void coarse_and_node_spill(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {.id = "0123456789abcdef", .namespace = "ns", .pod = "web-0"};
	struct cs_node_ctr *cp = &c;
	struct cs_node_inventory inv = {.v = &cp, .n = 1};
	const struct cs_node_usage *u;
	struct fixture f;
	char *s;

	(void)state;
	if (!fixture_make(&f))
		skip(); /* not root, or no writable cgroup v2 here: the join cannot be shown */
	cs_node_trace_init(&nt, 4);
	c.container = "web";
	c.pid = getpid();
	c.have_status = true;
	add(&nt, f.own_id, 0, 0, INIT_NS, INIT_NS, "chown", 3, CS_SITE_CHECK);
	add_coarse(&nt, f.sub1_id, 0, 0, 2);
	add_coarse(&nt, 0, 0, 0, 4);   /* no cgroup kept */
	add_coarse(&nt, 0, 12, -1, 1); /* no cgroup kept, denied */
	assert_int_equal(cs_node_trace_claim(&nt, &inv, f.proc), 0);
	assert_int_equal(nt.n, 1);
	assert_non_null(u = cs_node_trace_usage(&nt, &c));
	assert_int_equal(u->checks[0][0], 5);
	assert_int_equal(u->coarse, 2);
	assert_int_equal(nt.node_spill.checks[0][0], 4);
	assert_int_equal(nt.node_spill.checks[12][1], 1);
	assert_int_equal(nt.overflow + nt.unclaimed, 0);

	s = render(&nt, &inv, c.trace_since + 1, true);
	assert_non_null(strstr(s, "\ncapscope_container_coarse_checks_total{" L "} 2\n"));
	assert_non_null(
	    strstr(s, "\ncapscope_trace_unattributed_checks_total{capability=\"CAP_CHOWN\","
		      "verdict=\"allowed\"} 4\n"));
	assert_non_null(
	    strstr(s, "\ncapscope_trace_unattributed_checks_total{capability=\"CAP_NET_ADMIN\","
		      "verdict=\"denied\"} 1\n"));
	assert_non_null(strstr(s, "\ncapscope_trace_spilled_checks_total{kept=\"node\"} 0\n"));
	free(s);
	s = render(&nt, &inv, c.trace_since + 1, false);
	assert_non_null(strstr(s, "\"coarse_checks\":2,"));
	free(s);
	cs_node_trace_close(&nt);
	free(c.cgroup_path);
	fixture_rm(&f);
}

/*
 * Sixteenth pass: the table kept its rows (1,104 bytes each) sorted, and
 * each new cgroup moved the rows after it: 1,024 new cgroups in falling
 * order, 68 ms a drain; 16,384, 27 s (cgroup churn). Now a row stays where
 * it was added (an index of positions is sorted): the first row is still
 * the first after 1,023 smaller cgroups, and every one is found.
 */
static void rows_stay_put(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {.cgroup = 5000};
	const struct cs_node_usage *first;

	(void)state;
	cs_node_trace_init(&nt, 1024);
	add(&nt, 5000, 0, 0, INIT_NS, INIT_NS, "a", 1, CS_SITE_CHECK);
	first = cs_node_trace_usage(&nt, &c);
	assert_non_null(first);
	for (uint64_t g = 4999; g > 4999 - 1023; g--)
		add(&nt, g, 1, 0, INIT_NS, INIT_NS, "b", 2, CS_SITE_CHECK);
	assert_int_equal(nt.n, 1024);
	assert_ptr_equal(cs_node_trace_usage(&nt, &c), first);
	assert_int_equal(nt.v[0].cgroup, 5000);
	for (uint64_t g = 4999; g > 4999 - 1023; g--) {
		c.cgroup = g;
		assert_non_null(cs_node_trace_usage(&nt, &c));
		assert_int_equal(cs_node_trace_usage(&nt, &c)->checks[1][0], 2);
	}
	c.cgroup = 1; /* one more: the table is full */
	add(&nt, 1, 1, 0, INIT_NS, INIT_NS, "c", 3, CS_SITE_CHECK);
	assert_null(cs_node_trace_usage(&nt, &c));
	assert_int_equal(nt.overflow, 3);
	cs_node_trace_close(&nt);
}

/*
 * A container whose cgroup is below another's (plain runc's "/NAME", the
 * other's cgroup made inside it): each keeps its own checks, whichever
 * the inventory lists first.
 */
static void nested_container(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr outer = {.id = "outer", .pid = getppid()};
	struct cs_node_ctr inner = {.id = CTR_ID, .pid = getpid()};
	struct cs_node_ctr *v[] = {&outer, &inner};
	struct cs_node_inventory inv = {.v = v, .n = 2};
	struct fixture f;
	char rel[64];

	(void)state;
	if (!fixture_make(&f))
		skip();
	snprintf(rel, sizeof(rel), "/capscope-test-nt-%d", (int)getpid());
	fake_proc(&f, "ctr", getppid(), rel);
	cs_node_trace_init(&nt, 0);
	add(&nt, f.top_id, 1, 0, INIT_NS, INIT_NS, "sh", 2, CS_SITE_CHECK);
	add(&nt, f.own_id, 12, 0, INIT_NS, INIT_NS, "ip", 1, CS_SITE_CHECK);
	add(&nt, f.sub2_id, 0, 0, INIT_NS, INIT_NS, "chown", 3, CS_SITE_CHECK);
	assert_int_equal(cs_node_trace_claim(&nt, &inv, f.proc), 0);
	assert_true(outer.cgroup == f.top_id);
	assert_true(inner.cgroup == f.own_id);
	assert_non_null(cs_node_trace_usage(&nt, &outer));
	assert_true(cs_node_trace_usage(&nt, &outer)->used == CS_BIT(1));
	assert_non_null(cs_node_trace_usage(&nt, &inner));
	assert_true(cs_node_trace_usage(&nt, &inner)->used == (CS_BIT(0) | CS_BIT(12)));
	assert_int_equal(nt.unclaimed, 0);
	cs_node_trace_close(&nt);
	free(outer.cgroup_path);
	free(inner.cgroup_path);
	fixture_rm(&f);
}

/*
 * A container in the root cgroup (a hybrid host's runtime using the v1
 * hierarchies alone) has no cgroup to count by: twelfth pass, it claimed
 * the root's checks, those of every process outside a container.
 */
static void root_claims_nothing(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {.id = "ffff", .pid = getpid()}, *cp = &c;
	struct cs_node_inventory inv = {.v = &cp, .n = 1};
	struct fixture f = {0};
	uint64_t root_id;
	char *root = NULL;

	(void)state;
	if (cs_cgroup2_root(&root) < 0)
		skip();
	root_id = ino(root);
	free(root);
	fake_proc(&f, "root", getpid(), "/");
	cs_node_trace_init(&nt, 0);
	add(&nt, root_id, 0, 0, INIT_NS, INIT_NS, "chown", 3, CS_SITE_CHECK);
	assert_int_equal(cs_node_trace_claim(&nt, &inv, f.proc), 0);
	assert_true(c.cgroup == 0);
	assert_null(cs_node_trace_usage(&nt, &c));
	assert_int_equal(nt.n, 0);
	assert_int_equal(nt.unclaimed, 3);
	cs_node_trace_close(&nt);
	free(c.cgroup_path);
	fixture_rm(&f);
}

/* Without any check, every capability of the effective set is unused. */
static void nothing_used(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {0}, *cp = &c;
	struct cs_node_inventory inv = {.v = &cp, .n = 1};
	char *s;

	(void)state;
	cs_node_trace_init(&nt, 0);
	assert_int_equal(nt.max, 1024);
	c.id = "ffff";
	c.pid = getpid();
	c.have_status = true;
	c.status.caps.set[CS_EFF] = CS_BIT(10);
	assert_int_equal(cs_node_trace_claim(&nt, &inv, NULL), 0);
	assert_null(cs_node_trace_usage(&nt, &c));
	s = render(&nt, &inv, c.trace_since + 1, true);
	assert_null(strstr(s, "capscope_capability_checks_total{"));
	assert_non_null(
	    strstr(s, "capscope_container_capability_unused{namespace=\"\",pod=\"\","
		      "container=\"\",id=\"ffff\",capability=\"CAP_NET_BIND_SERVICE\"} 1\n"));
	free(s);
	s = render(&nt, &inv, c.trace_since + 1, false);
	assert_non_null(strstr(s, "\"profile\":{\"securityContext\":{\"capabilities\":{\"drop\":"
				  "[\"ALL\"]}}}"));
	free(s);
	cs_node_trace_close(&nt);
	free(c.cgroup_path);
}

/* mkdir of dir/NAMEi for i < n (n 0: just dir); 0 when the cgroup mount refused. */
static bool make_dirs(const char *dir, const char *name, int n, uint64_t *ids)
{
	char p[700];

	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s%d", dir, name, i);
		if (mkdir(p, 0755) < 0)
			return false;
		if (ids)
			ids[i] = ino(p);
	}
	return true;
}

static void rm_dirs(const char *dir, const char *name, int n)
{
	char p[700];

	for (int i = n - 1; i >= 0; i--) {
		snprintf(p, sizeof(p), "%s/%s%d", dir, name, i);
		rmdir(p);
	}
}

/*
 * More than 32 levels below: not walked, and no -E2BIG, which says ids is
 * full. Before, the depth limit said -E2BIG with 32 ids set, and the node
 * agent read all 256 (224 of its stack's leftovers taken as cgroup ids).
 */
static void descendants_too_deep(void **state)
{
	struct fixture f;
	uint64_t ids[256];
	char chain[4096];
	int depth = 0, rc;

	(void)state;
	if (!fixture_make(&f))
		skip();
	snprintf(chain, sizeof(chain), "%s", f.sub2);
	for (; depth < 34; depth++) {
		strcat(chain, "/d");
		assert_int_equal(mkdir(chain, 0755), 0);
	}
	memset(ids, 0xff, sizeof(ids));
	rc = cs_cgroup_descendant_ids(f.top, NULL, 0, ids, 256);
	/* docker, own, sub1, sub2 and 28 of the chain: 32 levels. */
	assert_int_equal(rc, 32);
	for (; depth > 0; depth--) {
		rmdir(chain);
		*strrchr(chain, '/') = '\0';
	}
	fixture_rm(&f);
}

/*
 * The outer container's walk left out an inner container's cgroup but not
 * what is below it: an inner one with 300 sub-cgroups used the outer's
 * 256, and the checks of the outer's own sub-cgroups listed after it were
 * unclaimed.
 */
static void inner_subtree_not_walked(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr outer = {.id = "outer", .pid = getppid()};
	struct cs_node_ctr inner = {.id = CTR_ID, .pid = getpid()};
	struct cs_node_ctr *v[] = {&outer, &inner};
	struct cs_node_inventory inv = {.v = v, .n = 2};
	uint64_t osub[20];
	struct fixture f;
	char rel[64];

	(void)state;
	if (!fixture_make(&f))
		skip();
	assert_true(make_dirs(f.own, "i", 300, NULL));
	assert_true(make_dirs(f.top, "o", 20, osub));
	snprintf(rel, sizeof(rel), "/capscope-test-nt-%d", (int)getpid());
	fake_proc(&f, "ctr", getppid(), rel);
	cs_node_trace_init(&nt, 0);
	for (int i = 0; i < 20; i++)
		add(&nt, osub[i], 1, 0, INIT_NS, INIT_NS, "sh", 1, CS_SITE_CHECK);
	assert_int_equal(cs_node_trace_claim(&nt, &inv, f.proc), 0);
	assert_non_null(cs_node_trace_usage(&nt, &outer));
	assert_int_equal(nt.unclaimed, 0);
	cs_node_trace_close(&nt);
	free(outer.cgroup_path);
	free(inner.cgroup_path);
	rm_dirs(f.top, "o", 20);
	rm_dirs(f.own, "i", 300);
	fixture_rm(&f);
}

/*
 * After every test, failed or not: what fixture_make made (a failed
 * assertion ends a test before its fixture_rm, and left its cgroups under
 * the v2 mount and the next runs' mkdir refused).
 */
static int teardown(void **state)
{
	char p[64];

	(void)state;
	snprintf(p, sizeof(p), "capscope-test-nt-%d", (int)getpid());
	cs_test_rm_cgroup_tree(p);
	for (size_t i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "/tmp/cs-nt-%s-%d", i ? "root" : "ctr", (int)getpid());
		cs_test_rm_tree(p);
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(usage_per_container, teardown),
	    cmocka_unit_test_teardown(coarse_and_node_spill, teardown),
	    cmocka_unit_test(rows_stay_put),
	    cmocka_unit_test_teardown(nothing_used, teardown),
	    cmocka_unit_test_teardown(root_claims_nothing, teardown),
	    cmocka_unit_test_teardown(nested_container, teardown),
	    cmocka_unit_test_teardown(descendants_too_deep, teardown),
	    cmocka_unit_test_teardown(inner_subtree_not_walked, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
