/* SPDX-License-Identifier: MIT */
/*
 * Inside lib/k8s: the line reading of /etc/passwd and /etc/group that
 * etc-files.c (one lookup in the text) and etc-index.c (every lookup of a
 * run from one reading) share, so the two cannot read a line differently.
 */
#ifndef CAPSCOPE_K8S_ETC_INDEX_H
#define CAPSCOPE_K8S_ETC_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "capscope/kubelet.h"

/* The next line of a copied file, trimmed as bytes.TrimSpace; NULL at the end. */
char *cs_etc_next_line(char **save, char *buf);
/* One line cut at its ':' into max fields; those it lacks are "". */
void cs_etc_fields(char *line, char **f, int max);
/* A numeric field as parseLine reads it: Atoi, its error dropped (0). */
long long cs_etc_int(const char *s);

/* One name in one /etc/group line's member list, with that line's group. */
struct cs_etc_member {
	const char *name;
	size_t len, line;
	const char *group; /* the line's group name */
	long long gid;	   /* its gid, as cs_etc_int reads it */
};

/* By name (bytes, then length), then line. */
int cs_etc_member_cmp(const void *a, const void *b);

/* The lookups of etc-files.c, answered from an index (same answers). */
int cs_etc_index_passwd(const struct cs_etc_index *x, const char *user, const char **name,
			long long *uid, long long *gid);
int cs_etc_index_group(const struct cs_etc_index *x, const char *name, long long *gid);
/* The groups whose member lists hold user, in file order, one per line: *m, *n (into x). */
void cs_etc_index_members(const struct cs_etc_index *x, const char *user,
			  const struct cs_etc_member **m, size_t *n);
bool cs_etc_index_has_group(const struct cs_etc_index *x);

#endif
