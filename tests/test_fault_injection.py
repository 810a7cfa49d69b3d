"""Build fault injection: two dozen kinds of broken data, each refused with a report naming the file and the resource."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from ipkg.build import BuildError, compile_dataset

FAULTS = Path(__file__).parent / "data" / "faults"
SEMANTIC = sorted(p for p in FAULTS.glob("[0-9]*.ttl"))
SYNTAX = sorted(FAULTS.glob("syntax-*.ttl"))


@pytest.fixture(scope="module")
def report(built, tmp_path_factory) -> list:
    """One build of a small real project (ontology, shapes, reference data) plus every semantic fault file."""
    root = tmp_path_factory.mktemp("faulty") / "project"
    for part in ("ontology", "shapes", "data/reference"):
        shutil.copytree(built.root / part, root / part)
    shutil.copytree(FAULTS, root / "data" / "faults", ignore=shutil.ignore_patterns("syntax-*"))
    with pytest.raises(BuildError) as info:
        compile_dataset(dataclasses.replace(built, root=root))
    return info.value.violations


def test_at_least_twenty_kinds_of_fault():
    assert len(SEMANTIC) + len(SYNTAX) >= 20


@pytest.mark.parametrize("path", SEMANTIC, ids=lambda p: p.stem)
def test_each_fault_is_reported_with_its_file_and_resource(report, path):
    # the resource at fault, or (for a dangling reference) the missing resource "used in" this file
    mine = [v for v in report if f"data/faults/{path.name}" in v.file]
    assert mine, f"no violation reported for {path.name}"
    assert all(v.message and v.focus.startswith("https://w3id.org/ipkg/id/") for v in mine)
    number = re.match(r"(\d+)", path.name).group(1)
    assert any(f"fault-{number}" in v.focus or "not described anywhere" in v.file for v in mine)


@pytest.mark.parametrize("path", SYNTAX, ids=lambda p: p.stem)
def test_broken_turtle_is_refused_naming_the_file(built, tmp_path, path):
    root = tmp_path / "project"
    for part in ("ontology", "shapes"):
        shutil.copytree(built.root / part, root / part)
    (root / "data" / "reference").mkdir(parents=True)
    shutil.copy(path, root / "data" / "reference" / path.name)
    with pytest.raises(BuildError, match=re.escape(path.name)):
        compile_dataset(dataclasses.replace(built, root=root))
