policy kyverno --name web-caps --caps cap_net_bind_service,NET_RAW
