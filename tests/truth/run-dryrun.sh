#!/usr/bin/env bash
# capscope run: the model's prediction (--dry-run --json) must equal what the
# static probe reports after the real run, for a spread of option mixes; and
# the reference article's case: a non-root user binding port 443 on loopback
# in a network namespace we create, with and without --ambient.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
PROBE=$B/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the probe was not built"
command -v jq >/dev/null || skip_all "jq is not installed"
tap_tmpdir
chmod 755 "$T"
cp "$PROBE" "$T/probe"
cp "$PROBE" "$T/probe-fcaps"
setcap cap_net_bind_service,cap_kill+ep "$T/probe-fcaps"
cp "$PROBE" "$T/probe-suid"
chmod 4755 "$T/probe-suid"

real_of() { awk -F'\t' '
  /^Uid:/ {u=$2" "$3" "$4" "$5} /^Gid:/ {g=$2" "$3" "$4" "$5}
  /^Groups:/ {gr=$2; sub(/ +$/, "", gr)}
  /^CapInh:/ {ci=$2} /^CapPrm:/ {cp=$2} /^CapEff:/ {ce=$2} /^CapBnd:/ {cb=$2} /^CapAmb:/ {ca=$2}
  /^NoNewPrivs:/ {n=$2}
  END {print "uid=" u " gid=" g " groups=" gr " inh=" ci " prm=" cp " eff=" ce " bnd=" cb " amb=" ca " nnp=" n}'; }
pred_of() { jq -r 'def m: .mask | ltrimstr("0x");
  if .refused then "refused" elif .exec.ok | not then "fail " + .exec.error else
  "uid=" + (.process.uids | map(tostring) | join(" ")) + " gid=" + (.process.gids | map(tostring) | join(" ")) +
  " groups=" + (.process.groups | sort | map(tostring) | join(" ")) +
  " inh=" + (.process.caps.inheritable | m) + " prm=" + (.process.caps.permitted | m) +
  " eff=" + (.process.caps.effective | m) + " bnd=" + (.process.caps.bounding | m) +
  " amb=" + (.process.caps.ambient | m) + " nnp=" + (if .process.no_new_privs then "1" else "0" end) end'; }

check() { # probe-name, options...
  local p=$1; shift
  local want got
  want=$("$CAPSCOPE" run --dry-run --json "$@" -- "$T/$p" | pred_of)
  got=$("$CAPSCOPE" run "$@" -- "$T/$p" 2>"$T/err")
  local rc=$?
  # A refusal of the file (--caps: a gain; --ambient: the ambient set lost
  # to a set-uid or file-capability file, twentieth pass) is the dry run's "refused".
  if [ $rc -eq 127 ] && grep -q "step 'execve' refused" "$T/err"; then
    got=refused
  elif [ $rc -eq 127 ]; then
    got="fail $(grep -oE "failed: E[A-Z]+" "$T/err" | cut -d' ' -f2)"
  else
    got=$(printf '%s\n' "$got" | real_of)
  fi
  is "$got" "$want" "dry-run = reality: $p $*"
}

check probe --user nobody --clear-groups --ambient net_bind_service
check probe --user nobody --clear-groups
check probe --user 1000 --group 1000 --groups 5,27 --caps cap_chown,cap_net_raw=eip --ambient cap_net_raw
check probe --bounding chown --caps cap_chown=ep
check probe --no-new-privs
check probe --caps = --securebits noroot
check probe --user 1000 --keep-groups --inh cap_kill
check probe --user 1000 --clear-groups --securebits no-setuid-fixup
check probe --securebits noroot
check probe --securebits noroot,keep-caps-locked,keep-caps --user 1000 --clear-groups
check probe-fcaps --user 1000 --clear-groups
check probe-fcaps --user 1000 --clear-groups --no-new-privs
check probe-fcaps --user 1000 --clear-groups --bounding net_bind_service
check probe-fcaps --user 1000 --clear-groups --ambient chown
check probe-suid --user 1000 --clear-groups --ambient chown
check probe-suid --user 1000 --clear-groups --no-new-privs
check probe-suid --user 1000 --clear-groups --securebits noroot

# Seventh pass: the dry run found the command as the caller (root, who may
# search any directory) and by Go's LookPath from "/", the run walks $PATH
# by execvp's rule with the new credentials: a directory the new user may
# not search, a relative or empty $PATH entry. The dry run now walks in a
# child holding the run's credentials; both binaries, compared with reality.
# --caps ...=p: no DAC override while walking, and no gain to refuse.
mkdir -p "$T/w/priv" "$T/w/pub" "$T/w/bin" "$T/w/only" && chmod 700 "$T/w/priv" "$T/w/only"
chmod 755 "$T/w" "$T/w/pub" "$T/w/bin"
cp "$PROBE" "$T/w/priv/pw"
for f in pub/pw bin/pw2 pw3; do
  cp "$PROBE" "$T/w/$f" && setcap cap_net_bind_service,cap_kill+ep "$T/w/$f"
done
cp "$PROBE" "$T/w/only/pw4"
mkdir -m 755 "$T/w/plain" && cp "$PROBE" "$T/w/plain/pw5"
check_walk() { # binary, PATH, name, options...
  local bin=$1 path=$2 p=$3 want got rc; shift 3
  want=$(cd "$T/w" && PATH=$path $bin --dry-run --json "$@" -- "$p" | pred_of)
  got=$(cd "$T/w" && PATH=$path $bin "$@" -- "$p" "${CW_ARGS[@]}" 2>"$T/err")
  rc=$?
  if [ $rc -eq 127 ] && grep -q "step 'execve' refused" "$T/err"; then
    got=refused
  elif [ $rc -eq 127 ]; then
    got="fail $(grep -oE "failed: E[A-Z]+" "$T/err" | cut -d' ' -f2)"
  else
    got=$(printf '%s\n' "$got" | real_of)
  fi
  is "$got" "$want" "dry-run = reality: ${bin##*/} PATH=${path//$T/T} $p $*"
}
CW_ARGS=()
walk_bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && walk_bins+=("$B/cli/capscope-run")
W=(--user nobody --clear-groups --caps cap_net_bind_service,cap_kill=p)
for bin in "${walk_bins[@]}"; do
  check_walk "$bin" "$T/w/priv:$T/w/pub" pw "${W[@]}"
  check_walk "$bin" "bin:/usr/bin" pw2 "${W[@]}"
  check_walk "$bin" ":/usr/bin" pw3 "${W[@]}"
  check_walk "$bin" "/usr/bin:$T/w/only" pw4 "${W[@]}"
  # --caps =: the file found gains what the plan drops; the run refuses it,
  # and the dry run says so (it showed the gain and no refusal).
  check_walk "$bin" "$T/w/priv:$T/w/pub" pw --user nobody --clear-groups --caps =
  check_walk "$bin" "$T/w/plain" pw5 --user nobody --clear-groups --caps =
  # The control: root's walk may search priv, and the prediction follows it.
  check_walk "$bin" "$T/w/priv:$T/w/pub" pw --user nobody --clear-groups
done

# Eighth pass: an ELF whose loader (PT_INTERP) is missing makes execve say
# ENOENT, and execvp, like the run, goes on to the next $PATH directory; the
# dry run modelled the first file as running. A dynamic cat whose loader is
# renamed, then a cat with file capabilities (the probe is static).
cat_bin=$(command -v cat)
if command -v python3 >/dev/null && [ -n "$(readelf -l "$cat_bin" 2>/dev/null | grep 'program interpreter')" ]; then
  mkdir -m 755 "$T/w/noload" "$T/w/fcat"
  python3 - "$cat_bin" "$T/w/noload/catx" <<'PY'
import re, sys
d = bytearray(open(sys.argv[1], "rb").read())
m = re.search(rb"/lib[^\0]*/ld-[^\0]+\0", bytes(d))
d[m.start():m.end() - 1] = b"/nonexistent/ld".ljust(m.end() - 1 - m.start(), b"x")
open(sys.argv[2], "wb").write(d)
PY
  chmod 755 "$T/w/noload/catx"
  cp "$cat_bin" "$T/w/fcat/catx" && setcap cap_net_bind_service,cap_kill+ep "$T/w/fcat/catx"
  CW_ARGS=(/proc/self/status)
  for bin in "${walk_bins[@]}"; do
    check_walk "$bin" "$T/w/noload:$T/w/fcat" catx "${W[@]}"
    check_walk "$bin" "$T/w/noload:$T/w/fcat" catx --user nobody --clear-groups --caps =
    check_walk "$bin" "$T/w/noload:$T/w/fcat" catx --user nobody --clear-groups
    check_walk "$bin" "$T/w/noload" catx --user nobody --clear-groups
  done
  # Ninth pass: an ELF for another machine (this cat with another e_machine):
  # no loader takes it, execve says ENOEXEC and so does the run; the dry run
  # predicted it would run (with --caps, or without).
  mkdir -m 755 "$T/w/foreign"
  python3 - "$cat_bin" "$T/w/foreign/catx" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
end = "<" if d[5] == 1 else ">"
m = struct.unpack_from(end + "H", d, 18)[0]
struct.pack_into(end + "H", d, 18, 183 if m != 183 else 62)  # EM_AARCH64, or EM_X86_64
open(sys.argv[2], "wb").write(d)
PY
  chmod 755 "$T/w/foreign/catx"
  for bin in "${walk_bins[@]}"; do
    check_walk "$bin" "$T/w/foreign:$T/w/fcat" catx --user nobody --clear-groups --caps =
    check_walk "$bin" "$T/w/foreign:$T/w/fcat" catx --user nobody --clear-groups
  done
  CW_ARGS=()
else
  skip "python3, readelf or a dynamic cat missing: the missing-loader walk"
fi

# The article's case, in a network namespace of our own (loopback only).
command -v unshare >/dev/null || { skip "unshare missing"; done_testing; }
with=$(unshare -n sh -c 'ip link set lo up 2>/dev/null || true; exec "$@"' sh \
  "$CAPSCOPE" run --user nobody --clear-groups --ambient net_bind_service -- "$T/probe" --bind 443)
like "$with" $'Bind:\tok' "nobody with ambient NET_BIND_SERVICE binds 443"
without=$(unshare -n sh -c 'ip link set lo up 2>/dev/null || true; exec "$@"' sh \
  "$CAPSCOPE" run --user nobody --clear-groups -- "$T/probe" --bind 443)
like "$without" $'Bind:\tPermission denied' "nobody without it is denied"
pred=$("$CAPSCOPE" run --dry-run --json --user nobody --clear-groups --ambient net_bind_service -- "$T/probe" |
  jq -r '.process.caps.effective.names | join(",")')
is "$pred" "CAP_NET_BIND_SERVICE" "the dry run predicts NET_BIND_SERVICE effective"

# capscope-run, the static entrypoint wrapper, does the same alone.
STATIC=$B/cli/capscope-run
if [ -x "$STATIC" ]; then
  ldd "$STATIC" >/dev/null 2>&1
  ok "$([ $? -ne 0 ]; echo $?)" "capscope-run is statically linked"
  out=$(unshare -n "$STATIC" --user nobody --clear-groups --ambient net_bind_service -- "$T/probe" --bind 443)
  like "$out" $'CapAmb:\t0000000000000400' "capscope-run: ambient NET_BIND_SERVICE"
  like "$out" $'Bind:\tok' "capscope-run: binds 443 as nobody"
else
  skip "capscope-run not built (sanitizer build)"
fi
# Eleventh pass: the step said "no fE and euid != 0" for uid 0 under
# SECBIT_NOROOT, where euid is 0; it now names the rule, not a false cause.
out=$("$CAPSCOPE" run --dry-run --caps cap_chown=ep --securebits noroot -- "$T/probe")
printf '%s' "$out" | grep -q 'euid != 0'; ok $((! $?)) "dry run of uid 0 with noroot: no 'euid != 0'"
like "$out" "no fE, and no root rule that sets it: E' = A'" "  the rule it applies"
done_testing
