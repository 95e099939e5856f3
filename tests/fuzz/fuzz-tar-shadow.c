/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the shadow of Go's tar reader (lib/scan/tar-shadow.c). Properties:
 * no crash or sanitizer report; the stream fed whole and fed in pieces of
 * sizes the input's first byte picks give the same entries, the same end
 * and the same error; passing the bytes it would skip by
 * cs_tar_shadow_skip (as the scanner seeks over a plain file's bodies)
 * gives them too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar-shadow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One entry: its name, link and numbers (which the scanner compares too). */
static void entry(FILE *f, const struct cs_tar_shadow *s, const char *name, const char *link)
{
	const struct cs_tar_go_meta *m = cs_tar_shadow_meta(s);

	if (!m)
		abort();
	fprintf(f, "%s>%s %lld %lld %lld %lld %d %d|", name, link ? link : "-", (long long)m->mode,
		(long long)m->uid, (long long)m->gid, (long long)m->size, m->type, m->sparse);
}

/* The shadow's answer as one string: the entries, then the end or the error. */
static char *run(const uint8_t *t, size_t n, unsigned step, bool seek)
{
	struct cs_tar_shadow *s;
	const char *name, *link, *err;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (cs_tar_shadow_new(&s) < 0 || !(f = open_memstream(&out, &len)))
		abort();
	for (size_t i = 0; i < n;) {
		size_t k = step ? step : n - i;
		uint64_t skip = seek ? cs_tar_shadow_skippable(s) : 0;

		if (skip) { /* the body, unread */
			k = skip < n - i ? (size_t)skip : n - i;
			cs_tar_shadow_skip(s, k);
		} else {
			k = k < n - i ? k : n - i;
			if (cs_tar_shadow_feed(s, t + i, k) < 0)
				abort();
		}
		i += k;
		while (cs_tar_shadow_next(s, &name, &link))
			entry(f, s, name, link);
	}
	cs_tar_shadow_finish(s);
	while (cs_tar_shadow_next(s, &name, &link))
		entry(f, s, name, link);
	err = cs_tar_shadow_error(s);
	fprintf(f, "end=%d err=%s", cs_tar_shadow_ended(s), err ? err : "-");
	if (cs_tar_shadow_ended(s) && err)
		abort();
	fclose(f);
	cs_tar_shadow_free(s);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned step;
	char *whole, *pieces, *seeked;

	if (size < 1)
		return 0;
	step = 1u + data[0] % 97u;
	whole = run(data + 1, size - 1, 0, false);
	pieces = run(data + 1, size - 1, step, false);
	seeked = run(data + 1, size - 1, step, true);
	if (strcmp(whole, pieces) != 0 || strcmp(whole, seeked) != 0)
		abort();
	free(whole);
	free(pieces);
	free(seeked);
	return 0;
}
