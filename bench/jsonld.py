"""Benchmark: what compacted JSON-LD costs against pyoxigraph's expanded JSON-LD, per named graph of the build.

Run: python bench/jsonld.py [--repeat 3] [--dist var/dist]

Reads each per-graph Turtle dump the build wrote (`ipkg build` first), then times, for the same triples,
pyoxigraph's expanded JSON-LD (what the dumps were before) and `ipkg.jsonld.compact` (pyld compaction
with the published context, what the dumps, documents and CONSTRUCT answers are now), median of the
repeats, with the sizes of both. Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox

from _common import fmt, machine, median, table, timed
from ipkg import jsonld


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each writer per graph (default 3)")
    ap.add_argument("--dist", type=Path, default=Path("var/dist"), help="the build's dumps (default var/dist)")
    args = ap.parse_args()
    print(machine())
    rows, totals = [], [0.0, 0.0]
    for path in sorted((args.dist / "graph").glob("*.ttl")):
        triples = list(ox.parse(path=str(path)))
        expanded = median(timed(lambda t=triples: ox.serialize(t, format=ox.RdfFormat.JSON_LD), args.repeat))
        compacted = median(timed(lambda t=triples: jsonld.compact(t), args.repeat))
        totals[0] += expanded
        totals[1] += compacted
        rows.append([path.stem, len(triples), fmt(expanded), fmt(compacted),
                     len(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)), len(jsonld.compact(triples))])
    rows.append(["all graphs", "", fmt(totals[0]), fmt(totals[1]), "", ""])
    print(table(["graph", "triples", "expanded ms", "compacted ms", "expanded bytes", "compacted bytes"], rows,
                f"JSON-LD per graph, median of {args.repeat}"))


if __name__ == "__main__":
    main()
