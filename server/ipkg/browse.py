"""Browse by facet: programmes, instruments and articles filtered and counted with SPARQL over the store.

Exact where search is approximate: the facet paths of facets.py evaluated by the store itself, so
a count here is what a SPARQL query of the same path answers. Values are named by their slug
(`cn-jilin`, `invention-patent`), as in the search API and the eligibility profile.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib.term import Identifier

from . import facets as F
from .jsontypes import JSON
from .namespaces import sparql_prologue
from .search import SearchError, query_params
from .store import Store, integer
from .terms import Labels, labels_of, pick_label, slug

PAGE = 50


@dataclass(frozen=True)
class Listing:
    """A browsable kind: its class and the facets a page offers for it."""

    name: str
    cls: str
    label: dict[str, str]
    facets: tuple[str, ...]


LISTINGS: dict[str, Listing] = {item.name: item for item in (
    Listing("programmes", "ipkg:Programme", {"ja": "支援制度・施策", "en": "Programmes"},
            ("jurisdiction", "right", "route", "applicantKind", "benefitKind", "status")),
    Listing("instruments", "ipkg:LegalInstrument", {"ja": "法令・規範文書", "en": "Legal instruments"},
            ("jurisdiction", "right", "route", "applicantKind", "benefitKind")),
    Listing("articles", "ipkg:Article", {"ja": "条文", "en": "Articles"},
            ("jurisdiction", "right", "route", "applicantKind", "benefitKind")),
)}
PARAMETERS = (*F.BY_NAME, "inForceOn", "lang", "offset")


@dataclass(frozen=True)
class BrowseRequest:
    listing: Listing
    filters: tuple[tuple[str, str], ...]
    in_force_on: dt.date | None
    lang: str
    offset: int

    def params(self, **changes: str | None) -> dict[str, str]:
        return query_params(dict(self.filters), self.in_force_on, changes)


def parse_request(name: str, args: Mapping[str, list[str]], lang: str) -> BrowseRequest:
    """A browse request for listing `name`; SearchError (400) for an unknown parameter or a malformed value."""
    listing = LISTINGS.get(name)
    if listing is None:
        raise LookupError(name)
    problems = []
    unknown = sorted(set(args) - set(PARAMETERS) | {a for a in args if a in F.BY_NAME and a not in listing.facets})
    if unknown:
        problems.append(f"unknown parameter(s) for {name}: {', '.join(unknown)}; "
                        f"the parameters are {', '.join((*listing.facets, 'inForceOn', 'lang', 'offset'))}")
    first = {k: (v[0] if v else "").strip() for k, v in args.items()}
    for k, v in args.items():
        if len(v) > 1:
            problems.append(f"give {k} at most once")
    in_force_on = None
    if first.get("inForceOn"):
        try:
            in_force_on = dt.date.fromisoformat(first["inForceOn"])
        except ValueError:
            problems.append(f"inForceOn must be a date as YYYY-MM-DD, not {first['inForceOn']!r}")
    offset = 0
    if first.get("offset"):
        if not first["offset"].isdigit() or int(first["offset"]) > 100_000:
            problems.append(f"offset must be a whole number from 0 to 100000, not {first['offset']!r}")
        else:
            offset = int(first["offset"])
    filters = []
    for facet in listing.facets:
        if value := first.get(facet):
            if not value.replace("-", "").isalnum() or not value.isascii():
                problems.append(f"{facet} must be a value's slug such as cn-jilin or invention-patent, not {value!r}")
            filters.append((facet, value))
    if problems:
        raise SearchError(problems)
    return BrowseRequest(listing, tuple(filters), in_force_on, lang, offset)


class Browser:
    """Listings and facet counts over a store (its things under `store.ids`)."""

    def __init__(self, store: Store):
        self.store, self.ids = store, store.ids

    def _rows(self, sparql: str) -> list[tuple[Identifier | None, ...]]:
        return self.store.query(sparql_prologue(self.ids) + sparql).rows

    def value_iri(self, facet: str, value: str) -> str:
        return f"{self.ids}{F.BY_NAME[facet].values}/{value}"

    def _pattern(self, request: BrowseRequest) -> str:
        lines = [f"?r a {request.listing.cls} ."]
        for facet, value in request.filters:
            lines.append(f"?r {F.BY_NAME[facet].path} <{self.value_iri(facet, value)}> .")
        if request.in_force_on:  # not yet in force, or no longer: out; no dates stated: kept
            d = f'"{request.in_force_on.isoformat()}"^^xsd:date'
            lines.append(f"FILTER NOT EXISTS {{ ?r {F.START_PATH} ?start FILTER(?start > {d}) }}")
            lines.append(f"FILTER NOT EXISTS {{ ?r {F.END_PATH} ?end FILTER(?end < {d}) }}")
        return "\n".join(lines)

    def check(self, request: BrowseRequest) -> None:
        """SearchError for a facet value the graph does not have."""
        problems = []
        for facet, value in request.filters:
            if not self._rows(f"SELECT ?l WHERE {{ <{self.value_iri(facet, value)}> rdfs:label|skos:prefLabel ?l }} LIMIT 1"):
                problems.append(f"the graph has no {facet} {value!r} (the last part of a value's IRI, e.g. "
                                f"{'cn-jilin' if facet == 'jurisdiction' else 'invention-patent' if facet == 'right' else 'sme'})")
        if problems:
            raise SearchError(problems)

    def labels(self, iris: list[str]) -> dict[str, Labels]:
        """ja/en/zh labels; an article without a label is its instrument's name and number."""
        if not iris:
            return {}
        out: dict[str, Labels] = defaultdict(dict, labels_of(self.store, iris))
        values = " ".join(f"<{i}>" for i in iris if i not in out)
        if not values:
            return out
        parts = self._rows(f"""SELECT ?i ?w ?n ?o WHERE {{ VALUES ?i {{ {values} }} ?i eli:is_part_of ?w ; eli:number ?n .
                OPTIONAL {{ ?i ipkg:ordinal ?o }} }}""")
        wholes = labels_of(self.store, {str(w) for _, w, _, _ in parts})
        for i, whole, number, ordinal in parts:
            for lang, label in wholes.get(str(whole), {}).items():
                out[str(i)].setdefault(lang, f"{label}, article {ordinal}" if lang == "en" and ordinal is not None else f"{label} {number}")
        return out

    def browse(self, request: BrowseRequest) -> JSON:
        """One page of the listing (ordered by label), its total, and per facet the count of each value."""
        self.check(request)
        pattern = self._pattern(request)
        total = integer(self._rows(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} }}")[0][0])
        order = "?sort" if request.listing.name != "articles" else "?sort ?ord"
        page = [str(r) for r, *_ in self._rows(f"""SELECT ?r (SAMPLE(?l) AS ?sort) (SAMPLE(?o) AS ?ord) WHERE {{ {pattern}
                OPTIONAL {{ ?r (rdfs:label|eli:is_part_of/rdfs:label) ?l FILTER(lang(?l) = "{request.lang}") }}
                OPTIONAL {{ ?r ipkg:ordinal ?o }} }} GROUP BY ?r ORDER BY {order} ?r LIMIT {PAGE} OFFSET {request.offset}""")]
        labels = self.labels(page)
        dates: dict[str, dict[str, str]] = defaultdict(dict)
        juris: dict[str, list[str]] = defaultdict(list)
        if page:
            values = " ".join(f"<{i}>" for i in page)
            for key, path in (("start", F.START_PATH), ("end", F.END_PATH)):
                for r, d in self._rows(f"SELECT ?r (MIN(STR(?d)) AS ?v) WHERE {{ VALUES ?r {{ {values} }} ?r {path} ?d }} GROUP BY ?r"):
                    dates[str(r)][key] = str(d)
            for r, j in self._rows(f"SELECT DISTINCT ?r ?j WHERE {{ VALUES ?r {{ {values} }} "
                                   "?r ipkg:jurisdiction|eli:is_part_of/ipkg:jurisdiction ?j }"):
                juris[str(r)].append(str(j))
        juris_labels = self.labels(sorted({j for js in juris.values() for j in js}))
        items = [{"iri": i, "label": pick_label(labels.get(i, {}), request.lang) or slug(i), "start": dates[i].get("start"),
                  "end": dates[i].get("end"),
                  "jurisdiction": [pick_label(juris_labels.get(j, {}), request.lang) or slug(j) for j in sorted(juris[i])]} for i in page]
        counts: dict[str, list[JSON]] = {}
        for facet in request.listing.facets:
            rows = self._rows(f"SELECT ?v (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} ?r {F.BY_NAME[facet].path} ?v "
                              f"{F.VALUE_FILTER} }} GROUP BY ?v ORDER BY DESC(?n) ?v")
            names = self.labels([str(v) for v, _ in rows])
            counts[facet] = [{"value": slug(str(v)), "label": pick_label(names.get(str(v), {}), request.lang) or slug(str(v)),
                              "count": integer(n)} for v, n in rows]
        return {"listing": request.listing.name, "total": total, "offset": request.offset, "limit": PAGE,
                "items": items, "facets": counts, "filters": dict(request.filters),
                "inForceOn": request.in_force_on.isoformat() if request.in_force_on else None}

    def overview(self, lang: str) -> list[JSON]:
        """Each listing with its size and its count per jurisdiction (the /browse page)."""
        out = []
        for listing in LISTINGS.values():
            request = BrowseRequest(listing, (), None, lang, 0)
            pattern = self._pattern(request)
            total = integer(self._rows(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} }}")[0][0])
            rows = self._rows(f"SELECT ?v (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} ?r {F.BY_NAME['jurisdiction'].path} ?v "
                              "} GROUP BY ?v ORDER BY DESC(?n) ?v")
            names = self.labels([str(v) for v, _ in rows])
            out.append({"listing": listing, "total": total,
                        "jurisdictions": [{"value": slug(str(v)), "label": pick_label(names.get(str(v), {}), lang) or slug(str(v)),
                                           "count": integer(n)} for v, n in rows]})
        return out
