"""Benchmark (not a test): time each build step, then each catalogue query in the serving store vs plain rdflib.

Run: python bench/build_and_queries.py [--repeat 5]
Prints one line per build step and one per query: median ms in pyoxigraph, in rdflib, and the ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Dataset

from ipkg import catalog
from ipkg.build import build
from ipkg.config import Settings
from ipkg.store import EmbeddedStore


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(Settings.from_env(), store_path=Path(tmp) / "store", dist_path=Path(tmp) / "dist")
        started = time.perf_counter()
        compiled = build(settings)
        total = time.perf_counter() - started
        print("build step".ljust(40), "seconds")
        for step, seconds in compiled.timings.items():
            print(step.ljust(40), f"{seconds:8.2f}")
        print("total".ljust(40), f"{total:8.2f}", f"({sum(compiled.triple_counts().values())} triples)")

        store = EmbeddedStore(settings.store_path)
        ds = Dataset(default_union=True)
        ds.parse(settings.dist_path / "ipkg.nq", format="nquads")
        queries = catalog.load(settings.root / "queries")
        print()
        print("catalogue query".ljust(48), "pyoxigraph ms", "rdflib ms", "ratio")
        ratios = []
        for name, q in sorted(queries.items()):
            bindings = q.bindings({})
            ox = median_ms(lambda: store.query(q.text, bindings=bindings), args.repeat)
            rd = median_ms(lambda: list(ds.query(q.text, initBindings=bindings)), max(1, args.repeat // 2))
            ratios.append(rd / ox if ox else float("nan"))
            print(name[:48].ljust(48), f"{ox:13.2f}", f"{rd:9.2f}", f"{rd / ox:6.1f}x")
        if ratios:
            print("geometric mean speed-up of pyoxigraph over rdflib:",
                  f"{statistics.geometric_mean([r for r in ratios if r > 0]):.1f}x")


if __name__ == "__main__":
    main()
