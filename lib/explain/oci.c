/* SPDX-License-Identifier: MIT */
/* explain oci: a bundle's first process, step by step, with a verdict per requested capability. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/explain.h"
#include "capscope/runtime.h"
#include "capscope/scan.h"
#include "../internal/cleanup.h"
#include "oci-e2big.h"
#include "oci-home.h"

void cs_oci_explain_free(struct cs_oci_explain_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_verdicts; i++)
		cs_cap_verdict_free(&r->verdicts[i]);
	free(r->verdicts);
	cs_steps_free(&r->steps);
	cs_exec_file_clear(&r->file);
	free(r);
}

CS_DEFINE_CLEANUP(struct cs_oci_explain_result, cs_oci_explain_free)

/*
 * Find args[0] as runc does: the resolvers take a relative name with a '/'
 * from process.cwd (cs_exec_join_cwd, which also drops a leading "./").
 */
static int resolve(const struct cs_oci_config *cfg, struct cs_image *image, struct cs_exec_file *f,
		   struct cs_diag *d)
{
	const char *arg0 = cfg->args[0], *path = cs_oci_config_getenv(cfg, "PATH");

	if (image) {
		int rc = cs_image_exec_resolve(image, cfg->cwd, arg0, path, f);

		if (rc == -E2BIG) /* the image's lookups over their bound: refused */
			(void)cs_image_lookup_bound(image, d);
		return rc;
	}
	int rc = cs_exec_file_resolve(cfg->root_path, cfg->cwd, arg0, path, f, d);

	/* The rootfs is opened here, not when the config is read: its error
	 * is said at root.path's place, as the config's own errors are. */
	if (rc < 0 && rc != -ENOMEM && d && !d->line && !strcmp(d->field, "root.path")) {
		cs_diag_file(d, cfg->file);
		d->line = cfg->root_path_line;
		d->column = cfg->root_path_column;
	}
	return rc;
}

static int verdicts(const struct cs_oci_config *cfg, struct cs_oci_explain_result *r)
{
	const struct cs_quintet *q = &cfg->process.caps;
	cs_mask_t asked = 0;

	for (int s = 0; s < CS_NSETS; s++)
		if (q->present & (1u << s))
			asked |= q->set[s];
	r->verdicts = calloc((size_t)cs_mask_count(asked) + 1, sizeof(*r->verdicts));
	if (!r->verdicts)
		return -ENOMEM;
	for (int cap = 0; cap < CS_CAP_BITS; cap++) {
		struct cs_cap_verdict *v = &r->verdicts[r->n_verdicts];
		char name[32];

		if (!(asked & CS_BIT(cap)))
			continue;
		r->n_verdicts++;
		v->name = strdup(cs_cap_name_r(cap, true, name, sizeof(name)));
		if (!v->name ||
		    cs_explain_cap(cap, q, &r->pre, &r->post, &r->file, &r->exec, &r->steps, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

int cs_oci_explain(const struct cs_oci_config *cfg, const struct cs_oci_explain_opts *o,
		   struct cs_oci_explain_result **out, struct cs_diag *d)
{
	__attribute__((cleanup(cs_oci_explain_freep))) struct cs_oci_explain_result *r =
	    calloc(1, sizeof(*r));
	struct cs_oci_process p; /* the config's, with what execve makes of its strings */
	struct cs_image *image = o ? o->image : NULL;
	int rc;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	cs_steps_init(&r->steps);
	if (!cfg->nargs || !cfg->args || !cfg->args[0])
		return cs_diag_set(d, EINVAL, 0, 0, "process.args", "no process.args");
	if ((rc = resolve(cfg, image, &r->file, d)) < 0)
		return rc;
	/* The name runc passes execve: args[0] as written with a '/', else the $PATH candidate. */
	p = cfg->process;
	rc = cs_oci_exec_e2big(
	    cfg, strchr(cfg->args[0], '/') || !r->file.path ? cfg->args[0] : r->file.path, &r->file,
	    image, p.exec_e2big, sizeof(p.exec_e2big));
	if (rc >= 0)
		rc = image ? cs_oci_image_user_files(image, p.user_files, sizeof(p.user_files))
			   : cs_oci_runc_user_files(cfg->root_path, p.user_files,
						    sizeof(p.user_files));
	if (rc == -E2BIG && image) /* the image's lookups over their bound: refused */
		(void)cs_image_lookup_bound(image, d);
	if (rc < 0)
		return rc;
	rc = cs_oci_predict_from(&p, o ? o->caller : NULL, &r->file, &r->pre, &r->post, &r->exec,
				 &r->steps);
	if (rc < 0 || r->steps.error)
		return -ENOMEM;
	/* runc took a later $PATH entry's file: that is the one shown and judged. */
	if ((rc = cs_exec_file_take_path_next(&r->file, r->exec.path_index)) < 0)
		return rc;
	if ((rc = verdicts(cfg, r)) < 0)
		return rc;
	*out = cs_steal_ptr(r);
	return 0;
}

void cs_oci_explain_json(struct cs_json *j, const struct cs_oci_explain_result *r)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "exec");
	cs_explain_json_exec(j, &r->exec, &r->file);
	cs_json_key(j, "process");
	if (r->exec.ok)
		cs_explain_json_cred(j, &r->post);
	else
		cs_json_null(j);
	cs_json_key(j, "steps");
	cs_explain_json_steps(j, &r->steps);
	cs_json_obj_end(j);
}
