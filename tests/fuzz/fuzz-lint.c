/* SPDX-License-Identifier: MIT */
/*
 * Fuzz capscope lint's inputs: the config file parser (--config), and every
 * rule and writer (text, JSON, SARIF) over a manifest the reader accepts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capscope/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_lint_config cfg;
	struct cs_lint_report r = {0};
	struct cs_cri_target t;
	struct cs_diag d = {0};
	struct cs_lint_opts o = {.explain = {.runtime = CS_CRI_CRIO, .target = &t},
				 .psa_set = true,
				 .psa_level = CS_PSA_RESTRICTED,
				 .config = &cfg};
	struct cs_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	cs_lint_config_init(&cfg);
	cs_lint_config_parse(&cfg, (const char *)data, size, "fuzz", &d);
	cs_lint_config_init(&cfg);
	cs_cri_target_default(CS_CRI_CRIO, &t);
	cs_lint_buffer((const char *)data, size, "fuzz.yaml", &o, &r, &d);
	cs_lint_report_sort(&r);
	if ((f = open_memstream(&buf, &len)) != NULL) {
		cs_lint_text(f, &r);
		cs_json_init(&j, f, false);
		cs_lint_json(&j, &r);
		cs_json_finish(&j);
		cs_lint_sarif(f, &r, "fuzz");
		fclose(f);
		free(buf);
	}
	cs_lint_report_free(&r);
	return 0;
}
