/* SPDX-License-Identifier: MIT */
/*
 * libcapscope, all of it: include this one header and link with
 * `pkg-config --cflags --libs capscope`. docs/library.md says how the
 * library is laid out and how to call it; each header below documents its
 * module. Conventions that hold everywhere: functions return 0 or -errno;
 * those that can say more fill a struct cs_diag; whatever a call allocates
 * is released by the one free function named beside it; nothing here prints
 * or exits.
 */
#ifndef CAPSCOPE_CAPSCOPE_H
#define CAPSCOPE_CAPSCOPE_H

#ifdef __cplusplus
extern "C" {
#endif

#include "caps.h"
#include "diag.h"
#include "escape.h"
#include "number.h"
#include "version.h"
#include "text.h"
#include "text-table.h"
#include "encode.h"
#include "json.h"
#include "steps.h"
#include "proc.h"
#include "proc-json.h"
#include "fcaps.h"
#include "fcaps-json.h"
#include "image.h"
#include "image-ref.h"
#include "oci.h"
#include "kernel.h"
#include "userns.h"
#include "runtime.h"
#include "cri.h"
#include "launch.h"
#include "ids.h"
#include "launch-args.h"
#include "launch-dry-run.h"
#include "k8s.h"
#include "scc.h"
#include "scc-load.h"
#include "psa.h"
#include "kubelet.h"
#include "explain.h"
#include "policy.h"
#include "policy-json.h"
#include "scan.h"
#include "scan-diff.h"
#include "trace.h"
#include "trace-json.h"
#include "trace-watch.h"
#include "serve.h"
#include "node.h"
#include "lint.h"
#include "html.h"

#ifdef __cplusplus
}
#endif

#endif
