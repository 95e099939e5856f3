/* SPDX-License-Identifier: MIT */
/*
 * /proc/kallsyms → sorted text symbols, to name the frames of the stacks
 * the BPF program keeps. Parsed by hand: the format is one "ADDR TYPE NAME
 * [module]" line per symbol and nothing in Debian's libraries reads it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/proc.h"
#include "capscope/trace.h"
#include "../internal/util.h"

static int add_name(struct cs_ksyms *k, const char *s, size_t n, uint32_t *off)
{
	if (k->names_len + n + 1 > k->names_cap) {
		size_t cap = k->names_cap ? k->names_cap * 2 : 1 << 16;
		char *nn;

		while (cap < k->names_len + n + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -E2BIG;
		nn = realloc(k->names, cap);
		if (!nn)
			return -ENOMEM;
		k->names = nn;
		k->names_cap = cap;
	}
	*off = (uint32_t)k->names_len;
	memcpy(k->names + k->names_len, s, n);
	k->names[k->names_len + n] = '\0';
	k->names_len += n + 1;
	return 0;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct cs_ksym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

int cs_ksyms_parse(const char *buf, size_t len, struct cs_ksyms *k, struct cs_diag *d)
{
	size_t pos = 0, cap = 0;
	unsigned line = 0;
	bool nonzero = false;
	int rc;

	memset(k, 0, sizeof(*k));
	while (pos < len) {
		const char *l = buf + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos, i = 0, ns;
		uint64_t addr = 0;
		int digits = 0;
		char type;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n == 0)
			continue;
		for (; i < n && cs_hex_digit(l[i]) >= 0; i++, digits++)
			addr = (addr << 4) | (uint64_t)cs_hex_digit(l[i]);
		if (digits == 0 || digits > 16 || i + 3 > n || l[i] != ' ' || l[i + 2] != ' ') {
			rc = cs_diag_set(d, EPROTO, line, (unsigned)i + 1, "kallsyms",
					 "expected 'ADDRESS TYPE NAME'");
			goto fail;
		}
		type = l[i + 1];
		i += 3;
		ns = i;
		/* A NUL ends the name too: kallsyms has none, and a name must not be empty. */
		while (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != '\0')
			i++;
		if (i == ns) {
			rc = cs_diag_set(d, EPROTO, line, (unsigned)i + 1, "kallsyms",
					 "symbol name missing");
			goto fail;
		}
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (addr)
			nonzero = true;
		if (k->n == cap) {
			struct cs_ksym *nv;

			cap = cap ? cap * 2 : 4096;
			nv = realloc(k->v, cap * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				goto fail;
			}
			k->v = nv;
		}
		k->v[k->n].addr = addr;
		rc = add_name(k, l + ns, i - ns, &k->v[k->n].name);
		if (rc < 0)
			goto fail;
		k->n++;
	}
	if (k->n > 0 && !nonzero) {
		rc = cs_diag_set(d, EPERM, 0, 0, "kallsyms",
				 "every address is 0 (kernel.kptr_restrict hides them)");
		goto fail;
	}
	if (k->n)
		qsort(k->v, k->n, sizeof(*k->v), cmp_sym);
	return 0;
fail:
	cs_ksyms_free(k);
	return rc;
}

const char *cs_ksyms_find(const struct cs_ksyms *k, uint64_t addr)
{
	size_t lo = 0, hi = k->n;

	if (!k->n || addr < k->v[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return k->names + k->v[lo].name;
}

void cs_ksyms_free(struct cs_ksyms *k)
{
	free(k->v);
	free(k->names);
	memset(k, 0, sizeof(*k));
}

int cs_ksyms_load(struct cs_ksyms *k, struct cs_diag *d)
{
	char *buf = NULL;
	size_t n = 0;
	int rc = cs_read_file("/proc/kallsyms", 256u << 20, &buf, &n);

	if (rc < 0) {
		cs_diag_set(d, -rc, 0, 0, "", "%s", strerror(-rc));
		cs_diag_file(d, "/proc/kallsyms");
		return rc;
	}
	rc = cs_ksyms_parse(buf, n, k, d);
	free(buf);
	if (rc < 0)
		cs_diag_file(d, "/proc/kallsyms");
	return rc;
}
