"""The `ipkg` command: build, validate, serve, query. A thin face over the core modules."""

from __future__ import annotations

import argparse
import dataclasses
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import release
from .config import Settings, settings_help
from .errors import NotAcceptable
from .jsontypes import JSON

if TYPE_CHECKING:  # imported where used at run time: `ipkg --help` does not pay for the build or the store
    from rdflib.term import Identifier

    from .build import BuildError
    from .store import QueryResult


def _progress(started: float) -> Callable[[str], None]:
    def report(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.2f}s] {message}", file=sys.stderr, flush=True)

    return report


def _settings(args: argparse.Namespace) -> Settings:
    """The settings; for an installed wheel, its packaged dataset loaded into the store on first use."""
    settings = Settings.from_env(Path(args.root) if args.root else None)
    if release.is_packaged(settings.root) and args.func not in (cmd_build, cmd_validate) and not settings.store_path.exists():
        print(f"loading the packaged dataset {release.dataset_version(settings.dist_path)} into {settings.store_path} (once)",
              file=sys.stderr)
        release.ensure_store(settings.store_path, settings.dist_path)
    return settings


def _report_failure(exc: BuildError) -> int:
    print(f"error: {exc}", file=sys.stderr)
    for v in exc.violations[:200]:
        print(v, file=sys.stderr)
    if len(exc.violations) > 200:
        print(f"... and {len(exc.violations) - 200} more", file=sys.stderr)
    return 1


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build

    settings = _settings(args)
    if release.is_packaged(settings.root) and "IPKG_DIST" not in os.environ:
        print("error: this installed copy serves the dataset it was released with; rebuild from a checkout "
              "(or set IPKG_DIST and IPKG_STORE to folders of your own)", file=sys.stderr)
        return 2
    try:
        compiled = build(settings, _progress(time.perf_counter()))
    except BuildError as exc:
        return _report_failure(exc)
    print(f"built {sum(compiled.triple_counts().values())} triples in {len(compiled.graphs)} graphs")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .build import BuildError, compile_dataset

    try:
        compiled = compile_dataset(_settings(args), _progress(time.perf_counter()))
    except BuildError as exc:
        return _report_failure(exc)
    for w in compiled.warnings:
        print(w, file=sys.stderr)
    print(f"valid: {sum(compiled.triple_counts().values())} triples in {len(compiled.graphs)} graphs")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with granian (a Rust HTTP server) in `--processes` processes, each running the Flask app.

    granian starts each process from the app's import name, so the settings travel as the environment
    variables they were declared with (`Settings.to_env`); the store is opened first in this process,
    so that a missing store or an unreachable remote one is reported before anything listens."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    from .services import open_store
    from .store import EmbeddedStore

    settings = _settings(args)
    if args.store:  # a remote SPARQL 1.1 store does the work; its deadline is the HTTP timeout
        settings = dataclasses.replace(settings, remote_store=args.store)
    settings = dataclasses.replace(settings, threads=args.threads)
    os.environ.update(settings.to_env())  # granian's processes build their app from the environment: give them these settings
    try:  # opened on disk: this supervising process keeps no copy of the data
        store = open_store(settings, memory_quads=0)
        store.graph_names()  # a store that cannot answer is said here, before anything listens
    except (FileNotFoundError, ConnectionError, TimeoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:  # a port already taken is said in one line here, not in granian's backtrace later
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    held = " (held in memory)" if isinstance(store, EmbeddedStore) and store.fits_in_memory(len(store), settings.memory_quads) else ""
    # ASGI, without lifespan events: request bodies are read on granian's event loop, never by a request thread
    # (web/asgi.py says why); the Flask app runs in each process's pool of `--threads` threads
    server = Granian("ipkg.web:create_served_app", factory=True, interface=Interfaces.ASGINL, address=args.host,
                     port=args.port, workers=args.processes, respawn_failed_workers=True, log_level=LogLevels.warning)

    def listening() -> None:
        """Said as granian starts its server processes (its start-up hook). On Linux each process then binds its
        own SO_REUSEPORT socket once its app is built, and says `ipkg: ready` on stdout (`web.READY_LINE`,
        printed by `web.create_served_app`) just before it listens."""
        print(f"serving {args.store or settings.store_path}{held} on http://{args.host}:{args.port}/sparql "
              f"({args.processes} processes x {args.threads} threads)", file=sys.stderr, flush=True)

    server.on_startup(listening)
    server.serve()
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from .load import LoadError, load
    from .remote import RemoteQueryError

    settings = _settings(args)
    if args.build:
        from .build import BuildError, build

        try:
            build(settings, _progress(time.perf_counter()))
        except BuildError as exc:
            return _report_failure(exc)
    path = Path(args.file) if args.file else settings.dist_path / "ipkg.nq"
    try:
        report = load(path, args.endpoint, args.update_endpoint, graph_store=args.graph_store,
                      batch_size=args.batch_size, progress=_progress(time.perf_counter()))
    except (LoadError, RemoteQueryError, ConnectionError, TimeoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"loaded {sum(report.graphs.values())} triples in {len(report.graphs)} graphs "
          f"({report.batches} requests, {report.seconds:.2f} s)")
    return 0


def _table(result: QueryResult, ids: str) -> str:
    """A plain-text table of a SELECT result (labels shown as text, IRIs shortened with the known prefixes)."""
    from rdflib import Literal

    from .namespaces import curie

    def show(term: Identifier | None) -> str:
        if term is None:
            return ""
        text = str(term)
        if (short := curie(text)) != text:
            return short
        if text.startswith(ids):  # relative to the BASE the query was given
            return "<" + text[len(ids):] + ">"
        if isinstance(term, Literal) and term.language:
            return f"{text}@{term.language}"
        return text

    rows = [[show(t) for t in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(result.variables)]

    def line(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(result.variables), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{', truncated' if result.truncated else ''})")
    return "\n".join(out)


def cmd_query(args: argparse.Namespace) -> int:
    from .sparql import formats
    from .sparql.gate import Refused
    from .sparql.service import SparqlService
    from .store import EmbeddedStore

    text = args.query
    try:
        if len(text) < 4096 and "\n" not in text and Path(text).is_file():
            text = Path(text).read_text(encoding="utf-8")
    except OSError:  # not a path this system can stat: it is the query itself
        pass
    settings = _settings(args)
    try:  # the service predeclares the graph's prefixes and BASE, as the endpoint does: one-liners need no PREFIX
        service = SparqlService(settings, EmbeddedStore(settings.store_path, ids=settings.ids))
        _, result = service.execute(text)
    except (Refused, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "table" and result.kind == "select":
        print(_table(result, settings.ids))
        return 0
    try:  # a table of a graph or a boolean is the kind's default format
        media = formats.offer(result.kind).negotiate(None, [] if args.format == "table" else [args.format]).media
    except NotAcceptable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(formats.serialize(result, media).decode("utf-8"))
    return 0


def _verdict_text(verdict: JSON, lang: str = "en") -> str:
    """One verdict as `ipkg eligible` prints it: the programme's name, the reason, benefits and conditions in `lang`
    (the data's words; the command's own words stay English)."""
    from .terms import label_or_slug

    label = label_or_slug(verdict["label"], lang, verdict["programme"])
    lines = [f"{verdict['verdict'].upper():13} {label}  <{verdict['programme']}>"]
    if reason := verdict.get("reasonText", {}).get(lang) or verdict.get("reason"):
        lines.append(f"    {reason}")
    if verdict["missing"]:
        lines.append(f"    missing: {', '.join(verdict['missing'])}")
    if verdict.get("needsAssessment"):
        lines.append(f"    needs assessment by the authority: {len(verdict['needsAssessment'])} condition(s)")
    for c in verdict["conditions"]:
        if "constrains" in c or c.get("needsAssessment"):
            summary = label_or_slug(c["summary"], lang)
            lines.append(f"    [{c['outcome']:7}] {summary}  ({c['source']})")
    for item in verdict.get("benefit", {}).get("items", []):
        text = item.get("arithmetic") or item.get("rate") or ""
        lines.append(f"    benefit ({item['applies']}): {label_or_slug(item['label'], lang)}: {text}")
    for option in verdict.get("toBecomeEligible", [])[:1]:
        changes = "; ".join(f"{c['field']} {c['from']} → {c['to']}" + ("" if c["canChange"] in ("yes", "not-given") else f" ({c['canChange']})")
                            for c in option["changes"])
        lines.append(f"    would be {option['verdict']} with: {changes}")
    return "\n".join(lines)


def cmd_eligible(args: argparse.Namespace) -> int:
    import json

    from .eligibility import Engine, ProfileError, Rulebook, advice
    from .eligibility.profile import parse
    from .media import RDF_DOCUMENTS
    from .store import EmbeddedStore

    document = next((t for t in RDF_DOCUMENTS if "." + t.name == Path(args.profile).suffix), None)
    rdf_format = document.rdflib if document else None
    try:
        raw = sys.stdin.read() if args.profile == "-" else Path(args.profile).read_text(encoding="utf-8")
        body = None if rdf_format else json.loads(raw)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: cannot read the profile: {exc}", file=sys.stderr)
        return 2
    settings = _settings(args)
    try:
        engine = Engine(Rulebook(EmbeddedStore(settings.store_path, ids=settings.ids)))
        if rdf_format:  # the RDF form of a profile (see ipkg.eligibility.rdf); options come from the command line
            from rdflib import Graph

            from .eligibility.rdf import profile_from_graph

            profile = profile_from_graph(Graph().parse(data=raw, format=rdf_format), engine.rules)
            body = {"applicant": {}, **{k: v for k, v in (("asOf", args.as_of), ("programme", args.programme)) if v}}
            options = parse(body, engine.rules)
            profile.as_of, profile.programme = options.as_of, options.programme
        else:
            if isinstance(body, dict):
                body = {**body, **{k: v for k, v in (("asOf", args.as_of), ("programme", args.programme)) if v}}
            profile = parse(body, engine.rules)
        answer = advice.answer(engine, profile)
    except ProfileError as exc:
        print("error: invalid profile:", file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        summary = answer["summary"]
        money = ", ".join(f"{v} {c}" for c, v in summary["computedBenefit"].items())
        print(f"as of {answer['asOf']}: {len(answer['verdicts'])} programme(s); {summary['eligible']} eligible, "
              f"{summary['notEligible']} not eligible, {summary['undetermined']} undetermined" + (f"; computed benefit {money}" if money else ""))
        for verdict in answer["verdicts"]:
            print(_verdict_text(verdict, args.lang))
    return 0


def cmd_examples(args: argparse.Namespace) -> int:
    """Re-run the graph's worked examples (ipkg:WorkedExample) against the engine; exit 1 if one fails."""
    from .eligibility import Engine, Rulebook
    from .eligibility import examples as worked
    from .store import EmbeddedStore

    settings = _settings(args)
    try:
        store = EmbeddedStore(settings.store_path, ids=settings.ids)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = Engine(Rulebook(store))
    results = [worked.run(engine, ex) for ex in worked.load(store)]
    for r in results:
        if args.verbose or not r.passed:
            print(f"{'ok  ' if r.passed else 'FAIL'} {r.example.iri.rsplit('/id/', 1)[-1]} ({r.example.as_of}): {r.verdict}"
                  + (f" — {'; '.join(r.problems)}" if r.problems else f" — {r.reason}"))
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} of {len(results)} worked examples give the verdict their source states")
    return 1 if failed else 0


def cmd_assets(args: argparse.Namespace) -> int:
    from .web.assets import (
        cmd_assets as run,  # imported here: the web package loads Flask
    )

    return run(args)


def cmd_export_shapes(args: argparse.Namespace) -> int:
    import datetime as dt

    from .eligibility import Rulebook
    from .eligibility.rdf import export_shapes
    from .store import EmbeddedStore

    settings = _settings(args)
    try:
        day = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
        graph = export_shapes(Rulebook(EmbeddedStore(settings.store_path, ids=settings.ids)), day)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = graph.serialize(format="turtle")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {len(graph)} triples to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .build import BuildError, compile_dataset
    from .export import write_all

    settings = _settings(args)
    if args.out:
        settings = dataclasses.replace(settings, dist_path=Path(args.out))
    try:
        compiled = compile_dataset(settings, _progress(time.perf_counter()))
    except BuildError as exc:
        return _report_failure(exc)
    write_all(compiled, settings)
    print(f"wrote the dumps, per-graph files and void.ttl to {settings.dist_path}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ipkg", description="IP-policy knowledge graph: build, validate, serve and query.")
    p.add_argument("--version", action="version", version=_version(), help="print the code and the dataset version")
    p.add_argument("--root", help="project folder (default: $IPKG_ROOT or the nearest folder with ontology/ipkg.ttl)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("build", help="parse, reason, validate, write dumps and load the embedded store").set_defaults(func=cmd_build)
    sub.add_parser("validate", help="parse, reason and validate without writing anything").set_defaults(func=cmd_validate)
    serve = sub.add_parser("serve", help="serve the SPARQL endpoint and the web pages (granian)",
                           epilog=settings_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--processes", type=int, default=min(4, os.cpu_count() or 1),
                       help="HTTP server processes, each with its own query workers (default: CPUs, at most 4)")
    serve.add_argument("--threads", type=int, default=min(8, 2 * (os.cpu_count() or 1) + 1),
                       help="request threads per process (default: 2 x CPUs + 1, at most 8)")
    serve.add_argument("--store", metavar="QUERY_URL",
                       help="serve a remote SPARQL 1.1 store (its query endpoint) instead of the embedded one")
    serve.set_defaults(func=cmd_serve)
    load = sub.add_parser("load", help="load the built dataset into a remote SPARQL store, graph by graph")
    load.add_argument("--endpoint", required=True, metavar="QUERY_URL",
                      help="the store's query endpoint (used to verify the load), e.g. http://127.0.0.1:7878/query")
    load.add_argument("--update-endpoint", metavar="UPDATE_URL",
                      help="the store's SPARQL Update endpoint, e.g. http://127.0.0.1:7878/update")
    load.add_argument("--graph-store", metavar="GSP_URL",
                      help="load by Graph Store Protocol PUTs instead, e.g. http://127.0.0.1:7878/store")
    load.add_argument("--file", help="N-Quads file to load (default: the build's var/dist/ipkg.nq)")
    load.add_argument("--build", action="store_true", help="build first, then load the fresh dump")
    load.add_argument("--batch-size", type=int, default=5000, help="triples per INSERT DATA request (default 5000)")
    load.set_defaults(func=cmd_load)
    query = sub.add_parser("query", help="run a SPARQL query (text or file) on the built store")
    query.add_argument("query", help="the query text, or a path to a .rq file")
    query.add_argument("--format", default="table",
                       help="table (default), json, xml, csv, tsv for SELECT/ASK; turtle, ntriples, jsonld, rdfxml for CONSTRUCT/DESCRIBE")
    query.set_defaults(func=cmd_query)
    eligible = sub.add_parser("eligible", help="evaluate an applicant profile (JSON file, or - for stdin) against every programme")
    eligible.add_argument("profile", help="path to the profile JSON (see docs/eligibility.md), or - for stdin")
    eligible.add_argument("--as-of", help="evaluate with the rules in force on this date (YYYY-MM-DD; default today)")
    eligible.add_argument("--programme", help="only this programme (IRI or its slug)")
    eligible.add_argument("--format", choices=["text", "json"], default="text")
    eligible.add_argument("--lang", choices=["en", "ja"], default="en", help="the language of the text's names, reasons and summaries")
    eligible.set_defaults(func=cmd_eligible)
    examples = sub.add_parser("examples", help="re-run the worked examples of the graph against the eligibility engine")
    examples.add_argument("--verbose", "-v", action="store_true", help="list every example, not only the failing ones")
    examples.set_defaults(func=cmd_examples)
    shapes = sub.add_parser("export-shapes", help="write each programme's eligibility as SHACL shapes (Turtle)")
    shapes.add_argument("--as-of", help="the conditions in force on this date (default today)")
    shapes.add_argument("--out", help="file to write (default: standard output)")
    shapes.set_defaults(func=cmd_export_shapes)
    export = sub.add_parser("export", help="write the dumps (TriG, N-Quads, per-graph Turtle/JSON-LD) and the VoID description")
    export.add_argument("--out", help="folder (default $IPKG_DIST or var/dist)")
    export.set_defaults(func=cmd_export)
    assets = sub.add_parser("assets", help="fetch YASGUI (npm ci, pinned in package-lock.json) and copy it into the web app's static folder")
    assets.add_argument("--project", help="folder with package.json / package-lock.json (default: the project folder)")
    assets.add_argument("--no-npm", action="store_true", help="only copy from an existing node_modules; do not run npm ci")
    assets.set_defaults(func=cmd_assets)
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        code = version("ipkg")
    except PackageNotFoundError:
        code = "unknown"
    try:
        dist = Settings.from_env().dist_path
    except FileNotFoundError:
        return f"ipkg {code} (no dataset found)"
    return f"ipkg {code}, dataset {release.dataset_version(dist)}"


def main(argv: list[str] | None = None) -> int:
    """Run one command; whatever stops it is reported in one line with a non-zero exit, never a
    traceback (IPKG_DEBUG=1 shows the traceback)."""
    args = parser().parse_args(argv)
    try:
        command: Callable[[argparse.Namespace], int] = args.func  # set by each subparser (set_defaults)
        return command(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (ipkg query … | head): nothing to report
        sys.stderr.close()
        return 0
    except Exception as exc:
        if os.environ.get("IPKG_DEBUG"):
            raise
        print(f"error: {exc}" if str(exc) else f"error: {type(exc).__name__}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
