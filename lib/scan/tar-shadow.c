/* SPDX-License-Identifier: MIT */
/*
 * Go's archive/tar reader (reader.go, format.go, strconv.go), followed
 * header by header over a stream fed in pieces: what it names each entry
 * and where it would fail. Only the headers (names, link targets, the
 * numbers and type Go applies, security.capability, where the next header
 * lies) and a GNU PAX 1.0 sparse map are read; the data is skipped.
 * Twelfth pass: libarchive 3.6.2 names an entry by a PAX `path`
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
#include "../internal/util.h"

#define BLOCK	    512
#define SPECIAL_MAX (1u << 20) /* Go's maxSpecialFileSize: PAX and GNU long names */

enum state { HEADER, ZERO2, META, SKIP, SPARSE_MAP, END, FAILED };

struct entry {
	char *name, *link;
	char *xcap; /* SCHILY.xattr.security.capability's value, or NULL */
	size_t xcap_len;
	struct cs_tar_go_meta meta;
};

/* A GNU PAX sparse map, checked as it is read (Go's validateSparseEntries, then
 * its sparse reader, which fails when the data do not fill the map exactly). */
struct sparse {
	int64_t logical;  /* the file's size (GNU.sparse.size or realsize) */
	int64_t count;	  /* entries the map says it has, -1 until read (1.0) */
	int64_t tokens;	  /* numbers read so far (1.0: the count is the first) */
	int64_t prev_end; /* where the last entry ended */
	uint64_t data;	  /* sum of the entries' lengths */
	uint64_t tok;	  /* the number being read (1.0) */
	bool tok_neg, tok_sign, tok_digits, tok_bad;
	bool offset_next; /* the next number is an offset, not a length */
};

struct cs_tar_shadow {
	enum state st;
	unsigned char blk[BLOCK];
	size_t fill;	  /* bytes of blk gathered */
	uint64_t left;	  /* META: data bytes still to gather; SKIP: bytes to pass */
	uint64_t pad;	  /* META: padding after the data; SKIP: the padding in left */
	struct sparse sp; /* SPARSE_MAP: a PAX 1.0 map at the start of the data */
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
 * The value of a record of a PAX header's data (Go's parsePAX, after it
 * has checked every record), or NULL when it has none: the last of one
 * key wins, as in Go's map. An empty value is returned as it is (pax_val
 * takes it as none).
 */
static const char *pax_get(const char *p, size_t n, const char *key, size_t *vlen)
{
	const char *found = NULL, *k, *v;
	size_t kl, vl;

	while (pax_next(&p, &n, &k, &kl, &v, &vl))
		if (key_is(k, kl, key)) {
			found = v;
			*vlen = vl;
		}
	return found;
}

/* parsePAXRecord and validPAXRecord over the whole data, and parsePAX's
 * rule for GNU 0.0 sparse records: false when Go fails. */
static bool pax_valid(const char *p, size_t n)
{
	unsigned sparse = 0; /* GNU.sparse.offset and .numbytes records so far */

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
		bool off = key_is(rec, kl, "GNU.sparse.offset"),
		     num = key_is(rec, kl, "GNU.sparse.numbytes");
		if ((off || num) &&
		    (off != (sparse % 2 == 0) || memchr(eq + 1, ',', rlen - kl - 1)))
			return false; /* offset, numbytes, offset ... and no comma in either */
		sparse += off || num;
		p += len;
		n -= (size_t)len;
	}
	return true;
}

static int push(struct cs_tar_shadow *s, struct entry e)
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
				free(e.name);
				free(e.link);
				free(e.xcap);
				return -ENOMEM;
			}
			s->q = q;
			s->cap = nc;
		}
	}
	s->q[s->tail++] = e;
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

		/* Go applies a long name or link only when not empty (`if
		 * gnuLongName != ""`): an empty one keeps the header's, where
		 * libarchive names the entry "" (a set-uid file it then skipped
		 * as unnamed, which containerd unpacks under the header's name) */
		free(*dst);
		*dst = NULL;
		if (n && !(*dst = dup_n(s->meta, n)))
			return fail_nomem(s);
	}
	free(s->meta);
	s->meta = NULL;
	s->meta_len = 0;
	skip(s, s->pad, s->pad);
}

static bool header_only(char t)
{
	return t == '1' || t == '2' || t == '3' || t == '4' || t == '5' || t == '6';
}

/*
 * A record of the pending PAX header that Go takes: mergePAX and the
 * sparse rules keep the header's own value when a record is empty.
 */
static const char *pax_val(const struct cs_tar_shadow *s, const char *key, size_t *n)
{
	const char *v = s->have_pax ? pax_get(s->pax, s->pax_len, key, n) : NULL;

	return v && *n ? v : NULL;
}

/* Replace *dst with a copy of the PAX record key when there is one. */
static bool from_pax(struct cs_tar_shadow *s, const char *key, char **dst)
{
	size_t n = 0;
	const char *v = pax_val(s, key, &n);
	char *d;

	if (!v)
		return true;
	if (!(d = dup_n(v, n)))
		return false;
	free(*dst);
	*dst = d;
	return true;
}

/* parsePAXTime: seconds (ParseInt), then optionally '.' and decimal digits only. */
static bool pax_time_ok(const struct cs_tar_shadow *s, const char *key)
{
	size_t n;
	int64_t v;
	const char *p = pax_val(s, key, &n), *dot;

	if (!p)
		return true;
	dot = memchr(p, '.', n);
	if (!go_parse_int(p, dot ? (size_t)(dot - p) : n, &v))
		return false;
	for (const char *c = dot ? dot + 1 : p + n; c < p + n; c++)
		if (*c < '0' || *c > '9')
			return false;
	return true;
}

/*
 * The number records Go parses in mergePAX: uid, gid and size (strconv.
 * ParseInt) taken into m, the times checked. Any that does not parse
 * fails Next: NULL, or its key.
 */
static const char *pax_numbers(const struct cs_tar_shadow *s, struct cs_tar_go_meta *m)
{
	static const char *const ints[] = {"uid", "gid", "size"}, *const times[] = {
								      "atime", "mtime", "ctime"};
	int64_t *to[] = {&m->uid, &m->gid, &m->size};
	const char *v;
	size_t n;

	for (size_t i = 0; i < 3; i++)
		if ((v = pax_val(s, ints[i], &n)) && !go_parse_int(v, n, to[i]))
			return ints[i];
	for (size_t i = 0; i < 3; i++)
		if (!pax_time_ok(s, times[i]))
			return times[i];
	return NULL;
}

/* The token parser of a sparse map's numbers (strconv.ParseInt, base 10). */
static void tok_byte(struct sparse *p, unsigned char c)
{
	if (!p->tok_digits && !p->tok_sign && (c == '+' || c == '-')) {
		p->tok_sign = true;
		p->tok_neg = c == '-';
	} else if (c < '0' || c > '9' || p->tok > (UINT64_MAX - 9) / 10) {
		p->tok_bad = true;
	} else {
		p->tok = p->tok * 10 + (uint64_t)(c - '0');
		p->tok_digits = true;
	}
}

/*
 * One number of the map ends: the count (1.0's first), then offset and
 * length pairs, each checked as validateSparseEntries checks it: not
 * negative, in order, not overlapping, inside the file's size.
 */
static bool tok_end(struct sparse *p)
{
	bool ok = p->tok_digits && !p->tok_bad && p->tok <= (uint64_t)INT64_MAX + p->tok_neg;
	int64_t v = p->tok_neg ? (int64_t)(0 - p->tok) : (int64_t)p->tok;

	p->tok = 0;
	p->tok_neg = p->tok_sign = p->tok_digits = p->tok_bad = false;
	if (!ok)
		return false;
	p->tokens++;
	if (p->count < 0) {
		p->count = v;
		return v >= 0 && v <= INT64_MAX / 2;
	}
	if ((p->offset_next = !p->offset_next)) { /* an offset: its length follows */
		p->prev_end = v < p->prev_end ? -1 : v;
		return v >= 0 && p->prev_end >= 0;
	}
	if (v < 0 || p->prev_end > INT64_MAX - v || p->prev_end + v > p->logical)
		return false;
	p->prev_end += v;
	p->data += (uint64_t)v;
	return true;
}

/*
 * parsePAX joins GNU 0.0 sparse records (GNU.sparse.offset, .numbytes) with
 * ',' into GNU.sparse.map, in place of such a record. Their number in
 * *nrec and the joined length in *len; with p, their numbers are fed to
 * it (false when one does not parse or check).
 */
static bool sparse_records(const struct cs_tar_shadow *s, struct sparse *p, size_t *nrec,
			   size_t *len)
{
	const char *r = s->pax, *k, *v;
	size_t left = s->have_pax ? s->pax_len : 0, kl, vl;

	*nrec = *len = 0;
	while (pax_next(&r, &left, &k, &kl, &v, &vl)) {
		if (!key_is(k, kl, "GNU.sparse.offset") && !key_is(k, kl, "GNU.sparse.numbytes"))
			continue;
		if ((*nrec)++ && p && !tok_end(p))
			return false; /* the ',' before this one */
		for (size_t i = 0; p && i < vl; i++)
			tok_byte(p, (unsigned char)v[i]);
		*len += vl + (*nrec > 1);
	}
	return true;
}

/* readGNUSparsePAXHeaders: 0 not sparse, 1 a 0.0/0.1 map in the records, 2 a 1.0 map in the data.
 */
static int pax_sparse(const struct cs_tar_shadow *s)
{
	size_t mn = 0, nn = 0, n, nrec, len;
	const char *major = pax_val(s, "GNU.sparse.major", &mn),
		   *minor = pax_val(s, "GNU.sparse.minor", &nn);

	if (major && mn == 1 && *major == '0' && minor && nn == 1 &&
	    (*minor == '0' || *minor == '1'))
		return 1;
	if (major && mn == 1 && *major == '1' && minor && nn == 1 && *minor == '0')
		return 2;
	if (major || minor)
		return 0; /* a version Go does not know: a plain file */
	sparse_records(s, NULL, &nrec, &len);
	return (nrec ? len > 0 : pax_val(s, "GNU.sparse.map", &n) != NULL) ? 1 : 0;
}

/* Go's sparse reader fails unless the stored data fill the map exactly. */
static bool sparse_fits(const struct sparse *p, uint64_t physical)
{
	return p->data == physical && !p->offset_next;
}

/* A 0.0 or 0.1 map (readGNUSparseMap0x1): the joined records, else GNU.sparse.map;
 * GNU.sparse.numblocks. */
static bool sparse_0x(struct cs_tar_shadow *s, struct sparse *p, uint64_t physical)
{
	size_t n = 0, cn = 0, nrec, len;
	const char *c =
	    s->have_pax ? pax_get(s->pax, s->pax_len, "GNU.sparse.numblocks", &cn) : NULL;
	const char *m = s->have_pax ? pax_get(s->pax, s->pax_len, "GNU.sparse.map", &n) : NULL;

	p->count = 0; /* pairs only: the count is a record here */
	if (!sparse_records(s, p, &nrec, &len))
		return false;
	if (nrec && len && !tok_end(p)) /* a joined map of "" has no entries */
		return false;
	for (size_t i = 0; !nrec && m && n && i <= n; i++)
		if (i == n || m[i] == ',' ? !tok_end(p) : (tok_byte(p, (unsigned char)m[i]), false))
			return false;
	if (!c || !go_parse_int(c, cn, &p->count) || p->count < 0 || p->count > INT64_MAX / 2)
		return false;
	return p->tokens == 2 * p->count && sparse_fits(p, physical);
}

/* A block of a 1.0 map (readGNUSparseMap1x0): whole blocks, until 1 + 2 * count numbers. */
static void sparse_block(struct cs_tar_shadow *s)
{
	struct sparse *p = &s->sp;

	s->left -= BLOCK;
	for (size_t i = 0; i < BLOCK && (p->count < 0 || p->tokens < 1 + 2 * p->count); i++)
		if (s->blk[i] == '\n' ? !tok_end(p) : (tok_byte(p, s->blk[i]), false))
			return fail(s, "a GNU sparse map's number does not parse, or its entries "
				       "overlap or pass the file's size (Go: invalid tar header)");
	if (p->count >= 0 && p->tokens == 1 + 2 * p->count) {
		if (!sparse_fits(p, s->left))
			return fail(s, "a GNU sparse map does not match the entry's data (Go: "
				       "sparse file references non-existent data)");
		return skip(s, s->left + s->pad, s->pad);
	}
	if (s->left < BLOCK)
		fail(s, "a GNU sparse map runs past the entry's data (Go: unexpected EOF)");
}

/*
 * A PAX sparse file (handleSparseFile): its name and logical size from
 * the records (into e), its map read and checked against the physical
 * size. Returns the error, or NULL; *in_data when the map is at the start
 * of the data (1.0).
 */
static const char *pax_sparse_begin(struct cs_tar_shadow *s, char type, int64_t size,
				    struct entry *e, bool *in_data)
{
	int kind = pax_sparse(s);
	size_t n;
	const char *v;
	int64_t logical = size;

	*in_data = false;
	if (!kind)
		return NULL;
	e->meta.sparse = true;
	if (!from_pax(s, "GNU.sparse.name", &e->name))
		return "";
	if ((v = pax_val(s, "GNU.sparse.size", &n)) || (v = pax_val(s, "GNU.sparse.realsize", &n)))
		if (!go_parse_int(v, n, &logical))
			return "a GNU sparse size record is not a number (Go: invalid tar header)";
	e->meta.size = logical;
	s->sp = (struct sparse){.logical = logical, .count = -1};
	if (logical < 0 || header_only(type))
		return "a GNU sparse file that is not a regular file, or of a negative size (Go: "
		       "invalid tar header)";
	if (kind == 2) {
		*in_data = true;
		return size < BLOCK
			   ? "a GNU sparse map runs past the entry's data (Go: unexpected EOF)"
			   : NULL;
	}
	if (!sparse_0x(s, &s->sp, (uint64_t)size))
		return "a GNU sparse map does not parse, or does not match the entry's data (Go: "
		       "invalid tar header, or its sparse reader's error)";
	return NULL;
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

/*
 * Entry types containerd's, Docker's and CRI-O's appliers write (after Go
 * makes an old '\0' file a '0' or, named with a trailing '/', a '5'); on
 * any other ('7', 'S', 'V', 'D' ...) they fail: "unhandled tar header type".
 */
static bool applied_type(char t)
{
	return t == '0' || header_only(t);
}

/* The value Go gives the entry's security.capability, taken from the PAX header. */
static bool take_xcap(struct cs_tar_shadow *s, struct entry *e)
{
	size_t n = 0;
	const char *v = s->have_pax
			    ? pax_get(s->pax, s->pax_len, "SCHILY.xattr.security.capability", &n)
			    : NULL;

	/* An empty record: containerd sets it (and the kernel refuses it); kept as read. */
	return !v || (e->xcap_len = n, (e->xcap = dup_n(v, n)) != NULL);
}

/*
 * The entry's name and link as Go's Next gives them: the header's, then the
 * PAX records', then the GNU long names (which win). NULL: out of memory.
 */
static const char *entry_names(struct cs_tar_shadow *s, enum format f, struct entry *e)
{
	e->name = header_name(s->blk, f);
	e->link = dup_n(s->blk + 157, field_len(s->blk + 157, 100));
	if (!e->name || !e->link || !from_pax(s, "path", &e->name) ||
	    !from_pax(s, "linkpath", &e->link))
		return NULL;
	if (s->long_name) { /* not empty: end_meta keeps none of an empty one */
		free(e->name);
		e->name = s->long_name;
		s->long_name = NULL;
	}
	if (s->long_link) {
		free(e->link);
		e->link = s->long_link;
		s->long_link = NULL;
	}
	return "";
}

/* The numbers of a header block (readHeader), each as parseNumeric reads it. */
struct numbers {
	int64_t mode, uid, gid, size;
};

/* A file's header (Go's default case of Next): queue it and pass its data. */
static void file_header(struct cs_tar_shadow *s, enum format f, char type, struct numbers h)
{
	struct entry e = {.meta = {h.mode, h.uid, h.gid, h.size, type, false}};
	size_t n;
	int64_t size;
	const char *why = NULL, *bad; /* why: NULL is out of memory */
	char msg[120];
	bool map_in_data = false;

	if (!entry_names(s, f, &e) || !take_xcap(s, &e))
		goto refuse;
	if ((bad = pax_numbers(s, &e.meta))) {
		snprintf(msg, sizeof(msg),
			 "a PAX %s record is not a number as Go reads one (Go: invalid tar header)",
			 bad);
		why = msg;
		goto refuse;
	}
	size = e.meta.size; /* the physical size, a PAX size record's when there is one */
	if (type == '\0') { /* Go: a legacy file, or a directory by its trailing slash */
		n = strlen(e.name);
		type = e.meta.type = n && e.name[n - 1] == '/' ? '5' : '0';
	}
	if (header_only(type)) /* handleRegularFile again, then handleSparseFile */
		size = 0;
	if (size < 0) {
		why = "an entry's size is negative (Go: invalid tar header)";
		goto refuse;
	}
	if (type != 'S' && (why = pax_sparse_begin(s, type, size, &e, &map_in_data)))
		goto refuse;
	if (type != '1' && type != '2') {
		free(e.link);
		e.link = NULL;
	}
	clear_pending(s);
	if (push(s, e) < 0) /* push frees it */
		return fail_nomem(s);
	skip(s, (uint64_t)size + padding((uint64_t)size), padding((uint64_t)size));
	/* An old GNU sparse file ('S'): Go reads it (in GNU format only), the
	 * appliers refuse its type below, so its extension blocks are never
	 * walked: the layer is refused at this header. */
	if (type == 'S' && f != GNU)
		return fail(s,
			    "an old GNU sparse header not in GNU format (Go: invalid tar header)");
	if (map_in_data) {
		s->left = (uint64_t)size;
		s->st = SPARSE_MAP; /* the padding after it: s->pad, set by skip */
	}
	if (!applied_type(type)) {
		cs_format_cut(
		    msg, sizeof(msg),
		    "entry '%.*s%s' is of type '%c' (%d), which containerd, Docker and CRI-O "
		    "do not unpack",
		    CS_MSG_CUTS(s->q[s->tail - 1].name, 40),
		    type >= 0x20 && type < 0x7f ? type : '?', (unsigned char)type);
		fail(s, msg);
	}
	return;
refuse:
	free(e.name);
	free(e.link);
	free(e.xcap);
	if (why && *why) /* "": out of memory (pax_sparse_begin) */
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
		case SPARSE_MAP:
			k = BLOCK - s->fill < len ? BLOCK - s->fill : len;
			memcpy(s->blk + s->fill, p, k);
			s->fill += k;
			if (s->fill == BLOCK) {
				s->fill = 0;
				if (s->st == SPARSE_MAP)
					sparse_block(s);
				else
					header_block(s);
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
	free(s->cur.xcap);
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

bool cs_tar_shadow_fcaps(const struct cs_tar_shadow *s, const void **value, size_t *len)
{
	*value = s->cur.xcap;
	*len = s->cur.xcap_len;
	return s->cur.xcap != NULL;
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
	free(s->cur.xcap);
	for (size_t i = s->head; i < s->tail; i++) {
		free(s->q[i].name);
		free(s->q[i].link);
		free(s->q[i].xcap);
	}
	free(s->q);
	free(s);
}
