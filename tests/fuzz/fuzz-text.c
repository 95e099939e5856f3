/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the text parsers. Differential: capscope's libcap-grammar parser must
 * accept exactly what libcap's cap_from_text accepts, with the same sets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "capscope/text.h"
#include "../lib/libcap-oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_iep iep;
	struct cs_diag d = {0};
	cs_mask_t m;
	char *s;
	int mine;
	cap_t theirs;

	cs_mask_parse_hex((const char *)data, size, &m, &d);
	cs_names_parse((const char *)data, size, &m, &d);
	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	/* libcap reads a C string; compare on the same string. */
	mine = cs_text_parse(s, strlen(s), &iep, &d);
	theirs = cap_from_text(s);
	if ((mine == 0) != (theirs != NULL))
		abort();
	if (theirs) {
		if (iep.eff != libcap_set(theirs, CAP_EFFECTIVE) ||
		    iep.prm != libcap_set(theirs, CAP_PERMITTED) ||
		    iep.inh != libcap_set(theirs, CAP_INHERITABLE))
			abort();
		cap_free(theirs);
		char *t = cs_text_format(&iep);

		free(t);
	}
	free(s);
	return 0;
}
