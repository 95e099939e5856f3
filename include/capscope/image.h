/* SPDX-License-Identifier: MIT */
/*
 * An image's config: the parts of an OCI / Docker image config that decide
 * how its first process starts (config.User, Entrypoint, Cmd, WorkingDir
 * and PATH from Env). One type and one reader for every use: `explain pod
 * --image-config FILE`, the image reader behind `scan` and `--image`, and
 * the kubelet's user and command-line rules.
 */
#ifndef CAPSCOPE_IMAGE_H
#define CAPSCOPE_IMAGE_H

#include <stddef.h>

#include "caps.h"
#include "diag.h"

/* A list of strings; v is NULL when the list is absent (and v[n] is NULL). */
struct cs_strlist {
	const char **v;
	size_t n;
};

/* Owns every string and array in it: free with cs_image_config_free. */
struct cs_image_config {
	char *user;			   /* config.User, NULL when unset */
	char *workdir;			   /* config.WorkingDir, NULL when unset */
	char *path_env;			   /* PATH from config.Env, NULL when unset */
	struct cs_strlist entrypoint, cmd; /* config.Entrypoint, config.Cmd */
	/* config.Env has an entry with an empty name ("=x"): the runtimes pass
	 * it on and runc init refuses it, so no container of the image starts. */
	bool env_empty_name;
};

/*
 * Parse an image config JSON document: the whole config blob ({"config":
 * {...}}) or the bare config object. Entrypoint and Cmd must be arrays of
 * strings, User and WorkingDir strings. 0, or -EINVAL / -ENOMEM with d
 * saying why.
 */
CS_EXPORT int cs_image_config_parse(const char *buf, size_t len, struct cs_image_config *out,
				    struct cs_diag *d);

/* The same from a file (d names it). */
CS_EXPORT int cs_image_config_load(const char *path, struct cs_image_config *out,
				   struct cs_diag *d);

CS_EXPORT void cs_image_config_free(struct cs_image_config *c);

#endif
