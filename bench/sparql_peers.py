"""Benchmark: the same graph and the same queries served by ipkg, rdflib-endpoint and the Oxigraph server.

Run (from the project folder, in the shared virtualenv, with bench/requirements.txt installed):

    python bench/sparql_peers.py                    # full run: build, 3 servers, sequential + concurrent
    python bench/sparql_peers.py --repeat 30 --seconds 15 --threads 8

What it compares. The project is built into a temporary folder (never var/); its N-Quads dump is then
served three ways, each a subprocess on 127.0.0.1:
  * ipkg            `ipkg serve` (granian, one process per CPU with --threads request threads each, the
                    embedded pyoxigraph store held in memory, query worker processes, the query gate, the
                    answer cache);
  * ipkg-nocache    the same with IPKG_ANSWER_CACHE_BYTES=0: every request evaluated;
  * ipkg-disk       the same with IPKG_ANSWER_CACHE_BYTES=0 and IPKG_MEMORY_QUADS=0: the store read from disk
                    (RocksDB), every request evaluated (what ipkg did before both);
  * rdflib-endpoint `rdflib-endpoint serve ipkg.nq` (FastAPI + uvicorn, rdflib in-memory Dataset, union default graph);
  * oxigraph        `oxigraph load` then `oxigraph serve-read-only --union-default-graph` (Rust server, RocksDB);
  * oxigraph-memory `oxigraph serve --union-default-graph` without a location (in-memory storage), the dump
                    then POSTed to its /store: the same engine and storage as ipkg's default.
Every query is sent to every server as the same text, by POST application/x-www-form-urlencoded to /sparql,
with a plain http.client connection kept alive per client thread:
  * point lookups: DESCRIBE, CONSTRUCT {<iri> ?p ?o}, SELECT ?p ?o of one resource (a few IRIs, asked again
    and again: ipkg's answer cache serves the repeats), and the same three forms over distinct articles,
    each text sent once ("first-seen": past the last article a numbered comment keeps every text new, so a
    server that remembers query texts gains nothing);
  * analytic: every queries/*.rq with its default parameters bound by ipkg.bind.substitute (the text
    ipkg's GET /api/queries/NAME runs); ipkg's /api/queries/NAME route is timed too, as an extra column.
Sequential latency: requests interleaved round-robin over the servers (so that load from other processes
hits all three alike), p50/p95 per query. Concurrency: N client threads for S seconds per server and
workload, servers one after another, throughput and p50/p95. Ratios are speed-ups of ipkg (time of the
peer / time of ipkg; > 1 means ipkg is faster). The client runs on the same 2-core machine as the servers.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Server, build_into, fmt, free_port, geomean, machine, median, percentile, table, timed, venv_bin
from ipkg import catalog
from ipkg.bind import substitute

POINT_IRIS = [
    "https://w3id.org/ipkg/id/programme/cnipa-patent-fee-reduction",
    "https://w3id.org/ipkg/id/place/cn-zhejiang",
    "https://w3id.org/ipkg/id/fee/cn-annual-invention-years-1-3",
]
SELECT_JSON = "application/sparql-results+json"
GRAPH_NT = "application/n-triples"


class Client:
    """One keep-alive HTTP connection; `post(path, query)` returns (status, body)."""

    def __init__(self, port: int, path: str = "/sparql"):
        self.port = port
        self.path = path
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None, accept: str) -> tuple[int, bytes]:
        headers = {"Accept": accept}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        raise AssertionError

    def sparql(self, text: str, accept: str) -> tuple[int, bytes]:
        return self.request("POST", self.path, urllib.parse.urlencode({"query": text}), accept)


def answer_size(status: int, body: bytes, accept: str) -> str:
    """Rows (SELECT) or triples (graph) in an answer, to check that the three servers agree."""
    if status != 200:
        return f"HTTP {status}"
    if accept == SELECT_JSON:
        return str(len(json.loads(body)["results"]["bindings"]))
    return str(len([line for line in body.decode().splitlines() if line.strip()]))


POINT_FORMS = [("DESCRIBE", "DESCRIBE <{0}>", GRAPH_NT),
               ("CONSTRUCT", "CONSTRUCT {{ <{0}> ?p ?o }} WHERE {{ <{0}> ?p ?o }}", GRAPH_NT),
               ("SELECT", "SELECT ?p ?o WHERE {{ <{0}> ?p ?o }}", SELECT_JSON)]


def pick(text: str | list[str], i: int) -> str:
    """A workload's text for request i: the same text each time, or the i-th of a list of distinct ones,
    made new again by a numbered comment once the list is used up."""
    if isinstance(text, str):
        return text
    return text[i % len(text)] + (f" # request {i}" if i >= len(text) else "")


def workloads(settings, distinct: int) -> tuple[list, list, list]:
    """(name, text or texts, accept) for point lookups of a few resources (each asked again and again), for
    point lookups of `distinct` articles each asked once (texts no server has seen: no cache keyed by
    query text helps), and for the analytic catalogue queries."""
    point = [(f"{form} {iri.split('/id/', 1)[1]}", text.format(iri), accept)
             for iri in POINT_IRIS for form, text, accept in POINT_FORMS]
    from ipkg.store import EmbeddedStore

    articles = [str(row[0]) for row in EmbeddedStore(settings.store_path).query(
        "SELECT ?a WHERE { ?a a <https://w3id.org/ipkg/def/Article> } ORDER BY ?a").rows]
    fresh = [(f"{form} of {distinct} articles, each once", [text.format(a) for a in articles[k * distinct:(k + 1) * distinct]],
              accept) for k, (form, text, accept) in enumerate(POINT_FORMS)]
    root = settings.root
    analytic = []
    for name, q in sorted(catalog.load(root / "queries").items()):
        text = substitute(q.text, q.bindings({}))
        kind = "graph" if any(w in text.upper().split() for w in ("CONSTRUCT", "DESCRIBE")) else "select"
        analytic.append((name, text, GRAPH_NT if kind == "graph" else SELECT_JSON))
    return point, fresh, analytic


PATHS = {"ipkg": "/sparql", "ipkg-nocache": "/sparql", "ipkg-disk": "/sparql", "rdflib-endpoint": "/", "oxigraph": "/query",
         "oxigraph-memory": "/query"}  # rdflib-endpoint serves SPARQL at /
PEERS = [name for name in PATHS if name != "ipkg"]  # ipkg's speed-up is reported against each of these


def start_servers(tmp: Path, settings, threads: int) -> dict[str, tuple[Server, int]]:
    nq = settings.dist_path / "ipkg.nq"
    servers: dict[str, tuple[Server, int]] = {}
    port = free_port()
    env = {"IPKG_ROOT": str(settings.root), "IPKG_STORE": str(settings.store_path), "IPKG_DIST": str(settings.dist_path)}
    servers["ipkg"] = (Server("ipkg", [venv_bin("ipkg"), "serve", "--port", str(port), "--threads", str(threads)],
                              env=env, log=tmp / "ipkg.log"), port)
    for name, extra in (("ipkg-nocache", {"IPKG_ANSWER_CACHE_BYTES": "0"}),
                        ("ipkg-disk", {"IPKG_ANSWER_CACHE_BYTES": "0", "IPKG_MEMORY_QUADS": "0"})):
        port = free_port()
        servers[name] = (Server(name, [venv_bin("ipkg"), "serve", "--port", str(port), "--threads", str(threads)],
                                env={**env, **extra}, log=tmp / f"{name}.log"), port)
    port = free_port()
    servers["rdflib-endpoint"] = (Server("rdflib-endpoint", [venv_bin("rdflib-endpoint"), "serve", "--host", "127.0.0.1",
                                                             "--port", str(port), str(nq)], log=tmp / "rdflib.log"), port)
    oxdir = tmp / "oxigraph"
    started = time.perf_counter()
    import subprocess

    subprocess.run([venv_bin("oxigraph"), "load", "--location", str(oxdir), "--file", str(nq)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"oxigraph load: {time.perf_counter() - started:.2f} s", file=sys.stderr)
    port = free_port()
    servers["oxigraph"] = (Server("oxigraph", [venv_bin("oxigraph"), "serve-read-only", "--location", str(oxdir),
                                               "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                  log=tmp / "oxigraph.log"), port)
    port = free_port()
    servers["oxigraph-memory"] = (Server("oxigraph-memory", [venv_bin("oxigraph"), "serve", "--bind", f"127.0.0.1:{port}",
                                                             "--union-default-graph"], log=tmp / "oxigraph-memory.log"), port)
    try:
        for name, (server, port) in servers.items():
            q = urllib.parse.quote("ASK { ?s ?p ?o }")
            seconds = server.wait(f"http://127.0.0.1:{port}{PATHS[name]}?query={q}")
            print(f"{name} answering after {seconds:.1f} s", file=sys.stderr)
        load = urllib.request.Request(f"http://127.0.0.1:{servers['oxigraph-memory'][1]}/store", data=nq.read_bytes(),
                                      headers={"Content-Type": "application/n-quads"}, method="POST")
        urllib.request.urlopen(load, timeout=300).read()
    except BaseException:
        for server, _port in servers.values():
            server.stop()
        raise
    return servers


def sequential(servers, items, repeat: int, slow_budget_ms: float, api: bool = False) -> list[dict]:
    """Per query: p50/p95 ms per server, requests interleaved round-robin; rdflib capped by a time budget."""
    clients = {name: Client(port, PATHS[name]) for name, (_s, port) in servers.items()}
    out = []
    for name, text, accept in items:
        times: dict[str, list[float]] = {n: [] for n in clients}
        if api:
            times["ipkg /api/queries"] = []
        sizes = {}
        for n, c in clients.items():  # warm-up (parse caches, page cache) and answer sizes
            status, body = c.sparql(pick(text, 0), accept)
            sizes[n] = answer_size(status, body, accept)
        for i in range(repeat):
            for n, c in clients.items():
                if n == "rdflib-endpoint" and sum(times[n]) > slow_budget_ms and len(times[n]) >= 3:
                    continue
                started = time.perf_counter()
                c.sparql(pick(text, i + 1), accept)
                times[n].append((time.perf_counter() - started) * 1000)
            if api:
                started = time.perf_counter()
                clients["ipkg"].request("GET", f"/api/queries/{name}", None, SELECT_JSON)
                times["ipkg /api/queries"].append((time.perf_counter() - started) * 1000)
        out.append({"name": name, "times": times, "sizes": sizes})
    return out


def http_floor(servers, peer: str, lookup: str, repeat: int) -> tuple[float, float]:
    """p50 ms of ipkg answering a request that runs no query (OPTIONS /sparql: what its HTTP stack alone
    costs) and of an Oxigraph server (`peer`) answering a whole point lookup, interleaved like the tables above."""
    ipkg, oxigraph = Client(servers["ipkg"][1]), Client(servers[peer][1], PATHS[peer])
    floor, whole = [], []
    for i in range(repeat + 5):
        started = time.perf_counter()
        ipkg.request("OPTIONS", "/sparql", None, "*/*")
        middle = time.perf_counter()
        oxigraph.sparql(lookup, SELECT_JSON)
        if i >= 5:  # warm-up
            floor.append((middle - started) * 1000)
            whole.append((time.perf_counter() - middle) * 1000)
    return median(floor), median(whole)


def concurrent(port: int, path: str, items, threads: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    requests = itertools.count(1)  # one number per request over all threads: first-seen texts stay unseen

    def run(offset: int) -> None:
        c = Client(port, path)
        mine, i = [], offset
        while time.perf_counter() < stop:
            _name, text, accept = items[i % len(items)]
            i += 1
            started = time.perf_counter()
            try:
                status, _body = c.sparql(pick(text, next(requests)), accept)
            except Exception:
                status = 0
            if status == 200:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=run, args=(k * 7,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    return {"qps": len(latencies) / elapsed, "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "n": len(latencies), "errors": errors[0]}


def breakdown(settings, items) -> None:
    """In process, no HTTP: where ipkg's time per query goes (gate, engine, writing the answer)."""
    import pyoxigraph as ox

    from ipkg.sparql import formats, gate
    from ipkg.store import EmbeddedStore

    store = EmbeddedStore(settings.store_path, settings.memory_quads)  # as `ipkg serve` holds it
    on_disk = ox.Store.read_only(str(settings.store_path))
    in_memory = ox.Store()
    in_memory.bulk_extend(on_disk)
    limits = gate.Limits.of(settings)
    names = set(store.graph_names())
    remembered = gate.Gate(limits, names)
    rows, totals = [], {"parse": [], "hit": [], "disk": [], "memory": [], "write": []}
    for name, text, accept in items:
        text = pick(text, 0)
        g = median(timed(lambda: gate.check(text, limits, names), 5))
        remembered.check(text)
        h = median(timed(lambda: remembered.check(text), 5))
        d = median(timed(lambda: list(on_disk.query(text, use_default_graph_as_union=True)), 5))
        m = median(timed(lambda: list(in_memory.query(text, use_default_graph_as_union=True)), 5))
        w = median(timed(lambda: formats.write_answer(store.evaluate(text), accept, settings.max_rows), 5))
        for k, v in zip(totals, (g, h, d, m, w)):
            totals[k].append(v)
        rows.append([name[:44], fmt(g), fmt(h), fmt(d), fmt(m), fmt(w)])
    rows.append(["median", *(fmt(median(v)) for v in totals.values())])
    print(table(["query", "gate, first shape ms", "gate, known shape ms", "pyoxigraph on disk ms", "pyoxigraph in memory ms",
                 "evaluate + write ms"], rows,
                "Where ipkg's time goes, in process (median of 5; first shape = rdflib parseQuery + translateQuery; "
                "known shape = the scan that finds the remembered verdict; on disk / in memory = pyoxigraph iterating "
                "the answer from its RocksDB or in-memory storage; evaluate + write = the endpoint's path, the store "
                f"as served (in memory: {store.in_memory}), pyoxigraph writing the answer under the row cap)"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20, help="sequential requests per query and server (default 20)")
    ap.add_argument("--rdflib-budget-ms", type=float, default=4000,
                    help="stop repeating a query on rdflib-endpoint once it has used this much (min 3 runs)")
    ap.add_argument("--threads", type=int, default=8, help="client threads under concurrency (default 8)")
    ap.add_argument("--seconds", type=float, default=10, help="seconds per server and workload under concurrency")
    args = ap.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory(prefix="ipkg-bench-") as tmpname:
        tmp = Path(tmpname)
        started = time.perf_counter()
        settings, compiled = build_into(tmp)
        print(f"built into {tmp} in {time.perf_counter() - started:.1f} s: "
              f"{sum(compiled.triple_counts().values())} quads in {len(compiled.graphs)} graphs")
        point, fresh, analytic = workloads(settings, args.repeat + 1)
        servers = start_servers(tmp, settings, args.threads)
        names = list(servers)
        try:
            p50s: dict[str, list[dict]] = {}  # workload -> per query, p50 ms per server
            for label, items, api in (("point lookups", point, False), ("first-seen point lookups", fresh, False),
                                      ("analytic catalogue queries", analytic, True)):
                results = sequential(servers, items, args.repeat, args.rdflib_budget_ms, api=api)
                rows = []
                for r in results:
                    t, sizes = r["times"], r["sizes"]
                    p50 = {n: median(v) for n, v in t.items()}
                    p50s.setdefault(label, []).append(p50)
                    agree = "=" if len(set(sizes.values())) == 1 else " ≠ " + "/".join(sizes.values())
                    row = [r["name"][:44], f"{sizes['ipkg']}{agree}", fmt(p50["ipkg"]), fmt(percentile(t["ipkg"], 95))]
                    if api:
                        row.append(fmt(p50["ipkg /api/queries"]))
                    row += [fmt(p50[peer]) for peer in PEERS] + [str(len(t["rdflib-endpoint"]))]
                    row += [f"{p50[peer] / p50['ipkg']:.2f}x" for peer in PEERS]
                    rows.append(row)
                headers = ["query", "rows/triples", "ipkg p50", "ipkg p95"] + (["ipkg api p50"] if api else []) + \
                          [f"{peer} p50" for peer in PEERS] + ["rdflib n"] + [f"{peer}/ipkg" for peer in PEERS]
                print(table(headers, rows, f"Sequential latency, {label} (ms; {args.repeat} requests per query and server, "
                                           f"interleaved; rdflib n = its repeat count; ratios of p50, > 1 means ipkg faster)"))
            floors = {peer: http_floor(servers, peer, point[2][1], args.repeat * 10) for peer in ("oxigraph", "oxigraph-memory")}
            for peer, (floor, whole) in floors.items():
                print(f"ipkg's HTTP floor: OPTIONS /sparql (granian + Flask, no query) p50 {floor:.2f} ms; {peer}'s whole "
                      f"point lookup ({point[2][0]}) p50 {whole:.2f} ms, interleaved; so no ipkg point lookup can beat "
                      f"{whole / floor:.2f}x {peer} on this machine")

            conc_rows, qps = [], {}
            for label, items in (("point lookups", point), ("first-seen point lookups", fresh),
                                 ("analytic catalogue queries", analytic)):
                for n in names:
                    r = concurrent(servers[n][1], PATHS[n], items, args.threads, args.seconds)
                    qps.setdefault(label, {})[n] = r["qps"]
                    conc_rows.append([f"{label} / {n}", fmt(r["qps"], 1), fmt(r["p50"]), fmt(r["p95"]), r["n"], r["errors"]])
            print(table(["workload / server", "req/s", "p50 ms", "p95 ms", "requests", "errors"], conc_rows,
                        f"Concurrency: {args.threads} client threads, {args.seconds:g} s per server and workload "
                        f"(servers one after another; the workload cycles through the queries)"))
            breakdown(settings, point + fresh + analytic)
            for subject in ("ipkg", "ipkg-nocache"):
                peers = [p for p in PEERS if p != subject and not (subject == "ipkg-nocache" and p == "ipkg-disk")]
                rows = [[f"{label}: sequential p50 (geomean ratio)",
                         *(f"{geomean(q[p] / q[subject] for q in per_query):.2f}x" for p in peers)]
                        for label, per_query in p50s.items()]
                rows += [[f"{label}: throughput under {args.threads} threads", *(f"{rates[subject] / rates[p]:.2f}x" for p in peers)]
                         for label, rates in qps.items()]
                rows += [[f"point lookups: ceiling set by ipkg's HTTP stack alone ({peer} lookup / ipkg OPTIONS)",
                          *("" if p != peer else f"{whole / floor:.2f}x" for p in peers)] for peer, (floor, whole) in floors.items()]
                print(table(["measure", *(f"{subject} vs {p}" for p in peers)], rows,
                            f"Summary for {subject} (speed-up; > 1 means {subject} faster; targets: >= 10x rdflib-endpoint "
                            "on analytic queries, >= 3x on point lookups, >= 0.7x the Oxigraph server)"))
        finally:
            for server, _port in servers.values():
                server.stop()


if __name__ == "__main__":
    main()
