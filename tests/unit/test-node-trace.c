/* SPDX-License-Identifier: MIT */
/*
 * capscope serve --trace without BPF: drained rows in (as cs_tracer_drain
 * hands them over), per-container usage, metrics and the traced profile out.
 */
#include "cmocka-wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void usage_per_container(void **state)
{
	struct cs_node_trace nt;
	struct cs_node_ctr c = {0}, *cp = &c;
	struct cs_node_inventory inv = {.v = &cp, .n = 1};
	uint64_t me;
	const struct cs_node_usage *u;
	char *s;

	(void)state;
	if (cs_pid_cgroup_id(NULL, getpid(), &me) < 0 || !me)
		skip(); /* no cgroup v2 here: the join cannot be shown */
	cs_node_trace_init(&nt, 2);
	add(&nt, me, 0, 0, INIT_NS, INIT_NS, "chown", 3, CS_SITE_CHECK);  /* CHOWN on the node */
	add(&nt, me, 0, -1, INIT_NS, INIT_NS, "chown", 1, CS_SITE_CHECK); /* ... once denied */
	add(&nt, me, 12, 0, POD_NS, POD_NS, "ip", 1, CS_SITE_CHECK);	  /* NET_ADMIN in its own */
	add(&nt, me, 21, 0, INIT_NS, INIT_NS, "sh", 9, CS_SITE_OVERCOMMIT);	 /* noise */
	add(&nt, me, 7, 0, INIT_NS, INIT_NS, "runc:[2:INIT]", 2, CS_SITE_CHECK); /* runtime */
	add(&nt, me, 21, 0, INIT_NS, INIT_NS, "exe", 1, CS_SITE_CHECK);		 /* runc init */
	add(&nt, me + 1, 1, 0, INIT_NS, INIT_NS, "host", 2, CS_SITE_CHECK); /* no container's */
	add(&nt, me + 2, 1, 0, INIT_NS, INIT_NS, "host", 5, CS_SITE_CHECK); /* a third cgroup */
	assert_int_equal(nt.n, 2);
	assert_int_equal(nt.overflow, 5);
	assert_int_equal(nt.noise, 12);

	c.id = "0123456789abcdef";
	c.namespace = "ns";
	c.pod = "web-0";
	c.container = "web";
	c.pid = getpid();
	c.have_status = true;
	c.status.caps.set[CS_EFF] = CS_BIT(0) | CS_BIT(12) | CS_BIT(13);
	assert_int_equal(cs_node_trace_claim(&nt, &inv, NULL), 0);
	assert_true(c.cgroup == me);
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
	       "\"granted\":1,\"denied\":0,\"user_namespaces\":[\"own\"]}],"
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(usage_per_container),
	    cmocka_unit_test(nothing_used),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
