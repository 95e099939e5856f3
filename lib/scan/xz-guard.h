#ifndef CS_SCAN_XZ_GUARD_H
#define CS_SCAN_XZ_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * liblzma's xz decoder is opened with no memory limit (by xz-read.c, as
 * libarchive's filter did before it), and each xz block header names the
 * LZMA2 dictionary the decoder allocates: a 45 KB file declaring 4 GiB made
 * a reader touch 300 MB. The guard walks the xz structure as the bytes
 * pass, before they are decoded (stream header,
 * each block header's filters, the LZMA2 chunk headers, which give their
 * sizes, the index and footer), and refuses a dictionary over the limit.
 * Bytes that do not start as xz turn it off: they are not xz's to decode.
 */
#define CS_XZ_DICT_MAX (128ull << 20) /* xz -9 writes 64 MiB */

struct cs_xz_guard {
	int state;
	unsigned char hdr[1024];
	size_t have, need;
	uint64_t skip;	 /* bytes to pass over unread */
	uint64_t blk;	 /* this block's bytes so far, for its padding */
	uint64_t blocks; /* blocks in this stream, for the index */
	uint64_t nrec, vli, vlis, idx;
	unsigned vli_shift;
	unsigned check;
	uint64_t dict; /* the dictionary refused */
	const char *why;
};

void cs_xz_guard_init(struct cs_xz_guard *g);

/* Whether p[0, n) starts with the xz stream header's magic bytes: the one
 * copy of them for the guard, the decoder (xz-read.c) and the reader's
 * check of a stream inside another compression (image.c). */
bool cs_xz_magic_at(const void *p, size_t n);

/*
 * 0; -EFBIG when a block declares a dictionary over CS_XZ_DICT_MAX (its
 * size in g->dict); -EINVAL when the xz structure is not understood (g->why).
 */
int cs_xz_guard_feed(struct cs_xz_guard *g, const void *buf, size_t n);

#endif
