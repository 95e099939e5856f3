/* SPDX-License-Identifier: MIT */
/*
 * A node page's text kept deflated, a block at a time (twenty-second pass,
 * part F). The page was held whole: /metrics is some 18 KB a container
 * (122 samples, each with the container's labels), 66 MB for 4,000
 * bundles, and the agent peaked at 89.6 MB, over its DaemonSet's 64 MiB.
 * The text is now written through a stream that deflates each
 * SERVE_PAGE_BLOCK of it alone (raw deflate, level 1): a page holds about a
 * twentieth of its text, and a block is inflated into the response's own
 * buffer as it is sent (serve-page.c), with no allocation (the inflater is
 * made before the answer is queued, and a whole block inflated with
 * Z_FINISH needs no window). The bytes sent are those written.
 *
 * A failure while the page is written (a block's deflated bytes not kept
 * for memory) fails the stream's write, so render_page sees ferror or a
 * failed fclose and answers 500: never 200 with a hole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "serve.h"

struct serve_zpage {
	unsigned char *z; /* the blocks deflated, one after another */
	size_t zlen, zcap;
	size_t *off; /* block i is z[off[i] .. off[i + 1]) */
	size_t nblk, offcap;
	size_t len; /* of the text */
	z_stream ds;
	bool ds_ok;
	size_t fill;
	unsigned char block[SERVE_PAGE_BLOCK]; /* the text not yet deflated */
};

static int grow(void **p, size_t *cap, size_t need, size_t unit)
{
	size_t c = *cap ? *cap : 16;
	void *n;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(n = realloc(*p, c * unit)))
		return -1;
	*p = n;
	*cap = c;
	return 0;
}

/* Deflate the block being filled onto z. */
static int deflate_block(struct serve_zpage *zp)
{
	size_t bound = deflateBound(&zp->ds, zp->fill);
	int r;

	if (grow((void **)&zp->off, &zp->offcap, zp->nblk + 2, sizeof(size_t)) < 0 ||
	    grow((void **)&zp->z, &zp->zcap, zp->zlen + bound, 1) < 0)
		return -1;
	zp->ds.next_in = zp->block;
	zp->ds.avail_in = (uInt)zp->fill;
	zp->ds.next_out = zp->z + zp->zlen;
	zp->ds.avail_out = (uInt)(zp->zcap - zp->zlen);
	r = deflate(&zp->ds, Z_FINISH);
	if (r != Z_STREAM_END || deflateReset(&zp->ds) != Z_OK)
		return -1;
	zp->off[zp->nblk] = zp->zlen;
	zp->zlen = zp->zcap - zp->ds.avail_out;
	zp->off[++zp->nblk] = zp->zlen;
	zp->len += zp->fill;
	zp->fill = 0;
	return 0;
}

static ssize_t zpage_write(void *cookie, const char *data, size_t n)
{
	struct serve_zpage *zp = cookie;
	size_t done = 0;

	while (done < n) {
		size_t k = SERVE_PAGE_BLOCK - zp->fill;

		if (k > n - done)
			k = n - done;
		memcpy(zp->block + zp->fill, data + done, k);
		zp->fill += k;
		done += k;
		if (zp->fill == SERVE_PAGE_BLOCK && deflate_block(zp) < 0)
			return -1;
	}
	return (ssize_t)n;
}

/* The last block, and the deflater let go: a failure fails fclose. */
static int zpage_close(void *cookie)
{
	struct serve_zpage *zp = cookie;
	int r = zp->fill ? deflate_block(zp) : 0;

	deflateEnd(&zp->ds);
	zp->ds_ok = false;
	return r;
}

FILE *serve_zpage_open(struct serve_zpage **out)
{
	static const cookie_io_functions_t io = {.write = zpage_write, .close = zpage_close};
	struct serve_zpage *zp = calloc(1, sizeof(*zp));
	FILE *f;

	*out = zp;
	if (!zp)
		return NULL;
	/* Raw deflate with a window of a block: each block alone. */
	if (deflateInit2(&zp->ds, 1, Z_DEFLATED, -14, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(zp);
		*out = NULL;
		return NULL;
	}
	zp->ds_ok = true;
	if (!(f = fopencookie(zp, "w", io))) {
		deflateEnd(&zp->ds);
		free(zp);
		*out = NULL;
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 65536);
	return f;
}

/* What was kept: the staging block is let go (the page keeps the rest). */
void serve_zpage_seal(struct serve_zpage *zp)
{
	unsigned char *z = realloc(zp->z, zp->zlen ? zp->zlen : 1);

	if (z) { /* a shrink that fails keeps the larger block */
		zp->z = z;
		zp->zcap = zp->zlen;
	}
}

size_t serve_zpage_len(const struct serve_zpage *zp)
{
	return zp->len;
}

void serve_zpage_free(struct serve_zpage *zp)
{
	if (!zp)
		return;
	if (zp->ds_ok)
		deflateEnd(&zp->ds);
	free(zp->z);
	free(zp->off);
	free(zp);
}

/* An inflater for one response, made before its answer is queued. */
void *serve_zpage_reader(void)
{
	z_stream *zs = calloc(1, sizeof(*zs));

	if (zs && inflateInit2(zs, -14) != Z_OK) {
		free(zs);
		zs = NULL;
	}
	return zs;
}

void serve_zpage_reader_free(void *reader)
{
	if (reader) {
		inflateEnd(reader);
		free(reader);
	}
}

/* Inflate block i whole into out (room for the block's text). */
static int inflate_block(const struct serve_zpage *zp, z_stream *zs, size_t i, char *out,
			 size_t want)
{
	int r;

	if (inflateReset(zs) != Z_OK)
		return -1;
	zs->next_in = zp->z + zp->off[i];
	zs->avail_in = (uInt)(zp->off[i + 1] - zp->off[i]);
	zs->next_out = (unsigned char *)out;
	zs->avail_out = (uInt)want;
	r = inflate(zs, Z_FINISH);
	return r == Z_STREAM_END && zs->avail_out == 0 ? 0 : -1;
}

/*
 * The text from pos, at most max bytes, into buf; -1 when it cannot be
 * made. libmicrohttpd asks for a whole block at a block's start (it asks
 * again only once the last answer is sent, at the position after it), so
 * the block is inflated into buf; any other position is served through a
 * block of its own (never seen).
 */
ssize_t serve_zpage_read(const struct serve_zpage *zp, void *reader, uint64_t pos, char *buf,
			 size_t max)
{
	size_t i = (size_t)(pos / SERVE_PAGE_BLOCK), at = (size_t)(pos % SERVE_PAGE_BLOCK);
	size_t blen, n;
	char *tmp;

	if (pos >= zp->len || i >= zp->nblk)
		return 0;
	blen = zp->len - (size_t)(pos - at) < SERVE_PAGE_BLOCK ? zp->len - (size_t)(pos - at)
							       : SERVE_PAGE_BLOCK;
	n = blen - at < max ? blen - at : max;
	if (at == 0 && n == blen)
		return inflate_block(zp, reader, i, buf, blen) < 0 ? -1 : (ssize_t)n;
	if (!(tmp = malloc(blen)))
		return -1;
	if (inflate_block(zp, reader, i, tmp, blen) < 0) {
		free(tmp);
		return -1;
	}
	memcpy(buf, tmp + at, n);
	free(tmp);
	return (ssize_t)n;
}
