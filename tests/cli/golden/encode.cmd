encode NET_BIND_SERVICE CAP_NET_RAW,cap_chown "41 cap_63" "cap_net_raw+ep cap_chown=i" "cap_chown=ep cap_chown-e"
