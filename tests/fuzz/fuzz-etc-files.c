/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the image's /etc/passwd and /etc/group reading and the user model on
 * top of it (lib/k8s/etc-files.c, lib/k8s/kubelet.c). The input is three
 * parts split at the first two NUL bytes: the image USER, its passwd, its
 * group. Properties: no crash or sanitizer report; ids within 32 bits;
 * memberships only for a known, named user; the model's answer is the same
 * for Podman (USER whole) and a kubelet when USER has no ':'. And on the
 * whole input as one file: a NUL byte is refused exactly when there is
 * one; the first line of 65536 bytes or more is the one named; white space
 * (U+00A0 before, " \r" after) added around every line changes no lookup,
 * as bytes.TrimSpace takes it away again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kubelet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The same answers from the files indexed once (cs_etc_index_new, what
 * explain pod reads a run's lookups from) as from the text: the user, its
 * group, its memberships in order, the 256-group refusal.
 */
static void check_index(struct cs_kubelet_image *img, const struct cs_k8s_sc *sc, int rc, uid_t uid,
			gid_t gid)
{
	struct cs_etc_index *x;
	struct cs_image_groups g1, g2;
	struct cs_steps st;
	struct cs_diag d = {0};
	uid_t u2;
	gid_t g2id;
	int rc2, m1, m2;

	if (cs_etc_index_new(img->passwd, img->passwd_len, img->group, img->group_len, &x) < 0)
		abort();
	if (cs_etc_index_unreadable_line(x) !=
	    cs_passwd_unreadable_line(img->passwd, img->passwd_len))
		abort();
	img->index = x;
	cs_steps_init(&st);
	rc2 = cs_kubelet_user(sc, img, &u2, &g2id, &st, &d);
	cs_steps_free(&st);
	if (rc != rc2 || (rc == 0 && (uid != u2 || gid != g2id)))
		abort();
	if (rc == 0) {
		m2 = cs_image_member_groups(sc, img, uid, &g2, &d);
		img->index = NULL;
		m1 = cs_image_member_groups(sc, img, uid, &g1, &d);
		if (m1 != m2 ||
		    (m1 == 0 && (g1.known != g2.known || g1.n != g2.n || strcmp(g1.user, g2.user) ||
				 memcmp(g1.gid, g2.gid, g1.n * sizeof(gid_t)) ||
				 memcmp(g1.own_name, g2.own_name, g1.n))))
			abort();
	}
	img->index = NULL;
	cs_etc_index_free(x);
}

static void check_user(const char *user, const char *pw, size_t pwl, const char *gr, size_t grl)
{
	struct cs_image_config cfg = {.user = (char *)user};
	struct cs_kubelet_image img = {&cfg, true, pw, pwl, gr, grl, false};
	struct cs_k8s_sc sc = {0};
	struct cs_image_groups g;
	struct cs_steps st;
	struct cs_diag d = {0};
	uid_t uid, uid2;
	gid_t gid, gid2;
	int rc, rc2;

	cs_steps_init(&st);
	rc = cs_kubelet_user(&sc, &img, &uid, &gid, &st, &d);
	cs_steps_free(&st);
	if (rc == 0 && cs_image_member_groups(&sc, &img, uid, &g, &d) == 0) {
		if (g.n > CS_OCI_MAX_GROUPS || (!g.known && g.n))
			abort();
		for (size_t i = 0; i < g.n; i++)
			if (g.own_name[i] && !g.user[0])
				abort();
	}
	check_index(&img, &sc, rc, uid, gid);
	img.whole_user = true;
	cs_steps_init(&st);
	rc2 = cs_kubelet_user(&sc, &img, &uid2, &gid2, &st, &d);
	cs_steps_free(&st);
	if (!strchr(user, ':') && (rc != rc2 || (rc == 0 && (uid != uid2 || gid != gid2))))
		abort();
}

/* The whole input as a passwd and a group file: the checks on unreadable files. */
static void check_files(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data;
	size_t line = 1, want = 0, start = 0;

	if ((cs_etc_file_check("f", t, size, NULL) < 0) != (size && memchr(t, 0, size) != NULL))
		abort();
	for (size_t i = 0; i <= size && !want; i++)
		if (i == size || t[i] == '\n') {
			if (i - start >= 65536)
				want = line;
			line++;
			start = i + 1;
		}
	if (cs_passwd_unreadable_line(t, size) != want)
		abort();
}

/* Each line of text (n bytes, no NUL) with U+00A0 before it and " \r" after: heap. */
static char *padded(const char *text, size_t n, size_t *out)
{
	char *p = malloc(n * 6 + 8), *o = p;
	size_t i = 0;

	if (!p)
		return NULL;
	while (i <= n) {
		size_t l = strcspn(text + i, "\n");

		memcpy(o, "\xc2\xa0", 2);
		memcpy(o + 2, text + i, l);
		memcpy(o + 2 + l, " \r\n", 3);
		o += l + 5;
		i += l + 1;
	}
	*out = (size_t)(o - p);
	return p;
}

/* Lookups in the padded passwd and group give what they gave before. */
static void check_trim(const char *user, const char *pw, size_t pwl, const char *gr, size_t grl)
{
	size_t ppl, pgl;
	char *pp = padded(pw, pwl, &ppl), *pg = padded(gr, grl, &pgl);
	long u1 = -1, g1 = -1, u2 = -1, g2 = -1, x1 = -1, x2 = -1;

	if (!pp || !pg)
		abort();
	if (cs_passwd_lookup(pw, pwl, user, &u1, &g1) !=
		cs_passwd_lookup(pp, ppl, user, &u2, &g2) ||
	    u1 != u2 || g1 != g2)
		abort();
	if (cs_group_lookup(gr, grl, user, &x1) != cs_group_lookup(pg, pgl, user, &x2) || x1 != x2)
		abort();
	free(pp);
	free(pg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *user, *pw, *gr, *e;
	size_t pwl, grl;
	long u, g, gg;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	user = buf;
	pw = user + strlen(user) + 1;
	if (pw > buf + size)
		pw = buf + size + 1;
	e = memchr(pw, '\0', (size_t)(buf + size + 1 - pw));
	gr = e ? e + 1 : buf + size + 2;
	/* No NUL in the input: the user is all of it, pw the empty tail (its
	 * length was buf + size - pw, one less than zero). */
	pwl = e ? (size_t)(e - pw) : pw <= buf + size ? (size_t)(buf + size - pw) : 0;
	grl = gr <= buf + size ? strlen(gr) : 0;
	/* ids are what the runtimes keep: the low 32 bits */
	if (cs_passwd_lookup(pw, pwl, user, &u, &g) == 0 &&
	    (u < 0 || u > UINT32_MAX || g < 0 || g > UINT32_MAX))
		abort();
	if (cs_group_lookup(gr, grl, user, &gg) == 0 && (gg < 0 || gg > UINT32_MAX))
		abort();
	check_user(user, pw, pwl, gr, grl);
	check_trim(user, pw, pwl, gr, grl);
	check_files(data, size);
	free(buf);
	return 0;
}
