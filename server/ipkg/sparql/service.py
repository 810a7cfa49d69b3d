"""The endpoint's core: check a query at the gate, then run it on a worker within the deadline and row cap,
or answer it from the answers already written (`answers.AnswerCache`, embedded store only).

A query the gate finds *bounded* (a point lookup: DESCRIBE of given IRIs, or one triple pattern with a
given subject) runs in the request's own process instead: its cost is that of reading one resource's
statements, so it needs neither the deadline nor the crash isolation of a worker, and the round trip
to a worker would cost more than the query.
"""

from __future__ import annotations

import dataclasses
import math

from ..config import Settings
from ..remote import RemoteQueryError, RemoteTimeout, RemoteUnavailable
from ..store import EmbeddedStore, QueryResult, Store
from . import gate
from .answers import AnswerCache
from .formats import Serialized, serialize, write_answer
from .workers import QueryFailed, QueryTimeout, ServiceBusy, WorkerPool

BUSY_RETRY_AFTER = 1  # seconds: a busy lane frees a worker as soon as one query ends


class SparqlService:
    """Everything /sparql needs, built once at start-up (graph names, limits, the worker pool)."""

    def __init__(self, settings: Settings, store: Store, pool: WorkerPool | None = None):
        self.settings = settings
        self.store = store
        self.pool = pool
        self.graph_names = set(store.graph_names())
        self.gate = gate.Gate(gate.Limits(settings.max_query_length, settings.max_nesting, settings.max_patterns),
                              self.graph_names)
        keeps = settings.answer_cache_bytes > 0 and isinstance(store, EmbeddedStore)  # a remote store's data can change
        self.answers = AnswerCache(settings.answer_cache_bytes) if keeps else None

    def check(self, text: str, default_graphs: list[str] = (), named_graphs: list[str] = ()) -> gate.CheckedQuery:
        """The gate's verdict on the query and on the graphs the request names."""
        checked = self.gate.check(text)
        gate.check_graphs([*default_graphs, *named_graphs], self.graph_names)
        return checked

    def execute(self, text: str, default_graphs: list[str] = (), named_graphs: list[str] = (),
                base: str | None = None) -> tuple[gate.CheckedQuery, QueryResult]:
        """Run an untrusted query; raises gate.Refused with the status to answer for anything the client can fix.

        `base`, when given, resolves the query's relative IRIs (the endpoint's URL, per the Protocol) unless the
        query has a BASE of its own; the gate and the engine both read the client's own text, so positions in
        error messages are the client's."""
        checked = self.check(text, default_graphs, named_graphs)
        return checked, self._run(checked, default_graphs, named_graphs, base, None)

    def execute_serialized(self, checked: gate.CheckedQuery, media: str, default_graphs: list[str] = (),
                           named_graphs: list[str] = (), base: str | None = None) -> Serialized:
        """Run a query `check` accepted, its result written in `media` where it ran (by the worker, if any);
        a repeatable query asked before in the same way is answered with the bytes written then."""
        if self.answers is None or not checked.repeatable:
            return self._run(checked, default_graphs, named_graphs, base, media)
        key = (checked.text, media, tuple(default_graphs), tuple(named_graphs), base)
        return self.answers.get_or_compute(key, lambda: self._run(checked, default_graphs, named_graphs, base, media))

    def _run(self, checked: gate.CheckedQuery, default_graphs, named_graphs, base, media):
        text, max_rows = checked.text, self.settings.max_rows
        dataset = dict(default_graphs=list(default_graphs) or None, named_graphs=list(named_graphs) or None, base=base)
        deadline = self.settings.query_timeout
        try:
            if self.pool is not None and not checked.bounded:
                result, lane = self.pool.run(text, deadline, media=media, light=checked.light, max_rows=max_rows, **dataset)
                return dataclasses.replace(result, lane=lane) if media else result
            if media and isinstance(self.store, EmbeddedStore):
                return dataclasses.replace(write_answer(self.store.evaluate(text, **dataset), media, max_rows), lane="process")
            result = self.store.query(text, max_rows=max_rows, **dataset)
            return Serialized(serialize(result, media), result.kind, result.truncated, "process") if media else result
        # a query stopped at the deadline is the server's limit, not an error in the query: 503 with Retry-After,
        # as SPARQL clients and proxies read a server-side timeout (a 4xx would tell them to fix the query)
        except QueryTimeout as exc:
            raise gate.Refused(f"{exc} (IPKG_QUERY_TIMEOUT); narrow the query or add a LIMIT", 503,
                               retry_after=math.ceil(deadline)) from exc
        except ServiceBusy as exc:
            raise gate.Refused(str(exc), 503, retry_after=BUSY_RETRY_AFTER) from exc
        except QueryFailed as exc:
            raise gate.Refused(f"query could not be evaluated: {exc}", 400) from exc
        except RemoteTimeout as exc:  # the remote path's deadline is the HTTP timeout: same answer as a killed worker
            raise gate.Refused(f"{exc} (IPKG_QUERY_TIMEOUT); narrow the query or add a LIMIT", 503,
                               retry_after=math.ceil(deadline)) from exc
        except RemoteQueryError as exc:
            if exc.status in (429, 503):
                raise gate.Refused(_remote_refusal(exc), 503, retry_after=BUSY_RETRY_AFTER) from exc
            raise gate.Refused(_remote_refusal(exc), 400) from exc
        except RemoteUnavailable as exc:  # not the client's fault, and not a bug of ours either: say so
            raise gate.Refused(f"{exc}; try again later", 503, retry_after=BUSY_RETRY_AFTER) from exc
        except (SyntaxError, ValueError, OSError) as exc:  # the embedded engine's own refusal, in process
            raise gate.Refused(f"query could not be evaluated: {exc}", 400) from exc
        except BaseException as exc:  # a panic of the engine, in process, arrives as pyo3's PanicException
            if type(exc).__name__ != "PanicException":
                raise
            raise gate.Refused("the query engine failed on this query", 400) from exc


def _remote_refusal(exc: RemoteQueryError) -> str:
    """The remote store's own message, prefixed so that a client can tell it from the gate's."""
    status = f" (HTTP {exc.status})" if exc.status else ""
    return f"query could not be evaluated by the remote store{status}: {exc}"
