"""Cost splits between levels of government (issue 17): no source states one, and the lines checked say so.

ontology/README.md ("Cost splits between levels of government: not stated") lists the lines a search for 分担, 負担,
比例, 按比例, 配套, 財政, 予算 and 補助率 found, and what each says instead. These tests keep that note true: if a
source (re-extracted) came to state a split, they fail and the split is modelled instead.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from ipkg.config import Settings
from ipkg.sources import sources_dir

SOURCES = sources_dir(Settings.from_env(ROOT))
SPLIT_WORDS = re.compile("分担|按比例|比例|負担割合|配套|共同で負担|費用を負担")


def lines(code: str) -> list[str]:
    path = next(SOURCES.glob(f"{code}_*.txt"), None)
    if path is None:
        pytest.skip(f"source {code} not found in {SOURCES}")
    return path.read_text(encoding="utf-8").splitlines()


def test_the_only_line_with_a_word_of_sharing_shares_tasks_not_costs():
    hits = [(code, n) for code in ("000", "001", "002", "003", "004")
            for n, text in enumerate(lines(code), 1) if SPLIT_WORDS.search(text)]
    assert hits == [("000", 147)]
    assert "業務分担" in lines("000")[146]  # the division of patent-navigation work in a province, not of its costs


@pytest.mark.parametrize("line,words", [
    (264, "市工商部門で予算を組み"),        # Shanghai: the city AIC budgets recognition
    (711, "省財政部門が部門予算の中で統一安排"),  # Anhui: the provincial finance department
    (1632, "省級財政部門の予算に組み入れられる"),   # Guizhou
    (2222, "自治区の財政予算に組入れ"),      # Ningxia
    (2821, "省級財政予算で手配"),            # Anhui funding
    (2964, "省級財政予算により安排"),          # Fujian funding
    (3387, "自治区財政予算からの拠出金"),      # Guangxi funding
    (3601, "省級財政が手配する"),             # Yunnan funding
])
def test_each_instrument_that_names_who_pays_names_one_level(line, words):
    assert words in lines("001")[line - 1].replace(" ", "")


def test_the_lines_that_join_two_levels_give_no_shares():
    text = lines("001")
    assert "中央財政の支持と併せて" in text[2604]  # Tianjin PCT funding "together with central support": no share
    assert "中央財政又は市級財政" in text[2668]  # Shanghai: funding from either level bars a second application
    assert "各市、県級財政は" in text[3142] and "設立することができ" in text[3142]  # Shandong: cities and counties may set up funds
    assert not re.search(r"\d+ ?%|割", text[2604] + text[2668] + text[3142])
