/* SPDX-License-Identifier: MIT */
/*
 * Sixteenth pass, part H: `policy check x.yaml x.yaml` judged (and printed)
 * each pod twice, as lint reported each finding twice; a regular file named
 * again, by any name, is read once (a FIFO is read each time). The files
 * read are a tsearch tree by device and inode: log n a name, not a list
 * searched for each (argv may hold 100,000 names).
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "output.h"

static int cmp_dev_ino(const void *x, const void *y)
{
	const struct stat *a = x, *b = y;

	if (a->st_dev != b->st_dev)
		return a->st_dev < b->st_dev ? -1 : 1;
	return a->st_ino < b->st_ino ? -1 : a->st_ino > b->st_ino;
}

int cs_named_before(const char *file, void **seen)
{
	struct stat *st = malloc(sizeof(*st)), **slot;

	if (!st)
		return -ENOMEM;
	if (stat(file, st) < 0 || !S_ISREG(st->st_mode)) {
		free(st); /* the reader names the error, or reads the FIFO */
		return 0;
	}
	if (!(slot = tsearch(st, seen, cmp_dev_ino))) {
		free(st);
		return -ENOMEM;
	}
	if (*slot != st) {
		free(st);
		return 1;
	}
	return 0;
}

void cs_named_free(void *seen)
{
	tdestroy(seen, free);
}
