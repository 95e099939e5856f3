#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""One pod through containerd's CRI API, as the kubelet starts it.

  cri-pod.py image --probe PROBE --pause PAUSE --out ARCHIVE
  cri-pod.py up --endpoint SOCK --pb DIR --image REF --namespace NS --pod NAME
             --container NAME --run-as-user UID [--add CAP]... [--drop CAP]...
             --log-dir DIR
  cri-pod.py down --endpoint SOCK --pb DIR SANDBOX-ID

`image` writes a docker-archive whose entrypoint, /pause, sleeps until
killed (the sandbox's and the container's image). `up` prints the sandbox
id and the container id once the container runs. The sandbox uses the node's
network (no CNI here), the kubelet's labels are set on sandbox and
container, and the container's securityContext is sent the way the kubelet
sends it (run_as_user, capabilities add/drop as written, no_new_privs only
for allowPrivilegeEscalation: false).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import matrix  # noqa: E402  (the image helpers)


def stub(a):
    import grpc
    sys.path.insert(0, a.pb)
    import cri_subset_pb2 as pb
    ch = grpc.insecure_channel("unix://" + a.endpoint)

    def rpc(method, req, resp):
        f = ch.unary_unary("/runtime.v1.RuntimeService/" + method,
                           request_serializer=req.__class__.SerializeToString,
                           response_deserializer=resp.FromString)
        return f(req, timeout=60)
    return pb, rpc


def image(a):
    root = os.path.join(os.path.dirname(a.out), "rootfs-cri-pause")
    work = os.path.join(os.path.dirname(a.out), "work-cri-pause")
    os.makedirs(work)
    matrix.make_rootfs(root, a.probe, "plain", [(a.pause, "/pause")])
    matrix.make_archive(root, "", ["/pause"], "capscope-cri-pause:latest", a.out, work)
    return 0


def up(a):
    pb, rpc = stub(a)
    uid = "capscope-%s-%s" % (a.namespace, a.pod)
    ns = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
    labels = {"io.kubernetes.pod.name": a.pod, "io.kubernetes.pod.namespace": a.namespace,
              "io.kubernetes.pod.uid": uid}
    sb = pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=a.pod, uid=uid, namespace=a.namespace),
        log_directory=a.log_dir, labels=labels,
        linux=pb.LinuxPodSandboxConfig(security_context=pb.LinuxSandboxSecurityContext(
            namespace_options=ns)))
    sid = rpc("RunPodSandbox", pb.RunPodSandboxRequest(config=sb),
              pb.RunPodSandboxResponse).pod_sandbox_id
    sc = pb.LinuxContainerSecurityContext(
        capabilities=pb.Capability(add_capabilities=a.add, drop_capabilities=a.drop),
        namespace_options=ns, run_as_user=pb.Int64Value(value=a.run_as_user))
    clabels = dict(labels)
    clabels["io.kubernetes.container.name"] = a.container
    cfg = pb.ContainerConfig(metadata=pb.ContainerMetadata(name=a.container),
                             image=pb.ImageSpec(image=a.image), labels=clabels,
                             log_path="%s/0.log" % a.container,
                             linux=pb.LinuxContainerConfig(security_context=sc))
    cid = rpc("CreateContainer", pb.CreateContainerRequest(
        pod_sandbox_id=sid, config=cfg, sandbox_config=sb), pb.CreateContainerResponse).container_id
    rpc("StartContainer", pb.StartContainerRequest(container_id=cid), pb.StartContainerResponse)
    for _ in range(100):
        st = rpc("ContainerStatus", pb.ContainerStatusRequest(container_id=cid),
                 pb.ContainerStatusResponse).status
        if st.state == pb.CONTAINER_RUNNING:
            print(sid, cid)
            return 0
        time.sleep(0.1)
    print("container %s is not running: %s" % (cid, st.message), file=sys.stderr)
    return 1


def down(a):
    pb, rpc = stub(a)
    rpc("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=a.sandbox), pb.StopPodSandboxResponse)
    rpc("RemovePodSandbox", pb.RemovePodSandboxRequest(pod_sandbox_id=a.sandbox),
        pb.RemovePodSandboxResponse)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("image")
    i.add_argument("--probe", required=True)
    i.add_argument("--pause", required=True)
    i.add_argument("--out", required=True)
    for name in ("up", "down"):
        p = sub.add_parser(name)
        p.add_argument("--endpoint", required=True)
        p.add_argument("--pb", required=True)
    u = sub.choices["up"]
    for opt in ("--image", "--namespace", "--pod", "--container", "--log-dir"):
        u.add_argument(opt, required=True)
    u.add_argument("--run-as-user", type=int, required=True)
    u.add_argument("--add", action="append", default=[])
    u.add_argument("--drop", action="append", default=[])
    sub.choices["down"].add_argument("sandbox")
    a = ap.parse_args()
    return {"image": image, "up": up, "down": down}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
