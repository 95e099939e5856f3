/* SPDX-License-Identifier: MIT */
/*
 * The API server refuses a pod two of whose containers share a name, across
 * initContainers, containers and ephemeralContainers (ValidatePodSpec:
 * `Duplicate value`), so such a pod never runs: the reader says so rather
 * than predicting containers that will not exist (and whose results, keyed
 * by Pod/name:container, would collide). Sorted, not compared pairwise: a
 * pod of 10,000 containers must not cost 50 million comparisons.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctr-names.h"

struct named {
	const char *name;
	size_t i;
};

static int by_name_then_index(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

int cs_k8s_dup_ctr_name(const struct cs_k8s_container *v, size_t n, size_t *dup)
{
	struct named *s;
	size_t best = n;

	if (n < 2)
		return 0;
	if (!(s = malloc(n * sizeof(*s))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		s[i] = (struct named){v[i].name ? v[i].name : "", i};
	qsort(s, n, sizeof(*s), by_name_then_index);
	/* In a run of equal names the second is the first duplicate in the document. */
	for (size_t k = 1; k < n; k++)
		if (!strcmp(s[k].name, s[k - 1].name) &&
		    (k < 2 || strcmp(s[k].name, s[k - 2].name)) && s[k].i < best)
			best = s[k].i;
	free(s);
	if (best == n)
		return 0;
	*dup = best;
	return 1;
}
