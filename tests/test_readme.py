"""Every query and curl line of the README runs as written, and says what the README says it says.

The `ipkg query` example runs through the CLI on the session's build and must print the table the
README shows, and the same query, as written, answers the same rows over HTTP (the endpoint predeclares
the prefixes and BASE `ipkg query` uses); each curl line runs with curl against the session's `ipkg serve` (its address put in
place of 127.0.0.1:8000), and its answer is checked against the sentence that follows it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import DEADLINE, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```(?:\n\n```\n(.*?)```)?", README, flags=re.S)
QUERIES = [(code, shown) for code, shown in BLOCKS if code.startswith("ipkg query ")]
CURLS = [code for code, _ in BLOCKS if code.startswith("curl ")]


def test_the_readme_has_its_examples():
    assert len(QUERIES) >= 1 and len(CURLS) >= 3


@pytest.mark.parametrize("code,shown", QUERIES)
def test_query_examples_print_what_the_readme_shows(built, code, shown):
    env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path), "IPKG_DIST": str(built.dist_path)}
    command = code.replace("ipkg query", f"{sys.executable} -m ipkg query", 1)
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == shown.strip()


def _shown_rows(shown: str) -> list[list[str]]:
    """The rows of a table as `ipkg query` prints it, relative IRIs resolved against the predeclared BASE."""
    lines = shown.strip().splitlines()[2:-1]  # header, rule ... (n rows)
    cells = [[c.strip() for c in line.split("|")] for line in lines]
    return [[urllib.parse.urljoin("https://w3id.org/ipkg/id/", c[1:-1]) if c.startswith("<") else c for c in row] for row in cells]


@pytest.mark.parametrize("code,shown", QUERIES)
def test_query_examples_answer_the_same_over_http(live_server, code, shown):
    query = shlex.split(code)[2]  # ipkg query '<the query>'
    request = urllib.request.Request(live_server + "/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=DEADLINE * 3) as response:
        answer = json.loads(response.read())
    variables = answer["head"]["vars"]
    rows = [[b[v]["value"] for v in variables] for b in answer["results"]["bindings"]]
    assert rows == _shown_rows(shown)


@pytest.fixture(scope="module")
def curl() -> str:
    path = shutil.which("curl")
    if path is None:
        pytest.skip("curl is not installed")
    return path


def _run_curl(code: str, base: str) -> str:
    done = subprocess.run(["bash", "-c", code.replace("http://127.0.0.1:8000", base).replace("curl ", "curl --fail-with-body -sS ", 1)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_sparql_curl_line_answers_csv(curl, live_server):
    [code] = [c for c in CURLS if "/sparql" in c and "asOf" not in c]
    lines = _run_curl(code, live_server).splitlines()
    assert lines[0] == "fee,amount" and len(lines) == 4
    assert lines[1] == "https://w3id.org/ipkg/id/fee/cn-annual-utility-model-years-1-3,600"  # the smallest annual fee (003)


def test_the_eligibility_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if c.rstrip().endswith("'") and "/api/eligibility -d" in c]
    answer = json.loads(_run_curl(code, live_server))
    [verdict] = answer["verdicts"]
    assert verdict["verdict"] == "eligible"
    single = next(b for b in verdict["benefit"]["items"] if b["benefit"].endswith("cnipa-fee-reduction-single"))
    fees = {r["fee"].rsplit("/", 1)[-1]: r for r in single["reducedFees"]}
    assert fees["cn-application-invention"]["arithmetic"] == "900 × (1 − 0.85) = 135 CNY"  # as the README quotes
    assert sorted(e["amount"] for e in single["notReduced"]) == ["250", "750"]
    assert answer["summary"]["computedBenefit"] == {"CNY": "3740"}  # "a saving of 3,740 CNY"


def test_the_next_question_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if "next-question" in c]
    question = json.loads(_run_curl(code, live_server))["question"]
    shown = re.search(r'answers `\{"question": \{"field": "(\w+)", "label": \{"en": "([^"]+)", "ja": "([^"]+)"\}', README)
    assert shown is not None
    assert (question["field"], question["label"]["en"], question["label"]["ja"]) == shown.groups()


def test_the_queries_curl_line_renders_the_table(curl, live_server):
    [code] = [c for c in CURLS if "/queries/" in c]
    page = _run_curl(code, live_server)
    assert '<a class="iri" href="/id/fee/cn-annual-invention-years-7-9"' in page  # the local page, as the README says
    assert "&lt;fee/cn-annual-invention-years-7-9&gt;" in page and "<td>2000</td>" in page


def test_the_compare_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if "/api/compare" in c]
    rows = list(csv.DictReader(io.StringIO(_run_curl(code, live_server))))
    net = {r["jurisdiction"]: (r["amount"], r["currency"]) for r in rows if r["section"] == "net-cost"}
    assert net == {"cn": ("6900", "CNY"), "cn-anhui": ("1900", "CNY")}
    assert "6900 CNY in `cn`" in README and "1900 CNY in `cn-anhui`" in README
    reduction = next(r for r in rows if r["item"].endswith("cnipa-fee-reduction-single") and r["jurisdiction"] == "cn")
    assert reduction["status"] == "may-apply"  # "the 85 % reduction waits for the income"
    assert any(r["item"].endswith("anhui-funding-invention-domestic-granted") and r["amount"] == "5000" and r["status"] == "applies"
               for r in rows)


def test_the_version_header_curl_line_prints_the_release(curl, live_server, built):
    from ipkg import release

    [code] = [c for c in CURLS if "-D -" in c]
    headers = _run_curl(code, live_server)
    assert f"x-dataset-version: {release.dataset_version(built.dist_path)}" in headers.lower()


def test_the_sha256sums_curl_line_lists_every_file_by_release(curl, live_server, built):
    from ipkg import release

    [code] = [c for c in CURLS if "SHA256SUMS" in c]
    lines = _run_curl(code, live_server).splitlines()
    tag = release.file_tag(release.dataset_version(built.dist_path))
    assert len(lines) == 24 and all(re.fullmatch(rf"[0-9a-f]{{64}}  \S+-{tag}\.(nq\.gz|trig\.gz|ttl|jsonld)", line) for line in lines)
    assert any(line.endswith(f"  ipkg-{tag}.nq.gz") for line in lines)


def test_the_cite_curl_line_answers_as_the_readme_says(curl, live_server, built):
    from ipkg import release

    [code] = [c for c in CURLS if "/api/cite" in c]
    entry = _run_curl(code, live_server)
    version = release.dataset_version(built.dist_path)
    assert entry.startswith("@misc{ipkg-query-")
    assert f"  version = {{{version}}}," in entry and "  urldate = {2026-12-03}," in entry
    assert "  url = {https://w3id.org/ipkg/sparql#query=SELECT%20%3Fx%20WHERE%20%7B%20%3Fx%20a%20ipkg%3ACompany%20%7D&release=" in entry
    assert "  howpublished = {\\url{https://w3id.org/ipkg/sparql}}," in entry


def test_the_calendar_curl_line_answers_as_the_readme_says(curl, live_server):
    import icalendar

    [code] = [c for c in CURLS if "/api/calendar" in c]
    cal = icalendar.Calendar.from_ical(_run_curl(code, live_server))
    [year4] = [e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("annual-fee-year-4-")]
    assert str(year4.decoded("dtstart")) == "2026-03-15"
    assert "1200 CNY" in str(year4["description"]) and "line 131" in str(year4["description"])


def test_the_changes_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if "/api/changes" in c]
    body = json.loads(_run_curl(code, live_server))
    [jilin] = [c for c in body["changes"] if c["subject"].endswith("/condition/jilin-ftm-years-in-use-2007")]
    assert jilin["date"] == "2010-11-26" and jilin["values"] == [{"what": "threshold", "from": "3", "to": "1"}]
    assert {10, 13} <= {s["line"] for s in jilin["sources"]}


def test_the_timeline_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if "/api/timeline" in c]
    body = json.loads(_run_curl(code, live_server))
    shown = re.search(r"answers Jilin's (\w+) dated entries, from the day the famous-trademark regulation entered into force and\nits recognition began, (\S+), to its amendment of (\S+),", README)
    assert shown is not None
    count, first, amended = shown.groups()
    assert len(body["events"]) == {"six": 6}[count]
    assert body["events"][0]["date"] == first and body["events"][-1]["date"] == amended
    assert {e["change"] for e in body["events"] if e["date"] == first} >= {"started", "entered-into-force"}
    [jilin] = [e for e in body["events"] if e["change"] == "amended" and e["page"] == "/id/condition/jilin-ftm-years-in-use-2007"]
    assert jilin["date"] == amended and jilin["values"] == [{"what": "threshold", "from": "3", "to": "1"}]
    assert {10, 13} <= {s["line"] for s in jilin["sources"]}


def test_the_search_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if "/api/search" in c]
    answer = json.loads(_run_curl(code, live_server))
    shown = re.search(r"answers (\d+) hits, the Jilin regulation first \(`([^`]+)`\), then its\ndecision step and the programme `([^`]+)`", README)
    assert shown is not None
    total, first, programme = shown.groups()
    assert answer["total"] == int(total)
    iris = [h["iri"].removeprefix("https://w3id.org/ipkg/id/") for h in answer["hits"]]
    assert iris[0] == first and iris[2] == programme and iris[1].startswith("step/")
    assert answer["hits"][2]["label"] == "Jilin famous-trademark recognition"  # in English, as asked
    assert all("<mark>" in h["snippet"] for h in answer["hits"])
    assert set(answer["facets"]) == {"kind", "jurisdiction", "right", "route", "applicantKind", "benefitKind", "status"}


def test_the_as_of_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if "asOf=" in c and "/id/" in c]
    page = _run_curl(code, live_server)

    def state(part: str) -> str:
        start = page.index(f'data-part="https://w3id.org/ipkg/id/condition/{part}"')
        return page[start:start + 200].split('data-in-force="', 1)[1].split('"', 1)[0]

    assert state("jilin-ftm-years-in-use-2007") == "true" and state("jilin-ftm-years-in-use") == "false"
    assert 'href="/id/condition/jilin-ftm-years-in-use?asOf=2009-01-01"' in page


def test_the_sparql_as_of_curl_line_answers_as_the_readme_says(curl, live_server):
    [code] = [c for c in CURLS if "/sparql" in c and "asOf" in c]
    assert _run_curl(code, live_server).splitlines() == ["years", "3"]
    assert _run_curl(code.replace("asOf=2009-01-01", "asOf=2010-11-26"), live_server).splitlines() == ["years", "1"]
    assert "answers `years` 3, and 1 with `asOf=2010-11-26`" in README
