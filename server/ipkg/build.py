"""The build: sources -> OWL RL closure -> SHACL validation -> compiled dataset -> dumps + embedded store.

Nothing reaches the store unless validation passes; the store is written beside the old one and
swapped in at the end, so a failing or interrupted build leaves the serving store as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from . import export, reasoning, search, sources, validation
from .config import Settings

Progress = Callable[[str], None]


class BuildError(Exception):
    """The build stopped; `violations` holds the SHACL report when that is why."""

    def __init__(self, message: str, violations: list[validation.Violation] | None = None):
        super().__init__(message)
        self.violations = violations or []


@dataclass
class Compiled:
    """The validated dataset: named graphs (asserted and inferred) ready to be stored and dumped."""

    graphs: dict[URIRef, Graph]
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[validation.Violation] = field(default_factory=list)

    def triple_counts(self) -> dict[str, int]:
        return {str(k): len(g) for k, g in sorted(self.graphs.items())}


@contextmanager
def _step(name: str, timings: dict[str, float], progress: Progress) -> Iterator[None]:
    progress(f"{name} ...")
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 3)
    progress(f"{name}: {timings[name]:.2f} s")


def _canonical_bnodes(graph: Graph) -> Graph:
    """Relabel blank nodes by a hash of what they say, so that two builds of the same input are byte-identical."""
    labels: dict[BNode, str] = {}

    def label(node: BNode, seen: frozenset[BNode] = frozenset()) -> str:
        if node in labels:
            return labels[node]
        if node in seen:  # a cycle of blank nodes; break it stably
            return "cycle"
        parts = []
        for p, o in graph.predicate_objects(node):
            parts.append(f"{p} {label(o, seen | {node}) if isinstance(o, BNode) else o.n3()}")
        for s, p in graph.subject_predicates(node):
            if not isinstance(s, BNode):
                parts.append(f"^{p} {s.n3()}")
        labels[node] = "b" + hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]
        return labels[node]

    def term(t: Node) -> Node:
        return BNode(label(t)) if isinstance(t, BNode) else t

    out = Graph(identifier=graph.identifier)
    for s, p, o in graph:
        out.add((term(s), p, term(o)))
    return out


def compile_dataset(settings: Settings, progress: Progress = lambda _m: None) -> Compiled:
    """Parse, reason and validate; raise BuildError on unreadable sources or any SHACL violation."""
    timings: dict[str, float] = {}
    with _step("parse sources", timings, progress):
        try:
            src = sources.load(settings)
        except sources.SourceError as exc:
            raise BuildError(str(exc)) from exc
        progress(f"  {len(src.files)} files, {sum(len(g) for g in src.graphs.values())} triples in {len(src.graphs)} graphs")
    shapes = src.graph("shapes", settings)
    asserted = [g for k, g in src.graphs.items() if k != shapes.identifier]
    with _step(f"OWL 2 RL closure ({settings.reasoner})", timings, progress):
        try:
            inferred = reasoning.closure(asserted, settings.reasoner)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # the Rust reasoner reports bad input as a panic (a BaseException)
            raise BuildError(f"OWL 2 RL reasoning ({settings.reasoner}) failed: {exc}") from exc
        inferred_id = URIRef(settings.graph_base + "inferred")
        inferred = Graph(identifier=inferred_id) + inferred
        progress(f"  {len(inferred)} inferred triples")
    with _step("SHACL validation (pySHACL)", timings, progress):
        data = Graph()
        for g in [*asserted, inferred]:
            for t in g:
                data.add(t)
        results = validation.validate(data, shapes, src.file_of)
        violations = validation.violations_only(results)
        progress(f"  {len(violations)} violations, {len(results) - len(violations)} warnings")
    if violations:
        raise BuildError(f"SHACL validation failed: {len(violations)} violation(s)", violations)
    graphs = {k: _canonical_bnodes(g) for k, g in src.graphs.items()}
    graphs[inferred_id] = _canonical_bnodes(inferred)
    with _step("rule-base checks (eligibility)", timings, progress):
        # the engine's reading of the rules, on the validated dataset before anything is written
        from .eligibility import checks
        from .store import EmbeddedStore

        findings = checks.check(EmbeddedStore.from_graphs(graphs, ids=settings.ids))
        errors = [f for f in findings if f.severity == "error"]
        for f in findings:
            progress(f"  {f}")
        progress(f"  {len(errors)} errors, {len(findings) - len(errors)} warnings")
    if errors:
        raise BuildError(f"rule-base checks failed: {len(errors)} error(s): " + "; ".join(map(str, errors[:20])))
    return Compiled(graphs=graphs, timings=timings, warnings=[r for r in results if r not in violations])


def load_store(nquads: Path, store_path: Path) -> int:
    """Bulk-load the N-Quads dump into a fresh embedded store, then swap it in place of the old one."""
    from pyoxigraph import RdfFormat, Store

    fresh = store_path.with_name(store_path.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    store = Store(str(fresh))
    store.bulk_load(path=str(nquads), format=RdfFormat.N_QUADS)
    store.flush()
    count = len(store)
    del store
    old = store_path.with_name(store_path.name + ".old")
    if store_path.exists():
        if old.exists():
            shutil.rmtree(old)
        store_path.rename(old)
    fresh.rename(store_path)
    if old.exists():
        shutil.rmtree(old)
    return count


def write_docs(compiled: Compiled, settings: Settings) -> dict[str, Path]:
    """HTML docs of the ontology, schemes and shapes in dist/def/, from the validated graphs (served at /def/)."""
    from . import ontodoc  # pyLODE is slow to import; only the full build needs it

    def graph(name: str) -> Graph:
        return compiled.graphs.get(URIRef(settings.graph_base + name), Graph())

    return ontodoc.write_docs(graph("ontology"), graph("schemes"), graph("shapes"), settings.dist_path / "def")


def build(settings: Settings, progress: Progress = lambda _m: None) -> Compiled:
    """The whole build; raises BuildError (and writes nothing) when the data is invalid."""
    compiled = compile_dataset(settings, progress)
    with _step("write dumps (TriG, N-Quads)", compiled.timings, progress):
        dumps = export.write_all(compiled, settings)
    with _step("ontology documentation (pyLODE)", compiled.timings, progress):
        write_docs(compiled, settings)
    with _step("load embedded store (pyoxigraph)", compiled.timings, progress):
        count = load_store(dumps["ipkg.nq"], settings.store_path)
        progress(f"  {count} quads in {settings.store_path}")
    with _step("search index (SQLite FTS5)", compiled.timings, progress):
        from .store import EmbeddedStore

        # read from memory (as the server does): the facet paths walk the graph a few times
        indexed = search.build_index(EmbeddedStore(settings.store_path, max(settings.memory_quads, 1_000_000), ids=settings.ids),
                                     settings.dist_path / search.INDEX_FILE,
                                     exclude_graphs=[settings.graph_base + "shapes"])
        progress(f"  {indexed} documents in {settings.dist_path / search.INDEX_FILE}")
    return compiled
