"""Dereferenceable IRIs: /id/... and /def/... answer with HTML or RDF by content negotiation; home, VoID, downloads.

Conventions (Cool URIs for the Semantic Web, "303 URIs"): the IRI names the thing itself (a
programme, a fee, a class), not a document. A request for it answers `303 See Other` to the document
chosen by content negotiation (`Vary: Accept`): `{iri}.html`, `.ttl`, `.jsonld`, `.rdf` or `.nt`
(`?format=` overrides Accept). A document answers 200 with `Content-Location` naming itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from rdflib import Graph, Literal, URIRef
from werkzeug.exceptions import HTTPException

from .. import jsonld
from ..describe import WORD, condition_tree, describe, similar
from ..export import GRAPH_FORMATS
from ..namespaces import IPKG, PREFIXES
from ..sparql.bind import BindError

bp = Blueprint("resources", __name__)
log = logging.getLogger(__name__)

# extension -> (media type, rdflib format)
REPRESENTATIONS = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}
BY_MEDIA = {media: ext for ext, (media, _fmt) in REPRESENTATIONS.items()}
FORMAT_NAMES = {"turtle": "ttl", "json-ld": "jsonld", "json": "jsonld", "rdfxml": "rdf", "xml": "rdf", "ntriples": "nt", **{e: e for e in REPRESENTATIONS}}


def _state():
    return current_app.extensions["ipkg"]


def negotiate(default: str = "html") -> str | None:
    """The representation (an extension key) the client asked for: ?format=, else Accept with q-values."""
    if fmt := request.args.get("format"):
        return FORMAT_NAMES.get(fmt.lower())
    if not request.headers.get("Accept"):
        return default
    media = request.accept_mimetypes.best_match(list(BY_MEDIA) + ["application/xhtml+xml", "application/json", "text/plain"])
    if media is None:
        return None
    return {"application/xhtml+xml": "html", "application/json": "jsonld", "text/plain": "nt"}.get(media) or BY_MEDIA[media]


def split_extension(path: str) -> tuple[str, str | None]:
    stem, dot, ext = path.rpartition(".")
    if dot and ext in REPRESENTATIONS and "/" not in ext:
        return stem, ext
    return path, None


def local(iri: str) -> str:
    """A link to the local page of one of our IRIs (things under the base, terms of the ontology); others stay."""
    base = _state()["settings"].base
    if iri.startswith(str(IPKG)):
        return "/def/" + iri[len(str(IPKG)):]
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _serve_rdf(graph: Graph, ext: str, location: str) -> Response:
    media, fmt = REPRESENTATIONS[ext]
    if ext == "jsonld":  # compacted with the published context, which the Link header names
        response = Response(jsonld.compact_graph(graph), mimetype=media)
        response.headers["Link"] = jsonld.link_header()
    else:
        response = Response(graph.serialize(format=fmt, encoding="utf-8"), mimetype=media)
    response.headers["Content-Location"] = location
    response.vary.add("Accept")
    return response


def _resource(iri: str, path: str, ext: str | None) -> Response:
    chosen = ext or negotiate()
    if chosen is None:
        return Response("406 Not Acceptable: available as " + ", ".join(m for m, _ in REPRESENTATIONS.values()) + "\n",
                        status=406, mimetype="text/plain")
    store = _state()["store"]
    try:
        d = describe(store, iri)
    except (BindError, SyntaxError):  # an IRI the engine's parser refuses names nothing in the graph
        abort(404, description=f"<{iri}> is not a valid IRI, so the graph says nothing about it")
    if not d.exists:
        abort(404, description=f"the graph says nothing about <{iri}>")
    location = f"/{path}.{chosen}"
    if ext is None:  # the thing itself: see the document that describes it
        response = redirect(location, code=303)
        response.vary.add("Accept")
        return response
    if chosen != "html":
        return _serve_rdf(d.graph(), chosen, location)
    types = {str(v) for v in d.values(PREFIXES["rdf"] + "type")}
    tree = None
    requirement = d.values(PREFIXES["cv"] + "holdsRequirement")
    if requirement:
        tree = condition_tree(store, str(requirement[0]))
    response = Response(render_template(
        "resource.html", d=d, iri=iri, types=types, tree=tree, local=local, curie=curie, path=path,
        is_literal=lambda v: isinstance(v, Literal), is_iri=lambda v: isinstance(v, URIRef), ipkg=str(IPKG),
        representations=[(e, m) for e, (m, _) in REPRESENTATIONS.items() if e != "html"],
        benefits=d.values(str(IPKG) + "hasBenefit"), sanctions=d.values(str(IPKG) + "hasSanction")), mimetype="text/html")
    response.headers["Content-Location"] = location
    response.vary.add("Accept")
    return response


@bp.get("/id/<path:path>")
def thing(path: str) -> Response:
    stem, ext = split_extension(path)
    return _resource(_state()["settings"].base + "id/" + stem, "id/" + stem, ext)


@bp.get(jsonld.CONTEXT_PATH)
def context() -> Response:
    """The JSON-LD context every JSON-LD document of the service is compacted with (its IRI: jsonld.CONTEXT_IRI)."""
    response = Response(jsonld.context_document(), mimetype="application/ld+json")
    response.headers["Content-Location"] = jsonld.CONTEXT_PATH
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico where a page names no icon (RDF and JSON views): the same SVG icon."""
    return send_from_directory(Path(bp.root_path) / "static", "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/def/<string:term>")
def term(term: str) -> Response:
    stem, ext = split_extension(term)
    return _resource(str(IPKG) + stem, "def/" + stem, ext)  # the vocabulary keeps its permanent namespace


@bp.get("/")
def home() -> Response:
    settings = _state()["settings"]
    return Response(render_template("home.html", base=settings.base), mimetype="text/html")


@bp.get("/.well-known/void")
def void() -> Response:
    dist: Path = _state()["settings"].dist_path
    if not (dist / "void.ttl").exists():
        abort(404, description="no dataset description: run `ipkg build`")
    ext = negotiate(default="ttl")
    if ext in (None, "html"):
        ext = "ttl"
    return _serve_rdf(Graph().parse(dist / "void.ttl"), ext, f"/.well-known/void?format={ext}")


@bp.get("/download")
def downloads() -> Response:
    dist: Path = _state()["settings"].dist_path
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file() and p.suffix in (".gz", ".ttl", ".jsonld"))
    sizes = {f: (dist / f).stat().st_size for f in files}
    return Response(render_template("download.html", files=files, sizes=sizes, graph_formats=GRAPH_FORMATS), mimetype="text/html")


@bp.get("/download/<path:name>")
def download(name: str) -> Response:
    dist: Path = _state()["settings"].dist_path
    allowed = name.endswith((".gz", ".ttl", ".jsonld")) and ".." not in name
    if not allowed or not (dist / name).is_file():
        abort(404, description=f"no download named {name}")
    media = {"ttl": "text/turtle", "jsonld": "application/ld+json"}.get(name.rsplit(".", 1)[-1], "application/gzip")
    response = send_from_directory(dist, name, mimetype=media, as_attachment=name.endswith(".gz"))
    if media == "application/ld+json" and name != jsonld.CONTEXT_FILE:
        response.headers["Link"] = jsonld.link_header()
    return response


HTML_TYPES = ("text/html", "application/xhtml+xml")
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
    return request.accept_mimetypes.best_match(["text/plain", *HTML_TYPES]) in HTML_TYPES


def _page_lang() -> str:
    chosen = request.args.get("lang")
    if chosen in ("ja", "en"):
        return chosen
    return request.accept_languages.best_match(["en", "ja"]) or "en"


def not_found(exc: HTTPException) -> Response:
    """The 404 page for a person: what was not found, resources close to it, a search form and the site's entrances.

    Under /id/ and /def/ the store suggests resources whose IRI or label is close to the one asked for."""
    lang = _page_lang()
    settings = _state()["settings"]
    path = request.path
    namespace, wanted = None, ""
    if path.startswith("/id/"):
        namespace, wanted = settings.base + "id/", settings.base + "id/" + split_extension(path[4:])[0]
    elif path.startswith("/def/"):
        namespace, wanted = str(IPKG), str(IPKG) + split_extension(path[5:])[0]
    suggestions: list[tuple[str, str | None]] = []
    if namespace is not None:
        try:
            suggestions = similar(_state()["store"], wanted, namespace, lang=lang)
        except Exception:  # a page to go on from matters more than the suggestions: log, and show none
            log.exception("no suggestions for %s", path)
    words = " ".join(WORD.findall(unquote(split_extension(path.split("/", 2)[-1])[0]))) if namespace else ""
    texts = {key: value[lang] for key, value in NOT_FOUND_TEXT.items()}
    response = Response(render_template("not_found.html", lang=lang, t=texts, iri=wanted or None,
                                        path=path, suggestions=suggestions, local=local, query=words),
                        status=404, mimetype="text/html")
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response
