/* SPDX-License-Identifier: MIT */
#include "xz-guard.h"

#include <errno.h>
#include <string.h>

/* Written from the .xz file format specification (version 1.1.0). */
enum {
	XG_OFF,
	XG_STREAM,
	XG_BLOCK_OR_INDEX,
	XG_BLOCK_HDR,
	XG_CHUNK,
	XG_CHUNK_HDR,
	XG_SKIP,
	XG_INDEX,
	XG_FOOTER,
	XG_AFTER
};

enum { XG_NEXT_CHUNK, XG_NEXT_BLOCK, XG_NEXT_FOOTER, XG_NEXT_AFTER };

static const unsigned char magic[6] = {0xfd, '7', 'z', 'X', 'Z', 0};

bool cs_xz_magic_at(const void *p, size_t n)
{
	return n >= sizeof(magic) && memcmp(p, magic, sizeof(magic)) == 0;
}

void cs_xz_guard_init(struct cs_xz_guard *g)
{
	memset(g, 0, sizeof(*g));
	g->state = XG_STREAM;
	g->need = 12;
}

static int bad(struct cs_xz_guard *g, const char *why)
{
	g->why = why;
	return -EINVAL;
}

/* A variable-length integer of hdr[*p..end), as the format writes them (at most 9 bytes). */
static int vli(const unsigned char *h, size_t *p, size_t end, uint64_t *v)
{
	*v = 0;
	for (unsigned i = 0; i < 9 && *p < end; i++) {
		unsigned char b = h[(*p)++];

		*v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* The filters a block header names: only LZMA2 last, delta and the BCJ filters before it. */
static int block_header(struct cs_xz_guard *g)
{
	const unsigned char *h = g->hdr;
	size_t p = 2, end = g->need - 4;
	unsigned nf = (h[1] & 3) + 1;
	uint64_t v, id = 0, ps;

	if (h[1] & 0x3c)
		return bad(g, "an xz block header with reserved flags");
	if ((h[1] & 0x40) && vli(h, &p, end, &v) < 0)
		return bad(g, "an xz block header cut short");
	if ((h[1] & 0x80) && vli(h, &p, end, &v) < 0)
		return bad(g, "an xz block header cut short");
	for (unsigned i = 0; i < nf; i++) {
		if (vli(h, &p, end, &id) < 0 || vli(h, &p, end, &ps) < 0 || ps > end - p)
			return bad(g, "an xz block header cut short");
		if (id == 0x21) {
			unsigned char d = h[p];

			if (ps != 1 || d > 40 || i != nf - 1)
				return bad(g, "an xz block's LZMA2 filter not understood");
			g->dict = d == 40 ? 0xffffffffu : (uint64_t)(2 | (d & 1)) << (d / 2 + 11);
			if (g->dict > CS_XZ_DICT_MAX)
				return -EFBIG;
		} else if (id < 3 || id > 0x0b) {
			return bad(g, "an xz block with a filter not understood");
		}
		p += ps;
	}
	if (id != 0x21)
		return bad(g, "an xz block not ending in LZMA2");
	g->blk = g->need;
	g->state = XG_CHUNK;
	return 0;
}

/* The size of each check type's field (the format's table: 0, 4, 8, 16, 32, 64 bytes). */
static unsigned check_size(unsigned t)
{
	return t == 0 ? 0 : 4u << ((t - 1) / 3);
}

static void skip_then(struct cs_xz_guard *g, uint64_t n, int next)
{
	g->skip = n;
	g->need = (size_t)next;
	g->state = XG_SKIP;
}

/* A whole header collected in g->hdr (g->need bytes). */
static int header_done(struct cs_xz_guard *g)
{
	switch (g->state) {
	case XG_STREAM:
		g->check = check_size(g->hdr[7] & 0x0f);
		g->blocks = 0;
		g->state = XG_BLOCK_OR_INDEX;
		return 0;
	case XG_BLOCK_HDR:
		g->blocks++;
		return block_header(g);
	case XG_CHUNK_HDR: /* an uncompressed chunk's size, or an LZMA chunk's packed size */
		g->blk += g->need;
		if (g->need == 2)
			skip_then(g, ((uint64_t)g->hdr[0] << 8 | g->hdr[1]) + 1, XG_NEXT_CHUNK);
		else
			skip_then(g, ((uint64_t)g->hdr[2] << 8 | g->hdr[3]) + 1, XG_NEXT_CHUNK);
		return 0;
	default: /* XG_FOOTER */
		g->state = XG_AFTER;
		return 0;
	}
}

static void collect(struct cs_xz_guard *g, int state, size_t need)
{
	g->state = state;
	g->need = need;
	g->have = 0;
}

static int chunk(struct cs_xz_guard *g, unsigned char c)
{
	g->blk++;
	if (c == 0) { /* the block's end: its padding and check */
		skip_then(g, (4 - g->blk % 4) % 4 + g->check, XG_NEXT_BLOCK);
		return 0;
	}
	if (c == 1 || c == 2)
		collect(g, XG_CHUNK_HDR, 2);
	else if (c >= 0x80)
		collect(g, XG_CHUNK_HDR, c >= 0xc0 ? 5 : 4);
	else
		return bad(g, "an xz LZMA2 chunk not understood");
	return 0;
}

/* The index: its indicator, the count, two numbers a block, padding, CRC32. */
static int index_byte(struct cs_xz_guard *g, unsigned char b)
{
	g->idx++;
	if (g->vlis == 0)
		g->vli |= g->vli_shift < 63 ? (uint64_t)(b & 0x7f) << g->vli_shift : 0;
	g->vli_shift += 7;
	if (b & 0x80)
		return g->vli_shift > 63 ? bad(g, "an xz index not understood") : 0;
	g->vli_shift = 0;
	if (++g->vlis == 1 && g->vli != g->blocks)
		return bad(g, "an xz index not matching its blocks");
	if (g->vlis == 1 + 2 * g->blocks)
		skip_then(g, (4 - g->idx % 4) % 4 + 4, XG_NEXT_FOOTER);
	return 0;
}

static int byte(struct cs_xz_guard *g, unsigned char b)
{
	switch (g->state) {
	case XG_BLOCK_OR_INDEX:
		if (b) {
			collect(g, XG_BLOCK_HDR, ((size_t)b + 1) * 4);
			g->hdr[g->have++] = b;
			return 0;
		}
		g->state = XG_INDEX;
		g->idx = 1;
		g->vli = g->vlis = g->vli_shift = 0;
		return 0;
	case XG_CHUNK:
		return chunk(g, b);
	case XG_INDEX:
		return index_byte(g, b);
	case XG_AFTER: /* stream padding, or another stream */
		if (b == magic[0]) {
			collect(g, XG_STREAM, 12);
			g->hdr[g->have++] = b;
		} else if (b) {
			g->state = XG_OFF; /* not xz: the decoder reads no further */
		}
		return 0;
	default: /* collecting a header */
		if (g->state == XG_STREAM && g->have < 6 && b != magic[g->have]) {
			g->state = XG_OFF; /* not xz (or no longer): nothing to guard */
			return 0;
		}
		g->hdr[g->have++] = b;
		return g->have == g->need ? header_done(g) : 0;
	}
}

int cs_xz_guard_feed(struct cs_xz_guard *g, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	int rc;

	while (n && g->state != XG_OFF) {
		if (g->state == XG_SKIP) {
			uint64_t k = g->skip < n ? g->skip : n;

			g->skip -= k;
			g->blk += k;
			p += k;
			n -= k;
			if (!g->skip) {
				static const int next[] = {XG_CHUNK, XG_BLOCK_OR_INDEX, XG_FOOTER,
							   XG_AFTER};

				if ((g->state = next[g->need]) == XG_FOOTER)
					collect(g, XG_FOOTER, 12);
			}
			continue;
		}
		if ((rc = byte(g, *p++)) < 0) {
			g->state = XG_OFF;
			return rc;
		}
		n--;
	}
	return 0;
}
