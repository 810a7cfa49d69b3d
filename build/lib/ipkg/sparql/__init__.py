"""The query gate and the SPARQL protocol's result formats: what stands between a client and the store."""
