/* SPDX-License-Identifier: MIT */
/* What the lint modules share and do not export. */
#ifndef CAPSCOPE_LIB_LINT_INTERNAL_H
#define CAPSCOPE_LIB_LINT_INTERNAL_H

#include "capscope/lint.h"

/* Where a finding is and what it is about; strings are borrowed (copied in). */
struct cs_lint_where {
	const struct cs_k8s_pod *pod;
	const char *container; /* NULL: the pod */
	const char *capability;
	struct cs_pos pos;
};

/*
 * Append a finding at level (the caller has applied the config and the
 * suppressions); message is taken (freed on error). 0 or -ENOMEM.
 */
int cs_lint_report_add(struct cs_lint_report *r, enum cs_lint_rule_id rule,
		       enum cs_lint_level level, const struct cs_lint_where *w, char *message);

/* As cs_lint_report_add, the message as n pieces (parts and each piece
 * taken, freed on error; n at least 1): see cs_lint_finding's parts. */
int cs_lint_report_add_parts(struct cs_lint_report *r, enum cs_lint_rule_id rule,
			     enum cs_lint_level level, const struct cs_lint_where *w, char **parts,
			     size_t n);

/* As strcmp on the two messages joined, without joining them. */
int cs_lint_message_cmp(const struct cs_lint_finding *a, const struct cs_lint_finding *b);
/* Free the message (whole or its pieces) and clear the fields. */
void cs_lint_message_free(struct cs_lint_finding *f);

#endif
