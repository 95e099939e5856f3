/* SPDX-License-Identifier: MIT */
/*
 * Checks the caller asks for. bind:PORT: can the first process (or the one
 * an ambient helper execs) bind this TCP port? A port below
 * net.ipv4.ip_unprivileged_port_start needs CAP_NET_BIND_SERVICE effective
 * in the user namespace that owns the network namespace.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal/sysctl-int.h"
#include "pod-internal.h"
#include "strf.h"

/* containerd 2.0 or later: the release asked for, else the current one. */
static bool containerd_2(const struct cs_pod_explain_opts *o)
{
	struct cs_cri_target t;

	if (o->target)
		t = *o->target;
	else
		cs_cri_target_default(CS_CRI_CONTAINERD, &t);
	return t.major >= 2;
}

/* Where ip_unprivileged_port_start comes from for this container. */
static char *unpriv_port_start(const struct pod_work *w, int *start)
{
	const struct cs_k8s_pod *pod = w->pod->pod;
	const char *v = cs_k8s_sysctl(pod, "net.ipv4.ip_unprivileged_port_start");

	if (v) {
		/* The runtime writes the value as it is: the kernel's parse decides
		 * ("0x0", "00", " 0" are 0), and it takes 0..65535 */
		int r = cs_sysctl_int(v, 0, 65535, start);

		if (r == -ENODATA) {
			*start = 1024;
			return cs_strf("the pod sets net.ipv4.ip_unprivileged_port_start to '', "
				       "which writes nothing: the default 1024 stays");
		}
		if (r < 0) {
			*start = 1024;
			return cs_strf(
			    "the pod sets net.ipv4.ip_unprivileged_port_start=%s, which the "
			    "kernel refuses: the default 1024 stays",
			    v);
		}
		return cs_strf("the pod sets net.ipv4.ip_unprivileged_port_start=%s", v);
	}
	/* CRI-O's default_sysctls, unless the pod sets it (net.* not with hostNetwork). */
	const struct cs_crio_config *crio = w->o->crio;

	if (w->o->runtime == CS_CRI_CRIO && crio && crio->unpriv_port_start[0] &&
	    !pod->host_network) {
		if (cs_sysctl_int(crio->unpriv_port_start, 0, 65535, start) < 0) {
			*start = 1024;
			return cs_strf("default_sysctls of %s sets "
				       "net.ipv4.ip_unprivileged_port_start=%s, which the kernel "
				       "refuses: the default 1024 stays",
				       crio->sysctls_from, crio->unpriv_port_start);
		}
		return cs_strf("CRI-O sets net.ipv4.ip_unprivileged_port_start=%s "
			       "(default_sysctls of %s)",
			       crio->unpriv_port_start, crio->sysctls_from);
	}
	/*
	 * containerd's CRI plugin sets it to 0 in the sandbox's spec, which
	 * every container of the pod shares, when enable_unprivileged_ports is
	 * on and the pod does not set it, except with hostNetwork
	 * (sandbox_run_linux.go in 1.6, 1.7 and 2.x). The option is off by
	 * default in 1.6 and 1.7 and on since 2.0 (internal/cri/config/
	 * config_unix.go DefaultRuntimeConfig): the release's default unless
	 * --containerd-config gives the value.
	 */
	const struct cs_containerd_config *cf = w->o->target ? w->o->target->containerd : NULL;

	if (w->o->runtime == CS_CRI_CONTAINERD && cf && cf->unpriv_ports_set) {
		if (cf->unpriv_ports && !pod->host_network) {
			*start = 0;
			return cs_strf("containerd sets net.ipv4.ip_unprivileged_port_start=0 in "
				       "the pod's network namespace (enable_unprivileged_ports = "
				       "true in %s)",
				       cf->file);
		}
		if (!cf->unpriv_ports) {
			*start = 1024;
			return cs_strf("net.ipv4.ip_unprivileged_port_start is 1024 (the default; "
				       "enable_unprivileged_ports = false in %s)",
				       cf->file);
		}
	} else if (w->o->runtime == CS_CRI_CONTAINERD && !pod->host_network && containerd_2(w->o)) {
		*start = 0;
		return cs_strf("containerd 2.x sets net.ipv4.ip_unprivileged_port_start=0 in the "
			       "pod's network namespace (enable_unprivileged_ports, on by default "
			       "since 2.0)");
	}
	if (w->o->runtime == CS_CRI_DOCKER && !pod->host_network) {
		*start = 0;
		return cs_strf("Docker sets net.ipv4.ip_unprivileged_port_start=0 in container "
			       "network namespaces");
	}
	*start = 1024;
	return cs_strf("net.ipv4.ip_unprivileged_port_start is 1024 (the default)");
}

static char *bind_why(const struct pod_work *w, int port, bool *ok)
{
	const struct cs_pod_ctr_result *r = w->r;
	const struct cs_helper_result *h = r->helper && r->helper->ok ? r->helper : NULL;

	*ok = false;
	if (!r->admitted || !r->exec_ok)
		return cs_strf("the process does not start");
	if (port >= w->unpriv_port_start) {
		*ok = true;
		return cs_strf("port %d is not privileged: %s", port, w->unpriv_port_why);
	}
	if ((h ? h->post : w->post).caps.set[CS_EFF] & CS_BIT(10)) {
		*ok = true;
		return cs_strf("CAP_NET_BIND_SERVICE is in the effective set%s%s",
			       h ? " of the process the helper execs" : "",
			       r->oci && r->oci->user_namespace
				   ? ", held in the pod's user namespace, which owns the pod's "
				     "network namespace: the bind works there (never on the "
				     "node's network)"
				   : "");
	}
	return cs_strf("port %d < %d (%s) and CAP_NET_BIND_SERVICE is not effective", port,
		       w->unpriv_port_start, w->unpriv_port_why);
}

int cs_pod_checks(struct pod_work *w)
{
	struct cs_pod_ctr_result *r = w->r;
	size_t n = w->o->n_ports;

	free(w->unpriv_port_why);
	if (!(w->unpriv_port_why = unpriv_port_start(w, &w->unpriv_port_start)))
		return -ENOMEM;
	if (!n)
		return 0;
	if (!(r->checks = calloc(n, sizeof(*r->checks))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct cs_check_result *c = &r->checks[r->n_checks++];

		c->port = w->o->ports[i];
		c->check = cs_strf("bind:%d", c->port);
		c->why = bind_why(w, c->port, &c->ok);
		if (!c->check || !c->why)
			return -ENOMEM;
	}
	return 0;
}
