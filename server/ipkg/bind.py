"""Bind query parameters to RDF terms by substitution, the way Jena's ParameterizedSparqlString does.

Each `?name` / `$name` token (outside strings, IRIs and comments) is replaced by the term's N-Triples
form, so a parameter is a constant of the query (pre-binding semantics: it is seen in every nested
group, FILTER and OPTIONAL). A bare projected `?name` becomes `(term AS ?name)`, so the value still
appears in the results; in GROUP BY / ORDER BY it becomes the expression `(term)`. Values are never spliced as text: only rdflib terms, serialised by rdflib,
reach the query. (pyoxigraph's own `substitutions` refuse variables that are not projected.)
"""

from __future__ import annotations

import datetime as dt
import re

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from . import lexer
from .errors import InvalidRequest

# SPARQL's IRIREF: no <>"{}|^`\ and no characters up to space; plus a scheme, as an absolute IRI must have.
_IRI_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20\x7f-\x9f<>\"{}|^`\\]*$")


def is_iri(text: str) -> bool:
    """Whether `text` can stand between < and > in SPARQL and Turtle as an absolute IRI."""
    return bool(_IRI_OK.match(text))


class BindError(InvalidRequest, ValueError):
    """A parameter that cannot be bound (a bad IRI, or a query that assigns the parameter itself)."""


def _n3(term: Identifier) -> str:
    if isinstance(term, URIRef):
        if not is_iri(str(term)):
            raise BindError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise BindError(f"cannot bind {term!r}")


def substitute(text: str, bindings: dict[str, Identifier]) -> str:
    """`text` with every occurrence of the bound variables replaced by their terms."""
    if not bindings:
        return text
    terms = {name: _n3(term) for name, term in bindings.items()}
    out: list[str] = []
    in_projection, in_modifier, paren, last_word = False, False, 0, ""
    for kind, token in lexer.tokens(text):
        if kind == "word":
            upper = token.upper()
            if upper == "SELECT":
                in_projection, paren = True, 0
            elif upper == "WHERE":
                in_projection = False
            elif upper in ("GROUP", "ORDER", "HAVING"):
                in_modifier = True
            last_word = upper
        elif kind in ("open", "close"):
            in_projection = in_modifier = False
        elif kind == "other" and token == "(":
            paren += 1
        elif kind == "other" and token == ")":
            paren -= 1
        if kind == "var" and token[1:] in terms:
            name = token[1:]
            if last_word == "AS":
                raise BindError(f"the query assigns ?{name} itself (… AS ?{name}), so it cannot be a parameter")
            if in_projection and paren == 0:
                token = f"({terms[name]} AS ?{name})"
            elif in_modifier and paren == 0:  # GROUP BY / ORDER BY take an expression, not a bare constant
                token = f"({terms[name]})"
            else:
                token = terms[name]
        if kind not in ("word",) and not (kind == "other" and token.isspace()):
            last_word = "" if kind != "var" else last_word
        out.append(token)
    return "".join(out)


AS_OF = "asOf"  # the point in time of an answer: one name across the API, the endpoint and the catalogue


def day(name: str, raw: str) -> Literal:
    """`raw` (YYYY-MM-DD) as an xsd:date literal; BindError names the parameter otherwise."""
    try:
        return Literal(dt.date.fromisoformat(raw.strip()), datatype=XSD.date)
    except ValueError:
        raise BindError(f"{name} must be a date as YYYY-MM-DD, not {raw!r}") from None


def uses(text: str, name: str) -> bool:
    """Whether the query mentions the variable ?name / $name (outside strings, IRIs and comments)."""
    return any(kind == "var" and token[1:] == name for kind, token in lexer.tokens(text))


def bind_as_of(text: str, values: list[str]) -> str:
    """A SPARQL request's `asOf`: bound as the query's `?asOf`, an xsd:date (as any parameter: a
    constant of the query, see `substitute`). A query that never mentions ?asOf would silently answer
    for no date at all, so it is refused with a hint rather than run."""
    if not values:
        return text
    if len(values) > 1:
        raise BindError(f"give {AS_OF} at most once (it was given {len(values)} times)")
    term = day(AS_OF, values[0])
    if not uses(text, AS_OF):
        raise BindError(f"{AS_OF}={values[0]} binds the query's ?{AS_OF}, and this query has none: write ?{AS_OF} "
                        f"where the date goes, e.g. FILTER(?from <= ?{AS_OF})")
    return substitute(text, {AS_OF: term})
