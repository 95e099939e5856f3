/* SPDX-License-Identifier: MIT */
/*
 * A layer's entries kept to be applied later. A compressed image archive
 * cannot be sought: its layers are read in the order they are stored, and
 * one the manifest applies later is kept until its turn (lib/scan/image.c).
 */
#ifndef CAPSCOPE_SCAN_LAYER_REC_H
#define CAPSCOPE_SCAN_LAYER_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view.h"

/* A note the reader made of the layer (a damaged header, an entry without a
 * name), said again at each place the layer is applied, before entry at. */
struct cs_layer_note {
	size_t at;
	char *path; /* NULL: the note is of the layer itself (its label is the path) */
	char *msg;
	int err;
};

struct cs_layer_rec {
	struct cs_ventry *v; /* each entry's strings and bytes in one allocation, at v[i].name */
	size_t n, cap;
	struct cs_layer_note *notes;
	size_t nnotes, notecap;
	unsigned uses;	/* the manifest's places still to apply it at */
	uint64_t bytes; /* its uncompressed bytes, charged to --max-bytes at each place */
	bool charged;	/* the read charged them once */
	bool reread;	/* too large to keep: read again at each place (image.c) */
	size_t mem;	/* bytes held, for the reader's budget */
};

/* A copy of e (its names, kept content and first bytes). 0 or -ENOMEM. */
int cs_layer_rec_add(struct cs_layer_rec *r, const struct cs_ventry *e);
/* A note before the next entry kept. 0 or -ENOMEM. */
int cs_layer_rec_note(struct cs_layer_rec *r, const char *path, int err, const char *msg);
void cs_layer_rec_free(struct cs_layer_rec *r);

#endif
