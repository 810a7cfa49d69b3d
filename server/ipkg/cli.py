"""The `ipkg` command: build, validate, serve, query. A thin face over the core modules."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .config import Settings


def _progress(started: float):
    def report(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.2f}s] {message}", file=sys.stderr, flush=True)

    return report


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(Path(args.root) if args.root else None)


def _report_failure(exc) -> int:
    print(f"error: {exc}", file=sys.stderr)
    for v in getattr(exc, "violations", [])[:200]:
        print(v, file=sys.stderr)
    if len(getattr(exc, "violations", [])) > 200:
        print(f"... and {len(exc.violations) - 200} more", file=sys.stderr)
    return 1


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build

    try:
        compiled = build(_settings(args), _progress(time.perf_counter()))
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ipkg", description="IP-policy knowledge graph: build, validate, serve and query.")
    p.add_argument("--root", help="project folder (default: $IPKG_ROOT or the nearest folder with ontology/ipkg.ttl)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("build", help="parse, reason, validate, write dumps and load the embedded store").set_defaults(func=cmd_build)
    sub.add_parser("validate", help="parse, reason and validate without writing anything").set_defaults(func=cmd_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
