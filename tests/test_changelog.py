"""Every "Now" query of ontology/CHANGELOG.md runs on the built graph and finds what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHANGELOG = (Path(__file__).resolve().parents[1] / "ontology" / "CHANGELOG.md").read_text(encoding="utf-8")
NOW = re.findall(r"^Now[^\n]*:\n```sparql\n(.*?)```", CHANGELOG, flags=re.S | re.M)


def test_the_changelog_gives_a_query_for_each_restructured_term():
    assert len(NOW) >= 2


@pytest.mark.parametrize("query", NOW)
def test_each_now_query_finds_rows(kg, query):
    assert kg.rows(query)
