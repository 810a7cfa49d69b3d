"""What assignment of the right does to a recognition or funding (model 1.5.0, issue 17), read off the articles.

The sources were searched for 譲渡, 移転, 転譲, 譲り受, 譲受: 001 states an effect of assignment for eight
famous-trademark recognitions and for Guangxi's annuity funding; Jilin's and Qinghai's famous-trademark rules say
nothing of it; no source says what happens to funding already paid when a funded patent is assigned.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import ROOT
from ipkg.config import Settings
from ipkg.sources import sources_dir

ID = "https://w3id.org/ipkg/id/"
SOURCES = sources_dir(Settings.from_env(ROOT))

EFFECTS = {  # programme: (effect, the line that states it)
    "shanghai-famous-trademark-recognition": ("reapplication-required", 258),
    "henan-famous-trademark-recognition": ("reapplication-required", 942),
    "guizhou-famous-trademark-recognition": ("reapplication-required", 1580),
    "yunnan-famous-trademark-recognition": ("reapplication-required", 1845),
    "ningxia-famous-trademark-recognition": ("reapplication-required", 2282),
    "guangdong-famous-trademark-recognition": ("lapses", 1133),
    "anhui-famous-trademark-recognition": ("follows-with-approval", 701),
    "chongqing-famous-trademark-recognition": ("must-be-reported", 1412),
    "guangxi-patent-funding": ("not-eligible", 3355),
}
ASSIGNMENT_WORDS = ("譲渡", "移転", "転譲", "譲り受", "譲受")


def source_001() -> list[str]:
    path = next(SOURCES.glob("001_*.txt"), None)
    if path is None:
        pytest.skip(f"source 001 not found in {SOURCES}")
    return path.read_text(encoding="utf-8").splitlines()


def rules(kg) -> list[dict]:
    return kg.rows("""SELECT ?p ?rule ?effect ?stated ?from ?to WHERE { ?p ipkg:hasAssignmentRule ?rule .
        ?rule ipkg:assignmentEffect ?effect ; ipkg:statedAs ?stated ; prov:wasDerivedFrom ?art .
        ?art a ipkg:Article ; ipkg:line ?from ; ipkg:lineEnd ?to }""")


def test_the_effect_of_assignment_per_programme(kg):
    got = {r["p"].removeprefix(ID + "programme/"): r["effect"].rsplit("/", 1)[-1] for r in rules(kg)}
    assert got == {p: e for p, (e, _line) in EFFECTS.items()}
    assert Counter(got.values()) == {"reapplication-required": 5, "lapses": 1, "follows-with-approval": 1,
                                     "must-be-reported": 1, "not-eligible": 1}


def test_each_rule_cites_the_article_whose_words_it_keeps(kg):
    lines = source_001()
    for r in rules(kg):
        _effect, line = EFFECTS[r["p"].removeprefix(ID + "programme/")]
        assert r["from"] <= line <= r["to"], r["rule"]
        assert r["stated"].replace(" ", "") in lines[line - 1].replace(" ", ""), r["rule"]
        assert any(w in r["stated"] for w in ASSIGNMENT_WORDS), r["rule"]


def test_rules_enforced_by_a_sanction_name_one_that_punishes_transfer(kg):
    rows = kg.rows("""SELECT ?rule ?s WHERE { ?rule ipkg:enforcedBy ?s .
        ?s ipkg:punishesConduct/skos:broader* <concept/sanctioned-conduct/transfer> }""")
    assert {(r["rule"].rsplit("/", 1)[-1], r["s"].rsplit("/", 1)[-1]) for r in rows} == {
        ("anhui", "anhui-ftm-unapproved-transfer-revocation"),   # 001:768
        ("henan", "henan-ftm-transfer-revocation"),             # 001:954
        ("guangdong", "guangdong-ftm-cancellation")}            # 001:1191


def test_chongqing_transfers_are_filed_within_30_days(kg):
    assert kg.ask("""ASK { <assignment-rule/chongqing> ipkg:hasDeadline ?d ; ipkg:dataQualityNote ?n .
        ?d ipkg:duration "P30D"^^xsd:duration }""")  # 001:1412


@pytest.mark.parametrize("instrument", ["jilin-famous-trademark-regulation", "qinghai-famous-trademark-measures"])
def test_instruments_without_an_assignment_rule_say_nothing_of_assignment(kg, instrument):
    rows = kg.rows(f"""SELECT (MIN(?from) AS ?first) (MAX(?to) AS ?last) WHERE {{
        ?a eli:is_part_of <instrument/{instrument}> ; a ipkg:Article ; ipkg:line ?from ; ipkg:lineEnd ?to }}""")
    text = "\n".join(source_001()[rows[0]["first"] - 1:rows[0]["last"]])
    assert text and not any(w in text for w in ASSIGNMENT_WORDS)
    assert not kg.ask(f"ASK {{ ?p ipkg:hasAssignmentRule ?r ; cv:hasLegalResource <instrument/{instrument}> }}")
