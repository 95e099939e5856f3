/* SPDX-License-Identifier: MIT */
/* capscope policy: text and JSON rendering of SCC advice and policy checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "internal/cleanup.h"
#include "output.h"
#include "policy-output.h"

static void print_esc(const char *prefix, const char *s)
{
	char *e = cs_escape_dup(s);

	printf("%s%s", prefix, e ? e : cs_oom_mark());
	free(e);
}

/* A word of a command the user is meant to copy: quoted for the shell
 * (escape.h), which is terminal-safe too. Fifteenth pass: a service
 * account "sa`id`" or a namespace "$(...)" went into the `oc` line as it is. */
static void print_word(const char *prefix, const char *s)
{
	char *q = cs_quote_shell_dup(s);

	printf("%s%s", prefix, q ? q : cs_oom_mark());
	free(q);
}

/* A name with text after it on its line, by the item rule (escape.h): no
 * space, blank or mark of its own. */
static void print_item(const char *prefix, const char *s, const char *marks)
{
	char *e = cs_escape_item_dup(s, marks);

	printf("%s%s", prefix, e ? e : cs_oom_mark());
	free(e);
}

/*
 * Eighteenth pass: the namespace and the name were written as they are, so
 * a pod "web (prod.yaml)" of namespace "a/b" read "Pod a/b/web (prod.yaml)
 * (FILE)": another namespace, name and file. explain pod and lint already
 * wrote them by the item rule.
 */
static void pod_title(const struct cs_k8s_pod *p)
{
	print_esc("", p->kind);
	if (p->namespace)
		print_item(" ", p->namespace, "/");
	print_item(p->namespace ? "/" : " ", p->name ? p->name : "(unnamed)", "");
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

/*
 * Twentieth pass, part E: restricted-v2 (and nonroot-v2, hostnetwork-v2,
 * restricted-v3) sets allowPrivilegeEscalation: false in every container
 * that leaves it unset, so the pod gets no_new_privs it did not ask for;
 * the advice said only "restricted-v2". Said as custom-scc's comment says it.
 */
static void nnp_note(const struct cs_k8s_pod *p, const struct cs_scc *s)
{
	size_t k = 0;

	for (size_t i = 0; i < p->n_containers; i++) {
		if (!cs_policy_scc_sets_no_escalation(s, p, &p->containers[i]))
			continue;
		if (!k++) {
			print_esc("  ", s->name);
			printf(" sets allowPrivilegeEscalation: false in ");
		}
		print_item(k > 1 ? ", " : "", p->containers[i].name, ",");
	}
	if (!k)
		return;
	printf(" (unset in the pod):\n"
	       "  no_new_privs, so set-uid bits raise nothing and file capabilities grant only\n"
	       "  what the process already held before execve; a container whose image relies\n"
	       "  on either needs allowPrivilegeEscalation: true");
	if (s->allow_privilege_escalation.set && !s->allow_privilege_escalation.v)
		print_esc(", which ", s->name), printf(" refuses");
	printf("\n");
}

int policy_scc_text(const struct cs_k8s_pod *p, const struct cs_policy_scc_advice *a,
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
		const char *why = NULL;
		cs_cleanup_free char *owned = NULL;

		/* Made again here, one at a time (cs_policy_scc_reason). */
		if (!v->admits && cs_policy_scc_reason(a, i, &why, &owned) < 0)
			return -ENOMEM;
		print_esc("", v->admits ? "admits" : why);
		printf("\n");
	}
	if (a->chosen >= 0)
		nnp_note(p, a->v[a->chosen].scc);
	if (a->chosen >= 0 && allows_every_cap(a->v[a->chosen].scc))
		printf("  it allows every capability: 'capscope policy custom-scc' makes one that "
		       "allows only what the pod adds\n");
	if (a->in_user_namespace) {
		print_esc("  root in the pod, not on the node: with hostUsers: false, admitted by ",
			  a->in_user_namespace->name);
		printf("\n");
	}
	if (a->chosen_authenticated) {
		print_esc("  nothing to grant: every authenticated user may use ",
			  a->v[a->chosen].scc->name);
		printf("\n");
	} else if (a->chosen >= 0 && a->admitted_with_grant) {
		print_esc("  with system:authenticated's SCCs and ", a->v[a->chosen].scc->name);
		print_esc(" granted, admission picks ", a->admitted_with_grant->name);
		print_word("\n  grant it: oc adm policy add-scc-to-user ",
			   a->v[a->chosen].scc->name);
		print_word(" -z ", p->service_account ? p->service_account : "default");
		if (p->namespace)
			print_word(" -n ", p->namespace);
		printf("\n");
	}
	return 0;
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
