"""/def/: the ontology documentation pages written by the build (dist/def/), served as they are.

Only the pages themselves live here (/def/, /def/index.html, /def/schemes.html); the single-term
IRIs /def/{Term} belong to the resource blueprint and its content negotiation, so this blueprint
must not claim any other path under /def/.
"""

from __future__ import annotations

from flask import Blueprint, Response, send_from_directory

from ..errors import NotFound
from ..services import Services
from .routing import Route, blueprint

PAGES = ("index.html", "schemes.html")


def _page(services: Services, name: str) -> Response:
    """A built page, or a 404 that says how to make it (the docs exist only after `ipkg build`)."""
    folder = services.settings.dist_path / "def"
    if not (folder / name).is_file():
        raise NotFound(f"the ontology documentation has not been built yet ({folder / name} is missing); run `ipkg build`")
    # werkzeug gives a text/* mimetype "; charset=utf-8" itself (the pages are written in UTF-8)
    return send_from_directory(folder, name, mimetype="text/html", max_age=300)


def ontology(services: Services) -> Response:
    return _page(services, "index.html")


def schemes(services: Services) -> Response:
    return _page(services, "schemes.html")


ROUTES = [Route("/def/", ontology), Route("/def/index.html", ontology), Route("/def/schemes.html", schemes)]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("docs", __name__, ROUTES, services)
