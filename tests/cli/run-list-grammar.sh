#!/usr/bin/env bash
# asan-too
# One list grammar for run (twenty-second pass, part B): --inh, --ambient
# and --bounding read a blank as a separator or skipped it ("chown kill",
# " chown", "chown, kill": cs_names_parse, made for decode's pasted text),
# where --groups and --securebits refuse one and --help said "separated by
# commas". setpriv refuses a blank in its lists ("unknown capability"). Now
# each is refused: exit 2, one line naming the option, the column and the
# word, and nothing runs. The comma form runs, as before. Both binaries.
source "$(dirname "$0")/../lib/tap.sh"
need_root
tap_tmpdir
cd "$T" || exit 1
chmod 1777 "$T"
cat >child <<EOS
#!/bin/sh
grep -E '^Cap(Inh|Bnd|Amb):' /proc/self/status | tr -d '\t' | tr '\n' ' ' >"$T/marker"
EOS
chmod 755 child
bins=("$CAPSCOPE run")
run_bin=$(dirname "$CAPSCOPE")/cli/capscope-run
[ -x "$run_bin" ] && bins+=("$run_bin")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for opt in --inh --ambient --bounding; do
    extra=()
    [ "$opt" = --ambient ] && extra=(--securebits noroot)
    rm -f marker
    $bin "${extra[@]}" "$opt" chown,kill -- ./child 2>err
    is "$?" 0 "$name $opt chown,kill: runs"
    like "$(cat marker 2>/dev/null)" "0000000000000021" "$name $opt chown,kill: the set holds chown and kill"
    for v in 'chown kill' ' chown' 'chown ' 'chown, kill' $'chown\tkill' $'chown\nkill' 'chown,kill '; do
      shown=$(printf %q "$v")
      rm -f marker
      $bin "${extra[@]}" "$opt" "$v" -- ./child 2>err
      is "$?" 2 "$name $opt $shown: refused (2)"
      ok "$([ ! -e marker ]; echo $?)" "$name $opt $shown: nothing ran"
      is "$(head -n1 err | grep -c "^capscope run: $opt: column [0-9]*: a blank in '")" 1 \
        "$name $opt $shown: the option, the column and the word named ($(head -c 120 err))"
      is "$(grep -c '' err)" 2 "$name $opt $shown: one line and the usage hint"
    done
  done
  out=$($bin --inh 'net_raw,chown kill' -- ./child 2>&1)
  like "$out" "--inh: column 14: a blank in 'chown kill': names are separated by one comma and nothing else" \
    "$name: the blank's column, its word"
  # The other lists of run already refused a blank: the grammar is one.
  $bin --securebits 'noroot, keep-caps' -- ./child 2>err
  is "$?" 2 "$name --securebits 'noroot, keep-caps': refused"
  $bin --groups '0, 0' --user 0 -- ./child 2>err
  is "$?" 2 "$name --groups '0, 0': refused"
done
done_testing
