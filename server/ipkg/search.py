"""Full-text search over the graph's names and texts in Japanese, Chinese and English, with facet counts.

Japanese and Chinese are written without spaces between words, so the index does not look for
words: it is SQLite FTS5 (Python's standard library) with the `trigram` tokenizer, which finds any
substring of three or more characters. A trigram index cannot find one or two characters, and
many of the words that matter here are two (商標, 专利, 特許, 補助), so a second FTS5 table holds
every CJK character and every pair of adjacent CJK characters as tokens we generate (the way
Lucene's CJK bigram filter does), plus the other words as they are: a term shorter than three
characters is looked up there. All names of a resource, in every language, are one document, so a
query in one script finds resources named in another where the graph has both names.

The index is built by `ipkg build` from the store (one SPARQL query per field and facet, so it
covers everything the graph says), written to dist/search.sqlite, and opened read-only by each
server process. Facet values are the paths of facets.py, recorded per document at build time.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
import sqlite3
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from pathlib import Path

from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Identifier

from . import facets as F
from .errors import InvalidRequest, Unavailable
from .jsontypes import JSON
from .namespaces import ELI, IPKG, sparql_prologue
from .store import Store, language
from .terms import best_by_language, labels_of, pick_label, slug

INDEX_FILE = "search.sqlite"
FORMAT = 1  # of the index file; a server refuses an index of another format
LANGS = ("ja", "en", "zh")
NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, ELI.title, DCTERMS.title)
TEXT_PROPERTIES = (DCTERMS.abstract, DCTERMS.description, SKOS.definition, IPKG.statedAs)
LABEL_PREFERENCE = (RDFS.label, SKOS.prefLabel, ELI.title, DCTERMS.title)  # the label a hit is shown with
FILTERS = ("kind", *(f.name for f in F.FACETS))  # facet parameters, in the order facet counts are listed
PARAMETERS = ("q", *FILTERS, "inForceOn", "asOf", "lang", "limit", "offset")  # asOf: inForceOn by the name every API uses
MAX_QUERY_CHARS, MAX_TERMS, MAX_LIMIT, MAX_OFFSET, DEFAULT_LIMIT = 200, 10, 100, 10_000, 20
NAME_WEIGHT = 8.0  # bm25 weight of names against texts: a hit in a name ranks first
SNIPPET_CHARS = 140

_CJK = "\u3005\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
WORD = re.compile(f"[^\\W{_CJK}]+")
TERM = re.compile(r'"([^"]*)"|(\S+)')


class SearchUnavailable(Unavailable, RuntimeError):
    """No usable index: not built yet, or built by another version of ipkg (the server answers 503)."""


class SearchError(InvalidRequest, ValueError):
    """Bad search parameters; `problems` says each in a sentence a person can act on."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@functools.cache
def _variants() -> dict[int, str]:
    """Each traditional Chinese or Japanese (shinjitai) form of a character -> its simplified form, from
    OpenCC's character tables (TSCharacters, JPVariants): 標 and 标 are one, 専 and 專 and 专 are one.
    Character by character, never phrase by phrase, so a query and the text it occurs in fold alike."""
    folder = resources.files("opencc") / "dictionary"
    to_simplified: dict[str, str] = {}
    for line in (folder / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            trad, simp = line.split("\t", 1)
            to_simplified[trad] = simp.split()[0]
    for line in (folder / "JPVariants.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            trad, jp = line.split("\t", 1)
            for form in jp.split():
                if form != trad and len(form) == 1:
                    to_simplified.setdefault(form, to_simplified.get(trad, trad))
    return {ord(k): v for k, v in to_simplified.items() if len(k) == 1 and len(v) == 1 and k != v}


def normalise(text: str) -> str:
    """What is indexed and what is asked, alike: full- and half-width forms as one (NFKC), case folded,
    and traditional and Japanese forms of Chinese characters as their simplified form (商標 = 商标)."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_variants())


def short_tokens(text: str) -> str:
    """The text of the short-term table: each CJK character and each pair of adjacent ones as a token,
    other words as they are (FTS5's unicode61 tokenizer splits them)."""
    out: list[str] = []
    last = 0
    for run in CJK_RUN.finditer(text):
        out.append(text[last:run.start()])
        chars = run.group()
        out.extend(chars)
        out.extend(chars[i:i + 2] for i in range(len(chars) - 1))
        last = run.end()
    out.append(text[last:])
    return " ".join(part for part in out if part.strip())


# ---- documents: what the graph says, one per resource ----------------------------------------

@dataclass
class Document:
    """One resource as the index holds it."""

    iri: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)  # lang ("" untagged) -> the label it is shown with
    names: list[tuple[str, str]] = field(default_factory=list)  # (lang, text): every name, title, alternative label
    texts: list[tuple[str, str]] = field(default_factory=list)  # (lang, text): abstracts, descriptions, statedAs
    facets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # facet -> value slugs
    start: str | None = None  # ISO date it came into force / started, where stated
    end: str | None = None


@dataclass
class FacetValue:
    facet: str
    value: str  # the slug a request gives
    iri: str
    labels: dict[str, str]


def _rows(store: Store, sparql: str) -> list[tuple[Identifier | None, ...]]:
    return store.query(sparql_prologue(store.ids) + sparql).rows


def _label_parts(store: Store, docs: dict[str, Document]) -> None:
    """Articles and chapters have a number, not a name: show them as their instrument's name and number
    (\u300c…条例 第6条\u300d, "…, article 6"). Only shown, not indexed: the instrument's name finds the instrument."""
    for part, whole, number, ordinal, chapter in _rows(store, """SELECT ?p ?w ?n ?o ?c WHERE {
            ?p eli:is_part_of ?w ; eli:number ?n . OPTIONAL { ?p ipkg:ordinal ?o }
            BIND(EXISTS { ?p a ipkg:Chapter } AS ?c) }"""):
        doc, parent = docs.get(str(part)), docs.get(str(whole))
        if doc is None or parent is None or doc.labels.keys() - {""}:
            continue
        word = "chapter" if str(chapter) == "true" else "article"
        for lang, name in parent.labels.items():
            doc.labels[lang] = f"{name}, {word} {ordinal}" if lang == "en" and ordinal is not None else f"{name} {number}"


def _texts(store: Store, exclude_graphs: Sequence[str]) -> dict[str, dict[str, set[tuple[str, str, str]]]]:
    """IRI -> "names" | "texts" -> (property, lang, text), whitespace collapsed, outside `exclude_graphs`."""
    props = " ".join(f"<{p}>" for p in (*NAME_PROPERTIES, *TEXT_PROPERTIES))
    not_in = f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in exclude_graphs)}))" if exclude_graphs else ""
    names = {str(p) for p in NAME_PROPERTIES}
    found: dict[str, dict[str, set[tuple[str, str, str]]]] = defaultdict(lambda: defaultdict(set))
    for r, p, t in _rows(store, f"SELECT DISTINCT ?r ?p ?t WHERE {{ VALUES ?p {{ {props} }} GRAPH ?g {{ ?r ?p ?t }} "
                               f"FILTER(isIRI(?r) && isLiteral(?t)) {not_in} }}"):
        if text := " ".join(str(t).split()):
            found[str(r)]["names" if str(p) in names else "texts"].add((str(p), language(t), text))
    return found


def _kinds(store: Store) -> dict[str, str]:
    """IRI -> its kind: the first class of facets.KINDS it is an instance of."""
    rank = {cls: i for i, (_, cls) in enumerate(F.KINDS)}
    best: dict[str, int] = {}
    classes = " ".join(f"<{cls}>" for _, cls in F.KINDS)
    for r, cls in _rows(store, f"SELECT DISTINCT ?r ?c WHERE {{ VALUES ?c {{ {classes} }} ?r a ?c FILTER(isIRI(?r)) }}"):
        best[str(r)] = min(best.get(str(r), len(F.KINDS)), rank[str(cls)])
    return {iri: F.KINDS[i][0] for iri, i in best.items()}


def _document(iri: str, kind: str, fields: dict[str, set[tuple[str, str, str]]]) -> Document:
    doc = Document(iri=iri, kind=kind)
    rank = {str(p): i for i, p in enumerate(LABEL_PREFERENCE)}
    doc.names = [(lang, text) for _, lang, text in sorted(fields["names"])]
    doc.labels = best_by_language((rank[prop], lang, text) for prop, lang, text in fields["names"] if prop in rank)
    doc.texts = [(lang, text) for _, lang, text in sorted(fields["texts"])]
    doc.facets["kind"].add(kind)
    return doc


def _facets_and_dates(store: Store, docs: dict[str, Document]) -> dict[tuple[str, str], str]:
    """Record each document's facet values and dates; return (facet, slug) -> the value's IRI."""
    value_iris: dict[tuple[str, str], str] = {}
    for facet in F.FACETS:
        for r, v in _rows(store, f"SELECT DISTINCT ?r ?v WHERE {{ ?r {facet.path} ?v FILTER(isIRI(?r)) {F.VALUE_FILTER} }}"):
            if (doc := docs.get(str(r))) is not None:
                doc.facets[facet.name].add(slug(str(v)))
                value_iris[(facet.name, slug(str(v)))] = str(v)
    for path, attr, choose in ((F.START_PATH, "start", min), (F.END_PATH, "end", max)):
        for r, d in _rows(store, f"SELECT ?r ?d WHERE {{ ?r {path} ?d FILTER(isIRI(?r) && datatype(?d) = xsd:date) }}"):
            if (doc := docs.get(str(r))) is not None:
                current = getattr(doc, attr)
                setattr(doc, attr, str(d) if current is None else choose(current, str(d)))
    return value_iris


def documents(store: Store, exclude_graphs: Sequence[str] = ()) -> tuple[list[Document], list[FacetValue]]:
    """Every IRI the graph names or describes in words (outside `exclude_graphs`, e.g. the shapes), with
    its kind, texts, facet values and dates; and every facet value with its labels."""
    kinds = _kinds(store)
    docs = {iri: _document(iri, kinds.get(iri, "other"), fields) for iri, fields in sorted(_texts(store, exclude_graphs).items())}
    _label_parts(store, docs)
    value_iris = _facets_and_dates(store, docs)
    names = labels_of(store, [*value_iris.values(), *(cls for _, cls in F.KINDS)])
    values = [FacetValue(f, v, iri, names.get(iri, {})) for (f, v), iri in sorted(value_iris.items())]
    seen_kinds = {d.kind for d in docs.values()}
    for name, cls in F.KINDS:
        if name in seen_kinds:
            seen_kinds.discard(name)
            values.append(FacetValue("kind", name, cls, F.KIND_WORDS.get(name) or names.get(cls, {})))
    values += [FacetValue("kind", name, "", {"en": name}) for name in sorted(seen_kinds)]
    return list(docs.values()), values


# ---- the index file ---------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE doc(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, labels TEXT NOT NULL,
                 names TEXT NOT NULL, texts TEXT NOT NULL, start TEXT, end TEXT);
CREATE TABLE facet(facet TEXT NOT NULL, value TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(facet, value, doc)) WITHOUT ROWID;
CREATE INDEX facet_by_doc ON facet(doc, facet, value);
CREATE TABLE facet_value(facet TEXT NOT NULL, value TEXT NOT NULL, iri TEXT NOT NULL, labels TEXT NOT NULL,
                         PRIMARY KEY(facet, value)) WITHOUT ROWID;
CREATE VIRTUAL TABLE tri USING fts5(names, texts, tokenize='trigram', content='');
CREATE VIRTUAL TABLE short USING fts5(names, texts, tokenize='unicode61 remove_diacritics 2', content='');
"""


def write_index(path: Path, docs: Iterable[Document], values: Iterable[FacetValue]) -> int:
    """Write the index to `path` (beside it first, then moved in place); return how many documents it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    db = sqlite3.connect(fresh)
    try:
        db.executescript(SCHEMA)
        count = 0
        for count, doc in enumerate(docs, 1):
            names = "\n".join(normalise(text) for _, text in doc.names)
            texts = "\n".join(normalise(text) for _, text in doc.texts)
            db.execute("INSERT INTO doc VALUES (?,?,?,?,?,?,?,?)", (count, doc.iri, doc.kind, _json(doc.labels),
                                                                   _json(doc.names), _json(doc.texts), doc.start, doc.end))
            db.execute("INSERT INTO tri(rowid, names, texts) VALUES (?,?,?)", (count, names, texts))
            db.execute("INSERT INTO short(rowid, names, texts) VALUES (?,?,?)", (count, short_tokens(names), short_tokens(texts)))
            db.executemany("INSERT INTO facet VALUES (?,?,?)", [(f, v, count) for f, vs in doc.facets.items() for v in vs])
        db.executemany("INSERT OR REPLACE INTO facet_value VALUES (?,?,?,?)",
                       [(v.facet, v.value, v.iri, _json(v.labels)) for v in values])
        db.executemany("INSERT INTO meta VALUES (?,?)", [("format", str(FORMAT)), ("documents", str(count))])
        for table in ("tri", "short"):
            db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()
    fresh.replace(path)
    return count


def build_index(store: Store, path: Path, exclude_graphs: Sequence[str] = ()) -> int:
    """The build's step: every document of the store into the index file at `path`."""
    docs, values = documents(store, exclude_graphs)
    return write_index(path, docs, values)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---- a request --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One thing asked for: a word, a run of characters, or a "quoted phrase" (normalised)."""

    text: str

    @property
    def short(self) -> bool:
        """Fewer than three characters: the trigram table cannot find it; the short-term table does."""
        return len(self.text) < 3

    def short_query(self) -> list[str]:
        """The short-term table's tokens this term must all have: a CJK character or pair, or a word."""
        tokens: list[str] = []
        last = 0
        for run in CJK_RUN.finditer(self.text):
            tokens += WORD.findall(self.text[last:run.start()])
            tokens.append(run.group())  # one or two characters: a unigram or a bigram token
            last = run.end()
        return tokens + WORD.findall(self.text[last:])

    def pattern(self) -> re.Pattern[str]:
        """Where it occurs in a normalised text, for the snippet: a short word only as a whole word."""
        escaped = re.escape(self.text)
        if self.short and not CJK_RUN.search(self.text):
            return re.compile(rf"(?<![^\W{_CJK}]){escaped}(?![^\W{_CJK}])")
        return re.compile(escaped)


@dataclass(frozen=True)
class SearchRequest:
    q: str
    terms: tuple[Term, ...]
    filters: tuple[tuple[str, str], ...] = ()
    in_force_on: dt.date | None = None
    lang: str = "en"
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def params(self, **changes: str | None) -> dict[str, str]:
        """This request's parameters as a query string would give them, with `changes` (None removes one)."""
        return query_params({"q": self.q, **dict(self.filters)}, self.in_force_on, changes)


def query_params(given: dict[str, str], in_force_on: dt.date | None, changes: Mapping[str, str | None]) -> dict[str, str]:
    """A search or browse request's parameters (its filters, `inForceOn`) with `changes` applied: a facet link's
    query string. None removes a parameter."""
    out = dict(given)
    if in_force_on:
        out["inForceOn"] = in_force_on.isoformat()
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _int(args: Mapping[str, list[str]], name: str, default: int, low: int, high: int, problems: list[str]) -> int:
    raw = (args.get(name) or [""])[0].strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
        return default
    if not low <= value <= high:
        problems.append(f"{name} must be from {low} to {high}, not {value}")
    return value


def parse_request(args: Mapping[str, list[str]], *, default_lang: str = "en", langs: Sequence[str] = LANGS) -> SearchRequest:
    """A search request from query-string arguments (each name -> its values); SearchError says what is wrong."""
    problems: list[str] = []
    unknown = sorted(set(args) - set(PARAMETERS))
    if unknown:
        problems.append(f"unknown parameter(s) {', '.join(unknown)}; the parameters are {', '.join(PARAMETERS)}")
    for name, values in args.items():
        if name in PARAMETERS and len(values) > 1:
            problems.append(f"give {name} at most once (it was given {len(values)} times)")
    first = {name: (values[0] if values else "") for name, values in args.items()}
    q = " ".join(first.get("q", "").split())
    terms: list[Term] = []
    if not q:
        problems.append("q is empty: say what to search for (a word, a name, a phrase in \"quotes\"), e.g. q=著名商標")
    elif len(q) > MAX_QUERY_CHARS:
        problems.append(f"q is {len(q)} characters long; at most {MAX_QUERY_CHARS}")
    else:
        for m in TERM.finditer(normalise(q)):
            term = Term(" ".join((m.group(1) if m.group(1) is not None else m.group(2)).split()))
            if term.text and (not term.short or term.short_query()) and term not in terms:
                terms.append(term)
        if not terms:
            problems.append(f"q {q!r} has nothing to search for: give letters, digits or CJK characters")
        elif len(terms) > MAX_TERMS:
            problems.append(f"q has {len(terms)} terms; at most {MAX_TERMS}")
    lang = first.get("lang", "").strip() or default_lang
    if lang not in langs:
        problems.append(f"lang must be one of {', '.join(langs)}, not {lang!r}")
    in_force_on = None
    given = {name: raw for name in ("inForceOn", "asOf") if (raw := first.get(name, "").strip())}
    if len(set(given.values())) > 1:
        problems.append(f"inForceOn and asOf name the same date; give one, or the same (given {given['inForceOn']!r} and {given['asOf']!r})")
    elif given:
        name, raw = next(iter(given.items()))
        try:
            in_force_on = dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(f"{name} must be a date as YYYY-MM-DD, not {raw!r}")
    limit = _int(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems)
    offset = _int(args, "offset", 0, 0, MAX_OFFSET, problems)
    filters = tuple((name, first[name].strip()) for name in FILTERS if first.get(name, "").strip())
    if problems:
        raise SearchError(problems)
    return SearchRequest(q=q, terms=tuple(terms), filters=filters, in_force_on=in_force_on, lang=lang, limit=limit, offset=offset)


# ---- answering --------------------------------------------------------------------------------

def snippet(candidates: Iterable[str], terms: Sequence[Term], width: int = SNIPPET_CHARS) -> str:
    """HTML: the first candidate text in which a term occurs, cut to about `width` characters around the
    first occurrence, every occurrence in <mark>; everything else escaped."""
    texts = list(candidates)
    patterns = [t.pattern() for t in terms]
    for text in texts:
        if not any(p.search(normalise(text)) for p in patterns):  # the cheap test first: most candidates miss
            continue
        folded, where = [], []  # the normalised text, and for each of its characters the original's index
        for i, ch in enumerate(text):
            for n in normalise(ch):
                folded.append(n)
                where.append(i)
        norm = "".join(folded)
        spans = sorted((where[m.start()], where[m.end() - 1] + 1) for p in patterns for m in p.finditer(norm) if m.end() > m.start())
        if not spans:
            continue
        merged: list[list[int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        start = max(0, min(merged[0][0] - width // 4, len(text) - width))
        end = min(len(text), start + width)
        out, pos = ["…" if start > 0 else ""], start
        for a, b in merged:
            a, b = max(a, start), min(b, end)
            if a >= b:
                continue
            out += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
            pos = b
        out += [html.escape(text[pos:end]), "…" if end < len(text) else ""]
        return "".join(out)
    return html.escape(texts[0][:width]) + ("…" if texts and len(texts[0]) > width else "") if texts else ""


class SearchIndex:
    """The built index, opened read-only (`immutable`: it never changes under a running server), one
    connection per thread."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise SearchUnavailable(f"no search index at {self.path}: run `ipkg build` first")
        self._local = threading.local()
        db = self._db()
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != str(FORMAT):
            raise SearchUnavailable(f"{self.path} is a search index of format {meta.get('format')}, not {FORMAT}: run `ipkg build`")
        self.size = int(meta["documents"])
        self.values: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
            (f, v): (iri, json.loads(labels)) for f, v, iri, labels in db.execute("SELECT facet, value, iri, labels FROM facet_value")}
        self._value_keys: list[tuple[str, str]] = []  # (facet, value) by number
        numbers: dict[tuple[str, str], int] = {}
        by_doc: dict[int, list[int]] = defaultdict(list)
        for doc, facet, value in db.execute("SELECT doc, facet, value FROM facet ORDER BY doc"):
            if (facet, value) not in numbers:
                numbers[(facet, value)] = len(self._value_keys)
                self._value_keys.append((facet, value))
            by_doc[doc].append(numbers[(facet, value)])
        self._doc_values: dict[int, tuple[int, ...]] = {doc: tuple(v) for doc, v in by_doc.items()}

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            db.execute("PRAGMA temp_store = MEMORY")  # the hits of a search (SearchIndex.search)
            self._local.db = db
        return db

    def value_label(self, facet: str, value: str, lang: str) -> str:
        return pick_label(self.values.get((facet, value), ("", {}))[1], lang) or value

    def _hits_sql(self, request: SearchRequest) -> tuple[str, list[str]]:
        """The SQL of the matching documents (id, score: lower is better) and its parameters."""
        long_terms = [t for t in request.terms if not t.short]
        short_terms = [t for t in request.terms if t.short]
        parts: list[str] = []
        params: list[str] = []
        if long_terms:
            parts.append(f"SELECT rowid AS id, bm25(tri, {NAME_WEIGHT}, 1.0) AS s FROM tri WHERE tri MATCH ?")
            params.append(" AND ".join(_quote(t.text) for t in long_terms))
        if short_terms:
            parts.append(f"SELECT rowid AS id, bm25(short, {NAME_WEIGHT}, 1.0) AS s FROM short WHERE short MATCH ?")
            params.append(" AND ".join(_quote(tok) for t in short_terms for tok in t.short_query()))
        if len(parts) == 2:  # each table matched once (MATERIALIZED), not once per row of the other
            sql = (f"WITH a AS MATERIALIZED ({parts[0]}), b AS MATERIALIZED ({parts[1]}) "
                   "SELECT a.id AS id, a.s + b.s AS s FROM a JOIN b ON a.id = b.id")
        else:
            sql = parts[0]
        where = []
        for name, value in request.filters:
            where.append("id IN (SELECT doc FROM facet WHERE facet = ? AND value = ?)")
            params += [name, value]
        if request.in_force_on:
            where.append("id NOT IN (SELECT id FROM doc WHERE start > ? OR end < ?)")  # no dates: kept
            params += [request.in_force_on.isoformat()] * 2
        if where:
            sql = f"SELECT id, s FROM ({sql}) WHERE " + " AND ".join(where)
        return sql, params

    def check(self, request: SearchRequest) -> None:
        """SearchError for a facet value the index does not know (a typo gets a 400, not an empty answer)."""
        problems = []
        for name, value in request.filters:
            if (name, value) not in self.values:
                known = sorted(v for f, v in self.values if f == name)
                problems.append(f"no {name} {value!r} in the graph; known: {', '.join(known[:15])}"
                                + (f" and {len(known) - 15} more" if len(known) > 15 else ""))
        if problems:
            raise SearchError(problems)

    def search(self, request: SearchRequest) -> JSON:
        """Hits (page `offset`..`offset+limit`, best first) and, over all hits, the count per facet value.

        SQLite matches and ranks; the facet counts are made here from each document's values, read once
        when the index is opened (a GROUP BY over a join did the same three to five times slower)."""
        self.check(request)
        db = self._db()
        sql, params = self._hits_sql(request)
        ranked = db.execute(f"SELECT id, s FROM ({sql}) ORDER BY s, id", params).fetchall()
        chosen = ranked[request.offset:request.offset + request.limit]
        marks = ",".join("?" * len(chosen))
        rows = {r[0]: r for r in db.execute(f"SELECT id, iri, kind, labels, names, texts FROM doc WHERE id IN ({marks})",
                                            [i for i, _ in chosen])} if chosen else {}
        page = [(*rows[i], score) for i, score in chosen]
        tally = Counter(chain.from_iterable(self._doc_values.get(i, ()) for i, _ in ranked))
        counts: dict[str, list[JSON]] = {name: [] for name in FILTERS}
        for key, n in sorted(tally.items(), key=lambda kv: (self._value_keys[kv[0]][0], -kv[1], self._value_keys[kv[0]][1])):
            name, value = self._value_keys[key]
            counts[name].append({"value": value, "label": self.value_label(name, value, request.lang), "count": n})
        total = len(ranked)
        hits = []
        for _id, iri, kind, labels, names, texts, score in page:
            labels, names, texts = json.loads(labels), json.loads(names), json.loads(texts)
            ordered = [t for lang, t in texts if lang == request.lang] + [t for lang, t in texts if lang != request.lang] + \
                      [t for lang, t in names if lang == request.lang] + [t for lang, t in names if lang != request.lang]
            label = pick_label(labels, request.lang) or _first_words(texts, request.lang) or slug(iri)
            marked = snippet([label], request.terms, width=len(label))
            found = snippet([t for t in ordered if t != label] + [label], request.terms)
            hits.append({"iri": iri, "kind": kind, "kindLabel": self.value_label("kind", kind, request.lang),
                         "label": label, "labelHtml": marked, "snippet": found, "score": round(-score, 4)})
        return {"q": request.q, "terms": [t.text for t in request.terms], "filters": dict(request.filters),
                "inForceOn": request.in_force_on.isoformat() if request.in_force_on else None, "lang": request.lang,
                "total": total, "limit": request.limit, "offset": request.offset, "hits": hits, "facets": counts}


def _first_words(texts: list[list[str]], lang: str, chars: int = 60) -> str | None:
    """A resource without a name (a condition) is shown by the start of its definition or description."""
    for key in (lang, "en", "ja", "zh", ""):
        for text_lang, text in texts:
            if text_lang == key:
                return text if len(text) <= chars else text[:chars].rstrip() + "…"
    return None


def _quote(text: str) -> str:
    """An FTS5 string (a phrase): whatever the user typed is matched as characters, never as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def iter_documents(docs: Iterable[Document], copies: int) -> Iterator[Document]:
    """`copies` copies of every document with suffixed IRIs (the 10x index of bench/search.py)."""
    for k in range(copies):
        for d in docs:
            yield d if k == 0 else Document(iri=f"{d.iri}-copy{k}", kind=d.kind, labels=d.labels, names=d.names,
                                            texts=d.texts, facets=d.facets, start=d.start, end=d.end)
