#!/usr/bin/env bash
# asan-too
# Every file capscope reads as a program's configuration (config.toml, a
# base_runtime_spec, crio.conf and its drop-ins, daemon.json, an SCC file,
# a manifest, a bundle's config.json, --image-config, lint --config,
# policy --profile) that is a FIFO with no writer, a character device or a
# directory: one line naming the file and what the program would do, exit
# 2, never a wait (twenty-first pass, part E: each of them waited in open()
# for a writer, for ever). A pipe with a writer is read as before
# (`<(...)`). Every run is under `timeout`, so a regression fails here
# instead of hanging the suite.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

mkfifo fifo
mkdir dir
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\nbase_runtime_spec = "%s"\n' \
  "$T/fifo" >base-fifo.toml
mkdir -p b crio.d && mkfifo b/config.json crio.d/01-fifo.conf

# run NAME ARGS...: stdout+stderr, then "exit N"; 124 is timeout's
run() { timeout 10 "$CAPSCOPE" "$@" 2>&1 | tail -n 3; echo "exit ${PIPESTATUS[0]}"; }
one_line() { # got file reader description
  like "$1" "^capscope [a-z ]+: ([-a-z ]+: )?$2: a FIFO or pipe with no writer and nothing in it: ${3:+$3 would wait for one; }capscope does not wait for a writer.exit 2\$" "$4"
}

one_line "$(run explain pod --runtime containerd@1.7 --containerd-config fifo pod.yaml)" fifo containerd \
  "--containerd-config a FIFO: refused at once, containerd named"
out=$(run explain pod --runtime containerd@1.7 --containerd-config base-fifo.toml pod.yaml)
like "$out" "fifo: the base_runtime_spec of runtime 'runc' \(base-fifo\.toml:3:[0-9]+\): a FIFO or pipe with no writer and nothing in it: containerd would wait for one; capscope does not wait for a writer.exit 2\$" \
  "base_runtime_spec a FIFO: refused, the spec and config.toml named"
one_line "$(run explain pod --runtime crio@1.28 --crio-config fifo pod.yaml)" fifo CRI-O \
  "--crio-config a FIFO: refused, CRI-O named"
one_line "$(run explain pod --runtime crio@1.28 --crio-config crio.d pod.yaml)" 'crio\.d/01-fifo\.conf' CRI-O \
  "a crio.conf.d drop-in that is a FIFO: refused, the drop-in named"
one_line "$(run explain pod --runtime docker@20.10 --docker-config fifo pod.yaml)" fifo dockerd \
  "--docker-config (daemon.json) a FIFO: refused, dockerd named"
one_line "$(run explain pod --scc fifo pod.yaml)" fifo kubectl "--scc FILE a FIFO: refused"
one_line "$(run explain pod fifo)" fifo kubectl "explain pod of a FIFO manifest: refused"
one_line "$(run policy scc fifo)" fifo kubectl "policy scc of a FIFO manifest: refused"
one_line "$(run explain pod --image-config fifo pod.yaml)" fifo "" "--image-config a FIFO: refused"
one_line "$(run explain oci b)" 'b/config\.json' runc "explain oci, config.json a FIFO: refused, runc named"
one_line "$(run lint fifo)" fifo kubectl "lint of a FIFO: refused"
one_line "$(run lint --config fifo pod.yaml)" fifo "" "lint --config a FIFO: refused"
one_line "$(run policy scc --profile fifo)" fifo "" "policy --profile a FIFO: refused"

# A character device and a directory: named, not read to capscope's limit
like "$(run explain pod --runtime containerd@1.7 --containerd-config /dev/zero pod.yaml)" \
  "^capscope explain pod: --containerd-config: /dev/zero: a character device, not a regular file: containerd would read it as one \(/dev/zero without end\); capscope reads a regular file or a pipe.exit 2\$" \
  "--containerd-config /dev/zero: refused as a device, not read 4 MiB"
like "$(run explain pod /dev/zero)" "^capscope explain pod: /dev/zero: a character device, not a regular file: kubectl would" \
  "explain pod /dev/zero: refused as a device"
like "$(run explain pod --runtime docker@20.10 --docker-config dir pod.yaml)" \
  "^capscope explain pod: --docker-config: dir: a directory, not a file: dockerd cannot read it either.exit 2\$" \
  "--docker-config a directory: named as one"

# A pipe with a writer is read to its end, as before (even one slow to write)
like "$(timeout 10 "$CAPSCOPE" explain pod <(sleep 1; cat pod.yaml) 2>&1; echo "exit $?")" "^Pod p \(/dev/fd/[0-9]+:1\)" \
  "explain pod <(slow writer): read"
like "$(timeout 10 "$CAPSCOPE" lint <(cat pod.yaml) 2>&1; echo "exit $?")" "1 object\(s\) in 1 file\(s\)" \
  "lint <(...): read"
printf 'version = 2\n' >plain.toml
like "$(timeout 10 "$CAPSCOPE" explain pod --runtime containerd@1.7 --containerd-config <(cat plain.toml) pod.yaml 2>&1; echo "exit $?")" \
  "exit [01]\$" "--containerd-config <(...): read"
done_testing
