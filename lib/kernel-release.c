/* SPDX-License-Identifier: MIT */
/* The running kernel's release (see internal/kernel-release.h). */
#include <stdint.h>
#include <string.h>
#include <sys/utsname.h>

#include "capscope/number.h"
#include "internal/kernel-release.h"

bool cs_kernel_release_at_least(unsigned want_major, unsigned want_minor)
{
	struct utsname u;
	uint64_t major, minor;
	size_t a, b;

	if (uname(&u) < 0)
		return false;
	/* "6.18.44-fc": the release's first two numbers, through the one parser. */
	a = strspn(u.release, "0123456789");
	if (u.release[a] != '.')
		return false;
	b = strspn(u.release + a + 1, "0123456789");
	if (cs_parse_u64n(u.release, a, CS_NUM_DEC, UINT32_MAX, &major) < 0 ||
	    cs_parse_u64n(u.release + a + 1, b, CS_NUM_DEC, UINT32_MAX, &minor) < 0)
		return false;
	return major > want_major || (major == want_major && minor >= want_minor);
}
