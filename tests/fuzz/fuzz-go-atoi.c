/* SPDX-License-Identifier: MIT */
/*
 * Fuzz Go's strconv.Atoi as capscope models it (lib/go-atoi.c, the uid and
 * gid of a passwd line or a User), against a reading of Go's rule: an
 * optional sign, then one or more decimal digits and nothing else; a value
 * past int64 saturates (Atoi's range error, which libcontainer ignores).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/internal/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t i = size && (s[0] == '+' || s[0] == '-');
	bool go = i < size;
	long long mine = 7, want = 0;
	char buf[256];

	for (size_t k = i; k < size; k++)
		go = go && s[k] >= '0' && s[k] <= '9';
	if (cs_go_atoi(s, size, &mine) != go)
		abort();
	if (!go || size >= sizeof(buf))
		return 0;
	memcpy(buf, s, size);
	buf[size] = '\0';
	errno = 0;
	want = strtoll(buf, NULL, 10); /* saturates with ERANGE, as Atoi */
	if (mine != want)
		abort();
	return 0;
}
