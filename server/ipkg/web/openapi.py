"""The OpenAPI 3.1 document of the service's HTTP API, built from the same schemas the handlers use."""

from __future__ import annotations

import copy
from typing import Any

from ..catalog import ANSWERS as CATALOG_ANSWERS
from ..changes import DATED, RELATIONS
from ..media import Offer
from ..search import FILTERS as SEARCH_FILTERS
from ..sparql import formats
from . import calendar, compare, releases


def format_schema(*offers: Offer) -> dict[str, Any]:
    """`format=`'s schema: every short name the offers take (each also takes its media types and their aliases)."""
    return {"type": "string", "examples": list(dict.fromkeys(n for o in offers for t in o.types for n in t.names))}


PROBLEM = {
    "type": "object",
    "properties": {"status": {"type": "integer"}, "title": {"type": "string"}, "problems": {"type": "array", "items": {"type": "string"}}},
    "required": ["status", "title", "problems"],
}
VERDICT = {
    "type": "object",
    "properties": {
        "programme": {"type": "string", "format": "uri"},
        "label": {"type": "object", "additionalProperties": {"type": "string"}},
        "verdict": {"enum": ["eligible", "not-eligible", "undetermined"]},
        "reason": {"type": "string", "description": "one line naming the deciding condition(s) and their sources"},
        "reasonText": {"type": "object", "description": "the same line in each language of the pages (ja, en); en is `reason`",
                       "properties": {"ja": {"type": "string"}, "en": {"type": "string"}}, "required": ["ja", "en"]},
        "missing": {"type": "array", "items": {"type": "string"}},
        "readings": {"type": "array", "description": "where the source reads two ways that disagree for this profile: "
                     "each reading's outcome; the verdict follows the preferred one", "items": {"type": "object", "properties": {
                         "reading": {"type": "string", "format": "uri"}, "outcome": {"enum": ["true", "false", "unknown"]},
                         "preferred": {"type": "boolean"}, "sources": {"type": "array", "items": {"type": "string"}}}}},
        "needsAssessment": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "conditions": {"type": "array", "items": {"type": "object", "properties": {
            "condition": {"type": "string", "format": "uri"}, "kind": {"type": "string"},
            "outcome": {"enum": ["true", "false", "unknown"]},
            "summary": {"type": "object"}, "source": {"type": ["string", "null"]}}}},
        "benefit": {"type": "object"},
        "toBecomeEligible": {"type": "array", "description": "for a verdict that is not eligible: the smallest sets of changes to the "
                             "profile's facts that make it eligible (or leave only an authority's assessment), each checked by the engine",
                             "items": {"type": "object", "properties": {
                                 "changes": {"type": "array", "items": {"type": "object", "properties": {
                                     "field": {"type": "string"}, "from": {}, "to": {},
                                     "canChange": {"enum": ["yes", "by-waiting", "no", "not-given"],
                                                   "description": "from the property's ipkg:changeability; not-given: the profile leaves the fact out"},
                                     "condition": {"type": "string", "format": "uri"}, "summary": {"type": "object"},
                                     "source": {"type": ["string", "null"]}}}},
                                 "verdict": {"enum": ["eligible", "undetermined"]},
                                 "needsAssessment": {"type": "array", "items": {"type": "string", "format": "uri"}},
                                 "benefitGained": {"type": "array", "items": {"type": "object"}}}}},
    },
    "required": ["programme", "verdict", "reason", "missing", "conditions"],
}
QUESTION = {
    "type": ["object", "null"],
    "description": "the fact not yet given that the most undetermined verdicts wait for; null when none is left to ask",
    "properties": {
        "field": {"type": "string"}, "section": {"enum": ["applicant", "filing"]},
        "label": {"type": "object", "properties": {"ja": {"type": "string"}, "en": {"type": "string"}}},
        "help": {"type": "object"}, "type": {"enum": ["concept", "place", "money", "count", "number", "share", "boolean", "date"]},
        "unit": {"type": "string"}, "minimum": {"type": "number"}, "maximum": {"type": "number"},
        "choices": {"type": "array", "items": {"type": "object", "properties": {"value": {"type": "string"}, "label": {"type": "object"}}}},
        "settles": {"type": "integer", "description": "how many undetermined verdicts wait for this fact"},
        "atStake": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "the stated amounts of those programmes' benefits, per currency"},
    },
}
COMBINATION = {
    "type": "object", "description": "with combine: true, the best combination of money the rules allow",
    "properties": {
        "benefits": {"type": "array", "items": {"type": "object", "properties": {
            "programme": {"type": "string", "format": "uri"}, "benefit": {"type": "string", "format": "uri"},
            "amount": {"type": "string"}, "upTo": {"type": "string"}, "currency": {"type": "string"}, "cap": {"type": "string"}}}},
        "total": {"type": "object", "additionalProperties": {"type": "string"}},
        "constraints": {"type": "array", "items": {"type": "object", "properties": {
            "rule": {"type": "string", "format": "uri"}, "kind": {"enum": ["one-of", "joint-cap", "clawback", "not-with-other-funding"]},
            "statedAs": {"type": ["string", "null"]}, "source": {"type": ["string", "null"]}, "kept": {"type": "string"},
            "dropped": {"type": "array", "items": {"type": "string"}}, "cap": {"type": "string"}, "cutBy": {"type": "string"},
            "atMost": {"type": "string"}}}},
    },
}
SUMMARY = {
    "type": "object",
    "properties": {"eligible": {"type": "integer"}, "notEligible": {"type": "integer"}, "undetermined": {"type": "integer"},
                   "computedBenefit": {"type": "object", "additionalProperties": {"type": "string"},
                                       "description": "fee savings and fixed amounts of the eligible programmes, per currency"}},
}


def _q(name: str, schema: dict[str, Any], text: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": text}


COMPARE_PARAMS = [
    _q("right", {"type": "string"}, "the IP right (concept/ip-right notation: invention-patent, utility-model, design, patent …)", True),
    _q("applicantKind", {"type": "string"}, "the applicant kind (concept/applicant-kind notation: individual, small-enterprise …)", True),
    _q("route", {"type": "string", "default": "domestic"}, "the filing route (domestic, pct-international, pct-national, paris, foreign)"),
    _q("claims", {"type": "integer", "minimum": 1}, "claims of the filing (claim fees beyond the free ones)"),
    _q("pages", {"type": "integer", "minimum": 1}, "pages of the filing (excess-page fees)"),
    _q("countries", {"type": "integer", "minimum": 1, "default": 1}, "countries a foreign filing goes to (subsidies per country)"),
    _q("years", {"type": "integer", "minimum": 0, "maximum": 20, "default": 0}, "years of annual fees to include (1 to years)"),
    _q("status", {"enum": ["filed", "granted"]}, "the filing's status (subsidies paid on filing or on grant)"),
    _q("serviceInvention", {"type": "boolean"}, "a service invention or not (tiers differ)"),
    _q("asOf", {"type": "string", "format": "date"}, "the date the rules are read at, and the filing made (default today)"),
    {"name": "jurisdiction", "in": "query", "style": "form", "explode": True, "schema": {"type": "array", "items": {"type": "string"}},
     "description": "jurisdictions to compare (place slugs: jp, cn, cn-shandong …; repeated or comma-separated); default all"},
    _q("rate", {"type": "number", "exclusiveMinimum": 0}, "a conversion rate: 1 rateFrom = rate rateTo; only with rateFrom, rateTo and rateDate"),
    _q("rateFrom", {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "currency converted from (ISO 4217)"),
    _q("rateTo", {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "currency converted to (ISO 4217)"),
    _q("rateDate", {"type": "string", "format": "date"}, "the date of the rate the caller states"),
    _q("format", format_schema(compare.OFFER), "overrides Accept"),
    _q("table", {"enum": ["costs", "conditions"], "default": "costs"}, "which table the CSV holds"),
]


DATASET_VERSION = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}\\+[0-9a-f]{12}$",
                   "description": "the release the answer comes from: build date + the first 12 hex digits of the sources' SHA-256 "
                                  "(the same value as the X-Dataset-Version header; /download and VoID name its dumps)"}
VERSION_HEADER = {"X-Dataset-Version": {"$ref": "#/components/headers/X-Dataset-Version"}}
CHANGE_KINDS = list(dict.fromkeys([*DATED.values(), "amended", *RELATIONS.values()]))  # what /api/changes can say
SOURCE = {"type": "object", "properties": {
    "locator": {"type": "string", "format": "uri"}, "document": {"type": "string", "format": "uri"}, "title": {"type": "string"},
    "line": {"type": "integer"}, "lineEnd": {"type": "integer"}}}
LABELS = {"type": "object", "properties": {"en": {"type": "string"}, "ja": {"type": "string"}}}
TIMELINE_ENTRY = {
    "type": "object",
    "properties": {
        "date": {"type": "string", "format": "date"}, "datePrecision": {"type": ["string", "null"], "description": "month, year, fiscal-year"},
        "change": {"enum": [*CHANGE_KINDS, "event"], "description": "event: a dated ipkg:Event about a programme or instrument of the scope"},
        "kind": {"type": ["string", "null"], "description": "programme, instrument, condition, benefit, deadline, fee, event"},
        "subject": {"type": "string", "format": "uri"}, "label": LABELS,
        "page": {"type": "string", "description": "the subject's page on this server"},
        "other": {"type": ["string", "null"], "format": "uri", "description": "the successor or the new version"},
        "otherPage": {"type": "string"}, "otherLabel": {"type": ["object", "null"]},
        "values": {"type": "array", "items": {"type": "object", "properties": {
            "what": {"type": "string"}, "from": {"type": ["string", "null"]}, "to": {"type": ["string", "null"]}}}},
        "sources": {"type": "array", "items": SOURCE},
    },
}
SCOPE_VALUE = {"type": "object", "properties": {
    "value": {"type": "string", "description": "the slug to pass as jurisdiction= or theme="}, "iri": {"type": "string", "format": "uri"},
    "label": LABELS, "count": {"type": "integer", "description": "dated entries on its timeline"}}}
CALENDAR_EVENT = {
    "type": "object",
    "properties": {
        "uid": {"type": "string"}, "kind": {"type": "string", "description": "the deadline kind (payment-deadline, grace-period, "
                                                                             "restoration-period, application-period …)"},
        "summary": {"type": "object", "properties": {"en": {"type": "string"}, "ja": {"type": "string"}}},
        "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date", "description": "the last day (inclusive)"},
        "year": {"type": ["integer", "null"], "description": "the patent year, for annual fees"},
        "deadline": {"type": "string", "format": "uri"}, "about": {"type": "string", "format": "uri", "description": "the fee or programme"},
        "amount": {"type": ["object", "null"], "properties": {"value": {"type": "number"}, "currency": {"type": "string"}}},
        "amountNote": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]},
        "sources": {"type": "array", "items": {"type": "object", "properties": {
            "locator": {"type": "string", "format": "uri"}, "document": {"type": "string", "format": "uri"}, "title": {"type": "string"},
            "line": {"type": "integer"}, "lineEnd": {"type": "integer"}}}},
        "description": {"type": "string"},
    },
}


CSL_ITEM = {
    "type": "object", "description": "a CSL-JSON item (citation style language 1.0.2)",
    "properties": {"id": {"type": "string"}, "type": {"const": "dataset"}, "title": {"type": "string"}, "publisher": {"type": "string"},
                   "version": {"type": "string"}, "URL": {"type": "string", "format": "uri"}, "medium": {"type": "string"},
                   "accessed": {"type": "object"}, "issued": {"type": "object"}, "note": {"type": "string"},
                   "custom": {"type": "object", "properties": {"endpoint": {"type": "string"}, "query": {"type": "string"}}}},
    "required": ["id", "type", "title", "version", "URL", "accessed"],
}
CITATION = {
    "type": "object",
    "properties": {"release": {"type": "string"}, "releaseDate": {"type": ["string", "null"], "format": "date"},
                   "endpoint": {"type": "string", "format": "uri"}, "query": {"type": "string"},
                   "shareUrl": {"type": "string", "format": "uri", "description": "the query page with the query and the release in its fragment"},
                   "accessed": {"type": "string", "format": "date"}, "text": {"type": "string"}, "bibtex": {"type": "string"},
                   "csl": CSL_ITEM},
    "required": ["release", "endpoint", "query", "shareUrl", "accessed", "text", "bibtex", "csl"],
}
RELEASES = {
    "type": "object",
    "properties": {
        "current": {"type": "object", "properties": {
            "version": DATASET_VERSION, "date": {"type": ["string", "null"], "format": "date"}, "sourcesDigest": {"type": ["string", "null"]},
            "modelVersion": {"type": ["string", "null"]}, "triples": {"type": "integer"},
            "graphs": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string", "format": "uri"}, "triples": {"type": "integer"}, "version": {"type": "string"},
                "dumps": {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}}}},
            "dumps": {"type": "array", "items": {"type": "object", "properties": {
                "file": {"type": "string"}, "name": {"type": "string"}, "bytes": {"type": "integer"}, "sha256": {"type": "string"},
                "url": {"type": "string", "format": "uri"}, "alias": {"type": "string", "format": "uri"}}}},
            "checksums": {"type": "string", "format": "uri"}, "tools": {"type": "object", "additionalProperties": {"type": "string"}},
            "buildActivity": {"type": ["string", "null"], "format": "uri"}, "void": {"type": "string", "format": "uri"}}},
        "modelVersion": {"type": ["string", "null"]},
        "entries": {"type": "array", "items": {"type": "object", "properties": {
            "version": {"type": "string"}, "date": {"type": "string", "format": "date"}, "title": {"type": "string"},
            "note": {"type": ["string", "null"]}, "anchor": {"type": "string"},
            "changes": {"type": "array", "items": {"type": "object", "properties": {
                "title": {"type": "string"}, "before": {"type": "array", "items": {"type": "string"}},
                "after": {"type": "array", "items": {"type": "string"}}, "blocks": {"type": "array", "items": {"type": "object"}}}}}}}},
        "duplicateVersions": {"type": "array", "items": {"type": "string"}, "description": "versions two entries of the CHANGELOG give"},
    },
    "required": ["current", "entries"],
}


def _with_version(paths: dict[str, Any]) -> dict[str, Any]:
    """Every response names the release in X-Dataset-Version; every JSON object answer also in datasetVersion."""
    paths = copy.deepcopy(paths)  # the schemas above are shared between operations
    for operations in paths.values():
        for operation in operations.values():
            for response in operation["responses"].values():
                response.setdefault("headers", {}).update(VERSION_HEADER)
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema and schema.get("type") == "object" and "properties" in schema:
                    schema["properties"]["datasetVersion"] = DATASET_VERSION
    return paths


SEARCH_ANSWER = {
    "type": "object",
    "properties": {
        "q": {"type": "string"}, "terms": {"type": "array", "items": {"type": "string"}}, "total": {"type": "integer"},
        "filters": {"type": "object"}, "inForceOn": {"type": ["string", "null"]}, "lang": {"type": "string"},
        "limit": {"type": "integer"}, "offset": {"type": "integer"},
        "hits": {"type": "array", "items": {"type": "object", "properties": {
            "iri": {"type": "string", "format": "uri"}, "href": {"type": "string", "description": "the local page"},
            "kind": {"type": "string"}, "kindLabel": {"type": "string"},
            "label": {"type": "string", "description": "in the asked language, else English, Japanese, Chinese"},
            "labelHtml": {"type": "string", "description": "the label as HTML, each occurrence of a term in <mark>"},
            "snippet": {"type": "string", "description": "HTML: the matching text escaped, each occurrence in <mark>"},
            "score": {"type": "number", "description": "bm25, higher is better"}}}},
        "facets": {"type": "object", "description": "per facet, each value with its count of hits",
                   "additionalProperties": {"type": "array", "items": {"type": "object", "properties": {
                       "value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}}}},
    },
    "required": ["q", "total", "hits", "facets"],
}


def document(server: str, profile_schema: dict[str, Any]) -> dict[str, Any]:
    schema = {k: v for k, v in profile_schema.items() if k != "$schema"}
    sparql_params = [
        {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "SPARQL 1.1 query"},
        {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "format", "in": "query", "schema": format_schema(*formats.OFFERS.values()),
         "description": "overrides Accept; the query form decides what a name means (json: SPARQL JSON results, or JSON-LD)"},
        {"name": "asOf", "in": "query", "schema": {"type": "string", "format": "date"},
         "description": "a date bound as the query's ?asOf (an xsd:date constant); a query without ?asOf is refused (400)"},
    ]
    errors = {code: {"description": text, "content": {"text/plain": {"schema": {"type": "string"}}}} for code, text in
              (("400", "malformed or refused query"), ("403", "update refused (read-only)"), ("406", "no acceptable format"),
               ("408", "the request body did not arrive within IPKG_BODY_TIMEOUT (ipkg serve)"),
               ("413", "query or request body too long, or too many form fields"), ("415", "unsupported content type"),
               ("503", "query stopped at the deadline, every worker of its lane busy, or a remote store unreachable: try again after Retry-After"))}
    retry_after = {"Retry-After": {"description": "seconds to wait before asking again", "schema": {"type": "integer"}}}
    errors["503"]["headers"] = retry_after
    return {
        "openapi": "3.1.0",
        "info": {"title": "ipkg: IP-policy knowledge graph API", "version": "1.0.0",
                 "description": "SPARQL 1.1 endpoint and eligibility engine over the ipkg knowledge graph."},
        "servers": [{"url": server}],
        "components": {"headers": {"X-Dataset-Version": {"description": "the release every answer comes from",
                                                          "schema": DATASET_VERSION}}},
        "paths": _with_version({
            "/api/calendar": {"get": {
                "summary": "A filing's deadline calendar: fee due dates by patent year, surcharge and restoration windows, examination "
                           "and registration deadlines, funding application windows; each with its amount and source lines",
                "parameters": [
                    {"name": "filingDate", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
                    {"name": "grantDate", "in": "query", "schema": {"type": "string", "format": "date"},
                     "description": "without it, annual fees (due from the year after the grant) are not dated"},
                    {"name": "right", "in": "query", "required": True, "schema": {"enum": ["invention-patent", "utility-model", "design"]}},
                    {"name": "office", "in": "query", "required": True, "schema": {"type": "string"}, "description": "country code, e.g. CN"},
                    {"name": "region", "in": "query", "schema": {"type": "string"}, "description": "a place slug (cn-guangxi): only its funding windows"},
                    {"name": "format", "in": "query", "schema": format_schema(calendar.OFFER), "description": "overrides Accept"},
                    {"name": "lang", "in": "query", "schema": {"enum": ["en", "ja"]}, "description": "the iCalendar summaries' language"}],
                "responses": {
                    "200": {"description": "the calendar", "content": {
                        "application/json": {"schema": {"type": "object", "properties": {
                            "request": {"type": "object"}, "events": {"type": "array", "items": CALENDAR_EVENT},
                            "undated": {"type": "array", "description": "deadlines counted from events the request does not give",
                                        "items": {"type": "object"}},
                            "notes": {"type": "array", "items": {"type": "string"}}}}},
                        "text/calendar": {"schema": {"type": "string", "description": "RFC 5545: one all-day VEVENT per event"}}}},
                    "400": {"description": "bad parameter", "content": {"application/json": {"schema": PROBLEM}}},
                    "406": {"description": "neither JSON nor iCalendar acceptable", "content": {"application/json": {"schema": PROBLEM}}},
                }}},
            "/api/changes": {"get": {
                "summary": "What started, ended, was amended, merged, succeeded or replaced between two dates, each change cited",
                "parameters": [{"name": "from", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
                               {"name": "to", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}}],
                "responses": {
                    "200": {"description": "the changes in date order", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {
                            "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
                            "changes": {"type": "array", "items": {"type": "object", "properties": {
                                "date": {"type": "string", "format": "date"},
                                "change": {"enum": CHANGE_KINDS},
                                "subject": {"type": "string", "format": "uri"}, "other": {"type": ["string", "null"], "format": "uri",
                                                                                          "description": "the successor or the new version"},
                                "values": {"type": "array", "items": {"type": "object", "properties": {
                                    "what": {"type": "string"}, "from": {"type": ["string", "null"]}, "to": {"type": ["string", "null"]}}}},
                                "sources": {"type": "array", "items": {"type": "object"}}}}},
                            "undated": {"type": "array", "description": "reorganisations the graph gives no date for", "items": {"type": "object"}}}}}}},
                    "400": {"description": "bad date range", "content": {"application/json": {"schema": PROBLEM}}},
                }}},
            "/api/cite": {op: {
                "summary": "The citation of a query's results: the release, the endpoint, the query and its share link "
                           "(/sparql#query=…&release=…) and the access date, as JSON (all renderings), CSL-JSON, BibTeX or text",
                "description": "Accept (or format=) chooses: application/json (default), application/vnd.citationstyles.csl+json "
                               "(a one-item CSL-JSON array), application/x-bibtex, text/x-bibliography; the types DOI resolvers "
                               "negotiate. The query is checked as /sparql checks it, not run.",
                "parameters": [{"name": "query", "in": "query", "required": True, "schema": {"type": "string"},
                                "description": "the SPARQL query whose results are cited (or a form field, by POST)"},
                               {"name": "accessed", "in": "query", "schema": {"type": "string", "format": "date"},
                                "description": "the day the query was run (default: today, UTC)"},
                               {"name": "release", "in": "query", "schema": DATASET_VERSION,
                                "description": "the release the results came from; another than the one served is 404"},
                               {"name": "lang", "in": "query", "schema": {"enum": ["en", "ja"], "default": "en"}, "description": "the title's language"},
                               {"name": "format", "in": "query", "schema": format_schema(releases.CITATION), "description": "overrides Accept"}],
                "responses": {
                    "200": {"description": "the citation", "content": {
                        "application/json": {"schema": CITATION},
                        "application/vnd.citationstyles.csl+json": {"schema": {"type": "array", "items": CSL_ITEM}},
                        "application/x-bibtex": {"schema": {"type": "string"}}, "text/x-bibliography": {"schema": {"type": "string"}}}},
                    "400": {"description": "no query, several, or one /sparql refuses; a bad accessed date",
                            "content": {"application/json": {"schema": PROBLEM}}},
                    "404": {"description": "release names another release than the one served", "content": {"application/json": {"schema": PROBLEM}}},
                    "406": {"description": "no acceptable rendering", "content": {"application/json": {"schema": PROBLEM}}},
                }} for op in ("get", "post")},
            "/api/timeline": {"get": {
                "summary": "A jurisdiction's or a theme's dated changes and events in date order, each cited and linked to its page; "
                           "without either parameter, the jurisdictions and themes that have a timeline",
                "parameters": [{"name": "jurisdiction", "in": "query", "schema": {"type": "string"},
                                "description": "a place's slug (cn, cn-jilin, jp); its parts' changes are included"},
                               {"name": "theme", "in": "query", "schema": {"type": "string"},
                                "description": "an IP right's slug (trademark, patent-cn, design); with jurisdiction, both must hold"},
                               {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"},
                                "description": "the first date shown (YYYY-MM-DD, included); a malformed date or one after `to` is a 400"},
                               {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"},
                                "description": "the last date shown (YYYY-MM-DD, included)"}],
                "responses": {
                    "200": {"description": "the timeline, or the values that have one", "content": {"application/json": {"schema": {"oneOf": [
                        {"type": "object", "properties": {
                            "scope": {"type": "object", "description": "each parameter given: its value and the value's labels"},
                            "events": {"type": "array", "items": TIMELINE_ENTRY},
                            "undated": {"type": "array", "description": "reorganisations the graph gives no date for", "items": {"type": "object"}},
                            "datasetVersion": DATASET_VERSION}},
                        {"type": "object", "properties": {
                            "jurisdictions": {"type": "array", "items": SCOPE_VALUE}, "themes": {"type": "array", "items": SCOPE_VALUE},
                            "datasetVersion": DATASET_VERSION}}]}}}},
                    "400": {"description": "unknown or repeated parameter, or a value that is not a slug", "content": {"application/json": {"schema": PROBLEM}}},
                    "404": {"description": "a jurisdiction or theme of which the graph dates nothing; the message lists those it has",
                            "content": {"application/json": {"schema": PROBLEM}}},
                }}},
            "/api/eligibility": {"post": {
                "summary": "Evaluate an applicant profile against every programme",
                "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
                "responses": {
                    "200": {"description": "one verdict per programme, eligible first, then by the money they bring",
                            "content": {"application/json": {"schema": {
                                "type": "object", "properties": {
                                    "asOf": {"type": "string", "format": "date"}, "summary": SUMMARY,
                                    "verdicts": {"type": "array", "items": VERDICT},
                                    "nextQuestion": {"type": ["string", "null"], "description": "the field next-question would ask"},
                                    "noneEligible": {"type": "object", "description": "onlyEligible found nothing: why, and the facts that would decide"},
                                    "combination": COMBINATION}}}}},
                    "400": {"description": "invalid profile", "content": {"application/json": {"schema": PROBLEM}}},
                    "415": {"description": "not JSON", "content": {"application/json": {"schema": PROBLEM}}},
                }}},
            "/api/eligibility/next-question": {"post": {
                "summary": "The next question worth asking an applicant, given a (partial) profile",
                "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
                "responses": {
                    "200": {"description": "the question, or null", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"question": QUESTION}}}}},
                    "400": {"description": "invalid profile", "content": {"application/json": {"schema": PROBLEM}}},
                    "415": {"description": "not JSON", "content": {"application/json": {"schema": PROBLEM}}},
                }}},
            "/api/eligibility/schema.json": {"get": {"summary": "JSON Schema of a profile",
                                                     "responses": {"200": {"description": "the schema"}}}},
            "/api/queries": {"get": {"summary": "The query catalogue: names, titles, descriptions, parameters",
                                     "responses": {"200": {"description": "the catalogue", "content": {"application/json": {"schema": {
                                         "type": "object", "properties": {"queries": {"type": "array", "items": {"type": "object"}}}}}}}}}},
            "/api/queries/{name}": {"get": {
                "summary": "Run a catalogue query; its parameters are query-string arguments, bound as RDF terms",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                               {"name": "format", "in": "query", "schema": format_schema(CATALOG_ANSWERS)},
                               {"name": "asOf", "in": "query", "schema": {"type": "string", "format": "date"},
                                "description": "the date of a dated query (its one date parameter: the catalogue's `asOf` field names it); "
                                               "refused (400) by a query that is not dated"}],
                "responses": {"200": {"description": "SPARQL results", "content": {"application/sparql-results+json": {}, "text/csv": {}}},
                              "400": {"description": "bad parameter", "content": {"application/json": {"schema": PROBLEM}}},
                              "404": {"description": "no such query", "content": {"application/json": {"schema": PROBLEM}}},
                              "503": {"description": "stopped at the deadline, or every query worker busy", "headers": retry_after,
                                      "content": {"application/json": {"schema": PROBLEM}}}}}},
            "/api/compare": {"get": {
                "summary": "One filing compared across every jurisdiction the graph covers: official fees, reductions, subsidies, "
                           "rewards and net cost (each figure cited, each amount in its own currency), and the conditions kind by kind",
                "parameters": COMPARE_PARAMS,
                "responses": {"200": {"description": "the comparison (JSON), or one table of it (CSV)", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "filing": {"type": "object"}, "conversion": {"type": ["object", "null"]},
                        "jurisdictions": {"type": "array", "items": {"type": "object", "properties": {
                            "key": {"type": "string"}, "place": {"type": "string", "format": "uri"}, "layers": {"type": "array"},
                            "fees": {"type": "object"}, "reductions": {"type": "array"}, "subsidies": {"type": "array"},
                            "rewards": {"type": "array"}, "netCost": {"type": "object"}}}},
                        "conditions": {"type": "object"}}}},
                    "text/csv": {"schema": {"type": "string"}}}},
                              "400": {"description": "invalid filing or parameters (every problem listed)",
                                      "content": {"application/json": {"schema": PROBLEM}}},
                              "406": {"description": "no acceptable format", "content": {"application/json": {"schema": PROBLEM}}}}}},
            "/api/terms": {"get": {
                "summary": "The graph's classes, properties and prefixes (the query editor's autocompletion)",
                "responses": {"200": {"description": "the terms", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "prefixes": {"type": "object", "additionalProperties": {"type": "string"}},
                    "classes": {"type": "array", "items": {"type": "string", "format": "uri"}},
                    "properties": {"type": "array", "items": {"type": "string", "format": "uri"}}}}}}}}}},
            "/api/releases": {"get": {
                "summary": "The release this server holds (version, build date, content hash, triples, named graphs with their "
                           "versions, dumps with SHA-256, the build's software) and the release notes from ontology/CHANGELOG.md "
                           "(the HTML page: /releases)",
                "responses": {"200": {"description": "the release and its notes", "content": {"application/json": {"schema": RELEASES}}}}}},
            "/api/search": {"get": {
                "summary": "Full-text search in Japanese, Chinese and English over names, titles, abstracts, descriptions and "
                           "the sources' wording; facet counts over all hits",
                "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 200},
                                "description": "words, CJK characters (one or more) or \"a phrase\"; every term must occur"},
                               *({"name": name, "in": "query", "schema": {"type": "string"},
                                  "description": "a facet value's slug, as the facet counts list them"} for name in SEARCH_FILTERS),
                               {"name": "inForceOn", "in": "query", "schema": {"type": "string", "format": "date"},
                                "description": "leave out what had not yet started or had ended by then (resources without dates stay)"},
                               {"name": "asOf", "in": "query", "schema": {"type": "string", "format": "date"},
                                "description": "the same as inForceOn, by the name the other answers use"},
                               {"name": "lang", "in": "query", "schema": {"enum": ["ja", "en", "zh"], "default": "en"}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
                               {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0}}],
                "responses": {"200": {"description": "hits, best first, and the count of hits per facet value",
                                      "content": {"application/json": {"schema": SEARCH_ANSWER}}},
                              "400": {"description": "bad or missing parameter", "content": {"application/json": {"schema": PROBLEM}}}}}},
            "/sparql": {
                "get": {"summary": "SPARQL 1.1 Protocol query (no query: service description or query page)",
                        "parameters": sparql_params,
                        "responses": {"200": {"description": "results in the negotiated format"}, **errors}},
                "post": {"summary": "SPARQL 1.1 Protocol query by POST",
                         "requestBody": {"content": {"application/sparql-query": {"schema": {"type": "string"}},
                                                     "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}}}},
                         "responses": {"200": {"description": "results in the negotiated format"}, **errors}},
            },
        }),
    }
