/* SPDX-License-Identifier: MIT */
/*
 * An image's /etc/passwd and /etc/group read once for a whole run, every
 * lookup then a binary search. explain pod looks the user, its group and
 * its memberships up for each container, and each lookup in the text copies
 * and reads the whole file: 1,000 containers of one image with a 1 MB
 * passwd took 3.5 s (tenth pass, part D). The answers are the ones the
 * lookups in the text give (etc-files.c): the same line reading
 * (etc-index.h), and of several matching lines the first, as runc's user
 * package takes it (fuzz-etc-files compares the two).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/cleanup.h"
#include "../internal/util.h"
#include "etc-index.h"

/* A passwd line: its name, uid and gid fields; line: its place among the lines. */
struct pw_ent {
	const char *name;
	long long uid, gid;
	size_t line;
};

struct cs_etc_index {
	char *pbuf, *gbuf; /* the copies the entries point into */
	bool has_group;
	struct pw_ent *by_name, *by_uid; /* the passwd lines twice, sorted two ways */
	size_t npw;
	struct cs_etc_member *groups; /* the group lines as members named by the group name */
	size_t ngr;
	struct cs_etc_member *members; /* sorted by name, then line */
	size_t nm;
	size_t unreadable_line;
};

int cs_etc_member_cmp(const void *a, const void *b)
{
	const struct cs_etc_member *x = a, *y = b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int push(struct cs_etc_member **v, size_t *n, size_t *cap, struct cs_etc_member m)
{
	if (*n == *cap) {
		struct cs_etc_member *p = realloc(*v, (*cap = *cap ? *cap * 2 : 64) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*v = p;
	}
	(*v)[(*n)++] = m;
	return 0;
}

/* Every member of every group line, and each line's group. */
static int read_group(const char *text, char *buf, struct cs_etc_member **out, size_t *n,
		      struct cs_etc_member **groups, size_t *ng)
{
	size_t cap = 0, gcap = 0, line = 1, seen = 0;
	char *save = NULL;

	*out = NULL;
	*n = 0;
	for (char *l = cs_etc_next_line(&save, buf); l; l = cs_etc_next_line(&save, NULL)) {
		char *f[4];
		long long gid;

		/* The line's number, from the newlines of the text as given (buf is cut up). */
		for (; seen < (size_t)(l - buf); seen++)
			line += text[seen] == '\n';
		if (!*l || *l == '#')
			continue;
		cs_etc_fields(l, f, 4);
		gid = cs_etc_int(f[2]);
		if (push(groups, ng, &gcap,
			 (struct cs_etc_member){f[0], strlen(f[0]), line, f[0], gid}) < 0)
			return -ENOMEM;
		for (char *p = f[3]; *p;) {
			size_t len = strcspn(p, ",");

			if (push(out, n, &cap, (struct cs_etc_member){p, len, line, f[0], gid}) < 0)
				return -ENOMEM;
			p += len + (p[len] == ',');
		}
	}
	return 0;
}

static int by_name_cmp(const void *a, const void *b)
{
	const struct pw_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->line < y->line ? -1 : x->line > y->line;
}

static int by_uid_cmp(const void *a, const void *b)
{
	const struct pw_ent *x = a, *y = b;

	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int read_passwd(struct cs_etc_index *x)
{
	size_t cap = 0;
	char *save = NULL;

	for (char *l = cs_etc_next_line(&save, x->pbuf); l; l = cs_etc_next_line(&save, NULL)) {
		char *f[4];

		if (!*l)
			continue;
		cs_etc_fields(l, f, 4);
		if (x->npw == cap) {
			struct pw_ent *p =
			    realloc(x->by_name, (cap = cap ? cap * 2 : 64) * sizeof(*p));

			if (!p)
				return -ENOMEM;
			x->by_name = p;
		}
		x->by_name[x->npw] =
		    (struct pw_ent){f[0], cs_etc_int(f[2]), cs_etc_int(f[3]), x->npw};
		x->npw++;
	}
	if (!x->npw)
		return 0;
	if (!(x->by_uid = malloc(x->npw * sizeof(*x->by_uid))))
		return -ENOMEM;
	memcpy(x->by_uid, x->by_name, x->npw * sizeof(*x->by_uid));
	qsort(x->by_name, x->npw, sizeof(*x->by_name), by_name_cmp);
	qsort(x->by_uid, x->npw, sizeof(*x->by_uid), by_uid_cmp);
	return 0;
}

void cs_etc_index_free(struct cs_etc_index *x)
{
	if (!x)
		return;
	free(x->pbuf);
	free(x->gbuf);
	free(x->by_name);
	free(x->by_uid);
	free(x->groups);
	free(x->members);
	free(x);
}

CS_DEFINE_CLEANUP(struct cs_etc_index, cs_etc_index_free)

int cs_etc_index_new(const char *passwd, size_t plen, const char *group, size_t glen,
		     struct cs_etc_index **out)
{
	__attribute__((cleanup(cs_etc_index_freep))) struct cs_etc_index *x = calloc(1, sizeof(*x));

	*out = NULL;
	if (!x)
		return -ENOMEM;
	x->unreadable_line = cs_passwd_unreadable_line(passwd, plen);
	if (passwd && (!(x->pbuf = strndup(passwd, plen)) || read_passwd(x) < 0))
		return -ENOMEM;
	x->has_group = group;
	if (group && (!(x->gbuf = strndup(group, glen)) ||
		      read_group(group, x->gbuf, &x->members, &x->nm, &x->groups, &x->ngr) < 0))
		return -ENOMEM;
	if (x->nm)
		qsort(x->members, x->nm, sizeof(*x->members), cs_etc_member_cmp);
	if (x->ngr)
		qsort(x->groups, x->ngr, sizeof(*x->groups), cs_etc_member_cmp);
	*out = cs_steal_ptr(x);
	return 0;
}

size_t cs_etc_index_unreadable_line(const struct cs_etc_index *x)
{
	return x->unreadable_line;
}

bool cs_etc_index_has_group(const struct cs_etc_index *x)
{
	return x->has_group;
}

/* The first of v[0..n) not below key (cmp), as n when none. */
static size_t lower_bound(const void *v, size_t n, size_t size, const void *key,
			  int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp((const char *)v + mid * size, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int cs_etc_index_passwd(const struct cs_etc_index *x, const char *user, const char **name,
			long long *uid, long long *gid)
{
	long long want;
	bool by_uid = cs_go_atoi(user, strlen(user), &want);
	/* line 0 sorts before every line of that key: the first line with it */
	struct pw_ent key = {user, want, 0, 0};
	const struct pw_ent *v = by_uid ? x->by_uid : x->by_name, *e;
	size_t i = lower_bound(v, x->npw, sizeof(*v), &key, by_uid ? by_uid_cmp : by_name_cmp);

	if (i == x->npw)
		return -ENOENT;
	e = &v[i];
	if (by_uid ? e->uid != want : strcmp(e->name, user))
		return -ENOENT;
	*name = e->name;
	*uid = e->uid;
	*gid = e->gid;
	return 0;
}

int cs_etc_index_group(const struct cs_etc_index *x, const char *name, long long *gid)
{
	struct cs_etc_member key = {.name = name, .len = strlen(name), .line = 0};
	size_t i = lower_bound(x->groups, x->ngr, sizeof(key), &key, cs_etc_member_cmp);

	if (i == x->ngr || x->groups[i].len != key.len || memcmp(x->groups[i].name, name, key.len))
		return -ENOENT;
	*gid = x->groups[i].gid;
	return 0;
}

void cs_etc_index_members(const struct cs_etc_index *x, const char *user,
			  const struct cs_etc_member **m, size_t *n)
{
	struct cs_etc_member key = {.name = user, .len = strlen(user), .line = 0};
	size_t i = lower_bound(x->members, x->nm, sizeof(key), &key, cs_etc_member_cmp), j = i;

	while (j < x->nm && x->members[j].len == key.len &&
	       !memcmp(x->members[j].name, user, key.len))
		j++;
	*m = x->nm ? x->members + i : NULL; /* no members: NULL + 0 is undefined */
	*n = j - i;
}
