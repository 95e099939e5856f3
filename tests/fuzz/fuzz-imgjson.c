/* SPDX-License-Identifier: MIT */
/* Fuzz the image JSON readers: docker manifest.json, OCI index/manifest, config. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/scan/imgjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct cs_img_manifest m;
	struct cs_image_config c;
	struct cs_diag d = {0};
	char path[400];

	if (cs_img_docker_manifest(s, size, &m, &d) == 0)
		cs_img_manifest_free(&m);
	if (cs_img_oci_index(s, size, &m, &d) == 0) {
		if (m.index_child && cs_img_digest_path(m.index_child, path, sizeof(path)) == 0 &&
		    (strstr(path, "..") || strncmp(path, "blobs/", 6) != 0))
			abort(); /* a digest must never become a path outside blobs/ */
		cs_img_manifest_free(&m);
	}
	if (cs_img_oci_manifest(s, size, &m, &d) == 0)
		cs_img_manifest_free(&m);
	if (cs_image_config_parse(s, size, &c, &d) == 0)
		cs_image_config_free(&c);
	return 0;
}
