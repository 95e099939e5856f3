/* SPDX-License-Identifier: MIT */
/* capscope explain pod: the per-container result and the remedy generator. */
#ifndef CAPSCOPE_CLI_EXPLAIN_POD_H
#define CAPSCOPE_CLI_EXPLAIN_POD_H

#include "capscope/cri.h"
#include "capscope/json.h"
#include "capscope/k8s.h"
#include "capscope/kernel.h"
#include "capscope/scc.h"

#define POD_MAX_CHECKS 16
#define POD_MAX_VERDICTS 64

struct pod_check {
	char check[32];
	int port;
	bool ok;
	char why[256];
};

struct pod_verdict {
	char name[64]; /* as the manifest wrote it */
	int cap;       /* -1: not a capability name */
	bool ok;
	char text[640];
};

struct pod_ctr {
	const struct cs_k8s_pod *pod;
	const struct cs_k8s_container *c;
	struct cs_k8s_sc req; /* effective, as written */
	struct cs_k8s_sc adm; /* after SCC mutation (== req without SCC) */
	bool scc_step;	      /* SCC admission ran */
	const char *scc_name; /* chosen SCC or NULL */
	bool admitted;
	char reason[800]; /* admission / refusal reason */
	bool oci_ok;	  /* an OCI process was produced */
	struct cs_oci_process oci;
	bool exec_ok;
	char exec_error[256]; /* kubelet/runtime refusal or errno name */
	struct cs_exec_file f;
	struct cs_cred pre, post;
	struct cs_exec_result res;
	struct cs_steps st;
	struct pod_check checks[POD_MAX_CHECKS];
	size_t n_checks;
	struct pod_verdict verdicts[POD_MAX_VERDICTS];
	size_t n_verdicts;
	cs_mask_t missing; /* requested capabilities that do not end effective */
	/* An ambient-raising helper as entrypoint (the article's set_ambient,
	 * capscope run --ambient): the process it execs. */
	bool helper;
	char helper_what[160];
	bool helper_ok;
	char helper_error[64];
	struct cs_exec_file hf;
	struct cs_cred hpost;
	int unpriv_port_start;
	char unpriv_port_why[160];
};

struct pod_opts {
	enum cs_cri_runtime runtime;
	bool rootfs_given;
	const char *rootfs;
	bool openshift;
	uint32_t uid_start, uid_size;
};

/* Remedies for one container, ranked by risk (lowest first). */
void pod_remedies_text(FILE *f, const struct pod_ctr *r, const struct pod_opts *o);
void pod_remedies_json(struct cs_json *j, const struct pod_ctr *r, const struct pod_opts *o);
/* Should remedies be offered at all? */
bool pod_needs_remedy(const struct pod_ctr *r);

#endif
