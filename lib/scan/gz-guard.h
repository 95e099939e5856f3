#ifndef CS_SCAN_GZ_GUARD_H
#define CS_SCAN_GZ_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/*
 * libarchive's gzip filter checks neither a member's CRC-32 and size
 * (ISIZE), nor its header's CRC-16, nor what follows the last member: it
 * stops at the first bytes that are not a gzip header. Go's gzip.Reader,
 * which containerd, Docker and podman read layers with (multistream, and
 * drained to the stream's end for the diff_id), fails on each of them:
 * "gzip: invalid checksum", "gzip: invalid header", "unexpected EOF". The
 * guard reads the stored bytes as Go's reader does, inflating each member
 * beside libarchive, as they pass. Bytes that do not start as gzip
 * (1f 8b 08, containerd's test) turn it off.
 */
struct cs_gz_guard {
	int state;
	z_stream z;
	bool z_on;
	unsigned char hdr[512]; /* Go's reader holds a name or comment in 512 bytes */
	size_t have, need;
	unsigned flags;
	uint32_t crc, size, hcrc;
	uint64_t at;	 /* stored bytes seen */
	uint64_t member; /* 1 for the first */
	uint64_t m_at;	 /* where this member starts */
	int err;	 /* what feed returns once the guard failed */
	char why[320];
};

void cs_gz_guard_init(struct cs_gz_guard *g);
void cs_gz_guard_free(struct cs_gz_guard *g);

/* Whether the guard is reading gzip (the bytes started as gzip). */
bool cs_gz_guard_on(const struct cs_gz_guard *g);

/*
 * The next n stored bytes; n == 0 is the stream's end. 0; -EINVAL when Go's
 * reader fails there, -ENOTSUP for a member Go reads and libarchive does not
 * (reserved flags): g->why says how; -ENOMEM.
 */
int cs_gz_guard_feed(struct cs_gz_guard *g, const void *buf, size_t n);

#endif
