/* SPDX-License-Identifier: MIT */
/*
 * The one file of capscope serve that asks the model. The webhook follows a
 * pod through the chain explain pod runs — effective securityContext, SCC
 * admission (when modelled), the runtime's merge into the OCI process, runc
 * and execve in the kernel model — and keeps, per requested capability that
 * does not end effective, a short reason.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/escape.h"
#include "capscope/runtime.h"
#include "capscope/text.h"
#include "explain.h"
#include "serve.h"

#ifndef CAPSCOPE_DATADIR
#define CAPSCOPE_DATADIR "/usr/local/share/capscope"
#endif

static const char *const builtin_sccs[] = {
    "restricted-v2",  "restricted",  "nonroot-v2",	 "nonroot",    "anyuid",
    "hostnetwork-v2", "hostnetwork", "hostmount-anyuid", "hostaccess", "privileged"};

/* $CAPSCOPE_DATADIR, the source tree next to the binary, the install prefix. */
static int builtin_path(const char *name, char out[PATH_MAX])
{
	char exe[PATH_MAX];
	const char *env = getenv("CAPSCOPE_DATADIR");
	struct stat sb;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return -EINVAL;
	if (env && snprintf(out, PATH_MAX, "%s/scc/%s.yaml", env, name) < PATH_MAX &&
	    stat(out, &sb) == 0)
		return 0;
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if (snprintf(out, PATH_MAX, "%s/../data/scc/%s.yaml", exe, name) <
				PATH_MAX &&
			    stat(out, &sb) == 0)
				return 0;
			if (snprintf(out, PATH_MAX, "%s/../share/capscope/scc/%s.yaml", exe, name) <
				PATH_MAX &&
			    stat(out, &sb) == 0)
				return 0;
		}
	}
	snprintf(out, PATH_MAX, "%s/scc/%s.yaml", CAPSCOPE_DATADIR, name);
	return stat(out, &sb) == 0 ? 0 : -ENOENT;
}

int serve_model_add_scc(struct serve_model *m, const char *arg, bool grant, struct cs_diag *d)
{
	char path[PATH_MAX];
	struct stat sb;
	size_t before = m->sm.n_sccs;
	int r;

	if (stat(arg, &sb) == 0 || strchr(arg, '/'))
		snprintf(path, sizeof(path), "%s", arg);
	else if (builtin_path(arg, path) < 0)
		return cs_diag_set(d, ENOENT, 0, 0, "", "%s: no such file and no built-in SCC",
				   arg);
	if ((r = cs_k8s_load(&m->sm, path, d)) < 0)
		return r;
	if (m->sm.n_sccs == before)
		return cs_diag_set(d, EINVAL, 0, 0, "", "%s: no SecurityContextConstraints in it",
				   path);
	m->n_sccs = 0;
	for (size_t i = 0; i < m->sm.n_sccs && m->n_sccs < SERVE_MAX_SCCS; i++)
		m->sccs[m->n_sccs++] = &m->sm.sccs[i];
	for (size_t i = before; grant && i < m->sm.n_sccs && m->n_granted < SERVE_MAX_SCCS; i++)
		m->granted[m->n_granted++] = m->sm.sccs[i].name;
	m->use_scc = true;
	return 0;
}

int serve_model_openshift(struct serve_model *m, struct cs_diag *d)
{
	int r;

	for (size_t i = 0; i < sizeof(builtin_sccs) / sizeof(builtin_sccs[0]); i++)
		if ((r = serve_model_add_scc(m, builtin_sccs[i], false, d)) < 0)
			return r;
	m->granted[m->n_granted++] = "restricted-v2";
	m->openshift = true;
	return 0;
}

void serve_model_free(struct serve_model *m)
{
	cs_k8s_manifest_free(&m->sm);
}

static bool has_str(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

/* One container through admission's result, the runtime, runc and execve. */
struct ctr_run {
	struct cs_k8s_sc adm;
	bool admitted, oci_ok;
	const char *refused; /* why the container does not get created */
	char refused_buf[300];
	struct cs_oci_process oci;
	struct cs_cred pre, post;
	struct cs_exec_result res;
	struct cs_exec_file f;
	struct cs_steps st;
};

static void run_ctr(const struct serve_model *m, const struct cs_k8s_pod *pod, size_t i,
		    const struct cs_scc_result *sr, struct ctr_run *r)
{
	const struct cs_k8s_container *c = &pod->containers[i];
	struct cs_cri_request req = {0};
	struct cs_k8s_sc eff;
	gid_t groups[CS_OCI_MAX_GROUPS];
	size_t ng = 0;
	struct cs_diag d = {0};
	struct cs_opt_i64 fsg = m->use_scc && sr->admitted ? sr->fs_group : pod->fs_group;

	cs_k8s_effective_sc(pod, c, &eff);
	r->admitted = !m->use_scc || sr->admitted;
	r->adm = m->use_scc && sr->admitted ? sr->sc[i] : eff;
	if (!r->admitted) {
		r->refused = "the pod is not admitted by any SCC";
		return;
	}
	if (r->adm.run_as_user.set &&
	    (r->adm.run_as_user.v < 0 || r->adm.run_as_user.v >= UINT32_MAX)) {
		r->refused = "runAsUser is out of range";
		return;
	}
	req.uid = r->adm.run_as_user.set ? (uid_t)r->adm.run_as_user.v : 0;
	if (r->adm.run_as_non_root.set && r->adm.run_as_non_root.v && r->adm.run_as_user.set &&
	    req.uid == 0) {
		r->refused = "runAsNonRoot with runAsUser 0: the kubelet refuses it";
		return;
	}
	req.gid = r->adm.run_as_group.set ? (gid_t)r->adm.run_as_group.v : 0;
	for (size_t k = 0; k < pod->n_supplemental_groups && ng < CS_OCI_MAX_GROUPS - 1; k++)
		groups[ng++] = (gid_t)pod->supplemental_groups[k];
	if (fsg.set)
		groups[ng++] = (gid_t)fsg.v;
	req.add = r->adm.caps_set ? r->adm.add.v : NULL;
	req.n_add = r->adm.caps_set ? r->adm.add.n : 0;
	req.drop = r->adm.caps_set ? r->adm.drop.v : NULL;
	req.n_drop = r->adm.caps_set ? r->adm.drop.n : 0;
	req.privileged = r->adm.privileged.set && r->adm.privileged.v;
	req.no_new_privs = r->adm.allow_privilege_escalation.set &&
			   !r->adm.allow_privilege_escalation.v && !req.privileged;
	req.groups = groups;
	req.n_groups = ng;
	req.user_namespace = pod->host_users.set && !pod->host_users.v;
	if (cs_cri_merge(m->runtime, m->crio_loaded ? &m->crio : NULL, &req, &r->oci, &r->st, &d) <
	    0) {
		snprintf(r->refused_buf, sizeof(r->refused_buf), "the runtime refuses it: %s",
			 d.message);
		r->refused = r->refused_buf;
		return;
	}
	r->oci_ok = true;
	/* The webhook has no image: the entrypoint is taken as a plain file. */
	snprintf(r->f.path, sizeof(r->f.path), "%s",
		 c->command.n ? c->command.v[0] : "(the image's entrypoint)");
	if (cs_oci_predict_from(&r->oci, NULL, &r->f, &r->pre, &r->post, &r->res, &r->st) < 0)
		r->refused = "out of memory";
}

/* The reason, short enough for a warning line. */
static void short_reason(const struct serve_model *m, const struct ctr_run *r,
			 const struct cs_k8s_sc *req, const char *nm, int cap, char *buf,
			 size_t len)
{
	cs_mask_t b = cap >= 0 ? CS_BIT(cap) : 0;

	if (r->refused)
		snprintf(buf, len, "%s", r->refused);
	else if (cap < 0)
		snprintf(buf, len, "not a capability name");
	else if (!(r->oci.caps.set[CS_BND] & b))
		snprintf(buf, len, "%s",
			 m->use_scc && has_str(&r->adm.drop, nm) && !has_str(&req->drop, nm)
			     ? "the SCC's requiredDropCapabilities drop it"
			     : "the runtime leaves it out of the bounding set");
	else if (!r->res.ok)
		snprintf(buf, len, "the process never starts: %s", cs_errno_name(r->res.error));
	else if (r->post.caps.set[CS_PRM] & b)
		snprintf(buf, len, "permitted only: uid %u, no effective file bit",
			 (unsigned)r->post.uid[1]);
	else if (r->pre.no_new_privs && r->post.uid[1] == 0)
		snprintf(buf, len, "no_new_privs stops the gain at execve");
	else
		snprintf(buf, len, "non-root uid %u, no ambient set", (unsigned)r->post.uid[1]);
}

static int add_line(char ***lines, size_t *n, const char *ctr, const char *cap, const char *why)
{
	static const char tail[] = "; see capscope explain pod";
	char buf[SERVE_WARNING_MAX * 4], name[48];
	char **v;
	int len;

	/* A container name is at most 63 characters in Kubernetes; cut what the
	 * manifest controls so the line fits. */
	cs_escape_text(ctr, strlen(ctr), name, sizeof(name));
	len = snprintf(buf, sizeof(buf), "container %s: %s will not be effective (%s)", name, cap,
		       why);
	if (len < 0)
		return -EINVAL;
	if ((size_t)len > SERVE_WARNING_MAX)
		memcpy(buf + SERVE_WARNING_MAX - 4, "...)", 5);
	else if ((size_t)len + sizeof(tail) - 1 <= SERVE_WARNING_MAX)
		strcat(buf, tail);
	if (!(v = realloc(*lines, (*n + 1) * sizeof(*v))))
		return -ENOMEM;
	*lines = v;
	if (!(v[*n] = strdup(buf)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

int serve_model_warnings(const struct serve_model *m, const struct cs_k8s_pod *pod, char ***lines,
			 size_t *n)
{
	struct cs_scc_result sr;
	struct cs_steps podsteps;
	struct cs_scc_opts so = {.uid_range_start = m->uid_start,
				 .uid_range_size = m->uid_size,
				 .granted = m->openshift ? m->granted : NULL,
				 .n_granted = m->n_granted};
	int rc = 0;

	memset(&sr, 0, sizeof(sr));
	cs_steps_init(&podsteps);
	if (m->use_scc && cs_scc_admit(pod, m->sccs, m->n_sccs, &so, &sr, &podsteps) < 0)
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < pod->n_containers; i++) {
		const struct cs_k8s_container *c = &pod->containers[i];
		struct cs_k8s_sc req;
		struct ctr_run *r = calloc(1, sizeof(*r));

		if (!r) {
			rc = -ENOMEM;
			break;
		}
		cs_steps_init(&r->st);
		cs_k8s_effective_sc(pod, c, &req);
		run_ctr(m, pod, i, &sr, r);
		for (size_t k = 0; rc == 0 && req.caps_set && k < req.add.n; k++) {
			const char *nm = req.add.v[k];
			int cap = strcasecmp(nm, "ALL") ? cs_cap_from_name(nm, strlen(nm)) : -2;
			char why[96], verdict[640], cname[64];

			if (cap == -2)
				continue; /* ALL: no single verdict; explain pod shows the sets */
			if (!r->refused && cap >= 0 && r->oci_ok && r->res.ok &&
			    cs_explain_cap_verdict(cap, &r->oci.caps, &r->pre, &r->post, &r->f,
						   &r->res, &r->st, verdict, sizeof(verdict)))
				continue;
			short_reason(m, r, &req, nm, cap, why, sizeof(why));
			/* As the manifest spells it: what the user wrote and will look for. */
			cs_escape_text(nm, strlen(nm), cname, sizeof(cname));
			rc = add_line(lines, n, c->name ? c->name : "?", cname, why);
		}
		cs_steps_free(&r->st);
		free(r);
	}
	cs_steps_free(&podsteps);
	cs_scc_result_free(&sr);
	return rc;
}
