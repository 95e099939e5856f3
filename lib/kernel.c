/* SPDX-License-Identifier: MIT */
/*
 * The kernel's credential rules as pure functions over struct cs_cred.
 * Each function mirrors one kernel path; the comment above it names the
 * kernel function it follows (docs/kernel-model.md has the full list).
 */
#include "capscope/kernel.h"
#include "internal/kernel-open.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/text.h"
#include "internal/cleanup.h"
#include "internal/util.h"

#define L "kernel"

/*
 * include/linux/capability.h CAP_FS_SET (CAP_FS_MASK | CAP_LINUX_IMMUTABLE):
 * what fsuid 0 → non-0 drops from pE.
 */
#define CS_CAP_FS_SET                                                                              \
	(CS_BIT(0) /* CHOWN */ | CS_BIT(27) /* MKNOD */ | CS_BIT(1) /* DAC_OVERRIDE */ |           \
	 CS_BIT(2) /* DAC_READ_SEARCH */ | CS_BIT(3) /* FOWNER */ | CS_BIT(4) /* FSETID */ |       \
	 CS_BIT(32) /* MAC_OVERRIDE */ | CS_BIT(9) /* LINUX_IMMUTABLE */)

enum {
	CAP_DAC_OVERRIDE = 1,
	CAP_DAC_READ_SEARCH = 2,
	CAP_SETGID = 6,
	CAP_SETUID = 7,
	CAP_SETPCAP = 8
};

static const char *names(cs_mask_t m, char *buf, size_t len)
{
	if (!m)
		snprintf(buf, len, "nothing");
	else if (m == cs_mask_all())
		snprintf(buf, len, "all %d capabilities", cs_mask_count(m));
	else if (cs_mask_count(m) > 6)
		snprintf(buf, len, "%d capabilities", cs_mask_count(m));
	else
		cs_mask_format_names(m, CS_NAMES_OCI, buf, len);
	return buf;
}

static void set_step(struct cs_steps *st, const char *rule, enum cs_set set, cs_mask_t before,
		     cs_mask_t after, const char *why)
{
	char a[256], r[256];

	if (!st)
		return;
	if (before == after) {
		cs_steps_add_set(st, L, rule, set, before, after, "%s: %s unchanged (%s)", why,
				 cs_set_name(set), names(after, a, sizeof(a)));
		return;
	}
	names(after & ~before, a, sizeof(a));
	names(before & ~after, r, sizeof(r));
	cs_steps_add_set(st, L, rule, set, before, after, "%s: %s %s%s%s%s", why, cs_set_name(set),
			 (after & ~before) ? "gains " : "", (after & ~before) ? a : "",
			 ((after & ~before) && (before & ~after)) ? ", loses "
			 : (before & ~after)			  ? "loses "
								  : "",
			 (before & ~after) ? r : "");
}

#define STEP(st, ...)                                                                              \
	do {                                                                                       \
		if (st)                                                                            \
			cs_steps_add(st, L, __VA_ARGS__);                                          \
	} while (0)

/*
 * glibc's name of every errno: a table of the few the model gives said
 * "E11" of EAGAIN (execve after a user change over RLIMIT_NPROC), "E7" of
 * E2BIG, "E24" of EMFILE, in the run's one-line errors.
 */
const char *cs_errno_name(int err)
{
	static __thread char buf[16];
	/* Wider than int: -INT_MIN does not fit one (undefined behaviour). */
	long long e = err < 0 ? -(long long)err : err;
	const char *name = e <= INT_MAX ? strerrorname_np((int)e) : NULL;

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%lld", e);
	return buf;
}

void cs_cred_init_root(struct cs_cred *c)
{
	memset(c, 0, sizeof(*c));
	c->caps.set[CS_PRM] = c->caps.set[CS_EFF] = c->caps.set[CS_BND] = cs_mask_all();
	c->caps.present = (1u << CS_NSETS) - 1;
}

bool cs_idmap_lookup(const struct cs_idmap *m, size_t n, uint32_t from, bool to_host, uint32_t *out)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t base = to_host ? m[i].container_id : m[i].host_id;
		uint32_t other = to_host ? m[i].host_id : m[i].container_id;

		if (from >= base && (uint64_t)from - base < m[i].size) {
			*out = other + (from - base);
			return true;
		}
	}
	return false;
}

bool cs_cred_uid_to_host(const struct cs_cred *c, uid_t ns_id, uid_t *host)
{
	if (!c->user_namespace) {
		*host = ns_id;
		return true;
	}
	return cs_idmap_lookup(c->uid_map, c->n_uid_map, ns_id, true, host);
}

bool cs_cred_uid_from_host(const struct cs_cred *c, uid_t host, uid_t *ns_id)
{
	if (!c->user_namespace) {
		*ns_id = host;
		return true;
	}
	return cs_idmap_lookup(c->uid_map, c->n_uid_map, host, false, ns_id);
}

bool cs_cred_gid_from_host(const struct cs_cred *c, gid_t host, gid_t *ns_id)
{
	if (!c->user_namespace) {
		*ns_id = host;
		return true;
	}
	return cs_idmap_lookup(c->gid_map, c->n_gid_map, host, false, ns_id);
}

static bool gid_to_host(const struct cs_cred *c, gid_t ns_id, gid_t *host)
{
	if (!c->user_namespace) {
		*host = ns_id;
		return true;
	}
	return cs_idmap_lookup(c->gid_map, c->n_gid_map, ns_id, true, host);
}

bool cs_cred_capable(const struct cs_cred *c, int cap)
{
	return cap >= 0 && cap < 64 && (c->caps.set[CS_EFF] & CS_BIT(cap));
}

static bool cap_valid(int cap)
{
	return cap >= 0 && cap <= cs_cap_last();
}

static bool in_group(const struct cs_cred *c, gid_t g)
{
	if (c->gid[3] == g)
		return true;
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == g)
			return true;
	return false;
}

/*
 * fs/posix_acl.c posix_acl_permission for the x bit (the owner's entry is
 * never reached: acl_permission_check answers the owner first). The first
 * named user that is the fsuid decides, through the mask; the owning group
 * and named groups the process is in decide when one of them grants x,
 * through the mask; in one of them without x, no; else the other entry.
 */
static bool acl_allows_x(const struct cs_cred *c, const struct cs_acl *acl, bool gid_mapped,
			 gid_t ogid)
{
	const struct cs_acl_entry *hit = NULL;
	bool found = false;
	uid_t u;
	gid_t g;

	for (size_t i = 0; i < acl->n && !hit; i++) {
		const struct cs_acl_entry *e = &acl->e[i];

		switch (e->tag) {
		case CS_ACL_USER:
			if (cs_cred_uid_from_host(c, e->id, &u) && u == c->uid[3])
				hit = e;
			break;
		case CS_ACL_GROUP_OBJ:
		case CS_ACL_GROUP:
			if (e->tag == CS_ACL_GROUP_OBJ
				? gid_mapped && in_group(c, ogid)
				: cs_cred_gid_from_host(c, e->id, &g) && in_group(c, g)) {
				found = true;
				if (e->perm & 1)
					hit = e;
			}
			break;
		case CS_ACL_OTHER:
			return !found && (e->perm & 1);
		}
	}
	if (!hit)
		return false;
	for (size_t i = 0; i < acl->n; i++)
		if (acl->e[i].tag == CS_ACL_MASK)
			return hit->perm & acl->e[i].perm & 1;
	return hit->perm & 1;
}

/*
 * fs/namei.c acl_permission_check for the x bit: the owner's bits; else an
 * access ACL decides when the mode has group bits (its mask); else the
 * group's or the others' bits.
 */
static bool x_allowed(const struct cs_cred *c, mode_t mode, const struct cs_acl *acl,
		      bool uid_mapped, uid_t ouid, bool gid_mapped, gid_t ogid)
{
	if (uid_mapped && c->uid[3] == ouid)
		return (mode >> 6) & 1;
	if (acl && (mode & 070))
		return acl_allows_x(c, acl, gid_mapped, ogid);
	if (gid_mapped && in_group(c, ogid))
		return (mode >> 3) & 1;
	return mode & 1;
}

/*
 * fs/namei.c generic_permission for MAY_EXEC, with capable_wrt_inode_uidgid:
 * CAP_DAC_OVERRIDE allows exec when any x bit is set and the owner is mapped.
 */
static int may_exec(const struct cs_cred *c, const struct cs_exec_file *f, bool uid_mapped,
		    uid_t ouid, bool gid_mapped, gid_t ogid, struct cs_steps *st)
{
	mode_t m = f->mode;
	const char *acl = f->acl && (m & 070) ? " and its ACL" : "";

	if (!S_ISREG(m)) {
		STEP(st, "execve.not-regular", "%s is not a regular file: EACCES", f->path);
		return -EACCES;
	}
	/* Asked of the kernel by a process holding c (run): ACLs, noexec. */
	if (f->exec_access > 0)
		return 0;
	if (f->exec_access < 0) {
		STEP(st, "execve.access",
		     "the kernel does not let these credentials execute %s (faccessat: its "
		     "mode, ACL or a noexec mount): EACCES",
		     f->path);
		return -EACCES;
	}
	if (!(m & 0111)) {
		STEP(st, "execve.no-x-bit", "%s has no execute bit at all: EACCES, even for root",
		     f->path);
		return -EACCES;
	}
	if (x_allowed(c, m, f->acl, uid_mapped, ouid, gid_mapped, ogid))
		return 0;
	if (cs_cred_capable(c, CAP_DAC_OVERRIDE) && uid_mapped && gid_mapped) {
		STEP(st, "execve.dac-override",
		     "mode %04o%s do%s not let fsuid %u execute %s, CAP_DAC_OVERRIDE does",
		     (unsigned)(m & 07777), acl, *acl ? "" : "es", (unsigned)c->uid[3], f->path);
		return 0;
	}
	STEP(st, "execve.no-permission", "mode %04o%s do%s not let fsuid %u execute %s: EACCES",
	     (unsigned)(m & 07777), acl, *acl ? "" : "es", (unsigned)c->uid[3], f->path);
	return -EACCES;
}

/*
 * fs/namei.c may_lookup → generic_permission(MAY_EXEC) on each directory the
 * lookup of f searched (runc's stat of the path and execve's own lookup ask
 * the same): the owner's, group's or others' x bit by fsuid, fsgid and
 * groups; for a directory CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE allows
 * the search whatever the bits, when the owner and group are mapped.
 */
/* 0 when c may search dir by its bits, 1 only through a capability, -EACCES not at all. */
static int dir_search(const struct cs_cred *c, const struct cs_exec_dir *dir)
{
	uid_t ouid;
	gid_t ogid;
	bool um = cs_cred_uid_from_host(c, dir->owner_uid, &ouid);
	bool gm = cs_cred_gid_from_host(c, dir->owner_gid, &ogid);

	if (x_allowed(c, dir->mode, dir->acl, um, ouid, gm, ogid))
		return 0;
	if (um && gm &&
	    (cs_cred_capable(c, CAP_DAC_READ_SEARCH) || cs_cred_capable(c, CAP_DAC_OVERRIDE)))
		return 1;
	return -EACCES;
}

int cs_exec_file_unreachable(const struct cs_cred *c, const struct cs_exec_file *f)
{
	for (size_t i = 0; i < f->ndirs; i++)
		if (dir_search(c, &f->dirs[i]) < 0)
			return (int)i;
	return -1;
}

/*
 * A step naming one directory. A hostile tree can put tens of thousands of
 * them on the way (symlinks leading through chains of 0700 directories):
 * the steps that only say a capability stands in name the first few and
 * count the rest.
 */
#define SEARCH_DAC_NAMED 8

/* rc: dir_search's answer for f->dirs[i] (1: a capability lets it, < 0: nothing does). */
static void search_step(const struct cs_cred *c, const struct cs_exec_file *f, size_t i, int rc,
			struct cs_steps *st)
{
	const struct cs_exec_dir *dir = &f->dirs[i];
	char *path = cs_exec_dir_path(f, i);
	const char *shown = path ? path : "(out of memory)";
	const char *acl = dir->acl && (dir->mode & 070) ? ", an ACL" : "";

	if (rc > 0)
		STEP(st, "execve.search-dac",
		     "directory %s (mode %04o%s, owner %u:%u) does not let fsuid %u search it, %s "
		     "does",
		     shown, (unsigned)(dir->mode & 07777), acl, (unsigned)dir->owner_uid,
		     (unsigned)dir->owner_gid, (unsigned)c->uid[3],
		     cs_cred_capable(c, CAP_DAC_READ_SEARCH) ? "CAP_DAC_READ_SEARCH"
							     : "CAP_DAC_OVERRIDE");
	else
		STEP(st, "execve.search",
		     "directory %s (mode %04o%s, owner %u:%u) does not let fsuid %u search it: "
		     "%s cannot be reached (EACCES)",
		     shown, (unsigned)(dir->mode & 07777), acl, (unsigned)dir->owner_uid,
		     (unsigned)dir->owner_gid, (unsigned)c->uid[3], f->path);
	free(path);
}

static void search_dac_rest(const struct cs_cred *c, size_t n, struct cs_steps *st)
{
	if (n > SEARCH_DAC_NAMED)
		STEP(st, "execve.search-dac",
		     "%zu more directories on the way do not let fsuid %u search them, %s does",
		     n - SEARCH_DAC_NAMED, (unsigned)c->uid[3],
		     cs_cred_capable(c, CAP_DAC_READ_SEARCH) ? "CAP_DAC_READ_SEARCH"
							     : "CAP_DAC_OVERRIDE");
}

static int may_search(const struct cs_cred *c, const struct cs_exec_file *f, struct cs_steps *st)
{
	size_t dac = 0;

	for (size_t i = 0; i < f->ndirs; i++) {
		int rc = dir_search(c, &f->dirs[i]);

		if (rc > 0 && ++dac <= SEARCH_DAC_NAMED)
			search_step(c, f, i, rc, st);
		if (rc >= 0)
			continue;
		search_dac_rest(c, dac, st);
		search_step(c, f, i, rc, st);
		return -EACCES;
	}
	search_dac_rest(c, dac, st);
	return 0;
}

/*
 * Whether a file-caps rootid (host uid) counts: security/commoncap.c
 * rootid_owns_currentns — it must be uid 0 in the thread's namespace or in
 * an ancestor (the initial namespace, where only host 0 is root). v1/v2
 * values belong to the filesystem's root, host 0 for a rootfs on the host.
 */
static bool rootid_owns(const struct cs_cred *c, uint32_t rootid)
{
	uid_t ns;

	if (rootid == 0)
		return true;
	return c->user_namespace && cs_cred_uid_from_host(c, rootid, &ns) && ns == 0;
}

/* What one execve has learnt so far, passed between its stages. */
struct exec_state {
	const struct cs_cred *old; /* the credentials before execve */
	struct cs_cred n;	   /* the credentials being built */
	const struct cs_exec_file *f;
	uid_t ouid; /* the file's owner, seen from the caller's user namespace */
	gid_t ogid;
	bool uid_mapped, gid_mapped;
	bool effective; /* fE set, or euid 0 */
	bool has_fcap;	/* file capabilities were applied */
};

/* fs/exec.c bprm_fill_uid: the set-uid and set-gid bits. */
static void exec_setid_bits(struct exec_state *x, struct cs_steps *st)
{
	const struct cs_exec_file *f = x->f;
	bool sgid = (f->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP);

	if (!(f->mode & (S_ISUID | S_ISGID)))
		return;
	if (f->nosuid) {
		STEP(st, "execve.setid-nosuid",
		     "%s is set-uid/set-gid but its mount is nosuid: ids unchanged", f->path);
	} else if (x->old->no_new_privs) {
		STEP(st, "execve.setid-nnp",
		     "%s is set-uid/set-gid but no_new_privs is set: ids unchanged", f->path);
	} else if (!x->uid_mapped || !x->gid_mapped) {
		STEP(st, "execve.setid-unmapped",
		     "%s is owned by host %u:%u, which has no mapping in the user "
		     "namespace: set-uid/set-gid ignored",
		     f->path, (unsigned)f->owner_uid, (unsigned)f->owner_gid);
	} else {
		if (f->mode & S_ISUID) {
			x->n.uid[1] = x->ouid;
			STEP(st, "execve.setuid", "%s is set-uid: euid becomes %u", f->path,
			     (unsigned)x->ouid);
		}
		if (sgid) {
			x->n.gid[1] = x->ogid;
			STEP(st, "execve.setgid", "%s is set-gid: egid becomes %u", f->path,
			     (unsigned)x->ogid);
		}
	}
}

/* security/commoncap.c get_file_caps + bprm_caps_from_vfs_caps. */
static int exec_file_caps(struct exec_state *x, struct cs_steps *st)
{
	const struct cs_exec_file *f = x->f;
	const struct cs_cred *old = x->old;
	const struct cs_fcaps *fc = &f->fcaps;
	uint32_t rootid = fc->version == 3 ? fc->rootid : 0;
	cs_mask_t fp, fi, *prm = &x->n.caps.set[CS_PRM];
	char a[256], b[256], e[256];

	*prm = 0;
	if (f->fcaps_state < 0) {
		if (f->nosuid)
			return 0;
		STEP(st, "execve.fcaps-invalid",
		     "%s has an invalid security.capability value: EINVAL", f->path);
		return -EINVAL;
	}
	if (f->fcaps_state == 0)
		return 0;
	if (f->nosuid) {
		STEP(st, "execve.fcaps-nosuid",
		     "%s has file capabilities but its mount is nosuid: ignored", f->path);
		return 0;
	}
	if (!rootid_owns(old, rootid)) {
		STEP(st, "execve.fcaps-rootid",
		     "%s has v3 file capabilities for rootid %u, which is not root of this "
		     "user namespace: ignored (as if the file had none)",
		     f->path, (unsigned)rootid);
		return 0;
	}
	fp = fc->permitted & cs_mask_all();
	fi = fc->inheritable & cs_mask_all();
	x->has_fcap = true;
	x->effective = fc->effective;
	*prm = (old->caps.set[CS_BND] & fp) | (old->caps.set[CS_INH] & fi);
	STEP(st, "execve.fcaps",
	     "%s has file capabilities (v%d) fP=%s fI=%s fE=%d: P' = (B & fP) | "
	     "(I & fI) = %s",
	     f->path, fc->version, names(fp, a, sizeof(a)), names(fi, b, sizeof(b)), x->effective,
	     names(*prm, e, sizeof(e)));
	if (x->effective && (fp & ~*prm)) {
		STEP(st, "execve.fcaps-eperm",
		     "capability-dumb binary: fE is set but %s of fP cannot be "
		     "granted (not in the bounding set, nor in I & fI): EPERM",
		     names(fp & ~*prm, a, sizeof(a)));
		return -EPERM;
	}
	return 0;
}

/* security/commoncap.c handle_privileged_root. */
static void exec_root_rule(struct exec_state *x, struct cs_steps *st)
{
	struct cs_cred *n = &x->n;
	const struct cs_cred *old = x->old;
	cs_mask_t before = n->caps.set[CS_PRM];

	if (n->uid[1] != 0 && n->uid[0] != 0)
		return;
	if (old->securebits & CS_SECBIT_NOROOT) {
		STEP(st, "execve.root-noroot",
		     "uid 0 but SECBIT_NOROOT is set: root gets no capabilities from exec");
		return;
	}
	if (x->has_fcap && n->uid[0] != 0 && n->uid[1] == 0) {
		STEP(st, "execve.root-fcaps-win",
		     "set-uid root file with file capabilities run by a non-root user: "
		     "the file capabilities decide, not the root rule");
		return;
	}
	n->caps.set[CS_PRM] = old->caps.set[CS_BND] | old->caps.set[CS_INH];
	set_step(st, "execve.root", CS_PRM, before, n->caps.set[CS_PRM],
		 n->uid[1] == 0 ? "euid 0: P' = B | I" : "ruid 0: P' = B | I");
	if (n->uid[1] == 0) {
		x->effective = true;
		STEP(st, "execve.root-effective", "euid 0: the file is treated as having fE set");
	}
}

/*
 * security/commoncap.c cap_bprm_creds_from_file, after the file and root
 * rules: the no_new_privs downgrade, the saved ids, the ambient set and the
 * new effective set.
 */
static void exec_finish(struct exec_state *x, struct cs_steps *st)
{
	struct cs_cred *n = &x->n;
	const struct cs_cred *old = x->old;
	bool is_setid = n->uid[1] != old->uid[0] || n->gid[1] != old->gid[0];
	bool gained = (n->caps.set[CS_PRM] & ~old->caps.set[CS_PRM]) != 0;
	cs_mask_t before;

	if ((is_setid || gained) && old->no_new_privs) {
		before = n->caps.set[CS_PRM];
		n->uid[1] = n->uid[0];
		n->gid[1] = n->gid[0];
		n->caps.set[CS_PRM] &= old->caps.set[CS_PRM];
		set_step(st, "execve.nnp", CS_PRM, before, n->caps.set[CS_PRM],
			 "no_new_privs: euid/egid fall back to the real ids and P' is limited to "
			 "the P held before execve");
	}

	n->uid[2] = n->uid[3] = n->uid[1];
	n->gid[2] = n->gid[3] = n->gid[1];

	if (x->has_fcap || is_setid) {
		if (old->caps.set[CS_AMB])
			set_step(st, "execve.ambient-cleared", CS_AMB, old->caps.set[CS_AMB], 0,
				 x->has_fcap
				     ? "file capabilities clear the ambient set"
				     : "a set-id exec (euid != ruid or egid != rgid) clears "
				       "the ambient set");
		n->caps.set[CS_AMB] = 0;
	}
	if (n->caps.set[CS_AMB]) {
		before = n->caps.set[CS_PRM];
		n->caps.set[CS_PRM] |= n->caps.set[CS_AMB];
		set_step(st, "execve.ambient", CS_PRM, before, n->caps.set[CS_PRM],
			 "P' |= A (ambient capabilities survive the exec)");
	}
	n->caps.set[CS_EFF] = x->effective ? n->caps.set[CS_PRM] : n->caps.set[CS_AMB];
	set_step(st, "execve.effective", CS_EFF, old->caps.set[CS_EFF], n->caps.set[CS_EFF],
		 x->effective ? "fE, or the root rule for euid 0: E' = P'"
			      /* not "euid != 0": SECBIT_NOROOT, or a set-uid root file
				 with file capabilities, leaves euid 0 without it */
			      : "no fE, and no root rule that sets it: E' = A' (only ambient "
				"capabilities become effective)");
	if (old->caps.set[CS_PRM] != n->caps.set[CS_PRM])
		set_step(st, "execve.permitted", CS_PRM, old->caps.set[CS_PRM], n->caps.set[CS_PRM],
			 "after execve");
	if (n->securebits & CS_SECBIT_KEEP_CAPS) {
		n->securebits &= ~CS_SECBIT_KEEP_CAPS;
		STEP(st, "execve.keepcaps-cleared", "execve clears SECBIT_KEEP_CAPS");
	}
}

/*
 * The file as the steps name it: its path as a word of the sentence
 * (word.c). The path is the image's or config.json's entrypoint, free
 * text: "/bin/x cannot be executed: ENOENT; /bin/sh" imitated the words
 * after it (eighteenth pass). *word holds the quoted path (the caller
 * frees it); f itself when its path is plain (every ordinary path).
 */
static const char unnamed[] = "(unnamed)"; /* a file no caller named: not a word */

static const struct cs_exec_file *as_word(const struct cs_exec_file *f, struct cs_exec_file *copy,
					  char **word, struct cs_steps *st)
{
	if (!st || !f->path || f->path == unnamed || f->unnamed || cs_word_is_plain(f->path))
		return f; /* without steps the name is never written */
	if (!(*word = cs_word_dup(f->path, '"'))) {
		/* Out of memory: the steps' own error, which every caller
		 * reads as the model's failure. Returning -ENOMEM would read
		 * as execve's predicted ENOMEM; naming the file unquoted gave
		 * a whole answer with a raw name (twenty-third pass). */
		st->error = -ENOMEM;
		return f;
	}
	*copy = *f;
	copy->path = *word;
	return copy;
}

/*
 * One "#!" file of a chain (fs/binfmt_script.c): it must be executable
 * itself; execve then runs what its first line names, and nothing of the
 * script's own mode or capabilities reaches the credentials.
 */
static int exec_script(const struct cs_cred *c, const struct cs_exec_file *file, int nth,
		       struct cs_steps *st)
{
	struct cs_exec_file fw, nw;
	cs_cleanup_free char *fword = NULL, *nword = NULL;
	const struct cs_exec_file *f = as_word(file, &fw, &fword, st);
	const struct cs_exec_file *next = as_word(file->interp, &nw, &nword, st);
	uid_t ouid;
	gid_t ogid;
	bool um = cs_cred_uid_from_host(c, f->owner_uid, &ouid);
	bool gm = cs_cred_gid_from_host(c, f->owner_gid, &ogid);
	int rc = may_search(c, f, st);

	if (rc || (rc = may_exec(c, f, um, ouid, gm, ogid, st)))
		return rc;
	if (next->error == ENOEXEC) {
		STEP(st, "execve.script-invalid",
		     "%s starts with \"#!\" but names no interpreter execve can use (none, or "
		     "cut off by the 256 bytes the kernel reads): ENOEXEC",
		     f->path);
		return -ENOEXEC;
	}
	if (next->error == ELOOP && nth > 5) {
		STEP(st, "execve.script-loop",
		     "%s is the sixth \"#!\" script in a chain: execve gives up (ELOOP)", f->path);
		return -ELOOP;
	}
	STEP(st, "execve.script",
	     "%s is a \"#!\" script: execve runs %s, and the credentials come from that file; "
	     "the script's own set-uid bit and file capabilities are ignored",
	     f->path, next->path);
	return 0;
}

int cs_kernel_execve_open(const struct cs_cred *c, const struct cs_exec_file *file,
			  struct cs_steps *st)
{
	struct cs_exec_file fw;
	cs_cleanup_free char *word = NULL;
	const struct cs_exec_file *f = as_word(file, &fw, &word, st);
	uid_t ouid;
	gid_t ogid;
	bool um, gm;
	int rc;

	if (f->error) {
		STEP(st, "execve.resolve", "%s cannot be executed: %s (%s)",
		     f->path ? f->path : "(unnamed)", cs_errno_name(f->error), strerror(f->error));
		return -f->error;
	}
	if (!f->known) /* nothing known: assumed a plain 0755 file, as cs_kernel_execve does */
		return 0;
	um = cs_cred_uid_from_host(c, f->owner_uid, &ouid);
	gm = cs_cred_gid_from_host(c, f->owner_gid, &ogid);
	rc = may_search(c, f, st);
	return rc ? rc : may_exec(c, f, um, ouid, gm, ogid, st);
}

int cs_kernel_execve(struct cs_cred *c, const struct cs_exec_file *f, struct cs_steps *st)
{
	struct exec_state x = {.old = c, .n = *c};
	struct cs_exec_file assumed, named, worded;
	cs_cleanup_free char *word = NULL;
	int rc;

	if (!f->path) { /* a caller that never named the file: every step still reads */
		named = *f;
		named.path = (char *)unnamed;
		f = &named;
	}
	for (int nth = 1; f->interp && f->known && !f->error; f = f->interp, nth++)
		if ((rc = exec_script(c, f, nth, st)) != 0)
			return rc;
	x.f = f = as_word(f, &worded, &word, st);
	if (f->error) {
		STEP(st, "execve.resolve", "%s cannot be executed: %s (%s)", f->path,
		     cs_errno_name(f->error), strerror(f->error));
		return -f->error;
	}
	if (!f->known) {
		assumed = *f;
		assumed.mode = S_IFREG | 0755;
		assumed.owner_uid = assumed.owner_gid = 0;
		assumed.fcaps_state = 0;
		assumed.nosuid = false;
		x.f = f = &assumed;
		STEP(st, "execve.file-assumed",
		     "nothing is known about %s: assumed a plain 0755 file, no set-uid bit, no "
		     "file capabilities",
		     f->path);
	}
	x.uid_mapped = cs_cred_uid_from_host(c, f->owner_uid, &x.ouid);
	x.gid_mapped = cs_cred_gid_from_host(c, f->owner_gid, &x.ogid);
	rc = may_search(c, f, st);
	if (rc || (rc = may_exec(c, f, x.uid_mapped, x.ouid, x.gid_mapped, x.ogid, st)))
		return rc;
	if (f->unknown_format) {
		/* search_binary_handler: no binfmt recognises it. */
		STEP(st, "execve.format",
		     "%s is neither an ELF binary nor a \"#!\" script (a script without its "
		     "first line, an empty file): ENOEXEC, exec format error, unless a "
		     "binfmt_misc handler of the node claims it",
		     f->path);
		return -ENOEXEC;
	}
	exec_setid_bits(&x, st);
	rc = exec_file_caps(&x, st);
	if (rc)
		return rc;
	exec_root_rule(&x, st);
	exec_finish(&x, st);
	*c = x.n;
	return 0;
}

/* security/commoncap.c cap_emulate_setxuid, for LSM_SETID_RE/ID/RES. */
static void emulate_setxuid(struct cs_cred *n, const struct cs_cred *old, struct cs_steps *st)
{
	if (old->securebits & CS_SECBIT_NO_SETUID_FIXUP) {
		if (old->uid[0] != n->uid[0] || old->uid[1] != n->uid[1] ||
		    old->uid[2] != n->uid[2])
			STEP(st, "setuid.no-fixup",
			     "SECBIT_NO_SETUID_FIXUP: the uid change leaves the sets alone");
		return;
	}
	if ((old->uid[0] == 0 || old->uid[1] == 0 || old->uid[2] == 0) && n->uid[0] != 0 &&
	    n->uid[1] != 0 && n->uid[2] != 0) {
		if (!(old->securebits & CS_SECBIT_KEEP_CAPS)) {
			set_step(st, "setuid.drop-permitted", CS_PRM, n->caps.set[CS_PRM], 0,
				 "no uid is 0 any more and KEEP_CAPS is not set");
			n->caps.set[CS_PRM] = 0;
			n->caps.set[CS_EFF] = 0;
		} else {
			STEP(st, "setuid.keepcaps",
			     "no uid is 0 any more, but KEEP_CAPS keeps the permitted set");
		}
		if (n->caps.set[CS_AMB])
			set_step(st, "setuid.drop-ambient", CS_AMB, n->caps.set[CS_AMB], 0,
				 "no uid is 0 any more: the ambient set is cleared");
		n->caps.set[CS_AMB] = 0;
	}
	if (old->uid[1] == 0 && n->uid[1] != 0) {
		if (n->caps.set[CS_EFF])
			set_step(st, "setuid.drop-effective", CS_EFF, n->caps.set[CS_EFF], 0,
				 "euid 0 → non-0");
		n->caps.set[CS_EFF] = 0;
	}
	if (old->uid[1] != 0 && n->uid[1] == 0) {
		set_step(st, "setuid.raise-effective", CS_EFF, n->caps.set[CS_EFF],
			 n->caps.set[CS_PRM], "euid non-0 → 0: E = P");
		n->caps.set[CS_EFF] = n->caps.set[CS_PRM];
	}
}

static bool uid_known(const struct cs_cred *c, uid_t u)
{
	uid_t h;

	return cs_cred_uid_to_host(c, u, &h);
}

static bool gid_known(const struct cs_cred *c, gid_t g)
{
	gid_t h;

	return gid_to_host(c, g, &h);
}

/* kernel/sys.c __sys_setresuid */
int cs_kernel_setresuid(struct cs_cred *c, uid_t r, uid_t e, uid_t s, struct cs_steps *st)
{
	const uid_t none = (uid_t)-1;
	uid_t want[3] = {r, e, s};
	struct cs_cred n = *c;
	bool need = false;

	for (int i = 0; i < 3; i++) {
		if (want[i] == none)
			continue;
		if (!uid_known(c, want[i])) {
			STEP(st, "setresuid.unmapped", "uid %u has no mapping: EINVAL",
			     (unsigned)want[i]);
			return -EINVAL;
		}
		if (want[i] != c->uid[0] && want[i] != c->uid[1] && want[i] != c->uid[2])
			need = true;
	}
	if (need && !cs_cred_capable(c, CAP_SETUID)) {
		STEP(st, "setresuid.eperm", "changing to a new uid needs CAP_SETUID: EPERM");
		return -EPERM;
	}
	for (int i = 0; i < 3; i++)
		if (want[i] != none)
			n.uid[i] = want[i];
	n.uid[3] = n.uid[1];
	STEP(st, "setresuid", "uids become %u/%u/%u/%u (real/effective/saved/fs)",
	     (unsigned)n.uid[0], (unsigned)n.uid[1], (unsigned)n.uid[2], (unsigned)n.uid[3]);
	emulate_setxuid(&n, c, st);
	*c = n;
	return 0;
}

/* kernel/sys.c __sys_setuid */
int cs_kernel_setuid(struct cs_cred *c, uid_t uid, struct cs_steps *st)
{
	struct cs_cred n = *c;

	if (!uid_known(c, uid)) {
		STEP(st, "setuid.unmapped", "uid %u has no mapping: EINVAL", (unsigned)uid);
		return -EINVAL;
	}
	if (cs_cred_capable(c, CAP_SETUID)) {
		n.uid[0] = n.uid[2] = uid;
	} else if (uid != c->uid[0] && uid != c->uid[2]) {
		STEP(st, "setuid.eperm", "setuid(%u) needs CAP_SETUID: EPERM", (unsigned)uid);
		return -EPERM;
	}
	n.uid[1] = n.uid[3] = uid;
	STEP(st, "setuid", "uids become %u/%u/%u/%u (real/effective/saved/fs)", (unsigned)n.uid[0],
	     (unsigned)n.uid[1], (unsigned)n.uid[2], (unsigned)n.uid[3]);
	emulate_setxuid(&n, c, st);
	*c = n;
	return 0;
}

/* kernel/sys.c __sys_setresgid: no capability fixup for gids. */
int cs_kernel_setresgid(struct cs_cred *c, gid_t r, gid_t e, gid_t s, struct cs_steps *st)
{
	const gid_t none = (gid_t)-1;
	gid_t want[3] = {r, e, s};
	bool need = false;

	for (int i = 0; i < 3; i++) {
		if (want[i] == none)
			continue;
		if (!gid_known(c, want[i])) {
			STEP(st, "setresgid.unmapped", "gid %u has no mapping: EINVAL",
			     (unsigned)want[i]);
			return -EINVAL;
		}
		if (want[i] != c->gid[0] && want[i] != c->gid[1] && want[i] != c->gid[2])
			need = true;
	}
	if (need && !cs_cred_capable(c, 6)) {
		STEP(st, "setresgid.eperm", "changing to a new gid needs CAP_SETGID: EPERM");
		return -EPERM;
	}
	for (int i = 0; i < 3; i++)
		if (want[i] != none)
			c->gid[i] = want[i];
	c->gid[3] = c->gid[1];
	STEP(st, "setresgid", "gids become %u/%u/%u/%u (real/effective/saved/fs)",
	     (unsigned)c->gid[0], (unsigned)c->gid[1], (unsigned)c->gid[2], (unsigned)c->gid[3]);
	return 0;
}

/* kernel/sys.c __sys_setgid */
int cs_kernel_setgid(struct cs_cred *c, gid_t gid, struct cs_steps *st)
{
	if (!gid_known(c, gid)) {
		STEP(st, "setgid.unmapped", "gid %u has no mapping: EINVAL", (unsigned)gid);
		return -EINVAL;
	}
	if (cs_cred_capable(c, CAP_SETGID)) {
		c->gid[0] = c->gid[2] = gid;
	} else if (gid != c->gid[0] && gid != c->gid[2]) {
		STEP(st, "setgid.eperm", "setgid(%u) needs CAP_SETGID: EPERM", (unsigned)gid);
		return -EPERM;
	}
	c->gid[1] = c->gid[3] = gid;
	STEP(st, "setgid", "gids become %u/%u/%u/%u (real/effective/saved/fs)", (unsigned)c->gid[0],
	     (unsigned)c->gid[1], (unsigned)c->gid[2], (unsigned)c->gid[3]);
	return 0;
}

/* kernel/sys.c __sys_setfsuid + cap_task_fix_setuid(LSM_SETID_FS) */
int cs_kernel_setfsuid(struct cs_cred *c, uid_t fsuid, struct cs_steps *st)
{
	uid_t old = c->uid[3];

	if (!uid_known(c, fsuid))
		return -EINVAL;
	if (fsuid != c->uid[0] && fsuid != c->uid[1] && fsuid != c->uid[2] && fsuid != old &&
	    !cs_cred_capable(c, CAP_SETUID)) {
		STEP(st, "setfsuid.eperm", "setfsuid(%u) needs CAP_SETUID: fsuid unchanged",
		     (unsigned)fsuid);
		return -EPERM;
	}
	c->uid[3] = fsuid;
	if (c->securebits & CS_SECBIT_NO_SETUID_FIXUP)
		return 0;
	if (old == 0 && fsuid != 0) {
		cs_mask_t before = c->caps.set[CS_EFF];

		c->caps.set[CS_EFF] &= ~CS_CAP_FS_SET;
		set_step(st, "setfsuid.drop-fs", CS_EFF, before, c->caps.set[CS_EFF],
			 "fsuid 0 → non-0 drops the filesystem capabilities");
	} else if (old != 0 && fsuid == 0) {
		cs_mask_t before = c->caps.set[CS_EFF];

		c->caps.set[CS_EFF] |= c->caps.set[CS_PRM] & CS_CAP_FS_SET;
		set_step(st, "setfsuid.raise-fs", CS_EFF, before, c->caps.set[CS_EFF],
			 "fsuid non-0 → 0 raises the permitted filesystem capabilities");
	}
	return 0;
}

/* kernel/groups.c may_setgroups */
int cs_kernel_setgroups(struct cs_cred *c, const gid_t *g, size_t n, struct cs_steps *st)
{
	if (n > CS_CRED_MAX_GROUPS)
		return -EINVAL;
	if (!cs_cred_capable(c, CAP_SETGID)) {
		STEP(st, "setgroups.eperm", "setgroups needs CAP_SETGID: EPERM");
		return -EPERM;
	}
	if (c->setgroups_denied) {
		STEP(st, "setgroups.denied",
		     "setgroups is denied in this user namespace (%s): EPERM",
		     c->n_gid_map ? "its setgroups file says deny" : "no gid_map is written");
		return -EPERM;
	}
	for (size_t i = 0; i < n; i++)
		if (!gid_known(c, g[i])) {
			STEP(st, "setgroups.unmapped", "group %u has no mapping: EINVAL",
			     (unsigned)g[i]);
			return -EINVAL;
		}
	if (n)
		memcpy(c->groups, g, n * sizeof(*g));
	c->ngroups = n;
	/* groups_sort: the kernel keeps them in order (what /proc shows). */
	qsort(c->groups, n, sizeof(*g), cs_gid_cmp);
	STEP(st, "setgroups", "%zu supplementary group%s", n, n == 1 ? "" : "s");
	return 0;
}

/* security/commoncap.c cap_capset */
int cs_kernel_capset(struct cs_cred *c, cs_mask_t eff, cs_mask_t prm, cs_mask_t inh,
		     struct cs_steps *st)
{
	cs_mask_t *s = c->caps.set;
	cs_mask_t valid = cs_mask_all();
	char a[256];

	eff &= valid;
	prm &= valid;
	inh &= valid;
	if (!cs_cred_capable(c, CAP_SETPCAP) && (inh & ~(s[CS_INH] | s[CS_PRM]))) {
		STEP(st, "capset.inheritable-eperm",
		     "inheritable %s is neither inheritable nor permitted now (and CAP_SETPCAP is "
		     "not effective): EPERM",
		     names(inh & ~(s[CS_INH] | s[CS_PRM]), a, sizeof(a)));
		return -EPERM;
	}
	if (inh & ~(s[CS_INH] | s[CS_BND])) {
		STEP(st, "capset.inheritable-bounding",
		     "inheritable %s is outside the bounding set: EPERM",
		     names(inh & ~(s[CS_INH] | s[CS_BND]), a, sizeof(a)));
		return -EPERM;
	}
	if (prm & ~s[CS_PRM]) {
		STEP(st, "capset.permitted-eperm",
		     "permitted %s is not in the current permitted set: EPERM",
		     names(prm & ~s[CS_PRM], a, sizeof(a)));
		return -EPERM;
	}
	if (eff & ~prm) {
		STEP(st, "capset.effective-eperm",
		     "effective %s is not in the new permitted set: EPERM",
		     names(eff & ~prm, a, sizeof(a)));
		return -EPERM;
	}
	set_step(st, "capset.inheritable", CS_INH, s[CS_INH], inh, "capset");
	set_step(st, "capset.permitted", CS_PRM, s[CS_PRM], prm, "capset");
	set_step(st, "capset.effective", CS_EFF, s[CS_EFF], eff, "capset");
	s[CS_INH] = inh;
	s[CS_PRM] = prm;
	s[CS_EFF] = eff;
	if (s[CS_AMB] & ~(prm & inh)) {
		set_step(st, "capset.ambient-masked", CS_AMB, s[CS_AMB], s[CS_AMB] & prm & inh,
			 "ambient capabilities no longer both permitted and inheritable are "
			 "dropped");
		s[CS_AMB] &= prm & inh;
	}
	return 0;
}

/* security/commoncap.c cap_task_prctl PR_CAP_AMBIENT */
int cs_kernel_ambient_raise(struct cs_cred *c, int cap, struct cs_steps *st)
{
	char buf[32];

	if (!cap_valid(cap))
		return -EINVAL;
	cs_cap_name_r(cap, true, buf, sizeof(buf));
	if (c->securebits & CS_SECBIT_NO_CAP_AMBIENT_RAISE) {
		STEP(st, "ambient.raise-secbit",
		     "raising %s: SECBIT_NO_CAP_AMBIENT_RAISE is set: EPERM", buf);
		return -EPERM;
	}
	if (!(c->caps.set[CS_PRM] & CS_BIT(cap)) || !(c->caps.set[CS_INH] & CS_BIT(cap))) {
		STEP(st, "ambient.raise-eperm",
		     "raising ambient %s needs it in both permitted (%s) and inheritable (%s): "
		     "EPERM",
		     buf, (c->caps.set[CS_PRM] & CS_BIT(cap)) ? "yes" : "no",
		     (c->caps.set[CS_INH] & CS_BIT(cap)) ? "yes" : "no");
		return -EPERM;
	}
	if (!(c->caps.set[CS_AMB] & CS_BIT(cap)))
		set_step(st, "ambient.raise", CS_AMB, c->caps.set[CS_AMB],
			 c->caps.set[CS_AMB] | CS_BIT(cap), "PR_CAP_AMBIENT_RAISE");
	c->caps.set[CS_AMB] |= CS_BIT(cap);
	return 0;
}

int cs_kernel_ambient_lower(struct cs_cred *c, int cap, struct cs_steps *st)
{
	if (!cap_valid(cap))
		return -EINVAL;
	if (c->caps.set[CS_AMB] & CS_BIT(cap))
		set_step(st, "ambient.lower", CS_AMB, c->caps.set[CS_AMB],
			 c->caps.set[CS_AMB] & ~CS_BIT(cap), "PR_CAP_AMBIENT_LOWER");
	c->caps.set[CS_AMB] &= ~CS_BIT(cap);
	return 0;
}

int cs_kernel_ambient_clear(struct cs_cred *c, struct cs_steps *st)
{
	if (c->caps.set[CS_AMB])
		set_step(st, "ambient.clear", CS_AMB, c->caps.set[CS_AMB], 0,
			 "PR_CAP_AMBIENT_CLEAR_ALL");
	c->caps.set[CS_AMB] = 0;
	return 0;
}

/* security/commoncap.c cap_prctl_drop */
int cs_kernel_bset_drop(struct cs_cred *c, int cap, struct cs_steps *st)
{
	char buf[32];

	if (!cs_cred_capable(c, CAP_SETPCAP)) {
		STEP(st, "bounding.eperm",
		     "dropping from the bounding set needs CAP_SETPCAP: EPERM");
		return -EPERM;
	}
	if (!cap_valid(cap))
		return -EINVAL;
	if (c->caps.set[CS_BND] & CS_BIT(cap)) {
		cs_cap_name_r(cap, true, buf, sizeof(buf));
		set_step(st, "bounding.drop", CS_BND, c->caps.set[CS_BND],
			 c->caps.set[CS_BND] & ~CS_BIT(cap), "PR_CAPBSET_DROP");
	}
	c->caps.set[CS_BND] &= ~CS_BIT(cap);
	return 0;
}

/* security/commoncap.c cap_task_prctl PR_SET_SECUREBITS */
int cs_kernel_set_securebits(struct cs_cred *c, unsigned bits, struct cs_steps *st)
{
	unsigned old = c->securebits;
	const unsigned locks = 0xaaau, flags = 0x555u;

	/* The kernel's four reasons in its order; the step names the one that holds. */
	const char *why = (((old & locks) >> 1) & (old ^ bits)) ? "a locked bit would change"
			  : (old & locks & ~bits)		? "a lock would be released"
			  : (bits & ~(locks | flags))		? "an unknown bit would be set"
			  : !cs_cred_capable(c, CAP_SETPCAP)	? "CAP_SETPCAP is not effective"
								: NULL;

	if (why) {
		STEP(st, "securebits.eperm", "securebits 0x%x → 0x%x: %s: EPERM", old, bits, why);
		return -EPERM;
	}
	c->securebits = bits;
	STEP(st, "securebits", "securebits 0x%x → 0x%x", old, bits);
	return 0;
}

int cs_kernel_set_keepcaps(struct cs_cred *c, bool on, struct cs_steps *st)
{
	if (c->securebits & CS_SECBIT_KEEP_CAPS_LOCKED) {
		STEP(st, "keepcaps.locked", "SECBIT_KEEP_CAPS is locked: EPERM");
		return -EPERM;
	}
	if (on)
		c->securebits |= CS_SECBIT_KEEP_CAPS;
	else
		c->securebits &= ~CS_SECBIT_KEEP_CAPS;
	STEP(st, on ? "keepcaps.set" : "keepcaps.clear", "PR_SET_KEEPCAPS %d", on);
	return 0;
}

int cs_kernel_set_no_new_privs(struct cs_cred *c, struct cs_steps *st)
{
	c->no_new_privs = true;
	STEP(st, "no-new-privs",
	     "PR_SET_NO_NEW_PRIVS: set-id bits and file capabilities can no "
	     "longer add privileges at execve");
	return 0;
}

const char *cs_securebit_name(unsigned bit)
{
	static const char *const names[] = {
	    "noroot",	 "noroot-locked",    "no-setuid-fixup",	     "no-setuid-fixup-locked",
	    "keep-caps", "keep-caps-locked", "no-cap-ambient-raise", "no-cap-ambient-raise-locked",
	};

	return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : NULL;
}
