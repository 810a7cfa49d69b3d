"""Citable releases, issue 21: /releases and /api/releases (the release held and the release notes parsed from
ontology/CHANGELOG.md), /api/cite (a query's results cited as text, BibTeX and CSL-JSON), the links to the
release notes, and the facts of each source document on its page."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
from importlib import metadata
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from ipkg import release
from ipkg.release_notes import duplicate_versions, parse_changelog

BASE = "https://w3id.org/ipkg/"
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (Path(__file__).parent / "data" / "changelog" / "sample.md").read_text(encoding="utf-8")
QUERY = 'PREFIX ipkg: <https://w3id.org/ipkg/def/>\nSELECT ?f WHERE { ?f a ipkg:OfficialFee ; ipkg:validFrom ?d FILTER(?d >= "2024-01-01"^^xsd:date) }'
DAY = "2026-12-03"


@pytest.fixture(scope="module")
def record(built) -> dict:
    return release.build_record(built.dist_path)


@pytest.fixture(scope="module")
def notes(app) -> dict:
    return app.test_client().get("/api/releases").get_json()


# ---- the CHANGELOG parser, on a small fixture -----------------------------------------------------------

def test_entries_give_version_date_note_and_title():
    entries = parse_changelog(SAMPLE)
    assert [(e.version, e.date, e.note) for e in entries] == [("2.0.0", "2027-01-02", "issue 99"), ("2.0.0", "2027-01-01", None)]
    assert entries[0].title == "a renamed term and an addition"
    assert [c.title for c in entries[0].changes] == ["`ex:old` is now `ex:new`", "Dumps are named by release", "Added (no existing answer changes)"]


def test_each_change_keeps_its_before_and_after_queries():
    renamed, dumps, added = parse_changelog(SAMPLE)[0].changes
    assert renamed.queries("before") == ["SELECT ?x WHERE { ?x ex:old ?y }"]
    assert renamed.queries("now") == ["SELECT ?x WHERE { ?x ex:new ?y }"]
    assert renamed.blocks[0].text == "The property was renamed; its values stay as they were."  # a paragraph over two lines
    assert dumps.queries("now") == ["SELECT ?d WHERE { ?ds void:dataDump ?d }"]  # "Before (…), now (…):" introduces the new form
    assert dumps.queries("before") == []
    kinds = [(b.kind, b.role) for b in added.blocks]
    assert kinds == [("list", None), ("query", "query"), ("list", None)]
    assert added.blocks[2].items == ["Property `ex:size`, written over two lines."]


def test_two_entries_of_one_version_are_both_kept_with_distinct_anchors():
    entries = parse_changelog(SAMPLE)
    assert [e.anchor for e in entries] == ["v2.0.0", "v2.0.0-2"]
    assert duplicate_versions(entries) == ["2.0.0"]


# ---- /api/releases and /releases ------------------------------------------------------------------------

def test_the_current_release_is_the_one_built(notes, record):
    current = notes["current"]
    assert current["version"] == record["version"] == notes["datasetVersion"]
    assert current["date"] == record["date"] and current["sourcesDigest"] == record["sourcesDigest"]
    assert current["sourcesDigest"] == release.sources_digest(ROOT)
    assert current["modelVersion"] == "1.6.1"  # owl:versionInfo of ontology/ipkg.ttl
    assert current["triples"] == sum(record["graphs"].values())
    assert len(current["graphs"]) == 10
    assert {g["version"] for g in current["graphs"]} == {record["version"]}  # VoID's dct:hasVersion of each named graph
    fees = next(g for g in current["graphs"] if g["name"] == BASE + "graph/cnipa-fee-guide-2025")
    assert fees["triples"] == record["graphs"][BASE + "graph/cnipa-fee-guide-2025"]
    assert fees["dumps"]["ttl"] == f"{BASE}download/graph/cnipa-fee-guide-2025-{release.file_tag(record['version'])}.ttl"


def test_the_tools_are_those_the_build_recorded(notes, built):
    tools = notes["current"]["tools"]
    assert tools["rdflib"] == metadata.version("rdflib") and tools["pyshacl"] == metadata.version("pyshacl")
    assert tools[built.reasoner] == metadata.version(built.reasoner)


def test_each_dump_checks_against_the_bytes_served(client, notes):
    dumps = {d["file"]: d for d in notes["current"]["dumps"]}
    assert {"ipkg.nq.gz", "ipkg.trig.gz", "void.ttl"} <= set(dumps)
    nq = dumps["ipkg.nq.gz"]
    body = client.get("/download/" + nq["name"]).data
    assert hashlib.sha256(body).hexdigest() == nq["sha256"] and len(body) == nq["bytes"]


def test_the_notes_are_the_changelog_with_its_queries(notes, kg):
    entries = notes["entries"]
    assert entries[0]["version"] == "1.6.1" and entries[0]["date"] == "2026-12-03"
    companies = next(e for e in entries if e["version"] == "1.4.0")["changes"][0]
    assert companies["title"] == "Companies are `ipkg:Company`, no longer `ipkg:Authority`"
    assert companies["after"] == ["SELECT ?x WHERE { ?x a ipkg:Company }"]
    assert len(kg.rows(companies["after"][0])) == 10  # the ten firms of the sources
    assert "ipkg:authorityKind" in companies["before"][0]
    assert [e["version"] for e in entries] == ["1.6.1", "1.6.0", "1.5.0", "1.4.0", "1.3.0", "1.3.0", "1.2.0", "1.1.0"]
    assert notes["duplicateVersions"] == ["1.3.0"]  # kept as written, and said
    every_after = [q for e in entries for c in e["changes"] for q in c["after"]]
    assert len(every_after) >= 15


@pytest.mark.parametrize(("lang", "heading", "before"), [("en", "Current release", "Before"), ("ja", "現在のリリース", "変更前")])
def test_the_page_shows_release_and_notes(client, record, lang, heading, before):
    r = client.get(f"/releases?lang={lang}")
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page and heading in page
    assert f'<code data-release="version">{record["version"]}</code>' in page
    assert record["sourcesDigest"] in page
    assert record["downloads"]["ipkg.nq.gz"]["sha256"] in page
    assert 'id="v1.6.1"' in page and 'id="v1.6.0"' in page and 'id="v1.3.0-2"' in page
    assert f'<span class="role role-before" lang="{lang}">{before}</span>' in page
    assert "<code>ipkg:Company</code>" in page  # the Markdown's code spans as code
    assert 'href="/sparql#query=SELECT%20%3Fx%20WHERE%20%7B%20%3Fx%20a%20ipkg%3ACompany%20%7D"' in page


def test_the_page_escapes_what_the_changelog_writes(client):
    page = client.get("/releases?lang=en").get_data(as_text=True)
    assert "&lt;concept/time-anchor/filing-date&gt;" in page and "<concept/" not in page


def test_home_download_and_void_link_the_release_notes(client):
    assert 'href="/releases"' in client.get("/").get_data(as_text=True)
    assert 'href="/releases"' in client.get("/download").get_data(as_text=True)
    void = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert URIRef(BASE + "releases") in set(void.objects(URIRef(BASE + "dataset"), RDFS.seeAlso))


def test_openapi_documents_releases_and_cite(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/api/cite"]) == {"get", "post"}
    assert "application/vnd.citationstyles.csl+json" in paths["/api/cite"]["get"]["responses"]["200"]["content"]
    assert "current" in paths["/api/releases"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]


# ---- /api/cite ------------------------------------------------------------------------------------------

def _bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A minimal BibTeX reader: one entry, its type, key and fields (values in balanced braces)."""
    match = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}\n", text, flags=re.S)
    assert match, text
    fields, body, i = {}, match[3], 0
    while i < len(body):
        name = re.match(r"\s*(\w+) = \{", body[i:])
        assert name, body[i:]
        i += name.end()
        depth, start = 1, i
        while depth:
            depth += {"{": 1, "}": -1}.get(body[i], 0) if body[i - 1] != "\\" else 0
            i += 1
        fields[name[1]] = body[start:i - 1]
        i += 1 if body[i:i + 1] == "," else 0
    return match[1], match[2], fields


def test_a_query_is_cited_with_release_endpoint_share_link_and_access_date(client, record):
    r = client.get("/api/cite", query_string={"query": QUERY, "accessed": DAY})
    assert r.status_code == 200 and r.mimetype == "application/json"
    c = r.get_json()
    assert c["release"] == record["version"] == r.headers["X-Dataset-Version"] == c["datasetVersion"]
    assert c["endpoint"] == BASE + "sparql" and c["accessed"] == DAY and c["query"] == QUERY
    page, fragment = c["shareUrl"].split("#", 1)
    assert page == BASE + "sparql"
    shared = urllib.parse.parse_qs(fragment)
    assert shared == {"query": [QUERY], "release": [record["version"]]}  # the page's share link reads back the same
    assert record["version"] in c["text"] and BASE + "sparql" in c["text"] and f"accessed {DAY}" in c["text"]


def test_the_bibtex_reads_back(client, record):
    r = client.get("/api/cite", query_string={"query": QUERY, "accessed": DAY, "format": "bibtex"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/x-bibtex; charset=utf-8"
    kind, key, fields = _bibtex(r.get_data(as_text=True))
    assert kind == "misc" and key.startswith("ipkg-query-")
    assert fields["version"] == record["version"] and fields["urldate"] == DAY and fields["year"] == record["date"][:4]
    assert fields["url"].startswith(BASE + "sparql#query=") and fields["howpublished"] == "\\url{" + BASE + "sparql}"
    # the query in the note, with LaTeX's specials escaped (no accents from ^^, no group from { })
    assert "\\textasciicircum{}\\textasciicircum{}xsd:date" in fields["note"] and "\\{ ?f a ipkg:OfficialFee" in fields["note"]


def test_the_csl_json_has_the_fields_a_citation_manager_needs(client, record):
    r = client.get("/api/cite", query_string={"query": QUERY, "accessed": DAY}, headers={"Accept": "application/vnd.citationstyles.csl+json"})
    assert r.status_code == 200 and r.mimetype == "application/vnd.citationstyles.csl+json"
    items = json.loads(r.data)
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert item["type"] == "dataset" and item["title"] == "Results of a SPARQL query over the ipkg IP-policy knowledge graph"
    assert item["version"] == record["version"] and item["URL"].startswith(BASE + "sparql#query=")
    assert item["accessed"] == {"date-parts": [[2026, 12, 3]]}
    assert item["issued"] == {"date-parts": [[int(p) for p in record["date"].split("-")]]}
    assert item["custom"] == {"endpoint": BASE + "sparql", "query": QUERY}


def test_text_by_accept_and_json_by_default(client, record):
    r = client.get("/api/cite", query_string={"query": "ASK {}", "accessed": DAY}, headers={"Accept": "text/x-bibliography"})
    assert r.status_code == 200 and r.get_data(as_text=True).endswith(f"(accessed {DAY}).\n")
    assert client.get("/api/cite", query_string={"query": "ASK {}"}).mimetype == "application/json"
    assert 'rel="version-history"' in r.headers["Link"]


def test_the_same_query_on_the_same_release_has_the_same_key(client):
    keys = {client.get("/api/cite", query_string={"query": QUERY, "accessed": day}).get_json()["csl"]["id"] for day in (DAY, "2027-01-01")}
    assert len(keys) == 1


def test_a_long_query_is_cited_by_post_and_the_title_in_japanese(client):
    r = client.post("/api/cite", data={"query": QUERY, "lang": "ja", "accessed": DAY})
    assert r.status_code == 200
    assert r.get_json()["csl"]["title"] == "ipkg 知的財産政策ナレッジグラフに対する SPARQL クエリの結果"


def test_the_access_date_defaults_to_a_date(client):
    accessed = client.get("/api/cite", query_string={"query": "ASK {}"}).get_json()["accessed"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", accessed)


def test_the_named_release_may_be_the_one_held_even_with_a_space_for_plus(client, record):
    r = client.get("/api/cite", query_string={"query": "ASK {}", "release": record["version"].replace("+", " ")})
    assert r.status_code == 200


@pytest.mark.parametrize(("args", "status", "said"), [
    ({}, 400, "exactly one query="),
    ({"query": ["ASK {}", "ASK {}"]}, 400, "exactly one query="),
    ({"query": "SELEC * WHERE"}, 400, "syntax error"),
    ({"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}, 400, None),
    ({"query": "ASK {}", "accessed": "3 December"}, 400, "accessed must be a date as YYYY-MM-DD"),
    ({"query": "ASK {}", "release": "2020-01-01+000000000000"}, 404, "is not the one this server holds"),
    ({"query": "ASK {}", "format": "ris"}, 406, "use one of json, csl, bibtex, text"),
])
def test_bad_requests_are_said(client, args, status, said):
    r = client.get("/api/cite", query_string=args)
    assert r.status_code in ((status, 403) if said is None else (status,)), r.data
    problem = r.get_json()
    assert problem["status"] == r.status_code
    if said:
        assert said in problem["problems"][0]


def test_an_unacceptable_type_is_406(client):
    r = client.get("/api/cite", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/x-bibtex" in r.get_json()["problems"][0]


def test_the_citation_never_echoes_the_host_header(client):
    r = client.get("/api/cite", query_string={"query": "ASK {}"}, headers={"Host": "evil.example"})
    assert r.status_code == 200 and "evil.example" not in r.get_data(as_text=True)


# ---- the query page's release and cite box (server side; the browser tests run them) -----------------------

def test_the_query_page_names_the_release_and_holds_the_cite_box(client, record):
    page = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f"<code>{record['version']}</code>" in page
    if 'id="yasgui"' in page:
        assert f'data-release="{record["version"]}"' in page and 'data-cite="/api/cite"' in page
        assert 'id="cite-results"' in page and 'id="release-mismatch"' in page


# ---- sources as resources -------------------------------------------------------------------------------

@pytest.mark.parametrize(("doc", "facts"), [
    ("jetro-beijing-ip-news-532", {"publisher": "JETRO Beijing Office, IP Department", "issued": "2023-08-07 · issue 532",
                                   "file": "000_4a25ec3d30997a62.txt"}),
    ("jpo-ip-ecosystem-2025", {"publisher": "Japan Patent Office", "issued": "2025 precision: year", "file": "002_16c6bf550fb2fe75.txt"}),
    ("cnipa-fee-guide-2025", {"publisher": "not stated", "issued": "2025 precision: year", "file": "003_88367d768192d5e6.txt"}),
    ("cn-local-regulations-ch4", {"publisher": "not stated", "issued": "not stated", "file": "001_3e9a67c1c4e78796.txt"}),
    ("jpo-annual-report-ch5", {"publisher": "Japan Patent Office", "issued": "not stated", "file": "004_719ab47a89941bc7.txt"}),
])
def test_each_document_page_says_what_the_document_states(client, doc, facts):
    page = client.get(f"/id/doc/{doc}.html?lang=en").get_data(as_text=True)
    box = page[page.index('id="document-facts"'):]
    box = box[:box.index("</section>")]

    def field(name: str) -> str:
        cell = re.search(rf'<dd data-doc="{name}"[^>]*>(.*?)</dd>', box, flags=re.S)
        assert cell, name
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell[1])).strip()

    for name, expected in facts.items():
        assert field(name).startswith(expected), (name, field(name))
    title = field("title")
    assert " ja " in f" {title} " and title.endswith(" en")  # both titles, each with its language
    assert field("language") == "ja"
    assert field("address") == "the document states no address of its own"  # none of the five states one (data-quality notes)
    assert re.search(r"SHA-256 [0-9a-f]{64}$", field("file"))
    assert field("note")


def test_the_document_facts_in_japanese(client):
    page = client.get("/id/doc/jetro-beijing-ip-news-532.html?lang=ja").get_data(as_text=True)
    assert "この文書について" in page and "JETRO北京事務所知的財産権部" in page and "号 532" in page


def test_a_query_over_the_length_cap_is_refused_as_sparql_refuses_it(client, app):
    cap = app.extensions["ipkg"].settings.max_query_length
    r = client.post("/api/cite", data={"query": "ASK {}" + " " * cap})
    assert r.status_code == 413 and str(cap) in r.get_json()["problems"][0]
