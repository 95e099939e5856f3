/* SPDX-License-Identifier: MIT */
#include "ps-secbits.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ps_secbits_free(struct ps_secbits *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int ps_secbits_lookup(const struct ps_secbits *t, pid_t tid)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].tid == tid)
			return (int)t->v[mid].bits;
		if (t->v[mid].tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

#ifdef CAPSCOPE_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "secbits.skel.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int by_tid(const void *a, const void *b)
{
	pid_t x = ((const struct ps_secbits_entry *)a)->tid;
	pid_t y = ((const struct ps_secbits_entry *)b)->tid;

	return (x > y) - (x < y);
}

/* Parse "tid tgid bits\n" lines; the kernel wrote them, but check anyway. */
static int parse(const char *buf, size_t len, struct ps_secbits *t)
{
	const char *p = buf, *end = buf + len;
	size_t cap = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int tid, tgid;
		unsigned bits;
		char line[64];
		size_t l = (size_t)((nl ? nl : end) - p);

		if (l >= sizeof(line))
			return -EPROTO;
		memcpy(line, p, l);
		line[l] = '\0';
		p += l + 1;
		if (l == 0)
			continue;
		if (sscanf(line, "%d %d %u", &tid, &tgid, &bits) != 3 || tid <= 0)
			return -EPROTO;
		if (t->n == cap) {
			struct ps_secbits_entry *nv;

			cap = cap ? cap * 2 : 256;
			nv = realloc(t->v, cap * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			t->v = nv;
		}
		t->v[t->n].tid = tid;
		t->v[t->n].bits = bits;
		t->n++;
	}
	qsort(t->v, t->n, sizeof(*t->v), by_tid);
	return 0;
}

int ps_secbits_load(struct ps_secbits *t, char *why, size_t whylen)
{
	struct secbits_bpf *skel;
	struct bpf_link *link;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, rc = 0;

	memset(t, 0, sizeof(*t));
	libbpf_set_print(quiet);
	skel = secbits_bpf__open_and_load();
	if (!skel) {
		rc = errno ? -errno : -EPERM;
		snprintf(why, whylen, "cannot load the BPF task iterator: %s (needs CAP_BPF and CAP_PERFMON, and kernel BTF)",
			 strerror(-rc));
		return rc;
	}
	link = bpf_program__attach_iter(skel->progs.dump_securebits, NULL);
	if (!link) {
		rc = errno ? -errno : -EINVAL;
		snprintf(why, whylen, "cannot attach the BPF task iterator: %s", strerror(-rc));
		secbits_bpf__destroy(skel);
		return rc;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		rc = -errno;
		snprintf(why, whylen, "cannot start the BPF task iterator: %s", strerror(-rc));
		goto out;
	}
	for (;;) {
		ssize_t r;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			snprintf(why, whylen, "reading the BPF task iterator: %s", strerror(-rc));
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (rc == 0 && (rc = parse(buf, len, t)) < 0) {
		snprintf(why, whylen, "the BPF task iterator wrote something unexpected");
		ps_secbits_free(t);
	}
	free(buf);
out:
	bpf_link__destroy(link);
	secbits_bpf__destroy(skel);
	return rc;
}

#else

int ps_secbits_load(struct ps_secbits *t, char *why, size_t whylen)
{
	memset(t, 0, sizeof(*t));
#ifdef CAPSCOPE_NO_BPF_REASON
	snprintf(why, whylen, "built without BPF: %s", CAPSCOPE_NO_BPF_REASON);
#else
	snprintf(why, whylen, "built without BPF");
#endif
	return -EOPNOTSUPP;
}

#endif
