/* SPDX-License-Identifier: MIT */
/*
 * The Prometheus text exposition format (version 0.0.4), written by hand:
 * there is no Debian C library for it, and the format is four rules —
 * "# HELP", "# TYPE", one sample per line, label values escaped (backslash,
 * double quote, line feed). Label values come from what containers control
 * (pod and container names, annotations), so they are also made valid UTF-8,
 * which Prometheus requires and would otherwise refuse the whole scrape for.
 */
#include "capscope/serve.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/util.h"

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

/*
 * Escape s for a label value (quote) or a HELP text (!quote: no '"' rule).
 * Nineteenth pass: a value is shown by Prometheus's and Grafana's pages and
 * by curl in a terminal, so what the escaping rule (escape.h) hides does not
 * go out raw either: a C0 control but tab (newline has its own escape) or
 * DEL as the text "\xNN" (CR "\r"), a bidi or invisible character, or a joiner or
 * variation selector beside ASCII (pod "web" U+200D looked like "web"), as
 * "\uNNNN" or "\UNNNNNNNN" (each backslash doubled by the format).
 */
static void put_escaped(struct cs_prom *p, const char *s, bool quote)
{
	const unsigned char *u = (const unsigned char *)(s ? s : ""), *all = u;
	size_t left = strlen((const char *)u), plain = 0, total = left;
	char esc[16];
	uint32_t cp;

	/* Most values are plain ASCII: one write. */
	while (plain < left && u[plain] >= 0x20 && u[plain] < 0x7f && u[plain] != '\\' &&
	       u[plain] != '"')
		plain++;
	put(p, (const char *)u, plain);
	u += plain;
	left -= plain;
	while (left) {
		size_t n = cs_utf8_seq_len(u, left);

		if (!n) {
			put(p, "\xef\xbf\xbd", 3);
			n = 1;
		} else if (*u == '\\') {
			put(p, "\\\\", 2);
		} else if (*u == '\n') {
			put(p, "\\n", 2);
		} else if (*u == '"' && quote) {
			put(p, "\\\"", 2);
		} else if ((*u < 0x20 && *u != '\t') || *u == 0x7f) {
			snprintf(esc, sizeof(esc), *u == '\r' ? "\\\\r" : "\\\\x%02x", *u);
			puts_(p, esc);
		} else if (n > 1 && cs_utf8_decode(u, left, &cp) &&
			   cs_cp_hidden_at(all, total, (size_t)(u - all), n, cp)) {
			snprintf(esc, sizeof(esc), cp > 0xffff ? "\\\\U%08x" : "\\\\u%04x",
				 (unsigned)cp);
			puts_(p, esc);
		} else {
			put(p, (const char *)u, n);
		}
		u += n;
		left -= n;
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
	FILE *f = open_memstream(&buf, &len);
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
	FILE *f = open_memstream(&buf, &len);
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
