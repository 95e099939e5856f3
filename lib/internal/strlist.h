#ifndef CS_INTERNAL_STRLIST_H
#define CS_INTERNAL_STRLIST_H

#include <stdbool.h>
#include <string.h>

#include "capscope/image.h"

/* Whether l holds s exactly (capability names as written: "CAP_SYS_ADMIN"
 * and "SYS_ADMIN" are different entries to the API server's checks). */
static inline bool cs_strlist_has(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

#endif
