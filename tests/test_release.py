"""A release anyone can install: the wheel carries the graph, and every command fails in one line.

The wheel is built from this checkout and the session's build (`pip wheel`), installed into a fresh
virtual environment outside the checkout, and served from another folder: the quad count and one
eligibility answer must be those of the build. Then each command's failure paths through the
console script: one `error:` line, a non-zero exit, no traceback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, free_port, start_serve, stop_process
from ipkg import release

CNIPA_BODY = {"applicant": {"kind": "individual", "country": "CN", "annualIncome": {"value": 50000, "currency": "CNY"},
                            "jointApplicants": 1},
              "filing": {"ipRight": "invention-patent", "route": "domestic", "office": "CN"}, "programme": "cnipa-patent-fee-reduction"}


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kw)


@pytest.fixture(scope="module")
def wheel(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
               env={**os.environ, "IPKG_DIST": str(built.dist_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    [path] = out.glob("ipkg-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """The wheel in a fresh virtual environment; the commands run from an empty folder far from the checkout."""
    home = tmp_path_factory.mktemp("installed")
    venv = home / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    done = run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)])
    assert done.returncode == 0, done.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPKG_")}
    env.update(XDG_CACHE_HOME=str(home / "cache"), PATH=f"{venv / 'bin'}:{env.get('PATH', '')}")
    (home / "elsewhere").mkdir()
    return venv / "bin" / "ipkg", {"env": env, "cwd": str(home / "elsewhere")}


def test_the_wheel_carries_the_graph_and_stays_small(wheel, built):
    names = zipfile.ZipFile(wheel).namelist()
    assert "ipkg/_release/project/ontology/ipkg.ttl" in names
    assert "ipkg/_release/project/ontology/CHANGELOG.md" in names  # the release notes of /releases
    assert "ipkg/_release/dist/ipkg.nq.gz" in names and "ipkg/_release/dist/build.json" in names
    assert any(n.startswith("ipkg/_release/project/data/cn-local-regulations-ch4/") for n in names)
    assert any(n.startswith("ipkg/_release/project/queries/") for n in names)
    assert wheel.stat().st_size < 10 * 2**20


def test_the_installed_copy_answers_as_the_build(installed, built):
    ipkg, where = installed
    version = run([str(ipkg), "--version"], **where)
    assert version.returncode == 0 and release.dataset_version(built.dist_path) in version.stdout
    quads = sum(json.loads((built.dist_path / "build.json").read_text())["graphs"].values())
    count = run([str(ipkg), "query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"], **where)
    assert count.returncode == 0, count.stderr
    assert count.stdout.split()[-1] == str(quads)
    module = run([str(ipkg.parent / "python"), "-m", "ipkg", "--version"], **where)
    assert module.stdout == version.stdout


def test_the_installed_copy_serves(installed, tmp_path):
    ipkg, where = installed
    port = free_port()
    # the first run copies the packaged store into the cache: waited for as the server's own ready line
    proc, _ = start_serve([str(ipkg), "serve", "--port", str(port), "--processes", "1"], where["env"],
                          tmp_path / "serve.log", cwd=where["cwd"])
    try:
        base = f"http://127.0.0.1:{port}"
        request = urllib.request.Request(base + "/api/eligibility", data=json.dumps(CNIPA_BODY).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.load(response)
        assert answer["verdicts"][0]["verdict"] == "eligible"
        # application 900 + examination 2,500 + re-examination 1,000 yuan, 85 % waived: 4,400 → 660 (003:104)
        assert answer["summary"]["computedBenefit"] == {"CNY": "3740"}
    finally:
        stop_process(proc)


def test_the_installed_copy_does_not_build_over_its_release(installed):
    ipkg, where = installed
    done = run([str(ipkg), "build"], **where)
    assert done.returncode == 2 and done.stderr.startswith("error: this installed copy serves the dataset")


def _one_line_failure(done: subprocess.CompletedProcess, starts: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "backtrace" not in done.stderr.lower()
    assert done.stderr.startswith(f"error: {starts}"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("args,env,starts", [
    (["query", "ASK {}"], {"IPKG_STORE": "/nonexistent/store"}, "no store at /nonexistent/store"),
    (["eligible", "/nonexistent/profile.json"], {}, "cannot read the profile"),
    (["query", "SELECT ?s WHERE { ?s ?p }"], {}, "SPARQL syntax error at line 1, column"),
    (["serve", "--store", "http://127.0.0.1:9/query"], {}, "cannot reach the remote store"),
])
def test_commands_fail_in_one_line(built, args, env, starts):
    base = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path), "IPKG_DIST": str(built.dist_path)}
    _one_line_failure(run([sys.executable, "-m", "ipkg", *args], env={**base, **env}), starts)


def test_a_query_error_points_into_the_users_text(built):
    env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path)}
    done = run([sys.executable, "-m", "ipkg", "query", "SELECT ?s WHERE { ?s ?p }"], env=env)
    column = int(done.stderr.split("column ")[1].split(":")[0])
    assert 1 <= column <= len("SELECT ?s WHERE { ?s ?p }")


def test_a_port_in_use_is_said_in_one_line(built):
    env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path), "IPKG_DIST": str(built.dist_path)}
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = run([sys.executable, "-m", "ipkg", "serve", "--port", str(port)], env=env)
    _one_line_failure(done, f"cannot listen on 127.0.0.1:{port}")


def test_a_bad_profile_is_said_in_one_line(built, tmp_path):
    bad = tmp_path / "profile.json"
    bad.write_text("{bad", encoding="utf-8")
    env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path)}
    _one_line_failure(run([sys.executable, "-m", "ipkg", "eligible", str(bad)], env=env), "cannot read the profile")
