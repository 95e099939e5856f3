policy gatekeeper --name web-caps --namespace shop --caps NET_BIND_SERVICE
