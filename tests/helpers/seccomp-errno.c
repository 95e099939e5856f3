/* SPDX-License-Identifier: MIT */
/*
 * seccomp-errno RULE... -- COMMAND [ARG...]: runs COMMAND under a seccomp
 * filter that makes each RULE's system call return an error without being
 * made, as a caller's seccomp profile does. RULE is NAME=ERRNO or
 * NAME:ARG0=ERRNO (only calls whose first argument is ARG0, as prctl's
 * option); ERRNO 0 makes the call "succeed" having done nothing. For
 * tests/truth/run-seccomp.sh: each step of capscope run refused, or faked.
 * x86-64 filter (as no-openat2): another architecture exits 77.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_RULES 16

static const struct {
	const char *name;
	long nr;
} calls[] = {
    {"prctl", SYS_prctl},	  {"capset", SYS_capset},	{"setgroups", SYS_setgroups},
    {"setresuid", SYS_setresuid}, {"setresgid", SYS_setresgid}, {"fgetxattr", SYS_fgetxattr},
    {"getxattr", SYS_getxattr},	  {"execveat", SYS_execveat},	{"unshare", SYS_unshare},
};

static int usage(void)
{
	fprintf(stderr, "usage: seccomp-errno NAME[:ARG0]=ERRNO... -- COMMAND [ARG...]\n");
	return 2;
}

/* One rule as four instructions: load nr, compare, (load arg0, compare), return. */
static int add_rule(struct sock_filter *code, int n, const char *rule)
{
	char name[32];
	unsigned arg = 0, err;
	int has_arg = strchr(rule, ':') != NULL, nr = -1;

	if ((has_arg ? sscanf(rule, "%31[a-z]:%u=%u", name, &arg, &err) != 3
		     : sscanf(rule, "%31[a-z]=%u", name, &err) != 2) ||
	    err > 4095)
		return -1;
	for (size_t i = 0; i < sizeof(calls) / sizeof(*calls); i++)
		if (strcmp(calls[i].name, name) == 0)
			nr = (int)calls[i].nr;
	if (nr < 0)
		return -1;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, nr));
	code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0,
						 has_arg ? 3 : 1);
	if (has_arg) {
		code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
							 offsetof(struct seccomp_data, args[0]));
		code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arg, 0, 1);
	}
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err);
	return n;
}

int main(int argc, char **argv)
{
	struct sock_filter code[4 + 5 * MAX_RULES];
	struct sock_fprog prog;
	int n = 0, i;

#ifndef __x86_64__
	fprintf(stderr, "seccomp-errno: an x86-64 filter\n");
	return 77;
#endif
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, arch));
	code[n++] =
	    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (i > MAX_RULES || (n = add_rule(code, n, argv[i])) < 0)
			return usage();
	if (i + 1 >= argc)
		return usage();
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog = (struct sock_fprog){.len = (unsigned short)n, .filter = code};
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("seccomp-errno: seccomp");
		return 2;
	}
	execvp(argv[i + 1], argv + i + 1);
	perror("seccomp-errno: execvp");
	return 127;
}
