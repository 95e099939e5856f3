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
#include "../internal/util.h"

/*
 * The value as the kernel reads it (cs_sysctl_int: base 0, blanks around,
 * "-0"; the runtime writes it as it is): 0 and *start, -ENODATA for an
 * empty value (nothing written), -EINVAL for one the kernel refuses. Whether
 * it passes the start of ip_local_port_range is port-sysctls.c's: a value
 * that does fails the container (or some of its starts) before execve.
 */
static int port_start_parse(const char *v, int *start)
{
	return cs_sysctl_int(v, 0, 65535, start);
}

/*
 * The value as one word of the sentence (lib/word.c; no allocation):
 * twenty-fifth pass, part A: written raw after "=", a value "0 junk" (which
 * the kernel refuses) read as "=0" and a word "junk", and " 0" (which it
 * takes) as "= 0"; now ="0 junk" and =" 0".
 */
#define VALUE_WORD(buf, v) cs_word_clip((buf), sizeof(buf), (v))

/* Where ip_unprivileged_port_start comes from for this container. */
static char *unpriv_port_start(const struct pod_work *w, int *start)
{
	bool crio;
	const char *v = cs_pod_port_start_written(w, &crio);
	int r = v ? port_start_parse(v, start) : 0;
	const struct cs_containerd_config *cf = w->o->target ? w->o->target->containerd : NULL;
	char word[CS_WORD_ROOM];

	if (r == -EINVAL) {
		/* runc cannot write it: the container does not start
		 * (cs_pod_port_sysctls), which bind_why says first */
		*start = 1024;
		return cs_strf("net.ipv4.ip_unprivileged_port_start=%s, which the kernel refuses",
			       VALUE_WORD(word, v));
	}
	if (r == -ENODATA) { /* only the pod's can be empty: CRI-O's is set when not */
		*start = 1024;
		return cs_strf("the pod sets net.ipv4.ip_unprivileged_port_start to '', which "
			       "writes nothing: the default 1024 stays");
	}
	if (v && !crio)
		return cs_strf("the pod sets net.ipv4.ip_unprivileged_port_start=%s",
			       VALUE_WORD(word, v));
	if (v)
		return cs_strf("CRI-O sets net.ipv4.ip_unprivileged_port_start=%s "
			       "(default_sysctls of %s)",
			       VALUE_WORD(word, v), w->o->crio->sysctls_from);
	switch (cs_pod_runtime_port_zero(w)) {
	case CS_PORT_ZERO_CONTAINERD_FILE:
		*start = 0;
		return cs_strf("containerd sets net.ipv4.ip_unprivileged_port_start=0 in the "
			       "pod's network namespace (enable_unprivileged_ports = true in %s)",
			       cf->file);
	case CS_PORT_ZERO_CONTAINERD_OFF:
		*start = 1024;
		return cs_strf("net.ipv4.ip_unprivileged_port_start is 1024 (the default; "
			       "enable_unprivileged_ports = false in %s)",
			       cf->file);
	case CS_PORT_ZERO_CONTAINERD_2:
		*start = 0;
		return cs_strf("containerd 2.x sets net.ipv4.ip_unprivileged_port_start=0 in the "
			       "pod's network namespace (enable_unprivileged_ports, on by default "
			       "since 2.0)");
	case CS_PORT_ZERO_DOCKER:
		*start = 0;
		return cs_strf("Docker sets net.ipv4.ip_unprivileged_port_start=0 in container "
			       "network namespaces");
	case CS_PORT_ZERO_NONE:
		break;
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

int cs_pod_port_start(struct pod_work *w)
{
	return (w->unpriv_port_why = unpriv_port_start(w, &w->unpriv_port_start)) ? 0 : -ENOMEM;
}

int cs_pod_checks(struct pod_work *w)
{
	struct cs_pod_ctr_result *r = w->r;
	size_t n = w->o->n_ports;

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
