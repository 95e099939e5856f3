/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the POSIX ACL reader (system.posix_acl_access, lib/acl.c). Property:
 * an accepted value holds every entry as written (encoding it again gives
 * the input) in the kernel's order: one owner, named users, one owning
 * group, named groups, a mask when a named entry is there, one other; and
 * the converse, against a second reading written here as a pattern (the
 * tags as letters matched to o u* g G* m? t): every value that reading
 * takes is accepted, so a value the kernel stores is never refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t order[] = {CS_ACL_USER_OBJ, CS_ACL_USER, CS_ACL_GROUP_OBJ,
				 CS_ACL_GROUP,	  CS_ACL_MASK, CS_ACL_OTHER};

static int rank(uint16_t tag)
{
	for (int i = 0; i < 6; i++)
		if (order[i] == tag)
			return i;
	abort();
}

/* posix_acl_from_xattr and posix_acl_valid, read another way: is the value one the kernel keeps? */
static int kernel_keeps(const uint8_t *v, size_t size)
{
	static const char letters[] = "ougGmt"; /* by rank */
	char seq[8192 + 1];
	size_t n = size >= 4 ? (size - 4) / 8 : 0, k = 0;
	const char *p = seq;
	int named = 0;

	if (size < 4 || (size - 4) % 8 || v[0] != 2 || v[1] || v[2] || v[3] || n > 8192)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = v + 4 + 8 * i;
		unsigned tag = e[0] | e[1] << 8, perm = e[2] | e[3] << 8;
		int r = -1;

		for (int j = 0; j < 6; j++)
			if (tag == order[j])
				r = j;
		if (r < 0 || perm > 7)
			return 0;
		if ((r == 1 || r == 3) && e[4] == 0xff && e[5] == 0xff && e[6] == 0xff &&
		    e[7] == 0xff)
			return 0;
		named |= r == 1 || r == 3;
		seq[k++] = letters[r];
	}
	seq[k] = 0;
	/* o u* g G* m? t, with m required by a named entry */
	if (*p++ != 'o')
		return 0;
	while (*p == 'u')
		p++;
	if (*p++ != 'g')
		return 0;
	while (*p == 'G')
		p++;
	if (*p == 'm')
		p++;
	else if (named)
		return 0;
	return *p == 't' && !p[1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_acl *acl;
	unsigned char *enc;
	int last = -1, named = 0, masks = 0;

	if (cs_acl_parse(data, size, &acl) < 0) {
		if (kernel_keeps(data, size))
			abort(); /* a value the kernel stores, refused */
		return 0;
	}
	if (size > 4 && !kernel_keeps(data, size))
		abort(); /* one it would not have stored, taken */
	if (!acl)
		return size == 4 ? 0 : (abort(), 0);
	if (!(enc = malloc(4 + 8 * acl->n)))
		abort();
	memcpy(enc, data, 4);
	for (size_t i = 0; i < acl->n; i++) {
		const struct cs_acl_entry *e = &acl->e[i];
		int r = rank(e->tag);
		unsigned char *p = enc + 4 + 8 * i;

		if (r < last || (r == last && e->tag != CS_ACL_USER && e->tag != CS_ACL_GROUP) ||
		    e->perm > 7)
			abort();
		last = r;
		named += e->tag == CS_ACL_USER || e->tag == CS_ACL_GROUP;
		masks += e->tag == CS_ACL_MASK;
		p[0] = (unsigned char)e->tag, p[1] = (unsigned char)(e->tag >> 8);
		p[2] = (unsigned char)e->perm, p[3] = (unsigned char)(e->perm >> 8);
		memcpy(p + 4, &e->id, 4); /* little-endian, as the machines this runs on */
	}
	if ((named && !masks) || acl->e[acl->n - 1].tag != CS_ACL_OTHER ||
	    acl->e[0].tag != CS_ACL_USER_OBJ || 4 + 8 * acl->n != size || memcmp(enc, data, size))
		abort();
	free(enc);
	free(acl);
	return 0;
}
