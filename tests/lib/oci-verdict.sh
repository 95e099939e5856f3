# explain oci's execve verdict for a bundle, in the words the E2BIG tests
# compare with the kernel's: "starts", "E2BIG" or "other: <its error>".
# Sourced after tap.sh; writes DIR/out.json and DIR/err.
oci_exec_verdict() { # DIR
  "$CAPSCOPE" explain oci --caller root --json "$1" >"$1/out.json" 2>"$1/err"
  case $(jq -r '[.exec.ok, .exec.error] | @tsv' "$1/out.json" 2>/dev/null) in
    "true"*) echo starts ;;
    "false	E2BIG") echo E2BIG ;;
    *) echo "other: $(head -c 200 "$1/err")" ;;
  esac
}
