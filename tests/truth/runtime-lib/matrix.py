#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Real container runtimes as the oracle for `capscope explain pod --runtime`.

A seeded matrix of containers (runAsUser, runAsNonRoot, capabilities add/drop
in every spelling, privileged, allowPrivilegeEscalation, images with file
capabilities / set-uid / USER) is run in a real runtime, driven as the
kubelet drives it, with the static probe as the command: the probe prints its
own /proc/self/status. capscope predicts the same containers from the same
image archives. Every container is one TAP line; a mismatch prints both sides.

  matrix.py --runtime containerd|docker|podman --endpoint SOCK --tmp DIR
            --probe PROBE --capscope CAPSCOPE [--cases N] [--seed S]

The daemon is started and stopped by the calling shell script; this file only
talks to it (containerd: CRI over gRPC; docker: the Engine API over the unix
socket, as cri-dockerd calls it; podman: `podman kube play`).
"""
import argparse
import concurrent.futures
import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time

# --------------------------------------------------------------------------
# images: docker save archives with the probe as entrypoint

PROBE_IN_IMAGE = "/probe"
IMAGES = {
    # name: (how the probe is installed, image config User)
    "plain": ("plain", ""),
    "plain-u": ("plain", "1000"),
    "fcap-ep": ("cap_net_bind_service,cap_net_raw+ep", ""),
    "fcap-ep-u": ("cap_net_bind_service,cap_net_raw+ep", "1000"),
    "fcap-ei": ("cap_net_bind_service,cap_net_raw+ei", ""),
    "fcap-ei-u": ("cap_net_bind_service,cap_net_raw+ei", "1000"),
    "setuid": ("setuid", ""),
    "setuid-u": ("setuid", "1000"),
    # the USER forms: a group part, a name, an empty user part, a uid that
    # /etc/passwd does not list (what the runtimes do with /etc/group)
    "ug": ("plain", "1000:50"),
    "name": ("plain", "app"),
    "name-g": ("plain", "app:staff"),
    "empty-u": ("plain", ":60"),
    "nopw": ("plain", "2000"),
    "badpw": ("plain", "bad"),
    "plus0": ("cap_net_bind_service,cap_net_raw+ep", "+0"),
    # past 32 bits: the kubelet's ParseInt reads 4294967296, not 0
    "wrap": ("plain", "4294967296"),
    # /etc/passwd as runc's user package reads it (EXTRA_PASSWD): a line of
    # 65536 bytes its bufio.Scanner cannot hold, a name led by U+00A0
    # (bytes.TrimSpace trims it)
    "longpw": ("plain", "1000"),
    "nbsp": ("plain", "nb"),
}
EXTRA_PASSWD = {"longpw": "long:x:7:7:%s::/:/probe\n" % ("0" * 65515),
                "nbsp": "\u00a0nb:x:1001:1001:nb:/:/probe\n"}

# Pod-level groups, one profile per pod: supplementalGroups and fsGroup (the
# kubelet sends both as the CRI supplemental_groups).
GROUP_PROFILES = [{}, {"supplementalGroups": [4000]},
                  {"supplementalGroups": [4000, 50], "fsGroup": 3000},
                  {"supplementalGroups": [4000], "supplementalGroupsPolicy": "Strict"}]


# `docker load` and `ctr images import` name an archive's capscope-probe-X
# docker.io/library/…, `podman load` names it localhost/…
IMAGE_REGISTRY = "docker.io/library"


def image_ref(name):
    return "%s/capscope-probe-%s:latest" % (IMAGE_REGISTRY, name)


def make_rootfs(root, probe, how, extra=None, passwd_extra=""):
    for d in ("etc", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    with open(os.path.join(root, "etc/passwd"), "w", encoding="utf-8") as f:
        # bad's uid is no number: runc's reader (all four runtimes) takes 0
        f.write("root:x:0:0:root:/:/probe\napp:x:1000:1000:app:/:/probe\n"
                "  bad:x:abc:1000:bad:/:/probe  \n" + passwd_extra)
    with open(os.path.join(root, "etc/group"), "w") as f:
        # app is listed in wheel and staff, and in a group of its own name
        # (containerd leaves that one out, runc's lookup does not)
        # (and a gid that is no number, zz, is group 0 to it)
        f.write("root:x:0:\nwheel:x:10:root,app\nstaff:x:50:app\nother:x:60:\n"
                "app:x:1000:app\n# hidden:x:70:app\nodd:x:zz:app,bad\n")
    dst = os.path.join(root, PROBE_IN_IMAGE.lstrip("/"))
    shutil.copy(probe, dst)
    os.chown(dst, 0, 0)
    os.chmod(dst, 0o755)
    if how == "setuid":
        os.chmod(dst, 0o4755)
    elif how != "plain":
        subprocess.run(["setcap", how, dst], check=True)
    for src, path in extra or []:
        shutil.copy(src, os.path.join(root, path.lstrip("/")))
        os.chmod(os.path.join(root, path.lstrip("/")), 0o755)


def make_archive(root, user, entrypoint, tag, out, work):
    """One-layer `docker save` archive; GNU tar keeps security.capability as
    a PAX SCHILY.xattr record, as `docker save` does."""
    layer = os.path.join(work, "layer.tar")
    subprocess.run(["tar", "--format=posix", "--xattrs", "--xattrs-include=security.capability",
                    "--numeric-owner", "--sort=name", "-C", root, "-cf", layer, "."], check=True)
    with open(layer, "rb") as f:
        lid = hashlib.sha256(f.read()).hexdigest()
    cfg = {"architecture": "amd64", "os": "linux",
           "config": {"User": user, "Entrypoint": entrypoint,
                      "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
           "rootfs": {"type": "layers", "diff_ids": ["sha256:" + lid]}}
    cfgb = json.dumps(cfg).encode()
    cid = hashlib.sha256(cfgb).hexdigest()
    d = os.path.join(work, "pack")
    os.makedirs(os.path.join(d, lid))
    shutil.move(layer, os.path.join(d, lid, "layer.tar"))
    with open(os.path.join(d, cid + ".json"), "wb") as f:
        f.write(cfgb)
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump([{"Config": cid + ".json", "RepoTags": [tag], "Layers": [lid + "/layer.tar"]}], f)
    subprocess.run(["tar", "-C", d, "-cf", out, "manifest.json", cid + ".json", lid], check=True)
    shutil.rmtree(d)


def build_images(tmp, probe, pause):
    arch = {}
    for name, (how, user) in IMAGES.items():
        root = os.path.join(tmp, "rootfs-" + name)
        work = os.path.join(tmp, "work-" + name)
        os.makedirs(work)
        make_rootfs(root, probe, how, passwd_extra=EXTRA_PASSWD.get(name, ""))
        out = os.path.join(tmp, name + ".tar")
        make_archive(root, user, [PROBE_IN_IMAGE], "capscope-probe-%s:latest" % name, out, work)
        shutil.rmtree(work)
        shutil.rmtree(root)
        arch[name] = out
    if pause:
        root = os.path.join(tmp, "rootfs-pause")
        work = os.path.join(tmp, "work-pause")
        os.makedirs(work)
        make_rootfs(root, probe, "plain", [(pause, "/pause")])
        out = os.path.join(tmp, "pause.tar")
        make_archive(root, "", ["/pause"], "capscope-probe-pause:latest", out, work)
        shutil.rmtree(work)
        shutil.rmtree(root)
        arch["pause"] = out
    return arch


# --------------------------------------------------------------------------
# the matrix

CAP_POOL = ["ALL", "all", "NET_BIND_SERVICE", "net_bind_service", "CAP_NET_BIND_SERVICE",
            "cap_net_raw", "NET_RAW", "SYS_ADMIN", "CHOWN", "chown", "SETUID", "SETGID",
            "SETPCAP", "DAC_OVERRIDE", "PERFMON", "BPF", "CAP_SYS_PTRACE", "KILL", "SETFCAP",
            "MKNOD", "AUDIT_WRITE", "SYS_CHROOT", "CHECKPOINT_RESTORE", "NET_ADMIN"]
UNKNOWN_CAP = "NO_SUCH_CAP"


def gen_cases(n, seed, unknown):
    rnd = random.Random(seed)
    cases = []
    names = list(IMAGES)
    for i in range(n):
        c = {"name": "c%03d" % i, "image": names[i % len(names)]}
        c["runAsUser"] = rnd.choice([None, None, 0, 1000, 1000])
        c["runAsGroup"] = rnd.choice([None, None, None, 0, 50, 3000])
        if c["runAsGroup"] is not None and c["runAsUser"] is None and rnd.random() < 0.5:
            c["runAsUser"] = 1000
        c["profile"] = rnd.randrange(len(GROUP_PROFILES))
        c["runAsNonRoot"] = rnd.choice([None, None, None, True, False])
        c["privileged"] = rnd.choice([None] * 6 + [True, True, False])
        c["allowPrivilegeEscalation"] = rnd.choice([None, None, True, False, False])
        if rnd.random() < 0.2:
            c["capabilities"] = None
        else:
            pool = CAP_POOL + ([UNKNOWN_CAP] if unknown else [])
            add = rnd.sample(pool, rnd.choice([0, 0, 1, 1, 2, 3]))
            drop = rnd.sample(pool, rnd.choice([0, 1, 1, 2, 3]))
            if rnd.random() < 0.15:
                drop = ["ALL"] + [x for x in drop if x.upper() != "ALL"]
            c["capabilities"] = {"add": add, "drop": drop}
        # the API server's rule, to keep the pods the kubelet could see
        if c["allowPrivilegeEscalation"] is False and c["privileged"]:
            if rnd.random() < 0.8:
                c["allowPrivilegeEscalation"] = None
        # every other nbsp case runs as the image's USER name, looked up
        if c["image"] == "nbsp" and (i // len(names)) % 2 == 0:
            c.update(runAsUser=None, runAsGroup=None, runAsNonRoot=None, profile=1)
        cases.append(c)
    return cases


def security_context_yaml(c):
    sc = {}
    for k in ("runAsUser", "runAsGroup", "runAsNonRoot", "privileged",
              "allowPrivilegeEscalation"):
        if c[k] is not None:
            sc[k] = c[k]
    if c["capabilities"] is not None:
        sc["capabilities"] = c["capabilities"]
    return sc


def pod_yaml(name, cases, for_runtime):
    """A Pod in JSON (which is YAML) with one container per case."""
    ctrs = []
    for c in cases:
        ctr = {"name": c["name"], "image": image_ref(c["image"]), "command": [PROBE_IN_IMAGE],
               "securityContext": security_context_yaml(c)}
        if for_runtime:
            ctr["imagePullPolicy"] = "Never"
        ctrs.append(ctr)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
           "spec": {"restartPolicy": "Never", "containers": ctrs}}
    prof = GROUP_PROFILES[cases[0]["profile"]]
    if prof:
        pod["spec"]["securityContext"] = dict(prof)
    if for_runtime:
        pod["spec"]["hostNetwork"] = False
    return json.dumps(pod, indent=1)


# --------------------------------------------------------------------------
# the kubelet's part, for the CRI runtimes (containerd, docker via cri-dockerd)

def api_server_refuses(c):
    """ValidateSecurityContext: allowPrivilegeEscalation false with
    privileged or with the exact string CAP_SYS_ADMIN in add."""
    if c["allowPrivilegeEscalation"] is False:
        if c["privileged"]:
            return True
        if c["capabilities"] and "CAP_SYS_ADMIN" in c["capabilities"]["add"]:
            return True
    return False


def kubelet_user(c):
    """kuberuntime: run_as_user from the pod, else the image's user as the
    runtime's image status gives it (the part before ':', a uid when
    ParseInt reads it, else a name: run_as_username), else 0 (getImageUser:
    'If none of them is set, treat it as root'); verifyRunAsNonRoot refuses
    uid 0 and a name. The image's group part never reaches the runtime.
    Returns (uid, username, error)."""
    img_user = IMAGES[c["image"]][1].split(":")[0]
    if c["runAsUser"] is not None:
        uid = c["runAsUser"]
        if c["runAsNonRoot"] and uid == 0:
            return uid, "", "container's runAsUser breaks non-root policy"
        return uid, "", None
    try:
        uid, name = int(img_user), ""
    except ValueError:
        uid, name = (None, img_user) if img_user else (0, "")
    if c["runAsNonRoot"] and name:
        return uid, name, "non-numeric user"
    if c["runAsNonRoot"] and uid == 0:
        return uid, name, "container has runAsNonRoot and image will run as root"
    return uid, name, None


def kubelet_groups(c):
    """The CRI supplemental_groups: the pod's supplementalGroups, then fsGroup."""
    prof = GROUP_PROFILES[c["profile"]]
    return list(prof.get("supplementalGroups", [])) + (
        [prof["fsGroup"]] if "fsGroup" in prof else [])


# --------------------------------------------------------------------------
# probe output

STATUS_KEYS = ("Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs")


def parse_probe(text):
    v = {}
    for line in text.splitlines():
        k, _, rest = line.partition(":")
        if k in STATUS_KEYS:
            v[k] = rest.strip()
    if "CapEff" not in v:
        return None
    groups = sorted(int(g) for g in v.get("Groups", "").split())
    return ("ok uid=%s gid=%s groups=%s inh=%x prm=%x eff=%x bnd=%x amb=%x nnp=%s" % (
        " ".join(v["Uid"].split()), " ".join(v["Gid"].split()),
        ",".join(str(g) for g in groups), int(v["CapInh"], 16), int(v["CapPrm"], 16),
        int(v["CapEff"], 16), int(v["CapBnd"], 16), int(v["CapAmb"], 16), v["NoNewPrivs"]))


def start_error(msg):
    m = msg.lower()
    if "operation not permitted" in m:
        return "fail EPERM"
    return "fail CreateContainerError"


def output_result(text):
    """The probe's lines, or runc's execve error written to the container's
    stderr (Docker and containerd report a failed execve this way)."""
    got = parse_probe(text)
    if got:
        return got, None
    if "operation not permitted" in text.lower():
        return "fail EPERM", text
    return "fail OTHER", text


# --------------------------------------------------------------------------
# containerd: CRI over gRPC

class Containerd:
    name = "containerd"

    def __init__(self, a):
        import grpc
        sys.path.insert(0, a.pb)
        import cri_subset_pb2 as pb
        self.pb = pb
        self.tmp = a.tmp
        self.ch = grpc.insecure_channel("unix://" + a.endpoint)
        self.grpc = grpc

    def rpc(self, method, req, resp):
        f = self.ch.unary_unary("/runtime.v1.RuntimeService/" + method,
                                request_serializer=req.__class__.SerializeToString,
                                response_deserializer=resp.FromString)
        return f(req, timeout=60)

    def version(self):
        pb = self.pb
        r = self.rpc("Version", pb.VersionRequest(version="v1"), pb.VersionResponse)
        return "%s %s" % (r.runtime_name, r.runtime_version)

    def setup(self, archives):
        pb = self.pb
        self.logdir = os.path.join(self.tmp, "logs")
        os.makedirs(self.logdir, exist_ok=True)
        ns = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
        # privileged so that privileged containers may join it, as the
        # kubelet marks a sandbox that holds one
        self.sbcfg = pb.PodSandboxConfig(
            metadata=pb.PodSandboxMetadata(name="capscope-matrix", uid="capscope-matrix-uid",
                                           namespace="default"),
            log_directory=self.logdir,
            linux=pb.LinuxPodSandboxConfig(security_context=pb.LinuxSandboxSecurityContext(
                namespace_options=ns, privileged=True)))
        r = self.rpc("RunPodSandbox", pb.RunPodSandboxRequest(config=self.sbcfg),
                     pb.RunPodSandboxResponse)
        self.sandbox = r.pod_sandbox_id

    def teardown(self):
        pb = self.pb
        try:
            self.rpc("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=self.sandbox),
                     pb.StopPodSandboxResponse)
            self.rpc("RemovePodSandbox", pb.RemovePodSandboxRequest(pod_sandbox_id=self.sandbox),
                     pb.RemovePodSandboxResponse)
        except Exception as e:  # the daemon is killed next anyway
            print("# teardown: %s" % e)

    def run(self, c, uid, username):
        pb = self.pb
        sc = pb.LinuxContainerSecurityContext(
            privileged=bool(c["privileged"]),
            no_new_privs=c["allowPrivilegeEscalation"] is False,
            supplemental_groups=kubelet_groups(c),
            namespace_options=pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD))
        if username:
            sc.run_as_username = username
        else:
            sc.run_as_user.CopyFrom(pb.Int64Value(value=uid))
        if c["runAsGroup"] is not None:
            sc.run_as_group.CopyFrom(pb.Int64Value(value=c["runAsGroup"]))
        if c["capabilities"] is not None:
            sc.capabilities.CopyFrom(pb.Capability(add_capabilities=c["capabilities"]["add"],
                                                   drop_capabilities=c["capabilities"]["drop"]))
        cfg = pb.ContainerConfig(metadata=pb.ContainerMetadata(name=c["name"]),
                                 image=pb.ImageSpec(image=image_ref(c["image"])),
                                 command=[PROBE_IN_IMAGE], log_path=c["name"] + ".log",
                                 linux=pb.LinuxContainerConfig(security_context=sc))
        try:
            r = self.rpc("CreateContainer", pb.CreateContainerRequest(
                pod_sandbox_id=self.sandbox, config=cfg, sandbox_config=self.sbcfg),
                pb.CreateContainerResponse)
        except self.grpc.RpcError as e:
            return "fail CreateContainerError", "create: " + e.details()
        cid = r.container_id
        try:
            try:
                self.rpc("StartContainer", pb.StartContainerRequest(container_id=cid),
                         pb.StartContainerResponse)
            except self.grpc.RpcError as e:
                return start_error(e.details()), "start: " + e.details()
            for _ in range(500):
                st = self.rpc("ContainerStatus", pb.ContainerStatusRequest(container_id=cid),
                              pb.ContainerStatusResponse).status
                if st.state == pb.CONTAINER_EXITED:
                    break
                time.sleep(0.02)
            out = []
            with open(os.path.join(self.logdir, c["name"] + ".log")) as f:
                for line in f:  # CRI log format: time stream tag content
                    parts = line.rstrip("\n").split(" ", 3)
                    if len(parts) == 4:
                        out.append(parts[3])
            return output_result("\n".join(out) or st.message)
        finally:
            try:
                self.rpc("RemoveContainer", pb.RemoveContainerRequest(container_id=cid),
                         pb.RemoveContainerResponse)
            except self.grpc.RpcError:
                pass


# --------------------------------------------------------------------------
# docker: the Engine API over its unix socket, as cri-dockerd calls it

class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=120)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(120)
        self.sock.connect(self.path)


class Docker:
    name = "docker"

    def __init__(self, a):
        self.sock = a.endpoint

    def call(self, method, path, body=None, ctype="application/json"):
        h = UnixHTTP(self.sock)
        hdr = {}
        if body is not None:
            if not isinstance(body, bytes):
                body = json.dumps(body).encode()
            hdr["Content-Type"] = ctype
        h.request(method, path, body=body, headers=hdr)
        r = h.getresponse()
        data = r.read()
        h.close()
        return r.status, data

    def version(self):
        st, d = self.call("GET", "/version")
        return "docker " + json.loads(d)["Version"]

    def setup(self, archives):
        for name, path in archives.items():
            with open(path, "rb") as f:
                st, d = self.call("POST", "/images/load?quiet=1", f.read(), "application/x-tar")
            if st != 200:
                raise RuntimeError("images/load %s: %s" % (name, d[:300]))

    def teardown(self):
        pass

    def run(self, c, uid, username):
        # cri-dockerd: User from run_as_username or run_as_user, then
        # ":run_as_group"; supplemental_groups as GroupAdd; CapAdd/CapDrop
        # verbatim, Privileged, no-new-privileges as a security option
        hc = {"NetworkMode": "none", "Privileged": bool(c["privileged"]), "SecurityOpt": [],
              "GroupAdd": [str(g) for g in kubelet_groups(c)]}
        user = username or str(uid)
        if c["runAsGroup"] is not None:
            user += ":%d" % c["runAsGroup"]
        if c["capabilities"] is not None:
            hc["CapAdd"] = c["capabilities"]["add"]
            hc["CapDrop"] = c["capabilities"]["drop"]
        if c["allowPrivilegeEscalation"] is False:
            hc["SecurityOpt"].append("no-new-privileges")
        body = {"Image": image_ref(c["image"]), "Entrypoint": [PROBE_IN_IMAGE], "Cmd": [],
                "User": user, "HostConfig": hc}
        st, d = self.call("POST", "/containers/create", body)
        if st != 201:
            return "fail CreateContainerError", "create: " + d.decode(errors="replace").strip()
        cid = json.loads(d)["Id"]
        try:
            st, d = self.call("POST", "/containers/%s/start" % cid)
            if st not in (204, 304):
                msg = d.decode(errors="replace").strip()
                return start_error(msg), "start: " + msg
            self.call("POST", "/containers/%s/wait" % cid)
            st, d = self.call("GET", "/containers/%s/logs?stdout=1&stderr=1" % cid)
            out = b""
            while len(d) >= 8:  # multiplexed stream: 8-byte header, then the frame
                n = int.from_bytes(d[4:8], "big")
                out += d[8:8 + n]
                d = d[8 + n:]
            return output_result(out.decode(errors="replace"))
        finally:
            self.call("DELETE", "/containers/%s?force=1" % cid)


# --------------------------------------------------------------------------
# podman: `podman kube play` of the pod YAML itself

class Podman:
    name = "podman"

    def __init__(self, a):
        self.base = a.endpoint.split()
        self.tmp = a.tmp

    def pm(self, *args, check=False):
        return subprocess.run(self.base + list(args), capture_output=True, text=True, check=check)

    def version(self):
        return "podman " + self.pm("version", "--format", "{{.Client.Version}}").stdout.strip()

    def setup(self, archives):
        for name, path in archives.items():
            r = self.pm("load", "-q", "-i", path)
            if r.returncode:
                raise RuntimeError("podman load %s: %s" % (name, r.stderr[-300:]))

    def teardown(self):
        pass

    def run_batch(self, cases):
        """One pod per batch, started by kube play; then one inspect for all
        its containers and their k8s-file logs read directly. A batch that
        kube play refuses as a whole is re-run one container per pod, so that
        each refusal is pinned on its container."""
        yml = os.path.join(self.tmp, "play-%s.yaml" % cases[0]["name"])
        pod = "m-" + cases[0]["name"]
        names = ["%s-%s" % (pod, c["name"]) for c in cases]
        with open(yml, "w") as f:
            f.write(pod_yaml(pod, cases, True))
        r = self.pm("kube", "play", "--network", "none", "--log-driver", "k8s-file", yml)
        res = {}
        info = {}
        for _ in range(300):
            i = self.pm("container", "inspect", *names)
            try:
                info = {x["Name"]: x for x in json.loads(i.stdout or "[]")}
            except ValueError:
                info = {}
            if len(info) < len(names) or not any(x["State"]["Status"] == "running"
                                                 for x in info.values()):
                break
            time.sleep(0.1)
        if len(info) < len(names):
            self.pm("pod", "rm", "-f", pod)
            if len(cases) == 1:
                return {cases[0]["name"]: ("fail CreateContainerError", r.stderr.strip()[-400:])}
            half = (len(cases) + 1) // 2  # bisect down to the refused ones
            res.update(self.run_batch(cases[:half]))
            res.update(self.run_batch(cases[half:]))
            return res
        again = []
        for c, n in zip(cases, names):
            st = info[n]["State"]
            text = ""
            try:
                with open(info[n]["HostConfig"]["LogConfig"]["Path"]) as f:
                    for line in f:  # k8s-file: time stream tag content
                        parts = line.rstrip("\n").split(" ", 3)
                        if len(parts) == 4:
                            text += parts[3] + "\n"
            except OSError:
                pass
            if "CapEff" not in text and st.get("Error"):
                res[c["name"]] = (start_error(st["Error"]), "start: " + st["Error"][-400:])
            elif "CapEff" not in text:
                # runc's own execve error reaches neither the log nor the
                # state; `podman start -a` of a container made anew shows it
                again.append(c)
            else:
                res[c["name"]] = output_result(text)
        self.pm("pod", "rm", "-f", pod)
        for c in again:
            res[c["name"]] = self.run_attached(c)
        return res

    def run_attached(self, c):
        yml = os.path.join(self.tmp, "play1-%s.yaml" % c["name"])
        pod = "a-" + c["name"]
        with open(yml, "w") as f:
            f.write(pod_yaml(pod, [c], True))
        r = self.pm("kube", "play", "--network", "none", "--start=false", yml)
        if r.returncode:
            self.pm("pod", "rm", "-f", pod)
            return "fail CreateContainerError", r.stderr.strip()[-400:]
        a = self.pm("start", "-a", "%s-%s" % (pod, c["name"]))
        self.pm("pod", "rm", "-f", pod)
        text = a.stdout + a.stderr
        # runc refused the container before its process ran (not an execve
        # error of the process): the same class as a refused start elsewhere
        if ("CapEff" not in text and "unable to start container" in text and
                "exec:" not in text):
            return start_error(text), text
        return output_result(text)


# --------------------------------------------------------------------------
# capscope's side

def predict(a, cases, archives):
    want = {}
    by_image = {}
    for c in cases:
        by_image.setdefault((c["image"], c["profile"]), []).append(c)
    for (img, prof), cs in by_image.items():
        yml = os.path.join(a.tmp, "predict-%s-%d.yaml" % (img, prof))
        with open(yml, "w") as f:
            f.write(pod_yaml("p-%s-%d" % (img, prof), cs, False))
        cmd = [a.capscope, "explain", "pod", "--json", "--runtime", a.runtime_arg,
               "--image", archives[img]] + a.capscope_arg + [yml]
        r = subprocess.run(cmd, capture_output=True, text=True)
        try:
            js = json.loads(r.stdout)
        except ValueError:
            for c in cs:
                want[c["name"]] = ("capscope failed: " + r.stderr.strip()[-300:], None)
            continue
        for ct in js["containers"]:
            ex = ct.get("exec") or {}
            if ex.get("ok"):
                p = ct["process"]
                m = lambda s: int(p["caps"][s]["mask"], 16)
                w = "ok uid=%s gid=%s groups=%s inh=%x prm=%x eff=%x bnd=%x amb=%x nnp=%d" % (
                    " ".join(str(u) for u in p["uids"]), " ".join(str(g) for g in p["gids"]),
                    ",".join(str(g) for g in sorted(p["groups"])), m("inheritable"), m("permitted"),
                    m("effective"), m("bounding"), m("ambient"), 1 if p["no_new_privs"] else 0)
            else:
                w = "fail " + str(ex.get("error"))
            why = [s["rule"] for s in ct.get("steps", []) if s.get("layer") == "runtime"]
            want[ct["name"]] = (w, " ".join(why))
    return want


def describe(c):
    sc = security_context_yaml(c)
    prof = GROUP_PROFILES[c["profile"]]
    return "%s image=%s %s%s" % (c["name"], c["image"], json.dumps(sc, separators=(",", ":")),
                                 " pod=" + json.dumps(prof, separators=(",", ":")) if prof else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runtime", required=True, choices=["containerd", "docker", "podman"])
    ap.add_argument("--runtime-arg", help="the --runtime value given to capscope")
    ap.add_argument("--capscope-arg", action="append", default=[])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--probe", required=True)
    ap.add_argument("--pause")
    ap.add_argument("--pb")
    ap.add_argument("--capscope", required=True)
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--images-only", action="store_true")
    ap.add_argument("--reuse-images", action="store_true",
                    help="the archives are already in --tmp (made by --images-only)")
    a = ap.parse_args()
    a.runtime_arg = a.runtime_arg or a.runtime
    if a.runtime == "podman":
        global IMAGE_REGISTRY
        IMAGE_REGISTRY = "localhost"
    if a.reuse_images:
        archives = {n: os.path.join(a.tmp, n + ".tar") for n in list(IMAGES) + ["pause"]}
    else:
        archives = build_images(a.tmp, a.probe, a.pause)
    if a.images_only:
        return 0
    rt = {"containerd": Containerd, "docker": Docker, "podman": Podman}[a.runtime](a)
    print("# %s; seed %d, %d cases" % (rt.version(), a.seed, a.cases))
    # containerd's images are imported by the script (ctr); pause is for pods
    rt.setup({k: v for k, v in archives.items() if k != "pause" or a.runtime == "podman"})
    cases = gen_cases(a.cases, a.seed, True)
    t0 = time.time()
    want = predict(a, cases, archives)
    print("# capscope predicted %d containers in %.1fs" % (len(want), time.time() - t0))
    t0 = time.time()
    got = {}
    try:
        if a.runtime == "podman":
            batches = []
            for prof in range(len(GROUP_PROFILES)):  # a pod has one profile
                pc = [c for c in cases if c["profile"] == prof]
                batches += [pc[i:i + a.batch] for i in range(0, len(pc), a.batch)]
            with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
                for r in ex.map(rt.run_batch, batches):
                    got.update(r)
        else:
            def one(c):
                if api_server_refuses(c):
                    return "fail Forbidden", "API server validation"
                if GROUP_PROFILES[c["profile"]].get("supplementalGroupsPolicy") == "Strict":
                    # containerd 1.x and cri-dockerd do not report the
                    # feature: the kubelet's admission refuses the pod
                    return ("fail SupplementalGroupsPolicyNotSupported",
                            "kubelet admission (lifecycle predicate)")
                uid, username, err = kubelet_user(c)
                if err:
                    return "fail CreateContainerConfigError", err
                return rt.run(c, uid, username)

            # a few at a time: most of a container's time is the runtime's
            # own process start-up, not CPU
            with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
                for c, r in zip(cases, ex.map(one, cases)):
                    got[c["name"]] = r
    finally:
        rt.teardown()
    print("# the runtime ran %d containers in %.1fs" % (len(got), time.time() - t0))
    n = bad = 0
    for c in cases:
        n += 1
        g, gwhy = got.get(c["name"], ("not run", None))
        w, wwhy = want.get(c["name"], ("not predicted", None))
        if g == w:
            print("ok %d - %s: %s" % (n, describe(c), g))
        else:
            bad += 1
            print("not ok %d - %s" % (n, describe(c)))
            print("#   runtime:  %s" % g)
            if gwhy:
                print("#             %s" % gwhy.strip().replace("\n", "\n#             ")[:600])
            print("#   capscope: %s" % w)
            if wwhy:
                print("#             steps: %s" % wwhy)
    print("# %s: %d cases, %d agree, %d mismatch" % (a.runtime_arg, n, n - bad, bad))
    print("1..%d" % n)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
