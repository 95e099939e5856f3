/* SPDX-License-Identifier: MIT */
/*
 * The field names of the objects the manifest reader takes capabilities
 * and identity from, checked as the API server's strict decoding checks
 * them (kubectl 1.27 and later asks for strict field validation by
 * default: `unknown field "spec.containers[0].SecurityContext"`, the
 * decoder being case-sensitive). Until session 17 such a key was read as
 * absent: `SecurityContext: {privileged: true}` was predicted as a plain
 * container, a pod kubectl refuses.
 *
 * Objects whose every field is listed here (Kubernetes 1.32) are checked
 * whole: a securityContext (container and pod), capabilities,
 * seLinuxOptions, seccompProfile, appArmorProfile, windowsOptions, a
 * sysctl, the pod's os, a pod template. The pod spec and a container list
 * every field too, but they grow with each release and hold much capscope
 * does not model (volumes, probes, resources): there a key is refused only
 * when it differs from one of their fields in case alone, or is a field of
 * another object read here (`privileged` in a container, `capabilities`
 * in a pod spec), both certain mistakes whatever the release.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

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

static const struct {
	const char *const *fields;
	const char *what; /* for the message: "a field of ..." */
	bool whole;	  /* every field is listed: any other key is refused */
} objects[] = {
    [MF_POD_SPEC] = {f_pod_spec, "a pod spec", false},
    [MF_CONTAINER] = {f_container, "a container", false},
    [MF_SC] = {f_sc, "a container's securityContext", true},
    [MF_POD_SC] = {f_pod_sc, "a pod's securityContext", true},
    [MF_CAPS] = {f_caps, "capabilities", true},
    [MF_SELINUX] = {f_selinux, "seLinuxOptions", true},
    [MF_PROFILE] = {f_profile, "a seccompProfile or appArmorProfile", true},
    [MF_WINDOWS] = {f_windows, "windowsOptions", true},
    [MF_SYSCTL] = {f_sysctl, "a sysctl", true},
    [MF_OS] = {f_os, "os", true},
    [MF_TEMPLATE] = {f_template, "a pod template", true},
    [MF_SCC] = {f_scc, "a SecurityContextConstraints", true},
    [MF_SCC_USER] = {f_scc_user, "an SCC's runAsUser", true},
    [MF_SCC_SELINUX] = {f_scc_selinux, "an SCC's seLinuxContext", true},
    [MF_SCC_GROUP] = {f_scc_group, "an SCC's fsGroup or supplementalGroups", true},
    [MF_SCC_RANGE] = {f_scc_range, "an SCC's id range", true},
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

/* other: the field k spells in another case (as_case), or the object k
 * is a field of; NULL if neither */
static int unknown(struct mf_ctx *c, struct ydoc_node *key, const char *path, const char *k,
		   size_t n, const char *other, bool as_case)
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
	return mf_errf(c, key, EINVAL, f,
		       "unknown field: kubectl's strict field validation refuses the object");
}

int mf_check_fields(struct mf_ctx *c, struct ydoc_node *map, const char *path, enum mf_object obj)
{
	const char *const *fields = objects[obj].fields;

	for (uint32_t i = 0; map && is_map(map) && i < map->n; i++) {
		struct ydoc_node *key = map->u.pairs[i].key;
		const char *k, *other;
		size_t n;

		if (!is_scalar(key))
			return mf_errf(c, key, EINVAL, path,
				       "a key that is not a field name (a collection): the API "
				       "server refuses the object");
		k = scalar_text(key, &n);
		if (listed(fields, k, n))
			continue;
		if ((other = case_of(fields, k, n)) != NULL)
			return unknown(c, key, path, k, n, other, true);
		if ((other = elsewhere(obj, k, n)) != NULL || objects[obj].whole)
			return unknown(c, key, path, k, n, other, false);
	}
	return 0;
}
