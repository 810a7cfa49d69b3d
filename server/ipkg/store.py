"""One small protocol for running read queries, with the embedded pyoxigraph store behind it.

Results cross process boundaries as a `QueryResult` of rdflib terms, so that the worker pool, the
remote store and the serialisers all speak the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier


@dataclass
class QueryResult:
    """A SELECT / ASK / CONSTRUCT / DESCRIBE answer; `truncated` says the row cap cut it."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Identifier, Identifier, Identifier]] = field(default_factory=list)
    truncated: bool = False


class Store(Protocol):
    """What the service needs from a store: read queries over a union default graph, and its graph names."""

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: dict[str, Identifier] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult: ...

    def graph_names(self) -> list[str]: ...


def to_rdflib(term) -> Identifier | None:
    """A pyoxigraph term as the equivalent rdflib term."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


class EmbeddedStore:
    """The on-disk pyoxigraph store, opened read-only; evaluates in the calling process.

    Used for trusted queries (catalogue, eligibility, tests). Untrusted queries from the endpoint go
    through `sparql.workers.WorkerPool`, which wraps this class in killable processes.
    """

    def __init__(self, path: Path):
        import pyoxigraph as ox

        if not Path(path).exists():
            raise FileNotFoundError(f"no store at {path}: run `ipkg build` first")
        self._store = ox.Store.read_only(str(path))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def query(self, sparql, *, default_graphs=None, named_graphs=None, bindings=None, max_rows=None) -> QueryResult:
        import pyoxigraph as ox

        kwargs = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        elif named_graphs:  # the Protocol: named graphs given without a default graph leave the default graph empty
            kwargs["default_graph"] = ox.DefaultGraph()
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            from .sparql.bind import substitute

            sparql = substitute(sparql, bindings)
        answer = self._store.query(sparql, **kwargs)
        if isinstance(answer, (bool, ox.QueryBoolean)):
            return QueryResult(kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows, truncated = [], False
            for solution in answer:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append(tuple(to_rdflib(solution[n]) for n in names))
            return QueryResult(kind="select", variables=names, rows=rows, truncated=truncated)
        triples, truncated = [], False
        for t in answer:
            if max_rows is not None and len(triples) >= max_rows:
                truncated = True
                break
            triples.append((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return QueryResult(kind="graph", triples=triples, truncated=truncated)
