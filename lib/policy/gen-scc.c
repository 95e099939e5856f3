/* SPDX-License-Identifier: MIT */
/*
 * A minimal custom SCC for one pod, and the RBAC that lets its service
 * account use it. The SCC starts from restricted-v2 (the default every
 * authenticated user has since OpenShift 4.11) and opens only what the pod
 * asks for; the result is parsed back and run through the admission model
 * before it is written, so a generated SCC that would not admit its pod is
 * an error, never an output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kubelet.h"
#include "capscope/policy.h"
#include "internal/strlist.h"
#include "internal/cleanup.h"
#include "internal/util.h"
#include "gen-valid.h"
#include "yaml-out.h"
#include "internal/memstream.h"

/* restricted-v2's volume types (data/scc/restricted-v2.yaml). */
static const char *const base_volumes[] = {
    "configMap", "downwardAPI", "emptyDir", "persistentVolumeClaim", "projected", "secret"};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted, de-duplicated list of quoted strings: ["a", "b"]. */
static int write_set(FILE *f, const char **v, size_t n)
{
	qsort(v, n, sizeof(*v), str_cmp);
	fputc('[', f);
	for (size_t i = 0, k = 0; i < n; i++) {
		if (i && !strcmp(v[i], v[i - 1]))
			continue;
		fputs(k++ ? ", " : "", f);
		yw_str(f, v[i]);
	}
	fputs("]\n", f);
	return 0;
}

struct needs {
	bool privileged, escalation, host_ports, host_path, other_seccomp;
	const char *run_as_user; /* strategy */
	int64_t uid;
	const char *fs_group;
};

static void pod_needs(const struct cs_k8s_pod *pod, const struct cs_scc_opts *o, struct needs *nd)
{
	int64_t lo = o->uid_range_start, hi = lo + (int64_t)o->uid_range_size - 1;
	bool in_range = true, same = true, any_set = false, all_set = true;
	int64_t uid = 0;

	memset(nd, 0, sizeof(*nd));
	for (size_t i = 0; i < pod->n_containers; i++) {
		const struct cs_k8s_container *c = &pod->containers[i];
		struct cs_k8s_sc sc;

		cs_k8s_effective_sc(pod, c, &sc);
		nd->privileged |= sc.privileged.set && sc.privileged.v;
		nd->escalation |=
		    sc.allow_privilege_escalation.set && sc.allow_privilege_escalation.v;
		/* An SCC with allowPrivilegeEscalation false defaults the field to
		 * false even here (provider.go mutateContainer has no exception
		 * for it), and the API server then refuses false beside an add of
		 * exactly "CAP_SYS_ADMIN" (cs_k8s_api_rejects). */
		nd->escalation |= sc.caps_set && cs_strlist_has(&sc.add, "CAP_SYS_ADMIN");
		nd->host_ports |= c->host_port;
		nd->other_seccomp |= sc.seccomp_type && strcmp(sc.seccomp_type, "RuntimeDefault");
		if (!sc.run_as_user.set) {
			all_set = false;
			continue;
		}
		in_range &= sc.run_as_user.v >= lo && sc.run_as_user.v <= hi;
		same &= !any_set || sc.run_as_user.v == uid;
		uid = sc.run_as_user.v;
		any_set = true;
	}
	nd->escalation |= nd->privileged;
	for (size_t i = 0; i < pod->volume_types.n; i++)
		nd->host_path |= !strcmp(pod->volume_types.v[i], "hostPath");
	nd->run_as_user = in_range	      ? "MustRunAsRange"
			  : (same && all_set) ? "MustRunAs"
					      : "RunAsAny";
	nd->uid = uid;
	/* fsGroup MustRunAs without ranges admits the namespace block's first
	 * id alone (matcher.go getPreallocatedFSGroup), not the whole block. */
	nd->fs_group = !pod->fs_group.set || pod->fs_group.v == lo ? "MustRunAs" : "RunAsAny";
}

static int write_caps_and_lists(const struct cs_k8s_pod *pod, FILE *f)
{
	size_t n = 0, nv = 0, ns = 0;

	for (size_t i = 0; i < pod->n_containers; i++)
		n += pod->containers[i].sc.caps_set ? pod->containers[i].sc.add.n : 0;
	cs_cleanup_free const char **caps = calloc(n + 1, sizeof(*caps));
	cs_cleanup_free const char **vols = calloc(
	    pod->volume_types.n + sizeof(base_volumes) / sizeof(*base_volumes), sizeof(*vols));
	cs_cleanup_free const char **sys = calloc(pod->n_sysctls + 1, sizeof(*sys));

	if (!caps || !vols || !sys)
		return -ENOMEM;
	n = 0;
	for (size_t i = 0; i < pod->n_containers; i++)
		for (size_t k = 0;
		     pod->containers[i].sc.caps_set && k < pod->containers[i].sc.add.n; k++)
			caps[n++] = pod->containers[i].sc.add.v[k];
	for (size_t i = 0; i < sizeof(base_volumes) / sizeof(*base_volumes); i++)
		vols[nv++] = base_volumes[i];
	for (size_t i = 0; i < pod->volume_types.n; i++)
		vols[nv++] = pod->volume_types.v[i];
	for (size_t i = 0; i < pod->n_sysctls; i++)
		sys[ns++] = pod->sysctls[i].name;
	/* Exactly as the containers spell them: SCC admission compares
	 * capability strings case-sensitively (capabilities/mustrunas.go). */
	fputs("allowedCapabilities: ", f);
	write_set(f, caps, n);
	if (ns) {
		fputs("allowedUnsafeSysctls: ", f);
		write_set(f, sys, ns);
	}
	fputs("volumes: ", f);
	write_set(f, vols, nv);
	return 0;
}

/*
 * allowPrivilegeEscalation false does not only refuse true: it is also the
 * value admission gives a container that left the field unset (provider.go
 * mutateContainer), and false is no_new_privs at execve, where file
 * capabilities and set-uid bits then raise nothing. The pod as written ran
 * without no_new_privs; say which containers the SCC changes, in the
 * output itself (names as quoted YAML scalars, so none can end the comment).
 */
static void write_nnp_note(const struct cs_k8s_pod *pod, FILE *f)
{
	size_t k = 0;

	for (size_t i = 0; i < pod->n_containers; i++) {
		struct cs_k8s_sc sc;

		cs_k8s_effective_sc(pod, &pod->containers[i], &sc);
		if (sc.allow_privilege_escalation.set)
			continue;
		fputs(k++ ? ", " : "# Containers that leave allowPrivilegeEscalation unset: ", f);
		yw_str(f, pod->containers[i].name);
	}
	if (k)
		fputs(".\n# This SCC defaults it to false for them: no_new_privs, so set-uid bits\n"
		      "# raise nothing and file capabilities (setcap ...+ep) grant only what the\n"
		      "# process already held before execve - nothing to a program that a script\n"
		      "# or another program starts. If the image relies on either, set\n"
		      "# allowPrivilegeEscalation: true in that container and generate again.\n",
		      f);
}

static int write_scc(const struct cs_k8s_pod *pod, const struct cs_policy_gen *g, FILE *f)
{
	struct needs nd;
	int rc;

	pod_needs(pod, &g->scc_opts, &nd);
	fputs("apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata:\n",
	      f);
	yw_kv(f, 2, "name", g->name);
	fputs("  annotations:\n", f);
	yw_kv(f, 4, "kubernetes.io/description",
	      "capscope policy custom-scc: restricted-v2 opened only where the pod needs it");
	fprintf(f, "allowHostDirVolumePlugin: %s\n", nd.host_path ? "true" : "false");
	fprintf(f, "allowHostIPC: %s\n", pod->host_ipc ? "true" : "false");
	fprintf(f, "allowHostNetwork: %s\n", pod->host_network ? "true" : "false");
	fprintf(f, "allowHostPID: %s\n", pod->host_pid ? "true" : "false");
	fprintf(f, "allowHostPorts: %s\n", nd.host_ports ? "true" : "false");
	if (!nd.escalation)
		write_nnp_note(pod, f);
	fprintf(f, "allowPrivilegeEscalation: %s\n", nd.escalation ? "true" : "false");
	fprintf(f, "allowPrivilegedContainer: %s\n", nd.privileged ? "true" : "false");
	if ((rc = write_caps_and_lists(pod, f)) < 0)
		return rc;
	fputs("defaultAddCapabilities: null\n"
	      "fsGroup:\n",
	      f);
	fprintf(f, "  type: %s\n", nd.fs_group);
	fputs("groups: []\npriority: null\nreadOnlyRootFilesystem: false\n"
	      "requiredDropCapabilities: [\"ALL\"]\nrunAsUser:\n",
	      f);
	fprintf(f, "  type: %s\n", nd.run_as_user);
	if (!strcmp(nd.run_as_user, "MustRunAs"))
		fprintf(f, "  uid: %lld\n", (long long)nd.uid);
	fprintf(f, "seLinuxContext:\n  type: MustRunAs\nseccompProfiles: [\"%s\"]\n",
		nd.other_seccomp ? "*" : "runtime/default");
	fputs("supplementalGroups:\n  type: RunAsAny\nusers: []\n", f);
	/* A pod in its own user namespace keeps it: the SCC then cannot admit
	 * the same pod running as root on the node (restricted-v3's rule). */
	if (pod->host_users.set && !pod->host_users.v)
		fputs("userNamespaceLevel: RequirePodLevel\n", f);
	return 0;
}

static void write_rbac(const struct cs_policy_gen *g, const char *ns, FILE *f)
{
	const char *sa = g->service_account ? g->service_account : "default";
	char role[256 + sizeof("use-scc-")];

	snprintf(role, sizeof(role), "use-scc-%s", g->name); /* names are at most 253 */
	fputs("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n", f);
	yw_kv(f, 2, "name", role);
	yw_kv(f, 2, "namespace", ns);
	fputs("rules:\n- apiGroups: [\"security.openshift.io\"]\n"
	      "  resources: [\"securitycontextconstraints\"]\n  resourceNames: [",
	      f);
	yw_str(f, g->name);
	fputs("]\n  verbs: [\"use\"]\n", f);
	fputs("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n", f);
	yw_kv(f, 2, "name", role);
	yw_kv(f, 2, "namespace", ns);
	fputs("roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n", f);
	yw_kv(f, 2, "name", role);
	fputs("subjects:\n- kind: ServiceAccount\n", f);
	yw_kv(f, 2, "name", sa);
	yw_kv(f, 2, "namespace", ns);
}

/* Parse the SCC back and run admission with it alone. */
static int verify(const struct cs_k8s_pod *pod, const struct cs_policy_gen *g, const char *yaml,
		  size_t len, struct cs_diag *d)
{
	struct cs_k8s_manifest m;
	struct cs_scc_result res;
	struct cs_steps st;
	const struct cs_scc *s;
	int rc;

	cs_k8s_manifest_init(&m);
	cs_steps_init(&st);
	if ((rc = cs_k8s_parse(&m, yaml, len, "(generated SCC)", d)) < 0)
		goto out;
	if (m.n_sccs != 1) {
		rc = cs_diag_set(d, EPROTO, 0, 0, "", "the generated SCC did not read back");
		goto out;
	}
	s = &m.sccs[0];
	if ((rc = cs_scc_admit(pod, &s, 1, &g->scc_opts, &res, &st)) == 0 && !res.admitted)
		rc = cs_diag_set(d, EPROTO, 0, 0, "",
				 "the generated SCC would not admit the pod: %s",
				 res.n_attempts ? res.attempts[0].reason : res.reason);
	/* Admitted is not accepted: the API server validates the mutated pod
	 * after admission (allowPrivilegeEscalation false beside privileged or
	 * an add of CAP_SYS_ADMIN). */
	for (size_t i = 0; rc == 0 && res.admitted && i < res.n_sc; i++) {
		struct cs_diag why = {0};

		if (cs_k8s_api_rejects(&res.sc[i], &why))
			rc = cs_diag_set(d, EPROTO, 0, 0, "",
					 "after admission by the generated SCC, %s", why.message);
	}
	cs_scc_result_free(&res);
out:
	cs_steps_free(&st);
	cs_k8s_manifest_free(&m);
	return rc;
}

/* d (set with err) about the pod: its file, and its place when d has none. */
static int pod_diag(const struct cs_k8s_pod *pod, struct cs_diag *d, int err)
{
	if (d && pod->file) {
		cs_diag_file(d, pod->file);
		if (!d->line) {
			d->line = pod->pos.line;
			d->column = pod->pos.column;
		}
	}
	return err;
}

int cs_policy_write_custom_scc(const struct cs_k8s_pod *pod, const struct cs_policy_gen *g, FILE *f,
			       struct cs_diag *d)
{
	const char *ns = g->namespace ? g->namespace : pod->namespace;
	cs_cleanup_free char *buf = NULL;
	size_t len = 0;
	FILE *mf;
	int rc;

	/* Twenty-fifth pass, part A: a refusal about what the pod says named
	 * neither its file nor where the pod is ("custom-scc: namespace:
	 * 'x' is not a namespace name"): the pod's file and place now. */
	if (!ns)
		return pod_diag(pod, d,
				cs_diag_set(d, EINVAL, 0, 0, "namespace",
					    "the Role and RoleBinding need a namespace (the pod "
					    "names none)"));
	if ((rc = cs_policy_gen_valid(g, ns, d)) < 0)
		return d && ((ns == pod->namespace && !strcmp(d->field, "namespace")) ||
			     (g->service_account == pod->service_account &&
			      !strcmp(d->field, "serviceAccountName")))
			   ? pod_diag(pod, d, rc)
			   : rc;
	if (pod->required_scc && strcmp(pod->required_scc, g->name))
		return pod_diag(pod, d,
				cs_diag_set(d, EINVAL, 0, 0, "openshift.io/required-scc",
					    "the pod requires another SCC by name ('%s')",
					    pod->required_scc));
	/* An SCC that allows a name no runtime knows only moves the failure
	 * to container creation (CRI-O, Docker) or hides it (containerd). */
	if ((rc = cs_policy_pod_caps_checked(pod, false, NULL, d)) < 0)
		return rc;
	if (!(mf = cs_memstream_open(&buf, &len)))
		return -ENOMEM;
	rc = write_scc(pod, g, mf);
	if (cs_memstream_close(mf) < 0 && rc == 0)
		rc = -ENOMEM;
	if (rc < 0)
		return rc;
	if ((rc = verify(pod, g, buf, len, d)) < 0)
		return rc;
	fwrite(buf, 1, len, f);
	write_rbac(g, ns, f);
	return yw_finish(f);
}
