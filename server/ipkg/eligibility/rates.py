"""Exchange rates a caller states: one vocabulary (`rate`, `rateFrom`, `rateTo`, `rateDate`) and one
check, shared by the eligibility profile (`exchangeRates`) and /api/compare's converted column.

Why a module of its own: a rate is never looked up nor defaulted, so both surfaces must read it the
same way and refuse the same bad ones (zero or negative, one currency to itself, a bad date, an
unknown code) with the same words; the comparison imports it from here rather than keeping a copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .kinds import plain_number

PARTS = ("rate", "rateFrom", "rateTo", "rateDate")  # the words of a rate, as /api/compare and profiles spell them
GIVEN_BY = {"en": "rate given by the applicant, {day}", "ja": "申請者が示したレート、{day}"}  # per language of the verdict's reason


def money(amount: Decimal) -> str:
    """An amount as a verdict shows it: thousands separated, at most two decimals."""
    q = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q:,.2f}".rstrip("0").rstrip(".") if q != q.to_integral() else f"{q:,.0f}"


@dataclass(frozen=True)
class Conversion:
    """A rate the caller states: 1 `source` = `rate` `target`, on `on`. Never looked up, never defaulted."""

    rate: Decimal
    source: str
    target: str
    on: dt.date

    def apply(self, amount: Decimal, currency: str | None) -> dict[str, str] | None:
        """The amount in the target currency, to the cent (the comparison's converted column)."""
        if currency != self.source:
            return None
        return {"amount": plain_number((amount * self.rate).quantize(Decimal("0.01"))), "currency": self.target}

    def words(self, amount: Decimal, lang: str = "en") -> str:
        """The arithmetic as a verdict states it: '50,000,000 JPY × 0.048 = 2,400,000 CNY (rate given by
        the applicant, 2025-06-01)'; in Japanese '…(申請者が示したレート、2025-06-01)'."""
        return (f"{money(amount)} {self.source} × {plain_number(self.rate)} = {money(amount * self.rate)} {self.target} "
                f"({GIVEN_BY[lang].format(day=self.on.isoformat())})")

    def as_json(self) -> dict[str, str]:
        """The rate in the request's own words, so a client can send it back as it is."""
        return {"rate": plain_number(self.rate), "rateFrom": self.source, "rateTo": self.target, "rateDate": self.on.isoformat()}


def read(parts: Mapping[str, object], where: str = "", known: frozenset[str] | None = None) -> tuple[Conversion | None, list[str]]:
    """One rate from its four parts (`rate`, `rateFrom`, `rateTo`, `rateDate`), or the problems that
    stop it, each naming its part (prefixed by `where`, e.g. 'applicant/exchangeRates/0/'). `known`:
    the currency codes a code must be one of (None: any three letters)."""
    problems: list[str] = []
    if missing := [n for n in PARTS if parts.get(n) in (None, "")]:
        return None, [f"{where}a conversion needs rate, rateFrom, rateTo and rateDate together; missing: {', '.join(missing)}"]
    raw = parts["rate"]
    rate = None
    try:
        if isinstance(raw, bool):
            raise InvalidOperation
        rate = Decimal(str(raw))
        if not rate.is_finite() or rate <= 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(f"{where}rate: {raw!r} is not a positive number")
    codes = [str(parts[n]).upper() for n in ("rateFrom", "rateTo")]
    if not all(len(c) == 3 and c.isalpha() and c.isascii() for c in codes) or codes[0] == codes[1]:
        problems.append(f"{where}rateFrom / rateTo: {codes[0]!r} → {codes[1]!r} must be two different ISO 4217 codes (CNY, JPY)")
    elif known is not None and (unknown := [c for c in codes if c not in known]):
        problems.append(f"{where}rateFrom / rateTo: {', '.join(map(repr, unknown))} is not a currency of the graph "
                        f"(known: {', '.join(sorted(known))})")
    on = None
    try:
        on = dt.date.fromisoformat(str(parts["rateDate"]))
    except ValueError:
        problems.append(f"{where}rateDate: {parts['rateDate']!r} is not a date (YYYY-MM-DD)")
    if problems or rate is None or on is None:
        return None, problems
    return Conversion(rate, codes[0], codes[1], on), []
