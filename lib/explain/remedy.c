/* SPDX-License-Identifier: MIT */
/*
 * Remedies, ranked by risk (lowest first): the reference article's five
 * approaches (root with dropped caps via an SCC, a set-uid binary, file caps
 * via setcap, an ambient-raising helper as entrypoint, CRI-O
 * default_capabilities) plus the unprivileged-port sysctl and a user
 * namespace (hostUsers: false). One row per remedy in the table below: when
 * it applies, its paste-ready snippet, its security note, and what in this
 * pod would stand in its way. Names from the manifest are escaped in the
 * snippets: they are meant to be pasted, and a name with control characters
 * is invalid in Kubernetes anyway.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/text.h"
#include "internal/cleanup.h"
#include "internal/util.h"
#include "pod-internal.h"
#include "quote.h"
#include "strf.h"

/* What every row's builders need, computed once. */
struct ctx {
	const struct cs_pod_ctr_result *r;
	const struct cs_k8s_pod *pod;
	enum cs_cri_runtime rt;
	int port;	     /* lowest failed bind port, 0 when none */
	char k8s[64 * 28];   /* NET_BIND_SERVICE,… */
	char lower[64 * 28]; /* cap_net_bind_service,… */
	char *addl;	     /* "NET_BIND_SERVICE", "…" */
	char *ep;	     /* the entrypoint, escaped: for prose */
	/* Fifteenth pass: the snippets' names quoted for the snippet's
	 * language (escape.h), not only escaped for a terminal. */
	char *cn_yaml, *scc_yaml, *ep_sh, *ep_json, *sa_sh;
	/* RUN's arguments (quote.h: shell or exec form), NULL when the
	 * entrypoint's name is not UTF-8 and needs the exec form; ep_json
	 * likewise, as JSON cannot hold such a name (it would read U+FFFD). */
	char *run_fcaps, *run_suid;
	bool ep_utf8;
	bool nnp, in_bnd;
	char *nnp_block;    /* why no_new_privs blocks exec-time gains, or NULL */
	char *script_block; /* why the entrypoint's own bits cannot help (a "#!" script), or NULL */
	cs_mask_t want;	    /* the capabilities to obtain */
};

struct row {
	const char *id, *title, *risk;
	bool (*applies)(const struct ctx *);
	char *(*snippet)(const struct ctx *);
	char *(*note)(const struct ctx *);
	/* What stands in its way: *out stays NULL when nothing does; -ENOMEM. */
	int (*blocker)(const struct ctx *, char **out);
};

/* ---- applies-when ---- */
static bool always(const struct ctx *x)
{
	(void)x;
	return true;
}
static bool port_failed(const struct ctx *x)
{
	return x->port != 0;
}

/* "A", "B" from A,B. */
static char *quoted_list(const char *names)
{
	size_t n = strlen(names), cap = 4 * n + 3, l = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	out[0] = '\0';
	for (const char *p = names; *p;) {
		size_t t = strcspn(p, ",");

		if (t)
			l += (size_t)snprintf(out + l, cap - l, "%s\"%.*s\"", l ? ", " : "", (int)t,
					      p);
		p += t + (p[t] == ',');
	}
	return out;
}

/* Only when something is missing from the defaults: a default the pod
 * dropped comes back by not dropping it, not by a node-wide change. */
static bool on_crio(const struct ctx *x)
{
	return x->rt == CS_CRI_CRIO && (x->want & ~cs_cri_crio_defaults()) != 0;
}

/* ---- blockers ---- */
static int blk_host_network(const struct ctx *x, char **out)
{
	if (x->pod->host_network)
		*out = cs_strf("the pod uses hostNetwork: the sysctl would be the node's");
	return x->pod->host_network && !*out ? -ENOMEM : 0;
}
/* What stops a gain at execve (file caps, an ambient helper). no_new_privs
 * only keeps execve from adding to permitted (pP' &= old pP): file caps on
 * the entrypoint still grant what runc left in permitted before execve
 * (commoncap.c cap_bprm_creds_from_file), so it blocks them only then. */
static int blk_exec_gain(const struct ctx *x, char **out)
{
	if (x->nnp_block && (x->r->pre.caps.set[CS_PRM] & x->want) != x->want)
		*out = cs_strf("%s", x->nnp_block);
	else if (!x->in_bnd && x->r->oci_ok)
		*out = cs_strf("%s is not in the bounding set: add it to capabilities.add", x->k8s);
	else
		return 0;
	return *out ? 0 : -ENOMEM;
}
static int blk_nnp(const struct ctx *x, char **out)
{
	if (!x->nnp_block)
		return 0;
	return (*out = cs_strf("%s", x->nnp_block)) ? 0 : -ENOMEM;
}
/* File capabilities or a set-uid bit on the entrypoint itself (fs/binfmt_script.c). */
static int blk_file_gain(const struct ctx *x, char **out)
{
	if (x->script_block)
		return (*out = cs_strf("%s", x->script_block)) ? 0 : -ENOMEM;
	return blk_exec_gain(x, out);
}
static int blk_setuid(const struct ctx *x, char **out)
{
	if (x->script_block)
		return (*out = cs_strf("%s", x->script_block)) ? 0 : -ENOMEM;
	return blk_nnp(x, out);
}

/* ---- snippets and notes ---- */
static char *sn_sysctl(const struct ctx *x)
{
	return cs_code_strf("spec:\n"
			    "  securityContext:\n"
			    "    sysctls:\n"
			    "    - name: net.ipv4.ip_unprivileged_port_start\n"
			    "      value: \"%d\"\n",
			    x->port);
}
static char *no_sysctl(const struct ctx *x)
{
	return cs_strf("No capability at all: any process in the pod's network namespace may bind "
		       "ports >= %d. It is in the kubelet's safe sysctl set, so Pod Security "
		       "baseline/restricted and every SCC allow it. Docker sets it to 0 in every "
		       "container. Not available with hostNetwork: true.",
		       x->port);
}
/* What nested-container (data/scc/nested-container.yaml) lets a pod add:
 * allowedCapabilities SETUID, SETGID; nothing else, no defaultAdd. */
static bool nested_container_allows(cs_mask_t want)
{
	return (want & ~(CS_BIT(6) | CS_BIT(7))) == 0;
}

static char *sn_userns(const struct ctx *x)
{
	const struct cs_k8s_sc *a = &x->r->adm;
	cs_cleanup_free char *scc =
	    nested_container_allows(x->want)
		? cs_code_strf("# OpenShift: admitted by the built-in SCC nested-container:\n"
			       "#   oc adm policy add-scc-to-user nested-container -z %s\n",
			       x->sa_sh)
		: cs_code_strf(
		      "# OpenShift: no built-in SCC admits uid 0 with these adds "
		      "(nested-container adds\n"
		      "# only SETUID/SETGID; restricted-v3 needs uid 1000-65534): a custom "
		      "SCC with\n"
		      "# userNamespaceLevel: RequirePodLevel (capscope policy custom-scc)\n");

	if (!scc)
		return NULL;
	return cs_code_strf("%s"
			    "spec:\n"
			    "  hostUsers: false\n"
			    "  containers:\n"
			    "  - name: %s\n"
			    "    securityContext:\n"
			    "      runAsUser: 0\n%s"
			    "      capabilities:\n"
			    "        drop: [\"ALL\"]\n"
			    "        add: [%s]\n",
			    scc, x->cn_yaml,
			    a->run_as_non_root.set && a->run_as_non_root.v
				? "      runAsNonRoot: false  # uid 0 of the pod, not of the node\n"
				: "",
			    x->addl);
}
static char *no_userns(const struct ctx *x)
{
	(void)x;
	return cs_strf(
	    "uid 0 of the pod maps to an unprivileged host uid; the capabilities act "
	    "only on what the pod's user namespace owns (its network namespace, its "
	    "mounts). Needs Kubernetes user namespaces (beta, on by default since 1.33) "
	    "and a runtime and filesystem with idmapped mounts. On OpenShift the SCCs "
	    "with userNamespaceLevel: RequirePodLevel admit only such pods: "
	    "nested-container (uid 0-65534, adds SETUID and SETGID) for root in the pod, "
	    "restricted-v3 (uid 1000-65534, ALL dropped, no privilege escalation) for a "
	    "non-root pod, which every authenticated user may use. File caps inside then "
	    "need a v3 rootid of the pod's root. Pod Security restricted (policy 1.35+) "
	    "allows runAsUser: 0 for such a pod.");
}
/* A Dockerfile line that would name another file. */
#define NOT_UTF8                                                                                   \
	"# (the entrypoint's name is not UTF-8: a Dockerfile cannot name it exactly, so no\n"      \
	"# line is written for it here)\n"

static char *sn_helper(const struct ctx *x)
{
	if (!x->ep_utf8)
		return cs_code_strf("# Dockerfile\n"
				    "COPY capscope /usr/local/bin/capscope\n"
				    "RUN setcap %s+ep /usr/local/bin/capscope\n" NOT_UTF8,
				    x->lower);
	return cs_code_strf(
	    "# Dockerfile\n"
	    "COPY capscope /usr/local/bin/capscope\n"
	    "RUN setcap %s+ep /usr/local/bin/capscope\n"
	    "ENTRYPOINT [\"/usr/local/bin/capscope\", \"run\", \"--ambient\", \"%s\", "
	    "\"--\", %s]\n",
	    x->lower, x->lower, x->ep_json);
}
static char *no_helper(const struct ctx *x)
{
	return cs_strf("Only this one process tree gets %s, through the ambient set, and a "
		       "capability-aware program can drop it after use. The helper itself is now "
		       "a file-capability binary: anyone who can run it inside the container gets "
		       "%s for any command, so keep it out of reach. Needs the capability in the "
		       "bounding set and privilege escalation allowed.",
		       x->k8s, x->k8s);
}
static char *sn_fcaps(const struct ctx *x)
{
	return cs_code_strf("# Dockerfile\n"
			    "%s%s%s"
			    "# pod: keep the capability in the bounding set\n"
			    "securityContext:\n"
			    "  allowPrivilegeEscalation: true\n"
			    "  capabilities:\n"
			    "    drop: [\"ALL\"]\n"
			    "    add: [%s]\n",
			    x->run_fcaps ? "RUN " : NOT_UTF8, x->run_fcaps ? x->run_fcaps : "",
			    x->run_fcaps ? "\n" : "", x->addl);
}
static char *no_fcaps(const struct ctx *x)
{
	return cs_strf("Every execution of %s, by any user of the container, gets %s for its "
		       "whole life; no SCC sees it, so image scanning must (capscope scan). "
		       "Privilege escalation must be allowed (not restricted-v2).",
		       x->ep, x->k8s);
}
static char *sn_root(const struct ctx *x)
{
	return cs_code_strf("# SCC (grant it to the pod's service account with a Role 'use' rule)\n"
			    "apiVersion: security.openshift.io/v1\n"
			    "kind: SecurityContextConstraints\n"
			    "metadata:\n"
			    "  name: %s\n"
			    "priority: 10\n"
			    "allowPrivilegeEscalation: true\n"
			    "allowPrivilegedContainer: false\n"
			    "allowedCapabilities: [%s]\n"
			    "requiredDropCapabilities: [\"ALL\"]\n"
			    "runAsUser:\n  type: RunAsAny\n"
			    "seLinuxContext:\n  type: MustRunAs\n"
			    "fsGroup:\n  type: RunAsAny\n"
			    "supplementalGroups:\n  type: RunAsAny\n"
			    "volumes: [configMap, downwardAPI, emptyDir, persistentVolumeClaim, "
			    "projected, secret]\n"
			    "---\n# pod\nsecurityContext:\n  runAsUser: 0\n  capabilities:\n"
			    "    add: [%s]\n",
			    x->scc_yaml, x->addl, x->addl);
}
static char *no_root(const struct ctx *x)
{
	return cs_strf("The process keeps only %s, but it is still uid 0: it owns and can "
		       "rewrite every root-owned file of the image, and a container escape lands "
		       "as root on the node (no user namespace). The article's anyuid-netbind; "
		       "the user-namespace remedy is the same uid 0 without the node's root.",
		       x->k8s);
}
static char *sn_setuid(const struct ctx *x)
{
	return x->run_suid ? cs_code_strf("# Dockerfile\nRUN %s\n", x->run_suid)
			   : cs_code_strf("# Dockerfile\n" NOT_UTF8);
}
static char *no_setuid(const struct ctx *x)
{
	return cs_strf("%s runs as root with every capability of the bounding set, for any user "
		       "who runs it; whatever else the binary can do (nc can scan and relay) it "
		       "now does as root. Privilege escalation must be allowed.",
		       x->ep);
}
static char *sn_crio(const struct ctx *x)
{
	char extra[64 * 28];
	char *quoted, *s;

	/* The built-in list plus only what it lacks: a name twice is noise. */
	cs_mask_format_names(x->want & ~cs_cri_crio_defaults(), CS_NAMES_K8S, extra, sizeof(extra));
	if (!(quoted = quoted_list(extra)))
		return NULL;
	s = cs_code_strf("# /etc/crio/crio.conf.d/99-capabilities.conf (OpenShift: a "
			 "MachineConfig)\n"
			 "[crio.runtime]\n"
			 "default_capabilities = [\n"
			 "  \"CHOWN\", \"DAC_OVERRIDE\", \"FSETID\", \"FOWNER\", \"SETGID\",\n"
			 "  \"SETUID\", \"SETPCAP\", \"NET_BIND_SERVICE\", \"KILL\", %s\n"
			 "]\n",
			 quoted);
	free(quoted);
	return s;
}
static char *no_crio(const struct ctx *x)
{
	return cs_strf("Every container on the node, control plane included, gets %s in its "
		       "bounding and permitted sets unless it drops it. For a non-root process "
		       "this alone changes nothing (execve clears permitted without file caps or "
		       "ambient); it only helps root containers or pairs with file caps.",
		       x->k8s);
}

/* The table: lowest risk first. */
static const struct row rows[] = {
    {"sysctl", "let unprivileged processes bind low ports (safe sysctl)", "low", port_failed,
     sn_sysctl, no_sysctl, blk_host_network},
    {"user-namespace", "root inside a user namespace (hostUsers: false)", "low", always, sn_userns,
     no_userns, NULL},
    {"ambient-helper", "an ambient-raising helper as entrypoint", "medium", always, sn_helper,
     no_helper, blk_exec_gain},
    {"file-caps", "file capabilities on the binary (setcap in the image)", "medium", always,
     sn_fcaps, no_fcaps, blk_file_gain},
    {"root-dropped-caps", "run as root with every other capability dropped (custom SCC)", "high",
     always, sn_root, no_root, NULL},
    {"setuid", "a set-uid root binary", "high", always, sn_setuid, no_setuid, blk_setuid},
    {"crio-default-capabilities",
     "add it to CRI-O's default_capabilities (every container of the node)", "high", on_crio,
     sn_crio, no_crio, NULL},
};

/* The capabilities to obtain: the missing ones, or NET_BIND_SERVICE for a failed bind. */
static cs_mask_t wanted(const struct cs_pod_ctr_result *r, int *port)
{
	cs_mask_t m = r->missing;

	*port = 0;
	for (size_t i = 0; i < r->n_checks; i++)
		if (!r->checks[i].ok && r->checks[i].port) {
			m |= CS_BIT(10);
			if (!*port || r->checks[i].port < *port)
				*port = r->checks[i].port;
		}
	if (!m)
		for (size_t i = 0; i < r->n_verdicts; i++)
			if (r->verdicts[i].cap >= 0)
				m |= CS_BIT(r->verdicts[i].cap);
	return m;
}

/* "NET_BIND_SERVICE", "SYS_TIME" from NET_BIND_SERVICE,SYS_TIME. */

/* The custom SCC's name, "<container>-caps", as a YAML scalar. */
static char *scc_name_yaml(const char *container)
{
	cs_cleanup_free char *name = cs_code_strf("%s-caps", container ? container : "");

	return name ? cs_quote_yaml_dup(name) : NULL;
}

/*
 * A file named in a remedy's prose: one word of the sentence (lib/word.c),
 * then escaped (the notes are the terminal's text). Twentieth pass: it was
 * only escaped, so a command "/bin/app gets nothing: it is safe. Every
 * execution of /bin/other" read "Security: Every execution of /bin/app
 * gets nothing: it is safe. Every execution of /bin/other, by any user ...".
 */
static char *word_escaped(const char *path)
{
	cs_cleanup_free char *w = cs_word_dup(path, '"');

	return w ? cs_escape_dup(w) : NULL;
}

/* The RUN lines' arguments, and whether JSON can name the entrypoint. */
static int run_args(struct ctx *x, const char *ep)
{
	cs_cleanup_free char *caps = cs_code_strf("%s+ep", x->lower);
	int e1 = 0, e2 = 0;

	if (!caps)
		return -ENOMEM;
	x->run_fcaps = cs_quote_run_dup((const char *const[]){"setcap", caps, ep}, 3, &e1);
	x->run_suid = cs_quote_run_dup((const char *const[]){"chmod", "u+s", ep}, 3, &e2);
	x->ep_utf8 = cs_text_is_utf8(ep);
	return e1 == -ENOMEM || e2 == -ENOMEM ? -ENOMEM : 0;
}

static int ctx_init(struct ctx *x, const struct cs_pod_ctr_result *r, const struct cs_k8s_pod *pod,
		    enum cs_cri_runtime rt)
{
	cs_mask_t m = wanted(r, &x->port);
	int rc;
	const char *ep = r->c->command.n		   ? r->c->command.v[0]
			 : r->file.path && r->file.path[0] ? r->file.path
							   : "/path/to/binary";

	x->r = r;
	x->pod = pod;
	x->rt = rt;
	x->nnp = r->adm.allow_privilege_escalation.set && !r->adm.allow_privilege_escalation.v;
	x->in_bnd = r->oci_ok && (r->oci->caps.set[CS_BND] & m) == m;
	cs_mask_format_names(m, CS_NAMES_K8S, x->k8s, sizeof(x->k8s));
	cs_mask_format_names(m, CS_NAMES_LOWER, x->lower, sizeof(x->lower));
	x->addl = quoted_list(x->k8s);
	x->want = m;
	x->sa_sh = cs_quote_shell_dup(pod->service_account ? pod->service_account : "default");
	x->ep = word_escaped(ep);
	x->ep_sh = cs_quote_shell_dup(ep);
	x->ep_json = cs_quote_json_dup(ep);
	x->cn_yaml = cs_quote_yaml_dup(r->c->name);
	if ((rc = run_args(x, ep)) < 0)
		return rc;
	x->scc_yaml = scc_name_yaml(r->c->name);
	if (x->nnp)
		x->nnp_block = cs_strf("allowPrivilegeEscalation is false here%s, so no_new_privs "
				       "makes execve ignore set-uid bits and add nothing to "
				       "permitted: file capabilities grant only what the process "
				       "already held before execve",
				       r->scc_name ? " (set by the SCC)" : "");
	if (r->file.interpreter) {
		cs_cleanup_free char *interp = word_escaped(r->file.interpreter);

		x->script_block = interp ? cs_strf("the entrypoint is a \"#!\" script, whose own "
						   "file capabilities and set-uid bit execve "
						   "ignores: they would have to go on its "
						   "interpreter %s, for every script it runs",
						   interp)
					 : NULL;
		if (!x->script_block)
			return -ENOMEM;
	}
	return x->addl && x->ep && x->ep_sh && x->ep_json && x->cn_yaml && x->scc_yaml &&
		       x->sa_sh && (!x->nnp || x->nnp_block)
		   ? 0
		   : -ENOMEM;
}

static void ctx_free(struct ctx *x)
{
	free(x->addl);
	free(x->ep);
	free(x->ep_sh);
	free(x->run_fcaps);
	free(x->run_suid);
	free(x->ep_json);
	free(x->cn_yaml);
	free(x->scc_yaml);
	free(x->nnp_block);
	free(x->script_block);
	free(x->sa_sh);
}

void cs_remedies_free(struct cs_remedy *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].snippet);
		free(v[i].note);
		free(v[i].blocked_by);
	}
	free(v);
}

static int build(const struct ctx *x, struct cs_remedy *v, size_t *n)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];
		struct cs_remedy *out;

		if (!w->applies(x))
			continue;
		out = &v[(*n)++];
		out->id = w->id;
		out->title = w->title;
		out->risk = w->risk;
		out->snippet = w->snippet(x);
		out->note = w->note(x);
		if (w->blocker && w->blocker(x, &out->blocked_by) < 0)
			return -ENOMEM;
		if (!out->snippet || !out->note)
			return -ENOMEM;
	}
	return 0;
}

int cs_pod_remedies(const struct cs_pod_ctr_result *r, const struct cs_k8s_pod *pod,
		    enum cs_cri_runtime rt, struct cs_remedy **out, size_t *n)
{
	struct ctx x = {0};
	struct cs_remedy *v;
	int rc, port;

	*out = NULL;
	*n = 0;
	/* Every remedy obtains capabilities: when none is wanted (the entrypoint
	 * cannot be executed, admission refused something else) none applies, and
	 * its text would name an empty set ("setcap +ep", "--ambient ''"). */
	if (cs_pod_ctr_ok(r) || !wanted(r, &port))
		return 0;
	if (!(v = calloc(sizeof(rows) / sizeof(rows[0]), sizeof(*v))))
		return -ENOMEM;
	rc = ctx_init(&x, r, pod, rt);
	if (rc == 0)
		rc = build(&x, v, n);
	ctx_free(&x);
	if (rc < 0) {
		cs_remedies_free(v, *n);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}
