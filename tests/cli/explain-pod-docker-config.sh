#!/usr/bin/env bash
# asan-too
# capscope explain pod --runtime docker --docker-config: dockerd's
# daemon.json. no-new-privileges: true gives every container no_new_privs,
# so a set-uid root entrypoint stays uid 1000 with nothing (the case
# dockerd 20.10.24 showed: NoNewPrivs 1, tests/truth/docker-daemon-json.sh);
# a file dockerd refuses is one error with file:line:column and the key;
# userns-remap is refused rather than predicted (fifteenth pass, part Q).
source "$(dirname "$0")/../lib/tap.sh"
need_root # the set-uid root entrypoint: chmod u+s on a root-owned copy
command -v jq >/dev/null || skip_all "jq is not installed"
tap_tmpdir
mkdir -p "$T/root/usr/bin" "$T/root/etc"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/:/bin/sh\n' >"$T/root/etc/passwd"
cp /bin/true "$T/root/usr/bin/nc"
chown 0:0 "$T/root/usr/bin/nc"
chmod 4755 "$T/root/usr/bin/nc"
cat >"$T/pod.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: x
    command: ["/usr/bin/nc"]
    securityContext:
      runAsUser: 1000
      privileged: PRIV
Y
sed 's/PRIV/false/' "$T/pod.yaml" >"$T/p.yaml"
sed 's/PRIV/true/' "$T/pod.yaml" >"$T/priv.yaml"
P=(explain pod --json --runtime docker@20.10 --rootfs "$T/root")
cj() { # jq-filter, args… → value for container 0
  local f=$1; shift
  "$CAPSCOPE" "${P[@]}" "$@" 2>"$T/err" | jq -r ".containers[0] | $f"
}

# 1. no daemon.json: the set-uid bit gives euid 0 and Docker's defaults
is "$(cj '[.process.uids[1], .process.caps.effective.mask, .oci.no_new_privs] | join(" ")' "$T/p.yaml")" \
  "0 0x00000000a80425fb false" "no daemon.json: set-uid root raises euid 0 and the defaults"

# 2. {"no-new-privileges": true}: no gain, on a privileged container too
printf '{\n  "debug": false,\n  "no-new-privileges": true\n}\n' >"$T/nnp.json"
is "$(cj '[.process.uids[1], .process.caps.effective.mask, .oci.no_new_privs] | join(" ")' --docker-config "$T/nnp.json" "$T/p.yaml")" \
  "1000 0x0000000000000000 true" "no-new-privileges: set-uid gives nothing, noNewPrivileges true"
is "$(cj '.oci.no_new_privs' --docker-config "$T/nnp.json" "$T/priv.yaml")" "true" \
  "no-new-privileges: a privileged container gets it too"
is "$(cj '[.steps[] | select(.rule == "docker.daemon-no-new-privileges")] | length' --docker-config "$T/nnp.json" "$T/p.yaml")" \
  "1" "the step says where it comes from"
"$CAPSCOPE" explain pod --runtime docker@20.10 --rootfs "$T/root" --docker-config "$T/nnp.json" "$T/p.yaml" >"$T/out" 2>&1
like "$(cat "$T/out")" "nnp.json:3:3: daemon.json's no-new-privileges" "text output names file, line and column"

# 3. what dockerd refuses: one line, file:line:column: key
printf '{\n  "debug": true,\n  "no-new-privilege": true\n}\n' >"$T/typo.json"
"$CAPSCOPE" "${P[@]}" --docker-config "$T/typo.json" "$T/p.yaml" >"$T/out" 2>"$T/err"
ok $([ $? -eq 2 ] && [ ! -s "$T/out" ] && echo 0 || echo 1) "unknown key: exit 2, nothing on stdout"
is "$(wc -l <"$T/err")" "1" "unknown key: one line"
like "$(cat "$T/err")" "typo.json:3:3: no-new-privilege: no option of dockerd 20.10" "unknown key: file:line:column: key"
printf '{"no-new-privileges": "true"}' >"$T/str.json"
"$CAPSCOPE" "${P[@]}" --docker-config "$T/str.json" "$T/p.yaml" >"$T/out" 2>"$T/err"
like "$(cat "$T/err")" "str.json:1:23: no-new-privileges.*true or false" "a string for a boolean: refused where it is"

# 4. userns-remap: dockerd starts, capscope does not predict
printf '{"userns-remap": "default"}' >"$T/remap.json"
"$CAPSCOPE" "${P[@]}" --docker-config "$T/remap.json" "$T/p.yaml" >"$T/out" 2>"$T/err"
ok $([ $? -eq 2 ] && [ ! -s "$T/out" ] && echo 0 || echo 1) "userns-remap: no prediction"
like "$(cat "$T/err")" "remap.json:1:2: userns-remap: .*does not model it" "userns-remap: says why"

# 5. usage
"$CAPSCOPE" explain pod --docker-config "$T/nnp.json" "$T/p.yaml" >/dev/null 2>"$T/err"
like "$(head -1 "$T/err")" "goes with --runtime docker@20.10" "--docker-config without --runtime docker: usage error"
"$CAPSCOPE" explain pod --runtime docker@28 --docker-config "$T/nnp.json" "$T/p.yaml" >/dev/null 2>"$T/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--docker-config with docker@28: usage error (20.10's keys only)"
"$CAPSCOPE" "${P[@]}" --docker-config "$T/none.json" "$T/p.yaml" >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "none.json: cannot read" "a missing file: named"
done_testing
