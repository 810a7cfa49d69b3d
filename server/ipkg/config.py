"""Settings, each declared once (environment variable, default, type, meaning) and read once from the environment;
the README's "Configuration" table is written from the declarations (`settings_table`)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

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


def setting(default: Any, env: str, doc: str, *, shown: str | None = None, parse: Callable[[str], Any] | None = None,
            write: Callable[[Any], str] = str) -> Any:
    """A setting's one declaration: its environment variable, default, how a value is read (the default's
    type unless given; `write` is its inverse) and what it means. The README's table and `ipkg serve --help` are written from these."""
    return field(default=default, metadata={"env": env, "doc": doc, "shown": shown, "parse": parse or type(default), "write": write})


def _optional(raw: str) -> str | None:
    return raw or None


def _epoch_date(raw: str) -> str | None:
    """The UTC day of a Unix time (SOURCE_DATE_EPOCH), as an ISO date; None when empty."""
    return dt.datetime.fromtimestamp(int(raw), dt.UTC).date().isoformat() if raw else None


def _epoch(day: str) -> str:
    return str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()))


@dataclass(frozen=True)
class Settings:
    """Everything the build and the service need to know; one instance per process."""

    root: Path = setting(Path(), "IPKG_ROOT", "project folder", shown="the folder holding `ontology/ipkg.ttl`", parse=Path)
    base: str = setting(DEFAULT_BASE, "IPKG_BASE", "base IRI; the local server answers for `{base}id/…` and `{base}def/…`")
    var_path: Path = setting(Path(), "IPKG_VAR", "folder of the built store and dumps (an installed wheel: the user's cache)",
                             shown="`var`", parse=Path)
    store_path: Path = setting(Path(), "IPKG_STORE", "embedded store folder", shown="`$IPKG_VAR/store`", parse=Path)
    dist_path: Path = setting(Path(), "IPKG_DIST", "dumps and descriptions", shown="`$IPKG_VAR/dist`", parse=Path)
    query_timeout: float = setting(10.0, "IPKG_QUERY_TIMEOUT", "query deadline, seconds; a query stopped there is a 503 with `Retry-After`")
    max_rows: int = setting(10_000, "IPKG_MAX_ROWS", "result row cap")
    max_query_length: int = setting(20_000, "IPKG_MAX_QUERY_LENGTH", "query length cap, characters")
    max_nesting: int = setting(40, "IPKG_MAX_NESTING", "deepest nesting of groups a query may have")
    max_patterns: int = setting(200, "IPKG_MAX_PATTERNS", "most triple patterns a query may have")
    workers: int = setting(4, "IPKG_WORKERS", "query worker processes per server process (each killable, with the store open read-only)")
    light_workers: int = setting(1, "IPKG_LIGHT_WORKERS", "of `IPKG_WORKERS`, the workers kept for light queries (one pass over one pattern), so that they never wait behind heavy ones")
    max_body_bytes: int = setting(256 * 2**10, "IPKG_MAX_BODY_BYTES", "request bodies above this many bytes are refused (413) before they are read")
    body_timeout: float = setting(5.0, "IPKG_BODY_TIMEOUT", "seconds a request body may take to arrive in full; then 408 and the connection is closed")
    max_form_fields: int = setting(1000, "IPKG_MAX_FORM_FIELDS", "fields of a form or a query string; more is refused (413 / 400)")
    threads: int = setting(8, "IPKG_THREADS", "request threads per server process (`ipkg serve --threads` sets it)")
    memory_quads: int = setting(500_000, "IPKG_MEMORY_QUADS",
                                "a store of at most this many quads is copied into memory when opened (2–6× faster queries); each "
                                "server process and each worker holds a copy, about 250 bytes per quad; `0` reads from disk")
    answer_cache_bytes: int = setting(64 * 2**20, "IPKG_ANSWER_CACHE_BYTES",
                                      "answers kept per server process for repeated requests (same query, format, dataset and base); "
                                      "never for RAND/NOW/UUID/STRUUID/BNODE queries or a remote store; `0` turns it off")
    reasoner: str = setting("reasonable", "IPKG_REASONER", "OWL 2 RL engine for the build (`owlrl` is the reference)")
    remote_store: str | None = setting(None, "IPKG_REMOTE_STORE",
                                       "a SPARQL 1.1 query URL to serve instead of the embedded store (what `ipkg serve --store` sets)",
                                       shown="unset", parse=_optional)
    build_date: str | None = setting(None, "SOURCE_DATE_EPOCH", "the release date a build writes, as reproducible builds set it (Unix time)",
                                     shown="unset: today, UTC", parse=_epoch_date, write=_epoch)

    @property
    def graph_base(self) -> str:
        return self.base + "graph/"

    @property
    def ids(self) -> str:
        """The namespace of the things (`Store.ids`): what queries with relative IRIs take as BASE."""
        return self.base + "id/"

    @classmethod
    def from_env(cls, root: Path | None = None) -> Settings:
        """The settings the environment gives, each variable read as its declaration says; the folders
        left unset follow the project folder (or, for an installed wheel, its packaged dataset)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f.metadata["env"])
            if raw is not None and f.name != "root":
                try:
                    values[f.name] = f.metadata["parse"](raw)
                except ValueError:
                    raise ValueError(f"{f.metadata['env']}={raw!r} is not a valid {f.type}: {f.metadata['doc']}") from None
        root = (root or (Path(os.environ["IPKG_ROOT"]) if os.environ.get("IPKG_ROOT") else None) or find_root()).resolve()
        packaged = release.is_packaged(root)  # an installed wheel: its dataset, and a store in the user's cache
        var = values.setdefault("var_path", release.cache_var() if packaged else root / "var")
        values.setdefault("store_path", var / "store")
        values.setdefault("dist_path", release.PACKAGED / "dist" if packaged else var / "dist")
        return cls(root=root, **values)

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables that give them back (for processes started from this one)."""
        return {f.metadata["env"]: f.metadata["write"](value) for f in fields(self) if (value := getattr(self, f.name)) is not None}


def settings_help() -> str:
    """The settings as `ipkg serve --help` lists them, written from the declarations."""
    lines = ["settings (environment variables):"]
    for f in fields(Settings):
        shown = (f.metadata["shown"] or str(f.default)).replace("`", "")
        lines.append(f"  {f.metadata['env']:<24} {f.metadata['doc'].replace('`', '')} (default: {shown})")
    return "\n".join(lines)


def settings_table() -> str:
    """The README's configuration table, written from the declarations."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for f in fields(Settings):
        shown = f.metadata["shown"] or f"`{f.default}`"
        rows.append(f"| `{f.metadata['env']}` | {shown} | {f.metadata['doc']} |")
    return "\n".join(rows)
