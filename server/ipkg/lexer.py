"""The one SPARQL lexer: a single regular expression that splits a query into the tokens the endpoint
needs to tell apart (comments, strings, IRIs, braces, variables, prefixed names, words), and the
query's *shape*.

Three readers use it: the gate (refuse SERVICE and updates, bound the nesting, before any parse), the
gate's verdict cache (keyed by shape) and parameter binding (`bind.substitute`, which must never
replace a `?name` inside a string, an IRI or a comment).

The invariant the shape cache relies on: **two queries with the same shape get the same verdict**.
A shape blanks only tokens that cannot change what the gate decides: each string literal becomes
`""`, each absolute IRI free of the characters of variables and operators becomes a numbered
placeholder (`<urn:x-ipkg:iri:N>`; numbered, so that the number of distinct IRIs is kept), each comment
a space. No brace, variable, keyword or operator can hide in those tokens, so the parse the gate
would make of the real text has the same structure. A query that names graphs (FROM) has no shape:
its IRIs are part of the verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

TOKEN = re.compile(
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

# IRIs blanked in a query's shape: absolute, and free of the characters of variables and operators
# (`?`, `$`, `&`, `|`, `!`, `=`, parentheses, ...), so that no reading of the text could take them for anything else.
PLAIN_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9._~:/#@%\[\]-]*>")
BLANK_STRING = '""'


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for every token of `text`, in order; the texts joined give `text` back."""
    for m in TOKEN.finditer(text):
        yield m.lastgroup or "other", m.group()


def blank(kind: str, token: str, iris: int) -> tuple[str, int]:
    """The token as the shape writes it, and the count of IRIs blanked so far."""
    if kind == "string":
        return BLANK_STRING, iris
    if kind == "iri" and PLAIN_IRI.fullmatch(token):
        return f"<urn:x-ipkg:iri:{iris}>", iris + 1  # numbered: rdflib keeps one prefix per namespace IRI
    if kind == "comment":
        return " ", iris
    return token, iris
