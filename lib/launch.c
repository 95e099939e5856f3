/* SPDX-License-Identifier: MIT */
/*
 * The launcher behind capscope run. The same operation list drives the
 * model (cs_launch_prepare) and the real system calls (cs_launch_apply), so
 * the prediction and the act cannot drift apart; cs_launch_verify then
 * checks the act against the prediction.
 *
 * Fault injection (tests only): built with -DCS_FAULT_INJECTION, the step
 * named by $CAPSCOPE_FAULT fails with EPERM. Production builds contain no
 * trace of the hook.
 */
#include "capscope/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "capscope/fcaps.h"
#include "capscope/launch-dry-run.h"
#include "capscope/text.h"
#include "internal/cleanup.h"
#include "internal/exec-script.h"
#include "internal/exec-elf.h"
#include "internal/launch-nproc.h"
#include "internal/launch-walk.h"
#include "internal/util.h"

#ifdef CS_FAULT_INJECTION
static int fault(const char *step)
{
	const char *f = getenv("CAPSCOPE_FAULT");

	if (f && strcmp(f, step) == 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}
#else
static inline int fault(const char *step)
{
	(void)step;
	return 0;
}
#endif

/* Never drops an operation silently: a full list makes prepare refuse. */
static void add(struct cs_launch *l, struct cs_launch_op op)
{
	if (l->nops < CS_LAUNCH_MAX_OPS)
		l->ops[l->nops] = op;
	l->nops++;
}

static int model_op(struct cs_cred *c, const struct cs_launch_plan *plan,
		    const struct cs_launch_op *op, struct cs_steps *st)
{
	int rc = 0;

	switch (op->kind) {
	case CS_OP_BOUNDING:
		for (int cap = 0; cap <= cs_cap_last() && !rc; cap++)
			if (!(op->mask & CS_BIT(cap)) && (c->caps.set[CS_BND] & CS_BIT(cap)))
				rc = cs_kernel_bset_drop(c, cap, st);
		return rc;
	case CS_OP_SECUREBITS:
		return cs_kernel_set_securebits(c, op->value, st);
	case CS_OP_KEEPCAPS:
		return cs_kernel_set_keepcaps(c, op->value != 0, st);
	case CS_OP_SETGROUPS: {
		const struct cs_launch_plan *p = plan;

		return cs_kernel_setgroups(c, p->groups_mode == CS_GROUPS_LIST ? p->groups : NULL,
					   p->groups_mode == CS_GROUPS_LIST ? p->ngroups : 0, st);
	}
	case CS_OP_SETRESGID:
		return cs_kernel_setresgid(c, op->id, op->id, op->id, st);
	case CS_OP_SETRESUID:
		return cs_kernel_setresuid(c, op->id, op->id, op->id, st);
	case CS_OP_CAPSET:
		return cs_kernel_capset(c, op->eff, op->prm, op->inh, st);
	case CS_OP_AMBIENT:
		rc = cs_kernel_ambient_clear(c, st);
		for (int cap = 0; cap <= cs_cap_last() && !rc; cap++)
			if (op->mask & CS_BIT(cap))
				rc = cs_kernel_ambient_raise(c, cap, st);
		return rc;
	case CS_OP_NNP:
		return cs_kernel_set_no_new_privs(c, st);
	}
	return -EINVAL;
}

static const char *list(cs_mask_t m, char *buf, size_t len)
{
	cs_mask_format_names(m, CS_NAMES_LOWER, buf, len);
	return buf;
}

/* A step that says why the kernel refuses: its sentence ends in rc's name. */
static bool refusal(const struct cs_step *s, int rc)
{
	const char *name = cs_errno_name(rc);
	size_t n = strlen(s->detail), k = strlen(name);

	return n > k + 2 && strcmp(s->detail + n - k, name) == 0 && s->detail[n - k - 2] == ':';
}

/* The sentence without its ": EPERM", which the run's message gives already. */
static int refusal_len(const struct cs_step *s, int rc)
{
	return (int)(strlen(s->detail) - strlen(cs_errno_name(rc)) - 2);
}

/* Every operation of the plan through the kernel model, from c (updated). */
static int model_plan(const struct cs_launch *l, const struct cs_launch_plan *p, struct cs_cred *c,
		      struct cs_steps *st, struct cs_diag *d)
{
	for (size_t i = 0; i < l->nops; i++) {
		size_t before = st ? st->n : 0;
		int rc = model_op(c, p, &l->ops[i], st);

		/* The one refusal whose cause is the request's own two halves: say them. */
		if (rc < 0 && l->ops[i].kind == CS_OP_KEEPCAPS && !l->ops[i].value &&
		    (c->securebits & CS_SECBIT_KEEP_CAPS_LOCKED))
			return cs_diag_set(d, -rc, 0, 0, l->ops[i].name,
					   "--securebits keep-caps-locked without keep-caps: the "
					   "user change needs KEEP_CAPS until capset, and the lock "
					   "forbids clearing it after; lock it with keep-caps, or "
					   "leave it unlocked; nothing was run");
		/* The model's step says why (a locked bit, a capability not held). */
		if (rc < 0 && st && st->n > before && refusal(&st->v[st->n - 1], rc))
			return cs_diag_set(d, -rc, 0, 0, l->ops[i].name,
					   "the kernel would refuse it: %.*s; nothing was run",
					   refusal_len(&st->v[st->n - 1], rc),
					   st->v[st->n - 1].detail);
		if (rc < 0)
			return cs_diag_set(
			    d, -rc, 0, 0, l->ops[i].name,
			    "the kernel would refuse this step (%s); nothing was run",
			    cs_errno_name(rc));
	}
	return 0;
}

/* The ids of the plan: groups said when an id changes, and never (uid_t)-1. */
static int plan_ids(const struct cs_launch_plan *p, bool id_change, struct cs_diag *d)
{
	if (id_change && p->groups_mode == CS_GROUPS_UNSET)
		return cs_diag_set(d, EINVAL, 0, 0, "groups",
				   "changing the user or group needs one of --groups, "
				   "--clear-groups or --keep-groups");
	if (p->groups_mode == CS_GROUPS_LIST && p->ngroups > CS_CRED_MAX_GROUPS)
		return cs_diag_set(d, EINVAL, 0, 0, "groups",
				   "more than %d groups; nothing was run", CS_CRED_MAX_GROUPS);
	/* (uid_t)-1 is "no change" to setresuid and setresgid: never a plan's id. */
	for (size_t i = 0; i < (p->groups_mode == CS_GROUPS_LIST ? p->ngroups : 0); i++)
		if (p->groups[i] == (gid_t)-1)
			return cs_diag_set(
			    d, EINVAL, 0, 0, "groups",
			    "group 4294967295 is no id to the kernel; nothing was run");
	if ((p->set_uid && p->uid == (uid_t)-1) || (p->set_gid && p->gid == (gid_t)-1))
		return cs_diag_set(d, EINVAL, 0, 0, "plan",
				   "%s 4294967295 is no id to the kernel ((uid_t)-1, \"no "
				   "change\"); nothing was run",
				   p->set_uid && p->uid == (uid_t)-1 ? "uid" : "gid");
	return 0;
}

/*
 * Every operation of the plan knows capabilities 0..cs_cap_last() only
 * (/proc/sys/kernel/cap_last_cap, or the build's last when that cannot be
 * read). A process holding one beyond it runs on a kernel that knows more:
 * the bounding drop kept them (`--bounding net_raw` ran as root with CAP_BPF
 * and CAP_CHECKPOINT_RESTORE still in its bounding and permitted sets), and
 * the read-back agreed, since the model kept them too. Nineteenth pass, part E.
 */
static int start_beyond_last(const struct cs_cred *start, struct cs_diag *d)
{
	const cs_mask_t all = cs_mask_all();
	char buf[512], last[32];

	for (int s = 0; s < CS_NSETS; s++)
		if (start->caps.set[s] & ~all)
			return cs_diag_set(
			    d, ERANGE, 0, 0, "capabilities",
			    "this process's %s set holds %s, beyond the kernel's last "
			    "capability as read (%s, from /proc/sys/kernel/cap_last_cap or "
			    "the build's): the run would not drop them; nothing was run",
			    cs_set_name((enum cs_set)s),
			    list(start->caps.set[s] & ~all, buf, sizeof(buf)),
			    cs_cap_name_r(cs_cap_last(), false, last, sizeof(last)));
	return 0;
}

int cs_launch_prepare(const struct cs_launch_plan *p, const struct cs_cred *start,
		      struct cs_launch *l, struct cs_steps *st, struct cs_diag *d)
{
	const cs_mask_t all = cs_mask_all();
	cs_mask_t bnd = p->set_bounding ? p->bounding & all : start->caps.set[CS_BND];
	cs_mask_t prm, inh, eff, back, asked = 0;
	bool uid_change = p->set_uid && (p->uid != start->uid[0] || p->uid != start->uid[1] ||
					 p->uid != start->uid[2]);
	bool id_change = p->set_uid || p->set_gid;
	bool caps_op;
	char buf[512], last[32];
	struct cs_cred c;
	int rc;

	memset(l, 0, sizeof(*l));
	l->plan = p;
	l->start = *start;
	if ((rc = plan_ids(p, id_change, d)) < 0)
		return rc;
	if ((rc = start_beyond_last(start, d)) < 0)
		return rc;

	prm = p->set_caps ? p->caps_prm & all : start->caps.set[CS_PRM];
	inh = p->set_inh ? p->inh & all : p->set_caps ? p->caps_inh & all : start->caps.set[CS_INH];
	eff = p->set_caps ? p->caps_eff & all : start->caps.set[CS_EFF] & prm;
	/*
	 * Without --caps, a change to a non-root user leaves what the command
	 * gets from execve: its ambient set, effective (E' = A' for a file
	 * without capabilities). Raising the caller's whole effective set again
	 * after setresuid (the kernel clears it there) made execve itself run
	 * with it: the walk searched directories the new user may not, a
	 * root-only 0700 file ran as nobody, and an execute-only file stayed
	 * dumpable (would_dump reads with the caller's capabilities).
	 */
	if (!p->set_caps && uid_change && p->uid != 0)
		eff = p->set_ambient ? p->ambient & all : 0;
	if (p->set_ambient) {
		/* Ambient needs each capability in both permitted and inheritable. */
		prm |= p->ambient & all;
		inh |= p->ambient & all;
	}
	if (p->set_caps)
		asked |= p->caps_prm | p->caps_inh | p->caps_eff;
	if (p->set_inh)
		asked |= p->inh;
	if (p->set_ambient)
		asked |= p->ambient;
	/*
	 * Exactly what was asked, or nothing: every check below refuses a
	 * request that the operations would otherwise narrow or widen without
	 * a word (a mask cut to what the kernel knows, a bounding set that can
	 * only shrink, two options that both set one set).
	 */
	if ((asked | (p->set_bounding ? p->bounding : 0)) & ~all)
		return cs_diag_set(
		    d, EINVAL, 0, 0, "capabilities",
		    "%s not known to this kernel (the last is %s); nothing was run",
		    list((asked | (p->set_bounding ? p->bounding : 0)) & ~all, buf, sizeof(buf)),
		    cs_cap_name_r(cs_cap_last(), false, last, sizeof(last)));
	if (p->set_bounding && (p->bounding & ~start->caps.set[CS_BND]))
		return cs_diag_set(d, EPERM, 0, 0, "bounding",
				   "%s no longer in this process's bounding set, and a bounding "
				   "set can only shrink; nothing was run",
				   list(p->bounding & ~start->caps.set[CS_BND], buf, sizeof(buf)));
	if (p->set_bounding && (asked & ~bnd))
		return cs_diag_set(d, EINVAL, 0, 0, "bounding",
				   "%s asked for but outside --bounding; nothing was run",
				   list(asked & ~bnd, buf, sizeof(buf)));
	if (p->set_caps && p->set_inh && p->caps_inh != p->inh)
		return cs_diag_set(d, EINVAL, 0, 0, "inheritable",
				   "--caps and --inh ask for different inheritable sets; nothing "
				   "was run");
	if (p->set_ambient && p->set_caps && (p->ambient & ~(p->caps_prm & p->caps_inh)))
		return cs_diag_set(
		    d, EINVAL, 0, 0, "ambient",
		    "%s made ambient but left out of the permitted or inheritable "
		    "set that --caps asks for; nothing was run",
		    list(p->ambient & ~(p->caps_prm & p->caps_inh), buf, sizeof(buf)));
	if (p->set_ambient && p->set_inh && (p->ambient & ~p->inh))
		return cs_diag_set(d, EINVAL, 0, 0, "ambient",
				   "%s made ambient but left out of --inh; nothing was run",
				   list(p->ambient & ~p->inh, buf, sizeof(buf)));
	if (p->set_ambient && (p->ambient & ~start->caps.set[CS_PRM]))
		return cs_diag_set(d, EPERM, 0, 0, "ambient",
				   "%s cannot be made ambient: not in this process's permitted "
				   "set; nothing was run",
				   list(p->ambient & ~start->caps.set[CS_PRM], buf, sizeof(buf)));
	if (p->set_ambient && p->set_securebits && (p->securebits & CS_SECBIT_NO_CAP_AMBIENT_RAISE))
		return cs_diag_set(
		    d, EINVAL, 0, 0, "securebits",
		    "--ambient and SECBIT_NO_CAP_AMBIENT_RAISE contradict each other; nothing "
		    "was run");

	if (p->set_bounding && bnd != start->caps.set[CS_BND])
		add(l, (struct cs_launch_op){
			   .kind = CS_OP_BOUNDING, .name = "bounding drop", .mask = bnd});
	if (p->set_securebits)
		add(l, (struct cs_launch_op){.kind = CS_OP_SECUREBITS,
					     .name = "securebits",
					     .value = p->securebits |
						      (uid_change ? CS_SECBIT_KEEP_CAPS : 0)});
	else if (uid_change)
		add(l,
		    (struct cs_launch_op){.kind = CS_OP_KEEPCAPS, .name = "keepcaps", .value = 1});
	if (p->groups_mode == CS_GROUPS_LIST || p->groups_mode == CS_GROUPS_CLEAR)
		add(l, (struct cs_launch_op){.kind = CS_OP_SETGROUPS, .name = "setgroups"});
	if (p->set_gid)
		add(l, (struct cs_launch_op){
			   .kind = CS_OP_SETRESGID, .name = "setresgid", .id = p->gid});
	if (p->set_uid)
		add(l, (struct cs_launch_op){
			   .kind = CS_OP_SETRESUID, .name = "setresuid", .id = p->uid});
	if (uid_change && !(p->set_securebits && (p->securebits & CS_SECBIT_KEEP_CAPS)))
		add(l,
		    (struct cs_launch_op){.kind = CS_OP_KEEPCAPS, .name = "keepcaps", .value = 0});
	caps_op = p->set_caps || p->set_inh || p->set_ambient || uid_change;
	if (caps_op)
		add(l, (struct cs_launch_op){.kind = CS_OP_CAPSET,
					     .name = "capset",
					     .eff = eff,
					     .prm = prm,
					     .inh = inh});
	if (p->set_ambient)
		add(l, (struct cs_launch_op){.kind = CS_OP_AMBIENT,
					     .name = "ambient raise",
					     .mask = p->ambient & all});
	if (p->no_new_privs)
		add(l, (struct cs_launch_op){.kind = CS_OP_NNP, .name = "no_new_privs"});

	if (l->nops > CS_LAUNCH_MAX_OPS)
		return cs_diag_set(d, E2BIG, 0, 0, "plan",
				   "more than %d operations; nothing was run", CS_LAUNCH_MAX_OPS);
	c = *start;
	if ((rc = model_plan(l, p, &c, st, d)) < 0)
		return rc;
	/*
	 * A caller that is still root at execve gets its whole bounding set
	 * back as permitted (the kernel's root rule, unless SECBIT_NOROOT):
	 * "--caps =" as root would run the command with every capability.
	 * Refuse rather than run with more than the plan leaves it. Only with
	 * --caps: a root that starts with less permitted than bounding and
	 * asks nothing of it gets what it would get anyway.
	 */
	back = p->set_caps ? c.caps.set[CS_BND] & ~c.caps.set[CS_PRM] : 0;
	if ((c.uid[0] == 0 || c.uid[1] == 0) && !(c.securebits & CS_SECBIT_NOROOT) && back)
		return cs_diag_set(d, EPERM, 0, 0, "execve",
				   "uid 0 would get %d capabilities the plan drops (%s...) back at "
				   "execve; add --securebits noroot, --user or a narrower "
				   "--bounding; nothing was run",
				   __builtin_popcountll(back),
				   cs_cap_name_r(__builtin_ctzll(back), false, last, sizeof(last)));
	l->predicted = c;
	return 0;
}

static int real_op(const struct cs_launch_plan *plan, const struct cs_launch_op *op)
{
	switch (op->kind) {
	case CS_OP_BOUNDING:
		for (int cap = 0; cap <= cs_cap_last(); cap++) {
			if (op->mask & CS_BIT(cap))
				continue;
			if (fault(op->name) < 0 || prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
				return -errno;
		}
		return 0;
	case CS_OP_SECUREBITS:
		return fault(op->name) < 0 || prctl(PR_SET_SECUREBITS, op->value, 0, 0, 0) < 0
			   ? -errno
			   : 0;
	case CS_OP_KEEPCAPS:
		return fault(op->name) < 0 || prctl(PR_SET_KEEPCAPS, op->value, 0, 0, 0) < 0
			   ? -errno
			   : 0;
	case CS_OP_SETGROUPS: {
		const struct cs_launch_plan *p = plan;
		size_t n = p->groups_mode == CS_GROUPS_LIST ? p->ngroups : 0;

		return fault(op->name) < 0 || setgroups(n, n ? p->groups : NULL) < 0 ? -errno : 0;
	}
	case CS_OP_SETRESGID:
		return fault(op->name) < 0 || setresgid(op->id, op->id, op->id) < 0 ? -errno : 0;
	case CS_OP_SETRESUID:
		return fault(op->name) < 0 || setresuid(op->id, op->id, op->id) < 0 ? -errno : 0;
	case CS_OP_CAPSET: {
		struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
		struct __user_cap_data_struct data[2] = {
		    {(uint32_t)op->eff, (uint32_t)op->prm, (uint32_t)op->inh},
		    {(uint32_t)(op->eff >> 32), (uint32_t)(op->prm >> 32),
		     (uint32_t)(op->inh >> 32)},
		};

		return fault(op->name) < 0 || syscall(SYS_capset, &h, data) < 0 ? -errno : 0;
	}
	case CS_OP_AMBIENT:
		if (fault(op->name) < 0 ||
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
			return -errno;
		for (int cap = 0; cap <= cs_cap_last(); cap++)
			if ((op->mask & CS_BIT(cap)) &&
			    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
				return -errno;
		return 0;
	case CS_OP_NNP:
		return fault(op->name) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? -errno
											 : 0;
	}
	return -EINVAL;
}

int cs_launch_apply(const struct cs_launch *l, struct cs_diag *d)
{
	for (size_t i = 0; i < l->nops; i++) {
		int rc = real_op(l->plan, &l->ops[i]);

		if (rc < 0)
			return cs_diag_set(d, -rc, 0, 0, l->ops[i].name, "%s", strerror(-rc));
	}
	return 0;
}

int cs_launch_verify(const struct cs_launch *l, struct cs_diag *d)
{
	struct cs_cred now;
	const struct cs_cred *w = &l->predicted;
	gid_t a[CS_CRED_MAX_GROUPS], b[CS_CRED_MAX_GROUPS];
	int rc = cs_cred_read_self(&now, NULL);

	if (fault("verify") < 0)
		rc = -EPROTO;
	if (rc < 0) {
		return cs_diag_set(d, EPROTO, 0, 0, "verify",
				   "cannot read back the credentials: %s", strerror(-rc));
	}
	if (memcmp(now.uid, w->uid, sizeof(now.uid)) != 0) {
		return cs_diag_set(d, EPROTO, 0, 0, "verify",
				   "uids are %u/%u/%u/%u, the plan says %u/%u/%u/%u", now.uid[0],
				   now.uid[1], now.uid[2], now.uid[3], w->uid[0], w->uid[1],
				   w->uid[2], w->uid[3]);
	}
	if (memcmp(now.gid, w->gid, sizeof(now.gid)) != 0) {
		return cs_diag_set(d, EPROTO, 0, 0, "verify",
				   "gids are %u/%u/%u/%u, the plan says %u/%u/%u/%u", now.gid[0],
				   now.gid[1], now.gid[2], now.gid[3], w->gid[0], w->gid[1],
				   w->gid[2], w->gid[3]);
	}
	memcpy(a, now.groups, now.ngroups * sizeof(gid_t));
	memcpy(b, w->groups, w->ngroups * sizeof(gid_t));
	qsort(a, now.ngroups, sizeof(gid_t), cs_gid_cmp);
	qsort(b, w->ngroups, sizeof(gid_t), cs_gid_cmp);
	if (now.ngroups != w->ngroups || memcmp(a, b, now.ngroups * sizeof(gid_t)) != 0) {
		return cs_diag_set(d, EPROTO, 0, 0, "verify",
				   "supplementary groups differ from the plan");
	}
	for (int s = 0; s < CS_NSETS; s++)
		if (now.caps.set[s] != w->caps.set[s]) {
			return cs_diag_set(d, EPROTO, 0, 0, "verify",
					   "%s set is 0x%016llx, the plan says 0x%016llx",
					   cs_set_name((enum cs_set)s),
					   (unsigned long long)now.caps.set[s],
					   (unsigned long long)w->caps.set[s]);
		}
	if (now.no_new_privs != w->no_new_privs || now.securebits != w->securebits) {
		return cs_diag_set(d, EPROTO, 0, 0, "verify",
				   "no_new_privs/securebits differ from the plan");
	}
	return 0;
}

const char *cs_launch_search_path(void)
{
	const char *path = getenv("PATH");

	return path ? path : "/bin:/usr/bin";
}

static int exec_checked(const struct cs_launch *l, const char *path, char *const argv[], int depth,
			struct cs_diag *d);

/*
 * execve of the checked descriptor said ENOENT for a file that is no "#!"
 * script. By path the kernel says so for an ELF whose loader is missing
 * (execvp then goes on to the next $PATH directory, and so does the walk);
 * but a binfmt_misc handler refuses a close-on-exec descriptor with ENOENT
 * too, where execve by path runs the handler's interpreter, whose set-uid
 * bit or file capabilities the check never saw. Going on would run another
 * file than execvp runs, so ENOENT stands only when the loader really cannot
 * be opened (the kernel's answer by path, kept); anything else is refused.
 */
static int enoent_not_script(int fd, const char *path, struct cs_diag *d)
{
	int rc = cs_exec_elf_loader_access(fd);
	char w[CS_WORD_ROOM_REFUSAL];

	if (rc < 0 && rc != -ENOEXEC)
		return rc;
	return cs_diag_set(
	    d, ENOEXEC, 0, 0, "execve",
	    "%s is neither a \"#!\" script nor an ELF file whose loader is missing, "
	    "yet execve of the checked descriptor says ENOENT: a binfmt_misc handler "
	    "claims it, and the credentials its interpreter would give cannot be "
	    "checked; nothing was run",
	    cs_word_clip(w, sizeof(w), path));
}

/*
 * fd (checked, opened from path) could not be executed by descriptor: a
 * "#!" script cannot be (its interpreter would be handed /dev/fd/N, gone
 * at exec, and $0 would not be its path), and executing it by path again
 * would let the file be swapped after the check. So its interpreter is
 * opened, checked and executed in turn, with the argv the kernel builds:
 * the file that gives the credentials is always a file that was checked,
 * and the script sees the $0 and arguments it would have seen. What the
 * kernel would check of the script itself is checked here: execute
 * permission for the new credentials, a noexec mount, the chain's depth.
 * Only the task's comm differs (the interpreter's name, not the script's).
 */
static int exec_script(const struct cs_launch *l, int fd, const char *path, char *const argv[],
		       int depth, struct cs_diag *d)
{
	char head[CS_EXEC_HEAD_MAX], name[CS_EXEC_HEAD_MAX], arg[CS_EXEC_HEAD_MAX];
	char w[CS_WORD_ROOM_REFUSAL];
	cs_cleanup_free char **v = NULL;
	struct statvfs vfs;
	ssize_t n = cs_exec_read_head(fd, head);
	int r;

	if (n < 0)
		return cs_diag_set(d, EACCES, 0, 0, "execve",
				   "%s looks like a \"#!\" script that cannot be read to check its "
				   "interpreter; nothing was run",
				   cs_word_clip(w, sizeof(w), path));
	r = cs_exec_script_interpreter(head, (size_t)n, name, arg);
	if (r == 0)
		return enoent_not_script(fd, path, d);
	if (r < 0)
		return r;
	if (faccessat(fd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH) < 0)
		return -errno;
	if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		return -EACCES;
	/* fs/exec.c exec_binprm: a sixth script in one chain is ELOOP. */
	if (depth >= CS_EXEC_SCRIPT_DEPTH)
		return -ELOOP;
	if (!(v = cs_exec_script_argv(name, arg, path, argv)))
		return -ENOMEM;
	return exec_checked(l, name, v, depth + 1, d);
}

/*
 * execve's EINVAL for a file whose security.capability the kernel will not
 * read (get_file_caps refuses an empty or corrupt value): "Invalid argument"
 * alone named nothing. fd is the file executed, or -1 to open path.
 */
static int exec_einval(int rc, int fd, const char *path, struct cs_diag *d)
{
	cs_cleanup_close int own = -1;
	struct cs_diag why = {0};
	struct cs_fcaps f;
	char w[CS_WORD_ROOM_REFUSAL];

	if (rc != -EINVAL || !d)
		return rc;
	if (fd < 0 && (fd = own = open(path, O_PATH | O_CLOEXEC)) < 0)
		return rc;
	if (cs_fcaps_fget(fd, &f, &why) != -EINVAL)
		return rc;
	return cs_diag_set(d, EINVAL, 0, 0, "execve", "%s: %s: %s; nothing was run",
			   cs_word_clip(w, sizeof(w), path), CS_XATTR_CAPS, why.message);
}

/*
 * execve returned 0: it never does, but a seccomp filter's SECCOMP_RET_ERRNO
 * with errno 0 says so without executing. errno was then a stale value:
 * ENOENT made the run blame a binfmt_misc handler, or go on to the next
 * $PATH directory. Nothing ran; said as it is, and the walk stops.
 */
static int not_executed(const char *path, struct cs_diag *d)
{
	char w[CS_WORD_ROOM_REFUSAL];

	return cs_diag_set(d, EPROTO, 0, 0, "execve",
			   "execve of %s returned 0 without executing it (a seccomp filter's "
			   "answer?); nothing was run",
			   cs_word_clip(w, sizeof(w), path));
}

/*
 * With --caps or --ambient: open the file once, check the open file
 * (cs_launch_check_gain_fd) and execute that very descriptor, so it cannot
 * be swapped between the check and execve. (The new task's comm is then the
 * file's own name, "dash" for /bin/sh, since Linux 6.14; the descriptor's
 * number before.) A "#!" script goes through exec_script. Returns -errno; a
 * refusal has d set.
 */
static int exec_checked(const struct cs_launch *l, const char *path, char *const argv[], int depth,
			struct cs_diag *d)
{
	extern char **environ;
	enum cs_exec_head head = CS_EXEC_HEAD_UNREAD;
	cs_cleanup_close int fd = open(path, O_PATH | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	/* A predicted EINVAL (unreadable file capabilities) is said as execve's would be. */
	if ((rc = cs_launch_check_gain_fd(l, fd, path, &head, d)) < 0)
		return d->message[0] ? rc : exec_einval(rc, fd, path, d);
	if (syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH) == 0)
		return not_executed(path, d);
	rc = -errno;
	if (rc != -ENOENT)
		return exec_einval(rc, fd, path, d);
	if (head == CS_EXEC_HEAD_OTHER)
		return enoent_not_script(fd, path, d);
	return exec_script(l, fd, path, argv, depth, d);
}

bool cs_launch_checks_file(const struct cs_launch *l)
{
	return l && l->plan && (l->plan->set_caps || l->plan->set_ambient);
}

/* One candidate of the walk; without --caps or --ambient nothing is checked: executed by path. */
static int exec_one(const struct cs_launch *l, const char *path, char *const argv[],
		    struct cs_diag *d)
{
	if (!cs_launch_checks_file(l)) {
		if (execv(path, argv) == 0)
			return not_executed(path, d);
		return exec_einval(-errno, -1, path, d);
	}
	return exec_checked(l, path, argv, 0, d);
}

bool cs_launch_walk_goes_on(int rc)
{
	return rc == -EACCES || rc == -ENOENT || rc == -ENOTDIR || rc == -ESTALE || rc == -ENODEV ||
	       rc == -ETIMEDOUT;
}

/*
 * execvp without its fallback: glibc runs a file that execve refuses with
 * ENOEXEC (no "#!", not ELF) through /bin/sh, a program nobody asked for and
 * the model did not predict. Same PATH walk otherwise (default /bin:/usr/bin,
 * an empty entry is the current directory, EACCES is kept while the search
 * goes on). The run walks with the credentials the command gets, so a
 * directory the caller may search but the new user may not is skipped, as
 * execvp skips it; the dry run walks the same way in a child that has taken
 * them (cs_launch_in_child).
 */
int cs_launch_walk(const char *name, const char *search, cs_launch_try_fn try_one, void *ctx)
{
	const char *dir, *end;
	size_t n = strlen(name);
	bool final = false;
	int saved = ENOENT;

	if (!n)
		return -ENOENT;
	if (strchr(name, '/'))
		return try_one(ctx, name, &final);
	for (dir = search; dir; dir = *end ? end + 1 : NULL) {
		size_t dlen;
		char *full;
		int rc;

		end = strchrnul(dir, ':');
		dlen = (size_t)(end - dir);
		if (!(full = malloc(dlen + n + 2)))
			return -ENOMEM;
		snprintf(full, dlen + n + 2, "%.*s%s%s", (int)dlen, dir, dlen ? "/" : "", name);
		rc = try_one(ctx, full, &final);
		free(full);
		if (final || !cs_launch_walk_goes_on(rc))
			return rc;
		if (rc == -EACCES)
			saved = EACCES;
	}
	return -saved;
}

struct exec_ctx {
	const struct cs_launch *l;
	char *const *argv;
	struct cs_diag *d;
};

static int exec_try(void *ctx, const char *path, bool *final)
{
	struct exec_ctx *x = ctx;
	int rc = exec_one(x->l, path, x->argv, x->d);

	*final = x->d && x->d->message[0];
	return rc;
}

static int exec_walk(const struct cs_launch *l, char *const argv[], struct cs_diag *d)
{
	struct exec_ctx x = {l, argv, d};

	if (fault("execve") < 0)
		return -errno;
	return cs_launch_walk(argv[0], cs_launch_search_path(), exec_try, &x);
}

int cs_launch_exec(char *const argv[])
{
	return exec_walk(NULL, argv, NULL);
}

int cs_launch_exec_checked(const struct cs_launch *l, char *const argv[], struct cs_diag *d)
{
	char why[256];
	int rc;

	d->message[0] = '\0';
	rc = exec_walk(l, argv, d);
	/* execve's first check, before any file: a user over RLIMIT_NPROC (launch-nproc.h). */
	if (rc == -EAGAIN && !d->message[0] &&
	    cs_launch_nproc_exceeded(l->predicted.uid[0], why, sizeof(why)) == 1)
		return cs_diag_set(d, EAGAIN, 0, 0, "execve", "%s; nothing was run", why);
	return rc;
}
