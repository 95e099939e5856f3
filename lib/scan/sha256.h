#ifndef CS_SCAN_SHA256_H
#define CS_SCAN_SHA256_H

#include <stddef.h>
#include <stdint.h>

/*
 * SHA-256, written from FIPS 180-4 (section 6.2): the digest every OCI
 * descriptor and docker archive names a blob by. image.c hashes each blob's
 * bytes as its readers stream them, so a blob whose bytes are not the ones
 * its name promises is refused as containerd and docker refuse it.
 */
struct cs_sha256 {
	uint32_t h[8];
	uint64_t total; /* bytes fed so far */
	uint8_t buf[64];
	size_t nbuf;
};

void cs_sha256_init(struct cs_sha256 *s);
void cs_sha256_update(struct cs_sha256 *s, const void *data, size_t n);
void cs_sha256_final(struct cs_sha256 *s, uint8_t out[32]);
/* The digest as 64 lower-case hex digits and a NUL. */
void cs_sha256_hex(struct cs_sha256 *s, char out[65]);

#endif
