/* SPDX-License-Identifier: MIT */
#include "gz-guard.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "../internal/util.h"

/*
 * Written from RFC 1952 and what Go's compress/gzip Reader (multistream,
 * the default) does with it: the magic and method 8 (reserved flags and XFL
 * not checked), FEXTRA, FNAME and FCOMMENT (each NUL-ended within 512
 * bytes), FHCRC checked against the header's CRC-32, the deflate data, then
 * CRC-32 and ISIZE checked; then either the stream's end, or 10 more bytes
 * that must start another member (fewer: unexpected EOF).
 */
enum {
	GZ_OFF,
	GZ_HDR,
	GZ_XLEN,
	GZ_XDATA,
	GZ_NAME,
	GZ_COMMENT,
	GZ_HCRC,
	GZ_DATA,
	GZ_TRAILER,
	GZ_BAD
};

enum { F_HCRC = 2, F_EXTRA = 4, F_NAME = 8, F_COMMENT = 16 };

static const char go_header[] = "gzip: invalid header";
static const char go_sum[] = "gzip: invalid checksum";
static const char go_eof[] = "unexpected EOF";

void cs_gz_guard_init(struct cs_gz_guard *g)
{
	memset(g, 0, sizeof(*g));
	g->state = GZ_HDR;
	g->need = 10;
	g->member = 1;
}

void cs_gz_guard_free(struct cs_gz_guard *g)
{
	if (g->z_on)
		inflateEnd(&g->z);
	g->z_on = false;
}

bool cs_gz_guard_on(const struct cs_gz_guard *g)
{
	return g->state != GZ_OFF && (g->member > 1 || g->have >= 3 || g->state != GZ_HDR);
}

static int bad(struct cs_gz_guard *g, const char *go, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct cs_gz_guard *g, const char *go, const char *fmt, ...)
{
	char what[120];
	va_list ap;

	va_start(ap, fmt);
	cs_vformat_cut(what, sizeof(what), fmt, ap);
	va_end(ap);
	cs_format_cut(g->why, sizeof(g->why),
		      "gzip member %llu (at byte %llu): %s: Go's gzip reader (containerd, Docker, "
		      "podman) fails, %s",
		      (unsigned long long)g->member, (unsigned long long)g->m_at, what, go);
	g->state = GZ_BAD;
	g->err = -EINVAL;
	return -EINVAL;
}

static void collect(struct cs_gz_guard *g, int state, size_t need)
{
	g->state = state;
	g->have = 0;
	g->need = need;
}

/* The header's next field after the one just read. */
static int next_field(struct cs_gz_guard *g, int after)
{
	if (after < GZ_XLEN && (g->flags & F_EXTRA))
		return collect(g, GZ_XLEN, 2), 0;
	if (after < GZ_NAME && (g->flags & F_NAME))
		return collect(g, GZ_NAME, 0), 0;
	if (after < GZ_COMMENT && (g->flags & F_COMMENT))
		return collect(g, GZ_COMMENT, 0), 0;
	if (after < GZ_HCRC && (g->flags & F_HCRC))
		return collect(g, GZ_HCRC, 2), 0;
	if (!g->z_on) {
		memset(&g->z, 0, sizeof(g->z));
		if (inflateInit2(&g->z, -15) != Z_OK)
			return -ENOMEM;
		g->z_on = true;
	} else if (inflateReset(&g->z) != Z_OK) {
		return -ENOMEM;
	}
	g->crc = (uint32_t)crc32(0, Z_NULL, 0);
	g->size = 0;
	g->state = GZ_DATA;
	return 0;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int header_byte(struct cs_gz_guard *g, unsigned char b)
{
	static const unsigned char magic[3] = {0x1f, 0x8b, 8};

	g->hdr[g->have++] = b;
	if (g->member == 1 && g->have <= 3 && b != magic[g->have - 1]) {
		g->state = GZ_OFF; /* not gzip: not the guard's to read */
		return 0;
	}
	if (g->have < g->need)
		return 0;
	if (memcmp(g->hdr, magic, 3))
		return bad(g, go_header, "the bytes after member %llu are not a gzip header",
			   (unsigned long long)(g->member - 1));
	g->flags = g->hdr[3];
	/* Go's reader ignores them; libarchive's filter takes such a member
	 * for no gzip (the first: "Unrecognized archive format"; a later one:
	 * the stream's end, the rest unread). Neither reading is Go's. */
	if (g->flags & 0xe0) {
		cs_format_cut(
		    g->why, sizeof(g->why),
		    "gzip member %llu (at byte %llu) sets reserved flags (%#x): Go's gzip "
		    "reader (containerd, Docker, podman) reads it, libarchive does not",
		    (unsigned long long)g->member, (unsigned long long)g->m_at, g->flags & 0xe0);
		g->state = GZ_BAD;
		g->err = -ENOTSUP;
		return -ENOTSUP;
	}
	g->hcrc = (uint32_t)crc32(0, g->hdr, 10);
	return next_field(g, GZ_HDR);
}

static int byte(struct cs_gz_guard *g, unsigned char b)
{
	switch (g->state) {
	case GZ_HDR:
		return header_byte(g, b);
	case GZ_XLEN:
		g->hdr[g->have++] = b;
		g->hcrc = (uint32_t)crc32(g->hcrc, &b, 1);
		if (g->have < 2)
			return 0;
		g->need = g->hdr[0] | (size_t)g->hdr[1] << 8;
		collect(g, GZ_XDATA, g->need);
		return g->need ? 0 : next_field(g, GZ_XDATA);
	case GZ_XDATA:
		g->hcrc = (uint32_t)crc32(g->hcrc, &b, 1);
		return ++g->have < g->need ? 0 : next_field(g, GZ_XDATA);
	case GZ_NAME:
	case GZ_COMMENT:
		g->hcrc = (uint32_t)crc32(g->hcrc, &b, 1);
		if (b)
			return ++g->have < sizeof(g->hdr)
				   ? 0
				   : bad(g, go_header, "its %s has no NUL within 512 bytes",
					 g->state == GZ_NAME ? "file name" : "comment");
		return next_field(g, g->state);
	case GZ_HCRC:
		g->hdr[g->have++] = b;
		if (g->have < 2)
			return 0;
		if ((g->hdr[0] | (uint32_t)g->hdr[1] << 8) != (g->hcrc & 0xffff))
			return bad(g, go_header, "its header's CRC-16 is %04x, the header's %04x",
				   g->hdr[0] | g->hdr[1] << 8, g->hcrc & 0xffff);
		return next_field(g, GZ_HCRC);
	case GZ_TRAILER:
		g->hdr[g->have++] = b;
		if (g->have < 8)
			return 0;
		if (le32(g->hdr) != g->crc)
			return bad(g, go_sum, "its CRC-32 is %08x, its data's %08x", le32(g->hdr),
				   g->crc);
		if (le32(g->hdr + 4) != g->size)
			return bad(g, go_sum, "its size is %u (mod 2^32), its data's %u",
				   le32(g->hdr + 4), g->size);
		g->member++;
		g->m_at = g->at + 1;
		collect(g, GZ_HDR, 10);
		return 0;
	default:
		return 0;
	}
}

/* Deflate data from p; *used: how much of it the member took. */
static int inflate_some(struct cs_gz_guard *g, const unsigned char *p, size_t n, size_t *used)
{
	unsigned char out[16384];
	int zr;

	g->z.next_in = (unsigned char *)p;
	g->z.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	do {
		g->z.next_out = out;
		g->z.avail_out = sizeof(out);
		zr = inflate(&g->z, Z_NO_FLUSH);
		g->crc = (uint32_t)crc32(g->crc, out, (uInt)(sizeof(out) - g->z.avail_out));
		g->size += (uint32_t)(sizeof(out) - g->z.avail_out);
	} while (zr == Z_OK && (g->z.avail_in || !g->z.avail_out));
	*used = (size_t)(g->z.next_in - p);
	if (zr == Z_STREAM_END)
		collect(g, GZ_TRAILER, 8);
	else if (zr == Z_MEM_ERROR)
		return -ENOMEM;
	else if (zr != Z_OK && zr != Z_BUF_ERROR)
		return bad(g, "flate: corrupt input", "damaged deflate data (zlib: %s)",
			   g->z.msg ? g->z.msg : "error");
	return 0;
}

static int at_end(struct cs_gz_guard *g)
{
	switch (g->state) {
	case GZ_OFF:
		return 0;
	case GZ_HDR:
		if (g->member == 1 && g->have < 3) {
			g->state = GZ_OFF; /* too short to be gzip */
			return 0;
		}
		if (g->member > 1 && !g->have)
			return 0; /* a whole last member: Go's io.EOF */
		if (g->member > 1)
			return bad(g, go_eof, "%zu bytes after member %llu, too few for a header",
				   g->have, (unsigned long long)(g->member - 1));
		return bad(g, go_eof, "the stream ends in its header");
	case GZ_DATA:
		return bad(g, go_eof, "the stream ends in its deflate data");
	case GZ_TRAILER:
		return bad(g, go_eof, "the stream ends in its trailer");
	default:
		return bad(g, go_eof, "the stream ends in its header");
	}
}

int cs_gz_guard_feed(struct cs_gz_guard *g, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	int rc;

	if (g->state == GZ_BAD)
		return g->err;
	if (!n)
		return at_end(g);
	while (n && g->state != GZ_OFF) {
		if (g->state == GZ_DATA) {
			size_t used = 0;

			if ((rc = inflate_some(g, p, n, &used)) < 0)
				return rc;
			p += used;
			n -= used;
			g->at += used;
			continue;
		}
		if ((rc = byte(g, *p)) < 0)
			return rc;
		p++;
		n--;
		g->at++;
	}
	return 0;
}
