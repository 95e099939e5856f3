#!/usr/bin/env bash
# asan-too
# A library message quotes a value with the format's own quote ('%s'):
# a quote inside the value is doubled (lib/msg-format.c, in every message
# cs_vformat_cut fills), so the value cannot end its quotation early and
# add words of its own; no backslash, as the message is escaped once where
# it is printed (sixteenth pass: 'a'b 'c' read as two quoted values).
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

err=$("$CAPSCOPE" run --user "a'b 'c" -- /bin/true 2>&1)
is "$?" 2 "run --user: a usage error"
is "$(head -1 <<<"$err")" "capscope run: --user: no such user 'a''b ''c'" "run: the user's quotes doubled"

printf "apiVersion: \"v1' x\"\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n" >av.yaml
err=$("$CAPSCOPE" explain pod av.yaml 2>&1)
like "$err" "apiVersion: 'v1'' x' serves no Pod" "explain pod: the apiVersion's quote doubled"
# A value with the other quote is left as it is.
printf 'apiVersion: "v1\\" x"\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >av2.yaml
err=$("$CAPSCOPE" explain pod av2.yaml 2>&1)
like "$err" "apiVersion: 'v1\" x' serves no Pod" "explain pod: the other quote kept"
done_testing
