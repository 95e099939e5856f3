/* SPDX-License-Identifier: MIT */
/*
 * User namespaces of hostUsers: false pods: the kubelet's id allocation, the
 * mapping the runtime writes, and where capabilities held in the pod's
 * namespace act.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/cri.h"
#include "capscope/userns.h"

static void base_parse(void **state)
{
	struct cs_diag d = {0};
	uint32_t b = 7;
	(void)state;
	assert_int_equal(cs_userns_base_parse("65536", &b, &d), 0);
	assert_int_equal(b, 65536);
	assert_int_equal(cs_userns_base_parse("4294901760", &b, &d), 0);
	assert_int_equal(b, 4294901760u);
	/* node uid 0 is never mapped; not a multiple; the block past 2^32 */
	static const char *const bad[] = {"0", "1000",	     "65537",	   "100000",  "-65536",
					  "",  "4294967295", "4294967296", "0x10000", " 65536"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = 7;
		assert_int_equal(cs_userns_base_parse(bad[i], &b, &d), -EINVAL);
		assert_int_equal(b, 7);
	}
	assert_int_equal(cs_userns_base_parse("100000", &b, &d), -EINVAL);
	assert_non_null(strstr(d.message, "multiple of 65536"));
	assert_string_equal(d.field, "--userns-base");
}

static void pod_map(void **state)
{
	struct cs_idmap m = cs_userns_pod_map(CS_USERNS_DEFAULT_BASE);
	char buf[64];
	(void)state;
	assert_int_equal(m.container_id, 0);
	assert_int_equal(m.host_id, 65536);
	assert_int_equal(m.size, 65536);
	cs_userns_id_text(&m, 1, true, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0 (node 65536)");
	cs_userns_id_text(&m, 1, true, 1000, buf, sizeof(buf));
	assert_string_equal(buf, "1000 (node 66536)");
	cs_userns_id_text(&m, 1, true, 65536, buf, sizeof(buf));
	assert_string_equal(buf, "65536 (unmapped)");
	cs_userns_id_text(&m, 1, false, 1000, buf, sizeof(buf));
	assert_string_equal(buf, "1000");
}

/* The runtime writes the kubelet's one mapping for uids and gids, and says so. */
static void cri_mapping(void **state)
{
	struct cs_cri_request r = {0};
	struct cs_oci_process o;
	struct cs_steps st;
	struct cs_diag d = {0};
	(void)state;
	r.uid = 0;
	r.user_namespace = true;
	for (int rt = CS_CRI_CRIO; rt <= CS_CRI_PODMAN; rt++) {
		cs_steps_init(&st);
		assert_int_equal(cs_cri_merge(rt, NULL, &r, &o, &st, &d), 0);
		assert_true(o.user_namespace);
		assert_int_equal(o.n_uid_map, 1);
		assert_int_equal(o.n_gid_map, 1);
		assert_int_equal(o.uid_map[0].host_id, 65536);
		assert_int_equal(o.gid_map[0].host_id, 65536);
		assert_int_equal(o.uid_map[0].size, 65536);
		assert_non_null(cs_steps_find(&st, "cri.userns-map"));
		cs_steps_free(&st);
	}
	r.userns_base = 3 * 65536;
	cs_steps_init(&st);
	assert_int_equal(cs_cri_merge(CS_CRI_CONTAINERD, NULL, &r, &o, &st, &d), 0);
	assert_int_equal(o.uid_map[0].host_id, 196608);
	cs_steps_free(&st);
	r.user_namespace = false;
	cs_steps_init(&st);
	assert_int_equal(cs_cri_merge(CS_CRI_CONTAINERD, NULL, &r, &o, &st, &d), 0);
	assert_false(o.user_namespace);
	assert_int_equal(o.n_uid_map, 0);
	assert_null(cs_steps_find(&st, "cri.userns-map"));
	cs_steps_free(&st);
}

static void cap_table(void **state)
{
	(void)state;
	for (int cap = 0; cap <= CS_CAP_LAST_KNOWN; cap++) {
		const struct cs_userns_cap *u = cs_userns_cap_info(cap);

		assert_int_equal(u->cap, cap); /* the table is indexed by number */
		assert_true(u->acts_on[0] && u->source[0]);
	}
	/* ns_capable(net->user_ns, …): the pod's own network namespace */
	assert_int_equal(cs_userns_cap_info(10)->scope, CS_USERNS_POD_NAMESPACES);
	assert_int_equal(cs_userns_cap_info(12)->scope, CS_USERNS_POD_NAMESPACES);
	assert_int_equal(cs_userns_cap_info(13)->scope, CS_USERNS_POD_NAMESPACES);
	/* capable_wrt_inode_uidgid: mapped files only */
	assert_int_equal(cs_userns_cap_info(0)->scope, CS_USERNS_MAPPED_IDS);
	assert_int_equal(cs_userns_cap_info(1)->scope, CS_USERNS_MAPPED_IDS);
	assert_int_equal(cs_userns_cap_info(3)->scope, CS_USERNS_MAPPED_IDS);
	/* capable(): never from a pod */
	assert_int_equal(cs_userns_cap_info(16)->scope, CS_USERNS_NODE_ONLY); /* SYS_MODULE */
	assert_int_equal(cs_userns_cap_info(25)->scope, CS_USERNS_NODE_ONLY); /* SYS_TIME */
	assert_int_equal(cs_userns_cap_info(27)->scope, CS_USERNS_NODE_ONLY); /* MKNOD */
	assert_int_equal(cs_userns_cap_info(39)->scope, CS_USERNS_NODE_ONLY); /* BPF */
	assert_int_equal(cs_userns_cap_info(21)->scope, CS_USERNS_PARTLY);    /* SYS_ADMIN */
	/* a capability newer than the table: assume the node's */
	assert_int_equal(cs_userns_cap_info(55)->scope, CS_USERNS_NODE_ONLY);
	assert_int_equal(cs_userns_cap_info(-1)->scope, CS_USERNS_NODE_ONLY);
	assert_string_equal(cs_userns_scope_id(CS_USERNS_MAPPED_IDS), "mapped-ids");
	assert_string_equal(cs_userns_scope_label(CS_USERNS_NODE_ONLY), "never");
}

static void report(void **state)
{
	struct cs_oci_process o = {0};
	struct cs_cred post = {0};
	char *txt, *buf = NULL;
	size_t len = 0;
	struct cs_json j;
	FILE *f;
	int err;
	(void)state;
	/* no user namespace: no section */
	assert_null(cs_userns_report_text(&o, NULL, "", &err));
	assert_int_equal(err, 0);
	o.user_namespace = true;
	o.uid = 1000;
	o.uid_map[0] = o.gid_map[0] = cs_userns_pod_map(65536);
	o.n_uid_map = o.n_gid_map = 1;
	post.uid[0] = post.uid[1] = post.uid[2] = post.uid[3] = 1000;
	post.caps.set[CS_EFF] = CS_BIT(10) | CS_BIT(16) | CS_BIT(1);
	txt = cs_userns_report_text(&o, &post, "  ", &err);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "uid 1000 (node 66536)"));
	assert_non_null(strstr(txt, "node ids 65536-131071"));
	assert_non_null(strstr(txt, "NET_BIND_SERVICE     inside the pod"));
	assert_non_null(strstr(txt, "SYS_MODULE           never"));
	assert_non_null(strstr(txt, "DAC_OVERRIDE         pod-owned ids"));
	free(txt);

	assert_non_null(f = open_memstream(&buf, &len));
	cs_json_init(&j, f, false);
	cs_userns_report_json(&j, &o, &post);
	assert_int_equal(cs_json_finish(&j), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"uid\":1000,\"host_uid\":66536"));
	assert_non_null(strstr(buf,
			       "{\"name\":\"CAP_NET_BIND_SERVICE\",\"scope\":\"pod-namespaces\","
			       "\"works\":true"));
	assert_non_null(
	    strstr(buf, "{\"name\":\"CAP_SYS_MODULE\",\"scope\":\"node-only\",\"works\":false"));
	assert_non_null(strstr(buf, "\"uid_map\":[{\"container_id\":0,\"host_id\":65536,"
				    "\"size\":65536}]"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(base_parse), cmocka_unit_test(pod_map), cmocka_unit_test(cri_mapping),
	    cmocka_unit_test(cap_table),  cmocka_unit_test(report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
