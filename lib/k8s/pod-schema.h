/* SPDX-License-Identifier: MIT */
/*
 * The objects a pod spec and a workload's spec hold in Kubernetes 1.32,
 * generated from k8s.io/api
 * (scripts/gen-pod-schema.py → pod-schema.c): each with its fields, sorted,
 * and what each field's value is. Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_POD_SCHEMA_H
#define CAPSCOPE_LIB_K8S_POD_SCHEMA_H
#include <stdbool.h>
#include <stdint.h>

enum ps_shape {
	PS_SCALAR,	/* a string, number or boolean (IntOrString, Quantity too) */
	PS_OBJ,		/* an object of ps_types[type] */
	PS_LIST,	/* a list of objects of ps_types[type] */
	PS_LIST_SCALAR, /* a list of scalars */
	PS_LIST_ANY,	/* a list of lists: not looked into */
	PS_MAP,		/* keys of the user's (labels, resources...) */
	PS_ANY,		/* checked by the manifest reader itself, or raw */
};

struct ps_field {
	const char *name;
	uint8_t shape; /* enum ps_shape */
	uint16_t type; /* PS_OBJ, PS_LIST: the index in ps_types; 0 otherwise */
};

struct ps_type {
	const char *what; /* "core/v1 Volume", for messages */
	const struct ps_field *fields;
	uint16_t n;
	/* its own keys are checked by mf_check_fields (the pod spec, a
	 * container): only its fields are walked into */
	bool keys_elsewhere;
};

/* Where a walk starts: "PodSpec", or a workload's kind for its spec. */
struct ps_root {
	const char *name;
	uint16_t type;
};

extern const struct ps_type ps_types[];
extern const struct ps_root ps_roots[]; /* ended by a NULL name */
#endif
