/* SPDX-License-Identifier: MIT */
#include "json-doc.h"

#include <errno.h>

#include "../fyaml-mark.h"

int cs_json_doc_build(const char *buf, size_t len, struct fy_document **out, struct cs_diag *d)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *fd;
	struct fy_document *doc;

	*out = NULL;
	if (cs_fy_check_text(buf, len, "", d) < 0)
		return -EINVAL;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	if (!(fd = fy_diag_create(&dcfg)))
		return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
	fy_diag_set_collect_errors(fd, true);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE, .diag = fd};
	doc = fy_document_build_from_string(&cfg, buf, len);
	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *e = fy_diag_errors_iterate(fd, &it);

		if (e)
			cs_diag_set(d, EINVAL, e->line > 0 ? (unsigned)e->line : 1,
				    e->column > 0 ? (unsigned)e->column : 0, "", "JSON: %s",
				    e->msg ? e->msg : "syntax error");
		else
			cs_diag_set(d, EINVAL, 0, 0, "", "JSON: syntax error");
	}
	fy_diag_destroy(fd);
	*out = doc;
	return doc ? 0 : -EINVAL;
}
