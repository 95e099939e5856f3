/* SPDX-License-Identifier: MIT */
/* An opened image's config as struct cs_image_config (see image-config.h). */
#include <errno.h>
#include <stdlib.h>

#include "capscope/image-config.h"

int cs_image_config_from_image(const struct cs_image *im, struct cs_image_config *out,
			       const char ***argv_out)
{
	const struct cs_image_info *in = cs_image_get_info(im);
	size_t ne = 0, nc = 0;
	const char **argv;

	while (in->entrypoint && in->entrypoint[ne])
		ne++;
	while (in->cmd && in->cmd[nc])
		nc++;
	argv = calloc(ne + nc + 1, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	for (size_t i = 0; i < ne; i++)
		argv[i] = in->entrypoint[i];
	for (size_t i = 0; i < nc; i++)
		argv[ne + i] = in->cmd[i];
	out->user = in->user;
	out->entrypoint.v = argv;
	out->entrypoint.n = ne;
	out->cmd.v = argv + ne;
	out->cmd.n = nc;
	out->path_env = in->path_env;
	*argv_out = argv;
	return 0;
}
