/* SPDX-License-Identifier: MIT */
/*
 * explain pod, inside the library: the working state of one container
 * (full-size model structs, reused container after container) from which
 * the compact cs_pod_ctr_result is kept.
 */
#ifndef CAPSCOPE_EXPLAIN_POD_INTERNAL_H
#define CAPSCOPE_EXPLAIN_POD_INTERNAL_H

#include "capscope/explain.h"
#include "capscope/kubelet.h"

/*
 * An image's /etc/passwd and /etc/group (the rootfs's under image NULL),
 * read and indexed once for the run: with one lookup in the text per
 * container, 1,000 containers of an image with a 1 MB passwd took 3.5 s
 * (tenth pass, part D).
 */
struct pod_etc {
	const struct cs_image *image;
	const char *passwd, *group;
	size_t passwd_len, group_len;
	struct cs_etc_index *index;
	char group_name[256]; /* /etc/group's name in a message */
};

struct pod_work {
	const struct cs_pod_explain_opts *o;
	const struct cs_pod_explain_result *pod;
	/* This container's image: o->image or o->rootfs, else its --image REF=ARCHIVE pair. */
	struct cs_image *image;
	const struct cs_image_config *config;
	const char *rootfs_passwd; /* o->rootfs's /etc/passwd, read once per pod */
	size_t rootfs_passwd_len;
	const char *rootfs_group; /* and its /etc/group */
	size_t rootfs_group_len;
	struct cs_kubelet_image kimg;
	/* Each image's /etc files, read and indexed once for the run. */
	struct pod_etc *etc;
	size_t n_etc;
	const char *etc_group_name;	/* this container's /etc/group, named for a message */
	struct cs_image_groups members; /* the user's /etc/group memberships */
	/* The API server's refusal of the pod's uids and gids (cs_k8s_api_rejects_ids),
	 * found once per pod: it reads every container and supplementalGroup, and
	 * each container's admission asked it again (tenth pass: containers x
	 * groups, 11 s for a 1 MB review). */
	bool ids_rejected;
	struct cs_diag ids_diag;
	/* The kubelet's sysctl admission, once per pod: 1 and the sysctl it forbids. */
	int sysctl_forbidden;
	char forbidden_sysctl[256];
	/* The pod's SCC reason's length, measured once per pod: each container's
	 * strlen of it (it names every failing container under every SCC) made
	 * containers^2 x SCCs (fifteenth pass: 2,000 containers, 250 SCCs: 13.5 s). */
	size_t scc_reason_len;
	/* The pod's supplementalGroups as the CRI request carries them, made
	 * once per pod (pod_groups): a container's copy of them cost containers
	 * x groups past the model's 256. groups_over: more than 256, said by
	 * groups_diag. */
	gid_t groups[CS_OCI_MAX_GROUPS];
	size_t n_groups;
	bool groups_over;
	struct cs_diag groups_diag;
	struct cs_pod_ctr_result *r; /* being built */
	struct cs_diag *d;	     /* cs_pod_explain's, for an input the model refuses */
	/* The model's full state for r. */
	struct cs_oci_process oci;
	struct cs_exec_file f, hf;
	struct cs_cred pre, post;
	struct cs_exec_result res;
	const char **argv;
	size_t argc;
	/* The container's env: its PATH (NULL: the image's applies), and what
	 * the manifest does not hold (cs_kubelet_argv, cs_kubelet_path). */
	char *path_env;
	bool path_unknown, arg0_unknown;
	bool argv_e2big; /* execve certainly refuses the line (cs_kubelet_argv flag 2) */
	/* The port sysctls depend on the pod and the runtime alone: found
	 * once per pod. The port start a bind meets and why (with --check),
	 * and runc's writes (cs_pod_port_sysctls: refused in every order, in
	 * some). */
	int unpriv_port_start;
	char *unpriv_port_why;
	char *port_refused, *port_some;
	char *sysctl_untold; /* a sysctl of the pod not told there or not */
};

/* helper.c: an ambient-raising helper as entrypoint (needs w->post, w->argv). */
int cs_pod_model_helper(struct pod_work *w);
/* checks.c: --check bind:PORT. */
int cs_pod_checks(struct pod_work *w);
/* checks.c: w->unpriv_port_start and its why, for the pod (0, -ENOMEM). */
int cs_pod_port_start(struct pod_work *w);
/* port-sysctls.c: the ip_unprivileged_port_start runc writes and who sets
 * it (*crio: CRI-O's default_sysctls, else the pod); NULL when neither does. */
const char *cs_pod_port_start_written(const struct pod_work *w, bool *crio);
/* port-sysctls.c: where the runtime itself sets ip_unprivileged_port_start to 0. */
enum cs_port_zero {
	CS_PORT_ZERO_NONE,
	CS_PORT_ZERO_CONTAINERD_OFF,  /* --containerd-config: enable_unprivileged_ports = false */
	CS_PORT_ZERO_CONTAINERD_FILE, /* --containerd-config: enable_unprivileged_ports = true */
	CS_PORT_ZERO_CONTAINERD_2,    /* containerd 2.x's default */
	CS_PORT_ZERO_DOCKER,
};
enum cs_port_zero cs_pod_runtime_port_zero(const struct pod_work *w);
/* port-sysctls.c: runc's writes of ip_unprivileged_port_start and
 * ip_local_port_range in each order: 1 and *refused (heap) when every order
 * fails, 0 and *some (heap) when only some do, 0 when none does, -ENOMEM.
 * Under CRI-O, 1 and *refused for any pod sysctl with an empty value
 * (pinns refuses it). */
int cs_pod_port_sysctls(const struct pod_work *w, char **refused, char **some);
/* sysctl-absent.c: 1 and *refused (heap) when the runtime writes a sysctl
 * (the pod's; CRI-O's default_sysctls) this kernel does not have, else 0;
 * -ENOMEM. *untold (heap), whatever the answer: the first of the pod's
 * sysctls whose presence could not be told, and why. */
int cs_pod_sysctl_absent(const struct pod_work *w, char **refused, char **untold);
/* pod-verdicts.c: one verdict per capabilities.add entry. */
int cs_pod_verdicts(struct pod_work *w);
/* remedy.c: the remedies for r, lowest risk first (none when nothing fails). */
int cs_pod_remedies(const struct cs_pod_ctr_result *r, const struct cs_k8s_pod *pod,
		    enum cs_cri_runtime rt, struct cs_remedy **out, size_t *n);
void cs_remedies_free(struct cs_remedy *v, size_t n);
/* Resolve argv[0] in the image (rootfs directory or image). */
int cs_pod_resolve(const struct pod_work *w, const char *arg0, struct cs_exec_file *f,
		   struct cs_diag *d);

#endif
