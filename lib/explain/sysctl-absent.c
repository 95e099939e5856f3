/* SPDX-License-Identifier: MIT */
/*
 * A sysctl the pod's runtime writes and this kernel (capscope's stand-in
 * for the node's, as for cap_last_cap) does not have. runc opens
 * /proc/sys/NAME in its init and fails there ("open
 * /proc/sys/net/ipv4/no_such: no such file or directory",
 * truth/sysctl-absent-runc); CRI-O's pinns opens it when it makes the
 * sandbox's namespaces and exits ("failed to open /proc/sys/%s",
 * pinns/src/sysctl.c), for the pod's sysctls and for the default_sysctls
 * CRI-O keeps. Either way no container of the pod starts. Session 27,
 * part B: the model said the pod ran (a pod's such sysctl passes the
 * kubelet with --allowed-unsafe-sysctls 'net.ipv4.*').
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../internal/oci-types.h"
#include "../internal/util.h"
#include "../k8s/sysctl-names.h"
#include "internal/sysctl-here.h"
#include "pod-internal.h"
#include "strf.h"

#define RUNC_ABSENT "runc cannot write the pod's %s=%s: open /proc/sys/%s: %s)"
#define RUNC_UNNAMESPACED                                                                          \
	"runc cannot write the pod's %s=%s: sysctl \"%s\" is not in a separate kernel namespace "  \
	"(runc's config check; the kubelet's IPC prefix took it)"
#define PINNS_ABSENT                                                                               \
	"CRI-O's pinns cannot write %s %s: failed to open /proc/sys/%s: %s; the pod's sandbox is " \
	"not made)"

/* why the open fails, by cs_sysctl_here's answer (0, 2 or 3) */
static const char *open_error(int here)
{
	return here == 2   ? "permission denied (read-only in a namespace not the host's, as the "
			     "pod's is"
	       : here == 3 ? "is a directory (a table of sysctls, not one"
			   : "no such file or directory (this kernel has no such sysctl";
}

#define UNTOLD                                                                                     \
	"whether this kernel has %s %s, which the runtime writes, is not told: %s; assumed there"

/* the first of the pod's sysctls cs_sysctl_here could not tell, said once:
 * before, the pod was said to start without a word of it */
static int note_untold(const char *whose, const char *name, int here, char **untold)
{
	char word[CS_WORD_ROOM];
	const char *why = cs_sysctl_untold(here);
	size_t room;

	if (*untold)
		return 0;
	room = cs_step_word_room((size_t)snprintf(NULL, 0, UNTOLD, whose, "", why), 1);
	*untold = cs_strf(UNTOLD, whose, cs_word_clip(word, room, name), why);
	return *untold ? 0 : -ENOMEM;
}

/* name with every '.' a '/', as runc and pinns open it, into buf */
static const char *as_path(char *buf, size_t size, const char *name)
{
	size_t i = 0;

	for (; name[i] && i + 1 < size; i++)
		buf[i] = name[i] == '.' ? '/' : name[i];
	buf[i] = '\0';
	return buf;
}

int cs_pod_sysctl_absent(const struct pod_work *w, char **refused, char **untold)
{
	const struct cs_k8s_pod *pod = w->pod->pod;
	const struct cs_crio_config *c = w->o->crio;
	bool crio = w->o->runtime == CS_CRI_CRIO;
	/* runc behind a kubelet (podman runs crun by default: not told) */
	bool runc = w->o->runtime == CS_CRI_CONTAINERD || w->o->runtime == CS_CRI_DOCKER;
	char word[3][CS_WORD_ROOM], path[4096];
	size_t room;

	*refused = NULL;
	for (size_t i = 0; i < pod->n_sysctls; i++) {
		const char *n = pod->sysctls[i].name, *v = pod->sysctls[i].value;
		char dots[256], kind;
		const char *why;
		int here;

		/* runc's config check first, before its init writes anything:
		 * kernel.shm* and kernel.msg* pass the kubelet (an IPC prefix),
		 * but runc knows eight such names (kernel.shm_next_id fails);
		 * CRI-O's Validate takes the prefixes, pinns writes them. The
		 * kubelet hands the runtime the name with dots. */
		cs_k8s_sysctl_dots(n, dots, sizeof(dots));
		kind = cs_runc_sysctl_kind(dots, strlen(dots));
		if (runc && (!kind || kind == 'H')) {
			room = cs_step_word_room(
			    (size_t)snprintf(NULL, 0, RUNC_UNNAMESPACED, "", "", ""), 3);
			*refused = cs_strf(RUNC_UNNAMESPACED, cs_word_clip(word[0], room, n),
					   cs_word_clip(word[1], room, v),
					   cs_word_clip(word[2], room, dots));
			return *refused ? 1 : -ENOMEM;
		}
		/* absent (0), there and not to be written (2), a directory
		 * (3): each fails */
		here = cs_sysctl_here(n);
		if (here < 0 && note_untold("the pod's sysctl", n, here, untold) < 0)
			return -ENOMEM;
		if (here == 1 || here < 0)
			continue;
		why = open_error(here);
		if (crio) {
			room = cs_step_word_room(
			    (size_t)snprintf(NULL, 0, PINNS_ABSENT, "the pod's", "", "", why), 2);
			*refused = cs_strf(
			    PINNS_ABSENT, "the pod's", cs_word_clip(word[0], room, n),
			    cs_word_clip(word[1], room, as_path(path, sizeof(path), n)), why);
		} else {
			room = cs_step_word_room(
			    (size_t)snprintf(NULL, 0, RUNC_ABSENT, "", "", "", why), 3);
			*refused = cs_strf(
			    RUNC_ABSENT, cs_word_clip(word[0], room, n),
			    cs_word_clip(word[1], room, v),
			    cs_word_clip(word[2], room, as_path(path, sizeof(path), n)), why);
		}
		return *refused ? 1 : -ENOMEM;
	}
	if (!crio || !c)
		return 0;
	/* CRI-O skips a default of the namespace the pod shares with the host */
	for (size_t k = 0; k < 2; k++) {
		const char *n = c->sysctl_absent[k], *why, *u = c->sysctl_untold[k];
		bool host = (k == 0 && pod->host_network) || (k == 1 && pod->host_ipc);

		int h = u[0] && !host ? cs_sysctl_here(u) : 0;

		/* asked again for why (a key cut at 128 bytes is not asked) */
		if (h < 0 && note_untold("CRI-O's default_sysctls", u, h, untold) < 0)
			return -ENOMEM;
		if (!n[0] || host)
			continue;
		/* the reader kept it for a 0, 2 or 3; ask again which */
		why = open_error(cs_sysctl_here(n));
		room = cs_step_word_room(
		    (size_t)snprintf(NULL, 0, PINNS_ABSENT, "CRI-O's default_sysctls", "", "", why),
		    2);
		*refused =
		    cs_strf(PINNS_ABSENT, "CRI-O's default_sysctls", cs_word_clip(word[0], room, n),
			    cs_word_clip(word[1], room, as_path(path, sizeof(path), n)), why);
		return *refused ? 1 : -ENOMEM;
	}
	return 0;
}
