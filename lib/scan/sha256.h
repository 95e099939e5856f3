#ifndef CS_SCAN_SHA256_H
#define CS_SCAN_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * SHA-256, written from FIPS 180-4 (section 6.2): the digest every OCI
 * descriptor and docker archive names a blob by. image.c hashes each blob's
 * bytes as its readers stream them, so a blob whose bytes are not the ones
 * its name promises is refused as containerd and docker refuse it.
 *
 * Where the processor has the x86 SHA extensions the blocks are hashed with
 * them (sha256-x86.c): the portable code ran at about a fifth of the speed
 * of gzip's decompression, and scanning an image hashes both a layer's
 * compressed and its uncompressed bytes.
 */
struct cs_sha256 {
	uint32_t h[8];
	uint64_t total; /* bytes fed so far */
	uint8_t buf[64];
	size_t nbuf;
	/* the SHA extensions are used: set by cs_sha256_init where the
	 * processor has them; a test clears it to check the portable code */
	bool sha_ni;
};

void cs_sha256_init(struct cs_sha256 *s);
void cs_sha256_update(struct cs_sha256 *s, const void *data, size_t n);
void cs_sha256_final(struct cs_sha256 *s, uint8_t out[32]);
/* The digest as 64 lower-case hex digits and a NUL. */
void cs_sha256_hex(struct cs_sha256 *s, char out[65]);

#endif
