/* SPDX-License-Identifier: MIT */
/* DNS-1123 names as the API server checks an object's name (dns-name.h). */
#include "dns-name.h"

#include <string.h>

bool cs_k8s_dns_label(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && !(c == '-' && i > 0 && i + 1 < n))
			return false;
	}
	return true;
}

/* "a.-b" and "a..b" are refused by the API server: each label has its own
 * ends (the eleventh pass found them passed). */
bool cs_k8s_dns_subdomain(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 253)
		return false;
	for (const char *p = s;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		if (!cs_k8s_dns_label(p, len))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

const char *cs_k8s_dns_subdomain_why(const char *s)
{
	if (strlen(s) > 253)
		return "must be no more than 253 characters";
	if (!cs_k8s_dns_subdomain(s))
		return "a lowercase RFC 1123 subdomain: lower-case letters, digits, '-' and '.', "
		       "each part starting and ending with a letter or digit";
	return NULL;
}
