"""W3C SPARQL 1.1 Protocol and Service Description tests, replayed against the endpoint.

The manifests (tests/data/w3c/, copied from shared/conformance/, from w3c/rdf-tests) describe each test as HTTP requests
(method, path with query string, headers, body) and the expected status class and result format.
The runner replays them with Flask's test client against an app whose embedded store holds the
suite's own data (data1.nt..data3.nt as the named graphs the tests name, in a temporary
pyoxigraph store: never the project build), and judges each test pass / fail / not-applicable with
a reason. `python tests/w3c_protocol.py` prints the table.

Two readings are needed for a read-only endpoint over a fixed dataset, and the reasons say so:
- an update test expecting 2xx passes when the update is refused with a 4xx (never a 5xx); the
  requests after it only check the update's effect, so they are not sent;
- `http://kasei.us/2009/09/sparql/data/data0.rdf`, which several query tests name as a
  `default-graph-uri` with `ASK {}`, has no data file in the suite (the original tests expected the
  endpoint to fetch it from the web, which this endpoint never does), so it is created as an empty
  named graph: the endpoint then treats it like any graph of its dataset.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from ipkg.namespaces import SD

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

HOST = "www.example"  # ht:connectionAuthority of every request in the suite
DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}
UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")


def suite_folder() -> Path:
    """$IPKG_CONFORMANCE, else the copy of the W3C manifests kept in tests/data/w3c/ (W3C test-suite
    licence, LICENSE-W3C-TESTS.md there), so that every clone, CI's included, runs the suite."""
    import os

    if env := os.environ.get("IPKG_CONFORMANCE"):
        return Path(env)
    from ipkg.config import find_root

    tree = Path(__file__).resolve().parents[2]  # the work tree this package is installed from
    for root in dict.fromkeys([find_root(), tree]):
        if (root / "tests" / "data" / "w3c").is_dir():
            return (root / "tests" / "data" / "w3c").resolve()
    raise FileNotFoundError("cannot find tests/data/w3c/ (the W3C manifests); set IPKG_CONFORMANCE")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    expected_status: set[str] = field(default_factory=set)  # {"2xx", "3xx"} ...
    expected_format: str | None = None  # "boolean" | "tabular" | "RDF"
    expected_boolean: bool | None = None

    @property
    def is_update(self) -> bool:
        """An update operation: by media type, or by an update/using-graph-uri parameter."""
        from urllib.parse import parse_qs, urlsplit

        if self.headers.get("content-type", "").split(";")[0].strip() == "application/sparql-update":
            return True
        params = parse_qs(urlsplit(self.path).query)
        if (self.body and self.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")) \
                or (self.body and "content-type" not in self.headers):
            params.update(parse_qs(self.body.decode("utf-8", "replace")))
        return any(p in params for p in UPDATE_PARAMS)


@dataclass
class Case:
    suite: str
    name: str  # the fragment of the test IRI, e.g. "query_post_form"
    title: str
    kind: str  # "protocol" | "service-description"
    requests: list[Request] = field(default_factory=list)
    data: dict[str, Path] = field(default_factory=dict)  # graph IRI -> file


@dataclass
class Verdict:
    case: Case
    outcome: str  # "pass" | "fail" | "n/a"
    reason: str


# ---- reading the manifests ------------------------------------------------------------------------


def _status_classes(g: Graph, response) -> set[str]:
    return {str(s).rsplit("StatusCode", 1)[-1] for s in g.objects(response, MF.expectedStatus)}


def _request(g: Graph, node) -> Request:
    headers = {}
    for h in Collection(g, g.value(node, HT.headers)) if g.value(node, HT.headers) else []:
        headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    body = None
    if (b := g.value(node, HT.body)) is not None:
        encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(b, CNT.chars)).encode(encoding)
    response = g.value(node, HT.resp)
    boolean = g.value(response, MF.expectedBoolean)
    fmt = g.value(response, MF.expectedFormat)
    return Request(
        method=str(g.value(node, HT.methodName)),
        path=str(g.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        expected_status=_status_classes(g, response),
        expected_format=str(fmt) if fmt is not None else None,
        expected_boolean=boolean.toPython() if boolean is not None else None,
    )


def read_manifest(path: Path) -> list[Case]:
    """Every entry of a manifest, in its order, with its requests and data graphs."""
    g = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    suite = str(g.value(manifest, RDFS.label))
    cases = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        kind = "protocol" if (test, RDF.type, MF.ProtocolTest) in g else "service-description"
        case = Case(suite, str(test).rsplit("#", 1)[-1], str(g.value(test, MF.name)), kind)
        for data in g.objects(test, UT.graphData):
            case.data[str(g.value(data, RDFS.label))] = Path(str(g.value(data, UT.graph)).removeprefix("file://"))
        if (action := g.value(test, MF.action)) is not None:
            case.requests = [_request(g, r) for r in Collection(g, g.value(action, HT.requests))]
        cases.append(case)
    return cases


def all_cases(folder: Path | None = None) -> list[Case]:
    folder = folder or suite_folder()
    return [*read_manifest(folder / "sparql11-protocol" / "manifest.ttl"),
            *read_manifest(folder / "sparql11-service-description" / "manifest.ttl")]


# ---- the endpoint under test ----------------------------------------------------------------------


@contextmanager
def suite_app(folder: Path | None = None, *, workers: bool = False) -> Iterator:
    """An app over a temporary store holding the suite's data graphs (and the empty data0 graph)."""
    import pyoxigraph as ox

    from ipkg.config import Settings
    from ipkg.store import EmbeddedStore
    from ipkg.web import create_app

    folder = folder or suite_folder()
    graphs = {c for case in all_cases(folder) for c in case.data.items()}
    with tempfile.TemporaryDirectory(prefix="ipkg-conformance-") as tmp:
        path = Path(tmp) / "store"
        store = ox.Store(str(path))
        store.add_graph(ox.NamedNode(DATA0))
        for iri, file in sorted(graphs):
            store.load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
        store.flush()
        del store
        settings = dataclasses.replace(Settings.from_env(), store_path=path, dist_path=path.parent / "dist")  # no VoID of the real build
        app = create_app(settings, store=EmbeddedStore(path), workers=workers)
        try:
            yield app
        finally:
            app.extensions["ipkg"].close()


def _send(client, req: Request):
    return client.open(_endpoint_path(req.path), method=req.method, headers=req.headers, data=req.body, base_url=f"http://{HOST}")


def _endpoint_path(path: str) -> str:
    """The manifest's `/sparql/…` with this endpoint's path (the suite says to substitute it)."""
    rest = path.removeprefix("/sparql/").removeprefix("/sparql")
    return "/sparql" + (rest if rest.startswith("?") or not rest else "/" + rest)


# ---- judging responses ----------------------------------------------------------------------------


def _boolean(response) -> bool:
    media = response.mimetype
    if media == "application/sparql-results+json":
        return json.loads(response.data)["boolean"]
    if media == "application/sparql-results+xml":
        root = ElementTree.fromstring(response.data)
        node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
        return node is not None and node.text.strip() == "true"
    raise ValueError(f"a boolean result in {media!r}")


def _check_format(req: Request, response) -> str | None:
    """None when the body is what the test expects, else why not."""
    fmt, media = req.expected_format, response.mimetype
    try:
        if fmt == "boolean":
            value = _boolean(response)
            if req.expected_boolean is not None and value != req.expected_boolean:
                return f"boolean {value}, expected {req.expected_boolean}"
        elif fmt == "tabular":
            if media not in RESULT_TYPES:
                return f"{media} is not a SPARQL results format"
            if media.endswith("json"):
                json.loads(response.data)["results"]["bindings"]
            elif media.endswith("xml"):
                ElementTree.fromstring(response.data)
        elif fmt == "RDF":
            if media not in RDF_TYPES:
                return f"{media} is not RDF/XML, Turtle or N-Triples"
            Graph().parse(data=response.data, format=RDF_TYPES[media])
    except (ValueError, KeyError, ElementTree.ParseError, TypeError) as exc:
        return f"unreadable {media} body: {exc}"
    return None


def _status_class(code: int) -> str:
    return f"{code // 100}xx"


def run_protocol_case(client, case: Case) -> Verdict:
    for number, req in enumerate(case.requests, 1):
        response = _send(client, req)
        got = _status_class(response.status_code)
        step = f"request {number}: {req.method} → {response.status_code}"
        if response.status_code >= 500:
            return Verdict(case, "fail", f"{step}: a server error ({response.data[:200]!r})")
        if req.is_update and "4xx" not in req.expected_status:
            if got == "4xx":
                skipped = len(case.requests) - number
                return Verdict(case, "pass", f"{step}: update refused, as a read-only endpoint must (the suite expects "
                               f"2xx from an endpoint that accepts updates)"
                               + (f"; {skipped} follow-up request(s) checking its effect not sent" if skipped else ""))
            return Verdict(case, "fail", f"{step}: a read-only endpoint must refuse updates with a 4xx")
        if got not in req.expected_status:
            return Verdict(case, "fail", f"{step}, expected {' or '.join(sorted(req.expected_status))}: "
                           f"{response.data[:200].decode('utf-8', 'replace').strip()}")
        if got == "2xx" and req.expected_format and (why := _check_format(req, response)):
            return Verdict(case, "fail", f"{step}: {why}")
    last = case.requests[-1]
    detail = f"{last.expected_format} result" if last.expected_format else f"status {', '.join(sorted(last.expected_status))}"
    return Verdict(case, "pass", f"{len(case.requests)} request(s) answered as expected ({detail})")


# The SD vocabulary's domains and ranges as SHACL: what "conforms to schema" checks.
SD_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix s: <urn:ipkg:conformance:shapes#> .
s:Service a sh:NodeShape ; sh:targetClass sd:Service ;
  sh:property [ sh:path sd:endpoint ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:supportedLanguage ; sh:minCount 1 ;
                sh:in ( sd:SPARQL10Query sd:SPARQL11Query sd:SPARQL11Update ) ] ;
  sh:property [ sh:path sd:feature ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:resultFormat ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:inputFormat ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:defaultDataset ; sh:maxCount 1 ; sh:class sd:Dataset ] .
s:Dataset a sh:NodeShape ; sh:targetClass sd:Dataset ;
  sh:property [ sh:path sd:defaultGraph ; sh:maxCount 1 ; sh:class sd:Graph ] ;
  sh:property [ sh:path sd:namedGraph ; sh:class sd:NamedGraph ] .
s:NamedGraph a sh:NodeShape ; sh:targetClass sd:NamedGraph ;
  sh:property [ sh:path sd:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:graph ; sh:maxCount 1 ; sh:class sd:Graph ] .
"""
SD_TERMS = {
    "Service", "Feature", "Language", "Function", "Aggregate", "EntailmentRegime", "EntailmentProfile",
    "GraphCollection", "Dataset", "Graph", "NamedGraph", "endpoint", "feature", "defaultEntailmentRegime",
    "entailmentRegime", "defaultSupportedEntailmentProfile", "supportedEntailmentProfile", "extensionFunction",
    "extensionAggregate", "languageExtension", "supportedLanguage", "propertyFeature", "defaultDataset",
    "availableGraphs", "resultFormat", "inputFormat", "defaultGraph", "namedGraph", "name", "graph",
    "SPARQL10Query", "SPARQL11Query", "SPARQL11Update", "DereferencesURIs", "UnionDefaultGraph",
    "RequiresDataset", "EmptyGraphs", "BasicFederatedQuery",
}


def _service_description(client, accept: str) -> tuple[Graph | None, str]:
    response = client.get("/sparql", headers={"Accept": accept}, base_url=f"http://{HOST}")
    if response.status_code != 200 or response.mimetype not in RDF_TYPES:
        return None, f"GET /sparql (Accept: {accept}) → {response.status_code} {response.mimetype}"
    return Graph().parse(data=response.data, format=RDF_TYPES[response.mimetype]), ""


def run_sd_case(client, case: Case) -> Verdict:
    if case.name == "returns-rdf":
        for accept in RDF_TYPES:
            graph, why = _service_description(client, accept)
            if graph is None or len(graph) == 0:
                return Verdict(case, "fail", why or f"empty description in {accept}")
        return Verdict(case, "pass", f"GET on the endpoint returns a service description in {', '.join(RDF_TYPES)}")
    graph, why = _service_description(client, "text/turtle")
    if graph is None:
        return Verdict(case, "fail", why)
    if case.name == "has-endpoint-triple":
        endpoint = URIRef(f"http://{HOST}/sparql")
        if (None, SD.endpoint, endpoint) in graph:
            return Verdict(case, "pass", f"sd:endpoint <{endpoint}> is the URL the description was fetched from")
        return Verdict(case, "fail", f"no sd:endpoint <{endpoint}>; found {sorted(map(str, graph.objects(None, SD.endpoint)))}")
    if case.name == "conforms-to-schema":
        return _conforms(case, graph)
    return Verdict(case, "n/a", "a service-description test this runner does not know")


def _conforms(case: Case, graph: Graph) -> Verdict:
    from pyshacl import validate

    unknown = sorted({str(t) for triple in graph for t in triple
                      if isinstance(t, URIRef) and str(t).startswith(str(SD)) and str(t)[len(str(SD)):] not in SD_TERMS})
    if unknown:
        return Verdict(case, "fail", f"terms that the SD vocabulary does not define: {', '.join(unknown)}")
    if not any(graph.subjects(RDF.type, SD.Service)):
        return Verdict(case, "fail", "no sd:Service in the description")
    conforms, _, text = validate(graph, shacl_graph=Graph().parse(data=SD_SHAPES, format="turtle"), inference="none")
    if not conforms:
        return Verdict(case, "fail", f"violates the SD vocabulary's domains and ranges: {text[:400]}")
    return Verdict(case, "pass", "only SD vocabulary terms, each used with its domain and range (SHACL-checked)")


def run(folder: Path | None = None) -> list[Verdict]:
    """Every test of both manifests against a fresh app over the suite's data."""
    folder = folder or suite_folder()
    cases = all_cases(folder)
    with suite_app(folder) as app:
        client = app.test_client()
        return [run_protocol_case(client, c) if c.kind == "protocol" else run_sd_case(client, c) for c in cases]


def table(verdicts: list[Verdict]) -> str:
    width = max(len(v.case.name) for v in verdicts)
    lines = [f"{'test'.ljust(width)}  verdict  reason", f"{'-' * width}  -------  ------"]
    lines += [f"{v.case.name.ljust(width)}  {v.outcome.ljust(7)}  {v.reason}" for v in verdicts]
    counts = {o: sum(1 for v in verdicts if v.outcome == o) for o in ("pass", "fail", "n/a")}
    lines.append(f"{counts['pass']} passed, {counts['fail']} failed, {counts['n/a']} not applicable "
                 f"({len(verdicts)} tests)")
    return "\n".join(lines)


def main() -> int:
    verdicts = run()
    print(table(verdicts))
    return 1 if any(v.outcome == "fail" for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
