#!/usr/bin/env bash
# --html FILE of explain pod, scan and trace: the pages are written, hostile
# names in them are inert, re-runs give the same bytes, and then Debian's
# headless Chromium loads every page (one browser, over the DevTools pipe:
# tests/cli/html-browser.py): the DOM it built holds the stage columns,
# capability rows, kept/dropped/gained markers and remedy text, no page asked
# for anything but itself, and its screenshot is not blank (the flow's colours
# are on it). A control page with an external image proves the request check
# can fail.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
ex=$CAPSCOPE_TOP/examples/pod
build=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
# The system python has the Debian modules (python3-pil); a pyenv one may not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# explain NAME ARGS...: write $T/NAME.html; exit 0 or 1 (findings) is fine.
explain() {
  local name=$1
  shift
  "$CAPSCOPE" explain pod --html "$T/$name.html" "$@" >"$T/$name.out" 2>"$T/$name.err"
  local rc=$?
  ok $(((rc == 0 || rc == 1) && $(stat -c %s "$T/$name.html" 2>/dev/null || echo 0) > 1000 ? 0 : 1)) \
    "explain pod --html: $name written (exit $rc)"
}

# ---- the reference article's pods (examples/pod, as examples/demo-pod.sh runs them)
explain anyuid --openshift --scc "$ex/anyuid-netbind-scc.yaml" --crio-config "$ex/crio-2020" \
  --check bind:443 "$ex/anyuid-netbind.yaml"
explain root-defaults --crio-config "$ex/crio-netbind" --check bind:443 "$ex/root-defaults.yaml"
explain nonroot-netbind --check bind:443 "$ex/nonroot-netbind.yaml"
pages=(anyuid root-defaults nonroot-netbind)
if [ "$(id -u)" -eq 0 ] && command -v setcap >/dev/null; then
  "$ex/make-images.sh" "$T/img" >/dev/null 2>&1
  explain nonroot-capset --scc restricted --crio-config "$ex/crio-2020" --rootfs "$T/img/nc-capset" \
    --image-config "$ex/images/nc-capset.json" --check bind:443 "$ex/nonroot-capset.yaml"
  explain nonroot-setuid --scc restricted --crio-config "$ex/crio-2020" --rootfs "$T/img/nc-setuid" \
    --image-config "$ex/images/nc-setuid.json" --check bind:443 "$ex/nonroot-setuid.yaml"
  explain nonroot-setambient --scc restricted --crio-config "$ex/crio-2020" \
    --rootfs "$T/img/nc-setambient" --image-config "$ex/images/nc-setambient.json" \
    "$ex/nonroot-setambient.yaml"
  pages+=(nonroot-capset nonroot-setuid nonroot-setambient)
else
  skip "the article's image pods: building their images needs root and setcap"
fi

# Re-runs give the same bytes (no timestamp, no address, no order of a hash).
"$CAPSCOPE" explain pod --html "$T/again.html" --check bind:443 "$ex/nonroot-netbind.yaml" >/dev/null
cmp -s "$T/again.html" "$T/nonroot-netbind.html"
ok $? "explain pod --html: byte-identical on a re-run"
# The text output is unchanged by --html.
"$CAPSCOPE" explain pod --check bind:443 "$ex/nonroot-netbind.yaml" >"$T/plain.out"
cmp -s "$T/plain.out" "$T/nonroot-netbind.out"
ok $? "explain pod: stdout is the same with and without --html"

# The flow of kubernetes/kubernetes#56374 in the page itself: added, kept
# through runc, dropped by execve (with the rule), not effective.
row=$(grep -o '<tr data-cap="CAP_NET_BIND_SERVICE".*</tr>' "$T/nonroot-netbind.html")
like "$row" 'data-state="gained"[^>]*><span class="mark">\+</span>add' "NET_BIND_SERVICE gained at the pod request"
like "$row" 'data-state="kept".*data-state="kept"' "kept by the runtime and by runc"
like "$row" 'data-state="dropped" title="execve\.[a-z-]+: ' "dropped after execve, the kernel rule on hover"
like "$row" 'data-verdict="nonroot-no-ambient"' "verdict: non-root, no ambient"
if [ -f "$T/nonroot-capset.html" ]; then
  row=$(grep -o '<tr data-cap="CAP_NET_BIND_SERVICE".*</tr>' "$T/nonroot-capset.html")
  like "$row" 'data-state="kept"[^>]*><span class="mark">=</span>B P E I</td><td></td></tr>$' \
    "file caps (no capability requested): NET_BIND_SERVICE kept effective through execve"
  row=$(grep -o '<tr data-cap="CAP_CHOWN".*</tr>' "$T/nonroot-capset.html")
  like "$row" 'data-state="dropped" title="execve\.[a-z-]+: [^"]*"><span class="mark">−</span>B I</td><td></td></tr>$' \
    "file caps: CHOWN dropped from effective by execve, the rule on hover"
fi

if [ -f "$T/nonroot-setambient.html" ]; then
  like "$(cat "$T/nonroot-setambient.html")" '>after the helper</th>' "set_ambient: a column for the program the helper execs"
  row=$(grep -o '<tr data-cap="CAP_NET_BIND_SERVICE".*</tr>' "$T/nonroot-setambient.html")
  like "$row" 'title="crio\.add: [^"]*"><span class="mark">\+</span>B P E I<.*<span class="mark">=</span>B P E I A</td><td></td></tr>$' \
    "set_ambient: gained from CRI-O's defaults (crio.add on hover), ambient after the helper"
fi

# ---- hostile names: markup, quotes, control characters, invalid UTF-8
printf '%s\n' 'kind: Pod' 'metadata: {name: "pod<script>alert(1)</script>"}' 'spec:' \
  '  securityContext: {runAsUser: 1000}' '  containers:' \
  '  - name: "web\"><img src=x onerror=alert(2)>\e[2J"' \
  "    image: \"img'\\u202e<b>\"" '    command: [/bin/nc]' \
  '    securityContext: {capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}' >"$T/hostile.yaml"
explain hostile "$T/hostile.yaml"
pages+=(hostile)
h=$(cat "$T/hostile.html")
[[ "$h" != *"<script"* && "$h" != *"<img"* && "$h" != *$'\xe2\x80\xae'* ]]
ok $? "hostile names: no <script> or <img> element, no raw bidi override in the page"
like "$h" 'image img&#39;\\u202e&lt;b&gt;' "the image name: quote, bidi override (U+202E) and markup as text"
like "$h" 'pod&lt;script&gt;alert\(1\)&lt;/script&gt;' "the pod name shown escaped"
like "$h" 'web&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;\\x1b\[2J' "the container name: quote, markup, ESC as text"
like "$h" '  - name: &quot;web\\&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;\\x1b\[2J&quot;' \
  "a remedy snippet shows the name as a YAML scalar (tests/cli/remedy-quoting), escaped once"
! grep -qF '\\x1b' "$T/hostile.html"
ok $? "text the library escaped (remedies) is not escaped twice: no \\\\x1b"
LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$T/hostile.html"
ok $((!$?)) "no control byte in the page"
iconv -f UTF-8 -t UTF-8 "$T/hostile.html" >/dev/null 2>&1
ok $? "the page is valid UTF-8"
# Fifteenth pass, second round: a browser draws a soft hyphen (U+00AD) only
# where it breaks a line, so a pod adding "NET_" U+00AD "ADMIN" and NET_ADMIN
# had a page saying: unknown capability "CAP_NET_ADMIN", two NET_ADMIN rows.
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - name: c' \
  '    image: "\u3164"' \
  '    securityContext: {capabilities: {drop: [ALL], add: ["NET_\u00adADMIN", NET_ADMIN]}}' \
  >"$T/shy.yaml"
explain shy "$T/shy.yaml"
h=$(cat "$T/shy.html")
[[ "$h" != *$'\xc2\xad'* && "$h" != *$'\xe3\x85\xa4'* ]]
ok $? "a soft hyphen and a Hangul filler: neither raw in the page"
like "$h" 'unknown capability &quot;CAP_NET_\\u00adADMIN&quot;' "…the unknown name shown as the terminal shows it"

# ---- scan of a tree built here
mkdir -p "$T/tree/bin"
for f in su sg ping plain; do cp /bin/true "$T/tree/bin/$f"; done
chmod 4755 "$T/tree/bin/su"
chmod 2755 "$T/tree/bin/sg"
evil=$'x<script>alert(3)<\\script>"\x1b\xff'
cp /bin/true "$T/tree/bin/$evil" && chmod 4755 "$T/tree/bin/$evil"
have_setcap=0
if [ "$(id -u)" -eq 0 ] && setcap cap_net_raw+ep "$T/tree/bin/ping" 2>/dev/null; then have_setcap=1; fi
"$CAPSCOPE" scan --html "$T/scan.html" "$T/tree" >"$T/scan.out" 2>&1
ok $? "scan --html: exit 0"
pages+=(scan)
s=$(cat "$T/scan.html")
like "$s" 'data-count="setuid">2<' "scan: two set-uid files counted"
like "$s" 'data-count="setgid">1<' "scan: one set-gid file counted"
if [ $have_setcap = 1 ]; then
  like "$s" 'data-count="fcaps">1<' "scan: one file with capabilities counted"
  like "$s" '/bin/ping</td>.*cap_net_raw=ep' "scan: ping's capabilities in its row"
else
  skip "scan: file capabilities need root and setcap"
  skip "scan: file capabilities need root and setcap"
fi
like "$s" 'x&lt;script&gt;alert\(3\)&lt;\\\\script&gt;&quot;\\x1b\\xff' "scan: a hostile file name (markup, quote, ESC, invalid UTF-8) escaped"
"$CAPSCOPE" scan --html "$T/scan2.html" "$T/tree" >/dev/null 2>&1
cmp -s "$T/scan.html" "$T/scan2.html"
ok $? "scan --html: byte-identical on a re-run"
"$CAPSCOPE" scan --html /nonexistent-dir/x.html "$T/tree" >/dev/null 2>"$T/scan.err"
rc=$?
# An operational error: 1 today, 2 once the exit codes are unified (CS_EXIT_ERROR).
ok $((rc == 0)) "scan --html into a missing directory fails (exit $rc)"
like "$(cat "$T/scan.err")" 'nonexistent-dir/x.html.*cannot create the HTML page' "and says which file"

"$CAPSCOPE" scan --html /dev/full "$T/tree" >/dev/null 2>"$T/scan.err"
rc=$?
ok $((rc == 0)) "scan --html to a full device fails (exit $rc)"
like "$(cat "$T/scan.err")" '/dev/full: writing the HTML page: No space left on device' "and says so"

# The same hostile name (ESC, invalid UTF-8) in --json and --sarif: the
# documents stay UTF-8 JSON (the invalid byte as U+FFFD), or a strict reader
# (Python's, GitHub's SARIF upload) refuses the whole report.
for fmt in --json --sarif; do
  "$CAPSCOPE" scan $fmt "$T/tree" >"$T/doc.json" 2>/dev/null
  python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$T/doc.json" 2>/dev/null
  ok $? "scan $fmt with an invalid UTF-8 file name: valid UTF-8 JSON"
done

# A page is written beside its path and renamed over it only when whole: a
# write that fails half way (a 2 KiB file size limit: EFBIG) leaves the page
# that was there, and no temporary file.
mkdir -p "$T/atomic"
echo '<p>the previous page</p>' >"$T/atomic/page.html"
(ulimit -f 2; trap '' XFSZ; "$CAPSCOPE" scan --html "$T/atomic/page.html" "$T/tree" >/dev/null 2>"$T/scan.err")
rc=$?
ok $((rc == 0)) "scan --html that cannot be written whole fails (exit $rc)"
is "$(cat "$T/atomic/page.html")" '<p>the previous page</p>' "and the previous page is still there, not half a new one"
is "$(ls -A "$T/atomic")" "page.html" "and no temporary file is left"
like "$(cat "$T/scan.err")" 'page.html: writing the HTML page: File too large' "and the message says why (not only EIO)"
(umask 027; "$CAPSCOPE" scan --html "$T/atomic/new.html" "$T/tree" >/dev/null 2>&1)
is "$(stat -c %a "$T/atomic/new.html")" 640 "a new page is created with the umask's mode, as before"
# A symbolic link (/dev/stdout is one) is followed, never replaced by a file.
ln -s /dev/null "$T/atomic/link.html"
"$CAPSCOPE" scan --html "$T/atomic/link.html" "$T/tree" >/dev/null 2>&1
ok $? "scan --html through a symbolic link to /dev/null: exit 0"
[ -L "$T/atomic/link.html" ] && [ "$(readlink "$T/atomic/link.html")" = /dev/null ]
ok $? "and the link is still the link, not a file"
is "$(ls -A "$T/atomic" | grep -c '^\.')" 0 "and no temporary file is left beside it"
# Nineteenth pass: a name of 250 bytes (NAME_MAX is 255) was refused: the
# temporary ".NAME.XXXXXX" beside it was 258 bytes (ENAMETOOLONG).
long=$(printf 'p%.0s' $(seq 245)).html
"$CAPSCOPE" scan --html "$T/atomic/$long" "$T/tree" >/dev/null 2>"$T/scan.err"
ok $? "scan --html of a 250-byte file name: exit 0 ($(head -c 80 "$T/scan.err"))"
grep -q '</html>' "$T/atomic/$long"
ok $? "and the page is there, whole"
is "$(ls -A "$T/atomic" | grep -c '^\.')" 0 "and no temporary file is left beside it"

# ---- trace: a short real trace (BPF); trace cannot render from its JSON
if "$CAPSCOPE" trace --verify --html "$T/trace.html" -- "$build/tests/helpers/trace-helper" \
  setuid-loop 3 >"$T/trace.out" 2>"$T/trace.err"; then
  pages+=(trace)
  t=$(cat "$T/trace.html")
  like "$t" '<tr data-cap="CAP_SETUID" data-site="check"><th>CAP_SETUID</th><td>3</td>' \
    "trace: CAP_SETUID granted 3 times"
  like "$t" 'data-profile="CAP_SETUID"' "trace: the least set is CAP_SETUID"
  like "$t" 'class="ok">capscope run: with only the least set it exited 0' "trace: the re-run verified it"
  # Tenth pass: a --html FILE that cannot be written was found after the
  # trace, so CMD had run (twice with --verify) before the error; and ''
  # wrote a temporary file, then failed to rename it, naming no file.
  for h in "" "$T/no-such-dir/t.html" "$T"; do
    rm -f "$T/ran"
    err=$("$CAPSCOPE" trace --verify --html "$h" -- touch "$T/ran" 2>&1 >/dev/null)
    is "$?" 2 "trace --html '$h': exit 2"
    [ ! -e "$T/ran" ]; ok $? "trace --html '$h': the command did not run"
    like "$err" "^capscope trace: --html: .*cannot create the HTML page: " "trace --html '$h': one error"
  done
else
  skip "trace --html: BPF tracing unavailable: $(head -c 200 "$T/trace.err")"
  for _ in 1 2 3 4 5 6 7 8 9; do skip "trace --html: BPF tracing unavailable"; done
fi
err=$("$CAPSCOPE" scan --html "" "$T" 2>&1 >/dev/null)
is "$err" "capscope scan: --html: cannot create the HTML page: an empty file name" "scan --html '': says the name is empty"
# Thirteenth pass: --html - made a file called "-" in the current directory
# (every input reads "-" as standard input; a reader expects standard output).
for c in "scan --html - $T" "explain pod --html - $CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml"; do
  err=$(cd "$T" && $CAPSCOPE $c 2>&1 >/dev/null)
  is "$?:$err" "2:capscope ${c%% --*}: --html: cannot create the HTML page: '-' is not standard output here (the report goes there); name a file (./- for one called -)" \
    "${c%% --*} --html -: refused, one line"
  [ ! -e "$T/-" ]; ok $? "…and no file called - is made"
done

# ---- the browser
cat >"$T/control.html" <<'H'
<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>control</title></head><body><p>control</p><img src="http://192.0.2.1/x.png"></body></html>
H
# Screenshots cost a second or more each on a busy machine: the pages that
# show each kind of flow get one, the others their DOM only.
shot=(nonroot-netbind anyuid nonroot-capset hostile scan trace)
files=()
for p in "${pages[@]}"; do [[ " ${shot[*]} " == *" $p "* ]] && files+=("$T/$p.html"); done
files+=(--no-shot)
for p in "${pages[@]}" control; do [[ " ${shot[*]} " == *" $p "* ]] || files+=("$T/$p.html"); done
mkdir -p "$T/out"
start=$SECONDS
msg=$(timeout 120 "$PY" "$CAPSCOPE_TOP/tests/cli/html-browser.py" "$T/out" "${files[@]}" 2>&1)
rc=$?
if [ $rc = 77 ] || ! command -v chromium >/dev/null; then
  skip "headless Chromium: ${msg:-not installed (Debian package chromium)}"
  done_testing
fi
ok $rc "Chromium loaded $((${#pages[@]} + 1)) pages in $((SECONDS - start)) s${msg:+: $msg}"

# Every page asked for itself and nothing else; the control page's image was seen.
for p in "${pages[@]}"; do
  is "$(cat "$T/out/$p.requests" 2>/dev/null)" "file://$T/$p.html" "$p: no request but the page itself"
done
like "$(cat "$T/out/control.requests")" 'http://192\.0\.2\.1/x\.png' \
  "control: an external image is seen (so the check above can fail)"

# The DOM the browser built.
dom() { cat "$T/out/$1.dom" 2>/dev/null; }
d=$(dom nonroot-netbind)
for col in "pod request" "runtime (OCI)" "runc, before execve" "after execve" verdict; do
  like "$d" "<th[^>]*>${col//[()]/.}</th>" "DOM: stage column '$col'"
done
like "$d" '<tr data-cap="CAP_NET_BIND_SERVICE" class="req"><th>CAP_NET_BIND_SERVICE</th>' "DOM: the capability row"
like "$d" 'class="dropped" data-state="dropped"[^>]*><span class="mark">−</span>B<' \
  "DOM: the dropped marker after execve (− B: bounding only)"
like "$d" 'Remedies, lowest risk first.*hostUsers: false' "DOM: remedies with their snippets"
d=$(dom anyuid)
like "$d" '<th[^>]*>SCC admission</th>' "DOM (anyuid): the SCC admission column"
like "$d" 'data-state="dropped"[^>]*><span class="mark">−</span>drop \(SCC\)' "DOM (anyuid): the SCC's required drops"
like "$d" 'data-verdict="effective-root"' "DOM (anyuid): NET_BIND_SERVICE effective as root"
[ -f "$T/out/nonroot-capset.dom" ] &&
  like "$(dom nonroot-capset)" 'Entrypoint: <code>/usr/bin/nc</code>, mode 0755, owner 0, file capabilities <code>cap_net_bind_service=ep</code>' \
    "DOM (capset): the entrypoint's file capabilities"
d=$(dom hostile)
like "$d" 'Container web"&gt;&lt;img src=x onerror=alert\(2\)&gt;\\x1b\[2J' "DOM (hostile): the name is text"
[[ "$d" != *"<img"* && "$d" != *"<script"* ]]
ok $? "DOM (hostile): the browser built no img or script element"
like "$(dom scan)" '<table class="findings">.*/bin/su</td>' "DOM (scan): the findings table"
[ -f "$T/out/trace.dom" ] && like "$(dom trace)" 'Least set.*CAP_SETUID' "DOM (trace): the least set"

# Screenshots: not blank, and the flow's colours (gained, kept, dropped) are on them.
shots=$("$PY" - "$T/out" "${shot[@]}" <<'P' 2>&1
import sys
try:
    from PIL import Image
except ImportError:
    print("SKIP no python3-pil"); sys.exit(0)
out = sys.argv[1]
for p in sys.argv[2:]:
    try:
        im = Image.open(f"{out}/{p}.png").convert("RGB")
    except FileNotFoundError:
        continue  # a page this run did not make (no root, no BPF)
    im = Image.open(f"{out}/{p}.png").convert("RGB")
    px = list(im.getdata())
    ink = sum(1 for c in px if c != (255, 255, 255)) / len(px)
    colours = set(px)
    near = lambda want: any(all(abs(a - b) <= 4 for a, b in zip(c, want)) for c in colours)
    flow = "".join(k for k, rgb in (("g", (0xbf, 0xea, 0xbf)), ("k", (0xdd, 0xe8, 0xf6)),
                                    ("d", (0xf6, 0xc4, 0xc4))) if near(rgb))
    print(p, im.size[0], im.size[1], f"{ink:.3f}", len(colours), flow or "-")
P
)
if [[ "$shots" == SKIP* ]]; then
  skip "screenshots: ${shots#SKIP }"
else
  while read -r p w h ink ncol flow; do
    ok $([ "$w" = 1200 ] && [ "$h" = 900 ] && awk "BEGIN{exit !($ink > 0.02)}" && [ "$ncol" -ge 8 ] && echo 0 || echo 1) \
      "screenshot $p: ${w}x$h, $ink of it not white, $ncol colours"
    case $p in
    nonroot-netbind) is "$flow" gkd "screenshot $p: gained, kept and dropped cells visible" ;;
    anyuid) like "$flow" 'k.*d|kd' "screenshot $p: kept and dropped cells visible" ;;
    esac
  done <<<"$shots"
fi
done_testing
