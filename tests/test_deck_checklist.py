"""Completeness of the JPO 2025 deck (source 002): every item of the checklists in tests/data/
(one row per programme, organisation, network, agreement, figure or event, with the line naming
it) is in the graph with the class of its kind and cites a locator of that line."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

ID = "https://w3id.org/ipkg/id/"
DOC = ID + "doc/jpo-ip-ecosystem-2025"
CLASS_OF = {"programme": "ipkg:Programme", "organisation": "org:Organization", "network": "ipkg:Network",
            "agreement": "ipkg:LegalInstrument", "figure": "ipkg:Figure", "event": "ipkg:Event"}
CHECKLISTS = sorted((Path(__file__).parent / "data").glob("checklist-002-*.tsv"))


def rows() -> list[dict]:
    out = []
    for path in CHECKLISTS:
        with path.open(encoding="utf-8", newline="") as f:
            out += [dict(r, file=path.name) for r in csv.DictReader(f, delimiter="\t")]
    return out


def test_the_checklists_cover_every_part_of_the_deck():
    # deck-a: lines 1-1000, deck-b: 1000-2105, deck-c: 2106-3308
    assert [p.name for p in CHECKLISTS] == ["checklist-002-deck-a.tsv", "checklist-002-deck-b.tsv", "checklist-002-deck-c.tsv"]
    kinds = Counter(r["kind"] for r in rows())
    assert set(kinds) <= set(CLASS_OF)
    assert kinds["programme"] >= 122 and kinds["organisation"] >= 103 and kinds["figure"] >= 125
    assert kinds["network"] + kinds["agreement"] >= 27


def test_every_checklist_row_is_well_formed():
    bad = [r for r in rows() if r["kind"] not in CLASS_OF or not r["line"].isdigit() or not 1 <= int(r["line"]) <= 3308
           or "/" not in r["iri"] or r["iri"].startswith("http") or not r["name"].strip()]
    assert bad == []


@pytest.fixture(scope="module")
def present(kg) -> dict[tuple[str, str], set[int]]:
    """(IRI, kind) -> the deck lines its locators cover."""
    out: dict[tuple[str, str], set[int]] = {}
    for kind, cls in CLASS_OF.items():
        for r in kg.rows(f"""SELECT ?s ?line ?end WHERE {{ ?s a {cls} .
                OPTIONAL {{ ?s prov:wasDerivedFrom ?loc . ?loc ipkg:inDocument <{DOC}> ; ipkg:line ?line
                            OPTIONAL {{ ?loc ipkg:lineEnd ?end }} }} }}"""):
            lines = out.setdefault((r["s"], kind), set())
            if r.get("line") is not None:
                lines.update(range(r["line"], (r.get("end") or r["line"]) + 1))
    return out


def test_every_item_of_the_deck_is_in_the_graph_and_cites_its_line(present):
    absent, uncited = [], []
    for r in rows():
        key = (ID + r["iri"], r["kind"])
        if key not in present:
            absent.append(f"{r['file']}: {r['kind']} {r['iri']} ({r['name']}, line {r['line']})")
        elif int(r["line"]) not in present[key]:
            uncited.append(f"{r['file']}: {r['iri']} does not cite 002 line {r['line']}")
    assert absent == []
    assert uncited == []


def test_the_figure_rows_are_the_decks_data_set_plus_the_one_figure_it_repeats(kg):
    """125 figure rows, 123 figures: two the deck states twice (text and chart), and the annual report's VC-IPAS
    FY2023 count (002:768 repeats it), which belongs to the annual report's data set; the deck's own holds 122."""
    figure_rows = [r for r in rows() if r["kind"] == "figure"]
    listed = Counter(r["iri"] for r in figure_rows)
    assert len(figure_rows) == 125 and len(listed) == 123
    assert {iri for iri, n in listed.items() if n > 1} == {"figure/us-jp-university-licence-income-gap-2022",
                                                          "figure/us-jp-university-patent-grants-gap-2022"}
    in_deck = {r["f"][len(ID):] for r in kg.rows(
        "SELECT ?f WHERE { ?f qb:dataSet <dataset/jpo-ip-ecosystem-2025-figures> }")}
    assert len(in_deck) == 122 and in_deck < set(listed)
    assert set(listed) - in_deck == {"figure/vc-ipas-vcs-fy2023"}
    assert kg.ask("ASK { <figure/vc-ipas-vcs-fy2023> qb:dataSet <dataset/jpo-annual-report-ch5-figures> }")
