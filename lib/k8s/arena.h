/* SPDX-License-Identifier: MIT */
/*
 * A bump allocator for parsed documents: a manifest's strings and arrays
 * live exactly as long as the manifest, so one free releases them all and a
 * parse error part-way leaves nothing to unwind. Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_ARENA_H
#define CAPSCOPE_LIB_ARENA_H

#include <stddef.h>

struct cs_arena;

struct cs_arena *cs_arena_new(void);
void cs_arena_free(struct cs_arena *a);
/* Zeroed memory, or NULL when out of memory. */
void *cs_arena_alloc(struct cs_arena *a, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *cs_arena_strndup(struct cs_arena *a, const char *s, size_t len);
/* Grow an arena array (old contents copied; the old block stays until free). */
void *cs_arena_grow(struct cs_arena *a, void *old, size_t old_n, size_t new_n, size_t elem);

#endif
