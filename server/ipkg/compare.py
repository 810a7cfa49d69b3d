"""One filing compared across every jurisdiction the graph covers: official fees, reductions, subsidies,
rewards and the applicant's net cost, each figure cited to its source line; and the conditions of the
programmes, kind by kind, side by side.

Why a module of its own: the comparison is a view over the eligibility engine, not a second engine.
Which reduction, subsidy or reward applies is decided by `eligibility.Engine` (the filing becomes one
applicant profile per jurisdiction); this module only picks the fees a filing pays, multiplies what
the rules state (claims, years, countries) and adds up per currency. Amounts stay in their own
currency; a converted figure appears only beside it, at a rate and date the caller gives. A figure
the graph does not hold is reported missing, with the reason, never estimated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib.term import Identifier

from .eligibility import Engine, ProfileError
from .eligibility.engine import cite
from .eligibility.kinds import SYMBOL, TRUE, plain_number
from .eligibility.profile import Profile, parse
from .eligibility.rates import PARTS, Conversion, read
from .eligibility.rules import Benefit, Fee, Rulebook, Text
from .errors import InvalidRequest
from .jsontypes import JSON
from .namespaces import sparql_prologue
from .store import Store

# fee categories a filing pays, by filing route (slugs of concept/fee-category); annual fees follow `years`
NATIONAL_FEES = ("application-fee", "examination-fee", "publication-fee", "additional-claim-fee", "excess-page-fee")
PCT_FEES = ("transmittal-fee", "search-fee", "international-filing-fee", "handling-fee", "preliminary-examination-fee")
ROUTE_FEES = {"domestic": NATIONAL_FEES, "pct-international": PCT_FEES}
AT_HOME_OFFICE = ("domestic", "pct-international")  # routes whose receiving office is the applicant's own country's
PROVINCE_KINDS = ("province", "autonomous-region", "municipality", "special-administrative-region")
SUBSIDY_KINDS = ("filing-subsidy",)  # benefit kinds that pay towards a filing (grant funding of projects does not)
PER_FILING = (None, "application", "grant")  # a stated amount the one filing receives once
# the fixed words of the answer (the page shows them translated; ipkg.web.compare.UI)
BASIS = ("official fees less the reductions and fixed subsidies that apply; what may apply, rewards, "
         "'up to' amounts and shares of costs are not counted")
NET_MISSING = "no fee amount of this filing is in the graph, so no net cost is computed"
FEE_NO_AMOUNT = "the source names this fee but states no amount"
MAX_YEARS = 20
MAX_COUNTRIES = 200
MAX_CLAIMS = 10_000


class CompareError(InvalidRequest):
    """A comparison that cannot be made as asked; `problems` lists every reason, each naming its parameter."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Filing:
    """The filing as asked (the request's words) and the applicant profile it becomes in every jurisdiction."""

    asked: dict[str, Any]
    facts: dict[str, Any]
    as_of: dt.date
    right: str
    route: str
    claims: int | None = None
    pages: int | None = None
    countries: int = 1
    years: int = 0
    jurisdictions: list[str] = field(default_factory=list)  # keys asked for; empty: all
    conversion: Conversion | None = None


@dataclass(frozen=True)
class Column:
    """A jurisdiction of the comparison: a country, or a province with its country's layer beneath it."""

    key: str  # the place's slug: jp, cn, cn-shandong
    place: str
    country: str
    label: Text

    @property
    def layers(self) -> tuple[str, ...]:
        return (self.country,) if self.place == self.country else (self.country, self.place)


def _one(args: Mapping[str, Any], name: str) -> str | None:
    value = args.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _int(args: Mapping[str, Any], name: str, low: int, high: int, problems: list[str]) -> int | None:
    raw = _one(args, name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name}: {raw!r} is not a whole number")
        return None
    if not low <= value <= high:
        problems.append(f"{name}: {value} is out of range ({low} to {high})")
        return None
    return value


def _many(args: Mapping[str, Any], name: str) -> list[str]:
    raw = args.get(name)
    values = raw if isinstance(raw, list) else [raw] if raw else []
    return [v.strip() for value in values for v in str(value).split(",") if v.strip()]


class Comparer:
    """Built once per app from the rulebook (and a few queries of its own for citations and places)."""

    def __init__(self, engine: Engine, store: Store):
        self.engine = engine
        self.rules: Rulebook = engine.rules

        def rows(body: str) -> list[dict[str, Identifier | None]]:
            result = store.query(sparql_prologue(store.ids) + body)
            return [dict(zip(result.variables, row)) for row in result.rows]

        self.fee_sources: dict[str, list[str]] = defaultdict(list)
        self.fee_office: dict[str, str] = {}  # fee -> country of the office charging it (absent: an international fee)
        self.fee_notes: dict[str, dict[str, str]] = defaultdict(dict)
        for r in rows("SELECT ?f ?s WHERE { ?f a ipkg:OfficialFee ; prov:wasDerivedFrom ?s } ORDER BY ?f ?s"):
            self.fee_sources[str(r["f"])].append(str(r["s"]))
        for r in rows("SELECT ?f ?j WHERE { ?f a ipkg:OfficialFee ; ipkg:chargedBy/ipkg:jurisdiction ?j . ?j ipkg:placeKind ?k "
                      "FILTER(STRENDS(STR(?k), '/place-kind/country')) }"):
            self.fee_office[str(r["f"])] = str(r["j"])
        for r in rows("SELECT ?f ?p ?v WHERE { ?f a ipkg:OfficialFee ; ?p ?v . VALUES ?p { ipkg:statedAs ipkg:dataQualityNote } }"):
            self.fee_notes[str(r["f"])][str(r["p"]).rsplit("/", 1)[-1]] = str(r["v"])
        self.benefit_kind: dict[str, str] = {str(r["b"]): str(r["k"]) for r in rows(
            "SELECT ?b ?k WHERE { ?b a ipkg:Benefit ; ipkg:benefitKind/skos:notation ?k }")}
        self.countries: dict[str, str] = {}
        self.province_of: dict[str, str] = {}  # a place at or below a province -> the province
        for r in rows("SELECT ?p WHERE { ?p ipkg:placeKind ?k FILTER(STRENDS(STR(?k), '/place-kind/country')) }"):
            self.countries[str(r["p"])] = str(r["p"])
        kinds = "|".join(PROVINCE_KINDS)
        for r in rows(f"SELECT ?p ?c WHERE {{ ?p ipkg:placeKind ?k ; ipkg:partOf ?c . ?c ipkg:placeKind ?ck "
                      f"FILTER(REGEX(STR(?k), '/place-kind/({kinds})$') && STRENDS(STR(?ck), '/place-kind/country')) }}"):
            self.province_of[str(r["p"])] = str(r["p"])
            self.countries[str(r["p"])] = str(r["c"])
        for place, ancestors in self.rules.ancestors.items():
            for a in ancestors:
                if a in self.province_of and place not in self.province_of:
                    self.province_of[place] = a
                    self.countries[place] = self.countries[a]
        self.columns = self._columns()

    # ---- jurisdictions -------------------------------------------------------------------------

    def _column(self, place: str) -> Column:
        return Column(place.rsplit("/", 1)[-1], place, self.countries.get(place, place), self.rules.labels[place])

    def _columns(self) -> list[Column]:
        """Every country whose office charges a fee or that has a programme, and every province with a programme."""
        places = set(self.fee_office.values())
        for programme in self.rules.programmes.values():
            for j in programme.jurisdictions:
                places.add(self.province_of.get(j, self.countries.get(j, j)))
        countries = sorted(p for p in places if self.countries.get(p) == p)
        provinces = sorted(p for p in places if p in self.province_of and self.province_of[p] == p)
        return [self._column(p) for p in countries + provinces]

    def _scope(self, programme_jurisdictions: Iterable[str], column: Column, layer: str) -> bool:
        """Does a programme belong to this layer of the column (the country itself, or within the province)?"""
        for j in programme_jurisdictions:
            if layer == column.country and j == layer:
                return True
            if layer != column.country and self.rules.is_a(j, layer):
                return True
        return False

    # ---- the request ---------------------------------------------------------------------------

    def filing(self, args: Mapping[str, Any], today: dt.date | None = None) -> Filing:
        """Read and check the request's parameters; CompareError lists every problem at once."""
        problems: list[str] = []
        known = {"right", "route", "applicantKind", "claims", "pages", "countries", "status", "serviceInvention", "years",
                 "asOf", "jurisdiction", "rate", "rateFrom", "rateTo", "rateDate", "format", "table", "lang"}
        if unknown := sorted(set(args) - known):
            problems.append(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        right, kind = _one(args, "right"), _one(args, "applicantKind")
        route = _one(args, "route") or "domestic"
        for name, value in (("right", right), ("applicantKind", kind)):
            if value is None:
                problems.append(f"{name} is required")
        claims = _int(args, "claims", 1, MAX_CLAIMS, problems)
        pages = _int(args, "pages", 1, MAX_CLAIMS, problems)
        countries = _int(args, "countries", 1, MAX_COUNTRIES, problems) or 1
        years = _int(args, "years", 0, MAX_YEARS, problems) or 0
        as_of = today or dt.date.today()
        if (raw := _one(args, "asOf")) is not None:
            try:
                as_of = dt.date.fromisoformat(raw)
            except ValueError:
                problems.append(f"asOf: {raw!r} is not a date (YYYY-MM-DD)")
        service = _one(args, "serviceInvention")
        if service is not None and service not in ("true", "false"):
            problems.append(f"serviceInvention: {service!r} must be true or false")
        wanted = _many(args, "jurisdiction")
        keys = {c.key for c in self.columns}
        if bad := [w for w in wanted if w not in keys]:
            problems.append(f"jurisdiction: {', '.join(map(repr, bad))} not covered by the graph; covered: {', '.join(sorted(keys))}")
        conversion = self._conversion(args, problems)
        filing_facts: dict[str, Any] = {"route": route}
        if right:
            filing_facts["ipRight"] = right
        for name, count in (("claims", claims), ("pages", pages)):
            if count is not None:
                filing_facts[name] = count
        if (status := _one(args, "status")) is not None:
            filing_facts["status"] = status
        if service is not None:
            filing_facts["serviceInvention"] = service == "true"
        body = {"applicant": {"kind": kind} if kind else {}, "filing": filing_facts, "asOf": as_of.isoformat(), "explain": False}
        profile: Profile | None = None
        try:
            profile = parse(body, self.rules)
        except ProfileError as exc:  # unknown concepts: the engine's own messages, named by our parameters
            names = {"applicant/kind": "applicantKind", "filing/ipRight": "right", "filing/route": "route", "filing/status": "status"}
            for p in exc.problems:
                field_name = p.split(":", 1)[0]
                problems.append(p.replace(field_name, names.get(field_name, field_name.rsplit("/", 1)[-1]), 1))
        if problems or profile is None:
            raise CompareError(problems)
        asked = {"right": right, "route": route, "applicantKind": kind, "claims": claims, "pages": pages, "countries": countries,
                 "status": filing_facts.get("status"), "serviceInvention": filing_facts.get("serviceInvention"), "years": years,
                 "asOf": as_of.isoformat()}
        return Filing(asked, profile.facts, as_of, profile.facts["ipRight"], profile.facts["route"], claims, pages, countries,
                      years, wanted, conversion)

    @staticmethod
    def _conversion(args: Mapping[str, Any], problems: list[str]) -> Conversion | None:
        """A converted column only with a rate, both currencies and the rate's date, all stated by the caller
        (read as a profile's exchange rates are: `eligibility.rates.read`)."""
        parts = {name: _one(args, name) for name in PARTS}
        if not any(parts.values()):
            return None
        conversion, wrong = read(parts)
        problems.extend(wrong)
        return conversion

    # ---- the comparison ------------------------------------------------------------------------

    def compare(self, filing: Filing) -> dict[str, Any]:
        engine = self.engine.at(filing.as_of)
        columns = [c for c in self.columns if not filing.jurisdictions or c.key in filing.jurisdictions]
        out = [self._cost_column(engine, filing, c) for c in columns]
        return {
            "filing": filing.asked,
            "conversion": None if filing.conversion is None else {
                "rate": plain_number(filing.conversion.rate), "from": filing.conversion.source, "to": filing.conversion.target,
                "date": filing.conversion.on.isoformat(),
                "note": "the rate and its date are the caller's; amounts are shown in their own currency first"},
            "jurisdictions": out,
            "conditions": self.conditions(engine.rules, columns),
        }

    def _profile(self, filing: Filing, column: Column) -> Profile:
        facts = dict(filing.facts)
        facts["country"] = column.country
        if column.place != column.country:
            facts["region"] = column.place
        if filing.route.rsplit("/", 1)[-1] in AT_HOME_OFFICE:
            facts["office"] = column.country
        facts.setdefault("filingDate", filing.as_of)  # the filing is made, and examination requested, on the as-of date
        facts.setdefault("examinationRequestDate", filing.as_of)
        return Profile(facts=facts, as_of=filing.as_of, jurisdiction=column.country, explain=False)

    def _cost_column(self, engine: Engine, filing: Filing, column: Column) -> dict[str, Any]:
        profile = self._profile(filing, column)
        verdicts = [v for v in engine.evaluate(profile)["verdicts"]
                    if any(self._scope(engine.rules.programmes[v["programme"]].jurisdictions, column, layer) for layer in column.layers)]
        fees, fees_missing = self._fees(engine, filing, column)
        reductions, subsidies, rewards = [], [], []
        for v in verdicts:
            if v["verdict"] == "not-eligible":
                continue
            for item in v.get("benefit", {}).get("items", []):
                benefit = engine.rules.benefits[item["benefit"]]
                status = "applies" if v["verdict"] == "eligible" and item["applies"] == TRUE else "may-apply"
                entry = {"programme": v["programme"], "programmeLabel": v["label"], "benefit": benefit.iri,
                         "label": dict(benefit.label.by_lang), "status": status, "layer": self._layer_of(engine, v["programme"], column),
                         **({"because": v["reason"]} if status != "applies" else {}), **self._cited(benefit.sources)}
                if benefit.stated_as:
                    entry["statedAs"] = benefit.stated_as
                if benefit.kind == "FeeReduction" and benefit.rate is not None:
                    reductions.append(self._reduction(entry, benefit, fees, filing))
                elif self.benefit_kind.get(benefit.iri) == "reward":
                    rewards.append(self._money(entry, benefit, filing))
                elif self.benefit_kind.get(benefit.iri) in SUBSIDY_KINDS:
                    subsidies.append(self._money(entry, benefit, filing))
        return {"key": column.key, "place": column.place, "label": dict(column.label.by_lang), "layers": list(column.layers),
                "fees": {"items": fees, **({"missing": fees_missing} if fees_missing else {})},
                "reductions": reductions, "subsidies": subsidies, "rewards": rewards,
                "netCost": self._net(fees, reductions, subsidies, filing.conversion)}

    def _layer_of(self, engine: Engine, programme: str, column: Column) -> str:
        return next(layer for layer in reversed(column.layers)
                    if self._scope(engine.rules.programmes[programme].jurisdictions, column, layer)).rsplit("/", 1)[-1]

    @staticmethod
    def _cited(sources: list[str]) -> dict[str, Any]:
        """The locators of a figure, in document and line order: the first as `source`, all of them as `sources`."""
        if not sources:
            return {"source": None, "cite": None, "sources": [], "citations": []}
        ordered = sorted(sources, key=lambda s: [int(p) if p.isdigit() else p for p in s.split("/")])
        citations, last_doc = [], None
        for s in ordered:  # "cnipa-fee-guide-2025:27", then "35", "61" for further lines of the same document
            doc, _, line = cite(s).rpartition(":")
            citations.append({"source": s, "text": line if doc and doc == last_doc else cite(s)})
            last_doc = doc or None
        return {"source": ordered[0], "cite": ", ".join(c["text"] for c in citations), "sources": ordered, "citations": citations}

    def _fee_fits(self, engine: Engine, fee: Fee, filing: Filing) -> bool:
        return not fee.rights or any(engine.rules.is_a(filing.right, r) for r in fee.rights)

    def _fees(self, engine: Engine, filing: Filing, column: Column) -> tuple[list[JSON], str | None]:
        """The official fees this filing pays in the column's country, line by line, with the units counted."""
        route = filing.route.rsplit("/", 1)[-1]
        categories = ROUTE_FEES.get(route)
        if categories is None:
            return [], (f"the graph holds no fees of the offices abroad that a {route} filing pays; "
                        f"only {', '.join(ROUTE_FEES)} filings are priced")
        out = []
        for fee in sorted(engine.rules.fees.values(), key=lambda f: f.iri):
            office = self.fee_office.get(fee.iri)
            category = (fee.category or "").rsplit("/", 1)[-1]
            if office not in (column.country, None) or (office is None and route != "pct-international"):
                continue
            if not self._fee_fits(engine, fee, filing):
                continue
            units, how = self._units(fee, category, categories, filing)
            if units is None:
                continue
            line: dict[str, Any] = {"fee": fee.iri, "label": dict(fee.label.by_lang), "category": category, "units": units,
                                    **self._cited(self.fee_sources.get(fee.iri, [])), **self.fee_notes.get(fee.iri, {})}
            if fee.value is not None and fee.currency:
                amount = fee.value * units
                line.update(unitAmount=plain_number(fee.value), amount=plain_number(amount), currency=fee.currency,
                            arithmetic=f"{how}{units} × {plain_number(fee.value)} = {plain_number(amount)} {fee.currency}")
                if filing.conversion and (conv := filing.conversion.apply(amount, fee.currency)):
                    line["converted"] = conv
            else:
                line.update(amount=None, currency=None, missing=FEE_NO_AMOUNT)
            out.append(line)
        if not out:
            return [], f"the graph holds no {route} fees of {column.country.rsplit('/', 1)[-1].upper()} for this right"
        if all(line["amount"] is None for line in out):
            return out, "the sources name these fees but state no amounts, so no total is computed"
        return out, None

    @staticmethod
    def _units(fee: Fee, category: str, categories: tuple[str, ...], filing: Filing) -> tuple[int | None, str]:
        """How many times the filing pays the fee (None: not at all), and the words of the count."""
        if category == "annual-fee":
            if not filing.years or fee.year_from is None:
                return None, ""
            years = [y for y in range(1, filing.years + 1) if fee.year_from <= y <= (fee.year_to or fee.year_from)]
            return (len(years), f"years {years[0]}–{years[-1]}: ") if years else (None, "")
        if category not in categories:
            return None, ""
        if fee.applies_above is not None:
            count = filing.claims if category == "additional-claim-fee" else filing.pages
            if count is None or count <= fee.applies_above:
                return None, ""
            unit = "claims" if category == "additional-claim-fee" else "pages"
            return count - fee.applies_above, f"{unit} beyond {fee.applies_above}: "
        return 1, ""

    def _reduction(self, entry: JSON, benefit: Benefit, fees: list[JSON], filing: Filing) -> JSON:
        """A fee reduction: its rate (the share waived) on the filing's fees it covers, and the saving."""
        assert benefit.rate is not None
        entry.update(rate=plain_number(benefit.rate), payableShare=plain_number(1 - benefit.rate), onFees=[])
        saving: dict[str, Decimal] = defaultdict(Decimal)
        for line in fees:
            if line["fee"] not in benefit.fees:
                continue
            if line["amount"] is None:
                entry["onFees"].append({"fee": line["fee"], "saving": None, "missing": "no amount for this fee in the sources"})
                continue
            cut = Decimal(line["amount"]) * benefit.rate
            saving[line["currency"]] += cut
            entry["onFees"].append({"fee": line["fee"], "saving": plain_number(cut.quantize(Decimal("0.01"))), "currency": line["currency"],
                                    "arithmetic": f"{line['amount']} × {plain_number(benefit.rate)} = {plain_number(cut)} {line['currency']}"})
        entry["saving"] = {c: plain_number(v.quantize(Decimal("0.01"))) for c, v in saving.items()}
        if not entry["onFees"]:
            entry["note"] = "none of the fees it covers is among this filing's fees"
        return entry

    def _money(self, entry: JSON, benefit: Benefit, filing: Filing) -> JSON:
        """A subsidy or reward: the stated amount times what the filing counts (countries, years), or why not."""
        per = benefit.per_unit.rsplit("/", 1)[-1] if benefit.per_unit else None
        entry["per"] = per
        currency = benefit.amount.get("currency")
        stated = benefit.amount.get("value"), benefit.amount.get("max")
        times, how = 1, ""
        if per == "country":
            times = min(filing.countries, benefit.max_count or filing.countries)
            how = f"{times} countr{'y' if times == 1 else 'ies'}" + (f" (at most {benefit.max_count})" if benefit.max_count else "") + " × "
        elif per == "year":
            times, how = filing.years, f"{filing.years} years × "
        elif per not in PER_FILING:
            times = 0
        if benefit.rate is not None and not any(v is not None for v in stated):
            entry.update(rate=plain_number(benefit.rate), amount=None,
                         missing="a share of costs the graph holds no amounts for; not added up")
        elif times == 0 or not currency:
            entry.update(amount=None, missing=(f"stated per {per}, which a single filing does not count; not added up" if per
                                               else "no amount the filing can count; not added up"))
            if stated[0] is not None or stated[1] is not None:
                shown = stated[0] if stated[0] is not None else stated[1]
                assert isinstance(shown, Decimal)
                entry["stated"] = {"amount": plain_number(shown), "currency": currency,
                                   "upTo": stated[0] is None}
        else:
            value, up_to = (stated[0], False) if stated[0] is not None else (stated[1], True)
            assert isinstance(value, Decimal)
            amount = value * times
            entry.update({"upTo" if up_to else "amount": plain_number(amount), "currency": currency,
                          "arithmetic": f"{'up to ' if up_to else ''}{how}{plain_number(value)} = {plain_number(amount)} {currency}"})
            if up_to:
                entry["amount"] = None
            if filing.conversion and (conv := filing.conversion.apply(amount, str(currency))):
                entry["converted"] = conv
        if benefit.cap:
            entry["cap"] = {k: (plain_number(v) if isinstance(v, Decimal) else v) for k, v in benefit.cap.items()}
        return entry

    @staticmethod
    def _net(fees: list[JSON], reductions: list[JSON], subsidies: list[JSON], conversion: Conversion | None) -> dict[str, Any]:
        """Fees less the reductions and fixed subsidies that apply, per currency. What only may apply (a fact not
        given, an authority's assessment, alternative tiers) is counted apart, never added in: tiers of one
        programme can exclude each other. Rewards, 'up to' amounts and shares of costs are not counted."""
        known = [f for f in fees if f["amount"] is not None]
        may = {"reductions": sum(r["status"] == "may-apply" for r in reductions),
               "subsidies": sum(s["status"] == "may-apply" for s in subsidies)}
        if not known:
            return {"amounts": {}, "mayApply": may, "missing": NET_MISSING}
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for f in known:
            totals[f["currency"]] += Decimal(f["amount"])
        net = dict(totals)
        best: dict[tuple[str, str], Decimal] = {}
        for r in reductions:  # per fee, the largest reduction that applies (reductions of one fee do not add up)
            if r["status"] == "applies":
                for on in r["onFees"]:
                    if on.get("saving") is not None:
                        key = (on["fee"], on["currency"])
                        best[key] = max(best.get(key, Decimal(0)), Decimal(on["saving"]))
        for (_fee, currency), cut in best.items():
            net[currency] -= cut
        for sub in subsidies:
            if sub["status"] == "applies" and sub.get("amount") is not None:
                net[sub["currency"]] = net.get(sub["currency"], Decimal(0)) - Decimal(sub["amount"])
        out: dict[str, Any] = {
            "fees": {c: plain_number(v) for c, v in totals.items()},
            "amounts": {c: plain_number(v) for c, v in net.items()},
            "mayApply": may,
            "basis": BASIS,
        }
        if missing := [f["fee"] for f in fees if f["amount"] is None]:
            out["incomplete"] = {"feesWithoutAmount": missing}
        if any(v < 0 for v in net.values()):
            out["note"] = "negative: the subsidies that apply exceed the fees"
        if conversion and conversion.source in net:
            out["converted"] = conversion.apply(net[conversion.source], conversion.source)
        return out

    # ---- conditions ----------------------------------------------------------------------------

    def conditions(self, rules: Rulebook, columns: list[Column]) -> dict[str, Any]:
        """One row per kind of condition with a stated threshold (the profile fact it bounds: years in use, income,
        R&D share …), one column per jurisdiction: each programme's bound there, with its source. A province's
        column holds its own programmes; the national ones are in the country's column."""
        cells: dict[str, dict[str, list[JSON]]] = defaultdict(lambda: defaultdict(list))
        for programme in sorted(rules.programmes.values(), key=lambda p: p.iri):
            if programme.iri in rules.programmes_out_of_force:
                continue
            column = next((c for c in columns if self._scope(programme.jurisdictions, c, c.layers[-1])), None)
            if column is None:
                continue
            tree = rules.tree(programme.requirement) + [c for b in programme.benefits if b in rules.benefits
                                                          for c in rules.tree(rules.benefits[b].condition)]
            seen = set()
            for c in tree:
                if c.kind != "AtomicCondition" or c.constrains is None or c.iri in seen:
                    continue
                if c.threshold is None and c.date_threshold is None:
                    continue
                seen.add(c.iri)
                bound = plain_number(c.threshold) if c.threshold is not None else str(c.date_threshold)
                unit = c.unit_notation or ""
                text = f"{SYMBOL.get(c.operator or '', c.operator)} {bound}{(' ' + unit) if unit else ''}"
                cell = cells[c.constrains][column.key]
                entry = next((e for e in cell if e["text"] == text), None)
                if entry is None:  # one entry per bound; the programmes stating it listed under it
                    entry = {"text": text, "operator": c.operator, "threshold": bound, "unit": unit or None, "programmes": []}
                    cell.append(entry)
                entry["programmes"].append({"programme": programme.iri, "programmeLabel": dict(programme.label.by_lang),
                                            "condition": c.iri, "definition": dict(c.summary.by_lang), **self._cited(c.sources)})
        rows = []
        for key in sorted(cells, key=lambda k: (rules.profile_properties[k].label.get("en") if k in rules.profile_properties else k)):
            spec = rules.profile_properties.get(key)
            rows.append({"kind": key, "label": dict(spec.label.by_lang) if spec else {"en": key},
                         "cells": {c.key: cells[key].get(c.key, []) for c in columns}})
        return {"jurisdictions": [c.key for c in columns], "rows": rows,
                "empty": "no programme of this jurisdiction states a condition of this kind"}


# ---- CSV -------------------------------------------------------------------------------------

COST_COLUMNS = ("jurisdiction", "section", "item", "label_en", "label_ja", "status", "amount", "currency", "arithmetic",
                "converted_amount", "converted_currency", "source", "note")
CONDITION_COLUMNS = ("kind", "jurisdiction", "programme", "condition", "operator", "threshold", "unit", "source")


def cost_rows(result: JSON) -> Iterable[tuple[object, ...]]:
    """The comparison flattened: one row per fee, reduction, subsidy, reward and net cost of each jurisdiction."""
    for col in result["jurisdictions"]:
        for f in col["fees"]["items"]:
            yield _row(col["key"], "fee", f, "due", f.get("amount"), f.get("currency"), f.get("missing") or f.get("dataQualityNote"))
        if not col["fees"]["items"] and col["fees"].get("missing"):
            yield (col["key"], "fee", "", "", "", "missing", "", "", "", "", "", "", col["fees"]["missing"])
        for r in col["reductions"]:
            for currency, saving in (r["saving"] or {"": None}).items():
                yield _row(col["key"], "reduction", r, r["status"], saving, currency or None,
                           f"rate {r['rate']} of the fees it covers" + ("" if saving is not None else "; no amount to reduce"))
        for section in ("subsidies", "rewards"):
            for s in col[section]:
                yield _row(col["key"], section[:-1] if section == "rewards" else "subsidy", s, s["status"],
                           s.get("amount") or s.get("upTo"), s.get("currency"), s.get("missing") or ("up to" if s.get("upTo") else None))
        net = col["netCost"]
        if not net["amounts"]:
            yield (col["key"], "net-cost", "", "", "", "missing", "", "", "", "", "", "", net["missing"])
        for currency, amount in net["amounts"].items():
            conv = net.get("converted") or {}
            yield (col["key"], "net-cost", "", "net cost", "", "computed", amount, currency, net["basis"],
                   conv.get("amount", ""), conv.get("currency", ""), "", net.get("note", ""))


def _row(key: str, section: str, item: JSON, status: str, amount: object, currency: str | None, note: str | None) -> tuple[object, ...]:
    label = item.get("label", {})
    conv = item.get("converted") or {}
    return (key, section, item.get("fee") or item.get("benefit") or "", label.get("en", ""), label.get("ja", ""), status,
            amount if amount is not None else "", currency or "", item.get("arithmetic", ""), conv.get("amount", ""),
            conv.get("currency", ""), item.get("source") or "", note or "")


def condition_rows(result: JSON) -> Iterable[tuple[object, ...]]:
    for row in result["conditions"]["rows"]:
        for key, entries in row["cells"].items():
            for e in entries:
                for p in e["programmes"]:
                    yield (row["kind"], key, p["programme"], p["condition"], e["operator"], e["threshold"], e["unit"] or "", p["source"] or "")
