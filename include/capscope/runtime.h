/* SPDX-License-Identifier: MIT */
/*
 * An OCI runtime's pre-exec sequence. runc 1.1 (libcontainer/init_linux.go
 * finalizeNamespace, setupUser; libcontainer/capabilities) as the one modelled
 * today; later runtimes add their own entry points here. Steps use layer
 * "runtime".
 */
#ifndef CAPSCOPE_RUNTIME_H
#define CAPSCOPE_RUNTIME_H

#include "kernel.h"
#include "oci.h"
#include "steps.h"

/*
 * The credentials runc's init holds just before it execve()s the entrypoint,
 * starting from `start` (NULL: uid 0 with every capability, as runc started by
 * root; a user namespace from p gives a full set inside it). Returns 0, or
 * -errno when runc itself would fail (capset EPERM, unmapped user → EINVAL);
 * res says where.
 */
CS_EXPORT int cs_runc_pre_exec(const struct cs_oci_process *p, const struct cs_cred *start,
			       struct cs_cred *out, struct cs_exec_result *res,
			       struct cs_steps *st);

/*
 * The whole prediction: runc's sequence, then the kernel's execve of f.
 * out holds the first process's credentials when res->ok. Returns 0 when the
 * prediction could be made (whatever the outcome; res->ok says it), -errno
 * on a bad argument or when steps could not be recorded.
 */
CS_EXPORT int cs_oci_predict(const struct cs_oci_process *p, const struct cs_exec_file *f,
			     struct cs_cred *out, struct cs_exec_result *res, struct cs_steps *st);
/* The same from given caller credentials (NULL = full root), keeping the pre-exec state. */
CS_EXPORT int cs_oci_predict_from(const struct cs_oci_process *p, const struct cs_cred *start,
				  const struct cs_exec_file *f, struct cs_cred *pre,
				  struct cs_cred *out, struct cs_exec_result *res,
				  struct cs_steps *st);

#endif
