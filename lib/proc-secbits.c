/* SPDX-License-Identifier: MIT */
/*
 * Securebits of every thread. The kernel shows them only to the process
 * itself (prctl PR_GET_SECUREBITS); a BPF task iterator (bpf/secbits.bpf.c)
 * reads cred->securebits of every task in one pass.
 */
#include "internal/secbits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal/bpf-log.h"
#include "internal/cleanup.h"

void cs_secbits_table_free(struct cs_secbits_table *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int cs_secbits_table_lookup(const struct cs_secbits_table *t, pid_t tid, unsigned long long start)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].tid == tid)
			return t->v[mid].start == start ? (int)t->v[mid].bits : -1;
		if (t->v[mid].tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int by_tid(const void *a, const void *b)
{
	pid_t x = ((const struct cs_secbits_entry *)a)->tid;
	pid_t y = ((const struct cs_secbits_entry *)b)->tid;

	return (x > y) - (x < y);
}

/*
 * Parse "tid tgid bits start\n" lines; the kernel wrote them, but check
 * anyway. start is in ns of the boot clock; /proc/PID/stat says it in
 * clock ticks (the kernel's nsec_to_clock_t: the ns divided, rounded down).
 */
int cs_secbits_table_parse(const char *buf, size_t len, long hz, long long boottime_ns,
			   struct cs_secbits_table *t)
{
	const char *p = buf, *end = buf + len;
	size_t cap = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int tid, tgid;
		unsigned bits;
		unsigned long long start;
		char line[64];
		size_t l = (size_t)((nl ? nl : end) - p);

		if (l >= sizeof(line))
			return -EPROTO;
		memcpy(line, p, l);
		line[l] = '\0';
		p += l + 1;
		if (l == 0)
			continue;
		if (sscanf(line, "%d %d %u %llu", &tid, &tgid, &bits, &start) != 4 || tid <= 0 ||
		    hz <= 0 || hz > 1000000000)
			return -EPROTO;
		if (t->n == cap) {
			struct cs_secbits_entry *nv;

			cap = cap ? cap * 2 : 256;
			nv = realloc(t->v, cap * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			t->v = nv;
		}
		t->v[t->n].tid = tid;
		t->v[t->n].bits = bits;
		/* As the kernel's timens_add_boottime_ns: the sum in u64. */
		start += (unsigned long long)boottime_ns;
		t->v[t->n].start = start / (1000000000ULL / (unsigned long long)hz);
		t->n++;
	}
	if (t->n) /* t->v is NULL for a text of no line: qsort's array is nonnull */
		qsort(t->v, t->n, sizeof(*t->v), by_tid);
	return 0;
}

/*
 * The boottime offset of this process's time namespace, in ns. The kernel
 * adds it to a start time /proc/PID/stat shows (timens_add_boottime_ns),
 * and the iterator's start_boottime has none: in a time namespace with an
 * offset every process's securebits were unknown. The file is the kernel's
 * ("%-10s %10lld %9ld\n" a clock); no file is no time namespaces, offset 0.
 */
int cs_secbits_boottime_offset(long long *ns)
{
	char buf[256], *line, *save = NULL;
	cs_cleanup_close int fd = open("/proc/self/timens_offsets", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	*ns = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if ((n = read(fd, buf, sizeof(buf) - 1)) < 0)
		return -errno;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long long sec;
		long nsec;
		int end = -1;

		if (strncmp(line, "boottime ", 9) != 0)
			continue;
		if (sscanf(line + 9, " %lld %ld%n", &sec, &nsec, &end) != 2 ||
		    line[9 + end] != '\0' || nsec < 0 || nsec >= 1000000000L ||
		    __builtin_mul_overflow(sec, 1000000000LL, ns) ||
		    __builtin_add_overflow(*ns, (long long)nsec, ns))
			return -EPROTO;
		return 0;
	}
	return -EPROTO; /* the file is there, and no boottime line */
}

#ifdef CAPSCOPE_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "secbits.skel.h"

/* Everything the iterator writes, read to the end. */
static int read_all(int fd, char **out, size_t *outlen, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		ssize_t r;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			int rc = -errno;

			if (rc == -EINTR)
				continue;
			free(buf);
			return cs_diag_set(d, -rc, 0, 0, "", "reading the BPF task iterator: %s",
					   strerror(-rc));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int cs_secbits_table_load(struct cs_secbits_table *t, struct cs_diag *d)
{
	struct secbits_bpf *skel;
	struct bpf_link *link;
	char *buf = NULL;
	size_t len = 0;
	long long off = 0;
	int fd, rc;

	memset(t, 0, sizeof(*t));
	cs_bpf_log_begin(NULL, NULL);
	skel = secbits_bpf__open_and_load();
	if (!skel) {
		rc = errno ? -errno : -EPERM;
		return cs_diag_set(d, -rc, 0, 0, "",
				   "cannot load the BPF task iterator: %s (needs CAP_BPF and "
				   "CAP_PERFMON, and kernel BTF)",
				   strerror(-rc));
	}
	link = bpf_program__attach_iter(skel->progs.dump_securebits, NULL);
	if (!link) {
		rc = errno ? -errno : -EINVAL;
		secbits_bpf__destroy(skel);
		return cs_diag_set(d, -rc, 0, 0, "", "cannot attach the BPF task iterator: %s",
				   strerror(-rc));
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		rc = cs_diag_set(d, errno, 0, 0, "", "cannot start the BPF task iterator: %s",
				 strerror(errno));
	} else {
		rc = read_all(fd, &buf, &len, d);
		close(fd);
	}
	if (rc == 0 && (rc = cs_secbits_boottime_offset(&off)) < 0 && rc != -EPROTO)
		cs_diag_set(d, -rc, 0, 0, "", "/proc/self/timens_offsets: %s", strerror(-rc));
	else if (rc == -EPROTO)
		cs_diag_set(d, -rc, 0, 0, "",
			    "/proc/self/timens_offsets is not understood: the iterator's start "
			    "times cannot be matched with /proc's");
	else if (rc == 0 &&
		 (rc = cs_secbits_table_parse(buf, len, sysconf(_SC_CLK_TCK), off, t)) < 0) {
		cs_diag_set(d, -rc, 0, 0, "", "the BPF task iterator wrote something unexpected");
		cs_secbits_table_free(t);
	}
	free(buf);
	bpf_link__destroy(link);
	secbits_bpf__destroy(skel);
	return rc;
}

#else

int cs_secbits_table_load(struct cs_secbits_table *t, struct cs_diag *d)
{
	memset(t, 0, sizeof(*t));
#ifdef CAPSCOPE_NO_BPF_REASON
	return cs_diag_set(d, EOPNOTSUPP, 0, 0, "", "built without BPF: %s",
			   CAPSCOPE_NO_BPF_REASON);
#else
	return cs_diag_set(d, EOPNOTSUPP, 0, 0, "", "built without BPF");
#endif
}

#endif
