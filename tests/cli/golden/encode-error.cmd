encode "cap_chown+ep cap_bogus+e"
