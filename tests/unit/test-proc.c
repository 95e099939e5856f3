/* SPDX-License-Identifier: MIT */
#include "internal/proc-snapshot.h"
#include "cmocka-wrap.h"
#include "fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope/ids.h"
#include "capscope/proc.h"
#include "internal/proc-seam.h"
#include "internal/util.h"

static const char good[] = "Name:\tnc\n"
			   "Umask:\t0022\n"
			   "State:\tS (sleeping)\n"
			   "Tgid:\t15438\n"
			   "Pid:\t15438\n"
			   "PPid:\t15436\n"
			   "Uid:\t1000\t1000\t1000\t1000\n"
			   "Gid:\t1000\t1000\t1000\t1000\n"
			   "Groups:\t993 1000 \n"
			   "CapInh:\t00000000000005c0\n"
			   "CapPrm:\t0000000000000400\n"
			   "CapEff:\t0000000000000400\n"
			   "CapBnd:\t000001ffffffffff\n"
			   "CapAmb:\t0000000000000400\n"
			   "NoNewPrivs:\t0\n"
			   "Seccomp:\t2\n"
			   "Seccomp_filters:\t1\n";

static void parse_good(void **state)
{
	struct cs_proc_status st;
	struct cs_diag d;

	(void)state;
	assert_int_equal(cs_proc_status_parse(good, strlen(good), &st, &d), 0);
	assert_string_equal(st.name, "nc");
	assert_int_equal(st.pid, 15438);
	assert_int_equal(st.ppid, 15436);
	assert_int_equal(st.uid[0], 1000);
	assert_int_equal(st.gid[3], 1000);
	assert_int_equal(st.ngroups, 2);
	assert_int_equal(st.groups[0], 993);
	assert_int_equal(st.caps.set[CS_INH], 0x5c0);
	assert_int_equal(st.caps.set[CS_AMB], 0x400);
	assert_int_equal(st.caps.set[CS_BND], 0x1ffffffffffULL);
	assert_int_equal(st.caps.present, 0x1f);
	assert_int_equal(st.no_new_privs, 0);
	assert_int_equal(st.seccomp, 2);
	assert_int_equal(st.seccomp_filters, 1);
	assert_true(st.have & CS_HAVE_CAPS);
	cs_proc_status_free(&st);
}

static void spoofed_name(void **state)
{
	/* The kernel escapes newlines in Name:, but a comm can contain ":\t" text. */
	char buf[1024];
	struct cs_proc_status st;

	(void)state;
	snprintf(buf, sizeof(buf), "Name:\tCapEff:\tffffffffffffffff\n%s", strchr(good, '\n') + 1);
	assert_int_equal(cs_proc_status_parse(buf, strlen(buf), &st, NULL), 0);
	assert_int_equal(st.caps.set[CS_EFF], 0x400);
	assert_string_equal(st.name, "CapEff:\tffffffffffffffff");
	cs_proc_status_free(&st);
	/* Leading space or text before the key: not a key line. */
	snprintf(buf, sizeof(buf), "%s CapEff:\tffff\nxCapEff:\tffff\n", good);
	assert_int_equal(cs_proc_status_parse(buf, strlen(buf), &st, NULL), 0);
	assert_int_equal(st.caps.set[CS_EFF], 0x400);
	cs_proc_status_free(&st);
	/* A second CapEff line is never the kernel's. */
	snprintf(buf, sizeof(buf), "%sCapEff:\tffff\n", good);
	assert_int_equal(cs_proc_status_parse(buf, strlen(buf), &st, NULL), -EPROTO);
}

static void truncated(void **state)
{
	struct cs_proc_status st;
	struct cs_diag d;
	const char *cut = strstr(good, "CapBnd");

	(void)state;
	/* Cut in the middle of the Cap lines: the missing set is named. */
	assert_int_equal(cs_proc_status_parse(good, (size_t)(cut - good), &st, &d), -EPROTO);
	assert_string_equal(d.field, "CapBnd");
	/* Cut inside a value: "CapBnd:\t0000" is a valid (short) mask, CapAmb missing. */
	assert_int_equal(cs_proc_status_parse(good, (size_t)(cut - good) + 12, &st, &d), -EPROTO);
	assert_string_equal(d.field, "CapAmb");
	assert_int_equal(cs_proc_status_parse("", 0, &st, &d), -EPROTO);
	assert_int_equal(cs_proc_status_parse("   \n\n\t", 6, &st, &d), -EPROTO);
}

static void bad_values(void **state)
{
	static const char *const bad[] = {
	    "CapEff:\t10000000000000000\n", /* wider than 64 bits */
	    "CapEff:\tzz\n",
	    "CapEff:\t\n",
	    "Uid:\t1\t2\t3\n",
	    "Uid:\t1\t2\t3\t4\t5\n",
	    "Uid:\t1\t2\t3\t99999999999\n",
	    "Uid:\t-1\t2\t3\t4\n",
	    "NoNewPrivs:\t2\n",
	    "Seccomp:\t3\n",
	    "Groups:\t1 x\n",
	    "Pid:\t99999999999999\n",
	};
	char buf[2048];
	struct cs_proc_status st;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *key_end = strchr(bad[i], ':');
		char key[32];

		snprintf(key, sizeof(key), "%.*s", (int)(key_end - bad[i]), bad[i]);
		/* Put the bad line first so that it is the one reported. */
		snprintf(buf, sizeof(buf), "%s%s", bad[i], good);
		int rc = cs_proc_status_parse(buf, strlen(buf), &st, &d);

		if (rc == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(d.line, 1);
		assert_string_equal(d.field, key);
	}
}

static void read_self(void **state)
{
	struct cs_proc_status st;
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_proc_status_read(getpid(), 0, &st, &d), 0);
	assert_int_equal(st.pid, getpid());
	assert_int_equal(st.uid[0], getuid());
	cs_proc_status_free(&st);
	assert_int_equal(cs_proc_status_read(getpid(), getpid(), &st, &d), 0);
	cs_proc_status_free(&st);
	/* A pid that cannot exist. */
	assert_int_equal(cs_proc_status_read(0x3fffffff, 0, &st, &d), -ENOENT);
	assert_non_null(strstr(d.file, "/proc/1073741823/status"));
	assert_true(cs_proc_in_child_userns(getpid()) >= 0);
}

static void cgroups(void **state)
{
	struct cs_container c;
	const char *s;

	(void)state;
#define P(str) cs_cgroup_parse(str, strlen(str), &c)
	s = "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1d2f3a4b_5c6d_7e8f_"
	    "9a0b_c1d2e3f4a5b6.slice/cri-containerd-"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope\n";
	assert_int_equal(P(s), 1);
	assert_int_equal(c.runtime, CS_RT_CONTAINERD);
	assert_string_equal(c.id,
			    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_string_equal(c.pod_uid, "1d2f3a4b-5c6d-7e8f-9a0b-c1d2e3f4a5b6");
	assert_string_equal(c.qos, "burstable");

	s = "0::/kubepods.slice/kubepods-pod11111111_2222_3333_4444_555555555555.slice/crio-"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope\n";
	assert_int_equal(P(s), 1);
	assert_int_equal(c.runtime, CS_RT_CRIO);
	assert_string_equal(c.qos, "guaranteed");
	assert_string_equal(c.pod_uid, "11111111-2222-3333-4444-555555555555");

	s = "0::/kubepods.slice/kubepods-besteffort.slice/"
	    "kubepods-besteffort-pod11111111_2222_3333_"
	    "4444_555555555555.slice/crio-conmon-"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope\n";
	assert_int_equal(P(s), 1); /* in the pod, but conmon is not the container */
	assert_int_equal(c.runtime, CS_RT_KUBEPODS);
	assert_string_equal(c.id, "");

	s = "12:memory:/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
	    "0::/\n";
	assert_int_equal(P(s), 1);
	assert_int_equal(c.runtime, CS_RT_DOCKER);

	s = "0::/system.slice/"
	    "docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    ".scope\n";
	assert_int_equal(P(s), 1);
	assert_int_equal(c.runtime, CS_RT_DOCKER);
	assert_string_equal(c.pod_uid, "");

	s = "0::/machine.slice/libpod-"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.scope/container\n";
	assert_int_equal(P(s), 1);
	assert_int_equal(c.runtime, CS_RT_PODMAN);

	s = "1:name=systemd:/kubepods/burstable/pod1d2f3a4b-5c6d-7e8f-9a0b-c1d2e3f4a5b6/"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
	assert_int_equal(P(s), 1);
	assert_int_equal(c.runtime, CS_RT_KUBEPODS);
	assert_string_equal(c.pod_uid, "1d2f3a4b-5c6d-7e8f-9a0b-c1d2e3f4a5b6");
	assert_string_equal(c.qos, "burstable");

	s = "0::/lxc.payload.web1/init.scope\n";
	assert_int_equal(P(s), 1);
	assert_int_equal(c.runtime, CS_RT_LXC);
	assert_string_equal(c.id, "web1");

	/* An LXC name whole (cgroup names go up to NAME_MAX): two that share
	 * their first 64 bytes were one id, cut there (twentieth pass, part B). */
	{
		char buf[400], name[256];

		memset(name, 'n', 243);
		name[243] = '\0';
		snprintf(buf, sizeof(buf), "0::/lxc.payload.%s/init.scope\n", name);
		assert_int_equal(P(buf), 1);
		assert_int_equal(c.runtime, CS_RT_LXC);
		assert_string_equal(c.id, name);
		memset(name, 'm', 255);
		name[255] = '\0';
		snprintf(buf, sizeof(buf), "0::/lxc/%s\n", name);
		assert_int_equal(P(buf), 1);
		assert_string_equal(c.id, name);
		/* Longer than a cgroup's name can be: not read as an id. */
		snprintf(buf, sizeof(buf), "0::/lxc/%sm\n", name);
		assert_true(P(buf) <= 0);
		assert_int_equal(cs_cgroup_path_parse(buf + 3, strlen(buf + 3) - 1, &c),
				 -ENAMETOOLONG);
	}

	assert_int_equal(P("0::/user.slice/user-1000.slice/session-2.scope\n"), 0);
	assert_int_equal(P("0::/\n"), 0);
	assert_int_equal(P(""), 0);
	assert_int_equal(P("garbage\n"), -EPROTO);
	/* Upper-case hex is not a container id. */
	assert_int_equal(
	    P("0::/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\n"), 0);
#undef P
}

/* The kernel writes '\n' and '\\' in Name: escaped; cs_proc_comm_raw undoes exactly that. */
static void comm_raw(void **state)
{
	char out[64];

	(void)state;
	cs_proc_comm_raw("a\\nb\\\\c\\x", out, sizeof(out));
	assert_string_equal(out, "a\nb\\c\\x");
	cs_proc_comm_raw("\x1b[2J", out, sizeof(out));
	assert_string_equal(out, "\x1b[2J");
	cs_proc_comm_raw("abcdef", out, 4);
	assert_string_equal(out, "abc");
}

/* A snapshot of this process and one that does not exist. */
static void snapshot_named(void **state)
{
	pid_t pids[] = {getpid(), 1073741823};
	struct cs_proc_snapshot_opts o = {.pids = pids, .npids = 2};
	struct cs_proc_snapshot s;
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_proc_snapshot(&o, &s, &d), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.procs[0].st.pid, getpid());
	assert_non_null(s.procs[0].user);
	assert_non_null(s.procs[0].cmdline);
	assert_non_null(strstr(s.procs[0].cmdline, "test-proc"));
	/* Twelfth pass: each command line kept its 64 KiB read buffer for the
	 * whole listing (39 MB for 4,400 processes, 7.9 MB since). */
	assert_true(malloc_usable_size(s.procs[0].cmdline) < 4096);
	/* Its own securebits need no BPF. */
	assert_true(s.procs[0].securebits >= 0);
	assert_int_equal(s.nmissing, 1);
	assert_int_equal(s.missing[0].pid, 1073741823);
	assert_int_equal(s.missing[0].err, -ENOENT);
	assert_null(s.securebits_why);
	cs_proc_snapshot_free(&s);
	assert_null(s.procs);
}

/* Every process: sorted by pid, this one among them, nothing missing. */
static void snapshot_all(void **state)
{
	struct cs_proc_snapshot_opts o = {0};
	struct cs_proc_snapshot s;
	struct cs_diag d = {0};
	bool self = false;

	(void)state;
	assert_int_equal(cs_proc_snapshot(&o, &s, &d), 0);
	assert_true(s.n >= 1);
	assert_int_equal(s.nmissing, 0);
	for (size_t i = 0; i < s.n; i++) {
		if (i)
			assert_true(s.procs[i - 1].st.pid < s.procs[i].st.pid);
		self |= s.procs[i].st.pid == getpid();
	}
	assert_true(self);
	cs_proc_snapshot_free(&s);
}

/* A passwd lookup that only counts. */
static size_t pw_lookups;

static struct passwd *count_pw_uid(uid_t uid)
{
	(void)uid;
	pw_lookups++;
	return NULL;
}

static struct passwd *no_pw_name(const char *name)
{
	(void)name;
	return NULL;
}

static struct group *no_gr_name(const char *name)
{
	(void)name;
	return NULL;
}

/*
 * Each uid is looked up once a snapshot, however many processes share it
 * and in whatever order (session 12: the last 16 were kept, so 2,000
 * processes of 100 uids looked nearly every one up again; with a
 * 20,000-line passwd `capscope ps` took 46 s). 60 processes of 20 uids,
 * taken in turn: 20 lookups (60 before). And the snapshot holds what it
 * read, not its read buffers.
 */
static void snapshot_user_lookups(void **state)
{
	const struct cs_ids ids = {no_pw_name, count_pw_uid, no_gr_name};
	enum { N = 60, UIDS = 20 };
	pid_t pids[N];
	struct cs_proc_snapshot_opts o = {.pids = pids, .npids = N, .ids = &ids};
	struct cs_proc_snapshot s;
	struct cs_diag d = {0};
	char want[16];
	size_t held;

	(void)state;
	if (geteuid() != 0)
		skip();
	for (int i = 0; i < N; i++)
		assert_true((pids[i] = cs_test_idle_child(300000 + (uid_t)(i % UIDS))) > 0);
	pw_lookups = 0;
	held = mallinfo2().uordblks;
	assert_int_equal(cs_proc_snapshot(&o, &s, &d), 0);
	held = mallinfo2().uordblks - held;
	for (int i = 0; i < N; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	assert_int_equal(s.n, N);
	for (size_t i = 0; i < s.n; i++) {
		snprintf(want, sizeof(want), "%u", (unsigned)s.procs[i].st.uid[1]);
		assert_string_equal(s.procs[i].user, want);
	}
	assert_int_equal(pw_lookups, UIDS);
	/* What a snapshot holds grows with what it read: each command line
	 * was kept in its 64 KiB read buffer (2,000 processes: 37 MB
	 * resident in `capscope ps`, 7 MB now). */
	if (held / N > 2048) {
		fprintf(stderr, "%zu bytes held a process\n", held / N);
		fail();
	}
	cs_proc_snapshot_free(&s);
}

/*
 * Thirteenth pass: the user name table hashed a uid's low bits only, so
 * uids at multiples of 65536 (the roots of pods in user namespaces) all
 * fell in one run of slots: 128 of them took 19,119 probes (588 now).
 */
static void snapshot_user_spread(void **state)
{
	const struct cs_ids ids = {no_pw_name, count_pw_uid, no_gr_name};
	enum { N = 128 };
	pid_t pids[N];
	struct cs_proc_snapshot_opts o = {
	    .pids = pids, .npids = N, .ids = &ids, .skip_cmdline = true, .skip_container = true};
	struct cs_proc_snapshot s;
	struct cs_diag d = {0};

	(void)state;
	if (geteuid() != 0)
		skip();
	for (int i = 0; i < N; i++)
		assert_true((pids[i] = cs_test_idle_child((uid_t)(i + 1) * 65536)) > 0);
	cs_proc_user_probes = 0;
	assert_int_equal(cs_proc_snapshot(&o, &s, &d), 0);
	for (int i = 0; i < N; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	assert_int_equal(s.n, N);
	if (cs_proc_user_probes > 8 * N) { /* 588 mixed, 19,119 before */
		fprintf(stderr, "%zu probes for %d uids\n", cs_proc_user_probes, N);
		fail();
	}
	cs_proc_snapshot_free(&s);
}

/* Paths outside the cgroup v2 hierarchy are refused; an unknown container is -ESRCH. */
static void cgroup_lookup(void **state)
{
	struct cs_cgroup_target t;
	char *root = NULL, *path = NULL;

	(void)state;
	if (cs_cgroup2_root(&root) < 0)
		skip();
	assert_int_equal(cs_cgroup_resolve("/tmp", &t), -EXDEV);
	assert_string_equal(t.path, "/tmp");
	cs_cgroup_target_free(&t);
	assert_int_equal(cs_cgroup_resolve(root, &t), 0);
	assert_int_equal(t.level, 0);
	cs_cgroup_target_free(&t);
	/* Tenth pass: the level was counted on the path as written: "." and
	 * ".." were levels, and the cgroup was looked for where it is not. */
	{
		const char *base = strrchr(root, '/');
		char *spelled[3] = {NULL, NULL, NULL};

		assert_true(asprintf(&spelled[0], "%s/.", root) > 0);
		assert_true(asprintf(&spelled[1], "%s/../%s", root, base + 1) > 0);
		spelled[2] = strdup(".");
		for (int i = 0; i < 3; i++) {
			assert_int_equal(cs_cgroup_resolve(spelled[i], &t), 0);
			assert_int_equal(t.level, 0);
			cs_cgroup_target_free(&t);
			free(spelled[i]);
		}
	}
	assert_int_equal(cs_cgroup_resolve("capscope-no-such-cgroup", &t), -ENOENT);
	assert_non_null(strstr(t.path, "/capscope-no-such-cgroup"));
	cs_cgroup_target_free(&t);
	assert_int_equal(cs_container_cgroup("0000deadbeef0000", &path, NULL), -ESRCH);
	assert_null(path);
	assert_int_equal(cs_container_cgroup("", &path, NULL),
			 -EINVAL); /* every id starts with "" */
	assert_null(path);
	free(root);
}

/*
 * A pid reused while ps reads a process: the victim (uid 4321, this test
 * binary) ends after its status was read, and sleep is given its pid
 * (ns_last_pid, in a pid namespace of the test's own). Thirteenth pass:
 * the files were read by path one after the other, and the row showed the
 * victim's uid with sleep's command line. Run in the namespace's init; its
 * exit status says what was seen.
 */
static pid_t reuse_victim, reuse_new;

static void reuse_pid(pid_t pid)
{
	FILE *f;
	int fds[2];
	char b;

	if (pid != reuse_victim)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!(f = fopen("/proc/sys/kernel/ns_last_pid", "w")))
		return;
	fprintf(f, "%d", (int)pid - 1);
	fclose(f);
	/* Back only once sleep runs: the pipe's end closes on exec. */
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	reuse_new = fork();
	if (reuse_new == 0) {
		close(fds[0]);
		execl("/bin/sleep", "sleep", "1000", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (read(fds[0], &b, 1) < 0 && errno == EINTR)
		;
	close(fds[0]);
}

/* 0: no row mixes the two; 10 + n: what went wrong (the namespace's init). */
static int reuse_in_ns(void *unused)
{
	struct cs_proc_snapshot s;
	struct cs_proc_snapshot_opts o = {0};
	struct cs_diag d = {0};
	int rc = 0;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0)
		return 3;
	(void)unused;
	reuse_victim = cs_test_idle_child(4321);
	o.pids = &reuse_victim;
	o.npids = 1;
	cs_proc_seam_after_status = reuse_pid;
	if (cs_proc_snapshot(&o, &s, &d) < 0)
		return 11;
	if (reuse_new != reuse_victim)
		rc = 2; /* the pid was not reused: nothing shown */
	else if (s.n == 1 && s.procs[0].st.uid[1] == 4321 && s.procs[0].cmdline &&
		 strstr(s.procs[0].cmdline, "sleep 1000"))
		rc = 12; /* the victim's uid, sleep's command line */
	else if (s.n == 1 && s.procs[0].st.uid[1] != 4321)
		rc = 13;
	cs_proc_snapshot_free(&s);
	if (reuse_new > 0)
		kill(reuse_new, SIGKILL);
	return rc;
}

static void snapshot_pid_reuse(void **state)
{
	int st;

	(void)state;
	if (geteuid() != 0)
		skip();
	st = cs_test_in_pidns(reuse_in_ns, NULL);
	if (st == CS_TEST_NO_NS || st == 3 || st == 2)
		skip(); /* no pid or mount namespace here, or the pid not given again */
	assert_int_equal(st, 0);
}

/*
 * Securebits come from a BPF iterator run before the listing: a process
 * given the number of one that ended since was shown with that one's
 * (thirteenth pass). The iterator's text is given here, for a live child,
 * once with its start time and once with a start one tick later.
 */
static void snapshot_secbits_start(void **state)
{
	struct cs_proc_snapshot s;
	struct cs_proc_snapshot_opts o = {.npids = 1, .securebits = true};
	struct cs_diag d = {0};
	unsigned long long ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);
	char text[128];
	pid_t c;

	(void)state;
	if (cs_proc_in_child_pidns() == 1)
		skip(); /* securebits are not read in a child pid namespace */
	c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed assertion leaves it not */
		pause();
		_exit(0);
	}
	o.pids = &c;
	assert_int_equal(cs_proc_start_ticks("/proc", c, &ticks), 0);
	for (int later = 0; later <= 1; later++) {
		snprintf(text, sizeof(text), "%d %d 47 %llu\n", (int)c, (int)c,
			 (ticks + (unsigned long long)later) *
				 (1000000000ULL / (unsigned long long)hz) +
			     1234);
		cs_proc_seam_secbits_text = text;
		assert_int_equal(cs_proc_snapshot(&o, &s, &d), 0);
		cs_proc_seam_secbits_text = NULL;
		assert_int_equal(s.n, 1);
		assert_int_equal(s.procs[0].securebits, later ? -1 : 47);
		cs_proc_snapshot_free(&s);
	}
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_good),
	    cmocka_unit_test(spoofed_name),
	    cmocka_unit_test(truncated),
	    cmocka_unit_test(bad_values),
	    cmocka_unit_test(read_self),
	    cmocka_unit_test(cgroups),
	    cmocka_unit_test(comm_raw),
	    cmocka_unit_test(snapshot_named),
	    cmocka_unit_test(snapshot_all),
	    cmocka_unit_test(cgroup_lookup),
	    cmocka_unit_test(snapshot_user_lookups),
	    cmocka_unit_test(snapshot_user_spread),
	    cmocka_unit_test(snapshot_pid_reuse),
	    cmocka_unit_test(snapshot_secbits_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
