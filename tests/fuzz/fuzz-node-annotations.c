/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the node agent's reading of a bundle's config.json for its pod
 * identity (lib/node/bundles.c cs_node_annotations_parse): the annotations
 * are the pod author's, written by the runtime. Each name taken must be a
 * whole string (no NUL inside), and a second reading of the same text into
 * the same container keeps the first names (the agent reads config.json
 * again when it changes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/node.h"
#include "node-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_node_ctr *c = calloc(1, sizeof(*c));
	struct cs_diag d = {0};

	if (!c)
		return 0;
	if (cs_node_annotations_parse((const char *)data, size, c, &d) == 0) {
		char *was = c->pod ? strdup(c->pod) : NULL;

		(void)cs_node_annotations_parse((const char *)data, size, c, &d);
		if ((was == NULL) != (c->pod == NULL) || (was && strcmp(was, c->pod)))
			abort();
		free(was);
	}
	cs_node_ctr_free(c);
	return 0;
}
