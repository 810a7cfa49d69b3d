"""Killable worker processes for untrusted queries: a real deadline, and a crash costs one worker, not the server.

pyoxigraph has no timeout or cancellation and can crash on hostile query shapes, so each query runs
in a child process that opens the store read-only. Past the deadline the child is killed and a
fresh one takes its place; the request thread answers with a clear error.

The workers form two lanes. The *light* lane (`light` workers) runs only light queries (`gate.CheckedQuery.light`:
one pass over one pattern), so that a cheap query never waits behind slow ones; the *heavy* lane runs the rest.
A heavy query waits for a heavy worker only while fewer than `max_waiting` others wait: past that it is refused
at once (`ServiceBusy`, answered 503 with Retry-After) instead of holding a request thread that cheap queries need
(six query bombs on a server of five request threads per process used to hold all of them, and `ASK {}` waited
4-5 s). A worker joins its lane only once its store is open, so a query's deadline never counts a worker's start (and
one query per starting worker may wait for it).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import queue
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import TypedDict, Unpack

from ..errors import Busy, InvalidRequest, TimedOut, timeout_message
from ..store import EmbeddedStore, QueryResult
from .formats import Serialized, write_answer

log = logging.getLogger(__name__)


class QueryTimeout(TimedOut):
    """The query ran past the deadline and was stopped."""


class QueryFailed(InvalidRequest):
    """The engine rejected the query or died evaluating it."""


class ServiceBusy(Busy):
    """No worker of the query's lane is free, and it may not wait (or waited the whole deadline)."""


LIGHT, HEAVY = "light", "heavy"


class QueryArgs(TypedDict, total=False):
    """The dataset a query runs over, as keywords of `Store.query` (each may be left out, as there): sent down the pipe with the query text."""

    default_graphs: list[str] | None
    named_graphs: list[str] | None
    base: str
    prefixes: dict[str, str]


def _serve(path: str, memory_quads: int, conn: Connection) -> None:
    try:
        store = EmbeddedStore(Path(path), memory_quads)
    except Exception as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", None))
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
    def __init__(self, ctx: ForkServerContext, path: str, memory_quads: int, lane: str):
        self.lane = lane
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(path, memory_quads, child), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        """Stop the process and close its pipe; safe to call twice, from two threads (close and a run that saw
        the pipe break can both discard one worker)."""
        self.process.kill()
        self.process.join(timeout=5)
        with contextlib.suppress(OSError):  # closed already by the other caller
            self.conn.close()


class WorkerPool:
    """`size` query processes over one store, `light` of them kept for light queries (at most size - 1);
    `run` blocks for at most `timeout` seconds.

    Each worker holds its own copy of a store of at most `memory_quads` quads (see `EmbeddedStore`)."""

    START_ATTEMPTS = 3  # a worker whose store cannot be opened is tried again this many times, a second apart

    def __init__(self, store_path: Path, size: int = 2, memory_quads: int = 0, light: int = 0,
                 max_waiting: int | None = None):
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["ipkg.store", "pyoxigraph"])
        self._path = str(store_path)
        self._memory_quads = memory_quads
        size = max(1, size)
        self.lanes = {LIGHT: min(max(0, light), size - 1), HEAVY: 0}
        self.lanes[HEAVY] = size - self.lanes[LIGHT]
        self.max_waiting = max_waiting  # heavy queries that may wait for a worker; None: any number
        self._idle: dict[str, queue.Queue[_Worker]] = {lane: queue.Queue() for lane in self.lanes}
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._waiting = 0
        self._starting = dict.fromkeys(self.lanes, 0)  # workers on their way into each lane
        self._closed = False
        self.served = {LIGHT: 0, HEAVY: 0, "refused": 0}  # queries each lane answered, and those refused busy
        for lane, count in self.lanes.items():
            for _ in range(count):
                self._start(lane)

    def _start(self, lane: str) -> None:
        with self._lock:
            self._starting[lane] += 1
        threading.Thread(target=self._add, args=(lane,), name=f"ipkg-worker-start-{lane}", daemon=True).start()

    def _add(self, lane: str) -> None:
        """Start a worker and put it in its lane once it says its store is open."""
        try:
            self._try_add(lane)
        finally:
            with self._lock:
                self._starting[lane] -= 1

    def _try_add(self, lane: str) -> None:
        reason = "it exited"
        for _attempt in range(self.START_ATTEMPTS):
            if self._closed:
                return
            worker = _Worker(self._ctx, self._path, self._memory_quads, lane)
            with self._lock:
                self._all.append(worker)
            try:
                status, reason = worker.conn.recv()
                if status == "ready":
                    self._idle[lane].put(worker)
                    return
            except (EOFError, OSError):
                pass
            self._discard(worker)
            time.sleep(1)
        log.error("a %s query worker could not open the store (%s); that lane has one worker fewer", lane, reason)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if not self._closed:
            self._start(worker.lane)

    def _take(self, light: bool, timeout: float) -> _Worker:
        """A free worker for the query: a light query takes a light worker, else any idle heavy one, else waits
        for a light one; a heavy query takes a heavy worker, waiting only while the queue is short."""
        lane = LIGHT if light and self.lanes[LIGHT] else HEAVY
        try:
            return self._idle[lane].get_nowait()
        except queue.Empty:
            pass
        if lane == LIGHT:
            try:
                return self._idle[HEAVY].get_nowait()
            except queue.Empty:
                pass
        else:
            with self._lock:
                # a worker still opening its store will be free soon: as many queries may wait for it
                if self.max_waiting is not None and self._waiting >= self.max_waiting + self._starting[HEAVY]:
                    self.served["refused"] += 1
                    raise ServiceBusy(f"all {self.lanes[HEAVY]} query workers for this kind of query are busy; "
                                      "try again shortly")
                self._waiting += 1
        try:
            return self._idle[lane].get(timeout=timeout)
        except queue.Empty:
            with self._lock:
                self.served["refused"] += 1
            raise ServiceBusy("all query workers are busy; try again shortly") from None
        finally:
            if lane == HEAVY:
                with self._lock:
                    self._waiting -= 1

    def run(self, sparql: str, timeout: float, media: str | None = None, light: bool = False, max_rows: int | None = None,
            **kwargs: Unpack[QueryArgs]) -> tuple[QueryResult | Serialized, str]:
        """The result, or with `media` the result already serialised by the worker (cheaper to send back), and
        the lane whose worker ran it (`light` or `heavy`)."""
        worker = self._take(light, timeout)
        try:
            worker.conn.send((sparql, {**kwargs, "max_rows": max_rows}, media))
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
        self._idle[worker.lane].put(worker)
        with self._lock:
            self.served[worker.lane] += 1
        if status == "error":
            raise QueryFailed(f"query could not be evaluated: {payload}")
        return payload, worker.lane

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()
