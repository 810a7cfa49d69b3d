"""JSON API: POST /api/eligibility (profile in, cited verdicts out), the query catalogue, and the OpenAPI
document describing them. Errors are raised and answered by the app's one map (errors.py)."""

from __future__ import annotations

from typing import TypedDict

from flask import Blueprint, Response, jsonify, request

from ..bind import substitute
from ..catalog import ANSWERS, CatalogQuery
from ..eligibility import advice
from ..eligibility.profile import Profile, json_schema, parse
from ..errors import InvalidRequest, NotFound, UnsupportedMediaType
from ..media import JSON, TURTLE
from ..services import Services
from .openapi import document
from .routing import Route, answer, blueprint


def _profile(services: Services) -> Profile:
    """The request's profile; raises the error that says why there is none."""
    if request.mimetype != JSON.media:
        raise UnsupportedMediaType(f"send the profile as {JSON.media}, not {request.mimetype or '(none)'}")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # not a ValueError, so `silent` lets it through; a profile is three levels deep
        raise InvalidRequest("the request body nests JSON arrays or objects too deeply to be a profile") from None
    if body is None:
        raise InvalidRequest("the request body is not valid JSON")
    return parse(body, services.engine.rules)


def eligibility(services: Services) -> Response:
    return answer(services, advice.answer(services.engine, _profile(services)))


def next_question(services: Services) -> Response:
    """The unknown fact that settles the most undetermined verdicts (null when none is left to ask)."""
    return answer(services, {"question": advice.next_question(services.engine, _profile(services))})


def profile_schema(services: Services) -> Response:
    return jsonify(json_schema(services.engine.rules))


def openapi(services: Services) -> Response:
    return jsonify(document("/", json_schema(services.engine.rules)))  # relative: the Host header is the client's to choose


class ParameterEntry(TypedDict):
    """One parameter of a catalogue query, as /api/queries lists it."""

    name: str
    type: str  # iri, integer, decimal, date or string (catalog.Parameter.term)
    default: str | None
    description: str


class QueryEntry(TypedDict):
    """One catalogue query, as /api/queries lists it: what it is, where it runs, and its text."""

    name: str
    title: str
    description: str
    url: str
    family: str
    theme: str
    page: str
    parameters: list[ParameterEntry]
    asOf: str | None  # the parameter ?asOf sets (catalog.CatalogQuery.dated_by), None: not dated
    query: str
    runnable: str


def _describe(q: CatalogQuery) -> QueryEntry:
    return {"name": q.name, "title": q.title, "description": q.description, "url": f"/api/queries/{q.name}",
            "family": q.family, "theme": q.theme, "page": f"/queries/{q.name}",
            "parameters": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description} for p in q.parameters],
            "asOf": q.dated_by,
            "query": q.text, "runnable": q.runnable()}


def queries(services: Services) -> Response:
    return answer(services, {"queries": [_describe(q) for q in services.catalog.values()]})




def run_query(services: Services, name: str) -> Response:
    """Run a catalogue query with its parameters (bound as RDF terms), as SPARQL JSON or CSV."""
    q = services.catalog.get(name)
    if q is None:
        raise NotFound(f"no catalogue query named {name!r}; GET /api/queries lists them")
    params = {k: v for k, v in request.args.items() if k != "format"}
    text = substitute(q.text, q.bindings(params))
    asked = ANSWERS.negotiate(request.headers.get("Accept"), request.args.getlist("format"))
    checked = services.sparql.check(text)
    media = (TURTLE if checked.kind == "graph" else asked).media
    result = services.sparql.execute_serialized(checked, media)
    response = Response(result.body, mimetype=media)
    response.headers["X-Query-Lane"] = result.lane
    if result.truncated:
        response.headers["X-Result-Truncated"] = f"max-rows={services.settings.max_rows}"
    return response


ROUTES = [
    Route("/api/eligibility", eligibility, ("POST",)),
    Route("/api/eligibility/next-question", next_question, ("POST",)),
    Route("/api/eligibility/schema.json", profile_schema),
    Route("/api/openapi.json", openapi),
    Route("/api/queries", queries),
    Route("/api/queries/<name>", run_query),
]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("api", __name__, ROUTES, services)
