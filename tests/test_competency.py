"""Competency questions: what a researcher asks of the graph, one SPARQL query each, answered from typed values.

Each question is a file `queries/competency/*.rq` with the catalogue's header (`# title:`, `# description:`,
the question in words) and one or more `# expect:` lines: the source file and line that states the answer,
then the values one answer row must hold (`# expect: 003:104 | threshold = 60000 | unit = <concept/currency/cny>`);
`# rows: N` fixes the number of answer rows where the question asks for a complete list. The expected values
were read off the cited source lines, not off the graph. No question may find its answer by matching text
(REGEX, CONTAINS, STR() … over labels, summaries or quoted wording): a question that needs it shows a fact the
graph lacks, and the fact is modelled instead (ontology/README.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from conftest import ROOT
from ipkg import catalog
from ipkg.config import Settings
from ipkg.namespaces import sparql_prologue
from ipkg.sources import sources_dir

FOLDER = ROOT / "queries" / "competency"
SOURCES = sources_dir(Settings.from_env(ROOT))
ID = "https://w3id.org/ipkg/id/"
PREFIXES = {"ipkg": "https://w3id.org/ipkg/def/", "xsd": str(XSD)}
SOURCE_CODES = ("000", "001", "002", "003", "004")
_EXPECT = re.compile(r"^#\s*expect\s*:\s*(\d{3}):(\d+)(?:-(\d+))?\s*\|(.*)$")
_ROWS = re.compile(r"^#\s*rows\s*:\s*(\d+)\s*$")

# Functions that match or take apart text: none of them may decide an answer.
TEXT_FUNCTIONS = {f"Builtin_{n}" for n in ("REGEX", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER",
                                           "REPLACE", "SUBSTR", "LCASE", "UCASE", "STR", "STRLEN", "ENCODE_FOR_URI")}


@dataclass(frozen=True)
class Expectation:
    source: str
    line: int
    line_end: int
    values: dict[str, str]


@dataclass(frozen=True)
class Question:
    name: str
    title: str
    question: str
    text: str
    expectations: tuple[Expectation, ...]
    rows: int | None


def parse(path: Path) -> Question:
    """A competency file: the catalogue header (catalog.parse checks it) plus its expect and rows lines."""
    entry = catalog.parse(path)
    expectations, rows = [], None
    for line in entry.text.splitlines():
        if m := _EXPECT.match(line):
            src, start, end, rest = m.groups()
            values = {}
            for part in (p.strip() for p in rest.split("|")):
                name, sep, value = part.partition("=")
                assert sep, f"{path.name}: an expected value is 'name = value', not {part!r}"
                values[name.strip().lstrip("?")] = value.strip()
            expectations.append(Expectation(src, int(start), int(end or start), values))
        elif m := _ROWS.match(line):
            rows = int(m.group(1))
    return Question(entry.name, entry.title, entry.description, entry.text, tuple(expectations), rows)


QUESTIONS = [parse(p) for p in sorted(FOLDER.glob("*.rq"))]


def expected_term(raw: str):
    """The python value of an expected value as written: <rel/iri>, prefix:name, true/false, a date, a number, or text."""
    if raw.startswith("<") and raw.endswith(">"):
        return raw[1:-1] if raw[1:-1].startswith("http") else ID + raw[1:-1]
    prefix, sep, local = raw.partition(":")
    if sep and prefix in PREFIXES and " " not in raw:
        return PREFIXES[prefix] + local
    if raw in ("true", "false"):
        return raw == "true"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return dt.date.fromisoformat(raw)
    if raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1]
    try:
        return Decimal(raw)
    except InvalidOperation:
        return raw


def same(actual, expected) -> bool:
    if isinstance(expected, Decimal) and not isinstance(actual, bool) and isinstance(actual, (int, float, Decimal)):
        return Decimal(str(actual)) == expected
    return actual == expected


def text_matching(sparql: str) -> list[str]:
    """What in a query matches text: string functions, and string literals compared or matched other than a
    language tag (LANG(?x) = "en"). Returns readable findings; empty when the query uses typed values only."""
    algebra = prepareQuery(sparql_prologue(str(ID)) + sparql).algebra
    found: list[str] = []

    def is_text(term) -> bool:
        return isinstance(term, Literal) and (term.language is not None or term.datatype in (None, XSD.string))

    def walk(node) -> None:
        if isinstance(node, CompValue):
            if node.name in TEXT_FUNCTIONS:
                found.append(node.name.removeprefix("Builtin_"))
            if node.name == "RelationalExpression":
                sides = [node.get("expr"), *(node.get("other") if isinstance(node.get("other"), list) else [node.get("other")])]
                lang = any(isinstance(s, CompValue) and s.name in ("Builtin_LANG", "Builtin_DATATYPE") for s in sides)
                if not lang and any(is_text(s) for s in sides):
                    found.append(f"comparison with text {[str(s) for s in sides if is_text(s)]}")
            if node.name == "Builtin_LANGMATCHES":
                return
            if node.name == "BGP":
                for _s, _p, o in node.get("triples", []):
                    if is_text(o):
                        found.append(f"triple pattern matching the text {str(o)!r}")
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, set)):
            for value in node:
                walk(value)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(algebra)
    return found


def test_at_least_sixty_questions_across_the_five_sources():
    assert len(QUESTIONS) >= 60
    per_source = Counter(e.source for q in QUESTIONS for e in q.expectations[:1])
    assert set(per_source) == set(SOURCE_CODES), per_source
    assert min(per_source.values()) >= 8, per_source


def test_the_readme_states_the_number_of_questions():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{len(QUESTIONS)} competency questions" in readme


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_each_question_is_stated_and_cites_the_lines_of_its_answer(q):
    assert q.title and q.question.endswith("?"), q.name
    assert q.expectations, f"{q.name}: no '# expect:' line"
    for e in q.expectations:
        path = next(SOURCES.glob(f"{e.source}_*.txt"), None)
        if path is None:
            pytest.skip(f"source {e.source} not found in {SOURCES}")
        lines = path.read_text(encoding="utf-8").splitlines()
        assert 1 <= e.line <= e.line_end <= len(lines), f"{q.name}: {e.source}:{e.line} is outside the source"
        assert any(lines[i - 1].strip() for i in range(e.line, e.line_end + 1)), f"{q.name}: {e.source}:{e.line} is blank"
        assert e.values, f"{q.name}: an expect line without values"


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_no_question_finds_its_answer_by_text_matching(q):
    assert text_matching(q.text) == [], q.name


@pytest.mark.parametrize("bad", [
    'SELECT ?p WHERE { ?p rdfs:label ?l FILTER(CONTAINS(?l, "Xinjiang")) }',
    'SELECT ?p WHERE { ?p dct:description ?d FILTER REGEX(?d, "annual fee", "i") }',
    'SELECT ?p WHERE { ?p a ipkg:Programme FILTER(STRSTARTS(STR(?p), "https://w3id.org/ipkg/id/programme/xinjiang")) }',
    'SELECT ?p WHERE { ?p rdfs:label "Xinjiang special fund for patent application funding"@en }',
    'SELECT ?b WHERE { ?b ipkg:statedAs ?s FILTER(?s = "1万元") }',
    'SELECT ?p WHERE { ?p rdfs:label ?l FILTER(LCASE(?l) = "j-platpat") }',
])
def test_the_text_matching_check_catches_text_matching(bad):
    assert text_matching(bad)


def test_the_text_matching_check_lets_typed_values_and_language_tags_through():
    assert text_matching('SELECT ?l WHERE { ?f a ipkg:OfficialFee ; cv:hasValue ?v ; rdfs:label ?l '
                         'FILTER(LANG(?l) = "en" && ?v > 1000 && langMatches(LANG(?l), "en")) }') == []


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_each_question_finds_the_values_the_source_states(kg, q):
    rows = kg.rows(q.text)
    if q.rows is not None:
        assert len(rows) == q.rows, f"{q.name}: {len(rows)} rows, the source gives {q.rows}: {rows}"
    for e in q.expectations:
        wanted = {k: expected_term(v) for k, v in e.values.items()}
        assert any(all(same(row.get(k), v) for k, v in wanted.items()) for row in rows), \
            f"{q.name}: no row with {e.values} ({e.source}:{e.line}); rows: {rows[:10]}"
