/* SPDX-License-Identifier: MIT */
/* Decoding the records bpf/capscope.bpf.c writes, with their sizes checked. */
#include <errno.h>
#include <string.h>

#include "capscope-trace.h"
#include "capscope/trace.h"

_Static_assert(sizeof(struct cs_trace_key) == 56, "cs_trace_key layout");
_Static_assert(sizeof(struct cs_trace_val) == 16, "cs_trace_val layout");
_Static_assert(sizeof(struct cs_trace_event) == 64, "cs_trace_event layout");

/*
 * The kernel's comm is NUL-padded but need not be NUL-terminated. Its bytes
 * are kept as they are: every output escapes them with its own rule (the
 * one escaping rule in text, U+FFFD and \u escapes in JSON, entities in
 * HTML). Replacing each byte outside ASCII by '?' here showed "caf??" for
 * "café" and could not be told from a real '?'.
 */
static void copy_comm(char out[17], const char in[CS_TRACE_COMM_LEN])
{
	size_t i;

	for (i = 0; i < CS_TRACE_COMM_LEN && in[i]; i++)
		out[i] = in[i];
	out[i] = '\0';
}

static int check(const struct cs_trace_rec *r)
{
	if (r->cap < 0 || r->cap >= CS_CAP_BITS)
		return -ERANGE;
	if (r->ret > 0)
		return -EPROTO; /* cap_capable returns 0 or -errno */
	return 0;
}

int cs_trace_decode_count(const void *key, size_t klen, const void *val, size_t vlen,
			  struct cs_trace_rec *r)
{
	struct cs_trace_key k;
	struct cs_trace_val v;

	memset(r, 0, sizeof(*r));
	if (!key || !val || klen != sizeof(k) || vlen != sizeof(v))
		return -EPROTO;
	memcpy(&k, key, sizeof(k));
	memcpy(&v, val, sizeof(v));
	r->count = v.count;
	r->tgid = k.tgid;
	r->pid = k.tgid;
	r->cap = k.cap;
	r->ret = k.ret;
	r->stackid = k.stackid;
	r->syscall = k.syscall;
	r->opts = k.opts;
	r->target_ns = k.target_ns;
	r->own_ns = k.own_ns;
	r->cgroup = k.cgroup;
	copy_comm(r->comm, k.comm);
	return check(r);
}

int cs_trace_decode_event(const void *data, size_t len, struct cs_trace_rec *r)
{
	struct cs_trace_event e;

	memset(r, 0, sizeof(*r));
	if (!data || len < sizeof(e))
		return -EPROTO;
	memcpy(&e, data, sizeof(e));
	r->count = 1;
	r->ts_ns = e.ts_ns;
	r->pid = e.pid;
	r->tgid = e.tgid;
	r->uid = e.uid;
	r->cap = e.cap;
	r->ret = e.ret;
	r->stackid = e.stackid;
	r->syscall = e.syscall;
	r->opts = e.opts;
	r->target_ns = e.target_ns;
	r->own_ns = e.own_ns;
	copy_comm(r->comm, e.comm);
	return check(r);
}

/*
 * include/linux/proc_ns.h PROC_USER_INIT_INO: the initial user namespace's
 * inode number is fixed (0xEFFFFFFD since Linux 3.8), so a check against it
 * is recognised without asking the kernel for a pointer.
 */
#define INIT_USER_NS_INUM 0xEFFFFFFDu

enum cs_userns_kind cs_trace_userns(uint32_t target_ns, uint32_t own_ns)
{
	if (!target_ns)
		return CS_USERNS_UNKNOWN;
	if (target_ns == INIT_USER_NS_INUM)
		return CS_USERNS_INITIAL;
	if (target_ns == own_ns)
		return CS_USERNS_OWN;
	return CS_USERNS_OTHER;
}

const char *cs_userns_kind_name(enum cs_userns_kind k)
{
	static const char *const names[] = {
	    [CS_USERNS_INITIAL] = "initial",
	    [CS_USERNS_OWN] = "own",
	    [CS_USERNS_OTHER] = "other",
	    [CS_USERNS_UNKNOWN] = "unknown",
	};

	return (unsigned)k < CS_USERNS_KINDS ? names[k] : "?";
}
