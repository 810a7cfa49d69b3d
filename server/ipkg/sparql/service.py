"""The endpoint's core: check a query at the gate, then run it on a worker within the deadline and row cap,
or answer it from the answers already written (`answers.AnswerCache`, embedded store only).

A query the gate finds *bounded* (a point lookup: DESCRIBE of given IRIs, or one triple pattern with a
given subject) runs in the request's own process instead: its cost is that of reading one resource's
statements, so it needs neither the deadline nor the crash isolation of a worker, and the round trip
to a worker would cost more than the query.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import overload

from ..config import Settings
from ..errors import IpkgError
from ..namespaces import PREFIXES
from ..store import EmbeddedStore, QueryResult, Store
from . import gate
from .answers import AnswerCache
from .formats import Serialized, serialize, write_answer
from .workers import QueryArgs, QueryFailed, WorkerPool


class SparqlService:
    """Everything /sparql needs, built once at start-up (graph names, limits, the worker pool).

    Queries are read with the graph's prefixes and BASE predeclared, as Virtuoso and QLever do: the ones
    `sparql_prologue` writes for the catalogue and the tests (`namespaces.PREFIXES`, BASE the things'
    namespace), so that a query written for `ipkg query` runs unchanged over HTTP. A query's own PREFIX
    and BASE lines override them."""

    def __init__(self, settings: Settings, store: Store, pool: WorkerPool | None = None):
        self.settings = settings
        self.store = store
        self.pool = pool
        self.prefixes = dict(PREFIXES)
        self.base = settings.ids
        self.graph_names = set(store.graph_names())
        self.gate = gate.Gate(gate.Limits.of(settings), self.graph_names, prefixes=self.prefixes)
        keeps = settings.answer_cache_bytes > 0 and isinstance(store, EmbeddedStore)  # a remote store's data can change
        self.answers = AnswerCache(settings.answer_cache_bytes) if keeps else None

    def check(self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> gate.CheckedQuery:
        """The gate's verdict on the query and on the graphs the request names."""
        checked = self.gate.check(text)
        gate.check_graphs([*default_graphs, *named_graphs], self.graph_names)
        return checked

    def execute(self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                base: str | None = None) -> tuple[gate.CheckedQuery, QueryResult]:
        """Run an untrusted query; raises an `errors.IpkgError` for anything the client can fix or wait out.

        `base` resolves the query's relative IRIs unless the query has a BASE of its own (default: the
        predeclared `self.base`); the gate and the engine both read the client's own text, so positions in
        error messages are the client's."""
        checked = self.check(text, default_graphs, named_graphs)
        return checked, self._run(checked, default_graphs, named_graphs, base, None)

    def execute_serialized(self, checked: gate.CheckedQuery, media: str, default_graphs: Sequence[str] = (),
                           named_graphs: Sequence[str] = (), base: str | None = None) -> Serialized:
        """Run a query `check` accepted, its result written in `media` where it ran (by the worker, if any);
        a repeatable query asked before in the same way is answered with the bytes written then."""
        if self.answers is None or not checked.repeatable:
            return self._run(checked, default_graphs, named_graphs, base, media)
        key = (checked.text, media, tuple(default_graphs), tuple(named_graphs), base)
        return self.answers.get_or_compute(key, lambda: self._run(checked, default_graphs, named_graphs, base, media))

    @overload
    def _run(self, checked: gate.CheckedQuery, default_graphs: Sequence[str], named_graphs: Sequence[str], base: str | None,
             media: None) -> QueryResult: ...

    @overload
    def _run(self, checked: gate.CheckedQuery, default_graphs: Sequence[str], named_graphs: Sequence[str], base: str | None,
             media: str) -> Serialized: ...

    def _run(self, checked: gate.CheckedQuery, default_graphs: Sequence[str], named_graphs: Sequence[str], base: str | None,
             media: str | None) -> QueryResult | Serialized:
        """The result, or with `media` the result written in it (typed apart by the overloads above)."""
        text, max_rows = checked.text, self.settings.max_rows
        dataset: QueryArgs = {"default_graphs": list(default_graphs) or None, "named_graphs": list(named_graphs) or None,
                              "base": base or self.base, "prefixes": self.prefixes}
        try:
            if self.pool is not None and not checked.bounded:
                result, lane = self.pool.run(text, self.settings.query_timeout, media=media, light=checked.light, max_rows=max_rows, **dataset)
                return dataclasses.replace(result, lane=lane) if isinstance(result, Serialized) else result  # Serialized: `media` was given
            if media and isinstance(self.store, EmbeddedStore):
                return dataclasses.replace(write_answer(self.store.evaluate(text, **dataset), media, max_rows), lane="process")
            result = self.store.query(text, max_rows=max_rows, **dataset)
            return Serialized(serialize(result, media), result.kind, result.truncated, "process") if media else result
        except IpkgError:  # the workers' and the remote store's errors say what the client can do
            raise
        except (SyntaxError, ValueError, OSError) as exc:  # the embedded engine's own refusal, in process
            raise QueryFailed(f"query could not be evaluated: {exc}") from exc
        except BaseException as exc:  # a panic of the engine, in process, arrives as pyo3's PanicException
            if type(exc).__name__ != "PanicException":
                raise
            raise QueryFailed("the query engine failed on this query") from exc
