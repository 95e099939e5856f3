/* SPDX-License-Identifier: MIT */
#include "capscope/caps.h"
#include "capscope/number.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Names as include/uapi/linux/capability.h numbers them. Kept here rather than
 * taken from libcap so that the table does not depend on which libcap the
 * machine has; the unit tests compare it with libcap's cap_to_name.
 */
static const char *const cap_names[CS_CAP_LAST_KNOWN + 1] = {
    "cap_chown",
    "cap_dac_override",
    "cap_dac_read_search",
    "cap_fowner",
    "cap_fsetid",
    "cap_kill",
    "cap_setgid",
    "cap_setuid",
    "cap_setpcap",
    "cap_linux_immutable",
    "cap_net_bind_service",
    "cap_net_broadcast",
    "cap_net_admin",
    "cap_net_raw",
    "cap_ipc_lock",
    "cap_ipc_owner",
    "cap_sys_module",
    "cap_sys_rawio",
    "cap_sys_chroot",
    "cap_sys_ptrace",
    "cap_sys_pacct",
    "cap_sys_admin",
    "cap_sys_boot",
    "cap_sys_nice",
    "cap_sys_resource",
    "cap_sys_time",
    "cap_sys_tty_config",
    "cap_mknod",
    "cap_lease",
    "cap_audit_write",
    "cap_audit_control",
    "cap_setfcap",
    "cap_mac_override",
    "cap_mac_admin",
    "cap_syslog",
    "cap_wake_alarm",
    "cap_block_suspend",
    "cap_audit_read",
    "cap_perfmon",
    "cap_bpf",
    "cap_checkpoint_restore",
};

const char *cs_cap_name(int cap)
{
	if (cap < 0 || cap > CS_CAP_LAST_KNOWN)
		return NULL;
	return cap_names[cap];
}

const char *cs_cap_name_r(int cap, bool upper, char *buf, size_t len)
{
	const char *n = cs_cap_name(cap);
	size_t i;

	if (!len)
		return buf;
	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "cap_%d", cap);
	if (upper)
		for (i = 0; buf[i]; i++)
			buf[i] = (char)toupper((unsigned char)buf[i]);
	return buf;
}

static bool has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

int cs_cap_from_name(const char *name, size_t len)
{
	size_t i;

	if (!name || len == 0)
		return -EINVAL;
	if (has_prefix_ci(name, len, "cap_")) {
		name += 4;
		len -= 4;
	}
	if (len == 0)
		return -EINVAL;
	if (isdigit((unsigned char)name[0])) {
		uint64_t v;

		/* "cap_12", "12": the one strict parser's decimal, 0..63 */
		return cs_parse_u64n(name, len, CS_NUM_DEC, CS_CAP_BITS - 1, &v) < 0 ? -EINVAL
										     : (int)v;
	}
	for (i = 0; i <= CS_CAP_LAST_KNOWN; i++) {
		const char *n = cap_names[i] + 4;

		if (strlen(n) == len && strncasecmp(n, name, len) == 0)
			return (int)i;
	}
	return -EINVAL;
}

static int cap_last_cached = -1;

void cs_cap_last_override(int last)
{
	cap_last_cached = last;
}

int cs_cap_last(void)
{
	char buf[16];
	ssize_t n;
	int fd, v = 0;

	if (cap_last_cached >= 0)
		return cap_last_cached;
	fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cap_last_cached = CS_CAP_LAST_KNOWN;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return cap_last_cached = CS_CAP_LAST_KNOWN;
	buf[n] = '\0';
	for (char *p = buf; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v >= CS_CAP_BITS)
			break;
	}
	/* A value we cannot use as a 64-bit mask bound is treated as unknown. */
	if (v <= 0 || v >= CS_CAP_BITS)
		v = CS_CAP_LAST_KNOWN;
	return cap_last_cached = v;
}

cs_mask_t cs_mask_all(void)
{
	int last = cs_cap_last();

	return last >= 63 ? ~(cs_mask_t)0 : (CS_BIT(last + 1) - 1);
}

int cs_mask_count(cs_mask_t m)
{
	return __builtin_popcountll(m);
}

static const char *const set_names[CS_NSETS] = {"inheritable", "permitted", "effective", "bounding",
						"ambient"};
static const char *const set_shorts[CS_NSETS] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};

const char *cs_set_name(enum cs_set s)
{
	return (unsigned)s < CS_NSETS ? set_names[s] : "?";
}

const char *cs_set_short(enum cs_set s)
{
	return (unsigned)s < CS_NSETS ? set_shorts[s] : "?";
}

void cs_quintet_clear(struct cs_quintet *q)
{
	memset(q, 0, sizeof(*q));
}

bool cs_quintet_equal(const struct cs_quintet *a, const struct cs_quintet *b)
{
	for (int i = 0; i < CS_NSETS; i++)
		if (a->set[i] != b->set[i])
			return false;
	return a->present == b->present;
}

bool cs_quintet_consistent(const struct cs_quintet *q)
{
	const cs_mask_t *s = q->set;

	return (s[CS_EFF] & ~s[CS_PRM]) == 0 && (s[CS_AMB] & ~(s[CS_PRM] & s[CS_INH])) == 0;
}
