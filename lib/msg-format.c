/* SPDX-License-Identifier: MIT */
/*
 * A library message's printf, with one rule more than vsnprintf's: a string
 * quoted by the format ('%s', "%s", '%.*s') has each of that quote
 * character in its value doubled, so a value cannot end its quotation early
 * and add words of its own (sixteenth pass: a service account "sa'id 'x"
 * in '%s' read as two quoted values). Doubling, not a backslash: the
 * message is escaped once where it is printed (cs_err), and a backslash
 * would show doubled. Every message the library fills goes through here
 * (cs_vformat_cut: cs_diag_set, cs_diag_context and the readers' own).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/util.h"

struct out {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *p = realloc(o->s, cap);

		if (!p) {
			o->oom = true;
			return;
		}
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* A string conversion: its bytes (at most prec when prec >= 0), q doubled,
 * padded with spaces to width (on the right when left). */
static void put_str(struct out *o, const char *s, int prec, char q, int width, bool left)
{
	size_t n = s ? (prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s)) : 6, shown = n;

	if (!s)
		s = "(null)";
	for (size_t i = 0; q && i < n; i++)
		shown += s[i] == q;
	for (size_t i = shown; !left && width > 0 && i < (size_t)width; i++)
		put(o, " ", 1);
	for (size_t i = 0; i < n; i++) {
		put(o, s + i, 1);
		if (q && s[i] == q)
			put(o, s + i, 1);
	}
	for (size_t i = shown; left && width > 0 && i < (size_t)width; i++)
		put(o, " ", 1);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* One conversion that is not a string, by its own spec (spec..end). */
static void put_other(struct out *o, const char *spec, size_t slen, const int *star, int nstar,
		      char len, char conv, va_list *ap)
{
	char f[32], buf[512];
	int n;

	if (slen >= sizeof(f)) {
		o->oom = true; /* no spec of the library is that long */
		return;
	}
	memcpy(f, spec, slen);
	f[slen] = '\0';
#define ONE(T)                                                                                     \
	(nstar == 2   ? snprintf(buf, sizeof(buf), f, star[0], star[1], va_arg(*ap, T))            \
	 : nstar == 1 ? snprintf(buf, sizeof(buf), f, star[0], va_arg(*ap, T))                     \
		      : snprintf(buf, sizeof(buf), f, va_arg(*ap, T)))
	if (conv == 'p')
		n = ONE(void *);
	else if (strchr("feEgGaA", conv))
		n = ONE(double);
	else if (conv == 'c')
		n = ONE(int);
	else if (len == 'L') /* ll */
		n = strchr("di", conv) ? ONE(long long) : ONE(unsigned long long);
	else if (len == 'l')
		n = strchr("di", conv) ? ONE(long) : ONE(unsigned long);
	else if (len == 'z')
		n = ONE(size_t);
	else if (len == 'j')
		n = strchr("di", conv) ? ONE(intmax_t) : ONE(uintmax_t);
	else
		n = strchr("di", conv) ? ONE(int) : ONE(unsigned);
#undef ONE
	if (n < 0)
		return;
	put(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
#pragma GCC diagnostic pop

char *cs_vformat_quoted(const char *fmt, va_list ap0)
{
	struct out o = {0};
	va_list ap;

	va_copy(ap, ap0);
	put(&o, "", 0);
	for (const char *p = fmt; *p && !o.oom;) {
		const char *spec = p, *q;
		int star[2], nstar = 0, prec = -1, width = 0;
		char len = 0;
		bool left = false;

		if (*p != '%') {
			q = strchr(p, '%');
			q = q ? q : p + strlen(p);
			put(&o, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (p[1] == '%') {
			put(&o, "%", 1);
			p += 2;
			continue;
		}
		for (p++; *p && strchr("-+ #0", *p); p++)
			left |= *p == '-';
		if (*p == '*') {
			width = star[nstar++] = va_arg(ap, int);
			p++;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		if (*p == '.') {
			p++;
			if (*p == '*') {
				prec = star[nstar++] = va_arg(ap, int);
				p++;
			} else {
				prec = 0;
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		if (*p == 'l' && p[1] == 'l')
			len = 'L', p += 2;
		else if (*p && strchr("lzjth", *p))
			len = *p++;
		if (*p == 'h')
			p++; /* hh */
		if (!*p)
			break;
		if (*p == 's') {
			/* Quoted by the format: the character just before the '%'. */
			char qc =
			    spec > fmt && (spec[-1] == '\'' || spec[-1] == '"') ? spec[-1] : 0;

			put_str(&o, va_arg(ap, const char *), prec, qc, width, left);
		} else {
			put_other(&o, spec, (size_t)(p + 1 - spec), star, nstar, len, *p, &ap);
		}
		p++;
	}
	va_end(ap);
	if (o.oom) {
		free(o.s);
		return NULL;
	}
	return o.s;
}
