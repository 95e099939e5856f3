/* SPDX-License-Identifier: MIT */
/*
 * The kernel model, rule by rule, plus the execve matrix of the kernel's own
 * selftest (tools/testing/selftests/capabilities/test_execve.c): plain,
 * file caps, set-uid root, ambient, for root and non-root.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/kernel.h"

#define NBS	10 /* CAP_NET_BIND_SERVICE */
#define RAW	13
#define CHOWN	0
#define KILL	5
#define SETPCAP 8
#define SETUID	7
#define M(c)	CS_BIT(c)

static struct cs_steps st;

static int setup(void **state)
{
	(void)state;
	cs_cap_last_override(40);
	cs_steps_init(&st);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cs_steps_free(&st);
	return 0;
}

static void user(struct cs_cred *c, uid_t u, cs_mask_t p, cs_mask_t i, cs_mask_t a)
{
	cs_cred_init_root(c);
	for (int k = 0; k < 4; k++) {
		c->uid[k] = u;
		c->gid[k] = u;
	}
	c->caps.set[CS_PRM] = p;
	c->caps.set[CS_EFF] = p;
	c->caps.set[CS_INH] = i;
	c->caps.set[CS_AMB] = a;
}

static struct cs_exec_file file(mode_t mode, uid_t owner)
{
	struct cs_exec_file f;

	memset(&f, 0, sizeof(f));
	f.path = (char *)"/bin/x";
	f.known = true;
	f.mode = S_IFREG | mode;
	f.owner_uid = f.owner_gid = owner;
	return f;
}

static void fcaps(struct cs_exec_file *f, cs_mask_t p, cs_mask_t i, bool e, int ver,
		  uint32_t rootid)
{
	f->fcaps_state = 1;
	f->fcaps.version = ver;
	f->fcaps.permitted = p;
	f->fcaps.inheritable = i;
	f->fcaps.effective = e;
	f->fcaps.rootid = rootid;
}

static void sets(const struct cs_cred *c, cs_mask_t p, cs_mask_t e, cs_mask_t i, cs_mask_t a)
{
	assert_int_equal(c->caps.set[CS_PRM], p);
	assert_int_equal(c->caps.set[CS_EFF], e);
	assert_int_equal(c->caps.set[CS_INH], i);
	assert_int_equal(c->caps.set[CS_AMB], a);
}

static void plain_nonroot_loses_everything(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 1000, M(NBS), M(NBS), 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, 0, 0, M(NBS), 0);
	assert_non_null(cs_steps_find(&st, "execve.effective"));
}

static void ambient_survives(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 1000, M(NBS) | M(RAW), M(NBS), M(NBS));
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(NBS), M(NBS), M(NBS), M(NBS));
	assert_non_null(cs_steps_find(&st, "execve.ambient"));
}

static void fcaps_ep(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 1000, 0, 0, M(KILL));
	fcaps(&f, M(NBS), 0, true, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	/* file caps clear the ambient set */
	sets(&c, M(NBS), M(NBS), 0, 0);
	assert_non_null(cs_steps_find(&st, "execve.fcaps"));
}

static void fcaps_ep_outside_bounding_eperm(void **state)
{
	struct cs_cred c, before;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 1000, 0, 0, 0);
	c.caps.set[CS_BND] = M(NBS);
	before = c;
	fcaps(&f, M(NBS) | M(RAW), 0, true, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), -EPERM);
	assert_memory_equal(&c, &before, sizeof(c));
	assert_non_null(cs_steps_find(&st, "execve.fcaps-eperm"));
	/* root too: the safety check comes before the root rule */
	cs_cred_init_root(&c);
	c.caps.set[CS_BND] = M(NBS);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), -EPERM);
}

static void fcaps_p_outside_bounding_no_error(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 1000, 0, 0, 0);
	c.caps.set[CS_BND] = M(NBS);
	fcaps(&f, M(NBS) | M(RAW), 0, false, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(NBS), 0, 0, 0);
}

static void fcaps_inheritable(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 1000, 0, M(NBS) | M(KILL), 0);
	fcaps(&f, 0, M(NBS), true, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(NBS), M(NBS), M(NBS) | M(KILL), 0);
	/* +i without e: permitted only */
	user(&c, 1000, 0, M(NBS), 0);
	fcaps(&f, 0, M(NBS), false, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(NBS), 0, M(NBS), 0);
}

static void empty_fcaps_clear_ambient(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 1000, M(NBS), M(NBS), M(NBS));
	fcaps(&f, 0, 0, false, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, 0, 0, M(NBS), 0);
}

static void root_gets_bounding(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 0, M(CHOWN), M(KILL), 0);
	c.caps.set[CS_BND] = M(NBS) | M(CHOWN);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(NBS) | M(CHOWN) | M(KILL), M(NBS) | M(CHOWN) | M(KILL), M(KILL), 0);
	assert_non_null(cs_steps_find(&st, "execve.root"));
}

static void ruid_root_only(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	user(&c, 0, M(NBS), M(NBS), M(NBS));
	c.uid[1] = c.uid[2] = c.uid[3] = 1000;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	/* P' = B | I, no fE: E' = A' = 0 (euid != ruid is a set-id exec: A cleared) */
	assert_int_equal(c.caps.set[CS_PRM], cs_mask_all());
	assert_int_equal(c.caps.set[CS_EFF], 0);
	assert_int_equal(c.caps.set[CS_AMB], 0);
}

static void noroot_securebit(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	cs_cred_init_root(&c);
	c.securebits = CS_SECBIT_NOROOT;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, 0, 0, 0, 0);
	assert_non_null(cs_steps_find(&st, "execve.root-noroot"));
}

static void setuid_root(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(04755, 0);

	(void)state;
	user(&c, 1000, M(NBS), M(NBS), M(NBS));
	c.caps.set[CS_BND] = M(NBS) | M(CHOWN);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.uid[0], 1000);
	assert_int_equal(c.uid[1], 0);
	assert_int_equal(c.uid[2], 0);
	assert_int_equal(c.uid[3], 0);
	sets(&c, M(NBS) | M(CHOWN), M(NBS) | M(CHOWN), M(NBS), 0);
}

static void setuid_root_with_fcaps(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(04755, 0);

	(void)state;
	user(&c, 1000, 0, 0, 0);
	fcaps(&f, M(NBS), 0, false, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.uid[1], 0);
	sets(&c, M(NBS), 0, 0, 0);
	assert_non_null(cs_steps_find(&st, "execve.root-fcaps-win"));
	/* run by root, the root rule applies anyway */
	cs_cred_init_root(&c);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.caps.set[CS_EFF], cs_mask_all());
}

static void setgid_needs_group_x(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(02745, 50);

	(void)state;
	user(&c, 1000, 0, 0, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.gid[1], 1000);
	f = file(02755, 50);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.gid[1], 50);
	assert_int_equal(c.gid[2], 50);
}

static void nnp(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(04755, 0);

	(void)state;
	user(&c, 1000, M(KILL), 0, 0);
	c.no_new_privs = true;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.uid[1], 1000);
	assert_non_null(cs_steps_find(&st, "execve.setid-nnp"));
	/* file caps only for what P already had */
	f = file(0755, 0);
	fcaps(&f, M(NBS) | M(KILL), 0, true, 2, 0);
	user(&c, 1000, M(KILL), 0, 0);
	c.no_new_privs = true;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(KILL), M(KILL), 0, 0);
	/* root under nnp keeps only its P */
	cs_cred_init_root(&c);
	c.caps.set[CS_PRM] = c.caps.set[CS_EFF] = M(NBS);
	c.no_new_privs = true;
	f = file(0755, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(NBS), M(NBS), 0, 0);
}

static void v3_rootid(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 100000);

	(void)state;
	user(&c, 1000, M(NBS), M(NBS), M(NBS));
	fcaps(&f, M(RAW), 0, true, 3, 100000);
	/* initial namespace: rootid 100000 is not root → ignored, ambient kept */
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(NBS), M(NBS), M(NBS), M(NBS));
	assert_non_null(cs_steps_find(&st, "execve.fcaps-rootid"));
	/* in a user namespace whose root is host 100000 → honoured */
	user(&c, 1000, 0, 0, 0);
	c.user_namespace = true;
	c.uid_map[0] = c.gid_map[0] = (struct cs_idmap){0, 100000, 65536};
	c.n_uid_map = c.n_gid_map = 1;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(RAW), M(RAW), 0, 0);
	/* v2 counts in any namespace */
	user(&c, 1000, 0, 0, 0);
	c.user_namespace = true;
	c.uid_map[0] = c.gid_map[0] = (struct cs_idmap){0, 100000, 65536};
	c.n_uid_map = c.n_gid_map = 1;
	fcaps(&f, M(RAW), 0, true, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	sets(&c, M(RAW), M(RAW), 0, 0);
}

static void userns_setuid_unmapped_owner(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(04755, 0);

	(void)state;
	user(&c, 1000, 0, 0, 0);
	c.user_namespace = true;
	c.uid_map[0] = c.gid_map[0] = (struct cs_idmap){0, 100000, 65536};
	c.n_uid_map = c.n_gid_map = 1;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.uid[1], 1000);
	assert_non_null(cs_steps_find(&st, "execve.setid-unmapped"));
	f = file(04755, 100000);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.uid[1], 0);
}

static void nosuid_mount(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(04755, 0);

	(void)state;
	user(&c, 1000, 0, 0, 0);
	f.nosuid = true;
	fcaps(&f, M(NBS), 0, true, 2, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.uid[1], 1000);
	sets(&c, 0, 0, 0, 0);
}

static void exec_permission(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0700, 0);

	(void)state;
	user(&c, 1000, 0, 0, 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), -EACCES);
	cs_cred_init_root(&c);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	f = file(0600, 0);
	cs_cred_init_root(&c);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), -EACCES);
	f = file(0755, 0);
	f.error = ENOENT;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), -ENOENT);
	f = file(0755, 0);
	f.fcaps_state = -EINVAL;
	assert_int_equal(cs_kernel_execve(&c, &f, &st), -EINVAL);
}

static void keepcaps_cleared_by_exec(void **state)
{
	struct cs_cred c;
	struct cs_exec_file f = file(0755, 0);

	(void)state;
	cs_cred_init_root(&c);
	assert_int_equal(cs_kernel_set_keepcaps(&c, true, &st), 0);
	assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
	assert_int_equal(c.securebits & CS_SECBIT_KEEP_CAPS, 0);
}

static void setuid_fixups(void **state)
{
	struct cs_cred c;

	(void)state;
	cs_cred_init_root(&c);
	c.caps.set[CS_INH] = c.caps.set[CS_AMB] = M(NBS);
	assert_int_equal(cs_kernel_setresuid(&c, 1000, 1000, 1000, &st), 0);
	sets(&c, 0, 0, M(NBS), 0);
	assert_int_equal(c.uid[3], 1000);
	/* KEEP_CAPS keeps P, E still cleared, A cleared */
	cs_cred_init_root(&c);
	c.caps.set[CS_INH] = c.caps.set[CS_AMB] = M(NBS);
	cs_kernel_set_keepcaps(&c, true, &st);
	assert_int_equal(cs_kernel_setresuid(&c, 1000, 1000, 1000, &st), 0);
	sets(&c, cs_mask_all(), 0, M(NBS), 0);
	/* no CAP_SETUID now: a new uid is refused */
	assert_int_equal(cs_kernel_setresuid(&c, 2000, 2000, 2000, &st), -EPERM);
	/* euid back to 0 via saved uid 0: E = P */
	cs_cred_init_root(&c);
	assert_int_equal(cs_kernel_setresuid(&c, (uid_t)-1, 1000, (uid_t)-1, &st), 0);
	assert_int_equal(c.caps.set[CS_EFF], 0);
	assert_int_equal(c.caps.set[CS_PRM], cs_mask_all());
	assert_int_equal(cs_kernel_setresuid(&c, (uid_t)-1, 0, (uid_t)-1, &st), 0);
	assert_int_equal(c.caps.set[CS_EFF], cs_mask_all());
	/* NO_SETUID_FIXUP: nothing moves */
	cs_cred_init_root(&c);
	c.securebits = CS_SECBIT_NO_SETUID_FIXUP;
	assert_int_equal(cs_kernel_setuid(&c, 1000, &st), 0);
	assert_int_equal(c.caps.set[CS_EFF], cs_mask_all());
	/* setfsuid moves the filesystem caps */
	cs_cred_init_root(&c);
	assert_int_equal(cs_kernel_setfsuid(&c, 1000, &st), 0);
	assert_int_equal(c.caps.set[CS_EFF] & M(CHOWN), 0);
	assert_int_equal(c.caps.set[CS_EFF] & M(KILL), M(KILL));
	assert_int_equal(cs_kernel_setfsuid(&c, 0, &st), 0);
	assert_int_equal(c.caps.set[CS_EFF], cs_mask_all());
}

static void capset_rules(void **state)
{
	struct cs_cred c;

	(void)state;
	user(&c, 1000, M(NBS) | M(KILL), 0, 0);
	/* I beyond I ∪ P without SETPCAP */
	assert_int_equal(cs_kernel_capset(&c, 0, M(NBS), M(RAW), &st), -EPERM);
	/* I within P: fine */
	assert_int_equal(cs_kernel_capset(&c, 0, M(NBS) | M(KILL), M(NBS), &st), 0);
	/* P cannot grow */
	assert_int_equal(cs_kernel_capset(&c, 0, M(NBS) | M(RAW), M(NBS), &st), -EPERM);
	/* E ⊆ P */
	assert_int_equal(cs_kernel_capset(&c, M(KILL), M(NBS), M(NBS), &st), -EPERM);
	/* I ⊆ I ∪ B even with SETPCAP */
	cs_cred_init_root(&c);
	c.caps.set[CS_BND] = M(NBS);
	assert_int_equal(cs_kernel_capset(&c, 0, cs_mask_all(), M(RAW), &st), -EPERM);
	assert_non_null(cs_steps_find(&st, "capset.inheritable-bounding"));
	/* lowering P drops A */
	user(&c, 1000, M(NBS), M(NBS), M(NBS));
	assert_int_equal(cs_kernel_capset(&c, 0, 0, M(NBS), &st), 0);
	assert_int_equal(c.caps.set[CS_AMB], 0);
}

static void ambient_rules(void **state)
{
	struct cs_cred c;

	(void)state;
	user(&c, 1000, M(NBS), 0, 0);
	assert_int_equal(cs_kernel_ambient_raise(&c, NBS, &st), -EPERM);
	c.caps.set[CS_INH] = M(NBS);
	c.securebits = CS_SECBIT_NO_CAP_AMBIENT_RAISE;
	assert_int_equal(cs_kernel_ambient_raise(&c, NBS, &st), -EPERM);
	c.securebits = 0;
	assert_int_equal(cs_kernel_ambient_raise(&c, NBS, &st), 0);
	assert_int_equal(c.caps.set[CS_AMB], M(NBS));
	assert_int_equal(cs_kernel_ambient_raise(&c, 63, &st), -EINVAL);
	assert_int_equal(cs_kernel_ambient_lower(&c, NBS, &st), 0);
	assert_int_equal(c.caps.set[CS_AMB], 0);
}

static void bounding_and_securebits(void **state)
{
	struct cs_cred c;

	(void)state;
	user(&c, 1000, 0, 0, 0);
	assert_int_equal(cs_kernel_bset_drop(&c, NBS, &st), -EPERM);
	cs_cred_init_root(&c);
	assert_int_equal(cs_kernel_bset_drop(&c, NBS, &st), 0);
	assert_int_equal(c.caps.set[CS_BND] & M(NBS), 0);
	/* the other sets keep the cap */
	assert_int_equal(c.caps.set[CS_PRM] & M(NBS), M(NBS));
	assert_int_equal(
	    cs_kernel_set_securebits(&c, CS_SECBIT_KEEP_CAPS | CS_SECBIT_KEEP_CAPS_LOCKED, &st), 0);
	/* a locked bit cannot change, a lock cannot go */
	assert_int_equal(cs_kernel_set_securebits(&c, CS_SECBIT_KEEP_CAPS_LOCKED, &st), -EPERM);
	assert_int_equal(cs_kernel_set_securebits(&c, CS_SECBIT_KEEP_CAPS, &st), -EPERM);
	assert_int_equal(cs_kernel_set_keepcaps(&c, false, &st), -EPERM);
	assert_int_equal(cs_kernel_set_securebits(&c, 1u << 20, &st), -EPERM);
}

/*
 * The selftest's matrix, condensed: {root, non-root} × {plain, +ep file,
 * set-uid root} × {ambient raised or not} with NBS in P and I.
 */
static void selftest_matrix(void **state)
{
	static const struct {
		uid_t uid;
		int kind; /* 0 plain, 1 fcaps +ep (NBS), 2 set-uid root */
		bool amb;
		cs_mask_t p, e, a;
		uid_t euid;
	} t[] = {
	    {1000, 0, false, 0, 0, 0, 1000},
	    {1000, 0, true, M(NBS), M(NBS), M(NBS), 1000},
	    {1000, 1, false, M(NBS), M(NBS), 0, 1000},
	    {1000, 1, true, M(NBS), M(NBS), 0, 1000},
	    {1000, 2, false, 1, 1, 0, 0}, /* 1 = "all" marker */
	    {1000, 2, true, 1, 1, 0, 0},
	    {0, 0, false, 1, 1, 0, 0},
	    {0, 1, true, 1, 1, 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cs_cred c;
		struct cs_exec_file f = file(t[i].kind == 2 ? 04755 : 0755, 0);
		cs_mask_t all = cs_mask_all();

		user(&c, t[i].uid, M(NBS), M(NBS), t[i].amb ? M(NBS) : 0);
		if (t[i].kind == 1)
			fcaps(&f, M(NBS), 0, true, 2, 0);
		assert_int_equal(cs_kernel_execve(&c, &f, &st), 0);
		assert_int_equal(c.caps.set[CS_PRM], t[i].p == 1 ? all : t[i].p);
		assert_int_equal(c.caps.set[CS_EFF], t[i].e == 1 ? all : t[i].e);
		assert_int_equal(c.caps.set[CS_AMB], t[i].a);
		assert_int_equal(c.uid[1], t[i].euid);
	}
}

/* system.posix_acl_access as the kernel stores it: what it would refuse is refused. */
/* Every errno by its name, either sign; a number with none as E<n>, INT_MIN too. */
static void errno_names(void **state)
{
	(void)state;
	assert_string_equal(cs_errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(cs_errno_name(-EPERM), "EPERM");
	assert_string_equal(cs_errno_name(4000), "E4000");
	assert_string_equal(cs_errno_name(INT_MIN), "E2147483648");
	assert_string_equal(cs_errno_name(INT_MAX), "E2147483647");
}

static void acl_parse(void **state)
{
#define E(t, p, i) (t), 0, (p), 0, (i)&0xff, ((i) >> 8) & 0xff, 0, 0
	static const unsigned char ok[] = {2,
					   0,
					   0,
					   0,
					   E(1, 7, 0),
					   E(2, 5, 1001),
					   E(4, 5, 0),
					   E(8, 0, 202),
					   E(0x10, 5, 0),
					   E(0x20, 0, 0)};
	static const unsigned char no_mask[] = {
	    2, 0, 0, 0, E(1, 7, 0), E(2, 5, 1001), E(4, 5, 0), E(0x20, 5, 0)};
	static const unsigned char order[] = {2, 0, 0, 0, E(4, 5, 0), E(1, 7, 0), E(0x20, 5, 0)};
	static const unsigned char perm[] = {2, 0, 0, 0, E(1, 8, 0), E(4, 5, 0), E(0x20, 5, 0)};
	static const unsigned char v1[] = {1, 0, 0, 0, E(1, 7, 0), E(4, 5, 0), E(0x20, 5, 0)};
	static const unsigned char no_other[] = {2, 0, 0, 0, E(1, 7, 0), E(4, 5, 0)};
#undef E
	struct cs_acl *a;

	(void)state;
	assert_int_equal(cs_acl_parse(ok, sizeof(ok), &a), 0);
	assert_int_equal(a->n, 6);
	assert_int_equal(a->e[1].tag, CS_ACL_USER);
	assert_int_equal(a->e[1].id, 1001);
	assert_int_equal(a->e[3].id, 202);
	free(a);
	assert_int_equal(cs_acl_parse(no_mask, sizeof(no_mask), &a), -EINVAL);
	assert_int_equal(cs_acl_parse(order, sizeof(order), &a), -EINVAL);
	assert_int_equal(cs_acl_parse(perm, sizeof(perm), &a), -EINVAL);
	assert_int_equal(cs_acl_parse(v1, sizeof(v1), &a), -EINVAL);
	assert_int_equal(cs_acl_parse(no_other, sizeof(no_other), &a), -EINVAL);
	assert_int_equal(cs_acl_parse(ok, sizeof(ok) - 1, &a), -EINVAL);
	assert_int_equal(cs_acl_parse(ok, 4, &a), 0); /* no entries: no ACL */
	assert_null(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(errno_names),
	    cmocka_unit_test(plain_nonroot_loses_everything),
	    cmocka_unit_test(ambient_survives),
	    cmocka_unit_test(fcaps_ep),
	    cmocka_unit_test(fcaps_ep_outside_bounding_eperm),
	    cmocka_unit_test(fcaps_p_outside_bounding_no_error),
	    cmocka_unit_test(fcaps_inheritable),
	    cmocka_unit_test(empty_fcaps_clear_ambient),
	    cmocka_unit_test(root_gets_bounding),
	    cmocka_unit_test(ruid_root_only),
	    cmocka_unit_test(noroot_securebit),
	    cmocka_unit_test(setuid_root),
	    cmocka_unit_test(setuid_root_with_fcaps),
	    cmocka_unit_test(setgid_needs_group_x),
	    cmocka_unit_test(nnp),
	    cmocka_unit_test(v3_rootid),
	    cmocka_unit_test(userns_setuid_unmapped_owner),
	    cmocka_unit_test(nosuid_mount),
	    cmocka_unit_test(exec_permission),
	    cmocka_unit_test(keepcaps_cleared_by_exec),
	    cmocka_unit_test(setuid_fixups),
	    cmocka_unit_test(capset_rules),
	    cmocka_unit_test(ambient_rules),
	    cmocka_unit_test(bounding_and_securebits),
	    cmocka_unit_test(selftest_matrix),
	    cmocka_unit_test(acl_parse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
