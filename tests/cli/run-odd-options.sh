#!/usr/bin/env bash
# asan-too
# Fail closed, seen from inside the child (twenty-first pass, part H): odd
# spellings and combinations of run's options, each checked by a marker
# the child writes and the CapBnd/CapInh/NoNewPrivs it reads from
# /proc/self/status. Exactly what was asked, or nothing runs (127, or 2
# for a usage error) and no marker. Both binaries (capscope run, the
# static capscope-run). Nothing here needed a fix; it keeps what held.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v capsh >/dev/null || skip_all "capsh is not installed"
tap_tmpdir
cd "$T" || exit 1
chmod 1777 "$T"
cat >child <<EOS
#!/bin/sh
grep -E '^(CapInh|CapBnd|NoNewPrivs):' /proc/self/status | tr -d '\t' | tr '\n' ' ' >"$T/marker"
echo "args=\$*" >>"$T/marker"
EOS
chmod 755 child
last=$(cat /proc/sys/kernel/cap_last_cap)
bins=("$CAPSCOPE run")
run_bin=$(dirname "$CAPSCOPE")/cli/capscope-run
[ -x "$run_bin" ] && bins+=("$run_bin")

# try WANT_RC DESCRIPTION ARGS...: run, then the marker or none
try() {
  local want=$1 what=$2
  shift 2
  rm -f "$T/marker"
  # shellcheck disable=SC2086
  $bin "$@" 2>"$T/err" >/dev/null
  is "$?" "$want" "$name: $what: exit $want"
  if [ "$want" = 0 ]; then
    got=$(cat "$T/marker" 2>/dev/null)
  else
    ok "$([ ! -e "$T/marker" ]; echo $?)" "$name: $what: nothing ran"
  fi
}

for bin in "${bins[@]}"; do
  name=${bin##*/}
  sb=(--securebits noroot)
  # names: upper, lower, CAP_ prefix in any case, the number
  for n in chown CHOWN CAP_chown cap_CHOWN 0 cap_0; do
    try 0 "--bounding $n" "${sb[@]}" --bounding "$n" -- ./child
    like "$got" "CapBnd:0000000000000001 " "$name: --bounding $n: the bounding set is CAP_CHOWN alone"
  done
  try 0 "--bounding '' (the empty set, as written)" "${sb[@]}" --bounding '' -- ./child
  like "$got" "CapBnd:0000000000000000 " "$name: --bounding '': an empty bounding set"
  # a unique prefix of a long option is that option (getopt_long), in both binaries
  try 0 "--bound chown" "${sb[@]}" --bound chown -- ./child
  like "$got" "CapBnd:0000000000000001 " "$name: --bound: read as --bounding"
  # what follows the command is the command's, not run's
  try 0 "options after the command" "${sb[@]}" ./child --bounding chown -u nobody
  like "$got" "args=--bounding chown -u nobody$" "$name: options after the command go to it"
  unlike_bnd=$(grep -c 'CapBnd:0000000000000001 ' "$T/marker")
  is "$unlike_bnd" 0 "$name: ... and the bounding set is not changed by them"
  try 127 "-- then options: they are the command" -- --bounding chown ./child
  # beyond the running kernel's last capability
  try 127 "--bounding cap_$((last + 1))" "${sb[@]}" --bounding "cap_$((last + 1))" -- ./child
  try 127 "--inh $((last + 1))" "${sb[@]}" --inh "$((last + 1))" -- ./child
  try 127 "--caps $((last + 1))=i" "${sb[@]}" --caps "$((last + 1))=i" -- ./child
  # empty values, duplicates, contradictions: usage errors
  try 2 "--bounding 'chown,'" "${sb[@]}" --bounding 'chown,' -- ./child
  try 2 "--securebits ''" --securebits '' -- ./child
  try 2 "--groups ''" -u nobody --groups '' -- ./child
  try 2 "--user ''" -u '' --clear-groups -- ./child
  try 2 "-u and --user" -u nobody --user nobody --clear-groups -- ./child
  try 2 "--no-new-privs twice" --no-new-privs --no-new-privs -- ./child
  try 2 "--clear-groups and --keep-groups" -u nobody --clear-groups --keep-groups -- ./child
  try 2 "-u 4294967295" -u 4294967295 -g 1 --clear-groups -- ./child
  try 2 "--securebits 0x1000" --securebits 0x1000 -- ./child
  # a caller whose bounding set has lost CAP_CHOWN: nothing asks it back
  for opt in "--bounding chown,kill" "--bounding all" "--inh chown" "--ambient chown" "--caps cap_chown=i"; do
    rm -f "$T/marker"
    # shellcheck disable=SC2086
    capsh --drop=cap_chown -- -c "$bin --securebits noroot $opt -- ./child" 2>/dev/null
    is "$?" 127 "$name: $opt without CAP_CHOWN in the caller's bounding set: 127"
    ok "$([ ! -e "$T/marker" ]; echo $?)" "$name: $opt: nothing ran"
  done
done
done_testing
