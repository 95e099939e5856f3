/* SPDX-License-Identifier: MIT */
/* Fuzz the TOML reader through the crio.conf loader. */
#include <stdint.h>

#include <stdio.h>

#include "capscope/cri.h"
#include "internal/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_crio_config c;
	struct cs_diag d = {0};

	if (size > 1 << 16)
		return 0;
	cs_crio_config_default(&c);
	cs_crio_config_parse(&c, (const char *)data, size, "fuzz", &d);
	/* and the tree itself, walked by the JSON dump */
	{
		struct cs_toml_doc *doc;
		FILE *f = fopen("/dev/null", "w");

		if (cs_toml_load((const char *)data, size, "fuzz", &doc, &d) == 0) {
			if (f)
				cs_toml_dump_json(cs_toml_root(doc), f);
			cs_toml_free(doc);
		}
		if (f)
			fclose(f);
	}
	return 0;
}
