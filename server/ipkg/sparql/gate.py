"""Decide whether a query may reach the engine: read-only, no outbound connection, bounded size and shape.

Two parsers read every query: rdflib's (here) and the engine's. Where they could disagree
(escapes outside string literals), the query is refused rather than guessed at.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

# rdflib's SPARQL grammar (pyparsing) keeps parse state in shared objects: two threads parsing at once
# corrupt each other (seen as TypeError inside pyparsing under concurrent load). Parsing takes
# milliseconds, so one lock for all of it costs little.
_PARSER_LOCK = threading.Lock()

QUERY_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph", "DescribeQuery": "graph"}


class Refused(Exception):
    """A query the endpoint will not run; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_length: int = 20_000
    max_nesting: int = 40
    max_patterns: int = 200


@dataclass
class CheckedQuery:
    text: str
    kind: str  # "select" | "ask" | "graph"
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)


_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<open>\{) | (?P<close>\}) | (?P<escape>\\[uU])
      | (?P<var>[?$][A-Za-z0-9_]+)
      | (?P<pname>[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def _scan(text: str, limits: Limits) -> None:
    """One pass over the raw text: nesting depth, escapes and forbidden keywords outside strings and IRIs."""
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            if depth > limits.max_nesting:
                raise Refused(f"query nests groups deeper than {limits.max_nesting} levels")
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "escape":
            raise Refused("\\u and \\U escapes are accepted only inside string literals")
        elif kind == "word":
            word = m.group().upper()
            if word == "SERVICE":
                raise Refused("SERVICE is not allowed: this endpoint never queries other services")
            if word in {"LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH"} and _is_update(text):
                raise Refused("this endpoint is read-only: SPARQL Update is not accepted", 403)


def _is_update(text: str) -> bool:
    try:
        with _PARSER_LOCK:
            parseUpdate(text)
        return True
    except Exception:
        return False


def _walk(node):
    yield node
    if isinstance(node, (CompValue, dict)):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _walk(item)


def _count_patterns(tree) -> tuple[int, bool]:
    patterns, service = 0, False
    for node in _walk(tree):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                service = True
            elif node.name == "TriplesBlock":
                patterns += sum(max(1, (len(t) - 1) // 2) for t in node.get("triples", []))
    return patterns, service


def check(text: str, limits: Limits, known_graphs: set[str] | None = None) -> CheckedQuery:
    """The query as the engine may run it, or Refused with a message a person can act on."""
    if not text or not text.strip():
        raise Refused("empty query")
    if len(text) > limits.max_length:
        raise Refused(f"query is {len(text)} characters long; the limit is {limits.max_length}", 413)
    _scan(text, limits)
    try:
        with _PARSER_LOCK:
            parsed = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise Refused("this endpoint is read-only: SPARQL Update is not accepted", 403) from exc
        raise Refused(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
    except RecursionError as exc:
        raise Refused(f"query is too large or too deeply nested to parse (the limit is {limits.max_patterns} triple patterns)") from exc
    patterns, service = _count_patterns(parsed)
    if service:
        raise Refused("SERVICE is not allowed: this endpoint never queries other services")
    if patterns > limits.max_patterns:
        raise Refused(f"query has {patterns} triple patterns; the limit is {limits.max_patterns}")
    try:
        with _PARSER_LOCK:
            algebra = translateQuery(parsed).algebra
    except Exception as exc:  # undefined prefixes, bad aggregates and the like
        raise Refused(f"SPARQL error: {exc}") from exc
    checked = CheckedQuery(text=text, kind=QUERY_KINDS.get(parsed[1].name, "select"))
    for clause in algebra.get("datasetClause") or []:
        if "default" in clause:
            checked.from_graphs.append(str(clause["default"]))
        if "named" in clause:
            checked.from_named.append(str(clause["named"]))
    check_graphs([*checked.from_graphs, *checked.from_named], known_graphs)
    return checked


def check_graphs(graphs: list[str], known_graphs: set[str] | None) -> None:
    """FROM / FROM NAMED / default-graph-uri / named-graph-uri may only name graphs of this dataset."""
    if known_graphs is None:
        return
    unknown = [g for g in graphs if g not in known_graphs]
    if unknown:
        raise Refused(
            f"<{unknown[0]}> names no graph of this dataset; the endpoint never fetches remote data "
            f"(see the service description for the graph names)"
        )
