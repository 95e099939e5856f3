/* SPDX-License-Identifier: MIT */
/*
 * The model records its reasons: every transformation (SCC mutation, runtime
 * merge, runc step, execve rule) appends a step saying which rule fired,
 * which bits moved and why. explain prints them; tests assert on them.
 */
#ifndef CAPSCOPE_STEPS_H
#define CAPSCOPE_STEPS_H

#include "caps.h"

struct cs_step {
	char layer[16];	  /* "pod", "scc", "runtime", "oci", "kernel", … */
	char rule[48];	  /* short stable id, e.g. "execve.ambient-cleared" */
	char detail[320]; /* one readable sentence */
	enum cs_set set;  /* the set that moved, when one did */
	cs_mask_t added, removed;
	bool has_set;
};

struct cs_steps {
	struct cs_step *v;
	size_t n, cap;
	int error; /* -ENOMEM once an append failed; sticky */
};

CS_EXPORT void cs_steps_init(struct cs_steps *s);
CS_EXPORT void cs_steps_free(struct cs_steps *s);

/* Append a step with no set movement. */
CS_EXPORT void cs_steps_add(struct cs_steps *s, const char *layer, const char *rule,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Append a step that moved bits of one set (before → after). */
CS_EXPORT void cs_steps_add_set(struct cs_steps *s, const char *layer, const char *rule,
				enum cs_set set, cs_mask_t before, cs_mask_t after, const char *fmt,
				...) __attribute__((format(printf, 7, 8)));

/* Find the first step with this rule id, or NULL (for tests and explain). */
CS_EXPORT const struct cs_step *cs_steps_find(const struct cs_steps *s, const char *rule);

#endif
