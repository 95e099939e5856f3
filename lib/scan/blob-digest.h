#ifndef CS_SCAN_BLOB_DIGEST_H
#define CS_SCAN_BLOB_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capscope/diag.h"
#include "sha256.h"

/*
 * A blob checked against the digest that names it, as containerd's content
 * store checks each blob it takes in (and docker load each layer's
 * diff_id): an image whose blob was altered after it was written is never
 * run, so it is refused, not scanned. Only sha256 is checked; a digest of
 * another algorithm is refused rather than read unchecked.
 */
struct cs_blob_digest {
	bool on;       /* bytes fed are counted */
	char want[65]; /* the hex the digest names */
	struct cs_sha256 sum;
	uint64_t n;	     /* bytes fed */
	long long want_size; /* the descriptor's size; checked when over 0, as containerd does */
};

/*
 * Start checking against digest ("sha256:" and 64 lower-case hex digits).
 * -EINVAL (d says why, what names the blob) for any other digest.
 */
int cs_blob_digest_start(struct cs_blob_digest *b, const char *digest, const char *what,
			 struct cs_diag *d);
void cs_blob_digest_feed(struct cs_blob_digest *b, const void *data, size_t n);
/*
 * 0 when the bytes fed hash to the digest, else -EINVAL with d naming what,
 * the hash the bytes have and the digest's (uncompressed: the bytes were a
 * layer's tar stream, a diff_id's). Ends the check (b->on false).
 */
int cs_blob_digest_end(struct cs_blob_digest *b, const char *what, bool uncompressed,
		       struct cs_diag *d);
/* A blob held whole: start, feed and end at once; size as want_size. */
int cs_blob_digest_check(const char *digest, long long size, const void *data, size_t len,
			 const char *what, struct cs_diag *d);

#endif
