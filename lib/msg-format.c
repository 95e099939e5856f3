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
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal/util.h"

/*
 * The text being made: in the stack buffer first, on the heap only once it
 * outgrows it (doubling), then copied out at its length, as glibc's
 * vasprintf does. Growing from nothing by realloc cost six reallocs a
 * message, and under MALLOC_PERTURB_ (which meson sets) each one that grew
 * in place freed and filled the large free chunk after it: lint of a pod
 * with 8,000 names in add cost 5.2 times the instructions of 2,000
 * (tests/cli/explain-memory).
 */
struct out {
	char *s;
	size_t len, cap;
	size_t max, total; /* kept at most max bytes; total: the whole text's */
	bool oom;
	char *ring; /* NULL, or the text's last RING bytes (cs_vformat_mid) */
	char stack[256];
};

#define RING 512

/* The last RING bytes of the text, at ring[total % RING]. */
static void ring_put(struct out *o, const char *s, size_t n)
{
	if (n > RING) {
		o->total += n - RING;
		s += n - RING;
		n = RING;
	}
	for (size_t k; n; n -= k, s += k, o->total += k) {
		size_t at = o->total % RING;

		k = RING - at < n ? RING - at : n;
		memcpy(o->ring + at, s, k);
	}
}

static void put(struct out *o, const char *s, size_t n)
{
	if (o->ring)
		ring_put(o, s, n); /* counts total too */
	else
		o->total += n;
	if (o->oom || o->len >= o->max)
		return;
	if (n > o->max - o->len)
		n = o->max - o->len;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *p = o->s == o->stack ? malloc(cap) : realloc(o->s, cap);

		if (!p) {
			o->oom = true;
			return;
		}
		if (o->s == o->stack)
			memcpy(p, o->stack, o->len + 1);
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* How many q are in s[0, n): memchr's pace, not a loop of calls per byte. */
static size_t count_q(const char *s, size_t n, char q)
{
	size_t k = 0;

	for (const char *e, *p = s; q && (e = memchr(p, q, n - (size_t)(p - s))); p = e + 1)
		k++;
	return k;
}

/* A string conversion: its bytes (at most prec when prec >= 0), q doubled,
 * padded with spaces to width (on the right when left). Put in spans
 * between quotes: a 4 MB value of a webhook review was a call per byte. */
static void put_str(struct out *o, const char *s, int prec, char q, int width, bool left)
{
	size_t n = s ? (prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s)) : 6, shown;

	if (!s)
		s = "(null)";
	shown = n + count_q(s, n, q);
	for (size_t i = shown; !left && width > 0 && i < (size_t)width; i++)
		put(o, " ", 1);
	for (size_t i = 0; i < n;) {
		const char *e = q ? memchr(s + i, q, n - i) : NULL;
		size_t span = e ? (size_t)(e - (s + i)) + 1 : n - i;

		put(o, s + i, span);
		if (e)
			put(o, e, 1); /* the quote again */
		i += span;
	}
	for (size_t i = shown; left && width > 0 && i < (size_t)width; i++)
		put(o, " ", 1);
}

/* One argument of any conversion but a narrow string, fetched once by its
 * type, so that it can be formatted twice (measured, then written). */
union arg {
	int i;
	unsigned u;
	long l;
	unsigned long ul;
	long long ll;
	unsigned long long ull;
	intmax_t j;
	uintmax_t uj;
	size_t z;
	ptrdiff_t t;
	double d;
	long double ld;
	void *p;
	wint_t wc;
	const wchar_t *ws;
};

enum kind {
	K_I,
	K_U,
	K_L,
	K_UL,
	K_LL,
	K_ULL,
	K_J,
	K_UJ,
	K_Z,
	K_T,
	K_D,
	K_LD,
	K_P,
	K_WC,
	K_WS,
	K_NONE
};

/* The argument's type from the length modifier and the conversion (C11
 * 7.21.6.1), or -1 for a conversion this formatter refuses. */
static int kind_of(char len, char conv)
{
	bool sig = conv == 'd' || conv == 'i';

	if (conv == 'm')
		return K_NONE; /* glibc: strerror(errno), no argument */
	if (conv == 'p')
		return len ? -1 : K_P;
	if (strchr("fFeEgGaA", conv))
		return len == 'L' ? K_LD : len == 0 || len == 'l' ? K_D : -1;
	if (conv == 'c')
		return len == 'l' ? K_WC : len ? -1 : K_I;
	if (conv == 's')
		return len == 'l' ? K_WS : -1; /* a narrow %s is put_str's */
	if (!strchr("diouxX", conv))
		return -1; /* %n writes through a pointer; anything else is unknown */
	switch (len) {
	case 0:
	case 'h':
	case 'H': /* hh: promoted to int */
		return sig ? K_I : K_U;
	case 'l':
		return sig ? K_L : K_UL;
	case 'q': /* ll */
		return sig ? K_LL : K_ULL;
	case 'j':
		return sig ? K_J : K_UJ;
	case 'z':
		return K_Z;
	case 't':
		return K_T;
	}
	return -1;
}

static void fetch(union arg *a, int kind, va_list *ap)
{
	switch (kind) {
	case K_I:
		a->i = va_arg(*ap, int);
		break;
	case K_U:
		a->u = va_arg(*ap, unsigned);
		break;
	case K_L:
		a->l = va_arg(*ap, long);
		break;
	case K_UL:
		a->ul = va_arg(*ap, unsigned long);
		break;
	case K_LL:
		a->ll = va_arg(*ap, long long);
		break;
	case K_ULL:
		a->ull = va_arg(*ap, unsigned long long);
		break;
	case K_J:
		a->j = va_arg(*ap, intmax_t);
		break;
	case K_UJ:
		a->uj = va_arg(*ap, uintmax_t);
		break;
	case K_Z:
		a->z = va_arg(*ap, size_t);
		break;
	case K_T:
		a->t = va_arg(*ap, ptrdiff_t);
		break;
	case K_D:
		a->d = va_arg(*ap, double);
		break;
	case K_LD:
		a->ld = va_arg(*ap, long double);
		break;
	case K_P:
		a->p = va_arg(*ap, void *);
		break;
	case K_WC:
		a->wc = va_arg(*ap, wint_t);
		break;
	case K_WS:
		a->ws = va_arg(*ap, const wchar_t *);
		break;
	}
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
/* snprintf of one spec f with its stars and argument. */
static int one(char *buf, size_t size, const char *f, const int *star, int nstar, int kind,
	       const union arg *a)
{
#define ONE(V)                                                                                     \
	(nstar == 2   ? snprintf(buf, size, f, star[0], star[1], V)                                \
	 : nstar == 1 ? snprintf(buf, size, f, star[0], V)                                         \
		      : snprintf(buf, size, f, V))
	switch (kind) {
	case K_I:
		return ONE(a->i);
	case K_U:
		return ONE(a->u);
	case K_L:
		return ONE(a->l);
	case K_UL:
		return ONE(a->ul);
	case K_LL:
		return ONE(a->ll);
	case K_ULL:
		return ONE(a->ull);
	case K_J:
		return ONE(a->j);
	case K_UJ:
		return ONE(a->uj);
	case K_Z:
		return ONE(a->z);
	case K_T:
		return ONE(a->t);
	case K_D:
		return ONE(a->d);
	case K_LD:
		return ONE(a->ld);
	case K_P:
		return ONE(a->p);
	case K_WC:
		return ONE(a->wc);
	case K_WS:
		return ONE(a->ws);
	}
	/* K_NONE (%m): the stars only */
	return nstar == 2   ? snprintf(buf, size, f, star[0], star[1])
	       : nstar == 1 ? snprintf(buf, size, f, star[0])
			    : snprintf(buf, size, f);
#undef ONE
}
#pragma GCC diagnostic pop

/*
 * One conversion that is not a narrow string, by its own spec (spec..spec+
 * slen), its output whole however wide (a width of 600 is 600 bytes). A
 * wide string (%ls) is converted first and then put as a string is, so a
 * quote in it is doubled as well. -1 when snprintf fails (a wide character
 * the locale cannot write, as printf's own EILSEQ).
 */
static int put_other(struct out *o, const char *spec, size_t slen, const int *star, int nstar,
		     int kind, char q, va_list *ap, int err)
{
	char f[32], small[128], *buf = small;
	union arg a = {0};
	int n;

	if (slen >= sizeof(f))
		return -1;
	memcpy(f, spec, slen);
	f[slen] = '\0';
	fetch(&a, kind, ap);
	errno = err; /* %m is the caller's errno, not one realloc left */
	n = one(small, sizeof(small), f, star, nstar, kind, &a);
	if (n >= (int)sizeof(small)) {
		if (!(buf = malloc((size_t)n + 1))) {
			o->oom = true;
			return 0;
		}
		errno = err;
		n = one(buf, (size_t)n + 1, f, star, nstar, kind, &a);
	}
	/* Width and precision are applied; a quoted %c, %lc, %ls or %m has its
	 * quote doubled as %s has (a number holds none). */
	if (n >= 0)
		put_str(o, buf, n, q, 0, false);
	if (buf != small)
		free(buf);
	return n < 0 ? -1 : 0;
}

/* The length modifier at *p (C11's, glibc's q and Z), advanced past it:
 * hh is 'H', ll and q are 'q', Z is 'z'. */
static char length_of(const char **p)
{
	const char *s = *p;
	char len = 0;

	if ((s[0] == 'h' || s[0] == 'l') && s[1] == s[0])
		len = s[0] == 'h' ? 'H' : 'q', s += 2;
	else if (*s && strchr("hlLjztqZ", *s))
		len = *s == 'Z' ? 'z' : *s, s++;
	*p = s;
	return len;
}

/*
 * One conversion at *pp (just past its '%'), put into o; *pp is left past
 * it. -1 for a conversion it refuses: %n (a message writes through no
 * pointer), a positional argument (%1$s: the arguments would be read out of
 * order), an unknown letter or length, or one snprintf itself fails on. The
 * sixteenth pass's version read %t's ptrdiff_t as an int and %ls's wide
 * string as bytes.
 */
static int put_conversion(struct out *o, const char *fmt, const char *spec, const char **pp,
			  va_list *ap, int err)
{
	const char *p = *pp;
	int star[2], nstar = 0, prec = -1, width = 0, kind;
	bool left = false;
	char len, q;

	for (const char *d = p; *d >= '0' && *d <= '9'; d++)
		if (d[1] == '$')
			return -1;
	for (; *p && strchr("-+ #0'", *p); p++)
		left |= *p == '-';
	if (*p == '*') {
		width = star[nstar++] = va_arg(*ap, int);
		p++;
	}
	while (*p >= '0' && *p <= '9')
		width = width * 10 + (*p++ - '0');
	if (width < 0) /* a negative * width is a '-' flag (C11 7.21.6.1p5) */
		left = true, width = width == INT_MIN ? INT_MAX : -width;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			prec = star[nstar++] = va_arg(*ap, int);
			p++;
		} else {
			prec = 0;
			while (*p >= '0' && *p <= '9')
				prec = prec * 10 + (*p++ - '0');
		}
	}
	len = length_of(&p);
	if (!*p)
		return -1;
	*pp = p + 1;
	/* Quoted by the format: the character just before the '%'. */
	q = spec > fmt && (spec[-1] == '\'' || spec[-1] == '"') ? spec[-1] : 0;
	if (*p == 's' && !len) {
		put_str(o, va_arg(*ap, const char *), prec, q, width, left);
		return 0;
	}
	if ((kind = kind_of(len, *p)) < 0)
		return -1;
	return put_other(o, spec, (size_t)(p + 1 - spec), star, nstar, kind, q, ap, err);
}

char *cs_vformat_quoted(const char *fmt, va_list ap)
{
	return cs_vformat_quoted_max(fmt, ap, SIZE_MAX, NULL);
}

/* The format into o: 0, or -1 for a conversion refused. */
static int format(struct out *o, const char *fmt, va_list ap0)
{
	int err = errno, bad = 0;
	va_list ap;

	va_copy(ap, ap0);
	for (const char *p = fmt; *p && !o->oom && !bad;) {
		const char *spec = p, *q;

		if (*p != '%') {
			q = strchr(p, '%');
			q = q ? q : p + strlen(p);
			put(o, p, (size_t)(q - p));
			p = q;
		} else if (p[1] == '%') {
			put(o, "%", 1);
			p += 2;
		} else {
			p++;
			bad = put_conversion(o, fmt, spec, &p, &ap, err) < 0;
		}
	}
	va_end(ap);
	errno = err;
	return bad ? -1 : 0;
}

char *cs_vformat_quoted_max(const char *fmt, va_list ap, size_t max, size_t *total)
{
	int err = errno;
	struct out o = {.cap = sizeof(o.stack), .max = max};
	bool bad;
	char *s;

	o.s = o.stack;
	o.stack[0] = '\0';
	bad = format(&o, fmt, ap) < 0;
	s = o.oom || bad ? NULL : o.s == o.stack ? strdup(o.stack) : o.s;
	if (!s) {
		if (o.s != o.stack)
			free(o.s);
		errno = bad ? EINVAL : ENOMEM;
		return NULL;
	}
	if (total)
		*total = o.total;
	errno = err;
	return s;
}

/* Format into o's fixed buffer (o->cap bytes, never grown), empty first;
 * *total (if given): the whole text's length. 0, or -EINVAL (errno too)
 * for a format capscope does not write. */
static int format_fixed(struct out *o, const char *fmt, va_list ap, size_t *total)
{
	if (o->cap)
		o->s[0] = '\0';
	if (format(o, fmt, ap) < 0) {
		errno = EINVAL;
		return -EINVAL;
	}
	if (total)
		*total = o->total;
	return 0;
}

/*
 * Nineteenth pass: a message longer than its field was cut at its end, and
 * a message's end is where it says what is wrong (a 5,000-byte file name
 * quoted first left "cannot open 'NNNN..." and no reason). The text's head
 * goes into buf as before and its last bytes into a ring on the stack, so
 * an overlong text keeps both ends, "..." between them, each cut on a
 * character, with no allocation (the steps' writer is measured).
 */
int cs_vformat_mid(char *buf, size_t size, const char *fmt, va_list ap, size_t *total)
{
	char ring[RING];
	struct out o = {.s = buf, .cap = size, .max = size ? size - 1 : 0, .ring = ring};
	size_t room, tail, head, from;

	if (format_fixed(&o, fmt, ap, total) < 0)
		return -EINVAL;
	if (o.total < size || size < 16)
		return 0;
	room = size - 1 - 3;
	tail = room / 2 < RING ? room / 2 : RING;
	head = cs_text_cut(buf, o.len, room - tail);
	tail = room - head < RING ? room - head : RING;
	/* The tail starts on a character: past any continuation bytes. */
	from = o.total - tail;
	while (tail && ((unsigned char)ring[from % RING] & 0xc0) == 0x80)
		from++, tail--;
	memcpy(buf + head, "...", 3);
	for (size_t i = 0; i < tail; i++)
		buf[head + 3 + i] = ring[(from + i) % RING];
	buf[head + 3 + tail] = '\0';
	return 0;
}

int cs_vformat_into(char *buf, size_t size, const char *fmt, va_list ap, size_t *total)
{
	/* The caller's buffer, never grown (max = size - 1): no allocation,
	 * as vsnprintf. Allocating here moved the heap under the model's step
	 * arrays, whose reallocs then cost 1,000 containers x 100,000 groups
	 * under MALLOC_PERTURB_ (tests/cli/explain-memory). */
	struct out o = {.s = buf, .cap = size, .max = size ? size - 1 : 0};

	return format_fixed(&o, fmt, ap, total);
}

int cs_fputf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	s = cs_vformat_quoted(fmt, ap);
	va_end(ap);
	if (!s)
		return -1;
	rc = fputs(s, f) < 0 ? -1 : 0;
	free(s);
	return rc;
}
