"""The eligibility form: a plain HTML page that builds a profile and shows the cited verdicts (no JavaScript needed)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ..eligibility import ProfileError
from ..eligibility.profile import fields, parse
from .api import engine
from .resources import local

bp = Blueprint("eligibility_page", __name__)

CONCEPT_FIELDS = {"kind": "applicant-kind", "ipRight": "ip-right", "route": "filing-route", "status": "filing-status"}


def _field_groups() -> tuple[list[str], list[str], list[str], list[str]]:
    """Money, number, yes/no and date fields of the profile, including the graph's own profile properties."""
    applicant, filing = fields(engine().rules)
    everything = {**applicant, **filing}
    pick = lambda kind: [k for k, (_s, what) in everything.items() if what == kind]
    return pick("money"), pick("number"), pick("boolean"), pick("date")


def _body_from_form(form) -> dict:
    """The JSON profile the form describes; empty fields are left out (unknown, not zero)."""
    money_fields, number_fields, boolean_fields, date_fields = _field_groups()
    applicant: dict = {}
    filing: dict = {}
    filing_fields = fields(engine().rules)[1]
    target = lambda key: filing if key in filing_fields else applicant
    for key in CONCEPT_FIELDS:
        if form.get(key):
            target(key)[key] = form[key]
    for key in ("country", "region", "office"):
        if form.get(key):
            target(key)[key] = form[key].strip()
    for key in money_fields:
        if form.get(key):
            try:
                applicant[key] = {"value": float(form[key]), "currency": form.get(f"{key}Currency", "CNY")}
            except ValueError:
                applicant[key] = form[key]  # the schema reports it
    for key in number_fields:
        if form.get(key):
            try:
                value = float(form[key])
                target(key)[key] = int(value) if value.is_integer() else value
            except ValueError:
                target(key)[key] = form[key]
    for key in boolean_fields:
        if form.get(key) in ("true", "false"):
            applicant[key] = form[key] == "true"
    for key in date_fields:
        if form.get(key):
            target(key)[key] = form[key].strip()
    body: dict = {"applicant": applicant}
    if filing:
        body["filing"] = filing
    for key in ("asOf", "jurisdiction"):
        if form.get(key):
            body[key] = form[key]
    if form.get("onlyEligible"):
        body["onlyEligible"] = True
    return body


def _choices(scheme: str) -> list[tuple[str, str]]:
    rules = engine().rules
    concepts = {iri for key, iri in rules.concepts_by_key.get(scheme, {}).items()}
    return sorted(((iri.rsplit("/", 1)[-1], rules.labels[iri].get("en")) for iri in concepts), key=lambda c: c[1])


@bp.route("/eligibility", methods=["GET", "POST"])
def page() -> Response:
    answer, problems, form = None, [], request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            answer = engine().evaluate(parse(_body_from_form(request.form), engine().rules))
        except ProfileError as exc:
            problems = exc.problems
    html = render_template("eligibility.html", answer=answer, problems=problems, form=form, local=local,
                           choices={k: _choices(s) for k, s in CONCEPT_FIELDS.items()},
                           **dict(zip(("money", "numbers", "booleans", "dates"), _field_groups())), labels=engine().rules.labels)
    return Response(html, status=400 if problems else 200, mimetype="text/html")
