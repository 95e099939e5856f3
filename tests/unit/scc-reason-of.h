/* SPDX-License-Identifier: MIT */
#ifndef CAPSCOPE_TEST_SCC_REASON_OF_H
#define CAPSCOPE_TEST_SCC_REASON_OF_H

#include <stdlib.h>

#include "capscope/scc.h"

/* The pod's reason, made from the attempts (cs_scc_reason_dup); held until
 * the next call, the last one reachable from here at exit. Shared by the SCC
 * suites, which read a refused pod's reason now made when asked for. */
static const char *reason_of(const struct cs_scc_result *r)
{
	static char *text;

	free(text);
	text = cs_scc_reason_dup(r);
	assert_non_null(text);
	return text;
}

#endif
