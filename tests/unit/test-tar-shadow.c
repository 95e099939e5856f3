/* SPDX-License-Identifier: MIT */
/* Go's archive/tar's view of a tar stream (lib/scan/tar-shadow.c). */
#include "cmocka-wrap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar-shadow.h"

/* A header block: name, size, type, magic ("ustar\0" "00" or "ustar  \0"), prefix. */
static void header(unsigned char *b, const char *name, uint64_t size, char type, bool gnu,
		   const char *prefix, const char *link)
{
	unsigned sum = 0;

	memset(b, 0, 512);
	memcpy(b, name, strlen(name));
	snprintf((char *)b + 100, 8, "%07o", 0644);
	snprintf((char *)b + 108, 8, "%07o", 0);
	snprintf((char *)b + 116, 8, "%07o", 0);
	if (size >> 33) { /* base-256, as GNU tar writes a size of 8 GiB and more */
		b[124] = 0x80;
		for (int i = 0; i < 8; i++)
			b[135 - i] = (unsigned char)(size >> (8 * i));
	} else {
		snprintf((char *)b + 124, 12, "%011llo", (unsigned long long)size);
	}
	snprintf((char *)b + 136, 12, "%011o", 0);
	b[156] = (unsigned char)type;
	if (link)
		memcpy(b + 157, link, strlen(link));
	memcpy(b + 257,
	       gnu ? "ustar  \0"
		   : "ustar\0"
		     "00",
	       8);
	if (prefix)
		memcpy(b + 345, prefix, strlen(prefix));
	memset(b + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += b[i];
	snprintf((char *)b + 148, 8, "%06o", sum);
}

/* Feed the stream whole, or a byte at a time; the names it gives, joined by '|'. */
static void names(const unsigned char *t, size_t n, bool bytewise, char *out, size_t len,
		  const char **err, bool *ended)
{
	struct cs_tar_shadow *s;
	const char *name, *link;

	assert_int_equal(cs_tar_shadow_new(&s), 0);
	if (bytewise)
		for (size_t i = 0; i < n; i++)
			assert_int_equal(cs_tar_shadow_feed(s, t + i, 1), 0);
	else
		assert_int_equal(cs_tar_shadow_feed(s, t, n), 0);
	cs_tar_shadow_finish(s);
	out[0] = '\0';
	while (cs_tar_shadow_next(s, &name, &link))
		snprintf(out + strlen(out), len - strlen(out), "%s%s%s%s", out[0] ? "|" : "", name,
			 link ? ">" : "", link ? link : "");
	*ended = cs_tar_shadow_ended(s);
	*err = cs_tar_shadow_error(s) ? strdup(cs_tar_shadow_error(s)) : NULL;
	cs_tar_shadow_free(s);
}

static void expect(const unsigned char *t, size_t n, const char *want, const char *err_part)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		char got[1024];
		const char *err;
		bool ended;

		names(t, n, bytewise, got, sizeof(got), &err, &ended);
		if (strcmp(got, want) != 0 || (err_part ? !err || !strstr(err, err_part) : !!err) ||
		    ended == !!err_part)
			fail_msg("got '%s' (%s), want '%s' (%s)", got, err ? err : "no error", want,
				 err_part ? err_part : "no error");
		free((void *)err);
	}
}

static void test_names(void **state)
{
	static unsigned char t[512 * 24];
	unsigned char *p = t;
	const char pax[] = "30 path=usr/bin/from-pax-xxxx\n";
	(void)state;

	/* a prefix (USTAR), a GNU long name over a PAX path (Go keeps the long
	 * name whatever their order), a symlink's long target, a body skipped */
	memset(t, 0, sizeof(t));
	header(p, "name", 3, '0', false, "pre/fix", NULL), p += 1024;
	header(p, "././@PaxHeader", strlen(pax), 'x', false, NULL, NULL);
	memcpy(p + 512, pax, strlen(pax)), p += 1024;
	header(p, "././@LongLink", 9, 'L', true, NULL, NULL);
	memcpy(p + 512, "long/name", 9), p += 1024;
	header(p, "short", 0, '0', false, NULL, NULL), p += 512;
	header(p, "././@LongLink", 6, 'K', true, NULL, NULL);
	memcpy(p + 512, "target", 6), p += 1024;
	header(p, "sym", 0, '2', true, NULL, "x"), p += 512;
	/* a hard link's size is no body to Go */
	header(p, "hard", 4096, '1', false, NULL, "name"), p += 512;
	/* a GNU header's prefix field holds times, not a prefix */
	header(p, "gnu", 0, '0', true, NULL, NULL), p += 512;
	expect(t, (size_t)(p - t) + 1024, "pre/fix/name|long/name|sym>target|hard>name|gnu", NULL);
	/* the stream may end at a header, without zero blocks */
	expect(t, (size_t)(p - t), "pre/fix/name|long/name|sym>target|hard>name|gnu", NULL);
}

static void test_refusals(void **state)
{
	static unsigned char t[512 * 8];
	(void)state;

	memset(t, 0, sizeof(t));
	header(t, "a", 1, '0', false, NULL, NULL);
	t[200] ^= 1; /* the checksum no longer holds */
	expect(t, 2048, "", "checksum");
	header(t, "a", 300, '0', false, NULL, NULL);
	expect(t, 700, "a", "ends inside an entry");
	/* io.EOF in the padding after the data is Go's end (tryReadFull) */
	header(t, "a", 1, '0', false, NULL, NULL);
	expect(t, 700, "a", NULL);
	/* one zero block, then a header */
	header(t + 1536, "b", 0, '0', false, NULL, NULL);
	expect(t, 2048, "a", "after one zero block");
	/* a size that is no octal number */
	memset(t, 0, sizeof(t));
	header(t, "a", 0, '0', false, NULL, NULL);
	memcpy(t + 124, "0000000008", 10);
	{
		unsigned sum = 0;

		memset(t + 148, ' ', 8);
		for (int i = 0; i < 512; i++)
			sum += t[i];
		snprintf((char *)t + 148, 8, "%06o", sum);
	}
	expect(t, 2048, "", "number field");
	/* a PAX record whose length lies */
	memset(t, 0, sizeof(t));
	header(t, "p", 12, 'x', false, NULL, NULL);
	memcpy(t + 512, "99 path=x\n\n\n", 12);
	header(t + 1024, "f", 0, '0', false, NULL, NULL);
	expect(t, 2560, "", "malformed");
	/* a long name over 1 MiB: Go's ErrFieldTooLong */
	memset(t, 0, sizeof(t));
	header(t, "././@LongLink", (1u << 20) + 1, 'L', true, NULL, NULL);
	expect(t, 1024, "", "over 1 MiB");
	/* a size in base-256, skipped as such (the stream ends inside it) */
	memset(t, 0, sizeof(t));
	header(t, "big", 1ull << 34, '0', true, NULL, NULL);
	expect(t, 2048, "big", "ends inside an entry");
}

static void checksum(unsigned char *b)
{
	unsigned sum = 0;

	memset(b + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += b[i];
	snprintf((char *)b + 148, 8, "%06o", sum);
}

/* A PAX header of one record "key=value" at b, its data in the next block. */
static unsigned char *pax1(unsigned char *b, const char *key, const char *value)
{
	char rec[200];
	int n = (int)(strlen(key) + strlen(value) + 3), len = n + 1;

	while (len != (int)snprintf(NULL, 0, "%d", len) + n)
		len = (int)snprintf(NULL, 0, "%d", len) + n;
	snprintf(rec, sizeof(rec), "%d %s=%s\n", len, key, value);
	header(b, "././@PaxHeader", strlen(rec), 'x', false, NULL, NULL);
	memcpy(b + 512, rec, strlen(rec));
	return b + 1024;
}

/* The first entry's name and numbers, fed whole and a byte at a time alike. */
static void first(const unsigned char *t, size_t n, char *name, struct cs_tar_go_meta *m)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		struct cs_tar_shadow *s;
		const char *nm, *link;

		assert_int_equal(cs_tar_shadow_new(&s), 0);
		for (size_t i = 0; i < n; i += bytewise ? 1 : n)
			assert_int_equal(cs_tar_shadow_feed(s, t + i, bytewise ? 1 : n), 0);
		cs_tar_shadow_finish(s);
		assert_null(cs_tar_shadow_error(s));
		assert_true(cs_tar_shadow_next(s, &nm, &link));
		strcpy(name, nm);
		*m = *cs_tar_shadow_meta(s);
		cs_tar_shadow_free(s);
	}
}

/* Thirteenth pass: the numbers Go applies, as Go parses them; empty records and names. */
static void test_numbers(void **state)
{
	static unsigned char t[512 * 12];
	struct cs_tar_go_meta m;
	char name[200];
	(void)state;

	/* a mode field with a NUL before its digits: 04755 to Go (libarchive: 0) */
	memset(t, 0, sizeof(t));
	header(t, "usr/bin/su", 0, '0', false, NULL, NULL);
	memcpy(t + 100,
	       "\0"
	       "004755\0",
	       8);
	checksum(t);
	first(t, 2048, name, &m);
	assert_string_equal(name, "usr/bin/su");
	assert_int_equal(m.mode, 04755);
	assert_int_equal(m.type, '0');
	/* PAX uid, gid and size records; an empty path record keeps the header's name */
	memset(t, 0, sizeof(t));
	{
		const char rec[] = "15 uid=1000000\n10 gid=42\n11 size=10\n8 path=\n";

		header(t, "././@PaxHeader", strlen(rec), 'x', false, NULL, NULL);
		memcpy(t + 512, rec, strlen(rec));
		header(t + 1024, "f", 0, '0', false, NULL, NULL);
	}
	first(t, 1536 + 512 + 1024, name, &m);
	assert_string_equal(name, "f");
	assert_int_equal(m.uid, 1000000);
	assert_int_equal(m.gid, 42);
	assert_int_equal(m.size, 10);
	/* an empty GNU long name is none: the header's name stands */
	memset(t, 0, sizeof(t));
	header(t, "././@LongLink", 1, 'L', true, NULL, NULL);
	header(t + 1024, "usr/bin/su", 0, '0', false, NULL, NULL);
	first(t, 1536 + 1024, name, &m);
	assert_string_equal(name, "usr/bin/su");
	/* a '\0' entry named with a trailing '/' is a directory, with no body */
	memset(t, 0, sizeof(t));
	header(t, "d/", 512, '\0', false, NULL, NULL);
	header(t + 512, "f", 0, '0', false, NULL, NULL);
	expect(t, 1024 + 1024, "d/|f", NULL);
	first(t, 2048, name, &m);
	assert_int_equal(m.type, '5');
	/* records Go fails on: a uid and an mtime it cannot parse, sparse records out of order */
	memset(t, 0, sizeof(t));
	header(pax1(t, "uid", "0x"), "f", 0, '0', false, NULL, NULL);
	expect(t, 1536 + 1024, "", "PAX uid record");
	memset(t, 0, sizeof(t));
	header(pax1(t, "mtime", "1.5x"), "f", 0, '0', false, NULL, NULL);
	expect(t, 1536 + 1024, "", "PAX mtime record");
	memset(t, 0, sizeof(t));
	header(pax1(t, "GNU.sparse.numbytes", "1"), "f", 0, '0', false, NULL, NULL);
	expect(t, 1536 + 1024, "", "malformed");
	/* a sparse 0.0 map names the file by GNU.sparse.name (Go's
	 * readGNUSparseMap0x1 requires GNU.sparse.numblocks) */
	memset(t, 0, sizeof(t));
	{
		const char rec[] = "26 GNU.sparse.numblocks=1\n"
				   "23 GNU.sparse.offset=0\n"
				   "25 GNU.sparse.numbytes=0\n"
				   "29 GNU.sparse.name=usr/bin/x\n";

		header(t, "././@PaxHeader", strlen(rec), 'x', false, NULL, NULL);
		memcpy(t + 512, rec, strlen(rec));
		header(t + 1024, "GNUSparseFile.0/x", 0, '0', false, NULL, NULL);
	}
	first(t, 2560, name, &m);
	assert_string_equal(name, "usr/bin/x");
	assert_true(m.sparse);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_names),
					   cmocka_unit_test(test_refusals),
					   cmocka_unit_test(test_numbers)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
