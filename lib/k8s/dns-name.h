/* SPDX-License-Identifier: MIT */
/*
 * The names the API server takes for objects (k8s.io/apimachinery
 * validation IsDNS1123Label, IsDNS1123Subdomain): one copy for the
 * objects' names (object-meta.c), containers' names and the policy
 * generators' names.
 * Not part of the library's interface.
 */
#ifndef CAPSCOPE_K8S_DNS_NAME_H
#define CAPSCOPE_K8S_DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* s[0, n): lower-case letters, digits and '-', a letter or digit at each
 * end, not empty (IsDNS1123Label without its 63-byte bound). */
bool cs_k8s_dns_label(const char *s, size_t n);
/* A DNS-1123 subdomain: labels joined by '.', at most 253 bytes. */
bool cs_k8s_dns_subdomain(const char *s);
/* NULL when s is a DNS-1123 subdomain of at most 253 bytes, else why not
 * in the words every refusal of a name uses. */
const char *cs_k8s_dns_subdomain_why(const char *s);

#endif
