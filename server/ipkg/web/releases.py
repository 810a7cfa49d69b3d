"""GET /releases (HTML, ja/en) and /api/releases (JSON): the release this server holds and the release notes;
GET|POST /api/cite: the citation of a query's results (JSON, CSL-JSON, BibTeX or text by Accept or format=).

The HTML page and the JSON answer are two routes (as /changes and /api/changes are), so that every /api answer
is JSON and every page is a page; both come from `ipkg.release_notes`, the citation from `ipkg.citation`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from flask import Blueprint, Response, render_template, request, url_for
from markupsafe import Markup, escape

from .. import release
from ..citation import PUBLISHER, PUBLISHER_JA, QueryCitation, cite_query
from ..errors import InvalidRequest, NotFound
from ..media import BIBLIOGRAPHY, BIBTEX, CSL_JSON, JSON, MediaType, Offer
from ..namespaces import local_path
from ..release_notes import notes
from ..services import Services
from .routing import Route, answer, blueprint, page_lang

UI = {  # the page's words
    "title": {"ja": "リリースと変更履歴", "en": "Releases and release notes"},
    "intro": {"ja": "このサーバーが提供しているリリース(データセットの版)と、公開モデルの変更履歴(ontology/CHANGELOG.md から生成)。"
                    "引用するときはリリースを示してください。同じ問い合わせでも、別のリリースでは答えが変わることがあります。",
              "en": "The release (the dataset's version) this server holds, and the changes to the public model (generated from "
                    "ontology/CHANGELOG.md). Cite the release: the same query may answer differently on another release."},
    "current": {"ja": "現在のリリース", "en": "Current release"},
    "version": {"ja": "版", "en": "Version"}, "date": {"ja": "ビルド日", "en": "Build date"},
    "digest": {"ja": "内容のハッシュ(入力ファイルの SHA-256)", "en": "Content hash (SHA-256 of the input files)"},
    "model": {"ja": "オントロジーの版", "en": "Ontology version"},
    "triples": {"ja": "トリプル数", "en": "Triples"}, "in_graphs": {"ja": "({n} 個の名前付きグラフ)", "en": "(in {n} named graphs)"},
    "graphs": {"ja": "名前付きグラフ", "en": "Named graphs"}, "graph": {"ja": "グラフ", "en": "graph"},
    "dumps": {"ja": "ダンプ(SHA-256 付き)", "en": "Dumps, with SHA-256"}, "file": {"ja": "ファイル", "en": "file"},
    "alias": {"ja": "別名", "en": "alias"}, "bytes": {"ja": "バイト", "en": "bytes"},
    "tools": {"ja": "ビルドに使ったソフトウェア", "en": "Software the build ran"}, "tool": {"ja": "ソフトウェア", "en": "software"},
    "check": {"ja": "ダウンロードしたファイルの確認:", "en": "Check what you downloaded with"},
    "described": {"ja": "機械可読の記述:", "en": "Machine-readable:"},
    "notes": {"ja": "変更履歴", "en": "Release notes"},
    "notes_help": {"ja": "名前を変えた・構造を変えた用語ごとに、以前に動いたクエリ(変更前)と今の形(変更後)を示します。",
                   "en": "Every renamed or restructured term, with a query that worked before and its form now."},
    "before": {"ja": "変更前", "en": "Before"}, "now": {"ja": "変更後", "en": "Now"}, "query": {"ja": "クエリ", "en": "Query"},
    "run": {"ja": "クエリ画面で開く", "en": "Open in the query page"},
    "held": {"ja": "このリリースのオントロジー", "en": "the ontology of this release"},
    "duplicate": {"ja": "注意: 変更履歴には版 {v} の項目が二つあります(記載のまま表示)。",
                  "en": "Note: the CHANGELOG has two entries for version {v} (shown as written)."},
    "none": {"ja": "変更履歴がありません(ontology/CHANGELOG.md がありません)。", "en": "No release notes (no ontology/CHANGELOG.md)."},
    "contents": {"ja": "目次", "en": "Contents"},
}
QUERY_UI = {  # the query page's words for the release and the cite box (that page is otherwise in English)
    "mismatch": {"ja": "この共有リンクはリリース {shared} で実行されたクエリです。このサーバーのリリースは {held} です。結果が異なる場合があります。",
                 "en": "This shared link was made on release {shared}; this server holds release {held}, so the results may differ."},
    "see": {"ja": "リリースと変更履歴", "en": "See the releases and release notes"},
    "release": {"ja": "リリース", "en": "Release"},
    "cite": {"ja": "この結果の引用", "en": "Cite these results"},
    "cite_help": {"ja": "リリース、エンドポイント、クエリ(共有リンク)、アクセス日を示して引用してください。",
                  "en": "Cite the release, the endpoint, the query (its share link) and the day you ran it."},
    "endpoint": {"ja": "エンドポイント", "en": "Endpoint"}, "accessed": {"ja": "アクセス日", "en": "Accessed"},
    "share": {"ja": "共有リンク", "en": "Share link"},
}

CITATION = Offer("a citation", (JSON, CSL_JSON, BIBTEX, BIBLIOGRAPHY))  # the types DOI resolvers negotiate


def inline(text: str) -> Markup:
    """A line of the CHANGELOG's Markdown as HTML: escaped, with `code` spans (all the inline markup it uses)."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts)))


def api_releases(services: Services) -> Response:
    settings = services.settings
    return answer(services, notes(settings.root, settings.dist_path, settings.base))


def releases_page(services: Services) -> Response:
    lang = page_lang()
    settings = services.settings
    body = render_template("releases.html", lang=lang, ui=UI, n=notes(settings.root, settings.dist_path, settings.base),
                           inline=inline, local=lambda iri: local_path(iri, settings.base),
                           publisher=PUBLISHER_JA if lang == "ja" else PUBLISHER)
    response = Response(body, mimetype="text/html")
    response.vary.add("Accept-Language")
    return response


def _accessed() -> str:
    """The access date: accessed=YYYY-MM-DD (a client citing a run of an earlier day, or a test), else today (UTC)."""
    given = request.values.get("accessed")
    if not given:
        return dt.datetime.now(dt.UTC).date().isoformat()
    try:
        return dt.date.fromisoformat(given).isoformat()
    except ValueError:
        raise InvalidRequest(f"accessed must be a date as YYYY-MM-DD, not {given!r}") from None


def citation_of(services: Services) -> QueryCitation:
    """The citation a request asks for: its query checked by the gate as /sparql would check it (a query /sparql
    refuses is not cited), on the release this server holds."""
    queries = request.values.getlist("query")
    if len(queries) != 1 or not queries[0].strip():
        raise InvalidRequest("give exactly one query= (the SPARQL query whose results you cite)")
    held = services.version
    if (wanted := request.values.get("release")) and wanted.replace(" ", "+") != held:
        raise NotFound(f"release {wanted} is not the one this server holds ({held}): its results cannot be cited here (see /releases)")
    services.sparql.check(queries[0])
    endpoint = services.settings.base + "sparql"  # the dataset's own endpoint IRI (VoID's void:sparqlEndpoint), never the Host header
    built_on = release.build_record(services.settings.dist_path).get("date")
    lang = "ja" if request.values.get("lang") == "ja" else "en"
    return cite_query(queries[0], endpoint, endpoint, held, built_on, _accessed(), lang)


def api_cite(services: Services) -> Response:
    """The citation of a query's results, as JSON (all renderings), CSL-JSON (a one-item array, as citation
    managers import), BibTeX or one line of text."""
    fmt = CITATION.negotiate(request.headers.get("Accept"), request.values.getlist("format"))  # format= wins; JSON by default
    citation = citation_of(services)
    renderings: dict[MediaType, Callable[[], str]] = {
        CSL_JSON: lambda: json.dumps([citation.csl()], ensure_ascii=False, indent=2), BIBTEX: citation.bibtex,
        BIBLIOGRAPHY: lambda: citation.text() + "\n"}
    response = answer(services, citation.as_json()) if fmt is JSON else Response(
        renderings[fmt](), content_type=f"{fmt.media}; charset=utf-8")
    response.vary.add("Accept")
    response.headers["Link"] = f'<{url_for("releases.releases_page")}>; rel="version-history"'
    return response


ROUTES = [Route("/releases", releases_page), Route("/api/releases", api_releases), Route("/api/cite", api_cite, ("GET", "POST"))]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("releases", __name__, ROUTES, services)
