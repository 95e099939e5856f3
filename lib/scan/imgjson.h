/* SPDX-License-Identifier: MIT */
/* The JSON documents of an image: docker manifest.json, OCI index/manifest, config. */
#ifndef CAPSCOPE_SCAN_IMGJSON_H
#define CAPSCOPE_SCAN_IMGJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "capscope/diag.h"
#include "capscope/image.h"

struct cs_img_manifest {
	char *config;  /* docker: a file name; OCI: a digest */
	char **layers; /* NULL-terminated; docker: file names; OCI: digests */
	size_t nlayers;
	char *index_child;  /* OCI: a digest of a nested index or manifest to read instead */
	char *child_type;   /* its descriptor's mediaType: a manifest's or an index's */
	char **layer_types; /* OCI: each layer descriptor's mediaType (a layer's) */
	char **diff_ids;    /* docker: the config's rootfs.diff_ids, one a layer */
	/* OCI: each descriptor's "size" (a Go int64, typed by imgjson-types.c),
	 * -1 where it has none: the blob's bytes are counted against it. */
	long long *layer_sizes;
	long long config_size, child_size;
	bool child_unplatformed; /* index_child's entry has no platform */
};

/* manifest.json of 'docker save': the first image of the array. */
int cs_img_docker_manifest(const char *buf, size_t len, struct cs_img_manifest *m,
			   struct cs_diag *d);
/*
 * An OCI index (index.json, or a nested index): the manifest for
 * linux/host-architecture, else the first. Sets m->index_child and
 * m->child_type only; an entry whose mediaType is neither a manifest's nor
 * an index's is refused, as containerd refuses it.
 */
int cs_img_oci_index(const char *buf, size_t len, struct cs_img_manifest *m, struct cs_diag *d);
/*
 * An OCI (or docker v2) image manifest; a blob that is an index sets
 * index_child. What it is is read from its keys: for fuzzing and unit tests
 * (an image's blobs are read as their descriptors say, cs_img_oci_child).
 */
int cs_img_oci_manifest(const char *buf, size_t len, struct cs_img_manifest *m, struct cs_diag *d);
/*
 * The blob an index entry names, read as its descriptor's type says (an
 * index's or a manifest's: cs_img_oci_index refused any other), and refused
 * when it holds the other kind's keys, as containerd refuses it. what: its
 * name in messages.
 */
int cs_img_oci_child(const char *buf, size_t len, const char *type, const char *what,
		     struct cs_img_manifest *m, struct cs_diag *d);
/*
 * The config's rootfs.diff_ids, into m->diff_ids: docker load checks each
 * layer's uncompressed bytes against its own, and refuses a config without
 * them or with another count than the manifest's layers.
 */
int cs_img_docker_diff_ids(const char *buf, size_t len, struct cs_img_manifest *m,
			   struct cs_diag *d);
/*
 * The platform of an image config (os, architecture, variant, os.features)
 * against this host, as containerd matches the config of a manifest whose
 * index entry has no platform; -ENOENT with d saying so when it is
 * another's. what: the manifest's digest, for the message.
 */
int cs_img_config_platform(const char *buf, size_t len, const char *what, struct cs_diag *d);
/* "sha256:HEX" → "blobs/sha256/HEX"; -EINVAL unless it is a well-formed digest. */
int cs_img_digest_path(const char *digest, char *out, size_t len);

void cs_img_manifest_free(struct cs_img_manifest *m);

#endif
