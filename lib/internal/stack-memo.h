/* SPDX-License-Identifier: MIT */
/* The class of each kernel stack id trace has classified, found by the id. */
#ifndef CAPSCOPE_INTERNAL_STACK_MEMO_H
#define CAPSCOPE_INTERNAL_STACK_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One slot a stack id of the BPF stack map (ids are 0 to its max_entries
 * - 1), so that each record finds its stack's class at once. The report
 * used to search a list from its start for every record (the counts map's
 * rows, up to 16,384, and the cache slots: rows x distinct stacks compares)
 * and grew it by one element each time (a copy of the list each).
 */
struct cs_stack_memo_slot {
	bool set;
	int cls;
	const char *caller;
};

struct cs_stack_memo {
	uint32_t n;
	struct cs_stack_memo_slot *slot; /* allocated at the first put */
	uint64_t probes;		 /* slots looked at: for the tests */
};

/* A memo of stack ids below n. */
void cs_stack_memo_init(struct cs_stack_memo *m, uint32_t n);

/* Whether id's class is known: then *cls and *caller. */
bool cs_stack_memo_get(struct cs_stack_memo *m, int id, int *cls, const char **caller);

/* Remember id's class (an id outside the map is not kept). 0 or -ENOMEM. */
int cs_stack_memo_put(struct cs_stack_memo *m, int id, int cls, const char *caller);

void cs_stack_memo_free(struct cs_stack_memo *m);

#endif
