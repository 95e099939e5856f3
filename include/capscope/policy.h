/* SPDX-License-Identifier: MIT */
/*
 * capscope policy: from what a workload needs (a traced profile, or the
 * capabilities a manifest's containers request) to what a cluster should
 * allow — the least built-in OpenShift SCC that admits the pod and why each
 * more restrictive one does not, a minimal custom SCC with the Role and
 * RoleBinding that grant `use` of it, and admission policies that allow
 * exactly a set of capabilities (ValidatingAdmissionPolicy with CEL, a
 * Kyverno ClusterPolicy, a Gatekeeper ConstraintTemplate with Rego).
 *
 * Every generated policy implements one rule, cs_policy_check_pod(), and
 * tests/policy/ checks each engine's decision against it on a generated
 * corpus. docs/policy.md explains the rule and the normalisation.
 */
#ifndef CAPSCOPE_POLICY_H
#define CAPSCOPE_POLICY_H

#include <stdio.h>

#include "caps.h"
#include "diag.h"
#include "k8s.h"
#include "scc.h"

/* cs_policy_cap_normalise() for "ALL" (any case). */
#define CS_POLICY_CAP_ALL (-2)

/*
 * How a capability string of a manifest is read, the way every CRI runtime
 * reads it (docs/runtimes.md): case does not matter and one leading "CAP_"
 * (any case) is optional. Returns the capability number, CS_POLICY_CAP_ALL
 * for "ALL", or -EINVAL for anything else (an unknown name, a number,
 * "CAP_ALL", "CAP_CAP_X": runtimes refuse or ignore those, a policy must not
 * let them through).
 */
CS_EXPORT int cs_policy_cap_normalise(const char *s);

/* One reason a container falls outside the allowed set. */
struct cs_policy_violation {
	size_t container; /* index into pod->containers */
	const char *rule; /* "privileged", "drop-all", "add" */
	char *message;	  /* heap, names as written in the manifest (not escaped) */
};

struct cs_policy_check {
	bool allowed;
	struct cs_policy_violation *v;
	size_t n;
};

/*
 * The rule every generated admission policy implements: each container,
 * init container and ephemeral container of the pod
 *  - is not privileged (a privileged container holds every capability);
 *  - drops ALL (any case): otherwise the runtime's default set stays, which
 *    differs between CRI-O, containerd and Docker;
 *  - adds only capabilities that normalise into `allowed` ("ALL" never).
 * *out is allocated; free it with cs_policy_check_free(). Returns 0 or -ENOMEM.
 */
CS_EXPORT int cs_policy_check_pod(const struct cs_k8s_pod *pod, cs_mask_t allowed,
				  struct cs_policy_check **out);
CS_EXPORT void cs_policy_check_free(struct cs_policy_check *c);

/* The capabilities the pod's containers add, normalised (unknown names and ALL left out). */
CS_EXPORT cs_mask_t cs_policy_pod_caps(const struct cs_k8s_pod *pod);
/*
 * The same into *out, refusing what a policy made from them would not allow
 * the pod itself: a name that is no capability and, when all_refused (the
 * admission policies, which never allow it), ALL. -EINVAL with d naming the
 * pod's file, the list's line and column and the container; -ENOMEM.
 */
CS_EXPORT int cs_policy_pod_caps_checked(const struct cs_k8s_pod *pod, bool all_refused,
					 cs_mask_t *out, struct cs_diag *d);

/*
 * The profile of `capscope trace --json` output: profile.capabilities.
 * Returns 0, or -EINVAL with d saying where the JSON is not a trace report.
 */
CS_EXPORT int cs_policy_profile_load(const char *path, cs_mask_t *caps, struct cs_diag *d);
CS_EXPORT int cs_policy_profile_parse(const char *buf, size_t len, const char *name,
				      cs_mask_t *caps, struct cs_diag *d);

/* The pod a profile stands for: one container "traced" that drops ALL and adds caps. */
struct cs_policy_pod_opts {
	const char *name;	     /* metadata.name; NULL = "traced" */
	const char *namespace;	     /* NULL = none */
	const char *service_account; /* NULL = none */
	struct cs_opt_i64 run_as_user;
};

/* Append that pod to m (through the manifest reader, as if it were a file). */
CS_EXPORT int cs_policy_profile_pod(struct cs_k8s_manifest *m, cs_mask_t caps,
				    const struct cs_policy_pod_opts *o, struct cs_diag *d);

/*
 * Which built-in SCC: in what order SCCs count as "less privileged".
 * RESTRICTIVENESS (the default) is admission's own sort without the
 * priority key: pointValue, then name. ADMISSION adds priority first, as
 * admission sorts (anyuid's priority 10 then puts it before restricted-v2).
 * docs/policy.md says why the default leaves priority out.
 */
enum cs_policy_order { CS_POLICY_ORDER_RESTRICTIVENESS, CS_POLICY_ORDER_ADMISSION };

struct cs_policy_scc_verdict {
	const struct cs_scc *scc;
	int points;
	int64_t priority;
	bool admits;
	/* heap: admission's errors when set by the caller; cs_policy_scc_advise
	 * leaves it NULL (see cs_policy_scc_reason) */
	char *reason;
};

struct cs_policy_scc_advice {
	struct cs_policy_scc_verdict *v; /* every SCC, least privileged first */
	size_t n;
	long chosen; /* index of the first that admits, -1 when none does */
	/*
	 * What admission then picks when the service account may use only
	 * what system:authenticated may (cs_scc_authenticated: restricted-v2,
	 * restricted-v3) and the chosen SCC: normally the chosen SCC or one of
	 * those; NULL when none admits.
	 */
	const struct cs_scc *admitted_with_grant;
	/* The chosen SCC is one every authenticated user may use: nothing to grant. */
	bool chosen_authenticated;
	/*
	 * For a pod in the node's user namespace: the least privileged SCC
	 * before the chosen one (or of all, when none admits) with
	 * userNamespaceLevel RequirePodLevel that admits the same pod with
	 * hostUsers: false — root in the pod, not on the node (nested-container
	 * instead of anyuid). NULL when there is none.
	 */
	const struct cs_scc *in_user_namespace;
	/* internal: what cs_policy_scc_reason re-runs admission with. Every
	 * refusal of a large pod held at once cost 15 KB a container (eleven
	 * SCCs refusing sixteen capabilities each), against 8 KB in all. */
	const struct cs_k8s_pod *pod;
	struct cs_scc_opts opts;
};

/*
 * Try each SCC on its own (admission with that one SCC granted, through
 * cs_scc_admit) and sort the verdicts in the given order. Returns 0 (see
 * chosen), -ENOMEM. Free with cs_policy_scc_advice_free(). Steps (layer
 * "policy"; st may be NULL): policy.scc-order, one policy.scc-refuses per
 * SCC before the chosen one, policy.scc-least or policy.scc-none, and
 * policy.scc-grant (what admission picks with system:authenticated's SCCs
 * and the choice), policy.scc-user-namespace (see in_user_namespace).
 */
CS_EXPORT int cs_policy_scc_advise(const struct cs_k8s_pod *pod, const struct cs_scc *const *sccs,
				   size_t n, const struct cs_scc_opts *o,
				   enum cs_policy_order order, struct cs_policy_scc_advice **out,
				   struct cs_steps *st);
CS_EXPORT void cs_policy_scc_advice_free(struct cs_policy_scc_advice *a);

/*
 * Whether SCC s, admitting the pod, sets allowPrivilegeEscalation to false
 * in container c, which leaves it unset (provider.go mutateContainer: the
 * SCC's defaultAllowPrivilegeEscalation, then allowPrivilegeEscalation:
 * false on every container still unset): the container then runs with
 * no_new_privs, which it did not ask for (restricted-v2, nonroot-v2,
 * hostnetwork-v2, restricted-v3 do so).
 */
CS_EXPORT bool cs_policy_scc_sets_no_escalation(const struct cs_scc *s,
						const struct cs_k8s_pod *pod,
						const struct cs_k8s_container *c);

/*
 * Why verdict i refuses, made again from the pod (which must outlive the
 * advice) when it is asked for, so only one refusal is held at a time:
 * *out is v[i].reason when set, else a heap string the caller frees in
 * *owned; NULL when the SCC admits. 0 or -ENOMEM.
 */
CS_EXPORT int cs_policy_scc_reason(const struct cs_policy_scc_advice *a, size_t i, const char **out,
				   char **owned);

/* Read every *.yaml SCC of a directory (the built-in ones: data/scc) into m. */
CS_EXPORT int cs_policy_sccs_load_dir(struct cs_k8s_manifest *m, const char *dir,
				      struct cs_diag *d);

/* Names and scope of generated objects. */
struct cs_policy_gen {
	const char *name;      /* the SCC / policy name (required) */
	const char *namespace; /* Role/RoleBinding namespace; policies: limit to it, or NULL */
	const char *service_account; /* RoleBinding subject; NULL = "default" */
	cs_mask_t allowed;	     /* admission policies: the capabilities to allow */
	struct cs_scc_opts scc_opts; /* custom SCC: the namespace's uid range */
};

/*
 * A minimal SCC that admits pod (restricted-v2's shape, opened only where
 * the pod needs it; allowedCapabilities exactly as the containers spell
 * their adds, since SCC admission compares them case-sensitively), then the
 * Role and RoleBinding granting `use` of it. The SCC is checked by parsing
 * it back and running admission; -EPROTO with d when it would not admit.
 */
CS_EXPORT int cs_policy_write_custom_scc(const struct cs_k8s_pod *pod,
					 const struct cs_policy_gen *g, FILE *f, struct cs_diag *d);

/* ValidatingAdmissionPolicy (CEL) + ValidatingAdmissionPolicyBinding. */
CS_EXPORT int cs_policy_write_vap(const struct cs_policy_gen *g, FILE *f, struct cs_diag *d);
/* Kyverno ClusterPolicy (foreach + deny conditions, JMESPath). */
CS_EXPORT int cs_policy_write_kyverno(const struct cs_policy_gen *g, FILE *f, struct cs_diag *d);
/* Gatekeeper ConstraintTemplate (Rego) + its Constraint. */
CS_EXPORT int cs_policy_write_gatekeeper(const struct cs_policy_gen *g, FILE *f, struct cs_diag *d);

/* A name Kubernetes accepts for these objects (DNS-1123 subdomain, ≤ 253). */
CS_EXPORT bool cs_policy_name_valid(const char *s);
/* A name Kubernetes accepts for a namespace (DNS-1123 label, <= 63): what
 * --namespace and a Role's namespace must be. */
CS_EXPORT bool cs_policy_namespace_valid(const char *s);

#endif
