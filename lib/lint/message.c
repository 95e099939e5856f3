/* SPDX-License-Identifier: MIT */
/*
 * A finding's message, whole or in pieces. A refused pod's SCC finding
 * repeats every SCC's refusal, and each refusal names every container:
 * joined into one string it was held twice, the refusals and their copy
 * (seventeenth pass, part A: malloc'd whole and filled as each refusal was
 * freed, it cost 6.9 KB a container while untouched pages were not
 * counted, 8.3 KB once MALLOC_PERTURB_ filled them). Its pieces are the
 * attempts' reasons, taken, and the words between them; every writer and
 * the sort read a message through the functions here.
 */
#include "lint-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t n_pieces(const struct cs_lint_finding *f)
{
	return f->parts ? f->n_parts : 1;
}

static const char *piece(const struct cs_lint_finding *f, size_t i)
{
	const char *s = i >= n_pieces(f) ? NULL : f->parts ? f->parts[i] : f->message;

	return s ? s : "";
}

int cs_lint_message_each(const struct cs_lint_finding *f, int (*put)(const char *piece, void *data),
			 void *data)
{
	int rc;

	for (size_t i = 0; i < n_pieces(f); i++)
		if ((rc = put(piece(f, i), data)) != 0)
			return rc;
	return 0;
}

static int measure(const char *s, void *data)
{
	*(size_t *)data += strlen(s);
	return 0;
}

static int append(const char *s, void *data)
{
	char **p = data;

	*p = stpcpy(*p, s);
	return 0;
}

char *cs_lint_message_dup(const struct cs_lint_finding *f)
{
	size_t len = 0;
	char *m, *p;

	cs_lint_message_each(f, measure, &len);
	if (!(m = p = malloc(len + 1)))
		return NULL;
	*m = '\0';
	cs_lint_message_each(f, append, &p);
	return m;
}

/* A reading position in a message: the next byte, or -1 at its end. */
struct cursor {
	const struct cs_lint_finding *f;
	size_t i;
	const char *p;
};

static int next_byte(struct cursor *c)
{
	while (!*c->p) {
		if (++c->i >= n_pieces(c->f))
			return -1;
		c->p = piece(c->f, c->i);
	}
	return (unsigned char)*c->p++;
}

/* As strcmp on the two messages joined, without joining them. */
int cs_lint_message_cmp(const struct cs_lint_finding *a, const struct cs_lint_finding *b)
{
	struct cursor ca = {a, 0, piece(a, 0)}, cb = {b, 0, piece(b, 0)};

	for (;;) {
		int x = next_byte(&ca), y = next_byte(&cb);

		if (x != y)
			return x < y ? -1 : 1;
		if (x < 0)
			return 0;
	}
}

void cs_lint_message_free(struct cs_lint_finding *f)
{
	for (size_t i = 0; f->parts && i < f->n_parts; i++)
		free(f->parts[i]);
	free(f->parts);
	free(f->message);
	f->parts = NULL;
	f->n_parts = 0;
	f->message = NULL;
}
