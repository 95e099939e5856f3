/* SPDX-License-Identifier: MIT */
/*
 * A user namespace's id map as /proc shows it (/proc/PID/uid_map and
 * gid_map), read strictly: the one reader of this process's own maps for
 * the credentials reader, `file set`'s owner and rootid checks, the live
 * exec reader's rootid and the RLIMIT_NPROC message. They each had a
 * scanf loop that stopped quietly at a line it did not understand and
 * answered from the lines before it.
 */
#include "capscope/userns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/number.h"
#include "internal/util.h"

/* One field: blanks (the "%10u" padding), then digits through the one parser. */
static int field(const char *s, size_t len, size_t *at, uint32_t *out)
{
	size_t start;
	uint64_t v;

	while (*at < len && s[*at] == ' ')
		(*at)++;
	start = *at;
	while (*at < len && s[*at] >= '0' && s[*at] <= '9')
		(*at)++;
	if (cs_parse_u64n(s + start, *at - start, CS_NUM_DEC, UINT32_MAX, &v) < 0)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/*
 * One line without its '\n'. Parsed, then written again as the kernel
 * writes it (kernel/user_namespace.c uid_m_show: "%10u %10u %10u\n") and
 * compared byte for byte, so no spacing, sign, leading zero, tab, NUL or
 * fourth field is taken: the column of the first difference is said.
 */
static int line_extent(const char *s, size_t len, struct cs_idmap *e, unsigned *col)
{
	char want[40];
	size_t at = 0, i;
	int w;

	*col = 1;
	if (field(s, len, &at, &e->container_id) < 0 || field(s, len, &at, &e->host_id) < 0 ||
	    field(s, len, &at, &e->size) < 0) {
		*col = (unsigned)at + 1;
		return -EINVAL;
	}
	w = snprintf(want, sizeof(want), "%10u %10u %10u", e->container_id, e->host_id, e->size);
	for (i = 0; i < len && i < (size_t)w && s[i] == want[i]; i++)
		;
	*col = (unsigned)i + 1;
	return i == len && i == (size_t)w ? 0 : -EINVAL;
}

/* [a, a + n) and [b, b + m) share an id (sizes are at least 1, no wrap). */
static bool overlap(uint32_t a, uint32_t n, uint32_t b, uint32_t m)
{
	return (uint64_t)a < (uint64_t)b + m && (uint64_t)b < (uint64_t)a + n;
}

/*
 * What map_write lets into a map (kernel/user_namespace.c): a size of at
 * least 1, neither side wrapping past 2^32 - 1 (nor starting at it), and no
 * id of either side in two extents. A map that breaks one of these was not
 * written by the kernel, and a lookup in it would have two answers or none.
 */
static const char *extent_wrong(const struct cs_idmap *m, size_t n)
{
	const struct cs_idmap *e = &m[n];

	if (e->size == 0)
		return "a range of 0 ids";
	if ((uint64_t)e->container_id + e->size > UINT32_MAX ||
	    (uint64_t)e->host_id + e->size > UINT32_MAX)
		return "a range past the last id (4294967294)";
	/* At most CS_IDMAP_KERNEL_MAX extents: 57,630 comparisons at worst. */
	for (size_t i = 0; i < n; i++) {
		if (overlap(m[i].container_id, m[i].size, e->container_id, e->size))
			return "ids inside the namespace in two ranges";
		if (overlap(m[i].host_id, m[i].size, e->host_id, e->size))
			return "ids outside the namespace in two ranges";
	}
	return NULL;
}

/* One line after another into m; *n counts them, also when one is refused. */
static int parse_lines(const char *text, size_t len, struct cs_idmap *m, size_t max, size_t *n,
		       struct cs_diag *d)
{
	size_t at = 0;
	unsigned line = 0, col;
	const char *wrong;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - (text + at)) : len - at;
		struct cs_idmap e;

		line++;
		if (line_extent(text + at, l, &e, &col) < 0)
			return cs_diag_set(d, EINVAL, line, col, NULL,
					   "not a range as the kernel writes one "
					   "(\"%%10u %%10u %%10u\": inside, outside, count)");
		if (!nl)
			return cs_diag_set(d, EINVAL, line, (unsigned)l + 1, NULL,
					   "the last line has no line end");
		if (*n == max || *n == CS_IDMAP_KERNEL_MAX)
			return cs_diag_set(
			    d, E2BIG, line, 1, NULL, "more than %zu ranges, more than %s",
			    max < CS_IDMAP_KERNEL_MAX ? max : (size_t)CS_IDMAP_KERNEL_MAX,
			    max < CS_IDMAP_KERNEL_MAX ? "the model holds" : "the kernel writes");
		m[*n] = e;
		if ((wrong = extent_wrong(m, *n)))
			return cs_diag_set(d, EINVAL, line, 1, NULL, "%s, which the kernel refuses",
					   wrong);
		(*n)++;
		at += l + 1;
	}
	return 0;
}

int cs_idmap_parse(const char *text, size_t len, struct cs_idmap *m, size_t max, size_t *n,
		   struct cs_diag *d)
{
	int rc;

	*n = 0;
	/* Nothing of a map refused is kept: a part of it would mis-map ids. */
	if ((rc = parse_lines(text, len, m, max, n, d)) < 0)
		*n = 0;
	return rc;
}

int cs_idmap_read_self(bool gid, struct cs_idmap *m, size_t max, size_t *n, struct cs_diag *d)
{
	const char *path = gid ? "/proc/self/gid_map" : "/proc/self/uid_map";
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*n = 0;
	/* 340 lines of 33 bytes fit; more is no map of the kernel's. */
	rc = cs_read_file(path, 16384, &buf, &len);
	if (rc == -ENOENT && access("/proc/self/status", F_OK) == 0) {
		/*
		 * /proc is this process's and has no such file: a kernel without
		 * user namespaces, where every id is the initial namespace's.
		 */
		if (max == 0) {
			cs_diag_put_file(d, "%s", path);
			return cs_diag_set(d, E2BIG, 0, 0, NULL, "room for no range");
		}
		m[0] = (struct cs_idmap){0, 0, UINT32_MAX};
		*n = 1;
		return 0;
	}
	if (rc == 0) {
		rc = cs_idmap_parse(buf, len, m, max, n, d);
		free(buf);
	} else {
		cs_diag_set(d, -rc, 0, 0, NULL, "cannot read it: %s",
			    rc == -EFBIG ? "longer than the kernel writes" : strerror(-rc));
	}
	/*
	 * Named on an error only (a caller's later message is not about the
	 * map), replacing a file an earlier read of the caller's left in d
	 * (cs_cred_read_self's status file): this reader is the innermost.
	 */
	if (rc < 0)
		cs_diag_put_file(d, "%s", path);
	return rc;
}

bool cs_idmap_is_initial(const struct cs_idmap *m, size_t n)
{
	return n == 1 && m[0].container_id == 0 && m[0].host_id == 0 && m[0].size == UINT32_MAX;
}
