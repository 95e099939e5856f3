/* SPDX-License-Identifier: MIT */
/* Capability numbers, names, 64-bit masks and the five-set "quintet". */
#ifndef CAPSCOPE_CAPS_H
#define CAPSCOPE_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(CAPSCOPE_BUILDING_LIB)
#define CS_EXPORT __attribute__((visibility("default")))
#else
#define CS_EXPORT
#endif

/* Masks are 64 bits wide, like the kernel's kernel_cap_t and /proc. */
#define CS_CAP_BITS 64
/* Highest capability whose name capscope knows (CAP_CHECKPOINT_RESTORE). */
#define CS_CAP_LAST_KNOWN 40

typedef uint64_t cs_mask_t;

#define CS_BIT(cap) ((cs_mask_t)1 << (cap))

/* The five per-thread sets, in the order /proc/PID/status lists them. */
enum cs_set { CS_INH = 0, CS_PRM, CS_EFF, CS_BND, CS_AMB, CS_NSETS };

/*
 * Five masks plus a "present" bit per set: an OCI config may leave a set out
 * (null), which is not the same as listing it empty.
 */
struct cs_quintet {
	cs_mask_t set[CS_NSETS];
	unsigned present; /* bit (1u << enum cs_set) */
};

/* Lower-case libcap name ("cap_chown") or NULL past the table. */
CS_EXPORT const char *cs_cap_name(int cap);

/*
 * Name for any bit 0..63: the table's name, else "cap_N". upper selects the
 * OCI/Kubernetes spelling ("CAP_CHOWN", "CAP_41"). buf needs 32 bytes.
 */
CS_EXPORT const char *cs_cap_name_r(int cap, bool upper, char *buf, size_t len);

/*
 * Parse one capability: "cap_chown", "CAP_CHOWN", "chown", "CHOWN" (any case,
 * prefix optional), or a decimal number 0..63 ("41", "cap_41").
 * Returns the number or -EINVAL.
 */
CS_EXPORT int cs_cap_from_name(const char *name, size_t len);

/*
 * The running kernel's highest capability, from /proc/sys/kernel/cap_last_cap
 * (read once). Falls back to CS_CAP_LAST_KNOWN if the file is unreadable.
 */
CS_EXPORT int cs_cap_last(void);
/* Test hook: pretend cap_last_cap is this value (-1 = read the file again). */
CS_EXPORT void cs_cap_last_override(int last);

/* Bits 0..cs_cap_last(). */
CS_EXPORT cs_mask_t cs_mask_all(void);

CS_EXPORT int cs_mask_count(cs_mask_t m);

/* Set/quintet helpers. */
CS_EXPORT const char *cs_set_name(enum cs_set s);  /* "inheritable", ... */
CS_EXPORT const char *cs_set_short(enum cs_set s); /* "CapInh", ... */
CS_EXPORT void cs_quintet_clear(struct cs_quintet *q);
CS_EXPORT bool cs_quintet_equal(const struct cs_quintet *a, const struct cs_quintet *b);
/* Kernel invariants: pE ⊆ pP, pA ⊆ pP ∩ pI. Returns true when they hold. */
CS_EXPORT bool cs_quintet_consistent(const struct cs_quintet *q);

#endif
