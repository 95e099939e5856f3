/* SPDX-License-Identifier: MIT */
/*
 * cs_admission_parse for the review itself (lib/serve/review.c): the
 * request's object and oldObject are left in buf, not copied; the request
 * holds pointers into buf, valid while buf is, and must be given to
 * cs_admission_request_forget before cs_admission_request_free. Internal to
 * libcapscope.
 */
#ifndef CAPSCOPE_LIB_INTERNAL_ADMISSION_H
#define CAPSCOPE_LIB_INTERNAL_ADMISSION_H

#include <stddef.h>

#include "capscope/serve.h"

int cs_admission_parse_in_place(const char *buf, size_t len, struct cs_admission_request *req,
				struct cs_diag *d);

/* The object and oldObject of cs_admission_parse_in_place let go of (NULL):
 * they are buf's. */
void cs_admission_request_forget(struct cs_admission_request *req);

#endif
