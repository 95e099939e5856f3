/* SPDX-License-Identifier: MIT */
/* A layer's entries kept to be applied later (layer-rec.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layer-rec.h"

static size_t slen(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copy n bytes of src to *at, moving it on; NULL stays NULL. */
static const char *put(char **at, const char *src, size_t n)
{
	char *d = *at;

	if (!src)
		return NULL;
	memcpy(d, src, n);
	*at += n;
	return d;
}

int cs_layer_rec_add(struct cs_layer_rec *r, const struct cs_ventry *e)
{
	size_t nn = slen(e->name), hn = slen(e->hardlink), sn = slen(e->symlink);
	size_t dn = e->data ? e->datalen : 0, headn = e->head ? e->headlen : 0;
	struct cs_ventry *c;
	char *block, *at;

	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 256;
		struct cs_ventry *v = realloc(r->v, nc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = nc;
	}
	/* The name first: it is the block, freed through it. */
	if (!(block = malloc(nn + hn + sn + dn + headn + 1)))
		return -ENOMEM;
	at = block;
	c = &r->v[r->n++];
	*c = *e;
	c->name = put(&at, e->name, nn);
	c->hardlink = put(&at, e->hardlink, hn);
	c->symlink = put(&at, e->symlink, sn);
	c->data = put(&at, e->data, dn);
	c->head = put(&at, e->head, headn);
	if (!c->name) { /* never: apply_layer keeps named entries only */
		free(block);
		r->n--;
		return -EINVAL;
	}
	r->mem += sizeof(*c) + nn + hn + sn + dn + headn + 1;
	return 0;
}

int cs_layer_rec_note(struct cs_layer_rec *r, const char *path, int err, const char *msg)
{
	struct cs_layer_note *n;

	if (r->nnotes == r->notecap) { /* doubled: a layer may have millions */
		size_t nc = r->notecap ? r->notecap * 2 : 16;
		struct cs_layer_note *nv = realloc(r->notes, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		r->notes = nv;
		r->notecap = nc;
	}
	n = &r->notes[r->nnotes];
	*n = (struct cs_layer_note){r->n, path ? strdup(path) : NULL, strdup(msg), err};
	if (!n->msg || (path && !n->path)) {
		free(n->path);
		free(n->msg);
		return -ENOMEM;
	}
	r->nnotes++;
	return 0;
}

void cs_layer_rec_free(struct cs_layer_rec *r)
{
	for (size_t i = 0; i < r->nnotes; i++) {
		free(r->notes[i].path);
		free(r->notes[i].msg);
	}
	free(r->notes);
	for (size_t i = 0; i < r->n; i++)
		free((void *)r->v[i].name);
	free(r->v);
	*r = (struct cs_layer_rec){.reread = r->reread};
}
