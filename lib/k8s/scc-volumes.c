/* SPDX-License-Identifier: MIT */
/*
 * OpenShift defaults an SCC's volumes when it is created or updated
 * (apiserver-library-go sccdefaults.SetDefaults_SCC), and admission reads
 * the stored list:
 *  - absent (nil): "*"; an empty list: "none", or "hostPath" with
 *    allowHostDirVolumePlugin;
 *  - with allowHostDirVolumePlugin: hostPath is added unless "*" is there;
 *  - without it: "*" and hostPath are taken out, and "*" becomes every
 *    volume type but hostPath (util.GetAllFSTypesExcept).
 * So `volumes: ["*"]` alone does not allow hostPath volumes, and its
 * restrictiveness score is that of non-trivial volumes, not host ones.
 */
#include "scc-volumes.h"

#include <errno.h>
#include <string.h>

/* util.GetAllFSTypesAsSet without hostPath (the API's FSType names). */
static const char *const all_but_host[] = {"azureFile",
					   "flocker",
					   "flexVolume",
					   "emptyDir",
					   "gcePersistentDisk",
					   "awsElasticBlockStore",
					   "gitRepo",
					   "secret",
					   "nfs",
					   "iscsi",
					   "glusterfs",
					   "persistentVolumeClaim",
					   "rbd",
					   "cinder",
					   "cephFS",
					   "downwardAPI",
					   "fc",
					   "configMap",
					   "vsphere",
					   "quobyte",
					   "azureDisk",
					   "photonPersistentDisk",
					   "projected",
					   "portworxVolume",
					   "scaleIO",
					   "storageOS",
					   "csi",
					   "ephemeral",
					   "image"};

static bool has(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

int cs_scc_default_volumes(struct cs_arena *a, struct cs_scc *s, bool given)
{
	static const char *const star[] = {"*"};
	const size_t n_all = sizeof(all_but_host) / sizeof(all_but_host[0]);
	struct cs_strlist in = s->volumes;
	const char **v;
	size_t n = 0;
	bool had_all;

	if (!given) {
		in.v = (const char **)star;
		in.n = 1;
	}
	v = cs_arena_alloc(a, (in.n + n_all + 2) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (in.n == 0)
		v[n++] = s->allow_host_dir_volume ? "hostPath" : "none";
	had_all = has(&in, "*");
	for (size_t i = 0; i < in.n; i++)
		if (s->allow_host_dir_volume ||
		    (strcmp(in.v[i], "*") != 0 && strcmp(in.v[i], "hostPath") != 0))
			v[n++] = in.v[i];
	if (s->allow_host_dir_volume && !had_all && in.n && !has(&in, "hostPath"))
		v[n++] = "hostPath";
	if (!s->allow_host_dir_volume && had_all)
		for (size_t i = 0; i < n_all; i++) {
			struct cs_strlist sofar = {v, n};

			if (!has(&sofar, all_but_host[i]))
				v[n++] = all_but_host[i];
		}
	s->volumes.v = v;
	s->volumes.n = n;
	return 0;
}
