"""Read ontology/, shapes/ and data/ into named graphs: one per source document, plus ontology, schemes, shapes, reference."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .bind import is_iri
from .config import DEFAULT_BASE, Settings
from .namespaces import ID, SH


class SourceError(Exception):
    """A source file that cannot be read; the message names the file and, where the parser says, the line."""


@dataclass
class SourceFile:
    path: Path
    graph: URIRef


@dataclass
class Sources:
    """The asserted graphs, keyed by graph IRI, and which file each subject came from (for reports)."""

    graphs: dict[URIRef, Graph]
    files: list[SourceFile]
    subject_files: dict[Node, set[str]] = field(default_factory=dict)
    object_files: dict[Node, set[str]] = field(default_factory=dict)

    def graph(self, name: str, settings: Settings) -> Graph:
        return self.graphs[URIRef(settings.graph_base + name)]

    def data_graphs(self, settings: Settings) -> dict[URIRef, Graph]:
        """Instance data only: every graph except ontology, schemes and shapes."""
        skip = {URIRef(settings.graph_base + n) for n in ("ontology", "schemes", "shapes")}
        return {k: g for k, g in self.graphs.items() if k not in skip}

    def file_of(self, node: Node) -> str:
        """Where a resource is described, or else where it is mentioned (an undefined term, say)."""
        if node in self.subject_files:
            return ", ".join(sorted(self.subject_files[node]))
        if node in self.object_files:
            return "not described anywhere; used in " + ", ".join(sorted(self.object_files[node]))
        return "?"


def discover(settings: Settings) -> list[SourceFile]:
    """Which file goes into which named graph; sorted, so every build reads the same files in the same order."""
    root, gb = settings.root, settings.graph_base
    found: list[SourceFile] = []
    for path in sorted((root / "ontology").glob("*.ttl")):
        found.append(SourceFile(path, URIRef(gb + "ontology")))
    for path in sorted((root / "ontology" / "schemes").glob("*.ttl")):
        found.append(SourceFile(path, URIRef(gb + "schemes")))
    for path in sorted((root / "shapes").glob("*.ttl")):
        found.append(SourceFile(path, URIRef(gb + "shapes")))
    for folder in sorted(p for p in (root / "data").iterdir() if p.is_dir()):
        for path in sorted(folder.rglob("*.ttl")):
            found.append(SourceFile(path, URIRef(gb + folder.name)))
    return found


def _check_terms(path: Path, graph: Graph) -> None:
    """rdflib accepts some IRIs that are not IRIs (spaces) and resolves relative ones against the file: refuse both."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and (not is_iri(term) or term.startswith("file:")):
                reason = "a relative IRI (is @base missing?)" if term.startswith("file:") else "not a valid IRI"
                raise SourceError(f"{path}: <{term}> is {reason}")
            if isinstance(term, Literal) and term.language and not re.match(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", term.language):
                raise SourceError(f"{path}: {term.n3()} has a malformed language tag")


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning the parser's exception into a SourceError that names the file."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise SourceError(f"{path}: {exc}".strip()) from exc
    _check_terms(path, graph)
    if into is not None:
        into += graph
        return into
    return graph


_QUERY_TEXTS = (SH.select, SH.ask)


def _rebase(graph: Graph, old: str, new: str) -> Graph:
    """The same triples with things' IRIs moved from the default base to the configured one.

    Data is written against https://w3id.org/ipkg/; a deployment under another base (IPKG_BASE) gets
    its own `{base}id/...` IRIs, which its server then answers for. Ontology terms (`def/`) keep their
    permanent namespace: a vocabulary's IRIs do not move with a deployment.
    """
    def move(t: Node) -> Node:
        return URIRef(new + t[len(old):]) if isinstance(t, URIRef) and t.startswith(old) else t

    out = Graph()
    for s, p, o in graph:
        if p in _QUERY_TEXTS and isinstance(o, Literal):  # a SHACL-SPARQL constraint names things in its text
            o = Literal(str(o).replace(old, new), lang=o.language, datatype=o.datatype)
        out.add((move(s), move(p), move(o)))  # predicates too: a figure's measure is one of our concepts
    return out


def load(settings: Settings) -> Sources:
    """Parse every source file into its named graph; any unreadable file stops here with its name."""
    files = discover(settings)
    graphs: dict[URIRef, Graph] = {}
    subject_files: dict[Node, set[str]] = {}
    object_files: dict[Node, set[str]] = {}
    rebase = settings.base != DEFAULT_BASE
    for sf in files:
        part = parse_file(sf.path)
        if rebase:
            part = _rebase(part, str(ID), settings.ids)
        rel = str(sf.path.relative_to(settings.root))
        for s in set(part.subjects()):
            subject_files.setdefault(s, set()).add(rel)
        for o in set(part.objects()):
            object_files.setdefault(o, set()).add(rel)
        target = graphs.setdefault(sf.graph, Graph(identifier=sf.graph))
        for triple in part:
            target.add(triple)
    return Sources(graphs=graphs, files=files, subject_files=subject_files, object_files=object_files)


IPKG = "https://w3id.org/ipkg/def/"


def sources_dir(settings: Settings) -> Path:
    """Where the source documents' text files are: $IPKG_SOURCES, else ../shared/sources next to the project."""
    return Path(os.environ.get("IPKG_SOURCES", settings.root.parent / "shared" / "sources"))


class SourceText:
    """The lines a locator (`doc/{slug}/line/{n}`, or an article with its line range) points at, from the document's file."""

    def __init__(self, graph: Graph, folder: Path):
        self.graph = graph
        self.folder = folder
        self._files: dict[str, list[str]] = {}

    def _lines_of(self, doc: Node) -> list[str] | None:
        name = self.graph.value(doc, URIRef(IPKG + "fileName"))
        if name is None or not (self.folder / str(name)).is_file():
            return None
        if str(name) not in self._files:
            self._files[str(name)] = (self.folder / str(name)).read_text(encoding="utf-8").splitlines()
        return self._files[str(name)]

    def span(self, locator: Node) -> tuple[Node, int, int] | None:
        """(document, first line, last line) of a locator, or None if it does not point into a document's lines."""
        doc = self.graph.value(locator, URIRef(IPKG + "inDocument"))
        line = self.graph.value(locator, URIRef(IPKG + "line"))
        if doc is None or line is None:
            return None
        end = self.graph.value(locator, URIRef(IPKG + "lineEnd"))
        return doc, int(str(line)), int(str(end)) if end is not None else int(str(line))  # int() of a Literal reads its text too

    def lines(self, doc: Node, first: int, last: int) -> list[str]:
        text = self._lines_of(doc) or []
        return text[first - 1:last]

    def text(self, locator: Node) -> str | None:
        span = self.span(locator)
        if span is None or self._lines_of(span[0]) is None:
            return None
        return "\n".join(self.lines(*span))
