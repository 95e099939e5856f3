/* SPDX-License-Identifier: MIT */
/* capscope policy's results as JSON: the SCC advice and the check of one pod. */
#include "capscope/policy-json.h"

#include <errno.h>
#include <stdlib.h>

#include "internal/cleanup.h"

void cs_policy_scc_advice_json(struct cs_json *j, const struct cs_k8s_pod *p,
			       const struct cs_policy_scc_advice *a)
{
	cs_cleanup_free const char **names = NULL;
	size_t n = 0;

	cs_json_obj_begin(j);
	cs_json_key(j, "file"), cs_json_str(j, p->file);
	cs_json_key(j, "kind"), cs_json_str(j, p->kind);
	cs_json_key(j, "name"), p->name ? cs_json_str(j, p->name) : cs_json_null(j);
	cs_json_key(j, "namespace"), p->namespace ? cs_json_str(j, p->namespace) : cs_json_null(j);
	cs_json_key(j, "chosen");
	a->chosen >= 0 ? cs_json_str(j, a->v[a->chosen].scc->name) : cs_json_null(j);
	cs_json_key(j, "admitted_with_grant");
	a->admitted_with_grant ? cs_json_str(j, a->admitted_with_grant->name) : cs_json_null(j);
	cs_json_key(j, "admits_in_user_namespace");
	a->in_user_namespace ? cs_json_str(j, a->in_user_namespace->name) : cs_json_null(j);
	/* the chosen SCC's allowPrivilegeEscalation: false default (no_new_privs) */
	cs_json_key(j, "no_new_privs_by_default");
	names = calloc(p->n_containers ? p->n_containers : 1, sizeof(*names));
	if (!names && !j->error)
		j->error = -ENOMEM;
	for (size_t i = 0; names && a->chosen >= 0 && i < p->n_containers; i++)
		if (cs_policy_scc_sets_no_escalation(a->v[a->chosen].scc, p, &p->containers[i]))
			names[n++] = p->containers[i].name;
	cs_json_strv(j, names, n); /* a name that is not UTF-8 has its twin */
	cs_json_key(j, "sccs");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < a->n; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "name"), cs_json_str(j, a->v[i].scc->name);
		cs_json_key(j, "points"), cs_json_int(j, a->v[i].points);
		cs_json_key(j, "priority"), cs_json_int(j, a->v[i].priority);
		cs_json_key(j, "admits"), cs_json_bool(j, a->v[i].admits);
		cs_json_key(j, "reason");
		const char *why = NULL;
		cs_cleanup_free char *owned = NULL;

		/* Made again here, one at a time (cs_policy_scc_reason). */
		if (cs_policy_scc_reason(a, i, &why, &owned) < 0 && !j->error)
			j->error = -ENOMEM;
		why ? cs_json_str(j, why) : cs_json_null(j);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}

void cs_policy_check_json(struct cs_json *j, const struct cs_k8s_pod *p,
			  const struct cs_policy_check *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "kind"), cs_json_str(j, p->kind);
	cs_json_key(j, "name"), p->name ? cs_json_str(j, p->name) : cs_json_null(j);
	cs_json_key(j, "allowed"), cs_json_bool(j, c->allowed);
	cs_json_key(j, "violations");
	cs_json_arr_begin(j);
	for (size_t k = 0; k < c->n; k++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "rule"), cs_json_str(j, c->v[k].rule);
		cs_json_key(j, "message"), cs_json_str(j, c->v[k].message);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}
