"""Bind query parameters to RDF terms by substitution, the way Jena's ParameterizedSparqlString does.

Each `?name` / `$name` token (outside strings, IRIs and comments) is replaced by the term's N-Triples
form, so a parameter is a constant of the query (pre-binding semantics: it is seen in every nested
group, FILTER and OPTIONAL). A bare projected `?name` becomes `(term AS ?name)`, so the value still
appears in the results; in GROUP BY / ORDER BY it becomes the expression `(term)`. Values are never spliced as text: only rdflib terms, serialised by rdflib,
reach the query. (pyoxigraph's own `substitutions` refuse variables that are not projected.)
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
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
