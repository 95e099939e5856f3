/* SPDX-License-Identifier: MIT */
/*
 * The field names of the objects the manifest reader reads, checked as the
 * API server's strict decoding checks them (kubectl 1.27 and later asks for
 * strict field validation by default: `unknown field
 * "spec.containers[0].SecurityContext"`, the decoder being case-sensitive).
 * Until session 17 such a key was read as absent: `SecurityContext:
 * {privileged: true}` was predicted as a plain container, a pod kubectl
 * refuses.
 *
 * Every object on the way from a document's top to a container's
 * capabilities is checked whole against Kubernetes 1.32's fields
 * (k8s.io/api v0.32 types.go, ObjectMeta from apimachinery, OpenShift's
 * apps/v1 and security/v1): the object itself, its metadata, a workload's
 * spec, the pod template, the pod spec, each container, the
 * securityContexts and what they hold, an SCC. Session 17 checked the pod
 * spec and containers for case and misplaced fields only, since they grow
 * with each release: `volumeMount:` or `foo: 1` in a container was read as
 * absent where kubectl refuses the pod (session 18). A manifest for a newer
 * cluster is read with CS_K8S_VALIDATE_WARN (lint and explain pod
 * --validate=warn; the webhook always, since the API server has decoded
 * its object): an unknown key is then read as absent and recorded. A key
 * that spells a field in another case, or a field of another object
 * (`privileged` in a container, `capabilities` in a pod spec), is refused
 * in both modes: no release makes it a field.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "manifest-read.h"
#include "../internal/util.h"

static const char *const f_pod_spec[] = {"volumes",
					 "initContainers",
					 "containers",
					 "ephemeralContainers",
					 "restartPolicy",
					 "terminationGracePeriodSeconds",
					 "activeDeadlineSeconds",
					 "dnsPolicy",
					 "nodeSelector",
					 "serviceAccountName",
					 "serviceAccount",
					 "automountServiceAccountToken",
					 "nodeName",
					 "hostNetwork",
					 "hostPID",
					 "hostIPC",
					 "shareProcessNamespace",
					 "securityContext",
					 "imagePullSecrets",
					 "hostname",
					 "subdomain",
					 "affinity",
					 "schedulerName",
					 "tolerations",
					 "hostAliases",
					 "priorityClassName",
					 "priority",
					 "dnsConfig",
					 "readinessGates",
					 "runtimeClassName",
					 "enableServiceLinks",
					 "preemptionPolicy",
					 "overhead",
					 "topologySpreadConstraints",
					 "setHostnameAsFQDN",
					 "os",
					 "hostUsers",
					 "schedulingGates",
					 "resourceClaims",
					 "resources",
					 NULL};

static const char *const f_container[] = {
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
    "targetContainerName", /* ephemeral containers only; the API
			    * server refuses it elsewhere */
    NULL};

/* The objects above a pod spec: not fields of a pod's own objects, so
 * elsewhere() does not look at them. */
static const char *const f_object[] = {"apiVersion", "kind", "metadata", "spec", "status", NULL};
static const char *const f_meta[] = {"name",
				     "generateName",
				     "namespace",
				     "selfLink",
				     "uid",
				     "resourceVersion",
				     "generation",
				     "creationTimestamp",
				     "deletionTimestamp",
				     "deletionGracePeriodSeconds",
				     "labels",
				     "annotations",
				     "ownerReferences",
				     "finalizers",
				     "managedFields",
				     NULL};
/* Each workload's spec, of its apps/v1 or batch/v1 version (the removed
 * betas are refused, manifest.c `removed`: their own fields, `rollbackTo`
 * and `templateGeneration`, are none of these). */
static const char *const f_deployment[] = {"replicas",
					   "selector",
					   "template",
					   "strategy",
					   "minReadySeconds",
					   "revisionHistoryLimit",
					   "paused",
					   "progressDeadlineSeconds",
					   NULL};
static const char *const f_daemonset[] = {
    "selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit", NULL};
static const char *const f_replicaset[] = {"replicas", "minReadySeconds", "selector", "template",
					   NULL};
static const char *const f_statefulset[] = {
    "replicas",	       "selector",
    "template",	       "volumeClaimTemplates",
    "serviceName",     "podManagementPolicy",
    "updateStrategy",  "revisionHistoryLimit",
    "minReadySeconds", "persistentVolumeClaimRetentionPolicy",
    "ordinals",	       NULL};
static const char *const f_job[] = {"parallelism",
				    "completions",
				    "activeDeadlineSeconds",
				    "podFailurePolicy",
				    "successPolicy",
				    "backoffLimit",
				    "backoffLimitPerIndex",
				    "maxFailedIndexes",
				    "selector",
				    "manualSelector",
				    "template",
				    "ttlSecondsAfterFinished",
				    "completionMode",
				    "suspend",
				    "podReplacementPolicy",
				    "managedBy",
				    NULL};
static const char *const f_cronjob[] = {
    "schedule", "timeZone",    "startingDeadlineSeconds",    "concurrencyPolicy",
    "suspend",	"jobTemplate", "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
    NULL};
static const char *const f_rc[] = {"replicas", "minReadySeconds", "selector", "template", NULL};
static const char *const f_dc[] = {
    "strategy", "minReadySeconds", "triggers", "replicas", "revisionHistoryLimit",
    "test",	"paused",	   "selector", "template", NULL};

static const char *const f_sc[] = {"capabilities",
				   "privileged",
				   "seLinuxOptions",
				   "windowsOptions",
				   "runAsUser",
				   "runAsGroup",
				   "runAsNonRoot",
				   "readOnlyRootFilesystem",
				   "allowPrivilegeEscalation",
				   "procMount",
				   "seccompProfile",
				   "appArmorProfile",
				   NULL};

static const char *const f_pod_sc[] = {"seLinuxOptions",
				       "windowsOptions",
				       "runAsUser",
				       "runAsGroup",
				       "runAsNonRoot",
				       "supplementalGroups",
				       "supplementalGroupsPolicy",
				       "fsGroup",
				       "sysctls",
				       "fsGroupChangePolicy",
				       "seccompProfile",
				       "appArmorProfile",
				       "seLinuxChangePolicy",
				       NULL};

static const char *const f_caps[] = {"add", "drop", NULL};
static const char *const f_selinux[] = {"user", "role", "type", "level", NULL};
static const char *const f_profile[] = {"type", "localhostProfile", NULL};
static const char *const f_windows[] = {"gmsaCredentialSpecName", "gmsaCredentialSpec",
					"runAsUserName", "hostProcess", NULL};
static const char *const f_sysctl[] = {"name", "value", NULL};
static const char *const f_os[] = {"name", NULL};
static const char *const f_template[] = {"metadata", "spec", NULL};

/* OpenShift's security/v1 SecurityContextConstraints and its strategies. */
static const char *const f_scc[] = {"apiVersion",
				    "kind",
				    "metadata",
				    "priority",
				    "allowPrivilegedContainer",
				    "defaultAddCapabilities",
				    "requiredDropCapabilities",
				    "allowedCapabilities",
				    "allowHostDirVolumePlugin",
				    "volumes",
				    "allowedFlexVolumes",
				    "allowHostNetwork",
				    "allowHostPorts",
				    "allowHostPID",
				    "allowHostIPC",
				    "userNamespaceLevel",
				    "defaultAllowPrivilegeEscalation",
				    "allowPrivilegeEscalation",
				    "seLinuxContext",
				    "runAsUser",
				    "supplementalGroups",
				    "fsGroup",
				    "readOnlyRootFilesystem",
				    "users",
				    "groups",
				    "seccompProfiles",
				    "allowedUnsafeSysctls",
				    "forbiddenSysctls",
				    NULL};
/* `ranges` is not a field of RunAsUserStrategyOptions: the eleventh pass
 * models it as the API server pruning it (scc.run-as-user-ranges-pruned). */
static const char *const f_scc_user[] = {"type",	"uid",	  "uidRangeMin",
					 "uidRangeMax", "ranges", NULL};
static const char *const f_scc_selinux[] = {"type", "seLinuxOptions", NULL};
static const char *const f_scc_group[] = {"type", "ranges", NULL};
static const char *const f_scc_range[] = {"min", "max", NULL};
static const char *const f_scc_flex[] = {"driver", NULL};

#define OPENSHIFT_SECURITY "OpenShift's security.openshift.io/v1"
#define OPENSHIFT_APPS	   "OpenShift's apps.openshift.io/v1"

static const struct {
	const char *const *fields;
	const char *what; /* for the message: "a field of ..." */
	bool whole;	  /* every field is listed: any other key is refused */
	const char *api;  /* whose fields they are; NULL: Kubernetes 1.32's */
} objects[] = {
    [MF_POD_SPEC] = {f_pod_spec, "a pod spec", true},
    [MF_CONTAINER] = {f_container, "a container", true},
    [MF_SC] = {f_sc, "a container's securityContext", true},
    [MF_POD_SC] = {f_pod_sc, "a pod's securityContext", true},
    [MF_CAPS] = {f_caps, "capabilities", true},
    [MF_SELINUX] = {f_selinux, "seLinuxOptions", true},
    [MF_PROFILE] = {f_profile, "a seccompProfile or appArmorProfile", true},
    [MF_WINDOWS] = {f_windows, "windowsOptions", true},
    [MF_SYSCTL] = {f_sysctl, "a sysctl", true},
    [MF_OS] = {f_os, "os", true},
    [MF_TEMPLATE] = {f_template, "a pod template", true},
    [MF_SCC] = {f_scc, "a SecurityContextConstraints", true, OPENSHIFT_SECURITY},
    [MF_SCC_USER] = {f_scc_user, "an SCC's runAsUser", true, OPENSHIFT_SECURITY},
    [MF_SCC_SELINUX] = {f_scc_selinux, "an SCC's seLinuxContext", true, OPENSHIFT_SECURITY},
    [MF_SCC_GROUP] = {f_scc_group, "an SCC's fsGroup or supplementalGroups", true,
		      OPENSHIFT_SECURITY},
    [MF_SCC_RANGE] = {f_scc_range, "an SCC's id range", true, OPENSHIFT_SECURITY},
    [MF_SCC_FLEX] = {f_scc_flex, "an SCC's allowedFlexVolumes item", true, OPENSHIFT_SECURITY},
    [MF_OBJECT] = {f_object, "a workload or Pod", true},
    [MF_META] = {f_meta, "metadata (ObjectMeta)", true},
    [MF_DEPLOYMENT] = {f_deployment, "a Deployment's spec", true},
    [MF_DAEMONSET] = {f_daemonset, "a DaemonSet's spec", true},
    [MF_REPLICASET] = {f_replicaset, "a ReplicaSet's spec", true},
    [MF_STATEFULSET] = {f_statefulset, "a StatefulSet's spec", true},
    [MF_JOB] = {f_job, "a Job's spec", true},
    [MF_CRONJOB] = {f_cronjob, "a CronJob's spec", true},
    [MF_RC] = {f_rc, "a ReplicationController's spec", true},
    [MF_DC] = {f_dc, "a DeploymentConfig's spec", true, OPENSHIFT_APPS},
};

static bool listed(const char *const *fields, const char *k, size_t n)
{
	for (size_t i = 0; fields[i]; i++)
		if (strlen(fields[i]) == n && !memcmp(fields[i], k, n))
			return true;
	return false;
}

/* The field of obj that k spells in another case, NULL if none. */
static const char *case_of(const char *const *fields, const char *k, size_t n)
{
	for (size_t i = 0; fields[i]; i++)
		if (strlen(fields[i]) == n && !strncasecmp(fields[i], k, n))
			return fields[i];
	return NULL;
}

/* The object of a pod other than obj that has k as a field, in any case
 * (the SCC's objects are each checked whole). */
static const char *elsewhere(enum mf_object obj, const char *k, size_t n)
{
	for (size_t o = 0; o < MF_SCC; o++)
		if (o != (size_t)obj && case_of(objects[o].fields, k, n))
			return objects[o].what;
	return NULL;
}

/*
 * A key that is not a field of obj in 1.32, but may be one of a newer
 * release (not its field in another case, nor another object's, which no
 * release makes fields): read as absent and recorded under
 * CS_K8S_VALIDATE_WARN, the first CS_K8S_UNKNOWN_KEPT kept (a file of a
 * million unknown keys must not hold a million records), all counted.
 */
static int record_unknown(struct mf_ctx *c, struct ydoc_node *key, const char *field,
			  const char *what, const char *api)
{
	struct cs_k8s_manifest *m = c->m;
	struct cs_k8s_unknown_field *u;

	if (m->n_unknown_total++ >= CS_K8S_UNKNOWN_KEPT)
		return 0;
	if (!m->unknown &&
	    !(m->unknown = cs_arena_alloc(m->arena, CS_K8S_UNKNOWN_KEPT * sizeof(*m->unknown))))
		return -ENOMEM;
	u = &m->unknown[m->n_unknown];
	if (!(u->field = cs_arena_strndup(m->arena, field, strlen(field))))
		return -ENOMEM;
	u->file = c->name;
	u->pos = pos_of(c, key);
	u->object = what;
	u->api = api;
	m->n_unknown++;
	return 0;
}

/* other: the field k spells in another case (as_case), or the object k
 * is a field of; NULL if neither. what: the object, for the message. */
int mf_unknown_key(struct mf_ctx *c, struct ydoc_node *key, const char *path, const char *k,
		   size_t n, const char *what, const char *api, const char *other, bool as_case)
{
	char f[224];

	mf_fieldf(f, sizeof(f), "%s%s%.*s%s", path, *path ? "." : "", CS_MSG_CUT(k, n, 64));
	if (other && as_case)
		return mf_errf(
		    c, key, EINVAL, f,
		    "unknown field: the API's is \"%s\" (its decoder is case-sensitive); "
		    "kubectl's strict field validation refuses the object",
		    other);
	if (other)
		return mf_errf(c, key, EINVAL, f,
			       "unknown field: a field of %s, not of this object; kubectl's strict "
			       "field validation refuses the object",
			       other);
	if (!api)
		api = "Kubernetes 1.32";
	if (c->m->validate == CS_K8S_VALIDATE_WARN)
		return record_unknown(c, key, f, what, api);
	return mf_errf(c, key, EINVAL, f,
		       "unknown field: not a field of %s in %s, whose fields capscope "
		       "knows; kubectl's strict field validation refuses it (--validate=warn reads "
		       "it as absent, for a newer cluster)",
		       what, api);
}

int mf_field_key(struct mf_ctx *c, struct ydoc_node *key, const char *path, const char **k,
		 size_t *n)
{
	if (!is_scalar(key))
		return mf_errf(c, key, EINVAL, path,
			       "a key that is not a field name (a collection): the API "
			       "server refuses the object");
	*k = scalar_text(key, n);
	return 0;
}

int mf_check_fields(struct mf_ctx *c, struct ydoc_node *map, const char *path, enum mf_object obj)
{
	const char *const *fields = objects[obj].fields;

	for (uint32_t i = 0; map && is_map(map) && i < map->n; i++) {
		struct ydoc_node *key = map->u.pairs[i].key;
		const char *k = NULL, *other;
		size_t n = 0;
		int r;

		if ((r = mf_field_key(c, key, path, &k, &n)) < 0)
			return r;
		if (listed(fields, k, n))
			continue;
		if ((other = case_of(fields, k, n)) != NULL)
			return mf_unknown_key(c, key, path, k, n, objects[obj].what,
					      objects[obj].api, other, true);
		if (((other = elsewhere(obj, k, n)) != NULL || objects[obj].whole) &&
		    (r = mf_unknown_key(c, key, path, k, n, objects[obj].what, objects[obj].api,
					other, false)) < 0)
			return r;
	}
	/* metadata's ownerReferences and managedFields items, by the walk of
	 * manifest-deep.c (nineteenth pass, part D) */
	return obj == MF_META ? mf_check_deep(c, map, path, "ObjectMeta") : 0;
}
