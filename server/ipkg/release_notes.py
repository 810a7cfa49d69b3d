"""Release notes: the release this server holds (version, build date, content hash, named graphs with their
versions, dumps with SHA-256, the build's tools) and the changes to the public model, read from
`ontology/CHANGELOG.md`.

A core module (no web imports): /releases and /api/releases show what it returns. The CHANGELOG stays the one
place the changes are written; this module only parses it (its entries, each change's prose and its before/after
queries), and the release facts are read from what the build wrote (build.json, void.ttl), never recomputed, so
the page says what was built, not what happens to be installed now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, VOID

from . import release
from .export import CHECKSUMS
from .jsontypes import JSON
from .namespaces import SD

ENTRY = re.compile(r"^## (?P<version>\d+\.\d+\.\d+) \((?P<date>\d{4}-\d{2}-\d{2})(?:, (?P<note>[^)]*))?\):\s*(?P<title>.+)$")
CHANGE = re.compile(r"^### (?P<title>.+)$")
FENCE = re.compile(r"^```(?P<lang>\w*)\s*$")


@dataclass
class Block:
    """A piece of a change: prose (`text`), a list of added items (`list`), or a query shown as code (`query`),
    whose `role` says what the line before it says: the query as it worked `before`, its form `now`, or an
    example `query` of something added."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    role: str | None = None
    caption: str | None = None
    language: str | None = None

    def as_json(self) -> JSON:
        if self.kind == "list":
            return {"kind": "list", "items": self.items}
        if self.kind == "query":
            return {"kind": "query", "role": self.role, "caption": self.caption, "language": self.language, "query": self.text}
        return {"kind": "text", "text": self.text}


@dataclass
class Change:
    """One `###` section of an entry: a renamed or restructured term (with its before/after queries), or the
    list of additions that change no existing answer."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def queries(self, role: str) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "query" and b.role == role]

    def as_json(self) -> JSON:
        return {"title": self.title, "before": self.queries("before"), "after": self.queries("now"),
                "blocks": [b.as_json() for b in self.blocks]}


@dataclass
class Entry:
    """One `##` section: a version of the model, its date, what it was about, and its changes. `anchor` is unique
    on the page even where two entries give the same version (the CHANGELOG has two 1.3.0 entries; both are
    shown as written)."""

    version: str
    date: str
    title: str
    note: str | None
    anchor: str = ""
    intro: list[Block] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def as_json(self) -> JSON:
        return {"version": self.version, "date": self.date, "title": self.title, "note": self.note, "anchor": self.anchor,
                "intro": [b.as_json() for b in self.intro], "changes": [c.as_json() for c in self.changes]}


def _role(caption: str | None) -> str:
    """What a code block is, from the line that introduces it ("Before (13 rows …):", "Now:", "Before (…), now (…):")."""
    text = (caption or "").strip().lower()
    if text.startswith("now") or re.match(r"^before\b.*,\s*now\b", text):
        return "now"
    if text.startswith("before"):
        return "before"
    return "query"


def _blocks(lines: list[str]) -> list[Block]:
    """Markdown of one section as blocks: paragraphs, bullet lists, fenced code (a fence inside a bullet list
    ends the list item that introduces it, as in the "Added" lists)."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[str] | None = None
    i = 0

    def flush() -> None:
        nonlocal para, items
        if para:
            blocks.append(Block("text", " ".join(para)))
            para = []
        if items is not None:
            blocks.append(Block("list", items=items))
            items = None

    while i < len(lines):
        line = lines[i]
        if fence := FENCE.match(line):
            code: list[str] = []
            i += 1
            while i < len(lines) and not FENCE.match(lines[i]):
                code.append(lines[i])
                i += 1
            caption = " ".join(para) if para else (items[-1] if items else None)
            flush()
            blocks.append(Block("query", "\n".join(code).strip("\n"), role=_role(caption), caption=caption,
                                language=fence["lang"] or None))
        elif line.startswith("- "):
            if para:
                blocks.append(Block("text", " ".join(para)))
                para = []
            items = [*(items or []), line[2:].strip()]
        elif line.startswith("  ") and items is not None and line.strip():
            items[-1] += " " + line.strip()
        elif not line.strip():
            flush()
        else:
            if items is not None:
                flush()
            para.append(line.strip())
        i += 1
    flush()
    return blocks


def parse_changelog(text: str) -> list[Entry]:
    """The entries of a CHANGELOG in the form ontology/CHANGELOG.md keeps: `## VERSION (DATE[, NOTE]): TITLE`,
    then `### CHANGE` sections. Text before the first entry (the file's own introduction) is not an entry."""
    entries: list[Entry] = []
    section: list[str] = []
    change: Change | None = None

    def close() -> None:
        nonlocal section
        if entries:
            blocks = _blocks(section)
            if change is None:
                entries[-1].intro.extend(blocks)
            else:
                change.blocks.extend(blocks)
        section = []

    for line in text.splitlines():
        if entry := ENTRY.match(line):
            close()
            change = None
            entries.append(Entry(entry["version"], entry["date"], entry["title"].strip(), entry["note"]))
        elif (heading := CHANGE.match(line)) and entries:
            close()
            change = Change(heading["title"].strip())
            entries[-1].changes.append(change)
        else:
            section.append(line)
    close()
    seen: dict[str, int] = {}
    for e in entries:
        seen[e.version] = seen.get(e.version, 0) + 1
        e.anchor = f"v{e.version}" + (f"-{seen[e.version]}" if seen[e.version] > 1 else "")
    return entries


def duplicate_versions(entries: list[Entry]) -> list[str]:
    """Versions that more than one entry gives (a quirk of the CHANGELOG, shown, not hidden)."""
    versions = [e.version for e in entries]
    return sorted({v for v in versions if versions.count(v) > 1})


@lru_cache(maxsize=4)
def _changelog(path: Path, stamp: tuple[int, int]) -> list[Entry]:
    return parse_changelog(path.read_text(encoding="utf-8"))


def changelog(root: Path) -> list[Entry]:
    """The project's CHANGELOG parsed, newest entry first as written; [] when the file is not there. Parsed once
    per version of the file (its modification time and size)."""
    path = root / "ontology" / "CHANGELOG.md"
    try:
        stat = path.stat()
    except OSError:
        return []
    return _changelog(path, (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _void(path: Path, stamp: tuple[int, int]) -> Graph:
    return Graph().parse(path, format="turtle")


def _void_graph(dist: Path) -> Graph | None:
    path = dist / "void.ttl"
    try:
        stat = path.stat()
    except OSError:
        return None
    return _void(path, (stat.st_mtime_ns, stat.st_size))


def current(dist: Path, base: str) -> dict[str, Any]:
    """The release `dist` holds, as the build recorded it: version, date, sources' digest, model version, the
    triples of each named graph with the version VoID gives it, every dump (release name, plain alias, bytes,
    SHA-256) and the software the build ran."""
    record = release.build_record(dist)
    version = release.dataset_version(dist)
    void = _void_graph(dist)
    graph_versions: dict[str, str] = {}
    tools: dict[str, str] = {}
    activity: str | None = None
    if void is not None:
        ds = URIRef(base + "dataset")
        for subset in void.objects(ds, VOID.subset):
            name, subset_version = void.value(subset, SD.name), void.value(subset, DCTERMS.hasVersion)
            if name is not None:
                graph_versions[str(name)] = str(subset_version) if subset_version is not None else version
        if (act := void.value(ds, PROV.wasGeneratedBy)) is not None:
            activity = str(act)
            for agent in void.objects(act, PROV.wasAssociatedWith):
                label, agent_version = void.value(agent, RDFS.label), void.value(agent, DCTERMS.hasVersion)
                if isinstance(label, Literal):
                    tools[str(label)] = str(agent_version) if agent_version is not None else "unknown"
    counts: dict[str, int] = record.get("graphs", {})
    downloads: dict[str, dict[str, Any]] = record.get("downloads", {})
    graphs = [{"name": name, "triples": n, "version": graph_versions.get(name, version),
               "dumps": {ext: base + "download/" + downloads[f"graph/{stem}.{ext}"]["name"] for ext in ("ttl", "jsonld")
                         if f"graph/{stem}.{ext}" in downloads}}
              for name, n in sorted(counts.items()) for stem in [name.rstrip("/").rsplit("/", 1)[-1]]]
    dumps = [{"file": plain, "name": f["name"], "bytes": f["bytes"], "sha256": f["sha256"], "url": base + "download/" + f["name"],
              "alias": base + "download/" + plain} for plain, f in sorted(downloads.items())]
    return {"version": version, "date": record.get("date"), "sourcesDigest": record.get("sourcesDigest"),
            "modelVersion": record.get("modelVersion"), "triples": sum(counts.values()), "graphs": graphs, "dumps": dumps,
            "checksums": base + "download/" + CHECKSUMS, "tools": dict(sorted(tools.items())), "buildActivity": activity,
            "void": base + ".well-known/void"}


def notes(root: Path, dist: Path, base: str) -> dict[str, Any]:
    """What /releases shows and /api/releases answers: the current release and the release notes."""
    entries = changelog(root)
    held = current(dist, base)
    return {"current": held, "modelVersion": held["modelVersion"], "entries": [e.as_json() for e in entries],
            "duplicateVersions": duplicate_versions(entries), "source": "ontology/CHANGELOG.md"}
