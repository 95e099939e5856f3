/* SPDX-License-Identifier: MIT */
/*
 * runc 1.1's pre-exec sequence (libcontainer/standard_init_linux.go Init,
 * libcontainer/init_linux.go finalizeNamespace + setupUser,
 * libcontainer/capabilities/capabilities.go and gocapability's Apply):
 *   no_new_privs → bounding drop → KEEPCAPS → setgroups/setgid/setuid →
 *   clear KEEPCAPS → capset(I, P, E) → ambient raise/lower → LookPath + execve.
 * The kernel rules come from kernel.c; this file only decides the order and
 * what runc does with a refusal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/runtime.h"
#include "capscope/text.h"
#include "../internal/kernel-open.h"
#include "../internal/util.h"

#define L "runtime"

static void fail(struct cs_exec_result *res, int err, const char *step)
{
	res->ok = false;
	res->error = err < 0 ? -err : err;
	snprintf(res->layer, sizeof(res->layer), "%s", L);
	snprintf(res->step, sizeof(res->step), "%s", step);
}

static cs_mask_t set_of(const struct cs_oci_process *p, enum cs_set s)
{
	/* A set left out of config.json is empty for runc (configs.Capabilities{}). */
	return (p->caps.present & (1u << s)) ? p->caps.set[s] & cs_mask_all() : 0;
}

/* runc init's credentials before it applies the config: its caller's, or a
 * new user namespace's full set. */
static void runc_start(const struct cs_oci_process *p, const struct cs_cred *start,
		       struct cs_cred *c, struct cs_steps *st)
{
	if (start) {
		*c = *start;
		if (!p->user_namespace)
			cs_steps_add(st, L, "runc.start",
				     "runc init inherits its caller's credentials: uid %u, %d "
				     "capabilities in the bounding set, %d permitted, %d "
				     "inheritable%s",
				     (unsigned)c->uid[1], cs_mask_count(c->caps.set[CS_BND]),
				     cs_mask_count(c->caps.set[CS_PRM]),
				     cs_mask_count(c->caps.set[CS_INH]),
				     c->no_new_privs ? ", no_new_privs" : "");
	} else {
		cs_cred_init_root(c);
		if (!p->user_namespace)
			cs_steps_add(st, L, "runc.start",
				     "runc init starts as uid 0 with every capability in P, E "
				     "and B");
	}
	if (!p->user_namespace)
		return;
	cs_steps_add(st, L, "runc.start",
		     "runc init enters a new user namespace: uid 0 there, with every "
		     "capability in P, E and B (valid inside the namespace only)");
	c->uid[0] = c->uid[1] = c->uid[2] = c->uid[3] = 0;
	c->gid[0] = c->gid[1] = c->gid[2] = c->gid[3] = 0;
	c->ngroups = 0;
	c->securebits = 0;
	/* A new user namespace gives its first process a full set inside it. */
	c->user_namespace = true;
	c->caps.set[CS_PRM] = c->caps.set[CS_EFF] = c->caps.set[CS_BND] = cs_mask_all();
	c->caps.set[CS_INH] = c->caps.set[CS_AMB] = 0;
	memcpy(c->uid_map, p->uid_map, sizeof(c->uid_map));
	memcpy(c->gid_map, p->gid_map, sizeof(c->gid_map));
	c->n_uid_map = p->n_uid_map;
	c->n_gid_map = p->n_gid_map;
}

/* ApplyBoundingSet: drop every cap not listed (only with CAP_SETPCAP). */
static void runc_bounding(struct cs_cred *c, cs_mask_t bnd)
{
	if (cs_cred_capable(c, 8))
		for (int cap = 0; cap <= cs_cap_last(); cap++)
			if (!(bnd & CS_BIT(cap)))
				cs_kernel_bset_drop(c, cap, NULL);
}

/* additionalGids without repeats, as GetAdditionalGroups returns them (a set). */
static size_t unique_groups(const struct cs_oci_process *p, gid_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_additional_gids; i++) {
		size_t k = 0;

		while (k < n && out[k] != p->additional_gids[i])
			k++;
		if (k == n)
			out[n++] = p->additional_gids[i];
	}
	return n;
}

/* setupUser: the id checks runc makes itself, then setgroups, setgid, setuid. */
static int runc_user(const struct cs_oci_process *p, struct cs_cred *c, struct cs_exec_result *res,
		     struct cs_steps *st)
{
	gid_t groups[CS_OCI_MAX_GROUPS];
	uid_t h;
	gid_t g;
	int rc;

	/* GetExecUserPath reads /etc/passwd and /etc/group before any check. */
	if (p->user_files[0]) {
		cs_steps_add(st, L, "runc.user-files",
			     "%s: runc fails (\"unable to find user\"), the process does not start",
			     p->user_files);
		fail(res, EINVAL, "runc.user-files");
		return -EINVAL;
	}
	/*
	 * libcontainer/user GetExecUser refuses ids above 2^31 - 1 (ErrRange)
	 * when no /etc/passwd entry matches, which is the case for any such id.
	 */
	if (p->uid > 2147483647u || p->gid > 2147483647u) {
		cs_steps_add(st, L, "runc.user-range",
			     "uid %u / gid %u: runc fails (\"uids and gids must be in range "
			     "0-2147483647\")",
			     (unsigned)p->uid, (unsigned)p->gid);
		fail(res, ERANGE, "runc.user-range");
		return -ERANGE;
	}
	/* GetAdditionalGroups, next, refuses a number beyond the same range
	 * (sixteenth pass: additionalGids [4294967295] was predicted to run). */
	for (size_t i = 0; i < p->n_additional_gids; i++)
		if (p->additional_gids[i] > 2147483647u) {
			cs_steps_add(st, L, "runc.user-range",
				     "additional gid %u: runc fails (\"uids and gids must be in "
				     "range 0-2147483647\")",
				     (unsigned)p->additional_gids[i]);
			fail(res, ERANGE, "runc.user-range");
			return -ERANGE;
		}
	/* runc checks the mapping itself first. */
	if (p->user_namespace && !cs_cred_uid_to_host(c, p->uid, &h)) {
		cs_steps_add(st, L, "runc.user-unmapped",
			     "uid %u has no mapping in the user namespace: runc fails "
			     "(\"cannot set uid to unmapped user\")",
			     (unsigned)p->uid);
		fail(res, EINVAL, "runc.user-unmapped");
		return -EINVAL;
	}
	if (p->user_namespace && !cs_idmap_lookup(c->gid_map, c->n_gid_map, p->gid, true, &g)) {
		cs_steps_add(st, L, "runc.user-unmapped",
			     "gid %u has no mapping in the user namespace: runc fails",
			     (unsigned)p->gid);
		fail(res, EINVAL, "runc.user-unmapped");
		return -EINVAL;
	}
	rc = cs_kernel_setgroups(c, groups, unique_groups(p, groups), st);
	if (!rc)
		rc = cs_kernel_setgid(c, p->gid, st);
	if (!rc)
		rc = cs_kernel_setuid(c, p->uid, st);
	if (rc) {
		fail(res, rc, "runc.user");
		return rc;
	}
	cs_steps_add(st, L, "runc.user", "process.user %u:%u with %zu additional group%s",
		     (unsigned)p->uid, (unsigned)p->gid, p->n_additional_gids,
		     p->n_additional_gids == 1 ? "" : "s");
	return 0;
}

/* ApplyCaps: the bounding pass again, capset, then the ambient set. */
static int runc_caps(const struct cs_oci_process *p, struct cs_cred *c, struct cs_exec_result *res,
		     struct cs_steps *st)
{
	cs_mask_t amb = set_of(p, CS_AMB);
	char buf[512];
	int rc;

	runc_bounding(c, set_of(p, CS_BND));
	rc = cs_kernel_capset(c, set_of(p, CS_EFF), set_of(p, CS_PRM), set_of(p, CS_INH), st);
	if (rc) {
		cs_steps_add(st, L, "runc.capset",
			     "capset of the listed inheritable/permitted/effective sets fails: "
			     "runc reports \"unable to apply caps: %s\" and the container does "
			     "not start",
			     strerror(-rc));
		fail(res, rc, "runc.capset");
		return rc;
	}
	cs_steps_add(st, L, "runc.capset", "capset: inheritable, permitted, effective as listed");

	/* Lower everything not listed, raise what is; refusals are ignored. */
	for (int cap = 0; cap <= cs_cap_last(); cap++) {
		if (!(amb & CS_BIT(cap))) {
			cs_kernel_ambient_lower(c, cap, NULL);
			continue;
		}
		if (cs_kernel_ambient_raise(c, cap, st) < 0) {
			cs_cap_name_r(cap, true, buf, sizeof(buf));
			cs_steps_add(st, L, "runc.ambient-skipped",
				     "ambient %s is not both permitted and inheritable; runc "
				     "ignores the kernel's EPERM and goes on without it",
				     buf);
		}
	}
	return 0;
}

int cs_runc_pre_exec(const struct cs_oci_process *p, const struct cs_cred *start,
		     struct cs_cred *out, struct cs_exec_result *res, struct cs_steps *st)
{
	struct cs_cred c;
	cs_mask_t before;
	int rc;

	memset(res, 0, sizeof(*res));
	res->ok = true;
	runc_start(p, start, &c, st);
	if (p->unknown_caps[0])
		cs_steps_add(st, L, "runc.unknown-caps",
			     "runc warns \"ignoring unknown or unavailable capabilities\" and "
			     "skips: %s",
			     p->unknown_caps);

	if (p->no_new_privileges) {
		cs_kernel_set_no_new_privs(&c, st);
		cs_steps_add(st, L, "runc.no-new-privs", "noNewPrivileges: true");
	}

	/* ApplyBoundingSet, while still root. */
	before = c.caps.set[CS_BND];
	runc_bounding(&c, set_of(p, CS_BND));
	cs_steps_add_set(st, L, "runc.bounding", CS_BND, before, c.caps.set[CS_BND],
			 "bounding set reduced to the listed %d capabilities",
			 cs_mask_count(c.caps.set[CS_BND]));

	cs_kernel_set_keepcaps(&c, true, st);
	rc = runc_user(p, &c, res, st);
	if (!rc) {
		cs_kernel_set_keepcaps(&c, false, st);
		rc = runc_caps(p, &c, res, st);
	}
	*out = c;
	return rc;
}

/*
 * Go 1.19's ErrDot: exec.LookPath found the file through a relative $PATH
 * entry ("bin", ".", an empty entry), from the working directory, and says
 * "cannot run executable found relative to current directory"; runc returns
 * that error and the process never starts (libcontainer/standard_init_linux.go;
 * runc sets no GODEBUG=execerrdot=0). Told as ENOENT, the errno runc's other
 * LookPath failure gets here.
 */
static const struct cs_exec_file *errdot(const struct cs_exec_file *f, struct cs_steps *st,
					 struct cs_exec_file *none)
{
	char w[CS_WORD_ROOM]; /* a file as one word of the step (lib/word.c) */

	cs_steps_add(st, L, "runc.lookpath.dot",
		     "exec.LookPath finds %s through a relative $PATH entry (from process.cwd) "
		     "and refuses it (Go's ErrDot: cannot run executable found relative to "
		     "current directory): the process does not start",
		     cs_word_clip(w, sizeof(w), f->path));
	memset(none, 0, sizeof(*none));
	none->path = f->path;
	none->error = ENOENT;
	none->path_relative = true; /* no execve: runc's own refusal */
	return none;
}

/*
 * Go 1.19's exec.LookPath, as runc calls it after capset: each $PATH
 * candidate is stat'ed as the process, and one in a directory it cannot
 * search is skipped for the next. None reachable: "executable file not
 * found in $PATH" (ENOENT). The first candidate otherwise, whose own
 * failures (mode, format) execve reports, unless a relative entry gave it.
 */
#define NEXT                                                                                       \
	"exec.LookPath cannot stat %s as uid %u (directory %s is not searchable) and takes the "   \
	"next $PATH entry's: %s"
#define NONE                                                                                       \
	"exec.LookPath can stat none of the $PATH candidates as uid %u (%s: directory %s is not "  \
	"searchable): executable file not found in $PATH"
#define OOM "(out of memory)"

static const struct cs_exec_file *lookpath(const struct cs_exec_file *f, const struct cs_cred *c,
					   struct cs_exec_result *res, struct cs_steps *st,
					   struct cs_exec_file *none)
{
	const struct cs_exec_file *first = f;
	unsigned n = 1;
	int stop;
	char *dir, w1[CS_WORD_ROOM], w2[CS_WORD_ROOM], w3[CS_WORD_ROOM]; /* words of the steps */

	if (!f->from_path || (stop = cs_exec_file_unreachable(c, f)) < 0) {
		res->path_index = 0;
		return f->path_relative ? errdot(f, st, none) : f;
	}
	dir = cs_exec_dir_path(first, (size_t)stop);
	for (f = f->path_next; f && cs_exec_file_unreachable(c, f) >= 0; f = f->path_next)
		n++;
	/* the words share what the sentence leaves of the step (three paths of
	 * 150 bytes left "cannot stat /aaa...'s: /bbb/nc") */
	if (f) {
		size_t room = cs_step_word_room(
		    (size_t)snprintf(NULL, 0, NEXT, "", (unsigned)c->uid[3], dir ? "" : OOM, ""),
		    3);

		cs_steps_add(st, L, "runc.lookpath", NEXT, cs_word_clip(w1, room, first->path),
			     (unsigned)c->uid[3], dir ? cs_word_clip(w2, room, dir) : OOM,
			     cs_word_clip(w3, room, f->path));
		res->path_index = n;
		free(dir);
		return f->path_relative ? errdot(f, st, none) : f;
	}
	size_t room = cs_step_word_room(
	    (size_t)snprintf(NULL, 0, NONE, (unsigned)c->uid[3], "", dir ? "" : OOM), 2);

	cs_steps_add(st, L, "runc.lookpath", NONE, (unsigned)c->uid[3],
		     cs_word_clip(w1, room, first->path), dir ? cs_word_clip(w2, room, dir) : OOM);
	free(dir);
	memset(none, 0, sizeof(*none));
	none->path = first->path;
	none->error = ENOENT;
	return none;
}

/*
 * execve of f, or its E2BIG: since Linux 6.8 (978ffcbf00d8) execve opens the
 * file before it copies argv and envp, so the open's own errors come first;
 * then strings past its bounds fail it with E2BIG before any loader reads
 * the file, and no credential changes (the execve steps are not recorded:
 * they never happen). Before 6.8 the copy came first; runc's own LookPath
 * finds a missing or non-executable file before execve on either.
 */
static int exec_or_e2big(const struct cs_oci_process *p, struct cs_cred *c,
			 const struct cs_exec_file *f, struct cs_steps *st)
{
	int rc;

	if (!p->exec_e2big[0])
		return cs_kernel_execve(c, f, st);
	if ((rc = cs_kernel_execve_open(c, f, st)) != 0)
		return rc;
	cs_steps_add(st, "kernel", "execve.e2big", "%s", p->exec_e2big);
	return -E2BIG;
}

int cs_oci_predict(const struct cs_oci_process *p, const struct cs_exec_file *f,
		   struct cs_cred *out, struct cs_exec_result *res, struct cs_steps *st)
{
	struct cs_cred pre;

	return cs_oci_predict_from(p, NULL, f, &pre, out, res, st);
}

int cs_oci_predict_from(const struct cs_oci_process *p, const struct cs_cred *start,
			const struct cs_exec_file *f, struct cs_cred *pre, struct cs_cred *out,
			struct cs_exec_result *res, struct cs_steps *st)
{
	struct cs_exec_file none; /* "not found in $PATH" */
	struct cs_cred c;
	int rc;

	if (!p || !f || !out || !res || !st || !pre)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	rc = cs_runc_pre_exec(p, start, &c, res, st);
	*pre = c;
	if (rc) {
		*out = c;
		return st->error;
	}
	if (p->env_empty_name) {
		/* runc 1.1's populateProcessEnvironment, 1.2's prepareEnv. */
		cs_steps_add(st, L, "runc.env",
			     "process.env holds an entry with an empty name (the image's Env "
			     "'=...'): runc init refuses it (environment variable name can't be "
			     "empty), the process does not start");
		rc = -EINVAL;
	} else if (f->cwd_error) {
		/* prepareRootfs's os.MkdirAll(process.cwd): runc init fails before exec. */
		cs_steps_add(st, L, "runc.cwd.mkdir",
			     "runc cannot create process.cwd (os.MkdirAll: %s): runc init "
			     "fails, the process does not start",
			     f->cwd_error == EEXIST ? "a dangling or looping symbolic link is "
						      "in the way, mkdir: file exists"
						    : "a file is in the way, not a directory");
		rc = -f->cwd_error;
	} else {
		f = lookpath(f, &c, res, st, &none);
		/* ErrDot: runc returns before execve (the step above says why). */
		rc = f == &none && none.path_relative ? -ENOENT : exec_or_e2big(p, &c, f, st);
	}
	*out = c;
	if (rc) {
		res->ok = false;
		res->error = -rc;
		/* runc checks the path and access before execve and reports it itself. */
		snprintf(res->layer, sizeof(res->layer), "%s",
			 (rc == -ENOENT || rc == -EACCES || rc == -ENOTDIR || f->cwd_error ||
			  p->env_empty_name)
			     ? "runtime"
			     : "kernel");
		snprintf(res->step, sizeof(res->step), "%s",
			 st->n ? st->v[st->n - 1].rule : "execve");
	}
	return st->error;
}
