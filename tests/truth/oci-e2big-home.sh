#!/usr/bin/env bash
# asan-too
# The HOME runc adds, in explain oci's E2BIG bound (seventeenth pass, part
# E; an open find of the sixteenth, part D). runc 1.1 sets HOME, when
# process.env has none or an empty one, to the home of the first line of
# the rootfs's /etc/passwd with the process's uid ("/" when none has it or
# there is no file); explain oci counted it as empty, so a bundle within
# the home's length of execve's limit was predicted to start where runc
# says "argument list too long". Each bundle is run by the real runc and
# explained, at its limit and one byte past it (RLIMIT_STACK 8 MiB: 2 MiB).
# Then the files runc's user lookup itself fails on (below). Each bundle is
# also explained with its rootfs as an image (--image) and root.path empty:
# the image's /etc/passwd is read as the rootfs's (eighteenth pass, part F;
# before, its HOME counted as empty and its refusals were not predicted).
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v runc >/dev/null || skip_all "runc is not installed (scripts/install-deps.sh)"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v python3 >/dev/null || skip_all "needs python3"
source "$CAPSCOPE_TOP/tests/lib/oci-verdict.sh"
source "$CAPSCOPE_TOP/tests/cli/scan-image-lib.sh"
PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
tap_tmpdir
cd "$T" || exit 1
H=/$(printf 'h%.0s' $(seq 1 3000))
# NAME UID HOMELEN ENV PASSWD: a bundle at the limit + 0 and + 1
mk() {
  for e in 0 1; do
    mkdir -p "$1-$e/rootfs/etc" "$1-$e/rootfs/proc" && cp "$PROBE" "$1-$e/rootfs/p"
    [ -z "$5" ] || printf '%b' "$5" >"$1-$e/rootfs/etc/passwd"
    python3 - "$1-$e" "$2" "$3" "$4" "$e" <<'PY'
import json, sys
d, uid, home, env, extra = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
env = env.split(",")
n = 20
# "/p" and its NUL as the file's name and args[0]; the env with HOME as
# runc passes it (an empty "HOME=" replaced in place, or one added)
has = any(e.startswith("HOME=") for e in env)
home_entry = 5 + home + 1
strings = 3 + 3 + sum(len(e) + 1 for e in env if not e.startswith("HOME=")) + home_entry
base = strings + 8 * (1 + n + len(env) + (0 if has else 1)) + n
rest = (2 << 20) + extra - base
words = ["w" * (rest // n)] * (n - 1) + ["w" * (rest - rest // n * (n - 1))]
proc = {"args": ["/p"] + words, "env": env, "cwd": "/", "user": {"uid": uid, "gid": 0},
        "rlimits": [{"type": "RLIMIT_STACK", "soft": 8 << 20, "hard": 8 << 20}],
        "capabilities": {"bounding": [], "effective": [], "permitted": []}}
json.dump({"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "process": proc,
           "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"},
                                    {"type": "uts"}]},
           "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}]},
          open(d + "/config.json", "w"))
PY
  done
}
P="x:x:5:5::/nope:/bin/sh\nroot:x:0:0:root:$H:/bin/sh\nroot:x:0:0:root:/second:/bin/sh\n"
mk first 0 3001 PATH=/x "$P"                 # the first uid-0 line's home
mk empty 0 3001 PATH=/x,HOME= "$P"           # an empty HOME replaced in place
mk nouser 1000 1 PATH=/x "$P"                # no line for uid 1000: "/"
mk nofile 0 1 PATH=/x ""                     # no /etc/passwd: "/"
mk nohome 0 0 PATH=/x "root:x:0:0\n"         # a line without a home field: ""
mk crlf 0 3001 PATH=/x "  root:x:0:0::$H:/bin/sh \r\n" # blanks and CR trimmed
mk link 0 3001 PATH=/x "$P"                  # a link climbing out of the rootfs
for e in 0 1; do
  mkdir -p "link-$e/rootfs/srv" && mv "link-$e/rootfs/etc/passwd" "link-$e/rootfs/srv/pw" &&
    ln -s ../../../../srv/pw "link-$e/rootfs/etc/passwd"
done
# img/DIR: DIR's config with an empty root.path, and DIR's rootfs as a
# 'docker save' archive in img/DIR/image.tar.
as_image() { # DIR
  local i="img/$1"
  mkdir -p "$i/rootfs" && cp "$1/config.json" "$i/" && mklayer "$1/rootfs" "$i/layer.tar" &&
    mkconfig "$i/cfg.json" "" '["/p"]' null "$(sha "$i/layer.tar")" &&
    mkdocker "$i/image.tar" "$i/cfg.json" "$i/layer.tar"
}
n=0
for d in */; do
  d=${d%/}
  [ -f "$d/config.json" ] || continue
  want=$([ "${d##*-}" = 0 ] && echo starts || echo E2BIG)
  (cd "$d" && timeout 60 runc --root "$T/state" run "cs17e-home-$$-$((n++))" >/dev/null 2>err)
  rc=$?
  got=$( [ $rc = 0 ] && echo starts || { grep -q "argument list too long" "$d/err" && echo E2BIG || echo "other ($rc: $(head -c 200 "$d/err"))"; })
  is "$got" "$want" "$d: runc ($want)"
  is "$(oci_exec_verdict "$d")" "$want" "$d: explain oci agrees ($want)"
  as_image "$d"
  is "$(oci_exec_verdict "img/$d" --image "img/$d/image.tar")" "$want" \
    "$d: explain oci --image agrees ($want)"
done
# runc's reading of /etc/passwd itself fails on a line of 64 KiB or more
# (bufio.Scanner: token too long) or a directory there, and the process
# does not start; explain oci predicted a start. A line of 65,535 bytes is
# read, and runc 1.1.5 starts with a 70,000-byte line in /etc/group (the
# controls).
uf() { # NAME FILE: a bundle whose FILE is made by the caller
  mkdir -p "$1/rootfs/etc" "$1/rootfs/proc" && cp "$PROBE" "$1/rootfs/p"
  printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["/p"],"env":["PATH=/x"],"cwd":"/","user":{"uid":0,"gid":0},"capabilities":{"bounding":[],"effective":[],"permitted":[]}},"linux":{"namespaces":[{"type":"pid"},{"type":"mount"}]},"mounts":[{"destination":"/proc","type":"proc","source":"proc"}]}\n' >"$1/config.json"
}
long() { head -c "$1" /dev/zero | tr '\0' a; }
uf ufdir && mkdir ufdir/rootfs/etc/passwd
uf uflong && { long 65536; printf '\nroot:x:0:0::/r:/s\n'; } >uflong/rootfs/etc/passwd
uf ufgroup && { printf 'root:x:0:\n'; long 70000; } >ufgroup/rootfs/etc/group
uf ufok && { long 65535; printf '\nroot:x:0:0::/r:/s\n'; } >ufok/rootfs/etc/passwd
for d in ufdir uflong ufgroup ufok; do
  (cd "$d" && timeout 60 runc --root "$T/state" run "cs17e-uf-$$-$d" >/dev/null 2>err)
  rc=$?
  "$CAPSCOPE" explain oci --caller root --json "$d" >"$d/out.json" 2>/dev/null
  got=$(jq -r 'if .exec.ok then "starts" else (.steps | map(.rule) | last) end' "$d/out.json")
  as_image "$d"
  "$CAPSCOPE" explain oci --caller root --json --image "img/$d/image.tar" "img/$d" >"img/$d/out.json" 2>/dev/null
  img=$(jq -r 'if .exec.ok then "starts" else (.steps | map(.rule) | last) end' "img/$d/out.json")
  if [ "$d" = ufok ] || [ "$d" = ufgroup ]; then
    is "$rc" 0 "$d: runc starts it (a control)"
    is "$got" starts "$d: explain oci predicts a start"
    is "$img" starts "$d: explain oci --image predicts a start"
  else
    like "$(cat "$d/err")" "unable to find user" "$d: runc fails ($(head -c 120 "$d/err" | sed 's/.*msg=//'))"
    is "$got" runc.user-files "$d: explain oci predicts that runc fails (runc.user-files)"
    is "$img" runc.user-files "$d: explain oci --image predicts that runc fails (runc.user-files)"
  fi
done
done_testing
