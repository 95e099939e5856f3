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
	header(t, "a", 1, '0', false, NULL, NULL);
	expect(t, 700, "a", "ends inside an entry");
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

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_names),
					   cmocka_unit_test(test_refusals)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
