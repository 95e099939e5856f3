/* SPDX-License-Identifier: MIT */
/* The least set as paste-ready snippets for the places capabilities are configured. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/escape.h"
#include "capscope/launch.h"
#include "capscope/text.h"
#include "capscope/trace.h"
#include "../internal/launch-walk.h"
#include "../internal/util.h"

static const char *const kind_names[] = {
    [CS_PROFILE_K8S] = "k8s", [CS_PROFILE_SCC] = "scc",	      [CS_PROFILE_SETCAP] = "setcap",
    [CS_PROFILE_RUN] = "run", [CS_PROFILE_DOCKER] = "docker", [CS_PROFILE_SYSTEMD] = "systemd",
};

int cs_profile_kind_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

const char *cs_profile_kind_name(enum cs_profile_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

/*
 * Can s go between single quotes as it is? Only when the terminal rule
 * (escape.h) would leave it alone but for backslashes, which are literal
 * there: no control byte, no invalid UTF-8, no C1 or bidi control.
 */
static bool quotes_alone(const char *s)
{
	size_t n = strlen(s), bs = 0;

	for (const char *p = s; *p; p++)
		bs += *p == '\\';
	return cs_escape_text(s, n, NULL, 0) == n + bs;
}

size_t cs_shell_quote(const char *s, char *buf, size_t len)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789@%+=:,./-_";
	static const char hex[] = "0123456789abcdef";
	size_t need = 0;
	/* Not a word that starts with '=': zsh (EQUALS, on by default) reads
	 * "=ls" as the path of the command ls. */
	bool plain = *s != '\0' && *s != '=';

	for (const char *p = s; *p; p++)
		if (!strchr(safe, *p))
			plain = false;
#define PUT(c)                                                                                     \
	do {                                                                                       \
		if (need + 1 < len)                                                                \
			buf[need] = (c);                                                           \
		need++;                                                                            \
	} while (0)
	if (plain) {
		for (const char *p = s; *p; p++)
			PUT(*p);
	} else if (quotes_alone(s)) {
		PUT('\'');
		for (const char *p = s; *p; p++) {
			if (*p == '\'') {
				PUT('\'');
				PUT('\\');
				PUT('\'');
				PUT('\'');
			} else {
				PUT(*p);
			}
		}
		PUT('\'');
	} else {
		/* $'...' (bash, zsh, ksh, POSIX.1-2024): the exact bytes, and no
		 * control byte reaches the terminal that shows the snippet. */
		PUT('$');
		PUT('\'');
		for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
			if (*p == '\\' || *p == '\'') {
				PUT('\\');
				PUT((char)*p);
			} else if (*p >= 0x20 && *p < 0x7f) {
				PUT((char)*p);
			} else {
				PUT('\\');
				PUT('x');
				PUT(hex[*p >> 4]);
				PUT(hex[*p & 15]);
			}
		}
		PUT('\'');
	}
#undef PUT
	if (len)
		buf[need < len ? need : len - 1] = '\0';
	return need;
}

static int put_argv(FILE *f, const char *const *argv)
{
	for (size_t i = 0; argv && argv[i]; i++) {
		size_t n = cs_shell_quote(argv[i], NULL, 0) + 1;
		char *q = malloc(n);

		if (!q)
			return -ENOMEM;
		cs_shell_quote(argv[i], q, n);
		fprintf(f, " %s", q);
		free(q);
	}
	return 0;
}

/* "NAME,NAME" in a style, or "" for none; malloc'd. */
static char *names(cs_mask_t m, enum cs_name_style st)
{
	size_t n = cs_mask_format_names(m, st, NULL, 0) + 1;
	char *s = malloc(n);

	if (s)
		cs_mask_format_names(m, st, s, n);
	return s;
}

/* Kubernetes and SCCs spell capabilities without the CAP_ prefix. */
static const char *k8s_name(int cap, char name[32])
{
	cs_cap_name_r(cap, true, name, 32);
	return strncmp(name, "CAP_", 4) ? name : name + 4;
}

static void yaml_list(FILE *f, const char *indent, cs_mask_t m)
{
	char name[32];

	for (int c = 0; c < CS_CAP_BITS; c++)
		if (m & CS_BIT(c))
			fprintf(f, "%s- %s\n", indent, k8s_name(c, name));
}

void cs_profile_k8s_json(struct cs_json *j, cs_mask_t m)
{
	char name[32];

	cs_json_obj_begin(j);
	cs_json_key(j, "securityContext");
	cs_json_obj_begin(j);
	cs_json_key(j, "capabilities");
	cs_json_obj_begin(j);
	cs_json_key(j, "drop");
	cs_json_arr_begin(j);
	cs_json_str(j, "ALL");
	cs_json_arr_end(j);
	if (m) { /* as the YAML snippet: no empty add list */
		cs_json_key(j, "add");
		cs_json_arr_begin(j);
		for (int c = 0; c < CS_CAP_BITS; c++)
			if (m & CS_BIT(c))
				cs_json_str(j, k8s_name(c, name));
		cs_json_arr_end(j);
	}
	cs_json_obj_end(j);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}

static char *resolved(const char *p)
{
	char *r = realpath(p, NULL);

	return r ? r : strdup(p);
}

/*
 * One candidate of execvp's walk, as execve would answer it: a directory (or
 * anything not a regular file) is EACCES and the walk goes on, as it does
 * past a file without execute permission. access(X_OK) also refuses a file
 * on a noexec mount.
 */
static int probe_exec(void *ctx, const char *path, bool *final)
{
	char **out = ctx;
	struct stat st;

	(void) final;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (access(path, X_OK) < 0)
		return -errno;
	*out = resolved(path);
	return *out ? 0 : -ENOMEM;
}

/*
 * The path setcap needs: the file the traced command's execvp ran, by the
 * launcher's walk (lib/launch.c: $PATH or /bin:/usr/bin, an empty entry the
 * working directory), resolved (setcap on a symlink fails). Taking the
 * first name that access() allowed named a directory of that name earlier
 * in $PATH (execvp skips it), and a long entry was cut at 4,096 bytes.
 */
static char *program_path(const char *argv0)
{
	char *found = NULL;

	if (!argv0)
		return strdup("/path/to/program");
	if (cs_launch_walk(argv0, cs_launch_search_path(), probe_exec, &found) == 0 && found)
		return found;
	free(found);
	return strdup(argv0);
}

int cs_profile_write(enum cs_profile_kind k, cs_mask_t m, const char *const *argv, FILE *f)
{
	char *oci = names(m, CS_NAMES_OCI), *lower = names(m, CS_NAMES_LOWER);
	int rc = 0;

	if (!oci || !lower) {
		rc = -ENOMEM;
		goto out;
	}
	switch (k) {
	case CS_PROFILE_K8S:
		fprintf(f, "securityContext:\n  capabilities:\n    drop:\n    - ALL\n");
		if (m) {
			fprintf(f, "    add:\n");
			yaml_list(f, "    ", m);
		}
		break;
	case CS_PROFILE_SCC:
		/* As restricted-v2 does it: require dropping ALL, allow the few
		 * the workload adds in its securityContext. */
		fprintf(f, "requiredDropCapabilities:\n- ALL\n");
		if (m) {
			fprintf(f, "allowedCapabilities:\n");
			yaml_list(f, "", m);
		} else {
			fprintf(f, "allowedCapabilities: []\n");
		}
		break;
	case CS_PROFILE_SETCAP: {
		char *p = program_path(argv ? argv[0] : NULL);

		if (!p) {
			rc = -ENOMEM;
			goto out;
		}
		/* Quoted as the run and docker lines quote argv: a path with a
		 * space or a control byte is pasted back exactly. */
		size_t qn = cs_shell_quote(p, NULL, 0) + 1;
		char *q = malloc(qn);

		if (q)
			cs_shell_quote(p, q, qn);
		free(p);
		if (!q) {
			rc = -ENOMEM;
			goto out;
		}
		if (m)
			fprintf(f, "setcap %s=ep %s\n", lower, q);
		else
			fprintf(f, "setcap -r %s  # needs no file capabilities\n", q);
		free(q);
		break;
	}
	case CS_PROFILE_RUN:
		if (m)
			fprintf(f, "capscope run --bounding %s --caps %s=eip --", lower, lower);
		else
			fprintf(f, "capscope run --bounding '' --caps = --");
		rc = put_argv(f, argv);
		fputc('\n', f);
		break;
	case CS_PROFILE_DOCKER: {
		fprintf(f, "docker run --cap-drop=ALL");
		for (int c = 0; c < CS_CAP_BITS; c++)
			if (m & CS_BIT(c)) {
				char name[32];

				fprintf(f, " --cap-add=%s",
					cs_cap_name_r(c, true, name, sizeof(name)));
			}
		fprintf(f, " IMAGE");
		rc = put_argv(f, argv);
		fputc('\n', f);
		break;
	}
	case CS_PROFILE_SYSTEMD:
		for (char *p = oci; *p; p++)
			if (*p == ',')
				*p = ' '; /* systemd lists are space-separated */
		fprintf(f, "[Service]\nCapabilityBoundingSet=%s\n", oci);
		/* Ambient makes the set effective for a non-root User=. */
		fprintf(f, "AmbientCapabilities=%s\n", oci);
		break;
	default:
		rc = -EINVAL;
	}
out:
	free(oci);
	free(lower);
	if (rc == 0 && ferror(f))
		rc = -EIO;
	return rc;
}
