"""/def/: the ontology documentation pages written by the build (dist/def/), served as they are.

Only the pages themselves live here (/def/, /def/index.html, /def/schemes.html); the single-term
IRIs /def/{Term} belong to the resource blueprint and its content negotiation, so this blueprint
must not claim any other path under /def/.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory
from werkzeug.exceptions import NotFound

bp = Blueprint("docs", __name__)

PAGES = ("index.html", "schemes.html")


def _page(name: str) -> Response:
    """A built page, or a 404 that says how to make it (the docs exist only after `ipkg build`)."""
    folder = current_app.extensions["ipkg"]["settings"].dist_path / "def"
    if not (folder / name).is_file():
        raise NotFound(f"the ontology documentation has not been built yet ({folder / name} is missing); run `ipkg build`")
    response = send_from_directory(folder, name, mimetype="text/html", max_age=300)
    response.charset = "utf-8"
    return response


@bp.get("/def/")
@bp.get("/def/index.html")
def ontology() -> Response:
    return _page("index.html")


@bp.get("/def/schemes.html")
def schemes() -> Response:
    return _page("schemes.html")
