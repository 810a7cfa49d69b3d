"""Answers already written, kept for the next client that asks the same thing.

The embedded store only changes with a build, which a server process does not see (it holds the
snapshot it opened), so a query's answer is fixed for the life of the process: the same query text,
result format, dataset and base IRI give the same bytes. Repeated requests (the catalogue pages, the
resource a page links to, a client polling) then skip the engine and the writer. Answers are kept
least-recently-used first out, within a budget of bytes per process that counts each request's key as
well as its answer (so that many long queries with short answers cannot hold more memory). Queries whose answer changes on
each run (RAND, NOW, UUID, STRUUID, BNODE: the gate marks them not `repeatable`) are never kept, and
neither is anything from a remote store, whose data can change under us.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import TypeAlias

from cachetools import LRUCache

from .formats import Serialized

# A request's key: strings, None (no base given) and tuples of strings; only its strings count towards its size.
CacheKey: TypeAlias = tuple[object, ...]


class AnswerCache:
    """A byte-bounded LRU map from a request's key (a tuple of strings and tuples of strings) to its
    `Serialized` answer; safe across request threads."""

    ENTRY_OVERHEAD = 256  # bytes of Python objects around each entry, roughly

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._answers: LRUCache[CacheKey, tuple[Serialized, int]] = LRUCache(maxsize=max(1, max_bytes), getsizeof=lambda entry: entry[1])
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: CacheKey, compute: Callable[[], Serialized]) -> Serialized:
        """The kept answer for `key`, else `compute()`'s, kept if it fits the budget. Errors are never kept."""
        with self._lock:
            entry = self._answers.get(key)
            if entry is not None:
                self.hits += 1
                return entry[0]
            self.misses += 1
        answer = compute()  # outside the lock: two threads may compute one answer at once; both get it right
        cost = len(answer.body) + _size(key) + self.ENTRY_OVERHEAD
        if cost <= self.max_bytes:
            with self._lock:
                self._answers[key] = (dataclasses.replace(answer, lane="cache"), cost)  # served again by the cache
        return answer

    @property
    def size(self) -> int:
        """Bytes held."""
        return int(self._answers.currsize)

    def __len__(self) -> int:
        return len(self._answers)


def _size(key: object) -> int:
    """Characters in a key's strings, nested tuples included."""
    if isinstance(key, tuple):
        return sum(_size(part) for part in key)
    return len(key) if isinstance(key, str) else 0
