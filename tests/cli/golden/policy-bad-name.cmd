policy kyverno --name 'x: y' --caps NET_RAW
