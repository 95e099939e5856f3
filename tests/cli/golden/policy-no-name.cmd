policy vap --caps NET_RAW
