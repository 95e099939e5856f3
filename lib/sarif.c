/* SPDX-License-Identifier: MIT */
/* SARIF pieces shared by the scan and lint writers (internal/sarif.h). */
#include "internal/sarif.h"

#include <stdlib.h>
#include <string.h>

char *cs_sarif_uri_encode(const char *p)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(p) * 3 + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~/", *s)) {
			*o++ = (char)*s;
		} else {
			*o++ = '%';
			*o++ = hex[*s >> 4];
			*o++ = hex[*s & 15];
		}
	}
	*o = '\0';
	return out;
}

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
