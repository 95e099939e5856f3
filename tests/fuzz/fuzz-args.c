/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the small parsers of what a user types or a file holds that had no
 * target of their own (twentieth pass, part C): the strict number parsers
 * (lib/number.c), --cri and --runtime-caps (lib/runtime/cri.c),
 * --bundle-root (lib/node/bundles.c), --userns-base (lib/userns.c), file
 * capability text (lib/fcaps.c), one cgroup path (lib/cgroup.c), the
 * level, risk and profile-kind names, and the secure-bits iterator's text
 * (lib/proc-secbits.c). The first byte picks the parser; the rest is its
 * text. A number taken must be within its bounds, and a decimal number
 * taken must print back as it was written (no sign, space or junk taken).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/cri.h"
#include "capscope/fcaps.h"
#include "capscope/lint.h"
#include "capscope/node.h"
#include "capscope/number.h"
#include "capscope/proc.h"
#include "capscope/scan.h"
#include "capscope/trace.h"
#include "capscope/userns.h"
#include "internal/secbits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_decimal(const char *s, uint64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "%" PRIu64, v);
	if (strcmp(b, s) != 0)
		abort();
}

static void numbers(const char *s, size_t len, unsigned pick)
{
	uint64_t v, max = pick & 1 ? UINT64_MAX : 65535;
	uint32_t u, start, n;
	double sec;
	int i;

	if (cs_parse_u64n(s, len, CS_NUM_DEC, max, &v) == 0) {
		if (v > max || strlen(s) != len)
			abort();
		same_decimal(s, v);
	}
	if (cs_parse_u64(s, CS_NUM_HEX, max, &v) == 0 && v > max)
		abort();
	if (cs_parse_u32(s, 1000, &u) == 0) {
		if (u > 1000)
			abort();
		same_decimal(s, u);
	}
	if (cs_parse_size(s, &v) == 0 && !*s)
		abort();
	if (cs_parse_int(s, -5, 70000, &i) == 0 && (i < -5 || i > 70000))
		abort();
	if (cs_parse_seconds(s, 3600, &sec) == 0 && !(sec > 0 && sec <= 3600))
		abort();
	if (cs_parse_id_range(s, &start, &n) == 0 &&
	    (n == 0 || (uint64_t)start + n - 1 > UINT32_MAX))
		abort();
}

static void names(const char *s, size_t len)
{
	struct cs_cri_target t;
	struct cs_node_root root;
	struct cs_fcaps fc;
	struct cs_container c;
	enum cs_lint_level lv;
	struct cs_diag d = {0};
	uint32_t base;

	cs_cri_target_default(CS_CRI_CRIO, &t);
	cs_cri_target_parse(s, &t, &d);
	cs_cri_runtime_caps_parse(s, &t, &d);
	if (cs_node_root_parse(s, &root) == 0 &&
	    (!root.path || root.path < s || root.path > s + len))
		abort();
	if (cs_userns_base_parse(s, &base, &d) == 0 && (base < 65536 || base % 65536))
		abort();
	cs_fcaps_from_text(s, (uint32_t)len, &fc, &d);
	cs_cgroup_path_parse(s, len, &c);
	cs_lint_level_parse(s, &lv);
	cs_risk_parse(s);
	cs_profile_kind_parse(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_secbits_table t = {0};
	unsigned pick;
	char *s;

	if (size < 1 || size > 4096)
		return 0;
	pick = data[0];
	if (!(s = malloc(size)))
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (pick % 3) {
	case 0:
		numbers(s, strlen(s), pick / 3);
		break;
	case 1:
		names(s, strlen(s));
		break;
	default:
		/* not NUL-terminated: the parser must keep to len */
		memmove(s, data + 1, size - 1);
		cs_secbits_table_parse(s, size - 1, 100, (long long)(pick / 3) * 1000, &t);
		cs_secbits_table_free(&t);
		break;
	}
	free(s);
	return 0;
}
