#!/usr/bin/env bash
# asan-too
# Search permission on the directories of the entrypoint's path, against
# real runc: runc stats the path as the container user (with its effective
# capabilities) and execve searches the same directories. capscope predicted
# a start for /app/x under a 0700 /app until session 7, and read no POSIX
# ACL until session 10.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_needs
STATE=$T/state
mkdir -p "$STATE"
n=0
# case DESCRIPTION UID GID GROUPS-JSON CAPS-JSON ARG0 SETUP: SETUP runs in a fresh rootfs.
# CWD and PATHENV, when set, are process.cwd and the PATH (default / and /bin:/usr/bin).
case_() {
  local desc=$1 uid=$2 gid=$3 groups=$4 caps=$5 arg0=$6 setup=$7 cwd=${CWD:-/} pe=${PATHENV:-/bin:/usr/bin}
  n=$((n + 1))
  local b=$T/b$n
  mkdir -p "$b/rootfs/proc" "$b/rootfs/bin"
  (cd "$b/rootfs" && eval "$setup")
  jq -n --arg a "$arg0" --arg cwd "$cwd" --arg pe "PATH=$pe" --argjson u "$uid" --argjson g "$gid" --argjson gs "$groups" --argjson c "$caps" \
    '{ociVersion: "1.0.2", root: {path: "rootfs", readonly: true},
      process: {terminal: false, cwd: $cwd, user: {uid: $u, gid: $g, additionalGids: $gs},
        args: [$a], env: [$pe],
        capabilities: {bounding: $c, effective: $c, permitted: $c, inheritable: [], ambient: []}},
      mounts: [{destination: "/proc", type: "proc", source: "proc"}],
      linux: {namespaces: [{type: "pid"}, {type: "mount"}, {type: "ipc"}, {type: "uts"}, {type: "network"}]}}' \
    >"$b/config.json"
  local want got
  want=$("$CAPSCOPE" explain oci --json "$b" 2>"$b/cs-err" | jq -r 'if .exec.ok then "starts" else "fails " + .exec.error end')
  runc --root "$STATE" run --bundle "$b" "cs-search-$$-$n" >"$b/out" 2>"$b/err" </dev/null
  local rc=$?
  [ $rc -eq 0 ] || runc --root "$STATE" delete -f "cs-search-$$-$n" >/dev/null 2>&1
  if [ $rc -eq 0 ] && grep -q '^CapEff:' "$b/out"; then got=starts
  elif grep -q 'permission denied' "$b/err"; then got="fails EACCES"
  # Go's ErrDot (a file found through a relative $PATH entry): told as ENOENT.
  elif grep -q 'found relative to current directory' "$b/err"; then got="fails ENOENT"
  elif grep -qi 'no such file\|not found' "$b/err"; then got="fails ENOENT"
  # runc's os.MkdirAll(process.cwd) failing in runc init.
  elif grep -q 'mkdir .*: file exists' "$b/err"; then got="fails EEXIST"
  elif grep -q 'mkdir .*: not a directory' "$b/err"; then got="fails ENOTDIR"
  else got="fails ($(tail -c 200 "$b/err"))"; fi
  is "$want" "$got" "$desc: runc $got"
  # The same rootfs as an image layer: the image's view gives the same answer
  # (but for a "./" entry's mode: the image model keeps the root 0755, see
  # docs/kernel-model.md).
  [ -z "${NO_IMAGE:-}" ] || return 0
  tar --format=posix --numeric-owner -C "$b/rootfs" -cf "$b/layer.tar" .
  want=$("$CAPSCOPE" explain oci --json --image "$b/layer.tar" "$b" 2>>"$b/cs-err" |
    jq -r 'if .exec.ok then "starts" else "fails " + .exec.error end')
  is "$want" "$got" "$desc: the image's view too"
}
P="cp $PROBE"
case_ "/app 0700 root, uid 1001, no capability" 1001 1001 '[]' '[]' /app/x "mkdir app && $P app/x && chmod 700 app"
case_ "/app 0700 root, uid 1001, CAP_DAC_READ_SEARCH" 1001 1001 '[]' '["CAP_DAC_READ_SEARCH"]' /app/x "mkdir app && $P app/x && chmod 700 app"
case_ "/app 0700 root, uid 1001, CAP_DAC_OVERRIDE" 1001 1001 '[]' '["CAP_DAC_OVERRIDE"]' /app/x "mkdir app && $P app/x && chmod 700 app"
case_ "/app 0700 owned by the user" 1001 1001 '[]' '[]' /app/x "mkdir app && $P app/x && chmod 700 app && chown 1001 app"
case_ "/app 0710 of the process's group" 1001 1001 '[]' '[]' /app/x "mkdir app && $P app/x && chmod 710 app && chgrp 1001 app"
case_ "/app 0701 of the process's group: the group bits decide" 1001 1001 '[]' '[]' /app/x "mkdir app && $P app/x && chmod 701 app && chgrp 1001 app"
case_ "/app 0750 of a supplementary group" 1001 1001 '[2002]' '[]' /app/x "mkdir app && $P app/x && chmod 750 app && chgrp 2002 app"
case_ "/app 0070 owned by the user: the owner bits decide" 1001 1001 '[]' '[]' /app/x "mkdir app && $P app/x && chmod 070 app && chown 1001:1001 app"
case_ "a link into a 0700 directory" 1001 1001 '[]' '[]' /bin/x "mkdir hidden && $P hidden/x && chmod 700 hidden && ln -s /hidden/x bin/x"
case_ "a link through a 0700 directory's own link" 1001 1001 '[]' '[]' /bin/y "mkdir -p hidden/d && $P hidden/d/x && ln -s d/x hidden/l && chmod 700 hidden && ln -s ../hidden/l bin/y"
NO_IMAGE=1 case_ "a 0700 root directory" 1001 1001 '[]' '[]' /app/x "mkdir app && $P app/x && chmod 700 ."
case_ "a #! script whose interpreter sits in a 0700 directory" 1001 1001 '[]' '[]' /app/s "mkdir app hidden && $P hidden/i && chmod 700 hidden && printf '#!/hidden/i\n' >app/s && chmod 755 app/s"
case_ '$PATH: a candidate under a 0700 directory is skipped for the next' 1001 1001 '[]' '[]' x "mkdir -p usr/bin hid && $P hid/x && chmod 700 hid && ln -s /hid/x bin/x && $P usr/bin/x"
case_ '$PATH: the only candidate is under a 0700 directory: not found' 1001 1001 '[]' '[]' x "mkdir -p usr/bin hid && $P hid/x && chmod 700 hid && ln -s /hid/x bin/x"
case_ '$PATH: the reachable candidate is a script whose interpreter is not' 1001 1001 '[]' '[]' x "mkdir -p usr/bin hid && $P hid/x && chmod 700 hid && ln -s /hid/x bin/x && printf '#!/hid/x\n' >usr/bin/x && chmod 755 usr/bin/x"
case_ '$PATH: CAP_DAC_READ_SEARCH reaches the first candidate' 1001 1001 '[]' '["CAP_DAC_READ_SEARCH"]' x "mkdir -p usr/bin hid && $P hid/x && chmod 700 hid && ln -s /hid/x bin/x"
case_ "/app 0700 root, uid 0 without capabilities" 0 0 '[]' '[]' /app/x "mkdir app && $P app/x && chmod 700 app && chown 1001 app"
# Tenth pass: a relative lookup starts at process.cwd (runc changed there as
# root), so a 0700 directory above the cwd does not stop it; a relative
# $PATH entry is looked in from the cwd and what it finds is refused (ErrDot).
CWD=/secret/app case_ "./x from /secret/app under a 0700 /secret, uid 1001" 1001 1001 '[]' '[]' ./x "mkdir -p secret/app && $P secret/app/x && chmod 700 secret"
CWD=/secret/app case_ "/secret/app/x by its absolute name, cwd /secret/app" 1001 1001 '[]' '[]' /secret/app/x "mkdir -p secret/app && $P secret/app/x && chmod 700 secret"
CWD=/usr PATHENV=bin case_ '$PATH=bin from /usr: /usr/bin/x found relative' 1001 1001 '[]' '[]' x "mkdir -p usr/bin && $P usr/bin/x && $P bin/x"
CWD=/secret/app PATHENV=bin:/usr/bin case_ '$PATH=bin from /secret/app under a 0700 /secret: ErrDot before /usr/bin/x' 1001 1001 '[]' '[]' x "mkdir -p secret/app/bin usr/bin && $P secret/app/bin/x && $P usr/bin/x && chmod 700 secret"
CWD=/usr PATHENV=lib:/usr/bin case_ '$PATH=lib:/usr/bin from /usr: nothing in lib, /usr/bin/x' 1001 1001 '[]' '[]' x "mkdir -p usr/bin && $P usr/bin/x"

# POSIX access ACLs (system.posix_acl_access, written raw: the kernel checks
# and stores it and sets the mode's group bits to its mask). An image layer
# made with tar carries no ACL, so these are asked of the rootfs alone.
# acl PATH TAG:PERM[:ID]... with tags uo u go g m o
acl() {
  python3 - "$@" <<'PY'
import os, struct, sys
tags = {"uo": 1, "u": 2, "go": 4, "g": 8, "m": 0x10, "o": 0x20}
v = struct.pack("<I", 2)
for e in sys.argv[2:]:
    t, p, *i = e.split(":")
    v += struct.pack("<HHI", tags[t], int(p, 8), int(i[0]) if i else 0xFFFFFFFF)
os.setxattr(sys.argv[1], "system.posix_acl_access", v)
PY
}
export -f acl
NO_IMAGE=1 case_ "ACL: /app 0755 with user:1001:--- stops uid 1001" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app uo:7 u:0:1001 go:5 m:5 o:5"
NO_IMAGE=1 case_ "ACL: /app 0750 root with user:1001:r-x lets uid 1001 through" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app uo:7 u:5:1001 go:5 m:5 o:0"
NO_IMAGE=1 case_ "ACL: a named group of a supplementary group" 1001 1001 '[2002]' '[]' /app/x \
  "mkdir app && $P app/x && acl app uo:7 go:0 g:5:2002 m:5 o:0"
NO_IMAGE=1 case_ "ACL: user:1001:r-x under a mask r--" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app uo:7 u:5:1001 go:5 m:4 o:0"
NO_IMAGE=1 case_ "ACL: the owning group without x stops its member though others have x" 1001 0 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app uo:7 go:0 m:7 o:5"
NO_IMAGE=1 case_ "ACL: the owner's bits decide, not a named entry for the owner" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && chown 1001 app && acl app uo:6 u:7:1001 go:5 m:7 o:5"
NO_IMAGE=1 case_ "ACL: the file itself, 0700 root with user:1001:r-x" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app/x uo:7 u:5:1001 go:0 m:5 o:0"
NO_IMAGE=1 case_ "ACL: the file itself, 0755 with user:1001:r--" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app/x uo:7 u:4:1001 go:5 m:5 o:5"
NO_IMAGE=1 case_ "ACL: CAP_DAC_READ_SEARCH past a named user's ---" 1001 1001 '[]' '["CAP_DAC_READ_SEARCH"]' /app/x \
  "mkdir app && $P app/x && acl app uo:7 u:0:1001 go:5 m:5 o:5"
# Tenth pass, part D: more ACL shapes. A mask of --- clears the mode's group
# bits, and the kernel reads no ACL then (acl_permission_check: mode & S_IRWXG).
NO_IMAGE=1 case_ "ACL: mask --- : the ACL is not read, the others' r-x lets uid 1001 through" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app uo:7 u:7:1001 go:5 m:0 o:5"
NO_IMAGE=1 case_ "ACL: mask --- on the file itself: the others' bits decide" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl app/x uo:7 u:7:1001 go:5 m:0 o:5"
NO_IMAGE=1 case_ "ACL: the owning group without x, a named group with x: through" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && chgrp 1001 app && acl app uo:7 go:0 g:5:1001 m:5 o:0"
NO_IMAGE=1 case_ "ACL: a named user with x though the owning group has none" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && chgrp 1001 app && acl app uo:7 u:1:1001 go:0 m:1 o:0"
NO_IMAGE=1 case_ "ACL: on the rootfs's root directory" 1001 1001 '[]' '[]' /app/x \
  "mkdir app && $P app/x && acl . uo:7 u:0:1001 go:5 m:5 o:5"
NO_IMAGE=1 case_ "ACL: on the directory of a symlink's target" 1001 1001 '[]' '[]' /app/x \
  "mkdir app hid && $P hid/x && ln -s /hid/x app/x && acl hid uo:7 u:0:1001 go:5 m:5 o:5"
NO_IMAGE=1 case_ "ACL: on the directory of a #! script's interpreter" 1001 1001 '[]' '[]' /app/x \
  "mkdir app lib && $P lib/sh && printf '#!/lib/sh\n' >app/x && chmod 755 app/x && acl lib uo:7 u:0:1001 go:5 m:5 o:5"
NO_IMAGE=1 case_ "ACL: on a \$PATH directory, the next candidate is taken" 1001 1001 '[]' '[]' x \
  "mkdir -p usr/bin && $P bin/x && $P usr/bin/x && acl bin uo:7 u:0:1001 go:5 m:5 o:5"
NO_IMAGE=1 case_ "ACL: CAP_DAC_OVERRIDE, a file whose ACL leaves no x in the mode" 1001 1001 '[]' '["CAP_DAC_OVERRIDE"]' /app/x \
  "mkdir app && $P app/x && acl app/x uo:6 u:7:1001 go:4 m:6 o:4"
NO_IMAGE=1 case_ "ACL: a named group entry for a supplementary group without x, the owning group with x" 1001 1001 '[2002]' '[]' /app/x \
  "mkdir app && $P app/x && chgrp 1001 app && acl app uo:7 go:1 g:0:2002 m:1 o:0"
# Eleventh pass: runc creates process.cwd (os.MkdirAll, as root) before it
# changes there: a dangling symlink or a file in the way fails runc init,
# and a ".." after a created directory climbs back out of it. The model took
# a missing cwd as created and empty, nothing more.
CWD=/ldang case_ "cwd a dangling symlink: mkdir fails (EEXIST)" 0 0 '[]' '[]' /bin/x "$P bin/x && ln -s /missing ldang"
CWD=/ldang/sub case_ "cwd under a dangling symlink: mkdir fails (EEXIST)" 0 0 '[]' '[]' /bin/x "$P bin/x && ln -s /missing ldang"
CWD=/bin/x/.. case_ "cwd through a file: mkdir fails (ENOTDIR)" 0 0 '[]' '[]' /bin/x "$P bin/x"
CWD=/new/../bin case_ "cwd /new/../bin: /new created, ./x is /bin/x" 1001 1001 '[]' '[]' ./x "$P bin/x"
CWD=/new/a/../../bin case_ "cwd /new/a/../../bin: ./x is /bin/x" 1001 1001 '[]' '[]' ./x "$P bin/x"
CWD=/new case_ "cwd /new, created empty: ./x is not there" 1001 1001 '[]' '[]' ./x "$P bin/x"
CWD=/lbin case_ "cwd a symlink to /bin: ./x is /bin/x" 1001 1001 '[]' '[]' ./x "$P bin/x && ln -s bin lbin"
done_testing
