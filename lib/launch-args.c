/* SPDX-License-Identifier: MIT */
/* capscope run's option strings → struct cs_launch_plan (see launch-args.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/launch-args.h"
#include "capscope/escape.h"
#include "capscope/number.h"
#include "capscope/text.h"
#include "internal/cleanup.h"

/* A uid or gid: strict digits, or else a name; (uid_t)-1 is "no change" to the kernel. */
static bool parse_id(const char *s, uint32_t *out)
{
	return cs_parse_u32(s, UINT32_MAX - 1, out) == 0;
}

/*
 * No such name: a number the strict parser refused says why. It said "out
 * of range" of "05" and "-1" too, which are refused for their leading 0
 * (octal to some tools, decimal to others) and their sign, not their size.
 * 4294967295 is (uid_t)-1, "no change" to setresuid. Anything else is a
 * name nobody has.
 */
static int unknown_id(const char *opt, const char *what, const char *field, const char *s,
		      struct cs_diag *d)
{
	size_t sign = s[0] == '-' || s[0] == '+', lead = strspn(s, " \t"), n = strlen(s), digits;

	/* " 1000" or "1000 " (a shell variable's blank): no name has it, the
	 * id was meant; "no such user ' 1000'" sent the reader looking. */
	while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	digits = strspn(s + lead, "0123456789");
	if ((lead || s[n]) && digits && lead + digits == n)
		return cs_diag_set(d, EINVAL, 0, 0, field,
				   "%s: '%s' has a blank: a %s id is plain digits, 0-4294967294",
				   opt, s, what);
	if (!s[sign] || strspn(s + sign, "0123456789") != strlen(s + sign))
		return cs_diag_set(d, EINVAL, 0, 0, field, "%s: no such %s '%s'", opt, what, s);
	if (sign)
		return cs_diag_set(d, EINVAL, 0, 0, field,
				   "%s: '%s' has a sign: a %s id is plain digits, 0-4294967294",
				   opt, s, what);
	if (s[0] == '0' && s[1])
		return cs_diag_set(d, EINVAL, 0, 0, field,
				   "%s: '%s' has a leading 0, which some tools read as octal: "
				   "write the %s id without it",
				   opt, s, what);
	return cs_diag_set(d, EINVAL, 0, 0, field,
			   "%s: '%s' is out of range: a %s id is 0-4294967294 "
			   "(4294967295 is the kernel's \"no change\")",
			   opt, s, what);
}

/*
 * An id the user or group database gives for a name. 4294967295 is
 * (uid_t)-1, which setresuid, setresgid and the model take as "no change":
 * a passwd line "x:x:4294967295:..." made `--user x` keep the caller's uid
 * (root, with every capability back at execve) and said nothing; in a
 * group list setgroups refused it with a bare EINVAL. Refused by name.
 */
static int db_id(const char *opt, const char *s, const char *db, const char *kind, uint32_t id,
		 const char *field, struct cs_diag *d)
{
	if (id != UINT32_MAX)
		return 0;
	return cs_diag_set(d, EINVAL, 0, 0, field,
			   "%s %s: the %s database gives it %s 4294967295, which is no id "
			   "to the kernel ((uid_t)-1, \"no change\"); nothing was run",
			   opt, s, db, kind);
}

/*
 * After a lookup that found nothing: true when the database could not be
 * read at all (getpwnam(3): 0, ENOENT, ESRCH, EBADF and EPERM mean "no such
 * entry"; anything else, EMFILE under RLIMIT_NOFILE=3 or EACCES, is an
 * error). Then d says so and -errno is returned: "no such user" would be
 * untrue. 0 otherwise.
 */
static int lookup_error(const char *opt, const char *what, const char *field, const char *s, int e,
			struct cs_diag *d)
{
	if (e == 0 || e == ENOENT || e == ESRCH || e == EBADF || e == EPERM)
		return 0;
	return cs_diag_set(d, e, 0, 0, field, "%s %s: cannot read the %s database: %s", opt, s,
			   what, strerror(e));
}

int cs_launch_args_user(struct cs_launch_plan *p, const char *s, const struct cs_ids *ids,
			struct cs_diag *d)
{
	struct passwd *pw;
	uint32_t v;
	int rc;

	errno = 0;
	if (parse_id(s, &v)) {
		p->uid = (uid_t)v;
		pw = ids->pw_uid(p->uid);
		if (!pw && !p->set_gid &&
		    (rc = lookup_error("--user", "user", "user", s, errno, d)))
			return rc;
	} else {
		/*
		 * glibc's getpwnam("") returns a passwd line with an empty name
		 * (":x:0:0::/:") as its user, so with NSS `--user "$UNSET"` ran as
		 * uid 0 while the static reader said "no such user". No name is
		 * no user, whatever the database.
		 */
		pw = *s ? ids->pw_name(s) : NULL;
		if (!pw && (rc = lookup_error("--user", "user", "user", s, errno, d)))
			return rc;
		if (!pw)
			return unknown_id("--user", "user", "user", s, d);
		if ((rc = db_id("--user", s, "user", "uid", pw->pw_uid, "user", d)))
			return rc;
		p->uid = pw->pw_uid;
	}
	p->set_uid = true;
	if (!p->set_gid) {
		/* Keeping the old (root) group would be a privilege nobody asked for. */
		if (!pw)
			return cs_diag_set(d, EINVAL, 0, 0, "user",
					   "--user %s: no passwd entry to take the group from; "
					   "give --group",
					   s);
		if ((rc = db_id("--user", s, "user", "group", pw->pw_gid, "user", d)))
			return rc;
		p->gid = pw->pw_gid;
		p->set_gid = true;
	}
	return 0;
}

int cs_launch_args_gid(const char *opt, const char *s, const struct cs_ids *ids, gid_t *out,
		       struct cs_diag *d)
{
	struct group *gr;
	uint32_t v;
	int rc;

	if (parse_id(s, &v)) {
		*out = (gid_t)v;
		return 0;
	}
	errno = 0;
	gr = *s ? ids->gr_name(s) : NULL;
	if (!gr && (rc = lookup_error(opt, "group", "group", s, errno, d)))
		return rc;
	if (!gr)
		return unknown_id(opt, "group", "group", s, d);
	if ((rc = db_id(opt, s, "group", "gid", gr->gr_gid, "group", d)))
		return rc;
	*out = gr->gr_gid;
	return 0;
}

/* Comma-separated, no empty entries: "--groups ''" or "5,,6" is a mistake, not "no groups". */
int cs_launch_args_groups(struct cs_launch_plan *p, const char *s, const struct cs_ids *ids,
			  struct cs_diag *d)
{
	cs_cleanup_free char *copy = strdup(s);
	char *tok, *next;

	if (!copy)
		return cs_diag_set(d, ENOMEM, 0, 0, "groups", "out of memory");
	p->ngroups = 0;
	for (tok = copy; tok; tok = next) {
		int rc;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		if (!*tok)
			return cs_diag_set(d, EINVAL, 0, 0, "groups",
					   "--groups: empty group name in '%s' (use "
					   "--clear-groups for none)",
					   s);
		if (p->ngroups >= CS_CRED_MAX_GROUPS)
			return cs_diag_set(d, EINVAL, 0, 0, "groups",
					   "--groups: more than %d groups", CS_CRED_MAX_GROUPS);
		if ((rc = cs_launch_args_gid("--groups", tok, ids, &p->groups[p->ngroups], d)))
			return rc;
		p->ngroups++;
	}
	return 0;
}

/*
 * One grammar for run's lists, as setpriv's: "chown kill", " chown" or
 * "chown, kill" were read as names (cs_names_parse takes blanks as
 * separators, for decode's pasted text) where --securebits and --groups
 * refuse them, and --help says "separated by commas". The blank's word is
 * named, the column is the blank's.
 */
int cs_launch_args_caps(const char *s, cs_mask_t *out, struct cs_diag *d)
{
	return cs_names_parse_commas(s, strlen(s), out, d);
}

/* Text that reads as a number with something around it (" 1", "+1", "-1",
 * "\t0x1"): no securebit's name starts so, and "unknown name ' 1'" sent the
 * reader looking for a name. */
static bool number_like(const char *s)
{
	s += strspn(s, " \t\n\v\f\r");
	s += *s == '+' || *s == '-';
	return *s >= '0' && *s <= '9';
}

int cs_launch_args_securebits(const char *s, unsigned *out, struct cs_diag *d)
{
	cs_cleanup_free char *copy = NULL;
	char *tok, *next;
	uint64_t v;
	int r = cs_parse_u64(s, CS_NUM_HEX, UINT32_MAX, &v);

	if (r == 0 || number_like(s)) {
		/* "010" and 99999999999 are numbers, refused for their form and size. */
		if (r == -ERANGE)
			return cs_diag_set(
			    d, EINVAL, 0, 0, "securebits",
			    "--securebits: '%s' is out of range (the bits are 0-0x%x)", s,
			    CS_SECBIT_ALL);
		if (r < 0 && s[0] == '0' && strspn(s, "0123456789") == strlen(s))
			return cs_diag_set(
			    d, EINVAL, 0, 0, "securebits",
			    "--securebits: '%s' has a leading 0, which some tools read "
			    "as octal: write it in decimal without it, or in hex with 0x",
			    s);
		if (r < 0)
			return cs_diag_set(
			    d, EINVAL, 0, 0, "securebits",
			    "--securebits: '%s' is not a number (digits alone, or 0x "
			    "and hex digits: no blank, no sign)",
			    s);
		if (v & ~(uint64_t)CS_SECBIT_ALL)
			return cs_diag_set(d, EINVAL, 0, 0, "securebits",
					   "--securebits: unknown bits in 0x%llx",
					   (unsigned long long)v);
		*out = (unsigned)v;
		return 0;
	}
	if (!(copy = strdup(s)))
		return cs_diag_set(d, ENOMEM, 0, 0, "securebits", "out of memory");
	*out = 0;
	for (tok = copy; tok; tok = next) {
		unsigned bit;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		/* "unknown name ''" of an empty variable or a stray comma named nothing. */
		if (!*tok)
			return cs_diag_set(d, EINVAL, 0, 0, "securebits",
					   "--securebits: a name is missing in '%s' (names are "
					   "separated by one comma; 0 for none)",
					   s);
		for (bit = 0; cs_securebit_name(bit); bit++)
			if (strcmp(tok, cs_securebit_name(bit)) == 0)
				break;
		if (!cs_securebit_name(bit))
			return cs_diag_set(d, EINVAL, 0, 0, "securebits",
					   "--securebits: unknown name '%s'", tok);
		*out |= 1u << bit;
	}
	return 0;
}
