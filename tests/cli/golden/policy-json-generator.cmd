policy vap --json --name x --caps NET_RAW
