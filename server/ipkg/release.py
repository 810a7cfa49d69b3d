"""The release a wheel carries: the project's files and the dataset built from them, and how an
installed copy finds them.

A wheel (`ipkg build && python -m build --wheel`) holds, under `ipkg/_release/`, the ontology,
shapes, data and queries (`project/`) and the built dataset with its dumps and pages (`dist/`).
Installed without a checkout, ipkg serves that dataset: the store is loaded once from the packaged
N-Quads dump into a cache folder. This module uses the standard library only, so that setup.py can
read it without the package's dependencies.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

PACKAGED = Path(__file__).resolve().parent / "_release"
PROJECT_DIRS = ("ontology", "shapes", "data", "queries")
SOURCE_PATTERNS = ("ontology/*.ttl", "ontology/schemes/*.ttl", "shapes/*.ttl", "data/**/*.ttl", "queries/*.rq")


def packaged_root() -> Path | None:
    """The project folder inside an installed wheel, if this copy is one."""
    root = PACKAGED / "project"
    return root if (root / "ontology" / "ipkg.ttl").is_file() else None


def is_packaged(root: Path) -> bool:
    packaged = packaged_root()
    return packaged is not None and root.resolve() == packaged.resolve()


def sources_digest(root: Path) -> str:
    """A SHA-256 over every source file's path and bytes: the build records it, and a wheel is only
    made from a dataset built from the sources as they are."""
    digest = hashlib.sha256()
    for path in sorted({p for pattern in SOURCE_PATTERNS for p in root.glob(pattern) if p.is_file()}):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_record(dist: Path) -> dict[str, Any]:
    """What the build wrote about the dataset (dist/build.json), or {} when there is none (or it is
    not a JSON object)."""
    try:
        record = json.loads((dist / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def dataset_version(dist: Path) -> str:
    """The dataset's version: the ontology's owl:versionInfo and the sources' digest, as built."""
    record = build_record(dist)
    if not record.get("sourcesDigest"):
        return "unknown (no build record)"
    return f"{record.get('modelVersion', '?')}+{record['sourcesDigest'][:12]}"


def cache_var() -> Path:
    """Where an installed copy keeps its store: $XDG_CACHE_HOME/ipkg/<dataset> (~/.cache by default)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = str(build_record(PACKAGED / "dist").get("sourcesDigest", "unbuilt"))[:12]
    return cache / "ipkg" / digest


def ensure_store(store_path: Path, dist: Path) -> bool:
    """Load the packaged N-Quads dump into `store_path` when it does not exist yet; True if loaded."""
    if store_path.exists():
        return False
    dump = dist / "ipkg.nq.gz"
    if not dump.is_file():
        raise FileNotFoundError(f"the release has no dataset dump ({dump}); rebuild the wheel after `ipkg build`")
    import gzip
    import shutil

    from pyoxigraph import RdfFormat, Store

    partial = store_path.with_name(store_path.name + ".loading")
    shutil.rmtree(partial, ignore_errors=True)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(str(partial))
    with gzip.open(dump, "rb") as quads:
        store.bulk_load(quads.read(), format=RdfFormat.N_QUADS)  # about 13 MB once decompressed
    store.flush()
    del store
    partial.rename(store_path)  # whole or not at all: a stopped load leaves no half store behind
    return True
