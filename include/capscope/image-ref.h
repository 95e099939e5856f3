/* SPDX-License-Identifier: MIT */
/*
 * Image references and which archive stands for which image: the
 * `--image REF=ARCHIVE` pairs of `explain pod` (and of any tool that reads
 * manifests with several images: lint, serve). A reference is normalised as
 * Docker and containerd do (distribution/reference ParseNormalizedNamed):
 * `nginx`, `docker.io/nginx` and `docker.io/library/nginx` are the same
 * repository, `index.docker.io` is `docker.io`. A container's `image:` is
 * then matched against each pair's REF with and without tag and digest.
 */
#ifndef CAPSCOPE_IMAGE_REF_H
#define CAPSCOPE_IMAGE_REF_H

#include <stddef.h>

#include "caps.h"
#include "diag.h"

struct cs_image;     /* scan.h */
struct cs_scan_opts; /* scan.h */

/* A parsed reference; every string on the heap (cs_image_ref_free). */
struct cs_image_ref {
	char *name;   /* "docker.io/library/nginx", "quay.io/org/app", "localhost:5000/x" */
	char *tag;    /* "1.25", or NULL when not written */
	char *digest; /* "sha256:<64 hex>", or NULL */
};

/*
 * Parse and normalise s: [DOMAIN/]PATH[:TAG][@DIGEST]. Path components are
 * lower case ([a-z0-9] separated by '.', '_', '__' or dashes), a tag is at
 * most 128 of [A-Za-z0-9_.-] not starting with '.' or '-', a digest is
 * ALGORITHM:ENCODED (sha256 needs 64 lower-case hex digits). -EINVAL with d
 * saying why, -ENOMEM.
 */
CS_EXPORT int cs_image_ref_parse(const char *s, struct cs_image_ref *out, struct cs_diag *d);
CS_EXPORT void cs_image_ref_free(struct cs_image_ref *r);

enum cs_image_match {
	CS_IMAGE_MATCH_NONE = 0,
	CS_IMAGE_MATCH_NAME,   /* given has neither tag nor digest: any tag of that repository */
	CS_IMAGE_MATCH_TAG,    /* same tag ("latest" when the container's image has none) */
	CS_IMAGE_MATCH_DIGEST, /* same digest */
};

/*
 * How `given` (a REF of --image REF=ARCHIVE) names the container's image
 * `ctr`. A REF with a digest matches only that digest; with a tag only that
 * tag (an image: without tag or digest is ":latest", as the kubelet pulls
 * it); a bare REF any tag or digest of the repository.
 */
CS_EXPORT enum cs_image_match cs_image_ref_match(const struct cs_image_ref *given,
						 const struct cs_image_ref *ctr);

/* One --image REF=ARCHIVE pair. */
struct cs_image_pair {
	char *ref_text; /* REF as given */
	struct cs_image_ref ref;
	char *archive;
	struct cs_image *image; /* after cs_image_map_open; may be shared by pairs */
	bool owner;		/* this pair closes image */
};

/*
 * What --image said: one archive for every container (`all`, the plain
 * --image ARCHIVE) or pairs. Initialise with {0}.
 */
struct cs_image_map {
	struct cs_image_pair *v;
	size_t n;
	char *all;
	struct cs_image *all_image;
};

/*
 * Add one --image argument. REF=ARCHIVE when the text before the first '='
 * is a valid reference, else ARCHIVE (a path such as ./a=b.tar stays a path).
 * Refused (-EINVAL, d saying why): a second plain ARCHIVE; plain and REF=
 * forms mixed (the plain one would stand for every image, the pairs for
 * some: ambiguous); a REF given twice with different archives; an argument
 * that names an existing file as a whole and also splits into a valid
 * REF=ARCHIVE whose archive exists (when only the whole exists, it is that
 * file).
 */
CS_EXPORT int cs_image_map_add(struct cs_image_map *m, const char *arg, struct cs_diag *d);

/* Open every archive (each path once). d names the archive that failed. */
CS_EXPORT int cs_image_map_open(struct cs_image_map *m, const struct cs_scan_opts *o,
				struct cs_diag *d);

/*
 * The pair for a container's image: the best match (digest, then tag, then
 * name), or NULL when no pair names it, image is NULL or not a reference.
 * With a plain --image ARCHIVE there are no pairs: use m->all_image.
 */
CS_EXPORT const struct cs_image_pair *cs_image_map_find(const struct cs_image_map *m,
							const char *image);

CS_EXPORT void cs_image_map_free(struct cs_image_map *m);

#endif
