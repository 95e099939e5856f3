/* SPDX-License-Identifier: MIT */
/*
 * Text from input quoted for the language of a snippet the user is meant to
 * copy (escape.h): the terminal rule alone keeps a name from moving the
 * cursor, but not from ending a word, a string or a scalar in the shell,
 * JSON or YAML the snippet is written in. Each quoting below is exact (the
 * snippet means the name's own bytes) and terminal-safe at once (no control,
 * C1 or bidi character is written raw), so no second escaping is applied.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/cleanup.h"
#include "../internal/util.h"
#include "quote.h"
#include "strf.h"
#include "../policy/yaml-out.h"
#include "capscope/escape.h"
#include "capscope/json.h"
#include "internal/memstream.h"

char *cs_quote_shell_dup(const char *s)
{
	size_t n;
	char *out;

	if (!s)
		s = "";
	n = cs_shell_quote(s, NULL, 0) + 1;
	if ((out = malloc(n)))
		cs_shell_quote(s, out, n);
	return out;
}

/* What a writer to a FILE made of s, as a string; NULL on ENOMEM. */
static char *in_memory(const char *s, int (*write)(FILE *f, const char *s))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = cs_memstream_open(&buf, &len);
	int rc;

	if (!f)
		return NULL;
	rc = write(f, s ? s : "");
	if (cs_memstream_close(f) < 0 || rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* JSON's writer shows C1, bidi and invisible characters as \uNNNN (json.c). */
static int json_write(FILE *f, const char *s)
{
	struct cs_json j;

	cs_json_init(&j, f, false);
	cs_json_str(&j, s);
	return j.error;
}

char *cs_quote_json_dup(const char *s)
{
	return in_memory(s, json_write);
}

/* The policy writer's scalar: ASCII only, every other character escaped. */
static int yaml_write(FILE *f, const char *s)
{
	yw_str(f, s);
	return ferror(f) ? -EIO : 0;
}

char *cs_quote_yaml_dup(const char *s)
{
	return in_memory(s, yaml_write);
}

bool cs_text_is_utf8(const char *s)
{
	return cs_utf8_valid(s, strlen(s));
}

/* argv[i], with "./" before a word that starts with '-' (a relative path). */
static char *word_at(const char *const *argv, size_t i)
{
	return argv[i][0] == '-' ? cs_strf("./%s", argv[i]) : strdup(argv[i]);
}

/* The exec form, ["w1", "w2"]: JSON, read by Docker's parser (Go's). */
static char *exec_form(const char *const *argv, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = cs_memstream_open(&buf, &len);
	bool ok = f != NULL;

	for (size_t i = 0; ok && i < n; i++) {
		char *w = word_at(argv, i), *j = w ? cs_quote_json_dup(w) : NULL;

		ok = j && fprintf(f, "%s%s", i ? ", " : "[", j) >= 0;
		free(w);
		free(j);
	}
	/* The stream closed whatever the writes said: a failed "]" skipped
	 * the fclose and leaked it (nineteenth pass, part H). */
	if (f && fprintf(f, "]") < 0)
		ok = false;
	if (f && cs_memstream_close(f) < 0)
		ok = false;
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *cs_quote_run_dup(const char *const *argv, size_t n, int *err)
{
	char *buf = NULL;
	bool posix = true;

	*err = -ENOMEM;
	for (size_t i = 0; posix && i < n; i++) {
		cs_cleanup_free char *w = word_at(argv, i), *q = w ? cs_quote_shell_dup(w) : NULL;
		char *prev = buf;

		if (!q) {
			free(buf);
			return NULL;
		}
		posix = strncmp(q, "$'", 2) != 0;
		buf = cs_strf("%s%s%s", prev ? prev : "", prev ? " " : "", q);
		free(prev);
		if (!buf)
			return NULL;
	}
	if (posix) {
		*err = 0;
		return buf;
	}
	free(buf);
	for (size_t i = 0; i < n; i++)
		if (!cs_text_is_utf8(argv[i])) {
			*err = -EILSEQ;
			return NULL;
		}
	buf = exec_form(argv, n);
	*err = buf ? 0 : -ENOMEM;
	return buf;
}
