/* SPDX-License-Identifier: MIT */
/*
 * explain pod's daemon configuration files (--docker-config,
 * --containerd-config): read here, apart from explain-common.c, which
 * capscope-run links without the runtime readers.
 */
#include <string.h>

#include "explain.h"

int cs_explain_daemon_configs(const char *cmd, struct cs_cri_target *t, struct cs_docker_config *dk,
			      const char *docker_cfg, struct cs_containerd_config *cd,
			      const char *containerd_cfg)
{
	struct cs_diag d = {0};

	cs_docker_config_default(dk);
	if (docker_cfg) {
		if (cs_docker_config_load(dk, docker_cfg, &d) < 0)
			return cs_diag_err(cmd, "--docker-config", &d);
		t->docker = dk;
	}
	cs_containerd_config_default(cd);
	if (containerd_cfg) {
		memset(&d, 0, sizeof(d));
		if (cs_containerd_config_load(cd, containerd_cfg, t->major, &d) < 0)
			return cs_diag_err(cmd, "--containerd-config", &d);
		t->containerd = cd;
	}
	return 0;
}
