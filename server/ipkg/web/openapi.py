"""The OpenAPI 3.1 document of the service's HTTP API, built from the same schemas the handlers use."""

from __future__ import annotations

from typing import Any

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


def document(server: str, profile_schema: dict[str, Any]) -> dict[str, Any]:
    schema = {k: v for k, v in profile_schema.items() if k != "$schema"}
    sparql_params = [
        {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "SPARQL 1.1 query"},
        {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "format", "in": "query", "schema": {"enum": ["json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"]}},
    ]
    errors = {code: {"description": text, "content": {"text/plain": {"schema": {"type": "string"}}}} for code, text in
              (("400", "malformed or refused query"), ("403", "update refused (read-only)"), ("406", "no acceptable format"),
               ("408", "the request body did not arrive within IPKG_BODY_TIMEOUT (ipkg serve)"),
               ("413", "query or request body too long, or too many form fields"), ("415", "unsupported content type"),
               ("503", "query stopped at the deadline, or every worker of its lane busy: try again after Retry-After"))}
    retry_after = {"Retry-After": {"description": "seconds to wait before asking again", "schema": {"type": "integer"}}}
    errors["503"]["headers"] = retry_after
    return {
        "openapi": "3.1.0",
        "info": {"title": "ipkg: IP-policy knowledge graph API", "version": "1.0.0",
                 "description": "SPARQL 1.1 endpoint and eligibility engine over the ipkg knowledge graph."},
        "servers": [{"url": server}],
        "paths": {
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
                                     "responses": {"200": {"description": "the catalogue", "content": {"application/json": {}}}}}},
            "/api/queries/{name}": {"get": {
                "summary": "Run a catalogue query; its parameters are query-string arguments, bound as RDF terms",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                               {"name": "format", "in": "query", "schema": {"enum": ["json", "csv"]}}],
                "responses": {"200": {"description": "SPARQL results", "content": {"application/sparql-results+json": {}, "text/csv": {}}},
                              "400": {"description": "bad parameter", "content": {"application/json": {"schema": PROBLEM}}},
                              "404": {"description": "no such query", "content": {"application/json": {"schema": PROBLEM}}},
                              "503": {"description": "stopped at the deadline, or every query worker busy", "headers": retry_after,
                                      "content": {"application/json": {"schema": PROBLEM}}}}}},
            "/sparql": {
                "get": {"summary": "SPARQL 1.1 Protocol query (no query: service description or query page)",
                        "parameters": sparql_params,
                        "responses": {"200": {"description": "results in the negotiated format"}, **errors}},
                "post": {"summary": "SPARQL 1.1 Protocol query by POST",
                         "requestBody": {"content": {"application/sparql-query": {"schema": {"type": "string"}},
                                                     "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}}}},
                         "responses": {"200": {"description": "results in the negotiated format"}, **errors}},
            },
        },
    }
