/* SPDX-License-Identifier: MIT */
/* SARIF pieces shared by the scan and lint writers (internal/sarif.h). */
#include "internal/sarif.h"

void cs_sarif_location(struct cs_json *j, const char *uri, unsigned line, unsigned column)
{
	cs_json_key(j, "locations");
	cs_json_arr_begin(j);
	cs_json_obj_begin(j);
	cs_json_key(j, "physicalLocation");
	cs_json_obj_begin(j);
	cs_json_key(j, "artifactLocation");
	cs_json_obj_begin(j);
	cs_json_key(j, "uri");
	cs_json_str(j, uri);
	cs_json_obj_end(j);
	if (line) {
		cs_json_key(j, "region");
		cs_json_obj_begin(j);
		cs_json_key(j, "startLine");
		cs_json_uint(j, line);
		if (column) {
			cs_json_key(j, "startColumn");
			cs_json_uint(j, column);
		}
		cs_json_obj_end(j);
	}
	cs_json_obj_end(j);
	cs_json_obj_end(j);
	cs_json_arr_end(j);
}
