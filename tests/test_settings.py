"""Settings are declared once (config.py): the README's table, `ipkg serve --help` and the environment agree."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ipkg import cli
from ipkg.config import Settings, settings_table

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_table_is_the_declarations():
    assert settings_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_serve_help_names_every_setting(capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    shown = capsys.readouterr().out
    for f in dataclasses.fields(Settings):
        assert f.metadata["env"] in shown


def test_each_variable_is_read_as_declared(monkeypatch, tmp_path):
    monkeypatch.setenv("IPKG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("IPKG_WORKERS", "3")
    monkeypatch.setenv("IPKG_VAR", str(tmp_path))
    monkeypatch.setenv("IPKG_REMOTE_STORE", "")
    s = Settings.from_env(ROOT)
    assert (s.query_timeout, s.workers, s.remote_store) == (2.5, 3, None)
    assert (s.store_path, s.dist_path) == (tmp_path / "store", tmp_path / "dist")  # the folders follow IPKG_VAR


def test_a_bad_value_names_its_variable(monkeypatch):
    monkeypatch.setenv("IPKG_WORKERS", "four")
    with pytest.raises(ValueError, match="IPKG_WORKERS='four' is not a valid int"):
        Settings.from_env(ROOT)


def test_settings_travel_to_child_processes_unchanged(monkeypatch):
    s = dataclasses.replace(Settings.from_env(ROOT), query_timeout=7.0, remote_store="http://127.0.0.1:9/query", max_rows=12)
    for name, value in s.to_env().items():
        monkeypatch.setenv(name, value)
    assert Settings.from_env() == s
