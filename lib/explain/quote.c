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

#include "../internal/util.h"
#include "../policy/yaml-out.h"
#include "capscope/escape.h"
#include "capscope/json.h"

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
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return NULL;
	rc = write(f, s ? s : "");
	if (fclose(f) != 0 || rc < 0) {
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
