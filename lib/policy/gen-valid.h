/* SPDX-License-Identifier: MIT */
#ifndef CS_POLICY_GEN_VALID_H
#define CS_POLICY_GEN_VALID_H

#include "capscope/diag.h"
#include "capscope/policy.h"

/* The names a generator writes into objects, checked as the API server
 * checks them (name and service account: DNS-1123 subdomain; namespace:
 * DNS-1123 label), one place for every generator: 0 or -EINVAL with d. */
int cs_policy_gen_valid(const struct cs_policy_gen *g, const char *ns, struct cs_diag *d);

#endif
