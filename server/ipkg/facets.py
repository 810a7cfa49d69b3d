"""The facets of search and browse, declared once: each a SPARQL property path from a resource to its values.

The search index (search.py) records every resource's values along these paths at build time, and
the browse pages (browse.py) filter and count with the same paths over the store, so that the two
never disagree about which programme belongs to which jurisdiction. Hierarchies are followed
upwards (`ipkg:partOf*`, `skos:broader*`): a Jilin programme is also a Chinese one, a measure for an
invention patent is also one for 专利 (`patent-cn`) and for 特許 (`patent`), see ontology/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.namespace import ORG, OWL, SKOS, TIME

from .namespaces import IPKG, QB


@dataclass(frozen=True)
class Facet:
    """One facet: its request parameter, its words on a page, the path to its values, and where its values
    live (`place`, `concept/ip-right`: a value's IRI is `{base}id/{values}/{slug}`)."""

    name: str
    label: dict[str, str]
    path: str
    values: str


def _or_programmes(path: str) -> str:
    """`path` from the resource, or from the programmes that have it (or the instrument it is part of) as their
    legal basis: an instrument is about the rights, routes and applicants of the programmes it founds."""
    return f"({path}|^cv:hasLegalResource/({path})|eli:is_part_of+/^cv:hasLegalResource/({path}))"


# A resource's own jurisdiction, else that of what it is part of (an article's instrument), the
# programme or instrument that grants or imposes it (benefits, sanctions), or the authority charging it (fees).
_JURISDICTION = ("(ipkg:jurisdiction|eli:is_part_of+/ipkg:jurisdiction|^ipkg:hasBenefit/ipkg:jurisdiction"
                 "|^ipkg:hasSanction/ipkg:jurisdiction|ipkg:chargedBy/ipkg:jurisdiction)/ipkg:partOf*")

FACETS: tuple[Facet, ...] = (
    Facet("jurisdiction", {"ja": "法域", "en": "Jurisdiction"}, _JURISDICTION, "place"),
    Facet("right", {"ja": "知的財産権", "en": "IP right"},
          _or_programmes("ipkg:coversIPRight|ipkg:forIPRight") + "/skos:broader*", "concept/ip-right"),
    Facet("route", {"ja": "出願ルート", "en": "Filing route"},
          _or_programmes("ipkg:coversRoute|ipkg:forRoute") + "/skos:broader*", "concept/filing-route"),
    Facet("applicantKind", {"ja": "対象者", "en": "Applicant kind"},
          _or_programmes("ipkg:targetApplicantKind|ipkg:forApplicantKind") + "/skos:broader*", "concept/applicant-kind"),
    Facet("benefitKind", {"ja": "支援の種類", "en": "Benefit kind"},
          _or_programmes("ipkg:benefitKind|ipkg:hasBenefit/ipkg:benefitKind") + "/skos:broader*", "concept/benefit-kind"),
    Facet("status", {"ja": "状況", "en": "Status"}, "ipkg:status", "concept/programme-status"),
)
BY_NAME = {f.name: f for f in FACETS}
# A facet value ?v worth offering: not the root of a concept tree (`ip-right`, `applicant`, `any-route`,
# `benefit`), which every resource with any value reaches and so tells nothing.
VALUE_FILTER = "FILTER(isIRI(?v) && (EXISTS { ?v skos:broader ?up } || NOT EXISTS { ?down skos:broader ?v }))"

# When a resource was in force, where the graph says: a programme's start and end, an instrument's entry
# into force and end, a benefit's or condition's validity, an article's or chapter's instrument's dates.
START_PATH = "ipkg:startDate|ipkg:validFrom|eli:first_date_entry_in_force|eli:is_part_of+/eli:first_date_entry_in_force"
END_PATH = "ipkg:endDate|ipkg:validUntil|eli:date_no_longer_in_force|eli:is_part_of+/eli:date_no_longer_in_force"

# Kinds of resource, most specific first: a resource's kind is the first class it is an instance of.
KINDS: tuple[tuple[str, str], ...] = (
    ("programme", str(IPKG.Programme)),
    ("instrument", str(IPKG.LegalInstrument)),
    ("article", str(IPKG.Article)),
    ("chapter", str(IPKG.Chapter)),
    ("benefit", str(IPKG.Benefit)),
    ("fee", str(IPKG.OfficialFee)),
    ("sanction", str(IPKG.Sanction)),
    ("condition", str(IPKG.Condition)),
    ("deadline", str(IPKG.Deadline)),
    ("step", str(IPKG.ProcedureStep)),
    ("evidence", str(IPKG.EvidenceType)),
    ("evidence", str(IPKG.EvidenceTypeList)),
    ("authority", str(IPKG.Authority)),
    ("network", str(IPKG.Network)),
    ("event", str(IPKG.Event)),
    ("figure", str(IPKG.Figure)),
    ("place", str(IPKG.Place)),
    ("example", str(IPKG.WorkedExample)),
    ("rule", str(IPKG.CombinationRule)),
    ("document", str(IPKG.SourceDocument)),
    ("section", str(IPKG.SourceLocator)),
    ("dataset", str(QB.DataSet)),
    ("period", str(TIME.TemporalEntity)),
    ("membership", str(ORG.Membership)),
    ("concept", str(SKOS.Concept)),
    ("scheme", str(SKOS.ConceptScheme)),
    ("term", str(OWL.Class)),
    ("term", str(IPKG.ProfileProperty)),
    ("term", str(OWL.ObjectProperty)),
    ("term", str(OWL.DatatypeProperty)),
    ("term", str(OWL.AnnotationProperty)),
    ("term", str(OWL.Ontology)),
    ("term", str(IPKG.Operator)),
    ("term", str(QB.DataStructureDefinition)),
)
KIND_NAMES = tuple(dict.fromkeys(k for k, _ in KINDS))
# The words for kinds whose class has no ja/en label in the graph (the others are the class's labels).
KIND_WORDS: dict[str, dict[str, str]] = {
    "concept": {"ja": "概念", "en": "Concept"},
    "scheme": {"ja": "概念体系", "en": "Concept scheme"},
    "term": {"ja": "語彙の用語", "en": "Ontology term"},
    "section": {"ja": "資料の箇所", "en": "Source section"},
    "dataset": {"ja": "データセット", "en": "Data set"},
    "period": {"ja": "期間", "en": "Period"},
    "membership": {"ja": "加盟", "en": "Membership"},
}
