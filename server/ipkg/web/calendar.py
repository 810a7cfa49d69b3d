"""GET /api/calendar: a filing's deadline calendar (ipkg.calendar) as JSON or iCalendar, by Accept or format=."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, request

from .. import release
from ..calendar import CalendarError, build, parse_request, to_ical, to_json
from ..media import ICALENDAR, JSON, Offer
from ..services import Services
from .routing import Route, answer, blueprint

OFFER = Offer("the calendar", (JSON, ICALENDAR))
LANGS = ("en", "ja")


def calendar(services: Services) -> Response:
    media = OFFER.negotiate(request.headers.get("Accept"), request.args.getlist("format"))
    lang = request.args.get("lang", "en")
    if lang not in LANGS:
        raise CalendarError([f"lang must be en or ja, not {lang!r}"])
    cal = build(services.store, parse_request(request.args.to_dict(), services.store))
    if media is ICALENDAR:
        stamp = release.build_record(services.settings.dist_path).get("date")
        body = to_ical(cal, services.version, dt.date.fromisoformat(stamp) if stamp else None, lang)
        response = Response(body, mimetype=ICALENDAR.media)
        response.headers["Content-Disposition"] = f'attachment; filename="ipkg-deadlines-{cal.request.filing}.ics"'
    else:
        response = answer(services, to_json(cal))
    response.vary.add("Accept")
    return response


ROUTES = [Route("/api/calendar", calendar)]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("calendar", __name__, ROUTES, services)
