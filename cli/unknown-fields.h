/* SPDX-License-Identifier: MIT */
/* --validate: its parsing and the warnings for keys read as absent. */
#ifndef CAPSCOPE_CLI_UNKNOWN_FIELDS_H
#define CAPSCOPE_CLI_UNKNOWN_FIELDS_H

#include <stddef.h>

#include "capscope/k8s.h"

/* --validate VALUE: strict or warn (0), or the usage error. */
int cs_validate_parse(const char *cmd, const char *arg, enum cs_k8s_validate *out);

/* "capscope CMD: warning: FILE:LINE:COL: FIELD: not a field of OBJECT in
 * API ..." on stderr, escaped as every message is (api NULL: Kubernetes
 * 1.32). */
void cs_warn_unknown_field(const char *cmd, const char *file, unsigned line, unsigned column,
			   const char *field, const char *object, const char *api);
/* Every key m read as absent, and the count of those not kept. */
void cs_warn_unknown_fields(const char *cmd, const struct cs_k8s_manifest *m);
/* The keys counted but not kept (total - kept), when there are any. */
void cs_warn_unknown_more(const char *cmd, size_t kept, size_t total);

#endif
