"""The query catalogue: every query documented and runnable with its defaults; the comparative queries' real answers."""

from __future__ import annotations

import pytest

from ipkg import catalog

ID = "https://w3id.org/ipkg/id/"


@pytest.fixture(scope="module")
def queries(kg):
    return kg.queries


def test_at_least_twenty_five_documented_queries(queries):
    assert len(queries) >= 25
    for q in queries.values():
        assert q.title and q.description, q.name


def test_every_query_runs_with_its_defaults(kg, queries):
    for name in queries:
        kg.catalog(name)  # raises on a broken query or parameter


def test_every_query_runs_as_published_and_answers_as_the_api(kg, queries):
    """The `runnable` text /api/queries publishes (defaults bound) runs unchanged in any SPARQL client."""
    parameterised = 0
    for name, q in queries.items():
        text = q.runnable()
        assert "# set the parameters" not in text, name
        parameterised += bool(q.parameters)
        assert kg.rows(text) == kg.catalog(name), name
    assert parameterised >= 10


def test_article_counts_cover_all_twenty_three_instruments(kg):
    rows = {r["instrument"].rsplit("/", 1)[-1]: r for r in kg.catalog("article-counts")}
    assert len(rows) == 23  # 11 famous-trademark, 1 high-tech, 11 funding instruments given article by article
    assert rows["jilin-famous-trademark-regulation"]["articles"] == 22
    assert rows["shanghai-famous-trademark-measures"]["chapters"] == 5
    assert rows["xinjiang-patent-funding-measures"]["articles"] == 26


def test_instruments_in_force_on_a_date_respect_entry_and_replacement(kg):
    in_2009 = {r["instrument"].rsplit("/", 1)[-1] for r in kg.catalog("instruments-in-force-on", date="2009-01-01")}
    assert "jilin-famous-trademark-regulation" in in_2009  # in force 2007-11-01
    assert "shanghai-famous-trademark-measures" not in in_2009  # in force 2012-05-01
    in_2013 = {r["instrument"].rsplit("/", 1)[-1] for r in kg.catalog("instruments-in-force-on", date="2013-01-01")}
    assert "shanghai-famous-trademark-measures" in in_2013
    assert "shanghai-famous-trademark-interim-measures" not in in_2013  # repealed by the 2012 implementing rules


def test_assessment_share_of_programmes(kg):
    rows = {r["programme"].rsplit("/", 1)[-1]: r for r in kg.catalog("conditions-needing-assessment")}
    jilin = rows["jilin-famous-trademark-recognition"]
    assert jilin["judgements"] == 3 and jilin["machineEvaluable"] >= 3
    assert rows["cnipa-patent-fee-reduction"]["judgements"] == 0


def test_sanctions_by_kind_and_jurisdiction_follow_the_hierarchy(kg):
    fines = {r["placeLabel"]: r["sanctions"] for r in kg.catalog("sanctions-by-kind-and-jurisdiction", kind=ID + "concept/sanction-kind/fine")}
    assert fines["Anhui"] == 3
    everything = kg.catalog("sanctions-by-kind-and-jurisdiction")
    assert {r["placeLabel"] for r in everything} >= {"Jilin", "Shanghai", "Shandong", "Chongqing", "Tianjin"}


def test_a_parameter_of_the_wrong_type_is_refused(kg, queries):
    with pytest.raises(catalog.CatalogError):
        kg.catalog("instruments-in-force-on", date="yesterday")
