/* SPDX-License-Identifier: MIT */
/* A memory stream whose failures are seen (internal/memstream.h says why). */
#include "internal/memstream.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct memstream {
	char **buf;
	size_t *len, cap;
	bool failed; /* a write failed: the text has a hole */
};

static ssize_t ms_write(void *cookie, const char *data, size_t n)
{
	struct memstream *m = cookie;
	size_t need = *m->len + n + 1;

	if (need < n) { /* wrapped */
		m->failed = true;
		return -1;
	}
	if (need > m->cap) {
		size_t cap = m->cap ? m->cap : 256;
		char *b;

		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		if (!(b = realloc(*m->buf, cap))) {
			m->failed = true;
			return -1;
		}
		*m->buf = b;
		m->cap = cap;
	}
	memcpy(*m->buf + *m->len, data, n);
	*m->len += n;
	(*m->buf)[*m->len] = '\0';
	return (ssize_t)n;
}

/* Run by fclose after its last flush: a text with a hole is no text. */
static int ms_close(void *cookie)
{
	struct memstream *m = cookie;
	bool failed = m->failed;

	if (!failed && !*m->buf) /* nothing written: "", as open_memstream gives */
		failed = !(*m->buf = calloc(1, 1));
	if (failed) {
		free(*m->buf);
		*m->buf = NULL;
		*m->len = 0;
	}
	free(m);
	return failed ? -1 : 0;
}

FILE *cs_memstream_open(char **buf, size_t *len)
{
	static const cookie_io_functions_t io = {.write = ms_write, .close = ms_close};
	struct memstream *m = calloc(1, sizeof(*m));
	FILE *f;

	*buf = NULL;
	*len = 0;
	if (!m)
		return NULL;
	m->buf = buf;
	m->len = len;
	if (!(f = fopencookie(m, "w", io)))
		free(m);
	return f;
}

int cs_memstream_close(FILE *f)
{
	return fclose(f) == 0 ? 0 : -ENOMEM;
}
