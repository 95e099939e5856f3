/* SPDX-License-Identifier: MIT */
#include "xz-read.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "xz-guard.h"

/* libarchive's ARCHIVE_ERRNO_MISC (archive_private.h, not installed) */
#define XZ_ERRNO_MISC (-1)

/* Readers are read by the thread that opened them: one list a thread. */
static __thread struct cs_xz_read *live;

void cs_xz_read_init(struct cs_xz_read *x)
{
	memset(x, 0, offsetof(struct cs_xz_read, out));
	x->strm = (lzma_stream)LZMA_STREAM_INIT;
}

static void unlink_live(struct cs_xz_read *x)
{
	for (struct cs_xz_read **p = &live; *p; p = &(*p)->live_next)
		if (*p == x) {
			*p = x->live_next;
			break;
		}
	x->live_next = NULL;
	x->a = NULL;
}

void cs_xz_read_end(struct cs_xz_read *x)
{
	unlink_live(x);
	if (x->began)
		lzma_end(&x->strm);
	x->began = false;
}

const struct cs_xz_read *cs_xz_under(const struct archive *a)
{
	for (const struct cs_xz_read *x = live; x; x = x->live_next)
		if (x->a == a && x->on)
			return x;
	return NULL;
}

void cs_xz_forget(const struct archive *a)
{
	for (struct cs_xz_read **p = &live; *p;)
		if ((*p)->a == a) {
			struct cs_xz_read *x = *p;

			*p = x->live_next;
			x->live_next = NULL;
			x->a = NULL;
		} else {
			p = &(*p)->live_next;
		}
}

/* liblzma's failure in libarchive's words (its xz filter's, kept: the
 * texts said before are said still); out of memory as capscope's. */
static la_ssize_t lzma_failed(struct archive *a, lzma_ret ret)
{
	switch (ret) {
	case LZMA_MEM_ERROR:
	case LZMA_MEMLIMIT_ERROR:
		errno = ENOMEM;
		archive_set_error(a, ENOMEM, "out of memory");
		break;
	case LZMA_FORMAT_ERROR:
		archive_set_error(a, XZ_ERRNO_MISC, "Lzma library error: format not recognized");
		break;
	case LZMA_OPTIONS_ERROR:
		archive_set_error(a, XZ_ERRNO_MISC, "Lzma library error: Invalid options");
		break;
	case LZMA_DATA_ERROR:
		archive_set_error(a, XZ_ERRNO_MISC, "Lzma library error: Corrupted input data");
		break;
	case LZMA_BUF_ERROR:
		archive_set_error(a, XZ_ERRNO_MISC, "Lzma library error:  No progress is possible");
		break;
	default:
		archive_set_error(a, XZ_ERRNO_MISC, "Lzma decompression failed:  Unknown error");
		break;
	}
	return -1;
}

/* The first piece: xz (the decoder started, as libarchive's filter started
 * it: no memory limit, for xz-guard.c bounds the dictionary; concatenated
 * streams read as one), or not (handed on). */
static la_ssize_t decide(struct cs_xz_read *x, struct archive *a, archive_read_callback *pull,
			 void *cd, const void **out)
{
	la_ssize_t n = pull(a, cd, out);
	lzma_ret ret;

	if (n < 0)
		return n;
	x->decided = true;
	x->a = a;
	x->live_next = live;
	live = x;
	if (!cs_xz_magic_at(*out, (size_t)n))
		return n;
	if ((ret = lzma_stream_decoder(&x->strm, UINT64_MAX, LZMA_CONCATENATED)) != LZMA_OK)
		return lzma_failed(a, ret);
	x->began = x->on = true;
	x->next = *out;
	x->left = (size_t)n;
	return 1; /* decoded below */
}

la_ssize_t cs_xz_read(struct cs_xz_read *x, struct archive *a, archive_read_callback *pull,
		      void *cd, const void **out)
{
	if (!x->decided) {
		la_ssize_t n = decide(x, a, pull, cd, out);

		if (n <= 0 || !x->on)
			return n;
	} else if (!x->on) {
		return pull(a, cd, out);
	}
	x->strm.next_out = x->out;
	x->strm.avail_out = sizeof(x->out);
	/* The block filled, or the stream's end, as libarchive's filter read:
	 * an error of the data is met where it met it (a cut stream refused
	 * at the header it reads, not at the entry after). */
	while (x->strm.avail_out > 0 && !x->end) {
		lzma_ret ret;

		if (!x->left && !x->in_end) {
			const void *p;
			la_ssize_t n = pull(a, cd, &p);

			if (n < 0)
				return n;
			x->in_end = n == 0;
			x->next = p;
			x->left = (size_t)n;
		}
		x->strm.next_in = x->next;
		x->strm.avail_in = x->left;
		ret = lzma_code(&x->strm, x->in_end ? LZMA_FINISH : LZMA_RUN);
		x->in += x->left - x->strm.avail_in;
		x->next = x->strm.next_in;
		x->left = x->strm.avail_in;
		if (ret == LZMA_STREAM_END)
			x->end = true;
		else if (ret != LZMA_OK)
			return lzma_failed(a, ret);
	}
	*out = x->out;
	return (la_ssize_t)(sizeof(x->out) - x->strm.avail_out);
}
