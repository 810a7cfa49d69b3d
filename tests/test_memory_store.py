"""The embedded store held in memory (`IPKG_MEMORY_QUADS`): the same answers as the on-disk store,
the size limit honoured at its boundary, blank nodes kept as they are."""

from __future__ import annotations

import pytest

from ipkg import catalog
from ipkg.bind import substitute
from ipkg.config import Settings
from ipkg.store import EmbeddedStore


@pytest.fixture(scope="module")
def quads(built) -> int:
    """The build's size, counted in its N-Quads dump (one quad per line), not written down here."""
    with (built.dist_path / "ipkg.nq").open(encoding="utf-8") as dump:
        return sum(1 for line in dump if line.strip())


@pytest.fixture(scope="module")
def stores(built):
    return EmbeddedStore(built.store_path), EmbeddedStore(built.store_path, built.memory_quads)


def test_the_default_holds_this_build_in_memory_and_zero_keeps_it_on_disk(stores):
    on_disk, in_memory = stores
    assert (on_disk.in_memory, in_memory.in_memory) == (False, True)


def test_the_limit_is_a_number_of_quads_inclusive(built, quads):
    assert quads > 50_000
    assert EmbeddedStore(built.store_path, quads).in_memory
    assert not EmbeddedStore(built.store_path, quads - 1).in_memory


def test_the_limit_is_read_from_the_environment(monkeypatch, built):
    monkeypatch.setenv("IPKG_MEMORY_QUADS", "0")
    assert Settings.from_env(built.root).memory_quads == 0
    monkeypatch.delenv("IPKG_MEMORY_QUADS")
    assert Settings.from_env(built.root).memory_quads == 500_000


def _comparable(rows, unordered_lists: bool) -> list:
    """Rows in a stable order. GROUP_CONCAT joins values in whatever order the engine meets them (SPARQL
    leaves it open, and the two storages iterate differently), so its lists are compared as word multisets."""
    if unordered_lists:
        rows = [tuple(tuple(sorted(str(t).split())) if t is not None else None for t in row) for row in rows]
    return sorted(rows, key=repr)


def test_every_catalogue_query_answers_the_same_from_memory_and_from_disk(built, stores):
    on_disk, in_memory = stores
    queries = catalog.load(built.root / "queries")
    assert len(queries) == 30
    for name, q in queries.items():
        text = substitute(q.text, q.bindings({}))
        expected, got = on_disk.query(text), in_memory.query(text)
        lists = "GROUP_CONCAT" in text
        assert (got.variables, _comparable(got.rows, lists), got.boolean) == \
            (expected.variables, _comparable(expected.rows, lists), expected.boolean), name
    fees = in_memory.query(substitute(queries["cnipa-fee-schedule"].text, queries["cnipa-fee-schedule"].bindings({})))
    assert len(fees.rows) == 39  # the CNIPA guide's 39 official fees


def test_counts_and_blank_nodes_are_the_same_in_memory(stores, quads):
    """The copy is made quad by quad: no quad lost, and blank nodes (SHACL property shapes) keep their labels,
    so a client that saw `_:x` in one answer finds it again."""
    on_disk, in_memory = stores
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert on_disk.query(count).rows == in_memory.query(count).rows
    assert int(in_memory.query(count).rows[0][0]) == quads
    blanks = "SELECT ?s ?path WHERE { ?s <http://www.w3.org/ns/shacl#path> ?path FILTER isBlank(?s) } ORDER BY ?s ?path"
    rows = in_memory.query(blanks).rows
    assert len(rows) > 100 and rows == on_disk.query(blanks).rows
