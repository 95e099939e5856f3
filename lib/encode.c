/* SPDX-License-Identifier: MIT */
/* capscope encode (see encode.h). */
#include <string.h>

#include "capscope/encode.h"

int cs_encode_arg(const char *arg, struct cs_encoded *out, struct cs_diag *d)
{
	memset(out, 0, sizeof(*out));
	out->is_text = strpbrk(arg, "=+-") != NULL;
	if (out->is_text)
		return cs_text_parse(arg, strlen(arg), &out->iep, d);
	return cs_names_parse(arg, strlen(arg), &out->mask, d);
}

void cs_encoded_json(struct cs_json *j, const char *arg, const struct cs_encoded *e)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	cs_json_str(j, arg);
	if (e->is_text) {
		cs_json_key(j, "inheritable");
		cs_json_mask(j, e->iep.inh);
		cs_json_key(j, "permitted");
		cs_json_mask(j, e->iep.prm);
		cs_json_key(j, "effective");
		cs_json_mask(j, e->iep.eff);
	} else {
		cs_json_key(j, "mask");
		cs_json_mask(j, e->mask);
	}
	cs_json_obj_end(j);
}
