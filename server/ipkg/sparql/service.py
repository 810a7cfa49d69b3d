"""The endpoint's core: check a query at the gate, then run it on a worker within the deadline and row cap."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from ..config import Settings
from ..remote import RemoteQueryError, RemoteTimeout, RemoteUnavailable
from ..store import QueryResult, Store
from . import gate
from .formats import Serialized, serialize
from .workers import QueryFailed, QueryTimeout, ServiceBusy, WorkerPool


class SparqlService:
    """Everything /sparql needs, built once at start-up (graph names, limits, the worker pool)."""

    def __init__(self, settings: Settings, store: Store, pool: WorkerPool | None = None):
        self.settings = settings
        self.store = store
        self.pool = pool
        self.graph_names = set(store.graph_names())
        self.limits = gate.Limits(settings.max_query_length, settings.max_nesting, settings.max_patterns)
        self._checked: OrderedDict[str, gate.CheckedQuery] = OrderedDict()  # text -> verdict, most recent last
        self._checked_lock = Lock()

    CACHE_SIZE = 1024

    def check(self, text: str, default_graphs: list[str] = (), named_graphs: list[str] = ()) -> gate.CheckedQuery:
        """The gate's verdict; accepted queries are remembered by text, since rdflib's parse is the costly part
        of a request (tens of ms, under one lock) and clients repeat their queries."""
        with self._checked_lock:
            checked = self._checked.get(text)
            if checked is not None:
                self._checked.move_to_end(text)
        if checked is None:
            checked = gate.check(text, self.limits, self.graph_names)
            with self._checked_lock:
                self._checked[text] = checked
                if len(self._checked) > self.CACHE_SIZE:
                    self._checked.popitem(last=False)
        gate.check_graphs([*default_graphs, *named_graphs], self.graph_names)
        return checked

    def execute(self, text: str, default_graphs: list[str] = (), named_graphs: list[str] = (),
                base: str | None = None) -> tuple[gate.CheckedQuery, QueryResult]:
        """Run an untrusted query; raises gate.Refused with the status to answer for anything the client can fix.

        `base`, when given, is prepended as the query's BASE (the endpoint's URL, per the Protocol) after the
        check, so the gate reads the client's own text and its verdict can be reused."""
        checked = self.check(text, default_graphs, named_graphs)
        return checked, self._run(text, default_graphs, named_graphs, base, None)

    def execute_serialized(self, text: str, media: str, default_graphs: list[str] = (), named_graphs: list[str] = (),
                           base: str | None = None) -> Serialized:
        """As `execute`, with the result written in `media` where the query ran (by the worker, if any)."""
        self.check(text, default_graphs, named_graphs)
        return self._run(text, default_graphs, named_graphs, base, media)

    def _run(self, text, default_graphs, named_graphs, base, media):
        if base:
            text = f"BASE <{base}> {text}"
        kwargs = dict(default_graphs=list(default_graphs) or None, named_graphs=list(named_graphs) or None,
                      max_rows=self.settings.max_rows)
        try:
            if self.pool is not None:
                return self.pool.run(text, self.settings.query_timeout, media=media, **kwargs)
            result = self.store.query(text, **kwargs)
            return Serialized(serialize(result, media), result.kind, result.truncated) if media else result
        except QueryTimeout as exc:
            raise gate.Refused(f"{exc} (IPKG_QUERY_TIMEOUT); narrow the query or add a LIMIT", 422) from exc
        except ServiceBusy as exc:
            raise gate.Refused(str(exc), 429) from exc
        except QueryFailed as exc:
            raise gate.Refused(f"query could not be evaluated: {exc}", 400) from exc
        except RemoteTimeout as exc:  # the remote path's deadline is the HTTP timeout: same answer as a killed worker
            raise gate.Refused(f"{exc} (IPKG_QUERY_TIMEOUT); narrow the query or add a LIMIT", 422) from exc
        except RemoteQueryError as exc:
            raise gate.Refused(_remote_refusal(exc), 429 if exc.status in (429, 503) else 400) from exc
        except RemoteUnavailable as exc:  # not the client's fault, and not a bug of ours either: say so
            raise gate.Refused(f"{exc}; try again later", 503) from exc


def _remote_refusal(exc: RemoteQueryError) -> str:
    """The remote store's own message, prefixed so that a client can tell it from the gate's."""
    status = f" (HTTP {exc.status})" if exc.status else ""
    return f"query could not be evaluated by the remote store{status}: {exc}"
