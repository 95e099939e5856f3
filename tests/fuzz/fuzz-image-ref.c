/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the image reference parser (--image REF=ARCHIVE). Properties: a parsed
 * reference is normalised (a host, then a path), spelling it back and parsing
 * again gives the same reference, and it matches itself as specifically as it
 * is written (digest, else tag, else name).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/image-ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s)
{
	struct cs_image_ref r, again;
	struct cs_diag d = {0};
	enum cs_image_match want;
	char *text;

	if (cs_image_ref_parse(s, &r, &d) < 0)
		return;
	if (!r.name || !strchr(r.name, '/'))
		abort();
	if (asprintf(&text, "%s%s%s%s%s", r.name, r.tag ? ":" : "", r.tag ? r.tag : "",
		     r.digest ? "@" : "", r.digest ? r.digest : "") < 0)
		abort();
	if (cs_image_ref_parse(text, &again, &d) < 0 || strcmp(again.name, r.name) ||
	    !again.tag != !r.tag || (r.tag && strcmp(again.tag, r.tag)) ||
	    !again.digest != !r.digest || (r.digest && strcmp(again.digest, r.digest)))
		abort();
	want = r.digest ? CS_IMAGE_MATCH_DIGEST : r.tag ? CS_IMAGE_MATCH_TAG : CS_IMAGE_MATCH_NAME;
	if (cs_image_ref_match(&r, &again) != want)
		abort();
	free(text);
	cs_image_ref_free(&r);
	cs_image_ref_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_image_map m = {0};
	struct cs_diag d = {0};
	char *s;

	if (size > 8192)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check(s);
	/* As --image arguments: each line once, then looked up as an image: name. */
	for (char *line = s, *nl; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		cs_image_map_add(&m, line, &d);
		cs_image_map_find(&m, line);
	}
	cs_image_map_free(&m);
	free(s);
	return 0;
}
