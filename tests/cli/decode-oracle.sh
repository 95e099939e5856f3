#!/usr/bin/env bash
# asan-too
# capscope decode must print exactly what capsh --decode prints, and encode
# must be its inverse.
source "$(dirname "$0")/../lib/tap.sh"
command -v capsh >/dev/null || skip_all "capsh (libcap2-bin) is not installed"

# 300 seeded random masks: sparse, dense, high bits, the article's values.
masks=(0 400 5c0 3000 4251b 0000003fffffffff 000001ffffffffff 1fffffffffff ffffffffffffffff
       8000000000000000 0x10000000000 0X400)
RANDOM=4242
for i in $(seq 1 300); do
  printf -v m '%04x%04x%04x%04x' $((RANDOM % (i % 4 == 0 ? 2 : 65536))) $((RANDOM)) $((RANDOM)) $((RANDOM))
  case $((i % 5)) in
    0) m=$(printf '%x' $((1 << (RANDOM % 63)))) ;;
    1) m=${m:8} ;;
  esac
  masks+=("$m")
done

want=$(for m in "${masks[@]}"; do capsh --decode="$m"; done)
got=$("$CAPSCOPE" decode "${masks[@]}")
is "$got" "$want" "decode of ${#masks[@]} masks equals capsh --decode"

# Round trip: names → mask → names.
bad=0
for m in "${masks[@]:0:120}"; do
  line=$("$CAPSCOPE" decode "$m")
  names=${line#*=}
  hex=${line%%=*}
  [ -z "$names" ] && names=""
  back=$("$CAPSCOPE" encode "$names") # "" is the empty set ("," is a name left out)
  [ "$back" = "$hex" ] || { bad=$((bad + 1)); echo "# $m: $names -> $back, want $hex"; }
done
is "$bad" 0 "encode inverts decode"

is "$("$CAPSCOPE" encode NET_BIND_SERVICE,NET_RAW)" "0x0000000000002400" "encode Kubernetes spelling"
is "$("$CAPSCOPE" encode 'CAP_NET_BIND_SERVICE cap_setuid')" "0x0000000000000480" "encode OCI and libcap spelling"
is "$("$CAPSCOPE" encode 'cap_net_raw+ep cap_chown=i')" \
   "inheritable=0x0000000000000001 permitted=0x0000000000002000 effective=0x0000000000002000" \
   "encode libcap text gives three sets"
last=$(cat /proc/sys/kernel/cap_last_cap)
printf -v allmask '0x%016x' $(( (1 << (last + 1)) - 1 ))
is "$("$CAPSCOPE" encode all)" "$allmask" "encode all follows cap_last_cap ($last)"

# Errors: one line, exit 2; capsh would print 0 or all ones for these.
for bad_mask in zz 0x 10000000000000000 ' 400' '+1' ''; do
  out=$("$CAPSCOPE" decode "$bad_mask" 2>&1); rc=$?
  is "$rc" 2 "decode '$bad_mask' fails"
  is "$(printf '%s\n' "$out" | wc -l)" 1 "decode '$bad_mask' prints one line: $out"
done
out=$("$CAPSCOPE" decode -- -1 2>&1); rc=$?
is "$rc" 2 "decode -- -1 fails"
like "$out" "'-' is not a hex digit" "decode -- -1 fails as a mask, not an option"
# Eighth pass: a byte that is not printable ASCII was named '?', a character
# the mask did not hold (a newline, a fullwidth digit).
like "$("$CAPSCOPE" decode $'1\n' 2>&1)" "column 2: byte 0x0a is not a hex digit" "decode: a newline named by its value"
like "$("$CAPSCOPE" decode $'\uff10' 2>&1)" "column 1: byte 0xef is not a hex digit" "decode: a fullwidth 0 named by its first byte"
# A long argument is shown cut, and says so: "'000…0': column 71: 'z' is
# not a hex digit" quoted 60 zeros as if they were all of it.
long=$(printf '%070dz' 0)
like "$("$CAPSCOPE" decode "$long" 2>&1)" "'0{60}\.\.\.': column 71: 'z'" "decode: a cut argument ends in '...'"
like "$("$CAPSCOPE" encode "$(printf 'cap_chown,%.0s' 1 2 3 4 5 6 7 8)bogus" 2>&1)" \
  "cap_chown,\.\.\.': column 81: unknown capability 'bogus'" "encode: the same"
like "$("$CAPSCOPE" file set "$(printf 'cap_chown,%.0s' 1 2 3 4 5 6 7 8)bogus=p" /nonexistent 2>&1)" \
  "TEXT 'cap_chown,.*\.\.\.': column 81" "file set: the same"
like "$("$CAPSCOPE" encode "cap_$(printf 'x%.0s' {1..50})" 2>&1)" \
  "unknown capability 'cap_x{36}\.\.\.'" "encode: a long unknown name is cut with '...'"
# libcap text names the capability it does not know, and run says where:
# "--caps: unknown capability name" named neither the name nor the column.
like "$("$CAPSCOPE" encode 'cap_chown=ep cap_bogus=p' 2>&1)" \
  "column 14: unknown capability name 'cap_bogus'" "encode: the unknown name in libcap text is named"
like "$("$CAPSCOPE" run --caps 'cap_chown=ep cap_bogus=p' -- true 2>&1)" \
  "^capscope run: --caps: column 14: unknown capability name 'cap_bogus'" "run --caps: the name and its column"
# Seventeenth pass: libcap's grammar has no cap_N spelling (cap_from_text
# refuses 'cap_41=ep'; '41=ep' is bit 41); the name was cut before its
# digits ("unknown capability name 'cap_'"), naming what nobody wrote.
like "$("$CAPSCOPE" encode 'cap_chown,cap_41=ep' 2>&1)" \
  "column 11: unknown capability name 'cap_41': .* its number alone \\(41\\)" \
  "encode: cap_41 in libcap text is named whole, with the spelling it takes"
like "$("$CAPSCOPE" run --caps 'CAP_041=p' -- true 2>&1)" \
  "^capscope run: --caps: column 1: unknown capability name 'CAP_041': .*\\(41\\)" \
  "run --caps: the same (no leading 0: libcap reads 041 as octal)"
like "$("$CAPSCOPE" encode 'cap_4x=ep' 2>&1)" "unknown capability name 'cap_4x'\$" \
  "encode: a word with digits inside is named whole"
like "$("$CAPSCOPE" run --ambient 'cap_chown,bogus' -- true 2>&1)" \
  "^capscope run: --ambient: column 11: unknown capability 'bogus'" "run --ambient: the column too"
like "$("$CAPSCOPE" encode 'cap_chown,@=p' 2>&1)" \
  "column 11: expected a capability name" "encode: a symbol where a name goes"
# Cut on a character boundary: no half of an é (a \xc3 escape) in the message.
out=$("$CAPSCOPE" decode "$(printf 'é%.0s' {1..40})" 2>&1)
like "$out" "^capscope decode: 'é+\.\.\.': column 1" "decode: cut between two characters"
out=$("$CAPSCOPE" encode 'cap_bogus' 2>&1); rc=$?
is "$rc" 2 "encode of an unknown name fails"
like "$out" "unknown capability 'cap_bogus'" "and names it"
"$CAPSCOPE" decode 2>/dev/null; is $? 2 "decode without masks is a usage error"
out=$("$CAPSCOPE" decode --bogus 400 2>&1); rc=$?
is "$rc" 2 "unknown option exits 2"
like "$out" "Try 'capscope decode --help'" "and points to --help"

json=$("$CAPSCOPE" decode --json 400 5c0)
is "$(jq -r '.masks[1].names | join(",")' <<<"$json")" \
   "CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE" "decode --json names"
is "$(jq -r '.masks[0].mask' <<<"$json")" "0x0000000000000400" "decode --json mask"

# A closed stdout is a failure, not a silent success.
"$CAPSCOPE" decode 400 >/dev/full 2>/dev/null; is $? 2 "write error on stdout fails"
done_testing
