"""Benchmark: cheap queries while query bombs saturate the workers, before and after the worker lanes (issue 19).

Run (from the project folder, in the project's virtualenv):

    git worktree add /tmp/before <commit>             # the code to compare with, e.g. main before the lanes
    python bench/lanes.py --before /tmp/before --seconds 60

The project is built once into a temporary folder (never var/). Each code base then serves it as
`ipkg serve --processes 2 --threads 5` with 4 query workers per process and the default 10 s deadline, on
127.0.0.1, one after the other (the "before" code from its own folder, by PYTHONPATH). Against each server,
for `--seconds`:
  * `--bombs` clients (default 6) each send a 4-way cross product under COUNT(*) again and again (it runs to
    the deadline), each text new, so that every one reaches a worker;
  * one cheap client sends `ASK {}` with a new comment each time (first-seen: a worker runs it; with the lanes,
    the light lane) and, alternately, the same `ASK {}` (repeated: the answer cache), each on a new connection,
    so that the kernel spreads them over both server processes, 20 ms apart.
Reported: p50 / p99 / max latency of each kind of cheap query, how many answered 200, and what the bombs got.
The client runs on the same 2-core machine as the server; the figures are the machine's, under its other load.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Server, build_into, fmt, free_port, machine, percentile, table

BOMB = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HERE = Path(__file__).resolve().parents[1]


def _get(port: int, text: str, timeout: float = 60) -> tuple[int, float]:
    """Status and milliseconds of one GET on a new connection (status 0: no answer within `timeout`)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/sparql?query=" + urllib.parse.quote(text), headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        conn.close()
    return status, (time.perf_counter() - started) * 1000


def measure(port: int, seconds: float, bombs: int) -> dict:
    stop = time.monotonic() + seconds
    bomb_statuses: Counter = Counter()
    lock = threading.Lock()

    def bomber(n: int) -> None:
        i = 0
        while time.monotonic() < stop:
            status, _ = _get(port, f"{BOMB} # bomber {n}, {i}")
            with lock:
                bomb_statuses[status] += 1
            i += 1
            if status != 200:
                time.sleep(0.05)  # a refused bomb asks again at once, as an attacker would (almost)

    threads = [threading.Thread(target=bomber, args=(n,), daemon=True) for n in range(bombs)]
    for t in threads:
        t.start()
    time.sleep(1)  # let the bombs take the workers first
    first_seen: list[tuple[int, float]] = []
    repeated: list[tuple[int, float]] = []
    i = 0
    while time.monotonic() < stop:
        first_seen.append(_get(port, f"ASK {{}} # cheap {i}"))
        repeated.append(_get(port, "ASK {}"))
        i += 1
        time.sleep(0.02)
    for t in threads:
        t.join()
    return {"first-seen": first_seen, "repeated": repeated, "bombs": dict(bomb_statuses)}


def serve(name: str, code: Path, settings, log: Path) -> tuple[Server, int]:
    port = free_port()
    env = {"IPKG_ROOT": str(settings.root), "IPKG_STORE": str(settings.store_path), "IPKG_DIST": str(settings.dist_path),
           "IPKG_WORKERS": "4", "IPKG_QUERY_TIMEOUT": "10", "PYTHONPATH": str(code / "server")}
    server = Server(name, [sys.executable, "-m", "ipkg.cli", "serve", "--port", str(port), "--processes", "2",
                           "--threads", "5"], env=env, log=log)
    server.wait(f"http://127.0.0.1:{port}/sparql?query=" + urllib.parse.quote("ASK {}"))
    time.sleep(5)  # every worker has opened its store
    return server, port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with (its server/ folder is used)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--bombs", type=int, default=6)
    args = parser.parse_args()
    print(machine())
    runs = [("before", args.before.resolve())] if args.before else []
    runs.append(("after", HERE))
    rows, bomb_rows = [], []
    with tempfile.TemporaryDirectory(prefix="ipkg-lanes-") as tmp:
        settings, _ = build_into(Path(tmp))
        for name, code in runs:
            server, port = serve(name, code, settings, Path(tmp) / f"{name}.log")
            try:
                result = measure(port, args.seconds, args.bombs)
            finally:
                server.stop()
            for kind in ("first-seen", "repeated"):
                samples = result[kind]
                ms = [t for _, t in samples]
                ok = sum(s == 200 for s, _ in samples)
                rows.append([f"{name}: ASK {{}} {kind}", len(samples), ok, fmt(percentile(ms, 50)), fmt(percentile(ms, 99)),
                             fmt(max(ms)), sum(t > 1000 for t in ms)])
            bomb_rows.append([name, ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(result["bombs"].items()))])
    print(table(["cheap query", "sent", "200", "p50 ms", "p99 ms", "max ms", "over 1 s"], rows,
                f"cheap queries while {args.bombs} bombs saturate the workers ({args.seconds:g} s each; "
                "2 processes x 5 threads, 4 workers each)"))
    print(table(["code", "bomb answers (status: count)"], bomb_rows))
    print(f"\ncommand: python bench/lanes.py {' '.join(sys.argv[1:])}  (pid {os.getpid()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
