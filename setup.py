"""Packaging hook: a wheel carries the graph (see server/ipkg/release.py).

`ipkg build && python -m build --wheel` (or `pip wheel .`): the wheel's ipkg/_release/ holds the
ontology, shapes, data and queries and the dataset the last build made from exactly these sources
(its var/dist, checked by the sources' digest). Editable installs carry nothing: they read the checkout.
"""

import importlib.util
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _release():
    spec = importlib.util.spec_from_file_location("ipkg_release", ROOT / "server" / "ipkg" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _not_carried(folder, names):
    """The notes for curators stay in the checkout; the CHANGELOG travels (/releases shows it as release notes)."""
    return [n for n in names if n == "__pycache__" or (n.endswith(".md") and n != "CHANGELOG.md")]


class build_py_with_release(build_py):
    """build_py, then the project's files and its built dataset copied into the package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        release = _release()
        dist = Path(os.environ.get("IPKG_DIST", ROOT / "var" / "dist"))
        built = release.build_record(dist).get("sourcesDigest")
        if built != release.sources_digest(ROOT):
            raise SystemExit(f"error: {dist} was not built from these sources ("
                             + ("no build record" if not built else "the sources changed since") + "): run `ipkg build` first")
        target = Path(self.build_lib) / "ipkg" / "_release"
        shutil.rmtree(target, ignore_errors=True)
        for name in release.PROJECT_DIRS:
            shutil.copytree(ROOT / name, target / "project" / name, ignore=_not_carried)
        # the whole-dataset dumps travel compressed only (as the download page serves them)
        shutil.copytree(dist, target / "dist", ignore=shutil.ignore_patterns("ipkg.nq", "ipkg.trig"))


setup(cmdclass={"build_py": build_py_with_release})
