"""A patent's deadline calendar: the dates the graph's fees and deadlines give for one filing, as events.

Given a filing date, a grant date (optional), a right and an office, the calendar dates every
deadline of that office's fees whose start the graph names as a time anchor
(`ipkg:countedFromEvent`): the application and substantive-examination fees from the filing date,
the registration payment from the grant, each patent year's annual fee from the anniversary of the
filing date, the surcharge window that follows each due date and the restoration window after it.
The amounts, lengths, year bands and source lines all come from the graph; this module knows only
what each anchor means. The application windows of the office country's funding programmes (with
the days of the year the sources give) are dated for the years of filing and grant.

A core module (no web imports): `GET /api/calendar` renders it as JSON or iCalendar (RFC 5545).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from dateutil.relativedelta import relativedelta
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from .citation import Source, sources_of
from .errors import InvalidRequest
from .jsontypes import JSON
from .namespaces import sparql_prologue
from .store import Store, bound, integer
from .terms import labels_of, slug

PRODID = "-//ipkg//deadline calendar//EN"
ANCHOR = "/concept/time-anchor/"  # the path of the time-anchor scheme under any base
PARAMETERS = ("filingDate", "grantDate", "right", "office", "region", "format", "lang")


class CalendarError(InvalidRequest, ValueError):
    """The request cannot be answered; `problems` says why, one readable line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Request:
    filing: dt.date
    grant: dt.date | None
    right: str  # concept IRI
    office: str  # ISO code, as the place's skos:notation
    region: str | None  # place IRI


@dataclass
class Event:
    uid: str
    kind: str  # the deadline kind's notation (payment-deadline, grace-period, …) or application-period
    summary: dict[str, str]  # ja, en
    start: dt.date
    end: dt.date  # inclusive: the last day of the window (= start for a due date)
    resource: str  # the deadline
    about: str  # the fee or programme
    amount: Decimal | None = None
    currency: str | None = None
    amount_note: str | None = None
    year: int | None = None  # the patent year, for annual fees
    note: str | None = None
    sources: list[Source] = field(default_factory=list)

    def description(self) -> str:
        parts = []
        if self.amount is not None:
            parts.append(f"Amount: {self.amount:f} {self.currency}" + (f" ({self.amount_note})" if self.amount_note else ""))
        elif self.amount_note:
            parts.append(self.amount_note)
        if self.note:
            parts.append(self.note)
        parts += [f"Source: {s.text()}" for s in self.sources]
        parts.append(f"Deadline: <{self.resource}>; about: <{self.about}>")
        return "\n".join(parts)

    def as_json(self) -> JSON:
        return {"uid": self.uid, "kind": self.kind, "summary": self.summary, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "year": self.year, "deadline": self.resource, "about": self.about,
                "amount": None if self.amount is None else {"value": float(self.amount), "currency": self.currency},
                "amountNote": self.amount_note, "note": self.note, "sources": [s.as_json() for s in self.sources],
                "description": self.description()}


@dataclass
class Calendar:
    request: Request
    events: list[Event]
    undated: list[JSON]  # deadlines of the office's fees counted from events the request does not give
    notes: list[str]


# ---------------------------------------------------------------- request


def _date(name: str, value: str | None, problems: list[str]) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{name} must be a date as YYYY-MM-DD, not {value!r}")
        return None


def parse_request(args: Mapping[str, str], store: Store) -> Request:
    """The request's parameters, checked against the graph (rights, offices, places); CalendarError says what is wrong."""
    problems = [f"unknown parameter {k!r}; the parameters are {', '.join(PARAMETERS)}" for k in args if k not in PARAMETERS]
    filing = _date("filingDate", args.get("filingDate"), problems)
    if "filingDate" not in args or args.get("filingDate") == "":
        problems.append("filingDate is required (YYYY-MM-DD)")
    grant = _date("grantDate", args.get("grantDate"), problems)
    if filing and grant and grant < filing:
        problems.append(f"grantDate {grant} is before filingDate {filing}")
    prologue = sparql_prologue(store.ids)
    rights = {str(n): str(c) for c, n in store.query(prologue + """SELECT DISTINCT ?c ?n WHERE {
        ?c skos:inScheme <concept/ip-right> ; skos:notation ?n . ?fee a ipkg:OfficialFee ; ipkg:forIPRight ?c ; ipkg:yearFrom ?y }""").rows}
    right = args.get("right", "")
    if right not in rights:
        problems.append(f"right must be one of {', '.join(sorted(rights))}, not {right!r}" if right else
                        f"right is required: one of {', '.join(sorted(rights))}")
    offices = {str(n) for (n,) in store.query(prologue + """SELECT DISTINCT ?n WHERE {
        ?a ipkg:authorityKind <concept/authority-kind/ip-office> ; ipkg:jurisdiction ?place .
        ?place ipkg:placeKind <concept/place-kind/country> ; skos:notation ?n }""").rows}
    office = args.get("office", "")
    if office not in offices:
        problems.append(f"office must be the country code of an IP office the graph holds ({', '.join(sorted(offices))}), not {office!r}")
    region = args.get("region") or None
    region_iri = None
    if region is not None:
        region_iri = store.ids + "place/" + region
        if not region.replace("-", "").isalnum() or not store.query(prologue + "ASK { ?p a ipkg:Place }", bindings={"p": URIRef(region_iri)}).boolean:
            problems.append(f"region must be a place of the graph (the slug of its IRI, as cn-guangxi), not {region!r}")
    if problems:
        raise CalendarError(problems)
    assert filing is not None
    return Request(filing, grant, rights[right], office, region_iri)


# ---------------------------------------------------------------- graph


def _num(term: Identifier | None) -> Decimal | None:
    return None if term is None else Decimal(str(term))


def _duration(term: Identifier | None) -> relativedelta | None:
    """An xsd:duration literal as a calendar step (years, months, days: what the deadlines use)."""
    if term is None:
        return None
    value = term.toPython() if isinstance(term, Literal) else None  # an IRI has no parts: no step
    return relativedelta(years=int(getattr(value, "years", 0)), months=int(getattr(value, "months", 0)),
                         days=int(getattr(value, "days", 0)))


def _fee_deadlines(store: Store, req: Request) -> list[JSON]:
    """The office's fees for the right (or a broader right) with each deadline, its anchor, length and labels.

    One record per row, keyed by the query's variables: text (or None), with `value` and `rate` as
    Decimal, `dur` a relativedelta, `from` and `to` int: mixed values, hence JSON-shaped."""
    rows = store.query(sparql_prologue(store.ids) + """SELECT ?fee ?cat ?value ?cur ?rate ?rateOf ?perUnit ?from ?to
            ?d ?kind ?anchor ?dur ?consequence ?counted WHERE {
        ?office ipkg:authorityKind <concept/authority-kind/ip-office> ; ipkg:jurisdiction/skos:notation ?code .
        ?fee a ipkg:OfficialFee ; ipkg:chargedBy ?office ; ipkg:forIPRight ?r ; ipkg:feeCategory ?cat ; ipkg:hasDeadline ?d .
        ?right skos:broader* ?r .
        ?d ipkg:deadlineKind/skos:notation ?kind .
        OPTIONAL { ?d ipkg:countedFromEvent ?anchor } OPTIONAL { ?d ipkg:duration ?dur }
        OPTIONAL { ?d ipkg:consequence ?consequence FILTER(langMatches(lang(?consequence), "en")) }
        OPTIONAL { ?d ipkg:countedFrom ?counted FILTER(langMatches(lang(?counted), "en")) }
        OPTIONAL { ?fee cv:hasValue ?value } OPTIONAL { ?fee ipkg:currency/skos:notation ?cur }
        OPTIONAL { ?fee ipkg:rate ?rate } OPTIONAL { ?fee ipkg:rateOf ?rateOf } OPTIONAL { ?fee ipkg:perUnit ?perUnit }
        OPTIONAL { ?fee ipkg:yearFrom ?from } OPTIONAL { ?fee ipkg:yearTo ?to }
    } ORDER BY ?fee ?d""", bindings={"code": Literal(req.office), "right": URIRef(req.right)}).rows
    names = ("fee", "cat", "value", "cur", "rate", "rateOf", "perUnit", "from", "to", "d", "kind", "anchor", "dur", "consequence", "counted")
    labels = labels_of(store, {str(term) for row in rows for term in (row[0], row[9])})
    out: list[JSON] = []
    for row in rows:
        r = dict(zip(names, row))
        fee, deadline = labels.get(str(r["fee"]), {}), labels.get(str(r["d"]), {})
        out.append({**{k: (str(v) if v is not None else None) for k, v in r.items()},
                    "en": fee.get("en"), "ja": fee.get("ja"), "den": deadline.get("en"), "dja": deadline.get("ja"),
                    "value": _num(r["value"]), "rate": _num(r["rate"]), "dur": _duration(r["dur"]),
                    "from": integer(r["from"]) if r["from"] is not None else None, "to": integer(r["to"]) if r["to"] is not None else None})
    return out



class FundingWindow(TypedDict):
    """A funding programme's application period: programme and deadline IRIs, their en/ja labels, and
    the opening and closing days of the year as --MM-DD."""

    p: str
    pen: str | None
    pja: str | None
    d: str
    den: str | None
    dja: str | None
    open: str | None
    close: str | None
    counted: str | None


def _funding_windows(store: Store, req: Request) -> list[FundingWindow]:
    """Application periods with days of the year, of the office country's funding programmes (in `region`, when given)."""
    rows = store.query(sparql_prologue(store.ids) + """SELECT DISTINCT ?p ?d ?open ?close ?counted WHERE {
        ?country skos:notation ?code ; ipkg:placeKind <concept/place-kind/country> .
        ?p ipkg:programmeKind <concept/programme-kind/funding> ; ipkg:jurisdiction ?where ; ipkg:hasProcedureStep/ipkg:hasDeadline ?d .
        ?where ipkg:partOf* ?country . ?where ipkg:partOf* ?region .
        ?d ipkg:deadlineKind <concept/deadline-kind/application-period> .
        { ?d ipkg:closesOn ?close OPTIONAL { ?d ipkg:opensOn ?open } } UNION { ?d ipkg:opensOn ?open FILTER NOT EXISTS { ?d ipkg:closesOn ?c } }
        FILTER(NOT EXISTS { ?p ipkg:coversIPRight ?any } || EXISTS { ?p ipkg:coversIPRight ?covered . ?right skos:broader* ?covered })
        OPTIONAL { ?d ipkg:countedFrom ?counted FILTER(langMatches(lang(?counted), "en")) }
    } ORDER BY ?p ?d ?close ?open""", bindings={"code": Literal(req.office), "right": URIRef(req.right),
                                                **({"region": URIRef(req.region)} if req.region else {})}).rows
    labels = labels_of(store, {str(term) for row in rows for term in row[:2]})
    return [FundingWindow(p=str(bound(p)), pen=(pl := labels.get(str(p), {})).get("en"), pja=pl.get("ja"),
                          d=str(bound(d)), den=(dl := labels.get(str(d), {})).get("en"), dja=dl.get("ja"),
                          open=_text(opens), close=_text(close), counted=_text(counted))
            for p, d, opens, close, counted in rows]


def _text(term: Identifier | None) -> str | None:
    return None if term is None else str(term)


# ---------------------------------------------------------------- events


def patent_year(filing: dt.date, day: dt.date) -> int:
    """The patent year `day` falls in: year 1 runs from the filing date to the day before its first anniversary."""
    return relativedelta(day, filing).years + 1


def _anchor(row: JSON) -> str | None:
    anchor = row["anchor"]
    return anchor.rsplit("/", 1)[-1] if anchor and ANCHOR in anchor else None


def build(store: Store, req: Request) -> Calendar:
    """Every event the graph dates for this filing, in date order, with what could not be dated and why."""
    rows = _fee_deadlines(store, req)
    notes: list[str] = []
    if not rows:
        notes.append(f"The graph holds no fee of the {req.office} office for this right with a deadline it can date.")
    events: list[Event] = []
    undated: list[JSON] = []
    annual = [r for r in rows if _anchor(r) == "patent-year-start" and r["from"] is not None]
    bands = sorted({(r["from"], r["to"], r["fee"], r["value"], r["cur"]) for r in annual})
    grace = next((r for r in rows if _anchor(r) == "due-date" and r["cat"] and r["cat"].endswith("/annual-fee")), None)
    surcharge = next((r for r in rows if grace and r["d"] == grace["d"] and r["rateOf"] and r["rateOf"].endswith("/annual-fee")), None)
    restoration = next((r for r in rows if _anchor(r) == "notice-of-lapse"), None)
    grant_year = patent_year(req.filing, req.grant) if req.grant else None

    def band(year: int) -> tuple[int, int, str, Decimal | None, str | None] | None:
        return next((b for b in bands if b[0] <= year <= b[1]), None)

    for r in rows:
        anchor = _anchor(r)
        label = {"en": r["den"] or slug(r["d"]), "ja": r["dja"] or r["den"] or slug(r["d"])}
        if anchor == "filing-date" and r["dur"] is not None:
            due = req.filing + r["dur"]
            events.append(Event(f"{slug(r['d'])}-{slug(r['fee'])}", r["kind"], label, due, due, r["d"], r["fee"],
                                r["value"], r["cur"], note=f"Counted from the filing date ({req.filing}); due by {due}."))
        elif anchor == "grant-date" and r["dur"] is not None:
            if req.grant is None:
                continue
            due = req.grant + r["dur"]
            amount, amount_note = r["value"], None
            if amount is None and r["rate"] is not None and r["rateOf"] and r["rateOf"].endswith("/annual-fee") and grant_year:
                b = band(grant_year)
                if b is not None:
                    amount = r["rate"] * b[3]
                    amount_note = f"the annual fee of patent year {grant_year}, the year of grant (<{b[2]}>)"
            events.append(Event(f"{slug(r['d'])}-{slug(r['fee'])}", r["kind"], label, due, due, r["d"], r["fee"], amount,
                                r["cur"] or (gb[4] if grant_year and (gb := band(grant_year)) else None), amount_note,
                                year=grant_year, note=f"Counted from the grant ({req.grant}); due by {due}."))
        elif anchor in ("patent-year-start", "due-date", "notice-of-lapse"):
            continue  # dated per patent year below
        elif r["d"] not in {u["deadline"] for u in undated}:
            undated.append({"deadline": r["d"], "label": label, "kind": r["kind"], "fee": r["fee"], "countedFrom": r["counted"],
                            "why": "counted from an event the request does not give" if anchor else "the graph names no event it is counted from"})
    if bands and req.grant is None:
        notes.append("No grantDate: annual fees are due from the patent year after the grant, so they are not dated.")
    elif bands and grant_year is not None:
        payment = annual[0]
        for year in range(grant_year + 1, max(b[1] for b in bands) + 1):
            b = band(year)
            if b is None:
                continue
            due = req.filing + relativedelta(years=year - 1)
            label = {"en": f"Annual fee for patent year {year}", "ja": f"第{year}年度の年金"}
            events.append(Event(f"annual-fee-year-{year}", payment["kind"], label, due, due, payment["d"], b[2], b[3], b[4], year=year,
                                note=f"Patent year {year} begins on {due} (the anniversary of the filing date); its fee is paid before it begins."))
            if grace and grace["dur"] is not None:
                last = due + grace["dur"]
                per_month = surcharge["rate"] * b[3] if surcharge and surcharge["rate"] is not None else None
                events.append(Event(f"late-payment-year-{year}", grace["kind"],
                                    {"en": f"Annual fee for year {year}: late payment with surcharge", "ja": f"第{year}年度の年金: 延滞金付きの追納期間"},
                                    due + relativedelta(days=1), last, grace["d"], surcharge["fee"] if surcharge else b[2],
                                    per_month, b[4], f"surcharge per month late: {surcharge['rate']:f} of {b[3]:f} {b[4]}" if per_month is not None and surcharge else None,
                                    year=year, note=grace["consequence"]))
                if restoration and restoration["dur"] is not None:
                    opens = last + relativedelta(days=1)
                    events.append(Event(f"restoration-year-{year}", restoration["kind"],
                                        {"en": f"Annual fee for year {year}: restoration window (at the earliest)", "ja": f"第{year}年度の年金: 権利回復の期間(最も早い場合)"},
                                        opens, opens + restoration["dur"] - relativedelta(days=1), restoration["d"], restoration["fee"],
                                        restoration["value"], restoration["cur"], year=year,
                                        note="The period runs from receipt of the notice of lapse, which comes after the grace period; "
                                             "shown from the day the grace period ends, so its real end is this date or later. "
                                             + (restoration["consequence"] or "")))
    years = sorted({req.filing.year, *( [req.grant.year] if req.grant else [])})
    for w in _funding_windows(store, req):
        for year in years:
            close = dt.date.fromisoformat(f"{year}-{w['close'][2:]}") if w["close"] else None
            opens = dt.date.fromisoformat(f"{year}-{w['open'][2:]}") if w["open"] else close
            assert opens is not None
            events.append(Event(f"{slug(w['d'])}-{year}", "application-period",
                                {"en": f"{w['pen'] or slug(w['p'])}: application period", "ja": f"{w['pja'] or w['pen'] or slug(w['p'])}: 申請期間"},
                                opens, close or opens, w["d"], w["p"],
                                note=" ".join(x for x in (w["den"] and w["den"].rstrip(".") + ".", f"Counted from: {w['counted']}." if w["counted"] else None,
                                                            f"Dated for {year}, the year of the {'filing' if year == req.filing.year else 'grant'}.") if x)))
    cited = sources_of(store, {e.resource for e in events} | {e.about for e in events} | {u["deadline"] for u in undated})
    for e in events:
        seen = set()
        amount_sources = cited.get(e.about, []) if e.amount is not None else []  # a programme's own lines are not the window's
        for s in cited.get(e.resource, []) + amount_sources:
            if s.locator not in seen:
                seen.add(s.locator)
                e.sources.append(s)
    for u in undated:
        u["sources"] = [s.as_json() for s in cited.get(u["deadline"], [])]
    events.sort(key=lambda e: (e.start, e.end, e.uid))
    return Calendar(req, events, undated, notes)


# ---------------------------------------------------------------- renderings


def to_json(cal: Calendar) -> JSON:
    req = cal.request
    return {"request": {"filingDate": req.filing.isoformat(), "grantDate": req.grant.isoformat() if req.grant else None,
                        "right": req.right, "office": req.office, "region": req.region},
            "events": [e.as_json() for e in cal.events], "undated": cal.undated, "notes": cal.notes}


def to_ical(cal: Calendar, version: str, stamp: dt.date | None, lang: str = "en") -> bytes:
    """The calendar as RFC 5545 iCalendar: one all-day VEVENT per event (DTEND the day after its last day)."""
    import icalendar

    ical = icalendar.Calendar()
    ical.add("prodid", PRODID)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("x-wr-calname", f"ipkg deadlines: {slug(cal.request.right)}, {cal.request.office}, filed {cal.request.filing}")
    when = dt.datetime.combine(stamp or dt.date.today(), dt.time(), dt.UTC)
    for e in cal.events:
        event = icalendar.Event()
        event.add("uid", f"{e.uid}-{cal.request.filing}@ipkg")
        event.add("dtstamp", when)
        event.add("dtstart", e.start)
        event.add("dtend", e.end + dt.timedelta(days=1))
        event.add("summary", e.summary.get(lang) or e.summary["en"])
        event.add("description", e.description() + f"\nRelease: {version}")
        event.add("url", e.resource)
        event.add("categories", [e.kind])
        ical.add_component(event)
    return bytes(ical.to_ical())  # icalendar's to_ical is unannotated; it returns the bytes
