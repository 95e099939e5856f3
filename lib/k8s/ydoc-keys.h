/* SPDX-License-Identifier: MIT */
/*
 * Duplicate keys of one mapping while ydoc.c reads it: equal as libfyaml's
 * fy_node_compare says (the text of scalars, aliases by name, every empty
 * scalar alike, collections by content), found in time that grows with the
 * number of keys, not its square (a hash of the scalar keys once a mapping
 * has a few). Internal to the manifest reader.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_KEYS_H
#define CAPSCOPE_LIB_K8S_YDOC_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "ydoc.h"

struct ydoc_keys {
	uint32_t *slots; /* 1 + key number, 0 = free; NULL until HASH_FROM keys */
	uint32_t n_slots, n_hashed;
	uint64_t seed; /* the hash's start (ydoc-keys.c says why) */
};

/*
 * Is key equal to one of the mapping's earlier keys, kv[0], kv[2], …,
 * kv[2 * (n - 1)] (its pending keys and values)? 1 yes, 0 no (and key is
 * remembered: the caller adds it as kv[2 * n]), -ENOMEM.
 */
int ydoc_keys_seen(struct ydoc_keys *t, struct ydoc_node *const *kv, size_t n,
		   const struct ydoc_node *key);

void ydoc_keys_free(struct ydoc_keys *t);

/* Keys compared one by one, and slots passed over (taken by other keys),
 * since the program started: for tests (tests/unit/test-ydoc.c keeps it
 * linear in the keys). */
extern size_t ydoc_keys_probes;

#endif
