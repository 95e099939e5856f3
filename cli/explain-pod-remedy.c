/* SPDX-License-Identifier: MIT */
/*
 * Remedies, ranked by risk (lowest first): the reference article's five
 * approaches (root with dropped caps via an SCC, a set-uid binary, file caps
 * via setcap, an ambient-raising helper as entrypoint, CRI-O
 * default_capabilities) plus the unprivileged-port sysctl and a user
 * namespace (hostUsers: false). Each comes with a paste-ready snippet, a
 * security note, and what in this pod would stand in its way.
 */
/* Human text is cut at its buffer size; that is all truncation can do here. */
#if defined(__GNUC__) && !defined(__clang__) /* clang has no such warning */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#include <stdio.h>
#include <string.h>

#include "capscope/text.h"
#include "explain-pod.h"

struct remedy {
	const char *id, *title, *risk;
	char snippet[1400];
	char note[700];
	char blocker[300];
};

bool pod_needs_remedy(const struct pod_ctr *r)
{
	if (!r->admitted || !r->exec_ok)
		return true;
	if (r->missing)
		return true;
	for (size_t i = 0; i < r->n_checks; i++)
		if (!r->checks[i].ok)
			return true;
	return false;
}


/*
 * What stops a remedy that gains the capability at execve (file caps, an
 * ambient helper): no_new_privs, or a capability outside the bounding set.
 */
static void exec_gain_blocker(struct remedy *x, const char *nnp_block, bool not_in_bounding,
			      const char *k8s)
{
	if (nnp_block)
		snprintf(x->blocker, sizeof(x->blocker), "%s", nnp_block);
	else if (not_in_bounding)
		snprintf(x->blocker, sizeof(x->blocker),
			 "%s is not in the bounding set: add it to capabilities.add", k8s);
}
/* The capabilities to obtain: the missing ones, or NET_BIND_SERVICE for a failed bind. */
static cs_mask_t wanted(const struct pod_ctr *r, int *port)
{
	cs_mask_t m = r->missing;

	*port = 0;
	for (size_t i = 0; i < r->n_checks; i++)
		if (!r->checks[i].ok && r->checks[i].port) {
			m |= CS_BIT(10);
			if (!*port || r->checks[i].port < *port)
				*port = r->checks[i].port;
		}
	if (!m) {
		for (size_t i = 0; i < r->n_verdicts; i++)
			if (r->verdicts[i].cap >= 0)
				m |= CS_BIT(r->verdicts[i].cap);
	}
	return m;
}

static const char *entry(const struct pod_ctr *r)
{
	if (r->c->command.n)
		return r->c->command.v[0];
	if (r->f.path[0])
		return r->f.path;
	return "/path/to/binary";
}

static size_t build(const struct pod_ctr *r, const struct pod_opts *o, struct remedy *v)
{
	int port;
	cs_mask_t m = wanted(r, &port);
	char k8s[600], lower[600], addl[700];
	size_t n = 0;
	bool nnp = r->adm.allow_privilege_escalation.set && !r->adm.allow_privilege_escalation.v;
	bool in_bnd = r->oci_ok && (r->oci.caps.set[CS_BND] & m) == m;
	const char *cn = r->c->name;
	const char *ep = entry(r);

	cs_mask_format_names(m, CS_NAMES_K8S, k8s, sizeof(k8s));
	cs_mask_format_names(m, CS_NAMES_LOWER, lower, sizeof(lower));
	{
		size_t l = 0;
		char tmp[600];

		snprintf(tmp, sizeof(tmp), "%s", k8s);
		addl[0] = '\0';
		for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ","))
			l += (size_t)snprintf(addl + l, l < sizeof(addl) ? sizeof(addl) - l : 0,
					      "%s\"%s\"", l ? ", " : "", tok);
	}
	char nnp_block[200] = "";
	if (nnp)
		snprintf(nnp_block, sizeof(nnp_block),
			 "allowPrivilegeEscalation is false here%s, so no_new_privs makes execve "
			 "ignore file capabilities and set-uid bits",
			 r->scc_name ? " (set by the SCC)" : "");

	if (port) {
		struct remedy *x = &v[n++];

		x->id = "sysctl";
		x->title = "let unprivileged processes bind low ports (safe sysctl)";
		x->risk = "low";
		snprintf(x->snippet, sizeof(x->snippet),
			 "spec:\n"
			 "  securityContext:\n"
			 "    sysctls:\n"
			 "    - name: net.ipv4.ip_unprivileged_port_start\n"
			 "      value: \"%d\"\n",
			 port);
		snprintf(x->note, sizeof(x->note),
			 "No capability at all: any process in the pod's network namespace may bind "
			 "ports >= %d. It is in the kubelet's safe sysctl set, so Pod Security "
			 "baseline/restricted and every SCC allow it. Docker sets it to 0 in every "
			 "container. Not available with hostNetwork: true.",
			 port);
		if (r->pod->host_network)
			snprintf(x->blocker, sizeof(x->blocker),
				 "the pod uses hostNetwork: the sysctl would be the node's");
	}
	{
		struct remedy *x = &v[n++];

		x->id = "user-namespace";
		x->title = "root inside a user namespace (hostUsers: false)";
		x->risk = "low";
		snprintf(x->snippet, sizeof(x->snippet),
			 "spec:\n"
			 "  hostUsers: false\n"
			 "  containers:\n"
			 "  - name: %s\n"
			 "    securityContext:\n"
			 "      runAsUser: 0\n%s"
			 "      capabilities:\n"
			 "        drop: [\"ALL\"]\n"
			 "        add: [%s]\n",
			 cn,
			 r->adm.run_as_non_root.set && r->adm.run_as_non_root.v
				 ? "      runAsNonRoot: false  # uid 0 of the pod, not of the node\n"
				 : "",
			 addl);
		snprintf(x->note, sizeof(x->note),
			 "uid 0 of the pod maps to an unprivileged host uid; the capabilities act only "
			 "on what the pod's user namespace owns (its network namespace, its mounts). "
			 "Needs Kubernetes user namespaces (beta, on by default since 1.33) and a "
			 "runtime and filesystem with idmapped mounts; on OpenShift an SCC with "
			 "userNamespaceLevel: RequirePodLevel (restricted-v3). File caps inside then "
			 "need a v3 rootid of the pod's root.");
	}
	{
		struct remedy *x = &v[n++];

		x->id = "ambient-helper";
		x->title = "an ambient-raising helper as entrypoint";
		x->risk = "medium";
		snprintf(x->snippet, sizeof(x->snippet),
			 "# Dockerfile\n"
			 "COPY capscope /usr/local/bin/capscope\n"
			 "RUN setcap %s+ep /usr/local/bin/capscope\n"
			 "ENTRYPOINT [\"/usr/local/bin/capscope\", \"run\", \"--ambient\", \"%s\", \"--\", \"%s\"]\n",
			 lower, lower, ep);
		snprintf(x->note, sizeof(x->note),
			 "Only this one process tree gets %s, through the ambient set, and a "
			 "capability-aware program can drop it after use. The helper itself is now a "
			 "file-capability binary: anyone who can run it inside the container gets %s "
			 "for any command, so keep it out of reach. Needs the capability in the "
			 "bounding set and privilege escalation allowed.",
			 k8s, k8s);
		exec_gain_blocker(x, nnp ? nnp_block : NULL, !in_bnd && r->oci_ok, k8s);
	}
	{
		struct remedy *x = &v[n++];

		x->id = "file-caps";
		x->title = "file capabilities on the binary (setcap in the image)";
		x->risk = "medium";
		snprintf(x->snippet, sizeof(x->snippet),
			 "# Dockerfile\n"
			 "RUN setcap %s+ep %s\n"
			 "# pod: keep the capability in the bounding set\n"
			 "securityContext:\n"
			 "  allowPrivilegeEscalation: true\n"
			 "  capabilities:\n"
			 "    drop: [\"ALL\"]\n"
			 "    add: [%s]\n",
			 lower, ep, addl);
		snprintf(x->note, sizeof(x->note),
			 "Every execution of %s, by any user of the container, gets %s for its whole "
			 "life; no SCC sees it, so image scanning must (capscope scan). "
			 "Privilege escalation must be allowed (not restricted-v2).",
			 ep, k8s);
		exec_gain_blocker(x, nnp ? nnp_block : NULL, !in_bnd && r->oci_ok, k8s);
	}
	{
		struct remedy *x = &v[n++];

		x->id = "root-dropped-caps";
		x->title = "run as root with every other capability dropped (custom SCC)";
		x->risk = "high";
		snprintf(x->snippet, sizeof(x->snippet),
			 "# SCC (grant it to the pod's service account with a Role 'use' rule)\n"
			 "apiVersion: security.openshift.io/v1\n"
			 "kind: SecurityContextConstraints\n"
			 "metadata:\n"
			 "  name: %s-caps\n"
			 "priority: 10\n"
			 "allowPrivilegeEscalation: true\n"
			 "allowPrivilegedContainer: false\n"
			 "allowedCapabilities: [%s]\n"
			 "requiredDropCapabilities: [\"ALL\"]\n"
			 "runAsUser:\n  type: RunAsAny\n"
			 "seLinuxContext:\n  type: MustRunAs\n"
			 "fsGroup:\n  type: RunAsAny\n"
			 "supplementalGroups:\n  type: RunAsAny\n"
			 "volumes: [configMap, downwardAPI, emptyDir, persistentVolumeClaim, projected, secret]\n"
			 "---\n# pod\nsecurityContext:\n  runAsUser: 0\n  capabilities:\n    add: [%s]\n",
			 cn, addl, addl);
		snprintf(x->note, sizeof(x->note),
			 "The process keeps only %s, but it is still uid 0: it owns and can rewrite "
			 "every root-owned file of the image, and a container escape lands as root "
			 "on the node (no user namespace). The article's anyuid-netbind.",
			 k8s);
	}
	{
		struct remedy *x = &v[n++];

		x->id = "setuid";
		x->title = "a set-uid root binary";
		x->risk = "high";
		snprintf(x->snippet, sizeof(x->snippet), "# Dockerfile\nRUN chmod u+s %s\n", ep);
		snprintf(x->note, sizeof(x->note),
			 "%s runs as root with every capability of the bounding set, for any user "
			 "who runs it; whatever else the binary can do (nc can scan and relay) it now "
			 "does as root. Privilege escalation must be allowed.",
			 ep);
		if (nnp)
			snprintf(x->blocker, sizeof(x->blocker), "%s", nnp_block);
	}
	if (o->runtime == CS_CRI_CRIO) {
		struct remedy *x = &v[n++];

		x->id = "crio-default-capabilities";
		x->title = "add it to CRI-O's default_capabilities (every container of the node)";
		x->risk = "high";
		snprintf(x->snippet, sizeof(x->snippet),
			 "# /etc/crio/crio.conf.d/99-capabilities.conf (OpenShift: a MachineConfig)\n"
			 "[crio.runtime]\n"
			 "default_capabilities = [\n"
			 "  \"CHOWN\", \"DAC_OVERRIDE\", \"FSETID\", \"FOWNER\", \"SETGID\",\n"
			 "  \"SETUID\", \"SETPCAP\", \"NET_BIND_SERVICE\", \"KILL\", %s\n"
			 "]\n",
			 addl);
		snprintf(x->note, sizeof(x->note),
			 "Every container on the node, control plane included, gets %s in its "
			 "bounding and permitted sets unless it drops it. For a non-root process "
			 "this alone changes nothing (execve clears permitted without file caps or "
			 "ambient); it only helps root containers or pairs with file caps.",
			 k8s);
	}
	return n;
}

void pod_remedies_text(FILE *f, const struct pod_ctr *r, const struct pod_opts *o)
{
	struct remedy v[8];
	size_t n;

	memset(v, 0, sizeof(v));
	n = build(r, o, v);
	fprintf(f, "\nRemedies, lowest risk first:\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "\n  %zu. %s [risk: %s]\n", i + 1, v[i].title, v[i].risk);
		if (v[i].blocker[0])
			fprintf(f, "     In this pod: %s.\n", v[i].blocker);
		for (const char *p = v[i].snippet; *p;) {
			const char *e = strchr(p, '\n');
			size_t l = e ? (size_t)(e - p) : strlen(p);

			fprintf(f, "       %.*s\n", (int)l, p);
			p += l + (e ? 1 : 0);
		}
		fprintf(f, "     Security: %s\n", v[i].note);
	}
}

void pod_remedies_json(struct cs_json *j, const struct pod_ctr *r, const struct pod_opts *o)
{
	struct remedy v[8];
	size_t n = 0;

	memset(v, 0, sizeof(v));
	if (pod_needs_remedy(r))
		n = build(r, o, v);
	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "rank");
		cs_json_uint(j, i + 1);
		cs_json_key(j, "id");
		cs_json_str(j, v[i].id);
		cs_json_key(j, "title");
		cs_json_str(j, v[i].title);
		cs_json_key(j, "risk");
		cs_json_str(j, v[i].risk);
		cs_json_key(j, "snippet");
		cs_json_str(j, v[i].snippet);
		cs_json_key(j, "security");
		cs_json_str(j, v[i].note);
		cs_json_key(j, "blocked_by");
		if (v[i].blocker[0])
			cs_json_str(j, v[i].blocker);
		else
			cs_json_null(j);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}
