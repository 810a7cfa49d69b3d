"""The code as its layers and its style: ruff's rules, mypy --strict (pyproject.toml) and the import contracts (import-linter:
the core never imports a face, the faces are independent, data flows one way). Both run as the README's test
command runs, so CI checks them with everything else."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing():
    done = _run(sys.executable, "-m", "ruff", "check", "server", "tests", "bench")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing():
    """mypy --strict over the whole package: every module is clean, none is exempt."""
    done = _run(sys.executable, "-m", "mypy", "--no-incremental")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    overrides = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["overrides"]
    exempt = [o["module"] for o in overrides if o.get("ignore_errors")]
    assert exempt == [], f"modules exempt from mypy: {exempt}"


def test_the_import_contracts_are_kept():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    done = _run(lint_imports, "--no-cache")
    assert done.returncode == 0 and "0 broken" in done.stdout, done.stdout + done.stderr
