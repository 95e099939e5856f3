/* SPDX-License-Identifier: MIT */
/*
 * What kubectl refuses in a manifest file before any YAML is read
 * (kubectl-stream.c says why). Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_KUBECTL_STREAM_H
#define CAPSCOPE_LIB_K8S_KUBECTL_STREAM_H

#include <stddef.h>

#include "capscope/diag.h"

/*
 * 0 when kubectl would split text[0, len) into documents: a text opening
 * with '{' is JSON values and white space only; any other has no line that
 * starts with "---" followed by anything but white space or a comment.
 * Else -EINVAL, d set at the place kubectl stops.
 */
int cs_k8s_kubectl_stream(const char *text, size_t len, struct cs_diag *d);

#endif
