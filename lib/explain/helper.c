/* SPDX-License-Identifier: MIT */
/*
 * An ambient-raising helper as entrypoint: the reference article's
 * set_ambient (it adds CAP_NET_BIND_SERVICE to inheritable with capset,
 * raises it in ambient, then execs argv[1]) or `capscope run --ambient CAPS
 * -- CMD`. The helper's calls go through the kernel model, then the exec of
 * the command, so the process the article inspected comes out too.
 */
#include <errno.h>
#include <string.h>

#include "capscope/text.h"
#include "pod-internal.h"
#include "strf.h"

/* capscope run's options: only --ambient is modelled; anything else, give up. */
static size_t capscope_run(const char *const *argv, size_t argc, cs_mask_t *amb)
{
	struct cs_diag d = {0};

	for (size_t k = 2; k < argc; k++) {
		const char *v = NULL;
		cs_mask_t m;

		if (!strcmp(argv[k], "--") && k + 1 < argc)
			return k + 1;
		if (!strcmp(argv[k], "--ambient") && k + 1 < argc)
			v = argv[++k];
		else if (!strncmp(argv[k], "--ambient=", 10))
			v = argv[k] + 10;
		else
			return 0; /* other launcher options: not modelled here */
		if (cs_names_parse(v, strlen(v), &m, &d) < 0)
			return 0;
		*amb |= m;
	}
	return 0;
}

/* Which helper argv is, what it raises and the index of the command it execs (0: none). */
static size_t recognise(const char *const *argv, size_t argc, cs_mask_t *amb, char **what)
{
	const char *base;
	size_t next = 0;
	char word[CS_WORD_ROOM]; /* the command execed, one word of the step (lib/word.c) */

	*amb = 0;
	if (!argc)
		return 0;
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "set_ambient") && argc >= 2) {
		*amb = CS_BIT(10);
		*what = cs_strf("set_ambient raises CAP_NET_BIND_SERVICE to ambient, then execs %s",
				cs_word_clip(word, sizeof(word), argv[1]));
		return 1;
	}
	if (!strcmp(base, "capscope") && argc >= 4 && !strcmp(argv[1], "run")) {
		next = capscope_run(argv, argc, amb);
		if (!next || !*amb)
			return 0;
		*what = cs_strf("capscope run raises the ambient set, then execs %s",
				cs_word_clip(word, sizeof(word), argv[next]));
	}
	return next;
}

int cs_pod_model_helper(struct pod_work *w)
{
	struct cs_pod_ctr_result *r = w->r;
	struct cs_helper_result *h;
	struct cs_diag d = {0};
	char *what = NULL;
	cs_mask_t amb;
	size_t next = recognise(w->argv, w->argc, &amb, &what);
	int rc;

	if (!next)
		return 0;
	if (!what || !(h = r->helper = calloc(1, sizeof(*h)))) {
		free(what);
		return -ENOMEM;
	}
	h->what = what;
	h->post = w->post;
	if (!(h->path = strdup("")))
		return -ENOMEM;
	cs_steps_add(&r->steps, "helper", "helper.start", "%s", h->what);
	rc = cs_kernel_capset(&h->post, h->post.caps.set[CS_EFF], h->post.caps.set[CS_PRM],
			      h->post.caps.set[CS_INH] | amb, &r->steps);
	for (int cap = 0; rc == 0 && cap < CS_CAP_BITS; cap++)
		if (amb & CS_BIT(cap))
			rc = cs_kernel_ambient_raise(&h->post, cap, &r->steps);
	if (rc < 0) {
		h->error = cs_strf("%s", cs_errno_name(-rc));
		cs_steps_add(
		    &r->steps, "helper", "helper.failed",
		    "the helper's capset/ambient raise fails with %s: it exits before exec",
		    cs_errno_name(-rc));
		return h->error ? 0 : -ENOMEM;
	}
	cs_exec_file_clear(&w->hf);
	if (w->kimg.fs_given) {
		rc = cs_pod_resolve(w, w->argv[next], &w->hf, &d);
		if (rc == -ENOMEM || rc == -E2BIG) /* E2BIG: the image refused, w->d says it */
			return rc;
		if (rc < 0)
			return (h->error = strdup("")) ? 0 : -ENOMEM;
	} else if (cs_exec_file_set_path(&w->hf, w->argv[next]) < 0) {
		return -ENOMEM;
	}
	free(h->path);
	if (!(h->path = strdup(w->hf.path)))
		return -ENOMEM;
	rc = cs_kernel_execve(&h->post, &w->hf, &r->steps);
	if (rc < 0) {
		h->error = cs_strf("%s", cs_errno_name(-rc));
		return h->error ? 0 : -ENOMEM;
	}
	h->ok = true;
	return 0;
}
