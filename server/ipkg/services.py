"""The services the faces share, assembled once per process from the settings and handed to them.

The web app factory builds one `Services` and passes it to every blueprint factory; the CLI builds
what it needs from the same functions (`open_store` alone, to check that a store opens before
serving). Nothing here knows about HTTP: a face translates what these raise (see `errors.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .config import Settings
from .sparql.service import SparqlService
from .sparql.workers import HEAVY, WorkerPool
from .store import EmbeddedStore, Store

FREE_THREADS = 2  # request threads of a server process that heavy queries never hold: for cheap queries and pages

if TYPE_CHECKING:
    from .browse import Browser
    from .catalog import CatalogQuery
    from .compare import Comparer
    from .eligibility import Engine
    from .search import SearchIndex


def open_store(settings: Settings, *, memory_quads: int | None = None) -> Store:
    """The store `settings` name: the remote SPARQL store when one is set, else the embedded one
    (held in memory up to `memory_quads`, the setting's value unless given)."""
    if settings.remote_store:
        from .remote import RemoteStore

        return RemoteStore(settings.remote_store, timeout=settings.query_timeout, ids=settings.ids)
    quads = settings.memory_quads if memory_quads is None else memory_quads
    return EmbeddedStore(settings.store_path, quads, ids=settings.ids)


@dataclass
class Services:
    """The store, the worker pool and the SPARQL service, built eagerly; the eligibility engine and the
    query catalogue compiled on first use (building them costs seconds most requests never need)."""

    settings: Settings
    store: Store
    sparql: SparqlService
    pool: WorkerPool | None = field(default=None)

    @classmethod
    def open(cls, settings: Settings, *, store: Store | None = None, workers: bool = True) -> Services:
        """Services over `store` (default: the store `settings` name), with untrusted queries run in
        worker processes when `workers` and the store is the embedded one."""
        store = store or open_store(settings)
        pool = None
        if workers and isinstance(store, EmbeddedStore):
            pool = WorkerPool(settings.store_path, settings.workers, settings.memory_quads, light=settings.light_workers)
            # heavy queries may wait for a worker only while FREE_THREADS request threads stay free of them
            pool.max_waiting = max(0, settings.threads - pool.lanes[HEAVY] - FREE_THREADS)
        return cls(settings, store, SparqlService(settings, store, pool), pool)

    @cached_property
    def engine(self) -> Engine:
        from .eligibility import Engine, Rulebook

        return Engine(Rulebook(self.store))

    @cached_property
    def catalog(self) -> dict[str, CatalogQuery]:
        from . import catalog

        return catalog.load(self.settings.root / "queries", self.settings.ids)

    @cached_property
    def version(self) -> str:
        """The release this process serves (named in every answer's X-Dataset-Version header)."""
        from . import release

        return release.dataset_version(self.settings.dist_path)

    @cached_property
    def comparer(self) -> Comparer:
        from .compare import Comparer

        return Comparer(self.engine, self.store)

    @cached_property
    def terms(self) -> dict[str, list[str]]:
        """The classes and properties the graph uses, for the query editor's autocompletion (a snapshot, like the store)."""
        def column(text: str) -> list[str]:
            return [str(row[0]) for row in self.store.query(text).rows if row[0] is not None]

        return {
            "classes": column("SELECT DISTINCT ?c WHERE { { ?x a ?c } UNION { ?c a <http://www.w3.org/2002/07/owl#Class> } "
                              "UNION { ?c a <http://www.w3.org/2000/01/rdf-schema#Class> } FILTER(isIRI(?c)) } ORDER BY ?c"),
            "properties": column("SELECT DISTINCT ?p WHERE { { ?x ?p ?y } UNION { ?p a <http://www.w3.org/2002/07/owl#ObjectProperty> } "
                                 "UNION { ?p a <http://www.w3.org/2002/07/owl#DatatypeProperty> } "
                                 "UNION { ?p a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> } } ORDER BY ?p"),
        }

    @cached_property
    def search(self) -> SearchIndex:
        """The build's full-text index, opened read-only on first use."""
        from .search import INDEX_FILE, SearchIndex

        return SearchIndex(self.settings.dist_path / INDEX_FILE)

    @cached_property
    def browser(self) -> Browser:
        from .browse import Browser

        return Browser(self.store)

    def close(self) -> None:
        """Stop the worker processes (the store closes with the process)."""
        if self.pool is not None:
            self.pool.close()
