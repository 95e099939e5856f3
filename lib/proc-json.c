/* SPDX-License-Identifier: MIT */
/* The process snapshot as JSON: what capscope ps --json and the node agent print. */
#include <stdlib.h>
#include <string.h>

#include "capscope/kernel.h"
#include "capscope/proc-json.h"
#include "capscope/text.h"

/*
 * The command line as the process wrote it (arguments joined by spaces): the
 * JSON writer escapes controls and writes a byte that is not UTF-8 as
 * U+FFFD, as for the comm. Turning every byte outside printable ASCII into
 * '?' here showed "caf??" for "café" and made "a\nb" and "a?b" one string.
 */
static void json_cmdline(struct cs_json *j, const char *cmdline)
{
	cs_json_str(j, cmdline);
}

/*
 * The comm as the process set it: Name: in the status file is the kernel's
 * escaped form ("\\n" for a newline, "\\\\" for a backslash), which JSON
 * would otherwise escape a second time (text output undoes it too).
 */
static void json_comm(struct cs_json *j, const char *status_name)
{
	char raw[sizeof(((struct cs_proc_status *)0)->name)];

	cs_proc_comm_raw(status_name, raw, sizeof(raw));
	cs_json_key(j, "comm");
	cs_json_str(j, raw);
}

static void json_ids(struct cs_json *j, const char *key, const unsigned *ids)
{
	cs_json_key(j, key);
	cs_json_arr_begin(j);
	for (int i = 0; i < 4; i++)
		cs_json_uint(j, ids[i]);
	cs_json_arr_end(j);
}

static void json_status_core(struct cs_json *j, const struct cs_proc_status *st)
{
	json_ids(j, "uids", (const unsigned *)st->uid);
	json_ids(j, "gids", (const unsigned *)st->gid);
	cs_json_key(j, "groups");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < st->ngroups; i++)
		cs_json_uint(j, st->groups[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "caps");
	cs_json_caps(j, &st->caps);
	cs_json_key(j, "no_new_privs");
	if (st->no_new_privs < 0)
		cs_json_null(j);
	else
		cs_json_bool(j, st->no_new_privs);
	cs_json_key(j, "seccomp");
	cs_json_str(j, cs_seccomp_name(st->seccomp));
}

static void json_container(struct cs_json *j, const struct cs_proc_info *v)
{
	const struct cs_container *c = &v->container;

	cs_json_key(j, "container");
	if (!v->has_container) {
		cs_json_null(j);
		return;
	}
	cs_json_obj_begin(j);
	cs_json_key(j, "runtime");
	cs_json_str(j, cs_runtime_name(c->runtime));
	cs_json_key(j, "id");
	cs_json_str(j, c->id[0] ? c->id : NULL);
	cs_json_key(j, "pod_uid");
	cs_json_str(j, c->pod_uid[0] ? c->pod_uid : NULL);
	cs_json_key(j, "qos");
	cs_json_str(j, c->qos[0] ? c->qos : NULL);
	cs_json_key(j, "cgroup");
	cs_json_str(j, c->cgroup);
	cs_json_obj_end(j);
}

void cs_proc_info_json(struct cs_json *j, const struct cs_proc_info *v)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "pid");
	cs_json_int(j, v->st.pid ? v->st.pid : 0);
	cs_json_key(j, "ppid");
	cs_json_int(j, v->st.ppid);
	json_comm(j, v->st.name);
	cs_json_key(j, "cmdline");
	json_cmdline(j, v->cmdline);
	cs_json_key(j, "user");
	cs_json_str(j, v->user);
	json_status_core(j, &v->st);
	cs_json_key(j, "securebits");
	if (v->securebits < 0)
		cs_json_null(j);
	else
		cs_json_int(j, v->securebits);
	cs_json_key(j, "in_user_namespace");
	if (v->userns < 0)
		cs_json_null(j);
	else
		cs_json_bool(j, v->userns);
	json_container(j, v);
	cs_json_key(j, "threads");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < v->nthreads; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "tid");
		cs_json_int(j, v->threads[i].pid);
		json_comm(j, v->threads[i].name);
		json_status_core(j, &v->threads[i]);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}

void cs_proc_snapshot_json(struct cs_json *j, const struct cs_proc_snapshot *s)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "processes");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < s->n; i++)
		cs_proc_info_json(j, &s->procs[i]);
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}
