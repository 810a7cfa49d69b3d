"""Shared helpers of the benchmark scripts (not a benchmark itself): temp builds, timing, tables, subprocess servers.

Every script builds into a temporary folder (never var/) and imports ipkg as a library.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from ipkg.config import Settings


def temp_settings(tmp: Path, root: Path | None = None) -> Settings:
    """Settings whose store and dumps live in `tmp` (the project sources are read from the real root)."""
    base = Settings.from_env(root)
    return dataclasses.replace(base, store_path=tmp / "store", dist_path=tmp / "dist")


def build_into(tmp: Path, quiet: bool = True):
    """`ipkg build` into `tmp`; returns (settings, compiled). Retries once after 60 s if the data fails SHACL."""
    from ipkg.build import BuildError, build

    settings = temp_settings(tmp)
    progress = (lambda _m: None) if quiet else (lambda m: print("  build:", m, file=sys.stderr))
    try:
        return settings, build(settings, progress)
    except BuildError as exc:  # the data is being edited by others; give them a minute
        print(f"build failed ({exc}); retrying in 60 s", file=sys.stderr)
        time.sleep(60)
        return settings, build(settings, progress)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of `repeat` calls."""
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def geomean(values: Iterable[float]) -> float:
    values = [v for v in values if v and v > 0 and math.isfinite(v)]
    return statistics.geometric_mean(values) if values else float("nan")


def fmt(x: float, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def table(headers: list[str], rows: list[list], title: str | None = None) -> str:
    """A plain-text table, first column left-aligned, the others right-aligned; also valid Markdown."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) + " |"

    sep = "|" + "|".join(("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|"
    out = ([f"\n{title}\n"] if title else []) + [line(cells[0]), sep] + [line(r) for r in cells[1:]]
    return "\n".join(out)


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average at start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (other processes running)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server subprocess; `wait(url)` polls until it answers, `stop()` ends it (and only it)."""

    def __init__(self, name: str, argv: list[str], env: dict | None = None, log: Path | None = None):
        self.name = name
        self.log = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 -- open for the server's whole life, closed in stop()
        self.proc = subprocess.Popen(argv, env={**os.environ, **(env or {})}, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait(self, url: str, timeout: float = 300) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    r.read()
                return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.25)
        raise TimeoutError(f"{self.name} did not answer {url} within {timeout} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and its worker processes
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.log is not subprocess.DEVNULL:
            self.log.close()


def venv_bin(name: str) -> str:
    """An executable next to this Python (the shared virtualenv), else on PATH."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name
