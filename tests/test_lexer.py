"""The SPARQL lexer (lexer.py) on its own: tokens, shapes, and the invariant the gate's verdict cache relies on."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ipkg import catalog, lexer
from ipkg.bind import substitute
from ipkg.config import Settings
from ipkg.sparql import gate

ROOT = Path(__file__).resolve().parents[1]
LIMITS = gate.Limits.of(Settings.from_env(ROOT))


def kinds(text: str) -> list[tuple[str, str]]:
    return [(k, t) for k, t in lexer.tokens(text) if not t.isspace()]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("?x{}<>'\"#\n :ab\\uU$.-")), max_size=60))
def test_the_tokens_give_the_text_back(text):
    assert "".join(t for _k, t in lexer.tokens(text)) == text


def test_keywords_braces_and_variables_inside_strings_iris_and_comments_are_not_tokens():
    text = 'SELECT ?s WHERE { ?s ?p "SERVICE { ?x }" . ?s ?q <http://x/?y> } # SERVICE ?z }'
    found = kinds(text)
    assert [t for k, t in found if k == "var"] == ["?s", "?s", "?p", "?s", "?q"]
    assert [t for k, t in found if k == "word"] == ["SELECT", "WHERE"]
    assert [k for k, _t in found].count("open") == 1 and [k for k, _t in found].count("close") == 1
    assert ("string", '"SERVICE { ?x }"') in found and ("iri", "<http://x/?y>") in found
    assert found[-1] == ("comment", "# SERVICE ?z }")


def test_long_strings_may_hold_quotes_and_newlines():
    assert kinds('"""a "quoted"\nline""" \'\'\'it\'s\'\'\'') == [("string", '"""a "quoted"\nline"""'), ("string", "'''it's'''")]


def test_queries_that_differ_only_in_iris_and_strings_share_one_shape():
    a = gate._scan('DESCRIBE <https://w3id.org/ipkg/id/programme/a> # one', LIMITS)
    b = gate._scan('DESCRIBE <https://w3id.org/ipkg/id/programme/b> # two', LIMITS)
    c = gate._scan('SELECT ?s WHERE { ?s ?p "驰名商标" }', LIMITS)
    d = gate._scan('SELECT ?s WHERE { ?s ?p "famous" }', LIMITS)
    assert a == b and c == d and a != c


def test_an_iri_with_operator_characters_is_kept_in_the_shape():
    text = "SELECT ?s WHERE { ?s ?p <http://x/a?b=c> }"  # `?` and `=` stay visible: not blanked
    assert "<http://x/a?b=c>" in gate._scan(text, LIMITS)


def test_a_query_naming_graphs_has_no_shape():
    assert gate._scan("SELECT * FROM <https://w3id.org/ipkg/graph/cnipa-fees> WHERE { ?s ?p ?o }", LIMITS) is None


def test_the_shape_gets_the_verdict_of_the_text_for_every_catalogue_query():
    """The invariant: judged by shape or by full text, every catalogue query gets the same verdict."""
    for q in catalog.load(ROOT / "queries").values():
        text = substitute(q.text, q.bindings({}))
        shape = gate._scan(text, LIMITS)
        if shape is None:
            continue
        by_shape, by_text = gate._judge(shape, LIMITS), gate._judge(text, LIMITS)
        assert (by_shape.kind, by_shape.bounded, by_shape.repeatable) == (by_text.kind, by_text.bounded, by_text.repeatable), q.name
