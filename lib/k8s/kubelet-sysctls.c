/* SPDX-License-Identifier: MIT */
/*
 * The kubelet's sysctl admission (pkg/kubelet/sysctl, the allowlist's
 * Admit handler): each sysctl of the pod must be in the kubelet's safe set
 * or match one of its --allowed-unsafe-sysctls, else the pod is rejected
 * before any container is made (SysctlForbidden: "forbidden sysctl: %q not
 * allowlisted"). The API server's rules (names, hostNetwork, hostIPC) are
 * the manifest reader's (manifest-sysctls.c). The model said a pod setting
 * net.core.somaxconn ran.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kubelet.h"
#include "../internal/cleanup.h"
#include "../internal/go-csv.h"
#include "scc-sysctls.h"
#include "sysctl-names.h"

/*
 * pkg/kubelet/sysctl/safe_sysctls.go, Kubernetes 1.32: the namespaced,
 * safe set. Some only from the kernel release that made them per network
 * namespace (tcp_rmem and tcp_wmem 4.15, the keepalive ones 4.5), which
 * every kernel a kubelet of that release runs on has. Also the sysctls an
 * SCC takes without allowedUnsafeSysctls (scc.c).
 */
bool cs_k8s_sysctl_safe(const char *name)
{
	static const char *const safe[] = {
	    "kernel.shm_rmid_forced",
	    "net.ipv4.ip_local_port_range",
	    "net.ipv4.tcp_syncookies",
	    "net.ipv4.ping_group_range",
	    "net.ipv4.ip_unprivileged_port_start",
	    "net.ipv4.ip_local_reserved_ports",
	    "net.ipv4.tcp_keepalive_time",
	    "net.ipv4.tcp_fin_timeout",
	    "net.ipv4.tcp_keepalive_intvl",
	    "net.ipv4.tcp_keepalive_probes",
	    "net.ipv4.tcp_rmem",
	    "net.ipv4.tcp_wmem",
	};

	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		if (!strcmp(safe[i], name))
			return true;
	return false;
}

/* One segment's text, [a-z0-9] with '-' and '_' inside. */
static bool seg_char(char c, bool inside)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (inside && (c == '-' || c == '_'));
}

int cs_kubelet_unsafe_sysctl_check(const char *pattern, struct cs_diag *d)
{
	size_t len = strlen(pattern), seg = 0;
	bool star = len && pattern[len - 1] == '*';
	char n[256];

	/* IsValidSysctlPattern: at most 253 bytes, segments between '.' or '/',
	 * and at its end either a whole segment or '*' after the start of one
	 * (or after a separator) */
	if (!len || len > 253)
		goto bad;
	for (size_t i = 0; i < len - star; i++) {
		char c = pattern[i];

		if (c == '.' || c == '/') {
			if (!seg || !seg_char(pattern[i - 1], false))
				goto bad;
			seg = 0;
			continue;
		}
		if (!seg_char(c, seg > 0))
			goto bad;
		seg++;
	}
	if (!star && (!seg || !seg_char(pattern[len - 1], false)))
		goto bad;
	/* NewAllowlist: what it names must be known to be namespaced */
	cs_k8s_sysctl_dots(pattern, n, sizeof(n));
	if (!cs_k8s_sysctl_ns(n))
		return cs_diag_set(d, EINVAL, 0, 0, NULL,
				   "'%s' is not known to be namespaced (the kubelet refuses it)",
				   pattern);
	return 0;
bad:
	return cs_diag_set(d, EINVAL, 0, 0, NULL,
			   "'%s' is not a sysctl name or NAME* pattern (at most 253 characters; "
			   "[a-z0-9]([-_a-z0-9]*[a-z0-9])? between '.' or '/')",
			   pattern);
}

int cs_kubelet_unsafe_sysctls_add(struct cs_kubelet_unsafe_sysctls *u, const char *list,
				  struct cs_diag *d)
{
	size_t used = 0, n = u->n, len = strlen(list), fields, bad;
	enum cs_go_csv_err e;
	char *p;

	/* the flag is a pflag StringSlice: readAsCSV takes "" as no pattern
	 * (the kubelet starts with none), else the first record Go's
	 * encoding/csv reads of the value. A comma's empty field ("a,,b") is
	 * one, which IsValidSysctlPattern refuses. Session 27, part B: fields
	 * were cut at each ',' as written, so '"net.core.somaxconn"' (the
	 * kubelet's net.core.somaxconn) and '"a,b"' were refused as names, and
	 * a second line, which the kubelet never reads, was read. */
	if (!len)
		return 0;
	if (n)
		used = (size_t)(u->v[n - 1] - u->text) + strlen(u->v[n - 1]) + 1;
	/* capscope's bounds, said as such: the kubelet takes any number */
	if (len >= sizeof(u->text) - used)
		return cs_diag_set(d, E2BIG, 0, 0, NULL,
				   "more than %zu bytes of patterns (the most capscope keeps)",
				   sizeof(u->text) - 1);
	p = u->text + used;
	switch ((e = cs_go_csv_record(list, p, &fields, &bad))) {
	case CS_GO_CSV_OK:
		break;
	case CS_GO_CSV_NOMEM:
		return cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	case CS_GO_CSV_NO_RECORD:
		return cs_diag_set(d, EINVAL, 0, 0, NULL,
				   "line breaks alone: the kubelet's flag reads no CSV record "
				   "in it (EOF) and the kubelet does not start");
	default:
		cs_diag_set(
		    d, EINVAL, 0, 0, NULL,
		    e == CS_GO_CSV_BARE_QUOTE
			? "a '\"' in a field not quoted whole (bare \" in non-quoted-field): "
			  "the kubelet's flag is CSV and the kubelet does not start"
			: "a '\"' that neither ends its quoted field nor doubles, or a quote "
			  "not closed (extraneous or missing \" in quoted-field): the "
			  "kubelet's flag is CSV and the kubelet does not start");
		return fields || bad > 1 || strchr(list, ',')
			   ? cs_diag_context(d, EINVAL, "item %zu", bad)
			   : -EINVAL;
	}
	for (size_t item = 1; item <= fields; item++) {
		if (n == CS_KUBELET_UNSAFE_SYSCTLS_MAX)
			return cs_diag_set(d, E2BIG, 0, 0, NULL,
					   "more than %d patterns (the most capscope keeps)",
					   CS_KUBELET_UNSAFE_SYSCTLS_MAX);
		/* which item of a list: "a,,b" or a trailing comma said only
		 * "'' is not a sysctl name" (twenty-sixth pass, part A) */
		if (cs_kubelet_unsafe_sysctl_check(p, d) < 0)
			return fields > 1 ? cs_diag_context(d, EINVAL, "item %zu", item) : -EINVAL;
		u->v[n++] = p;
		p += strlen(p) + 1;
	}
	u->n = n;
	return 0;
}

int cs_kubelet_sysctl_forbidden(const struct cs_k8s_pod *pod, const char *const *allowed, size_t n,
				char *name, size_t len)
{
	/* the patterns with dots, as NewAllowlist keeps them */
	cs_cleanup_free char(*pd)[256] = NULL;
	cs_cleanup_free const char **pv = NULL;
	struct cs_strlist pats = {NULL, n};
	struct cs_sysctl_pats p;
	int rc = 0;

	if (!pod->n_sysctls)
		return 0;
	if (n && (!(pd = calloc(n, sizeof(*pd))) || !(pv = calloc(n, sizeof(*pv)))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		cs_k8s_sysctl_dots(allowed[i], pd[i], sizeof(pd[i]));
		pv[i] = pd[i];
	}
	pats.v = pv;
	if (cs_sysctl_pats_build(&p, &pats) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < pod->n_sysctls && !rc; i++) {
		cs_k8s_sysctl_dots(pod->sysctls[i].name, name, len);
		if (!cs_k8s_sysctl_safe(name) && !cs_sysctl_pats_match(&p, name))
			rc = 1;
	}
	cs_sysctl_pats_free(&p);
	return rc;
}
