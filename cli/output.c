/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((format(printf, 2, 0))) static void vmsg(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "capscope%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cs_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, fmt, ap);
	va_end(ap);
	return CS_EXIT_FAIL;
}

int cs_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'capscope%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return CS_EXIT_USAGE;
}

int cs_diag_err(const char *cmd, const char *what, const struct cs_diag *d)
{
	char buf[700];

	cs_diag_format(d, buf, sizeof(buf));
	if (what && *what)
		return cs_err(cmd, "%s: %s", what, buf);
	return cs_err(cmd, "%s", buf);
}

int cs_bad_option(const char *cmd, int opt, int optopt_, char **argv, int optind_)
{
	const char *arg = optind_ > 0 ? argv[optind_ - 1] : "?";

	if (opt == ':')
		return cs_usage_err(cmd, "option '%s' needs a value", arg);
	if (optopt_ && optopt_ < 256)
		return cs_usage_err(cmd, "unknown option '-%c'", optopt_);
	return cs_usage_err(cmd, "unknown option '%s'", arg);
}

bool cs_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (nc && *nc)
		return false;
	return isatty(fileno(f)) == 1;
}

const char *cs_color(FILE *f, const char *sgr)
{
	return cs_use_color(f) ? sgr : "";
}

int cs_finish_stdout(const char *cmd, int rc)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno ? errno : EIO;

		/* Report once; a closed pipe is still a failure to deliver the output. */
		cs_err(cmd, "write error on standard output: %s", strerror(e));
		return rc ? rc : CS_EXIT_FAIL;
	}
	return rc;
}

void cs_table_init(struct cs_table *t, size_t ncol)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
}

int cs_table_add(struct cs_table *t, const char *const *cells)
{
	if (t->nrow == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 32;
		char **nc = realloc(t->cells, ncap * t->ncol * sizeof(*nc));

		if (!nc)
			return -ENOMEM;
		t->cells = nc;
		t->cap = ncap;
	}
	for (size_t c = 0; c < t->ncol; c++) {
		char *s = strdup(cells[c] ? cells[c] : "");

		if (!s) {
			for (size_t k = 0; k < c; k++)
				free(t->cells[t->nrow * t->ncol + k]);
			return -ENOMEM;
		}
		t->cells[t->nrow * t->ncol + c] = s;
	}
	t->nrow++;
	return 0;
}

/* Display width of UTF-8 text: count code points, not bytes. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void cs_table_print(const struct cs_table *t, FILE *f, const char *header_sgr)
{
	size_t *wid = calloc(t->ncol ? t->ncol : 1, sizeof(*wid));

	if (!wid)
		return;
	for (size_t r = 0; r < t->nrow; r++)
		for (size_t c = 0; c < t->ncol; c++) {
			size_t w = width(t->cells[r * t->ncol + c]);

			if (w > wid[c])
				wid[c] = w;
		}
	for (size_t r = 0; r < t->nrow; r++) {
		bool hdr = r == 0 && header_sgr && *header_sgr;

		if (hdr)
			fputs(header_sgr, f);
		for (size_t c = 0; c < t->ncol; c++) {
			const char *s = t->cells[r * t->ncol + c];

			if (c + 1 == t->ncol) {
				fputs(s, f);
			} else {
				fputs(s, f);
				for (size_t k = width(s); k < wid[c] + 2; k++)
					fputc(' ', f);
			}
		}
		if (hdr)
			fputs("\033[0m", f);
		fputc('\n', f);
	}
	free(wid);
}

void cs_table_free(struct cs_table *t)
{
	for (size_t i = 0; i < t->nrow * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
