#!/usr/bin/env bash
# asan-too
# A remedy's Dockerfile RUN line is run by the image's /bin/sh, which is dash
# on Debian and Ubuntu: dash 0.5.12 reads $'/x\x1b' as "$" and '/x\x1b'
# (another path). So a RUN line names the entrypoint in a form every POSIX sh
# reads back exactly (a plain word or '...'), or in the exec form (JSON, no
# shell at all); a name that starts with '-' gets "./", so neither setcap nor
# chmod takes it for an option (lib/explain/quote.h, cs_quote_run_dup).
# The other names in the snippets keep their own test (remedy-quoting).
source "$(dirname "$0")/../lib/tap.sh"
command -v dash >/dev/null || skip_all "needs dash"
tap_tmpdir
cd "$T" || exit 1

pod() { # command[0] as a YAML double-quoted scalar's text
  cat <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: img
    command: ["$1"]
    securityContext:
      runAsUser: 1000
      capabilities: {add: [NET_ADMIN]}
Y
}

# The arguments of each RUN line of the setcap and chmod remedies, one per
# line in words.txt, each word's bytes as hex: dash for the shell form, JSON
# for the exec form.
run_words() { # out.txt
  grep -a '^ *RUN \(setcap cap_net_admin+ep\|chmod\|\["setcap", "cap_net_admin\|\["chmod"\)' "$1" |
    grep -av 'capscope$' | sed 's/^ *RUN //' | while IFS= read -r line; do
    case $line in
    \[*) python3 -c 'import json,sys; print(" ".join(w.encode().hex() for w in json.loads(sys.argv[1])))' "$line" ;;
    *) dash -c "set -- $line"'; for w; do printf "%s" "$w" | od -An -tx1 | tr -d " \n"; printf " "; done; echo' |
      sed 's/ $//' ;;
    esac
  done
}
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

check() { # yaml-scalar-text expected-bytes what
  pod "$1" >pod.yaml
  "$CAPSCOPE" explain pod pod.yaml >out.txt 2>err.txt
  raw_ctl out.txt; ok $((! $?)) "$3: no raw control byte"
  run_words out.txt >words.txt
  is "$(wc -l <words.txt)" 2 "$3: a setcap and a chmod RUN line"
  is "$(sed -n 1p words.txt)" "$(hex setcap) $(hex cap_net_admin+ep) $(hex "$2")" "$3: setcap reads the entrypoint's bytes"
  is "$(sed -n 2p words.txt)" "$(hex chmod) $(hex u+s) $(hex "$2")" "$3: chmod reads the entrypoint's bytes"
}

check '/bin/x y' '/bin/x y' "a space ('...')"
grep -aq "RUN setcap cap_net_admin+ep '/bin/x y'" out.txt; ok $? "a space: the shell form, quoted"
check "/bin/x'\\\\\$(touch PWNED)" "/bin/x'\\\$(touch PWNED)" "a quote and a backslash"
check '/bin/x\e[2J\u202e\n' $'/bin/x\e[2J\u202e\n' "ESC, U+202E and a last newline (exec form)"
grep -aq 'RUN \["setcap", "cap_net_admin+ep", "/bin/x\\u001b\[2J\\u202e\\n"\]' out.txt
ok $? "the exec form: JSON escapes, ASCII on the terminal"
check '-x' './-x' "a name that starts with '-'"
check '--reference=/etc/shadow' './--reference=/etc/shadow' "a name that is an option of chmod"
ls PWNED* >/dev/null 2>&1; ok $((! $?)) "nothing the names hold was run"
done_testing
