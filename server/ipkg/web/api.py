"""JSON API: POST /api/eligibility (profile in, cited verdicts out) and the OpenAPI document describing it."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from ..eligibility import Engine, ProfileError, Rulebook
from ..eligibility.profile import json_schema, parse
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


@bp.post("/api/eligibility")
def eligibility() -> Response:
    if request.mimetype != "application/json":
        return problem(415, "Unsupported Media Type", [f"send the profile as application/json, not {request.mimetype or '(none)'}"])
    body = request.get_json(silent=True)
    if body is None:
        return problem(400, "Malformed JSON", ["the request body is not valid JSON"])
    try:
        profile = parse(body, engine().rules)
    except ProfileError as exc:
        return problem(400, "Invalid profile", exc.problems)
    return jsonify(engine().evaluate(profile))


@bp.get("/api/eligibility/schema.json")
def profile_schema() -> Response:
    return jsonify(json_schema())


@bp.get("/api/openapi.json")
def openapi() -> Response:
    return jsonify(document(request.host_url.rstrip("/")))
