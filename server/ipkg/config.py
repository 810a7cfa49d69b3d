"""Settings read once from the environment, with documented defaults (see README, "Configuration")."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import release

DEFAULT_BASE = "https://w3id.org/ipkg/"


def find_root(start: Path | None = None) -> Path:
    """The project folder: $IPKG_ROOT, else the nearest parent of the cwd (or of this package) holding
    ontology/ipkg.ttl, else the project files an installed wheel carries (release.py)."""
    if env := os.environ.get("IPKG_ROOT"):
        return Path(env).resolve()
    for origin in (start or Path.cwd(), Path(__file__).resolve()):
        for candidate in (origin, *origin.parents):
            if (candidate / "ontology" / "ipkg.ttl").is_file():
                return candidate
    if (packaged := release.packaged_root()) is not None:  # an installed wheel carries the project's files
        return packaged
    raise FileNotFoundError("cannot find the ipkg project folder (ontology/ipkg.ttl): run ipkg inside a checkout, "
                            "set IPKG_ROOT, or install a wheel that carries the graph")


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Settings:
    """Everything the build and the service need to know; one instance per process."""

    root: Path
    base: str = DEFAULT_BASE
    store_path: Path = field(default=Path())
    dist_path: Path = field(default=Path())
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_query_length: int = 20_000
    max_nesting: int = 40
    max_patterns: int = 200
    workers: int = 4
    light_workers: int = 1  # of `workers`, kept for light queries (gate.CheckedQuery.light); see sparql.workers
    max_body_bytes: int = 256 * 2**10  # request bodies above this are refused (413) before they are read
    body_timeout: float = 5.0  # seconds a request body may take to arrive in full (web.asgi); then 408
    max_form_fields: int = 1000  # fields of a form or a query string; more is refused (413 / 400)
    threads: int = 8  # request threads per server process (web.asgi); `ipkg serve --threads` sets it
    memory_quads: int = 500_000  # serve stores up to this size from memory (EmbeddedStore); 0: never
    answer_cache_bytes: int = 64 * 2**20  # answers kept per server process (sparql.answers); 0: none
    reasoner: str = "reasonable"
    remote_store: str | None = None  # a SPARQL 1.1 query URL to serve instead of the embedded store

    @property
    def graph_base(self) -> str:
        return self.base + "graph/"

    @classmethod
    def from_env(cls, root: Path | None = None) -> "Settings":
        root = (root or find_root()).resolve()
        packaged = release.is_packaged(root)  # an installed wheel: its dataset, and a store in the user's cache
        var = Path(os.environ.get("IPKG_VAR", release.cache_var() if packaged else root / "var"))
        return cls(
            root=root,
            base=os.environ.get("IPKG_BASE", DEFAULT_BASE),
            store_path=Path(os.environ.get("IPKG_STORE", var / "store")),
            dist_path=Path(os.environ.get("IPKG_DIST", release.PACKAGED / "dist" if packaged else var / "dist")),
            query_timeout=_float("IPKG_QUERY_TIMEOUT", 10.0),
            max_rows=_int("IPKG_MAX_ROWS", 10_000),
            max_query_length=_int("IPKG_MAX_QUERY_LENGTH", 20_000),
            max_nesting=_int("IPKG_MAX_NESTING", 40),
            max_patterns=_int("IPKG_MAX_PATTERNS", 200),
            workers=_int("IPKG_WORKERS", 4),
            light_workers=_int("IPKG_LIGHT_WORKERS", 1),
            max_body_bytes=_int("IPKG_MAX_BODY_BYTES", 256 * 2**10),
            body_timeout=_float("IPKG_BODY_TIMEOUT", 5.0),
            max_form_fields=_int("IPKG_MAX_FORM_FIELDS", 1000),
            threads=_int("IPKG_THREADS", 8),
            memory_quads=_int("IPKG_MEMORY_QUADS", 500_000),
            answer_cache_bytes=_int("IPKG_ANSWER_CACHE_BYTES", 64 * 2**20),
            reasoner=os.environ.get("IPKG_REASONER", "reasonable"),
            remote_store=os.environ.get("IPKG_REMOTE_STORE") or None,
        )
