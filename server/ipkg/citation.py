"""Citing the graph: a resource cited as release + IRI + the source lines it rests on (text, BibTeX,
CSL-JSON), and a source document's index of every resource derived from each of its lines.

A core module (no web imports): the resource pages show both, and anything else may reuse them. The
citation names the release (dataset version) because a resource's statements can change between
builds, and the source lines because they are what a reader checks a statement against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypedDict

from rdflib import URIRef

from .jsontypes import JSON
from .namespaces import asserted, sparql_prologue
from .store import Store, integer
from .terms import pick_label

PUBLISHER = "ipkg: IP-policy knowledge graph"
PUBLISHER_JA = "ipkg 知的財産政策ナレッジグラフ"



class Cited(TypedDict):
    """A resource that cites a line: its labels by language and the local name of its asserted class."""

    label: dict[str, str]
    type: str | None


class CitedSource(TypedDict):
    """One source document of a citation and the lines of it the resource rests on ("lines 3, 7–9")."""

    document: str
    title: str
    lines: str


@dataclass
class Line:
    """One place in a source document (a line, a line range, or an article's lines) and what cites it."""

    first: int
    last: int
    locators: set[str] = field(default_factory=set)
    resources: dict[str, Cited] = field(default_factory=dict)

    @property
    def span(self) -> str:
        return str(self.first) if self.last == self.first else f"{self.first}–{self.last}"


def document_index(store: Store, document: str) -> list[Line]:
    """Every resource derived from `document`, grouped by the lines (or article) it cites, in line order."""
    result = store.query(sparql_prologue(store.ids) + f"""SELECT DISTINCT ?r ?loc ?line ?end ?type ?en ?ja WHERE {{
        ?loc ipkg:inDocument ?doc ; ipkg:line ?line . OPTIONAL {{ ?loc ipkg:lineEnd ?end }}
        ?r prov:wasDerivedFrom ?loc . FILTER(isIRI(?r))
        OPTIONAL {{ GRAPH ?g {{ ?r a ?type }} FILTER({asserted()}) }}
        OPTIONAL {{ ?r rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }}
        OPTIONAL {{ ?r rdfs:label ?ja FILTER(langMatches(lang(?ja), "ja")) }}
    }} ORDER BY ?line ?end ?r ?type""", bindings={"doc": URIRef(document)})
    lines: dict[tuple[int, int], Line] = {}
    for r, loc, first, last, kind, en, ja in result.rows:
        span = (integer(first), integer(last) if last is not None else integer(first))
        line = lines.setdefault(span, Line(*span))
        line.locators.add(str(loc))
        entry = line.resources.setdefault(str(r), Cited(label={}, type=None))
        if en is not None:
            entry["label"]["en"] = str(en)
        if ja is not None:
            entry["label"]["ja"] = str(ja)
        if kind is not None and entry["type"] is None:
            entry["type"] = str(kind).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return [lines[k] for k in sorted(lines)]


@dataclass
class Citation:
    """What a reader needs to cite one resource exactly, in three renderings."""

    iri: str
    title: str
    version: str
    date: str | None
    sources: list[CitedSource]

    def source_text(self) -> str:
        return "; ".join(f"{s['title']}, {s['lines']}" for s in self.sources)

    def text(self) -> str:
        cited = f" Source: {self.source_text()}." if self.sources else ""
        return f"“{self.title}”. {PUBLISHER}, release {self.version}. {self.iri}.{cited}"

    def key(self) -> str:
        return "ipkg-" + re.sub(r"[^A-Za-z0-9]+", "-", self.iri.rsplit("/id/", 1)[-1]).strip("-")

    def bibtex(self) -> str:
        def esc(value: str) -> str:
            return re.sub(r"([{}&%$#_])", r"\\\1", value)

        fields = [("title", "{" + esc(self.title) + "}"), ("publisher", esc(PUBLISHER)), ("version", esc(self.version)),
                  ("url", self.iri), ("howpublished", "\\url{" + self.iri + "}")]
        if self.date:
            fields.append(("year", self.date[:4]))
        if self.sources:
            fields.append(("note", esc("Derived from " + self.source_text())))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key()},\n{body}\n}}\n"

    def csl(self) -> JSON:
        """CSL-JSON (the citation style language's data model), one item."""
        item: JSON = {"id": self.key(), "type": "dataset", "title": self.title, "publisher": PUBLISHER, "version": self.version,
                "URL": self.iri}
        if self.date:
            item["issued"] = {"date-parts": [[int(part) for part in self.date.split("-")]]}
        if self.sources:
            item["note"] = "Derived from " + self.source_text()
        return item


def cite(store: Store, iri: str, version: str, date: str | None, lang: str = "en") -> Citation:
    """The citation of `iri` in release `version`: its label in `lang` (else another), and its source
    lines, merged per document (articles give their lines)."""
    prologue = sparql_prologue(store.ids)
    rows = store.query(prologue + """SELECT ?rank ?l WHERE { { ?s rdfs:label|skos:prefLabel ?l BIND(0 AS ?rank) }
        UNION { ?s skos:definition ?l BIND(1 AS ?rank) } } ORDER BY ?rank""", bindings={"s": URIRef(iri)}).rows
    names: dict[str, str] = {}  # a condition has no label: its definition names it
    for _rank, label in rows:
        names.setdefault(getattr(label, "language", None) or "", str(label))
    title = pick_label(names, lang) or iri.rsplit("/", 1)[-1]
    rows = store.query(prologue + """SELECT DISTINCT ?doc ?title ?line ?end WHERE { ?s prov:wasDerivedFrom ?loc .
        ?loc ipkg:inDocument ?doc ; ipkg:line ?line . OPTIONAL { ?loc ipkg:lineEnd ?end }
        OPTIONAL { ?doc rdfs:label ?title FILTER(langMatches(lang(?title), "en")) } } ORDER BY ?doc ?line""",
                       bindings={"s": URIRef(iri)}).rows
    titles: dict[str, str] = {}  # document -> its title, in the order the documents come
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for doc, doc_title, first, last in rows:
        titles.setdefault(str(doc), str(doc_title or doc))
        span = (integer(first), integer(last) if last is not None else integer(first))
        if span not in (doc_spans := spans_of.setdefault(str(doc), [])):
            doc_spans.append(span)
    sources = []
    for document, document_title in titles.items():
        spans = sorted(spans_of[document])
        lines = ("line " if len(spans) == 1 and spans[0][0] == spans[0][1] else "lines ") + ", ".join(
            str(a) if a == b else f"{a}–{b}" for a, b in spans)
        sources.append(CitedSource(document=document, title=document_title, lines=lines))
    return Citation(iri, title, version, date, sources)


@dataclass
class Source:
    locator: str
    document: str
    title: str
    line: int
    line_end: int

    def text(self) -> str:
        lines = f"line {self.line}" if self.line == self.line_end else f"lines {self.line}–{self.line_end}"
        return f"{self.title}, {lines} <{self.locator}>"

    def as_json(self) -> JSON:
        return {"locator": self.locator, "document": self.document, "title": self.title, "line": self.line, "lineEnd": self.line_end}


def sources_of(store: Store, resources: set[str]) -> dict[str, list[Source]]:
    """The line locators (and articles) each resource is derived from, in line order."""
    if not resources:
        return {}
    values = " ".join(f"<{r}>" for r in sorted(resources))
    rows = store.query(sparql_prologue(store.ids) + f"""SELECT DISTINCT ?r ?loc ?doc ?title ?line ?end WHERE {{ VALUES ?r {{ {values} }}
        ?r prov:wasDerivedFrom ?loc . ?loc ipkg:inDocument ?doc ; ipkg:line ?line . OPTIONAL {{ ?loc ipkg:lineEnd ?end }}
        OPTIONAL {{ ?doc rdfs:label ?title FILTER(langMatches(lang(?title), "en")) }} }} ORDER BY ?r ?doc ?line""").rows
    out: dict[str, list[Source]] = {}
    for r, loc, doc, title, line, end in rows:
        out.setdefault(str(r), []).append(Source(str(loc), str(doc), str(title or doc), integer(line),
                                                     integer(end) if end is not None else integer(line)))
    return out
