"""The W3C SPARQL 1.1 Protocol and Service Description suites, replayed by `w3c_protocol.py` (a test harness, beside the tests)."""

from __future__ import annotations

import dataclasses

import pytest

import w3c_protocol as conformance

CASES = conformance.all_cases()  # the manifests are kept in tests/data/w3c/: a missing suite is a failure

# Tests that cannot apply to this endpoint, each with the reason (as pySHACL's suite lists its
# known exceptions). Empty on purpose: every query test passes, every update test is refused with a
# 4xx (a pass for a read-only endpoint; the runner's reason says so), and every service-description
# test passes. A test that starts failing must be fixed or argued for here, never skipped silently.
NOT_APPLICABLE: dict[str, str] = {}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, conformance.Verdict]:
    return {v.case.name: v for v in conformance.run()}


@pytest.fixture(scope="module")
def client():
    with conformance.suite_app() as app:
        yield app.test_client()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_case(verdicts, case):
    verdict = verdicts[case.name]
    if case.name in NOT_APPLICABLE:
        assert verdict.outcome == "n/a", f"{case.name} is allow-listed as not applicable but ran: {verdict.reason}"
        return
    assert verdict.outcome == "pass", verdict.reason


def test_both_manifests_are_read_whole():
    assert sum(c.kind == "protocol" for c in CASES) == 34
    assert sum(c.kind == "service-description" for c in CASES) == 3
    assert all(c.requests for c in CASES if c.kind == "protocol")


def test_updates_are_refused_not_accepted(verdicts):
    updates = {n: v for n, v in verdicts.items() if n.startswith(("update_", "bad_update_", "bad_multiple_updates"))}
    assert len(updates) == 14 and all(v.outcome == "pass" for v in updates.values())
    for name, verdict in updates.items():
        if name.startswith("update_"):  # the suite expects 2xx: a read-only endpoint passes by refusing
            assert "update refused" in verdict.reason and "→ 403" in verdict.reason


def test_the_runner_can_fail(client):
    """A negative control: the same request judged against a wrong expectation is a failure."""
    case = next(c for c in CASES if c.name == "query_get")
    wrong = dataclasses.replace(case, requests=[dataclasses.replace(case.requests[0], expected_boolean=False)])
    verdict = conformance.run_protocol_case(client, wrong)
    assert verdict.outcome == "fail" and "boolean True, expected False" in verdict.reason


def test_relative_iris_resolve_against_the_predeclared_base(client):
    """The service defines the BASE (SPARQL 1.1 Protocol): the things' namespace, as `ipkg query` has it, so
    `<fee/…>` means the same in both and whatever Host the request names (issue 19)."""
    r = client.post("/sparql", data="CONSTRUCT { <s> <p> 1 } WHERE {}", content_type="application/sparql-query",
                    headers={"Accept": "application/n-triples"}, base_url="http://www.example")
    assert r.status_code == 200
    assert r.data.decode().startswith("<https://w3id.org/ipkg/id/s> <https://w3id.org/ipkg/id/p> ")


def test_non_utf8_body_is_415_and_says_why(client):
    r = client.post("/sparql", data="ASK {}".encode("utf-16"), content_type="application/sparql-query; charset=UTF-16")
    assert r.status_code == 415 and b"UTF-8" in r.data
    r = client.post("/sparql", data=b"ASK { \xff }", content_type="application/sparql-query")
    assert r.status_code == 400 and b"not valid UTF-8" in r.data


def test_a_forged_host_cannot_inject_query_text(client):
    r = client.post("/sparql", data="ASK {}", content_type="application/sparql-query",
                    headers={"Host": "x> SERVICE <http://127.0.0.1:9/"})
    assert r.status_code in (200, 400)
    assert r.status_code != 200 or r.json == {"head": {}, "boolean": True}
