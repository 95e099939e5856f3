/* SPDX-License-Identifier: MIT */
/*
 * An SCC's sysctl patterns (forbiddenSysctls, allowedUnsafeSysctls) as
 * sorted arrays: exact names found by bsearch, and a name's every prefix
 * looked up among the "PREFIX*" patterns (a pod sysctl's name is at most
 * 253 bytes, manifest-sysctls.c), so a lookup costs the name's length
 * times the log of the patterns, not the patterns.
 */
#include "scc-sysctls.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A prefix pattern's text without its '*'. */
static size_t plen(const char *p)
{
	return strlen(p) - 1;
}

/* Bytes, then length: the order both the sort and the search use. */
static int cmp_n(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static int prefix_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	return cmp_n(x, plen(x), y, plen(y));
}

static int exact_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cs_sysctl_pats_build(struct cs_sysctl_pats *p, const struct cs_strlist *pats)
{
	memset(p, 0, sizeof(*p));
	p->exact = malloc((pats->n + 1) * sizeof(*p->exact));
	p->prefix = malloc((pats->n + 1) * sizeof(*p->prefix));
	if (!p->exact || !p->prefix) {
		cs_sysctl_pats_free(p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < pats->n; i++) {
		const char *s = pats->v[i];
		size_t l = strlen(s);

		if (!strcmp(s, "*"))
			p->all = true;
		else if (l && s[l - 1] == '*')
			p->prefix[p->n_prefix++] = s;
		else
			p->exact[p->n_exact++] = s;
	}
	qsort(p->exact, p->n_exact, sizeof(*p->exact), exact_cmp);
	qsort(p->prefix, p->n_prefix, sizeof(*p->prefix), prefix_cmp);
	return 0;
}

static bool has_prefix(const struct cs_sysctl_pats *p, const char *name, size_t k)
{
	size_t lo = 0, hi = p->n_prefix;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_n(name, k, p->prefix[mid], plen(p->prefix[mid]));

		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool cs_sysctl_pats_match(const struct cs_sysctl_pats *p, const char *name)
{
	size_t l = strlen(name);

	if (p->all ||
	    (p->n_exact && bsearch(&name, p->exact, p->n_exact, sizeof(*p->exact), exact_cmp)))
		return true;
	for (size_t k = 0; p->n_prefix && k <= l; k++)
		if (has_prefix(p, name, k))
			return true;
	return false;
}

void cs_sysctl_pats_free(struct cs_sysctl_pats *p)
{
	free(p->exact);
	free(p->prefix);
	memset(p, 0, sizeof(*p));
}
