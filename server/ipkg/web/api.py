"""JSON API: POST /api/eligibility (profile in, cited verdicts out) and the OpenAPI document describing it."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from .. import catalog
from ..eligibility import Engine, ProfileError, Rulebook, advice
from ..eligibility.profile import Profile, json_schema, parse
from ..sparql.bind import BindError, substitute
from ..sparql.gate import Refused
from .openapi import document

bp = Blueprint("api", __name__)


def engine() -> Engine:
    """The engine, compiled from the store on first use and kept for the life of the app."""
    state = current_app.extensions["ipkg"]
    if "engine" not in state:
        state["engine"] = Engine(Rulebook(state["store"]))
    return state["engine"]


def problem(status: int, title: str, problems: list[str]) -> Response:
    response = jsonify({"status": status, "title": title, "problems": problems})
    response.status_code = status
    return response


def _profile() -> Profile | Response:
    """The request's profile, or the problem response that says why there is none."""
    if request.mimetype != "application/json":
        return problem(415, "Unsupported Media Type", [f"send the profile as application/json, not {request.mimetype or '(none)'}"])
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # not a ValueError, so `silent` lets it through; a profile is three levels deep
        return problem(400, "Malformed JSON", ["the request body nests JSON arrays or objects too deeply to be a profile"])
    if body is None:
        return problem(400, "Malformed JSON", ["the request body is not valid JSON"])
    try:
        return parse(body, engine().rules)
    except ProfileError as exc:
        return problem(400, "Invalid profile", exc.problems)


@bp.post("/api/eligibility")
def eligibility() -> Response:
    profile = _profile()
    return profile if isinstance(profile, Response) else jsonify(advice.answer(engine(), profile))


@bp.post("/api/eligibility/next-question")
def next_question() -> Response:
    """The unknown fact that settles the most undetermined verdicts (null when none is left to ask)."""
    profile = _profile()
    return profile if isinstance(profile, Response) else jsonify({"question": advice.next_question(engine(), profile)})


@bp.get("/api/eligibility/schema.json")
def profile_schema() -> Response:
    return jsonify(json_schema(engine().rules))


@bp.get("/api/openapi.json")
def openapi() -> Response:
    return jsonify(document("/", json_schema(engine().rules)))  # relative: the Host header is the client's to choose


def _catalog() -> dict[str, catalog.CatalogQuery]:
    state = current_app.extensions["ipkg"]
    if "catalog" not in state:
        state["catalog"] = catalog.load(state["settings"].root / "queries")
    return state["catalog"]


def _describe(q: catalog.CatalogQuery) -> dict:
    return {"name": q.name, "title": q.title, "description": q.description, "url": f"/api/queries/{q.name}",
            "parameters": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description} for p in q.parameters],
            "query": q.text, "runnable": q.runnable()}


@bp.get("/api/queries")
def queries() -> Response:
    return jsonify({"queries": [_describe(q) for q in _catalog().values()]})


@bp.get("/api/queries/<name>")
def run_query(name: str) -> Response:
    """Run a catalogue query with its parameters (bound as RDF terms), as SPARQL JSON or CSV."""
    q = _catalog().get(name)
    if q is None:
        return problem(404, "Unknown query", [f"no catalogue query named {name!r}; GET /api/queries lists them"])
    params = {k: v for k, v in request.args.items() if k != "format"}
    try:
        text = substitute(q.text, q.bindings(params))
    except (catalog.CatalogError, BindError) as exc:
        return problem(400, "Bad parameter", [str(exc)])
    fmt = request.args.get("format")
    media = {"csv": "text/csv", "json": "application/sparql-results+json"}.get(fmt or "") if fmt else \
        request.accept_mimetypes.best_match(["application/json", "application/sparql-results+json", "text/csv"],
                                            default="application/sparql-results+json")
    if media is None:
        return problem(406, "Not Acceptable", ["this route answers application/sparql-results+json or text/csv (format=json|csv)"])
    media = "application/sparql-results+json" if media == "application/json" else media
    service = current_app.extensions["ipkg"]["sparql"]
    try:
        checked = service.check(text)
        media = "text/turtle" if checked.kind == "graph" else media
        result = service.execute_serialized(checked, media)
    except Refused as exc:
        refused = problem(exc.status, "Query refused", [str(exc)])
        if exc.retry_after is not None:
            refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    response = Response(result.body, mimetype=media)
    response.headers["X-Query-Lane"] = result.lane
    if result.truncated:
        response.headers["X-Result-Truncated"] = f"max-rows={current_app.extensions['ipkg']['settings'].max_rows}"
    return response
