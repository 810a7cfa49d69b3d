"""Media types, named once: every representation ipkg reads or writes, the names clients give it, and one negotiation.

A row (`MediaType`) is a media type with its `format=` names (the first is its short name and file
extension), the other media types clients send for it, and the names rdflib and the W3C formats
namespace give it. A route answers an `Offer`: some rows, the default first. `Offer.negotiate` is the
one content negotiation: `format=` wins (its first value that names a row of the offer), else the
Accept header with q-values (werkzeug's parser), else the default. A name or an alias is read within
one offer only, so the same word can stand for different rows on different routes: `json` is SPARQL
JSON results for a SELECT, JSON-LD for a CONSTRUCT and plain JSON for the calendar; a media type the
offer holds itself always beats another row's alias.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from .errors import NotAcceptable


@dataclass(frozen=True)
class MediaType:
    """One media type; `names[0]` is its short name and the file extension of its documents."""

    media: str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other media types clients send for it (in Accept or in format=)
    rdflib: str | None = None  # rdflib's parser and serialiser name, for RDF
    sd_name: str | None = None  # its name under http://www.w3.org/ns/formats/ (sd:resultFormat)

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def rdf_syntax(self) -> str:
        """rdflib's name for this RDF syntax; asking it of a type that is not RDF is a programming error."""
        if self.rdflib is None:
            raise ValueError(f"{self.media} is not an RDF syntax rdflib writes")
        return self.rdflib


HTML = MediaType("text/html", ("html",), ("application/xhtml+xml",))
TEXT = MediaType("text/plain", ("txt",))
JSON = MediaType("application/json", ("json",))
CSV = MediaType("text/csv", ("csv",), sd_name="SPARQL_Results_CSV")
ICALENDAR = MediaType("text/calendar", ("ics", "ical"))
GZIP = MediaType("application/gzip", ("gz",))
# SPARQL results
RESULTS_JSON = MediaType("application/sparql-results+json", ("json", "srj"),
                         ("application/json", "text/javascript", "application/javascript"), sd_name="SPARQL_Results_JSON")
RESULTS_XML = MediaType("application/sparql-results+xml", ("xml", "srx"), ("application/xml", "text/xml"), sd_name="SPARQL_Results_XML")
RESULTS_TSV = MediaType("text/tab-separated-values", ("tsv",), sd_name="SPARQL_Results_TSV")
# RDF. SPARQLWrapper sends format=xml for a CONSTRUCT it reads as RDF/XML, and `n3` is answered in Turtle, which is N3.
TURTLE = MediaType("text/turtle", ("ttl", "turtle", "n3"),
                   ("text/n3", "text/rdf+n3", "application/n3", "application/turtle", "application/x-turtle"), "turtle", "Turtle")
N_TRIPLES = MediaType("application/n-triples", ("nt", "ntriples", "n-triples"), ("text/plain",), "nt", "N-Triples")
JSON_LD = MediaType("application/ld+json", ("jsonld", "json-ld", "json"), ("application/json", "application/x-json+ld"), "json-ld", "JSON-LD")
RDF_XML = MediaType("application/rdf+xml", ("rdf", "rdfxml", "rdf+xml", "xml"), ("application/xml", "text/xml"), "xml", "RDF_XML")
TRIG = MediaType("application/trig", ("trig",), rdflib="trig", sd_name="TriG")
N_QUADS = MediaType("application/n-quads", ("nq", "nquads"), rdflib="nquads", sd_name="N-Quads")
# citations, as the DOI resolvers' content negotiation names them
CSL_JSON = MediaType("application/vnd.citationstyles.csl+json", ("csl",))
BIBTEX = MediaType("application/x-bibtex", ("bibtex",))
BIBLIOGRAPHY = MediaType("text/x-bibliography", ("text",))

RDF_DOCUMENTS = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES)  # the documents a resource and an RDF profile come in


OFFERS: list[Offer] = []  # every offer declared, in the order of declaration (tests check each is unambiguous)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: an offer is a module constant, a cheap cache key
class Offer:
    """The media types one route answers in, the default first, and what the route is (for its messages)."""

    what: str  # "a SELECT query", "the calendar": the 406's subject
    types: tuple[MediaType, ...]
    default: MediaType | None = None  # the answer when the client sends no Accept header; else types[0]

    def __post_init__(self) -> None:
        OFFERS.append(self)

    def names(self) -> list[str]:
        """The short names, as `format=` takes them (and the OpenAPI document lists them)."""
        return [t.name for t in self.types]

    def medias(self) -> list[str]:
        return [t.media for t in self.types]

    def named(self, name: str) -> MediaType | None:
        """The row a `format=` value names: a media type of the offer, a short name, else an alias."""
        name = name.strip().lower()
        for matches in (lambda t: name == t.media, lambda t: name in t.names, lambda t: name in t.aliases):
            for t in self.types:
                if matches(t):
                    return t
        return None

    def by_extension(self, ext: str) -> MediaType | None:
        return next((t for t in self.types if t.name == ext), None)

    def choose(self, accept: str | None, formats: list[str] | tuple[str, ...] = ()) -> MediaType | None:
        """The row to answer in, or None when neither `format=` nor Accept allows one.

        A client may repeat `format=`: SPARQLWrapper sends a short name and then a media type
        (`format=json-ld&format=application/ld+json`), the second empty when it has none. The first
        value that names a row wins; empty values are skipped."""
        given = [f for f in formats if f.strip()]
        if given:
            return next((t for t in map(self.named, given) if t is not None), None)
        return _by_accept(self, accept or "")

    def negotiate(self, accept: str | None, formats: list[str] | tuple[str, ...] = ()) -> MediaType:
        """`choose`, or a 406 that names what the offer has."""
        chosen = self.choose(accept, formats)
        if chosen is not None:
            return chosen
        given = [f for f in formats if f.strip()]
        if given:
            raise NotAcceptable(f"format {given[0]!r} does not fit {self.what}; use one of {', '.join(self.names())} "
                                f"({', '.join(self.medias())})")
        raise NotAcceptable(f"cannot answer {self.what} in any type the Accept header allows; available: {', '.join(self.medias())}")


@lru_cache(maxsize=512)
def _by_accept(offer: Offer, accept_header: str) -> MediaType | None:
    """Negotiation for one Accept header; remembered, since clients send the same few headers."""
    accept = parse_accept_header(accept_header, MIMEAccept)
    if not accept_header.strip() or not accept:
        return offer.default or offer.types[0]
    own = {t.media: t for t in offer.types}
    aliases: dict[str, MediaType] = {}
    for t in offer.types:
        for alias in t.aliases:
            if alias not in own:
                aliases.setdefault(alias, t)
    best = accept.best_match([*own, *aliases])
    return None if best is None else own.get(best) or aliases[best]
