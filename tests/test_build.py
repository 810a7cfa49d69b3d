"""The build pipeline: named graphs, inferred triples apart, refusal of invalid data, deterministic dumps."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset

from ipkg.build import BuildError, build, compile_dataset
from ipkg.cli import main as cli

DATA = Path(__file__).parent / "data"
GRAPH = "https://w3id.org/ipkg/graph/"


def _copy_project(built, tmp_path: Path) -> Path:
    """A small real project: the ontology, the shapes and the reference data (enough to test refusals fast)."""
    root = tmp_path / "project"
    for part in ("ontology", "shapes", "data/reference"):
        shutil.copytree(built.root / part, root / part)
    return root


def test_named_graphs_one_per_source_plus_ontology_schemes_shapes_inferred(built):
    ds = Dataset()
    ds.parse(built.dist_path / "ipkg.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    for name in ("ontology", "schemes", "shapes", "reference", "inferred", "cnipa-fee-guide-2025"):
        assert GRAPH + name in names


def test_inferred_graph_holds_only_what_was_not_asserted(built):
    ds = Dataset()
    ds.parse(built.dist_path / "ipkg.trig", format="trig")
    inferred = ds.graph(ds.graph(GRAPH + "inferred").identifier)
    asserted = set()
    for g in ds.graphs():
        if str(g.identifier) != GRAPH + "inferred":
            asserted.update(g)
    assert len(inferred) > 0
    assert not (set(inferred) & asserted)


def test_closure_infers_transitive_place_hierarchy_and_superclasses(kg):
    # ipkg:partOf is transitive and Place is a schema:Place: both only by inference.
    assert kg.ask("ASK { GRAPH <https://w3id.org/ipkg/graph/inferred> { <place/cn-jilin> a schema:Place } }")
    assert kg.ask("ASK { GRAPH <https://w3id.org/ipkg/graph/inferred> { <authority/cnipa> a org:Organization } }")


def test_dumps_are_deterministic(built, tmp_path):
    again = dataclasses.replace(built, store_path=tmp_path / "store", dist_path=tmp_path / "dist")
    build(again)
    for name in ("ipkg.nq", "ipkg.trig", "ipkg.nq.gz", "graph/shapes.jsonld", "graph/inferred.jsonld", "context.jsonld"):
        first = hashlib.sha256((built.dist_path / name).read_bytes()).hexdigest()
        second = hashlib.sha256((again.dist_path / name).read_bytes()).hexdigest()
        assert first == second, name
    assert gzip.decompress((again.dist_path / "ipkg.nq.gz").read_bytes()) == (again.dist_path / "ipkg.nq").read_bytes()


def test_invalid_data_fails_the_build_and_leaves_the_store_untouched(built, tmp_path):
    root = _copy_project(built, tmp_path)
    shutil.copy(DATA / "broken" / "fee-without-provenance.ttl", root / "data" / "reference" / "broken.ttl")
    settings = dataclasses.replace(built, root=root, store_path=tmp_path / "store", dist_path=tmp_path / "dist")
    with pytest.raises(BuildError) as info:
        build(settings)
    report = info.value.violations
    focus = [v for v in report if v.focus.endswith("fee/broken-fixture")]
    assert {re.split("[/#]", v.path)[-1] for v in focus} >= {"wasDerivedFrom", "feeCategory", "hasValue", "currency"}
    assert all(v.file == "data/reference/broken.ttl" for v in focus)
    assert not (tmp_path / "store").exists() and not (tmp_path / "dist").exists()


def test_validate_command_reports_and_exits_non_zero(built, tmp_path, capsys):
    root = _copy_project(built, tmp_path)
    shutil.copy(DATA / "broken" / "fee-without-provenance.ttl", root / "data" / "reference" / "broken.ttl")
    assert cli(["--root", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "fee/broken-fixture" in err and "data/reference/broken.ttl" in err
    assert "needs prov:wasDerivedFrom" in err


def test_broken_turtle_names_the_file(built, tmp_path):
    root = _copy_project(built, tmp_path)
    shutil.copy(DATA / "broken" / "bad-syntax.ttl", root / "data" / "reference" / "bad-syntax.ttl")
    with pytest.raises(BuildError, match=r"bad-syntax\.ttl"):
        compile_dataset(dataclasses.replace(built, root=root))
