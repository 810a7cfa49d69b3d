"""GET /api/calendar: a filing's deadline calendar (ipkg.calendar) as JSON or iCalendar, by Accept or format=."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, request

from .. import release
from ..calendar import CalendarError, build, parse_request, to_ical, to_json
from ..errors import InvalidRequest, NotAcceptable
from ..services import Services
from .routing import Route, answer, blueprint

FORMATS = {"json": "application/json", "ics": "text/calendar", "ical": "text/calendar"}
LANGS = ("en", "ja")


def _media() -> str | None:
    """The representation asked for: format= (json, ics), else Accept; JSON when the client does not say."""
    if fmt := request.args.get("format"):
        return FORMATS.get(fmt.lower(), "")
    if not request.headers.get("Accept"):
        return "application/json"
    return request.accept_mimetypes.best_match(["application/json", "text/calendar"])


def calendar(services: Services) -> Response:
    media = _media()
    if media == "":
        raise InvalidRequest(f"format must be json or ics, not {request.args.get('format')!r}")
    if media is None:
        raise NotAcceptable("this route answers application/json or text/calendar (format=json|ics)")
    lang = request.args.get("lang", "en")
    if lang not in LANGS:
        raise CalendarError([f"lang must be en or ja, not {lang!r}"])
    cal = build(services.store, parse_request(request.args.to_dict(), services.store))
    if media == "text/calendar":
        stamp = release.build_record(services.settings.dist_path).get("date")
        body = to_ical(cal, services.version, dt.date.fromisoformat(stamp) if stamp else None, lang)
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'attachment; filename="ipkg-deadlines-{cal.request.filing}.ics"'
    else:
        response = answer(services, to_json(cal))
    response.vary.add("Accept")
    return response


ROUTES = [Route("/api/calendar", calendar)]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("calendar", __name__, ROUTES, services)
