/* SPDX-License-Identifier: MIT */
/* capscope encode: names or libcap text → masks, and their JSON. */
#ifndef CAPSCOPE_ENCODE_H
#define CAPSCOPE_ENCODE_H

#include <stdbool.h>

#include "diag.h"
#include "json.h"
#include "text.h"

struct cs_encoded {
	bool is_text; /* libcap text (has '=', '+' or '-'): iep; else names: mask */
	struct cs_iep iep;
	cs_mask_t mask;
};

/* Parse one argument as libcap text or as a list of names. */
CS_EXPORT int cs_encode_arg(const char *arg, struct cs_encoded *out, struct cs_diag *d);
/* {"text", "inheritable", "permitted", "effective"} or {"text", "mask"} */
CS_EXPORT void cs_encoded_json(struct cs_json *j, const char *arg, const struct cs_encoded *e);

#endif
