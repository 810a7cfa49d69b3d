"""HTML documentation of the ontology, the SKOS schemes and the SHACL shapes, written at build time.

The ontology page is pyLODE's OntPub profile (the de-facto standard look of OWL documentation),
with one section of ours added: the shapes, grouped by the class they constrain, in words, because
the shapes are the real contract of the data and pyLODE does not document SHACL. The schemes page
is our own: pyLODE 3.3's VocPub profile shows a scheme's metadata but none of its concepts, and
merges several schemes into one title, so it cannot document our fifteen-odd schemes.

Pages are self-contained (inline CSS, no scripts or fonts from elsewhere), so they work offline.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from . import namespaces
from .namespaces import PREFIXES, SH, longest_first

SHAPES_ANCHOR = "shapes"
SHP = "https://w3id.org/ipkg/def/shapes/"
# longest namespace first, so that shp: (inside ipkg:'s namespace) wins over ipkg:
_LONGEST_FIRST = longest_first({**PREFIXES, "shp": SHP})
_LANGS = ("en", "ja", "zh")


_NAMES = (RDFS.label, SKOS.prefLabel, DCTERMS.title)


def _for_pylode(graph: Graph) -> Graph:
    """A copy for pyLODE: our prefixes bound (`ipkg:Programme`, not `ns1:Programme`), names in English only,
    and its triples added in one fixed order.

    pyLODE runs a term's labels of all languages together ("条Article"); the Japanese labels stay
    in the graph, the dumps and the /def/{Term} pages, and definitions keep both languages.

    pyLODE lays out its sections in the order rdflib's memory store yields a pattern's matches, which
    is the order the triples were added; iterating a whole graph yields them from a set, in an order
    that changes with PYTHONHASHSEED, so two builds of the same sources wrote their classes and
    properties in different orders. Hence the copy is filled in sorted order, with blank nodes first
    relabelled from what they say (`rdflib.compare`: a parsed file's blank nodes get random labels),
    and the page is the same bytes on every run.
    """
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True)
    out.bind("shp", SHP)
    graph = to_canonical_graph(graph)
    for s, p, o in sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
        if p in _NAMES and isinstance(o, Literal) and o.language not in (None, "en") \
                and any(x.language == "en" for x in graph.objects(s, p) if isinstance(x, Literal)):
            continue
        out.add((s, p, o))
    return out


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """Run pyLODE without letting it reconfigure logging for the whole process.

    pyLODE 3.3 calls logging.basicConfig(level=DEBUG) at import and logging.info() (which configures
    the root logger when it has no handler) while it renders; with a handler already on the root
    logger both do nothing, so we put a placeholder there while pyLODE runs and restore the level.
    """
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    level = root.level
    added = not root.handlers
    if added:
        root.addHandler(placeholder)
    try:
        yield
    finally:
        if added:
            root.removeHandler(placeholder)
        root.setLevel(level)


def curie(term: Node) -> str:
    """A short name for a term: prefix:local for the known namespaces and shp:, else the IRI itself."""
    return namespaces.curie(str(term), _LONGEST_FIRST)


def _label(graph: Graph, term: Node, lang: str = "en") -> str:
    for prop in (SKOS.prefLabel, RDFS.label, DCTERMS.title):
        values = [o for o in graph.objects(term, prop) if isinstance(o, Literal)]
        for wanted in (lang, None):
            for v in values:
                if v.language == wanted:
                    return str(v)
        if values:
            return str(values[0])
    return curie(term)


def _texts(graph: Graph, term: Node, prop: URIRef) -> list[Literal]:
    """Values of `prop` ordered en, ja, zh, others, so pages read the same on every build."""
    values = [o for o in graph.objects(term, prop) if isinstance(o, Literal)]
    order = {lang: i for i, lang in enumerate(_LANGS)}
    return sorted(values, key=lambda v: (order.get(v.language or "", len(order)), str(v)))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# ---------------------------------------------------------------- shapes in words


def _list(graph: Graph, node: Node) -> list[Node]:
    return list(Collection(graph, node)) if node is not None else []


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path as SPARQL-like text (inverse ^p, sequence p/q, alternative p|q, p*, p+, p?)."""
    if isinstance(path, URIRef):
        return curie(path)
    if (path, RDF.first, None) in graph:
        return "/".join(path_text(graph, p) for p in _list(graph, path))
    for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                      (SH.zeroOrOnePath, "({})?")):
        if (inner := graph.value(path, prop)) is not None:
            return fmt.format(path_text(graph, inner))
    if (alts := graph.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(path_text(graph, p) for p in _list(graph, alts)) + ")"
    return "(a complex path)"


def _int(term: Node) -> int:
    """An integer literal's value (`int()` of an rdflib Literal reads its lexical form, as here)."""
    return int(str(term))


def constraint_words(graph: Graph, node: Node) -> list[str]:
    """The constraints on one shape node (property shape or nested value shape), each as a short phrase."""
    words: list[str] = []
    lo, hi = graph.value(node, SH.minCount), graph.value(node, SH.maxCount)
    if lo is not None and hi is not None and _int(lo) == _int(hi):
        words.append("none allowed" if _int(hi) == 0 else f"exactly {_int(lo)}")
    else:
        if lo is not None and _int(lo) > 0:
            words.append(f"at least {_int(lo)}")
        if hi is not None:
            words.append("none allowed" if _int(hi) == 0 else f"at most {_int(hi)}")
    simple = (
        (SH.datatype, "of datatype {}"), (SH["class"], "an instance of {}"), (SH.nodeKind, "a node of kind {}"),
        (SH.hasValue, "including the value {}"), (SH.pattern, "matching the pattern {}"),
        (SH.minInclusive, "≥ {}"), (SH.minExclusive, "> {}"), (SH.maxInclusive, "≤ {}"), (SH.maxExclusive, "< {}"),
        (SH.minLength, "at least {} characters"), (SH.maxLength, "at most {} characters"),
        (SH.lessThan, "less than the value of {}"), (SH.lessThanOrEquals, "not greater than the value of {}"),
        (SH.equals, "equal to the values of {}"), (SH.disjoint, "disjoint from the values of {}"),
    )
    for prop, fmt in simple:
        for value in sorted(graph.objects(node, prop), key=str):
            shown = curie(value) if isinstance(value, URIRef) else f"“{value}”" if prop == SH.pattern else str(value)
            words.append(fmt.format(shown))
    if (langs := graph.value(node, SH.languageIn)) is not None:
        words.append("in language " + " or ".join(str(x) for x in _list(graph, langs)))
    if str(graph.value(node, SH.uniqueLang) or "").lower() == "true":
        words.append("one per language")
    if (choices := graph.value(node, SH["in"])) is not None:
        words.append("one of " + ", ".join(curie(x) if isinstance(x, URIRef) else f"“{x}”" for x in _list(graph, choices)))
    # several lists (or negations) on one node come in the graph's order, set order: sorted as phrases instead
    for prop, lead in ((SH["or"], "any of"), (SH["xone"], "exactly one of"), (SH["and"], "all of")):
        words += sorted(f"{lead} (" + " | ".join(_inline(graph, member) for member in _list(graph, combo)) + ")"
                        for combo in graph.objects(node, prop))
    words += sorted("not (" + _inline(graph, inner) + ")" for inner in graph.objects(node, SH["not"]))
    for target in sorted(graph.objects(node, SH.node), key=str):
        words.append(f"each value conforms to {curie(target) if isinstance(target, URIRef) else '(a nested shape)'}")
    q_lo, q_hi = graph.value(node, SH.qualifiedMinCount), graph.value(node, SH.qualifiedMaxCount)
    count = " and ".join(x for x in (f"at least {_int(q_lo)}" if q_lo is not None else "",
                                     f"at most {_int(q_hi)}" if q_hi is not None else "") if x)
    words += sorted(f"{count} value(s) {_inline(graph, qualified)}" for qualified in graph.objects(node, SH.qualifiedValueShape))
    return words


def _inline(graph: Graph, node: Node) -> str:
    """A nested shape (inside sh:or, sh:qualifiedValueShape ...) as one phrase."""
    if isinstance(node, URIRef) and (node, SH.property, None) in graph:
        return f"conforms to {curie(node)}"
    phrase = ", ".join(constraint_words(graph, node)) or "(any)"
    if (path := graph.value(node, SH.path)) is not None:
        return f"{path_text(graph, path)}: {phrase}"
    return phrase


def _property_rows(graph: Graph, shape: Node, via: str | None, seen: set[Node]) -> list[tuple[str, str, str, str]]:
    """(path, constraints, message, via) for the shape's own property shapes and those of the node shapes it includes."""
    if shape in seen:
        return []
    seen = seen | {shape}
    rows = []
    for prop in graph.objects(shape, SH.property):
        path = graph.value(prop, SH.path)
        rows.append((path_text(graph, path) if path is not None else "(no path)",
                     "; ".join(constraint_words(graph, prop)) or "(no constraint)",
                     str(graph.value(prop, SH.message) or ""), via or ""))
    own = constraint_words(graph, shape)
    own = [w for w in own if not w.startswith("each value conforms to")]
    if own and not isinstance(graph.value(shape, SH.path), Node):
        rows.append(("(the focus node itself)", "; ".join(own), str(graph.value(shape, SH.message) or ""), via or ""))
    for included in sorted(graph.objects(shape, SH.node), key=str):
        rows.extend(_property_rows(graph, included, curie(included) if isinstance(included, URIRef) else "(nested shape)", seen))
    # the whole row breaks ties: two constraints on one path come in the graph's order otherwise, which is set order
    return sorted(rows, key=lambda r: (r[3] != "", r[3], r[0], r[1], r[2]))


def shapes_by_target(shapes: Graph) -> list[tuple[str, Node, Node, list[tuple[str, str, str, str]]]]:
    """(target kind, target, shape, rows) for every sh:targetClass / sh:targetSubjectsOf, sorted by target."""
    found = []
    for kind, prop in (("class", SH.targetClass), ("subjects of", SH.targetSubjectsOf), ("objects of", SH.targetObjectsOf)):
        for shape, target in shapes.subject_objects(prop):
            found.append((kind, target, shape, _property_rows(shapes, shape, None, set())))
    return sorted(found, key=lambda f: (f[0] != "class", curie(f[1]), str(f[2])))


def shapes_section(shapes: Graph, ontology: Graph) -> str:
    """The HTML section listing, per constrained class, its shape and each property constraint in words."""
    out = [f'<div class="section" id="{SHAPES_ANCHOR}">', "<h2>Shapes: what the data must say</h2>",
           "<p>The build validates every resource against these SHACL shapes (<code>shapes/*.ttl</code>) and "
           "refuses data with a violation. For each class a shape targets: the shape and its property "
           "constraints; rows marked <em>via</em> come from a building-block shape it includes with "
           "<code>sh:node</code>.</p>"]
    for kind, target, shape, rows in shapes_by_target(shapes):
        anchor = "shape-" + curie(shape).replace(":", "-")
        heading = curie(target) if kind == "class" else f"{kind} {curie(target)}"
        label = _label(ontology, target) if kind == "class" else ""
        out.append(f'<div class="shape" id="{_e(anchor)}">')
        out.append(f"<h3>{_e(heading)}{f' <small>({_e(label)})</small>' if label and label != heading else ''}</h3>")
        out.append(f"<p>Shape <code>{_e(curie(shape))}</code>"
                   + "".join(f" — {_e(c)}" for c in _texts(shapes, shape, RDFS.comment)[:1]) + "</p>")
        if rows:
            out.append('<table class="shape-constraints"><thead><tr><th>property</th><th>constraints</th>'
                       "<th>message</th><th>via</th></tr></thead><tbody>")
            for path, words, message, via in rows:
                out.append(f"<tr><td><code>{_e(path)}</code></td><td>{_e(words)}</td><td>{_e(message)}</td>"
                           f"<td>{_e(via)}</td></tr>")
            out.append("</tbody></table>")
        else:
            out.append("<p>No property constraints.</p>")
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)


# ---------------------------------------------------------------- pages


_SHAPES_CSS = """
<style>
#shapes table{border-collapse:collapse;width:100%;margin:.3em 0 1.2em}
#shapes th,#shapes td{border:1px solid #ccc;padding:.2em .4em;text-align:left;vertical-align:top;font-size:.9em}
#shapes .shape h3{margin-bottom:.2em}
</style>
"""


def ontology_html(ontology: Graph, shapes: Graph) -> str:
    """pyLODE's OntPub page of the ontology, with our shapes section and a link to the schemes page added."""
    with _quiet_root_logger():
        import pylode

        page: str = pylode.OntPub(ontology=_for_pylode(ontology)).make_html()
    marker = '<div id="pylode">'
    at = page.find(marker)
    content_end = page.rfind("</div>", 0, at)
    if at < 0 or content_end < 0:
        raise ValueError("unexpected pyLODE page layout: cannot find where its content ends")
    extra = ('<div class="section" id="schemes"><h2>Concept schemes</h2><p>The SKOS concept schemes '
             '(applicant kinds, IP rights, filing routes, currencies …) are documented on '
             '<a href="schemes.html">the schemes page</a>.</p></div>\n' + shapes_section(shapes, ontology))
    page = page[:content_end] + extra + "\n" + page[content_end:]
    toc_end = page.rfind("</ul>")
    toc_items = ('<li><h4><a href="#schemes">Concept schemes</a></h4></li>'
                 f'<li><h4><a href="#{SHAPES_ANCHOR}">Shapes</a></h4></li>')
    page = page[:toc_end] + toc_items + page[toc_end:]
    return page.replace("</head>", _SHAPES_CSS + "</head>", 1)


_PAGE_CSS = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem;line-height:1.45}
table{border-collapse:collapse;width:100%;margin:.3em 0 1.5em}
th,td{border:1px solid #ccc;padding:.2em .4em;text-align:left;vertical-align:top;font-size:.92em}
code{font-size:.9em} nav li{display:inline-block;margin-right:1em}
"""


def _concept_depth(graph: Graph, concept: Node, scheme: Node) -> int:
    depth, current, seen = 0, concept, set()
    while (parent := next((b for b in graph.objects(current, SKOS.broader) if (b, SKOS.inScheme, scheme) in graph), None)) \
            is not None and parent not in seen:
        seen.add(parent)
        depth, current = depth + 1, parent
    return depth


def _concepts_in_order(graph: Graph, scheme: Node) -> list[Node]:
    """Concepts of a scheme as a tree walk (top concepts first, children under their parent, by notation)."""
    members = set(graph.subjects(SKOS.inScheme, scheme)) | set(graph.subjects(SKOS.topConceptOf, scheme))
    key = lambda c: (str(graph.value(c, SKOS.notation) or ""), str(c))
    children: dict[Node, list[Node]] = {}
    roots = []
    for c in members:
        parents = [b for b in graph.objects(c, SKOS.broader) if b in members]
        if parents:
            for p in parents:
                children.setdefault(p, []).append(c)
        else:
            roots.append(c)
    ordered: list[Node] = []

    def walk(c: Node, seen: frozenset[Node]) -> None:
        if c in seen:
            return
        if c not in ordered:
            ordered.append(c)
        for child in sorted(children.get(c, []), key=key):
            walk(child, seen | {c})

    for r in sorted(roots, key=key):
        walk(r, frozenset())
    ordered += sorted(members - set(ordered), key=key)  # concepts only reachable through a cycle
    return ordered


def schemes_html(schemes: Graph) -> str:
    """One page for all SKOS concept schemes: per scheme its definition and a table of its concepts."""
    all_schemes = sorted(set(schemes.subjects(RDF.type, SKOS.ConceptScheme)), key=lambda s: _label(schemes, s))
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>ipkg concept schemes</title>", f"<style>{_PAGE_CSS}</style></head><body><main>",
           "<h1>ipkg concept schemes</h1>",
           '<p><a href="index.html">← the ipkg ontology</a>. The SKOS concept schemes of the knowledge graph. '
           "A concept's <code>skos:notation</code> is the slug an applicant profile uses; indentation follows "
           "<code>skos:broader</code>.</p>", "<nav><ul>"]
    anchors = {s: "scheme-" + str(s).rstrip("/").rsplit("/", 1)[-1] for s in all_schemes}
    out += [f'<li><a href="#{_e(anchors[s])}">{_e(_label(schemes, s))}</a></li>' for s in all_schemes]
    out.append("</ul></nav>")
    for scheme in all_schemes:
        out.append(f'<section id="{_e(anchors[scheme])}"><h2>{_e(_label(schemes, scheme))} '
                   f'<small>{_e(_label(schemes, scheme, "ja"))}</small></h2>')
        out.append(f"<p><code>{_e(scheme)}</code></p>")
        for d in _texts(schemes, scheme, SKOS.definition):
            out.append(f'<p lang="{_e(d.language or "")}">{_e(d)}</p>')
        out.append("<table><thead><tr><th>notation</th><th>label (en)</th><th>label (ja)</th><th>broader</th>"
                   "<th>definition</th></tr></thead><tbody>")
        for c in _concepts_in_order(schemes, scheme):
            indent = "&#160;&#160;" * _concept_depth(schemes, c, scheme)
            broader = ", ".join(str(schemes.value(b, SKOS.notation) or curie(b)) for b in sorted(schemes.objects(c, SKOS.broader), key=str))
            definition = " / ".join(str(d) for d in _texts(schemes, c, SKOS.definition))
            slug = str(schemes.value(c, SKOS.notation) or str(c).rsplit("/", 1)[-1])
            out.append(f'<tr id="{_e(anchors[scheme] + "-" + slug)}"><td>{indent}<code>{_e(slug)}</code></td>'
                       f"<td>{_e(_label(schemes, c, 'en'))}</td><td>{_e(_label(schemes, c, 'ja'))}</td>"
                       f"<td>{_e(broader)}</td><td>{_e(definition)}</td></tr>")
        out.append("</tbody></table></section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def write_docs(ontology: Graph, schemes: Graph, shapes: Graph, out: Path) -> dict[str, Path]:
    """Write index.html (ontology + shapes) and schemes.html into `out`; returns the written pages by name."""
    out.mkdir(parents=True, exist_ok=True)
    pages = {"index.html": ontology_html(ontology, shapes), "schemes.html": schemes_html(schemes)}
    written = {}
    for name, text in pages.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written[name] = path
    return written


def ontology_terms(ontology: Graph) -> Iterable[URIRef]:
    """The classes and properties the ontology declares (used by tests to check the page covers them)."""
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    return sorted({s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)})
