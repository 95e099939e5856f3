/* SPDX-License-Identifier: MIT */
/*
 * The Prometheus text exposition format (version 0.0.4), written by hand:
 * there is no Debian C library for it, and the format is four rules —
 * "# HELP", "# TYPE", one sample per line, label values escaped (backslash,
 * double quote, line feed). Label values come from what containers control
 * (pod and container names, annotations), so they are first the terminal's
 * text of the value (escape.h), which is valid UTF-8 (Prometheus requires
 * it and would otherwise refuse the whole scrape) and one to one.
 */
#include "capscope/serve.h"

#include "capscope/escape.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/util.h"
#include "internal/memstream.h"

void cs_prom_init(struct cs_prom *p, FILE *f)
{
	p->f = f;
	p->error = 0;
}

static void put(struct cs_prom *p, const char *s, size_t n)
{
	/* Unlocked: a writer is one thread's (a scrape writes tens of thousands
	 * of short pieces, and the lock was a fifth of its time). */
	if (!p->error && n && fwrite_unlocked(s, 1, n, p->f) != n)
		p->error = errno ? -errno : -EIO;
}

static void puts_(struct cs_prom *p, const char *s)
{
	put(p, s, strlen(s));
}

/* The format's own escapes of a text: backslash, line feed and, in a label
 * value (quote), the double quote; runs between them in one write. */
static void put_format(struct cs_prom *p, const char *s, size_t n, bool quote)
{
	for (size_t i = 0, k; i < n; i += k) {
		for (k = 0; i + k < n && s[i + k] != '\\' && s[i + k] != '\n' &&
			    !(quote && s[i + k] == '"');
		     k++)
			;
		put(p, s + i, k);
		if (i + k < n) {
			put(p, s[i + k] == '\n' ? "\\n" : s[i + k] == '"' ? "\\\"" : "\\\\", 2);
			k++;
		}
	}
}

/*
 * A label value is the terminal's text of the value (escape.h, the one
 * rule: cs_escape_span), then the format's escapes. A value is shown by
 * Prometheus's and Grafana's pages and by curl in a terminal, so what the
 * rule hides does not go out raw (nineteenth pass): a control as "\x1b",
 * CR "\r", a bidi or invisible character, or a joiner beside ASCII, as
 * "\u200d". Twentieth pass: the rule's own escapes are kept apart from the
 * value's text, as in every other output: a backslash of the value is
 * "\\" (the value "\u200d", six characters, and "web" U+200D were the same
 * series text), a byte that is not UTF-8 "\xff" (it was U+FFFD, as the
 * character U+FFFD itself), a line feed and a tab "\n", "\t". So two
 * values are never one label text. The format then doubles each backslash.
 * The HELP text (!quote) is capscope's own: the format's escapes only.
 */
static void put_escaped(struct cs_prom *p, const char *s, bool quote)
{
	const char *all = s ? s : "";
	size_t total = strlen(all), plain = 0;
	char buf[4 * 1024 + 1]; /* an escape is at most 4 bytes a byte ("\\xNN") */

	/* Most values are plain ASCII: one write. */
	while (plain < total && (unsigned char)all[plain] >= 0x20 &&
	       (unsigned char)all[plain] < 0x7f && all[plain] != '\\' && all[plain] != '"')
		plain++;
	put(p, all, plain);
	if (!quote) {
		put_format(p, all + plain, total - plain, false);
		return;
	}
	/* The rest in pieces cut on a character, each judged in the whole. */
	for (size_t at = plain, n; at < total; at += n) {
		n = cs_text_cut(all + at, total - at, 1024);
		if (n == 0) /* not reached: a character is at most 4 bytes */
			n = total - at < 1024 ? total - at : 1024;
		cs_escape_span(all, total, at, at + n, buf, sizeof(buf));
		put_format(p, buf, strlen(buf), true);
	}
}

void cs_prom_family(struct cs_prom *p, const char *name, const char *type, const char *help)
{
	puts_(p, "# HELP ");
	puts_(p, name);
	put(p, " ", 1);
	put_escaped(p, help, false);
	puts_(p, "\n# TYPE ");
	puts_(p, name);
	put(p, " ", 1);
	puts_(p, type);
	put(p, "\n", 1);
}

static void put_labels(struct cs_prom *p, const char *const *labels)
{
	for (size_t i = 0; labels && labels[i]; i += 2) {
		if (i)
			put(p, ",", 1);
		puts_(p, labels[i]);
		put(p, "=\"", 2);
		put_escaped(p, labels[i + 1], true);
		put(p, "\"", 1);
	}
}

static void put_value(struct cs_prom *p, double value)
{
	char num[64];

	if (isnan(value))
		snprintf(num, sizeof(num), " NaN\n");
	else if (isinf(value))
		snprintf(num, sizeof(num), " %s\n", value > 0 ? "+Inf" : "-Inf");
	else if (value == 0 || value == 1)
		snprintf(num, sizeof(num), " %d\n", (int)value);
	else if (value == (double)(long long)value && fabs(value) < 9e15)
		snprintf(num, sizeof(num), " %lld\n", (long long)value);
	else
		snprintf(num, sizeof(num), " %.9g\n", value);
	puts_(p, num);
}

void cs_prom_sample_pre(struct cs_prom *p, const char *name, const char *prefix,
			const char *const *labels, double value)
{
	bool more = labels && labels[0];

	puts_(p, name);
	if ((prefix && *prefix) || more) {
		put(p, "{", 1);
		if (prefix && *prefix) {
			puts_(p, prefix);
			if (more)
				put(p, ",", 1);
		}
		put_labels(p, labels);
		put(p, "}", 1);
	}
	put_value(p, value);
}

void cs_prom_sample(struct cs_prom *p, const char *name, const char *const *labels, double value)
{
	cs_prom_sample_pre(p, name, NULL, labels, value);
}

char *cs_prom_labels(const char *const *labels)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = cs_memstream_open(&buf, &len);
	struct cs_prom p;

	if (!f)
		return NULL;
	cs_prom_init(&p, f);
	put_labels(&p, labels);
	if (fclose(f) != 0 || p.error) {
		free(buf);
		return NULL;
	}
	return buf;
}

int cs_prom_finish(struct cs_prom *p)
{
	if (!p->error && fflush(p->f) != 0)
		p->error = errno ? -errno : -EIO;
	return p->error;
}

char *cs_prom_escape_label(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = cs_memstream_open(&buf, &len);
	struct cs_prom p;

	if (!f)
		return NULL;
	cs_prom_init(&p, f);
	put_escaped(&p, s, true);
	if (fclose(f) != 0 || p.error) {
		free(buf);
		return NULL;
	}
	return buf;
}
