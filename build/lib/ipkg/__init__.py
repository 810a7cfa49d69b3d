"""ipkg: a knowledge graph of intellectual-property policy (ontology, data, SPARQL, eligibility)."""

__version__ = "0.1.0"
