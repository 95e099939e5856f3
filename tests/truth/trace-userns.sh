#!/usr/bin/env bash
# The user namespace of each check (issue 11 item 6). One bind of port 443
# three ways, each in a network namespace the test creates:
#   initial  a netns of the initial user namespace (the node's own kind)
#   own      unshare -U -r: root of a new user namespace binds in the netns
#            that namespace owns (what a pod with hostUsers: false does)
#   other    the host's root enters a netns owned by a child user namespace
# and a chown inside the new user namespace of a file it owns, versus one
# on the node. The profile must say which capabilities were needed only
# inside a user namespace.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
command -v unshare >/dev/null || skip_all "unshare (util-linux) missing"
command -v nsenter >/dev/null || skip_all "nsenter (util-linux) missing"
command -v ip >/dev/null || skip_all "ip (iproute2) missing"
unshare -U -r true 2>/dev/null || skip_all "this kernel does not let root create a user namespace"
tap_tmpdir
chmod 755 "$T"

row() { jq -c --arg c "$1" '.checks[] | select(.capability == $c) | [.user_namespaces[] | .kind]'; }
only() { jq -c '.profile.only_in_child_user_namespaces'; }

# initial: a new netns, still owned by the initial user namespace.
out=$("$CAPSCOPE" trace --json -- unshare --net sh -c "ip link set lo up && exec $HELPER bind 443")
is "$(row CAP_NET_BIND_SERVICE <<<"$out")" '["initial"]' "netns of the initial user namespace: the bind is checked there"
is "$(only <<<"$out")" '[]' "…so it is needed on the node"

# own: root of a new user namespace binds in the netns it owns.
out=$("$CAPSCOPE" trace --json -- unshare -U -r --net sh -c "ip link set lo up && exec $HELPER bind 443")
like "$(jq -r .exit_status <<<"$out")" '^0$' "root of a new user namespace binds 443 in its own netns"
is "$(row CAP_NET_BIND_SERVICE <<<"$out")" '["own"]' "the bind is checked in its own user namespace"
like "$(only <<<"$out")" '"CAP_NET_BIND_SERVICE"' "profile: NET_BIND_SERVICE needed only inside a user namespace"
is "$(jq -c '.profile.by_user_namespace.initial | index("CAP_NET_BIND_SERVICE")' <<<"$out")" null \
  "…and not among the capabilities used against the initial one"
text=$("$CAPSCOPE" trace -- unshare -U -r --net sh -c "ip link set lo up && exec $HELPER bind 443" 2>&1)
like "$(grep '^CAP_NET_BIND_SERVICE ' <<<"$text")" ' own ' "text: the USERNS column says own"
like "$text" 'needed only inside a user namespace, never on the node: [A-Z_,]*CAP_NET_BIND_SERVICE' \
  "text: the profile says so"
ev=$("$CAPSCOPE" trace --events -- unshare -U -r --net sh -c "ip link set lo up && exec $HELPER bind 443" 2>&1)
like "$(grep ' CAP_NET_BIND_SERVICE ' <<<"$ev" | head -n1)" 'granted +bind +own$' "--events: the event says own"

# other: the host's root in a netns owned by a child user namespace.
unshare -U -r --net sh -c 'ip link set lo up && echo up && exec sleep 60' >"$T/ns.out" &
holder=$!
for _ in $(seq 50); do grep -q up "$T/ns.out" 2>/dev/null && break; sleep 0.1; done
ino=$(stat -L -c %i "/proc/$holder/ns/user")
out=$("$CAPSCOPE" trace --json -- nsenter --net="/proc/$holder/ns/net" "$HELPER" bind 443)
kill "$holder"
is "$(row CAP_NET_BIND_SERVICE <<<"$out")" '["other"]' "host root binding in a child user namespace's netns: other"
is "$(jq -c '.checks[] | select(.capability == "CAP_NET_BIND_SERVICE") | .user_namespaces[0].inodes' <<<"$out")" \
  "[$ino]" "…with that user namespace's inode number ($ino)"

# chown: of a file owned in the new user namespace, versus on the node.
touch "$T/f"
out=$("$CAPSCOPE" trace --json -- chown 1000 "$T/f")
is "$(row CAP_CHOWN <<<"$out")" '["initial"]' "chown on the node: initial"
# Inside: a new user namespace whose root is host root and whose uid 1000 is
# host uid 101000 (unshare -r maps only root, and newuidmap is not needed:
# the outer shell, root on the node, writes the maps itself).
mkdir "$T/m" && mkfifo "$T/go"
inner="read _ <$T/go && mount -t tmpfs none $T/m && touch $T/m/g && chown 1000 $T/m/g"
outer="unshare -U -m sh -c '$inner' & c=\$!
  while [ \"\$(stat -L -c %i /proc/\$c/ns/user)\" = \"\$(stat -L -c %i /proc/self/ns/user)\" ]; do sleep 0.05; done
  printf '0 0 1\n1000 101000 1\n' >/proc/\$c/uid_map && printf '0 0 1\n' >/proc/\$c/gid_map
  echo >$T/go; wait \$c"
out=$("$CAPSCOPE" trace --json -- sh -c "$outer")
is "$(jq -r .exit_status <<<"$out")" 0 "chown to uid 1000 in a tmpfs mounted inside a new user namespace works"
is "$(row CAP_CHOWN <<<"$out")" '["own"]' "…and is checked in its own user namespace"
like "$(only <<<"$out")" '"CAP_CHOWN"' "profile: CHOWN needed only inside a user namespace"
done_testing
