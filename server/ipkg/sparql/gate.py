"""Decide whether a query may reach the engine: read-only, no outbound connection, bounded size and shape.

Two parsers read every query: rdflib's (here) and the engine's. Where they could disagree
(escapes outside string literals), the query is refused rather than guessed at.

rdflib's parser is the costly part of a request (about a millisecond for a one-line query, tens for a
long one, under a process-wide lock), so verdicts are remembered by the query's *shape* (`lexer.py`, which states the invariant this relies on):
`DESCRIBE <a>` and `DESCRIBE <b>` have one shape and one parse.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pyparsing import ParseBaseException, ParseResults
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .. import lexer
from ..config import Settings
from ..errors import InvalidRequest, NotPermitted, TooLarge

if TYPE_CHECKING:
    from functools import _CacheInfo

# rdflib's SPARQL grammar (pyparsing) keeps parse state in shared objects: two threads parsing at once
# corrupt each other (seen as TypeError inside pyparsing under concurrent load). Parsing takes
# milliseconds, so one lock for all of it costs little.
_PARSER_LOCK = threading.Lock()

READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"

QUERY_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph", "DescribeQuery": "graph"}


class Refused(InvalidRequest):
    """A query the endpoint will not run as written."""


@dataclass(frozen=True)
class Limits:
    """The bounds a query must keep; their values are settings (config.py), read with `of`."""

    max_length: int
    max_nesting: int
    max_patterns: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.max_query_length, settings.max_nesting, settings.max_patterns)


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    kind: str  # "select" | "ask" | "graph"
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    bounded: bool = False  # cost bounded by the statements of the resources it names: see `_is_bounded`
    light: bool = False  # at most one pass over one triple pattern's matches: see `_is_light`
    repeatable: bool = True  # the same answer every time on the same data: no RAND, NOW, UUID, STRUUID or BNODE


def _scan(text: str, limits: Limits) -> str | None:
    """One pass over the raw text: nesting depth, escapes and forbidden keywords outside strings and IRIs.

    Returns the query's shape (see the module docstring), or None for a query that names graphs."""
    depth, names_graphs, iris = 0, False, 0
    shape: list[str] = []
    for kind, token in lexer.tokens(text):
        if kind == "open":
            depth += 1
            if depth > limits.max_nesting:
                raise Refused(f"query nests groups deeper than {limits.max_nesting} levels")
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "escape":
            raise Refused("\\u and \\U escapes are accepted only inside string literals")
        elif kind == "word":
            word = token.upper()
            names_graphs = names_graphs or word == "FROM"
            if word == "SERVICE":
                raise Refused("SERVICE is not allowed: this endpoint never queries other services")
            if word in {"LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH"} and _is_update(text):
                raise NotPermitted(READ_ONLY)
        token, iris = lexer.blank(kind, token, iris)
        shape.append(token)
    return None if names_graphs else "".join(shape)


def _is_update(text: str) -> bool:
    try:
        with _PARSER_LOCK:
            parseUpdate(text)
        return True
    except Exception:
        return False


def _walk(node: object) -> Iterator[object]:
    """Every node of a parse tree or algebra, depth first: the surveys below look for names anywhere in it."""
    yield node
    if isinstance(node, (CompValue, dict)):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for item in node:
            yield from _walk(item)


# functions whose value changes from one evaluation to the next (SPARQL 1.1 §17.4): an answer using them
# is never served again from the answer cache
_VOLATILE = {"Builtin_RAND", "Builtin_NOW", "Builtin_UUID", "Builtin_STRUUID", "Builtin_BNODE"}


def _survey(tree: object) -> tuple[int, bool, bool]:
    """(triple patterns, uses SERVICE, uses a volatile function) of a parsed query."""
    patterns, service, volatile = 0, False, False
    for node in _walk(tree):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                service = True
            elif node.name == "TriplesBlock":
                patterns += sum(max(1, (len(t) - 1) // 2) for t in node.get("triples") or [])  # CompValue.get has no default: None
            elif node.name in _VOLATILE:
                volatile = True
    return patterns, service, volatile


@dataclass(frozen=True)
class _Verdict:
    """What the gate concluded from a query's text or shape."""

    kind: str
    from_graphs: tuple[str, ...]
    from_named: tuple[str, ...]
    bounded: bool
    light: bool
    repeatable: bool


_WRAPPERS = {"Project", "Distinct", "Reduced", "Slice"}


def _is_bounded(algebra: CompValue) -> bool:
    """True when the query's cost is bounded by the statements of the resources it names, whatever the
    size of the store: DESCRIBE of given IRIs, or a single triple pattern with a given subject under
    projection, DISTINCT or LIMIT (the shape of a point lookup). Nothing else qualifies: no filters,
    paths, joins, ordering or aggregates."""
    if algebra.name == "DescribeQuery":
        return algebra.p is None and all(isinstance(term, URIRef) for term in algebra.PV)
    node = algebra.p
    while isinstance(node, CompValue) and node.name in _WRAPPERS:
        node = node.p
    if not (isinstance(node, CompValue) and node.name == "BGP" and len(node.triples) == 1):
        return False
    subject, predicate, _object = node.triples[0]
    return isinstance(subject, URIRef) and isinstance(predicate, (URIRef, Variable))


# operators a light query may stack over its one pattern: each passes over the solutions once, streaming
_LIGHT_OPERATORS = {"Project", "Distinct", "Reduced", "Slice", "Filter", "Extend", "ToMultiSet"}
_SUBPATTERNS = {"Builtin_EXISTS", "Builtin_NOTEXISTS"}


def _is_light(algebra: CompValue, bounded: bool) -> bool:
    """True when the query costs at most one pass over the matches of one triple pattern (or none): no joins,
    unions, optionals, paths, sorting, grouping, subqueries or EXISTS. Such a query answers in milliseconds on
    this store whatever its shape, so it may run in the workers kept for light queries (`workers.WorkerPool`),
    where a heavy query never waits in front of it. A DESCRIBE is light only when bounded: describing every
    match of a pattern is a join per match."""
    if algebra.name == "DescribeQuery":
        return bounded
    node = algebra.p
    while isinstance(node, CompValue) and node.name in _LIGHT_OPERATORS:
        if any(isinstance(n, CompValue) and n.name in _SUBPATTERNS for n in _walk(node.get("expr"))):
            return False
        node = node.p
    if isinstance(node, CompValue) and node.name == "values":
        return True
    if not (isinstance(node, CompValue) and node.name == "BGP" and len(node.triples) <= 1):
        return False
    return all(isinstance(term, (URIRef, Variable, Literal, BNode)) for triple in node.triples for term in triple)


def _judge(text: str, limits: Limits, prefixes: dict[str, str] | None = None) -> _Verdict:
    """rdflib's reading of a query: syntax, updates, SERVICE, pattern count, dataset clause, boundedness.

    `prefixes` are the ones the engine predeclares, so that both parsers read the same query."""
    try:
        with _PARSER_LOCK:
            parsed = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise NotPermitted(READ_ONLY) from exc
        raise Refused(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
    except RecursionError as exc:
        raise Refused(f"query is too large or too deeply nested to parse (the limit is {limits.max_patterns} triple patterns)") from exc
    patterns, service, volatile = _survey(parsed)
    if service:
        raise Refused("SERVICE is not allowed: this endpoint never queries other services")
    if patterns > limits.max_patterns:
        raise Refused(f"query has {patterns} triple patterns; the limit is {limits.max_patterns}")
    try:
        with _PARSER_LOCK:
            algebra = translateQuery(parsed, initNs=prefixes).algebra
    except Exception as exc:  # undefined prefixes, bad aggregates and the like
        raise Refused(f"SPARQL error: {exc}") from exc
    clauses = algebra.get("datasetClause") or []
    return _Verdict(
        kind=QUERY_KINDS.get(parsed[1].name, "select"),
        from_graphs=tuple(str(c["default"]) for c in clauses if "default" in c),
        from_named=tuple(str(c["named"]) for c in clauses if "named" in c),
        bounded=(bounded := _is_bounded(algebra)),
        light=_is_light(algebra, bounded),
        repeatable=not volatile,
    )


class Gate:
    """One endpoint's gate: its limits, its graphs, and the verdicts reached so far, remembered by shape."""

    def __init__(self, limits: Limits, known_graphs: set[str] | None = None, cache_size: int = 1024,
                 prefixes: dict[str, str] | None = None):
        self.limits = limits
        self.known_graphs = known_graphs
        self._judge = lru_cache(maxsize=cache_size)(lambda text: _judge(text, limits, prefixes))

    def cache_info(self) -> _CacheInfo:
        """How many verdicts were reused (hits) and how many parses were needed (misses)."""
        return self._judge.cache_info()

    def check(self, text: str) -> CheckedQuery:
        """The query as the engine may run it, or Refused with a message a person can act on."""
        if not text or not text.strip():
            raise Refused("empty query")
        if len(text) > self.limits.max_length:
            raise TooLarge(f"query is {len(text)} characters long; the limit is {self.limits.max_length}")
        shape = _scan(text, self.limits)
        try:
            verdict = self._judge(shape if shape is not None else text)
        except Refused:
            if shape is None:
                raise
            verdict = self._judge(text)  # refused by shape: the client's own text, for exact error positions
        check_graphs([*verdict.from_graphs, *verdict.from_named], self.known_graphs)
        return CheckedQuery(text=text, kind=verdict.kind, from_graphs=list(verdict.from_graphs),
                            from_named=list(verdict.from_named), bounded=verdict.bounded, light=verdict.light,
                            repeatable=verdict.repeatable)


def check(text: str, limits: Limits, known_graphs: set[str] | None = None) -> CheckedQuery:
    """One query through a gate that remembers nothing (for callers that check a query once)."""
    return Gate(limits, known_graphs, cache_size=0).check(text)


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
