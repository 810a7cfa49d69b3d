"""Build fault injection: two dozen kinds of broken data, each refused with a report naming the file and the resource.

As pySHACL's own test runner does, the whole report is compared with the expected one
(data/faults/expected-report.tsv: file, focus node, path, constraint component, severity), so a
fault that stops being caught, or is caught by the wrong constraint, or a shape that starts
reporting more, fails the test; broken Turtle is compared with the line and words its error must give."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from ipkg.build import BuildError, compile_dataset

FAULTS = Path(__file__).parent / "data" / "faults"
SEMANTIC = sorted(p for p in FAULTS.glob("[0-9]*.ttl"))
SYNTAX = sorted(FAULTS.glob("syntax-*.ttl"))


@pytest.fixture(scope="module")
def report(built, tmp_path_factory) -> list:
    """One build of a small real project (ontology, shapes, reference data) plus every semantic fault file."""
    root = tmp_path_factory.mktemp("faulty") / "project"
    for part in ("ontology", "shapes", "data/reference"):
        shutil.copytree(built.root / part, root / part)
    shutil.copytree(FAULTS, root / "data" / "faults", ignore=shutil.ignore_patterns("syntax-*", "*.tsv"))
    with pytest.raises(BuildError) as info:
        compile_dataset(dataclasses.replace(built, root=root))
    return info.value.violations


def test_at_least_twenty_kinds_of_fault():
    assert len(SEMANTIC) + len(SYNTAX) >= 20


@pytest.mark.parametrize("path", SEMANTIC, ids=lambda p: p.stem)
def test_each_fault_is_reported_with_its_file_and_resource(report, path):
    # the resource at fault, or (for a dangling reference) the missing resource "used in" this file
    mine = [v for v in report if f"data/faults/{path.name}" in v.file]
    assert mine, f"no violation reported for {path.name}"
    assert all(v.message and v.focus.startswith("https://w3id.org/ipkg/id/") for v in mine)
    number = re.match(r"(\d+)", path.name).group(1)
    assert any(f"fault-{number}" in v.focus or "not described anywhere" in v.file for v in mine)


PREFIXES = {"cv:": "http://data.europa.eu/m8g/", "rdfs:": "http://www.w3.org/2000/01/rdf-schema#",
            "prov:": "http://www.w3.org/ns/prov#", "skos:": "http://www.w3.org/2004/02/skos/core#", "schema:": "https://schema.org/",
            "eli:": "http://data.europa.eu/eli/ontology#", "qb:": "http://purl.org/linked-data/cube#", "ipkg:": "https://w3id.org/ipkg/def/"}


def _short(path: str) -> str:
    for prefix, ns in PREFIXES.items():
        if path.startswith(ns):
            return prefix + path[len(ns):]
    return path or "-"


def _expected() -> set[tuple[str, ...]]:
    lines = (FAULTS / "expected-report.tsv").read_text(encoding="utf-8").splitlines()
    return {tuple(line.split("\t")) for line in lines if line and not line.startswith("#")}


def test_the_whole_report_is_the_expected_one(report):
    got = {(v.file.split("data/faults/")[-1], v.focus.removeprefix("https://w3id.org/ipkg/id/"), _short(v.path), v.constraint, v.severity)
           for v in report}
    expected = _expected()
    assert not got - expected and not expected - got, (
        "unexpected results:\n" + "\n".join("\t".join(r) for r in sorted(got - expected))
        + "\nmissing results:\n" + "\n".join("\t".join(r) for r in sorted(expected - got)))


def test_every_fault_file_has_its_expected_results():
    assert {row[0] for row in _expected()} == {p.name for p in SEMANTIC}


SYNTAX_ERRORS = {  # the words (a regular expression) each broken file's error must give, with its line where the parser has one
    "syntax-bad-iri.ttl": r"<file://\S+/not an iri> is a relative IRI",
    "syntax-undefined-prefix.ttl": r"at line 1 of <>:\s+Bad syntax \(Prefix \"nope:\" not bound\)",
    "syntax-unterminated.ttl": r"at line 4 of <>:\s+Bad syntax \(expected '\.' or '\}' or '\]' at end of statement\)",
}


def test_every_broken_turtle_file_has_its_expected_error():
    assert set(SYNTAX_ERRORS) == {p.name for p in SYNTAX}


@pytest.mark.parametrize("path", SYNTAX, ids=lambda p: p.stem)
def test_broken_turtle_is_refused_naming_the_file(built, tmp_path, path):
    root = tmp_path / "project"
    for part in ("ontology", "shapes"):
        shutil.copytree(built.root / part, root / part)
    (root / "data" / "reference").mkdir(parents=True)
    shutil.copy(path, root / "data" / "reference" / path.name)
    with pytest.raises(BuildError, match=re.escape(path.name)) as info:
        compile_dataset(dataclasses.replace(built, root=root))
    assert re.search(SYNTAX_ERRORS[path.name], str(info.value)), str(info.value)
