/* SPDX-License-Identifier: MIT */
/*
 * One call per question, returning data:
 *   cs_oci_explain  — an OCI bundle's config (+ its rootfs or an image):
 *                     the first process's credentials, step by step;
 *   cs_pod_explain  — one pod of a manifest: SCC admission, Pod Security,
 *                     and per container the runtime's OCI process, the
 *                     kubelet's user, runc and execve, a verdict per
 *                     requested capability, the checks asked for, and
 *                     remedies ranked by risk.
 * Each result is freed with one call. The library never prints; the JSON
 * writers below are what `capscope explain … --json` prints, so every tool
 * built on the library speaks the same JSON.
 *
 * Ownership: result structs own every char * in them (heap strings);
 * `const` pointers borrow from the inputs (manifest, SCCs, image config),
 * which must outlive the result.
 */
#ifndef CAPSCOPE_EXPLAIN_H
#define CAPSCOPE_EXPLAIN_H

#include "cri.h"
#include "diag.h"
#include "json.h"
#include "k8s.h"
#include "kernel.h"
#include "psa.h"
#include "scc.h"
#include "steps.h"

struct cs_image;      /* scan.h */
struct cs_image_map;  /* image-ref.h */
struct cs_image_pair; /* image-ref.h */

/* Why a requested capability does or does not end effective: stable ids. */
enum cs_why {
	CS_WHY_EFFECTIVE_AMBIENT,     /* ambient, kept across execve */
	CS_WHY_EFFECTIVE_ROOT,	      /* euid 0 gets the bounding set */
	CS_WHY_EFFECTIVE_FCAPS,	      /* the file's +ep */
	CS_WHY_EXEC_FAILS,	      /* the process never starts (kernel/runc refusal) */
	CS_WHY_PERMITTED_ONLY,	      /* permitted, no effective file bit, euid not 0 */
	CS_WHY_NOT_IN_BOUNDING,	      /* not in the bounding set */
	CS_WHY_NONROOT_NOT_PERMITTED, /* not permitted before execve, uid not 0 */
	CS_WHY_NO_NEW_PRIVS,	      /* no_new_privs stops the gain at execve */
	CS_WHY_SECBIT_NOROOT,	      /* SECBIT_NOROOT */
	CS_WHY_AMBIENT_REFUSED,	      /* ambient asked, not permitted and inheritable */
	CS_WHY_FCAPS_ROOTID,	      /* v3 file caps of another namespace's root */
	CS_WHY_FCAPS_NOSUID,	      /* file caps on a nosuid mount */
	CS_WHY_AMBIENT_CLEARED,	      /* set-id or file-cap exec clears ambient */
	CS_WHY_NONROOT_NO_AMBIENT,    /* permitted, but non-root without file caps or ambient */
	CS_WHY_ALL,		      /* "ALL" was requested: see the sets */
	CS_WHY_NOT_ADMITTED,	      /* the pod is not admitted */
	CS_WHY_NOT_CREATED,	      /* the kubelet or runtime refuses to create it */
	CS_WHY_NOT_A_CAPABILITY,      /* not a capability name */
	CS_WHY_SCC_DROPPED,	      /* the SCC's requiredDropCapabilities */
	CS_WHY_RUNTIME_UNKNOWN_NAME,  /* the runtime spelled it as an unknown name */
	CS_WHY_RUNTIME_DROPPED,	      /* a drop wins over the add */
	CS_WHY_NOT_STARTED,	      /* the process does not start */
};

/* "effective-ambient", "nonroot-no-ambient", … (stable, for JSON and tests). */
CS_EXPORT const char *cs_why_id(enum cs_why why);

/* One requested capability. */
struct cs_cap_verdict {
	char *name; /* as requested (the manifest's spelling) */
	int cap;    /* -1: not a capability name (or "ALL") */
	bool effective;
	enum cs_why why;
	char *text;	  /* the full sentence */
	char *short_text; /* at most 60 characters, e.g. "non-root uid 1000, no ambient set" */
};

CS_EXPORT void cs_cap_verdict_free(struct cs_cap_verdict *v);

/*
 * The verdict for cap from the requested OCI sets, the credentials before
 * and after execve, the file and the steps the kernel model recorded. Fills
 * v (name is left alone); -ENOMEM when a string could not be allocated.
 */
CS_EXPORT int cs_explain_cap(int cap, const struct cs_quintet *requested, const struct cs_cred *pre,
			     const struct cs_cred *post, const struct cs_exec_file *f,
			     const struct cs_exec_result *res, const struct cs_steps *st,
			     struct cs_cap_verdict *v);

/*
 * The line an admission webhook puts into a warning:
 *   "container web: NET_BIND_SERVICE will not be effective (non-root uid 1000, no ambient set)"
 * (or "… will be effective (…)"). The container name is escaped and cut so
 * the line never exceeds CS_EXPLAIN_WARNING_MAX characters. Returns the
 * length written (buf holds at least CS_EXPLAIN_WARNING_MAX + 1 bytes).
 */
#define CS_EXPLAIN_WARNING_MAX 120
CS_EXPORT size_t cs_explain_warning(const char *container, const struct cs_cap_verdict *v,
				    char *buf, size_t len);

/* ---------- explain oci ---------- */

struct cs_oci_explain_opts {
	struct cs_image *image;	      /* find process.args[0] here, not in root.path (or NULL) */
	const struct cs_cred *caller; /* who starts runc; NULL: a full root */
};

struct cs_oci_explain_result {
	struct cs_exec_file file; /* the entrypoint, resolved */
	struct cs_cred pre, post; /* before and after execve */
	struct cs_exec_result exec;
	struct cs_steps steps;
	struct cs_cap_verdict *verdicts; /* one per requested capability, in bit order */
	size_t n_verdicts;
};

/*
 * Predict cfg's first process. Returns 0 (see exec.ok), -ENOMEM, or the
 * error resolving the entrypoint (d says why).
 */
CS_EXPORT int cs_oci_explain(const struct cs_oci_config *cfg, const struct cs_oci_explain_opts *o,
			     struct cs_oci_explain_result **out, struct cs_diag *d);
CS_EXPORT void cs_oci_explain_free(struct cs_oci_explain_result *r);
/* {"exec", "process", "steps"} */
CS_EXPORT void cs_oci_explain_json(struct cs_json *j, const struct cs_oci_explain_result *r);

/* ---------- explain pod ---------- */

/* A check the caller asked for. */
struct cs_check_result {
	char *check; /* "bind:443" */
	int port;
	bool ok;
	char *why;
};

/*
 * A remedy, ranked by risk (lowest first). Text from the manifest (the
 * container name, the entrypoint) is escaped in snippet and note
 * (cs_escape_text): they are meant to be pasted, a name with control
 * characters is invalid in Kubernetes anyway, and so every field here is
 * safe to print on a terminal as it is.
 */
struct cs_remedy {
	const char *id; /* "sysctl", "user-namespace", "ambient-helper", "file-caps",
			 * "root-dropped-caps", "setuid", "crio-default-capabilities" */
	const char *title;
	const char *risk; /* "low", "medium", "high" */
	char *snippet;	  /* paste-ready YAML / Dockerfile / TOML */
	char *note;	  /* the security trade-off */
	char *blocked_by; /* what in this pod stands in its way, or NULL */
};

/* What is known about the entrypoint file (the parts explain shows). */
struct cs_explain_file {
	char *path;
	/* When path is a "#!" script: the interpreter its chain ends at, which
	 * the mode, owner and capabilities below are of; else NULL. */
	char *interpreter;
	bool known;   /* false: assumed plain, or not found (error) */
	bool unnamed; /* path is a placeholder: no command was named (JSON: null) */
	char *note; /* when !known or error: why ("assumed plain: …", "not found in the image …") */
	int error; /* errno resolving it, 0 when found */
	mode_t mode;
	uid_t owner_uid;
	gid_t owner_gid;
	int fcaps_state; /* as in struct cs_exec_file */
	struct cs_fcaps fcaps;
};

/* The credentials at one stage, as the flow table shows them. */
struct cs_explain_stage {
	uid_t euid;
	struct cs_quintet caps;
	bool no_new_privs;
};

/* An ambient-raising helper as entrypoint (set_ambient, capscope run --ambient). */
struct cs_helper_result {
	char *what;
	bool ok;
	char *error; /* errno name when !ok */
	char *path;  /* the program it execs */
	struct cs_cred post;
};

struct cs_pod_ctr_result {
	size_t index; /* in pod->containers */
	const struct cs_k8s_container *c;
	struct cs_k8s_sc req; /* the effective securityContext as written */
	struct cs_k8s_sc adm; /* after SCC mutation (== req without SCC) */
	const char *scc_name; /* the chosen SCC, or NULL */
	bool admitted;
	char *reason;		    /* admission, or why it was not created */
	bool oci_ok;		    /* an OCI process was produced */
	struct cs_oci_process *oci; /* NULL unless oci_ok */
	bool exec_ok;
	char *exec_error; /* Forbidden, CreateContainerConfigError, EPERM … or NULL */
	struct cs_explain_file file;
	struct cs_explain_stage pre; /* runc's process before execve, once exec says it got there */
	struct cs_cred *post;	     /* NULL unless the exec succeeded */
	/* What execve did: ok, or error (an errno) once runc reached execve;
	 * both 0 when the container stopped before (admission, the kubelet,
	 * a rootfs it cannot resolve in, a sysctl runc cannot write). */
	struct cs_exec_result_summary {
		bool ok;
		int error;
	} exec;
	struct cs_steps steps; /* this container's steps (after the pod's) */
	struct cs_check_result *checks;
	size_t n_checks;
	struct cs_cap_verdict *verdicts;
	size_t n_verdicts;
	cs_mask_t missing;		 /* requested capabilities that do not end effective */
	struct cs_helper_result *helper; /* NULL: no helper recognised */
	struct cs_remedy *remedies;	 /* empty when nothing needs a remedy */
	size_t n_remedies;
	/* With --image REF=ARCHIVE pairs: the pair that gave this container's
	 * image, or NULL and image_missing when none names it. */
	const struct cs_image_pair *image_pair;
	bool image_missing;
	/*
	 * NULL, or why the model could not follow this container past a limit
	 * of its own that no runtime has (more than CS_OCI_MAX_GROUPS groups):
	 * file, line and message. Nothing is predicted from there (exec_error
	 * "NotModelled", no verdicts, checks or remedies); the pod's other
	 * containers are.
	 */
	char *not_modelled;
};

struct cs_pod_explain_result {
	const struct cs_k8s_pod *pod;
	bool scc_modelled;
	struct cs_scc_result scc;
	struct cs_psa_result psa;
	struct cs_steps steps; /* pod-level steps (SCC admission, Pod Security) */
	struct cs_pod_ctr_result *containers;
	size_t n_containers;
	bool all_ok; /* every capability effective, every check passed */
};

struct cs_pod_explain_opts {
	enum cs_cri_runtime runtime;
	/* The runtime's release and its own capabilities (--runtime NAME@VER,
	 * --runtime-caps); NULL: the current release of runtime, full caps. */
	const struct cs_cri_target *target;
	const struct cs_crio_config *crio; /* NULL: CRI-O's built-in defaults */
	/* The Pod Security level alone, without its reasons (cs_psa_level):
	 * for a caller that prints none of them (lint without --psa-level). */
	bool psa_level_only;
	/* The reasons the pod's report prints (cs_psa_evaluate_next): the
	 * level just above the pod's, and restricted's only as far as the
	 * psa.level step shows it, then freed (NULL for a privileged pod). */
	bool psa_next_only;
	/* No remedies made: for a caller that shows none (the webhook's review). */
	bool no_remedies;
	/* SCC admission (OpenShift): modelled when use_scc. */
	bool use_scc;
	const struct cs_scc *const *sccs;
	size_t n_sccs;
	const char *const *granted; /* SCCs the service account may use; NULL: all */
	size_t n_granted;
	uint32_t uid_range_start, uid_range_size;
	/* hostUsers: false pods: the node id their id 0 maps to (--userns-base);
	 * 0: the kubelet's first block, CS_USERNS_DEFAULT_BASE. */
	uint32_t userns_base;
	/* The node's kubelet --allowed-unsafe-sysctls, each passed by
	 * cs_kubelet_unsafe_sysctl_check; none: its default, the safe set alone
	 * (cs_kubelet_sysctl_forbidden). */
	const char *const *unsafe_sysctls;
	size_t n_unsafe_sysctls;
	/* The image: its config, and its files either in a directory or an image. */
	const struct cs_image_config *image_config; /* NULL: not given */
	const char *rootfs;
	struct cs_image *image;
	/*
	 * --image REF=ARCHIVE pairs (image-ref.h), used when neither rootfs nor
	 * image is given: each container gets the image its image: names, with
	 * that image's config unless image_config is given; a container whose
	 * image has no pair is modelled as without --image, and says so.
	 */
	const struct cs_image_map *images;
	const int *ports; /* --check bind:PORT */
	size_t n_ports;
	const struct cs_cred *caller; /* who starts runc; NULL: a full root */
	/*
	 * Streaming: when set, each container's result is handed over as soon
	 * as it is complete and freed when the callback returns, so memory does
	 * not grow with the number of containers; the pod result then holds no
	 * containers. A negative return stops and is returned.
	 */
	int (*on_container)(const struct cs_pod_explain_result *pod,
			    const struct cs_pod_ctr_result *c, void *data);
	void *data;
};

/*
 * The files every pod's explanation reads, checked once before any output:
 * the rootfs's or the images' /etc/passwd and /etc/group (one the model
 * cannot read as the runtimes do is refused, d naming it). 0 or -errno;
 * cs_pod_explain refuses the same, but a caller streaming its results would
 * have written part of them by then.
 */
CS_EXPORT int cs_pod_explain_check_files(const struct cs_pod_explain_opts *o, struct cs_diag *d);

/* Explain one pod. Returns 0, -ENOMEM, or what on_container returned (d set). */
CS_EXPORT int cs_pod_explain(const struct cs_k8s_pod *pod, const struct cs_pod_explain_opts *o,
			     struct cs_pod_explain_result **out, struct cs_diag *d);
CS_EXPORT void cs_pod_explain_free(struct cs_pod_explain_result *r);
/* The pod-level steps container c's report shows, in order, as up to 3
 * views into pod->steps (not to be freed or added to): the pod's own steps
 * and the chosen SCC's changes to c, without its changes to the others.
 * Returns how many. */
CS_EXPORT size_t cs_pod_steps_of(const struct cs_pod_explain_result *pod,
				 const struct cs_pod_ctr_result *c, struct cs_steps out[3]);
/* Are all requested capabilities effective and all checks passed? */
CS_EXPORT bool cs_pod_ctr_ok(const struct cs_pod_ctr_result *c);

/* One element of "containers": the object `capscope explain pod --json` prints. */
CS_EXPORT void cs_pod_ctr_explain_json(struct cs_json *j, const struct cs_pod_explain_result *pod,
				       const struct cs_pod_ctr_result *c);
/* {"containers": [...]} for a whole (non-streamed) result. */
CS_EXPORT void cs_pod_explain_json(struct cs_json *j, const struct cs_pod_explain_result *r);

/* ---------- shared JSON pieces (also used by capscope run) ---------- */

/* "steps": [{"layer", "rule", "detail"}] (the key is written by the caller). */
CS_EXPORT void cs_explain_json_steps(struct cs_json *j, const struct cs_steps *st);
/* "exec": {"ok", "error", "path", "interpreter"} value; path is the file
 * that was (or would have been) executed, interpreter the file its "#!"
 * chain ends at, whose credentials count (null for a binary). */
CS_EXPORT void cs_explain_json_exec(struct cs_json *j, const struct cs_exec_result *r,
				    const struct cs_exec_file *f);
/* "process": {"uids", "gids", "groups", "no_new_privs", "securebits", "caps"} value. */
CS_EXPORT void cs_explain_json_cred(struct cs_json *j, const struct cs_cred *c);

#endif
