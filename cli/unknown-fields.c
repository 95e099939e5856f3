/* SPDX-License-Identifier: MIT */
/*
 * --validate, as kubectl names it: strict (the default, kubectl's since
 * 1.27) refuses a key that is not a field of its object in Kubernetes 1.32;
 * warn reads it as absent, for a manifest aimed at a newer cluster, and
 * says so here for each key, since the prediction then ignores whatever
 * the newer field does. kubectl's third value, ignore, is not offered: a
 * key dropped without a word is what session 18 removed.
 */
#include "unknown-fields.h"

#include <errno.h>
#include <string.h>

#include "capscope/diag.h"
#include "output.h"

int cs_validate_parse(const char *cmd, const char *arg, enum cs_k8s_validate *out)
{
	if (!strcmp(arg, "strict") || !strcmp(arg, "true"))
		*out = CS_K8S_VALIDATE_STRICT;
	else if (!strcmp(arg, "warn"))
		*out = CS_K8S_VALIDATE_WARN;
	else
		return cs_usage_err(cmd, "--validate takes strict or warn, not '%s'", arg);
	return 0;
}

void cs_warn_unknown_field(const char *cmd, const char *file, unsigned line, unsigned column,
			   const char *field, const char *object, const char *api)
{
	struct cs_diag d = {0};
	char buf[800];

	cs_diag_file(&d, file);
	cs_diag_set(&d, EINVAL, line, column, field,
		    "not a field of %s in %s: read as absent (--validate=warn); "
		    "what a newer release does with it is not predicted",
		    object, api ? api : "Kubernetes 1.32");
	(void)cs_err(cmd, "warning: %s", cs_diag_format(&d, buf, sizeof(buf)));
}

void cs_warn_unknown_more(const char *cmd, size_t kept, size_t total)
{
	if (total > kept)
		(void)cs_err(cmd, "warning: %zu more unknown fields read as absent", total - kept);
}

void cs_warn_unknown_fields(const char *cmd, const struct cs_k8s_manifest *m)
{
	for (size_t i = 0; i < m->n_unknown; i++)
		cs_warn_unknown_field(cmd, m->unknown[i].file, m->unknown[i].pos.line,
				      m->unknown[i].pos.column, m->unknown[i].field,
				      m->unknown[i].object, m->unknown[i].api);
	cs_warn_unknown_more(cmd, m->n_unknown, m->n_unknown_total);
}
