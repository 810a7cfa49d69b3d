"""The queries/ folder as named, parameterised queries; parameters are bound as terms, never spliced into text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .bind import AS_OF, BindError, is_iri, substitute
from .errors import InvalidRequest
from .media import CSV, RESULTS_JSON, Offer
from .namespaces import ID
from .store import QueryResult, Store

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date")
ANSWERS = Offer("a catalogue query", (RESULTS_JSON, CSV))  # what /api/queries/{name} answers in; a CONSTRUCT answers Turtle
# How the catalogue is grouped on the query pages: the source family by the name's first word (the queries
# are named after the source they read), the theme by the first of these words the name contains.
FAMILIES = {
    "cnipa": "CNIPA fee guide (source 003)",
    "ftm": "Famous-trademark regulations (source 001)",
    "funding": "Provincial patent funding measures (source 001)",
    "hightech": "Chongqing high-tech recognition (source 001)",
    "jpo": "JPO deck and annual report (sources 002, 004)",
    "news": "JETRO Beijing newsletter (source 000)",
}
ACROSS = "Across the sources"
THEMES = (
    ("fee", "Fees and reductions"), ("deadline", "Deadlines"), ("funding", "Funding and subsidies"),
    ("subsid", "Funding and subsidies"), ("pct", "Funding and subsidies"), ("condition", "Conditions"),
    ("years", "Conditions"), ("threshold", "Conditions"), ("fine", "Sanctions"), ("sanction", "Sanctions"),
    ("ban", "Sanctions"), ("refund", "Sanctions"), ("figure", "Figures"), ("event", "Events and history"),
    ("history", "Events and history"), ("member", "Organisations"), ("authorit", "Organisations"),
    ("instrument", "Legal instruments"), ("article", "Legal instruments"), ("validity", "Legal instruments"),
    ("programme", "Programmes and places"), ("place", "Programmes and places"),
)
OTHER_THEME = "Other"
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")


class CatalogError(InvalidRequest):
    """A catalogue file or a parameter value that is not usable; the message says which and why."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str

    def term(self, raw: str) -> Identifier:
        """The value as an RDF term of this parameter's type, or CatalogError."""
        try:
            if self.type == "iri":
                if not is_iri(raw):
                    raise ValueError("not an absolute IRI")
                return URIRef(raw)
            if self.type == "integer":
                return Literal(int(raw), datatype=XSD.integer)
            if self.type == "decimal":
                return Literal(Decimal(raw), datatype=XSD.decimal)
            if self.type == "date":
                return Literal(dt.date.fromisoformat(raw), datatype=XSD.date)
            return Literal(raw)
        except (ValueError, InvalidOperation) as exc:
            raise CatalogError(f"parameter {self.name!r} must be {self.type}: {raw!r} is not ({exc})") from exc


@dataclass(frozen=True)
class CatalogQuery:
    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    @property
    def family(self) -> str:
        """The source family the query reads (FAMILIES), by the first word of its name."""
        return FAMILIES.get(self.name.split("-", 1)[0], ACROSS)

    @property
    def theme(self) -> str:
        """What the query is about (THEMES), by the first theme word its name contains."""
        return next((theme for word, theme in THEMES if word in self.name), OTHER_THEME)

    def runnable(self) -> str:
        """The text with every parameter bound to its default, the way the API binds it, and a comment
        naming the values: it runs as it is in any SPARQL client and answers as /api/queries/{name}."""
        try:
            text = substitute(self.text, self.bindings({}))
        except (CatalogError, BindError) as exc:  # a required parameter without default: left open, and said
            return f"# set the parameters before running ({exc})\n{self.text}"
        note = ", ".join(f"?{p.name} = {p.default}" for p in self.parameters)
        return f"# parameters bound to their defaults: {note}\n{text}" if note else text

    @property
    def dated_by(self) -> str | None:
        """The parameter `asOf` sets: the query's own `asOf`, else its one date parameter (None: not dated)."""
        dated = [p.name for p in self.parameters if p.type == "date"]
        return AS_OF if AS_OF in dated else (dated[0] if len(dated) == 1 else None)

    def bindings(self, values: dict[str, str]) -> dict[str, Identifier]:
        known = {p.name for p in self.parameters}
        if AS_OF in values and AS_OF not in known:  # asOf, the API's one name for a point in time, sets the query's date
            values = dict(values)
            target, day = self.dated_by, values.pop(AS_OF)
            if target is None:
                raise CatalogError(f"{self.name} is not a query of one date, so it takes no {AS_OF}; its parameters: "
                                   f"{', '.join(sorted(known)) or 'none'}")
            if values.get(target, day) != day:
                raise CatalogError(f"{AS_OF} sets {target} of {self.name}; give one of them, or the same date")
            values[target] = day
        if unknown := sorted(set(values) - known):
            raise CatalogError(f"unknown parameter(s) {', '.join(unknown)} for {self.name}; it takes: {', '.join(sorted(known)) or 'none'}")
        out = {}
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "":
                raise CatalogError(f"parameter {p.name!r} of {self.name} is required")
            out[p.name] = p.term(str(raw))
        return out


def parse(path: Path, ids: str = str(ID)) -> CatalogQuery:
    """Read one .rq file and its comment header (title, description, `param: name | type | default | text`).

    The files are written against the default namespace of things; for a deployment under another
    base (`ids`, IPKG_BASE + "id/") their BASE, IRIs and IRI defaults move with the data, as the build
    moves the data's (`sources._rebase`), so each query still runs as it is against that deployment."""
    text = path.read_text(encoding="utf-8").replace(str(ID), ids)
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 4 or parts[1] not in PARAM_TYPES:
                raise CatalogError(f"{path.name}: bad param line {line!r}; expected 'name | type | default | description' with type in {PARAM_TYPES}")
            params.append(Parameter(parts[0], parts[1], parts[2] or None, parts[3]))
        else:
            meta[key] = value.strip()
    if "title" not in meta:
        raise CatalogError(f"{path.name}: the header needs a '# title:' line")
    return CatalogQuery(path.stem, meta["title"], meta.get("description", ""), text, tuple(params))


def load(folder: Path, ids: str = str(ID)) -> dict[str, CatalogQuery]:
    return {q.name: q for q in (parse(p, ids) for p in sorted(folder.glob("*.rq")))}


def run(store: Store, query: CatalogQuery, values: dict[str, str], max_rows: int | None = None) -> QueryResult:
    return store.query(query.text, bindings=query.bindings(values), max_rows=max_rows)
