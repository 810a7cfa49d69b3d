"""The SPARQL 1.1 Protocol surface: /sparql (GET, POST form, POST sparql-query), conneg, service description."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from flask import Blueprint, Request, Response, current_app, render_template, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..namespaces import SD
from ..sparql import formats
from ..sparql.gate import Refused

bp = Blueprint("sparql", __name__)

FORMATS_NS = "http://www.w3.org/ns/formats/"
SD_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


def _service():
    return current_app.extensions["ipkg"]["sparql"]


def _error(message: str, status: int, retry_after: int | None = None) -> Response:
    response = Response(f"{message}\n", status=status, mimetype="text/plain")
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _choose(req: Request, kind: str) -> str | None:
    """The media type to answer in: ?format= wins, else the Accept header's best match (q-values honoured)."""
    if fmt := req.values.get("format"):
        media = formats.by_short_name(kind, fmt)
        if media is None:
            raise Refused(f"unknown format {fmt!r} for this query; use one of {', '.join(formats.offered(kind))}", 406)
        return media
    return _negotiate(kind, req.headers.get("Accept", ""))


@lru_cache(maxsize=256)
def _negotiate(kind: str, accept_header: str) -> str | None:
    """Content negotiation for one Accept header; remembered, since clients send the same few headers."""
    offered = formats.offered(kind)
    accept = parse_accept_header(accept_header, MIMEAccept)
    if not accept_header or not accept:
        return offered[0]
    aliases = {alias: target for alias, target in formats.ALIASES.items() if target in offered}
    best = accept.best_match(offered + list(aliases), default=None)
    if best is None:
        return None
    return aliases.get(best, best)


def _query_text(req: Request) -> str | None:
    """The request's query, if any; enforces one query per request and the protocol's media types."""
    if req.method in ("GET", "HEAD"):  # HEAD: the GET's status and headers, no body (werkzeug drops it)
        if "update" in req.args:
            raise Refused("this endpoint is read-only: SPARQL Update is not accepted", 403)
        queries = req.args.getlist("query")
    else:
        mimetype = req.mimetype
        if mimetype == "application/sparql-query":
            if req.args.getlist("query"):
                raise Refused("send the query either in the body or as ?query=, not both")
            return _utf8_body(req)
        if mimetype == "application/sparql-update":
            raise Refused("this endpoint is read-only: SPARQL Update is not accepted", 403)
        if mimetype != "application/x-www-form-urlencoded":
            raise Refused(
                f"unsupported Content-Type {mimetype or '(none)'!r}: POST application/sparql-query "
                "or application/x-www-form-urlencoded with query=", 415)
        if "update" in req.form:
            raise Refused("this endpoint is read-only: SPARQL Update is not accepted", 403)
        _require_utf8(req)
        queries = req.form.getlist("query") + req.args.getlist("query")
    if len(queries) > 1:
        raise Refused("give exactly one query parameter")
    return queries[0] if queries else None


def _require_utf8(req: Request) -> None:
    """SPARQL 1.1 Protocol bodies are UTF-8; another declared charset is refused, not guessed at (415)."""
    charset = req.mimetype_params.get("charset", "utf-8").strip().lower()
    if charset not in ("utf-8", "utf8"):
        raise Refused(f"the request body must be encoded in UTF-8, not {charset!r}", 415)


def _utf8_body(req: Request) -> str:
    """A direct POST's query text; bytes that are not UTF-8 are a 400, never silently replaced."""
    _require_utf8(req)
    try:
        return req.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"the request body is not valid UTF-8 (at byte {exc.start})") from exc


def _endpoint_base(req: Request) -> str:
    """This endpoint's URL as the queries' base IRI, so relative IRIs resolve (SPARQL 1.1 Protocol: the
    service defines the BASE IRI, which "MAY be the service endpoint"); a query's own BASE wins.
    Percent-encoded, so that any Host header gives a valid IRI that cannot inject query text (a remote
    store receives it as a BASE before the query)."""
    url = f"{req.scheme}://{req.host}{req.root_path}{req.path}"  # request.base_url, cheaper
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    req = request._get_current_object()  # the request itself, not its context-local proxy: read many times below
    if req.method == "OPTIONS":
        return Response(status=204)
    try:
        text = _query_text(req)
        if text is None:
            if req.method == "POST":
                raise Refused("no query: send query= (form) or a body of type application/sparql-query")
            return _landing()
        default_graphs = req.values.getlist("default-graph-uri")
        named_graphs = req.values.getlist("named-graph-uri")
        service = _service()
        checked = service.check(text, default_graphs, named_graphs)
        media = _choose(req, checked.kind)
        if media is None:
            raise Refused(f"cannot answer in any type the Accept header allows; available: {', '.join(formats.offered(checked.kind))}", 406)
        result = service.execute_serialized(checked, media, default_graphs, named_graphs, base=_endpoint_base(req))
        body = result.body
    except Refused as exc:
        return _error(str(exc), exc.status, exc.retry_after)
    response = Response(body, mimetype=media)
    response.headers["X-Query-Lane"] = result.lane  # cache, process, light or heavy: who answered (README)
    if media.startswith("text/") or media.endswith(("json", "xml")):
        response.charset = "utf-8"
    response.vary.add("Accept")
    if result.truncated:
        response.headers["X-Result-Truncated"] = f"max-rows={service.settings.max_rows}"
    return response


def _examples() -> list[dict[str, str]]:
    """The query catalogue as ready-to-run examples (title, description, text) for the query page.

    A parameterised query gets its defaults bound the way the catalogue API binds them, so that
    the example answers exactly like /api/queries/{name}; a comment line names the bound values.
    Loaded once per app: the catalogue is part of the deployment, not of the data.
    """
    state = current_app.extensions["ipkg"]
    if "query_examples" not in state:
        from .. import catalog

        examples = [{"name": q.name, "title": q.title, "description": q.description, "text": q.runnable()}
                    for q in catalog.load(state["settings"].root / "queries").values()]
        state["query_examples"] = examples
    return state["query_examples"]


def _landing() -> Response:
    """GET /sparql without a query: the service description for RDF clients, the query page for browsers."""
    rdf_types = list(formats.GRAPH_TYPES)
    best = request.accept_mimetypes.best_match(["text/html", *rdf_types], default="text/turtle")
    if request.values.get("format"):
        best = formats.by_short_name("graph", request.values["format"]) or "text/turtle"
    if best == "text/html":
        from . import assets

        return Response(render_template("query.html", examples=_examples(), yasgui=assets.available(),
                                        yasgui_version=assets.installed_version()), mimetype="text/html")
    graph = service_description(request.base_url)
    response = Response(graph.serialize(format=formats.GRAPH_TYPES[best][0], encoding="utf-8"), mimetype=best)
    response.vary.add("Accept")
    return response


def service_description(endpoint: str) -> Graph:
    """SPARQL 1.1 Service Description: the endpoint, languages, formats, and the union default graph."""
    service = _service()
    g = Graph()
    g.bind("sd", SD)
    node, dataset, default = URIRef(endpoint + "#service"), BNode("dataset"), BNode("default")
    g.add((node, RDF.type, SD.Service))
    g.add((node, SD.endpoint, URIRef(endpoint)))
    g.add((node, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((node, SD.feature, SD.UnionDefaultGraph))
    for name in SD_FORMATS:
        g.add((node, SD.resultFormat, URIRef(FORMATS_NS + name)))
    g.add((node, RDFS.label, Literal("ipkg SPARQL endpoint (read-only)", lang="en")))
    g.add((node, RDFS.comment, Literal(
        "Read-only SPARQL 1.1 Query endpoint. The default graph is the union of all named graphs "
        f"(asserted and inferred). Queries stop after {service.settings.query_timeout:g} s; results are cut "
        f"at {service.settings.max_rows} rows (header X-Result-Truncated). SERVICE, LOAD and updates are refused.",
        lang="en")))
    g.add((node, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name in sorted(service.graph_names):
        named = BNode("g-" + name.rsplit("/", 1)[-1])
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        # each named graph's VoID statistics (triples, classes, entities) from the build's description
        subset = URIRef(service.settings.base + "dataset/" + name.rsplit("/", 1)[-1])
        g.add((named, SD.graph, subset))
        g.add((subset, RDF.type, SD.Graph))
    void = service.settings.dist_path / "void.ttl"
    if void.exists():
        g.parse(void, format="turtle")
        g.add((dataset, RDFS.seeAlso, URIRef(service.settings.base + "dataset")))
    return g
