"""The typed readers that the strict type check brought into the core: what they read from the
graph, and that each says so when a value breaks the promise of its type (a rulebook variable of
another datatype, an unbound variable where the pattern always binds one, a build record that is
not a JSON object, a dump triple with a literal subject)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ipkg import export, release
from ipkg.eligibility.rules import Row, Rulebook, is_flags
from ipkg.store import bound, integer, language

ID = "https://w3id.org/ipkg/id/"


def test_a_row_reads_each_variable_as_its_datatype() -> None:
    row = Row(["iri", "year", "rate", "day", "yes", "label", "gone"],
              (URIRef(ID + "fee/x"), Literal(3), Literal("0.5", datatype=XSD.decimal),
               Literal("2024-04-01", datatype=XSD.date), Literal(True), Literal("Filing fee", lang="en"), None))
    assert row["iri"] == ID + "fee/x"
    assert row.integer("year") == 3
    assert row.decimal("rate") == Decimal("0.5")
    assert row.date("day") == dt.date(2024, 4, 1)
    assert row.flag("yes") is True
    assert row.text("label") == "Filing fee"
    assert "gone" not in row
    assert (row.text("gone"), row.integer("gone"), row.decimal("gone"), row.date("gone"), row.flag("gone")) == (None,) * 5
    with pytest.raises(KeyError):
        row["gone"]


def test_a_row_refuses_a_value_of_another_type() -> None:
    row = Row(["yf", "b"], (Literal("2.5", datatype=XSD.decimal), Literal("yes")))
    with pytest.raises(TypeError, match=r"\?yf is not an integer: Decimal\('2.5'\)"):
        row.integer("yf")
    with pytest.raises(TypeError, match=r"\?b is not a boolean: 'yes'"):
        row.flag("b")


def test_bound_names_an_unbound_variable() -> None:
    term = URIRef(ID + "programme/x")
    assert bound(term) is term
    with pytest.raises(TypeError, match="unbound variable"):
        bound(None)


def test_integer_and_language_read_count_cells_and_label_tags() -> None:
    """The readers browse, search, citation and calendar use for COUNT cells, line numbers and label tags."""
    assert integer(Literal(4047)) == 4047 and integer(Literal("27", datatype=XSD.integer)) == 27
    with pytest.raises(TypeError, match="unbound variable"):
        integer(None)
    assert language(Literal("特許法", lang="ja")) == "ja"
    assert language(Literal("untagged")) == "" and language(URIRef(ID + "place/cn")) == "" and language(None) == ""


def test_benefit_dimensions_and_amounts_are_read_typed(kg) -> None:
    """Yunnan's per-application funding of service inventions (funding-yunnan.ttl): 270 CNY for a
    filed domestic invention patent application that is a service invention."""
    benefit = Rulebook(kg.store).benefits[ID + "benefit/yunnan-funding-invention-domestic-service-filed"]
    assert benefit.dims["serviceInvention"] == [True] and is_flags(benefit.dims["serviceInvention"])
    assert benefit.dims["ipRight"] == [ID + "concept/ip-right/invention-patent"] and not is_flags(benefit.dims["ipRight"])
    assert benefit.dims["status"] == [ID + "concept/filing-status/filed"]
    assert benefit.amount == {"value": Decimal("270.0"), "currency": "CNY"}
    assert benefit.per_unit == ID + "concept/unit/application"


def test_a_build_record_that_is_not_a_json_object_reads_as_none(tmp_path) -> None:
    assert release.build_record(tmp_path) == {}  # no build.json
    (tmp_path / "build.json").write_text("[1, 2]", encoding="utf-8")
    assert release.build_record(tmp_path) == {}
    (tmp_path / "build.json").write_text("{not json", encoding="utf-8")
    assert release.build_record(tmp_path) == {}
    (tmp_path / "build.json").write_text(json.dumps({"sourcesDigest": "abc"}), encoding="utf-8")
    assert release.build_record(tmp_path) == {"sourcesDigest": "abc"}


def test_a_dump_refuses_a_literal_subject_and_keeps_blank_nodes() -> None:
    graph = ID + "graph/x"
    quad = export._quad(BNode("b1"), URIRef(ID + "p"), Literal("x", lang="en"), graph)
    assert (str(quad.subject), str(quad.object), export._graph_name(quad)) == ("_:b1", '"x"@en', graph)
    with pytest.raises(TypeError, match="not an RDF triple"):
        export._quad(Literal("s"), URIRef(ID + "p"), URIRef(ID + "o"), graph)
