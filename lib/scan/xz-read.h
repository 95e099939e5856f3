/* SPDX-License-Identifier: MIT */
#ifndef CS_SCAN_XZ_READ_H
#define CS_SCAN_XZ_READ_H

#include <lzma.h>
#include <stdbool.h>
#include <stdint.h>

#include "archive-dl.h"

/*
 * The xz decoder under libarchive's readers: stored bytes that start as xz
 * are decoded here, with liblzma, and libarchive is handed the plain bytes.
 * libarchive 3.6.2's own xz filter crashed under out of memory: when
 * lzma_stream_decoder fails for memory, xz_lzma_bidder_init frees its state
 * but leaves the filter's close, which then runs on NULL
 * (`scan l.tar.xz`, allocations 113-115 failing alone, exit 139: twenty-
 * seventh pass, part G). So image.c no longer registers that filter.
 */
#define CS_XZ_OUT (64u << 10) /* libarchive's xz filter's out block */

struct cs_xz_read {
	lzma_stream strm;
	bool decided, on, began, in_end, end;
	const unsigned char *next; /* stored bytes pulled, not yet decoded */
	size_t left;
	uint64_t in; /* stored bytes decoded */
	struct archive *a;
	struct cs_xz_read *live_next; /* this thread's decoders in use (cs_xz_under) */
	unsigned char out[CS_XZ_OUT];
};

void cs_xz_read_init(struct cs_xz_read *x);

/*
 * The read callback of a (libarchive's reader): pull gives the stored bytes
 * (its own callback, checked and hashed there); what it gives is decoded
 * when its first piece starts as xz, else handed on as it is. The decoder
 * is known as a's (cs_xz_under) until cs_xz_read_end or a is freed.
 */
la_ssize_t cs_xz_read(struct cs_xz_read *x, struct archive *a, archive_read_callback *pull,
		      void *cd, const void **out);

/* The decoder ended and forgotten (again harmless). */
void cs_xz_read_end(struct cs_xz_read *x);

/* The decoder under reader a, when its stored bytes are xz; else NULL. */
const struct cs_xz_read *cs_xz_under(const struct archive *a);

/* Every decoder of a forgotten (a freed: archive-dl.c). */
void cs_xz_forget(const struct archive *a);

#endif
