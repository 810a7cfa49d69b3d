"""GET /api/timeline (JSON) and GET /timeline (HTML, ja/en): a jurisdiction's or a theme's dated changes and events
(ipkg.changes.timeline_of), each cited and linked to its resource page; without either, the values that have one."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from ..changes import RANGE, NoTimeline, TimelineError, available, parse_scope, parse_timeline_range, timeline_json, timeline_of
from ..jsontypes import JSON
from ..namespaces import local_path
from ..services import Services
from .changes import CHANGE_NAMES, KIND_NAMES, VALUE_NAMES
from .changes import UI as CHANGES_UI
from .routing import Route, answer, blueprint, page_lang

UI = {  # the page's words
    "title": {"ja": "年表", "en": "Timeline"},
    "intro": {"ja": "法域(国・省・市)または知的財産権ごとに、法令の採択・施行・改正・失効、制度の開始・終了・統合・承継、要件と金額の改定、"
                    "関連する出来事を日付順に示します。各項目に出典の行と資料のページへのリンクがあります。",
              "en": "For a jurisdiction (a country, province or city) or an IP right: instruments adopted, in force, amended and repealed, "
                    "programmes started, ended, merged and succeeded, new versions of conditions and amounts, and the events about them, "
                    "in date order, each with its source lines and a link to its page."},
    "jurisdiction": {"ja": "法域", "en": "Jurisdiction"}, "theme": {"ja": "テーマ(知的財産権)", "en": "Theme (IP right)"},
    "any": {"ja": "(指定なし)", "en": "(any)"}, "show": {"ja": "表示", "en": "Show"},
    "jurisdictions": {"ja": "年表のある法域", "en": "Jurisdictions with a timeline"},
    "themes": {"ja": "年表のあるテーマ", "en": "Themes with a timeline"},
    "entries": {"ja": "{n}件", "en": "{n} entries"},
    "count": {"ja": "{n}件の日付のある項目", "en": "{n} dated entries"},
    "date": {"ja": "日付", "en": "date"}, "change": {"ja": "変更", "en": "change"}, "what": {"ja": "対象", "en": "what"},
    "sources": {"ja": "出典", "en": "sources"}, "line": {"ja": "行", "en": "line"},
    "none": {"ja": "この組み合わせには日付のある項目がありません。", "en": "Nothing dated for this combination."},
    "undated": {"ja": "日付のない再編", "en": "Reorganisations the graph gives no date for"},
    "all": {"ja": "すべての年表", "en": "All timelines"}, "json": {"ja": "JSON", "en": "JSON"},
    "from": CHANGES_UI["from"], "to": CHANGES_UI["to"],
    "dates": {"ja": "期間(任意)", "en": "Period (optional)"},
    "since": {"ja": "{start}以降", "en": "since {start}"}, "until": {"ja": "{end}まで", "en": "until {end}"},
    "between": {"ja": "{start}〜{end}", "en": "from {start} to {end}"},
}


def _page(iri: str, services: Services) -> str:
    return local_path(iri, services.settings.base)


def _linked(services: Services, payload: JSON) -> JSON:
    """Each entry with the path of its resource page (and of the other resource's), beside its IRI."""
    for entry in [*payload["events"], *payload["undated"]]:
        entry["page"] = _page(entry["subject"], services)
        if entry.get("other"):
            entry["otherPage"] = _page(entry["other"], services)
    return payload


def api_timeline(services: Services) -> Response:
    args = request.args.to_dict(flat=False)
    scope = parse_scope(args)
    start, end = parse_timeline_range(args)
    if not scope:
        values = available(services.store)
        return answer(services, {"jurisdictions": values["jurisdiction"], "themes": values["theme"]})
    return answer(services, _linked(services, timeline_json(timeline_of(services.store, scope, start, end))))


def timeline_page(services: Services) -> Response:
    lang = page_lang()
    result, problems, status, scope = None, [], 200, {}
    try:
        args = request.args.to_dict(flat=False)
        scope = parse_scope(args)
        start, end = parse_timeline_range(args)  # the same range as /api/timeline's
        if scope:
            result = timeline_of(services.store, scope, start, end)
    except TimelineError as exc:
        problems, status = exc.problems, 400
    except NoTimeline as exc:
        problems, status = exc.problems, 404
    period = {name: value for name in RANGE if (value := request.args.get(name, "").strip())}  # as given, for the form and links
    body = render_template("timeline.html", lang=lang, ui=UI, names=CHANGE_NAMES, kinds=KIND_NAMES, value_names=VALUE_NAMES, result=result, problems=problems,
                           values=available(services.store), scope=scope, period=period, here=urlencode({**scope, **period}),
                           local=lambda iri: _page(iri, services))
    return Response(body, status=status, mimetype="text/html")


ROUTES = [Route("/api/timeline", api_timeline), Route("/timeline", timeline_page)]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("timeline", __name__, ROUTES, services)
