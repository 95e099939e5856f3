policy vap --name x --caps NET_RAW,ALL
