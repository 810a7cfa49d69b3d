"""The fast reasoner may serve the build only because it entails what owlrl entails on our data."""

from __future__ import annotations

from ipkg import reasoning, sources

ID = "https://w3id.org/ipkg/id/"


def test_reasonable_and_owlrl_agree_on_instance_entailments(built):
    src = sources.load(built)
    keep = {"ontology", "schemes", "reference", "cnipa-fee-guide-2025"}  # a real slice; owlrl is slow on everything
    asserted = [g for k, g in src.graphs.items() if k.rsplit("/", 1)[-1] in keep]
    fast = reasoning.closure(asserted, "reasonable")
    reference = reasoning.closure(asserted, "owlrl")
    instance = lambda g: {t for t in g if str(t[0]).startswith(ID)}
    assert instance(fast) == instance(reference)
    assert len(instance(fast)) > 500
    # what owlrl adds beyond that is schema-level only (no instance IRIs as subjects)
    assert not instance(set(reference) - set(fast))
