"""Blueprints from route tables: each surface lists its routes as data, and the app factory hands
the one `Services` object to every view (`partial`), so no view looks its dependencies up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import Blueprint, Response, jsonify, request

from ..services import Services


@dataclass(frozen=True)
class Route:
    rule: str
    view: Callable[..., Any]  # called as view(services, **url_variables)
    methods: tuple[str, ...] = ("GET",)
    endpoint: str | None = None  # default: the view's name


PAGE_LANGS = ("ja", "en")  # the languages of the site's pages


def page_lang() -> str:
    """A page's language: ?lang= (or the form's lang) when it is one of PAGE_LANGS, else the browser's
    Accept-Language, else English. Every page chooses the same way."""
    chosen = request.values.get("lang")
    if chosen in PAGE_LANGS:
        return chosen
    return request.accept_languages.best_match(PAGE_LANGS) or "en"


def answer(services: Services, payload: dict[str, Any]) -> Response:
    """A JSON answer naming the release it came from, so that a saved answer says what data it reflects."""
    return jsonify({**payload, "datasetVersion": services.version})


def blueprint(name: str, import_name: str, routes: Sequence[Route], services: Services) -> Blueprint:
    bp = Blueprint(name, import_name)
    bound: dict[Callable[..., Any], Callable[..., Any]] = {}  # one view function per endpoint, as Flask requires
    for route in routes:
        view = bound.setdefault(route.view, partial(route.view, services))
        bp.add_url_rule(route.rule, route.endpoint or route.view.__name__, view, methods=list(route.methods))
    return bp
