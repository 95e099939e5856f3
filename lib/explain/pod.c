/* SPDX-License-Identifier: MIT */
/*
 * explain pod: the whole path of a container's credentials — manifest → SCC
 * admission → kubelet → container runtime → OCI process → runc → execve —
 * per container, with a verdict per requested capability, the checks asked
 * for and remedies ranked by risk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/image-ref.h"
#include "capscope/proc.h"
#include "capscope/runtime.h"
#include "capscope/text.h"
#include "capscope/scan.h"
#include "../internal/cleanup.h"
#include "pod-internal.h"
#include "strf.h"
#include "../internal/util.h"

/*
 * process.cwd as the runtimes make it: the pod's workingDir, else the
 * image's WorkingDir, an empty one being unset (containerd's CRI and CRI-O
 * test `!= ""`); NULL: "/", their default. Neither makes it absolute.
 */
static const char *pod_cwd(const struct pod_work *w)
{
	const char *wd = w->r->c->working_dir, *iwd = w->config ? w->config->workdir : NULL;

	return wd && *wd ? wd : iwd && *iwd ? iwd : NULL;
}

/* Exactly [""]: the "no entrypoint" containerd and Docker reset. */
static bool empty_entrypoint(const struct cs_strlist *l)
{
	return l->n == 1 && !l->v[0][0];
}

/*
 * The pod's command and args and the image config, as the runtime merges
 * them into the command line (cs_kubelet_argv takes them from here).
 * containerd's CRI (WithProcessArgs) takes an image Entrypoint of exactly
 * [""] as none when the pod gives no command: the image's Cmd, or the
 * pod's args, is the whole line. Docker does the same after its merge
 * (mergeAndVerifyConfig: "Reset the Entrypoint if it is [\"\"]"), where
 * cri-dockerd has put the pod's command as the Entrypoint: a pod command
 * [""] leaves the pod's args alone (the image's Cmd is not merged once
 * the Entrypoint is set). CRI-O (SpecSetProcessArgs) and Podman keep "",
 * and runc then fails to find it.
 */
static void argv_inputs(const struct pod_work *w, struct cs_k8s_container *ct,
			struct cs_image_config *it, const struct cs_k8s_container **c,
			const struct cs_image_config **ic)
{
	enum cs_cri_runtime rt = w->o->runtime;

	*c = w->r->c;
	*ic = w->config;
	if (rt == CS_CRI_DOCKER && empty_entrypoint(&w->r->c->command)) {
		*ct = *w->r->c;
		ct->command = (struct cs_strlist){NULL, 0};
		*c = ct;
		*ic = NULL; /* neither its Entrypoint nor its Cmd is merged */
		return;
	}
	if (w->config && (rt == CS_CRI_CONTAINERD || rt == CS_CRI_DOCKER) && !w->r->c->command.n &&
	    empty_entrypoint(&w->config->entrypoint)) {
		*it = *w->config;
		it->entrypoint = (struct cs_strlist){NULL, 0};
		*ic = it;
	}
}

/* cs_kubelet_argv on what the runtime merges (argv_inputs). */
static int runtime_argv(const struct pod_work *w, const char ***argv, size_t *n)
{
	struct cs_k8s_container ct;
	struct cs_image_config it;
	const struct cs_k8s_container *c;
	const struct cs_image_config *ic;

	argv_inputs(w, &ct, &it, &c, &ic);
	return cs_kubelet_argv(c, ic, argv, n);
}

/* Go's filepath.Clean of an absolute path (heap). */
static char *clean_abs(const char *p)
{
	size_t len = strlen(p), n = 0;
	char *out = malloc(len + 2);

	if (!out)
		return NULL;
	for (const char *s = p; *s;) {
		size_t k;

		while (*s == '/')
			s++;
		k = strcspn(s, "/");
		if (k == 2 && s[0] == '.' && s[1] == '.') {
			while (n && out[--n] != '/')
				;
		} else if (k && !(k == 1 && s[0] == '.')) {
			out[n++] = '/';
			memcpy(out + n, s, k);
			n += k;
		}
		s += k;
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	return out;
}

static int resolve_cwd(const struct pod_work *w, const char *cwd, const char *arg0,
		       const char *pathenv, struct cs_exec_file *f, struct cs_diag *d)
{
	enum cs_cri_runtime rt = w->o->runtime;
	cs_cleanup_free char *clean = NULL;
	int rc;

	/* Docker cleans WorkingDir (SetupWorkingDirectory) before runc sees it. */
	if (rt == CS_CRI_DOCKER && cwd && cwd[0] == '/' && !(clean = clean_abs(cwd)))
		return -ENOMEM;
	if (clean)
		cwd = clean;
	rc = w->image ? cs_image_exec_resolve(w->image, cwd, arg0, pathenv, f)
		      : cs_exec_file_resolve(w->o->rootfs, cwd, arg0, pathenv, f, d);
	/*
	 * CRI-O (setupWorkingDirectory), Docker (SetupWorkingDirectory) and
	 * Podman (resolveWorkDir) create the working directory themselves,
	 * symlinks followed inside the root: a dangling symlink's target is
	 * made, and runc's own MkdirAll then finds a directory. containerd
	 * leaves it to runc, whose Mkdir meets the link (EEXIST).
	 */
	if (rc == 0 && f->cwd_error == EEXIST && rt != CS_CRI_CONTAINERD)
		f->cwd_error = 0;
	return rc;
}

int cs_pod_resolve(const struct pod_work *w, const char *arg0, struct cs_exec_file *f,
		   struct cs_diag *d)
{
	const struct cs_image_config *ic = w->config;
	const char *pathenv = w->path_env ? w->path_env
			      : ic && ic->path_env
				  ? ic->path_env
				  : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	/* A relative "#!" interpreter is found from the process's working directory. */
	const char *cwd = pod_cwd(w);
	int rc;

	/* A PATH the manifest does not hold: the file is not known, never guessed. */
	if (w->path_unknown && !strchr(arg0, '/')) {
		if (cs_exec_file_set_path(f, arg0) < 0)
			return -ENOMEM;
		f->known = false;
		return 0;
	}
	rc = resolve_cwd(w, cwd, arg0, pathenv, f, d);
	/* The image's lookups over their bound: no answer, the command is refused. */
	if (rc == -E2BIG && w->image)
		(void)cs_image_lookup_bound(w->image, w->d);
	return rc;
}

bool cs_pod_ctr_ok(const struct cs_pod_ctr_result *c)
{
	if (c->not_modelled || !c->admitted || !c->exec_ok || c->missing)
		return false;
	for (size_t i = 0; i < c->n_checks; i++)
		if (!c->checks[i].ok)
			return false;
	return true;
}

static void ctr_free(struct cs_pod_ctr_result *r)
{
	free(r->reason);
	free(r->oci);
	free(r->exec_error);
	free(r->file.path);
	free(r->file.interpreter);
	free(r->file.note);
	free(r->post);
	free(r->not_modelled);
	cs_steps_free(&r->steps);
	for (size_t i = 0; i < r->n_checks; i++) {
		free(r->checks[i].check);
		free(r->checks[i].why);
	}
	free(r->checks);
	for (size_t i = 0; i < r->n_verdicts; i++)
		cs_cap_verdict_free(&r->verdicts[i]);
	free(r->verdicts);
	if (r->helper) {
		free(r->helper->what);
		free(r->helper->error);
		free(r->helper->path);
		free(r->helper);
	}
	cs_remedies_free(r->remedies, r->n_remedies);
	memset(r, 0, sizeof(*r));
}

void cs_pod_explain_free(struct cs_pod_explain_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_containers; i++)
		ctr_free(&r->containers[i]);
	free(r->containers);
	cs_scc_result_free(&r->scc);
	cs_psa_result_free(&r->psa);
	cs_steps_free(&r->steps);
	free(r);
}

CS_DEFINE_CLEANUP(struct cs_pod_explain_result, cs_pod_explain_free)

static int fail(struct cs_pod_ctr_result *r, const char *error, const char *reason)
{
	free(r->exec_error);
	free(r->reason);
	r->exec_error = strdup(error);
	r->reason = strdup(reason);
	return r->exec_error && r->reason ? 0 : -ENOMEM;
}

/* Is there a kubelet (and an API server) in front of the runtime? */
static bool has_kubelet(const struct cs_pod_explain_opts *o)
{
	return !o->target || cs_cri_target_has_kubelet(o->target);
}

/* supplementalGroupsPolicy: Strict, where a kubelet stands in front. */
static bool strict_groups(const struct pod_work *w)
{
	const char *p = w->pod->pod->supplemental_groups_policy;

	return p && !strcmp(p, "Strict") && has_kubelet(w->o);
}

/*
 * Strict on a runtime that does not honour it: the kubelet's admission
 * refuses the pod (lifecycle predicate, SupplementalGroupsPolicyNotSupported)
 * before any container is made.
 */
static int strict_refused(struct pod_work *w)
{
	struct cs_cri_target t;
	char rt[32];

	if (!strict_groups(w))
		return 0;
	if (w->o->target)
		t = *w->o->target;
	else
		cs_cri_target_default(w->o->runtime, &t);
	if (cs_cri_target_strict_groups(&t))
		return 0;
	cs_cri_target_format(&t, rt, sizeof(rt));
	cs_steps_add(&w->r->steps, "pod", "kubelet.supplemental-groups-policy",
		     "the kubelet rejects the pod: SupplementalGroupsPolicy=Strict is not "
		     "supported in this node (%s; containerd honours it from 2.0, CRI-O from 1.31)",
		     rt);
	return fail(w->r, "SupplementalGroupsPolicyNotSupported",
		    "SupplementalGroupsPolicy=Strict is not supported in this node") < 0
		   ? -ENOMEM
		   : 1;
}

/*
 * A pod for another OS on this (Linux) node: the kubelet's admission refuses
 * it before any container is made (lifecycle predicate: first
 * rejectPodAdmissionBasedOnOSSelector, the pod's label kubernetes.io/os
 * against the node's, PodOSSelectorNodeLabelDoesNotMatch; then
 * rejectPodAdmissionBasedOnOSField, spec.os.name, PodOSNotSupported). The
 * Linux credentials the rest of the model would print are never given.
 */
static int os_refused(struct pod_work *w)
{
	const char *os = w->pod->pod->os_name, *label = w->pod->pod->os_label;

	if (!has_kubelet(w->o))
		return 0;
	if (label && strcmp(label, "linux")) {
		cs_steps_add(&w->r->steps, "pod", "kubelet.pod-os-label",
			     "the kubelet rejects the pod: its label kubernetes.io/os is '%s' and "
			     "this node's is linux (PodOSSelectorNodeLabelDoesNotMatch)",
			     label);
		return fail(w->r, "PodOSSelectorNodeLabelDoesNotMatch",
			    "Failed to admit pod as the `kubernetes.io/os` label doesn't match "
			    "node label") < 0
			   ? -ENOMEM
			   : 1;
	}
	if (!os || strcmp(os, "windows"))
		return 0;
	cs_steps_add(&w->r->steps, "pod", "kubelet.pod-os",
		     "the kubelet rejects the pod: spec.os.name is windows and this node is "
		     "Linux (PodOSNotSupported)");
	return fail(w->r, "PodOSNotSupported",
		    "Failed to admit pod as the OS field doesn't match node OS") < 0
		   ? -ENOMEM
		   : 1;
}

/*
 * The kubelet's sysctl admission (kubelet-sysctls.c, found once per pod):
 * a sysctl outside its safe set and its --allowed-unsafe-sysctls rejects
 * the pod before any container is made. Its admission handler for sysctls
 * is registered before the one that checks the OS.
 */
static int sysctl_forbidden(struct pod_work *w)
{
	cs_cleanup_free char *why = NULL;

	if (!w->sysctl_forbidden)
		return 0;
	cs_steps_add(&w->r->steps, "pod", "kubelet.sysctl-forbidden",
		     "the kubelet rejects the pod: sysctl %s is neither in its safe set nor "
		     "allowed by its --allowed-unsafe-sysctls (SysctlForbidden)",
		     w->forbidden_sysctl);
	/* the kubelet's message (%q of a name the API server let through: no quote in it) */
	if (!(why = cs_strf("forbidden sysctl: \"%s\" not allowlisted", w->forbidden_sysctl)))
		return -ENOMEM;
	return fail(w->r, "SysctlForbidden", why) < 0 ? -ENOMEM : 1;
}

/* The runtime's merge, at the release and with the capabilities asked for. */
static int merge(const struct cs_pod_explain_opts *o, const struct cs_cri_request *req,
		 struct cs_oci_process *out, struct cs_steps *st, struct cs_diag *d)
{
	if (o->target)
		return cs_cri_merge_target(o->target, o->crio, req, out, st, d);
	return cs_cri_merge(o->runtime, o->crio, req, out, st, d);
}

/*
 * Each container carries the pod's SCC reason, which names every container
 * that failed: copied whole, a pod of N failing containers cost N^2 bytes
 * (2,000 containers: 650 MB in lint --openshift, 650 MB of explain text).
 * The copy is cut on a whole UTF-8 character past REASON_MAX; the pod's
 * own reason (cs_scc_reason_each, made when written) stays whole.
 */
#define REASON_MAX 4096

static char *container_reason(const struct cs_scc_result *scc, size_t n)
{
	char head[REASON_MAX + 4]; /* the cut is at most 3 bytes back */
	size_t cut;

	/* The pod's reason is made as it is written (cs_scc_reason_each):
	 * only its head is copied here. */
	if (cs_scc_reason_head(scc, head, sizeof(head)) < 0)
		return NULL;
	if (n <= REASON_MAX)
		return strdup(head);
	cut = cs_text_cut(head, n < sizeof(head) - 1 ? n : sizeof(head) - 1,
			  REASON_MAX); /* on a character (escape.h) */
	return cs_strf("%.*s ... (%zu more bytes: the pod's SCC admission reason has them)",
		       (int)cut, head, n - cut);
}

/*
 * spec.runtimeClassName picks the runtime's handler through a RuntimeClass
 * object the manifest does not hold (its handler need not share its name),
 * and capscope reads no handler's own settings: containerd's per-runtime
 * base_runtime_spec replaces the default capabilities, a CRI-O "vm" handler
 * (Kata) applies the sets in a guest kernel, gVisor in its own. Said in a
 * step rather than predicted silently as the default handler.
 */
static int runtime_class_step(struct cs_pod_ctr_result *r, const char *rc)
{
	cs_cleanup_free char *name = cs_word_dup(rc, '"');

	if (!name)
		return -ENOMEM;
	cs_steps_add(&r->steps, "pod", "pod.runtime-class",
		     "runtimeClassName %s: the RuntimeClass and its handler's settings are "
		     "not read; predicted for the runtime's default handler (a handler of "
		     "its own may give other sets: containerd's base_runtime_spec, a VM "
		     "runtime such as Kata, gVisor)",
		     name);
	return 0;
}

/* Admission: the SCC's result (or plain Kubernetes), then the API server's validation. */
static int admit(struct pod_work *w)
{
	struct cs_pod_ctr_result *r = w->r;
	const struct cs_pod_explain_result *pod = w->pod;
	cs_cleanup_free char *a = NULL, *b = NULL, *name = NULL;
	struct cs_diag d = {0};

	cs_k8s_effective_sc(pod->pod, r->c, &r->req);
	if (pod->scc_modelled) {
		r->admitted = pod->scc.admitted;
		r->scc_name = pod->scc.chosen ? pod->scc.chosen->name : NULL;
		r->reason = container_reason(&pod->scc, w->scc_reason_len);
		r->adm = pod->scc.admitted ? pod->scc.sc[r->index] : r->req;
	} else {
		r->admitted = true;
		r->adm = r->req;
		r->reason = strdup("no SCC admission modelled (plain Kubernetes)");
	}
	/* Names as words of the sentence (lib/word.c): a capability "X] drop [ALL"
	 * or "A,SYS_ADMIN" is quoted, so it cannot imitate the list's end. */
	a = cs_words_join((const char *const *)r->req.add.v, r->req.add.n);
	b = cs_words_join((const char *const *)r->req.drop.v, r->req.drop.n);
	name = cs_word_dup(r->c->name, '"');
	if (!r->reason || !a || !b || !name)
		return -ENOMEM;
	cs_steps_add(&r->steps, "pod", "pod.requested", "%s %s: capabilities add [%s] drop [%s]%s",
		     cs_k8s_ctr_kind_name(r->c->kind), name, a, b,
		     r->req.caps_set ? "" : " (no capabilities field)");
	if (pod->pod->runtime_class && runtime_class_step(r, pod->pod->runtime_class) < 0)
		return -ENOMEM;
	/* Podman's kube play has no API server in front of it. */
	if (r->admitted && has_kubelet(w->o)) {
		const char *why = cs_k8s_api_rejects(&r->adm, &d) ? d.message
				  : w->ids_rejected		  ? w->ids_diag.message
								  : NULL;

		if (why) {
			r->admitted = false;
			free(r->reason);
			if (!(r->reason = strdup(why)))
				return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Podman's user string (kube play's setupSecurityContext: runAsUser as a
 * number, runAsGroup alone as "0:GID", else the image's USER) says root:
 * its part before ':' is "", "root" or "0".
 */
static bool podman_root_string(const struct cs_k8s_sc *sc, const char *image_user)
{
	size_t n = strcspn(image_user, ":");

	if (sc->run_as_user.set)
		return sc->run_as_user.v == 0;
	if (sc->run_as_group.set)
		return true;
	return n == 0 || (n == 4 && !strncmp(image_user, "root", 4)) ||
	       (n == 1 && image_user[0] == '0');
}

/*
 * Past one of the model's fixed lists (E2BIG, d says which): no runtime
 * refuses such a container, so it is no refused container; it is reported
 * as not modelled and the pod's other containers still are (a pod whose
 * user's /etc/group lists it in 300 groups stopped the whole run).
 */
static int not_modelled(struct cs_pod_ctr_result *r, const struct cs_diag *d)
{
	char buf[800];

	cs_diag_format(d, buf, sizeof(buf));
	cs_steps_add(&r->steps, "pod", "pod.not-modelled", "not modelled: %s", buf);
	free(r->exec_error);
	r->not_modelled = strdup(buf);
	r->exec_error = strdup("NotModelled");
	return r->not_modelled && r->exec_error ? 1 : -ENOMEM;
}

/*
 * The pod's supplementalGroups into w->groups, as written when they fit;
 * once per pod, as each container's request carries the same. Past the
 * model's bound they were dropped in silence until session 16 (300 groups:
 * "256 in all", the last 44 in no prediction): now repeats are dropped
 * (the runtime's merge drops them too) and a 257th distinct group sets
 * w->groups_diag, which makes each container not modelled, as the merge
 * does past the bound (lib/runtime/cri-groups.c).
 */
static void pod_groups(const struct cs_k8s_pod *pod, struct pod_work *w)
{
	size_t n = pod->n_supplemental_groups;

	w->n_groups = 0;
	for (size_t k = 0; k < n; k++) {
		gid_t g = (gid_t)pod->supplemental_groups[k];
		size_t j = 0;

		while (n > CS_OCI_MAX_GROUPS && j < w->n_groups && w->groups[j] != g)
			j++;
		if (n > CS_OCI_MAX_GROUPS && j < w->n_groups)
			continue; /* a repeat */
		if (w->n_groups == CS_OCI_MAX_GROUPS) {
			cs_diag_set(&w->groups_diag, E2BIG, 0, 0, "supplementalGroups",
				    "more than %d supplementary groups: the model holds at most %d",
				    CS_OCI_MAX_GROUPS, CS_OCI_MAX_GROUPS);
			w->groups_over = true;
			return;
		}
		w->groups[w->n_groups++] = g;
	}
}

/* The CRI request the kubelet sends, merged by the runtime into the OCI process. */
static int create(struct pod_work *w, const struct cs_k8s_sc *sc, uid_t uid, gid_t gid)
{
	struct cs_pod_ctr_result *r = w->r;
	const struct cs_k8s_pod *pod = w->pod->pod;
	const char *cwd;
	struct cs_cri_request req = {0};
	struct cs_diag d = {0};
	int rc;
	struct cs_opt_i64 fsg =
	    w->pod->scc_modelled && w->pod->scc.admitted ? w->pod->scc.fs_group : pod->fs_group;

	const char *iu = w->config && w->config->user ? w->config->user : "";

	if (w->groups_over)
		return not_modelled(r, &w->groups_diag);
	req.fs_group_set = fsg.set;
	req.fs_group = (gid_t)fsg.v;
	req.members = &w->members;
	/* cri-dockerd writes "UID:GID" for runAsGroup; kube play also keeps
	 * the image USER whole when the pod names neither. */
	req.group_explicit =
	    sc->run_as_group.set || (!has_kubelet(w->o) && !sc->run_as_user.set && strchr(iu, ':'));
	req.user_given = sc->run_as_user.set || sc->run_as_group.set || *iu;
	req.strict_groups = strict_groups(w);
	req.user_string_root = podman_root_string(sc, iu);
	req.add = r->adm.caps_set ? r->adm.add.v : NULL;
	req.n_add = r->adm.caps_set ? r->adm.add.n : 0;
	req.drop = r->adm.caps_set ? r->adm.drop.v : NULL;
	req.n_drop = r->adm.caps_set ? r->adm.drop.n : 0;
	req.privileged = r->adm.privileged.set && r->adm.privileged.v;
	/*
	 * The kubelet leaves no_new_privs off for privileged containers; Podman's
	 * kube play has no kubelet and sets it whenever allowPrivilegeEscalation
	 * is false (docs/runtimes.md).
	 */
	req.no_new_privs = has_kubelet(w->o) ? cs_kubelet_no_new_privs(&r->adm)
					     : r->adm.allow_privilege_escalation.set &&
						   !r->adm.allow_privilege_escalation.v;
	req.uid = uid;
	req.gid = gid;
	req.groups = w->groups;
	req.n_groups = w->n_groups;
	req.user_namespace = pod->host_users.set && !pod->host_users.v;
	req.userns_base = w->o->userns_base;
	memset(&w->oci, 0, sizeof(w->oci));
	if ((rc = merge(w->o, &req, &w->oci, &r->steps, &d)) < 0) {
		if (rc == -E2BIG)
			return not_modelled(r, &d);
		cs_steps_add(&r->steps, "runtime", "runtime.refused", "%s", d.message);
		return fail(r, "CreateContainerError", d.message) < 0 ? -ENOMEM : 1;
	}
	/* The image's Env goes into process.env as it is (the pod's own names
	 * cannot be empty: the API server refuses them). */
	w->oci.env_empty_name = w->config && w->config->env_empty_name;
	/* runc's validateProcessSpec: "Cwd must be an absolute path", nothing is created. */
	if ((cwd = pod_cwd(w)) && cwd[0] != '/') {
		char buf[300], word[CS_WORD_ROOM];

		/* the directory as one word of the step (lib/word.c) */
		snprintf(buf, sizeof(buf),
			 "the working directory %s is not an absolute path: runc refuses "
			 "the container (Cwd must be an absolute path)",
			 cs_word_clip(word, sizeof(word), cwd));
		cs_steps_add(&r->steps, "runtime", "runc.cwd", "%s", buf);
		return fail(r, "CreateContainerError", buf) < 0 ? -ENOMEM : 1;
	}
	r->oci_ok = true;
	if (!(r->oci = malloc(sizeof(*r->oci))))
		return -ENOMEM;
	*r->oci = w->oci;
	return 0;
}

/* Why nothing is known about the entrypoint, or what went wrong finding it. */
static char *file_note(const struct pod_work *w, const char *arg0)
{
	const struct cs_exec_file *f = &w->f;
	const char *where = w->image ? "the image" : "the rootfs";
	struct cs_image_stat st;

	if (w->r->image_missing)
		return cs_strf("assumed plain: its image was not given (--image REF=ARCHIVE)");
	if (!w->kimg.fs_given)
		return cs_strf("assumed plain: no --rootfs or --image");
	if (w->arg0_unknown)
		return cs_strf("assumed plain: the command's $(...) depends on what the manifest "
			       "does not hold (valueFrom, envFrom, a service link) or expands past "
			       "64 lookups or 64 KiB");
	if (w->path_unknown && arg0 && !strchr(arg0, '/'))
		return cs_strf("assumed plain: the container's PATH comes from what the manifest "
			       "does not hold (valueFrom, envFrom, a service link) or expands past "
			       "64 lookups or 64 KiB");
	if (!arg0)
		return cs_strf("assumed plain: neither the pod nor %s names a command",
			       w->config ? "the image config" : "an image config");
	if (f->interp) {
		const struct cs_exec_file *last = cs_exec_file_final(f);

		if (!last->error)
			return NULL;
		return cs_strf("its \"#!\" interpreter cannot be executed in %s (%s): the "
			       "process cannot start",
			       where, cs_errno_name(last->error));
	}
	if (!f->error)
		return NULL;
	if (w->image && strchr(arg0, '/') && cs_image_lookup(w->image, arg0, false, &st) == 0) {
		mode_t mode = st.mode;

		cs_image_stat_clear(&st);
		if (S_ISLNK(mode))
			return cs_strf(
			    "a dangling symbolic link in %s (%s): the process cannot start", where,
			    cs_errno_name(f->error));
	}
	return cs_strf("not found in %s (%s): the process cannot start", where,
		       cs_errno_name(f->error));
}

/* The entrypoint as named, and what its "#!" chain (if any) ends at. */
static int keep_file(struct pod_work *w, const char *arg0)
{
	struct cs_explain_file *k = &w->r->file;
	const struct cs_exec_file *last = cs_exec_file_final(&w->f);

	k->path = strdup(w->f.path);
	k->unnamed = w->f.unnamed;
	if (last != &w->f && !(k->interpreter = strdup(last->path)))
		return -ENOMEM;
	k->known = last->known;
	k->error = last->error;
	k->mode = last->mode;
	k->owner_uid = last->owner_uid;
	k->owner_gid = last->owner_gid;
	k->fcaps_state = last->fcaps_state;
	k->fcaps = last->fcaps;
	if (!k->path)
		return -ENOMEM;
	if (k->known && !k->error)
		return 0;
	k->note = file_note(w, arg0);
	return k->note || (w->kimg.fs_given && arg0 && !k->error) ? 0 : -ENOMEM;
}

/*
 * The pod's env entry the kubelet passes as "NAME=value" of 128 KiB or more
 * with its NUL (MAX_ARG_STRLEN, 4 KiB pages), NULL when none: a value known
 * exactly (no '$', not valueFrom) that no later entry of its name replaces
 * (the kubelet keeps the last). Only such long entries are compared with the
 * later ones: a 4 MB manifest holds at most 32.
 */
static const struct cs_k8s_env *env_too_long(const struct cs_k8s_container *c)
{
	for (size_t i = 0; i < c->n_env; i++) {
		const struct cs_k8s_env *e = &c->env[i];
		size_t k;

		if (!e->name || !e->value || strchr(e->value, '$') ||
		    strlen(e->name) + strlen(e->value) + 2 <= 32u * 4096u)
			continue;
		for (k = i + 1;
		     k < c->n_env && strcmp(c->env[k].name ? c->env[k].name : "", e->name); k++)
			;
		if (k == c->n_env)
			return e;
	}
	return NULL;
}

/*
 * A line execve certainly refuses (cs_kubelet_argv's flag 2, or an env entry
 * past MAX_ARG_STRLEN): its reason into the process, where
 * cs_oci_predict_from puts step execve.e2big after runc's own refusals and
 * the file's open, and before any execve credential step (none happens).
 */
static void argv_too_big(struct pod_work *w)
{
	const struct cs_k8s_env *e = w->argv_e2big ? NULL : env_too_long(w->r->c);
	char *why = w->oci.exec_e2big;
	size_t len = sizeof(w->oci.exec_e2big);
	char word[48]; /* the env name, one word (lib/word.c) */

	why[0] = '\0';
	if (e)
		snprintf(why, len,
			 "env %s (line %u) is %zu bytes as NAME=value: a string of 128 KiB or "
			 "more (MAX_ARG_STRLEN): execve fails with E2BIG (argument list too "
			 "long), the process does not start",
			 cs_word_clip(word, sizeof(word), e->name), e->pos.line,
			 strlen(e->name) + strlen(e->value) + 1);
	else if (w->argv_e2big)
		snprintf(why, len,
			 "the command line has a word of 128 KiB or more (MAX_ARG_STRLEN), or "
			 "its words and their pointers pass 6 MiB, the most execve copies "
			 "whatever the stack limit: execve fails with E2BIG (argument list too "
			 "long), the process does not start");
}

/*
 * runc writes the sysctls in its init, before execve; a value the kernel
 * refuses fails the container there (runc 1.1 here: "error during
 * container init: write /proc/sys/net/ipv4/ip_unprivileged_port_start:
 * invalid argument" for "junk" and 40000; truth/sysctl-refused-runc). The
 * model said the default 1024 stayed and the process started. Two port
 * sysctls that meet can fail in one order of runc's writes and not in the
 * other: a step says so, and the container starts (the kubelet retries;
 * truth/sysctl-order-runc).
 */
static int sysctl_refused(struct pod_work *w)
{
	if (w->port_some)
		cs_steps_add(&w->r->steps, "oci", "runc.sysctl-order", "%s", w->port_some);
	if (w->sysctl_untold)
		cs_steps_add(&w->r->steps, "oci", "runc.sysctl-untold", "%s", w->sysctl_untold);
	if (!w->port_refused)
		return 0;
	cs_steps_add(&w->r->steps, "oci", "runc.sysctl-refused", "%s", w->port_refused);
	return fail(w->r, "RunContainerError", w->port_refused) < 0 ? -ENOMEM : 1;
}

/* Find the entrypoint and run runc's steps and execve. */
static int start(struct pod_work *w)
{
	struct cs_pod_ctr_result *r = w->r;
	const char *arg0;
	struct cs_diag d = {0};
	char buf[300];
	int rc;

	free(w->argv);
	w->argv = NULL;
	free(w->path_env);
	w->path_env = NULL;
	if ((rc = runtime_argv(w, &w->argv, &w->argc)) < 0)
		return rc;
	w->arg0_unknown = rc & 1;
	w->argv_e2big = rc & 2;
	if ((rc = cs_kubelet_path(r->c, &w->path_env)) < 0)
		return rc;
	w->path_unknown = rc == 1;
	arg0 = w->argc ? w->argv[0] : NULL;
	cs_exec_file_clear(&w->f);
	if (w->kimg.fs_given && arg0 && !w->arg0_unknown) {
		if ((rc = cs_pod_resolve(w, arg0, &w->f, &d)) < 0) {
			if (rc == -ENOMEM || rc == -E2BIG) /* E2BIG: w->d says it */
				return rc;
			snprintf(buf, sizeof(buf), "rootfs: %s", d.message);
			return fail(r, "CreateContainerError", buf) < 0 ? -ENOMEM : 1;
		}
	} else {
		if (cs_exec_file_set_path(&w->f, arg0 ? arg0 : "(the image's entrypoint)") < 0)
			return -ENOMEM;
		w->f.known = false;
		/* Twenty-fifth pass, part A: the placeholder was named as a file
		 * ("(the\x20image's\x20entrypoint)", "about \"(the image's
		 * entrypoint)\""), word for word what a pod whose command is that
		 * text gave. */
		w->f.unnamed = !arg0;
	}
	argv_too_big(w);
	/* The file is named (and, with an image, resolved) first, so the
	 * answer shows the entrypoint runc would have run. */
	if ((rc = sysctl_refused(w)) < 0)
		return rc;
	if (rc)
		return keep_file(w, arg0) < 0 ? -ENOMEM : 1;
	if (cs_oci_predict_from(&w->oci, w->o->caller, &w->f, &w->pre, &w->post, &w->res,
				&r->steps) < 0)
		return keep_file(w, arg0) < 0 || !(r->exec_error = strdup("EINVAL")) ? -ENOMEM : 1;
	/* runc took a later $PATH entry's file: that is the entrypoint shown and judged. */
	if ((rc = cs_exec_file_take_path_next(&w->f, w->res.path_index)) < 0 ||
	    (rc = keep_file(w, arg0)) < 0)
		return rc;
	r->pre.euid = w->pre.uid[1];
	r->pre.caps = w->pre.caps;
	r->pre.no_new_privs = w->pre.no_new_privs;
	r->exec.ok = w->res.ok;
	r->exec.error = w->res.error;
	r->exec_ok = w->res.ok;
	if (!w->res.ok)
		return (r->exec_error = strdup(cs_errno_name(w->res.error))) ? 1 : -ENOMEM;
	if (!(r->post = malloc(sizeof(*r->post))))
		return -ENOMEM;
	*r->post = w->post;
	return cs_pod_model_helper(w);
}

/*
 * Every runtime reads the image's /etc/passwd with runc's user package for
 * every container, a numeric user too (containerd's WithUserID and
 * WithAdditionalGIDs, CRI-O's GetUserInfo, Docker's getUser, Podman's
 * lookup): a line its bufio.Scanner cannot hold fails the create. Real
 * Podman here: a 65535-byte line is read, a 65536-byte one gives "unable to
 * find user 0: bufio.Scanner: token too long".
 */
static int passwd_unreadable(struct pod_work *w)
{
	size_t line;
	char buf[200];

	if (!w->kimg.fs_given || !(line = cs_etc_index_unreadable_line(w->kimg.index)))
		return 0;
	snprintf(buf, sizeof(buf),
		 "the image's /etc/passwd line %zu is 65536 bytes or longer: the runtime's "
		 "passwd reader (runc's user package) fails with \"bufio.Scanner: token too "
		 "long\"",
		 line);
	return fail(w->r, "CreateContainerError", buf) < 0 ? -ENOMEM : 1;
}

/*
 * With the image config known, a command line that ends up empty (no
 * command or args in the pod, no Entrypoint or Cmd in the image, after the
 * runtime's merge) is refused before anything is created: containerd's CRI
 * and CRI-O say "no command specified", Docker (mergeAndVerifyConfig) too.
 * It was shown as "(the image's entrypoint)" and predicted to run.
 * 1: refused.
 */
static int no_command(struct pod_work *w)
{
	const char **v = NULL;
	size_t n = 0;
	int rc;
	static const char why[] =
	    "no command specified: neither the pod (command, args) nor the image config "
	    "(Entrypoint, Cmd) gives a command line (containerd and Docker take an "
	    "Entrypoint of [\"\"] as none); the runtime refuses the container";

	/* Without the image config the line is unknown, unless Docker merges none of it. */
	if (!w->config && !(w->o->runtime == CS_CRI_DOCKER && empty_entrypoint(&w->r->c->command)))
		return 0;
	if ((rc = runtime_argv(w, &v, &n)) < 0)
		return rc;
	free(v);
	if (n)
		return 0;
	cs_steps_add(&w->r->steps, "runtime", "runtime.no-command", "%s", why);
	return fail(w->r, "CreateContainerError", why) < 0 ? -ENOMEM : 1;
}

/* Admission, user, runtime, execve: each stage may end the container's story (rc 1). */
static int model(struct pod_work *w)
{
	struct cs_pod_ctr_result *r = w->r;
	struct cs_diag d = {0};
	struct cs_k8s_sc sc;
	uid_t uid;
	gid_t gid;
	int rc, rc2;

	if ((rc = admit(w)) < 0)
		return rc;
	if (!r->admitted) {
		cs_steps_add(&r->steps, "pod", "pod.not-admitted", "%s", r->reason);
		return (r->exec_error = strdup("Forbidden")) ? 1 : -ENOMEM;
	}
	if ((rc = sysctl_forbidden(w)) != 0 || (rc = os_refused(w)) != 0 ||
	    (rc = strict_refused(w)) != 0)
		return rc;
	sc = r->adm;
	if (!has_kubelet(w->o))
		sc.run_as_non_root.set = false; /* kube play does not verify it */
	/* The kubelet's own refusals (verifyRunAsNonRoot, CreateContainerConfigError)
	 * come before any runtime reads the image's /etc/passwd: the real
	 * containerd's matrix (truth/containerd-base-spec, seed 5) refused
	 * runAsUser 0 with runAsNonRoot for an image whose passwd has a 64 KiB
	 * line, where the model said the passwd read fails. */
	rc = cs_kubelet_user(&sc, &w->kimg, &uid, &gid, &r->steps, &d);
	/* Out of memory is the explanation's error, not the kubelet's verdict:
	 * the user's name not copied was "does not start
	 * (CreateContainerConfigError)" with no reason, and `scan --diff`
	 * said the entrypoint's credentials differ, exit 1 (twenty-eighth
	 * pass, part C). */
	if (cs_short_of(rc))
		return rc;
	if (rc == -EPERM)
		return fail(r, cs_kubelet_error_name(rc), d.message) < 0 ? -ENOMEM : 1;
	if ((rc2 = passwd_unreadable(w)) != 0)
		return rc2;
	if (rc < 0)
		return fail(r, cs_kubelet_error_name(rc), d.message) < 0 ? -ENOMEM : 1;
	if ((rc = cs_image_member_groups(&sc, &w->kimg, uid, &w->members, &d)) < 0) {
		if (rc != -E2BIG)
			return rc;
		cs_diag_file(&d, w->etc_group_name);
		return not_modelled(r, &d);
	}
	if ((rc = no_command(w)) != 0 || (rc = create(w, &sc, uid, gid)) != 0)
		return rc;
	return start(w);
}

/*
 * An /etc file the runtimes would read and the model cannot (too large, not
 * a regular file, an I/O error): refused by name, never taken as missing.
 */
static int etc_unreadable(const char *name, int rc, struct cs_diag *d)
{
	return cs_diag_set(d, -rc, 0, 0, NULL, "%s: %s", name,
			   rc == -EFBIG ? "larger than the model reads (1 MiB)"
			   /* an image's file whose bytes were neither kept nor read
			      again (lib/scan/image.c fetch_etc): not expected */
			   : rc == -ENODATA ? "its bytes were not read from the image"
			   : rc == -EINVAL  ? "not a regular file"
					    : strerror(-rc));
}

/*
 * An image's /etc/passwd or /etc/group (data, len; NULL: absent). Only a
 * missing file is absent to the runtimes (a lookup by name then fails, by
 * number goes on); one the model did not keep (over 1 MiB) or cannot read
 * is refused, where it was taken as missing and a listed user was said
 * not to be.
 */
static int image_etc(struct cs_image *image, const char *path, const char **data, size_t *len,
		     struct cs_diag *d)
{
	int rc = cs_image_read_small(image, path, data, len);
	char name[64];

	snprintf(name, sizeof(name), "the image's %s", path);
	if (rc == -E2BIG) { /* the image's lookups over their bound: not a missing file */
		(void)cs_image_lookup_bound(image, d);
		return rc;
	}
	if (rc == -ENOENT) {
		*data = NULL;
		*len = 0;
		return 0;
	}
	if (rc < 0)
		return etc_unreadable(name, rc, d);
	return cs_etc_file_check(name, *data, *len, d);
}

/*
 * w->image's /etc files (the rootfs's when NULL), read, checked and indexed
 * the first time a container runs it; the same entry for the others.
 */
static int etc_of(struct pod_work *w, const struct pod_etc **out)
{
	struct pod_etc e = {.image = w->image}, *v;
	int rc;

	snprintf(e.group_name, sizeof(e.group_name), "%s/etc/group",
		 w->image ? "the image's " : w->o->rootfs);

	for (size_t i = 0; i < w->n_etc; i++)
		if (w->etc[i].image == w->image)
			return *out = &w->etc[i], 0;
	if (!w->image) {
		e.passwd = w->rootfs_passwd;
		e.passwd_len = w->rootfs_passwd_len;
		e.group = w->rootfs_group;
		e.group_len = w->rootfs_group_len;
	} else if ((rc = image_etc(w->image, "/etc/passwd", &e.passwd, &e.passwd_len, w->d)) < 0 ||
		   (rc = image_etc(w->image, "/etc/group", &e.group, &e.group_len, w->d)) < 0) {
		return rc;
	}
	if (!(v = realloc(w->etc, (w->n_etc + 1) * sizeof(*v))))
		return -ENOMEM;
	w->etc = v;
	if (cs_etc_index_new(e.passwd, e.passwd_len, e.group, e.group_len, &e.index) < 0)
		return -ENOMEM;
	w->etc[w->n_etc] = e;
	*out = &w->etc[w->n_etc++];
	return 0;
}

/*
 * The image this container runs: the one --image or --rootfs gave for all,
 * else the --image REF=ARCHIVE pair its image: names. The kubelet's view
 * (config, passwd) follows it.
 */
static int pick_image(struct pod_work *w)
{
	const struct cs_pod_explain_opts *o = w->o;
	struct cs_pod_ctr_result *r = w->r;
	const struct pod_etc *e;
	int rc;

	w->image = o->image;
	w->config = o->image_config;
	if (o->images && !o->image && !o->rootfs) {
		r->image_pair = cs_image_map_find(o->images, r->c->image);
		r->image_missing = !r->image_pair;
		w->image = r->image_pair ? r->image_pair->image : NULL;
		if (w->image && !w->config)
			w->config = cs_image_get_info(w->image)->config;
	}
	w->kimg = (struct cs_kubelet_image){
	    .config = w->config, .fs_given = o->rootfs || w->image, .whole_user = !has_kubelet(o)};
	if (!w->kimg.fs_given)
		return 0;
	if ((rc = etc_of(w, &e)) < 0)
		return rc;
	w->kimg.passwd = e->passwd;
	w->kimg.passwd_len = e->passwd_len;
	w->kimg.group = e->group;
	w->kimg.group_len = e->group_len;
	w->kimg.index = e->index;
	w->etc_group_name = e->group_name;
	return 0;
}

static int container(struct pod_work *w, size_t i, struct cs_pod_ctr_result *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->index = i;
	r->c = &w->pod->pod->containers[i];
	w->r = r;
	cs_steps_init(&r->steps);
	if ((rc = pick_image(w)) < 0)
		return rc;
	if ((rc = model(w)) < 0)
		return rc;
	if (r->not_modelled)
		return r->steps.error ? -ENOMEM : 0;
	if ((rc = cs_pod_checks(w)) < 0 || (rc = cs_pod_verdicts(w)) < 0)
		return rc;
	if (!w->o->no_remedies &&
	    (rc = cs_pod_remedies(r, w->pod->pod, w->o->runtime, &r->remedies, &r->n_remedies)) < 0)
		return rc;
	return r->steps.error ? -ENOMEM : 0;
}

/* SCC admission (when modelled) and Pod Security, for the whole pod. */
static int pod_level(const struct cs_k8s_pod *pod, const struct cs_pod_explain_opts *o,
		     struct cs_pod_explain_result *res)
{
	struct cs_scc_opts so = {.uid_range_start = o->uid_range_start,
				 .uid_range_size = o->uid_range_size,
				 .granted = o->granted,
				 .n_granted = o->n_granted};
	const struct cs_psa_result *psa = &res->psa;

	res->pod = pod;
	res->scc_modelled = o->use_scc;
	cs_steps_init(&res->steps);
	if (o->use_scc && cs_scc_admit(pod, o->sccs, o->n_sccs, &so, &res->scc, &res->steps) < 0)
		return -ENOMEM;
	const struct cs_k8s_sc *scv = o->use_scc && res->scc.admitted ? res->scc.sc : NULL;

	if ((o->psa_level_only ? cs_psa_level(pod, scv, &res->psa)
	     : o->psa_next_only
		 ? cs_psa_evaluate_next(pod, scv, &res->psa, sizeof(res->steps.v->detail))
		 : cs_psa_evaluate(pod, scv, &res->psa)) < 0)
		return -ENOMEM;
	cs_steps_add(&res->steps, "pod", "psa.level", "Pod Security level %s%s%s%s%s",
		     cs_psa_level_name(psa->level), psa->baseline_fail ? "; not baseline: " : "",
		     psa->baseline_fail ? psa->baseline_fail : "",
		     psa->restricted_fail ? "; not restricted: " : "",
		     psa->restricted_fail ? psa->restricted_fail : "");
	/* A privileged pod's restricted reasons: a head for the step alone. */
	if (o->psa_next_only && psa->level == CS_PSA_PRIVILEGED) {
		free(res->psa.restricted_fail);
		res->psa.restricted_fail = NULL;
	}
	return res->steps.error ? -ENOMEM : 0;
}

static void work_free(struct pod_work *w)
{
	free(w->argv);
	free(w->path_env);
	cs_exec_file_clear(&w->f);
	cs_exec_file_clear(&w->hf);
	free(w->unpriv_port_why);
	free(w->port_refused);
	free(w->port_some);
	free(w->sysctl_untold);
	for (size_t i = 0; i < w->n_etc; i++)
		cs_etc_index_free(w->etc[i].index);
	free(w->etc);
	free(w);
}

CS_DEFINE_CLEANUP(struct pod_work, work_free)

/*
 * The rootfs directory's /etc/passwd and /etc/group, read once per pod (an image's is in
 * memory), inside the rootfs as the runtime reads it: a link to
 * ../../../host/file or /etc/passwd stays in the rootfs (it read the host's
 * file, and a user only the host lists was predicted), and a FIFO there is
 * refused instead of waited on.
 */
static int read_etc(const struct cs_pod_explain_opts *o, int root, const char *path, char **out,
		    size_t *len, struct cs_diag *d)
{
	int rc = root < 0 ? -errno : cs_read_regular_file_in_root(root, path, 1u << 20, out, len);
	char name[4096];

	snprintf(name, sizeof(name), "%s%s", o->rootfs, path);

	/* Only a missing file is absent to the runtimes; anything else would have been
	 * taken as missing (a listed user said not to be), so it is refused. */
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return etc_unreadable(name, rc, d);
	return cs_etc_file_check(name, *out, *len, d);
}

static int read_passwd(const struct cs_pod_explain_opts *o, struct pod_work *w, char **owned,
		       char **group, struct cs_diag *d)
{
	int rc;

	*owned = *group = NULL;
	if (o->rootfs && !o->image) {
		cs_cleanup_close int root = open(o->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

		if ((rc = read_etc(o, root, "/etc/passwd", owned, &w->rootfs_passwd_len, d)) < 0 ||
		    (rc = read_etc(o, root, "/etc/group", group, &w->rootfs_group_len, d)) < 0)
			return rc;
		w->rootfs_passwd = *owned;
		w->rootfs_group = *group;
	}
	return 0;
}

static int image_etc_check(struct cs_image *image, struct cs_diag *d)
{
	const char *data;
	size_t len;
	int rc = image_etc(image, "/etc/passwd", &data, &len, d);

	return rc < 0 ? rc : image_etc(image, "/etc/group", &data, &len, d);
}

int cs_pod_explain_check_files(const struct cs_pod_explain_opts *o, struct cs_diag *d)
{
	struct pod_work w = {.o = o};
	cs_cleanup_free char *passwd = NULL;
	cs_cleanup_free char *group = NULL;
	int rc = read_passwd(o, &w, &passwd, &group, d);

	/* A user listed in more groups than the model holds is its container's
	 * "not modelled", found when it is modelled, not a refusal of the run. */
	if (rc == 0 && o->image)
		rc = image_etc_check(o->image, d);
	for (size_t i = 0; rc == 0 && o->images && !o->image && !o->rootfs && i < o->images->n; i++)
		rc = image_etc_check(o->images->v[i].image, d);
	return rc;
}

int cs_pod_explain(const struct cs_k8s_pod *pod, const struct cs_pod_explain_opts *o,
		   struct cs_pod_explain_result **out, struct cs_diag *d)
{
	__attribute__((cleanup(cs_pod_explain_freep))) struct cs_pod_explain_result *res =
	    calloc(1, sizeof(*res));
	__attribute__((cleanup(work_freep))) struct pod_work *w = calloc(1, sizeof(*w));
	cs_cleanup_free char *passwd = NULL;
	cs_cleanup_free char *group = NULL;
	struct cs_pod_ctr_result one;
	int rc;

	*out = NULL;
	if (!res || !w)
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	w->o = o;
	w->pod = res;
	w->d = d;
	if ((rc = read_passwd(o, w, &passwd, &group, d)) < 0)
		return rc;
	if ((rc = pod_level(pod, o, res)) < 0)
		return cs_diag_set(d, -rc, 0, 0, NULL, "out of memory");
	w->ids_rejected = has_kubelet(o) && cs_k8s_api_rejects_ids(pod, &w->ids_diag);
	/* once per pod: each container asking again costs containers x sysctls */
	if (has_kubelet(o) && (w->sysctl_forbidden = cs_kubelet_sysctl_forbidden(
				   pod, o->unsafe_sysctls, o->n_unsafe_sysctls, w->forbidden_sysctl,
				   sizeof(w->forbidden_sysctl))) < 0)
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	if (cs_pod_port_sysctls(w, &w->port_refused, &w->port_some) < 0 ||
	    (!w->port_refused &&
	     cs_pod_sysctl_absent(w, &w->port_refused, &w->sysctl_untold) < 0) ||
	    (o->n_ports && cs_pod_port_start(w) < 0))
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	if (res->scc_modelled && cs_scc_reason_len(&res->scc, &w->scc_reason_len) < 0)
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	pod_groups(pod, w);
	res->all_ok = true;
	if (!o->on_container &&
	    !(res->containers = calloc(pod->n_containers + 1, sizeof(*res->containers))))
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	for (size_t i = 0; i < pod->n_containers; i++) {
		struct cs_pod_ctr_result *r = o->on_container ? &one : &res->containers[i];

		rc = container(w, i, r);
		if (!o->on_container)
			res->n_containers++;
		res->all_ok = res->all_ok && cs_pod_ctr_ok(r);
		if (rc == 0 && o->on_container)
			rc = o->on_container(res, r, o->data);
		if (o->on_container)
			ctr_free(r);
		if (rc < 0)
			return rc == -ENOMEM ? cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory")
					     : rc;
	}
	*out = cs_steal_ptr(res);
	return 0;
}
