"""The one media-type table and its negotiation (ipkg.media): every route's offer is unambiguous, and real clients'
Accept headers and format= values choose what the protocol says they should."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ipkg import media
from ipkg.errors import NotAcceptable
from ipkg.media import CSV, HTML, JSON, JSON_LD, RDF_XML, RESULTS_JSON, RESULTS_XML, TEXT, TURTLE
from ipkg.sparql import formats
from ipkg.web import api, calendar, changes, compare, docs, eligibility_page, queries_page, releases, resources, search, sparql, timeline

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CURL = "*/*"
SELECT, GRAPH = formats.offer("select"), formats.offer("graph")
DOCUMENTS = resources.DOCUMENTS
ROUTE_MODULES = (api, calendar, changes, compare, docs, eligibility_page, queries_page, releases, resources, search, sparql, timeline)


def _ids(offer: media.Offer) -> str:
    return offer.what


@pytest.mark.parametrize("offer", media.OFFERS, ids=_ids)  # every offer declared by the route modules imported above
def test_every_name_and_alias_of_an_offer_names_one_row(offer):
    """Within one offer a format= value or an Accept type leads to the row that lists it, never to another."""
    assert len(set(offer.medias())) == len(offer.types)
    for row in offer.types:
        assert offer.named(row.media) is row
        for name in row.names:
            listing = [t for t in offer.types if name in t.names]
            assert len(listing) == 1, f"{name!r} names {len(listing)} rows of {offer.what}"
            assert offer.named(name) is row
        for alias in row.aliases:
            owner = next((t for t in offer.types if t.media == alias), None)
            assert offer.named(alias) is (owner or row)


def test_the_engine_reads_and_writes_every_rdf_and_results_row_by_its_media_type():
    """The table's media types are the ones pyoxigraph's writers are found by (RdfFormat / QueryResultsFormat)."""
    for row in formats.GRAPHS:
        assert ox.RdfFormat.from_media_type(row.media) is not None, row
    for row in formats.RESULTS:
        assert ox.QueryResultsFormat.from_media_type(row.media) is not None, row
    assert ox.RdfFormat.from_media_type(media.TRIG.media) == ox.RdfFormat.TRIG
    assert ox.RdfFormat.from_media_type(media.N_QUADS.media) == ox.RdfFormat.N_QUADS


@pytest.mark.parametrize(("offer", "accept", "chosen"), [
    (DOCUMENTS, FIREFOX, HTML),                    # a browser gets the page
    (DOCUMENTS, CURL, HTML),                       # */*: the offer's first
    (DOCUMENTS, None, HTML),                       # no Accept: the default
    (DOCUMENTS, "application/json", JSON_LD),      # JSON asked of RDF is JSON-LD
    (DOCUMENTS, "text/plain", media.N_TRIPLES),    # N-Triples is plain text
    (DOCUMENTS, "application/xml", RDF_XML),
    (SELECT, FIREFOX, RESULTS_XML),                # application/xml;q=0.9 beats */*;q=0.8
    (SELECT, "application/json", RESULTS_JSON),
    (SELECT, "text/csv;q=0.5, application/sparql-results+json;q=0.4", CSV),
    (SELECT, "", RESULTS_JSON),
    (GRAPH, "application/json", JSON_LD),
    (GRAPH, "text/n3", TURTLE),
    (GRAPH, "application/rdf+xml;q=0.1, text/turtle;q=0.2", TURTLE),
])
def test_accept_headers_choose_by_quality_then_by_the_offer_order(offer, accept, chosen):
    assert offer.negotiate(accept) is chosen


def test_a_route_offering_json_itself_keeps_it_over_another_rows_alias():
    assert releases.CITATION.negotiate("application/json") is JSON
    error_page = resources.ERROR_PAGE
    assert error_page.choose("text/plain") is TEXT and error_page.choose(None) is TEXT and error_page.choose(FIREFOX) is HTML


def test_format_overrides_accept_and_its_first_fitting_value_wins():
    """SPARQLWrapper repeats format= (a short name, then a media type, or an empty value)."""
    assert SELECT.negotiate("text/csv", ["xml"]) is RESULTS_XML
    assert SELECT.negotiate(None, ["bogus", "csv"]) is CSV
    assert GRAPH.negotiate(None, ["json-ld", "application/ld+json"]) is JSON_LD
    assert GRAPH.negotiate(None, ["", "rdf+xml"]) is RDF_XML
    assert SELECT.negotiate(None, ["", "  "]) is RESULTS_JSON  # empty values are no format at all
    assert GRAPH.negotiate(None, ["JSON"]) is JSON_LD  # names are read case-insensitively


def test_what_an_offer_cannot_give_is_a_406_that_names_what_it_has():
    with pytest.raises(NotAcceptable, match=r"^format 'turtle' does not fit a SELECT query; use one of json, xml, csv, tsv "
                                            r"\(application/sparql-results\+json, application/sparql-results\+xml, text/csv, "
                                            r"text/tab-separated-values\)$"):
        SELECT.negotiate(None, ["turtle"])
    with pytest.raises(NotAcceptable, match=r"^cannot answer a CONSTRUCT or DESCRIBE query in any type the Accept header allows; "
                                            r"available: text/turtle, application/n-triples, application/ld\+json, application/rdf\+xml$"):
        GRAPH.negotiate("image/png")
