# explain oci's execve verdict for a bundle, in the words the E2BIG tests
# compare with the kernel's: "starts", "E2BIG" or "other: <its error>".
# Sourced after tap.sh; writes DIR/out.json and DIR/err. Options after
# DIR (--image ARCHIVE) go before it.
oci_exec_verdict() { # DIR [OPTION...]
  "$CAPSCOPE" explain oci --caller root --json "${@:2}" "$1" >"$1/out.json" 2>"$1/err"
  case $(jq -r '[.exec.ok, .exec.error] | @tsv' "$1/out.json" 2>/dev/null) in
    "true"*) echo starts ;;
    "false	E2BIG") echo E2BIG ;;
    *) echo "other: $(head -c 200 "$1/err")" ;;
  esac
}
