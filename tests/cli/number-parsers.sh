#!/usr/bin/env bash
# asan-too
# Twenty-first pass, part E: one strict number parser (lib/number.c) for
# every option that takes a number, and a file's number read by the rules
# of the program that reads that file, through the one parser of those
# rules (lib/go-atoi.c for Go's strconv.Atoi), never a copy of its own.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
C=$CAPSCOPE

# Every option whose value is a number (from each command's --help), each
# bad form: exit 2, the value quoted in one line, then "Try".
sweep() { # template (@ = the bad number), command... (@ in it too)
  local tmpl=$1 bad v out rc; shift
  for bad in " 5" "5 " "+5" "-0" "0x5" "010" "99999999999999999999999" ""; do
    v=${tmpl//@/$bad}
    out=$(timeout 10 "${@//@/$bad}" 2>&1 >/dev/null </dev/null); rc=$?
    is "$rc $(wc -l <<<"$out") $(grep -cF -- "'$v'" <<<"$out")" "2 2 1" "${*//@/$bad}: refused, quoted, one line"
  done
}
sweep @ "$C" scan --max-bytes @ "$T"
sweep @ "$C" scan --max-ratio @ "$T"
sweep @ "$C" scan --threads @ "$T"
for o in --max-body --max-connections --max-client-connections --threads --request-timeout --shutdown-timeout; do
  sweep @ "$C" serve $o @ --listen 127.0.0.1:0
done
sweep 1/@ "$C" serve --openshift --uid-range 1/@ --listen 127.0.0.1:0
sweep 127.0.0.1:@ "$C" serve --listen 127.0.0.1:@
sweep @ "$C" explain pod --userns-base @ "$POD"
sweep @/10 "$C" explain pod --uid-range @/10 "$POD"
sweep 1/@ "$C" lint --uid-range 1/@ "$POD"
sweep @/5 "$C" policy scc --uid-range @/5 "$POD"
sweep @ "$C" trace --pid @
sweep @ "$C" trace --duration @ -p 1
sweep @ "$C" ps @
sweep @ "$C" run --user @ --dry-run -- true
sweep @ "$C" run --user 1 --group @ --dry-run -- true

# A passwd uid past int64 (explain oci's HOME for a process without one):
# libcontainer reads it with strconv.Atoi, whose range error leaves int64's
# limit, so the line is not root's. A parser of its own made it 0: the
# line's 60 KB home was taken as root's and execve predicted to fail E2BIG.
mkdir -p hb/rootfs/etc hb/rootfs/bin && cp /bin/true hb/rootfs/bin/true
python3 - <<'PY'
import json
open('hb/rootfs/etc/passwd', 'w').write('big:x:99999999999999999999:0::/%s:/bin/sh\nroot:x:0:0::/root:/bin/sh\n' % ('h' * 60000))
json.dump({"ociVersion": "1.0.2", "root": {"path": "rootfs"},
           "process": {"user": {"uid": 0, "gid": 0}, "args": ["/bin/true", "a" * 100000], "cwd": "/",
                       "env": ["PATH=/bin"], "rlimits": [{"type": "RLIMIT_STACK", "soft": 524288, "hard": 524288}]}},
          open('hb/config.json', 'w'))
PY
out=$("$C" explain oci hb 2>&1)
ok "$(! grep -q 'E2BIG' <<<"$out"; echo $?)" "passwd uid past int64: not root's line (HOME /root, no E2BIG)"
sed -i 's/^big:x:99999999999999999999:/big:x:0:/' hb/rootfs/etc/passwd
like "$("$C" explain oci hb 2>&1)" "execve\.e2big" "…the same line with uid 0 is root's: its home makes E2BIG (the test can fail)"
done_testing
