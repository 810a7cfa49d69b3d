"""One small protocol for running read queries, with the embedded pyoxigraph store behind it.

Results are a `QueryResult` of rdflib terms, so that the catalogue, the eligibility engine and the
remote store all speak the same thing. The endpoint takes the embedded store's lazy answer instead
(`EmbeddedStore.evaluate`) and has pyoxigraph write it: converting every term to rdflib's costs as
much as a point lookup itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from .namespaces import ID
from .terms import to_rdflib

if TYPE_CHECKING:  # pyoxigraph is imported lazily at run time: the CLI's start-up does not pay for it
    import pyoxigraph as ox

    OxAnswer: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

Triple: TypeAlias = tuple[Identifier, Identifier, Identifier]


@dataclass
class QueryResult:
    """A SELECT / ASK / CONSTRUCT / DESCRIBE answer; `truncated` says the row cap cut it."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False


def bound(term: Identifier | None) -> Identifier:
    """The term of a variable its pattern always binds (a triple pattern's): None there is a bug, said so."""
    if term is None:
        raise TypeError("an unbound variable where the query's pattern always binds one")
    return term


def integer(term: Identifier | None) -> int:
    """An always-bound integer literal's value (a COUNT, an ordinal): its lexical form is the digits."""
    return int(str(bound(term)))


def language(term: Identifier | None) -> str:
    """A label's language tag, "" for an untagged literal or a term that is no literal."""
    return (term.language or "") if isinstance(term, Literal) else ""


class Store(Protocol):
    """What the service needs from a store: read queries over a union default graph, its graph names,
    and `ids`, the namespace of the things it holds (the build's base + "id/"), which every query
    written with relative IRIs takes as its BASE (`namespaces.sparql_prologue(store.ids)`)."""

    ids: str

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: Mapping[str, Identifier] | None = None,
        max_rows: int | None = None,
        base: str | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult: ...

    def graph_names(self) -> list[str]: ...


class EmbeddedStore:
    """The build's pyoxigraph store, read-only; evaluates in the calling process.

    Used for trusted queries (catalogue, eligibility, tests). Untrusted queries from the endpoint go
    through `sparql.workers.WorkerPool`, which wraps this class in killable processes.

    With `memory_quads`, a store of at most that many quads is copied into pyoxigraph's in-memory
    storage when opened: the data only changes with a build, and the in-memory engine answers our
    queries 1.5–5 times faster than the on-disk one, which decodes every term from RocksDB
    (`bench/sparql_peers.py`, docs/benchmarks.md). The copy costs about 250 bytes per quad in each
    process that holds one, so larger stores stay on disk.
    """

    _store: ox.Store
    in_memory: bool
    ids: str

    def __init__(self, path: Path, memory_quads: int = 0, *, ids: str = str(ID)) -> None:
        import pyoxigraph as ox

        self.ids = ids
        if not Path(path).exists():
            raise FileNotFoundError(f"no store at {path}: run `ipkg build` first")
        on_disk = ox.Store.read_only(str(path))
        self.in_memory = self.fits_in_memory(len(on_disk), memory_quads)
        if self.in_memory:
            self._store = ox.Store()
            self._store.bulk_extend(on_disk)  # quad by quad, so blank nodes keep their identifiers
        else:
            self._store = on_disk

    @classmethod
    def from_graphs(cls, graphs: Mapping[URIRef, Graph], *, ids: str = str(ID)) -> EmbeddedStore:
        """An in-memory store of rdflib graphs (named by their identifiers): the build reads the
        validated dataset through it before anything is written."""
        import pyoxigraph as ox

        self = cls.__new__(cls)
        self.ids = ids
        self.in_memory, self._store = True, ox.Store()
        for name, graph in graphs.items():
            self._store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                             to_graph=ox.NamedNode(str(name)))
        return self

    @staticmethod
    def fits_in_memory(quads: int, memory_quads: int) -> bool:
        """Whether a store of `quads` quads is held in memory under the limit `memory_quads` (0: never)."""
        return 0 < quads <= memory_quads

    def __len__(self) -> int:
        """Quads in the store."""
        return len(self._store)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def evaluate(self, sparql: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                 bindings: Mapping[str, Identifier] | None = None, base: str | None = None,
                 prefixes: dict[str, str] | None = None) -> OxAnswer:
        """pyoxigraph's own answer, lazy: `QuerySolutions` or `QueryTriples` (iterators) or a `QueryBoolean`.

        `base` resolves relative IRIs where the query has no BASE of its own; `prefixes` are declared
        before the query's own PREFIX lines, which override them (both are parameters of the engine, not
        text put before the query, so that error positions stay the client's)."""
        import pyoxigraph as ox

        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | ox.DefaultGraph | None = None
        if default_graphs:
            default_graph = [ox.NamedNode(g) for g in default_graphs]
        elif named_graphs:  # the Protocol: named graphs given without a default graph leave the default graph empty
            default_graph = ox.DefaultGraph()
        named: list[ox.NamedNode | ox.BlankNode] | None = [ox.NamedNode(g) for g in named_graphs] if named_graphs else None
        if bindings:
            from .bind import substitute

            sparql = substitute(sparql, dict(bindings))
        return self._store.query(sparql, base_iri=base or None, prefixes=prefixes or None,
                                 use_default_graph_as_union=default_graph is None, default_graph=default_graph, named_graphs=named)

    def query(self, sparql: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              bindings: Mapping[str, Identifier] | None = None, max_rows: int | None = None,
              base: str | None = None, prefixes: dict[str, str] | None = None) -> QueryResult:
        import pyoxigraph as ox

        answer = self.evaluate(sparql, default_graphs=default_graphs, named_graphs=named_graphs, bindings=bindings,
                               base=base, prefixes=prefixes)
        if isinstance(answer, (bool, ox.QueryBoolean)):  # bool: what pyoxigraph before 0.4 answered to ASK
            return QueryResult(kind="ask", boolean=bool(answer))
        items = list(answer if max_rows is None else islice(answer, max_rows + 1))
        truncated = max_rows is not None and len(items) > max_rows
        if truncated:
            del items[max_rows:]
        if isinstance(answer, ox.QuerySolutions):
            rows = [tuple(map(to_rdflib, solution)) for solution in items]
            return QueryResult(kind="select", variables=[v.value for v in answer.variables], rows=rows, truncated=truncated)
        return QueryResult(kind="graph", triples=[_triple(t) for t in items], truncated=truncated)


def _triple(triple: ox.Triple) -> Triple:
    """A pyoxigraph triple as rdflib terms: every position of a triple is bound, unlike a solution's."""
    s, p, o = (to_rdflib(t) for t in triple)
    if s is None or p is None or o is None:
        raise TypeError(f"a triple with an unbound position: {triple!r}")
    return s, p, o
