/* SPDX-License-Identifier: MIT */
/*
 * A container's env names, sorted once, for expanding many words of one
 * command line (kubelet-env.c). Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_KUBELET_ENV_H
#define CAPSCOPE_LIB_K8S_KUBELET_ENV_H

#include <stddef.h>

#include "capscope/kubelet.h"

struct cs_env_name;

struct cs_env_index {
	struct cs_env_name *v; /* by name, then by place in env */
	size_t n;
};

/* The index of c's env: 0, or -ENOMEM (nothing to free). */
int cs_env_index_build(const struct cs_k8s_container *c, struct cs_env_index *ix);

void cs_env_index_free(struct cs_env_index *ix);

/* cs_kubelet_expand with each $(NAME) found in ix (built from c): a binary
 * search, where cs_kubelet_expand scans env backwards. */
int cs_kubelet_expand_indexed(const struct cs_k8s_container *c, const struct cs_env_index *ix,
			      const char *s, char **out);

#endif
