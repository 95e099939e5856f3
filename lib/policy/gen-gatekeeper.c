/* SPDX-License-Identifier: MIT */
/*
 * A Gatekeeper ConstraintTemplate (Rego, v0 syntax, which every Gatekeeper
 * 3.x accepts) and its Constraint, implementing cs_policy_check_pod(). The
 * allowed set is the Constraint's parameter, so one template serves many
 * profiles. tests/policy/rego.py evaluates exactly this Rego.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/policy.h"
#include "gen-valid.h"
#include "yaml-out.h"

static const char rego[] =
    "package capscopecapabilities\n"
    "\n"
    "violation[{\"msg\": msg}] {\n"
    "  c := containers[_]\n"
    "  c.securityContext.privileged\n"
    "  msg := sprintf(\"container %v is privileged: it holds every capability\", [c.name])\n"
    "}\n"
    "\n"
    "violation[{\"msg\": msg}] {\n"
    "  c := containers[_]\n"
    "  not drops_all(c)\n"
    "  msg := sprintf(\"container %v must drop ALL capabilities\", [c.name])\n"
    "}\n"
    "\n"
    "violation[{\"msg\": msg}] {\n"
    "  c := containers[_]\n"
    "  a := c.securityContext.capabilities.add[_]\n"
    "  not allowed(a)\n"
    "  msg := sprintf(\"container %v adds %v; allowed: %v\", [c.name, a, "
    "input.parameters.allowedCapabilities])\n"
    "}\n"
    "\n"
    "drops_all(c) {\n"
    "  upper(c.securityContext.capabilities.drop[_]) == \"ALL\"\n"
    "}\n"
    "\n"
    "allowed(a) {\n"
    "  normalised(a) == input.parameters.allowedCapabilities[_]\n"
    "}\n"
    "\n"
    "# As runtimes read a capability: upper case, one CAP_ prefix optional.\n"
    "# Anything but ASCII letters, digits and _ becomes # first: upper() maps\n"
    "# dotless i to I, and a policy must not widen names that way.\n"
    "ascii_upper(a) = u {\n"
    "  u := upper(regex.replace(a, \"[^A-Za-z0-9_]\", \"#\"))\n"
    "}\n"
    "\n"
    "normalised(a) = n {\n"
    "  startswith(ascii_upper(a), \"CAP_\")\n"
    "  n := substring(ascii_upper(a), 4, -1)\n"
    "}\n"
    "\n"
    "normalised(a) = n {\n"
    "  not startswith(ascii_upper(a), \"CAP_\")\n"
    "  n := ascii_upper(a)\n"
    "}\n"
    "\n"
    "containers[c] {\n"
    "  c := pod_spec.containers[_]\n"
    "}\n"
    "\n"
    "containers[c] {\n"
    "  c := pod_spec.initContainers[_]\n"
    "}\n"
    "\n"
    "containers[c] {\n"
    "  c := pod_spec.ephemeralContainers[_]\n"
    "}\n"
    "\n"
    "pod_spec = s {\n"
    "  input.review.object.kind == \"Pod\"\n"
    "  s := input.review.object.spec\n"
    "}\n"
    "\n"
    "pod_spec = s {\n"
    "  input.review.object.kind == \"PodTemplate\"\n"
    "  s := input.review.object.template.spec\n"
    "}\n"
    "\n"
    "pod_spec = s {\n"
    "  input.review.object.kind == \"CronJob\"\n"
    "  s := input.review.object.spec.jobTemplate.spec.template.spec\n"
    "}\n"
    "\n"
    "pod_spec = s {\n"
    "  not input.review.object.kind == \"Pod\"\n"
    "  not input.review.object.kind == \"PodTemplate\"\n"
    "  not input.review.object.kind == \"CronJob\"\n"
    "  s := input.review.object.spec.template.spec\n"
    "}\n";

/* The CRD kind: "allow-net-raw" → "AllowNetRaw" (a kind has no dashes or dots). */
static char *kind_of(const char *name)
{
	char *k = malloc(strlen(name) + 1);
	size_t n = 0;
	bool up = true;

	if (!k)
		return NULL;
	for (const char *p = name; *p; p++) {
		if (*p == '-' || *p == '.') {
			up = true;
			continue;
		}
		k[n++] = up ? (char)toupper((unsigned char)*p) : *p;
		up = false;
	}
	k[n] = '\0';
	return k;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

int cs_policy_write_gatekeeper(const struct cs_policy_gen *g, FILE *f, struct cs_diag *d)
{
	char *kind, *tname;
	int rc;

	if ((rc = cs_policy_gen_valid(g, g->namespace, d)) < 0)
		return rc;
	/* Sixteenth pass, part H: the Constraint's name is at most 63 (the CRD
	 * Gatekeeper makes for the template says maxLength 63: frameworks'
	 * constraint/pkg/client/crds/schema.go), and so is the template's (its
	 * CRD's plural, a DNS-1035 label); a longer name was written, and
	 * refused at apply. */
	if (strlen(g->name) > 63)
		return cs_diag_set(d, EINVAL, 0, 0, "name",
				   "Gatekeeper takes a Constraint name of at most 63 characters");
	if (!(kind = kind_of(g->name)) || !(tname = strdup(kind))) {
		free(kind);
		return -ENOMEM;
	}
	if (!isalpha((unsigned char)kind[0])) {
		free(kind);
		free(tname);
		return cs_diag_set(d, EINVAL, 0, 0, "name",
				   "a Gatekeeper template name must start with a letter");
	}
	lower(tname); /* the template's name is its kind in lower case */
	fputs("apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata:\n", f);
	yw_kv(f, 2, "name", tname);
	fputs("spec:\n  crd:\n    spec:\n      names:\n", f);
	yw_kv(f, 8, "kind", kind);
	fputs("      validation:\n        openAPIV3Schema:\n          type: object\n"
	      "          properties:\n            allowedCapabilities:\n              type: array\n"
	      "              items:\n                type: string\n"
	      "  targets:\n  - target: admission.k8s.gatekeeper.sh\n    rego: ",
	      f);
	yw_block(f, 6, rego);
	fputs("---\napiVersion: constraints.gatekeeper.sh/v1beta1\n", f);
	yw_kv(f, 0, "kind", kind);
	fputs("metadata:\n", f);
	yw_kv(f, 2, "name", g->name);
	fputs("spec:\n  match:\n    kinds:\n"
	      "    - apiGroups: [\"\"]\n      kinds: [\"Pod\", \"ReplicationController\", "
	      "\"PodTemplate\"]\n"
	      "    - apiGroups: [\"apps\"]\n"
	      "      kinds: [\"Deployment\", \"ReplicaSet\", \"StatefulSet\", \"DaemonSet\"]\n"
	      "    - apiGroups: [\"batch\"]\n      kinds: [\"Job\", \"CronJob\"]\n"
	      /* OpenShift's workload: a kind the cluster lacks matches nothing */
	      "    - apiGroups: [\"apps.openshift.io\"]\n      kinds: [\"DeploymentConfig\"]\n",
	      f);
	if (g->namespace) {
		fputs("    namespaces: [", f);
		yw_str(f, g->namespace);
		fputs("]\n", f);
	}
	fputs("  parameters:\n    allowedCapabilities: ", f);
	yw_caps(f, g->allowed, "\"");
	fputc('\n', f);
	free(kind);
	free(tname);
	return yw_finish(f);
}
