# shellcheck shell=bash
# refused DESCRIPTION FILE REGEX: FILE is refused by lint and explain pod, in
# text and --json, with exit 2, one line on stderr naming the file and what
# REGEX matches after "FILE:" (line, column, field), and nothing on stdout.
# Shared by the suites of keys that are not fields (unknown-fields,
# fields-whole, strict-depth, api-values). Needs tap.sh and $CAPSCOPE;
# writes out and err in the cwd.
refused() {
  local what=$1 f=$2 re=$3 cmd
  for cmd in "lint" "lint --json" "explain pod" "explain pod --json"; do
    # shellcheck disable=SC2086
    "$CAPSCOPE" $cmd "$f" >out 2>err
    is "$?" 2 "$what: $cmd: exit 2"
    is "$(wc -l <err)" 1 "$what: $cmd: one line on stderr"
    like "$(cat err)" "^capscope ${cmd%% --json}: $f:$re" "$what: $cmd: file, line, column, field"
    is "$(wc -c <out)" 0 "$what: $cmd: nothing on stdout"
  done
}

# pod FILE CONTAINER-LINES [SPEC-LINES]: a one-container Pod (container a,
# image img) with the container's lines (indented 4) and the pod spec's
# (indented 2) added. Shared by api-values, fields-whole and strict-depth.
pod() { # file, the container's lines (indented 4), the pod spec's lines (indented 2)
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: img\n%s\n%s\n' "$2" "${3:-}" >"$1"
}
