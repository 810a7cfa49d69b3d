"""Nineteen complete, realistic applicant profiles (Japanese and Chinese applicants of every kind,
students, foreign applicants, several dates), used by bench/eligibility.py to measure how many verdicts the
rules decide. "Complete" means every fact a condition of the graph can ask about is given, so that
what stays undetermined is left to an authority by the sources, not missing from the profile: an
individual says whether it is a student (kind `student`, or `non-student-individual`), since an
individual alone may be one and a condition on students then stays undetermined. One gives an
exchange rate (the Japanese SME in China: its yen amounts against CNIPA's yuan thresholds), since no
rate is ever looked up or defaulted.
"""

from __future__ import annotations

# Facts every applicant states (the clean record of an ordinary applicant); each persona overrides some.
COMMON = {
    "hasOwnershipDispute": False, "hadSeriousViolation": False, "hadQualitySafetyIncident": False,
    "controlledByLargeEnterprise": False, "certifiedFukushimaPlan": False, "jointApplicants": 1,
    "ownsCoreIP": True, "yearsRegistered": 6, "yearsInUse": 8, "yearsSinceSeriousViolation": 30,
    "rdStaffShare": 0.2, "rdSpendingShare": 0.05, "highTechRevenueShare": 0.65, "technicalStaffShare": 0.35,
    "domesticRdSpendingShare": 0.9, "filedElectronically": True, "foreignFilingSecurityCleared": True,
    "usedPatentAgency": True, "feeReliefApplied": False, "acquiredByAssignment": False, "patentImplemented": True,
    "alreadyFunded": False, "sector": "manufacturing-and-other",
}
FILING = {"ipRight": "invention-patent", "route": "domestic", "status": "filed", "claims": 12, "pages": 30, "serviceInvention": True,
          "annuityYear": 3, "filingDate": "2025-03-01", "examinationRequestDate": "2025-04-01"}


def company(kind, country, region, employees, capital, currency, age, revenue, income, **more):
    return {"kind": kind, "country": country, "region": region, "employees": employees,
            "capital": {"value": capital, "currency": currency}, "companyAgeYears": age,
            "revenue": {"value": revenue, "currency": currency},
            "previousYearTaxableIncome": {"value": income, "currency": currency}, **more}


def person(country, region, income, currency, kind="non-student-individual", **more):
    return {"kind": kind, "country": country, "region": region,
            "annualIncome": {"value": income, "currency": currency}, "companyAgeYears": 3, "employees": 0, **more}


PROFILES: list[tuple[str, dict]] = [
    ("JP small enterprise, PCT at the JPO", {
        "applicant": company("small-enterprise", "JP", "JP-13", 15, 20_000_000, "JPY", 12, 400_000_000, 30_000_000),
        "filing": {**FILING, "route": "pct-international", "office": "JP", "filingDate": "2025-02-01"}, "asOf": "2025-06-01"}),
    ("JP startup (4 years, 12 staff), domestic patent", {
        "applicant": company("startup", "JP", "JP-27", 12, 50_000_000, "JPY", 4, 80_000_000, 0),
        "filing": {**FILING, "office": "JP"}, "asOf": "2025-06-01"}),
    ("JP large manufacturer, foreign filing", {
        "applicant": company("large-enterprise", "JP", "JP-23", 4_000, 30_000_000_000, "JPY", 60, 900_000_000_000, 40_000_000_000),
        "filing": {**FILING, "route": "paris", "office": "US"}, "asOf": "2025-06-01"}),
    ("JP university, PCT demand at the JPO", {
        "applicant": company("university", "JP", "JP-26", 2_500, 0, "JPY", 70, 0, 0),
        "filing": {**FILING, "route": "pct-international", "office": "JP", "status": "filed", "filingDate": "2024-05-10"},
        "asOf": "2025-06-01"}),
    ("JP individual inventor", {
        "applicant": person("JP", "JP-01", 1_800_000, "JPY"),
        "filing": {**FILING, "office": "JP", "ipRight": "utility-model", "serviceInvention": False}, "asOf": "2025-06-01"}),
    ("JP SME with a certified Fukushima plan", {
        "applicant": company("sme", "JP", "JP-07", 80, 60_000_000, "JPY", 25, 2_000_000_000, 90_000_000,
                             certifiedFukushimaPlan=True),
        "filing": {**FILING, "office": "JP", "examinationRequestDate": "2024-09-01"}, "asOf": "2025-01-15"}),
    ("JP venture capital firm", {
        "applicant": company("venture-capital", "JP", "JP-13", 25, 100_000_000, "JPY", 8, 500_000_000, 50_000_000, sector="commerce-service"),
        "filing": {**FILING, "office": "JP"}, "asOf": "2025-06-01"}),
    ("CN low-income individual, domestic invention (Jilin)", {
        "applicant": person("CN", "CN-JL", 50_000, "CNY"),
        "filing": {**FILING, "office": "CN", "status": "granted", "serviceInvention": False}, "asOf": "2025-06-01"}),
    ("CN small enterprise, Shandong, PCT", {
        "applicant": company("small-enterprise", "CN", "cn-shandong-jinan", 60, 5_000_000, "CNY", 6, 30_000_000, 800_000),
        "filing": {**FILING, "route": "pct-international", "office": "CN"}, "asOf": "2025-06-01"}),
    ("CN high-tech enterprise, Chongqing", {
        "applicant": company("high-tech-enterprise", "CN", "CN-CQ", 300, 50_000_000, "CNY", 9, 180_000_000, 12_000_000),
        "filing": {**FILING, "office": "CN", "status": "granted"}, "asOf": "2025-06-01"}),
    ("CN trademark owner, Guangdong (famous-trademark recognition)", {
        "applicant": company("large-enterprise", "CN", "CN-GD", 900, 200_000_000, "CNY", 20, 1_500_000_000, 90_000_000),
        "filing": {**FILING, "ipRight": "trademark", "office": "CN", "status": "granted"}, "asOf": "2025-06-01"}),
    ("CN university, Hunan, granted invention", {
        "applicant": company("university", "CN", "CN-HN", 3_000, 0, "CNY", 60, 0, 0),
        "filing": {**FILING, "office": "CN", "status": "granted"}, "asOf": "2025-06-01"}),
    ("CN enterprise, Jilin famous trademark before the 2010 amendment", {
        "applicant": company("large-enterprise", "CN", "CN-JL", 400, 80_000_000, "CNY", 15, 600_000_000, 30_000_000, yearsInUse=2),
        "filing": {**FILING, "ipRight": "trademark", "office": "CN", "status": "granted"}, "asOf": "2009-06-01"}),
    ("US large company at CNIPA (foreign applicant)", {
        "applicant": company(["large-enterprise", "foreign-applicant"], "US", None, 20_000, 1_000_000_000, "USD", 40,
                             5_000_000_000, 400_000_000),
        "filing": {**FILING, "route": "pct-national", "office": "CN"}, "asOf": "2025-06-01"}),
    ("JP SME filing in China", {
        "applicant": company(["sme", "foreign-applicant"], "JP", "JP-22", 120, 90_000_000, "JPY", 30, 3_000_000_000, 100_000_000),
        "filing": {**FILING, "route": "paris", "office": "CN"}, "asOf": "2025-06-01"}),
    ("JP SME filing in China, with its own JPY-CNY rate", {  # the same SME, giving the rate CNIPA's yuan thresholds need
        "applicant": company(["sme", "foreign-applicant"], "JP", "JP-22", 120, 90_000_000, "JPY", 30, 3_000_000_000, 100_000_000,
                             exchangeRates=[{"rate": 0.048, "rateFrom": "JPY", "rateTo": "CNY", "rateDate": "2025-06-01"}]),
        "filing": {**FILING, "route": "paris", "office": "CN"}, "asOf": "2025-06-01"}),
    ("KR startup filing at the JPO", {
        "applicant": company(["startup", "foreign-applicant"], "KR", None, 10, 500_000_000, "KRW", 3, 1_000_000_000, 0),
        "filing": {**FILING, "office": "JP"}, "asOf": "2024-06-01"}),
    ("JP university student, IP business idea (Osaka)", {
        "applicant": person("JP", "JP-27", 0, "JPY", kind="student"),
        "filing": {**FILING, "office": "JP", "serviceInvention": False}, "asOf": "2025-06-01"}),
    ("CN student without income, Anhui, utility model", {
        "applicant": person("CN", "CN-AH", 0, "CNY", kind="student"),
        "filing": {**FILING, "office": "CN", "ipRight": "utility-model", "serviceInvention": False}, "asOf": "2025-06-01"}),
]


def complete(profile: dict, keys: set[str]) -> dict:
    """The profile with the common facts added for every key the rules use that it does not give."""
    applicant = {k: v for k, v in {**COMMON, **profile["applicant"]}.items() if v is not None and (k in keys or k in profile["applicant"])}
    return {**profile, "applicant": applicant}
