"""GET /compare (HTML) and GET /api/compare (JSON, CSV): one filing across every jurisdiction of the graph.

The handlers only read the request and shape the answer; the comparison itself is ipkg.compare (the
core, which knows no Flask). The page works without JavaScript (the form GETs, the server renders the
tables); static/compare.js draws the chart when Chart.js is installed (`ipkg assets`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request

from ..compare import (
    BASIS,
    CONDITION_COLUMNS,
    COST_COLUMNS,
    FEE_NO_AMOUNT,
    NET_MISSING,
    CompareError,
    condition_rows,
    cost_rows,
)
from ..eligibility import advice
from ..errors import InvalidRequest
from ..media import CSV, JSON, Offer
from ..namespaces import local_path
from ..services import Services
from . import assets
from .routing import Route, blueprint, page_lang

LANGS = ("en", "ja")
RIGHTS = ("invention-patent", "utility-model", "design", "patent", "patent-cn", "trademark")
FILING_ROUTES = ("domestic", "pct-international", "pct-national", "paris", "foreign")

# The page's own words (labels of rights, kinds, places and programmes are the graph's).
UI: dict[str, dict[str, str]] = {
    "title": {"en": "Compare one filing across jurisdictions", "ja": "同じ出願を法域ごとに比較する"},
    "intro": {"en": "Describe the filing once. Each jurisdiction's official fees, the reductions and subsidies that apply, the rewards "
                    "and the net cost are shown side by side, each figure with its source line. Amounts stay in their own currency.",
              "ja": "出願を一度だけ記述すると、法域ごとの官庁手数料・適用される減免と補助・奨励金・正味の負担額を並べて示します。"
                    "すべての数値に根拠資料の行を付けます。金額はそれぞれの通貨のままです。"},
    "right": {"en": "Right", "ja": "権利"}, "route": {"en": "Route", "ja": "出願ルート"},
    "applicantKind": {"en": "Applicant kind", "ja": "出願人の種類"}, "claims": {"en": "Claims", "ja": "請求項の数"},
    "pages": {"en": "Pages", "ja": "頁数"}, "countries": {"en": "Countries (foreign filings)", "ja": "出願国数（外国出願）"},
    "years": {"en": "Years of annual fees", "ja": "年金の年数"}, "status": {"en": "Status", "ja": "状態"},
    "serviceInvention": {"en": "Service invention", "ja": "職務発明"}, "asOf": {"en": "As of", "ja": "基準日"},
    "jurisdiction": {"en": "Jurisdictions (none: all)", "ja": "法域（未選択ならすべて）"},
    "conversion": {"en": "Converted column (optional: your rate and its date)", "ja": "換算列（任意：レートとその日付を指定）"},
    "rate": {"en": "1 unit of", "ja": "1単位"}, "rateTo": {"en": "equals", "ja": "＝"}, "rateDate": {"en": "rate date", "ja": "レートの日付"},
    "unknown": {"en": "not given", "ja": "指定しない"}, "yes": {"en": "yes", "ja": "はい"}, "no": {"en": "no", "ja": "いいえ"},
    "submit": {"en": "Compare", "ja": "比較する"},
    "fees": {"en": "Official fees", "ja": "官庁手数料"}, "reductions": {"en": "Reductions", "ja": "減免"},
    "subsidies": {"en": "Subsidies", "ja": "補助"}, "rewards": {"en": "Rewards", "ja": "奨励金"},
    "net": {"en": "Net cost", "ja": "正味の負担額"}, "conditions": {"en": "Conditions compared", "ja": "条件の比較"},
    "conditions_intro": {"en": "One row per kind of condition with a stated bound, one column per jurisdiction (a province's column holds its own programmes).",
                         "ja": "数値の基準がある条件の種類ごとに1行、法域ごとに1列（省の列にはその省の制度のみ）。"},
    "applies": {"en": "applies", "ja": "適用"}, "may-apply": {"en": "may apply", "ja": "適用の可能性"},
    "missing": {"en": "missing", "ja": "不明"}, "none": {"en": "none in the graph", "ja": "グラフに該当なし"},
    "chart": {"en": "Chart: fees and net cost per jurisdiction", "ja": "グラフ：法域ごとの手数料と正味の負担額"},
    "no_chart": {"en": "The chart library (Chart.js) is not installed on this server (run `ipkg assets`); the tables above hold every figure.",
                 "ja": "グラフ用ライブラリ（Chart.js）がこのサーバーにありません（`ipkg assets` を実行）。数値はすべて上の表にあります。"},
    "chart_left_out": {"en": "Not in the chart (no fee amounts in the graph)", "ja": "グラフに含めない法域（グラフに手数料の金額なし）"},
    "basis": {"en": BASIS, "ja": "官庁手数料から、適用される減免と定額の補助を差し引いた額。適用の可能性があるもの、奨励金、上限額、費用に対する割合は含めない。"},
    "net_missing": {"en": NET_MISSING, "ja": "この出願の手数料の金額がグラフにないため、正味の負担額は計算しない。"},
    "fee_no_amount": {"en": FEE_NO_AMOUNT, "ja": "資料はこの手数料を挙げるが金額を記載していない。"},
    "downloads": {"en": "Download", "ja": "ダウンロード"}, "problems": {"en": "Please correct:", "ja": "次の点を直してください："},
    "layer": {"en": "layer", "ja": "レベル"}, "not_counted": {"en": "not counted", "ja": "合計に含めない"},
    "may_note": {"en": "may apply (not counted)", "ja": "適用の可能性あり（合計に含めない）"},
}


def _args() -> dict[str, Any]:
    """Query-string arguments; a repeated one (jurisdiction) as a list, the others as their single value."""
    return {k: (v if len(v) > 1 or k == "jurisdiction" else v[0]) for k, v in request.args.lists()}


def _csv(header: tuple[str, ...], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


OFFER = Offer("the comparison", (JSON, CSV))


def api_compare(services: Services) -> Response:
    """The comparison as JSON, or as CSV (format=csv or Accept: text/csv; table=costs|conditions)."""
    table = request.args.get("table", "costs")
    media = OFFER.negotiate(request.headers.get("Accept"), request.args.getlist("format"))
    if table not in ("costs", "conditions"):
        raise InvalidRequest(f"table: {table!r} must be costs or conditions")
    comparison = services.comparer.compare(services.comparer.filing(_args()))
    if media is CSV:
        body = _csv(COST_COLUMNS, cost_rows(comparison)) if table == "costs" else _csv(CONDITION_COLUMNS, condition_rows(comparison))
        response = Response(body, content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'inline; filename="compare-{table}.csv"'
        return response
    return jsonify(comparison)


def fmt(amount: str | None) -> str:
    """An amount as the page shows it: thousands separated, no trailing zeros (6,900; 1,234.5)."""
    if amount is None:
        return ""
    value = Decimal(amount)
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != value.to_integral() else f"{value:,.0f}"


def page(services: Services) -> Response:
    lang = page_lang()
    ui = {k: v[lang] for k, v in UI.items()}
    c = services.comparer
    rules = c.rules

    def labels(iri: str) -> str:
        return rules.labels[iri].get(lang)

    choices = {
        "right": [(slug, labels(rules.concepts_by_key["ip-right"][slug])) for slug in RIGHTS if slug in rules.concepts_by_key["ip-right"]],
        "route": [(slug, labels(rules.concepts_by_key["filing-route"][slug])) for slug in FILING_ROUTES if slug in rules.concepts_by_key["filing-route"]],
        "applicantKind": [(ch["value"], ch["label"].get(lang) or ch["label"].get("en") or ch["value"]) for ch in advice.choices(rules, "applicant-kind")],
        "status": [(ch["value"], ch["label"].get(lang) or ch["value"]) for ch in advice.choices(rules, "filing-status")],
        "jurisdiction": [(col.key, col.label.get(lang)) for col in c.columns],
    }
    args = _args()
    asked = {k: v for k, v in args.items() if k != "lang"}
    comparison, problems, status = None, [], 200
    if asked:
        try:
            comparison = c.compare(c.filing(args))
        except CompareError as exc:
            problems, status = exc.problems, 400
    query = request.query_string.decode()
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    lang_links = {code: "?" + urlencode([*kept, ("lang", code)]) for code in LANGS}
    html = render_template("compare.html", ui=ui, lang=lang, choices=choices, args=args, comparison=comparison, problems=problems,
                           local=lambda iri: local_path(iri, services.settings.base), fmt=fmt, query=query, lang_links=lang_links, chart=assets.extra_available(assets.CHART),
                           wanted=set(args.get("jurisdiction") or []))
    return Response(html, status=status, mimetype="text/html")


ROUTES = [Route("/api/compare", api_compare), Route("/compare", page)]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("compare", __name__, ROUTES, services)
