"""Front-end assets (YASGUI, Chart.js) fetched from the npm registry at set-up time and served from static/vendor/.

Why a step of its own: the query page must never load code from a CDN at run time, and the Python
package must work without Node.js. So the exact YASGUI version is pinned in the project's
package.json / package-lock.json, `npm ci` fetches it once, and `ipkg assets` copies the two
built files the page needs into this package's static folder (git-ignored). Without them the
page falls back to its plain HTML form and says how to install YASGUI. Chart.js (the chart view of
/sparql, /queries and /compare) is copied the same way into static/vendor/chartjs/; without it the
pages show their tables only and say why.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
VENDOR = Path(__file__).resolve().parent / "static" / "vendor" / "yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")
NPM_CI = ("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")


@dataclass(frozen=True)
class Extra:
    """A further npm package whose built files a page serves: where they are in the package, where they go."""

    package: str
    build: str  # folder of the built files inside node_modules/<package>
    files: tuple[str, ...]
    folder: str  # under static/vendor/


CHART = Extra("chart.js", "dist", ("chart.umd.min.js",), "chartjs")
EXTRAS = (CHART,)


class AssetError(Exception):
    """The assets could not be installed; the message says what to do."""


class NodeMissing(AssetError):
    """Node.js or npm is not installed. Not a failure of the set-up: YASGUI is optional, the query page
    falls back to its plain form, so `ipkg assets` warns and succeeds and `... && ipkg build` goes on."""


def available(vendor: Path = VENDOR) -> bool:
    """True when the page can offer YASGUI (both built files are in the static folder)."""
    return all((vendor / name).is_file() for name in FILES)


def extra_available(extra: Extra, vendor_root: Path = VENDOR.parent) -> bool:
    """True when an extra package's built files are in the static folder (the pages degrade without them)."""
    return all((vendor_root / extra.folder / name).is_file() for name in extra.files)


def installed_version(vendor: Path = VENDOR) -> str | None:
    """The YASGUI version copied into the static folder, as recorded by `copy`."""
    try:
        return (vendor / "VERSION").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def pinned_version(project: Path) -> str:
    """The exact version package.json pins; a range would make `npm ci` and the page drift apart."""
    spec = json.loads((project / "package.json").read_text(encoding="utf-8"))["dependencies"][PACKAGE]
    if not isinstance(spec, str) or not spec[:1].isdigit():
        raise AssetError(f"package.json must pin {PACKAGE} to an exact version, not {spec!r}")
    return spec


def find_project(*starts: Path) -> Path:
    """The folder holding the package.json that names YASGUI: the given folders first, then this source tree's parents."""
    here = Path(__file__).resolve()
    for origin in (*starts, *here.parents):
        manifest = origin / "package.json"
        if manifest.is_file() and PACKAGE in manifest.read_text(encoding="utf-8"):
            return origin
    raise AssetError(f"no package.json naming {PACKAGE} found (looked in {', '.join(map(str, starts))} and above {here})")


def _module_version(project: Path, package: str = PACKAGE) -> str | None:
    try:
        version = json.loads((project / "node_modules" / package / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None
    return version if isinstance(version, str) else None


def _pinned_extras(project: Path) -> dict[Extra, str]:
    """The extra packages package.json names, with their pinned versions (a range is refused, as for YASGUI)."""
    deps = json.loads((project / "package.json").read_text(encoding="utf-8")).get("dependencies", {})
    out = {}
    for extra in EXTRAS:
        if extra.package in deps:
            if not str(deps[extra.package])[:1].isdigit():
                raise AssetError(f"package.json must pin {extra.package} to an exact version, not {deps[extra.package]!r}")
            out[extra] = deps[extra.package]
    return out


def npm_ci(project: Path, progress: Callable[[str], None] = print) -> None:
    """`npm ci` in the project, unless node_modules already holds every pinned version."""
    if _module_version(project) == pinned_version(project) and \
            all(_module_version(project, e.package) == v for e, v in _pinned_extras(project).items()):
        progress(f"{PACKAGE} {pinned_version(project)} (and the other pinned packages) already in {project / 'node_modules'}")
        return
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        raise NodeMissing(f"{' and '.join(missing)} not found: YASGUI is not installed, and the query page offers its "
                          "plain HTML form instead. To get YASGUI, install Node.js and npm (e.g. `apt-get install -y "
                          "nodejs npm`) and run `ipkg assets` again")
    progress(f"running {' '.join(NPM_CI)} in {project}")
    done = subprocess.run(NPM_CI, check=False, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise AssetError(f"`{' '.join(NPM_CI)}` failed ({done.returncode}):\n{done.stdout[-2000:]}")


def copy(project: Path, vendor: Path = VENDOR) -> list[Path]:
    """Copy YASGUI's built JS and CSS (and its licence) from node_modules into the static folder."""
    build = project / "node_modules" / PACKAGE / "build"
    missing = [name for name in FILES if not (build / name).is_file()]
    if missing:
        raise AssetError(f"{', '.join(missing)} not found in {build}; run `npm ci` in {project} first")
    vendor.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        written.append(Path(shutil.copyfile(build / name, vendor / name)))
    for licence in ("LICENSE", "LICENSE.md", "README.md"):
        if (source := project / "node_modules" / PACKAGE / licence).is_file():
            written.append(Path(shutil.copyfile(source, vendor / licence)))
            break
    (vendor / "VERSION").write_text((_module_version(project) or "unknown") + "\n", encoding="utf-8")
    return written


def copy_extra(project: Path, extra: Extra, vendor_root: Path = VENDOR.parent) -> list[Path]:
    """Copy an extra package's built files (and its licence) into static/vendor/<folder>/."""
    module = project / "node_modules" / extra.package
    missing = [name for name in extra.files if not (module / extra.build / name).is_file()]
    if missing:
        raise AssetError(f"{', '.join(missing)} not found in {module / extra.build}; run `npm ci` in {project} first")
    target = vendor_root / extra.folder
    target.mkdir(parents=True, exist_ok=True)
    written = [Path(shutil.copyfile(module / extra.build / name, target / name)) for name in extra.files]
    for licence in ("LICENSE.md", "LICENSE"):
        if (source := module / licence).is_file():
            written.append(Path(shutil.copyfile(source, target / licence)))
            break
    (target / "VERSION").write_text((_module_version(project, extra.package) or "unknown") + "\n", encoding="utf-8")
    return written


def install(project: Path, *, run_npm: bool = True, vendor: Path = VENDOR,
            progress: Callable[[str], None] = print) -> list[Path]:
    """The whole set-up: `npm ci` (if asked and needed), then YASGUI into `vendor` and each extra package
    that package.json pins next to it."""
    if run_npm:
        npm_ci(project, progress)
    written = copy(project, vendor)
    for extra in _pinned_extras(project):
        written += copy_extra(project, extra, vendor.parent)
    return written


def cmd_assets(args: argparse.Namespace) -> int:
    """`ipkg assets`: fetch YASGUI with npm ci and copy it where the app serves it."""
    from ..config import find_root

    starts = [Path(args.project)] if getattr(args, "project", None) else []
    try:
        if not starts:
            try:
                starts = [Path(args.root) if getattr(args, "root", None) else find_root()]
            except FileNotFoundError:
                starts = []
        project = find_project(*starts)
        written = install(project, run_npm=not args.no_npm, progress=lambda m: print(m, file=sys.stderr))
    except NodeMissing as exc:  # optional: warn, and let `ipkg assets && ipkg build` go on
        print(f"warning: {exc}", file=sys.stderr)
        return 0
    except AssetError as exc:  # a real failure (npm ci failed, a broken package.json): stop
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"YASGUI {installed_version()} and {', '.join(e.package for e in EXTRAS if extra_available(e))} installed: "
          f"{', '.join(str(p) for p in written)}")
    return 0

