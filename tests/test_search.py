"""Search (/api/search, /search) and browse (/browse): recall on 30 ja/zh/en searches, facet counts against
SPARQL over the store, the cross-script folding, and every failure path a 400 with its reason."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ipkg import facets, search
from ipkg.config import Settings
from ipkg.search import normalise
from ipkg.sources import sources_dir

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/ipkg/id/"
RECALL = list(csv.DictReader((ROOT / "tests/data/search-recall.tsv").open(encoding="utf-8"), delimiter="\t"))
SOURCE_DIR = sources_dir(Settings.from_env(ROOT))  # $IPKG_SOURCES, else ../shared/sources (as tests/test_fidelity.py)
SOURCES = {p.name[:3]: p for p in SOURCE_DIR.glob("0*.txt")}
INDEXED = " ".join(f"<{p}>" for p in (*search.NAME_PROPERTIES, *search.TEXT_PROPERTIES))


def _search(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _all_hits(client, **params) -> list[str]:
    out, offset = [], 0
    while True:
        answer = _search(client, **params, limit=100, offset=offset)
        out += [h["iri"] for h in answer["hits"]]
        offset += 100
        if offset >= answer["total"]:
            return out


# ---- recall: 30 searches and the resources they must find --------------------------------------

def test_recall_table_has_thirty_searches_ten_per_language():
    assert len(RECALL) == 30
    assert {lang: sum(r["language"] == lang for r in RECALL) for lang in ("ja", "zh", "en")} == {"ja": 10, "zh": 10, "en": 10}
    assert sum(len(r["query"]) < 3 for r in RECALL) >= 6  # one- and two-character searches, which trigrams cannot find


@pytest.mark.parametrize("row", RECALL, ids=[f"{r['language']}:{r['query']}" for r in RECALL])
def test_recall_expected_resource_in_top_ten(client, row):
    answer = _search(client, q=row["query"], lang=row["language"], limit=10)
    assert ID + row["expected"] in [h["iri"] for h in answer["hits"]], [h["iri"] for h in answer["hits"]]


@pytest.mark.parametrize("row", RECALL, ids=[f"{r['language']}:{r['query']}" for r in RECALL])
def test_recall_source_line_justifies_the_resource(kg, row):
    """The cited line is one the resource cites, or it names the resource (its Japanese name, as written)."""
    if not SOURCES:
        pytest.skip(f"source documents not found in {SOURCE_DIR}")
    doc, line = row["source"].split(":")
    text = SOURCES[doc].read_text(encoding="utf-8").splitlines()[int(line) - 1]
    iri = ID + row["expected"]
    assert kg.ask(f"ASK {{ <{iri}> (rdfs:label|skos:prefLabel) {_literal(row['name'], 'ja')} }}"), row
    cited = kg.ask(f"""ASK {{ <{iri}> prov:wasDerivedFrom ?loc . ?loc ipkg:inDocument ?d ; ipkg:line ?a .
        OPTIONAL {{ ?loc ipkg:lineEnd ?b }} ?d ipkg:fileName ?f FILTER(STRSTARTS(?f, "{doc}_"))
        FILTER({line} >= ?a && {line} <= COALESCE(?b, ?a)) }}""")
    assert cited or _squash(row["name"]) in _squash(text), (row, text)


def _squash(text: str) -> str:
    """Spaces and full/half width do not count (as in tests/test_fidelity.py)."""
    return normalise("".join(text.split()))


def _literal(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


# ---- what is indexed, and the counts ------------------------------------------------------------

def test_index_holds_every_described_iri(built, kg):
    db = sqlite3.connect(built.dist_path / search.INDEX_FILE)
    size = db.execute("SELECT COUNT(*) FROM doc").fetchone()[0]
    [row] = kg.rows(f"""SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ VALUES ?p {{ {INDEXED} }} GRAPH ?g {{ ?r ?p ?t }}
        FILTER(isIRI(?r) && isLiteral(?t) && STRLEN(?t) > 0 && ?g != <https://w3id.org/ipkg/graph/shapes>) }}""")
    assert size == row["n"] > 4000
    assert db.execute("SELECT COUNT(*) FROM doc WHERE kind = 'programme'").fetchone()[0] == 169


@pytest.mark.parametrize("q", ["著名商標", "吉林省"])
def test_total_and_facet_count_equal_sparql_substring_counts(client, kg, q):
    """Trigram search is substring search: the hits are the resources whose indexed texts contain the
    words in their Japanese or folded (simplified) form, as SPARQL CONTAINS finds them."""
    forms = {q, normalise(q)}
    contains = " || ".join(f'CONTAINS(?t, "{f}")' for f in forms)
    pattern = f"""VALUES ?p {{ {INDEXED} }} GRAPH ?g {{ ?r ?p ?t }} FILTER(isIRI(?r) && ({contains})
        && ?g != <https://w3id.org/ipkg/graph/shapes>)"""
    [row] = kg.rows(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} }}")
    answer = _search(client, q=q, limit=1)
    assert answer["total"] == row["n"] > 5
    [programmes] = kg.rows(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} ?r a ipkg:Programme }}")
    assert {v["value"]: v["count"] for v in answer["facets"]["kind"]}["programme"] == programmes["n"]
    [chinese] = kg.rows(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} ?r {facets.BY_NAME['jurisdiction'].path} <place/cn> }}")
    assert {v["value"]: v["count"] for v in answer["facets"]["jurisdiction"]}["cn"] == chinese["n"]


@pytest.mark.parametrize("q", ["PCT", "商標"])
def test_every_facet_count_equals_sparql_over_the_hits(client, kg, built, q):
    hits = _all_hits(client, q=q)
    answer = _search(client, q=q, limit=1)
    assert len(hits) == answer["total"] == len(set(hits))
    values = " ".join(f"<{h}>" for h in hits)
    for facet in facets.FACETS:
        expected = {}
        for row in kg.rows(f"SELECT ?v (COUNT(DISTINCT ?r) AS ?n) WHERE {{ VALUES ?r {{ {values} }} ?r {facet.path} ?v "
                           f"{facets.VALUE_FILTER} }} GROUP BY ?v"):
            expected[search.slug(row["v"])] = row["n"]
        assert {v["value"]: v["count"] for v in answer["facets"][facet.name]} == expected, facet.name


def test_a_facet_filter_keeps_exactly_its_count(client, kg):
    whole = _search(client, q="特許")
    japanese = {v["value"]: v["count"] for v in whole["facets"]["jurisdiction"]}["jp"]
    hits = _all_hits(client, q="特許", jurisdiction="jp")
    assert len(hits) == japanese > 10
    values = " ".join(f"<{h}>" for h in hits)
    [row] = kg.rows(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ VALUES ?r {{ {values} }} ?r {facets.BY_NAME['jurisdiction'].path} <place/jp> }}")
    assert row["n"] == len(hits)
    both = _search(client, q="特許", jurisdiction="jp", kind="programme")
    assert both["total"] == {v["value"]: v["count"] for v in _search(client, q="特許", jurisdiction="jp")["facets"]["kind"]}["programme"]
    assert all(h["kind"] == "programme" for h in both["hits"])


def test_in_force_on_follows_the_entry_into_force(client, kg):
    """The Jilin regulation entered into force on 1 November 2007 (001:7 as the graph cites it)."""
    iri = ID + "instrument/jilin-famous-trademark-regulation"
    [row] = kg.rows(f"SELECT ?d WHERE {{ <{iri}> eli:first_date_entry_in_force ?d }}")
    assert str(row["d"]) == "2007-11-01"
    before = _all_hits(client, q="吉林省著名商標", inForceOn="2007-10-31")
    after = _all_hits(client, q="吉林省著名商標", inForceOn="2007-11-01")
    assert iri not in before and iri in after
    assert iri + "/art/1" not in before and iri + "/art/1" in after  # its articles with it


# ---- three scripts, one resource ---------------------------------------------------------------

def test_japanese_chinese_and_english_names_find_the_same_programme(client):
    programme = ID + "programme/jilin-famous-trademark-recognition"
    for q, lang in (("吉林省著名商標", "ja"), ("吉林省著名商标", "zh"), ("Jilin famous trademark", "en")):
        assert programme in [h["iri"] for h in _search(client, q=q, lang=lang, limit=10)["hits"]], q


def test_traditional_japanese_and_simplified_forms_fold_alike(client):
    assert _all_hits(client, q="著名商標") == _all_hits(client, q="著名商标")
    assert _all_hits(client, q="専利") == _all_hits(client, q="专利") == _all_hits(client, q="專利")
    assert normalise("ＰＣＴ審査") == normalise("pct审查") == "pct审查"


def test_one_character_search_finds_what_trigrams_cannot(client, kg):
    """税 is one character: the trigram table cannot match it, the character table does, as SPARQL finds it."""
    answer = _search(client, q="税", lang="ja")
    [row] = kg.rows(f"""SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ VALUES ?p {{ {INDEXED} }} GRAPH ?g {{ ?r ?p ?t }}
        FILTER(isIRI(?r) && (CONTAINS(?t, "税") || CONTAINS(?t, "稅")) && ?g != <https://w3id.org/ipkg/graph/shapes>) }}""")
    assert answer["total"] == row["n"] > 10
    assert all("<mark>" in h["snippet"] for h in answer["hits"])


def test_labels_in_the_asked_language_with_fallback(client):
    by = {lang: _search(client, q="特許庁", lang=lang, limit=1)["hits"][0] for lang in ("ja", "en", "zh")}
    assert by["ja"]["iri"] == ID + "authority/jpo" and by["ja"]["label"] == "特許庁"
    assert by["en"]["label"] == "Japan Patent Office"
    assert by["zh"]["label"] == "Japan Patent Office"  # no Chinese name in the graph: English
    assert by["en"]["href"] == "/id/authority/jpo"


def test_snippet_escapes_and_marks_every_occurrence():
    terms = search.parse_request({"q": ["pct"]}).terms
    assert search.snippet(["<b>ＰＣＴ</b> and PCT"], terms) == "&lt;b&gt;<mark>ＰＣＴ</mark>&lt;/b&gt; and <mark>PCT</mark>"
    short = search.parse_request({"q": ["IP"]}).terms
    assert search.snippet(["ship IP"], short) == "ship <mark>IP</mark>"  # a short word only as a whole word
    long = "あ" * 300 + "著名商標" + "い" * 300
    cut = search.snippet([long], search.parse_request({"q": ["著名商标"]}).terms)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>著名商標</mark>" in cut and len(cut) < 200


def test_phrase_in_quotes_is_matched_as_one(client):
    phrase = _all_hits(client, q='"famous trademark"')
    words = _all_hits(client, q="trademark famous")
    assert set(phrase) < set(words)


def test_paging_is_a_partition_of_the_hits(client):
    answer = _search(client, q="trademark", limit=100)
    pages = [h["iri"] for o in range(0, 100, 25) for h in _search(client, q="trademark", limit=25, offset=o)["hits"]]
    assert pages == [h["iri"] for h in answer["hits"]]
    scores = [h["score"] for h in answer["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_index_is_opened_read_only(app):
    db = app.extensions["ipkg"].search._db()
    with pytest.raises(sqlite3.OperationalError):
        db.execute("CREATE TABLE x(a)")


# ---- failure paths ------------------------------------------------------------------------------

@pytest.mark.parametrize("params, says", [
    ({}, "q is empty"),
    ({"q": ""}, "q is empty"),
    ({"q": "   "}, "q is empty"),
    ({"q": "!!"}, "nothing to search for"),
    ({"q": "x" * 201}, "at most 200"),
    ({"q": " ".join(f"w{i}x" for i in range(11))}, "at most 10"),
    ({"q": "特許", "limit": "0"}, "limit must be from 1 to 100"),
    ({"q": "特許", "limit": "ten"}, "limit must be a whole number"),
    ({"q": "特許", "offset": "-1"}, "offset must be from 0"),
    ({"q": "特許", "lang": "fr"}, "lang must be one of ja, en, zh"),
    ({"q": "特許", "inForceOn": "2025-02-30"}, "inForceOn must be a date"),
    ({"q": "特許", "jurisdiction": "atlantis"}, "no jurisdiction 'atlantis'"),
    ({"q": "特許", "kind": "programmes"}, "no kind 'programmes'"),
    ({"q": "特許", "applicantkind": "sme"}, "unknown parameter(s) applicantkind"),
])
def test_bad_parameters_are_400_with_the_reason(client, params, says):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400 and body["title"] == "Bad Request"
    assert any(says in p for p in body["problems"]), body


def test_repeated_parameter_is_400(client):
    response = client.get("/api/search?q=a&q=b")
    assert response.status_code == 400 and "at most once" in response.get_json()["problems"][0]


@pytest.mark.parametrize("q", ['" OR *', "NEAR(特許 商標)", "a AND", "^特許", "特許*", "'; DROP TABLE doc; --", "\\"])
def test_query_syntax_is_taken_as_characters(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code in (200, 400), response.get_data(as_text=True)


def test_openapi_describes_search(client):
    spec = client.get("/api/openapi.json").get_json()
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert names == set(search.PARAMETERS)


# ---- the HTML pages -----------------------------------------------------------------------------

def test_search_page_has_hits_facets_and_paging(client):
    response = client.get("/search", query_string={"q": "著名商標", "lang": "ja"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="ja">' in html
    assert "<mark>著名商標</mark>" in html and 'href="/id/authority/' in html
    assert 'rel="next"' in html and 'data-facet="jurisdiction" data-value="cn-jilin"' in html
    total = _search(client, q="著名商標")["total"]
    assert f"{total}件" in html


def test_search_page_facet_links_add_and_remove_a_filter(client):
    html = client.get("/search?q=%E8%91%97%E5%90%8D%E5%95%86%E6%A8%99&lang=en").get_data(as_text=True)
    href = html.split('data-facet="jurisdiction" data-value="cn-jilin"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query) == {"q": ["著名商標"], "jurisdiction": ["cn-jilin"], "lang": ["en"]}
    filtered = client.get(href).get_data(as_text=True)
    assert 'aria-current="true" data-facet="jurisdiction" data-value="cn-jilin"' in filtered
    assert _search(client, q="著名商標", jurisdiction="cn-jilin")["total"] == int(filtered.split("results for")[0].rsplit(">", 1)[1])


def test_search_page_without_q_is_the_form_and_with_empty_q_a_400(client):
    assert client.get("/search?lang=en").status_code == 200
    response = client.get("/search?q=&lang=en")
    assert response.status_code == 400 and "q is empty" in response.get_data(as_text=True)


def test_every_page_has_the_search_box(client):
    html = client.get("/eligibility?lang=en").get_data(as_text=True)
    assert 'action="/search"' in html and 'href="/browse"' in html


def test_browse_counts_equal_sparql(client, kg):
    html = client.get("/browse?lang=en").get_data(as_text=True)
    [n] = kg.rows("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ipkg:Programme ; ipkg:jurisdiction/ipkg:partOf* <place/cn> }")
    assert f'href="/browse/programmes?jurisdiction=cn&amp;lang=en">China</a><span class="n">{n["n"]}</span>' in html
    page = client.get("/browse/programmes?jurisdiction=cn-jilin&lang=en").get_data(as_text=True)
    assert 'href="/id/programme/jilin-famous-trademark-recognition"' in page


@pytest.mark.parametrize("listing, params, path", [
    ("programmes", {"right": "patent", "status": "active"}, ("?r a ipkg:Programme ; ipkg:status <concept/programme-status/active> ; "
     "(ipkg:coversIPRight|ipkg:forIPRight|^cv:hasLegalResource/(ipkg:coversIPRight|ipkg:forIPRight))/skos:broader* <concept/ip-right/patent>")),
    ("instruments", {"jurisdiction": "cn-chongqing"}, "?r a ipkg:LegalInstrument ; ipkg:jurisdiction/ipkg:partOf* <place/cn-chongqing>"),
    ("articles", {"jurisdiction": "cn-jilin"}, "?r a ipkg:Article ; eli:is_part_of/ipkg:jurisdiction/ipkg:partOf* <place/cn-jilin>"),
])
def test_browse_listing_total_equals_sparql(app, kg, listing, params, path):
    from ipkg import browse

    answer = app.extensions["ipkg"].browser.browse(browse.parse_request(listing, {k: [v] for k, v in params.items()}, "en"))
    [row] = kg.rows(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {path} }}")
    assert answer["total"] == row["n"] > 0


def test_browse_in_force_on(app):
    from ipkg import browse

    def listed(day):
        request = browse.parse_request("articles", {"jurisdiction": ["cn-jilin"], "inForceOn": [day]}, "en")
        return app.extensions["ipkg"].browser.browse(request)["total"]

    assert listed("2007-10-31") == 0 and listed("2007-11-01") > 20


@pytest.mark.parametrize("url, status, says", [
    ("/browse/programmes?jurisdiction=atlantis", 400, "no jurisdiction"),
    ("/browse/programmes?inForceOn=yesterday", 400, "inForceOn must be a date"),
    ("/browse/articles?status=active", 400, "unknown parameter"),
    ("/browse/programmes?offset=x", 400, "offset must be"),
    ("/browse/programmes?right=%3Cx%3E", 400, "slug"),
    ("/browse/things", 404, "no listing"),
])
def test_browse_bad_requests(client, url, status, says):
    response = client.get(url)
    assert response.status_code == status and says in response.get_data(as_text=True)


def test_no_index_or_an_index_of_another_format_is_503(built, tmp_path):
    import dataclasses

    from ipkg.web import create_app

    app = create_app(dataclasses.replace(built, dist_path=tmp_path), workers=False)
    client = app.test_client()
    missing = client.get("/api/search?q=特許")
    assert missing.status_code == 503 and "run `ipkg build`" in missing.get_json()["problems"][0]
    assert client.get("/search?q=特許").status_code == 503
    db = sqlite3.connect(tmp_path / search.INDEX_FILE)
    db.executescript("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('format', '0');")
    db.commit()
    db.close()
    other = client.get("/api/search?q=特許")
    assert other.status_code == 503 and "format 0" in other.get_json()["problems"][0]
