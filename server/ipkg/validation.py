"""SHACL validation with pySHACL of the materialised data; a violation stops the build with a readable report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from .namespaces import SH


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str
    shape: str
    severity: str
    file: str
    constraint: str = ""  # the SHACL constraint component not met, e.g. "MinCountConstraintComponent"

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"[{self.severity}] {self.focus}\n    path: {self.path or '-'}\n    {self.message}{value}\n    file: {self.file}"


def _str(node: Node | None) -> str:
    return "" if node is None else str(node)


def _owner(data: Graph, node: Node) -> tuple[Node, str]:
    """For a blank node, the IRI resource that holds it and the property path to it (reports name resources)."""
    steps: list[str] = []
    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(iter(data.subject_predicates(node)), None)
        if parent is None:
            break
        node, predicate = parent
        steps.insert(0, str(predicate))
    return node, " / ".join(steps)


def _unknown_file(node: Node) -> str:
    return "?"


def validate(data: Graph, shapes: Graph, file_of: Callable[[Node], str] = _unknown_file) -> list[Violation]:
    """All results of validating `data` (already materialised: no inference here) against `shapes`."""
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, meta_shacl=False
    )
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus, via = _owner(data, report.value(result, SH.focusNode))
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        if via:
            messages = [f"in the blank node at {via}: {m}" for m in messages]
        severity = report.value(result, SH.resultSeverity)
        out.append(
            Violation(
                focus=_str(focus),
                path=_str(report.value(result, SH.resultPath)),
                message="; ".join(messages) or "constraint not met",
                value=_str(report.value(result, SH.value)),
                shape=_str(report.value(result, SH.sourceShape)),
                severity=_str(severity).rsplit("#", 1)[-1],
                file=file_of(focus),
                constraint=_str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            )
        )
    return sorted(set(out), key=lambda v: (v.file, v.focus, v.path, v.message))


def violations_only(results: list[Violation]) -> list[Violation]:
    return [r for r in results if r.severity == "Violation"]
