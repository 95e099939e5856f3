/* SPDX-License-Identifier: MIT */
/*
 * capscope serve --trace's output: per container, the capability checks
 * counted, the capabilities of its effective set never used while observed,
 * and the least-privilege profile as a Kubernetes securityContext (the same
 * as capscope trace --profile k8s).
 */
#include <errno.h>
#include <stdlib.h>

#include "capscope/node.h"
#include "capscope/serve.h"
#include "node-internal.h"
#include "internal/memstream.h"

/* Never used while observed: in the first process's effective set, never granted. */
static cs_mask_t unused_of(const struct cs_node_ctr *c, const struct cs_node_usage *u)
{
	return c->status.caps.set[CS_EFF] & ~(u ? u->used : 0);
}

static bool observed(const struct cs_node_ctr *c)
{
	return cs_node_shown(c) && c->trace_since > 0;
}

/* One family's samples for every observed container, capability by capability. */
static void per_cap(struct cs_prom *p, const struct cs_node_trace *nt,
		    const struct cs_node_inventory *inv, bool checks)
{
	const char *name =
	    checks ? "capscope_capability_checks_total" : "capscope_container_capability_unused";

	for (size_t i = 0; i < inv->n && !p->error; i++) {
		const struct cs_node_ctr *c = inv->v[i];
		const struct cs_node_usage *u = cs_node_trace_usage(nt, c);
		const char *l[9], *v[5] = {"capability", NULL, "verdict", NULL, NULL};
		char id[13], cap[32], *prefix;

		if (!observed(c) || (checks && !u))
			continue;
		cs_node_ident(c, l, id);
		l[8] = NULL;
		if (!(prefix = cs_prom_labels(l))) {
			p->error = -ENOMEM;
			return;
		}
		for (int k = 0; k < CS_CAP_BITS; k++) {
			v[1] = cs_cap_name_r(k, true, cap, sizeof(cap));
			if (!checks) {
				v[2] = NULL;
				if (unused_of(c, u) & CS_BIT(k))
					cs_prom_sample_pre(p, name, prefix, v, 1);
				continue;
			}
			for (int d = 0; d < 2; d++)
				if (u->checks[k][d]) {
					v[3] = d ? "denied" : "allowed";
					cs_prom_sample_pre(p, name, prefix, v,
							   (double)u->checks[k][d]);
				}
		}
		free(prefix);
	}
}

/* Per observed container: how long, and how many of its checks are coarse. */
static void per_ctr(struct cs_prom *p, const struct cs_node_trace *nt,
		    const struct cs_node_inventory *inv, double now)
{
	static const char *const fam[2][3] = {
	    {"capscope_trace_observed_seconds", "gauge",
	     "How long the container's capability checks have been observed"},
	    {"capscope_container_coarse_checks_total", "counter",
	     "Of the container's capability checks, those counted without their call site and "
	     "command (its share of the kernel map spent, or the map full): a noise check among "
	     "them counts as a use, so its profile may hold a capability it does not need"}};

	for (int f = 0; f < 2; f++) {
		cs_prom_family(p, fam[f][0], fam[f][1], fam[f][2]);
		for (size_t i = 0; i < inv->n; i++) {
			const struct cs_node_ctr *c = inv->v[i];
			const struct cs_node_usage *u = cs_node_trace_usage(nt, c);
			const char *id_l[9];
			char id[13];

			if (!observed(c) || (f && !u))
				continue;
			cs_node_ident(c, id_l, id);
			id_l[8] = NULL;
			cs_prom_sample(p, fam[f][0], id_l,
				       f ? (double)u->coarse : now - c->trace_since);
		}
	}
}

/* The checks counted past a full kernel map, and those kept by capability alone. */
static void spilled(struct cs_prom *p, const struct cs_node_trace *nt,
		    const struct cs_tracer_stats *st)
{
	const char *l[5] = {"kept", "cgroup", NULL, NULL, NULL};
	char cap[32];

	cs_prom_family(p, "capscope_trace_spilled_checks_total", "counter",
		       "Capability checks counted past a full kernel map: by their cgroup "
		       "(kept cgroup: capability, verdict and kind of user namespace), or by "
		       "capability alone when no cgroup's entry was left (kept node)");
	cs_prom_sample(p, "capscope_trace_spilled_checks_total", l, (double)st->spilled);
	l[1] = "node";
	cs_prom_sample(p, "capscope_trace_spilled_checks_total", l, (double)st->spilled_node);
	cs_prom_family(p, "capscope_trace_unattributed_checks_total", "counter",
		       "Capability checks counted past a full kernel map with no cgroup kept: a "
		       "container's use of the capability may be among them, missing from its "
		       "own counts and profile");
	l[0] = "capability";
	l[2] = "verdict";
	for (int k = 0; k < CS_CAP_BITS; k++)
		for (int d = 0; d < 2; d++) {
			if (!nt->node_spill.checks[k][d])
				continue;
			l[1] = cs_cap_name_r(k, true, cap, sizeof(cap));
			l[3] = d ? "denied" : "allowed";
			cs_prom_sample(p, "capscope_trace_unattributed_checks_total", l,
				       (double)nt->node_spill.checks[k][d]);
		}
}

int cs_node_trace_metrics_write(const struct cs_node_trace *nt, const struct cs_node_inventory *inv,
				double now, FILE *f)
{
	struct cs_tracer_stats st = {0};
	struct cs_prom p;
	const char *l[3] = {"reason", NULL, NULL};

	cs_prom_init(&p, f);
	cs_prom_family(&p, "capscope_capability_checks_total", "counter",
		       "Capability checks made by the container's processes, allowed or denied by "
		       "the kernel (noise checks such as the overcommit heuristic left out)");
	per_cap(&p, nt, inv, true);
	cs_prom_family(&p, "capscope_container_capability_unused", "gauge",
		       "1 for each capability in the effective set of the container's first "
		       "process that no check used while it was observed");
	per_cap(&p, nt, inv, false);
	per_ctr(&p, nt, inv, now);
	if (nt->tracer)
		cs_tracer_stats(nt->tracer, &st);
	cs_prom_family(&p, "capscope_trace_lost_events_total", "counter",
		       "Capability checks not counted at all: the kernel could not keep even their "
		       "capability (kernel_map_full) or more cgroups made checks than are kept "
		       "(too_many_cgroups)");
	l[1] = "kernel_map_full";
	cs_prom_sample(&p, "capscope_trace_lost_events_total", l,
		       (double)(st.dropped + st.lost_events));
	l[1] = "too_many_cgroups";
	cs_prom_sample(&p, "capscope_trace_lost_events_total", l, (double)nt->overflow);
	cs_prom_family(&p, "capscope_trace_coarse_checks_total", "counter",
		       "Capability checks counted without their command and call site: their "
		       "cgroup had made 256 new kinds of check since the last drain (each "
		       "cgroup's share of the kernel map)");
	cs_prom_sample(&p, "capscope_trace_coarse_checks_total", NULL, (double)st.coarse);
	cs_prom_family(&p, "capscope_trace_owners_unwatched", "gauge",
		       "Containers whose cgroup is at a level past the 256 distinct levels the "
		       "kernel programs look at: their sub-cgroups' checks are counted by leaf "
		       "cgroup (each its own share of the kernel map) until the agent joins them");
	cs_prom_sample(&p, "capscope_trace_owners_unwatched", NULL, (double)st.owners_unwatched);
	spilled(&p, nt, &st);
	return cs_prom_finish(&p);
}

static void json_mask(struct cs_json *j, const char *key, cs_mask_t m)
{
	cs_json_key(j, key);
	cs_json_cap_names(j, m);
}

static void json_checks(struct cs_json *j, const struct cs_node_usage *u)
{
	char name[32];

	cs_json_key(j, "checks");
	cs_json_arr_begin(j);
	for (int c = 0; u && c < CS_CAP_BITS; c++) {
		if (!u->checks[c][0] && !u->checks[c][1])
			continue;
		cs_json_obj_begin(j);
		cs_json_key(j, "capability");
		cs_json_str(j, cs_cap_name_r(c, true, name, sizeof(name)));
		cs_json_key(j, "granted");
		cs_json_uint(j, u->checks[c][0]);
		cs_json_key(j, "denied");
		cs_json_uint(j, u->checks[c][1]);
		cs_json_key(j, "user_namespaces");
		cs_json_arr_begin(j);
		for (int k = 0; k < CS_USERNS_KINDS; k++)
			if (u->used_in[k] & CS_BIT(c))
				cs_json_str(j, cs_userns_kind_name((enum cs_userns_kind)k));
		cs_json_arr_end(j);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}

void cs_node_trace_json(struct cs_json *j, const struct cs_node_trace *nt,
			const struct cs_node_ctr *c, double now)
{
	const struct cs_node_usage *u = cs_node_trace_usage(nt, c);
	cs_mask_t used = u ? u->used : 0;
	char *snippet = NULL;
	size_t n = 0;
	FILE *f;

	if (!nt || !c->trace_since) {
		cs_json_null(j);
		return;
	}
	cs_json_obj_begin(j);
	cs_json_key(j, "observed_seconds");
	cs_json_uint(j, now > c->trace_since ? (uint64_t)(now - c->trace_since) : 0);
	json_checks(j, u);
	/* How many of them were counted without call site: noise may be in them. */
	cs_json_key(j, "coarse_checks");
	cs_json_uint(j, u ? u->coarse : 0);
	json_mask(j, "used", used);
	json_mask(j, "unused", c->have_status ? unused_of(c, u) : 0);
	json_mask(j, "denied_only", u ? u->denied & ~u->used : 0);
	json_mask(j, "only_in_child_user_namespaces",
		  u ? used & ~u->used_in[CS_USERNS_INITIAL] : 0);
	cs_json_key(j, "profile");
	cs_profile_k8s_json(j, used);
	cs_json_key(j, "snippet");
	if ((f = cs_memstream_open(&snippet, &n)) != NULL) {
		cs_profile_write(CS_PROFILE_K8S, used, NULL, f);
		cs_memstream_close(f);
	}
	if (!snippet && !j->error) /* out of memory: the page is not whole */
		j->error = -ENOMEM;
	cs_json_str(j, snippet);
	free(snippet);
	cs_json_obj_end(j);
}
