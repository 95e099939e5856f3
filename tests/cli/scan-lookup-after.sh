#!/usr/bin/env bash
# asan-too
# The bound on lookups through symlinked directories (lib/scan/view.c,
# fourteenth pass, part D) held while layers were applied only: the lookups
# made after (the entrypoint's $PATH search by scan and explain pod, the
# paths scan --diff looks up in the other image) were not charged. Under a
# chain of 40 costly links (a 245 KB image), a config PATH of 10,000 "/l39"
# entries took 10 s for scan and 12 s for explain pod, and a 4 MiB config
# could take 20 minutes. Each lookup now may cost 16 steps a byte of its
# path beyond what the entries left; past that the image is refused with
# one error, never a file taken as missing (fourteenth pass, part I).
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import io, json, tarfile
def lay(ents):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, typ, link, mode in ents:
            ti = tarfile.TarInfo(name); ti.type = typ; ti.linkname = link; ti.mode = mode
            tf.addfile(ti)
    return b.getvalue()
def image(out, layer, path, ep="app"):
    import hashlib  # docker load checks each layer against its diff_id
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(x).hexdigest() for x in (layer,)]}, 
                      "config": {"Entrypoint": [ep], "Env": ["PATH=" + path]}}).encode()
    with tarfile.open(out, "w") as tf:
        for n, d in [("c.json", cfg), ("l0.tar", layer),
                     ("manifest.json", json.dumps([{"Config": "c.json",
                                                    "Layers": ["l0.tar"]}]).encode())]:
            ti = tarfile.TarInfo(n); ti.size = len(d); tf.addfile(ti, io.BytesIO(d))
K = 680
chain = [("/".join(["d"] * K), tarfile.DIRTYPE, "", 0o755), ("l0", tarfile.DIRTYPE, "", 0o755)]
chain += [("l%d" % k, tarfile.SYMTYPE, "/".join(["d"] * K + [".."] * K + ["l%d" % (k - 1)]),
           0o777) for k in range(1, 40)]
chain += [("bin/app", tarfile.REGTYPE, "", 0o4755)]
image("chain.tar", lay(chain), ":".join(["/l39"] * 2000 + ["/bin"]))
# The other side of a diff: 2,000 set-uid files in a directory /l39, which
# the chain image's /l39 is not.
image("flat.tar", lay([("l39/f%d" % i, tarfile.REGTYPE, "", 0o4755) for i in range(2000)]
                      + [("bin/app", tarfile.REGTYPE, "", 0o755)]), "/bin")
# merged /usr, a PATH of 20,000 entries through it: a long search, not a costly one
usr = [("usr/bin/app", tarfile.REGTYPE, "", 0o4755), ("bin", tarfile.SYMTYPE, "usr/bin", 0o777)]
image("usr.tar", lay(usr), ":".join(["/bin/x%d" % i for i in range(20000)] + ["/bin"]))
with open("pod.yaml", "w") as f:
    f.write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
            "  containers:\n  - name: c\n    image: x\n")
PY
msg="lookups through symlinked directories cost [0-9]+ steps, over what the entries allow \\(8192 each and 16 a name's byte\\) and the paths looked up in the image once read \\(16 a byte\\)"

timeout 120 "$CAPSCOPE" scan chain.tar >out 2>err
is "$?" 2 "scan: a PATH of 2,000 entries through a chain of 40 costly links: refused (exit 2)"
like "$(cat err)" "$msg" "...one error saying why"
is "$(grep -c . err)" 1 "...and only that"
like "$(tail -1 out)" "1 of 1 target not read" "...no finding shown as read"

timeout 120 "$CAPSCOPE" explain pod --image chain.tar pod.yaml >out 2>err
is "$?" 2 "explain pod: the same image refused (exit 2)"
like "$(cat err)" "$msg" "...saying why"
is "$(grep -c . err)" 1 "...in one line"
is "$(cat out)" "" "...nothing predicted"

timeout 120 "$CAPSCOPE" scan --diff flat.tar chain.tar >out 2>err
is "$?" 2 "scan --diff: 2,000 paths looked up through the chain: refused (exit 2)"
like "$(cat err)" "chain.tar: .*$msg" "...the chain's side, saying why"
is "$(grep -c . err)" 1 "...in one line"

timeout 120 "$CAPSCOPE" scan --json usr.tar >out 2>err
is "$?" 0 "scan: a PATH of 20,000 entries through bin -> usr/bin: read"
is "$(jq -r '[.findings[] | select(.entrypoint) | .path] | join(" ")' out)" /usr/bin/app \
  "...the entrypoint found after them"
timeout 120 "$CAPSCOPE" explain pod --json --image usr.tar pod.yaml >out 2>err
is "$?" 1 "explain pod: the same image explained (exit 1: an empty file, ENOEXEC)"
is "$(jq -r '.containers[0].exec.path' out)" /bin/app "...the entrypoint found after them"
done_testing
