"""The SPARQL 1.1 Protocol surface: /sparql (GET, POST form, POST sparql-query), conneg, service description."""

from __future__ import annotations

from flask import Blueprint, Request, Response, render_template, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .. import jsonld
from ..bind import AS_OF, bind_as_of
from ..errors import InvalidRequest, NotPermitted, UnsupportedMediaType
from ..media import HTML, JSON_LD, TURTLE, Offer
from ..namespaces import SD, SH
from ..services import Services
from ..sparql import formats
from ..sparql.gate import READ_ONLY
from .routing import Route, blueprint

FORMATS_NS = "http://www.w3.org/ns/formats/"
# GET /sparql without a query: the query page, or the service description; Turtle when the client sends no Accept
LANDING = Offer("the service description", (HTML, *formats.GRAPHS), default=TURTLE)


def _query_text(req: Request) -> str | None:
    """The request's query, if any; enforces one query per request and the protocol's media types."""
    if req.method in ("GET", "HEAD"):  # HEAD: the GET's status and headers, no body (werkzeug drops it)
        if "update" in req.args:
            raise NotPermitted(READ_ONLY)
        queries = req.args.getlist("query")
    else:
        mimetype = req.mimetype
        if mimetype == "application/sparql-query":
            if req.args.getlist("query"):
                raise InvalidRequest("send the query either in the body or as ?query=, not both")
            return _utf8_body(req)
        if mimetype == "application/sparql-update":
            raise NotPermitted(READ_ONLY)
        if mimetype != "application/x-www-form-urlencoded":
            raise UnsupportedMediaType(
                f"unsupported Content-Type {mimetype or '(none)'!r}: POST application/sparql-query "
                "or application/x-www-form-urlencoded with query=")
        if "update" in req.form:
            raise NotPermitted(READ_ONLY)
        _require_utf8(req)
        queries = req.form.getlist("query") + req.args.getlist("query")
    if len(queries) > 1:
        raise InvalidRequest("give exactly one query parameter")
    return queries[0] if queries else None


def _require_utf8(req: Request) -> None:
    """SPARQL 1.1 Protocol bodies are UTF-8; another declared charset is refused, not guessed at (415)."""
    charset = req.mimetype_params.get("charset", "utf-8").strip().lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the request body must be encoded in UTF-8, not {charset!r}")


def _utf8_body(req: Request) -> str:
    """A direct POST's query text; bytes that are not UTF-8 are a 400, never silently replaced."""
    _require_utf8(req)
    try:
        return req.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequest(f"the request body is not valid UTF-8 (at byte {exc.start})") from exc


def sparql(services: Services) -> Response:
    req = request
    if req.method == "OPTIONS":
        return Response(status=204)
    text = _query_text(req)
    if text is None:
        if req.method == "POST":
            raise InvalidRequest("no query: send query= (form) or a body of type application/sparql-query")
        return _landing(services)
    text = bind_as_of(text, req.values.getlist(AS_OF))
    default_graphs = req.values.getlist("default-graph-uri")
    named_graphs = req.values.getlist("named-graph-uri")
    service = services.sparql
    checked = service.check(text, default_graphs, named_graphs)
    media = formats.offer(checked.kind).negotiate(req.headers.get("Accept"), req.values.getlist("format")).media
    result = service.execute_serialized(checked, media, default_graphs, named_graphs)
    response = Response(result.body, mimetype=media)
    response.headers["X-Query-Lane"] = result.lane  # cache, process, light or heavy: who answered (README)
    response.vary.add("Accept")
    if media == JSON_LD.media:
        response.headers["Link"] = jsonld.link_header()
    if result.truncated:
        response.headers["X-Result-Truncated"] = f"max-rows={service.settings.max_rows}"
    return response


def _examples(services: Services) -> list[dict[str, str]]:
    """The query catalogue as ready-to-run examples (title, description, text) for the query page.

    A parameterised query gets its defaults bound the way the catalogue API binds them, so that
    the example answers exactly like /api/queries/{name}; a comment line names the bound values.
    Loaded once per app: the catalogue is part of the deployment, not of the data.
    """
    return [{"name": q.name, "title": q.title, "description": q.description, "text": q.runnable(),
             "family": q.family, "theme": q.theme} for q in services.catalog.values()]


def _landing(services: Services) -> Response:
    """GET /sparql without a query: the service description for RDF clients, the query page for browsers."""
    best = LANDING.negotiate(request.headers.get("Accept"), request.values.getlist("format"))
    if best is HTML:
        from . import assets
        from .queries_page import grouped
        from .releases import QUERY_UI
        from .routing import page_lang

        return Response(render_template("query.html", examples=_examples(services), yasgui=assets.available(),
                                        version=services.version, lang=page_lang(), qui=QUERY_UI,
                                        yasgui_version=assets.installed_version(), groups=grouped(list(services.catalog.values())),
                                        chart=assets.extra_available(assets.CHART), base=services.settings.base,
                                        prefixes=services.sparql.prefixes, query_base=services.sparql.base),
                        mimetype="text/html")
    graph = service_description(services, request.base_url)
    body = jsonld.compact_graph(graph) if best is JSON_LD else graph.serialize(format=best.rdf_syntax, encoding="utf-8")
    response = Response(body, mimetype=best.media)
    response.vary.add("Accept")
    return response


def service_description(services: Services, endpoint: str) -> Graph:
    """SPARQL 1.1 Service Description: the endpoint, languages, formats, and the union default graph."""
    service = services.sparql
    g = Graph()
    g.bind("sd", SD)
    node, dataset, default = URIRef(endpoint + "#service"), BNode("dataset"), BNode("default")
    g.add((node, RDF.type, SD.Service))
    g.add((node, SD.endpoint, URIRef(endpoint)))
    g.add((node, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((node, SD.feature, SD.UnionDefaultGraph))
    for f in (*formats.RESULTS, *formats.GRAPHS):
        g.add((node, SD.resultFormat, URIRef(FORMATS_NS + str(f.sd_name))))
    g.add((node, RDFS.label, Literal("ipkg SPARQL endpoint (read-only)", lang="en")))
    g.add((node, RDFS.comment, Literal(
        "Read-only SPARQL 1.1 Query endpoint. The default graph is the union of all named graphs "
        f"(asserted and inferred). Queries stop after {service.settings.query_timeout:g} s; results are cut "
        f"at {service.settings.max_rows} rows (header X-Result-Truncated). SERVICE, LOAD and updates are refused. "
        f"Queries are read with BASE <{service.base}> and the prefixes listed by sh:declare predeclared; "
        "a query's own BASE and PREFIX lines override them.", lang="en")))
    # the predeclared prefixes, in SHACL's vocabulary for prefix declarations (which query editors read)
    g.bind("sh", SH)
    for prefix, namespace in service.prefixes.items():
        declaration = BNode("prefix-" + prefix)
        g.add((node, SH.declare, declaration))
        g.add((declaration, SH.prefix, Literal(prefix)))
        g.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
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


ROUTES = [Route("/sparql", sparql, ("GET", "POST", "OPTIONS"))]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("sparql", __name__, ROUTES, services)
