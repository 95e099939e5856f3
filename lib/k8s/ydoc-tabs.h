/* SPDX-License-Identifier: MIT */
/*
 * Tabs go-yaml (kubectl) refuses between a YAML text's tokens, where
 * libfyaml 0.7.12 reads them as white space. Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_TABS_H
#define CAPSCOPE_LIB_K8S_YDOC_TABS_H

#include <stddef.h>

#include "capscope/diag.h"

/*
 * text[0, len) (UTF-8, checked): 0, or -EINVAL at the first tab go-yaml
 * refuses, -ENOMEM. 1 when the scan stopped before the text's end: a text
 * libfyaml cannot scan is left to the reader, which says where; if the
 * reader reads it whole, the scan's stop was a failed allocation and no
 * tab was checked (the caller refuses).
 */
int ydoc_check_tabs(const char *text, size_t len, struct cs_diag *d);

#endif
