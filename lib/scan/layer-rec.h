/* SPDX-License-Identifier: MIT */
/*
 * A layer's entries kept to be applied later. A compressed image archive
 * cannot be sought: its layers are read in the order they are stored, and
 * one the manifest applies later is kept until its turn (lib/scan/image.c).
 */
#ifndef CAPSCOPE_SCAN_LAYER_REC_H
#define CAPSCOPE_SCAN_LAYER_REC_H

#include <stddef.h>

#include "view.h"

struct cs_layer_rec {
	struct cs_ventry *v; /* each entry's strings and bytes in one allocation, at v[i].name */
	size_t n, cap;
	unsigned uses; /* the manifest's places still to apply it at */
};

/* A copy of e (its names, kept content and first bytes). 0 or -ENOMEM. */
int cs_layer_rec_add(struct cs_layer_rec *r, const struct cs_ventry *e);
void cs_layer_rec_free(struct cs_layer_rec *r);

#endif
