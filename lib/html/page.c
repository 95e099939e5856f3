/* SPDX-License-Identifier: MIT */
/*
 * The page around every writer: head with the Content-Security-Policy, the
 * inline style sheet, and the end. Nothing in it depends on the time or the
 * machine, so a re-run writes the same bytes.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html-internal.h"

/*
 * default-src 'none' forbids every load (scripts, images, fonts, frames,
 * fetches); the only thing allowed is the inline <style> below. The page has
 * no script at all: hover reasons are title attributes.
 */
#define CSP "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

/* Colour is never the only signal: every marked cell also carries a symbol. */
static const char style[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}\n"
    "h1{font-size:1.4em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
    "h3{font-size:1.05em}\n"
    "table{border-collapse:collapse;margin:.6em 0}\n"
    "th,td{border:1px solid #c8c8c8;padding:.25em .55em;text-align:left;vertical-align:top}\n"
    "th{background:#eef0f4}\n"
    ".kept{background:#dde8f6}.gained{background:#bfeabf}.dropped{background:#f6c4c4}\n"
    "td.absent{color:#9a9a9a}\n"
    ".mark{font-weight:bold;font-family:monospace;margin-right:.3em}\n"
    "tr.req th{background:#fff3c4}\n"
    ".ok{color:#0a6a0a;font-weight:bold}.bad{color:#b00020;font-weight:bold}\n"
    ".risk-low{background:#dff3df}.risk-medium{background:#fff0c2}"
    ".risk-high,.risk-critical{background:#f9d0d0}\n"
    "pre{background:#f5f5f5;border:1px solid #ddd;padding:.5em;overflow-x:auto}\n"
    "code,pre,td.mono{font-family:monospace}\n"
    ".legend span{display:inline-block;padding:.1em .5em;margin-right:.5em;border:1px solid "
    "#c8c8c8}\n"
    ".summary td{font-variant-numeric:tabular-nums}\n";

void html_elem(FILE *f, const char *tag, const char *cls, const char *text)
{
	fprintf(f, "<%s", tag);
	if (cls)
		fprintf(f, " class=\"%s\"", cls);
	fputc('>', f);
	cs_html_put(f, text);
	fprintf(f, "</%s>", tag);
}

void html_pre(FILE *f, const char *cls, const char *text)
{
	fprintf(f, "<pre%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	for (const char *p = text ? text : ""; *p;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		/* each line written from the text itself: a copy that could
		 * not be allocated was a line "?" in the page */
		html_put_escaped_n(f, p, l);
		if (e)
			fputc('\n', f);
		p += l + (e ? 1 : 0);
	}
	fputs("</pre>\n", f);
}

/*
 * The file the page is written to: ".NAME." and six random characters
 * (mkostemp's template: a new file, O_EXCL, never one that was there) in
 * path's directory, so the rename at the end stays
 * on one file system. Only a regular file (or a path that does not exist
 * yet) is replaced so; anything else is written in place as before (tmp
 * stays NULL): a device or a pipe cannot be replaced, and a symbolic link
 * (/dev/stdout is one) must be followed, not replaced by a file of its own.
 */
static int open_target(struct cs_html *h)
{
	struct stat st;
	const char *slash = strrchr(h->path, '/');
	int dirlen = slash ? (int)(slash - h->path + 1) : 0;
	mode_t mask;
	int fd;

	if (lstat(h->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		h->f = fopen(h->path, "we");
		return h->f ? 0 : -errno;
	}
	/* Nineteenth pass: the name's first NAME_MAX - 8 bytes, so that a page
	 * of a name up to NAME_MAX bytes can be written: ".NAME.XXXXXX" of a
	 * 250-byte name was 258 bytes, and the page was refused (ENAMETOOLONG). */
	if (asprintf(&h->tmp, "%.*s.%.*s.XXXXXX", dirlen, h->path, NAME_MAX - 8, h->path + dirlen) <
	    0) {
		h->tmp = NULL;
		return -ENOMEM;
	}
	fd = mkostemp(h->tmp, O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		free(h->tmp);
		h->tmp = NULL;
		return err;
	}
	/* mkostemp makes 0600; a page is created as fopen would (0666 & ~umask). */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(h->f = fdopen(fd, "w"))) {
		int err = -errno;

		close(fd);
		unlink(h->tmp);
		free(h->tmp);
		h->tmp = NULL;
		return err;
	}
	return 0;
}

int cs_html_open(const char *path, const char *title, struct cs_html **out, struct cs_diag *d)
{
	struct cs_html *h = calloc(1, sizeof(*h));
	int err;

	*out = NULL;
	if (!*path) { /* it wrote a temporary file, then failed to rename it to "" */
		free(h);
		return cs_diag_set(d, EINVAL, 0, 0, NULL,
				   "cannot create the HTML page: an empty "
				   "file name");
	}
	/* Thirteenth pass: "-" made a file of that name in the current directory,
	 * where every input of capscope reads "-" as standard input and a reader
	 * expects standard output; the report already goes there. */
	if (!strcmp(path, "-")) {
		free(h);
		return cs_diag_set(d, EINVAL, 0, 0, NULL,
				   "cannot create the HTML page: '-' is not standard output here "
				   "(the report goes there); name a file (./- for one called -)");
	}
	if (!h || !(h->path = strdup(path))) {
		free(h);
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	}
	err = open_target(h);
	if (err < 0) {
		free(h->path);
		free(h);
		cs_diag_file(d, path);
		return cs_diag_set(d, -err, 0, 0, NULL, "cannot create the HTML page: %s",
				   strerror(-err));
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", h->f);
	fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"" CSP "\">\n", h->f);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", h->f);
	fputs("<title>", h->f);
	cs_html_put(h->f, title);
	fprintf(h->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
	cs_html_put(h->f, title);
	fputs("</h1>\n", h->f);
	*out = h;
	return 0;
}

FILE *cs_html_stream(struct cs_html *h)
{
	return h->f;
}

const char *cs_html_temp_name(const struct cs_html *h)
{
	return h ? h->tmp : NULL;
}

static void html_free(struct cs_html *h)
{
	free(h->tmp);
	free(h->path);
	free(h);
}

void cs_html_discard(struct cs_html *h)
{
	if (!h)
		return;
	fclose(h->f);
	if (h->tmp)
		unlink(h->tmp);
	html_free(h);
}

int cs_html_close(struct cs_html *h, struct cs_diag *d)
{
	int rc = 0;

	if (!h)
		return 0;
	fputs("<footer><p>Written by capscope. Hover a marked cell for the rule that changed "
	      "it.</p></footer>\n</body>\n</html>\n",
	      h->f);
	/* fflush sets errno (ENOSPC, EFBIG...); ferror alone would only say EIO. */
	if (fflush(h->f) != 0)
		rc = errno ? -errno : -EIO;
	else if (ferror(h->f))
		rc = -EIO;
	if (fclose(h->f) != 0 && rc == 0)
		rc = errno ? -errno : -EIO;
	if (rc == 0 && h->oom)
		rc = -ENOMEM; /* a cell left out: no page rather than a wrong one */
	if (rc == 0 && h->tmp && rename(h->tmp, h->path) < 0)
		rc = -errno;
	if (rc < 0) {
		if (h->tmp)
			unlink(h->tmp);
		cs_diag_file(d, h->path);
		cs_diag_set(d, -rc, 0, 0, NULL, "writing the HTML page: %s", strerror(-rc));
	}
	html_free(h);
	return rc;
}
