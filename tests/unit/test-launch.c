/* SPDX-License-Identifier: MIT */
/*
 * The launcher's contract: exactly what was asked, or nothing. Every plan
 * here would, without its check, run with a set narrower or wider than the
 * one asked for; prepare must refuse it before anything happens.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <unistd.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "capscope/launch.h"
#include "internal/exec-strings.h"

/* A root process whose bounding set lost cap_net_raw (e.g. under capsh --drop). */
static void root_without_net_raw(struct cs_cred *c)
{
	cs_mask_t all = cs_mask_all();

	memset(c, 0, sizeof(*c));
	c->caps.present = 0x1f;
	c->caps.set[CS_BND] = all & ~CS_BIT(CAP_NET_RAW);
	c->caps.set[CS_PRM] = c->caps.set[CS_EFF] = all & ~CS_BIT(CAP_NET_RAW);
}

static int prep(const struct cs_launch_plan *p, struct cs_diag *d)
{
	static struct cs_launch l;
	struct cs_cred start;
	struct cs_steps st;
	int rc;

	root_without_net_raw(&start);
	memset(d, 0, sizeof(*d));
	cs_steps_init(&st);
	rc = cs_launch_prepare(p, &start, &l, &st, d);
	cs_steps_free(&st);
	return rc;
}

static void bounding_cannot_grow(void **state)
{
	struct cs_launch_plan p = {.set_bounding = true,
				   .bounding = CS_BIT(CAP_NET_RAW) | CS_BIT(CAP_CHOWN)};
	struct cs_diag d;

	(void)state;
	assert_int_equal(prep(&p, &d), -EPERM);
	assert_string_equal(d.field, "bounding");
	assert_non_null(strstr(d.message, "cap_net_raw"));
	/* what is still there can be kept */
	p.bounding = CS_BIT(CAP_CHOWN);
	assert_int_equal(prep(&p, &d), 0);
}

static void caps_beyond_the_kernel(void **state)
{
	struct cs_launch_plan p = {.set_caps = true};
	struct cs_diag d;

	(void)state;
	cs_cap_last_override(40);
	p.caps_prm = p.caps_eff = CS_BIT(CAP_CHOWN) | CS_BIT(50);
	assert_int_equal(prep(&p, &d), -EINVAL);
	assert_string_equal(d.field, "capabilities");
	p = (struct cs_launch_plan){.set_bounding = true,
				    .bounding = CS_BIT(CAP_CHOWN) | CS_BIT(45)};
	assert_int_equal(prep(&p, &d), -EINVAL);
	p = (struct cs_launch_plan){.set_inh = true, .inh = CS_BIT(41)};
	assert_int_equal(prep(&p, &d), -EINVAL);
	p = (struct cs_launch_plan){.set_ambient = true, .ambient = CS_BIT(63)};
	assert_int_equal(prep(&p, &d), -EINVAL);
	cs_cap_last_override(-1);
}

/* (uid_t)-1 is "no change" to setresuid/setresgid: a plan asking for it would keep root. */
static void id_minus_one_refused(void **state)
{
	struct cs_launch_plan p = {.set_uid = true,
				   .uid = (uid_t)-1,
				   .set_gid = true,
				   .gid = 5,
				   .groups_mode = CS_GROUPS_CLEAR};
	struct cs_diag d;

	(void)state;
	assert_int_equal(prep(&p, &d), -EINVAL);
	assert_non_null(strstr(d.message, "4294967295"));
	p.uid = 5;
	p.gid = (gid_t)-1;
	assert_int_equal(prep(&p, &d), -EINVAL);
	p.gid = 5;
	p.groups_mode = CS_GROUPS_LIST;
	p.ngroups = 2;
	p.groups[0] = 7;
	p.groups[1] = (gid_t)-1;
	assert_int_equal(prep(&p, &d), -EINVAL);
	assert_string_equal(d.field, "groups");
	p.groups[1] = 8;
	assert_int_equal(prep(&p, &d), 0);
	/* A count past the array is refused before any group is read (ASan). */
	p.ngroups = CS_CRED_MAX_GROUPS + 100;
	assert_int_equal(prep(&p, &d), -EINVAL);
	assert_non_null(strstr(d.message, "more than"));
}

static void options_that_disagree(void **state)
{
	struct cs_launch_plan p = {.set_caps = true,
				   .caps_prm = CS_BIT(CAP_CHOWN),
				   .caps_eff = CS_BIT(CAP_CHOWN),
				   .caps_inh = CS_BIT(CAP_CHOWN),
				   .set_inh = true,
				   .inh = CS_BIT(CAP_KILL)};
	struct cs_diag d;

	(void)state;
	assert_int_equal(prep(&p, &d), -EINVAL);
	assert_string_equal(d.field, "inheritable");
	p.inh = CS_BIT(CAP_CHOWN); /* the same set twice is no contradiction */
	p.set_securebits = true;   /* (root: without noroot, execve gives all back) */
	p.securebits = CS_SECBIT_NOROOT;
	assert_int_equal(prep(&p, &d), 0);

	/* --caps says exactly chown in P; --ambient kill would add kill to P */
	p = (struct cs_launch_plan){.set_caps = true,
				    .caps_prm = CS_BIT(CAP_CHOWN),
				    .caps_eff = CS_BIT(CAP_CHOWN),
				    .set_ambient = true,
				    .ambient = CS_BIT(CAP_KILL)};
	assert_int_equal(prep(&p, &d), -EINVAL);
	assert_string_equal(d.field, "ambient");
	p.caps_prm = p.caps_inh = CS_BIT(CAP_CHOWN) | CS_BIT(CAP_KILL);
	p.set_securebits = true;
	p.securebits = CS_SECBIT_NOROOT;
	assert_int_equal(prep(&p, &d), 0);

	p = (struct cs_launch_plan){
	    .set_inh = true, .inh = 0, .set_ambient = true, .ambient = CS_BIT(CAP_KILL)};
	assert_int_equal(prep(&p, &d), -EINVAL);
	assert_string_equal(d.field, "ambient");
}

/* Root keeps uid 0 through execve and gets its bounding set back as permitted. */
static void root_gets_bounding_back(void **state)
{
	struct cs_launch_plan p = {.set_caps = true};
	struct cs_diag d;

	(void)state;
	assert_int_equal(prep(&p, &d), -EPERM); /* --caps = */
	assert_string_equal(d.field, "execve");
	assert_non_null(strstr(d.message, "noroot"));
	p.caps_prm = p.caps_eff = CS_BIT(CAP_CHOWN);
	assert_int_equal(prep(&p, &d), -EPERM);
	p.set_bounding = true; /* nothing outside chown to get back */
	p.bounding = CS_BIT(CAP_CHOWN);
	assert_int_equal(prep(&p, &d), 0);
	p.set_bounding = false;
	p.set_securebits = true;
	p.securebits = CS_SECBIT_NOROOT;
	assert_int_equal(prep(&p, &d), 0);
	/* a non-root target keeps what capset left */
	p = (struct cs_launch_plan){.set_caps = true,
				    .set_uid = true,
				    .uid = 1000,
				    .set_gid = true,
				    .gid = 1000,
				    .groups_mode = CS_GROUPS_CLEAR};
	assert_int_equal(prep(&p, &d), 0);
}

static void ambient_needs_permitted(void **state)
{
	struct cs_launch_plan p = {.set_ambient = true, .ambient = CS_BIT(CAP_NET_RAW)};
	struct cs_diag d;

	(void)state;
	assert_true(prep(&p, &d) < 0);
}

static void apply_and_verify_fill_diag(void **state)
{
	static struct cs_launch l;
	struct cs_launch_plan p = {0};
	struct cs_cred self;
	struct cs_steps st;
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_cred_read_self(&self, &d), 0);
	cs_steps_init(&st);
	assert_int_equal(cs_launch_prepare(&p, &self, &l, &st, &d), 0);
	cs_steps_free(&st);
	assert_int_equal(l.nops, 0);
	assert_int_equal(cs_launch_apply(&l, &d), 0);
	assert_int_equal(cs_launch_verify(&l, &d), 0);
	l.predicted.caps.set[CS_INH] ^= CS_BIT(CAP_KILL);
	assert_int_equal(cs_launch_verify(&l, &d), -EPROTO);
	assert_string_equal(d.field, "verify");
	assert_non_null(strstr(d.message, "inheritable"));
}

static int exit_7(void *arg)
{
	(void)arg;
	return 7;
}

/* A library caller's handler that reaps every child it is told of. */
static void reap_all(int sig)
{
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * cs_launch_in_child under a caller's SIGCHLD that takes the child from
 * it: SA_NOCLDWAIT (the kernel reaps it, whatever the action; only a
 * library caller has it, execve clears it) and a handler that reaps with
 * waitpid(-1). Both made waitpid fail with ECHILD ("step 'fork' failed").
 * The caller's action and mask are put back after.
 */
static void child_kept_from_caller_sigchld(void **state)
{
	static struct cs_launch l;
	struct cs_launch_plan p = {0};
	struct sigaction nocldwait = {.sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT};
	struct sigaction reaper = {.sa_handler = reap_all}, old, after;
	struct cs_cred self;
	struct cs_steps st;
	struct cs_diag d = {0};
	sigset_t before_mask, after_mask;

	(void)state;
	assert_int_equal(cs_cred_read_self(&self, &d), 0);
	cs_steps_init(&st);
	assert_int_equal(cs_launch_prepare(&p, &self, &l, &st, &d), 0);
	cs_steps_free(&st);
	sigemptyset(&nocldwait.sa_mask);
	sigemptyset(&reaper.sa_mask);
	assert_int_equal(sigaction(SIGCHLD, &nocldwait, &old), 0);
	assert_int_equal(cs_launch_in_child(&l, exit_7, NULL, &d), 7);
	assert_int_equal(sigaction(SIGCHLD, NULL, &after), 0);
	assert_true(after.sa_flags & SA_NOCLDWAIT);
	assert_int_equal(sigaction(SIGCHLD, &reaper, NULL), 0);
	sigprocmask(SIG_SETMASK, NULL, &before_mask);
	assert_int_equal(cs_launch_in_child(&l, exit_7, NULL, &d), 7);
	sigprocmask(SIG_SETMASK, NULL, &after_mask);
	assert_int_equal(sigismember(&before_mask, SIGCHLD), sigismember(&after_mask, SIGCHLD));
	assert_int_equal(sigaction(SIGCHLD, NULL, &after), 0);
	assert_ptr_equal(after.sa_handler, reap_all);
	sigaction(SIGCHLD, &old, NULL);
}

/*
 * argc 0 (sixteenth pass, second round): execve keeps room for one pointer
 * and, after the strings, copies an empty argv[0] ("", one byte, Linux
 * 5.18+): the model left the byte out, so one byte past the limit it
 * predicted a run. The real execve of /bin/true under an 8 MiB stack (2 MiB
 * of strings and pointers) at the limit and one byte past it, both asked.
 */
static int real_execve_argc0(char **envp)
{
	char *argv[] = {NULL};
	int p[2], e = 0, st;
	pid_t pid;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	if ((pid = fork()) == 0) {
		execve("/bin/true", argv, envp);
		e = errno;
		(void)!write(p[1], &e, sizeof(e));
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	return e;
}

static char *filled(size_t with_nul)
{
	char *e = malloc(with_nul);

	assert_non_null(e);
	memset(e, 'e', with_nul - 1);
	e[with_nul - 1] = '\0';
	return e;
}

static void e2big_argc0(void **state)
{
	(void)state;
	struct rlimit old, rl;
	char *argv[] = {NULL}, why[512], *envp[33] = {0};
	/* "/bin/true", the empty argv[0], 32 entries; pointers: 1 + 32 */
	size_t last = (2u << 20) - 10 - 1 - 8 * 33 - 31 * 65536;

	assert_int_equal(getrlimit(RLIMIT_STACK, &old), 0);
	if (old.rlim_max != RLIM_INFINITY && old.rlim_max < (8u << 20))
		skip();
	rl = (struct rlimit){8u << 20, old.rlim_max};
	assert_int_equal(setrlimit(RLIMIT_STACK, &rl), 0);
	for (int i = 0; i < 31; i++)
		envp[i] = filled(65536);
	for (int more = 0; more < 2; more++) {
		envp[31] = filled(last + (size_t)more);
		assert_int_equal(real_execve_argc0(envp), more ? E2BIG : 0);
		assert_int_equal(cs_exec_strings_e2big("/bin/true", argv, envp, why, sizeof(why)),
				 more);
		free(envp[31]);
	}
	for (int i = 0; i < 31; i++)
		free(envp[i]);
	assert_int_equal(setrlimit(RLIMIT_STACK, &old), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bounding_cannot_grow),
	    cmocka_unit_test(caps_beyond_the_kernel),
	    cmocka_unit_test(options_that_disagree),
	    cmocka_unit_test(id_minus_one_refused),
	    cmocka_unit_test(ambient_needs_permitted),
	    cmocka_unit_test(apply_and_verify_fill_diag),
	    cmocka_unit_test(root_gets_bounding_back),
	    cmocka_unit_test(child_kept_from_caller_sigchld),
	    cmocka_unit_test(e2big_argc0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
