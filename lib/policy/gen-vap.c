/* SPDX-License-Identifier: MIT */
/*
 * A Kubernetes ValidatingAdmissionPolicy (CEL) + binding that implements
 * cs_policy_check_pod() for every kind with a pod template, including the
 * pods/ephemeralcontainers subresource (`kubectl debug` adds containers
 * through it, and they carry securityContext like any other).
 * tests/policy/cel.py evaluates exactly these expressions.
 *
 * The pod spec is found by shape (template, jobTemplate, spec.template),
 * not by object.kind: the shape is what the API server validated, while a
 * kind check would have to list every kind, and one missing would let its
 * objects through unchecked (all() over no containers is true).
 */
#include <errno.h>
#include <string.h>

#include "capscope/policy.h"
#include "gen-valid.h"
#include "yaml-out.h"

/* CEL: one capability string as runtimes read it (upper case, one CAP_ off). */
#define CEL_NORM                                                                                   \
	"(a.upperAscii().startsWith('CAP_') ? a.upperAscii().substring(4) : a.upperAscii())"

static const char vap_spec[] =
    "  failurePolicy: Fail\n"
    "  matchConstraints:\n"
    "    resourceRules:\n"
    "    - apiGroups: [\"\"]\n"
    "      apiVersions: [\"v1\"]\n"
    "      operations: [\"CREATE\", \"UPDATE\"]\n"
    "      resources: [\"pods\", \"pods/ephemeralcontainers\", \"replicationcontrollers\", "
    "\"podtemplates\"]\n"
    "    - apiGroups: [\"apps\"]\n"
    "      apiVersions: [\"v1\"]\n"
    "      operations: [\"CREATE\", \"UPDATE\"]\n"
    "      resources: [\"deployments\", \"replicasets\", \"statefulsets\", \"daemonsets\"]\n"
    "    - apiGroups: [\"batch\"]\n"
    "      apiVersions: [\"v1\"]\n"
    "      operations: [\"CREATE\", \"UPDATE\"]\n"
    "      resources: [\"jobs\", \"cronjobs\"]\n"
    /* OpenShift's DeploymentConfig, which lint reads (a rule of a group the
     * cluster lacks matches nothing): refused at apply, not only its
     * ReplicationControllers and pods later in its controller */
    "    - apiGroups: [\"apps.openshift.io\"]\n"
    "      apiVersions: [\"v1\"]\n"
    "      operations: [\"CREATE\", \"UPDATE\"]\n"
    "      resources: [\"deploymentconfigs\"]\n"
    "  variables:\n"
    "  - name: spec\n"
    "    expression: >-\n"
    "      has(object.template) ? object.template.spec :\n"
    "      has(object.spec.jobTemplate) ? object.spec.jobTemplate.spec.template.spec :\n"
    "      has(object.spec.template) ? object.spec.template.spec :\n"
    "      object.spec\n"
    "  - name: containers\n"
    "    expression: >-\n"
    "      (has(variables.spec.containers) ? variables.spec.containers : []) +\n"
    "      (has(variables.spec.initContainers) ? variables.spec.initContainers : []) +\n"
    "      (has(variables.spec.ephemeralContainers) ? variables.spec.ephemeralContainers : [])\n";

static const char vap_validations[] =
    "  validations:\n"
    "  - expression: >-\n"
    "      variables.containers.all(c, !has(c.securityContext) ||\n"
    "      !has(c.securityContext.privileged) || !c.securityContext.privileged)\n"
    "    message: a privileged container holds every capability\n"
    "    reason: Forbidden\n"
    "  - expression: >-\n"
    "      variables.containers.all(c, has(c.securityContext) &&\n"
    "      has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop) &&\n"
    "      c.securityContext.capabilities.drop.exists(d, d.upperAscii() == 'ALL'))\n"
    "    message: every container must drop ALL capabilities (securityContext.capabilities.drop)\n"
    "    reason: Forbidden\n"
    "  - expression: >-\n"
    "      variables.containers.all(c, !has(c.securityContext) ||\n"
    "      !has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) ||\n"
    "      c.securityContext.capabilities.add.all(a, " CEL_NORM " in variables.allowed))\n";

int cs_policy_write_vap(const struct cs_policy_gen *g, FILE *f, struct cs_diag *d)
{
	int rc;

	if ((rc = cs_policy_gen_valid(g, g->namespace, d)) < 0)
		return rc;
	fputs("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
	      "metadata:\n",
	      f);
	yw_kv(f, 2, "name", g->name);
	fputs("spec:\n", f);
	fputs(vap_spec, f);
	fputs("  - name: allowed\n    expression: \"", f);
	yw_caps(f, g->allowed, "'");
	fputs("\"\n", f);
	fputs(vap_validations, f);
	fputs("    message: \"containers may add only ", f);
	yw_caps(f, g->allowed, "");
	fputs(" (any case, CAP_ prefix optional; never ALL)\"\n    reason: Forbidden\n", f);
	fputs("---\napiVersion: admissionregistration.k8s.io/v1\nkind: "
	      "ValidatingAdmissionPolicyBinding\n"
	      "metadata:\n",
	      f);
	yw_kv(f, 2, "name", g->name);
	fputs("spec:\n", f);
	yw_kv(f, 2, "policyName", g->name);
	fputs("  validationActions: [\"Deny\"]\n", f);
	if (g->namespace) {
		fputs("  matchResources:\n    namespaceSelector:\n      matchExpressions:\n"
		      "      - key: kubernetes.io/metadata.name\n        operator: In\n        "
		      "values: [",
		      f);
		yw_str(f, g->namespace);
		fputs("]\n", f);
	}
	return yw_finish(f);
}
