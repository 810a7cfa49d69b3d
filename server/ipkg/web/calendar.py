"""GET /api/calendar: a filing's deadline calendar (ipkg.calendar) as JSON or iCalendar, by Accept or format=."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, request

from .. import release
from ..calendar import CalendarError, build, parse_request, to_ical, to_json
from .api import answer, problem

bp = Blueprint("calendar", __name__)

FORMATS = {"json": "application/json", "ics": "text/calendar", "ical": "text/calendar"}
LANGS = ("en", "ja")


def _media() -> str | None:
    """The representation asked for: format= (json, ics), else Accept; JSON when the client does not say."""
    if fmt := request.args.get("format"):
        return FORMATS.get(fmt.lower(), "")
    if not request.headers.get("Accept"):
        return "application/json"
    return request.accept_mimetypes.best_match(["application/json", "text/calendar"])


@bp.get("/api/calendar")
def calendar() -> Response:
    media = _media()
    if media == "":
        return problem(400, "Bad parameter", [f"format must be json or ics, not {request.args.get('format')!r}"])
    if media is None:
        return problem(406, "Not Acceptable", ["this route answers application/json or text/calendar (format=json|ics)"])
    lang = request.args.get("lang", "en")
    state = current_app.extensions["ipkg"]
    try:
        if lang not in LANGS:
            raise CalendarError([f"lang must be en or ja, not {lang!r}"])
        cal = build(state["store"], parse_request(request.args.to_dict(), state["store"]))
    except CalendarError as exc:
        return problem(400, "Bad calendar request", exc.problems)
    if media == "text/calendar":
        stamp = release.build_record(state["settings"].dist_path).get("date")
        body = to_ical(cal, state["version"], dt.date.fromisoformat(stamp) if stamp else None, lang)
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'attachment; filename="ipkg-deadlines-{cal.request.filing}.ics"'
    else:
        response = answer(to_json(cal))
    response.vary.add("Accept")
    return response
