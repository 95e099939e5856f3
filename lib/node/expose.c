/* SPDX-License-Identifier: MIT */
/*
 * The node inventory as Prometheus metrics and as JSON: what each
 * container's first process holds (from /proc), who it belongs to (from its
 * bundle's annotations), and whether that matches what the model predicts
 * from the bundle — a difference is a model or runtime bug and is shown,
 * never smoothed over.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capscope/json.h"
#include "capscope/node.h"
#include "capscope/serve.h"
#include "internal/cleanup.h"
#include "node-internal.h"

static const char *const set_names[CS_NSETS] = {"inheritable", "permitted", "effective", "bounding",
						"ambient"};

/* The labels that name a container: namespace, pod, container, id (its first
 * 12 characters, or all of it when a container of the same namespace, pod and
 * name has an id that starts with the same 12: scan.c). */
void cs_node_ident(const struct cs_node_ctr *c, const char **l, char id[13])
{
	snprintf(id, 13, "%s", c->id);
	l[0] = "namespace";
	l[1] = c->namespace ? c->namespace : "";
	l[2] = "pod";
	l[3] = c->pod ? c->pod : "";
	l[4] = "container";
	l[5] = c->container ? c->container : "";
	l[6] = "id";
	l[7] = c->id_shared ? c->id : id;
}

/* Metrics are of containers that run, pause containers left out. */
bool cs_node_shown(const struct cs_node_ctr *c)
{
	return c->have_status && !c->sandbox;
}

static void metric_caps(struct cs_prom *p, const struct cs_node_inventory *inv)
{
	cs_prom_family(
	    p, "capscope_container_capability", "gauge",
	    "1 for each capability in each set of the container's first process (/proc)");
	for (size_t i = 0; i < inv->n; i++) {
		const struct cs_node_ctr *c = inv->v[i];
		const char *l[9], *v[5] = {"set", NULL, "capability", NULL, NULL};
		char id[13], name[32], *prefix;

		if (!cs_node_shown(c))
			continue;
		cs_node_ident(c, l, id);
		l[8] = NULL;
		/* The container's labels escaped once for all its samples. */
		if (!(prefix = cs_prom_labels(l))) {
			p->error = p->error ? p->error : -ENOMEM;
			return;
		}
		for (int s = 0; s < CS_NSETS; s++)
			for (int cap = 0; cap < 64; cap++)
				if (c->status.caps.set[s] & CS_BIT(cap)) {
					v[1] = set_names[s];
					v[3] = cs_cap_name_r(cap, true, name, sizeof(name));
					cs_prom_sample_pre(p, "capscope_container_capability",
							   prefix, v, 1);
				}
		free(prefix);
	}
}

static void metric_info(struct cs_prom *p, const struct cs_node_inventory *inv)
{
	cs_prom_family(p, "capscope_container_info", "gauge",
		       "Credentials of the container's first process: uid, no_new_privs, seccomp, "
		       "user namespace");
	for (size_t i = 0; i < inv->n; i++) {
		const struct cs_node_ctr *c = inv->v[i];
		const char *l[21];
		char id[13], uid[16];

		if (!cs_node_shown(c))
			continue;
		cs_node_ident(c, l, id);
		snprintf(uid, sizeof(uid), "%u", (unsigned)c->status.uid[1]);
		l[8] = "runtime";
		l[9] = c->runtime ? c->runtime : "";
		l[10] = "uid";
		l[11] = uid;
		l[12] = "no_new_privs";
		l[13] = c->status.no_new_privs == 1 ? "true" : "false";
		l[14] = "seccomp";
		l[15] = cs_seccomp_name(c->status.seccomp);
		l[16] = "userns";
		l[17] = c->userns == 1 ? "true" : c->userns == 0 ? "false" : "unknown";
		l[18] = NULL;
		cs_prom_sample(p, "capscope_container_info", l, 1);
	}
	cs_prom_family(p, "capscope_container_prediction_mismatch", "gauge",
		       "1 when /proc differs from what capscope predicts from the container's OCI "
		       "bundle (a model or runtime bug; details in /api/v1/containers)");
	for (size_t i = 0; i < inv->n; i++) {
		const struct cs_node_ctr *c = inv->v[i];
		const char *l[9];
		char id[13];

		if (!cs_node_shown(c) || !c->predict_ok)
			continue;
		cs_node_ident(c, l, id);
		l[8] = NULL;
		cs_prom_sample(p, "capscope_container_prediction_mismatch", l,
			       cs_node_mismatch(c, NULL) == 1);
	}
}

int cs_node_metrics_write(const struct cs_node_inventory *inv, FILE *f)
{
	struct cs_prom p;
	size_t running = 0;

	cs_prom_init(&p, f);
	metric_caps(&p, inv);
	metric_info(&p, inv);
	for (size_t i = 0; i < inv->n; i++)
		running += cs_node_shown(inv->v[i]);
	cs_prom_family(&p, "capscope_containers", "gauge",
		       "Containers with a running first process on this node (pause containers "
		       "left out)");
	cs_prom_sample(&p, "capscope_containers", NULL, (double)running);
	return cs_prom_finish(&p);
}

static void json_ctr(struct cs_json *j, const struct cs_node_ctr *c, const struct cs_node_trace *nt,
		     double now)
{
	cs_cleanup_free char *why = NULL;
	int r = cs_node_mismatch(c, &why);
	bool mm = r == 1;

	/* The words of a difference not made for memory: the page is not
	 * whole (it said "mismatch": false, with 200; twenty-first pass). */
	if (r < 0 && !j->error)
		j->error = r;
	cs_json_obj_begin(j);
	cs_json_key(j, "id");
	cs_json_str(j, c->id);
	cs_json_key(j, "runtime");
	cs_json_str(j, c->runtime);
	cs_json_key(j, "bundle");
	cs_json_str(j, c->bundle);
	cs_json_key(j, "namespace");
	cs_json_str(j, c->namespace);
	cs_json_key(j, "pod");
	cs_json_str(j, c->pod);
	cs_json_key(j, "container");
	cs_json_str(j, c->container);
	cs_json_key(j, "sandbox");
	cs_json_bool(j, c->sandbox);
	cs_json_key(j, "config_error");
	cs_json_str(j, c->config_error);
	cs_json_key(j, "pid");
	cs_json_int(j, c->pid);
	cs_json_key(j, "processes");
	cs_json_uint(j, c->n_procs);
	cs_json_key(j, "process");
	if (c->have_status) {
		cs_json_obj_begin(j);
		cs_json_key(j, "uid");
		cs_json_uint(j, c->status.uid[1]);
		cs_json_key(j, "no_new_privs");
		cs_json_bool(j, c->status.no_new_privs == 1);
		cs_json_key(j, "seccomp");
		cs_json_str(j, cs_seccomp_name(c->status.seccomp));
		cs_json_key(j, "user_namespace");
		if (c->userns < 0)
			cs_json_null(j);
		else
			cs_json_bool(j, c->userns == 1);
		cs_json_key(j, "caps");
		cs_json_caps(j, &c->status.caps);
		cs_json_key(j, "threads_differing");
		cs_json_uint(j, c->threads_differing);
		cs_json_obj_end(j);
	} else {
		cs_json_null(j);
	}
	cs_json_key(j, "prediction");
	if (c->predicted) {
		cs_json_obj_begin(j);
		cs_json_key(j, "ok");
		cs_json_bool(j, c->predict_ok);
		cs_json_key(j, "why");
		cs_json_str(j, c->predict_why);
		cs_json_key(j, "caps");
		if (c->predict_ok)
			cs_json_caps(j, &c->prediction->caps);
		else
			cs_json_null(j);
		cs_json_key(j, "mismatch");
		cs_json_bool(j, mm);
		cs_json_key(j, "difference");
		cs_json_str(j, why);
		cs_json_obj_end(j);
	} else {
		cs_json_null(j);
	}
	if (nt) {
		cs_json_key(j, "trace");
		cs_node_trace_json(j, nt, c, now);
	}
	cs_json_obj_end(j);
}

int cs_node_json_write(const struct cs_node_inventory *inv, FILE *f)
{
	return cs_node_json_write_traced(inv, NULL, f);
}

int cs_node_json_write_traced(const struct cs_node_inventory *inv, const struct cs_node_trace *nt,
			      FILE *f)
{
	struct timespec ts;
	struct cs_json j;

	cs_json_init(&j, f, false);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "containers");
	cs_json_arr_begin(&j);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	for (size_t i = 0; i < inv->n; i++)
		json_ctr(&j, inv->v[i], nt, (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	return cs_json_finish(&j);
}
