/* SPDX-License-Identifier: MIT */
/* An opened image's own config as the explain model's struct cs_image_config. */
#ifndef CAPSCOPE_IMAGE_CONFIG_H
#define CAPSCOPE_IMAGE_CONFIG_H

#include "k8s.h"
#include "scan.h"

/*
 * Fill out from the image's config (User, Entrypoint, Cmd, PATH), as
 * --image-config would give it. Strings are borrowed from im; the argv array
 * behind out->entrypoint and out->cmd is heap in *argv_out (free()).
 * Returns 0 or -ENOMEM.
 */
CS_EXPORT int cs_image_config_from_image(const struct cs_image *im, struct cs_image_config *out,
					 const char ***argv_out);

#endif
