/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the POSIX ACL reader (system.posix_acl_access, lib/acl.c). Property:
 * an accepted value holds every entry as written (encoding it again gives
 * the input) in the kernel's order: one owner, named users, one owning
 * group, named groups, a mask when a named entry is there, one other.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_acl *acl;
	unsigned char *enc;
	int last = -1, named = 0, masks = 0;

	if (cs_acl_parse(data, size, &acl) < 0)
		return 0;
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
