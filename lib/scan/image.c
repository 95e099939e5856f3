/* SPDX-License-Identifier: MIT */
/*
 * The image reader. Everything is read as a stream with libarchive and
 * applied to an in-memory view (view.c); no byte of the image is written to
 * disk and no path from the image is ever opened on the host.
 *
 * An archive is first read once as if it were a single layer while the small
 * JSON files are kept; if it holds a docker manifest.json or an OCI
 * oci-layout + index.json it is an image, and each layer is then read in
 * manifest order by reopening the outer archive and streaming the layer's
 * entry through a second libarchive reader (nested, never buffered whole).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive-dl.h"
#include "archive-words.h"
#include "blob-digest.h"
#include "capscope/scan.h"
#include "imgjson.h"
#include "layer-rec.h"
#include "media-types.h"
#include "siphash.h"
#include "tar-shadow.h"
#include "gz-guard.h"
#include "xz-guard.h"
#include "xz-read.h"
#include "view.h"
#include "../internal/exec-script.h"
#include "../internal/open-in-root.h"
#include "../internal/scan-fuzz.h"
#include "../internal/util.h"

#define BLOB_MAX    (4u << 20)	/* a JSON document of the image */
#define BLOBS_TOTAL (64u << 20) /* what pass 1 keeps of other small files */
#define ENTRIES_MAX (16u << 20) /* entries per layer */
#define RATIO_FLOOR (1u << 20)	/* the ratio is checked past this many output bytes */
#define IO_BLOCK    (128u << 10)

struct blob {
	char *name; /* normalized without the leading "/" */
	char *data;
	size_t len;
};

struct img {
	const char *path;
	int dirfd; /* OCI layout directory, else -1 */
	const struct cs_scan_opts *o;
	uint64_t max_bytes, max_ratio, used;
	struct cs_scan_result *r;
	struct cs_diag *d;
	struct cs_view v;
	struct blob *blobs; /* pass 1's copies: top_names, then small JSON files and blobs */
	size_t nblobs, blobcap, blobs_total; /* blobs_total: bytes held, names too */
	unsigned top_seen[3];		     /* entries of each of top_names */
	const char *top_why[3];		     /* why that one cannot be read, NULL when it can */
	bool keep_blobs;
	/* Pass 1 reads a docker or OCI archive as a layer too: a layer no
	 * applier unpacks is refused once the file is known to be one. */
	char unpackable[256];
	/* "layer 2" for messages (the field); NULL in pass 1, which reads a file
	 * of a kind not yet known (a layer, or a docker or OCI archive): its
	 * errors are the file's, which the caller names. */
	const char *label;
	int layer;
	uint64_t seen;	   /* entries read, for the progress line */
	bool keep_etc;	   /* keep the content of passwd/group files (cs_image_open) */
	struct stat first; /* the file as pass 1 opened it (fetch_etc opens it again) */
	size_t kept;	   /* bytes of such content read so far */
	bool have_cfg;	   /* r->config holds the (first) image's config */
	const char *kind;
	/* A docker-archive's entries, found by one pass (outer_index). */
	struct outer_ent *outer;
	size_t nouter;
	uint8_t outer_key[16]; /* its names' SipHash key, fresh for each image */
	bool outer_tried, outer_ok, outer_seekable;
	/* A compressed archive cannot be sought: one reader goes on forward from
	 * layer to layer, and starts again only for a layer stored before the
	 * last one read. seq_next: the ordinal of the header it reads next. */
	struct archive *seq;
	size_t seq_next;
	struct archive_entry *seq_entry; /* its headers (next_header) */
	struct cs_layer_rec *rec;	 /* the layer's entries are kept here, not applied */
	size_t rec_mem;			 /* bytes all kept layers hold */
	bool rec_over;			 /* the layer being kept passed KEPT_MAX */
	bool rereading;			 /* read again in its turn (open_outer_seq charges) */
	struct refetch *fetch;		 /* a layer read again for these files' bytes (fetch_etc) */
	size_t nfetch;
	/* The digest that names the layer layer_name chose (OCI), NULL when
	 * none; its stored bytes are hashed (sum) as they are read, every one,
	 * none sought over, and checked when the layer is read. */
	const char *layer_digest;
	long long layer_size; /* its descriptor's size, -1 when none */
	/* A layer a manifest names is being read (layer_name), not pass 1's file
	 * of a kind not yet known; OCI: its descriptor's mediaType, else NULL. */
	bool named_layer;
	const char *layer_media;
	bool sum_tar; /* docker: the digest is a diff_id, of the uncompressed tar */
	struct cs_blob_digest sum;
	/* The layer's stored bytes read as Go's gzip reader reads them
	 * (gz-guard.h), every one, to the stream's end: gz_rest. */
	struct cs_gz_guard gz;
	/* Why the layer's decompressed stream failed under the tar reader,
	 * which then says only "Truncated input file": arc_err says this. */
	char piece_why[200];
	/* The document and field that name the member being opened
	 * ("manifest.json: Layers[2]", "index.json: manifests"), "" when none
	 * does (index.json itself): a member's refusal names it (member_fail). */
	char named_by[160];
	char oci_manifest[160]; /* the OCI manifest read (its blob's path), for named_by */
};

/*
 * A passwd or group file whose bytes the first read did not keep: a hard
 * link to a file of another name (its bytes went by before the link named
 * it), or one past ETC_TOTAL. Entry nth of its layer, read again.
 */
struct refetch {
	struct cs_vnode *n;
	uint32_t nth;
	int layer;
	char *data;
	size_t len;
};

/*
 * One entry of a docker-archive's outer tar: each layer was found by reading
 * the archive from its start, one header after another, so 1,000 layers cost
 * half a million header reads (2.3 s; the 4,096 layers a manifest may list,
 * each naming the last of 100,000 entries, would take about half an hour).
 */
struct outer_ent {
	/* Names are kept as keyed hashes (siphash.h), not their bytes: 30,000
	 * empty entries of 3.9 KB names (a 1 MB gzip) held 115 MB as strings,
	 * 1.4 MB so. What the index finds is checked against the entry's own
	 * header before it is read (entry_is). */
	uint64_t name; /* of the normalized name */
	uint64_t link; /* a link's normalized target (a symlink's joined to its directory) */
	int64_t pos;   /* its header's offset in the tar */
	size_t order;  /* of several entries of one name the first is taken */
	size_t raw;    /* its ordinal among all the tar's headers */
	bool reg, is_link, bad_link;
};

/* The largest passwd/group file kept, and all of them over all layers: an
 * image full of files named passwd cannot fill memory. */
#define ETC_MAX	  (1u << 20)
#define ETC_TOTAL (16u << 20)

/*
 * A reader of tar (format_tar) or of the decompressed bytes (format_raw).
 * Only decompressors libarchive has built in: never the external-program
 * fallbacks (lrzip, lzop, grzip), which would run a host program on hostile
 * bytes. zstd's own default window limit (2^27) bounds its memory. Not
 * libarchive's xz: every read callback here decodes xz itself (xz-read.h
 * says why), so libarchive sees the plain bytes.
 */
static struct archive *new_reader_of(int (*format)(struct archive *))
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	/* Each registration allocates: one that failed left a reader without
	 * that decompressor or the format, and the layer was said to be "No
	 * formats registered" or a failed gzip decompression (session 26).
	 * NULL, as for the reader itself: out of memory. */
	if (archive_read_support_filter_gzip(a) < ARCHIVE_WARN ||
	    archive_read_support_filter_zstd(a) < ARCHIVE_WARN ||
	    archive_read_support_filter_bzip2(a) < ARCHIVE_WARN || format(a) < ARCHIVE_WARN) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static struct archive *new_reader(void)
{
	return new_reader_of(archive_read_support_format_tar);
}

/*
 * An error of the layer (or archive) being read, its label ("layer 2
 * (blobs/sha256/…)") first in the message: as the diagnostic's field (63
 * bytes) it cut every digest short, with no closing parenthesis.
 */
static int img_fail(struct img *im, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int img_fail(struct img *im, int err, const char *fmt, ...)
{
	/* Room for a whole 255-byte note and what the format adds to it: the
	 * join below, not this buffer, decides what is cut. */
	char msg[512], joined[sizeof(im->d->message)];
	va_list ap;

	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!im->label)
		return cs_diag_set(im->d, err, 0, 0, NULL, "%s", msg);
	/* The layer's label, then the message with its reason kept whole. */
	cs_join_cut(joined, sizeof(joined), im->label, msg);
	return cs_diag_set(im->d, err, 0, 0, NULL, "%s", joined);
}

/*
 * A member of the archive or layout (a layer, a config, a manifest) that
 * cannot be read: the field that names it, then its name quoted as one
 * word, then why (twenty-first pass, part E: "NAME: layer not found in the
 * archive", the name unquoted and manifest.json's field not said).
 */
static int member_fail(struct img *im, int err, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int member_fail(struct img *im, int err, const char *name, const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	cs_vformat_cut(why, sizeof(why), fmt, ap);
	va_end(ap);
	return cs_diag_set(im->d, err, 0, 0, im->named_by[0] ? im->named_by : NULL, "'%.*s%s': %s",
			   CS_MSG_CUTS(name, 200), why);
}

static int over_max_bytes(struct img *im)
{
	return img_fail(im, EFBIG,
			"more than %llu uncompressed bytes: refusing (decompression bomb?)",
			(unsigned long long)im->max_bytes);
}

static int bomb_check(struct img *im, struct archive *a, uint64_t base)
{
	const struct cs_xz_read *x = cs_xz_under(a);
	uint64_t out = (uint64_t)archive_filter_bytes(a, 0);
	/* the stored bytes: under an xz decoder of capscope's, its input */
	uint64_t in = x ? x->in : (uint64_t)archive_filter_bytes(a, -1);

	if (base + out > im->max_bytes)
		return over_max_bytes(im);
	if (out > RATIO_FLOOR && in > 0 && out / in > im->max_ratio)
		return img_fail(im, EFBIG,
				"inflates more than %llu:1: refusing (decompression bomb?)",
				(unsigned long long)im->max_ratio);
	return 0;
}

/*
 * A call of libarchive's that failed (rc) with errno 0 before it, and
 * ENOMEM after it, failed on an allocation: its own, or its
 * decompressor's, which it words as the data's fault (zlib's window
 * allocated in inflate returns Z_MEM_ERROR; libarchive 3.6 says "gzip
 * decompression failed", errno ARCHIVE_ERRNO_MISC: twenty-seventh pass,
 * part G). Said as memory instead. rc is returned.
 */
static int la_short(struct archive *a, int rc)
{
	if (rc < ARCHIVE_WARN && errno == ENOMEM)
		archive_set_error(a, ENOMEM, "out of memory");
	return rc;
}

/* archive_read_data, and archive_read_data_block, through la_short */
static la_ssize_t la_data(struct archive *a, void *buf, size_t n)
{
	la_ssize_t r;

	errno = 0;
	r = archive_read_data(a, buf, n);
	if (r < 0)
		la_short(a, ARCHIVE_FATAL);
	return r;
}

static int la_block(struct archive *a, const void **p, size_t *size, la_int64_t *off)
{
	errno = 0;
	return la_short(a, archive_read_data_block(a, p, size, off));
}

/*
 * The next header of a, into *e (allocated at the first call, NULL before;
 * the caller frees it with archive_entry_free). libarchive 3.6's
 * archive_read_new does not check the allocation of the entry its
 * archive_read_next_header fills: under out of memory such a reader crashed
 * at its first header (twenty-seventh pass, part C: `scan l.tar.gz`, 4 of
 * 162 allocations failing alone, exit 139). An entry of capscope's,
 * checked, is filled instead.
 */
static int next_header(struct archive *a, struct archive_entry **e)
{
	if (!*e && !(*e = archive_entry_new())) {
		archive_set_error(a, ENOMEM, "out of memory");
		return ARCHIVE_FATAL;
	}
	errno = 0;
	return la_short(a, archive_read_next_header2(a, *e));
}

static void entry_freep(struct archive_entry **e)
{
	if (*e)
		archive_entry_free(*e);
}

#define cleanup_entry __attribute__((cleanup(entry_freep)))

/*
 * archive_read_open, each step checked. libarchive 3.6's archive_read_open
 * ignores archive_read_set_callback_data's failure to allocate, and
 * archive_read_open1 then read through a NULL pointer (a crash under out
 * of memory, twenty-seventh pass, part C); archive_read_open1's own
 * allocation that fails sets no error, said "unreadable archive". With no
 * opener of capscope's, an open1 that failed saying nothing failed there.
 */
static int open_checked(struct archive *a, void *data, archive_read_callback *rd,
			archive_close_callback *cl)
{
	int rc;

	if (archive_read_set_read_callback(a, rd) != ARCHIVE_OK ||
	    archive_read_set_close_callback(a, cl) != ARCHIVE_OK ||
	    archive_read_set_callback_data(a, data) != ARCHIVE_OK) {
		archive_set_error(a, ENOMEM, "out of memory");
		return ARCHIVE_FATAL;
	}
	errno = 0;
	if ((rc = archive_read_open1(a)) < ARCHIVE_WARN && !archive_error_string(a))
		archive_set_error(a, ENOMEM, "out of memory");
	return la_short(a, rc);
}

static int arc_err(struct img *im, struct archive *a, const char *what)
{
	char words[200];
	const char *s = cs_archive_words(archive_error_string(a), words, sizeof(words));
	int e = archive_errno(a);

	if (im->d && im->d->message[0])
		return -(e > 0 ? e : EINVAL); /* a limit already said why */
	if (im->piece_why[0])		      /* the decompressor's reason, not the tar reader's */
		return img_fail(im, EIO, "%s: decompressing the layer: %s", what, im->piece_why);
	return img_fail(im, e > 0 ? e : EINVAL, "%s: %s", what, s);
}

/*
 * Bytes on their way to the xz decoder (xz-read.c), checked first (xz-guard.h
 * says why): 0, or the reader's error (img_fail) set on `a` too.
 */
static int xz_check(struct img *im, struct archive *a, struct cs_xz_guard *g, const void *buf,
		    size_t n)
{
	int rc = cs_xz_guard_feed(g, buf, n);

	if (rc == -EFBIG)
		img_fail(im, EFBIG,
			 "an xz block declares a %llu MiB dictionary, over the %llu MiB limit: "
			 "refusing",
			 (unsigned long long)((g->dict + (1u << 20) - 1) >> 20),
			 (unsigned long long)(CS_XZ_DICT_MAX >> 20));
	else if (rc < 0)
		img_fail(im, EINVAL, "%s: refusing", g->why);
	if (rc < 0 && a)
		archive_set_error(a, -rc, "%s", im->d ? im->d->message : "xz");
	return rc;
}

/*
 * Stored bytes of a layer, read as Go's gzip reader reads them (n == 0: the
 * stream's end): 0, or the reader's error (img_fail) set on `a` too.
 */
static int gz_check(struct img *im, struct archive *a, struct cs_gz_guard *g, const void *buf,
		    size_t n)
{
	int rc = cs_gz_guard_feed(g, buf, n);

	if (rc == -EINVAL)
		img_fail(im, EINVAL, "%s; refusing", g->why);
	else if (rc == -ENOTSUP)
		img_fail(im, ENOTSUP, "%s; refusing", g->why);
	else if (rc < 0)
		img_fail(im, -rc, "reading gzip: %s", strerror(-rc));
	if (rc < 0 && a)
		archive_set_error(a, -rc, "%s", im->d ? im->d->message : "gzip");
	return rc;
}

/* A layer's gzip guard, fresh. */
static struct cs_gz_guard *gz_start(struct img *im)
{
	cs_gz_guard_free(&im->gz);
	cs_gz_guard_init(&im->gz);
	return &im->gz;
}

/*
 * The layer read (rc 0), the rest of its stored bytes, which libarchive
 * leaves unread past the tar's end or past bytes that are not a gzip
 * header, read by the gzip guard from fd or the outer entry, and its end:
 * containerd, Docker and podman read a layer to the stream's end (the
 * diff_id), and fail there. Bytes read are hashed when hash.
 */
static int gz_rest(struct img *im, int rc, int fd, struct archive *outer, bool hash)
{
	char buf[IO_BLOCK];
	ssize_t n;

	if (rc < 0 || im->rec_over || !cs_gz_guard_on(&im->gz))
		return rc;
	do {
		n = fd >= 0 ? read(fd, buf, sizeof(buf)) : la_data(outer, buf, sizeof(buf));
		if (n > 0 && hash)
			cs_blob_digest_feed(&im->sum, buf, (size_t)n);
		if (n > 0 && (rc = gz_check(im, NULL, &im->gz, buf, (size_t)n)) < 0)
			return rc;
	} while (n > 0 || (n < 0 && fd >= 0 && errno == EINTR));
	if (n < 0)
		return fd >= 0 ? img_fail(im, errno, "reading: %s", strerror(errno))
			       : arc_err(im, outer, "reading the layer");
	return gz_check(im, NULL, &im->gz, NULL, 0);
}

/* A file (by path, or an fd not ours) read through the xz guard. */
struct guarded {
	struct img *im;
	int fd;
	bool own;
	bool hash; /* the layer's stored bytes: fed to im->sum */
	struct cs_xz_guard xz;
	struct cs_gz_guard own_gz, *gz; /* a layer's: im->gz, read on by gz_rest */
	struct cs_xz_read dec;
	char buf[IO_BLOCK];
};

/* The stored bytes, checked and hashed (decoded by guarded_read). */
static la_ssize_t guarded_pull(struct archive *a, void *cd, const void **out)
{
	struct guarded *g = cd;
	ssize_t n;

	do
		n = read(g->fd, g->buf, sizeof(g->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	if (xz_check(g->im, a, &g->xz, g->buf, (size_t)n) < 0 ||
	    gz_check(g->im, a, g->gz, g->buf, (size_t)n) < 0)
		return -1;
	if (g->hash)
		cs_blob_digest_feed(&g->im->sum, g->buf, (size_t)n);
	*out = g->buf;
	return n;
}

static la_ssize_t guarded_read(struct archive *a, void *cd, const void **out)
{
	struct guarded *g = cd;

	return cs_xz_read(&g->dec, a, guarded_pull, g, out);
}

/*
 * Uncompressed tar skips file bodies; an xz stream is read whole, never
 * skipped. libarchive sees no filter under an xz stream (xz-read.c decodes
 * it in guarded_read) and asks this to skip: the decoder's state, not only
 * the guard's, which turns off at bytes after the stream that are not xz's
 * while the decoder still holds bytes before them.
 */
static la_int64_t guarded_skip(struct archive *a, void *cd, la_int64_t want)
{
	struct guarded *g = cd;
	off_t at = lseek(g->fd, 0, SEEK_CUR);

	(void)a;
	if (!g->dec.decided || g->dec.on || g->xz.state || cs_gz_guard_on(g->gz) || g->hash ||
	    at < 0 || lseek(g->fd, want, SEEK_CUR) < 0)
		return 0;
	return want;
}

static int guarded_close(struct archive *a, void *cd)
{
	struct guarded *g = cd;

	(void)a;
	if (g->own)
		close(g->fd);
	cs_xz_read_end(&g->dec);
	cs_gz_guard_free(&g->own_gz);
	free(g);
	return ARCHIVE_OK;
}

/*
 * archive_read_open_filename (path) or _fd (fd, when path is NULL), with the
 * xz guard, and the gzip guard gz (a layer's, left for gz_rest) or its own.
 */
static int open_guarded(struct img *im, struct archive *a, const char *path, int fd,
			struct cs_gz_guard *gz)
{
	struct guarded *g = malloc(sizeof(*g));

	if (!g) {
		archive_set_error(a, ENOMEM, "out of memory");
		return ARCHIVE_FATAL;
	}
	g->im = im;
	g->own = path != NULL;
	g->hash = path == NULL && im->sum.on && !im->sum_tar;
	g->fd = path ? open(path, O_RDONLY | O_CLOEXEC) : fd;
	if (g->fd < 0) {
		archive_set_error(a, errno, "cannot open: %s", strerror(errno));
		free(g);
		return ARCHIVE_FATAL;
	}
	cs_xz_guard_init(&g->xz);
	cs_xz_read_init(&g->dec);
	cs_gz_guard_init(&g->own_gz);
	g->gz = gz ? gz : &g->own_gz;
	archive_read_set_skip_callback(a, guarded_skip);
	return open_checked(a, g, guarded_read, guarded_close);
}

/* A nested reader: the layer's bytes come from the outer archive's current entry. */
struct nested {
	struct archive *outer;
	struct img *im;
	struct cs_xz_guard xz;
	struct cs_xz_read dec;
	char buf[IO_BLOCK];
};

/* The layer's stored bytes, checked and hashed (decoded by nested_read). */
static la_ssize_t nested_pull(struct archive *a, void *cd, const void **out)
{
	struct nested *s = cd;
	la_ssize_t n = la_data(s->outer, s->buf, sizeof(s->buf));

	if (n < 0) {
		archive_set_error(a, EIO, "%s", archive_error_string(s->outer));
		return -1;
	}
	if (bomb_check(s->im, s->outer, 0) < 0) {
		archive_set_error(a, EFBIG, "%s", s->im->d ? s->im->d->message : "too large");
		return -1;
	}
	if (xz_check(s->im, a, &s->xz, s->buf, (size_t)n) < 0 ||
	    gz_check(s->im, a, &s->im->gz, s->buf, (size_t)n) < 0)
		return -1;
	if (!s->im->sum_tar)
		cs_blob_digest_feed(&s->im->sum, s->buf, (size_t)n);
	*out = s->buf;
	return n;
}

static la_ssize_t nested_read(struct archive *a, void *cd, const void **out)
{
	struct nested *s = cd;

	return cs_xz_read(&s->dec, a, nested_pull, s, out);
}

/*
 * A layer is read in two archives: `raw` takes the bytes as stored and
 * gives them decompressed (libarchive's filters, its raw format), and the
 * tar reader takes those through shadow_read, which shows each piece to Go's
 * reader's shadow (tar-shadow.c) on the way. The two must name the same
 * entries, or the layer is refused (apply_layer, layer_agrees).
 */
static struct archive *new_raw_reader(void)
{
	return new_reader_of(archive_read_support_format_raw);
}

/* raw: a decompressing reader; or fd, a plain (uncompressed) file read directly. */
struct shadowed {
	struct archive *raw;
	struct cs_tar_shadow *sh;
	struct img *im;
	int fd;
	char *buf;
	char words[160]; /* the decompressor's error, in capscope's words */
	bool looked;	 /* at the first decompressed bytes (xz_stacked) */
};

/*
 * The compressions undone on a's stored bytes, as libarchive numbers its
 * filters (0 the last undone), capscope's xz decoder (under libarchive's)
 * last: their number, at most max.
 */
static int compressions(struct archive *a, int *codes, int max)
{
	int n = archive_filter_count(a) - 1, k = 0; /* its last: the bytes as stored */

	for (int i = 0; i < n && k < max; i++)
		codes[k++] = archive_filter_code(a, i);
	if (cs_xz_under(a) && k < max)
		codes[k++] = ARCHIVE_FILTER_XZ;
	return k;
}

/*
 * An xz stream behind another compression (an xz'd file gzip'd) would reach
 * the decoder unchecked: refused, as containerd, which undoes one
 * compression, could not read it either. Seen in the first bytes the raw
 * reader gives (no reader here undoes xz but capscope's, at the bottom).
 */
static int xz_stacked(struct shadowed *s, const void *p, size_t n)
{
	int codes[1];

	s->looked = true;
	if (!cs_xz_magic_at(p, n) || !compressions(s->raw, codes, 1))
		return 0;
	return img_fail(s->im, EINVAL, "an xz stream inside another compression: refusing");
}

/* The next piece of the stream (0 at its end): from the file, or
 * decompressed, with the bounds checked as it inflates. */
static la_ssize_t next_piece(struct shadowed *s, const void **out, const char **why)
{
	la_int64_t off;
	size_t size = 0;
	ssize_t n;
	int rc;

	if (!s->raw) {
		do
			n = read(s->fd, s->buf, IO_BLOCK);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			*why = strerror(errno);
		else
			cs_blob_digest_feed(&s->im->sum, s->buf, (size_t)n);
		*out = s->buf;
		return n;
	}
	do {
		rc = la_block(s->raw, out, &size, &off);
		if (rc == ARCHIVE_EOF)
			return 0;
		if (rc < ARCHIVE_WARN) {
			*why = cs_archive_words(archive_error_string(s->raw), s->words,
						sizeof(s->words));
			return -1;
		}
		if (bomb_check(s->im, s->raw, s->im->used) < 0 ||
		    (size && !s->looked && xz_stacked(s, *out, size) < 0)) {
			*why = s->im->d ? s->im->d->message : "too large";
			return -1;
		}
	} while (!size);
	if (s->im->sum_tar)
		cs_blob_digest_feed(&s->im->sum, *out, size);
	return (la_ssize_t)size;
}

/* The next piece, shown to the shadow on its way (its end too). */
static la_ssize_t raw_piece(struct shadowed *s, const void **out, const char **why)
{
	la_ssize_t n = next_piece(s, out, why);

	if (n == 0)
		cs_tar_shadow_finish(s->sh);
	else if (n > 0 && cs_tar_shadow_feed(s->sh, *out, (size_t)n) < 0)
		return *why = "out of memory", -1;
	return n;
}

/* A plain file's entry bodies are seeked over, as libarchive did before it
 * read through the shadow; only what the shadow also passes unread. */
static la_int64_t shadow_skip(struct archive *a, void *cd, la_int64_t want)
{
	struct shadowed *s = cd;
	uint64_t n = cs_tar_shadow_skippable(s->sh);
	struct stat st;
	off_t at;

	(void)a;
	if (want <= 0 || !n || s->im->sum.on) /* a hashed blob is read whole */
		return 0;
	if ((uint64_t)want < n)
		n = (uint64_t)want;
	/* Never past the end: lseek there succeeds, and a truncated body was
	 * taken as skipped (libarchive reads the rest and says "Truncated"). */
	if ((at = lseek(s->fd, 0, SEEK_CUR)) < 0 || fstat(s->fd, &st) < 0 || at >= st.st_size)
		return 0;
	if ((uint64_t)(st.st_size - at) < n)
		n = (uint64_t)(st.st_size - at);
	if (lseek(s->fd, (off_t)n, SEEK_CUR) < 0)
		return 0; /* libarchive reads through instead */
	cs_tar_shadow_skip(s->sh, n);
	return (la_int64_t)n;
}

static la_ssize_t shadow_read(struct archive *a, void *cd, const void **out)
{
	const char *why = NULL;
	struct shadowed *s = cd;
	la_ssize_t n = raw_piece(s, out, &why);

	if (n < 0) {
		archive_set_error(a, EIO, "%s", why ? why : "unreadable layer");
		if (s->raw && !s->im->piece_why[0])
			snprintf(s->im->piece_why, sizeof(s->im->piece_why), "%s",
				 why ? why : "unreadable layer");
	}
	return n;
}

static int shadow_failed(struct img *im, const struct cs_tar_shadow *sh)
{
	return img_fail(im, EINVAL,
			"containerd and Docker (Go's tar reader and their applier) fail on this "
			"layer: %s; refusing it",
			cs_tar_shadow_error(sh));
}

/* The file type libarchive gives an entry of Go's typeflag t, or 0 where it may differ. */
static mode_t go_filetype(char t)
{
	switch (t) {
	case '0':
		return AE_IFREG;
	case '2':
		return AE_IFLNK;
	case '3':
		return AE_IFCHR;
	case '4':
		return AE_IFBLK;
	case '5':
		return AE_IFDIR;
	case '6':
		return AE_IFIFO;
	default: /* '1' (libarchive: a file when it has a body); the shadow refuses the rest */
		return 0;
	}
}

static const char *filetype_words(mode_t ft)
{
	switch (ft) {
	case AE_IFREG:
		return "a regular file";
	case AE_IFDIR:
		return "a directory";
	case AE_IFLNK:
		return "a symbolic link";
	case AE_IFCHR:
		return "a character device";
	case AE_IFBLK:
		return "a block device";
	case AE_IFIFO:
		return "a fifo";
	default:
		return "no file type";
	}
}

/*
 * The numbers the view takes from libarchive against Go's. The shadow
 * matched names and links only, and the two parse numbers differently: a
 * mode field "\0" "004755" is 0 to libarchive (its octal parser stops at
 * the NUL), 04755 to Go (which trims NULs first), so a set-uid root file
 * containerd writes was scanned as mode 0: "0 findings", exit 0.
 */
static int numbers_agree(struct img *im, const struct cs_tar_go_meta *m, struct archive_entry *e,
			 uint64_t nth, const char *name)
{
	mode_t ft = go_filetype(m->type);
	const char *what;
	long long la, go;

	if (ft && archive_entry_filetype(e) != ft)
		return img_fail(im, EINVAL,
				"entry %llu ('%s') is %s to libarchive and %s to Go's tar reader "
				"(containerd, Docker): refusing to choose",
				(unsigned long long)nth, name,
				filetype_words(archive_entry_filetype(e)), filetype_words(ft));
	if ((archive_entry_mode(e) & 07777) != (m->mode & 07777))
		return img_fail(im, EINVAL,
				"entry %llu ('%s') has mode %#llo to libarchive and %#llo to Go's "
				"tar reader (containerd, Docker): refusing to choose",
				(unsigned long long)nth, name,
				(unsigned long long)(archive_entry_mode(e) & 07777),
				(unsigned long long)(m->mode & 07777));
	if (archive_entry_uid(e) != m->uid)
		what = "uid", la = archive_entry_uid(e), go = m->uid;
	else if (archive_entry_gid(e) != m->gid)
		what = "gid", la = archive_entry_gid(e), go = m->gid;
	else if (ft == AE_IFREG && !m->sparse && archive_entry_size(e) != m->size)
		what = "size", la = archive_entry_size(e), go = m->size;
	else
		return 0;
	return img_fail(im, EINVAL,
			"entry %llu ('%s') has %s %lld to libarchive and %lld to Go's tar reader "
			"(containerd, Docker): refusing to choose",
			(unsigned long long)nth, name, what, la, go);
}

/*
 * libarchive's warning that a PAX name (path, linkpath, uname, gname) is not
 * UTF-8 and could not be converted to the locale: it keeps the bytes, as
 * Go's tar reader does (no PAX record is checked for UTF-8 there), and
 * containerd and podman unpack such a name as those bytes. The entry's
 * name and link have been checked against Go's (layer_agrees), and the
 * names of owners are not read: nothing to say. Its text was a note that
 * made a scan of a whole image exit 2 ("Pathname can't be converted from
 * UTF-8 to current locale."). libarchive sets ARCHIVE_ERRNO_FILE_FORMAT (EILSEQ
 * on Linux) and this text for that warning only.
 */
static bool charset_only(struct archive *a)
{
	const char *es = archive_error_string(a);

	return archive_errno(a) == EILSEQ && es &&
	       strstr(es, " can't be converted from UTF-8 to current locale");
}

/* The entry libarchive has just read, against the one Go's reader reads there. */
static int layer_agrees(struct img *im, struct cs_tar_shadow *sh, struct archive_entry *e,
			uint64_t nth)
{
	const char *go_name, *go_link, *name = archive_entry_pathname(e);
	const char *link = archive_entry_hardlink(e);

	if (!link && archive_entry_filetype(e) == AE_IFLNK)
		link = archive_entry_symlink(e);
	if (cs_tar_shadow_error(sh))
		return shadow_failed(im, sh);
	if (!cs_tar_shadow_next(sh, &go_name, &go_link))
		return img_fail(
		    im, EINVAL,
		    "entry %llu ('%s') is no entry to Go's tar reader (containerd, "
		    "Docker): libarchive and Go read this layer differently; refusing it",
		    (unsigned long long)nth, name ? name : "");
	if (strcmp(name ? name : "", go_name) != 0)
		return img_fail(im, EINVAL,
				"entry %llu is '%s' to libarchive and '%s' to Go's tar reader "
				"(containerd, Docker), as when a PAX path and a GNU long name "
				"disagree: refusing to choose",
				(unsigned long long)nth, name ? name : "", go_name);
	if ((link || go_link) && (!link || !go_link || strcmp(link, go_link) != 0))
		return img_fail(im, EINVAL,
				"entry %llu ('%s') links to '%s' for libarchive and '%s' for Go's "
				"tar reader (containerd, Docker): refusing to choose",
				(unsigned long long)nth, go_name, link ? link : "",
				go_link ? go_link : "");
	return numbers_agree(im, cs_tar_shadow_meta(sh), e, nth, go_name);
}

/*
 * libarchive is at its end of the layer: Go's reader must be at its own,
 * with nothing more to unpack. The rest of the stream is read through the
 * shadow until Go's end (a stream that stops at a header ends it too).
 */
static int layer_ends_alike(struct img *im, struct shadowed *s)
{
	const char *go_name, *go_link, *why = NULL;
	const void *buf;

	while (!cs_tar_shadow_ended(s->sh) && !cs_tar_shadow_error(s->sh)) {
		la_ssize_t n = raw_piece(s, &buf, &why);

		if (n < 0)
			return img_fail(im, EIO, "%s", why ? why : "unreadable layer");
		if (n == 0)
			break;
	}
	if (cs_tar_shadow_error(s->sh))
		return shadow_failed(im, s->sh);
	if (cs_tar_shadow_next(s->sh, &go_name, &go_link))
		return img_fail(im, EINVAL,
				"Go's tar reader (containerd, Docker) reads an entry '%s' after "
				"libarchive's end of this layer: refusing it",
				go_name);
	return 0;
}

static int apply_layer(struct img *im, struct archive *a, struct shadowed *sh);
static int fetch_layer(struct img *im, struct archive *a, struct shadowed *sh);

/* The name of one of the compressions new_reader_of reads. */
static const char *filter_name(int code)
{
	switch (code) {
	case ARCHIVE_FILTER_GZIP:
		return "gzip";
	case ARCHIVE_FILTER_ZSTD:
		return "zstd";
	case ARCHIVE_FILTER_XZ:
		return "xz";
	case ARCHIVE_FILTER_BZIP2:
		return "bzip2";
	}
	return "compressed";
}

/*
 * What the runtimes would make of a layer's stored bytes, from the
 * compressions libarchive found on them (raw, opened). Each undoes one
 * compression (containerd's and Docker's DecompressStream, containers/
 * storage's, read through the code search) and hands the rest to a tar
 * reader, so a layer compressed twice fails there; capscope's reader undid
 * every one and read it. containerd's applier decompresses only a type
 * whose DiffCompression names one (media-types.c), and then gzip and zstd
 * only, detected from the bytes (`+gzip` on zstd bytes is read there):
 * anything else reaches its tar reader compressed and fails. CRI-O detects
 * every compression from the bytes: which runtime pulls is not known, so
 * what containerd fails is refused (as a layer type that is no layer's).
 */
static int layer_compression(struct img *im, struct archive *raw)
{
	int codes[8], n = compressions(raw, codes, 8);
	int code = n > 0 ? codes[n - 1] : ARCHIVE_FILTER_NONE;
	const char *name = filter_name(code);
	const char *mt = im->layer_media;

	if (n > 1)
		return img_fail(im, EINVAL,
				"its bytes are %s inside %s: containerd, CRI-O and Docker undo "
				"one compression and fail to read a tar in what is left; "
				"refusing the image",
				filter_name(codes[n - 2]), name);
	if (!mt || code == ARCHIVE_FILTER_NONE ||
	    (cs_media_layer_decompresses(mt) &&
	     (code == ARCHIVE_FILTER_GZIP || code == ARCHIVE_FILTER_ZSTD)))
		return 0;
	/* each cut to fit the 256 bytes with the label (86 for a digest) */
	if (!cs_media_layer_decompresses(mt))
		return img_fail(im, EINVAL,
				"%s bytes, mediaType '%.*s%s' names no compression: containerd's "
				"tar reader fails; refusing the image",
				name, CS_MSG_CUTS(mt, 64));
	return img_fail(im, EINVAL,
			"%s bytes: containerd undoes only gzip and zstd (whatever the "
			"mediaType), and its tar reader fails; refusing the image",
			name);
}

/*
 * The decompressed stream past the tar's end, read to its end (hashed when
 * the digest is a diff_id), so that the decompressor reads every stored
 * byte: containerd, Docker and podman drain a layer for its diff_id, and
 * Go's zstd and gzip readers fail on a frame's checksum, bytes after the
 * last frame, or a cut stream there. libarchive stopped where the tar
 * reader did: an OCI blob or a layer given alone was scanned whatever
 * followed (a zstd frame's checksum, "junk").
 */
static int raw_drain(struct shadowed *s)
{
	const char *why = NULL;
	const void *p;
	la_ssize_t n;

	while ((n = next_piece(s, &p, &why)) > 0)
		;
	if (n == 0)
		return 0;
	if (s->im->d && s->im->d->message[0])
		return -EINVAL; /* said (a limit, the gzip guard) */
	return img_fail(s->im, EIO,
			"past the tar's end: %s: containerd, Docker and podman read a layer to its "
			"end: refusing",
			why ? why : "unreadable");
}

/*
 * Read the tar stream that raw (opened, not yet read) holds, or the plain
 * file fd when raw is NULL, through Go's reader's shadow, applying it as a
 * layer. -errno, with im->d saying why.
 */
static int read_shadowed(struct img *im, struct archive *raw, int fd, const char *what)
{
	struct shadowed s = {raw, NULL, im, fd, NULL};
	cleanup_entry struct archive_entry *e = NULL;
	struct archive *tar = NULL;
	int rc = raw && im->named_layer ? layer_compression(im, raw) : 0;
	bool eof;

	if (rc < 0)
		return rc;
	rc = raw ? next_header(raw, &e) : ARCHIVE_OK;
	if (rc != ARCHIVE_OK && rc != ARCHIVE_EOF)
		return arc_err(im, raw, what);
	eof = rc == ARCHIVE_EOF;
	if (cs_tar_shadow_new(&s.sh) < 0 || (!raw && !(s.buf = malloc(IO_BLOCK))) ||
	    !(tar = archive_read_new()) || archive_read_support_format_tar(tar) < ARCHIVE_WARN) {
		if (tar)
			archive_read_free(tar);
		cs_tar_shadow_free(s.sh);
		free(s.buf);
		return -ENOMEM;
	}
	if (!raw)
		archive_read_set_skip_callback(tar, shadow_skip);
	if (rc == ARCHIVE_EOF) /* no bytes at all: Go's reader ends at once */
		cs_tar_shadow_finish(s.sh);
	im->piece_why[0] = 0;
	if (open_checked(tar, &s, shadow_read, NULL) != ARCHIVE_OK)
		rc = arc_err(im, tar, what);
	else
		rc = im->fetch ? fetch_layer(im, tar, &s) : apply_layer(im, tar, &s);
	if (rc == 0 && raw && !eof && !im->rec_over)
		rc = raw_drain(&s);
	im->piece_why[0] = 0;
	archive_read_free(tar);
	cs_tar_shadow_free(s.sh);
	free(s.buf);
	return rc;
}

/* Whether a file starts as one of the four compressions new_raw_reader reads. */
static bool compressed(int fd)
{
	unsigned char m[6] = {0};

	if (pread(fd, m, sizeof(m), 0) < 2)
		return false;
	return (m[0] == 0x1f && m[1] == 0x8b) || !memcmp(m, "BZh", 3) ||
	       !memcmp(m,
		       "\xfd"
		       "7zXZ\0",
		       6) ||
	       !memcmp(m, "\x28\xb5\x2f\xfd", 4);
}

/* The layer in file fd, compressed or not, read through the shadow. */
static int read_shadowed_fd(struct img *im, int fd, const char *what)
{
	struct archive *raw;
	int rc;

	if (!compressed(fd))
		return read_shadowed(im, NULL, fd, what);
	if (!(raw = new_raw_reader()))
		return -ENOMEM;
	if (open_guarded(im, raw, NULL, fd, gz_start(im)) != ARCHIVE_OK)
		rc = arc_err(im, raw, what);
	else
		rc = gz_rest(im, read_shadowed(im, raw, -1, what), fd, NULL,
			     im->sum.on && !im->sum_tar);
	archive_read_free(raw);
	return rc;
}

/* Read the whole of the current entry (size bytes, at most BLOB_MAX) into *out. */
static int read_entry(struct img *im, struct archive *a, const char *name, int64_t size, char **out,
		      size_t *len)
{
	char *data = malloc((size_t)size + 1);
	size_t got = 0;

	if (!data)
		return -ENOMEM;
	while (got < (size_t)size) {
		la_ssize_t n = la_data(a, data + got, (size_t)size - got);

		if (n < 0) {
			free(data);
			return arc_err(im, a, name);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	data[got] = 0;
	*out = data;
	*len = got;
	return 0;
}

/*
 * The three files that make an archive an image. docker load and podman
 * load extract the archive and then open these by name: a link is followed,
 * and of two entries of one name the last is the file. Each must be one
 * regular file of at most 4 MiB here, else what is read is not what they
 * read: a manifest.json not kept (over 4 MiB, a link, or past 64 MiB of
 * other JSON kept before it) made the archive a plain layer, scanned as its
 * own files (no finding, exit 0); of two, the first was kept.
 */
static const char *const top_names[] = {"/manifest.json", "/index.json", "/oci-layout"};

/*
 * Other files the image may name (configs, OCI manifests), kept from pass 1
 * while they fit, so that a compressed archive need not be read again from
 * its start for them; any other is read from the archive when it is named
 * (get_blob).
 */
static bool wants_blob(const char *n)
{
	size_t l = strlen(n);

	return (l > 5 && strcmp(n + l - 5, ".json") == 0) || strncmp(n, "/blobs/", 7) == 0;
}

static int keep_blob(struct img *im, struct archive *a, struct archive_entry *e, const char *norm)
{
	const char *why = NULL;
	int64_t size = archive_entry_size(e);
	size_t cost;
	bool top = false,
	     regular = archive_entry_filetype(e) == AE_IFREG && !archive_entry_hardlink(e);
	struct blob *b;
	int rc;

	for (size_t i = 0; i < 3 && !top; i++)
		if ((top = !strcmp(norm, top_names[i])) && im->top_seen[i]++)
			why =
			    "in the archive twice (docker load reads the last): refusing to choose";
	if (top && !why && !regular)
		why = "not a regular file (a link or a directory): not read";
	else if (top && !why && (size < 0 || size > BLOB_MAX))
		why = "larger than 4 MiB: not read";
	if (why) { /* said by top_check if the archive is read as an image */
		for (size_t i = 0; i < 3; i++)
			if (!strcmp(norm, top_names[i]) && !im->top_why[i])
				im->top_why[i] = why;
		return 0;
	}
	/* Its name and its place count too: 100,000 empty "x.json" of 3.9 KB
	 * names (3 MB of gzip) were all kept, 390 MB, for a 64 MiB bound. */
	cost = sizeof(*b) + strlen(norm) + (size >= 0 ? (size_t)size : 0) + 1;
	if (!top && (!regular || !wants_blob(norm) || size < 0 || size > BLOB_MAX ||
		     im->blobs_total + cost > BLOBS_TOTAL))
		return 0;
	if (im->nblobs == im->blobcap) {
		size_t nc = im->blobcap ? 2 * im->blobcap : 16;

		if (!(b = realloc(im->blobs, nc * sizeof(*b))))
			return -ENOMEM;
		im->blobs = b;
		im->blobcap = nc;
	}
	b = &im->blobs[im->nblobs];
	if (!(b->name = strdup(norm + 1)))
		return -ENOMEM;
	rc = read_entry(im, a, norm + 1, size, &b->data, &b->len);
	if (rc < 0) {
		free(b->name);
		return rc;
	}
	im->nblobs++;
	im->blobs_total += top ? 0 : cost;
	return 0;
}

static const struct blob *find_blob(const struct img *im, const char *name)
{
	char norm[4097];
	int fl;

	if (cs_view_normalize(name, norm, sizeof(norm), &fl) < 0)
		return NULL;
	for (size_t i = 0; i < im->nblobs; i++)
		if (strcmp(im->blobs[i].name, norm + 1) == 0)
			return &im->blobs[i];
	return NULL;
}

/* passwd and group files: what a USER name in the config needs to become ids. */
static bool wants_content(const char *name, int64_t size)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	return size >= 0 && (uint64_t)size <= ETC_MAX &&
	       (strcmp(base, "passwd") == 0 || strcmp(base, "group") == 0);
}

/*
 * A regular file's first bytes: explain follows a "#!" script's interpreter
 * as execve does, and knows a file execve has no format for
 * (lib/exec-script.c). Returns how many bytes head holds, or -errno.
 */
static la_ssize_t read_head(struct img *im, struct archive *a, char head[CS_EXEC_HEAD_MAX])
{
	size_t got = 0;

	while (got < CS_EXEC_HEAD_MAX) {
		la_ssize_t n = la_data(a, head + got, CS_EXEC_HEAD_MAX - got);

		if (n < 0)
			return arc_err(im, a, "reading a file's first bytes");
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (la_ssize_t)got;
}

/*
 * The owner an unpacked file gets. containerd, Docker and CRI-O pass Go's
 * int to lchown(2), whose uid_t keeps the low 32 bits: 2^32 is 0 there,
 * -2 is 4294967294; and (uid_t)-1 there means "leave it": the file stays
 * the unpacker's (root, or root of a rootless runtime's user namespace).
 * An id of 2^32, or -1, or 4294967295 was shown as 4294967295 ("nobody
 * can match"), where the file is root's: a set-uid root file reported as
 * set-uid to nobody.
 */
static uint32_t id32(la_int64_t v)
{
	uint32_t id = (uint32_t)(uint64_t)v;

	return id == UINT32_MAX ? 0 : id;
}

/*
 * An entry's security.capability: the value Go's reader gives it (the
 * shadow's), which containerd and Docker set. libarchive gives PAX
 * SCHILY.xattr.* and LIBARCHIVE.xattr.* records alike and does not say
 * which is which: a LIBARCHIVE.xattr.security.capability record alone was
 * reported as the file's capabilities (the twelfth pass), and of two
 * records the shown one could not be chosen as Go chooses it.
 */
static void entry_fcaps(struct cs_tar_shadow *sh, struct cs_ventry *ve)
{
	const void *xv;
	size_t xs;
	struct cs_diag dd;

	if (!cs_tar_shadow_fcaps(sh, &xv, &xs))
		return;
	ve->has_fcaps = true;
	ve->fcaps_invalid = cs_fcaps_decode(xv, xs, &ve->fcaps, &dd) < 0;
}

/*
 * A note of the layer being read: said now, or kept with its entries
 * (im->rec) and said at each place it is applied, as an archive read again
 * for each place says it (a repeated layer's damaged header was said once
 * when the archive was compressed, once a place when not). path NULL: the
 * note is of the layer, its label the path.
 */
/* Pass 1's notes are kept only when the file is a single layer: layer 0. */
static const char *note_label(const struct img *im)
{
	return im->label ? im->label : "layer 0";
}

static int layer_note(struct img *im, const char *path, int err, const char *msg)
{
	const char *label = note_label(im);

	if (im->rec)
		return cs_layer_rec_note(im->rec, path, err, msg);
	if (path) {
		char joined[512]; /* cs_scan_add_error's message: the reason kept */

		cs_scan_add_error(im->r, path, err, "%s",
				  cs_join_cut(joined, sizeof(joined), label, msg));
	} else
		cs_scan_add_error(im->r, label, err, "%s", msg);
	return 0;
}

/*
 * What kept layers may hold (about 150 bytes an entry): a layer kept whole
 * costs memory by its entries where the view holds one node a name (at most
 * 8 Mi): one name 1,000,000 times in a 5.4 MB gzip'd archive, stored before
 * the layer the manifest lists first, held 155 MB (6.6 MB in order); 500
 * such layers, up to --max-bytes, many GB. Past it a layer is read again
 * in its turn (the decompression restarted), as before it was kept.
 */
#define KEPT_MAX (64u << 20)

/* An entry into the view as layer im->layer, or kept for later (im->rec). */
static int apply_entry(struct img *im, const struct cs_ventry *ve)
{
	struct cs_diag note;
	int rc;

	if (im->rec) {
		size_t was = im->rec->mem;

		if (im->rec_mem > KEPT_MAX) { /* read_stored_order reads it again in its turn */
			im->rec_over = true;
			return -EOVERFLOW;
		}
		rc = cs_layer_rec_add(im->rec, ve);
		im->rec_mem += im->rec->mem - was;
		return rc;
	}
	rc = cs_view_apply(&im->v, im->layer, ve, &note);
	if (rc < 0 && note.message[0]) /* the lookups' cost, a layer no applier unpacks */
		return img_fail(im, -rc, "%s; refusing the image", note.message);
	if (rc < 0)
		return img_fail(im, -rc, "%s: %s", ve->name, strerror(-rc));
	if (rc == CS_VIEW_UNPACKABLE && im->keep_blobs) {
		if (!im->unpackable[0])
			snprintf(im->unpackable, sizeof(im->unpackable), "%s", note.message);
		return 0;
	}
	if (rc == CS_VIEW_UNPACKABLE)
		return img_fail(im, EINVAL, "%s; refusing the image", note.message);
	if (rc > 0) {
		char joined[512];

		cs_scan_add_error(
		    im->r, ve->name, rc == 1 ? EINVAL : EXDEV, "%s",
		    cs_join_cut(joined, sizeof(joined), note_label(im), note.message));
	}
	return 0;
}

/*
 * Read every entry of one layer into the view, through Go's reader's
 * shadow sh (read_shadowed), its bounds checked as it is read.
 */
static int apply_layer(struct img *im, struct archive *a, struct shadowed *sh)
{
	cleanup_entry struct archive_entry *e = NULL;
	uint64_t entries = 0;
	/* Uncompressed input: skipping data can seek; there is nothing to inflate. */
	bool seekable = archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE;
	int rc;

	for (;;) {
		struct cs_ventry ve = {0};

		rc = next_header(a, &e);
		if (rc == ARCHIVE_EOF) {
			if ((rc = layer_ends_alike(im, sh)) < 0)
				return rc;
			break;
		}
		if (rc < ARCHIVE_WARN || rc == ARCHIVE_RETRY)
			return arc_err(im, a, "reading entry header");
		bool warned = rc == ARCHIVE_WARN;

		if (bomb_check(im, a, im->used) < 0)
			return -EFBIG;
		if (im->o && im->o->progress && ++im->seen % 4096 == 0)
			im->o->progress(im->o->progress_arg, im->seen, (uint64_t)im->layer + 1);
		if (++entries > ENTRIES_MAX)
			return img_fail(im, E2BIG, "more than %u entries", ENTRIES_MAX);
		/* Before the note: a layer Go's reader fails on is refused with that
		 * error alone (a PAX xattr key holding a NUL was said twice). */
		if ((rc = layer_agrees(im, sh->sh, e, entries)) < 0)
			return rc;
		if (warned && !charset_only(a)) {
			char words[200];
			const char *es = archive_error_string(a);
			const char *pn = archive_entry_pathname(e);

			/* e.g. a PAX record whose length lies: the entry is still read. */
			if ((rc = layer_note(im, pn ? pn : "?", EINVAL,
					     es ? cs_archive_words(es, words, sizeof(words))
						: "damaged header")) < 0)
				return rc;
		}
		ve.name = archive_entry_pathname(e);
		if (!ve.name || !*ve.name) {
			char msg[64];

			snprintf(msg, sizeof(msg), "entry %llu has no usable name",
				 (unsigned long long)entries);
			if ((rc = layer_note(im, NULL, EINVAL, msg)) < 0)
				return rc;
			continue;
		}
		ve.mode = (uint32_t)archive_entry_mode(e);
		ve.uid = id32(archive_entry_uid(e));
		ve.gid = id32(archive_entry_gid(e));
		ve.hardlink = archive_entry_hardlink(e);
		ve.nth = (uint32_t)entries; /* at most ENTRIES_MAX */
		ve.size = archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
		if (archive_entry_filetype(e) == AE_IFLNK)
			ve.symlink = archive_entry_symlink(e);
		entry_fcaps(sh->sh, &ve);
		if (im->keep_blobs) {
			char norm[4097];
			int fl;

			if (cs_view_normalize(ve.name, norm, sizeof(norm), &fl) >= 0 &&
			    (rc = keep_blob(im, a, e, norm)) < 0)
				return rc;
		}
		char *content = NULL;

		/* A kept layer keeps each such file: ETC_TOTAL is charged when it is
		 * applied, in the manifest's order (replay). */
		if (im->keep_etc && archive_entry_filetype(e) == AE_IFREG && !ve.hardlink &&
		    wants_content(ve.name, archive_entry_size(e)) &&
		    (im->rec || im->kept + (size_t)archive_entry_size(e) <= ETC_TOTAL)) {
			rc = read_entry(im, a, "reading a passwd/group file", archive_entry_size(e),
					&content, &ve.datalen);
			if (rc < 0)
				return rc;
			ve.data = content;
			im->kept += im->rec ? 0 : ve.datalen;
		}
		char head[CS_EXEC_HEAD_MAX];

		/* Every regular file, not only executable ones: a hard link entry can
		 * give the inode execute bits later (lib/scan/view.c link_attrs). */
		if (im->keep_etc && archive_entry_filetype(e) == AE_IFREG && !ve.hardlink) {
			la_ssize_t hn = content ? (la_ssize_t)ve.datalen : read_head(im, a, head);
			const char *h = content ? content : head;

			if (hn < 0) {
				free(content);
				return (int)hn;
			}
			ve.headlen = hn > CS_EXEC_HEAD_MAX ? CS_EXEC_HEAD_MAX : (size_t)hn;
			ve.unknown_format = cs_exec_head_unknown(h, ve.headlen);
			/* Only a script's bytes are kept: the interpreter is all they say. */
			ve.head = ve.headlen >= 2 && h[0] == '#' && h[1] == '!' ? h : NULL;
			ve.headlen = ve.head ? ve.headlen : 0;
		}
		rc = apply_entry(im, &ve);
		free(content);
		if (rc < 0)
			return rc;
		/* Through the data, checking the bounds as it inflates. */
		if (seekable) {
			if (archive_read_data_skip(a) < ARCHIVE_WARN)
				return arc_err(im, a, ve.name);
			continue;
		}
		for (;;) {
			const void *buf;
			size_t size;
			la_int64_t off;

			rc = la_block(a, &buf, &size, &off);
			if (rc == ARCHIVE_EOF)
				break;
			if (rc < ARCHIVE_WARN)
				return arc_err(im, a, ve.name);
			if (bomb_check(im, a, im->used) < 0)
				return -EFBIG;
		}
	}
	im->used += (uint64_t)archive_filter_bytes(a, 0);
	if (im->rec)
		im->rec->bytes = (uint64_t)archive_filter_bytes(a, 0);
	/* bomb_check sees a reader's count of bytes consumed, which lags by the
	 * block last given: a layer of 1,034,240 bytes passed --max-bytes 1000000. */
	return im->used > im->max_bytes ? over_max_bytes(im) : 0;
}

static int layer_changed(struct img *im, uint64_t nth)
{
	return img_fail(im, EIO,
			"entry %llu is not the passwd/group file it was when this layer was "
			"first read: the image changed while it was read",
			(unsigned long long)nth);
}

/*
 * A layer read again for the bytes of the entries im->fetch names, checked
 * against Go's reader as the first read was (its notes were said then).
 * The entry must still be the regular file of the size the view holds.
 */
static int fetch_layer(struct img *im, struct archive *a, struct shadowed *sh)
{
	cleanup_entry struct archive_entry *e = NULL;
	size_t left = im->nfetch;

	for (uint64_t nth = 1; left; nth++) {
		struct refetch *got = NULL;
		int rc = next_header(a, &e);

		if (rc == ARCHIVE_EOF)
			return layer_changed(im, nth);
		if (rc < ARCHIVE_WARN || rc == ARCHIVE_RETRY)
			return arc_err(im, a, "reading entry header");
		if (nth > ENTRIES_MAX)
			return img_fail(im, E2BIG, "more than %u entries", ENTRIES_MAX);
		if ((rc = layer_agrees(im, sh->sh, e, nth)) < 0)
			return rc;
		for (size_t i = 0; i < im->nfetch; i++) {
			struct refetch *f = &im->fetch[i];

			if (f->nth != nth)
				continue;
			left--;
			if (got) { /* /etc/group the same entry as /etc/passwd */
				if (!(f->data = malloc(got->len + 1)))
					return -ENOMEM;
				memcpy(f->data, got->data, got->len + 1);
				f->len = got->len;
				continue;
			}
			if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
			    archive_entry_size(e) < 0 ||
			    (uint64_t)archive_entry_size(e) != f->n->datalen)
				return layer_changed(im, nth);
			rc = read_entry(im, a, "reading a passwd/group file again",
					archive_entry_size(e), &f->data, &f->len);
			if (rc < 0)
				return rc;
			if (f->len != f->n->datalen)
				return layer_changed(im, nth);
			got = f;
		}
	}
	return 0;
}

/*
 * A file of an OCI layout directory, which must be a regular file: opened
 * without waiting (a fifo's open waited for a writer for ever), then
 * checked (/dev/zero as a layer read as an empty layer, exit 0). Returns
 * the descriptor or a diagnostic naming the file.
 */
static int open_beneath(struct img *im, const char *name)
{
	struct stat st;
	int fd = cs_open_in_root(im->dirfd, name, O_RDONLY | O_NOCTTY | O_NONBLOCK,
				 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);

	/* openat2's EXDEV alone read "Invalid cross-device link" */
	if (fd == -EXDEV)
		return member_fail(im, EXDEV, name,
				   "leads out of the layout directory (a symbolic link or "
				   "'..'): not followed");
	if (fd == -ENOENT)
		return member_fail(im, ENOENT, name, "not in the layout directory");
	if (fd < 0)
		return member_fail(im, -fd, name, "%s", strerror(-fd));
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return member_fail(im, e, name, "%s", strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return member_fail(im, EINVAL, name, "not a regular file (%s)",
				   S_ISDIR(st.st_mode)	  ? "a directory"
				   : S_ISFIFO(st.st_mode) ? "a fifo"
				   : S_ISCHR(st.st_mode)  ? "a character device"
				   : S_ISBLK(st.st_mode)  ? "a block device"
							  : "a socket");
	}
	return fd;
}

static int outer_cmp(const void *a, const void *b)
{
	const struct outer_ent *x = a, *y = b;

	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static uint64_t outer_hash(const struct img *im, const char *norm)
{
	return cs_siphash24(im->outer_key, norm, strlen(norm));
}

/* A link's target as open_outer_scan follows it (cur: the link's normalized
 * name), hashed into o->link; o->is_link false when e is not a link. */
static void outer_link(const struct img *im, struct archive_entry *e, const char *cur,
		       struct outer_ent *o)
{
	const char *link = archive_entry_hardlink(e);
	char want[4097], joined[8200];
	int fl;

	if (!link && archive_entry_filetype(e) == AE_IFLNK) {
		const char *t = archive_entry_symlink(e), *slash = strrchr(cur, '/');

		snprintf(joined, sizeof(joined), "%.*s/%s", (int)(slash - cur), cur, t ? t : "");
		if (t && t[0] == '/')
			snprintf(joined, sizeof(joined), "%s", t);
		link = joined;
	}
	if (!link)
		return;
	o->is_link = true;
	if (cs_view_normalize(link, want, sizeof(want), &fl) < 0)
		o->bad_link = true;
	else
		o->link = outer_hash(im, want);
}

/*
 * One pass over the outer archive: every entry's name, link and header
 * offset. A reading error leaves no index (the scan then finds each layer
 * as before, and says what is wrong). Seekable: not compressed, so a
 * reader can start at an entry's header.
 */
static void outer_index(struct img *im)
{
	struct archive *a = new_reader();
	cleanup_entry struct archive_entry *e = NULL;
	size_t cap = 0, raw = 0;
	bool ok = false;
	int rc;

	im->outer_tried = true;
	if (!a || cs_siphash_key(im->outer_key) < 0 ||
	    open_guarded(im, a, im->path, -1, NULL) != ARCHIVE_OK)
		goto out;
	while ((rc = next_header(a, &e)) != ARCHIVE_EOF) {
		struct outer_ent *o;
		char cur[4097];
		int fl;

		if (rc < ARCHIVE_WARN || rc == ARCHIVE_RETRY)
			goto out;
		if (cs_view_normalize(archive_entry_pathname(e) ? archive_entry_pathname(e) : "",
				      cur, sizeof(cur), &fl) < 0) {
			raw++;
			continue;
		}
		if (im->nouter == cap) {
			o = realloc(im->outer, (cap = cap ? cap * 2 : 64) * sizeof(*o));
			if (!o)
				goto out;
			im->outer = o;
		}
		o = &im->outer[im->nouter];
		*o = (struct outer_ent){
		    .pos = archive_read_header_position(a), .order = im->nouter, .raw = raw++};
		o->reg = archive_entry_filetype(e) == AE_IFREG;
		o->name = outer_hash(im, cur);
		outer_link(im, e, cur, o);
		im->nouter++;
	}
	ok = archive_filter_count(a) == 1 && archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE &&
	     !cs_xz_under(a);
	if (im->nouter) /* im->outer is NULL for an archive of no entry */
		qsort(im->outer, im->nouter, sizeof(*im->outer), outer_cmp);
	im->outer_ok = true;
out:
	im->outer_seekable = ok;
	if (a)
		archive_read_free(a);
}

/* The first entry whose name hashes to h, NULL when none. */
static const struct outer_ent *outer_find(const struct img *im, uint64_t h)
{
	size_t lo = 0, hi = im->nouter;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (im->outer[mid].name < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < im->nouter && im->outer[lo].name == h ? &im->outer[lo] : NULL;
}

/*
 * A reader of the outer archive started at the header of the regular file
 * `name` leads to (links followed as open_outer_scan follows them), its
 * descriptor in *fd; NULL when the index cannot say (not seekable, no such
 * entry, or what is read there is not that entry): then the scan decides.
 */
/* Is the entry e the regular file whose normalized name hashes to want
 * (checked where the index says it is)? */
static bool entry_is(const struct img *im, struct archive_entry *e, uint64_t want)
{
	char cur[4097];
	int fl;

	return archive_entry_pathname(e) &&
	       cs_view_normalize(archive_entry_pathname(e), cur, sizeof(cur), &fl) >= 0 &&
	       outer_hash(im, cur) == want && archive_entry_filetype(e) == AE_IFREG &&
	       !archive_entry_hardlink(e);
}

/*
 * docker load and podman load extract the archive: of two entries of one
 * name, the last is the file they then read. A name the image reads may be
 * in it once only (o: its first entry; name: the normalized name asked for,
 * hop: how many links were followed from it to o's name).
 */
static int outer_twice(struct img *im, const struct outer_ent *o, const char *name, int hop)
{
	if (!o || o + 1 == im->outer + im->nouter || o[1].name != o->name)
		return 0;
	if (hop)
		return cs_diag_set(im->d, EINVAL, 0, 0, NULL,
				   "%s: a link to a name in the archive twice (docker load reads "
				   "the last): refusing to choose",
				   name + 1);
	return cs_diag_set(im->d, EINVAL, 0, 0, NULL,
			   "%s: in the archive twice (docker load reads the last): refusing to "
			   "choose",
			   name + 1);
}

/* A compressed archive: im->seq moved forward to the header of ordinal raw. */
static struct archive *open_outer_seq(struct img *im, size_t raw, uint64_t want)
{
	uint64_t at;

	if (im->seq && im->seq_next > raw) {
		archive_read_free(im->seq);
		im->seq = NULL;
	}
	if (!im->seq) {
		im->seq = new_reader();
		im->seq_next = 0;
		if (!im->seq || open_guarded(im, im->seq, im->path, -1, NULL) != ARCHIVE_OK)
			goto fail;
	}
	at = (uint64_t)archive_filter_bytes(im->seq, 0);
	while (im->seq_next <= raw) {
		if (next_header(im->seq, &im->seq_entry) < ARCHIVE_WARN)
			goto fail;
		if (im->seq_next++ == raw && entry_is(im, im->seq_entry, want)) {
			/* A layer read again (read_stored_order, past KEPT_MAX): what
			 * was inflated again to reach it counts, so that a large
			 * layer listed at many places behind 60 GB of other bytes
			 * is not inflated again at each place unbounded. */
			at = (uint64_t)archive_filter_bytes(im->seq, 0) - at;
			if (im->rereading && (im->used += at) > im->max_bytes) {
				over_max_bytes(im);
				goto fail;
			}
			return im->seq;
		}
	}
fail:
	if (im->seq)
		archive_read_free(im->seq);
	im->seq = NULL;
	return NULL;
}

/*
 * A reader of the outer archive on the header of the regular file `name`
 * leads to (links followed as open_outer_scan follows them): started at its
 * offset (*fd its descriptor) when the archive is not compressed, else the
 * one forward reader (*borrowed: im->seq, not the caller's to free). NULL
 * when the index cannot say (no such entry, or what is read there is not
 * that entry): then the scan decides.
 */
/*
 * The regular file `name` leads to in the outer index (links followed as
 * open_outer_scan follows them); NULL when the index cannot say, or
 * (*refused, the diagnostic set) when a name on the way is in the archive
 * twice.
 */
static const struct outer_ent *outer_target(struct img *im, const char *name, bool *refused)
{
	const struct outer_ent *o = NULL;
	char want[4097];
	uint64_t h;
	int fl;

	if (!im->outer_tried)
		outer_index(im);
	if (!im->outer_ok || cs_view_normalize(name, want, sizeof(want), &fl) < 0)
		return NULL;
	h = outer_hash(im, want);
	for (int hop = 0; hop < 8; hop++) {
		o = outer_find(im, h);
		if (outer_twice(im, o, want, hop) < 0) {
			*refused = true;
			return NULL;
		}
		if (!o || !o->is_link || o->bad_link)
			break;
		h = o->link;
	}
	return !o || o->is_link || !o->reg ? NULL : o;
}

static struct archive *open_outer_indexed(struct img *im, const char *name, int *fd, bool *borrowed,
					  bool *refused)
{
	cleanup_entry struct archive_entry *e = NULL; /* the reader reads on without it */
	struct archive *a;
	const struct outer_ent *o = outer_target(im, name, refused);

	if (!o)
		return NULL;
	if (!im->outer_seekable) {
		*borrowed = true;
		a = open_outer_seq(im, o->raw, o->name);
		*refused = !a && im->d && im->d->message[0]; /* over --max-bytes */
		return a;
	}
	if ((*fd = open(im->path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	a = new_reader();
	if (a && lseek(*fd, o->pos, SEEK_SET) == o->pos &&
	    open_guarded(im, a, NULL, *fd, NULL) == ARCHIVE_OK &&
	    next_header(a, &e) >= ARCHIVE_WARN && entry_is(im, e, o->name))
		return a;
	if (a)
		archive_read_free(a);
	close(*fd);
	*fd = -1;
	return NULL;
}

/*
 * Position a fresh reader of the outer archive on the entry `name`,
 * following symlinks and hard links inside the archive ('docker save' links
 * identical layers).
 */
static struct archive *open_outer_scan(struct img *im, const char *name)
{
	char want[4097], cur[4097];
	int fl;

	if (cs_view_normalize(name, want, sizeof(want), &fl) < 0) {
		member_fail(im, ENAMETOOLONG, name, "name too long");
		return NULL;
	}
	for (int hop = 0; hop < 8; hop++) {
		struct archive *a = new_reader();
		cleanup_entry struct archive_entry *e = NULL;
		bool relink = false;

		if (!a || open_guarded(im, a, im->path, -1, NULL) != ARCHIVE_OK) {
			if (a) {
				arc_err(im, a, "opening");
				archive_read_free(a);
			}
			return NULL;
		}
		for (;;) {
			int rc = next_header(a, &e);
			const char *link;

			if (rc == ARCHIVE_EOF)
				break;
			if (rc < ARCHIVE_WARN || rc == ARCHIVE_RETRY) {
				arc_err(im, a, "reading the outer archive");
				archive_read_free(a);
				return NULL;
			}
			if (cs_view_normalize(archive_entry_pathname(e) ? archive_entry_pathname(e)
									: "",
					      cur, sizeof(cur), &fl) < 0 ||
			    strcmp(cur, want) != 0)
				continue;
			if ((link = archive_entry_hardlink(e))) {
				if (cs_view_normalize(link, want, sizeof(want), &fl) < 0)
					break;
				relink = true;
				break;
			}
			if (archive_entry_filetype(e) == AE_IFLNK) {
				char joined[8200];
				char *slash;

				link = archive_entry_symlink(e);
				slash = strrchr(cur, '/');
				*slash = 0;
				snprintf(joined, sizeof(joined), "%s/%s", cur, link ? link : "");
				if (link && link[0] == '/')
					snprintf(joined, sizeof(joined), "%s", link);
				if (cs_view_normalize(joined, want, sizeof(want), &fl) < 0)
					break;
				relink = true;
				break;
			}
			if (archive_entry_filetype(e) != AE_IFREG)
				break;
			return a;
		}
		archive_read_free(a);
		if (!relink)
			break;
	}
	member_fail(im, ENOENT, name, "not in the archive");
	return NULL;
}

/*
 * A reader of the outer archive on the regular file name leads to: through
 * the index, else by reading the archive from its start (see above). NULL
 * with the diagnostic set when there is none, or when the index finds a
 * name on the way twice.
 */
static struct archive *open_outer(struct img *im, const char *name, int *fd, bool *borrowed)
{
	bool refused = false;
	struct archive *a = open_outer_indexed(im, name, fd, borrowed, &refused);

	if (a || refused)
		return a;
	*borrowed = false;
	return open_outer_scan(im, name);
}

/*
 * A JSON document the image names (a config, an OCI manifest), read when it
 * is needed, from the archive as a layer is found, or from the layout
 * directory. Pass 1 kept every small JSON file and blob until 64 MiB were
 * held: an OCI archive whose manifest or config came after more small blobs
 * than that was refused, "not in the archive".
 */
static int read_outer_blob(struct img *im, const char *name, char **out, size_t *len)
{
	bool borrowed = false;
	int ofd = -1, rc;
	struct archive *a = open_outer(im, name, &ofd, &borrowed);

	if (!a)
		return im->d && im->d->message[0] ? -ENOENT : -ENOMEM;
	rc = read_entry(im, a, name, (int64_t)BLOB_MAX + 1, out, len);
	if (rc == 0 && *len > BLOB_MAX) {
		/* *out NULL too: the caller frees it (read_docker freed it twice,
		 * a config past 4 MiB; nineteenth pass, part B) */
		free(*out);
		*out = NULL;
		rc = member_fail(im, EFBIG, name, "larger than 4 MiB: not read");
	}
	if (!borrowed)
		archive_read_free(a);
	else if (rc < 0) {
		archive_read_free(im->seq);
		im->seq = NULL;
	}
	if (ofd >= 0)
		close(ofd);
	return rc;
}

static int get_blob(struct img *im, const char *name, const char **data, size_t *len, char **owned)
{
	const struct blob *b;
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd, rc;

	*owned = NULL;
	if (im->dirfd < 0 && (b = find_blob(im, name))) {
		/* pass 1 kept the first of its entries: is there another? */
		char want[4097];
		int fl;

		if (!im->outer_tried)
			outer_index(im);
		if (im->outer_ok && cs_view_normalize(name, want, sizeof(want), &fl) >= 0 &&
		    (rc = outer_twice(im, outer_find(im, outer_hash(im, want)), want, 0)) < 0)
			return rc;
		*data = b->data;
		*len = b->len;
		return 0;
	}
	if (im->dirfd < 0) {
		rc = read_outer_blob(im, name, owned, len);
		*data = *owned;
		return rc;
	}
	fd = open_beneath(im, name);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || st.st_size > (off_t)BLOB_MAX) {
		close(fd);
		return member_fail(im, EFBIG, name, "larger than 4 MiB: not read");
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0) {
			int e = errno;

			close(fd);
			free(buf);
			return member_fail(im, e, name, "%s", strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = 0;
	*data = buf;
	*len = got;
	*owned = buf;
	return 0;
}

/* The rest of raw's uncompressed stream hashed (bounded as the layer was), and checked. */
static int sum_drain_tar(struct img *im, struct archive *raw)
{
	const void *p;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = la_block(raw, &p, &size, &off)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (bomb_check(im, raw, im->used) < 0) {
			im->sum.on = false;
			return -EFBIG;
		}
		cs_blob_digest_feed(&im->sum, p, size);
	}
	if (r != ARCHIVE_EOF) {
		im->sum.on = false;
		return arc_err(im, raw, "reading the layer");
	}
	return cs_blob_digest_end(&im->sum, im->label, true, im->d);
}

/*
 * The layer read, the rest of its stored bytes (past the tar's end, or
 * what a kept layer gave up on) hashed too, from fd or the outer entry,
 * and the whole checked against its digest. rc: the read's.
 */
static int sum_end(struct img *im, int rc, int fd, struct archive *outer, struct archive *raw)
{
	char buf[IO_BLOCK];
	ssize_t n = 0;

	/* A kept layer given up past KEPT_MAX is read again in its turn, and
	 * checked then: not drained and hashed twice. */
	if (!im->sum.on || rc < 0 || im->rec_over) {
		im->sum.on = false;
		return rc;
	}
	if (im->sum_tar) /* the rest of the uncompressed stream, as docker load drains it */
		return sum_drain_tar(im, raw);
	do {
		n = fd >= 0 ? read(fd, buf, sizeof(buf)) : la_data(outer, buf, sizeof(buf));
		if (n > 0)
			cs_blob_digest_feed(&im->sum, buf, (size_t)n);
		if (n > 0 && (rc = gz_check(im, NULL, &im->gz, buf, (size_t)n)) < 0) {
			im->sum.on = false;
			return rc;
		}
	} while (n > 0 || (n < 0 && fd >= 0 && errno == EINTR));
	if (n < 0) {
		im->sum.on = false;
		return fd >= 0 ? img_fail(im, errno, "reading: %s", strerror(errno))
			       : arc_err(im, outer, "reading the layer");
	}
	return cs_blob_digest_end(&im->sum, im->label, false, im->d);
}

/*
 * Hash the layer's stored bytes as they are read (and count them against its
 * descriptor's size), when a digest names it: every read of it, the one
 * fetch_etc makes again for /etc/passwd or /etc/group too (drained to its
 * end by sum_end). That read was not hashed: a blob replaced between the two
 * reads of one scan gave those files' bytes from the new blob, the rest of
 * the scan from the old (nineteenth pass, part B).
 */
static int sum_start(struct img *im)
{
	int rc = 0;

	im->sum.on = false;
	if (im->layer_digest &&
	    (rc = cs_blob_digest_start(&im->sum, im->layer_digest, im->label, im->d)) == 0)
		im->sum.want_size = im->layer_size;
	return rc;
}

static int read_one_layer(struct img *im, const char *name)
{
	struct archive *inner = new_raw_reader(), *outer = NULL;
	struct nested *ns = NULL;
	int rc, fd = -1, ofd = -1, sr = 0;
	bool borrowed = false;

	if (!inner)
		return -ENOMEM;
	if (im->dirfd >= 0) {
		archive_read_free(inner);
		if ((fd = open_beneath(im, name)) < 0)
			return fd;
		if ((rc = sum_start(im)) == 0)
			rc = sum_end(im, read_shadowed_fd(im, fd, "opening the layer"), fd, NULL,
				     NULL);
		close(fd);
		return rc;
	} else {
		outer = open_outer(im, name, &ofd, &borrowed);
		ns = malloc(sizeof(*ns));
		if (!outer || !ns) {
			free(ns);
			if (outer && !borrowed)
				archive_read_free(outer);
			if (ofd >= 0)
				close(ofd);
			archive_read_free(inner);
			return im->d && im->d->message[0] ? -ENOENT : -ENOMEM;
		}
		ns->outer = outer;
		ns->im = im;
		cs_xz_guard_init(&ns->xz);
		cs_xz_read_init(&ns->dec);
		gz_start(im);
		sr = sum_start(im);
		rc = sr < 0 ? ARCHIVE_FATAL : open_checked(inner, ns, nested_read, NULL);
	}
	if (sr < 0)
		rc = sr;
	else if (rc != ARCHIVE_OK)
		rc = arc_err(im, inner, "opening the layer");
	else
		rc = gz_rest(im,
			     sum_end(im, read_shadowed(im, inner, -1, "opening the layer"), -1,
				     outer, inner),
			     -1, outer, false);
	im->sum.on = false;
	archive_read_free(inner);
	/* The forward reader goes on to the next layer, unless this one failed.
	 * A layer given up past KEPT_MAX did not fail: the reader goes on past
	 * its rest (dropped, the next layer's read inflated the archive again
	 * from its start, uncounted, after each such layer). */
	if (outer && borrowed && rc < 0 && !im->rec_over) {
		archive_read_free(im->seq);
		im->seq = NULL;
	} else if (outer && !borrowed) {
		archive_read_free(outer);
	}
	if (ns)
		cs_xz_read_end(&ns->dec);
	free(ns);
	if (fd >= 0)
		close(fd);
	if (ofd >= 0)
		close(ofd);
	return rc;
}

/*
 * Which file execve would run: PATH lookup and symlinks, all inside the
 * image; *out NULL when none. 0, -ENOMEM, or -E2BIG with im->d filled when
 * the lookups are over the image's bound (cs_view_resolve): a file not
 * found there is not a missing file.
 */
static int find_entrypoint(struct img *im, const struct cs_image_config *c, char **out)
{
	const char *arg0 = c->entrypoint.n ? c->entrypoint.v[0] : c->cmd.n ? c->cmd.v[0] : NULL;
	const char *path = c->path_env
			       ? c->path_env
			       : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	char cand[8300], res[4200];

	*out = NULL;
	if (!arg0 || !*arg0)
		return 0;
	for (const char *p = path;;) {
		const char *colon = strchr(p, ':');
		size_t dl = colon ? (size_t)(colon - p) : strlen(p);
		struct cs_vnode *n;
		int rc;

		if (strchr(arg0, '/'))
			snprintf(cand, sizeof(cand), "%s/%s",
				 arg0[0] == '/' ? "" : (c->workdir ? c->workdir : ""), arg0);
		else
			snprintf(cand, sizeof(cand), "%.*s/%s", (int)dl, p, arg0);
		if ((rc = cs_view_resolve(&im->v, cand, true, res, sizeof(res))) == -E2BIG)
			return cs_view_over_budget(&im->v, im->d, true);
		if (rc == 0 && (n = cs_view_lookup(&im->v, res)) && S_ISREG(n->mode))
			return (*out = strdup(res)) ? 0 : -ENOMEM;
		if (strchr(arg0, '/') || !colon)
			return 0;
		p = colon + 1;
	}
}

static int apply_config_bytes(struct img *im, const char *data, size_t len);

/*
 * A JSON document of the image (manifest.json, index.json, a manifest, the
 * config) refused at a line and column: those are the document's, which
 * the message names before them, not the archive's. Twenty-fifth pass,
 * part A: `explain pod --image a.tar` said "a.tar:2:20: config: config.User
 * must be a string", line 2 of the tar, and `scan` "a.tar: 1:32:
 * manifest.json: not valid JSON"; now "a.tar: CID.json:2:20: config.User
 * must be a string" and "a.tar: manifest.json:1:32: not valid JSON". The
 * parsers' labels of the document ("config", "manifest.json", "index",
 * "manifest") give way to its name; a field of it stays after the place.
 */
static int member_at(struct img *im, const char *member, int rc)
{
	static const char *const labels[] = {"", "config", "manifest.json", "index", "manifest"};
	struct cs_diag *d = im->d;
	char f[sizeof(d->field)];
	bool label = false;

	if (rc >= 0 || !d || !d->line || !member)
		return rc;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		label = label || !strcmp(d->field, labels[i]);
	if (label)
		cs_format_cut(f, sizeof(f), "%s:%u:%u", member, d->line, d->column);
	else
		cs_format_cut(f, sizeof(f), "%s:%u:%u: %s", member, d->line, d->column, d->field);
	memcpy(d->field, f, sizeof(f));
	d->line = d->column = 0;
	return rc;
}

/* digest: the one that names the config blob (OCI), NULL when none does. */
/* unplatformed: the digest of the manifest, when it came from an index entry
 * without a platform: its config's platform is matched (cs_img_config_platform) */
static int apply_config(struct img *im, const char *config_name, const char *digest, long long size,
			const char *unplatformed)
{
	const char *data;
	size_t len;
	char *owned;
	int rc;

	if (!config_name)
		return 0;
	rc = get_blob(im, config_name, &data, &len, &owned);
	if (rc < 0)
		return rc;
	if (digest &&
	    (rc = cs_blob_digest_check(digest, size, data, len, config_name, im->d)) < 0) {
		free(owned);
		return rc;
	}
	if (unplatformed && (rc = cs_img_config_platform(data, len, unplatformed, im->d)) < 0) {
		free(owned);
		return member_at(im, config_name, rc);
	}
	rc = member_at(im, config_name, apply_config_bytes(im, data, len));
	free(owned);
	return rc;
}

/* The image's config, its bytes read (apply_config). */
static int apply_config_bytes(struct img *im, const char *data, size_t len)
{
	struct cs_image_config c;
	int rc = cs_image_config_parse(data, len, &c, im->d);

	if (rc < 0)
		return rc;
	free(im->r->entrypoint_path);
	if ((rc = find_entrypoint(im, &c, &im->r->entrypoint_path)) < 0) {
		cs_image_config_free(&c);
		return rc;
	}
	if (!im->have_cfg) {
		im->r->config = c; /* the result owns it from here */
		im->have_cfg = true;
	} else {
		cs_image_config_free(&c);
	}
	return 0;
}

/*
 * The most layers an image may have: overlayfs stacks at most 500 lower
 * directories (OVL_MAX_STACK), so no runtime that mounts layers with it
 * runs an image of more (Docker's layer store stops at 125). A manifest
 * listing one layer 4,096 times (its own limit) made 20 million entries to
 * apply from a 2.6 MB archive: 84 s.
 */
#define LAYERS_MAX 500

/* Layer i's file name in the archive or layout, and its label for messages. */
static int layer_name(struct img *im, const struct cs_img_manifest *m, size_t i, bool digests,
		      char name[4200], char label[4300])
{
	if (!digests)
		snprintf(name, 4200, "%s", m->layers[i]);
	else if (cs_img_digest_path(m->layers[i], name, 4200) < 0)
		return cs_diag_set(im->d, EINVAL, 0, 0, "layers",
				   "layer %zu: '%.*s%s' is not a digest", i,
				   CS_MSG_CUTS(m->layers[i], 200));
	snprintf(label, 4300, "layer %zu (%s)", i, name);
	im->label = label;
	if (digests)
		cs_format_cut(im->named_by, sizeof(im->named_by), "%s: layers[%zu].digest",
			      im->oci_manifest, i);
	else
		cs_format_cut(im->named_by, sizeof(im->named_by), "manifest.json: Layers[%zu]", i);
	im->layer_digest = digests ? m->layers[i] : m->diff_ids ? m->diff_ids[i] : NULL;
	im->layer_size = digests && m->layer_sizes ? m->layer_sizes[i] : -1;
	im->layer_media = digests && m->layer_types ? m->layer_types[i] : NULL;
	im->named_layer = true;
	im->sum_tar = !digests;
	im->layer = (int)i;
	return 0;
}

/*
 * A kept entry into the view, its passwd/group bytes charged to ETC_TOTAL
 * here, in the manifest's order, as a layer read in its turn charges them:
 * charged in the order stored, a 52-byte /etc/passwd stored first and
 * listed after 16 MiB of other passwd files was read from the gzip'd copy
 * and refused from the plain one.
 */
static int replay_entry(struct img *im, const struct cs_ventry *kept)
{
	struct cs_ventry e = *kept;

	if (e.data && im->kept + e.datalen > ETC_TOTAL)
		e.data = NULL, e.datalen = 0;
	im->kept += e.datalen;
	return apply_entry(im, &e);
}

/*
 * Apply a kept layer as layer i, with its notes, its bytes charged again
 * past its first place: an archive read again for each place counts them
 * each time, and a compressed copy of an image --max-bytes refuses was read.
 */
static int replay(struct img *im, const struct cs_img_manifest *m, bool digests, size_t i,
		  struct cs_layer_rec *r)
{
	char label[4300], name[4200];
	int rc = layer_name(im, m, i, digests, name, label);
	size_t note = 0;

	if (rc == 0 && r->charged && (im->used += r->bytes) > im->max_bytes)
		return over_max_bytes(im);
	r->charged = true;
	for (size_t k = 0; rc == 0 && k <= r->n; k++) {
		for (; note < r->nnotes && r->notes[note].at == k; note++)
			layer_note(im, r->notes[note].path, r->notes[note].err, r->notes[note].msg);
		if (k < r->n)
			rc = replay_entry(im, &r->v[k]);
	}
	return rc;
}

struct stored {
	size_t i;   /* the manifest's index */
	size_t raw; /* the ordinal of the layer's header in the archive */
};

static int stored_cmp(const void *a, const void *b)
{
	const struct stored *x = a, *y = b;

	return x->raw != y->raw ? (x->raw < y->raw ? -1 : 1) : (x->i > y->i) - (x->i < y->i);
}

/*
 * A compressed archive is read forward only: a layer stored before the
 * last one read restarted the decompression from the archive's start, so
 * layers stored in another order than the manifest's (docker save sorts
 * them by name) cost up to one decompression of the archive each. Here
 * each stored layer is read once, in the order stored; one whose turn has
 * not come (or listed more than once) is kept (layer-rec.c) until it has.
 * 1: the index cannot place every layer; the caller reads them in turn.
 */
static int read_stored_order(struct img *im, const struct cs_img_manifest *m, bool digests)
{
	size_t n = m->nlayers, next = 0;
	struct stored *ord = calloc(n, sizeof(*ord));
	struct cs_layer_rec *recs = calloc(n, sizeof(*recs));
	size_t *from = malloc(n * sizeof(*from)); /* the layer kept for manifest place i */
	char label[4300], name[4200];
	int rc = ord && recs && from ? 0 : -ENOMEM;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		bool refused = false;
		const struct outer_ent *o;

		if ((rc = layer_name(im, m, i, digests, name, label)) < 0)
			break;
		o = outer_target(im, name, &refused);
		rc = refused ? -EINVAL : o ? 0 : 1;
		if (o)
			ord[i] = (struct stored){i, o->raw};
		from[i] = SIZE_MAX;
	}
	if (rc == 0)
		qsort(ord, n, sizeof(*ord), stored_cmp);
	for (size_t k = 0, g; rc == 0 && k < n; k = g) {
		size_t i = ord[k].i;

		for (g = k + 1; g < n && ord[g].raw == ord[k].raw;)
			g++;
		layer_name(im, m, i, digests, name, label);
		im->rec = g - k == 1 && i == next ? NULL : &recs[i];
		rc = read_one_layer(im, name);
		if (!im->rec)
			next++;
		else if (im->rec_over) { /* over KEPT_MAX: read again in its turn */
			im->rec_over = false;
			im->rec_mem -= recs[i].mem;
			recs[i].reread = true;
			cs_layer_rec_free(&recs[i]);
			rc = 0;
		}
		im->rec = NULL;
		recs[i].uses = (unsigned)(g - k);
		for (size_t j = k; j < g; j++)
			from[ord[j].i] = i;
		for (; rc == 0 && next < n && from[next] != SIZE_MAX; next++) {
			struct cs_layer_rec *r = &recs[from[next]];

			if (r->reread) {
				im->rereading = true;
				rc = layer_name(im, m, next, digests, name, label) < 0
					 ? -EINVAL
					 : read_one_layer(im, name);
				im->rereading = false;
			} else {
				rc = replay(im, m, digests, next, r);
			}
			if (--r->uses == 0) {
				im->rec_mem -= r->mem;
				cs_layer_rec_free(r);
			}
		}
	}
	for (size_t i = 0; recs && i < n; i++)
		cs_layer_rec_free(&recs[i]);
	free(ord);
	free(recs);
	free(from);
	return rc;
}

/*
 * Read layer i again (m NULL: the archive is the one layer) with im->fetch
 * set; its used bytes are not charged again: the first read charged them,
 * and --max-bytes bounds each read of it the same.
 */
static int reread_layer(struct img *im, const struct cs_img_manifest *m, bool digests, int i)
{
	char label[4300], name[4200];
	uint64_t used = im->used;
	int rc, fd;

	im->used = 0;
	if (m) {
		rc = layer_name(im, m, (size_t)i, digests, name, label);
		if (rc == 0) { /* the digest's message says which read found it */
			snprintf(label, sizeof(label), "layer %d read again for /etc/passwd (%s)",
				 i, name);
			rc = read_one_layer(im, name);
		}
	} else if ((fd = open(im->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		rc = img_fail(im, errno, "opening again: %s", strerror(errno));
	} else {
		struct stat st;

		/* A layer given alone has no digest: the file must be the one
		 * read first, unchanged (another put in its place, or written
		 * to, between the reads gave the new file's /etc/passwd). */
		im->label = NULL; /* the file is the layer: its name says which */
		if (fstat(fd, &st) < 0)
			rc = img_fail(im, errno, "opening again: %s", strerror(errno));
		else if (st.st_dev != im->first.st_dev || st.st_ino != im->first.st_ino ||
			 st.st_size != im->first.st_size ||
			 st.st_mtim.tv_sec != im->first.st_mtim.tv_sec ||
			 st.st_mtim.tv_nsec != im->first.st_mtim.tv_nsec ||
			 st.st_ctim.tv_sec != im->first.st_ctim.tv_sec ||
			 st.st_ctim.tv_nsec != im->first.st_ctim.tv_nsec)
			rc = img_fail(im, ESTALE,
				      "changed while it was read (opened again for /etc/passwd "
				      "or /etc/group, it is not the file first read); refusing the "
				      "image");
		else
			rc = read_shadowed_fd(im, fd, "opening again");
		close(fd);
	}
	im->used = used;
	im->label = "archive";
	return rc;
}

/*
 * The bytes of /etc/passwd and /etc/group where the view has the file but
 * not its bytes (struct refetch), read again from the entries that wrote
 * them, as containerd would have unpacked them: at most two files of
 * ETC_MAX, one more read of at most two layers. 0 or -errno (im->d).
 */
static int fetch_etc(struct img *im, const struct cs_img_manifest *m, bool digests)
{
	static const char *const paths[] = {"/etc/passwd", "/etc/group"};
	struct refetch f[2] = {{0}};
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < 2; i++) {
		char res[4096];
		struct cs_vnode *v;

		/* Not found or over the lookup bound: cs_image_read_small says so. */
		if (cs_view_resolve(&im->v, paths[i], true, res, sizeof(res)) < 0 ||
		    !(v = cs_view_lookup(&im->v, res)) || !S_ISREG(v->mode) || v->data ||
		    !v->src_nth || v->datalen > ETC_MAX || (n == 1 && f[0].n == v))
			continue;
		f[n++] = (struct refetch){.n = v, .nth = v->src_nth, .layer = v->src_layer};
	}
	for (size_t k = 0; rc == 0 && k < n; k++) {
		if (f[k].data || (k == 1 && f[0].layer == f[1].layer))
			continue; /* one read gave both */
		im->fetch = &f[k];
		im->nfetch = k == 0 && n == 2 && f[0].layer == f[1].layer ? 2 : 1;
		rc = reread_layer(im, m, digests, f[k].layer);
		im->fetch = NULL;
		im->nfetch = 0;
	}
	for (size_t k = 0; k < n; k++) {
		if (rc == 0 && f[k].data)
			rc = cs_vnode_set_data(f[k].n, f[k].data, f[k].len);
		free(f[k].data);
	}
	return rc;
}

static int read_layers(struct img *im, const struct cs_img_manifest *m, bool digests)
{
	char label[4300], name[4200];
	int rc;

	if (m->nlayers > LAYERS_MAX)
		return cs_diag_set(
		    im->d, E2BIG, 0, 0, "layers",
		    "%zu layers: overlayfs mounts at most %u (no runtime that uses it "
		    "runs this image); refusing it",
		    m->nlayers, LAYERS_MAX);

	im->r->nlayers = (unsigned)m->nlayers;
	if (im->dirfd < 0 && m->nlayers > 1) {
		if (!im->outer_tried)
			outer_index(im);
		if (im->outer_ok && !im->outer_seekable &&
		    (rc = read_stored_order(im, m, digests)) <= 0) {
			im->label = "archive";
			return rc < 0 || !im->keep_etc ? rc : fetch_etc(im, m, digests);
		}
	}
	for (size_t i = 0; i < m->nlayers; i++) {
		if ((rc = layer_name(im, m, i, digests, name, label)) < 0 ||
		    (rc = read_one_layer(im, name)) < 0)
			return rc;
	}
	im->label = "archive";
	return im->keep_etc ? fetch_etc(im, m, digests) : 0;
}

/* OCI: index.json → (nested indexes) → manifest → config + layers. */
static int read_oci(struct img *im)
{
	const char *data;
	size_t len;
	char *owned, name[400], *child, *type, *unplatformed = NULL;
	long long child_size;
	struct cs_img_manifest m;
	int rc, depth;

	im->named_by[0] = '\0';
	rc = get_blob(im, "index.json", &data, &len, &owned);
	if (rc < 0)
		return rc;
	rc = member_at(im, "index.json", cs_img_oci_index(data, len, &m, im->d));
	free(owned);
	snprintf(im->oci_manifest, sizeof(im->oci_manifest), "index.json");
	for (depth = 0; rc == 0 && m.index_child && depth < 4; depth++) {
		if (cs_img_digest_path(m.index_child, name, sizeof(name)) < 0) {
			rc = cs_diag_set(im->d, EINVAL, 0, 0, "digest", "'%.*s%s' is not a digest",
					 CS_MSG_CUTS(m.index_child, 200));
			break;
		}
		child = m.index_child;
		child_size = m.child_size;
		type = m.child_type;
		free(unplatformed);
		unplatformed = NULL;
		if (m.child_unplatformed && !(unplatformed = strdup(child))) {
			cs_img_manifest_free(&m);
			return -ENOMEM;
		}
		m.index_child = m.child_type = NULL;
		cs_img_manifest_free(&m);
		cs_format_cut(im->named_by, sizeof(im->named_by), "%s: manifests",
			      im->oci_manifest);
		rc = get_blob(im, name, &data, &len, &owned);
		cs_format_cut(im->oci_manifest, sizeof(im->oci_manifest), "%s", name);
		if (rc == 0 &&
		    (rc = cs_blob_digest_check(child, child_size, data, len, name, im->d)) < 0)
			free(owned);
		if (rc == 0) {
			/* read as its descriptor says, as containerd reads it */
			rc = member_at(im, name,
				       cs_img_oci_child(data, len, type, child, &m, im->d));
			free(owned);
		}
		free(child);
		free(type);
		if (rc < 0) {
			free(unplatformed);
			return rc;
		}
	}
	if (rc == 0 && (m.index_child || !m.layers))
		rc = cs_diag_set(im->d, ELOOP, 0, 0, "manifests", "indexes nested too deep");
	if (rc == 0)
		rc = read_layers(im, &m, true);
	im->layer_digest = im->layer_media = NULL;
	if (rc == 0) {
		if (cs_img_digest_path(m.config, name, sizeof(name)) < 0)
			rc = cs_diag_set(im->d, EINVAL, 0, 0, "config", "'%.*s%s' is not a digest",
					 CS_MSG_CUTS(m.config, 200));
		else {
			cs_format_cut(im->named_by, sizeof(im->named_by), "%s: config.digest",
				      im->oci_manifest);
			rc = apply_config(im, name, m.config, m.config_size, unplatformed);
		}
	}
	free(unplatformed);
	cs_img_manifest_free(&m);
	return rc;
}

static int read_docker(struct img *im)
{
	const struct blob *b = find_blob(im, "manifest.json");
	struct cs_img_manifest m;
	const char *data = NULL;
	char *owned = NULL;
	size_t len = 0;
	int rc;

	rc = member_at(im, "manifest.json", cs_img_docker_manifest(b->data, b->len, &m, im->d));
	if (rc < 0)
		return rc;
	/* docker load reads the config first (the image is named by it) and
	 * checks each layer against its diff_ids: no config, no image */
	snprintf(im->named_by, sizeof(im->named_by), "manifest.json: Config");
	if (!m.config)
		rc = cs_diag_set(im->d, EINVAL, 0, 0, "manifest.json",
				 "names no Config: docker load refuses the image");
	else if ((rc = get_blob(im, m.config, &data, &len, &owned)) == 0)
		rc = member_at(im, m.config, cs_img_docker_diff_ids(data, len, &m, im->d));
	if (rc == 0)
		rc = read_layers(im, &m, false);
	im->layer_digest = NULL;
	if (rc == 0)
		rc = member_at(im, m.config, apply_config_bytes(im, data, len));
	free(owned);
	cs_img_manifest_free(&m);
	return rc;
}

static void img_free(struct img *im)
{
	for (size_t i = 0; i < im->nblobs; i++) {
		free(im->blobs[i].name);
		free(im->blobs[i].data);
	}
	free(im->blobs);
	free(im->outer);
	if (im->seq)
		archive_read_free(im->seq);
	if (im->seq_entry)
		archive_entry_free(im->seq_entry);
	cs_gz_guard_free(&im->gz);
	cs_view_free(&im->v);
	if (im->dirfd >= 0)
		close(im->dirfd);
}

/*
 * libarchive converts PAX names (UTF-8) to the current locale's charset and
 * warns when it cannot: in the C locale every non-ASCII name would come out
 * as "damaged" and fail the scan. Read in C.UTF-8 on this thread only; the
 * process locale stays the caller's.
 */
struct utf8_scope {
	locale_t old, mine;
};

static struct utf8_scope utf8_enter(void)
{
	struct utf8_scope s = {.mine = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0)};

	if (s.mine)
		s.old = uselocale(s.mine);
	return s;
}

static void utf8_leave(struct utf8_scope *s)
{
	if (s->mine) {
		uselocale(s->old);
		freelocale(s->mine);
	}
}

#define CS_UTF8_SCOPE                                                                              \
	__attribute__((cleanup(utf8_leave), unused)) struct utf8_scope utf8_ = utf8_enter()

static int img_init(struct img *im, const char *path, const struct cs_scan_opts *o,
		    struct cs_scan_result *r, struct cs_diag *d)
{
	memset(im, 0, sizeof(*im));
	im->path = path;
	im->dirfd = -1;
	im->o = o;
	im->max_bytes = o && o->max_bytes ? o->max_bytes : CS_SCAN_DEFAULT_MAX_BYTES;
	im->max_ratio = o && o->max_ratio ? o->max_ratio : CS_SCAN_DEFAULT_MAX_RATIO;
	im->r = r;
	im->d = d;
	im->label = "archive";
	if (d)
		memset(d, 0, sizeof(*d));
	{
		int rc = cs_archive_dlopen(d);

		if (rc < 0)
			return rc;
	}
	return cs_view_init(&im->v);
}

static void mark_entrypoint(struct cs_scan_result *r)
{
	for (size_t i = 0; r->entrypoint_path && i < r->nfindings; i++)
		if (strcmp(r->findings[i].path, r->entrypoint_path) == 0)
			r->findings[i].entrypoint = true;
}

static int finish(struct img *im, const char *kind)
{
	int rc;

	free(im->r->image_kind);
	if (!(im->r->image_kind = strdup(kind)))
		return -ENOMEM; /* a report without it says "image", not its kind */
	rc = cs_view_findings(&im->v, im->r);
	if (rc < 0)
		return rc;
	mark_entrypoint(im->r);
	return 0;
}

/*
 * A directory holding an oci-layout file is read as that image
 * (cs_scan_is_image), so it must hold nothing else: a rootfs whose author
 * put a layout at its top was read as the layout's (benign) image, and its
 * own set-uid files were never walked. docker save (25 and later) writes
 * its manifest.json and repositories beside the layout.
 */
static int layout_only(struct img *im)
{
	static const char *const names[] = {"oci-layout", "index.json", "blobs", "manifest.json",
					    "repositories"};
	int fd = dup(im->dirfd), rc = 0;
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;

	if (!dir) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return cs_diag_set(im->d, -rc, 0, 0, NULL, "%s", strerror(-rc));
	}
	while (rc == 0 && (de = readdir(dir))) {
		size_t i = 0;

		while (i < 5 && strcmp(de->d_name, names[i]))
			i++;
		if (i == 5 && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = cs_diag_set(im->d, EINVAL, 0, 0, NULL,
					 "holds an OCI layout (oci-layout) and '%.*s%s' beside it: "
					 "refusing to guess whether it is an image or a tree",
					 CS_MSG_CUTS(de->d_name, 200));
	}
	closedir(dir);
	return rc;
}

/*
 * An archive holding manifest.json is a docker archive, one holding
 * oci-layout an OCI archive: each file that makes it one must then be
 * readable as docker load reads it (keep_blob). A single layer may hold an
 * index.json of any kind.
 */
static int top_check(const struct img *im, size_t i)
{
	return im->top_why[i] ? cs_diag_set(im->d, EINVAL, 0, 0, NULL, "%s: %s", top_names[i] + 1,
					    im->top_why[i])
			      : 0;
}

/*
 * An archive is read more than once from its start (pass 1, each layer,
 * the passwd files), and was opened without waiting: a fifo (`--image
 * <(cmd)`) said "opening: Resource temporarily unavailable", or read as
 * much as its writer had written, then failed its second read.
 */
static int not_regular(struct img *im, const struct stat *st)
{
	return cs_diag_set(im->d, EINVAL, 0, 0, NULL,
			   "not a regular file (%s): an image archive is read more than once, "
			   "from its start; give a file or an OCI layout directory",
			   S_ISFIFO(st->st_mode)  ? "a fifo"
			   : S_ISCHR(st->st_mode) ? "a character device"
			   : S_ISBLK(st->st_mode) ? "a block device"
			   : S_ISDIR(st->st_mode) ? "a directory"
						  : "a socket");
}

/* Build the final view (and read the config) of the image at im->path. */
static int img_load(struct img *im)
{
	const char *path = im->path;
	struct cs_scan_result *r = im->r, pass1 = {0};
	struct stat st;
	int rc, fd;

	if (stat(path, &st) < 0)
		return cs_diag_set(im->d, errno, 0, 0, NULL, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		im->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (im->dirfd < 0)
			return cs_diag_set(im->d, errno, 0, 0, NULL, "%s", strerror(errno));
		im->kind = "oci-layout";
		rc = layout_only(im);
		return rc < 0 ? rc : read_oci(im);
	}

	/* Pass 1: the archive as one layer, keeping its small JSON files; as
	 * Go reads it too (docker load, or a layer given alone). */
	im->layer = 0;
	im->label = NULL;
	/* Not waited on: a fifo put here after the stat is refused, not waited for. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return img_fail(im, errno, "opening: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return not_regular(im, &st);
	}
	im->first = st;
	im->keep_blobs = true;
	im->r = &pass1;
	rc = read_shadowed_fd(im, fd, "opening");
	close(fd);
	im->keep_blobs = false;
	im->r = r;
	im->label = "archive";
	if (rc == 0 && im->top_seen[0]) {
		rc = top_check(im, 0);
		cs_view_free(&im->v);
		im->used = 0;
		im->kept = 0;
		rc = rc < 0 ? rc : cs_view_init(&im->v);
		if (rc == 0)
			rc = read_docker(im);
		im->kind = "docker-archive";
	} else if (rc == 0 && im->top_seen[2]) {
		rc = top_check(im, 2);
		rc = rc < 0 ? rc : top_check(im, 1);
		cs_view_free(&im->v);
		im->used = 0;
		im->kept = 0;
		rc = rc < 0 ? rc : cs_view_init(&im->v);
		if (rc == 0)
			rc = read_oci(im);
		im->kind = "oci-archive";
	} else {
		/* A single layer: what pass 1 saw is the view, its notes are the errors. */
		for (size_t i = 0; i < pass1.nerrors; i++)
			cs_scan_add_error(r, pass1.errors[i].path, pass1.errors[i].err, "%s",
					  pass1.errors[i].message);
		r->nlayers = 1;
		im->kind = "layer";
		if (rc == 0 && im->unpackable[0]) {
			im->label = NULL;
			rc = img_fail(im, EINVAL, "%s; refusing the image", im->unpackable);
		}
		rc = rc == 0 && im->keep_etc ? fetch_etc(im, NULL, false) : rc;
	}
	cs_scan_result_free(&pass1);
	return rc;
}

int cs_scan_image(const char *path, const struct cs_scan_opts *o, struct cs_scan_result *r,
		  struct cs_diag *d)
{
	CS_UTF8_SCOPE;
	struct img im;
	int rc;

	rc = img_init(&im, path, o, r, d);
	if (rc < 0)
		return rc;
	rc = img_load(&im);
	if (rc == 0)
		rc = finish(&im, im.kind);
	img_free(&im);
	return rc;
}

/* A buffer given whole to the reader (archive_read_open_memory opens as
 * archive_read_open does: open_checked says why not). */
struct held {
	const void *p;
	size_t len;
	struct cs_xz_read dec;
};

static la_ssize_t held_pull(struct archive *a, void *cd, const void **out)
{
	struct held *h = cd;
	size_t n = h->len;

	(void)a;
	*out = h->p;
	h->len = 0;
	return (la_ssize_t)n;
}

static la_ssize_t held_read(struct archive *a, void *cd, const void **out)
{
	struct held *h = cd;

	return cs_xz_read(&h->dec, a, held_pull, h, out);
}

int cs_scan_layer_buffer(const void *buf, size_t len, const struct cs_scan_opts *o,
			 struct cs_scan_result *r, struct cs_diag *d)
{
	CS_UTF8_SCOPE;
	struct held *held = NULL;
	struct cs_xz_guard xz;
	struct img im;
	struct archive *a;
	int rc;

	rc = img_init(&im, "(buffer)", o, r, d);
	if (rc < 0)
		return rc;
	a = new_raw_reader();
	if (!a || !(held = malloc(sizeof(*held)))) { /* its decoder's 64 KiB off the stack */
		if (a)
			archive_read_free(a);
		img_free(&im);
		return -ENOMEM;
	}
	held->p = buf;
	held->len = len;
	cs_xz_read_init(&held->dec);
	cs_xz_guard_init(&xz);
	if ((rc = xz_check(&im, NULL, &xz, buf, len)) < 0 ||
	    (rc = gz_check(&im, NULL, gz_start(&im), buf, len)) < 0 ||
	    (rc = gz_check(&im, NULL, &im.gz, NULL, 0)) < 0)
		; /* said */
	else if (open_checked(a, held, held_read, NULL) != ARCHIVE_OK)
		rc = arc_err(&im, a, "opening");
	else
		rc = read_shadowed(&im, a, -1, "opening");
	archive_read_free(a);
	cs_xz_read_end(&held->dec);
	free(held);
	r->nlayers = 1;
	if (rc == 0)
		rc = finish(&im, "layer");
	img_free(&im);
	return rc;
}

struct cs_image {
	struct img im;
	struct cs_scan_result r; /* config strings and reading notes */
	struct cs_image_info info;
};

int cs_image_open(const char *path, const struct cs_scan_opts *o, struct cs_image **out,
		  struct cs_diag *d)
{
	CS_UTF8_SCOPE;
	struct cs_image *ci = calloc(1, sizeof(*ci));
	int rc;

	*out = NULL;
	if (!ci)
		return -ENOMEM;
	rc = img_init(&ci->im, path, o, &ci->r, d);
	if (rc < 0) {
		free(ci);
		cs_diag_file(d, path); /* every caller's message names the archive */
		return rc;
	}
	ci->im.keep_etc = true;
	rc = img_load(&ci->im);
	if (rc < 0) {
		cs_image_close(ci);
		cs_diag_file(d, path);
		return rc;
	}
	/* The JSON documents are no longer needed. */
	for (size_t i = 0; i < ci->im.nblobs; i++) {
		free(ci->im.blobs[i].name);
		free(ci->im.blobs[i].data);
	}
	free(ci->im.blobs);
	ci->im.blobs = NULL;
	ci->im.nblobs = ci->im.blobcap = 0;
	ci->im.d = NULL;
	ci->info.kind = ci->im.kind;
	ci->info.config = &ci->r.config;
	ci->info.nlayers = ci->r.nlayers;
	ci->info.nnotes = ci->r.nerrors;
	*out = ci;
	return 0;
}

int cs_image_findings(const struct cs_image *ci, struct cs_scan_result *r)
{
	int rc;

	r->nlayers = ci->r.nlayers;
	if (!(r->image_kind = strdup(ci->im.kind)))
		return -ENOMEM;
	if (ci->r.entrypoint_path && !(r->entrypoint_path = strdup(ci->r.entrypoint_path)))
		return -ENOMEM;
	for (size_t i = 0; i < ci->r.nerrors; i++) {
		const struct cs_scan_error *e = &ci->r.errors[i];

		if ((rc = cs_scan_add_error(r, e->path, e->err, "%s", e->message)) < 0)
			return rc;
	}
	if ((rc = cs_view_findings(&ci->im.v, r)) < 0)
		return rc;
	mark_entrypoint(r);
	return 0;
}

const struct cs_image_info *cs_image_get_info(const struct cs_image *ci)
{
	return &ci->info;
}

static void stat_of(const struct cs_vnode *n, struct cs_image_stat *st)
{
	struct cs_vattr a;

	cs_vnode_attr(n, &a);
	st->mode = a.mode;
	st->uid = a.uid;
	st->gid = a.gid;
	st->has_fcaps = a.has_fcaps;
	st->fcaps_invalid = a.fcaps_invalid;
	st->fcaps = a.fcaps;
	st->layer = n->layer;
	st->link = S_ISLNK(n->mode) ? n->link : NULL;
	st->head = n->head;
	st->headlen = n->headlen;
	st->unknown_format = n->unknown_format;
}

int cs_image_lookup(const struct cs_image *ci, const char *path, bool follow,
		    struct cs_image_stat *st)
{
	const struct cs_vnode *n;
	char res[4096]; /* PATH_MAX: cs_view_resolve refuses longer with -ENAMETOOLONG */
	int rc;

	memset(st, 0, sizeof(*st));
	rc = cs_view_resolve(&ci->im.v, path, follow, res, sizeof(res));
	if (rc < 0)
		return rc;
	n = cs_view_lookup(&ci->im.v, res);
	if (!n)
		return -ENOENT;
	if (!(st->path = strdup(res)))
		return -ENOMEM;
	stat_of(n, st);
	return 0;
}

uint64_t cs_image_lookup_work(const struct cs_image *ci)
{
	return ci->im.v.work;
}

int cs_image_base_new(const struct cs_image *ci, const char *dir, struct cs_view_base **b)
{
	return cs_view_base_new(&ci->im.v, dir, b);
}

int cs_image_lookup_from(const struct cs_image *ci, struct cs_view_base *b, const char *rel,
			 size_t joined_len, bool follow, struct cs_image_stat *st)
{
	const struct cs_vnode *n;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = cs_view_node_from(&ci->im.v, b, rel, joined_len, follow, &n);
	if (rc < 0)
		return rc;
	if (!n)
		return -ENOENT;
	stat_of(n, st);
	return 0;
}

static int searched(void *ctx, const struct cs_vnode *dir, const char *dirpath, size_t len,
		    size_t depth)
{
	struct cs_vattr a;

	cs_vnode_attr(dir, &a);
	return cs_exec_file_add_dir(ctx, &(struct cs_searched_dir){.path = dirpath,
								   .len = len,
								   .depth = depth,
								   .id = {(uintptr_t)dir, 0},
								   .mode = (mode_t)a.mode,
								   .uid = (uid_t)a.uid,
								   .gid = (gid_t)a.gid});
}

int cs_image_searched_dirs(const struct cs_image *ci, const char *path, struct cs_exec_file *f)
{
	char res[4096];
	int rc = cs_view_resolve_visit(&ci->im.v, path, true, res, sizeof(res), searched, f);

	return rc == -ENOMEM || rc == -E2BIG ? rc : 0;
}

int cs_image_gate_cwd(const struct cs_image *ci, const char *cwd, struct cs_exec_file *f)
{
	char res[4096];
	const struct cs_vnode *n;
	int rc = cs_view_resolve(&ci->im.v, cwd ? cwd : "/", true, res, sizeof(res));

	if (rc == -E2BIG)
		return rc;
	if (rc < 0 || !(n = cs_view_lookup(&ci->im.v, res)) || !S_ISDIR(n->mode))
		return 0; /* not there yet: runc creates it, and nothing is below it */
	return cs_exec_file_gate_dirs(f, (uint64_t[2]){(uintptr_t)n, 0});
}

int cs_image_lookup_bound(const struct cs_image *ci, struct cs_diag *d)
{
	if (ci->im.v.work <= ci->im.v.budget)
		return 0;
	return cs_view_over_budget(&ci->im.v, d, true);
}

void cs_image_stat_clear(struct cs_image_stat *st)
{
	free(st->path);
	memset(st, 0, sizeof(*st));
}

int cs_image_read_small(const struct cs_image *ci, const char *path, const char **data, size_t *len)
{
	char res[4096];
	const struct cs_vnode *n;
	int rc = cs_view_resolve(&ci->im.v, path, true, res, sizeof(res));

	if (rc < 0)
		return rc;
	n = cs_view_lookup(&ci->im.v, res);
	if (!n)
		return -ENOENT;
	if (!S_ISREG(n->mode))
		return -EINVAL;
	if (!n->data) /* fetch_etc read again what was not kept but the large */
		return n->datalen > ETC_MAX ? -EFBIG : -ENODATA;
	*data = n->data;
	*len = n->datalen;
	return 0;
}

void cs_image_close(struct cs_image *ci)
{
	if (!ci)
		return;
	img_free(&ci->im);
	cs_scan_result_free(&ci->r);
	free(ci);
}
