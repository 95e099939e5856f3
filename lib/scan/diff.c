/* SPDX-License-Identifier: MIT */
/*
 * scan --diff: both sides are scanned as `scan` scans them (a tree walked,
 * an image's final view built once from streams and kept open), then their
 * findings — sorted by path — are merged in one pass. A path privileged on
 * one side only is looked up on the other (in the kept view, or beneath
 * the tree's root without following symlinks) to tell a file that lost its
 * bits from a file that is gone. Layer numbers and archive order are never
 * compared: a re-packed image is the same image.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/explain.h"
#include "capscope/scan-diff.h"
#include "../internal/cleanup.h"
#include "../internal/util.h"
#include "../internal/open-in-root.h"

const char *cs_diff_what_name(unsigned bit)
{
	switch (bit) {
	case CS_DIFF_SETUID:
		return "setuid";
	case CS_DIFF_SETGID:
		return "setgid";
	case CS_DIFF_FCAPS:
		return "file_caps";
	case CS_DIFF_ROOTID:
		return "rootid";
	case CS_DIFF_OWNER:
		return "owner";
	}
	return "?";
}

const char *cs_diff_file_path(const struct cs_diff_file *f)
{
	if (f->path || !f->from)
		return f->path;
	return cs_finding_path(f->from, &f->from->findings[f->finding]);
}

const char *cs_diff_file_change(const struct cs_diff_file *f)
{
	return f->old.privileged && f->new.privileged ? "changed"
	       : f->new.privileged		      ? "gained"
						      : "lost";
}

/* Tree findings and errors are named from the root as given ("dir/usr/bin/x"): keep
 * "/usr/bin/x" (an error on the root itself: "/", cs_scan_error_path). */
static int relativise(const char *root, struct cs_scan_result *r)
{
	size_t len = strlen(root);

	while (len > 1 && root[len - 1] == '/')
		len--;
	if (len == 1 && root[0] == '/')
		return 0;
	/* A tree's findings are spelled from its root directory's name: cut it there once. */
	for (uint32_t d = 0; d < r->ntdirs; d++) {
		char *p = r->tdirs[d].name, *rel;

		if (r->tdirs[d].parent != CS_SCAN_NO_DIR || strncmp(p, root, len) != 0)
			continue;
		if (!(rel = strdup(p + len)))
			return -ENOMEM;
		free(p);
		r->tdirs[d].name = rel;
		r->tdirs[d].namelen = strlen(rel);
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		char *p = r->findings[i].path, *rel;

		if (!p || strncmp(p, root, len) != 0)
			continue;
		rel = strdup(p[len] ? p + len : "/");
		if (!rel)
			return -ENOMEM;
		free(p);
		r->findings[i].path = rel;
	}
	return 0;
}

static int load_tree(struct cs_scan_diff *df, int side, const struct cs_scan_opts *o)
{
	struct cs_scan_target *t = side ? &df->new : &df->old;
	struct stat st;

	if (lstat(t->name, &st) == 0 && !S_ISDIR(st.st_mode))
		return t->rc = cs_diag_set(&t->diag, ENOTDIR, 0, 0, NULL,
					   "neither a directory nor an image: --diff compares "
					   "trees and images");
	/* a bare error (out of memory deep in the walk) still says what it is */
	t->rc = cs_diag_unsaid(&t->diag, cs_scan_tree(t->name, o, &t->r, &t->diag));
	if (t->rc < 0)
		return t->rc;
	df->rootfd[side] = open(t->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (df->rootfd[side] < 0)
		return t->rc = cs_diag_set(&t->diag, errno, 0, 0, NULL, "%s", strerror(errno));
	if (relativise(t->name, &t->r) < 0)
		return t->rc = cs_diag_set(&t->diag, ENOMEM, 0, 0, NULL, "out of memory");
	return 0;
}

static int load(struct cs_scan_diff *df, int side, const char *path, const struct cs_scan_opts *o)
{
	struct cs_scan_target *t = side ? &df->new : &df->old;

	t->name = path;
	t->image = cs_scan_is_image(path);
	if (!t->image)
		return load_tree(df, side, o);
	t->rc = cs_diag_unsaid(&t->diag, cs_image_open(path, o, &df->im[side], &t->diag));
	if (t->rc == 0 && cs_image_findings(df->im[side], &t->r) < 0)
		t->rc = cs_diag_set(&t->diag, ENOMEM, 0, 0, NULL, "out of memory");
	return t->rc;
}

static void from_finding(const struct cs_finding *f, struct cs_diff_side *s)
{
	s->exists = s->privileged = true;
	s->mode = f->mode;
	s->uid = f->uid;
	s->gid = f->gid;
	s->has_fcaps = f->has_fcaps;
	s->fcaps_invalid = f->fcaps_invalid;
	s->fcaps = f->fcaps;
	s->layer = f->layer;
}

/*
 * What is at path on a side where the scan found nothing privileged. 0, or
 * -E2BIG when the side's image refuses more lookups (its bound: symlinked
 * directories walked again for each path), said in that side's diag.
 */
static int lookup(struct cs_scan_diff *df, int side, const char *path, struct cs_diff_side *s)
{
	struct cs_image_stat ist;
	struct stat st;
	int fd;

	memset(s, 0, sizeof(*s));
	s->layer = -1;
	if (df->im[side]) {
		int rc = cs_image_lookup(df->im[side], path, false, &ist);
		struct cs_scan_target *t = side ? &df->new : &df->old;

		if (rc == -E2BIG) {
			(void)cs_image_lookup_bound(df->im[side], &t->diag);
			return t->rc = rc;
		}
		if (rc == 0) {
			s->exists = true;
			s->mode = ist.mode;
			s->uid = ist.uid;
			s->gid = ist.gid;
			s->layer = ist.layer;
			cs_image_stat_clear(&ist);
		}
		return 0;
	}
	if (df->rootfd[side] < 0)
		return 0;
	fd = cs_open_in_root(df->rootfd[side], path[1] ? path + 1 : ".", O_PATH | O_NOFOLLOW,
			     RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0) {
		s->exists = true;
		s->mode = st.st_mode;
		s->uid = st.st_uid;
		s->gid = st.st_gid;
	}
	close(fd);
	return 0;
}

/* The kernel reads a v2 value as rootid 0 (security/commoncap.c, get_vfs_caps_from_disk). */
static uint32_t rootid(const struct cs_diff_side *s)
{
	return s->fcaps.version == 3 ? s->fcaps.rootid : 0;
}

static bool reg_bit(const struct cs_diff_side *s, uint32_t bit)
{
	return s->exists && S_ISREG(s->mode) && (s->mode & bit);
}

static void compare(struct cs_diff_file *f)
{
	const struct cs_diff_side *a = &f->old, *b = &f->new;
	bool va = a->has_fcaps && !a->fcaps_invalid, vb = b->has_fcaps && !b->fcaps_invalid;
	cs_mask_t pa = va ? a->fcaps.permitted | a->fcaps.inheritable : 0;
	cs_mask_t pb = vb ? b->fcaps.permitted | b->fcaps.inheritable : 0;

	if (reg_bit(a, S_ISUID) != reg_bit(b, S_ISUID))
		f->what |= CS_DIFF_SETUID;
	if (reg_bit(a, S_ISGID) != reg_bit(b, S_ISGID))
		f->what |= CS_DIFF_SETGID;
	/* The decoded sets, not the bytes: v2 and v3 rootid 0 are the same. */
	if (a->has_fcaps != b->has_fcaps || a->fcaps_invalid != b->fcaps_invalid ||
	    (va && vb &&
	     (a->fcaps.effective != b->fcaps.effective ||
	      a->fcaps.permitted != b->fcaps.permitted ||
	      a->fcaps.inheritable != b->fcaps.inheritable)))
		f->what |= CS_DIFF_FCAPS;
	if (va && vb && rootid(a) != rootid(b))
		f->what |= CS_DIFF_ROOTID;
	if ((reg_bit(a, S_ISUID) && reg_bit(b, S_ISUID) && a->uid != b->uid) ||
	    (reg_bit(a, S_ISGID) && reg_bit(b, S_ISGID) && a->gid != b->gid))
		f->what |= CS_DIFF_OWNER;
	f->caps_gained = pb & ~pa;
	f->caps_lost = pa & ~pb;
}

/*
 * Keep f when something differs. Its path is the finding's of side r (index
 * i): a tree's is named, not copied (two planted chains of 10,000 set-id
 * levels that differ at each held 207 MB of paths).
 */
static int add_file(struct cs_scan_diff *df, struct cs_diff_file *f, const struct cs_scan_result *r,
		    size_t i)
{
	struct cs_diff_file *v;

	compare(f);
	if (!f->what)
		return 0;
	if (!(df->nfiles & (df->nfiles + 1))) {
		v = realloc(df->files, (2 * df->nfiles + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		df->files = v;
	}
	if (r->findings[i].path && !(f->path = strdup(r->findings[i].path)))
		return -ENOMEM;
	if (!f->path) {
		f->from = r;
		f->finding = i;
	}
	df->files[df->nfiles++] = *f;
	return 0;
}

/* One pass over both sorted lists of findings. */
static int merge(struct cs_scan_diff *df)
{
	const struct cs_scan_result *o = &df->old.r, *n = &df->new.r;
	size_t i = 0, k = 0;
	int rc;

	while (i < o->nfindings || k < n->nfindings) {
		/* Each side's path in its own result's buffer (cs_finding_path). */
		const char *op = i < o->nfindings ? cs_finding_path(o, &o->findings[i]) : "",
			   *np = k < n->nfindings ? cs_finding_path(n, &n->findings[k]) : "";
		int c;
		struct cs_diff_file f = {0};
		const char *path;

		if (!op || !np)
			return -ENOMEM;
		c = i == o->nfindings ? 1 : k == n->nfindings ? -1 : strcmp(op, np);
		path = c <= 0 ? op : np;

		const struct cs_scan_result *side = c <= 0 ? o : n;
		size_t at = c <= 0 ? i : k;

		if (c <= 0)
			from_finding(&o->findings[i++], &f.old);
		else if ((rc = lookup(df, 0, path, &f.old)) < 0)
			return rc;
		if (c >= 0)
			from_finding(&n->findings[k++], &f.new);
		else if ((rc = lookup(df, 1, path, &f.new)) < 0)
			return rc;
		if ((rc = add_file(df, &f, side, at)) < 0)
			return rc;
	}
	return 0;
}

static const char pod_yaml[] = "apiVersion: v1\n"
			       "kind: Pod\n"
			       "metadata: {name: scan-diff}\n"
			       "spec:\n"
			       "  containers:\n"
			       "    - {name: entrypoint, image: scan-diff}\n";

static int keep(const struct cs_pod_ctr_result *c, struct cs_diff_entry *e)
{
	const char *why = !c->admitted || !c->oci_ok ? c->reason : c->file.note;

	e->known = true;
	e->exec_ok = c->exec_ok && c->post;
	if (e->exec_ok)
		e->post = *c->post;
	else if (!(e->error = strdup(c->exec_error ? c->exec_error : "not started")))
		return -ENOMEM;
	if (c->file.path && !(e->path = strdup(c->file.path)))
		return -ENOMEM;
	if (why && !(e->note = strdup(why)))
		return -ENOMEM;
	return 0;
}

/*
 * The entrypoint as explain pod predicts a container that asks for nothing:
 * the same kubelet, runtime and execve model, on the image's own config and
 * final view.
 */
static int predict(struct cs_image *im, struct cs_scan_target *t, struct cs_diff_entry *e)
{
	const struct cs_image_info *info = im ? cs_image_get_info(im) : NULL;
	struct cs_pod_explain_opts po = {
	    .runtime = CS_CRI_CRIO, .image_config = info ? info->config : NULL, .image = im};
	struct cs_pod_explain_result *res = NULL;
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};
	int rc;

	if (!info || !strcmp(info->kind, "layer"))
		return (e->note = strdup(im ? "a single layer has no image config"
					    : "a directory has no image config"))
			   ? 0
			   : -ENOMEM;
	if (info->config->user && !(e->user = strdup(info->config->user)))
		return -ENOMEM;

	cs_k8s_manifest_init(&m);
	rc = cs_k8s_parse(&m, pod_yaml, sizeof(pod_yaml) - 1, "(scan --diff)", &d);
	if (rc == 0 && m.n_pods == 1)
		rc = cs_pod_explain(&m.pods[0], &po, &res, &d);
	/* explain pod refuses an image over its lookup bound: that side's error */
	if (rc == -E2BIG && cs_image_lookup_bound(im, &t->diag) < 0)
		t->rc = rc;
	if (rc == 0 && res && res->n_containers == 1)
		rc = keep(&res->containers[0], e);
	cs_pod_explain_free(res);
	cs_k8s_manifest_free(&m);
	return rc < 0 ? rc : 0;
}

static bool cred_same(const struct cs_cred *a, const struct cs_cred *b)
{
	if (memcmp(a->uid, b->uid, sizeof(a->uid)) || memcmp(a->gid, b->gid, sizeof(a->gid)) ||
	    a->ngroups != b->ngroups || memcmp(a->groups, b->groups, a->ngroups * sizeof(gid_t)))
		return false;
	for (int s = 0; s < CS_NSETS; s++)
		if (a->caps.set[s] != b->caps.set[s])
			return false;
	return a->securebits == b->securebits && a->no_new_privs == b->no_new_privs;
}

static void compare_entry(struct cs_scan_diff *df)
{
	const struct cs_diff_entry *a = &df->ep_old, *b = &df->ep_new;

	df->ep_compared = a->known && b->known;
	if (!df->ep_compared)
		return;
	if (a->exec_ok != b->exec_ok)
		df->ep_differs = true;
	else if (!a->exec_ok)
		df->ep_differs = strcmp(a->error, b->error) != 0;
	else
		df->ep_differs = !cred_same(&a->post, &b->post);
}

int cs_scan_diff(const char *old, const char *new, const struct cs_scan_opts *o,
		 struct cs_scan_diff *df)
{
	int rc;

	memset(df, 0, sizeof(*df));
	df->rootfd[0] = df->rootfd[1] = -1;
	if ((rc = load(df, 0, old, o)) < 0 || (rc = load(df, 1, new, o)) < 0)
		return rc;
	if ((rc = merge(df)) < 0 || (rc = predict(df->im[0], &df->old, &df->ep_old)) < 0 ||
	    (rc = predict(df->im[1], &df->new, &df->ep_new)) < 0)
		return rc;
	compare_entry(df);
	return 0;
}

bool cs_scan_diff_found(const struct cs_scan_diff *df)
{
	return df->nfiles > 0 || df->ep_differs;
}

static void entry_free(struct cs_diff_entry *e)
{
	free(e->note);
	free(e->path);
	free(e->user);
	free(e->error);
}

void cs_scan_diff_free(struct cs_scan_diff *df)
{
	for (size_t i = 0; i < df->nfiles; i++)
		free(df->files[i].path);
	free(df->files);
	entry_free(&df->ep_old);
	entry_free(&df->ep_new);
	cs_scan_result_free(&df->old.r);
	cs_scan_result_free(&df->new.r);
	for (int s = 0; s < 2; s++) {
		cs_image_close(df->im[s]);
		if (df->rootfd[s] >= 0)
			close(df->rootfd[s]);
	}
	memset(df, 0, sizeof(*df));
	df->rootfd[0] = df->rootfd[1] = -1;
}
