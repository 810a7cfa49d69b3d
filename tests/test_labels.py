"""Labels gathered and chosen in one place (ipkg.terms): which label names a resource, in which language,
the same way on every page, answer and citation; then the date precisions the time pages name with them.

The rules are checked on small graphs written here (so that each rule has a case that would fail
without it: two labels in one language, a prefLabel beside an rdfs:label, a definition beside a
name), and on the build, where the pages show them."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
import pytest
from rdflib.term import Identifier

from ipkg.store import QueryResult
from ipkg.terms import CHUNK, NAMES_OR_DEFINITION, label_or_slug, labels_of, pick_label, to_rdflib

EX = "https://example.org/id/"
PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@base <https://example.org/id/> .
"""


class SmallStore:
    """A `Store` over a few triples in memory, counting the queries it answers."""

    ids = EX

    def __init__(self, turtle: str) -> None:
        self._store = ox.Store()
        self._store.load((PREFIXES + turtle).encode(), ox.RdfFormat.TURTLE)
        self.queries = 0

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None, **_: object) -> QueryResult:
        self.queries += 1
        solutions = self._store.query(sparql)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return QueryResult("select", names, [tuple(to_rdflib(row[n]) for n in names) for row in solutions])

    def graph_names(self) -> list[str]:
        return []


def test_rdfs_label_names_a_resource_before_skos_preflabel_language_by_language() -> None:
    store = SmallStore("""<a> skos:prefLabel "pref"@en , "参照"@ja ; rdfs:label "label"@en .""")
    assert labels_of(store, [EX + "a"]) == {EX + "a": {"en": "label", "ja": "参照"}}


@pytest.mark.parametrize("order", [('"Beta"@en', '"Alpha"@en'), ('"Alpha"@en', '"Beta"@en')])
def test_of_two_labels_in_one_language_the_least_whatever_the_order_they_were_written_in(order) -> None:
    store = SmallStore(f"<a> rdfs:label {order[0]} , {order[1]} .")
    assert labels_of(store, [EX + "a"]) == {EX + "a": {"en": "Alpha"}}


def test_a_definition_names_only_what_has_no_name_and_only_when_asked() -> None:
    store = SmallStore("""<c> skos:definition "Has ten employees or fewer."@en , "従業員10人以下"@ja .
        <p> rdfs:label "Programme"@en ; skos:definition "A programme."@en , "制度の定義"@ja .""")
    iris = [EX + "c", EX + "p"]
    assert labels_of(store, iris) == {EX + "p": {"en": "Programme"}}
    assert labels_of(store, iris, NAMES_OR_DEFINITION) == {
        EX + "c": {"en": "Has ten employees or fewer.", "ja": "従業員10人以下"},
        EX + "p": {"en": "Programme", "ja": "制度の定義"}}


def test_an_untagged_label_is_under_the_empty_language_and_chosen_after_en_ja_zh() -> None:
    store = SmallStore("""<a> rdfs:label "plain" , "吉林省"@zh .""")
    found = labels_of(store, [EX + "a"])[EX + "a"]
    assert found == {"": "plain", "zh": "吉林省"}
    assert pick_label(found, "ja") == "吉林省"
    assert pick_label({"": "plain"}, "ja") == "plain"


def test_only_the_languages_asked_for() -> None:
    store = SmallStore("""<a> rdfs:label "Jilin"@en , "吉林省"@zh ; skos:prefLabel "吉林省(ja)"@ja .""")
    assert labels_of(store, [EX + "a"], languages=("ja", "en")) == {EX + "a": {"en": "Jilin", "ja": "吉林省(ja)"}}
    assert labels_of(store, [EX + "a"], languages=("fr",)) == {}


def test_many_iris_are_asked_in_chunks_and_none_asks_for_every_subject() -> None:
    n = 2 * CHUNK + 1
    store = SmallStore("\n".join(f'<r{i}> rdfs:label "r{i}"@en .' for i in range(n)))
    found = labels_of(store, [EX + f"r{i}" for i in range(n)] + [EX + "unlabelled"])
    assert (len(found), store.queries) == (n, 3)
    assert found[EX + f"r{n - 1}"] == {"en": f"r{n - 1}"} and EX + "unlabelled" not in found
    assert labels_of(store, None) == found


def test_the_reader_language_then_english_japanese_chinese_then_the_iri() -> None:
    labels = {"zh": "吉林省", "ja": "吉林省(ja)", "en": "Jilin"}
    assert [pick_label(labels, lang) for lang in ("ja", "en", "fr")] == ["吉林省(ja)", "Jilin", "Jilin"]
    assert pick_label({"zh": "吉林省", "ja": "吉林"}, "en") == "吉林"
    assert label_or_slug({}, "ja", EX + "place/cn-jilin") == "cn-jilin"
    assert label_or_slug({}, "ja") == ""


# ---------------------------------------------------------------- on the build's pages


def _precision_tags(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'<span class="tag" data-precision="([^"]+)">([^<]+)</span>', html))


def test_the_changes_page_names_date_precisions_in_the_readers_language(client) -> None:
    # programme/ai-invention-protection-study-fy2024 started in fiscal 2024 (令和６年度), a date of fiscal-year precision;
    # the 2024 pages name that precision as the scheme concept/date-precision does
    tags = {lang: _precision_tags(client.get(f"/changes?from=2024-01-01&to=2024-12-31&lang={lang}").get_data(as_text=True))
            for lang in ("ja", "en")}
    assert ("fiscal-year", "年度") in tags["ja"] and ("month", "月") in tags["ja"]
    assert ("fiscal-year", "fiscal year") in tags["en"] and ("month", "month") in tags["en"]
    answer = client.get("/api/changes?from=2024-04-01&to=2024-04-01").get_json()
    study = next(c for c in answer["changes"] if c["subject"].endswith("/programme/ai-invention-protection-study-fy2024"))
    assert (study["change"], study["datePrecision"]) == ("started", "fiscal-year")  # the API keeps the notation


def test_the_timeline_names_month_precision_events_in_japanese(client) -> None:
    # the 2011-12 decision and the 2012-01 plan of Guangxi are dated to the month only
    page = client.get("/timeline?jurisdiction=cn-guangxi&lang=ja").get_data(as_text=True)
    assert _precision_tags(page) == {("month", "月")}
    assert page.count('data-precision="month"') == 2


def test_a_source_documents_page_names_its_date_precision(client) -> None:
    ja = client.get("/id/doc/jpo-ip-ecosystem-2025?lang=ja", follow_redirects=True).get_data(as_text=True)
    en = client.get("/id/doc/jpo-ip-ecosystem-2025?lang=en", follow_redirects=True).get_data(as_text=True)
    assert 'data-doc="issued">2025 <span class="tag">精度: 年</span>' in ja
    assert 'data-doc="issued">2025 <span class="tag">precision: year</span>' in en
