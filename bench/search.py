"""Benchmark: full-text search latency and recall, on the real graph and at 10x its size.

Run: python bench/search.py [--repeat 20] [--copies 10]

What it measures (the project is built into a temporary folder; var/ is not touched):
  1. the 30 searches of tests/data/search-recall.tsv, each repeated `--repeat` times, in process
     (SearchIndex.search: hits, snippets and every facet count) and through Flask's test client
     (GET /api/search): p50 and p99 per request, and recall (the expected resource in the top 10);
  2. the same on an index of `--copies` copies of every document (IRIs suffixed "-copyN"), built from the
     same graph into the temporary folder; recall there looks at the first 10 distinct resources;
  3. the one- and two-character searches both ways: the generated CJK uni/bigram table the index uses,
     against LIKE '%…%' over the stored texts (what the index would otherwise fall back to).
Target: p50 under 20 ms, on the real graph and at 10x.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import build_into, fmt, machine, percentile, table
from ipkg import search
from ipkg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/ipkg/id/"


def _queries() -> list[dict]:
    return list(csv.DictReader((ROOT / "tests/data/search-recall.tsv").open(encoding="utf-8"), delimiter="\t"))


def _latency(run, rows: list[dict], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        for row in rows:
            started = time.perf_counter()
            run(row)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _recall(index: search.SearchIndex, rows: list[dict], copies: bool) -> int:
    """How many expected resources are among the first 10 distinct resources (a copy counts as its original:
    the copies of one resource rank side by side, so the top 10 hits of the 10x index are about one resource)."""
    found = 0
    for row in rows:
        hits = index.search(search.parse_request({"q": [row["query"]], "lang": [row["language"]], "limit": ["100"]}))["hits"]
        iris = list(dict.fromkeys(h["iri"].split("-copy")[0] if copies else h["iri"] for h in hits))[:10]
        found += ID + row["expected"] in iris
    return found


def _short_paths(path: Path, rows: list[dict], repeat: int) -> tuple[list[float], list[float], int, int]:
    """The short searches through the index, and by LIKE over the stored texts; and their hit counts."""
    index = search.SearchIndex(path)
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    short = [r for r in rows if all(t.short for t in search.parse_request({"q": [r["query"]]}).terms)]
    requests = [(search.parse_request({"q": [r["query"]], "limit": ["10"]}), r["query"].split()) for r in short]
    fts, like = [], []
    n_fts = n_like = 0
    for _ in range(repeat):
        for req, words in requests:
            started = time.perf_counter()
            answer = index.search(req)
            fts.append((time.perf_counter() - started) * 1000)
            n_fts += answer["total"]
            patterns = [f"%{w}%" for w in words]  # as typed: LIKE knows neither 専利 = 专利 nor whole words
            where = " AND ".join("(names LIKE ? OR texts LIKE ?)" for _ in patterns)
            started = time.perf_counter()  # the matching alone, without facets or snippets: LIKE's best case
            n_like += len(db.execute(f"SELECT id FROM doc WHERE {where}", [p for p in patterns for _ in (0, 1)]).fetchall())
            like.append((time.perf_counter() - started) * 1000)
    return fts, like, n_fts // repeat, n_like // repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    rows = _queries()
    print(machine())
    with tempfile.TemporaryDirectory(prefix="ipkg-bench-search-") as tmp:
        settings, _compiled = build_into(Path(tmp))
        real = settings.dist_path / search.INDEX_FILE
        docs, values = search.documents(EmbeddedStore(settings.store_path, 1_000_000), [settings.graph_base + "shapes"])
        scaled = Path(tmp) / "search-10x.sqlite"
        started = time.perf_counter()
        n_scaled = search.write_index(scaled, search.iter_documents(docs, args.copies), values)
        build_s = time.perf_counter() - started

        from ipkg.web import create_app

        app = create_app(settings, workers=False)
        client = app.test_client()
        results = []
        for label, path, copies in (("real graph", real, False), (f"{args.copies}x", scaled, True)):
            index = search.SearchIndex(path)
            requests = {r["query"] + r["language"]: search.parse_request({"q": [r["query"]], "lang": [r["language"]]}) for r in rows}
            in_process = _latency(lambda r, index=index, requests=requests: index.search(requests[r["query"] + r["language"]]),
                                  rows, args.repeat)
            http = []
            if not copies:
                http = _latency(lambda r: client.get("/api/search", query_string={"q": r["query"], "lang": r["language"]}), rows,
                                args.repeat)
            results.append([label, index.size, fmt(percentile(in_process, 50)), fmt(percentile(in_process, 99)),
                            fmt(percentile(http, 50)) if http else "–", fmt(percentile(http, 99)) if http else "–",
                            f"{_recall(index, rows, copies)}/{len(rows)}", f"{path.stat().st_size / 2**20:.1f}"])
        print(table(["index", "documents", "p50 ms", "p99 ms", "HTTP p50 ms", "HTTP p99 ms", "recall@10", "MB"], results,
                    title=f"30 searches x {args.repeat} (in process: SearchIndex.search; HTTP: Flask test client)"))
        print(f"the {args.copies}x index ({n_scaled} documents) was written in {build_s:.1f} s")
        short_rows = []
        for label, path in (("real graph", real), (f"{args.copies}x", scaled)):
            fts, like, n_fts, n_like = _short_paths(path, rows, args.repeat)
            short_rows.append([label, fmt(percentile(fts, 50)), fmt(percentile(like, 50)), n_fts, n_like])
        print(table(["index", "uni/bigram FTS5 p50 ms (whole answer)", "LIKE scan p50 ms (matching only)", "hits", "LIKE hits"],
                    short_rows, title="one- and two-character searches"))


if __name__ == "__main__":
    main()
