/* SPDX-License-Identifier: MIT */
/* Sysctl names as Kubernetes reads them (manifest-sysctls.c, kubelet-sysctls.c). */
#ifndef CAPSCOPE_LIB_K8S_SYSCTL_NAMES_H
#define CAPSCOPE_LIB_K8S_SYSCTL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* ConvertSysctlVariableToDotsSeparator: in, with '/' and '.' swapped when
 * its first separator is '/', into out (len bytes, cut there). */
void cs_k8s_sysctl_dots(const char *in, char *out, size_t len);

/* component-helpers' GetNamespace: 'N' (net), 'I' (IPC) or 0, after
 * NormalizeName (a name whose first separator is '/' swaps '/' and '.') and
 * up to a '*' */
char cs_k8s_sysctl_ns(const char *name);

/* In the kubelet's safe set (kubelet-sysctls.c): name with dots. */
bool cs_k8s_sysctl_safe(const char *name);

#endif
