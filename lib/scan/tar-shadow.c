/* SPDX-License-Identifier: MIT */
/*
 * Go's archive/tar reader (reader.go, format.go, strconv.go), followed
 * header by header over a stream fed in pieces: what it names each entry
 * and where it would fail. Only what decides the entries' names, their
 * link targets and where the next header lies is read; the data is
 * skipped. Twelfth pass: libarchive 3.6.2 names an entry by a PAX `path`
 * record that comes before a GNU long name, Go by the long name, so a
 * layer could hide a whiteout from the scanner (or a set-uid file from
 * it) that containerd writes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar-shadow.h"

#define BLOCK	    512
#define SPECIAL_MAX (1u << 20) /* Go's maxSpecialFileSize: PAX and GNU long names */

enum state { HEADER, ZERO2, META, SKIP, SPARSE_EXT, END, FAILED };

struct entry {
	char *name, *link;
	struct cs_tar_go_meta meta;
};

struct cs_tar_shadow {
	enum state st;
	unsigned char blk[BLOCK];
	size_t fill;	      /* bytes of blk gathered */
	uint64_t left;	      /* META: data bytes still to gather; SKIP: bytes to pass */
	uint64_t pad;	      /* META: padding after the data; SKIP: the padding in left */
	uint64_t sparse_data; /* SPARSE_EXT: the entry's data, after the extension blocks */
	uint64_t sparse_pad;  /* SPARSE_EXT: its padding */
	char meta_type;
	char *meta;
	size_t meta_len;
	/* What the special headers before the next entry said (Go's locals in Next). */
	char *pax, *long_name, *long_link;
	size_t pax_len;
	bool have_pax;
	struct entry *q, cur;
	bool have_cur;
	size_t head, tail, cap;
	char err[160];
	bool oom; /* the failure is ours (out of memory), not the stream's */
};

/* Pass n bytes, the last pad of them padding, then read a header. */
static void skip(struct cs_tar_shadow *s, uint64_t n, uint64_t pad)
{
	s->left = n;
	s->pad = pad;
	s->st = n ? SKIP : HEADER;
}

static uint64_t padding(uint64_t size)
{
	return (BLOCK - size % BLOCK) % BLOCK;
}

static void fail(struct cs_tar_shadow *s, const char *why)
{
	if (s->st == FAILED)
		return;
	snprintf(s->err, sizeof(s->err), "%s", why);
	s->st = FAILED;
}

static void fail_nomem(struct cs_tar_shadow *s)
{
	if (s->st != FAILED)
		s->oom = true;
	fail(s, "out of memory");
}

/* parser.parseString: up to the first NUL. */
static size_t field_len(const unsigned char *b, size_t n)
{
	const unsigned char *z = memchr(b, 0, n);

	return z ? (size_t)(z - b) : n;
}

/* parser.parseOctal: spaces and NULs trimmed at both ends, then ParseUint(s, 8, 64). */
static bool parse_octal(const unsigned char *b, size_t n, int64_t *v)
{
	uint64_t x = 0;

	while (n && (b[0] == ' ' || b[0] == 0))
		b++, n--;
	while (n && (b[n - 1] == ' ' || b[n - 1] == 0))
		n--;
	n = field_len(b, n);
	*v = 0;
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++) {
		if (b[i] < '0' || b[i] > '7' || x >> 61)
			return false;
		x = x << 3 | (uint64_t)(b[i] - '0');
	}
	*v = (int64_t)x; /* Go converts as it is: a 64th bit makes it negative */
	return true;
}

/* parser.parseNumeric: base-256 when the first byte's high bit is set. */
static bool parse_numeric(const unsigned char *b, size_t n, int64_t *v)
{
	unsigned char inv;
	uint64_t x = 0;

	if (!n || !(b[0] & 0x80))
		return parse_octal(b, n, v);
	inv = b[0] & 0x40 ? 0xff : 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i] ^ inv;

		if (i == 0)
			c &= 0x7f;
		if (x >> 56)
			return false;
		x = x << 8 | c;
	}
	if (x >> 63)
		return false;
	*v = inv ? (int64_t)~x : (int64_t)x;
	return true;
}

static bool all_zero(const unsigned char *b)
{
	for (size_t i = 0; i < BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

enum format { V7, USTAR, GNU, STAR, BAD };

/* block.getFormat: the checksum (unsigned or signed sum), then the magic. */
static enum format block_format(const unsigned char *b)
{
	int64_t want, u = 0, sg = 0;

	if (!parse_octal(b + 148, 8, &want))
		return BAD;
	for (size_t i = 0; i < BLOCK; i++) {
		unsigned char c = i >= 148 && i < 156 ? ' ' : b[i];

		u += c;
		sg += (signed char)c;
	}
	if (want != u && want != sg)
		return BAD;
	if (!memcmp(b + 257, "ustar\0", 6))
		return !memcmp(b + 508, "tar\0", 4) ? STAR : USTAR;
	if (!memcmp(b + 257, "ustar ", 6) && !memcmp(b + 263, " \0", 2))
		return GNU;
	return V7;
}

static char *dup_n(const void *p, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

/* strconv.ParseInt(s, 10, 64) on n bytes: a sign, then decimal digits only. */
static bool go_parse_int(const char *s, size_t n, int64_t *v)
{
	bool neg = false;
	uint64_t x = 0;

	if (n && (s[0] == '+' || s[0] == '-'))
		neg = s[0] == '-', s++, n--;
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > (uint64_t)INT64_MAX + neg)
		return false;
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return true;
}

/*
 * The next record of PAX data pax_valid has passed ("LEN KEY=VALUE\n"):
 * its key and value; false at the end.
 */
static bool pax_next(const char **p, size_t *n, const char **k, size_t *kl, const char **v,
		     size_t *vl)
{
	const char *sp, *eq;
	int64_t len = 0;

	if (!*n)
		return false;
	sp = memchr(*p, ' ', *n);
	go_parse_int(*p, (size_t)(sp - *p), &len);
	eq = memchr(sp + 1, '=', (size_t)(*p + len - 1 - (sp + 1)));
	*k = sp + 1;
	*kl = (size_t)(eq - *k);
	*v = eq + 1;
	*vl = (size_t)(*p + len - 1 - *v);
	*p += len;
	*n -= (size_t)len;
	return true;
}

static bool key_is(const char *k, size_t kl, const char *key)
{
	return kl == strlen(key) && !memcmp(k, key, kl);
}

/*
 * The value of a record of a PAX header's data, or NULL when it has none:
 * the last of one key wins, as in Go's map, and an empty value is none
 * (mergePAX keeps the header's field, readGNUSparsePAXHeaders compares
 * with "").
 */
static const char *pax_get(const char *p, size_t n, const char *key, size_t *vlen)
{
	const char *found = NULL, *k, *v;
	size_t kl, vl;

	while (pax_next(&p, &n, &k, &kl, &v, &vl))
		if (key_is(k, kl, key)) {
			found = vl ? v : NULL;
			*vlen = vl;
		}
	return found;
}

/*
 * parsePAX makes GNU.sparse.offset and .numbytes records (sparse format
 * 0.0) a GNU.sparse.map of their values joined by commas, over any map
 * record: whether that map is not empty.
 */
static bool pax_has_map(const char *p, size_t n)
{
	const char *k, *v, *at = p;
	size_t kl, vl, left = n, parts = 0, onel = 0;

	while (pax_next(&at, &left, &k, &kl, &v, &vl))
		if (key_is(k, kl, "GNU.sparse.offset") || key_is(k, kl, "GNU.sparse.numbytes"))
			parts++, onel = vl;
	if (parts)
		return parts > 1 || onel > 0;
	return pax_get(p, n, "GNU.sparse.map", &vl) != NULL;
}

/* parsePAXRecord and validPAXRecord over the whole data: false when Go fails. */
static bool pax_valid(const char *p, size_t n)
{
	size_t sparse = 0; /* GNU.sparse.offset and .numbytes records, which must alternate */

	while (n) {
		const char *sp = memchr(p, ' ', n), *rec, *eq;
		int64_t len;
		size_t rlen;

		if (!sp || !go_parse_int(p, (size_t)(sp - p), &len) || len < 5 ||
		    (uint64_t)len > n || len - (int64_t)(sp - p + 1) <= 0 || p[len - 1] != '\n')
			return false;
		rec = sp + 1;
		rlen = (size_t)(p + len - 1 - rec);
		if (!(eq = memchr(rec, '=', rlen)) || eq == rec)
			return false;
		/* path, linkpath, uname and gname: no NUL in the value; others: none in the key */
		size_t kl = (size_t)(eq - rec);
		bool named = (kl == 4 && !memcmp(rec, "path", 4)) ||
			     (kl == 8 && !memcmp(rec, "linkpath", 8)) ||
			     (kl == 5 && (!memcmp(rec, "uname", 5) || !memcmp(rec, "gname", 5)));
		if (named ? memchr(eq + 1, 0, rlen - kl - 1) != NULL : memchr(rec, 0, kl) != NULL)
			return false;
		bool off = key_is(rec, kl, "GNU.sparse.offset");
		if (off || key_is(rec, kl, "GNU.sparse.numbytes")) {
			if (off != (sparse % 2 == 0) || memchr(eq + 1, ',', rlen - kl - 1))
				return false;
			sparse++;
		}
		p += len;
		n -= (size_t)len;
	}
	return true;
}

static int push(struct cs_tar_shadow *s, char *name, char *link, const struct cs_tar_go_meta *m)
{
	if (s->tail == s->cap) {
		if (s->head > 0) {
			memmove(s->q, s->q + s->head, (s->tail - s->head) * sizeof(*s->q));
			s->tail -= s->head;
			s->head = 0;
		} else {
			size_t nc = s->cap ? s->cap * 2 : 64;
			struct entry *q = realloc(s->q, nc * sizeof(*q));

			if (!q) {
				free(name);
				free(link);
				return -ENOMEM;
			}
			s->q = q;
			s->cap = nc;
		}
	}
	s->q[s->tail++] = (struct entry){name, link, *m};
	return 0;
}

static void clear_pending(struct cs_tar_shadow *s)
{
	free(s->pax);
	free(s->long_name);
	free(s->long_link);
	s->pax = s->long_name = s->long_link = NULL;
	s->pax_len = 0;
	s->have_pax = false;
}

/* A special header's data is complete (Go's parsePAX, readSpecialFile). */
static void end_meta(struct cs_tar_shadow *s)
{
	char t = s->meta_type;

	if (t == 'x' || t == 'g') {
		if (!pax_valid(s->meta, s->meta_len))
			return fail(s,
				    "a PAX header's record is malformed (Go: invalid tar header)");
		if (t == 'x') { /* Go keeps the last 'x' header's records only */
			free(s->pax);
			s->pax = s->meta;
			s->pax_len = s->meta_len;
			s->have_pax = true;
			s->meta = NULL;
		}
	} else {
		size_t n = field_len((const unsigned char *)s->meta, s->meta_len);
		char **dst = t == 'L' ? &s->long_name : &s->long_link;

		free(*dst);
		*dst = NULL; /* Go applies a long name or link only when not empty */
		if (n && !(*dst = dup_n(s->meta, n)))
			return fail_nomem(s);
	}
	free(s->meta);
	s->meta = NULL;
	s->meta_len = 0;
	skip(s, s->pad, s->pad);
}

/* Replace *dst with a copy of the PAX record key when there is one. */
static bool from_pax(struct cs_tar_shadow *s, const char *key, char **dst)
{
	size_t n = 0;
	const char *v = s->have_pax ? pax_get(s->pax, s->pax_len, key, &n) : NULL;
	char *d;

	if (!v)
		return true;
	if (!(d = dup_n(v, n)))
		return false;
	free(*dst);
	*dst = d;
	return true;
}

/* The last non-empty record of key is exactly want. */
static bool pax_is(struct cs_tar_shadow *s, const char *key, const char *want)
{
	size_t n = 0;
	const char *v = pax_get(s->pax, s->pax_len, key, &n);

	return v && n == strlen(want) && !memcmp(v, want, n);
}

/* readGNUSparsePAXHeaders: whether this is a PAX sparse file (0.0, 0.1 or 1.0). */
static bool pax_sparse(struct cs_tar_shadow *s)
{
	size_t n;

	if (!s->have_pax)
		return false;
	if (pax_get(s->pax, s->pax_len, "GNU.sparse.major", &n) ||
	    pax_get(s->pax, s->pax_len, "GNU.sparse.minor", &n))
		return (pax_is(s, "GNU.sparse.major", "0") &&
			(pax_is(s, "GNU.sparse.minor", "0") ||
			 pax_is(s, "GNU.sparse.minor", "1"))) ||
		       (pax_is(s, "GNU.sparse.major", "1") && pax_is(s, "GNU.sparse.minor", "0"));
	return pax_has_map(s->pax, s->pax_len);
}

/* parsePAXTime: decimal seconds, then '.' and digits only. */
static bool go_pax_time(const char *v, size_t n)
{
	const char *dot = memchr(v, '.', n);
	int64_t t;

	if (!go_parse_int(v, dot ? (size_t)(dot - v) : n, &t))
		return false;
	for (const char *c = dot ? dot + 1 : v + n; c < v + n; c++)
		if (*c < '0' || *c > '9')
			return false;
	return true;
}

/*
 * mergePAX's numbers: each key's last non-empty record, parsed as Go does
 * (a record it cannot parse fails the header). NULL, or the key that fails.
 */
static const char *pax_numbers(struct cs_tar_shadow *s, struct cs_tar_go_meta *m)
{
	static const char *const times[] = {"atime", "mtime", "ctime"};
	const char *keys[] = {"size", "uid", "gid"};
	int64_t *to[] = {&m->size, &m->uid, &m->gid};
	const char *v;
	size_t n;

	if (!s->have_pax)
		return NULL;
	for (size_t i = 0; i < 3; i++)
		if ((v = pax_get(s->pax, s->pax_len, keys[i], &n)) && !go_parse_int(v, n, to[i]))
			return keys[i];
	for (size_t i = 0; i < 3; i++)
		if ((v = pax_get(s->pax, s->pax_len, times[i], &n)) && !go_pax_time(v, n))
			return times[i];
	return NULL;
}

static bool header_only(char t)
{
	return t == '1' || t == '2' || t == '3' || t == '4' || t == '5' || t == '6';
}

/* The header's name: a USTAR (or STAR, or a buggy GNU) prefix joined with '/'. */
static char *header_name(const unsigned char *b, enum format f)
{
	size_t n = field_len(b, 100), pn = 0;
	const unsigned char *prefix = b + 345;
	char *out;

	if (f == USTAR)
		pn = field_len(prefix, 155);
	else if (f == STAR)
		pn = field_len(prefix, 131);
	else if (f == GNU) {
		int64_t t;
		bool bad = (b[345] && !parse_numeric(b + 345, 12, &t)) ||
			   (b[357] && !parse_numeric(b + 357, 12, &t));

		/* Go before 1.8 wrote a prefix into an old GNU header; Go takes it
		 * back when the times there do not parse, and are ASCII. */
		pn = bad ? field_len(prefix, 155) : 0;
		for (size_t i = 0; i < pn; i++)
			if (prefix[i] >= 0x80)
				pn = 0;
	}
	if (!pn)
		return dup_n(b, n);
	if (!(out = malloc(pn + 1 + n + 1)))
		return NULL;
	memcpy(out, prefix, pn);
	out[pn] = '/';
	memcpy(out + pn + 1, b, n);
	out[pn + 1 + n] = '\0';
	return out;
}

/* The numbers of a header block (readHeader), each as parseNumeric reads it. */
struct numbers {
	int64_t mode, uid, gid, size;
};

/* handleSparseFile: a sparse file's logical size, or why Go fails on it (NULL: none). */
static const char *sparse_size(struct cs_tar_shadow *s, enum format f, char type,
			       struct cs_tar_go_meta *m, char **name)
{
	const char *v = NULL;
	size_t n = 0;

	if (type == 'S') { /* readOldGNUSparseMap */
		if (f != GNU)
			return "an old GNU sparse header not in GNU format (Go: invalid tar "
			       "header)";
		if (!parse_numeric(s->blk + 483, 12, &m->size))
			return "an old GNU sparse header's size does not parse (Go: invalid tar "
			       "header)";
		m->sparse = true;
		return NULL;
	}
	if (!pax_sparse(s))
		return NULL;
	m->sparse = true;
	if (!from_pax(s, "GNU.sparse.name", name))
		return "";
	if (!(v = pax_get(s->pax, s->pax_len, "GNU.sparse.size", &n)))
		v = pax_get(s->pax, s->pax_len, "GNU.sparse.realsize", &n);
	if (v && !go_parse_int(v, n, &m->size))
		return "a PAX sparse file's size is not a number (Go: invalid tar header)";
	if (header_only(type))
		return "a PAX sparse map on a link, device, directory or fifo (Go: invalid tar "
		       "header)";
	return NULL;
}

/* A file's header (Go's default case of Next): queue it and pass its data. */
static void file_header(struct cs_tar_shadow *s, enum format f, char type, struct numbers h)
{
	char *name = header_name(s->blk, f),
	     *link = dup_n(s->blk + 157, field_len(s->blk + 157, 100));
	struct cs_tar_go_meta m = {h.mode, h.uid, h.gid, h.size, type, false};
	const char *why = NULL, *bad; /* why: NULL is out of memory */
	char msg[96];
	uint64_t body;

	if (!name || !link || !from_pax(s, "path", &name) || !from_pax(s, "linkpath", &link))
		goto refuse;
	if ((bad = pax_numbers(s, &m))) {
		snprintf(msg, sizeof(msg),
			 "a PAX %s record does not parse (Go: invalid tar header)", bad);
		why = msg;
		goto refuse;
	}
	if (s->long_name) {
		free(name);
		name = s->long_name;
		s->long_name = NULL;
	}
	if (s->long_link) {
		free(link);
		link = s->long_link;
		s->long_link = NULL;
	}
	/* Go: a TypeRegA ('\0') whose name ends in '/' is a directory, else a file */
	if (type == '\0')
		type = m.type = name[0] && name[strlen(name) - 1] == '/' ? '5' : '0';
	h.size = m.size; /* the physical size, a PAX size record's when there is one */
	if (header_only(type))
		h.size = 0;
	if (h.size < 0) {
		why = "an entry's size is negative (Go: invalid tar header)";
		goto refuse;
	}
	if ((why = sparse_size(s, f, type, &m, &name)))
		goto refuse;
	if (type != '1' && type != '2') {
		free(link);
		link = NULL;
	}
	clear_pending(s);
	if (push(s, name, link, &m) < 0) /* push frees both */
		return fail_nomem(s);
	body = (uint64_t)h.size;
	skip(s, body + padding(body), padding(body));
	if (type == 'S' && s->blk[482]) { /* readOldGNUSparseMap: extension blocks first */
		s->sparse_data = s->left;
		s->sparse_pad = s->pad;
		s->st = SPARSE_EXT;
	}
	return;
refuse:
	free(name);
	free(link);
	if (why && *why)
		fail(s, why);
	else
		fail_nomem(s);
}

static void header_block(struct cs_tar_shadow *s)
{
	enum format f;
	struct numbers h;
	int64_t t;
	char type = (char)s->blk[156];

	if (all_zero(s->blk)) {
		s->st = s->st == ZERO2 ? END : ZERO2;
		return;
	}
	if (s->st == ZERO2)
		return fail(s, "a header after one zero block (Go: invalid tar header)");
	if ((f = block_format(s->blk)) == BAD)
		return fail(s, "a header's checksum is wrong (Go: invalid tar header)");
	if (!parse_numeric(s->blk + 124, 12, &h.size) || !parse_numeric(s->blk + 100, 8, &h.mode) ||
	    !parse_numeric(s->blk + 108, 8, &h.uid) || !parse_numeric(s->blk + 116, 8, &h.gid) ||
	    !parse_numeric(s->blk + 136, 12, &t) ||
	    (f != V7 &&
	     (!parse_numeric(s->blk + 329, 8, &t) || !parse_numeric(s->blk + 337, 8, &t))) ||
	    /* a STAR header's access and change times are parsed too */
	    (f == STAR &&
	     (!parse_numeric(s->blk + 476, 12, &t) || !parse_numeric(s->blk + 488, 12, &t))))
		return fail(s, "a header's number field does not parse (Go: invalid tar header)");
	/* handleRegularFile, on every header before any PAX record is applied */
	if (h.size < 0 && !header_only(type))
		return fail(s, "an entry's size is negative (Go: invalid tar header)");
	if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
		if ((uint64_t)h.size > SPECIAL_MAX)
			return fail(
			    s,
			    "a PAX header or GNU long name over 1 MiB (Go: header field too long)");
		if (type == 'g')
			clear_pending(s); /* Go returns it: Next's pending names go with it */
		s->meta_type = type;
		s->left = (uint64_t)h.size;
		s->pad = padding((uint64_t)h.size);
		if (!(s->meta = malloc((size_t)h.size + 1)))
			return fail_nomem(s);
		s->meta_len = 0;
		s->st = META;
		if (!h.size)
			end_meta(s);
		return;
	}
	file_header(s, f, type, h);
}

int cs_tar_shadow_feed(struct cs_tar_shadow *s, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len && s->st != END && s->st != FAILED) {
		size_t k;

		switch (s->st) {
		case HEADER:
		case ZERO2:
		case SPARSE_EXT:
			k = BLOCK - s->fill < len ? BLOCK - s->fill : len;
			memcpy(s->blk + s->fill, p, k);
			s->fill += k;
			if (s->fill == BLOCK) {
				s->fill = 0;
				if (s->st != SPARSE_EXT)
					header_block(s);
				else if (!s->blk[504]) /* the last extension block */
					skip(s, s->sparse_data, s->sparse_pad);
			}
			break;
		case META:
			k = s->left < len ? (size_t)s->left : len;
			memcpy(s->meta + s->meta_len, p, k);
			s->meta_len += k;
			s->left -= k;
			if (!s->left)
				end_meta(s);
			break;
		default: /* SKIP */
			k = s->left < len ? (size_t)s->left : len;
			s->left -= k;
			if (!s->left)
				s->st = HEADER;
			break;
		}
		p += k;
		len -= k;
	}
	return s->oom ? -ENOMEM : 0;
}

uint64_t cs_tar_shadow_skippable(const struct cs_tar_shadow *s)
{
	return s->st == SKIP ? s->left : 0;
}

void cs_tar_shadow_skip(struct cs_tar_shadow *s, uint64_t n)
{
	if (s->st == SKIP && n <= s->left)
		skip(s, s->left - n, s->pad < s->left - n ? s->pad : s->left - n);
}

void cs_tar_shadow_finish(struct cs_tar_shadow *s)
{
	/* tryReadFull: io.EOF at a header's first byte (or after one zero
	 * block) ends the archive, and so does io.EOF in the padding after an
	 * entry's data (Next reads it with tryReadFull); anywhere else it is
	 * unexpected. */
	if (((s->st == HEADER || s->st == ZERO2) && !s->fill) ||
	    (s->st == SKIP && s->left <= s->pad))
		s->st = END;
	else if (s->st != END)
		fail(s, "the stream ends inside an entry (Go: unexpected EOF)");
}

bool cs_tar_shadow_next(struct cs_tar_shadow *s, const char **name, const char **link)
{
	free(s->cur.name);
	free(s->cur.link);
	s->cur = (struct entry){0};
	s->have_cur = false;
	if (s->head == s->tail)
		return false;
	s->cur = s->q[s->head++];
	s->have_cur = true;
	*name = s->cur.name;
	*link = s->cur.link;
	return true;
}

const struct cs_tar_go_meta *cs_tar_shadow_meta(const struct cs_tar_shadow *s)
{
	return s->have_cur ? &s->cur.meta : NULL;
}

bool cs_tar_shadow_ended(const struct cs_tar_shadow *s)
{
	return s->st == END;
}

const char *cs_tar_shadow_error(const struct cs_tar_shadow *s)
{
	return s->st == FAILED ? s->err : NULL;
}

int cs_tar_shadow_new(struct cs_tar_shadow **out)
{
	return (*out = calloc(1, sizeof(**out))) ? 0 : -ENOMEM;
}

void cs_tar_shadow_free(struct cs_tar_shadow *s)
{
	if (!s)
		return;
	clear_pending(s);
	free(s->meta);
	free(s->cur.name);
	free(s->cur.link);
	for (size_t i = s->head; i < s->tail; i++) {
		free(s->q[i].name);
		free(s->q[i].link);
	}
	free(s->q);
	free(s);
}
