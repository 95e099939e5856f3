/* SPDX-License-Identifier: MIT */
#include "fyaml-mark.h"

const struct fy_mark *cs_fy_node_mark(struct fy_node *n)
{
	/* Bounded: a mark deeper than this is not worth a walk of hostile input. */
	for (int depth = 0; n && depth < 16; depth++) {
		void *it = NULL;

		if (fy_node_is_scalar(n) || fy_node_is_alias(n)) {
			struct fy_token *t = fy_node_get_scalar_token(n);

			return t ? fy_token_start_mark(t) : NULL;
		}
		if (fy_node_is_mapping(n)) {
			struct fy_node_pair *pr = fy_node_mapping_iterate(n, &it);

			n = pr ? fy_node_pair_key(pr) : NULL;
		} else {
			n = fy_node_sequence_iterate(n, &it);
		}
	}
	return NULL;
}
