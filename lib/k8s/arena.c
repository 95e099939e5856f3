/* SPDX-License-Identifier: MIT */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct cs_arena {
	struct block *head;
};

struct cs_arena *cs_arena_new(void)
{
	return calloc(1, sizeof(struct cs_arena));
}

void cs_arena_free(struct cs_arena *a)
{
	if (!a)
		return;
	for (struct block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

void *cs_arena_alloc(struct cs_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size_t need = (size + align - 1) / align * align;
	struct block *b = a->head;

	if (size > SIZE_MAX / 2)
		return NULL;
	if (!b || b->size - b->used < need) {
		size_t bsize = need > 16384 ? need : 16384;

		b = malloc(sizeof(*b) + bsize);
		if (!b)
			return NULL;
		b->size = bsize;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, size);
	return p;
}

char *cs_arena_strndup(struct cs_arena *a, const char *s, size_t len)
{
	char *p = cs_arena_alloc(a, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void *cs_arena_grow(struct cs_arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
	if (elem && new_n > SIZE_MAX / 4 / elem)
		return NULL;
	void *p = cs_arena_alloc(a, new_n * elem);

	if (p && old && old_n)
		memcpy(p, old, old_n * elem);
	return p;
}
