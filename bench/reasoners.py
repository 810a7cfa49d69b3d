"""Benchmark: the two OWL 2 RL engines of the build, owlrl (reference) and reasonable (default), on our data.

Run: python bench/reasoners.py [--repeat 3] [--owlrl-repeat 1]

Parses the project's sources like the build does (every graph but shapes), then times
ipkg.reasoning.closure(asserted, engine) for both engines (median of the repeats, run alternately) and
compares their entailments: all of them, and those on instance data (subject an IRI under .../id/),
printing counts and the size of each difference. Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fmt, machine, median, table
from ipkg import reasoning, sources
from ipkg.config import Settings

ID = "https://w3id.org/ipkg/id/"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs of reasonable (default 3)")
    ap.add_argument("--owlrl-repeat", type=int, default=1, help="runs of owlrl (default 1; it is slow)")
    args = ap.parse_args()
    print(machine())
    settings = Settings.from_env()
    started = time.perf_counter()
    src = sources.load(settings)
    shapes = src.graph("shapes", settings)
    asserted = [g for k, g in src.graphs.items() if k != shapes.identifier]
    n_asserted = sum(len(g) for g in asserted)
    print(f"parsed {len(src.files)} files in {time.perf_counter() - started:.1f} s: {n_asserted} asserted triples "
          f"in {len(asserted)} graphs (shapes left out, as in the build)")

    times: dict[str, list[float]] = {"reasonable": [], "owlrl": []}
    out = {}
    for i in range(max(args.repeat, args.owlrl_repeat)):
        for engine, n in (("reasonable", args.repeat), ("owlrl", args.owlrl_repeat)):
            if i >= n:
                continue
            started = time.perf_counter()
            out[engine] = reasoning.closure(asserted, engine)
            times[engine].append(time.perf_counter() - started)
    fast, ref = set(out["reasonable"]), set(out["owlrl"])
    inst = lambda g: {t for t in g if str(t[0]).startswith(ID)}
    fi, ri = inst(fast), inst(ref)
    rows = [
        ["reasonable", fmt(median(times["reasonable"])), len(times["reasonable"]), len(fast), len(fi)],
        ["owlrl", fmt(median(times["owlrl"])), len(times["owlrl"]), len(ref), len(ri)],
    ]
    print(table(["engine", "median s", "runs", "inferred triples (after trivia filter)", "on instance data"], rows,
                f"OWL 2 RL closure of {n_asserted} asserted triples (ipkg.reasoning.closure)"))
    print(f"speed-up of reasonable over owlrl: {median(times['owlrl']) / median(times['reasonable']):.1f}x")
    diff_rows = [
        ["all inferred", len(fast & ref), len(ref - fast), len(fast - ref)],
        ["instance data (subject under /id/)", len(fi & ri), len(ri - fi), len(fi - ri)],
    ]
    print(table(["entailments", "both", "owlrl only", "reasonable only"], diff_rows, "Agreement"))
    print("same instance-level entailments:", "yes" if fi == ri else "NO")
    for label, extra in (("owlrl only", ref - fast), ("reasonable only", fast - ref)):
        if extra:
            preds: dict[str, int] = {}
            for _s, p, _o in extra:
                preds[str(p)] = preds.get(str(p), 0) + 1
            top = sorted(preds.items(), key=lambda kv: -kv[1])[:6]
            print(f"{label}, by predicate: " + ", ".join(f"{p.rsplit('/', 1)[-1].rsplit('#', 1)[-1]} {n}" for p, n in top))
            for t in sorted(extra, key=str)[:3]:
                print("   e.g.", " ".join(x.n3() for x in t))


if __name__ == "__main__":
    main()
