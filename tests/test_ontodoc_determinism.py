"""The ontology documentation is the same bytes on every run: set order (PYTHONHASHSEED) and blank-node labels do not leak.

pyLODE lays out its sections in the order the graph it is given yields triples; that order once came
from a set, so two builds of the same sources wrote /def/ differently. The honest test is two
processes with different hash seeds (the one thing that varies set order), rendering the docs only
(not a whole build), from the source files copied as the build copies its graphs (by iterating
each whole graph, which yields triples from a set); a parse gives blank nodes random labels as well.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RENDER = """
import sys
from pathlib import Path
from rdflib import Graph
from ipkg import ontodoc

def as_built(graph):  # a copy filled by iterating the whole graph, as the build's graphs are (set order)
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


root = Path(sys.argv[1])
ontology = as_built(Graph().parse(root / "ontology" / "ipkg.ttl"))
schemes = Graph()
for path in sorted((root / "ontology" / "schemes").glob("*.ttl")):
    schemes.parse(path)
schemes = as_built(schemes)
shapes = as_built(Graph().parse(root / "shapes" / "ipkg-shapes.ttl"))
sys.stdout.buffer.write(ontodoc.ontology_html(ontology, shapes).encode("utf-8") + b"\\0"
                        + ontodoc.schemes_html(schemes).encode("utf-8"))
"""


def _render(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", RENDER, str(ROOT)], env=env, capture_output=True, check=True).stdout


def test_ontology_and_schemes_pages_are_byte_identical_under_different_hash_seeds() -> None:
    first, second = _render("1"), _render("2")
    index, schemes = first.split(b"\0")
    assert b'id="shapes"' in index and b'id="Programme"' in index
    assert b"ipkg concept schemes" in schemes
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest(), "the docs differ between two runs"
