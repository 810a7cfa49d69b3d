"""Benchmark: the time-and-citation surfaces in process (Flask test client over the built store).

Run: python bench/time_citation.py [--repeat 30]

Builds the project into a temporary folder (var/ is not touched), then times, through Flask's test
client: GET /api/calendar (JSON and iCalendar) for an invention patent with a grant date, GET
/api/changes over one month and over 2000-2026, a resource page with its cite box and timeline
(?asOf=), and the largest source document's page (every resource by line). Medians and p95 in ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import build_into, fmt, machine, median, percentile, table, timed

CASES = [
    ("calendar, JSON", "/api/calendar?filingDate=2023-03-15&grantDate=2025-06-10&right=invention-patent&office=CN"),
    ("calendar, iCalendar", "/api/calendar?filingDate=2023-03-15&grantDate=2025-06-10&right=invention-patent&office=CN&format=ics"),
    ("changes, one month", "/api/changes?from=2010-11-01&to=2010-11-30"),
    ("changes, 2000-2026", "/api/changes?from=2000-01-01&to=2026-12-31"),
    ("changes page, 2009-2010", "/changes?from=2009-01-01&to=2010-12-31"),
    ("programme page, cite box + timeline + asOf", "/id/programme/jilin-famous-trademark-recognition.html?asOf=2009-01-01"),
    ("fee page, cite box", "/id/fee/cn-annual-invention-years-1-3.html"),
    ("document page, resources by line (ch. 4)", "/id/doc/cn-local-regulations-ch4.html"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        settings, _compiled = build_into(Path(tmp))
        from ipkg.web import create_app

        app = create_app(settings, workers=False)
        client = app.test_client()
        rows = []
        for name, url in CASES:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times = timed(lambda url=url: client.get(url), args.repeat)
            rows.append([name, fmt(median(times)), fmt(percentile(times, 95)), f"{len(response.data):,}"])
        print(table(["request", "median ms", "p95 ms", "bytes"], rows, title=f"in process, {args.repeat} requests each"))


if __name__ == "__main__":
    main()
