/* SPDX-License-Identifier: MIT */
/* Stack classes by stack id (lib/internal/stack-memo.h says why). */
#include "internal/stack-memo.h"

#include <errno.h>
#include <stdlib.h>

void cs_stack_memo_init(struct cs_stack_memo *m, uint32_t n)
{
	*m = (struct cs_stack_memo){.n = n};
}

static bool in_map(const struct cs_stack_memo *m, int id)
{
	return id >= 0 && (uint32_t)id < m->n;
}

bool cs_stack_memo_get(struct cs_stack_memo *m, int id, int *cls, const char **caller)
{
	if (!in_map(m, id) || !m->slot)
		return false;
	m->probes++;
	if (!m->slot[id].set)
		return false;
	*cls = m->slot[id].cls;
	*caller = m->slot[id].caller;
	return true;
}

int cs_stack_memo_put(struct cs_stack_memo *m, int id, int cls, const char *caller)
{
	if (!in_map(m, id))
		return 0;
	if (!m->slot && !(m->slot = calloc(m->n, sizeof(*m->slot))))
		return -ENOMEM;
	m->slot[id] = (struct cs_stack_memo_slot){true, cls, caller};
	return 0;
}

void cs_stack_memo_free(struct cs_stack_memo *m)
{
	free(m->slot);
	m->slot = NULL;
}
