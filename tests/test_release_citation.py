"""Citable releases and sources as resources: the release's version and PROV in VoID, dumps named by release
with SHA256SUMS, X-Dataset-Version on every answer, the source documents' pages and the cite box."""

from __future__ import annotations

import hashlib
import html
import json
import re
from importlib import metadata

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, VOID

from ipkg import release
from ipkg.citation import cite
from ipkg.config import Settings
from ipkg.namespaces import SPDX
from ipkg.sources import sources_dir

BASE = "https://w3id.org/ipkg/"
DS = URIRef(BASE + "dataset")
VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}\+[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def record(built) -> dict:
    return release.build_record(built.dist_path)


@pytest.fixture(scope="module")
def void(client_module) -> Graph:
    return Graph().parse(data=client_module.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, format="turtle")


@pytest.fixture(scope="module")
def client_module(app):
    return app.test_client()


def test_the_version_is_the_build_date_and_the_sources_digest(built, record):
    assert VERSION.match(record["version"])
    assert record["sourcesDigest"] == release.sources_digest(built.root)
    assert record["version"] == f"{record['date']}+{record['sourcesDigest'][:12]}"
    assert release.dataset_version(built.dist_path) == record["version"]


def test_source_date_epoch_fixes_the_release_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")  # 2024-01-01T00:00:00Z
    assert Settings.from_env().build_date == "2024-01-01"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert Settings.from_env().build_date is None


def test_versioned_names_round_trip():
    version = "2026-12-02+0123456789ab"
    assert release.versioned_name("ipkg.nq.gz", version) == "ipkg-2026-12-02-0123456789ab.nq.gz"
    assert release.versioned_name("graph/cnipa-fee-guide-2025.ttl", version) == "graph/cnipa-fee-guide-2025-2026-12-02-0123456789ab.ttl"
    assert release.unversioned_name("graph/cnipa-fee-guide-2025-2026-12-02-0123456789ab.ttl") == (
        "graph/cnipa-fee-guide-2025.ttl", "2026-12-02-0123456789ab")
    assert release.unversioned_name("graph/cnipa-fee-guide-2025.ttl") == ("graph/cnipa-fee-guide-2025.ttl", None)


def test_void_gives_the_dataset_and_every_graph_its_version(void, record):
    assert void.value(DS, DCTERMS.hasVersion) == Literal(record["version"])
    subsets = list(void.objects(DS, VOID.subset))
    assert len(subsets) == 10
    for subset in subsets:
        assert void.value(subset, DCTERMS.hasVersion) == Literal(record["version"]), subset


def test_the_build_activity_names_its_tools_and_every_input_with_its_checksum(void, built, record):
    activity = void.value(DS, PROV.wasGeneratedBy)
    assert activity == URIRef(f"{BASE}dataset/build/{release.file_tag(record['version'])}")
    tools = {str(void.value(a, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))): str(void.value(a, DCTERMS.hasVersion))
             for a in void.objects(activity, PROV.wasAssociatedWith)}
    assert tools["rdflib"] == metadata.version("rdflib") and tools["pyshacl"] == metadata.version("pyshacl")
    assert tools[built.reasoner] == metadata.version(built.reasoner)
    used = {str(void.value(e, DCTERMS.identifier)): str(void.value(void.value(e, SPDX.checksum), SPDX.checksumValue))
            for e in void.objects(activity, PROV.used)}
    assert used == {p.relative_to(built.root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in release.source_files(built.root)}
    assert "data/cnipa-fee-guide-2025/fees.ttl" in used


def test_the_ontology_version_iri_follows_its_version_info(void, kg):
    ontology = URIRef(BASE + "def/")
    info = str(void.value(ontology, OWL.versionInfo))
    assert void.value(ontology, OWL.versionIRI) == URIRef(f"{BASE}def/{info}")
    assert kg.ask(f'ASK {{ <{ontology}> owl:versionIRI <{BASE}def/{info}> ; owl:versionInfo "{info}" }}')


def test_dumps_in_void_carry_the_release_in_their_names_with_size_and_checksum(void, built, record):
    tag = release.file_tag(record["version"])
    dumps = {str(d) for d in void.objects(DS, VOID.dataDump)}
    assert dumps == {f"{BASE}download/ipkg-{tag}.nq.gz", f"{BASE}download/ipkg-{tag}.trig.gz"}
    dump = URIRef(f"{BASE}download/ipkg-{tag}.nq.gz")
    data = (built.dist_path / "ipkg.nq.gz").read_bytes()
    assert str(void.value(void.value(dump, SPDX.checksum), SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
    assert int(void.value(dump, URIRef("http://www.w3.org/ns/dcat#byteSize"))) == len(data)


def test_sha256sums_checks_every_file_as_served(client, record):
    r = client.get("/download/SHA256SUMS")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    lines = r.data.decode().splitlines()
    assert len(lines) == len(record["downloads"]) == 2 + 10 * 2 + 1 + 1  # two dumps, each graph twice, the JSON-LD context, void.ttl
    for line in lines:
        digest, name = line.split("  ")
        served = client.get(f"/download/{name}")
        assert served.status_code == 200, name
        assert hashlib.sha256(served.data).hexdigest() == digest, name
        plain, tag = release.unversioned_name(name)
        assert tag == release.file_tag(record["version"])
        assert client.get(f"/download/{plain}").data == served.data  # the plain name stays an alias


def test_a_dump_of_another_release_is_404_naming_the_release_held(client, record):
    r = client.get("/download/ipkg-2020-01-01-000000000000.nq.gz")
    assert r.status_code == 404 and record["version"] in r.data.decode()
    assert client.get(f"/download/ipkg-{release.file_tag(record['version'])}.nq.gz/../../x").status_code == 404


def test_a_saved_dump_keeps_the_release_in_its_file_name(client, record):
    r = client.get("/download/ipkg.nq.gz")
    assert f"ipkg-{release.file_tag(record['version'])}.nq.gz" in r.headers["Content-Disposition"]


def test_the_download_page_shows_release_names_and_checksums(client, record):
    page = client.get("/download").data.decode()
    assert record["version"] in page
    for plain, f in record["downloads"].items():
        assert f'href="/download/{f["name"]}"' in page and f["sha256"] in page and f'href="/download/{plain}"' in page


@pytest.mark.parametrize("method, path, kwargs", [
    ("get", "/sparql?query=ASK%20%7B%7D", {}),
    ("get", "/id/fee/cn-annual-invention-years-1-3.html", {}),
    ("get", "/id/fee/cn-annual-invention-years-1-3", {}),
    ("get", "/id/nothing-here", {}),
    ("get", "/api/queries", {}),
    ("get", "/api/openapi.json", {}),
    ("get", "/download", {}),
    ("get", "/eligibility", {}),
    ("post", "/api/eligibility", {"json": {"applicant": {"kind": "individual"}}}),
    ("post", "/api/eligibility", {"data": "not json", "content_type": "application/json"}),
])
def test_every_answer_names_the_release(client, record, method, path, kwargs):
    r = getattr(client, method)(path, **kwargs)
    assert r.headers["X-Dataset-Version"] == record["version"]
    if r.mimetype == "application/json" and path.startswith("/api/") and "openapi" not in path:
        assert r.get_json()["datasetVersion"] == record["version"]


def test_cors_exposes_the_version_header(client):
    r = client.get("/sparql?query=ASK%20%7B%7D")
    assert "X-Dataset-Version" in r.headers["Access-Control-Expose-Headers"]


def test_openapi_documents_the_header_and_the_body_field(client):
    doc = client.get("/api/openapi.json").get_json()
    assert "X-Dataset-Version" in doc["components"]["headers"]
    calendar = doc["paths"]["/api/calendar"]["get"]
    assert {"filingDate", "grantDate", "right", "office"} <= {p["name"] for p in calendar["parameters"]}
    assert "text/calendar" in calendar["responses"]["200"]["content"]
    eligibility = doc["paths"]["/api/eligibility"]["post"]["responses"]["200"]
    assert "X-Dataset-Version" in eligibility["headers"]
    assert "datasetVersion" in eligibility["content"]["application/json"]["schema"]["properties"]


# ---------------------------------------------------------------- sources as resources


def test_each_source_document_has_titles_in_ja_and_en_a_language_and_its_checksum(kg, built):
    rows = kg.rows("""SELECT ?doc ?ja ?en ?file ?sha WHERE { ?doc a ipkg:SourceDocument ; ipkg:fileName ?file ; dct:language "ja" ;
        dct:title ?ja , ?en ; spdx:checksum/spdx:checksumValue ?sha FILTER(lang(?ja) = "ja" && lang(?en) = "en") }""")
    assert len(rows) == 5
    folder = sources_dir(built)
    if not folder.is_dir():
        pytest.skip(f"no source documents in {folder}")
    for row in rows:
        assert hashlib.sha256((folder / row["file"]).read_bytes()).hexdigest() == row["sha"], row["file"]


def test_the_newsletter_names_its_publisher_issue_and_date(kg, built):
    row = kg.rows("""SELECT ?pub ?issue ?date WHERE { <doc/jetro-beijing-ip-news-532> dct:publisher ?pub ;
        schema:issueNumber ?issue ; dct:issued ?date }""")[0]
    assert row["pub"].endswith("/authority/jetro-beijing-ip-department") and row["issue"] == "532" and str(row["date"]) == "2023-08-07"
    folder = sources_dir(built)
    if folder.is_dir():
        lines = (folder / "000_4a25ec3d30997a62.txt").read_text(encoding="utf-8").splitlines()
        assert "2023/8/7号 (No.532)" in lines[2] and "北京事務所知的財産権部" in lines[830]


def test_a_document_page_lists_what_is_derived_from_each_line(client):
    page = client.get("/id/doc/cnipa-fee-guide-2025.html").data.decode()
    row = re.search(r'<tr id="line-59">(.*?)</tr>', page, re.DOTALL)
    assert row and "/id/fee/cn-annual-invention-years-1-3" in row.group(1)  # 1~3年目:毎年900
    row = re.search(r'<tr id="line-131">(.*?)</tr>', page, re.DOTALL)
    assert row and "/id/deadline/cn-annual-fee-payment" in row.group(1)
    assert "213d644cd9a3cea48e7e32815a21519fc76a09561ea742e64aad81039849c914" in page


def test_articles_group_what_cites_them_on_the_chapter_page(client):
    page = client.get("/id/doc/cn-local-regulations-ch4.html").data.decode()
    row = re.search(r'<tr id="line-39">(.*?)</tr>', page, re.DOTALL)  # Jilin art. 6 (lines 39-41): the years of use
    assert row and "/id/condition/jilin-ftm-years-in-use" in row.group(1)


def test_provenance_links_to_the_line_on_the_document_page(client):
    page = client.get("/id/fee/cn-annual-invention-years-1-3.html").data.decode()
    assert 'href="/id/doc/cnipa-fee-guide-2025#line-59"' in page


def _cite_box(page: str, key: str) -> str:
    match = re.search(rf'data-cite="{key}"[^>]*>(.*?)</(?:pre|p|code|dd)>', page, re.DOTALL)
    assert match, key
    return html.unescape(match.group(1))


def test_the_cite_box_names_release_iri_and_source_lines(client, record):
    page = client.get("/id/fee/cn-annual-invention-years-1-3.html").data.decode()
    iri = BASE + "id/fee/cn-annual-invention-years-1-3"
    text = _cite_box(page, "text")
    assert record["version"] in text and iri in text and "lines 27, 56, 58, 59" in text
    bibtex = _cite_box(page, "bibtex")
    assert bibtex.startswith("@misc{ipkg-fee-cn-annual-invention-years-1-3,")
    assert f"version = {{{record['version']}}}" in bibtex and f"url = {{{iri}}}" in bibtex
    csl = json.loads(_cite_box(page, "csl"))
    assert csl["type"] == "dataset" and csl["version"] == record["version"] and csl["URL"] == iri
    assert csl["title"] == "Invention patent annual fee, years 1–3" and "lines 27, 56, 58, 59" in csl["note"]


def test_the_cite_box_in_japanese(client):
    page = client.get("/id/fee/cn-annual-invention-years-1-3.html?lang=ja").data.decode()
    assert "この資料の引用" in page and "発明特許年金(1~3年目)" in _cite_box(page, "text")
    assert "この資料の引用" in client.get("/id/fee/cn-annual-invention-years-1-3.html",
                                        headers={"Accept-Language": "ja"}).data.decode()


def test_a_condition_without_a_label_is_cited_by_its_definition(kg):
    citation = cite(kg.store, BASE + "id/condition/jilin-ftm-years-in-use", "v", "2026-12-02")
    assert "1 year" in citation.title or "one year" in citation.title.lower()
    assert citation.sources and citation.sources[0]["document"].endswith("/doc/cn-local-regulations-ch4")

