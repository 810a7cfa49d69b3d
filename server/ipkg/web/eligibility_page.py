"""/eligibility: a guided questionnaire in Japanese and English, then the cited verdicts and a printable report.

Without JavaScript it is a plain form: each POST carries the answers so far as hidden fields, the
server picks the next question (advice.next_question) and shows it, or the result. With JavaScript,
static/eligibility.js asks the same questions through the JSON API without reloading the page; the
result is always rendered here. Every label and help text is the graph's (the profile properties'
and concepts' ja/en labels and definitions); only the page's own fixed words are in `UI` below.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, NotRequired, TypedDict

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from ..eligibility import ProfileError, advice
from ..eligibility.profile import Profile, parse
from ..eligibility.rules import Rulebook
from ..jsontypes import JSON
from ..namespaces import local_path
from ..services import Services
from .routing import Route, blueprint, page_lang

LANGS = ("ja", "en")
CURRENCY_BY_COUNTRY = {"JP": "JPY", "CN": "CNY", "US": "USD", "KR": "KRW"}
CURRENCIES = ("JPY", "CNY", "USD", "EUR", "KRW")
MAX_RADIOS = 12  # a concept question with more choices is a select

# The page's own words (everything else comes from the graph). One table, used by the template and,
# embedded in the page, by static/eligibility.js.
UI: dict[str, dict[str, str]] = {
    "title": {"ja": "どの支援制度を受けられますか", "en": "What do I qualify for?"},
    "intro": {"ja": "質問に一つずつ答えてください。わからない質問は「わからない」で飛ばせます。判定はすべて根拠の条文・資料の行に結び付いています。",
              "en": "Answer one question at a time; skip any you cannot answer with \u201cI don't know\u201d. Every verdict is cited to its article or source line."},
    "question": {"ja": "質問", "en": "Question"},
    "answer": {"ja": "回答する", "en": "Answer"},
    "unknown": {"ja": "わからない", "en": "I don't know"},
    "results_now": {"ja": "今すぐ結果を見る", "en": "See results now"},
    "more_questions": {"ja": "質問を続ける", "en": "Answer more questions"},
    "no_more": {"ja": "これ以上の質問はありません。", "en": "There are no more questions."},
    "please_answer": {"ja": "回答を入力するか、「わからない」を選んでください。", "en": "Give an answer or choose \u201cI don't know\u201d."},
    "answers_so_far": {"ja": "これまでの回答", "en": "Your answers so far"},
    "none_yet": {"ja": "まだありません。", "en": "None yet."},
    "so_far": {"ja": "現時点の判定", "en": "Verdicts so far"},
    "settles": {"ja": "この回答で判定が進む制度: {n}件", "en": "This answer helps decide {n} programme(s)"},
    "yes": {"ja": "はい", "en": "yes"},
    "no": {"ja": "いいえ", "en": "no"},
    "choose": {"ja": "選択してください", "en": "choose"},
    "not_given": {"ja": "(未回答)", "en": "(not given)"},
    "percent": {"ja": "%", "en": "%"},
    "years": {"ja": "年", "en": "years"},
    "currency": {"ja": "通貨", "en": "currency"},
    "rate": {"ja": "レート", "en": "rate"},
    "rate_from": {"ja": "換算元の通貨", "en": "from"},
    "rate_to": {"ja": "換算先の通貨", "en": "to"},
    "rate_date": {"ja": "レートの日付", "en": "rate date"},
    "rate_note": {"ja": "{source}→{target}の為替レートを示せば判定できます(レート {op} {rate} で満たします)",
                  "en": "a rate from {source} to {target} would decide it (met by a rate {op} {rate})"},
    "conversion": {"ja": "{amount} {source} × {rate} = {converted} {target}(出願人が示したレート、{date})",
                   "en": "{amount} {source} × {rate} = {converted} {target} (rate given by the applicant, {date})"},
    "range": {"ja": "範囲: {min}〜{max}", "en": "range: {min} to {max}"},
    "at_least": {"ja": "{min}以上", "en": "at least {min}"},
    "full_form": {"ja": "すべての項目を一度に入力する", "en": "Fill in every field at once"},
    "full_form_help": {"ja": "空欄の項目は「わからない」として扱われます。", "en": "Fields left empty count as unknown."},
    "applicant": {"ja": "出願人", "en": "Applicant"},
    "filing": {"ja": "出願", "en": "Filing"},
    "options": {"ja": "判定の条件", "en": "Options"},
    "as_of_field": {"ja": "判定の基準日", "en": "As of"},
    "only_eligible": {"ja": "適格な制度だけを表示", "en": "only eligible programmes"},
    "evaluate": {"ja": "判定する", "en": "Evaluate"},
    "problems": {"ja": "入力に問題があります", "en": "The answers have problems"},
    "report": {"ja": "判定結果", "en": "Result"},
    "as_of": {"ja": "基準日: {d}", "en": "As of {d}"},
    "summary": {"ja": "概要", "en": "Summary"},
    "computed_benefit": {"ja": "算定された支援額", "en": "Computed benefit"},
    "no_computed_benefit": {"ja": "金額として算定できる支援はありません。", "en": "No benefit could be computed as an amount."},
    "missing": {"ja": "不足している情報", "en": "Missing facts"},
    "assessment": {"ja": "当局の判断に委ねられる条件", "en": "Left to the authority's assessment"},
    "conditions": {"ja": "条件と根拠", "en": "Conditions and sources"},
    "source": {"ja": "根拠", "en": "source"},
    "benefit": {"ja": "支援内容", "en": "Benefit"},
    "to_become": {"ja": "適格になるには", "en": "What would make me eligible"},
    "option": {"ja": "案{n}", "en": "Option {n}"},
    "then": {"ja": "この場合の判定: {v}", "en": "then: {v}"},
    "gained": {"ja": "得られる支援", "en": "benefit gained"},
    "change_to": {"ja": "{label}: {before} → {after}", "en": "{label}: {before} \u2192 {after}"},
    "can_yes": {"ja": "変更できます", "en": "you can change this"},
    "can_by-waiting": {"ja": "時間の経過で満たされます", "en": "met by waiting"},
    "can_no": {"ja": "変更できません", "en": "cannot be changed"},
    "can_not-given": {"ja": "未回答の項目です(該当すれば満たされます)", "en": "not given yet (met if this holds)"},
    "outcome_true": {"ja": "満たす", "en": "met"},
    "outcome_false": {"ja": "満たさない", "en": "not met"},
    "outcome_unknown": {"ja": "不明", "en": "unknown"},
    "profile_used": {"ja": "判定に使った回答", "en": "The profile used"},
    "unknown_facts": {"ja": "「わからない」と答えた項目", "en": "Answered \u201cI don't know\u201d"},
    "as_json": {"ja": "JSON形式(API用)", "en": "As JSON (for the API)"},
    "print": {"ja": "報告書を印刷する", "en": "Print the report"},
    "start_over": {"ja": "最初からやり直す", "en": "Start over"},
    "none_eligible": {"ja": "適格と判定された制度はありません。", "en": "No programme is eligible."},
}
VERDICTS = ("eligible", "undetermined", "not-eligible")

Form = MultiDict[str, str]  # the request's form, or a copy of it with one answer turned into "unknown"
Choice = tuple[str, str]  # (the value a profile sends, its label)


# ---- what the template is given (the advice module's JSON, put in one language) -----------------

class QuestionView(TypedDict):
    """The next question: its texts, unit and bounds, and its choices when it has them."""

    field: str
    type: str
    label: str
    help: str
    settles: str
    unit: str
    currency: str | None
    bounds: str
    choices: NotRequired[list[Choice]]
    radios: NotRequired[bool]  # few enough choices to show as radio buttons, else a select
    rates: NotRequired[list[JSON]]  # an exchange-rate question: the pair to give a rate for


class FieldView(TypedDict):
    """One profile property in the full form, with the value the profile gives it (as the form writes it)."""

    field: str
    kind: str
    label: str
    help: str
    value: str
    currency: str
    unit: str
    choices: NotRequired[list[Choice]]
    rates: NotRequired[list[JSON]]  # the exchange rates given, and an empty row for one more


class ChangeView(TypedDict):
    """One change of a fact that an option asks for ("capital from … to …"), whether the applicant can make it."""

    text: str
    can: str
    canChange: str
    summary: str
    source: tuple[str, str] | None  # (local href, short citation)
    note: str | None  # a proposed rate's bound, in words (None for other changes)


class OptionView(TypedDict):
    """One way to become eligible: the changes it takes, the verdict then, and the benefits it gains."""

    title: str
    changes: list[ChangeView]
    then: str
    gained: list[str]


class ConditionView(TypedDict):
    summary: str
    outcome: str | None  # true, false, unknown (kinds.TRUE…), None when not evaluated
    outcome_text: str
    conversion: str | None  # the amount converted at the applicant's rate, in the page's language
    sources: list[tuple[str, str]]


class BenefitView(TypedDict):
    label: str
    applies: str | None
    arithmetic: str | None


class VerdictView(TypedDict):
    """One programme's verdict in one language, with its conditions, options and benefits."""

    programme: str
    href: str
    label: str
    verdict: str
    verdict_text: str
    missing: list[str]
    assessed: list[str]
    conditions: list[ConditionView]
    options: list[OptionView]
    benefits: list[BenefitView]


def _t(text: Any, lang: str) -> str:
    """A {ja, en} dict (or Text) in `lang`, else the other language."""
    get = text.get if hasattr(text, "get") else (lambda _k: None)
    return get(lang) or get("en") or get("ja") or ""


def _num(value: Any) -> str:
    d = Decimal(str(value))
    return format(d.quantize(Decimal(1)) if d == d.to_integral() else d.normalize(), "f")


# ---- the form <-> the JSON profile ------------------------------------------------------------

def _in_years(rules: Rulebook, key: str) -> bool:
    """A count of years (the property's declared ipkg:unit)."""
    spec = rules.profile_properties.get(key)
    return spec is not None and spec.unit == "year"


def _read(rules: Rulebook, key: str, form: Form) -> Any:
    """The JSON value of one profile property as the form gives it; None when empty. A value that
    does not read as its kind is passed on as given, for the schema to report."""
    spec, raw = rules.profile_properties[key], (form.get(key) or "").strip()
    if spec.kind == "exchange-rate":
        return _read_rates(key, form)
    if not raw:
        return None
    try:
        if spec.kind == "money":
            currency = form.get(key + "Currency") or CURRENCY_BY_COUNTRY.get(form.get("country", ""), "CNY")
            return {"value": float(Decimal(raw.replace(",", ""))), "currency": currency}
        if spec.kind in ("count", "number", "share"):
            d = Decimal(raw.replace(",", ""))
            d = d / 100 if spec.kind == "share" else d  # shares are entered as percentages
            return int(d) if d == d.to_integral() and (spec.kind == "count" or "." not in raw) else float(d)
    except InvalidOperation:
        return raw
    if spec.kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


RATE_PARTS = (("", "rate"), ("From", "rateFrom"), ("To", "rateTo"), ("Date", "rateDate"))  # form name suffix -> JSON key


def _read_rates(key: str, form: Form) -> list[JSON] | None:
    """The exchange rates the form gives: rows of `key` (the rate), `keyFrom`, `keyTo`, `keyDate`; a row
    with no rate is left out, a part missing is left for the schema to report."""
    columns = [form.getlist(key + suffix) for suffix, _ in RATE_PARTS]
    out = []
    for i in range(max(map(len, columns))):
        row = {name: (column[i].strip() if i < len(column) else "") for column, (_, name) in zip(columns, RATE_PARTS)}
        if not row["rate"]:
            continue
        try:
            rate: Any = float(Decimal(row["rate"].replace(",", "")))
        except InvalidOperation:
            rate = row["rate"]
        out.append({"rate": rate, **{k: v.upper() if k != "rateDate" else v for k, v in row.items() if k != "rate" and v}})
    return out or None


def body_from_form(rules: Rulebook, form: Form) -> JSON:
    """The JSON profile the form describes: answered fields, 'unknown' for those the applicant does not know."""
    body: JSON = {"applicant": {}}
    for key, spec in sorted(rules.profile_properties.items()):
        value = _read(rules, key, form)
        if value is not None:
            body.setdefault(spec.section, {})[key] = value
    given = {*body["applicant"], *body.get("filing", {})}
    unknown = sorted({k for k in form.getlist("unknown") if k in rules.profile_properties and k not in given})
    if unknown:
        body["unknown"] = unknown
    for key in ("asOf", "jurisdiction"):
        if form.get(key):
            body[key] = form[key].strip()
    if form.get("onlyEligible"):
        body["onlyEligible"] = True
    return body


def form_pairs(rules: Rulebook, body: JSON) -> list[tuple[str, str, str]]:
    """The hidden fields that carry a profile from one page to the next: (name, value, kind)."""
    out = []
    for section in ("applicant", "filing"):
        for key, value in body.get(section, {}).items():
            kind = rules.profile_properties[key].kind
            if kind == "money":
                out += [(key, _num(value["value"]), kind), (key + "Currency", value["currency"], "currency")]
            elif kind == "exchange-rate":
                for one in value:
                    out.append((key, _num(one["rate"]) if isinstance(one.get("rate"), (int, float)) else str(one.get("rate", "")), kind))
                    out += [(key + suffix, str(one.get(name, "")), "rate-part") for suffix, name in RATE_PARTS[1:]]
            elif kind == "share":
                out.append((key, _num(Decimal(str(value)) * 100), kind))
            elif kind == "boolean":
                out.append((key, "true" if value else "false", kind))
            else:
                out.append((key, str(value), kind))
    out += [("unknown", k, "unknown") for k in body.get("unknown", [])]
    out += [(k, str(body[k]), k) for k in ("asOf", "jurisdiction") if body.get(k)]
    return out


# ---- what the page shows, in one language -----------------------------------------------------

def _label_of_value(rules: Rulebook, key: str, value: Any, lang: str) -> str:
    """A fact's value as the applicant reads it: concept and place labels, amounts with currency, %, yes/no."""
    spec = rules.profile_properties.get(key)
    if value is None or spec is None:
        return UI["not_given"][lang] if value is None else str(value)
    if spec.kind == "exchange-rate":
        rates = value if isinstance(value, list) else [value]
        return ("、" if lang == "ja" else "; ").join(_rate_words(r) for r in rates if isinstance(r, dict))
    if spec.kind == "money" and isinstance(value, dict):
        return f"{Decimal(str(value['value'])):,.0f} {value['currency']}".replace(".0 ", " ")
    if spec.kind == "share":
        return f"{_num(Decimal(str(value)) * 100)} %"
    if spec.kind == "boolean":
        return UI["yes" if value else "no"][lang]
    if spec.kind in ("concept", "place"):
        table = rules.places if spec.kind == "place" else rules.concepts_by_key.get(spec.scheme or "", {})
        values: list[str] = value if isinstance(value, list) else [value]  # notations or slugs (profile.parse)
        return "、".join(_t(rules.labels.get(table.get(v, v)), lang) or str(v) for v in values) if lang == "ja" else \
            ", ".join(_t(rules.labels.get(table.get(v, v)), lang) or str(v) for v in values)
    if spec.kind == "number" and _in_years(rules, key):
        return f"{_num(value)} {UI['years'][lang]}" if lang == "en" else f"{_num(value)}{UI['years'][lang]}"
    return _num(value) if isinstance(value, (int, float)) else str(value)


def _rate_words(rate: JSON) -> str:
    """'1 JPY = 0.048 CNY (2025-06-01)', or a bound the advice proposes: '1 JPY ≤ 0.05 CNY'."""
    number = rate.get("rate", "")
    text = f"1 {rate.get('rateFrom', '?')} {rate.get('operator', '=')} {_num(number) if number != '' else '?'} {rate.get('rateTo', '?')}"
    return f"{text} ({rate['rateDate']})" if rate.get("rateDate") else text


def field_label(rules: Rulebook, key: str, lang: str) -> str:
    """'capital in JPY' (a missing fact) -> 資本金（JPY）; a key -> its label in the graph."""
    base, _, unit = key.partition(" in ")
    spec = rules.profile_properties.get(base)
    label = _t(spec.label, lang) if spec else base
    return f"{label}（{unit}）" if unit and lang == "ja" else f"{label} ({unit})" if unit else label


def source_label(iri: str) -> str:
    """…/doc/jpo-ip-ecosystem-2025/line/1301 -> jpo-ip-ecosystem-2025:1301; …/instrument/x/art/6 -> x art. 6."""
    parts = iri.rstrip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "line":
        return f"{parts[-3]}:{parts[-1]}"
    if len(parts) >= 4 and parts[-2] in ("art", "article"):
        return f"{parts[-3]} art. {parts[-1]}"
    return parts[-1]


def _question_view(rules: Rulebook, q: JSON | None, body: JSON, lang: str) -> QuestionView | None:
    """The next question with its texts, unit and choices in `lang`, ready for the template."""
    if q is None:
        return None
    out: QuestionView = {"field": q["field"], "type": q["type"], "label": _t(q["label"], lang), "help": _t(q["help"], lang),
           "settles": UI["settles"][lang].format(n=q["settles"]), "unit": "", "currency": None, "bounds": ""}
    if q["type"] == "money":
        out["currency"] = CURRENCY_BY_COUNTRY.get(body["applicant"].get("country", ""))
    elif q["type"] == "exchange-rate":  # the pair the verdicts wait for, the applicant's rate and its date to give
        pair = (q.get("pairs") or [{}])[0]
        out["rates"] = [{"rate": "", "rateFrom": pair.get("rateFrom", ""), "rateTo": pair.get("rateTo", ""), "rateDate": ""}]
    elif q["type"] == "share":
        out["unit"] = UI["percent"][lang]
    elif q["type"] == "number" and _in_years(rules, q["field"]):
        out["unit"] = UI["years"][lang]
    if q["type"] not in ("share",) and "minimum" in q:
        out["bounds"] = (UI["range"][lang].format(min=_num(q["minimum"]), max=_num(q["maximum"])) if "maximum" in q
                         else UI["at_least"][lang].format(min=_num(q["minimum"])))
    if "choices" in q:
        out["choices"] = _sorted_choices(q["choices"], lang, q["type"])
        out["radios"] = len(out["choices"]) <= MAX_RADIOS
    return out


def _sorted_choices(choices: list[JSON], lang: str, kind: str) -> list[Choice]:
    pairs = [(c["value"], _t(c["label"], lang) or c["value"]) for c in choices]
    return sorted(pairs, key=lambda p: p[0] if kind == "place" and lang == "ja" else p[1].lower())


def _full_form(rules: Rulebook, lang: str, body: JSON) -> dict[str, list[FieldView]]:
    """Every profile property, grouped applicant/filing, with the graph's label and help and its choices."""
    groups: dict[str, list[FieldView]] = {"applicant": [], "filing": []}
    values = {name: value for name, value, _k in form_pairs(rules, body)}
    for key, spec in sorted(rules.profile_properties.items(), key=lambda kv: (kv[1].section, kv[0] not in ("kind", "country", "region"), kv[0])):
        item: FieldView = {"field": key, "kind": spec.kind, "label": _t(spec.label, lang), "help": _t(spec.help, lang),
                "value": values.get(key, ""), "currency": values.get(key + "Currency", ""),
                "unit": UI["percent"][lang] if spec.kind == "share" else UI["years"][lang] if _in_years(rules, key) else ""}
        if spec.kind == "exchange-rate":  # the rates given, and a row for one more
            item["rates"] = [*body.get(spec.section, {}).get(key, []), {"rate": "", "rateFrom": "", "rateTo": "", "rateDate": ""}]
        elif spec.kind == "concept":
            item["choices"] = _sorted_choices(advice.choices(rules, spec.scheme or ""), lang, spec.kind)
        elif spec.kind == "place":
            item["choices"] = _sorted_choices(advice.place_choices(rules, key, Profile()), lang, spec.kind)
        groups[spec.section].append(item)
    return groups


def _conversion_words(conversion: JSON | None, lang: str) -> str | None:
    """A condition's conversion at the applicant's rate, in the page's language."""
    if not conversion:
        return None
    def grouped(x: str) -> str:
        return f"{Decimal(x):,}"
    return UI["conversion"][lang].format(amount=grouped(conversion["amount"]), source=conversion["rateFrom"], rate=conversion["rate"],
                                         converted=grouped(conversion["converted"]), target=conversion["rateTo"], date=conversion["rateDate"])


def _verdict_view(rules: Rulebook, v: JSON, lang: str, local: Callable[[str], str]) -> VerdictView:
    """One verdict in `lang`: conditions with outcome words and cited sources, the ways to become eligible."""
    conditions: list[ConditionView] = [{"summary": _t(c.get("summary", {}), lang), "outcome": c["outcome"],
                   "outcome_text": UI.get("outcome_" + str(c["outcome"]), {}).get(lang, str(c["outcome"])),
                   "conversion": _conversion_words(c.get("conversion"), lang),  # decided on the applicant's rate
                   "sources": [(local(s), source_label(s)) for s in (c.get("sources") or ([c["source"]] if c.get("source") else []))]}
                  for c in v.get("conditions", [])]
    assessed = [_t(rules.conditions[i].summary, lang) if i in rules.conditions else i for i in v.get("needsAssessment", [])]
    options: list[OptionView] = []
    for n, option in enumerate(v.get("toBecomeEligible", []), 1):
        changes: list[ChangeView] = [{"text": UI["change_to"][lang].format(label=field_label(rules, ch["field"], lang),
                                                         before=_label_of_value(rules, ch["field"], ch["from"], lang),
                                                         after=(_rate_words(ch["rateBound"]) if ch.get("rateBound")
                                                                else _label_of_value(rules, ch["field"], ch["to"], lang))),
                    "can": UI["can_" + ch["canChange"]][lang], "canChange": ch["canChange"], "summary": _t(ch.get("summary", {}), lang),
                    "note": (UI["rate_note"][lang].format(source=ch["rateBound"]["rateFrom"], target=ch["rateBound"]["rateTo"],
                                                         op=ch["rateBound"]["operator"], rate=ch["rateBound"]["rate"])
                             if ch.get("rateBound") else None),
                    "source": (local(ch["source"]), source_label(ch["source"])) if ch.get("source") else None}
                   for ch in option["changes"]]
        options.append({"title": UI["option"][lang].format(n=n), "changes": changes,
                        "then": UI["then"][lang].format(v=verdict_word(rules, option["verdict"], lang)),
                        "gained": [_t(b["label"], lang) + (f": {b['arithmetic']}" if b.get("arithmetic") else "")
                                   for b in option.get("benefitGained", [])]})
    benefits: list[BenefitView] = [{"label": _t(b.get("label", {}), lang), "applies": b.get("applies"), "arithmetic": b.get("arithmetic")}
                for b in v.get("benefit", {}).get("items", [])]
    return {"programme": v["programme"], "href": local(v["programme"]), "label": _t(v["label"], lang), "verdict": v["verdict"],
            "verdict_text": verdict_word(rules, v["verdict"], lang), "missing": [field_label(rules, m, lang) for m in v.get("missing", []) if not m.startswith("(")],
            "assessed": assessed, "conditions": conditions, "options": options, "benefits": benefits}


def verdict_word(rules: Rulebook, verdict: str, lang: str) -> str:
    iri = rules.concepts_by_key.get("verdict", {}).get(verdict)
    return _t(rules.labels.get(iri), lang) if iri else verdict


def _profile_view(rules: Rulebook, body: JSON, lang: str) -> list[tuple[str, str, str]]:
    """The profile used, as (section, label, value) rows."""
    return [(UI[section][lang], field_label(rules, key, lang), _label_of_value(rules, key, value, lang))
            for section in ("applicant", "filing") for key, value in body.get(section, {}).items()]


def _localise_problem(rules: Rulebook, problem: str, lang: str) -> str:
    head, sep, rest = problem.partition(": ")
    section, _, key = head.partition("/")
    return f"{field_label(rules, key, lang)}{sep}{rest}" if section in ("applicant", "filing") and key in rules.profile_properties else problem


# ---- the route ----------------------------------------------------------------------------------

def page(services: Services) -> Response:
    """GET: the first question. POST action=answer|unknown: the next question (or the result when none
    is left); action=results, or the full form's evaluate: the result; action=more: the questions again."""
    form: Form = request.form
    lang, rules = page_lang(), services.engine.rules
    action = form.get("action", "evaluate") if request.method == "POST" else "start"
    problems: list[str] = []
    if action == "unknown" and form.get("field") in rules.profile_properties:
        form = form.copy()
        form.pop(form["field"], None)
        form.add("unknown", request.form["field"])
    if action == "answer" and not (form.get(form.get("field") or "") or "").strip():
        problems.append(UI["please_answer"][lang])
    body = body_from_form(rules, form)
    profile, invalid = None, False
    try:
        profile = parse({**body, "explain": action in ("results", "evaluate")}, rules)
    except ProfileError as exc:
        problems += [_localise_problem(rules, p, lang) for p in exc.problems]
        invalid = True
        if action in ("answer", "unknown") and form.get("field") in rules.profile_properties:  # ask that question again
            form = form.copy()
            form.pop(form["field"], None)
            body = body_from_form(rules, form)
            try:
                profile = parse({**body, "explain": False}, rules)
            except ProfileError:
                profile = None
    answer = question = None
    if profile is not None:
        answer = advice.answer(services.engine, profile)
        if action not in ("results", "evaluate") or problems:
            question = advice.next_question(services.engine, profile, answer["verdicts"])
            if question is None and action in ("answer", "unknown") and not problems:
                answer = advice.answer(services.engine, dataclasses.replace(profile, explain=True, outcomes={}, memo={}))
                action = "results"
    show_results = answer is not None and action in ("results", "evaluate") and not problems
    link = lambda iri: local_path(iri, services.settings.base)
    verdicts = [_verdict_view(rules, v, lang, link) for v in answer["verdicts"]] if answer is not None and show_results else []
    currency_labels = {c: _t(rules.labels.get(rules.concepts_by_key.get("currency", {}).get(c, "")), lang) or c for c in CURRENCIES}
    html = render_template(
        "eligibility.html", lang=lang, ui={k: v[lang] for k, v in UI.items()}, problems=problems, body=body,
        hidden=form_pairs(rules, body), question=None if show_results else _question_view(rules, question, body, lang),
        answer=answer, show_results=show_results, verdicts=verdicts, verdict_word=lambda v: verdict_word(rules, v, lang),
        groups={v: [x for x in verdicts if x["verdict"] == v] for v in VERDICTS},
        profile_rows=_profile_view(rules, body, lang), unknown_labels=[field_label(rules, k, lang) for k in body.get("unknown", [])],
        body_json=json.dumps(body, ensure_ascii=False, indent=1), full=_full_form(rules, lang, body), currencies=CURRENCIES,
        rate_currencies=sorted(rules.currencies),
        currency_labels=currency_labels,
        script_data=json.dumps({"lang": lang, "ui": {k: v[lang] for k, v in UI.items()}, "currencyByCountry": CURRENCY_BY_COUNTRY,
                                "currencies": CURRENCIES, "rateCurrencies": sorted(rules.currencies), "maxRadios": MAX_RADIOS,
                                "currencyLabels": currency_labels, "years": [k for k in rules.profile_properties if _in_years(rules, k)], "sections": {k: s.section for k, s in rules.profile_properties.items()},
                                "labels": {k: _t(s.label, lang) for k, s in rules.profile_properties.items()}}, ensure_ascii=False).replace("</", "<\\/"),
        answers=_profile_view(rules, body, lang), money=lambda amount: f"{Decimal(str(amount)):,}")
    return Response(html, status=400 if invalid else 200, mimetype="text/html")


ROUTES = [Route("/eligibility", page, ("GET", "POST"))]


def create_blueprint(services: Services) -> Blueprint:
    return blueprint("eligibility_page", __name__, ROUTES, services)
