/* SPDX-License-Identifier: MIT */
/*
 * Media types as containerd reads them (core/images/mediatypes.go, read
 * through the code search, never copied): which descriptors are layers,
 * manifests and indexes, and which layer types its applier decompresses
 * (DiffCompression, then core/diff/stream.go's handler). capscope reads a
 * layer by its bytes; what containerd would do with the same bytes under
 * the descriptor's type decides whether the image is refused (image.c).
 */
#include "media-types.h"

#include <string.h>

#define DOCKER_LAYER   "application/vnd.docker.image.rootfs.diff.tar"
#define DOCKER_FOREIGN "application/vnd.docker.image.rootfs.foreign.diff.tar"
#define OCI_LAYER      "application/vnd.oci.image.layer.v1.tar"
#define OCI_NONDIST    "application/vnd.oci.image.layer.nondistributable.v1.tar"
#define SUFFIX_PIECES  50 /* containerd splits the suffixes into at most 50 */

/* Whether mt's part before the first '+' (all of it without one) is base. */
static bool base_is(const char *mt, const char *base)
{
	size_t n = strcspn(mt, "+");

	return strlen(base) == n && strncmp(mt, base, n) == 0;
}

bool cs_media_is_layer(const char *mt)
{
	static const char *const bases[] = {
	    DOCKER_LAYER,	  DOCKER_FOREIGN, DOCKER_LAYER ".gzip", DOCKER_FOREIGN ".gzip",
	    DOCKER_LAYER ".zstd", OCI_LAYER,	  OCI_NONDIST,
	};

	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (base_is(mt, bases[i]))
			return true;
	return false;
}

/*
 * The greatest of the '+'-separated suffixes, as containerd takes the last
 * after sorting them (Go's byte order: strcmp's); the 50th piece is the
 * rest, '+' and all. Its length in *len; NULL when mt has no '+'.
 */
static const char *last_sorted_suffix(const char *mt, size_t *len)
{
	const char *p = strchr(mt, '+'), *best = NULL;
	size_t best_len = 0;

	for (int k = 1; p; k++) {
		const char *s = p + 1;
		size_t n = k < SUFFIX_PIECES ? strcspn(s, "+") : strlen(s);
		int c = best ? strncmp(s, best, n < best_len ? n : best_len) : 1;

		if (!best || c > 0 || (c == 0 && n > best_len))
			best = s, best_len = n;
		p = k < SUFFIX_PIECES && s[n] ? s + n : NULL;
	}
	*len = best_len;
	return best;
}

bool cs_media_layer_decompresses(const char *mt)
{
	size_t n;
	const char *ext = last_sorted_suffix(mt, &n);

	/* Docker's types: compressed (or "unknown", detected) unless a suffix
	 * wraps them (an encrypted layer), which a processor must undo first */
	if (base_is(mt, DOCKER_LAYER) || base_is(mt, DOCKER_FOREIGN) ||
	    base_is(mt, DOCKER_LAYER ".gzip") || base_is(mt, DOCKER_FOREIGN ".gzip") ||
	    base_is(mt, DOCKER_LAYER ".zstd"))
		return !ext;
	/* OCI's: only when the last sorted suffix is gzip or zstd */
	if (base_is(mt, OCI_LAYER) || base_is(mt, OCI_NONDIST))
		return ext && ((n == 4 && strncmp(ext, "gzip", 4) == 0) ||
			       (n == 4 && strncmp(ext, "zstd", 4) == 0));
	return false;
}

bool cs_media_is_manifest(const char *mt)
{
	return strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json") == 0 ||
	       strcmp(mt, "application/vnd.oci.image.manifest.v1+json") == 0;
}

bool cs_media_is_index(const char *mt)
{
	return strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0 ||
	       strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0;
}
