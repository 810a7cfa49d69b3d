"""Benchmark: one filing compared across every jurisdiction (ipkg.compare), in process and through Flask.

Run: python bench/compare.py [--repeat 50]

What it measures (the project is built into a temporary folder; var/ is not touched):
  1. building the Comparer once (the engine's rulebook plus the comparison's own lookups);
  2. Comparer.compare for a few filings against all 20 jurisdictions (domestic invention patent with
     claims and annual fees; PCT; a foreign filing in 5 countries; with a conversion rate), median and p99;
  3. GET /api/compare as JSON and as CSV through Flask's test client (parsing, comparing, serialising).
Nothing here is asserted; the tests check the figures, this only times them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import build_into, fmt, machine, median, percentile, table, timed

FILINGS = {
    "domestic, 15 claims, 3 years": {"right": "invention-patent", "applicantKind": "individual", "claims": "15", "years": "3",
                                      "status": "granted", "asOf": "2025-06-01"},
    "pct-international, sme": {"right": "invention-patent", "applicantKind": "sme", "route": "pct-international", "asOf": "2025-06-01"},
    "foreign, 5 countries": {"right": "invention-patent", "applicantKind": "enterprise", "route": "foreign", "countries": "5",
                             "status": "granted", "asOf": "2025-06-01"},
    "domestic, converted CNY→JPY": {"right": "utility-model", "applicantKind": "small-enterprise", "years": "5", "rate": "21.3",
                                    "rateFrom": "CNY", "rateTo": "JPY", "rateDate": "2025-06-01", "asOf": "2025-06-01"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        settings, _compiled = build_into(Path(tmp))
        from ipkg.compare import Comparer
        from ipkg.eligibility import Engine, Rulebook
        from ipkg.store import EmbeddedStore
        from ipkg.web import create_app

        store = EmbeddedStore(settings.store_path, settings.memory_quads)
        started = time.perf_counter()
        comparer = Comparer(Engine(Rulebook(store)), store)
        built_ms = (time.perf_counter() - started) * 1000
        rows = []
        for name, params in FILINGS.items():
            filing = comparer.filing(params)
            comparer.compare(filing)  # warm: the engine's view of the date
            ms = timed(lambda f=filing: comparer.compare(f), args.repeat)
            rows.append([name, len(comparer.columns), fmt(median(ms)), fmt(percentile(ms, 99))])
        print(table(["filing (in process)", "jurisdictions", "median ms", "p99 ms"], rows,
                    f"Comparer.compare, {args.repeat} runs each (Comparer built in {fmt(built_ms)} ms)"))
        app = create_app(settings, workers=False)
        client = app.test_client()
        http_rows = []
        for fmt_name in ("json", "csv"):
            params = {**FILINGS["domestic, 15 claims, 3 years"], "format": fmt_name}
            client.get("/api/compare", query_string=params)
            ms = timed(lambda p=params: client.get("/api/compare", query_string=p), args.repeat)
            http_rows.append([f"GET /api/compare ({fmt_name})", fmt(median(ms)), fmt(percentile(ms, 99))])
        print(table(["request (Flask test client)", "median ms", "p99 ms"], http_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
