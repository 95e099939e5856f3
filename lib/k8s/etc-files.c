/* SPDX-License-Identifier: MIT */
/*
 * An image's /etc/passwd and /etc/group, read as runc's user package reads
 * them (libcontainer/user, forked as moby/sys/user): containerd's WithUser
 * and WithAdditionalGIDs, CRI-O's GetUserInfo, Docker's getUser and Podman
 * all call it, so its reading is the one that decides who a container runs
 * as. Each line is trimmed of white space (Unicode's too); a group line starting with '#'
 * is a comment (a passwd line is not); a line is cut at ':' and a missing
 * field is empty; a numeric field is Go's Atoi with its error dropped, so a
 * uid or gid that is not a number is 0 (root) and one past int64 saturates;
 * the runtimes then keep the low 32 bits (uint32(user.Uid)). A reading that
 * refused such lines would predict "no such user" for a container that
 * runs as root (docs/runtimes.md, "User, group and supplementary groups").
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/cleanup.h"
#include "../internal/util.h"
#include "capscope/kubelet.h"
#include "etc-index.h"

/* The white space at the start of p (n bytes): its length, 0 for none.
 * A line "<U+00A0>app:x:1000:..." is user app to the runtimes. */
static size_t space_at(const char *p, size_t n)
{
	return n ? cs_go_space_len((const unsigned char *)p, n) : 0;
}

/* The white space that ends line (l bytes): its length, 0 for none. */
static size_t space_before(const char *line, size_t l)
{
	for (size_t k = 1; k <= 3 && k <= l; k++)
		if (space_at(line + l - k, k) == k)
			return k;
	return 0;
}

/* A line without the white space around it (bytes.TrimSpace). */
static char *trim_line(char *line)
{
	size_t l = strlen(line), k;

	while ((k = space_at(line, l))) {
		line += k;
		l -= k;
	}
	while ((k = space_before(line, l)))
		line[l -= k] = '\0';
	return line;
}

/*
 * One line cut at its ':' into max fields; those it lacks are "" (parseLine
 * fills only the fields present, leaving the zero value).
 */
void cs_etc_fields(char *line, char **f, int max)
{
	int nf = 0;

	for (char *q = line; q && nf < max; nf++) {
		f[nf] = q;
		if ((q = strchr(q, ':')))
			*q++ = '\0';
	}
	while (nf < max)
		f[nf++] = "";
}

/* A numeric field as parseLine reads it: Atoi, its error dropped. */
long long cs_etc_int(const char *s)
{
	long long v;

	return cs_go_atoi(s, strlen(s), &v) ? v : 0;
}

/* The next line of a copied file, trimmed; NULL at the end. */
char *cs_etc_next_line(char **save, char *buf)
{
	char *line = strtok_r(buf, "\n", save);

	return line ? trim_line(line) : NULL;
}

int cs_etc_file_check(const char *what, const char *data, size_t len, struct cs_diag *d)
{
	const char *nul = data ? memchr(data, 0, len) : NULL;
	unsigned line = 1;

	if (!nul)
		return 0;
	for (const char *p = data; p < nul; p++)
		line += *p == '\n';
	cs_diag_set(d, EINVAL, line, 0, NULL,
		    "a NUL byte: the runtimes read it as part of a field, the model does not "
		    "read such a file");
	cs_diag_file(d, what);
	return -EINVAL;
}

/* bufio.MaxScanTokenSize: the Scanner's buffer, a line and its '\n' must fit. */
#define GO_SCANNER_MAX 65536

size_t cs_passwd_unreadable_line(const char *passwd, size_t len)
{
	size_t line = 1;

	for (const char *p = passwd, *end = passwd ? passwd + len : NULL; p && p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((nl ? nl : end) - p);

		if (l >= GO_SCANNER_MAX)
			return line;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/*
 * The first passwd line of user, as GetExecUser matches it: a numeric user
 * is always a uid, never a name. 0 with the line's fields in f (cut in *buf,
 * a copy the caller frees), -ENOENT.
 */
static int passwd_line(const char *passwd, size_t len, const char *user, char **buf, char *f[4])
{
	char *save = NULL;
	long long want;
	bool by_uid = cs_go_atoi(user, strlen(user), &want);

	if (!passwd || !(*buf = strndup(passwd, len)))
		return -ENOENT;
	for (char *line = cs_etc_next_line(&save, *buf); line;
	     line = cs_etc_next_line(&save, NULL)) {
		if (!*line)
			continue;
		cs_etc_fields(line, f, 4);
		if (by_uid ? cs_etc_int(f[2]) == want : !strcmp(f[0], user))
			return 0;
	}
	return -ENOENT;
}

int cs_passwd_lookup(const char *passwd, size_t len, const char *user, long *uid, long *gid)
{
	cs_cleanup_free char *buf = NULL;
	char *f[4];

	if (passwd_line(passwd, len, user, &buf, f) < 0)
		return -ENOENT;
	*uid = (long)(uint32_t)cs_etc_int(f[2]);
	*gid = (long)(uint32_t)cs_etc_int(f[3]);
	return 0;
}

int cs_group_lookup(const char *group, size_t len, const char *name, long *gid)
{
	cs_cleanup_free char *buf = NULL;
	char *save = NULL;

	if (!group || !(buf = strndup(group, len)))
		return -ENOENT;
	for (char *line = cs_etc_next_line(&save, buf); line;
	     line = cs_etc_next_line(&save, NULL)) {
		char *f[3];

		if (!*line || *line == '#')
			continue;
		cs_etc_fields(line, f, 3);
		if (strcmp(f[0], name))
			continue;
		*gid = (long)(uint32_t)cs_etc_int(f[2]);
		return 0;
	}
	return -ENOENT;
}

/* Is name one of the comma-separated members (nothing trimmed)? */
static bool lists_member(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list;; p++) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && !memcmp(p, name, n))
			return true;
		if (!e)
			return false;
		p = e;
	}
}

/*
 * The name the runtime looks the user's groups up by: the image USER's
 * name when the runtime is given that name (no runAsUser; for Podman also
 * no runAsGroup, which makes the user "0:GID"), else the name on the first
 * passwd line with the uid.
 */
static bool member_name(const struct cs_k8s_sc *sc, const struct cs_kubelet_image *img, uid_t uid,
			char *name, size_t len)
{
	const struct cs_image_config *cfg = img->config;
	const char *iu = cfg && cfg->user && !sc->run_as_user.set ? cfg->user : "";
	size_t ul = strcspn(iu, ":");
	cs_cleanup_free char *buf = NULL;
	char *f[4], ub[16];
	long long v;

	if (ul && !cs_go_atoi(iu, ul, &v) && !(img->whole_user && sc->run_as_group.set)) {
		if (ul >= len)
			return false;
		snprintf(name, len, "%.*s", (int)ul, iu);
		return true;
	}
	snprintf(ub, sizeof(ub), "%u", (unsigned)uid);
	if (img->index) {
		const char *pn;
		long long u, g;

		if (cs_etc_index_passwd(img->index, ub, &pn, &u, &g) < 0 || strlen(pn) >= len)
			return false;
		snprintf(name, len, "%s", pn);
		return true;
	}
	if (passwd_line(img->passwd, img->passwd_len, ub, &buf, f) < 0 || strlen(f[0]) >= len)
		return false;
	snprintf(name, len, "%s", f[0]);
	return true;
}

/* The 257th membership, on line (0: not known). */
static int too_many(const struct cs_image_groups *g, size_t line, struct cs_diag *d)
{
	return cs_diag_set(d, E2BIG, (unsigned)line, 0, NULL,
			   "lists '%s' in more than %d groups: the model holds at most %d "
			   "(a runtime would take them)",
			   g->user, CS_OCI_MAX_GROUPS, CS_OCI_MAX_GROUPS);
}

/* The memberships from the index: its run of g->user's members, one per line. */
static int indexed_groups(const struct cs_etc_index *x, struct cs_image_groups *g,
			  struct cs_diag *d)
{
	const struct cs_etc_member *m;
	size_t n;

	cs_etc_index_members(x, g->user, &m, &n);
	for (size_t i = 0; i < n; i++) {
		if (i && m[i].line == m[i - 1].line)
			continue; /* listed twice on one line: lists_member matches the line once */
		if (g->n == CS_OCI_MAX_GROUPS)
			return too_many(g, m[i].line, d);
		g->own_name[g->n] = !strcmp(m[i].group, g->user);
		g->gid[g->n++] = (gid_t)(uint32_t)m[i].gid;
	}
	return 0;
}

int cs_image_member_groups(const struct cs_k8s_sc *sc, const struct cs_kubelet_image *img,
			   uid_t uid, struct cs_image_groups *g, struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	char *save = NULL;

	memset(g, 0, sizeof(*g));
	if (!img->fs_given || !member_name(sc, img, uid, g->user, sizeof(g->user)))
		return 0;
	g->known = true;
	/* GetExecUser looks memberships up only for a name it matched. */
	if (!g->user[0])
		return 0;
	if (img->index)
		return cs_etc_index_has_group(img->index) ? indexed_groups(img->index, g, d) : 0;
	if (!img->group || !(buf = strndup(img->group, img->group_len)))
		return 0;
	for (char *line = cs_etc_next_line(&save, buf); line;
	     line = cs_etc_next_line(&save, NULL)) {
		char *f[4];

		if (!*line || *line == '#')
			continue;
		cs_etc_fields(line, f, 4);
		if (!lists_member(f[3], g->user))
			continue;
		if (g->n == CS_OCI_MAX_GROUPS)
			return too_many(g, 0, d);
		g->own_name[g->n] = !strcmp(f[0], g->user);
		g->gid[g->n++] = (gid_t)(uint32_t)cs_etc_int(f[2]);
	}
	return 0;
}
