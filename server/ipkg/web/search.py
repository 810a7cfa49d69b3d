"""/api/search (JSON), /search and /browse (HTML pages in Japanese or English that work without JavaScript).

The handlers only parse, call the core (search.SearchIndex, browse.Browser) and render; a bad
parameter is a 400 with the core's sentences, JSON for the API and the page itself for a browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from .. import browse, facets, search
from ..errors import NotFound
from ..jsontypes import JSON
from ..namespaces import local_path
from ..services import Services
from .routing import Route, answer, blueprint, page_lang

LANGS = ("ja", "en")
UI: dict[str, dict[str, str]] = {
    "search": {"ja": "検索", "en": "Search"},
    "title": {"ja": "グラフ全体を検索", "en": "Search the graph"},
    "placeholder": {"ja": "例: 著名商標、专利、famous trademark", "en": "e.g. famous trademark, 著名商標, 专利"},
    "help": {"ja": "日本語・中国語・英語の名称、表題、別名、要約、説明、原文表記を検索します。1文字から検索できます。\"引用符\"で語句検索。",
             "en": "Searches names, titles, other names, abstracts, descriptions and the sources' own wording in Japanese, "
                   "Chinese and English, from one character up; \"quotes\" for a phrase."},
    "hits": {"ja": "「{q}」の検索結果: {n}件", "en": "{n} results for \u201c{q}\u201d"},
    "none": {"ja": "該当するものはありません。絞り込みを外すか、別の語で検索してください。",
             "en": "Nothing found. Remove a filter or try other words."},
    "filters": {"ja": "絞り込み", "en": "Filters"},
    "remove": {"ja": "解除", "en": "remove"},
    "kind": {"ja": "種類", "en": "Kind"},
    "in_force_on": {"ja": "{d}時点で有効", "en": "in force on {d}"},
    "prev": {"ja": "前へ", "en": "Previous"},
    "next": {"ja": "次へ", "en": "Next"},
    "page": {"ja": "{a}〜{b}件目 / {n}件", "en": "{a}\u2013{b} of {n}"},
    "problems": {"ja": "検索条件に問題があります", "en": "The search has problems"},
    "browse": {"ja": "分類から探す", "en": "Browse"},
    "browse_intro": {"ja": "支援制度、法令、条文を法域、権利、出願ルート、対象者、支援の種類、状況、施行日で絞り込めます。",
                     "en": "Programmes, legal instruments and articles by jurisdiction, IP right, filing route, applicant kind, "
                           "benefit kind, status and date in force."},
    "all": {"ja": "すべて表示 ({n}件)", "en": "All ({n})"},
    "date_in_force": {"ja": "施行日・開始日で絞り込む", "en": "In force on"},
    "apply": {"ja": "適用", "en": "Apply"},
    "from": {"ja": "開始・施行", "en": "from"},
    "until": {"ja": "終了", "en": "until"},
    "as_json": {"ja": "JSON形式(API)", "en": "As JSON (API)"},
}


def _args() -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


class FacetValueLink(TypedDict):
    """One value of a facet as the page shows it: the index's count, and the link that turns it on or off."""

    value: str
    label: str
    count: int
    active: bool
    href: str


class FacetLinks(TypedDict):
    name: str
    label: str
    values: list[FacetValueLink]


def _answer(services: Services, req: search.SearchRequest) -> JSON:
    found = services.search.search(req)
    for hit in found["hits"]:
        hit["href"] = local_path(hit["iri"], services.settings.base)
    return found


def api_search(services: Services) -> Response:
    """Hits with a highlighted snippet (HTML: the text escaped, each occurrence in <mark>) and facet counts."""
    return answer(services, _answer(services, search.parse_request(_args())))


def _url(path: str, params: dict[str, str], lang: str) -> str:
    return f"{path}?{urlencode({**params, 'lang': lang})}"


def _facet_links(path: str, counts: dict[str, list[JSON]], current: dict[str, str], lang: str,
                 names: Iterable[str]) -> list[FacetLinks]:
    """Each facet with each value as a link adding it to the `current` parameters (or, when it is on, removing it);
    either way back to the first page."""
    out: list[FacetLinks] = []
    for name in names:
        if not counts.get(name):
            continue
        active = current.get(name)
        base = {k: v for k, v in current.items() if k not in (name, "offset")}
        out.append({"name": name, "label": UI["kind"][lang] if name == "kind" else facets.BY_NAME[name].label[lang],
                    "values": [{"value": v["value"], "label": v["label"], "count": v["count"], "active": v["value"] == active,
                                "href": _url(path, base if v["value"] == active else {**base, name: v["value"]}, lang)}
                               for v in counts[name]]})
    return out


def page(services: Services) -> Response:
    lang, args = page_lang(), _args()
    ui = {k: v[lang] for k, v in UI.items()}
    if "q" not in args:  # the empty form
        return Response(render_template("search.html", lang=lang, ui=ui, q="", answer=None, problems=[]), mimetype="text/html")
    try:
        req = search.parse_request(args, default_lang=lang, langs=LANGS)
        answer = _answer(services, req)
    except search.SearchError as exc:
        html = render_template("search.html", lang=lang, ui=ui, q=" ".join(args.get("q", [""])[0].split()), answer=None,
                               problems=exc.problems)
        return Response(html, status=400, mimetype="text/html")

    active = [{"label": (ui["kind"] if name == "kind" else facets.BY_NAME[name].label[lang]) + ": "
               + services.search.value_label(name, value, lang), "href": _url("/search", req.params(**{name: None}), lang)}
              for name, value in req.filters]
    if req.in_force_on:
        active.append({"label": ui["in_force_on"].format(d=req.in_force_on.isoformat()),
                       "href": _url("/search", req.params(inForceOn=None), lang)})
    total, end = answer["total"], min(req.offset + req.limit, answer["total"])
    paging = {"text": ui["page"].format(a=req.offset + 1, b=end, n=total) if total else "",
              "prev": _url("/search", req.params(offset=str(max(0, req.offset - req.limit))), lang) if req.offset else None,
              "next": _url("/search", req.params(offset=str(end)), lang) if end < total else None}
    hidden = [(k, v) for k, v in req.params().items() if k != "q"]
    html = render_template("search.html", lang=lang, ui=ui, q=req.q, answer=answer, problems=[], active=active,
                           facets=_facet_links("/search", answer["facets"], req.params(), lang, search.FILTERS), paging=paging,
                           hidden=hidden, offset=req.offset, json_url="/api/search?" + urlencode({**req.params(), "lang": lang}),
                           other_lang={"ja": "en", "en": "ja"}[lang],
                           other_url=_url("/search", req.params(offset=str(req.offset) if req.offset else None),
                                          {"ja": "en", "en": "ja"}[lang]))
    return Response(html, mimetype="text/html")


def browse_index(services: Services) -> Response:
    lang = page_lang()
    ui = {k: v[lang] for k, v in UI.items()}
    html = render_template("browse.html", lang=lang, ui=ui, overview=services.browser.overview(lang), listing=None,
                           other_lang={"ja": "en", "en": "ja"}[lang], other_url=_url("/browse", {}, {"ja": "en", "en": "ja"}[lang]))
    return Response(html, mimetype="text/html")


def browse_listing(services: Services, name: str) -> Response:
    lang, args = page_lang(), _args()
    ui = {k: v[lang] for k, v in UI.items()}
    other = {"ja": "en", "en": "ja"}[lang]
    try:
        req = browse.parse_request(name, args, lang)
        answer = services.browser.browse(req)
    except LookupError:
        raise NotFound(f"no listing {name!r}; the listings are {', '.join(browse.LISTINGS)}") from None
    except search.SearchError as exc:
        html = render_template("browse.html", lang=lang, ui=ui, overview=None, listing=browse.LISTINGS[name], answer=None,
                               problems=exc.problems, other_lang=other, other_url=_url(f"/browse/{name}", {}, other))
        return Response(html, status=400, mimetype="text/html")
    path = f"/browse/{name}"

    for item in answer["items"]:
        item["href"] = local_path(item["iri"], services.settings.base)
    total, end = answer["total"], min(req.offset + browse.PAGE, answer["total"])
    paging = {"text": ui["page"].format(a=req.offset + 1, b=end, n=total) if total else "",
              "prev": _url(path, req.params(offset=str(max(0, req.offset - browse.PAGE))), lang) if req.offset else None,
              "next": _url(path, req.params(offset=str(end)), lang) if end < total else None}
    active = [{"label": facets.BY_NAME[f].label[lang] + ": " + _value_label(answer, f, v), "href": _url(path, req.params(**{f: None}), lang)}
              for f, v in req.filters]
    if req.in_force_on:
        active.append({"label": ui["in_force_on"].format(d=req.in_force_on.isoformat()), "href": _url(path, req.params(inForceOn=None), lang)})
    html = render_template("browse.html", lang=lang, ui=ui, overview=None, listing=req.listing, answer=answer, problems=[],
                           facets=_facet_links(path, answer["facets"], req.params(), lang, req.listing.facets), paging=paging,
                           active=active, hidden=[(k, v) for k, v in req.params().items() if k != "inForceOn"],
                           in_force_on=req.in_force_on.isoformat() if req.in_force_on else "", other_lang=other,
                           other_url=_url(path, req.params(), other))
    return Response(html, mimetype="text/html")


def _value_label(answer: JSON, facet: str, value: str) -> str:
    return next((str(v["label"]) for v in answer["facets"].get(facet, []) if v["value"] == value), value)


ROUTES = [
    Route("/api/search", api_search),
    Route("/search", page),
    Route("/browse", browse_index),
    Route("/browse/<name>", browse_listing),
]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("search", __name__, ROUTES, services)
