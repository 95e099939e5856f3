/* SPDX-License-Identifier: MIT */
#include "capscope/steps.h"

#include "capscope/escape.h"
#include "internal/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_steps_init(struct cs_steps *s)
{
	memset(s, 0, sizeof(*s));
}

void cs_steps_free(struct cs_steps *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static struct cs_step *grow(struct cs_steps *s)
{
	if (s->error)
		return NULL;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		struct cs_step *nv = realloc(s->v, ncap * sizeof(*nv));

		if (!nv) {
			s->error = -ENOMEM;
			return NULL;
		}
		s->v = nv;
		s->cap = ncap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	return &s->v[s->n++];
}

__attribute__((format(printf, 4, 0))) static int fill(struct cs_step *st, const char *layer,
						      const char *rule, const char *fmt, va_list ap)
{
	snprintf(st->layer, sizeof(st->layer), "%s", layer);
	snprintf(st->rule, sizeof(st->rule), "%s", rule);
	/* A value the sentence quotes ('%s') has that quote doubled
	 * (lib/msg-format.c): the one rule of the library's prose, which
	 * callers had applied by hand (seventeenth pass). */
	size_t n = 0;

	/* A sentence longer than the field (a long name in it) is cut on a
	 * character and says so: cut anywhere, it ended in half a UTF-8
	 * character ("\xc3", a byte the name did not hold) and read as whole
	 * (second round of the fifteenth pass, as CS_MSG_CUT). Nineteenth
	 * pass: in its middle, so that the sentence's end, what the step did,
	 * survives a long name (cs_vformat_mid). */
	if (cs_vformat_mid(st->detail, sizeof(st->detail), fmt, ap, &n) < 0)
		return -EINVAL;
	return 0;
}

/* Append one step; NULL once memory ran out (the error is kept in s). */
__attribute__((format(printf, 4, 0))) static struct cs_step *
vadd(struct cs_steps *s, const char *layer, const char *rule, const char *fmt, va_list ap)
{
	struct cs_step *st = grow(s);

	if (st && fill(st, layer, rule, fmt, ap) < 0) {
		s->n--;
		s->error = -EINVAL; /* a conversion refused: never by a literal format */
		return NULL;
	}
	return st;
}

void cs_steps_add(struct cs_steps *s, const char *layer, const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(s, layer, rule, fmt, ap);
	va_end(ap);
}

void cs_steps_add_set(struct cs_steps *s, const char *layer, const char *rule, enum cs_set set,
		      cs_mask_t before, cs_mask_t after, const char *fmt, ...)
{
	struct cs_step *st;
	va_list ap;

	va_start(ap, fmt);
	st = vadd(s, layer, rule, fmt, ap);
	va_end(ap);
	if (!st)
		return;
	st->has_set = true;
	st->set = set;
	st->added = after & ~before;
	st->removed = before & ~after;
}
const struct cs_step *cs_steps_find(const struct cs_steps *s, const char *rule)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].rule, rule) == 0)
			return &s->v[i];
	return NULL;
}
