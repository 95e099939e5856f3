/* SPDX-License-Identifier: MIT */
/*
 * A tree's findings and errors in path order without spelling their paths
 * (a planted chain of d levels has paths of d^2/2 bytes). strcmp orders "/D/x" by D's
 * names first, so the order is a walk of the directories where each one's
 * entries come sorted by name, a directory's name taken with the '/' that
 * follows it (a file's with the end of the string): "a-x" < "a/" because
 * '-' < '/', as strcmp("/a-x", "/a/b") says, and everything below a
 * directory sorts together.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/scan.h"

struct item {
	uint32_t parent, idx; /* idx: a directory's index, or a finding's */
	const char *name;
	size_t len;
	bool dir, err; /* a directory; an error (else a finding) */
};

struct frame {
	size_t k, end; /* positions in it[] */
};

static int by_place(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	size_t m = a->len < b->len ? a->len : b->len;
	unsigned char ca, cb;
	int c;

	if (a->parent != b->parent)
		return a->parent < b->parent ? -1 : 1;
	if ((c = memcmp(a->name, b->name, m)) != 0)
		return c;
	ca = a->len > m ? (unsigned char)a->name[m] : a->dir ? '/' : 0;
	cb = b->len > m ? (unsigned char)b->name[m] : b->dir ? '/' : 0;
	return ca < cb ? -1 : ca > cb;
}

int cs_scan_tree_order(struct cs_scan_result *r)
{
	size_t n = 0, top = 0;
	uint64_t next = 0;
	uint32_t root = CS_SCAN_NO_DIR;
	struct item *it = calloc(r->ntdirs + r->nfindings + r->nerrors + 1, sizeof(*it));
	size_t *first = calloc((size_t)r->ntdirs + 1, sizeof(*first));
	struct frame *stack = calloc((size_t)r->ntdirs + 1, sizeof(*stack));
	int rc = -ENOMEM;

	if (!it || !first || !stack)
		goto out;
	for (uint32_t d = 0; d < r->ntdirs; d++) {
		const struct cs_scan_dir *x = &r->tdirs[d];

		if (x->parent == CS_SCAN_NO_DIR)
			root = d;
		else
			it[n++] = (struct item){x->parent, d, x->name, x->namelen, true};
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct cs_finding *f = &r->findings[i];

		if (!f->name || f->dir >= r->ntdirs) {
			rc = -EINVAL; /* not a tree's result */
			goto out;
		}
		it[n++] =
		    (struct item){f->dir, (uint32_t)i, f->name, strlen(f->name), false, false};
	}
	rc = -EINVAL;
	if (root == CS_SCAN_NO_DIR || r->nfindings > UINT32_MAX || r->nerrors > UINT32_MAX)
		goto out;
	for (size_t i = 0; i < r->nerrors; i++) {
		const struct cs_scan_error *e = &r->errors[i];
		const struct cs_scan_dir *x;

		if (e->path || e->dir >= r->ntdirs)
			goto out; /* not a tree's result */
		x = &r->tdirs[e->dir];
		if (e->name) /* an entry of its directory */
			it[n++] = (struct item){.parent = e->dir,
						.idx = (uint32_t)i,
						.name = e->name,
						.len = strlen(e->name),
						.err = true};
		else if (x->parent != CS_SCAN_NO_DIR) /* the directory: a prefix of its entries */
			it[n++] = (struct item){.parent = x->parent,
						.idx = (uint32_t)i,
						.name = x->name,
						.len = x->namelen,
						.err = true};
		else
			r->errors[i].order = next++; /* the root itself, before anything */
	}
	qsort(it, n, sizeof(*it), by_place);
	/* first[d]: where directory d's entries start in it[] (first[ndirs]: the end). */
	for (uint32_t d = 0, k = 0; d <= r->ntdirs; d++) {
		while (k < n && it[k].parent < d)
			k++;
		first[d] = k;
	}
	/* The walk: each open directory's next entry and its end. */
	stack[top++] = (struct frame){first[root], first[root + 1]};
	while (top) {
		struct frame *fr = &stack[top - 1];
		const struct item *x;

		if (fr->k == fr->end) {
			top--;
			continue;
		}
		x = &it[fr->k++];
		if (x->dir)
			stack[top++] = (struct frame){first[x->idx], first[x->idx + 1]};
		else if (x->err)
			r->errors[x->idx].order = next++;
		else
			r->findings[x->idx].order = next++;
	}
	rc = 0;
out:
	free(it);
	free(first);
	free(stack);
	return rc;
}
