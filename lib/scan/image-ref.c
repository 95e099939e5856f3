/* SPDX-License-Identifier: MIT */
/*
 * Image references (the grammar of distribution/reference, which Docker,
 * containerd and CRI-O share) and the --image REF=ARCHIVE map. Written here
 * rather than taken from a library: no Debian package parses references in C.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/image-ref.h"
#include "capscope/scan.h"
#include "../internal/cleanup.h"
#include "../internal/util.h"

static bool alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* */
static bool component_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !alnum_lower(s[0]) || !alnum_lower(s[n - 1]))
		return false;
	while (i < n) {
		if (alnum_lower(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '.' || (s[i] == '_' && s[i + 1] != '_')) {
			i++;
		} else if (s[i] == '_') {
			i += 2;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i >= n || !alnum_lower(s[i]))
			return false;
	}
	return true;
}

static bool path_ok(const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i <= n; i++)
		if (i == n || s[i] == '/') {
			if (!component_ok(s + start, i - start))
				return false;
			start = i + 1;
		}
	return true;
}

/* A host name (labels of [A-Za-z0-9-]), "[v6]", optionally ":PORT". */
static bool domain_ok(const char *s, size_t n)
{
	const char *colon = NULL;

	if (n && s[0] == '[') {
		const char *e = memchr(s, ']', n);

		if (!e)
			return false;
		colon = e + 1 < s + n ? e + 1 : NULL;
		if (colon && *colon != ':')
			return false;
	} else {
		const char *end, *label = s;

		colon = memchr(s, ':', n);
		end = colon ? colon : s + n;
		/* Labels of [A-Za-z0-9-], each starting and ending with a letter or digit. */
		for (const char *p = s; p <= end; p++) {
			if (p < end && *p != '.') {
				if (!isalnum((unsigned char)*p) && *p != '-')
					return false;
				continue;
			}
			if (p == label || !isalnum((unsigned char)*label) ||
			    !isalnum((unsigned char)p[-1]))
				return false;
			label = p + 1;
		}
	}
	if (colon) {
		if (colon + 1 == s + n)
			return false;
		for (const char *p = colon + 1; p < s + n; p++)
			if (!isdigit((unsigned char)*p))
				return false;
	}
	return true;
}

static bool tag_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 128 || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

/* ALGORITHM:ENCODED; sha256 and sha512 are checked for their length. */
static bool digest_ok(const char *s)
{
	const char *c = strchr(s, ':');
	size_t n;

	if (!c || c == s)
		return false;
	for (const char *p = s; p < c; p++)
		if (!alnum_lower(*p) && !strchr("+._-", *p))
			return false;
	n = strlen(c + 1);
	if (n == 0)
		return false;
	for (const char *p = c + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("=_-", *p))
			return false;
	if (!strncmp(s, "sha256:", 7) || !strncmp(s, "sha512:", 7)) {
		if (n != (s[3] == '2' ? 64u : 128u))
			return false;
		for (const char *p = c + 1; *p; p++)
			if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
				return false;
	}
	return true;
}

static int bad(struct cs_diag *d, const char *s, const char *why)
{
	return cs_diag_set(d, EINVAL, 0, 0, "image", "'%.*s%s' is not an image reference: %s",
			   CS_MSG_CUTS(s, 200), why);
}

int cs_image_ref_parse(const char *s, struct cs_image_ref *out, struct cs_diag *d)
{
	cs_cleanup_free char *buf = strdup(s ? s : "");
	char *at, *slash, *colon, *rest, *domain = NULL;
	cs_cleanup_free char *name = NULL;

	memset(out, 0, sizeof(*out));
	if (!buf)
		return -ENOMEM;
	if (!*buf || strlen(buf) > 4096)
		return bad(d, buf, "empty or too long");
	if ((at = strchr(buf, '@'))) {
		*at++ = '\0';
		if (!digest_ok(at))
			return bad(d, s, "the digest is not ALGORITHM:HEX");
	}
	slash = strrchr(buf, '/');
	colon = strrchr(slash ? slash : buf, ':');
	if (colon) {
		*colon++ = '\0';
		if (!tag_ok(colon))
			return bad(d, s, "the tag is not [A-Za-z0-9_.-], at most 128");
	}
	/* distribution/reference splitDockerDomain: a first part with '.' or
	 * ':', "localhost" or an upper-case letter is a registry host. */
	rest = buf;
	slash = strchr(buf, '/');
	if (slash) {
		size_t n = (size_t)(slash - buf);
		bool host = memchr(buf, '.', n) || memchr(buf, ':', n) ||
			    (n == 9 && !strncmp(buf, "localhost", 9));

		for (size_t i = 0; i < n && !host; i++)
			host = isupper((unsigned char)buf[i]);
		if (host) {
			if (!domain_ok(buf, n))
				return bad(d, s, "the registry host is not HOST[:PORT]");
			*slash = '\0';
			domain = buf;
			rest = slash + 1;
		}
	}
	if (!path_ok(rest, strlen(rest)))
		return bad(d, s, "a repository name is lower-case [a-z0-9] joined by . _ __ or -");
	if (!domain || !strcmp(domain, "index.docker.io"))
		domain = "docker.io";
	if (asprintf(&name, "%s/%s%s", domain,
		     !strcmp(domain, "docker.io") && !strchr(rest, '/') ? "library/" : "",
		     rest) < 0) {
		name = NULL;
		return -ENOMEM;
	}
	out->tag = colon ? strdup(colon) : NULL;
	out->digest = at ? strdup(at) : NULL;
	if ((colon && !out->tag) || (at && !out->digest)) {
		cs_image_ref_free(out);
		return -ENOMEM;
	}
	out->name = cs_steal_ptr(name);
	return 0;
}

void cs_image_ref_free(struct cs_image_ref *r)
{
	free(r->name);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

enum cs_image_match cs_image_ref_match(const struct cs_image_ref *given,
				       const struct cs_image_ref *ctr)
{
	const char *tag;

	if (!given->name || !ctr->name || strcmp(given->name, ctr->name))
		return CS_IMAGE_MATCH_NONE;
	if (given->digest)
		return ctr->digest && !strcmp(given->digest, ctr->digest) ? CS_IMAGE_MATCH_DIGEST
									  : CS_IMAGE_MATCH_NONE;
	if (given->tag) {
		/* The kubelet pulls an image: without tag or digest as ":latest". */
		tag = ctr->tag ? ctr->tag : ctr->digest ? NULL : "latest";
		return tag && !strcmp(tag, given->tag) ? CS_IMAGE_MATCH_TAG : CS_IMAGE_MATCH_NONE;
	}
	return CS_IMAGE_MATCH_NAME;
}

static bool same_ref(const struct cs_image_ref *a, const struct cs_image_ref *b)
{
	return !strcmp(a->name, b->name) && !a->tag == !b->tag &&
	       (!a->tag || !strcmp(a->tag, b->tag)) && !a->digest == !b->digest &&
	       (!a->digest || !strcmp(a->digest, b->digest));
}

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static int mixed(struct cs_diag *d)
{
	return cs_diag_set(d, EINVAL, 0, 0, "image",
			   "--image ARCHIVE (one archive for every container) and --image "
			   "REF=ARCHIVE cannot be mixed: name each image as REF=ARCHIVE");
}

static int add_all(struct cs_image_map *m, const char *arg, struct cs_diag *d)
{
	if (m->all)
		return cs_diag_set(d, EINVAL, 0, 0, "image",
				   "--image ARCHIVE given twice ('%.*s%s', '%.*s%s'): one archive "
				   "for every container, or --image REF=ARCHIVE for each image",
				   CS_MSG_CUTS(m->all, 200), CS_MSG_CUTS(arg, 200));
	if (m->n)
		return mixed(d);
	return (m->all = strdup(arg)) ? 0 : -ENOMEM;
}

int cs_image_map_add(struct cs_image_map *m, const char *arg, struct cs_diag *d)
{
	const char *eq = strchr(arg, '=');
	cs_cleanup_free char *ref_text = eq ? strndup(arg, (size_t)(eq - arg)) : NULL;
	struct cs_image_ref ref;
	struct cs_diag ignore = {0};
	struct cs_image_pair *v;

	if (eq && !ref_text)
		return -ENOMEM;
	if (!eq || cs_image_ref_parse(ref_text, &ref, &ignore) < 0)
		return add_all(m, arg, d);
	if (!eq[1]) {
		cs_image_ref_free(&ref);
		return cs_diag_set(d, EINVAL, 0, 0, "image", "--image %.*s%s: no ARCHIVE after '='",
				   CS_MSG_CUTS(arg, 200));
	}
	/* A file called "app=x.tar" is that file, unless x.tar exists too. */
	if (exists(arg)) {
		cs_image_ref_free(&ref);
		if (!exists(eq + 1))
			return add_all(m, arg, d);
		return cs_diag_set(
		    d, EINVAL, 0, 0, "image",
		    "--image %.*s%s names a file and also REF=ARCHIVE: write ./%.*s%s "
		    "for the file",
		    CS_MSG_CUTS(arg, 200), CS_MSG_CUTS(arg, 200));
	}
	if (m->all) {
		cs_image_ref_free(&ref);
		return mixed(d);
	}
	for (size_t i = 0; i < m->n; i++)
		if (same_ref(&m->v[i].ref, &ref) && strcmp(m->v[i].archive, eq + 1)) {
			cs_diag_set(d, EINVAL, 0, 0, "image",
				    "--image %.*s%s: %.*s%s is already %.*s%s",
				    CS_MSG_CUTS(arg, 200), CS_MSG_CUTS(ref_text, 200),
				    CS_MSG_CUTS(m->v[i].archive, 200));
			cs_image_ref_free(&ref);
			return -EINVAL;
		}
	v = realloc(m->v, (m->n + 1) * sizeof(*v));
	if (!v) {
		cs_image_ref_free(&ref);
		return -ENOMEM;
	}
	m->v = v;
	v = &m->v[m->n];
	memset(v, 0, sizeof(*v));
	v->ref = ref;
	v->archive = strdup(eq + 1);
	if (!v->archive) {
		cs_image_ref_free(&v->ref);
		return -ENOMEM;
	}
	v->ref_text = cs_steal_ptr(ref_text);
	m->n++;
	return 0;
}

static int open_one(const char *path, const struct cs_scan_opts *o, struct cs_image **im,
		    struct cs_diag *d)
{
	int rc = cs_image_open(path, o, im, d);

	if (rc < 0 && d && !d->file[0])
		cs_diag_file(d, path);
	return rc;
}

int cs_image_map_open(struct cs_image_map *m, const struct cs_scan_opts *o, struct cs_diag *d)
{
	int rc;

	if (m->all && !m->all_image && (rc = open_one(m->all, o, &m->all_image, d)) < 0)
		return rc;
	for (size_t i = 0; i < m->n; i++) {
		struct cs_image_pair *p = &m->v[i];

		if (p->image)
			continue;
		for (size_t k = 0; k < i && !p->image; k++)
			if (!strcmp(m->v[k].archive, p->archive))
				p->image = m->v[k].image;
		if (p->image)
			continue;
		if ((rc = open_one(p->archive, o, &p->image, d)) < 0)
			return rc;
		p->owner = true;
	}
	return 0;
}

const struct cs_image_pair *cs_image_map_find(const struct cs_image_map *m, const char *image)
{
	struct cs_image_ref ctr;
	struct cs_diag ignore = {0};
	const struct cs_image_pair *best = NULL;
	enum cs_image_match bm = CS_IMAGE_MATCH_NONE;

	if (!image || !m->n || cs_image_ref_parse(image, &ctr, &ignore) < 0)
		return NULL;
	for (size_t i = 0; i < m->n; i++) {
		enum cs_image_match k = cs_image_ref_match(&m->v[i].ref, &ctr);

		if (k > bm) {
			bm = k;
			best = &m->v[i];
		}
	}
	cs_image_ref_free(&ctr);
	return best;
}

void cs_image_map_free(struct cs_image_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].ref_text);
		free(m->v[i].archive);
		cs_image_ref_free(&m->v[i].ref);
		if (m->v[i].owner)
			cs_image_close(m->v[i].image);
	}
	free(m->v);
	free(m->all);
	cs_image_close(m->all_image);
	memset(m, 0, sizeof(*m));
}
