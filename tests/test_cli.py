"""The `ipkg` command: query output, files, errors and exit codes."""

from __future__ import annotations

import json

import pytest

from ipkg.cli import main as cli

LONG = ("SELECT (COUNT(DISTINCT ?p) AS ?programmes) (COUNT(DISTINCT ?a) AS ?articles) WHERE { { ?p a ipkg:Programme } "
        "UNION { ?a a ipkg:Article } }" + " " * 300)


@pytest.fixture()
def run(built, monkeypatch, capsys):
    monkeypatch.setenv("IPKG_STORE", str(built.store_path))

    def call(*args: str) -> tuple[int, str, str]:
        code = cli(["--root", str(built.root), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


def test_query_prints_a_table_with_prefixed_names(run):
    code, out, _ = run("query", "SELECT ?p WHERE { <place/cn-jilin> ipkg:partOf ?p } ORDER BY ?p")
    assert code == 0
    assert "<place/cn>" in out and "(1 row)" in out


def test_a_long_query_is_not_mistaken_for_a_file_name(run):
    code, out, _ = run("query", LONG)
    assert code == 0 and "programmes" in out and "(1 row)" in out


def test_query_from_a_catalogue_file_in_json(run, built):
    code, out, _ = run("query", str(built.root / "queries" / "article-counts.rq"), "--format", "json")
    assert code == 0
    assert len(json.loads(out)["results"]["bindings"]) == 23


def test_bad_query_and_bad_format_exit_2_with_a_message(run):
    code, _, err = run("query", "SELECT * WHERE { ?s ?p }")
    assert code == 2 and "syntax error" in err
    code, _, err = run("query", "ASK { ?s ?p ?o }", "--format", "turtle")
    assert code == 2 and "does not fit" in err
    code, _, err = run("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    assert code == 2 and "SERVICE" in err


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        cli(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "validate", "serve", "query", "eligible", "export-shapes", "export", "load", "assets"):
        assert command in out
