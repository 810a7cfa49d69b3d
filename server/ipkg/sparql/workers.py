"""Killable worker processes for untrusted queries: a real deadline, and a crash costs one worker, not the server.

pyoxigraph has no timeout or cancellation and can crash on hostile query shapes, so each query runs
in a child process that opens the store read-only. Past the deadline the child is killed and a
fresh one takes its place; the request thread answers with a clear error.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import Busy, InvalidRequest, TimedOut, timeout_message
from ..store import EmbeddedStore, QueryResult
from .formats import Serialized, write_answer


class QueryTimeout(TimedOut):
    """The query ran past the deadline and was stopped."""


class QueryFailed(InvalidRequest):
    """The engine rejected the query or died evaluating it."""


class ServiceBusy(Busy):
    """No worker became free within the deadline."""


def _serve(path: str, memory_quads: int, conn: Connection) -> None:
    store = EmbeddedStore(Path(path), memory_quads)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        sparql, kwargs, media = request
        try:
            if media:
                max_rows = kwargs.pop("max_rows")
                conn.send(("ok", write_answer(store.evaluate(sparql, **kwargs), media, max_rows)))
            else:
                conn.send(("ok", store.query(sparql, **kwargs)))
        except Exception as exc:  # the engine's own error, reported to the client
            conn.send(("error", str(exc)))
        except BaseException as exc:  # a panic of the engine (pyo3's PanicException): its state is no longer
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):  # known, so report it and let this worker go
                raise
            conn.send(("panic", f"the query engine failed on this query ({exc})"))
            return


class _Worker:
    def __init__(self, ctx, path: str, memory_quads: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(path, memory_quads, child), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """A fixed number of query processes over one store; `run` blocks for at most `timeout` seconds.

    Each worker holds its own copy of a store of at most `memory_quads` quads (see `EmbeddedStore`)."""

    def __init__(self, store_path: Path, size: int = 2, memory_quads: int = 0):
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["ipkg.store", "pyoxigraph"])
        self._path = str(store_path)
        self._memory_quads = memory_quads
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        for _ in range(max(1, size)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._ctx, self._path, self._memory_quads)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        threading.Thread(target=self._add, daemon=True).start()

    def run(self, sparql: str, timeout: float, media: str | None = None, **kwargs) -> QueryResult | Serialized:
        """The result, or with `media` the result already serialised by the worker (cheaper to send back)."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServiceBusy("all query workers are busy; try again shortly") from None
        try:
            worker.conn.send((sparql, kwargs, media))
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise QueryTimeout(timeout_message(timeout))
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise QueryFailed("query could not be evaluated: the query engine failed on this query") from None
        except QueryTimeout:
            raise
        except BaseException:
            self._replace(worker)
            raise
        if status == "panic":
            self._replace(worker)
            raise QueryFailed(f"query could not be evaluated: {payload}")
        self._idle.put(worker)
        if status == "error":
            raise QueryFailed(f"query could not be evaluated: {payload}")
        return payload

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()
