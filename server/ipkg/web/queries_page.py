"""/queries: the query catalogue as HTML pages (description, parameter form, result table, downloads,
chart) that work without JavaScript; and /api/terms, the graph's own classes, properties and prefixes
that the /sparql editor's autocompleters read instead of asking prefix.cc or LOV.

Results are shown with IRIs shortened by the query's own PREFIX and BASE declarations (then the
project's prefixes) and linked to their local pages (same origin), never to w3id.org.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request

from .. import catalog
from ..bind import BindError, substitute
from ..errors import IpkgError
from ..namespaces import PREFIXES, local_path
from ..services import Services
from . import assets
from .routing import Route, blueprint

_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
_BASE = re.compile(r"^\s*BASE\s+<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def declared(text: str) -> tuple[dict[str, str], str | None]:
    """The prefixes and the base IRI a query declares (its own words come first when shortening)."""
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(text)}
    base = _BASE.search(text)
    return prefixes, base.group(1) if base else None


def shorten(iri: str, prefixes: dict[str, str], base: str | None) -> str:
    """`ipkg:Programme` for a prefixed term, `<fee/cn-x>` for an IRI under the query's BASE, else `<iri>`."""
    best = max(((p, ns) for p, ns in {**PREFIXES, **prefixes}.items() if ns and iri.startswith(ns)
                and re.fullmatch(r"[\w.-]*", iri[len(ns):])), key=lambda pn: len(pn[1]), default=None)
    if best is not None:
        return f"{best[0]}:{iri[len(best[1]):]}"
    if base and iri.startswith(base) and len(iri) > len(base):
        return f"<{iri[len(base):]}>"
    return f"<{iri}>"


def grouped(queries: list[catalog.CatalogQuery]) -> OrderedDict[str, OrderedDict[str, list[catalog.CatalogQuery]]]:
    """Family → theme → queries, families in the order of catalog.FAMILIES, 'across the sources' last."""
    order = list(catalog.FAMILIES.values()) + [catalog.ACROSS]
    out: OrderedDict[str, OrderedDict[str, list[catalog.CatalogQuery]]] = OrderedDict((f, OrderedDict()) for f in order)
    for q in sorted(queries, key=lambda q: (q.theme, q.title)):
        out[q.family].setdefault(q.theme, []).append(q)
    return OrderedDict((f, t) for f, t in out.items() if t)


def index(services: Services) -> Response:
    """Every catalogue query, grouped by source family and theme; ?q= filters by title and description."""
    wanted = (request.args.get("q") or "").strip()
    queries = [q for q in services.catalog.values()
               if not wanted or wanted.casefold() in (q.title + " " + q.description + " " + q.name).casefold()]
    html = render_template("queries.html", groups=grouped(queries), q=wanted, count=len(queries), total=len(services.catalog))
    return Response(html, mimetype="text/html")


def _cell(term: dict[str, Any] | None, prefixes: dict[str, str], base: str | None, site_base: str) -> dict[str, Any]:
    if term is None:
        return {"text": ""}
    if term["type"] == "uri":
        return {"text": shorten(term["value"], prefixes, base), "href": local_path(term["value"], site_base), "iri": term["value"]}
    return {"text": term["value"], "lang": term.get("xml:lang"), "datatype": term.get("datatype")}


def one(services: Services, name: str) -> Response:
    """One catalogue query: its description and form; with `run` (the form's button) the server runs it and
    renders the table, so the page works without JavaScript; the URL is the share link."""
    q = services.catalog.get(name)
    if q is None:
        return Response(render_template("query_one.html", q=None, problems=[f"no catalogue query named {name!r}"]),
                        status=404, mimetype="text/html")
    values = {p.name: request.args.get(p.name, p.default or "") for p in q.parameters}
    given = {k: v for k, v in request.args.items() if k != "run"}
    problems: list[str] = []
    result: dict[str, Any] | None = None
    truncated = False
    if "run" in request.args:
        try:
            text = substitute(q.text, q.bindings(given))
            service = services.sparql
            checked = service.check(text)
            answer = service.execute_serialized(checked, "application/sparql-results+json")
            result = json.loads(answer.body)
            truncated = bool(answer.truncated)
        except (catalog.CatalogError, BindError) as exc:  # a parameter the form gave wrongly
            problems.append(str(exc))
        except IpkgError as exc:  # refused, stopped or unavailable: said on the page beside the form
            problems.append(f"the query was refused: {exc}")
    rows, variables = [], []
    if result is not None and "results" in result:
        prefixes, base = declared(q.text)
        variables = result["head"]["vars"]
        rows = [[_cell(b.get(v), prefixes, base, services.settings.base) for v in variables] for b in result["results"]["bindings"]]
    params = urlencode({k: v for k, v in values.items() if v != ""})
    html = render_template("query_one.html", q=q, values=values, problems=problems, ran=result is not None, variables=variables,
                           rows=rows, truncated=truncated, params=params, chart=assets.extra_available(assets.CHART),
                           result=result)
    return Response(html, status=400 if problems else 200, mimetype="text/html")


def terms(services: Services) -> Response:
    """The classes and properties the graph uses (with their English labels where it has them) and the
    prefixes it is written with: the editor's autocompletion, served from here so nothing is fetched elsewhere.
    Computed once per app: the store is a snapshot."""
    response = jsonify({"prefixes": {**PREFIXES, "id": services.settings.ids}, **services.terms})
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


ROUTES = [Route("/queries", index), Route("/queries/<name>", one), Route("/api/terms", terms)]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("queries_page", __name__, ROUTES, services)
