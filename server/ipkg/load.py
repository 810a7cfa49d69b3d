"""Push the compiled dataset (var/dist/ipkg.nq) into a remote SPARQL store, named graph by named graph.

Two ways in, because stores differ in what they accept:
- SPARQL 1.1 Update (the default): every graph is dropped, then re-filled with `INSERT DATA` requests
  of about `batch_size` triples each. Every store with an update endpoint accepts this, and a
  batch is small enough for any request-size limit. Loading twice gives the same store.
- SPARQL 1.1 Graph Store HTTP Protocol (`graph_store=`): one `PUT ?graph=IRI` of N-Triples per graph,
  which replaces the graph in one request; faster, and what Oxigraph (`/store`), Fuseki (`/data`)
  and GraphDB (`/rdf-graphs/service`) offer.

Blank nodes are why batches are not cut blindly: a blank-node label only means the same node
within one request, so every quad that mentions a blank node travels in the same request as all
other quads connected to it through blank nodes (the build's blank nodes are small structures such
as RDF lists and SHACL paths). After loading, the triple count of every graph is read back through
the query endpoint and compared with the file.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .remote import RemoteStore, remote_body
from .store import bound

Progress = Callable[[str], None]
DEFAULT = ""  # key of the default graph in a Dataset's graph table (the build writes none)
COUNTS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class LoadError(Exception):
    """The remote store refused a request or ended up holding something other than the file."""


@dataclass
class Quad:
    graph: str  # graph IRI, or DEFAULT
    line: str  # the triple as N-Triples text, without the final " ."
    bnodes: tuple[str, ...] = ()


@dataclass
class Dataset:
    """The dump as quads in file order, with what the load needs to know about them."""

    quads: list[Quad] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for q in self.quads:
            out[q.graph] = out.get(q.graph, 0) + 1
        return out


@dataclass
class LoadReport:
    graphs: dict[str, int]
    batches: int
    seconds: float


def read_dataset(path: Path) -> Dataset:
    """The N-Quads dump, parsed by pyoxigraph (the same parser that fills the embedded store)."""
    import pyoxigraph as ox

    ds = Dataset()
    seen: set[tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
                     ox.NamedNode | ox.BlankNode | ox.DefaultGraph]] = set()
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        key = (quad.subject, quad.predicate, quad.object, quad.graph_name)
        if key in seen:
            continue
        seen.add(key)
        graph = DEFAULT if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        bnodes = tuple(str(t) for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode))
        ds.quads.append(Quad(graph, f"{quad.subject} {quad.predicate} {quad.object}", bnodes))
    return ds


def units(quads: Iterable[Quad]) -> list[list[Quad]]:
    """Quads grouped so that quads linked through a blank node share a group (union-find on labels)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    quads = list(quads)
    for q in quads:
        for b in q.bnodes[1:]:
            parent[find(b)] = find(q.bnodes[0])
    groups: dict[str, list[Quad]] = {}
    out: list[list[Quad]] = []
    for q in quads:
        if not q.bnodes:
            out.append([q])
            continue
        root = find(q.bnodes[0])
        if root not in groups:
            groups[root] = []
            out.append(groups[root])
        groups[root].append(q)
    return out


def batches(quads: Iterable[Quad], size: int) -> Iterator[list[Quad]]:
    """Runs of about `size` quads, never splitting a blank-node group."""
    batch: list[Quad] = []
    for unit in units(quads):
        if batch and len(batch) + len(unit) > size:
            yield batch
            batch = []
        batch.extend(unit)
    if batch:
        yield batch


def insert_data(batch: list[Quad]) -> str:
    """One INSERT DATA request: a GRAPH block per graph, triples in file order."""
    by_graph: dict[str, list[str]] = {}
    for q in batch:
        by_graph.setdefault(q.graph, []).append(q.line)
    blocks = []
    for graph, lines in by_graph.items():
        body = " .\n".join(lines) + " ."
        blocks.append(body if graph == DEFAULT else f"GRAPH <{graph}> {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


def _update(update_endpoint: str, text: str, timeout: float) -> None:
    wrapper = SPARQLWrapper(update_endpoint, updateEndpoint=update_endpoint)
    wrapper.setMethod(POST)
    wrapper.setRequestMethod(POSTDIRECTLY)  # application/sparql-update: no form-encoding of large bodies
    wrapper.setQuery(text)
    wrapper.timeout = timeout  # type: ignore[assignment]  # declared Optional[int], handed to urlopen: any number of seconds
    try:
        wrapper.query().response.close()
    except SPARQLWrapperException as exc:
        raise LoadError(f"the update endpoint refused the request: {remote_body(str(exc))}") from exc
    except urllib.error.HTTPError as exc:
        raise LoadError(f"the update endpoint answered HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise LoadError(f"cannot reach the update endpoint {update_endpoint}: {exc}") from exc


def load_by_update(ds: Dataset, update_endpoint: str, *, batch_size: int = 5000, timeout: float = 120.0,
                   progress: Progress = print) -> int:
    """Drop every graph of the file, then INSERT DATA in batches; returns the number of batches."""
    graphs = sorted(ds.counts())
    drops = " ;\n".join("DROP SILENT DEFAULT" if g == DEFAULT else f"DROP SILENT GRAPH <{g}>" for g in graphs)
    _update(update_endpoint, drops, timeout)
    progress(f"dropped {len(graphs)} graph(s) at {update_endpoint}")
    todo = list(batches(ds.quads, batch_size))
    done = 0
    for number, batch in enumerate(todo, 1):
        _update(update_endpoint, insert_data(batch), timeout)
        done += len(batch)
        progress(f"batch {number}/{len(todo)}: {len(batch)} triples ({done}/{len(ds.quads)})")
    return len(todo)


def load_by_graph_store(ds: Dataset, graph_store: str, *, timeout: float = 120.0, progress: Progress = print) -> int:
    """PUT each graph as N-Triples to `graph_store?graph=IRI`; returns the number of requests."""
    by_graph: dict[str, list[Quad]] = {}
    for q in ds.quads:
        by_graph.setdefault(q.graph, []).append(q)
    shared = _bnodes_in_several_graphs(by_graph)
    if shared:
        raise LoadError(f"blank node {shared} occurs in more than one graph; one PUT per graph would split it: "
                        "load with SPARQL Update instead (omit --graph-store)")
    for number, (graph, quads) in enumerate(sorted(by_graph.items()), 1):
        body = "".join(q.line + " .\n" for q in quads).encode("utf-8")
        target = graph_store + ("?default" if graph == DEFAULT else "?graph=" + urllib.parse.quote(graph, safe=""))
        request = urllib.request.Request(target, data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            urllib.request.urlopen(request, timeout=timeout).close()
        except urllib.error.HTTPError as exc:
            raise LoadError(f"PUT {target} answered HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise LoadError(f"cannot reach the graph store {graph_store}: {exc}") from exc
        progress(f"graph {number}/{len(by_graph)}: {graph or '(default)'} ({len(quads)} triples)")
    return len(by_graph)


def _bnodes_in_several_graphs(by_graph: dict[str, list[Quad]]) -> str | None:
    owner: dict[str, str] = {}
    for graph, quads in by_graph.items():
        for q in quads:
            for b in q.bnodes:
                if owner.setdefault(b, graph) != graph:
                    return b
    return None


def remote_counts(endpoint: str, timeout: float = 60.0) -> dict[str, int]:
    """Triples per named graph as the query endpoint sees them."""
    result = RemoteStore(endpoint, timeout=timeout).query(COUNTS_QUERY)
    return {str(g): int(str(bound(n))) for g, n in result.rows}


def verify(ds: Dataset, endpoint: str) -> None:
    """Every named graph of the file holds exactly its triples in the store; LoadError otherwise."""
    expected = {g: n for g, n in ds.counts().items() if g != DEFAULT}
    found = remote_counts(endpoint)
    wrong = {g: (n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n}
    if wrong:
        lines = ", ".join(f"<{g}>: {have} triples, expected {want}" for g, (want, have) in sorted(wrong.items()))
        raise LoadError(f"the store does not hold what was loaded: {lines}")


def load(path: Path, endpoint: str, update_endpoint: str | None = None, *, graph_store: str | None = None,
         batch_size: int = 5000, progress: Progress = print) -> LoadReport:
    """Load the dump at `path` by Graph Store PUTs or SPARQL Update, then verify the counts via `endpoint`."""
    if not path.is_file():
        raise LoadError(f"no dataset at {path}: run `ipkg build` first (or pass --build)")
    started = time.perf_counter()
    ds = read_dataset(path)
    progress(f"read {len(ds.quads)} quads in {len(ds.counts())} graph(s) from {path}")
    if graph_store:
        requests = load_by_graph_store(ds, graph_store, progress=progress)
    elif update_endpoint:
        requests = load_by_update(ds, update_endpoint, batch_size=batch_size, progress=progress)
    else:
        raise LoadError("give an update endpoint (--update-endpoint) or a graph store endpoint (--graph-store)")
    verify(ds, endpoint)
    seconds = time.perf_counter() - started
    progress(f"verified: every graph at {endpoint} holds the triples of the file ({seconds:.2f} s)")
    return LoadReport(graphs=ds.counts(), batches=requests, seconds=seconds)
