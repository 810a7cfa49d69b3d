"""The RDF form of profiles, and each programme's eligibility exported as SHACL shapes.

Profile: one `ipkg:ApplicantProfile` node whose predicates are the ProfileProperty IRIs; concepts and
places as IRIs, numbers as xsd:decimal, booleans as xsd:boolean, money as a schema:MonetaryAmount, an
exchange rate as a schema:ExchangeRateSpecification (schema:currency the currency converted from; its
schema:currentExchangeRate a schema:UnitPriceSpecification: schema:price, schema:priceCurrency, schema:validFrom).

Shapes: one sh:NodeShape per programme (target: every ApplicantProfile), its requirement as
sh:and / sh:or / sh:not of atomic shapes. SHACL is two-valued: a missing fact fails an atomic
shape, and a judgement condition is a shape nothing conforms to. Where the engine's verdict is
determinate (eligible / not eligible), every completion of the missing facts agrees, so SHACL
agrees with it (tests/test_eligibility_shapes.py checks this on generated profiles).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..namespaces import IPKG, SCHEMA, SH
from .kinds import NEVER, rdf_list, shape_of
from .profile import Profile, Rates
from .rates import Conversion
from .rules import Rulebook

SHAPES = "https://w3id.org/ipkg/def/eligibility-shapes/"


def profile_graph(profile: Profile, rules: Rulebook, node: URIRef | BNode | None = None) -> Graph:
    """The profile as RDF (the reverse of `profile_from_graph`)."""
    g = Graph()
    g.bind("ipkg", IPKG)
    g.bind("schema", SCHEMA)
    subject = node or BNode()
    g.add((subject, RDF.type, IPKG.ApplicantProfile))
    for key, value in profile.facts.items():
        prop = URIRef(rules.profile_keys[key])
        if isinstance(value, Rates):
            for _pair, conversion in sorted(value.items()):
                spec, price = BNode(), BNode()
                g.add((subject, prop, spec))
                g.add((spec, RDF.type, SCHEMA.ExchangeRateSpecification))
                g.add((spec, SCHEMA.currency, Literal(conversion.source)))
                g.add((spec, SCHEMA.currentExchangeRate, price))
                g.add((price, RDF.type, SCHEMA.UnitPriceSpecification))
                g.add((price, SCHEMA.price, Literal(conversion.rate, datatype=XSD.decimal)))
                g.add((price, SCHEMA.priceCurrency, Literal(conversion.target)))
                g.add((price, SCHEMA.validFrom, Literal(conversion.on, datatype=XSD.date)))
        elif isinstance(value, tuple):
            amount = BNode()
            g.add((subject, prop, amount))
            g.add((amount, RDF.type, SCHEMA.MonetaryAmount))
            g.add((amount, SCHEMA.value, Literal(value[0], datatype=XSD.decimal)))
            g.add((amount, SCHEMA.currency, Literal(value[1])))
        elif isinstance(value, bool):
            g.add((subject, prop, Literal(value)))
        elif isinstance(value, Decimal):
            g.add((subject, prop, Literal(value, datatype=XSD.decimal)))
        elif isinstance(value, dt.date):
            g.add((subject, prop, Literal(value, datatype=XSD.date)))
        else:
            for one in value if isinstance(value, list) else [value]:
                g.add((subject, prop, URIRef(one)))
    return g


def profile_from_graph(g: Graph, rules: Rulebook) -> Profile:
    """Read an RDF profile (exactly one ipkg:ApplicantProfile) into the engine's terms."""
    from .profile import ProfileError

    subjects = list(g.subjects(RDF.type, IPKG.ApplicantProfile))
    if len(subjects) != 1:
        raise ProfileError([f"an RDF profile needs exactly one ipkg:ApplicantProfile; found {len(subjects)}"])
    keys: dict[Node, str] = {URIRef(iri): key for key, iri in rules.profile_keys.items()}
    profile, problems = Profile(), []
    for p, o in g.predicate_objects(subjects[0]):
        if p == RDF.type:
            continue
        key = keys.get(p)
        if key is None:
            problems.append(f"<{p}> is not a profile property")
        elif isinstance(o, Literal):
            if o.datatype in (XSD.boolean, XSD.date):
                profile.facts[key] = o.toPython()
            else:
                try:
                    profile.facts[key] = Decimal(str(o))
                except ArithmeticError:
                    problems.append(f"<{p}>: {str(o)!r} is not a number")
        elif key == rules.rate_key:
            _rate_from_graph(g, o, profile, key, problems, rules)
        elif (o, RDF.type, SCHEMA.MonetaryAmount) in g or g.value(o, SCHEMA.value) is not None:
            profile.facts[key] = (Decimal(str(g.value(o, SCHEMA.value))), str(g.value(o, SCHEMA.currency)))
        elif key in profile.facts:  # several concepts: the applicant is several kinds at once
            held = profile.facts[key]
            profile.facts[key] = sorted({*(held if isinstance(held, list) else [held]), str(o)})
        else:
            profile.facts[key] = str(o)
    if problems:
        raise ProfileError(problems)
    return profile


def _rate_from_graph(g: Graph, node: Node, profile: Profile, key: str, problems: list[str], rules: Rulebook) -> None:
    """One schema:ExchangeRateSpecification into the profile's rates, checked as a JSON profile's are."""
    from .rates import read

    price = g.value(node, SCHEMA.currentExchangeRate)
    parts = {"rate": g.value(price, SCHEMA.price) if price is not None else None, "rateFrom": g.value(node, SCHEMA.currency),
             "rateTo": g.value(price, SCHEMA.priceCurrency) if price is not None else None,
             "rateDate": g.value(price, SCHEMA.validFrom) if price is not None else None}
    conversion, wrong = read({k: (None if v is None else str(v)) for k, v in parts.items()}, f"<{rules.profile_keys[key]}>: ",
                             rules.currencies)
    problems.extend(wrong)
    if isinstance(conversion, Conversion):
        rates = profile.facts.setdefault(key, Rates())
        if (conversion.source, conversion.target) in rates:
            problems.append(f"<{rules.profile_keys[key]}>: a second rate from {conversion.source} to {conversion.target}")
        rates[(conversion.source, conversion.target)] = conversion


def hierarchy_graph(rules: Rulebook) -> Graph:
    """The skos:broader and ipkg:partOf edges the exported shapes' property paths walk: add it to a
    profile's graph before validating, so that a micro enterprise is an SME and Hangzhou is in Zhejiang."""
    g = Graph()
    places = set(rules.places.values())
    for child, parents in rules.ancestors.items():
        for parent in parents:
            g.add((URIRef(child), IPKG.partOf if child in places else SKOS.broader, URIRef(parent)))
    return g


def export_shapes(rules: Rulebook, day: dt.date) -> Graph:
    """Every programme with a requirement in force on `day`, as a SHACL node shape over ApplicantProfiles."""
    g = Graph()
    for prefix, ns in (("sh", SH), ("ipkg", IPKG), ("schema", SCHEMA), ("skos", SKOS)):
        g.bind(prefix, ns)
    g.add((NEVER, RDF.type, SH.NodeShape))
    g.add((NEVER, RDFS.comment, Literal("Needs an assessment by the authority: no profile conforms.", lang="en")))
    g.add((NEVER, SH["in"], rdf_list(g, [])))
    current = rules.at(day)
    for iri, programme in sorted(rules.programmes.items()):
        if not programme.requirement or programme.requirement not in rules.conditions:
            continue
        shape = URIRef(SHAPES + iri.rsplit("/", 1)[-1])
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, IPKG.ApplicantProfile))
        g.add((shape, RDFS.label, Literal(f"eligibility for {programme.label.get('en')} on {day.isoformat()}", lang="en")))
        g.add((shape, RDFS.seeAlso, URIRef(iri)))
        in_force = iri not in current.programmes_out_of_force and programme.requirement in current.conditions
        g.add((shape, SH.node, shape_of(g, current, programme.requirement, day) if in_force else NEVER))
    return g
