"""Citing the graph: a resource cited as release + IRI + the source lines it rests on, a query's results as
release + endpoint + query + share link + access date (each as text, BibTeX and CSL-JSON), and a source
document's index of every resource derived from each of its lines.

A core module (no web imports): the resource pages show both, and anything else may reuse them. The
citation names the release (dataset version) because a resource's statements can change between
builds, and the source lines because they are what a reader checks a statement against.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TypedDict
from urllib.parse import quote

from rdflib import URIRef

from .jsontypes import JSON
from .namespaces import IPKG, asserted, sparql_prologue
from .store import Store, integer
from .terms import NAMES_OR_DEFINITION, PAGE_LANGUAGES, Labels, label_or_slug, labels_of, slug

PUBLISHER = "ipkg: IP-policy knowledge graph"
PUBLISHER_JA = "ipkg 知的財産政策ナレッジグラフ"
DCT = "http://purl.org/dc/terms/"


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
    result = store.query(sparql_prologue(store.ids) + f"""SELECT DISTINCT ?r ?loc ?line ?end ?type WHERE {{
        ?loc ipkg:inDocument ?doc ; ipkg:line ?line . OPTIONAL {{ ?loc ipkg:lineEnd ?end }}
        ?r prov:wasDerivedFrom ?loc . FILTER(isIRI(?r))
        OPTIONAL {{ GRAPH ?g {{ ?r a ?type }} FILTER({asserted()}) }}
    }} ORDER BY ?line ?end ?r ?type""", bindings={"doc": URIRef(document)})
    names = labels_of(store, {str(r) for r, *_ in result.rows}, languages=PAGE_LANGUAGES)
    lines: dict[tuple[int, int], Line] = {}
    for r, loc, first, last, kind in result.rows:
        span = (integer(first), integer(last) if last is not None else integer(first))
        line = lines.setdefault(span, Line(*span))
        line.locators.add(str(loc))
        entry = line.resources.setdefault(str(r), Cited(label=names.get(str(r), {}), type=None))
        if kind is not None and entry["type"] is None:
            entry["type"] = str(kind).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return [lines[k] for k in sorted(lines)]


@dataclass
class DocumentFacts:
    """What a reader needs to find and check a source document: its titles (ja as it gives it, en), publisher, date
    (with its precision) or issue, language, its own address where it states one (`foaf:page`), the text file the
    line numbers refer to with its SHA-256, and the data-quality notes saying what the document does not state."""

    title: dict[str, str] = field(default_factory=dict)
    publishers: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    issued: str | None = None
    precision: str | None = None  # the notation of the date's precision (year, month); its names in precision_label
    precision_label: Labels = field(default_factory=dict)
    issue: str | None = None
    language: str | None = None
    pages: list[str] = field(default_factory=list)
    file: str | None = None
    sha256: str | None = None
    notes: list[str] = field(default_factory=list)


def document_facts(store: Store, document: str) -> DocumentFacts:
    """The facts of one source document (data/reference/documents.ttl), read from the graph."""
    # full IRIs, no prologue: the query names no thing of the store, so it reads the same under any base
    rows = store.query("""SELECT ?p ?o WHERE { { ?doc ?p ?o } UNION {
        ?doc <http://spdx.org/rdf/terms#checksum>/<http://spdx.org/rdf/terms#checksumValue> ?o
        BIND(<http://spdx.org/rdf/terms#checksumValue> AS ?p) } }""", bindings={"doc": URIRef(document)}).rows
    facts = DocumentFacts()
    publishers: list[str] = []
    precision = None
    for p, o in rows:
        name = str(p)
        if name == DCT + "title":
            facts.title.setdefault(getattr(o, "language", None) or "", str(o))
        elif name == DCT + "publisher":
            publishers.append(str(o))
        elif name == DCT + "issued":
            facts.issued = str(o)
        elif name == str(IPKG) + "datePrecision":
            precision = str(o)
        elif name == "https://schema.org/issueNumber":
            facts.issue = str(o)
        elif name == DCT + "language":
            facts.language = str(o)
        elif name == "http://xmlns.com/foaf/0.1/page":
            facts.pages.append(str(o))
        elif name == str(IPKG) + "fileName":
            facts.file = str(o)
        elif name == "http://spdx.org/rdf/terms#checksumValue":
            facts.sha256 = str(o)
        elif name == str(IPKG) + "dataQualityNote":
            facts.notes.append(str(o))
    named = labels_of(store, [*publishers, *([precision] if precision else [])])
    facts.publishers = [(p, named.get(p, {})) for p in sorted(publishers)]
    if precision:
        facts.precision, facts.precision_label = slug(precision), named.get(precision, {})
    facts.pages.sort()
    return facts


LATEX_SPECIAL = {"\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}",
                 **{c: "\\" + c for c in "{}&%$#_"}}


def _esc(value: str) -> str:
    """BibTeX's and LaTeX's special characters escaped, so that a title or a query reads back as written
    (a query's `^^xsd:date` must not turn into accents)."""
    return re.sub(r"[\\~^{}&%$#_]", lambda m: LATEX_SPECIAL[m[0]], value)


def _bibtex_entry(key: str, fields: list[tuple[str, str]]) -> str:
    """One @misc entry: classic BibTeX has no entry type for a dataset (biblatex's @dataset is unknown to BibTeX styles),
    and @misc with url and howpublished reads everywhere."""
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def _date_parts(day: str) -> JSON:
    """A YYYY-MM-DD (or YYYY) date as CSL-JSON writes dates."""
    return {"date-parts": [[int(part) for part in day.split("-")]]}


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
        fields = [("title", "{" + _esc(self.title) + "}"), ("publisher", _esc(PUBLISHER)), ("version", _esc(self.version)),
                  ("url", self.iri), ("howpublished", "\\url{" + self.iri + "}")]
        if self.date:
            fields.append(("year", self.date[:4]))
        if self.sources:
            fields.append(("note", _esc("Derived from " + self.source_text())))
        return _bibtex_entry(self.key(), fields)

    def csl(self) -> JSON:
        """CSL-JSON (the citation style language's data model), one item."""
        item: JSON = {"id": self.key(), "type": "dataset", "title": self.title, "publisher": PUBLISHER, "version": self.version,
                "URL": self.iri}
        if self.date:
            item["issued"] = _date_parts(self.date)
        if self.sources:
            item["note"] = "Derived from " + self.source_text()
        return item


QUERY_TITLE = {"en": "Results of a SPARQL query over the ipkg IP-policy knowledge graph",
               "ja": "ipkg 知的財産政策ナレッジグラフに対する SPARQL クエリの結果"}
SHARE_SAFE = "-_.!~*'()"  # what JavaScript's encodeURIComponent leaves as it is: the page's share link and ours agree


def share_url(page: str, query: str, version: str) -> str:
    """The query page's link that reopens `query` and names the release it was run on (the fragment is never
    sent to the server): `{page}#query=…&release=…`, encoded as the page's own share button encodes it."""
    return f"{page}#query={quote(query, safe=SHARE_SAFE)}&release={quote(version, safe=SHARE_SAFE)}"


@dataclass
class QueryCitation:
    """What a reader needs to cite the results of one query exactly: the release (the same query on another
    release may answer differently), the endpoint, the query itself and its share link, and the day it was run
    (the access date, as citation styles give for online data)."""

    query: str
    endpoint: str
    share: str
    version: str
    date: str | None
    accessed: str
    lang: str = "en"

    @property
    def title(self) -> str:
        return QUERY_TITLE.get(self.lang, QUERY_TITLE["en"])

    def key(self) -> str:
        """Stable for the same query on the same release: what a bibliography deduplicates on."""
        digest = hashlib.sha256(f"{self.version}\0{self.query}".encode()).hexdigest()[:10]
        return f"ipkg-query-{digest}"

    def text(self) -> str:
        return (f"“{self.title}”. {PUBLISHER}, release {self.version}. SPARQL endpoint {self.endpoint}; "
                f"query: {self.share} (accessed {self.accessed}).")

    def bibtex(self) -> str:
        fields = [("title", "{" + _esc(self.title) + "}"), ("publisher", _esc(PUBLISHER)), ("version", _esc(self.version)),
                  ("url", self.share), ("howpublished", "\\url{" + self.endpoint + "}"), ("urldate", self.accessed)]
        if self.date:
            fields.append(("year", self.date[:4]))
        fields.append(("note", _esc(f"SPARQL endpoint {self.endpoint}, release {self.version}, accessed {self.accessed}. "
                                    f"Query: {' '.join(self.query.split())}")))
        return _bibtex_entry(self.key(), fields)

    def csl(self) -> JSON:
        """CSL-JSON, one item; the endpoint and the query text also under `custom`, where CSL 1.0.2 keeps fields of its own."""
        item: JSON = {"id": self.key(), "type": "dataset", "title": self.title, "publisher": PUBLISHER, "version": self.version,
                      "URL": self.share, "accessed": _date_parts(self.accessed), "medium": "SPARQL query results",
                      "note": f"SPARQL endpoint {self.endpoint}. Query: {self.query}",
                      "custom": {"endpoint": self.endpoint, "query": self.query}}
        if self.date:
            item["issued"] = _date_parts(self.date)
        return item

    def as_json(self) -> JSON:
        """All three renderings and what they are made of, for an API client."""
        return {"release": self.version, "releaseDate": self.date, "endpoint": self.endpoint, "query": self.query,
                "shareUrl": self.share, "accessed": self.accessed, "text": self.text(), "bibtex": self.bibtex(), "csl": self.csl()}


def cite_query(query: str, endpoint: str, page: str, version: str, date: str | None, accessed: str, lang: str = "en") -> QueryCitation:
    """The citation of `query`'s results as run on `endpoint` (release `version`) on the day `accessed`;
    `page` is the query page its share link opens."""
    return QueryCitation(query, endpoint, share_url(page, query, version), version, date, accessed, lang)


def cite(store: Store, iri: str, version: str, date: str | None, lang: str = "en") -> Citation:
    """The citation of `iri` in release `version`: its label in `lang` (else another), and its source
    lines, merged per document (articles give their lines)."""
    prologue = sparql_prologue(store.ids)
    title = label_or_slug(labels_of(store, [iri], NAMES_OR_DEFINITION).get(iri, {}), lang, iri)
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
