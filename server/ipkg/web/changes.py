"""GET /api/changes (JSON) and GET /changes (HTML, ja/en): what changed between two dates (ipkg.changes)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ..changes import ChangesError, between, parse_range, to_json
from ..namespaces import local_path
from ..services import Services
from .routing import Route, answer, blueprint, page_lang

LANGS = ("ja", "en")
UI = {  # the page's words
    "title": {"ja": "期間中の変更", "en": "What changed"},
    "intro": {"ja": "二つの日付の間に始まった・終わった・改正された・統合/承継/置換された制度、法令、要件、金額。各変更に出典の行を示します。",
              "en": "Programmes, instruments, conditions and amounts that started, ended, were amended, merged, succeeded or replaced "
                    "between two dates, each with its source lines."},
    "from": {"ja": "開始日", "en": "From"}, "to": {"ja": "終了日", "en": "To"}, "show": {"ja": "表示", "en": "Show"},
    "date": {"ja": "日付", "en": "date"}, "change": {"ja": "変更", "en": "change"}, "what": {"ja": "対象", "en": "what"},
    "sources": {"ja": "出典", "en": "sources"}, "none": {"ja": "この期間の変更はありません。", "en": "No change in this period."},
    "count": {"ja": "{n}件の変更({start}〜{end})", "en": "{n} changes from {start} to {end}"},
    "undated": {"ja": "日付のない再編", "en": "Reorganisations the graph gives no date for"},
    "ask": {"ja": "期間を選んでください(YYYY-MM-DD)。", "en": "Choose a period (YYYY-MM-DD)."},
    "line": {"ja": "行", "en": "line"}, "became": {"ja": "→", "en": "→"},
}
CHANGE_NAMES = {
    "started": {"ja": "開始", "en": "started"}, "entered-into-force": {"ja": "施行", "en": "entered into force"},
    "version-in-force": {"ja": "適用開始", "en": "in force from"}, "ended": {"ja": "終了", "en": "ended"},
    "no-longer-in-force": {"ja": "失効", "en": "no longer in force"}, "version-ended": {"ja": "適用終了", "en": "in force until"},
    "amended": {"ja": "改正", "en": "amended"}, "merged": {"ja": "統合", "en": "merged into"},
    "succeeded": {"ja": "承継", "en": "succeeded by"}, "renamed": {"ja": "改称", "en": "renamed"}, "replaced": {"ja": "置換", "en": "replaced by"},
    "repealed": {"ja": "廃止", "en": "repealed by"},
    "adopted": {"ja": "採択", "en": "adopted"}, "promulgated": {"ja": "公布", "en": "promulgated"}, "event": {"ja": "出来事", "en": "event"},
}

VALUE_NAMES = {  # the values an amendment changes (changes.VALUES), as the ontology names their properties in Japanese
    "threshold": {"ja": "閾値", "en": "threshold"}, "amount": {"ja": "金額", "en": "amount"},
    "amount (at most)": {"ja": "上限額", "en": "amount (at most)"}, "duration": {"ja": "期間", "en": "duration"},
    "working days": {"ja": "営業日数", "en": "working days"},
}
KIND_NAMES = {"programme": {"ja": "制度", "en": "programme"}, "instrument": {"ja": "法令", "en": "instrument"},
              "condition": {"ja": "要件", "en": "condition"}, "benefit": {"ja": "給付", "en": "benefit"},
              "deadline": {"ja": "期限", "en": "deadline"}, "fee": {"ja": "料金", "en": "fee"},
              "event": {"ja": "出来事", "en": "event"}}


def api_changes(services: Services) -> Response:
    start, end = parse_range(request.args.to_dict(flat=False))
    return answer(services, to_json(between(services.store, start, end)))


def changes_page(services: Services) -> Response:
    lang = page_lang()
    args = {k: v for k, v in request.args.items() if k != "lang"}
    result, problems, status = None, [], 200
    if args:
        try:
            start, end = parse_range(request.args.to_dict(flat=False))
            result = between(services.store, start, end)
        except ChangesError as exc:
            problems, status = exc.problems, 400
    body = render_template("changes.html", lang=lang, ui=UI, names=CHANGE_NAMES, kinds=KIND_NAMES, value_names=VALUE_NAMES, result=result, problems=problems,
                           local=lambda iri: local_path(iri, services.settings.base),
                           start=request.args.get("from", ""), end=request.args.get("to", ""))
    return Response(body, status=status, mimetype="text/html")


ROUTES = [Route("/api/changes", api_changes), Route("/changes", changes_page)]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("changes", __name__, ROUTES, services)
