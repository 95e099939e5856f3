/* SPDX-License-Identifier: MIT */
/*
 * Duplicate keys of a JSON document, found in time that grows with the keys.
 *
 * Tenth pass: libfyaml 0.7.12's document builder looks each new key up in
 * its mapping from the first key on (fy_node_mapping_lookup_pair, no hash),
 * so a mapping of n keys cost n^2/2 comparisons. An AdmissionReview of 8,000
 * keys (100 KB) took 3 to 6 s of the webhook's CPU, 20,000 keys far longer,
 * and the same builder reads the agent's config.json (annotations a pod's
 * author writes), image configs and policy profiles. The JSON readers now
 * build with FYPCF_ALLOW_DUPLICATE_KEYS and refuse a duplicate here, with a
 * hash of each mapping's keys. In JSON mode every key is a double-quoted
 * scalar (libfyaml refuses others), compared by its text as libfyaml does.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fyaml-mark.h"
#include "internal/util.h"

struct keys {
	uint32_t *slots; /* 1 + the key's index, 0: free */
	const char **text;
	size_t *len;
	size_t cap; /* slots: a power of two, at least twice the keys */
};

static int room(struct keys *k, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	if (cap > k->cap) {
		uint32_t *s = realloc(k->slots, cap * sizeof(*s));
		const char **t = s ? realloc(k->text, cap * sizeof(*t)) : NULL;
		size_t *l = t ? realloc(k->len, cap * sizeof(*l)) : NULL;

		if (s)
			k->slots = s;
		if (t)
			k->text = t;
		if (!l)
			return -ENOMEM;
		k->len = l;
		k->cap = cap;
	}
	memset(k->slots, 0, cap * sizeof(*k->slots));
	return (int)(cap - 1); /* the mask; cap is at most 2^31 (keys < 2^30) */
}

/* The first key of map equal to an earlier one, or NULL; *err on -ENOMEM. */
static struct fy_node *dup_in(struct keys *k, struct fy_node *map, int *err)
{
	size_t n = (size_t)fy_node_mapping_item_count(map), i = 0, mask;
	void *it = NULL;
	struct fy_node_pair *p;
	int m;

	if (n < 2)
		return NULL;
	if (n >= (1u << 30) || (m = room(k, n)) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	mask = (size_t)m;
	while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
		struct fy_node *key = fy_node_pair_key(p);
		size_t len = 0;
		const char *s =
		    key && fy_node_is_scalar(key) ? fy_node_get_scalar(key, &len) : NULL;
		size_t h;

		if (!s)
			return key; /* not a string: libfyaml's JSON mode refuses it first */
		for (h = cs_fnv1a(CS_FNV1A_START, s, len) & mask; k->slots[h]; h = (h + 1) & mask) {
			size_t j = k->slots[h] - 1;

			if (k->len[j] == len && !memcmp(k->text[j], s, len))
				return key;
		}
		k->slots[h] = (uint32_t)(i + 1);
		k->text[i] = s;
		k->len[i++] = len;
	}
	return NULL;
}

/* Depth-first; libfyaml has already refused nesting deeper than its limit. */
static struct fy_node *walk(struct keys *k, struct fy_node *n, int *err)
{
	void *it = NULL;
	struct fy_node *c, *bad;

	if (!n || fy_node_is_scalar(n) || fy_node_is_alias(n))
		return NULL;
	if (fy_node_is_sequence(n)) {
		while (!*err && (c = fy_node_sequence_iterate(n, &it)) != NULL)
			if ((bad = walk(k, c, err)) != NULL)
				return bad;
		return NULL;
	}
	if ((bad = dup_in(k, n, err)) != NULL || *err)
		return bad;
	for (struct fy_node_pair *p; !*err && (p = fy_node_mapping_iterate(n, &it)) != NULL;)
		if ((bad = walk(k, fy_node_pair_value(p), err)) != NULL)
			return bad;
	return NULL;
}

int cs_fy_json_dup_keys(struct fy_document *doc, const char *field, const char *prefix,
			struct cs_diag *d)
{
	struct keys k = {0};
	int err = 0;
	struct fy_node *bad = walk(&k, fy_document_root(doc), &err);
	const struct fy_mark *mk = bad ? cs_fy_node_mark(bad) : NULL;

	free(k.slots);
	free(k.text);
	free(k.len);
	if (err)
		return cs_diag_set(d, ENOMEM, 0, 0, field, "out of memory");
	if (!bad)
		return 0;
	return cs_diag_set(d, EINVAL, mk ? (unsigned)mk->line + 1 : 0,
			   mk ? (unsigned)mk->column + 1 : 0, field, "%sduplicate key", prefix);
}
