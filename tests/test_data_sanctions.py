"""Whom each sanction targets and the conduct it punishes (model 1.5.0, issue 17): typed values, read off the articles.

Every sanction of the graph (104 of the local regulations, source 001, and the CNIPA lapse of source 003) has
`ipkg:targetsParty` and `ipkg:punishesConduct`. The tests check the counts a researcher compares jurisdictions by,
and that each value is grounded: the lines the sanction cites name the party (職員, 評議審査, 代理機構 …) and
the conduct (虚偽, 譲渡, 更新 …). Where an article punishes by reference to another (本弁法第26条(4)に違反), the
sanction cites that article too: it is the one that names the party and the conduct.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import ROOT, shacl_report
from ipkg.config import Settings
from ipkg.namespaces import SH
from ipkg.sources import sources_dir

ID = "https://w3id.org/ipkg/id/"
SOURCES = sources_dir(Settings.from_env(ROOT))

# Words that name each target and each conduct in the sources (Japanese translation of 001, and 003).
TARGET_WORDS = {
    "applicant-or-holder": ("申請", "所有者", "登録者", "専利権者", "企業", "特許", "取得"),
    "third-party": ("他人", "無断", "任何", "認定されず", "認定を得ずに", "許諾を得ず", "侵害", "類似する標識"),
    "official": ("職員", "担当者"),
    "reviewer": ("評議審査", "評価審査", "審査委", "専門家", "担当者"),
    "intermediary": ("代理機構", "仲介機構", "委託された単位", "機構"),
}
CONDUCT_WORDS = {
    "fraud-in-application": ("虚偽", "欺", "詐", "騙"),
    "misuse-of-title": ("超え", "規定に違反して", "貸与", "貸し出し", "範囲", "許可されていない"),
    "unauthorised-use-of-title": ("無断", "認定されず", "認定を得ずに", "許諾されず", "類似する標識"),
    "certificate-forgery": ("偽造", "書き直し", "書直し", "貸与", "貸し出し"),
    "infringement": ("侵害", "模倣", "偽造", "複写", "類似する"),
    "quality-failure": ("品質", "粗製", "粗悪", "苦情", "夾雑物"),
    "loss-of-conditions": ("条件", "低下", "取り消され", "取消または抹消", "合致しな", "認可されなかった"),
    "wrongful-recognition": ("認定条件に合致していない", "手続きに違反", "事実である"),
    "non-use": ("使用されていない",),
    "voluntary-surrender": ("抹消を申請",),
    "failure-to-renew": ("更新",),
    "failure-to-file": ("届",),
    "transfer": ("譲渡",),
    "unapproved-transfer": ("許可を得ずに",),
    "abuse-of-office": ("職権", "職務", "紀律", "不正"),
    "reviewer-misconduct": ("賄賂", "接触", "利得", "明かした", "回避", "秘密"),
    "abnormal-application": ("非正常", "不正に申請"),
    "misuse-of-funds": ("流用",),
    "duplicate-application": ("重複",),
    "non-payment": ("返却しない", "特許料", "失う"),
    "other-violation": ("その他", "違反", "脱税"),
}
def source_lines(code: str) -> list[str]:
    path = next(SOURCES.glob(f"{code}_*.txt"), None)
    if path is None:
        pytest.skip(f"source {code} not found in {SOURCES}")
    return path.read_text(encoding="utf-8").splitlines()


DOC_CODE = {"cn-local-regulations-ch4": "001", "cnipa-fee-guide-2025": "003"}


def cited_text(kg, sanction: str) -> str:
    """The text of every line the sanction cites (its articles' line ranges, or its line locators)."""
    rows = kg.rows(f"""SELECT ?doc ?from ?to WHERE {{ <{sanction}> prov:wasDerivedFrom ?loc .
        ?loc ipkg:inDocument ?doc ; ipkg:line ?from . OPTIONAL {{ ?loc ipkg:lineEnd ?end }} BIND(COALESCE(?end, ?from) AS ?to) }}""")
    text = []
    for r in rows:
        lines = source_lines(DOC_CODE[r["doc"].rsplit("/", 1)[-1]])
        text += lines[r["from"] - 1:r["to"]]
    return "\n".join(text)


def typed(kg, prop: str) -> dict[str, set[str]]:
    rows = kg.rows(f"SELECT ?s ?c WHERE {{ ?s a ipkg:Sanction ; ipkg:{prop} ?c }}")
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["s"], set()).add(r["c"].rsplit("/", 1)[-1])
    return out


def test_every_sanction_has_a_target_and_a_conduct(kg):
    sanctions = {r["s"] for r in kg.rows("SELECT ?s WHERE { ?s a ipkg:Sanction }")}
    assert len(sanctions) == 105
    assert set(typed(kg, "targetsParty")) == sanctions
    assert set(typed(kg, "punishesConduct")) == sanctions


def test_sanctions_by_target_across_jurisdictions(kg):
    rows = kg.rows("""SELECT ?target (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?place) AS ?places) WHERE {
        ?s a ipkg:Sanction ; ipkg:targetsParty ?target .
        { ?holder ipkg:hasSanction ?s ; ipkg:jurisdiction ?place }
        UNION { ?s ipkg:imposedBy/ipkg:jurisdiction ?place FILTER NOT EXISTS { ?holder ipkg:hasSanction ?s } } }
        GROUP BY ?target""")
    got = {r["target"].rsplit("/", 1)[-1]: (r["n"], r["places"]) for r in rows}
    assert got == {
        "applicant-or-holder": (63, 17),  # every family: the enterprise or holder that applied
        "third-party": (27, 10),          # the ten famous-trademark instruments' infringers and unauthorised users
        "official": (12, 10),             # 工商行政管理部門の職員 … in ten provinces; 001:2783 Shanghai IPO staff; 001:2531
        "reviewer": (7, 6),               # 001:798, 1471, 1223, 1733, 972, 334 and the Chongqing experts of 001:2531
        "intermediary": (4, 3),           # 001:3521 専利代理機構, 001:2779 委託された単位, 001:2531 財務仲介機構 (twice)
    }


def test_the_intermediaries_sanctioned_are_those_the_articles_name(kg):
    rows = kg.rows("SELECT ?s WHERE { ?s ipkg:targetsParty <concept/sanction-target/intermediary> }")
    assert {r["s"].removeprefix(ID + "sanction/") for r in rows} == {
        "guangxi-funding-agency-fraud", "shanghai-funding-agency-fraud",
        "chongqing-high-tech-intermediary-disqualification", "chongqing-high-tech-participant-discipline"}


def test_sanctions_for_transfer_of_a_famous_trademark(kg):
    rows = kg.rows("""SELECT ?s WHERE { ?s ipkg:punishesConduct/skos:broader* <concept/sanctioned-conduct/transfer> }""")
    assert {r["s"].removeprefix(ID + "sanction/") for r in rows} == {
        "anhui-ftm-unapproved-transfer-revocation",  # 001:768 許可を得ずに著名商標を譲渡した場合
        "henan-ftm-transfer-revocation",             # 001:954 譲渡したが…認定を再度行っていない
        "guangdong-ftm-cancellation"}                # 001:1191 譲渡され、改めて認定を申請しなかった


@pytest.mark.parametrize("prop,words", [("targetsParty", TARGET_WORDS), ("punishesConduct", CONDUCT_WORDS)])
def test_each_value_is_named_in_the_lines_the_sanction_cites(kg, prop, words):
    missing = []
    for sanction, values in sorted(typed(kg, prop).items()):
        slug = sanction.removeprefix(ID + "sanction/")
        text = cited_text(kg, sanction)
        for value in values:
            assert value in words, f"{slug}: {value} is not a concept of the scheme"
            if not any(w in text for w in words[value]):
                missing.append((slug, value))
    assert missing == [], missing


def test_fraud_in_application_is_the_most_punished_conduct(kg):
    rows = kg.rows("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s ipkg:punishesConduct ?c } GROUP BY ?c")
    counts = Counter({r["c"].rsplit("/", 1)[-1]: r["n"] for r in rows})
    assert counts.most_common(1) == [("fraud-in-application", 29)]
    assert counts["non-payment"] == 2  # 003:146 the lapsed patent; 001:3064 funding not returned


BROKEN = """
@prefix ipkg: <https://w3id.org/ipkg/def/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@base <https://w3id.org/ipkg/id/> .
<sanction/fixture-untyped> a ipkg:Sanction ; rdfs:label "A sanction that says not whom it targets"@en ;
    ipkg:sanctionKind <concept/sanction-kind/fine> ; ipkg:triggeredBy "Something."@en ;
    ipkg:punishesConduct <concept/sanction-target/official> ;
    prov:wasDerivedFrom <doc/cnipa-fee-guide-2025/line/32> .
<assignment-rule/fixture-no-effect> a ipkg:AssignmentRule ; rdfs:label "A rule without an effect"@en ;
    ipkg:statedAs "譲渡" ; prov:wasDerivedFrom <doc/cnipa-fee-guide-2025/line/32> .
"""


def test_the_shapes_refuse_an_untyped_sanction_and_an_assignment_rule_without_effect():
    conforms, report = shacl_report(BROKEN)
    assert not conforms
    messages = {str(m) for m in report.objects(None, SH.resultMessage)}
    assert any("ipkg:targetsParty" in m for m in messages), messages          # no target at all
    assert any("ipkg:punishesConduct" in m for m in messages), messages       # a target concept given as conduct
    assert any("ipkg:assignmentEffect" in m for m in messages), messages
    assert any("ipkg:hasAssignmentRule" in m for m in messages), messages     # no programme has it
