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
import re
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


def source_files(root: Path) -> list[Path]:
    """Every file the build reads, in a stable order."""
    return sorted({p for pattern in SOURCE_PATTERNS for p in root.glob(pattern) if p.is_file()})


def sources_digest(root: Path) -> str:
    """A SHA-256 over every source file's path and bytes: the build records it, and a wheel is only
    made from a dataset built from the sources as they are."""
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_checksums(root: Path) -> dict[str, str]:
    """The SHA-256 of each file the build reads, by its path in the project: the build activity's inputs."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in source_files(root)}


def build_record(dist: Path) -> dict[str, Any]:
    """What the build wrote about the dataset (dist/build.json), or {} when there is none (or it is
    not a JSON object)."""
    try:
        record = json.loads((dist / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def version_of(build_date: str, digest: str) -> str:
    """A release's version: the build date and the first 12 hex digits of the sources' digest
    ("2026-12-02+3f2a9b1c0d4e"). The date says when, the digest says exactly what: two builds of the
    same sources on the same day are the same release."""
    return f"{build_date}+{digest[:12]}"


def file_tag(version: str) -> str:
    """The version as it appears in a dump's file name ("+" is awkward in URLs and shells)."""
    return version.replace("+", "-")


def versioned_name(name: str, version: str) -> str:
    """A dump's file name with the release in it: ipkg.nq.gz -> ipkg-2026-12-02-3f2a9b1c0d4e.nq.gz,
    graph/ontology.ttl -> graph/ontology-2026-12-02-3f2a9b1c0d4e.ttl."""
    folder, _, file = name.rpartition("/")
    stem, dot, ext = file.partition(".")
    return f"{folder + '/' if folder else ''}{stem}-{file_tag(version)}{dot}{ext}"


VERSIONED = re.compile(r"^(?P<folder>(?:[^/]+/)*)(?P<stem>[^/.]+)-(?P<tag>\d{4}-\d{2}-\d{2}-[0-9a-f]{12})(?P<ext>\.[^/]+)$")


def unversioned_name(name: str) -> tuple[str, str | None]:
    """The plain file name behind a versioned one, and the file tag it named (None when it names none)."""
    match = VERSIONED.match(name)
    if match is None:
        return name, None
    return match["folder"] + match["stem"] + match["ext"], match["tag"]


def dataset_version(dist: Path) -> str:
    """The dataset's version as built (see version_of); builds before releases had one: the ontology's
    owl:versionInfo and the sources' digest."""
    record = build_record(dist)
    if record.get("version"):
        return str(record["version"])
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
