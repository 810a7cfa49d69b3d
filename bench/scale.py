"""Benchmark: how catalogue queries and build steps grow on synthetic graphs 10x and 100x the real one.

Run: python bench/scale.py [--scales 1,10,100] [--build-scales 1,10] [--repeat 5]

The synthetic graph. The project is built into a temporary folder (var/ is not touched); from its N-Quads
dump, every quad of every graph except ontology, schemes and shapes (i.e. the data graphs, reference and
the inferred graph) is copied N-1 more times, each copy K renaming every instance resource (an IRI that
under .../id/ that is a subject in a data graph and not in ontology/schemes) to IRI + "-copyK" and every
blank node likewise; the ontology, the SKOS schemes and the shapes stay once. Each copy keeps the shape of the real
data (same classes, links, literals, graph), so N x is the real graph N times over.

What is timed:
  * queries: the synthetic N-Quads bulk-loaded into a pyoxigraph store (load time shown), then every
    queries/*.rq with its default parameters through EmbeddedStore.query (engine + conversion to rdflib
    terms, the server's 10,000-row cap), median of --repeat (fewer at 100x when a query is slow); default
    parameters name one original resource, so parameterised queries see one match plus 100x more data;
  * build steps on the asserted part (the inferred graph left out, as the build would compute it):
    parse (rdflib reading the synthetic N-Quads; the real build parses Turtle, whose 1x time is shown
    for reference), OWL 2 RL closure with `reasonable` (ipkg.reasoning.closure), SHACL validation
    (ipkg.validation.validate of asserted + inferred against shapes/). By default these run at 1x and
    10x only; the 100x figures are then extrapolated from the 1x -> 10x growth (exponent b in t ~ N^b)
    and marked "extrapolated". Pass --build-scales 1,10,100 to measure them (minutes, GBs of memory).
"""

from __future__ import annotations

import argparse
import gc
import math
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rdflib import Dataset, Graph, URIRef

from _common import build_into, fmt, machine, median, table
from ipkg import catalog, reasoning, sources, validation
from ipkg.store import EmbeddedStore

_QUAD = re.compile(r"(<[^>]*>|_:[A-Za-z0-9_.-]+)")


def split_dump(nq: Path, settings) -> tuple[list[str], list[str], set[str], set[str]]:
    """(kept-once lines, data lines, instance IRIs, …): lines of the N-Quads dump split by graph."""
    once_graphs = {f"<{settings.graph_base}{n}>" for n in ("ontology", "schemes", "shapes")}
    once, data = [], []
    schema_subjects, data_subjects = set(), set()
    for line in nq.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        graph = line.rstrip(" .").rsplit(" ", 1)[-1]
        subject = line.split(" ", 1)[0]
        if graph in once_graphs:
            once.append(line)
            schema_subjects.add(subject)
        else:
            data.append(line)
            if subject.startswith(f"<{settings.base}id/"):
                data_subjects.add(subject)
    return once, data, data_subjects - schema_subjects, once_graphs


def synthesize(once: list[str], data: list[str], instances: set[str], factor: int, out: Path,
               inferred_graph: str | None = None) -> int:
    """Write the N x graph as N-Quads; with `inferred_graph`, leave that graph's quads out (asserted only)."""
    if inferred_graph:
        data = [line for line in data if not line.rstrip(" .").endswith(inferred_graph)]
    # split each data line once into fixed text and renameable terms; each copy then only joins strings
    pieces: list[str] = []
    renamed: list[int] = []  # indexes into pieces that take the suffix
    for line in data:
        parts = _QUAD.split(line)
        graph_start = len(parts) - 2  # the last term is the graph name: never renamed
        for i, part in enumerate(parts):
            if i % 2 == 1 and i < graph_start and (part in instances or part.startswith("_:")):
                renamed.append(len(pieces))
            pieces.append(part)
        pieces.append("\n")
    n = len(once)
    with out.open("w", encoding="utf-8") as f:
        f.write("\n".join(once) + "\n")
        f.write("".join(pieces))
        n += len(data)
        for k in range(1, factor):
            copy = list(pieces)
            for i in renamed:
                p = copy[i]
                copy[i] = f"{p[:-1]}-copy{k}>" if p[0] == "<" else f"{p}copy{k}"
            f.write("".join(copy))
            n += len(data)
    return n


def _child(store: EmbeddedStore, text: str, bindings, repeat: int, max_rows: int, conn) -> None:
    times = []
    started = time.perf_counter()
    result = store.query(text, bindings=bindings, max_rows=max_rows)
    first = (time.perf_counter() - started) * 1000
    reps = repeat if first < 1000 else min(repeat, 2) if first < 10_000 else 0
    times = [first] if reps == 0 else []
    for _ in range(reps):
        t0 = time.perf_counter()
        store.query(text, bindings=bindings, max_rows=max_rows)
        times.append((time.perf_counter() - t0) * 1000)
    rows = len(result.rows) if result.kind == "select" else len(result.triples)
    conn.send((median(times), rows, len(times)))


def run_query(store: EmbeddedStore, q, repeat: int, max_rows: int, timeout: float) -> tuple[float, int | str, int]:
    """(median ms, rows, runs) of a catalogue query, in a child process killed after `timeout` seconds; the
    child is forked, so it shares the parent's opened store (an in-memory copy is not made again)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(store, q.text, q.bindings({}), repeat, max_rows, child))
    proc.start()
    if parent.poll(timeout):
        out = parent.recv()
        proc.join()
        return out
    proc.kill()
    proc.join()
    return float("nan"), f"stopped after {timeout:g} s", 0


def growth(t1: float, t10: float) -> float:
    return math.log10(t10 / t1) if t1 > 0 and t10 > 0 else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="1,10,100", help="factors for the query measurements")
    ap.add_argument("--build-scales", default="1,10", help="factors for parse / reasoning / SHACL (100 is slow)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=30, help="seconds allowed per query and scale (default 30)")
    ap.add_argument("--memory-quads", type=int, default=None,
                    help="hold a store of at most this many quads in memory, as `ipkg serve` does "
                         "(default: IPKG_MEMORY_QUADS or 500,000; 0: always on disk)")
    args = ap.parse_args()
    scales = [int(x) for x in args.scales.split(",")]
    build_scales = [int(x) for x in args.build_scales.split(",")]
    print(machine())
    with tempfile.TemporaryDirectory(prefix="ipkg-bench-") as tmpname:
        tmp = Path(tmpname)
        settings, compiled = build_into(tmp)
        memory_quads = settings.memory_quads if args.memory_quads is None else args.memory_quads
        real_turtle_parse = compiled.timings["parse sources"]
        nq = settings.dist_path / "ipkg.nq"
        once, data, instances, _once_graphs = split_dump(nq, settings)
        inferred = f"<{settings.graph_base}inferred>"
        print(f"real graph: {len(once) + len(data)} quads ({len(once)} ontology/schemes/shapes kept once, "
              f"{len(data)} data quads copied), {len(instances)} instance resources renamed per copy")

        # ---- queries -------------------------------------------------------------------------
        import pyoxigraph as ox

        queries = catalog.load(settings.root / "queries")
        per_scale: dict[int, dict[str, tuple[float, int, int]]] = {}
        load_rows = []
        for factor in scales:
            path = tmp / f"synthetic-{factor}x.nq"
            started = time.perf_counter()
            synthesize(once, data, instances, factor, path)
            gen_s = time.perf_counter() - started
            store_path = tmp / f"store-{factor}x"
            started = time.perf_counter()
            s = ox.Store(str(store_path))
            s.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            s.flush()
            loaded = len(s)
            del s
            load_s = time.perf_counter() - started
            started = time.perf_counter()
            store = EmbeddedStore(store_path, memory_quads)
            open_s = time.perf_counter() - started
            load_rows.append([f"{factor}x", f"{loaded:,}", fmt(gen_s), fmt(load_s), f"{loaded / load_s:,.0f}",
                              "in memory" if store.in_memory else "on disk", fmt(open_s)])
            per_scale[factor] = {}
            for name, q in sorted(queries.items()):
                per_scale[factor][name] = run_query(store, q, args.repeat, settings.max_rows, args.timeout)
            del store
            path.unlink()
            gc.collect()
        print(table(["scale", "quads", "generate s", "pyoxigraph bulk load s", "quads/s", "queried", "open (and copy) s"],
                    load_rows, f"Synthetic graphs, loaded into pyoxigraph, then opened as `ipkg serve` opens them "
                               f"(IPKG_MEMORY_QUADS = {memory_quads:,})"))
        headers = ["catalogue query"] + [f"{f}x ms (rows)" for f in scales] + \
                  [f"{f}x/1x" for f in scales if f != 1]
        rows = []
        for name in sorted(queries):
            base = per_scale[scales[0]][name][0]
            row = [name[:40]] + [f"{fmt(per_scale[f][name][0])} ({per_scale[f][name][1]})" if per_scale[f][name][2]
                                 else f"> {args.timeout * 1000:,.0f} (stopped)" for f in scales]
            row += [f"{per_scale[f][name][0] / base:.1f}" if per_scale[f][name][2] else f"> {args.timeout * 1000 / base:,.0f}"
                    for f in scales if f != 1]
            rows.append(row)
        med = ["median (stopped queries count as the time limit)"] + \
              [fmt(median(v[0] if v[2] else args.timeout * 1000 for v in per_scale[f].values())) for f in scales]
        med += [f"{median((per_scale[f][n][0] if per_scale[f][n][2] else args.timeout * 1000) / per_scale[scales[0]][n][0] for n in queries):.1f}"
                for f in scales if f != 1]
        rows.append(med)
        print(table(headers, rows, f"Catalogue queries (EmbeddedStore.query, default parameters, median of up to "
                                   f"{args.repeat} after one warm-up run, 2 when a run takes > 1 s, 1 when > 10 s; each query in a child "
                                   f"process stopped after {args.timeout:g} s; rows capped at {settings.max_rows:,})"))

        # ---- build steps ----------------------------------------------------------------------
        shapes_graph = sources.load(settings).graph("shapes", settings)
        schema_ids = {URIRef(settings.graph_base + n) for n in ("ontology", "schemes", "shapes")}
        steps: dict[int, dict[str, float]] = {}
        sizes: dict[int, int] = {}
        for factor in build_scales:
            path = tmp / f"asserted-{factor}x.nq"
            synthesize(once, data, instances, factor, path, inferred_graph=inferred)
            steps[factor] = {}
            started = time.perf_counter()
            ds = Dataset()
            ds.parse(str(path), format="nquads")
            steps[factor]["parse (rdflib, N-Quads)"] = time.perf_counter() - started
            path.unlink()
            asserted = [Graph(store=ds.store, identifier=c.identifier) for c in ds.graphs()
                        if c.identifier != URIRef(settings.graph_base + "shapes") and len(c)]
            sizes[factor] = sum(len(g) for g in asserted)
            started = time.perf_counter()
            closure = reasoning.closure(asserted, "reasonable")
            steps[factor]["OWL 2 RL closure (reasonable)"] = time.perf_counter() - started
            data_graph = Graph()
            for g in asserted:
                if g.identifier in schema_ids:
                    continue
                for t in g:
                    data_graph.add(t)
            for g in asserted:
                if g.identifier in schema_ids:
                    for t in g:
                        data_graph.add(t)
            for t in closure:
                data_graph.add(t)
            started = time.perf_counter()
            results = validation.validate(data_graph, shapes_graph)
            steps[factor]["SHACL validation (pySHACL)"] = time.perf_counter() - started
            steps[factor]["violations"] = len(validation.violations_only(results))
            print(f"  {factor}x: {sizes[factor]:,} asserted triples, {len(closure):,} inferred, "
                  f"{steps[factor]['violations']} violations", file=sys.stderr)
            del ds, asserted, closure, data_graph
            gc.collect()
        names = ["parse (rdflib, N-Quads)", "OWL 2 RL closure (reasonable)", "SHACL validation (pySHACL)"]
        shown = sorted(set(build_scales) | set(scales))
        rows = []
        for step in names:
            row = [step]
            for f in shown:
                if f in steps:
                    row.append(fmt(steps[f][step]))
                elif 1 in steps and 10 in steps:
                    b = growth(steps[1][step], steps[10][step])
                    row.append(f"~{fmt(steps[10][step] * (f / 10) ** b)} (extrapolated, N^{b:.2f})")
                else:
                    row.append("-")
            if 1 in steps and 10 in steps:
                row.append(f"{steps[10][step] / steps[1][step]:.1f}x")
            rows.append(row)
        rows.append(["asserted triples"] + [f"{sizes[f]:,}" if f in sizes else f"~{sizes[max(sizes)] * f // max(sizes):,}" for f in shown] + [""])
        both = 1 in steps and 10 in steps
        if not both:
            rows[-1] = rows[-1][:-1]
        print(table(["build step (seconds)"] + [f"{f}x" for f in shown] + (["10x/1x"] if both else []), rows,
                    f"Build steps on the synthetic asserted graphs (one run each; the real build parses Turtle: "
                    f"{real_turtle_parse:.2f} s at 1x)"))


if __name__ == "__main__":
    main()
