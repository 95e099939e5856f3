/* SPDX-License-Identifier: MIT */
/* An image descriptor's mediaType, as containerd classifies it. */
#ifndef CAPSCOPE_SCAN_MEDIA_TYPES_H
#define CAPSCOPE_SCAN_MEDIA_TYPES_H

#include <stdbool.h>

/* A layer diff's type: Docker's or OCI's, any '+' suffix (DiffCompression
 * knows its base). */
bool cs_media_is_layer(const char *mt);
/*
 * Whether containerd's applier decompresses a layer of this type: it then
 * detects gzip or zstd from the bytes (and passes anything else through);
 * when not, it hands the stored bytes to its tar reader as they are.
 */
bool cs_media_layer_decompresses(const char *mt);
/* An image manifest's type (Docker schema 2 or OCI), exactly. */
bool cs_media_is_manifest(const char *mt);
/* An index's type (OCI index or Docker manifest list), exactly. */
bool cs_media_is_index(const char *mt);

#endif
