/* SPDX-License-Identifier: MIT */
/* capscope explain pod: the text rendering of the library's results. */
#ifndef CAPSCOPE_CLI_EXPLAIN_POD_H
#define CAPSCOPE_CLI_EXPLAIN_POD_H

#include "capscope/explain.h"

/* explain pod --help's text (explain-pod-help.c). */
extern const char explain_pod_help[];

/* The pod's header: kind and name, Pod Security, SCC admission. */
/* 0, or -ENOMEM (the SCC reason is made as it is written). */
int pod_text_header(const struct cs_pod_explain_result *pod);
/* One container: sets, flow table, verdicts, checks, steps, remedies. */
void pod_text_container(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			enum cs_cri_runtime rt);
/* "pod P, container C: not modelled: WHY" on stderr; returns CS_EXIT_ERROR. */
int pod_not_modelled(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c);

#endif
