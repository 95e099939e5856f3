/* SPDX-License-Identifier: MIT */
/*
 * review-cost FILE: one AdmissionReview answered as the webhook answers it
 * (cs_admission_review, the default model), and a line "bytes N values V
 * status S warnings W": what the webhook's budget charges a review with is
 * N + V x SERVE_REVIEW_VALUE_BYTES (daemon/serve-review.c, review_cost).
 * tests/cli/serve-review-charge.sh runs it under massif and checks that
 * the charge covers the heap's peak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/capscope.h"
#include "internal/json-check.h"

int main(int argc, char **argv)
{
	struct cs_pod_explain_opts model;
	struct cs_review_opts o = {.model = &model};
	struct cs_review rv;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: review-cost FILE\n");
		return 2;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (long)(len = (size_t)ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) < 0 || !(buf = malloc(len ? len : 1)) ||
	    fread(buf, 1, len, f) != len) {
		fprintf(stderr, "review-cost: cannot read %s\n", argv[1]);
		return 2;
	}
	fclose(f);
	memset(&model, 0, sizeof(model));
	r = cs_admission_review(buf, len, &o, &rv);
	printf("bytes %zu values %zu status %d warnings %zu\n", len, cs_json_values(buf, len),
	       r < 0 ? r : rv.http_status, rv.n_warnings);
	cs_review_free(&rv);
	free(buf);
	return r < 0;
}
