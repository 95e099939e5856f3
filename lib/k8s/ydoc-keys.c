/* SPDX-License-Identifier: MIT */
#include "ydoc-keys.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/util.h"

/* Fewer keys than this are compared one by one: most mappings are small. */
#define HASH_FROM 16

static bool is_scalar_like(const struct ydoc_node *n)
{
	return n->kind == YDOC_SCALAR || n->kind == YDOC_ALIAS;
}

static bool same_node(const struct ydoc_node *a, const struct ydoc_node *b);

static bool has_pair(const struct ydoc_node *map, const struct ydoc_pair *p)
{
	for (uint32_t i = 0; i < map->n; i++)
		if (same_node(map->u.pairs[i].key, p->key) &&
		    same_node(map->u.pairs[i].value, p->value))
			return true;
	return false;
}

/* As fy_node_compare: empty scalars are all alike (null), an alias equals
 * only an alias of the same name, mappings are equal in any order.
 * Recursion is bounded by the nesting limit. */
static bool same_node(const struct ydoc_node *a, const struct ydoc_node *b)
{
	bool null_a = is_scalar_like(a) && a->n == 0, null_b = is_scalar_like(b) && b->n == 0;

	if (a == b || (null_a && null_b))
		return true;
	if (null_a || null_b || is_scalar_like(a) != is_scalar_like(b))
		return false;
	if (is_scalar_like(a))
		return a->kind == b->kind && a->n == b->n && !memcmp(a->u.text, b->u.text, a->n);
	if (a->kind != b->kind || a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (a->kind == YDOC_SEQ ? !same_node(a->u.items[i], b->u.items[i])
					: !has_pair(b, &a->u.pairs[i]))
			return false;
	return true;
}

/*
 * FNV-1a of the text (equal keys have equal text, so equal hashes), from a
 * start no reader of the manifest knows, mixed so that the slot depends on
 * every bit. Until session 16 it was the 32-bit FNV-1a from its fixed
 * start, masked: its low bits depend only on the low bits before, so blocks
 * of a few characters that meet in them from a known state chain into 2^m
 * keys of one slot; 16,384 such label keys (0.9 MB) took lint 1 s of
 * probing (4x a doubling), 262,144 (14 MB, under the 16 MiB limit) some
 * four minutes. The start is the table's own address (ASLR), fresh at
 * each rehash, which places every key again.
 */
static uint64_t hash(const struct ydoc_keys *t, const struct ydoc_node *n)
{
	return cs_hash_seeded(t->seed, n->u.text, n->n);
}

size_t ydoc_keys_probes;

/* The slot of a key equal to key, or of the free slot where it belongs. */
static uint32_t *probe(const struct ydoc_keys *t, struct ydoc_node *const *kv,
		       const struct ydoc_node *key)
{
	uint32_t mask = t->n_slots - 1, i = (uint32_t)hash(t, key) & mask;

	while (t->slots[i] && !same_node(kv[2 * (size_t)(t->slots[i] - 1)], key)) {
		ydoc_keys_probes++;
		i = (i + 1) & mask;
	}
	return &t->slots[i];
}

/* A table at most half full, holding every scalar key of kv[0..n). */
static int rehash(struct ydoc_keys *t, struct ydoc_node *const *kv, size_t n)
{
	uint32_t want = t->n_slots ? t->n_slots : 2 * HASH_FROM;

	while (want / 2 <= n)
		want *= 2;
	if (want == t->n_slots)
		return 0;
	free(t->slots);
	if (!(t->slots = calloc(want, sizeof(*t->slots))))
		return -ENOMEM;
	t->n_slots = want;
	t->n_hashed = 0;
	t->seed = cs_hash_seed(t->slots);
	for (size_t k = 0; k < n; k++)
		if (is_scalar_like(kv[2 * k])) {
			*probe(t, kv, kv[2 * k]) = (uint32_t)k + 1;
			t->n_hashed++;
		}
	return 0;
}

int ydoc_keys_seen(struct ydoc_keys *t, struct ydoc_node *const *kv, size_t n,
		   const struct ydoc_node *key)
{
	uint32_t *slot;
	int rc;

	if (n < HASH_FROM || !is_scalar_like(key) || n >= UINT32_MAX / 4) {
		for (size_t k = 0; k < n; k++) {
			ydoc_keys_probes++;
			if (same_node(kv[2 * k], key))
				return 1;
		}
		return 0;
	}
	if ((rc = rehash(t, kv, n)) < 0)
		return rc;
	slot = probe(t, kv, key);
	if (*slot)
		return 1;
	*slot = (uint32_t)n + 1;
	t->n_hashed++;
	return 0;
}

void ydoc_keys_free(struct ydoc_keys *t)
{
	free(t->slots);
	*t = (struct ydoc_keys){0};
}
