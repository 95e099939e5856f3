/* SPDX-License-Identifier: MIT */
/* Fuzz the config.json reader, then the runc + kernel model on what it read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/oci.h"
#include "capscope/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_oci_config c;
	struct cs_diag d = {0};

	memset(&c, 0, sizeof(c));
	if (cs_oci_config_parse((const char *)data, size, "fuzz.json", &c, &d) == 0) {
		struct cs_exec_file f;
		struct cs_cred out;
		struct cs_exec_result res;
		struct cs_steps st;

		if (!c.root_path || c.nargs == 0 || !c.args[0])
			abort();
		memset(&f, 0, sizeof(f));
		f.known = true;
		f.mode = S_IFREG | 04755;
		cs_steps_init(&st);
		if (cs_oci_predict(&c.process, &f, &out, &res, &st) == 0 && res.ok &&
		    !cs_quintet_consistent(&out.caps))
			abort();
		cs_steps_free(&st);
	}
	cs_oci_config_free(&c);
	return 0;
}
