/* SPDX-License-Identifier: MIT */
/* capscope trace without BPF: recorded records in, report and profiles out. */
#include "cmocka-wrap.h"
#include "fixtures.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capscope-trace.h"
#include "capscope/proc.h"
#include "capscope/trace.h"
#include "capscope/trace-watch.h"
#include "internal/pid-tree.h"
#include "internal/stack-memo.h"
#include "internal/trace-target.h"
#include "internal/util.h"

/* PROC_USER_INIT_INO, and two user namespaces of containers. */
#define INIT_NS	 0xEFFFFFFDu
#define POD_NS	 4026532840u
#define OTHER_NS 4026532999u

static struct cs_trace_rec rec_of(uint32_t tgid, int cap, int ret, int syscall, const char *comm,
				  uint64_t count)
{
	struct cs_trace_key k = {.tgid = tgid,
				 .cap = cap,
				 .ret = ret,
				 .stackid = -1,
				 .syscall = syscall,
				 .opts = CS_OPTS_UNKNOWN,
				 .target_ns = INIT_NS,
				 .own_ns = INIT_NS};
	struct cs_trace_val v = {.count = count};
	struct cs_trace_rec r;

	memcpy(k.comm, comm, strnlen(comm, sizeof(k.comm)));
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k), &v, sizeof(v), &r), 0);
	return r;
}

static void decode_count(void **state)
{
	struct cs_trace_key k = {
	    .tgid = 42, .cap = 7, .ret = -1, .stackid = 3, .syscall = 105, .opts = 2};
	struct cs_trace_val v = {.count = 9};
	struct cs_trace_rec r;

	(void)state;
	/* A full 16-byte comm with no NUL, and a control byte. */
	memcpy(k.comm, "abcdefghijklmn\x01p", 16);
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k), &v, sizeof(v), &r), 0);
	assert_int_equal(r.tgid, 42);
	assert_int_equal(r.cap, 7);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.stackid, 3);
	assert_int_equal(r.syscall, 105);
	assert_int_equal(r.opts, 2);
	assert_int_equal(r.count, 9);
	assert_string_equal(r.comm, "abcdefghijklmn\x01p");
	/* Sizes must match exactly. */
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k) - 1, &v, sizeof(v), &r), -EPROTO);
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k), &v, 8, &r), -EPROTO);
	/* Capability out of range, positive return. */
	k.cap = 64;
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k), &v, sizeof(v), &r), -ERANGE);
	k.cap = -1;
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k), &v, sizeof(v), &r), -ERANGE);
	k.cap = 1;
	k.ret = 1;
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k), &v, sizeof(v), &r), -EPROTO);
}

/* The user namespace of a check: (target, own) inode numbers decoded. */
static void userns_decode(void **state)
{
	struct cs_trace_key k = {.tgid = 1, .cap = 10, .target_ns = POD_NS, .own_ns = POD_NS};
	struct cs_trace_val v = {.count = 1};
	struct cs_trace_rec r;

	(void)state;
	/* Host root acting on a host resource: initial, though also its own. */
	assert_int_equal(cs_trace_userns(INIT_NS, INIT_NS), CS_USERNS_INITIAL);
	/* A pod's root acting on the host's (binding 443 in the host netns). */
	assert_int_equal(cs_trace_userns(INIT_NS, POD_NS), CS_USERNS_INITIAL);
	/* A pod's root in its own network namespace. */
	assert_int_equal(cs_trace_userns(POD_NS, POD_NS), CS_USERNS_OWN);
	/* Host root acting inside a container's user namespace. */
	assert_int_equal(cs_trace_userns(POD_NS, INIT_NS), CS_USERNS_OTHER);
	assert_int_equal(cs_trace_userns(OTHER_NS, POD_NS), CS_USERNS_OTHER);
	/* Not read by the hook. */
	assert_int_equal(cs_trace_userns(0, POD_NS), CS_USERNS_UNKNOWN);
	assert_string_equal(cs_userns_kind_name(CS_USERNS_INITIAL), "initial");
	assert_string_equal(cs_userns_kind_name(CS_USERNS_OWN), "own");
	assert_string_equal(cs_userns_kind_name(CS_USERNS_OTHER), "other");
	assert_string_equal(cs_userns_kind_name(CS_USERNS_UNKNOWN), "unknown");
	assert_string_equal(cs_userns_kind_name((enum cs_userns_kind)9), "?");
	/* The map row carries both numbers through. */
	assert_int_equal(cs_trace_decode_count(&k, sizeof(k), &v, sizeof(v), &r), 0);
	assert_int_equal(r.target_ns, POD_NS);
	assert_int_equal(r.own_ns, POD_NS);
}

/* A profile says which capabilities were needed only inside the pod's user namespace. */
static void userns_profile(void **state)
{
	struct cs_trace_report r;
	struct cs_trace_rec x;
	char buf[128];

	(void)state;
	cs_trace_report_init(&r);
	x = rec_of(1, 10, 0, 49, "server", 1); /* NET_BIND_SERVICE in the pod's own netns */
	x.target_ns = x.own_ns = POD_NS;
	assert_int_equal(cs_trace_report_add(&r, &x, CS_SITE_CHECK, NULL), 0);
	x = rec_of(1, 0, 0, 92, "server", 2); /* CHOWN of a host-owned file: initial */
	x.own_ns = POD_NS;
	assert_int_equal(cs_trace_report_add(&r, &x, CS_SITE_CHECK, NULL), 0);
	x = rec_of(1, 0, -1, 92, "server", 1); /* ... and once denied in its own */
	x.target_ns = x.own_ns = POD_NS;
	assert_int_equal(cs_trace_report_add(&r, &x, CS_SITE_CHECK, NULL), 0);
	x = rec_of(2, 12, 0, 46, "ip", 1); /* NET_ADMIN in two other namespaces */
	x.target_ns = OTHER_NS;
	assert_int_equal(cs_trace_report_add(&r, &x, CS_SITE_CHECK, NULL), 0);
	x.target_ns = OTHER_NS + 1;
	assert_int_equal(cs_trace_report_add(&r, &x, CS_SITE_CHECK, NULL), 0);
	assert_int_equal(cs_trace_report_add(&r, &x, CS_SITE_CHECK, NULL), 0);

	assert_true(cs_trace_profile(&r) == (CS_BIT(0) | CS_BIT(10) | CS_BIT(12)));
	assert_true(cs_trace_profile_in(&r, CS_USERNS_INITIAL) == CS_BIT(0));
	assert_true(cs_trace_profile_in(&r, CS_USERNS_OWN) == CS_BIT(10));
	assert_true(cs_trace_profile_in(&r, CS_USERNS_OTHER) == CS_BIT(12));
	assert_true(cs_trace_profile_in(&r, CS_USERNS_KINDS) == 0);
	assert_int_equal(r.rows[0][CS_SITE_CHECK].granted_in[CS_USERNS_INITIAL], 2);
	assert_int_equal(r.rows[0][CS_SITE_CHECK].denied_in[CS_USERNS_OWN], 1);
	assert_int_equal(r.rows[12][CS_SITE_CHECK].nother_ns, 2);

	assert_int_equal(cs_trace_row_userns_text(&r.rows[0][0], buf, sizeof(buf)), 11);
	assert_string_equal(buf, "initial,own");
	cs_trace_row_userns_text(&r.rows[12][0], buf, sizeof(buf));
	assert_string_equal(buf, "other:4026532999,other:4026533000");
	cs_trace_row_userns_text(&r.rows[5][0], buf, sizeof(buf));
	assert_string_equal(buf, "-");
	/* Cut to fit, and the length it needed. */
	assert_int_equal(cs_trace_row_userns_text(&r.rows[0][0], buf, 5), 11);
	assert_string_equal(buf, "init");
	cs_trace_report_free(&r);
}

static void decode_event(void **state)
{
	struct cs_trace_event e = {.ts_ns = 5,
				   .pid = 11,
				   .tgid = 10,
				   .uid = 1000,
				   .cap = 10,
				   .ret = 0,
				   .stackid = -1,
				   .syscall = 49,
				   .opts = -1};
	unsigned char buf[sizeof(e) + 8] = {0};
	struct cs_trace_rec r;

	(void)state;
	memcpy(e.comm, "nc", 3);
	memcpy(buf, &e, sizeof(e));
	/* The ring buffer may round records up: longer is fine, shorter is not. */
	assert_int_equal(cs_trace_decode_event(buf, sizeof(buf), &r), 0);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.pid, 11);
	assert_int_equal(r.uid, 1000);
	assert_string_equal(r.comm, "nc");
	assert_int_equal(cs_trace_decode_event(buf, sizeof(e) - 1, &r), -EPROTO);
	assert_int_equal(cs_trace_decode_event(NULL, 0, &r), -EPROTO);
}

static const char kallsyms[] = "ffffffff81000000 T _stext\n"
			       "ffffffff81100000 T cap_capable\n"
			       "ffffffff81100400 t security_vm_enough_memory_mm\n"
			       "ffffffff81100800 T __sys_setresuid\n"
			       "ffffffff81100900 D some_data\n"
			       "ffffffff81200000 t helper_fn\t[some_module]\n"
			       "ffffffff81100600 T ns_capable_setid\n";

static void ksyms(void **state)
{
	struct cs_ksyms k;
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_ksyms_parse(kallsyms, sizeof(kallsyms) - 1, &k, &d), 0);
	assert_int_equal(k.n, 6); /* the D symbol is not text */
	assert_string_equal(cs_ksyms_find(&k, 0xffffffff81100000), "cap_capable");
	assert_string_equal(cs_ksyms_find(&k, 0xffffffff81100083), "cap_capable");
	assert_string_equal(cs_ksyms_find(&k, 0xffffffff81100650), "ns_capable_setid");
	assert_string_equal(cs_ksyms_find(&k, 0xffffffff81200010), "helper_fn");
	assert_null(cs_ksyms_find(&k, 0x1000));
	cs_ksyms_free(&k);

	/* kptr_restrict: every address reads as zero. */
	static const char hidden[] = "0000000000000000 T a\n0000000000000000 T b\n";
	assert_int_equal(cs_ksyms_parse(hidden, sizeof(hidden) - 1, &k, &d), -EPERM);

	static const char bad[] = "ffffffff81000000 T ok\nzzzz T bad\n";
	assert_int_equal(cs_ksyms_parse(bad, sizeof(bad) - 1, &k, &d), -EPROTO);
	assert_int_equal(d.line, 2);
	static const char noname[] = "ffffffff81000000 T \n";
	assert_int_equal(cs_ksyms_parse(noname, sizeof(noname) - 1, &k, &d), -EPROTO);
	assert_int_equal(cs_ksyms_parse("", 0, &k, &d), 0);
	assert_null(cs_ksyms_find(&k, 1));
	cs_ksyms_free(&k);
}

/* Real stacks recorded on Linux 6.18 (CAPSCOPE_TRACE_STACKS=1). */
static void classify(void **state)
{
	static const char *const overcommit[] = {"bpf_prog_168a682edab89df8_cs_tp_cap_capable",
						 "bpf_trace_run5",
						 "cap_capable",
						 "security_vm_enough_memory_mm",
						 "__mmap_region",
						 "do_mmap"};
	static const char *const setresuid[] = {"bpf_prog_168a682edab89df8_cs_tp_cap_capable",
						"bpf_trace_run5",
						"cap_capable",
						"security_capable",
						"ns_capable_setid",
						"__sys_setresuid",
						"do_syscall_64"};
	static const char *const dac[] = {"bpf_trace_run5",	"cap_capable",
					  "security_capable",	"capable_wrt_inode_uidgid",
					  "generic_permission", "inode_permission"};
	static const char *const ptrace[] = {"bpf_trace_run5",	    "cap_capable",
					     "security_capable",    "has_ns_capability_noaudit",
					     "__ptrace_may_access", "ptrace_may_access",
					     "proc_pid_permission"};
	static const char *const overcommit_fn[] = {"cap_capable", "cap_vm_enough_memory",
						    "security_vm_enough_memory_mm", "do_brk_flags"};
	static const char *const unresolved[] = {NULL, NULL, "cap_capable", NULL, "mystery_fn"};
	const char *caller;

	(void)state;
	assert_int_equal(cs_trace_classify(overcommit, 6, -1, &caller), CS_SITE_OVERCOMMIT);
	assert_string_equal(caller, "__mmap_region");
	assert_int_equal(cs_trace_classify(overcommit_fn, 4, -1, &caller), CS_SITE_OVERCOMMIT);
	assert_string_equal(caller, "do_brk_flags");
	assert_int_equal(cs_trace_classify(setresuid, 7, -1, &caller), CS_SITE_CHECK);
	assert_string_equal(caller, "__sys_setresuid");
	assert_int_equal(cs_trace_classify(dac, 6, -1, &caller), CS_SITE_CHECK);
	assert_string_equal(caller, "generic_permission");
	assert_int_equal(cs_trace_classify(ptrace, 7, -1, &caller), CS_SITE_NOAUDIT);
	assert_string_equal(caller, "__ptrace_may_access");
	/* No deciding frame: an ordinary check (a profile must not miss a need). */
	assert_int_equal(cs_trace_classify(unresolved, 5, -1, &caller), CS_SITE_CHECK);
	assert_string_equal(caller, "mystery_fn");
	assert_int_equal(cs_trace_classify(NULL, 0, -1, &caller), CS_SITE_CHECK);
	assert_null(caller);
	/* fexit/kprobe see opts: CAP_OPT_NOAUDIT decides without a stack. */
	assert_int_equal(cs_trace_classify(NULL, 0, CS_OPT_NOAUDIT, NULL), CS_SITE_NOAUDIT);
	assert_int_equal(cs_trace_classify(NULL, 0, CS_OPT_INSETID, NULL), CS_SITE_CHECK);
	/* But a known audited API in the stack wins over nothing. */
	assert_int_equal(cs_trace_classify(setresuid, 7, 0, NULL), CS_SITE_CHECK);
	assert_string_equal(cs_site_class_name(CS_SITE_OVERCOMMIT), "vm-overcommit");
}

static void fill(struct cs_trace_report *r)
{
	struct cs_trace_rec x;

	cs_trace_report_init(r);
	x = rec_of(100, 7, 0, 105, "trace-helper", 1); /* CAP_SETUID granted in setuid */
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_CHECK, "__sys_setresuid"), 0);
	x = rec_of(100, 6, 0, 106, "trace-helper", 2); /* CAP_SETGID */
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_CHECK, NULL), 0);
	x = rec_of(101, 1, -1, 257, "cat", 1); /* DAC_OVERRIDE denied */
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_CHECK, "generic_permission"), 0);
	x = rec_of(101, 2, -1, 257, "cat", 1); /* DAC_READ_SEARCH denied */
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_CHECK, "generic_permission"), 0);
	x = rec_of(100, 21, 0, 9, "trace-helper", 7); /* overcommit noise, granted */
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_OVERCOMMIT, "__mmap_region"), 0);
	x = rec_of(101, 21, -1, 12, "cat", 3); /* overcommit noise, denied */
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_OVERCOMMIT, "do_brk_flags"), 0);
	x = rec_of(100, 7, 0, 117, "trace-helper", 1); /* second syscall for SETUID */
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_CHECK, "__sys_setresuid"), 0);
}

static void aggregate(void **state)
{
	struct cs_trace_report r;
	struct cs_trace_rec bad = {.cap = 64};

	(void)state;
	fill(&r);
	assert_int_equal(r.ntgids, 2);
	assert_int_equal(r.checks, 16);
	assert_int_equal(r.rows[7][CS_SITE_CHECK].granted, 2);
	assert_int_equal(r.rows[7][CS_SITE_CHECK].nsyscalls, 2);
	assert_int_equal(r.rows[7][CS_SITE_CHECK].syscalls[0], 105);
	assert_int_equal(r.rows[7][CS_SITE_CHECK].ncallers, 1);
	assert_int_equal(r.rows[21][CS_SITE_OVERCOMMIT].granted, 7);
	assert_int_equal(r.rows[21][CS_SITE_OVERCOMMIT].denied, 3);
	assert_int_equal(r.rows[21][CS_SITE_CHECK].granted, 0);
	/* Noise never reaches the profile; denied-only is reported, not added. */
	assert_true(cs_trace_profile(&r) == (CS_BIT(6) | CS_BIT(7)));
	assert_true(cs_trace_denied_only(&r) == (CS_BIT(1) | CS_BIT(2)));
	assert_int_equal(cs_trace_report_add(&r, &bad, CS_SITE_CHECK, NULL), -EINVAL);
	cs_trace_report_free(&r);
}

static void list_limits(void **state)
{
	struct cs_trace_report r;

	(void)state;
	cs_trace_report_init(&r);
	for (int i = 0; i < 40; i++) {
		char comm[16];
		struct cs_trace_rec x;

		snprintf(comm, sizeof(comm), "p%02d", i);
		x = rec_of((uint32_t)i + 1, 0, 0, i, comm, 1);
		assert_int_equal(cs_trace_report_add(&r, &x, CS_SITE_CHECK, comm), 0);
	}
	assert_int_equal(r.rows[0][0].ncomms, CS_TRACE_MAX_NAMES);
	assert_true(r.rows[0][0].more_comms);
	assert_int_equal(r.rows[0][0].nsyscalls, 32);
	assert_true(r.rows[0][0].more_syscalls);
	assert_int_equal(r.rows[0][0].granted, 40);
	assert_int_equal(r.ntgids, 40);
	cs_trace_report_free(&r);
}

static char *render_report(const struct cs_trace_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cs_json j;

	cs_json_init(&j, f, false);
	cs_json_obj_begin(&j);
	cs_trace_report_json(r, &j);
	cs_json_obj_end(&j);
	assert_int_equal(cs_json_finish(&j), 0);
	fclose(f);
	return buf;
}

/* Checks counted after the kernel map was full name no process: they go
 * to the profile (granted) and the denied-only list, never to the list of
 * processes or comms; the runtime's init's to runtime_init when skipped. */
static void unattributed(void **state)
{
	struct cs_trace_report r;
	struct cs_trace_rec rec = {.count = 3, .cap = 12, .target_ns = 0xEFFFFFFDu};

	(void)state;
	cs_trace_report_init(&r);
	assert_int_equal(cs_trace_report_add_unattributed(&r, &rec), 0);
	rec.cap = 21;
	rec.ret = -1;
	rec.count = 2;
	assert_int_equal(cs_trace_report_add_unattributed(&r, &rec), 0);
	rec.cap = 64;
	assert_int_equal(cs_trace_report_add_unattributed(&r, &rec), -EINVAL);
	assert_int_equal(cs_trace_profile(&r), CS_BIT(12));
	assert_int_equal(cs_trace_denied_only(&r), CS_BIT(21));
	assert_int_equal(cs_trace_profile_in(&r, CS_USERNS_INITIAL), CS_BIT(12));
	assert_int_equal(r.ntgids, 0);
	assert_int_equal(r.rows[12][CS_SITE_CHECK].ncomms, 0);
	assert_int_equal(r.unattributed, 5);
	assert_int_equal(r.checks, 5);
	r.skip_runtime_init = true;
	rec = (struct cs_trace_rec){.count = 4, .cap = 7, .comm = "runc"};
	assert_int_equal(cs_trace_report_add_unattributed(&r, &rec), 0);
	assert_int_equal(r.runtime_init, 4);
	/* Not also in unattributed, which counts what is in the profile
	 * (its warning says so): 9 before. */
	assert_int_equal(r.unattributed, 5);
	assert_int_equal(r.checks, 9);
	assert_int_equal(cs_trace_profile(&r), CS_BIT(12));
	cs_trace_report_free(&r);
}

/*
 * An unattributed check in another user namespace comes back with a
 * stand-in namespace (target 2, own 1, as collect_spill makes it): the
 * table's column said "-" for a row of only such checks, as if it had
 * none; now "other", and ",..." after the namespaces a row does name.
 */
static void unattributed_other_text(void **state)
{
	struct cs_trace_report r;
	struct cs_trace_rec rec = {.count = 2, .cap = 21, .target_ns = 2, .own_ns = 1};
	char buf[64];

	(void)state;
	cs_trace_report_init(&r);
	assert_int_equal(cs_trace_report_add_unattributed(&r, &rec), 0);
	assert_int_equal(cs_trace_profile_in(&r, CS_USERNS_OTHER), CS_BIT(21));
	cs_trace_row_userns_text(&r.rows[21][CS_SITE_CHECK], buf, sizeof(buf));
	assert_string_equal(buf, "other");
	rec = (struct cs_trace_rec){
	    .count = 1, .cap = 21, .tgid = 9, .target_ns = 4026532840u, .own_ns = 0xEFFFFFFDu};
	assert_int_equal(cs_trace_report_add(&r, &rec, CS_SITE_CHECK, NULL), 0);
	cs_trace_row_userns_text(&r.rows[21][CS_SITE_CHECK], buf, sizeof(buf));
	assert_string_equal(buf, "other:4026532840,...");
	cs_trace_report_free(&r);
}

static void json_shape(void **state)
{
	struct cs_trace_report r;
	char *s;

	(void)state;
	fill(&r);
	r.lost_events = 3;
	s = render_report(&r);
	assert_string_equal(
	    s,
	    "{\"processes\":2,\"processes_lower_bound\":false,\"total_checks\":16,\"checks\":["
	    "{\"capability\":\"CAP_DAC_OVERRIDE\",\"granted\":0,\"denied\":1,\"denied_only\":true,"
	    "\"comms\":[\"cat\"],\"syscalls\":[\"openat\"],\"callers\":[\"generic_permission\"],"
	    "\"user_namespaces\":[{\"kind\":\"initial\",\"granted\":0,\"denied\":1}]},"
	    "{\"capability\":\"CAP_DAC_READ_SEARCH\",\"granted\":0,\"denied\":1,\"denied_only\":"
	    "true,"
	    "\"comms\":[\"cat\"],\"syscalls\":[\"openat\"],\"callers\":[\"generic_permission\"],"
	    "\"user_namespaces\":[{\"kind\":\"initial\",\"granted\":0,\"denied\":1}]},"
	    "{\"capability\":\"CAP_SETGID\",\"granted\":2,\"denied\":0,\"denied_only\":false,"
	    "\"comms\":[\"trace-helper\"],\"syscalls\":[\"setgid\"],\"callers\":[],"
	    "\"user_namespaces\":[{\"kind\":\"initial\",\"granted\":2,\"denied\":0}]},"
	    "{\"capability\":\"CAP_SETUID\",\"granted\":2,\"denied\":0,\"denied_only\":false,"
	    "\"comms\":[\"trace-helper\"],\"syscalls\":[\"setuid\",\"setresuid\"],"
	    "\"callers\":[\"__sys_setresuid\"],"
	    "\"user_namespaces\":[{\"kind\":\"initial\",\"granted\":2,\"denied\":0}]}],"
	    "\"noise\":[{\"capability\":\"CAP_SYS_ADMIN\",\"site\":\"vm-overcommit\",\"granted\":7,"
	    "\"denied\":3,\"comms\":[\"cat\",\"trace-helper\"],\"syscalls\":[\"mmap\",\"brk\"],"
	    "\"callers\":[\"__mmap_region\",\"do_brk_flags\"],"
	    "\"user_namespaces\":[{\"kind\":\"initial\",\"granted\":7,\"denied\":3}]}],"
	    "\"profile\":{\"capabilities\":[\"CAP_SETGID\",\"CAP_SETUID\"],"
	    "\"mask\":\"0x00000000000000c0\",\"denied_only\":[\"CAP_DAC_OVERRIDE\","
	    "\"CAP_DAC_READ_SEARCH\"],\"by_user_namespace\":{\"initial\":[\"CAP_SETGID\","
	    "\"CAP_SETUID\"],\"own\":[],\"other\":[],\"unknown\":[]},"
	    "\"only_in_child_user_namespaces\":[]},\"lost_events\":3,\"dropped_checks\":0,"
	    "\"unattributed_checks\":0,\"unfollowed_exits\":0,"
	    "\"checks_without_stack\":0,\"runtime_init_checks\":0}\n");
	free(s);
	cs_trace_report_free(&r);
}

static char *snippet(enum cs_profile_kind k, cs_mask_t m, const char *const *argv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(cs_profile_write(k, m, argv, f), 0);
	fclose(f);
	return buf;
}

static void profiles(void **state)
{
	static const char *const argv[] = {"/bin/nc", "-l", "it's", "80", NULL};
	cs_mask_t nbs = CS_BIT(10);
	char *s;

	(void)state;
	s = snippet(CS_PROFILE_K8S, nbs, argv);
	assert_string_equal(s, "securityContext:\n  capabilities:\n    drop:\n    - ALL\n"
			       "    add:\n    - NET_BIND_SERVICE\n");
	free(s);
	s = snippet(CS_PROFILE_K8S, 0, argv);
	assert_string_equal(s, "securityContext:\n  capabilities:\n    drop:\n    - ALL\n");
	free(s);
	s = snippet(CS_PROFILE_SCC, nbs | CS_BIT(0), argv);
	assert_string_equal(s, "requiredDropCapabilities:\n- ALL\nallowedCapabilities:\n"
			       "- CHOWN\n- NET_BIND_SERVICE\n");
	free(s);
	s = snippet(CS_PROFILE_DOCKER, nbs, argv);
	assert_string_equal(s, "docker run --cap-drop=ALL --cap-add=CAP_NET_BIND_SERVICE IMAGE "
			       "/bin/nc -l 'it'\\''s' 80\n");
	free(s);
	s = snippet(CS_PROFILE_SYSTEMD, nbs | CS_BIT(0), argv);
	assert_string_equal(s, "[Service]\nCapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE\n"
			       "AmbientCapabilities=CAP_CHOWN CAP_NET_BIND_SERVICE\n");
	free(s);
	s = snippet(CS_PROFILE_RUN, nbs, argv);
	assert_string_equal(s, "capscope run --bounding cap_net_bind_service --caps "
			       "cap_net_bind_service=eip -- /bin/nc -l 'it'\\''s' 80\n");
	free(s);
	{
		/* The real file (symlinks resolved): setcap on a link fails. Debian's
		 * /bin/sh is always a link to dash. */
		static const char *const sh[] = {"sh", NULL};

		s = snippet(CS_PROFILE_SETCAP, nbs, sh);
		assert_non_null(strstr(s, "setcap cap_net_bind_service=ep /"));
		assert_non_null(strstr(s, "dash\n"));
		free(s);
	}
	{
		static const char *const missing[] = {"no-such-program-capscope", NULL};

		s = snippet(CS_PROFILE_SETCAP, 0, missing);
		assert_string_equal(s, "setcap -r no-such-program-capscope  # needs no file "
				       "capabilities\n");
		free(s);
	}
	assert_int_equal(cs_profile_kind_parse("k8s"), CS_PROFILE_K8S);
	assert_int_equal(cs_profile_kind_parse("systemd"), CS_PROFILE_SYSTEMD);
	assert_int_equal(cs_profile_kind_parse("kube"), -EINVAL);
	assert_string_equal(cs_profile_kind_name(CS_PROFILE_SCC), "scc");
}

/*
 * Tenth pass: the setcap snippet took the first "DIR/NAME" access() allowed,
 * so a directory of that name earlier in $PATH (which execvp skips) was
 * named instead of the program traced. Now execvp's walk: a directory and a
 * file without execute permission are passed over.
 */
static void setcap_path_walk(void **state)
{
	static const char *const argv[] = {"cs-prof-prog", NULL};
	char tmpl[] = "/tmp/cs-prof-XXXXXX", path[512], want[512], *old, *s, *real;
	const char *dir = mkdtemp(tmpl);
	int fd;

	(void)state;
	assert_non_null(dir);
	old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/a/cs-prof-prog", dir); /* a directory */
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/b", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/b/cs-prof-prog", dir); /* not executable */
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/c", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(want, sizeof(want), "%s/c/cs-prof-prog", dir); /* the one execvp runs */
	assert_true((fd = open(want, O_WRONLY | O_CREAT, 0755)) >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/a:%s/b:%s/c", dir, dir, dir);
	setenv("PATH", path, 1);
	s = snippet(CS_PROFILE_SETCAP, CS_BIT(0), argv);
	real = realpath(want, NULL);
	assert_non_null(real);
	snprintf(path, sizeof(path), "setcap cap_chown=ep %s\n", real);
	assert_string_equal(s, path);
	free(s);
	free(real);
	if (old)
		setenv("PATH", old, 1);
	else
		unsetenv("PATH");
	free(old);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void quoting(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(cs_shell_quote("plain-word_1.2/x", buf, sizeof(buf)), 16);
	assert_string_equal(buf, "plain-word_1.2/x");
	cs_shell_quote("=ls", buf, sizeof(buf)); /* zsh's "=" expansion: the path of ls */
	assert_string_equal(buf, "'=ls'");
	cs_shell_quote("", buf, sizeof(buf));
	assert_string_equal(buf, "''");
	cs_shell_quote("a b", buf, sizeof(buf));
	assert_string_equal(buf, "'a b'");
	cs_shell_quote("$(x)", buf, sizeof(buf));
	assert_string_equal(buf, "'$(x)'");
	/* Control bytes, C1 and bidi controls never reach the terminal raw:
	 * $'...' with \xNN carries the exact bytes (issue 13, second pass). */
	cs_shell_quote("a\x1b[2J\nb'c\\", buf, sizeof(buf));
	assert_string_equal(buf, "$'a\\x1b[2J\\x0ab\\'c\\\\'");
	cs_shell_quote("x\xe2\x80\xae", buf, sizeof(buf)); /* U+202E */
	assert_string_equal(buf, "$'x\\xe2\\x80\\xae'");
	cs_shell_quote("x\xe2\x80\x8f"
		       "y\xe2\x80\xa8",
		       buf, sizeof(buf)); /* U+200F, U+2028 (fifth pass) */
	assert_string_equal(buf, "$'x\\xe2\\x80\\x8fy\\xe2\\x80\\xa8'");
	cs_shell_quote("caf\xc3\xa9 \\", buf, sizeof(buf)); /* printable UTF-8 stays readable */
	assert_string_equal(buf, "'caf\xc3\xa9 \\'");
	/* Truncation still NUL-terminates and reports the full length. */
	assert_int_equal(cs_shell_quote("abcdef", buf, 4), 6);
	assert_string_equal(buf, "abc");
}

static void syscall_names(void **state)
{
	(void)state;
#if defined(__x86_64__)
	assert_string_equal(cs_syscall_name(105), "setuid");
	assert_string_equal(cs_syscall_name(49), "bind");
	assert_string_equal(cs_syscall_name(0), "read"); /* the first name of the table */
	assert_null(cs_syscall_name(400));		 /* a gap: 335-423 are unused */
	assert_string_equal(cs_syscall_name(424), "pidfd_send_signal");
#endif
	assert_null(cs_syscall_name(-1));
	assert_null(cs_syscall_name(100000));
}

/* --verify's re-run: the launcher in a forked child, its failures come back as text. */
static void verify_run(void **state)
{
	char *exit3[] = {"sh", "-c", "exit 3", NULL};
	char *missing[] = {"/nonexistent/capscope-test", NULL};
	struct cs_trace_verify v;
	struct cs_proc_status st;
	cs_mask_t prm;

	(void)state;
	if (geteuid() != 0)
		skip(); /* reducing the bounding set needs CAP_SETPCAP */
	/* What this process may hold (a container's root has less than every capability). */
	assert_int_equal(cs_proc_status_read(getpid(), 0, &st, NULL), 0);
	prm = st.caps.set[CS_PRM];
	cs_proc_status_free(&st);
	assert_int_equal(cs_trace_verify_run(exit3, prm, 3, false, &v), 0);
	assert_true(v.ran);
	assert_int_equal(v.status, 3);
	assert_true(v.ok);
	assert_null(v.error);
	assert_string_equal(v.runner, "capscope run");
	cs_trace_verify_free(&v);
	assert_int_equal(cs_trace_verify_run(exit3, prm, 0, false, &v), 0);
	assert_false(v.ok);
	cs_trace_verify_free(&v);
	assert_int_equal(cs_trace_verify_run(missing, 0, 0, false, &v), 0);
	assert_int_equal(v.status, 127);
	assert_false(v.ok);
	assert_non_null(v.error);
	assert_non_null(strstr(v.error, "cannot run /nonexistent/capscope-test"));
	cs_trace_verify_free(&v);
	/* Tenth pass: a traced run that exited 127 and a re-run that could not
	 * execute (127 from the launcher) were "the same: the profile is
	 * enough". Nothing ran: no verdict. */
	assert_int_equal(cs_trace_verify_run(missing, 0, 127, false, &v), 0);
	assert_false(v.ran);
	assert_false(v.ok);
	assert_non_null(v.error);
	cs_trace_verify_free(&v);
}

/* Without BPF (or not allowed) the tracer says why in the diag, and prints nothing. */
static bool has_pid(const pid_t *v, size_t n, pid_t p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

/*
 * trace -p: the descendants of the traced process, from every process's
 * parent. It compared every process with every queued one (n^2): 300,000
 * processes below the traced one took well past the alarm. alarm() fails the test.
 */
/*
 * The report's stack classes (session 13): each record found its stack's
 * class by a search from the start of a list (the counts map's 16,384 rows
 * and the cache slots, times the distinct stacks). Now one slot a stack id:
 * 16,384 records of 8,192 stacks look at 16,384 slots.
 */
static void stack_memo(void **state)
{
	static const char *const callers[] = {"a", "b", "c"};
	struct cs_stack_memo m;
	const char *caller;
	int cls, found = 0;

	(void)state;
	cs_stack_memo_init(&m, 32768);
	for (int i = 0; i < 16384; i++) {
		int id = (i * 7919) % 8192;

		if (cs_stack_memo_get(&m, id, &cls, &caller)) {
			assert_int_equal(cls, id % 5);
			assert_string_equal(caller, callers[id % 3]);
			found++;
		} else {
			assert_int_equal(cs_stack_memo_put(&m, id, id % 5, callers[id % 3]), 0);
		}
	}
	assert_int_equal(found, 16384 - 8192);
	assert_true(m.probes <= 16384);
	/* no stack (a negative id) or one past the map: never kept */
	assert_int_equal(cs_stack_memo_put(&m, -14, 1, "x"), 0);
	assert_int_equal(cs_stack_memo_put(&m, 32768, 1, "x"), 0);
	assert_false(cs_stack_memo_get(&m, -14, &cls, &caller));
	assert_false(cs_stack_memo_get(&m, 32768, &cls, &caller));
	cs_stack_memo_free(&m);
}

static void pid_tree(void **state)
{
	struct cs_pid_parent small[] = {{13, 11}, {21, 20}, {11, 10}, {31, 30},
					{12, 10}, {30, 31}, {10, 1}};
	struct cs_pid_parent cyc[] = {{41, 40}, {40, 41}};
	enum { N = 300000 };
	struct cs_pid_parent *big = calloc(N, sizeof(*big));
	pid_t out[8], *bout = calloc(N + 1, sizeof(*bout));
	size_t n;

	(void)state;
	assert_non_null(big);
	assert_non_null(bout);
	n = cs_pid_descendants(small, 7, 10, out);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], 10);
	for (pid_t p = 11; p <= 13; p++)
		assert_true(has_pid(out, n, p));
	/* A pid reused into a cycle between two reads of /proc ends. */
	assert_true(cs_pid_descendants(cyc, 2, 40, out) <= 3);
	/* No table at all (/proc not listed): the root alone. qsort was
	 * handed the NULL array, which UBSan's nonnull-attribute stops on
	 * (nineteenth pass, part H). */
	assert_int_equal(cs_pid_descendants(NULL, 0, 10, out), 1);
	assert_int_equal(out[0], 10);
	alarm(20);
	/* A chain and a flat tree, each of N processes below pid 1. */
	for (int i = 0; i < N; i++)
		big[i] = (struct cs_pid_parent){i + 2, i + 1};
	assert_int_equal(cs_pid_descendants(big, N, 1, bout), N + 1);
	for (int i = 0; i < N; i++)
		big[i] = (struct cs_pid_parent){N + 1 - i, 1};
	assert_int_equal(cs_pid_descendants(big, N, 1, bout), N + 1);
	alarm(0);
	free(big);
	free(bout);
}

static void tracer_refusal(void **state)
{
	struct cs_tracer_config cfg = {.scope = CS_TRACER_PIDS, .force_hook = "nosuchhook"};
	struct cs_tracer *t = (struct cs_tracer *)1;
	struct cs_diag d = {0};
	int rc;

	(void)state;
	rc = cs_tracer_open(&cfg, &t, &d);
	assert_true(rc < 0);
	assert_null(t);
	assert_true(d.message[0] != '\0');
	if (cs_tracer_unavailable())
		assert_non_null(strstr(d.message, "built without"));
	else if (rc == -ENOTSUP)
		assert_non_null(strstr(d.message, "tracepoint: not selected; fexit: not selected"));
}

/* In a pid namespace of its own (its init): 0 when cs_trace_target_same
 * tells a number handed to a later process from the one resolved. */
static int reuse_in_namespace(void *unused)
{
	(void)unused;
	struct cs_tracer_config cfg = {0};
	struct cs_diag d = {0};
	struct timespec tick = {0, 30 * 1000 * 1000}; /* more than one clock tick */
	char *what = NULL, last[16];
	pid_t x, y;
	FILE *f;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0)
		return 10;
	if ((x = fork()) == 0) {
		pause();
		_exit(0);
	}
	struct cs_trace_target tg = {.pid = x};

	/* Resolving refuses here (twelfth pass: the tracer sees the host's
	 * ids, not this namespace's), so the start time is taken as
	 * cs_trace_target_resolve takes it; the check under test is the same. */
	if (cs_trace_target_resolve(&tg, &cfg, &what, &d) != -ENOTSUP)
		return 17;
	free(what);
	if (cs_proc_start_ticks("/proc", x, &tg.pid_start) < 0 || !tg.pid_start)
		return 11;
	if (cs_trace_target_same(&tg, &d) != 0)
		return 12;
	kill(x, SIGKILL);
	waitpid(x, NULL, 0);
	if (cs_trace_target_same(&tg, &d) != -ESRCH || !strstr(d.message, "exited before"))
		return 13;
	nanosleep(&tick, NULL);
	snprintf(last, sizeof(last), "%d", (int)x - 1);
	if (!(f = fopen("/proc/sys/kernel/ns_last_pid", "w")) || fputs(last, f) < 0 || fclose(f))
		return 14;
	if ((y = fork()) == 0) {
		pause();
		_exit(0);
	}
	if (y != x)
		return 15; /* the number was not handed back: nothing shown */
	int rc =
	    cs_trace_target_same(&tg, &d) == -ESRCH && strstr(d.message, "started later") ? 0 : 16;
	kill(y, SIGKILL);
	waitpid(y, NULL, 0);
	return rc;
}

/* Session 11: `trace -p PID` checked at the start that PID existed, then
 * loaded the tracer (0.2 to 0.5 s); a process that exited meanwhile and
 * whose number went to another was traced in its place. Root only (a pid
 * and a mount namespace). */
static void target_same_reuse(void **state)
{
	int st;

	(void)state;
	if (geteuid() != 0)
		skip();
	st = cs_test_in_pidns(reuse_in_namespace, NULL);
	if (st == CS_TEST_NO_NS)
		skip();
	assert_int_equal(st, 0);
}

/*
 * Thirteenth pass: the start time is in clock ticks (10 ms), and a number
 * handed again within the tick its first holder started in was not told
 * apart: that later process was traced. Resolving now holds a pidfd. The
 * reuse is tried until the two start in one tick (most tries do).
 * In the namespace's init: 0 when told apart, 2 when never in one tick.
 */
static int same_tick_in_namespace(void *unused)
{
	(void)unused;
	struct cs_diag d = {0};
	char last[16];
	int rc = 2;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0)
		return 10;
	for (int i = 0; i < 50 && rc == 2; i++) {
		struct cs_trace_target tg = {0};
		unsigned long long y_start = 0;
		pid_t x, y;
		FILE *f;

		if ((x = fork()) == 0) {
			pause();
			_exit(0);
		}
		tg.pid = x;
		if (cs_trace_resolve_pid(&tg, &d) < 0 || !tg.pid_start)
			return 11;
		kill(x, SIGKILL);
		waitpid(x, NULL, 0);
		snprintf(last, sizeof(last), "%d", (int)x - 1);
		if (!(f = fopen("/proc/sys/kernel/ns_last_pid", "w")) || fputs(last, f) < 0 ||
		    fclose(f))
			return 14;
		if ((y = fork()) == 0) {
			pause();
			_exit(0);
		}
		if (y == x && cs_proc_start_ticks("/proc", y, &y_start) == 0 &&
		    y_start == tg.pid_start)
			rc = cs_trace_target_same(&tg, &d) == -ESRCH ? 0 : 16;
		kill(y, SIGKILL);
		waitpid(y, NULL, 0);
		cs_trace_target_close(&tg);
	}
	return rc;
}

static void target_same_tick(void **state)
{
	int st;

	(void)state;
	if (geteuid() != 0)
		skip();
	st = cs_test_in_pidns(same_tick_in_namespace, NULL);
	if (st == CS_TEST_NO_NS || st == 2)
		skip();
	assert_int_equal(st, 0);
}

/*
 * Part E: when /proc/PID/stat could not be read at resolve time (the
 * process exited after kill(pid, 0) said it was there), the start time was
 * left 0 and the reuse check above was off for the run. Staged by mounting
 * an empty directory over /proc/PID in a mount namespace of its own: the
 * process lives (kill answers) and /proc does not show it.
 */
static int hidden_in_namespace(void)
{
	struct cs_tracer_config cfg = {0};
	struct cs_diag d = {0};
	char dir[] = "/tmp/capscope-test-XXXXXX", path[64], *what = NULL;
	pid_t x;
	int rc;

	if (!mkdtemp(dir))
		return 10;
	if ((x = fork()) == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)x);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(dir, path, NULL, MS_BIND, NULL) < 0) {
		rc = 77;
	} else {
		struct cs_trace_target tg = {.pid = x};

		rc = cs_trace_target_resolve(&tg, &cfg, &what, &d) == -ESRCH &&
			     strstr(d.message, "no such process")
			 ? 0
			 : 11;
		free(what);
		umount(path);
	}
	kill(x, SIGKILL);
	waitpid(x, NULL, 0);
	rmdir(dir);
	return rc;
}

static void target_unseen(void **state)
{
	pid_t child;
	int st = -1;

	(void)state;
	if (geteuid() != 0)
		skip();
	if ((child = fork()) == 0)
		_exit(unshare(CLONE_NEWNS) < 0 ? 77 : hidden_in_namespace());
	waitpid(child, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		skip();
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

#define STORM 1500

/* In a child: the storm's forker, STORM children that wait to be killed. */
static void storm(int ready)
{
	pid_t d = fork();

	if (d == 0) {
		for (int i = 0; i < STORM; i++) {
			pid_t g = fork();

			if (g == 0) {
				pause();
				_exit(0);
			}
			if (i == 0 && write(ready, "r", 1) != 1)
				_exit(5);
			usleep(100); /* a storm that lasts while /proc is read */
		}
		pause();
		_exit(0);
	}
	pause();
	_exit(0);
}

/* The descendants of root now, each tracked; how many were not tracked before. */
static size_t untracked_below(struct cs_tracer *t, pid_t root)
{
	size_t n = 0, bad = 0, cap = 1 << 16;
	struct cs_pid_parent *v = calloc(cap, sizeof(*v));
	pid_t *out = calloc(cap + 1, sizeof(*out));
	DIR *d = opendir("/proc");
	struct dirent *de;

	assert_non_null(v);
	assert_non_null(out);
	assert_non_null(d);
	while ((de = readdir(d)) && n < cap) {
		char p[300], buf[512], *rp;
		int pp;
		FILE *f;

		snprintf(p, sizeof(p), "/proc/%s/stat", de->d_name);
		if (de->d_name[0] < '1' || de->d_name[0] > '9' || !(f = fopen(p, "r")))
			continue;
		if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) &&
		    sscanf(rp + 2, "%*c %d", &pp) == 1)
			v[n++] = (struct cs_pid_parent){atoi(de->d_name), pp};
		fclose(f);
	}
	closedir(d);
	n = cs_pid_descendants(v, n, root, out);
	for (size_t i = 1; i < n; i++)
		bad += cs_tracer_track_fresh(t, out[i]) > 0;
	free(v);
	free(out);
	return bad;
}

/*
 * Sixteenth pass: `trace -p` read /proc once; a descendant that forked
 * between that read and its own tracking had the new child (and all below
 * it) never traced, as the fork handler follows tracked parents only. A
 * storm of 1,500 forks under the traced process while it is tracked: every
 * descendant is tracked after cs_tracer_track_tree (reads until one finds
 * none untracked).
 */
static void track_tree_follows_forks(void **state)
{
	struct cs_tracer_config cfg = {.scope = CS_TRACER_PIDS};
	struct cs_tracer *t = NULL;
	struct cs_diag d = {0};
	int ready[2];
	char byte;
	pid_t r;
	size_t bad;

	(void)state;
	if (geteuid() != 0 || cs_tracer_open(&cfg, &t, &d) < 0)
		skip(); /* no BPF here */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_int_equal(pipe(ready), 0);
	r = fork();
	if (r == 0) {
		setpgid(0, 0);
		close(ready[0]);
		storm(ready[1]);
	}
	assert_true(r > 0);
	setpgid(r, r);
	close(ready[1]);
	assert_int_equal(read(ready[0], &byte, 1), 1); /* the storm has begun */
	close(ready[0]);
	assert_int_equal(cs_tracer_track_tree(t, r), 0);
	bad = untracked_below(t, r);
	kill(-r, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	cs_tracer_close(t);
	assert_int_equal(bad, 0);
}

/* The parent of pid, from /proc (0 when it is gone). */
static pid_t ppid_of(pid_t pid)
{
	char p[64], buf[512], *rp;
	int pp = 0;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(p, "r")))
		return 0;
	if (!fgets(buf, sizeof(buf), f) || !(rp = strrchr(buf, ')')) ||
	    sscanf(rp + 2, "%*c %d", &pp) != 1)
		pp = 0;
	fclose(f);
	return pp;
}

static pid_t read_pid(int fd)
{
	pid_t p = 0;

	assert_int_equal(read(fd, &p, sizeof(p)), (ssize_t)sizeof(p));
	return p;
}

/*
 * A tree made before the trace: r, its child a, a's child d; none but r
 * tracked (a read of /proc that has not yet seen a and d). Then either a
 * exits (d reparented: no parent says it is below r) or d forks e. The
 * sixteenth pass' open find: neither d nor e was ever tracked, for the
 * fork handler followed only tracked parents and /proc no longer showed d
 * below r. Now the programs track the children of an exiting process
 * below r, and a fork below r, by their parents.
 */
static void orphan_tree(bool exit_a, bool init_root)
{
	struct cs_tracer_config cfg = {.scope = CS_TRACER_PIDS};
	struct cs_tracer *t = NULL;
	struct cs_diag d = {0};
	int pids[2], go_a[2], go_d[2];
	pid_t r, a, dd, e = 0;
	bool d_tracked, e_tracked = false;

	if (geteuid() != 0 || cs_tracer_open(&cfg, &t, &d) < 0)
		skip(); /* no BPF here */
	assert_int_equal(pipe(pids), 0);
	assert_int_equal(pipe(go_a), 0);
	assert_int_equal(pipe(go_d), 0);
	r = fork();
	if (r == 0) {
		char b;
		pid_t me;

		/* Below init, not below this capscope (whose own are never
		 * traced): r leaves its parent, which exits. */
		if (init_root && fork() != 0)
			_exit(0);
		me = getpid();
		setpgid(0, 0);
		if (init_root && write(pids[1], &me, sizeof(me)) < 0)
			_exit(1);
		if (fork() == 0) { /* a */
			me = getpid();

			if (fork() == 0) { /* d */
				me = getpid();
				if (write(pids[1], &me, sizeof(me)) < 0)
					_exit(1);
				if (read(go_d[0], &b, 1) == 1 && fork() == 0) { /* e */
					me = getpid();
					if (write(pids[1], &me, sizeof(me)) < 0)
						_exit(1);
					pause();
				}
				pause();
			}
			if (write(pids[1], &me, sizeof(me)) < 0)
				_exit(1);
			if (read(go_a[0], &b, 1) < 0)
				_exit(1);
			_exit(0);
		}
		for (;;)
			if (wait(NULL) < 0 && errno != EINTR)
				pause();
	}
	assert_true(r > 0);
	if (init_root) {
		waitpid(r, NULL, 0);
		r = read_pid(pids[0]);
	} else {
		setpgid(r, r);
	}
	a = read_pid(pids[0]);
	dd = read_pid(pids[0]);
	if (ppid_of(dd) == r) { /* the first pid written was d's */
		pid_t x = a;

		a = dd;
		dd = x;
	}
	/* `trace -p 1`: init tracked; the walk stopped at pid 1 unasked. */
	assert_int_equal(cs_tracer_track(t, init_root ? 1 : r), 0);
	if (exit_a) {
		assert_int_equal(write(go_a[1], "x", 1), 1);
		for (int i = 0; i < 10000 && ppid_of(dd) == a; i++)
			usleep(1000); /* a's exit: d reparented */
	} else {
		assert_int_equal(write(go_d[1], "x", 1), 1);
		e = read_pid(pids[0]);
		e_tracked = cs_tracer_tracked(t, e);
	}
	d_tracked = cs_tracer_tracked(t, dd);
	kill(-r, SIGKILL);
	if (!init_root)
		waitpid(r, NULL, 0);
	for (int i = 0; i < 6; i++)
		close(i < 2 ? pids[i] : i < 4 ? go_a[i - 2] : go_d[i - 4]);
	cs_tracer_close(t);
	assert_true(d_tracked);
	if (!exit_a)
		assert_true(e_tracked);
}

static void track_tree_orphan(void **state)
{
	(void)state;
	orphan_tree(true, false);
}

static void track_tree_fork_below(void **state)
{
	(void)state;
	orphan_tree(false, false);
}

/* The same below init (`trace -p 1`): the parents' walk ended before
 * asking whether pid 1 was tracked. */
static void track_tree_init_root(void **state)
{
	(void)state;
	orphan_tree(false, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decode_count),
	    cmocka_unit_test(stack_memo),
	    cmocka_unit_test(decode_event),
	    cmocka_unit_test(userns_decode),
	    cmocka_unit_test(userns_profile),
	    cmocka_unit_test(ksyms),
	    cmocka_unit_test(classify),
	    cmocka_unit_test(aggregate),
	    cmocka_unit_test(list_limits),
	    cmocka_unit_test(json_shape),
	    cmocka_unit_test(unattributed),
	    cmocka_unit_test(unattributed_other_text),
	    cmocka_unit_test(profiles),
	    cmocka_unit_test(setcap_path_walk),
	    cmocka_unit_test(quoting),
	    cmocka_unit_test(syscall_names),
	    cmocka_unit_test(verify_run),
	    cmocka_unit_test(tracer_refusal),
	    cmocka_unit_test(pid_tree),
	    cmocka_unit_test(track_tree_follows_forks),
	    cmocka_unit_test(target_same_reuse),
	    cmocka_unit_test(target_same_tick),
	    cmocka_unit_test(target_unseen),
	    cmocka_unit_test(track_tree_orphan),
	    cmocka_unit_test(track_tree_fork_below),
	    cmocka_unit_test(track_tree_init_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
