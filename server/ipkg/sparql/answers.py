"""Answers already written, kept for the next client that asks the same thing.

The embedded store only changes with a build, which a server process does not see (it holds the
snapshot it opened), so a query's answer is fixed for the life of the process: the same query text,
result format, dataset and base IRI give the same bytes. Repeated requests (the catalogue pages, the
resource a page links to, a client polling) then skip the engine and the writer. Answers are kept
least-recently-used first out, within a budget of bytes per process. Queries whose answer changes on
each run (RAND, NOW, UUID, STRUUID, BNODE: the gate marks them not `repeatable`) are never kept, and
neither is anything from a remote store, whose data can change under us.
"""

from __future__ import annotations

import threading
from typing import Callable, Hashable

from cachetools import LRUCache

from .formats import Serialized


class AnswerCache:
    """A byte-bounded LRU map from a request's key to its `Serialized` answer; safe across request threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._answers: LRUCache = LRUCache(maxsize=max(1, max_bytes), getsizeof=lambda answer: len(answer.body) or 1)
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], Serialized]) -> Serialized:
        """The kept answer for `key`, else `compute()`'s, kept if it fits the budget. Errors are never kept."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self.hits += 1
                return answer
            self.misses += 1
        answer = compute()  # outside the lock: two threads may compute one answer at once; both get it right
        if len(answer.body) <= self.max_bytes:
            with self._lock:
                self._answers[key] = answer
        return answer

    @property
    def size(self) -> int:
        """Bytes held."""
        return int(self._answers.currsize)

    def __len__(self) -> int:
        return len(self._answers)
