# needs-fcaps
file set "cap_chown+ep cap_kill+p" plain
