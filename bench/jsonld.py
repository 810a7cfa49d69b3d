"""Benchmark: what compacted JSON-LD costs against pyoxigraph's expanded JSON-LD, per named graph of the build.

Run: python bench/jsonld.py [--repeat 3] [--dist var/dist]

Reads each per-graph Turtle dump the build wrote (`ipkg build` first), then times, for the same triples,
pyoxigraph's expanded JSON-LD (what the dumps were first), `ipkg.jsonld.compact_by_pyld` (pyld's general
compaction with the published context: what `compact` was until its own compactor replaced it) and
`ipkg.jsonld.compact` (what the dumps, documents and CONSTRUCT answers are now), median of the repeats,
with the sizes, and checks that the two compacted documents are the same bytes (exit 1 if one differs).
Nothing is written.
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
    rows, totals, different = [], [0.0, 0.0, 0.0], []
    for path in sorted((args.dist / "graph").glob("*.ttl")):
        triples = list(ox.parse(path=str(path)))
        expanded = median(timed(lambda t=triples: ox.serialize(t, format=ox.RdfFormat.JSON_LD), args.repeat))
        by_pyld = median(timed(lambda t=triples: jsonld.compact_by_pyld(t), args.repeat))
        compacted = median(timed(lambda t=triples: jsonld.compact(t), args.repeat))
        for i, ms in enumerate((expanded, by_pyld, compacted)):
            totals[i] += ms
        same = jsonld.compact(triples) == jsonld.compact_by_pyld(triples)
        if not same:
            different.append(path.stem)
        rows.append([path.stem, len(triples), fmt(expanded), fmt(by_pyld), fmt(compacted), "yes" if same else "NO",
                     len(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)), len(jsonld.compact(triples))])
    rows.append(["all graphs", sum(r[1] for r in rows), fmt(totals[0]), fmt(totals[1]), fmt(totals[2]), "no" if different else "yes", "", ""])
    print(table(["graph", "triples", "expanded ms", "compacted by pyld ms", "compacted ms", "same bytes as pyld",
                 "expanded bytes", "compacted bytes"], rows,
                f"JSON-LD per graph, median of {args.repeat}; compaction {totals[1] / totals[2]:.1f}x faster than pyld's"))
    if different:
        sys.exit(f"compacted JSON-LD differs from pyld's for: {', '.join(different)}")


if __name__ == "__main__":
    main()
