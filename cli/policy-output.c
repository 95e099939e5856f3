/* SPDX-License-Identifier: MIT */
/* capscope policy: text and JSON rendering of SCC advice and policy checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "policy-output.h"

static void print_esc(const char *prefix, const char *s)
{
	char *e = cs_escape_dup(s);

	printf("%s%s", prefix, e ? e : "?");
	free(e);
}

static void pod_title(const struct cs_k8s_pod *p)
{
	print_esc("", p->kind);
	print_esc(" ", p->namespace ? p->namespace : "");
	print_esc(p->namespace ? "/" : "", p->name ? p->name : "(unnamed)");
	print_esc(" (", p->file);
	printf(")\n");
}

static bool allows_every_cap(const struct cs_scc *s)
{
	for (size_t i = 0; i < s->allowed_caps.n; i++)
		if (!strcmp(s->allowed_caps.v[i], "*"))
			return true;
	return s->allow_privileged;
}

void policy_scc_text(const struct cs_k8s_pod *p, const struct cs_policy_scc_advice *a,
		     enum cs_policy_order order)
{
	size_t last = a->chosen >= 0 ? (size_t)a->chosen : a->n - 1;

	pod_title(p);
	if (a->chosen >= 0)
		print_esc("  least privileged built-in SCC: ", a->v[a->chosen].scc->name);
	else
		printf("  no built-in SCC admits this pod (try 'capscope policy custom-scc')");
	printf("\n  order: %s\n", order == CS_POLICY_ORDER_ADMISSION
				      ? "priority, then pointValue, then name (admission's sort)"
				      : "pointValue (restrictiveness), then name");
	for (size_t i = 0; a->n && i <= last; i++) {
		const struct cs_policy_scc_verdict *v = &a->v[i];

		print_esc("    ", v->scc->name);
		printf(" (points %d, priority %lld): ", v->points, (long long)v->priority);
		print_esc("", v->admits ? "admits" : v->reason);
		printf("\n");
	}
	if (a->chosen >= 0 && allows_every_cap(a->v[a->chosen].scc))
		printf("  it allows every capability: 'capscope policy custom-scc' makes one that "
		       "allows only what the pod adds\n");
	if (a->chosen >= 0 && !strcmp(a->v[a->chosen].scc->name, "restricted-v2")) {
		printf("  nothing to grant: every authenticated user may use restricted-v2\n");
	} else if (a->chosen >= 0 && a->admitted_with_grant) {
		print_esc("  with restricted-v2 and ", a->v[a->chosen].scc->name);
		print_esc(" granted, admission picks ", a->admitted_with_grant->name);
		print_esc("\n  grant it: oc adm policy add-scc-to-user ",
			  a->v[a->chosen].scc->name);
		print_esc(" -z ", p->service_account ? p->service_account : "default");
		if (p->namespace)
			print_esc(" -n ", p->namespace);
		printf("\n");
	}
}

void policy_scc_json(struct cs_json *j, const struct cs_k8s_pod *p,
		     const struct cs_policy_scc_advice *a)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "file"), cs_json_str(j, p->file);
	cs_json_key(j, "kind"), cs_json_str(j, p->kind);
	cs_json_key(j, "name"), p->name ? cs_json_str(j, p->name) : cs_json_null(j);
	cs_json_key(j, "namespace"), p->namespace ? cs_json_str(j, p->namespace) : cs_json_null(j);
	cs_json_key(j, "chosen");
	a->chosen >= 0 ? cs_json_str(j, a->v[a->chosen].scc->name) : cs_json_null(j);
	cs_json_key(j, "admitted_with_grant");
	a->admitted_with_grant ? cs_json_str(j, a->admitted_with_grant->name) : cs_json_null(j);
	cs_json_key(j, "sccs");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < a->n; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "name"), cs_json_str(j, a->v[i].scc->name);
		cs_json_key(j, "points"), cs_json_int(j, a->v[i].points);
		cs_json_key(j, "priority"), cs_json_int(j, a->v[i].priority);
		cs_json_key(j, "admits"), cs_json_bool(j, a->v[i].admits);
		cs_json_key(j, "reason");
		a->v[i].reason ? cs_json_str(j, a->v[i].reason) : cs_json_null(j);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}

void policy_check_json(struct cs_json *j, const struct cs_k8s_pod *p,
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

void policy_check_text(const struct cs_k8s_pod *p, const struct cs_policy_check *c)
{
	printf("%s ", c->allowed ? "allow" : "deny ");
	pod_title(p);
	for (size_t k = 0; k < c->n; k++) {
		print_esc("  ", c->v[k].message);
		printf(" [%s]\n", c->v[k].rule);
	}
}
