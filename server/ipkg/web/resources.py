"""Dereferenceable IRIs: /id/... and /def/... answer with HTML or RDF by content negotiation; home, VoID, downloads.

Conventions (Cool URIs for the Semantic Web, "303 URIs"): the IRI names the thing itself (a
programme, a fee, a class), not a document. A request for it answers `303 See Other` to the document
chosen by content negotiation (`Vary: Accept`): `{iri}.html`, `.ttl`, `.jsonld`, `.rdf` or `.nt`
(`?format=` overrides Accept). A document answers 200 with `Content-Location` naming itself.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from urllib.parse import unquote, urlencode

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from rdflib import Graph, Literal, URIRef
from werkzeug.wrappers import Response as BaseResponse  # what flask.redirect returns

from .. import jsonld, release
from ..bind import BindError
from ..changes import KINDS, state_on, timeline
from ..citation import cite, document_facts, document_index
from ..describe import WORD, condition_tree, describe, similar
from ..errors import InvalidRequest, NotFound
from ..export import CHECKSUMS
from ..media import GZIP, HTML, JSON_LD, RDF_DOCUMENTS, TEXT, TURTLE, MediaType, Offer
from ..namespaces import IPKG, PREFIXES, SPDX, curie, local_path
from ..services import Services
from .routing import Route, blueprint, page_lang

log = logging.getLogger(__name__)

# a resource's documents: the page, then its RDF (the page when the client sends no Accept; ?format= overrides Accept)
DOCUMENTS = Offer("this resource", (HTML, *RDF_DOCUMENTS))
VOID = Offer("the dataset description", RDF_DOCUMENTS)
DOWNLOADS = Offer("a download", (TURTLE, JSON_LD, GZIP))  # the release's files by their extension
ERROR_PAGE = Offer("an error page", (TEXT, HTML), default=TEXT)  # plain text unless the client prefers HTML (a browser)

CITE_UI = {  # the cite box's words, ja and en (the box follows ?lang=, else Accept-Language)
    "cite": {"ja": "この資料の引用", "en": "Cite this"},
    "cite_help": {"ja": "リリース(データセットの版)、IRI、根拠とした出典の行を示して引用してください。",
                  "en": "Cite the release (the dataset's version), the IRI and the source lines it rests on."},
    "release": {"ja": "リリース", "en": "Release"},
    "sources": {"ja": "出典の行", "en": "Source lines"},
    "no_sources": {"ja": "(出典の行の記載なし)", "en": "(no source line recorded)"},
    "derived": {"ja": "この文書の各行から導いたリソース", "en": "What the graph derives from each line"},
    "derived_help": {"ja": "この文書の{places}か所を{resources}件のリソースが出典としています。行番号(1から、cat -n と同じ)は次のファイルのものです:",
                     "en": "{places} places of this document are cited by {resources} resources. The line numbers (1-based, as cat -n counts) are those of"},
    "line": {"ja": "行", "en": "line"},
    "resources": {"ja": "リソース", "en": "resources"},
    "timeline": {"ja": "経過", "en": "Timeline"},
    "as_of": {"ja": "基準日の状態", "en": "In force on a date"},
    "show": {"ja": "表示", "en": "Show"},
    "yes": {"ja": "有効", "en": "in force"}, "no": {"ja": "無効", "en": "not in force"}, "unknown": {"ja": "日付の記載なし", "en": "not dated"},
    "this": {"ja": "この資料", "en": "This resource"},
    "parts": {"ja": "版のある構成要素(要件・給付・期限)", "en": "Its dated parts (conditions, benefits, deadlines): the versions"},
    "document": {"ja": "この文書について", "en": "About this document"},
    "doc_title": {"ja": "表題", "en": "Title"}, "publisher": {"ja": "発行者", "en": "Publisher"},
    "issued": {"ja": "発行日・版", "en": "Date or edition"}, "issue": {"ja": "号", "en": "issue"},
    "language": {"ja": "言語", "en": "Language"}, "address": {"ja": "文書の URL", "en": "Address (URL)"},
    "no_address": {"ja": "文書自身は URL を記載していません", "en": "the document states no address of its own"},
    "not_stated": {"ja": "記載なし", "en": "not stated"}, "file": {"ja": "行番号の基準ファイル", "en": "Text file the lines refer to"},
    "quality": {"ja": "データ品質の注記", "en": "Data-quality note"},
    "precision": {"ja": "精度", "en": "precision"},
}


def split_extension(path: str) -> tuple[str, str | None]:
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and DOCUMENTS.by_extension(ext):
        return stem, ext
    return path, None


def _serve_rdf(graph: Graph, document: MediaType, location: str) -> Response:
    if document is JSON_LD:  # compacted with the published context, which the Link header names
        response = Response(jsonld.compact_graph(graph), mimetype=document.media)
        response.headers["Link"] = jsonld.link_header()
    else:
        response = Response(graph.serialize(format=document.rdf_syntax, encoding="utf-8"), mimetype=document.media)
    response.headers["Content-Location"] = location
    response.vary.add("Accept")
    return response


def _resource(services: Services, iri: str, path: str, ext: str | None) -> BaseResponse:
    chosen = DOCUMENTS.by_extension(ext) if ext else DOCUMENTS.negotiate(request.headers.get("Accept"), request.args.getlist("format"))
    assert chosen is not None  # split_extension keeps only the extensions of DOCUMENTS
    store = services.store
    try:
        d = describe(store, iri)
    except (BindError, SyntaxError):  # an IRI the engine's parser refuses names nothing in the graph
        raise NotFound(f"<{iri}> is not a valid IRI, so the graph says nothing about it") from None
    if not d.exists:
        raise NotFound(f"the graph says nothing about <{iri}>")
    location = f"/{path}.{chosen.name}"
    if ext is None:  # the thing itself: see the document that describes it (with the same ?asOf=, ?lang=)
        query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "format"])  # format= chose the document
        response = redirect(location + ("?" + query if query else ""), code=303)
        response.vary.add("Accept")
        return response
    if chosen is not HTML:
        return _serve_rdf(d.graph(), chosen, location)
    types = {str(v) for v in d.values(PREFIXES["rdf"] + "type")}
    lang = page_lang()
    citation = cite(store, iri, services.version, release.build_record(services.settings.dist_path).get("date"), lang)
    is_document = str(IPKG) + "SourceDocument" in types
    index = document_index(store, iri) if is_document else []
    facts = document_facts(store, iri) if is_document else None
    dated_kind = any(t.rsplit("/", 1)[-1] in KINDS for t in types)
    history = timeline(store, iri) if dated_kind else []
    as_of = None
    if request.args.get("asOf"):
        try:
            as_of = state_on(store, iri, dt.date.fromisoformat(request.args["asOf"]))
        except ValueError:
            raise InvalidRequest(f"asOf must be a date as YYYY-MM-DD, not {request.args['asOf']!r}") from None
    checksums = [str(o) for pairs in d.blank.values() for p, o in pairs if p == str(SPDX.checksumValue)]
    tree = None
    requirement = d.values(PREFIXES["cv"] + "holdsRequirement")
    if requirement:
        tree = condition_tree(store, str(requirement[0]))
    response = Response(render_template(
        "resource.html", d=d, iri=iri, types=types, tree=tree, local=lambda i: local_path(i, services.settings.base),
        curie=curie, path=path,
        is_literal=lambda v: isinstance(v, Literal), is_iri=lambda v: isinstance(v, URIRef), ipkg=str(IPKG),
        representations=RDF_DOCUMENTS,
        benefits=d.values(str(IPKG) + "hasBenefit"), sanctions=d.values(str(IPKG) + "hasSanction"),
        history=history, as_of=as_of, dated_kind=dated_kind, citation=citation, csl_json=json.dumps(citation.csl(), ensure_ascii=False, indent=2), lang=lang, ui=CITE_UI, index=index, facts=facts, checksums=checksums,
        index_count=len({r for line in index for r in line.resources})), mimetype="text/html")
    response.headers["Content-Location"] = location
    response.vary.add("Accept")
    return response


def thing(services: Services, path: str) -> BaseResponse:
    stem, ext = split_extension(path)
    return _resource(services, services.settings.ids + stem, "id/" + stem, ext)


def context(services: Services) -> Response:
    """The JSON-LD context every JSON-LD document of the service is compacted with (its IRI: jsonld.CONTEXT_IRI)."""
    response = Response(jsonld.context_document(), mimetype=JSON_LD.media)
    response.headers["Content-Location"] = jsonld.CONTEXT_PATH
    return response


def favicon(services: Services) -> Response:
    """Browsers ask for /favicon.ico where a page names no icon (RDF and JSON views): the same SVG icon."""
    return send_from_directory(Path(__file__).parent / "static", "favicon.svg", mimetype="image/svg+xml", max_age=86400)


def term(services: Services, term: str) -> BaseResponse:
    stem, ext = split_extension(term)
    return _resource(services, str(IPKG) + stem, "def/" + stem, ext)  # the vocabulary keeps its permanent namespace


def home(services: Services) -> Response:
    settings = services.settings
    return Response(render_template("home.html", base=settings.base), mimetype="text/html")


def void(services: Services) -> Response:
    dist: Path = services.settings.dist_path
    if not (dist / "void.ttl").exists():
        raise NotFound("no dataset description: run `ipkg build`")
    document = VOID.choose(request.headers.get("Accept"), request.args.getlist("format")) or TURTLE  # Turtle for a browser too
    return _serve_rdf(Graph().parse(dist / "void.ttl"), document, f"/.well-known/void?format={document.name}")


def downloads(services: Services) -> Response:
    """The release's files: their names with the release in them, the plain names that stay as aliases,
    sizes and SHA-256 (as in SHA256SUMS and the VoID description)."""
    record = release.build_record(services.settings.dist_path)
    files = record.get("downloads", {})
    return Response(render_template("download.html", files=files, version=services.version, date=record.get("date"),
                                    checksums=CHECKSUMS), mimetype="text/html")


def download(services: Services, name: str) -> Response:
    """A file of the release by its versioned name (ipkg-2026-12-02-3f2a9b1c0d4e.nq.gz) or its plain name
    (ipkg.nq.gz, the alias that always names the release served here); SHA256SUMS lists them."""
    dist: Path = services.settings.dist_path
    if name == CHECKSUMS and (dist / name).is_file():
        return send_from_directory(dist, name, mimetype="text/plain")
    plain, tag = release.unversioned_name(name)
    if tag is not None and tag != release.file_tag(services.version):
        raise NotFound(f"{name} belongs to release {tag}; this server holds release {services.version} (see /download)")
    kind = DOWNLOADS.by_extension(plain.rsplit(".", 1)[-1])
    if kind is None or ".." in plain or not (dist / plain).is_file():
        raise NotFound(f"no download named {name}")
    saved_as = release.versioned_name(plain, services.version).rsplit("/", 1)[-1]  # a saved copy keeps the release in its name
    response = send_from_directory(dist, plain, mimetype=kind.media, as_attachment=plain.endswith(".gz"), download_name=saved_as)
    if kind is JSON_LD and plain != jsonld.CONTEXT_FILE:
        response.headers["Link"] = jsonld.link_header()
    return response



NOT_FOUND_TEXT = {
    "title": {"en": "Not found", "ja": "見つかりません"},
    "says_nothing": {"en": "The graph says nothing about", "ja": "このグラフには次の IRI についての記述がありません:"},
    "no_page": {"en": "There is no page at", "ja": "次のアドレスにページはありません:"},
    "close": {"en": "Resources with a close IRI or label", "ja": "IRI またはラベルが近いリソース"},
    "none_close": {"en": "No resource has a close IRI or label.", "ja": "IRI やラベルが近いリソースはありません。"},
    "search": {"en": "Search the graph", "ja": "グラフを検索"},
    "search_button": {"en": "Search", "ja": "検索"},
    "go_on": {"en": "Or go on from", "ja": "ほかの入口"},
    "home": {"en": "the home page", "ja": "ホーム"},
    "sparql": {"en": "the SPARQL endpoint", "ja": "SPARQL エンドポイント"},
    "ontology": {"en": "the ontology", "ja": "オントロジー"},
    "eligibility": {"en": "the eligibility questionnaire", "ja": "適格性の確認"},
    "downloads": {"en": "the downloads", "ja": "ダウンロード"},
}


def wants_html() -> bool:
    """Whether the client prefers HTML to plain text (a browser does; curl and RDF clients do not)."""
    return ERROR_PAGE.choose(request.headers.get("Accept")) is HTML


def not_found(services: Services) -> Response:
    """The 404 page for a person: what was not found, resources close to it, a search form and the site's entrances.

    Under /id/ and /def/ the store suggests resources whose IRI or label is close to the one asked for."""
    lang = page_lang()
    settings = services.settings
    path = request.path
    namespace, wanted = None, ""
    if path.startswith("/id/"):
        namespace, wanted = settings.ids, settings.ids + split_extension(path[4:])[0]
    elif path.startswith("/def/"):
        namespace, wanted = str(IPKG), str(IPKG) + split_extension(path[5:])[0]
    suggestions: list[tuple[str, str | None]] = []
    if namespace is not None:
        try:
            suggestions = similar(services.store, wanted, namespace, lang=lang)
        except Exception:  # a page to go on from matters more than the suggestions: log, and show none
            log.exception("no suggestions for %s", path)
    words = " ".join(WORD.findall(unquote(split_extension(path.split("/", 2)[-1])[0]))) if namespace else ""
    texts = {key: value[lang] for key, value in NOT_FOUND_TEXT.items()}
    response = Response(render_template("not_found.html", lang=lang, t=texts, iri=wanted or None,
                                        path=path, suggestions=suggestions,
                                        local=lambda iri: local_path(iri, settings.base), query=words),
                        status=404, mimetype="text/html")
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response


ROUTES = [
    Route("/id/<path:path>", thing),
    Route("/def/<string:term>", term),
    Route("/", home),
    Route("/.well-known/void", void),
    Route("/download", downloads),
    Route("/download/<path:name>", download),
    Route(jsonld.CONTEXT_PATH, context),
    Route("/favicon.ico", favicon),
]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("resources", __name__, ROUTES, services)
