/* SPDX-License-Identifier: MIT */
/* capscope file get --json (see fcaps-json.h). */
#include "capscope/fcaps-json.h"

void cs_fcaps_file_json(struct cs_json *j, const char *path, bool regular, const struct cs_fcaps *f,
			const char *text)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "path");
	cs_json_str(j, path);
	cs_json_key(j, "regular");
	cs_json_bool(j, regular);
	cs_json_key(j, "file_caps");
	if (!f) {
		cs_json_null(j);
		cs_json_obj_end(j);
		return;
	}
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	cs_json_str(j, text);
	cs_json_key(j, "version");
	cs_json_int(j, f->version);
	cs_json_key(j, "rootid");
	if (f->version == 3)
		cs_json_uint(j, f->rootid);
	else
		cs_json_null(j);
	cs_json_key(j, "effective");
	cs_json_bool(j, f->effective);
	cs_json_key(j, "permitted");
	cs_json_mask(j, f->permitted);
	cs_json_key(j, "inheritable");
	cs_json_mask(j, f->inheritable);
	cs_json_key(j, "unknown_flags");
	cs_json_uint(j, f->unknown_flags);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}
