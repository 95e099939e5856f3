/* SPDX-License-Identifier: MIT */
/*
 * runc's writes of the two port sysctls, which meet in the kernel:
 * ip_unprivileged_port_start may not pass the start of ip_local_port_range
 * (ipv4_privileged_ports), and the range's start may not fall below the
 * port start (ipv4_local_port_range). runc writes a spec's sysctls in its
 * init, before execve, in a Go map's order, which changes from one start to
 * the next: a pod that sets both can start in one order and fail in the
 * other (truth/sysctl-order-runc, against real runc).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/cleanup.h"
#include "../internal/util.h"
#include "internal/sysctl-int.h"
#include "pod-internal.h"
#include "strf.h"

static const char START[] = "net.ipv4.ip_unprivileged_port_start";
static const char RANGE[] = "net.ipv4.ip_local_port_range";

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

/*
 * The value runc writes to key for this container and who sets it (*crio:
 * CRI-O's default_sysctls, crio_value there, "" when it has none; else the
 * pod); NULL when neither does.
 */
static const char *written(const struct pod_work *w, const char *key, const char *crio_value,
			   bool crio_set, bool *crio)
{
	const struct cs_k8s_pod *pod = w->pod->pod;
	const char *v = cs_k8s_sysctl(pod, key);

	*crio = false;
	if (v)
		return v;
	/* CRI-O's default_sysctls, unless the pod sets it (net.* not with hostNetwork). */
	if (w->o->runtime == CS_CRI_CRIO && w->o->crio && crio_set && !pod->host_network) {
		*crio = true;
		return crio_value;
	}
	return NULL;
}

const char *cs_pod_port_start_written(const struct pod_work *w, bool *crio)
{
	const struct cs_crio_config *c = w->o->crio;

	return written(w, START, c ? c->unpriv_port_start : "", c && c->unpriv_port_start_set,
		       crio);
}

enum cs_port_zero cs_pod_runtime_port_zero(const struct pod_work *w)
{
	const struct cs_k8s_pod *pod = w->pod->pod;
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

	if (w->o->runtime == CS_CRI_CONTAINERD && cf && cf->unpriv_ports_set)
		return !cf->unpriv_ports   ? CS_PORT_ZERO_CONTAINERD_OFF
		       : pod->host_network ? CS_PORT_ZERO_NONE
					   : CS_PORT_ZERO_CONTAINERD_FILE;
	if (w->o->runtime == CS_CRI_CONTAINERD && !pod->host_network && containerd_2(w->o))
		return CS_PORT_ZERO_CONTAINERD_2;
	if (w->o->runtime == CS_CRI_DOCKER && !pod->host_network)
		return CS_PORT_ZERO_DOCKER;
	return CS_PORT_ZERO_NONE;
}

/* The network namespace's two values as runc's writes meet them. */
struct netns_ports {
	int prot, lo, hi;
};

struct port_write {
	const char *key, *value, *who; /* who: "the pod's", "CRI-O's default_sysctls"... */
	bool range;
};

/* One write: 0, or 1 and why[] when the kernel refuses it ("" writes nothing). */
static int write_one(struct netns_ports *ns, const struct port_write *pw, char *why, size_t len)
{
	int v[2] = {ns->lo, ns->hi}, r;

	if (!pw->range) {
		if ((r = cs_sysctl_int(pw->value, 0, 65535, &v[0])) == -ENODATA)
			return 0;
		if (r < 0)
			snprintf(why, len, "the kernel reads no port 0 to 65535 in it");
		else if (v[0] > ns->lo)
			snprintf(why, len, "%d is above the start of ip_local_port_range, %d", v[0],
				 ns->lo);
		else {
			ns->prot = v[0];
			return 0;
		}
		return 1;
	}
	if ((r = cs_sysctl_ints(pw->value, 2, 1, 65535, v)) == -ENODATA)
		return 0;
	if (r < 0)
		snprintf(why, len, "the kernel reads no two ports 1 to 65535 in it");
	else if (v[1] < v[0])
		snprintf(why, len, "its end %d is below its start %d", v[1], v[0]);
	else if (v[0] < ns->prot)
		snprintf(why, len, "its start %d is below ip_unprivileged_port_start, %d", v[0],
			 ns->prot);
	else {
		ns->lo = v[0];
		ns->hi = v[1];
		return 0;
	}
	return 1;
}

/*
 * The writes in one order from a new network namespace's values (1024,
 * 32768 60999): 0, or 1, *refused (the write the kernel refused, runc's
 * error) and why[].
 */
static int run_order(const struct port_write *pw, const size_t *order, size_t n,
		     const struct port_write **refused, char *why, size_t len)
{
	struct netns_ports ns = {1024, 32768, 60999};

	for (size_t i = 0; i < n; i++)
		if (write_one(&ns, &pw[order[i]], why, len)) {
			*refused = &pw[order[i]];
			return 1;
		}
	return 0;
}

/*
 * CRI-O writes a pod's sysctls with pinns, not runc, when it makes the
 * sandbox's namespaces: one `-s KEY=VALUE` each, its default_sysctls and
 * the pod's, and pinns refuses a value that is empty ("sysctl must be in
 * the form of 'key=value'; value is empty", pinns/src/sysctl.c; CRI-O's
 * own checks look at the name alone, and its Sysctls() takes "KEY="), so
 * no container of the pod starts. runc writes "" as nothing. Twenty-sixth
 * pass, part B: `--runtime crio` said an empty ip_unprivileged_port_start
 * left 1024 and the container ran. The name of such a sysctl and *who
 * ("the pod's", "CRI-O's default_sysctls"), or NULL. Of CRI-O's defaults
 * only the two port keys are read (crio-config.c).
 */
static const char *crio_empty(const struct pod_work *w, const char **who)
{
	const struct cs_k8s_pod *pod = w->pod->pod;
	const char *v;
	bool crio;

	if (w->o->runtime != CS_CRI_CRIO)
		return NULL;
	*who = "the pod's";
	for (size_t i = 0; i < pod->n_sysctls; i++)
		if (!pod->sysctls[i].value[0])
			return pod->sysctls[i].name;
	*who = "CRI-O's default_sysctls";
	if ((v = cs_pod_port_start_written(w, &crio)) && !v[0])
		return START;
	if ((v = written(w, RANGE, w->o->crio ? w->o->crio->local_port_range : "",
			 w->o->crio && w->o->crio->local_port_range_set, &crio)) &&
	    !v[0])
		return RANGE;
	return NULL;
}
/* the two sentences, measured first with their values empty: the values
 * share what a step's detail leaves (cs_step_word_room) */
#define REFUSED "runc cannot write %s %s=%s: write /proc/sys/net/ipv4/%s: invalid argument (%s)"
#define PINNS_EMPTY                                                                                \
	"CRI-O's pinns cannot write %s %s='': sysctl must be in the form of 'key=value'; value "   \
	"is empty (the pod's sandbox is not made)"
#define SOME                                                                                       \
	"runc writes sysctls in a Go map's order, new at each start: written first, %s %s=%s is "  \
	"refused (%s); a start that writes %s %s=%s first works (the kubelet retries)"

int cs_pod_port_sysctls(const struct pod_work *w, char **refused, char **some)
{
	static const size_t orders[2][2] = {{0, 1}, {1, 0}};
	struct port_write pw[2];
	const struct port_write *bad[2] = {NULL, NULL};
	char why[2][128], word[2][CS_WORD_ROOM];
	size_t n = 0;
	bool crio;
	const char *v;
	const char *e, *who;
	enum cs_port_zero zero;
	int r[2], b;

	*refused = *some = NULL;
	if ((e = crio_empty(w, &who))) {
		size_t room = cs_step_word_room((size_t)snprintf(NULL, 0, PINNS_EMPTY, who, ""), 1);

		*refused = cs_strf(PINNS_EMPTY, who, cs_word_clip(word[0], room, e));
		return *refused ? 1 : -ENOMEM;
	}
	if ((v = cs_pod_port_start_written(w, &crio)))
		pw[n++] = (struct port_write){
		    START, v, crio ? "CRI-O's default_sysctls" : "the pod's", false};
	else if ((zero = cs_pod_runtime_port_zero(w)) != CS_PORT_ZERO_NONE &&
		 zero != CS_PORT_ZERO_CONTAINERD_OFF)
		pw[n++] = (struct port_write){
		    START, "0", zero == CS_PORT_ZERO_DOCKER ? "Docker's" : "containerd's sandbox",
		    false};
	if ((v = written(w, RANGE, w->o->crio ? w->o->crio->local_port_range : "",
			 w->o->crio && w->o->crio->local_port_range_set, &crio)))
		pw[n++] = (struct port_write){RANGE, v,
					      crio ? "CRI-O's default_sysctls" : "the pod's", true};
	if (!n)
		return 0;
	r[0] = run_order(pw, orders[0], n, &bad[0], why[0], sizeof(why[0]));
	r[1] = n == 1 ? r[0] : run_order(pw, orders[1], n, &bad[1], why[1], sizeof(why[1]));
	if (!r[0] && !r[1])
		return 0;
	/* every order fails: the first order's error (the other's may name the
	 * other write: runc stops at the first the kernel refuses) */
	b = r[0] ? 0 : 1;
	if (r[0] && r[1]) {
		const char *key = bad[b]->key + strlen("net.ipv4.");
		size_t room = cs_step_word_room(
		    (size_t)snprintf(NULL, 0, REFUSED, bad[b]->who, bad[b]->key, "", key, why[b]),
		    1);

		*refused = cs_strf(REFUSED, bad[b]->who, bad[b]->key,
				   cs_word_clip(word[0], room, bad[b]->value), key, why[b]);
		return *refused ? 1 : -ENOMEM;
	}
	/* Only one order fails: at its first write. A second write refused
	 * (the range's start below the port start, or the port start above the
	 * range's start) is refused in the other order too. */
	{
		const struct port_write *other = &pw[orders[b][1]];
		const char *key = bad[b]->key + strlen("net.ipv4."),
			   *okey = other->key + strlen("net.ipv4.");
		size_t room = cs_step_word_room((size_t)snprintf(NULL, 0, SOME, bad[b]->who, key,
								 "", why[b], other->who, okey, ""),
						2);

		*some =
		    cs_strf(SOME, bad[b]->who, key, cs_word_clip(word[0], room, bad[b]->value),
			    why[b], other->who, okey, cs_word_clip(word[1], room, other->value));
	}
	return *some ? 0 : -ENOMEM;
}
