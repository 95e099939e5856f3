/* SPDX-License-Identifier: MIT */
/*
 * The pod's SCC admission reason, made when it is written. A refused
 * pod's reason is "unable to validate against any security context
 * constraint: a: why; b: why" (sccadmission/admission.go): every attempt's
 * reason again. Held beside the attempts it doubled the memory of a
 * refused pod (a pod of containers that each add 16 capabilities: 1.36 KB
 * a container an SCC, twice; sixteenth pass, parts L and O), so it is
 * written piece by piece from the attempts instead.
 */
#include "capscope/scc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal/cleanup.h"
#include "internal/util.h"

static const char head[] = "unable to validate against any security context constraint: ";

/* A refusal made from the attempts: admission tried SCCs and none admitted. */
static bool joined(const struct cs_scc_result *res)
{
	return !res->reason && !res->admitted && res->n_attempts;
}

int cs_scc_reason_each(const struct cs_scc_result *res, int (*put)(const char *piece, void *data),
		       void *data)
{
	int rc;

	if (!joined(res))
		return res->reason ? put(res->reason, data) : 0;
	if ((rc = put(head, data)) != 0)
		return rc;
	for (size_t i = 0; i < res->n_attempts; i++) {
		/* A word of the sentence (lib/word.c), as every SCC name in it. */
		cs_cleanup_free char *name = cs_word_dup(res->attempts[i].scc->name, '"');

		if (!name)
			return -ENOMEM;
		if ((i && (rc = put("; ", data)) != 0) || (rc = put(name, data)) != 0 ||
		    (rc = put(": ", data)) != 0 ||
		    (rc = put(res->attempts[i].reason ? res->attempts[i].reason : "", data)) != 0)
			return rc;
	}
	return 0;
}

static int count(const char *piece, void *data)
{
	*(size_t *)data += strlen(piece);
	return 0;
}

int cs_scc_reason_len(const struct cs_scc_result *res, size_t *len)
{
	*len = 0;
	return cs_scc_reason_each(res, count, len);
}

struct fill {
	char *p;
	size_t left; /* room in p, its NUL included */
};

/* Stops (1) once buf is full, and never measures past it: explain pod
 * takes this head for each container, and a walk of the whole reason
 * each time would be containers x reason, which names every container. */
static int copy(const char *piece, void *data)
{
	struct fill *f = data;
	size_t n = strnlen(piece, f->left - 1);

	memcpy(f->p, piece, n);
	f->p += n;
	f->left -= n;
	*f->p = '\0';
	return f->left == 1;
}

int cs_scc_reason_head(const struct cs_scc_result *res, char *buf, size_t size)
{
	struct fill f = {.p = buf, .left = size};
	int rc;

	if (!size)
		return -EINVAL;
	*buf = '\0';
	rc = cs_scc_reason_each(res, copy, &f);
	return rc < 0 ? rc : 0;
}

char *cs_scc_reason_dup(const struct cs_scc_result *res)
{
	size_t len;
	char *s;

	if (cs_scc_reason_len(res, &len) < 0 || !(s = malloc(len + 1)))
		return NULL;
	if (cs_scc_reason_head(res, s, len + 1) < 0) {
		free(s);
		return NULL;
	}
	return s;
}
