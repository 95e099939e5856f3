/* SPDX-License-Identifier: MIT */
/* Loading the SCCs admission chooses from, and the grants of the service account. */
#ifndef CAPSCOPE_SCC_LOAD_H
#define CAPSCOPE_SCC_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "k8s.h"

#define CS_SCC_MAX_GRANTED 64
struct cs_scc_set {
	struct cs_k8s_manifest sm;		 /* the loaded SCCs */
	const char *granted[CS_SCC_MAX_GRANTED]; /* names, pointing into sm or the caller's */
	size_t n_granted;
};

CS_EXPORT void cs_scc_set_init(struct cs_scc_set *s);
CS_EXPORT void cs_scc_set_free(struct cs_scc_set *s);

/*
 * Load the built-in OpenShift SCCs (openshift: restricted-v2 and restricted-v3
 * granted, as to system:authenticated on OpenShift 4.20), the
 * files or built-in names (granted; a name is looked up in
 * $CAPSCOPE_DATADIR/scc, next to the binary, then the install datadir), and
 * grant the uses names (kept as pointers). -ENOENT: no such file or built-in
 * name; -ENODATA: a file without an SCC; other errors from cs_k8s_load.
 */
CS_EXPORT int cs_scc_set_load(struct cs_scc_set *s, bool openshift, const char *const *names,
			      size_t n, const char *const *uses, size_t n_uses, struct cs_diag *d);
/*
 * The built-in SCCs every authenticated user may use on OpenShift 4.20
 * (crb-systemauthenticated-scc-restricted-v2.yaml, -v3.yaml): what
 * --openshift grants and what `policy scc` never asks to grant.
 */
CS_EXPORT const char *const *cs_scc_authenticated(size_t *n);
CS_EXPORT bool cs_scc_is_authenticated(const char *name);
/* SCCs in the pod files join the candidates, granted. */
CS_EXPORT void cs_scc_set_grant_manifest(struct cs_scc_set *s, const struct cs_k8s_manifest *m);
/*
 * The first of uses (the --use names) that names no SCC of s nor of m (may
 * be NULL), else NULL: such a grant grants nothing, and a misspelt one
 * ("anyuidd") was read without a word while the SCC meant was refused as
 * "not allowed to use it".
 */
CS_EXPORT const char *cs_scc_set_unknown_use(const struct cs_scc_set *s, const char *const *uses,
					     size_t n_uses, const struct cs_k8s_manifest *m);
/*
 * Every SCC admission chooses from: the set's, then those in m (may be
 * NULL). *out is one heap array of pointers into s and m (free()). 0,
 * -ENOMEM, or -EINVAL (d says where) when an SCC of m has the name of
 * another candidate: a name is unique in a cluster.
 */
CS_EXPORT int cs_scc_set_candidates(const struct cs_scc_set *s, const struct cs_k8s_manifest *m,
				    const struct cs_scc ***out, size_t *n, struct cs_diag *d);
/*
 * The directory of the built-in SCCs: $CAPSCOPE_DATADIR/scc, next to the
 * binary (source tree, then install prefix), the configured datadir. 0, or
 * -ENOENT with out holding the last candidate (for the message).
 */
CS_EXPORT int cs_scc_builtin_dir(char *out, size_t len);

#endif
