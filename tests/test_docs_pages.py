"""The ontology documentation (/def/), the shapes in words, and the query page's examples and fallback."""

from __future__ import annotations

import html

from rdflib import Graph

from ipkg import catalog, ontodoc
from ipkg.web import assets


def test_build_writes_the_docs_and_the_app_serves_them(built, client) -> None:
    for name in ("index.html", "schemes.html"):
        assert (built.dist_path / "def" / name).is_file()
    for path in ("/def/", "/def/index.html"):
        response = client.get(path)
        assert response.status_code == 200 and response.content_type == "text/html; charset=utf-8"
        page = response.get_data(as_text=True)
        assert 'id="shapes"' in page and 'href="schemes.html"' in page
    schemes = client.get("/def/schemes.html")
    assert schemes.status_code == 200 and "ipkg concept schemes" in schemes.get_data(as_text=True)


def test_ontology_page_names_every_class_and_no_remote_resources(built, kg) -> None:
    page = (built.dist_path / "def" / "index.html").read_text(encoding="utf-8")
    classes = [r["c"] for r in kg.rows("SELECT ?c WHERE { GRAPH <https://w3id.org/ipkg/graph/ontology> "
                                       "{ ?c a owl:Class FILTER(STRSTARTS(STR(?c), STR(ipkg:))) } }")]
    assert classes
    missing = [c for c in classes if c not in page]
    assert not missing, f"classes missing from the ontology page: {missing}"
    for tag in ("<script src=", "<link rel=\"stylesheet\" href=\"http", "<img src=\"http", "@import"):
        assert tag not in page


def test_shapes_section_lists_each_target_class_with_its_constraints(built, kg) -> None:
    page = html.unescape((built.dist_path / "def" / "index.html").read_text(encoding="utf-8"))
    section = page[page.index('id="shapes"'):]
    targets = kg.rows("SELECT DISTINCT ?shape ?c WHERE { GRAPH <https://w3id.org/ipkg/graph/shapes> "
                      "{ ?shape sh:targetClass ?c } }")
    assert targets
    for row in targets:
        assert ontodoc.curie(row["c"]) in section and ontodoc.curie(row["shape"]) in section, row


def test_schemes_page_has_every_scheme_and_concept(built, kg) -> None:
    page = html.unescape((built.dist_path / "def" / "schemes.html").read_text(encoding="utf-8"))
    rows = kg.rows("SELECT ?scheme ?notation WHERE { GRAPH <https://w3id.org/ipkg/graph/schemes> "
                   "{ ?scheme a skos:ConceptScheme . OPTIONAL { ?c skos:inScheme ?scheme ; skos:notation ?notation } } }")
    assert rows
    for row in rows:
        anchor = "scheme-" + row["scheme"].rstrip("/").rsplit("/", 1)[-1]
        assert f'id="{anchor}"' in page, anchor
        if "notation" in row:
            assert f'id="{anchor}-{row["notation"]}"' in page, (anchor, row["notation"])


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Named a sh:NodeShape ; sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:uniqueLang true ;
    sh:qualifiedValueShape [ sh:languageIn ( "en" ) ] ; sh:qualifiedMinCount 1 ] .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:node ex:Named ;
    sh:property [ sh:path ex:size ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:decimal ; sh:minInclusive 0 ;
                  sh:message "one size" ] ,
                [ sh:path ( ex:a [ sh:inversePath ex:b ] ) ; sh:maxCount 0 ] ;
    sh:xone ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .
"""


def test_constraints_in_words() -> None:
    g = Graph().parse(data=SHAPES, format="turtle")
    [(kind, target, shape, rows)] = ontodoc.shapes_by_target(g)
    assert (kind, str(target), str(shape)) == ("class", "http://example.org/Thing", "http://example.org/ThingShape")
    by_path = {r[0]: r for r in rows}
    assert by_path["http://example.org/size"][1:3] == ("exactly 1; of datatype xsd:decimal; ≥ 0", "one size")
    assert by_path["http://example.org/a/^http://example.org/b"][1] == "none allowed"
    assert by_path["(the focus node itself)"][1] == \
        "exactly one of (http://example.org/p: at least 1 | http://example.org/q: at least 1)"
    label = by_path["rdfs:label"]
    assert label[1] == "at least 1; one per language; at least 1 value(s) in language en"
    assert label[3] == "http://example.org/Named"  # via the included building block


def test_query_page_offers_the_catalogue_with_defaults_bound(built, client) -> None:
    page = html.unescape(client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True))
    queries = catalog.load(built.root / "queries")
    assert queries
    for q in queries.values():
        assert q.title in page
    with_params = [q for q in queries.values() if q.parameters and all(p.default for p in q.parameters)]
    for q in with_params:
        note = "# parameters bound to their defaults: " + ", ".join(f"?{p.name} = {p.default}" for p in q.parameters)
        assert note in page, q.name


def test_query_page_without_yasgui_says_how_to_install_it(client, monkeypatch) -> None:
    monkeypatch.setattr(assets, "available", lambda vendor=assets.VENDOR: False)
    page = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="yasgui-missing"' in page and "ipkg assets" in page
    assert "yasgui.min.js" not in page and 'id="plain-form"' in page


def test_assets_copy_installs_the_pinned_build(tmp_path) -> None:
    """`ipkg assets --no-npm` from a fake node_modules: the two files and the version land in the vendor folder."""
    project = tmp_path / "p"
    build = project / "node_modules" / "@zazuko" / "yasgui" / "build"
    build.mkdir(parents=True)
    (project / "package.json").write_text('{"dependencies": {"@zazuko/yasgui": "4.6.2"}}')
    (build.parent / "package.json").write_text('{"version": "4.6.2"}')
    for name in assets.FILES:
        (build / name).write_text(f"/* {name} */")
    vendor = tmp_path / "vendor"
    assert not assets.available(vendor)
    assets.install(project, run_npm=False, vendor=vendor)
    assert assets.available(vendor) and assets.installed_version(vendor) == "4.6.2"
    assert assets.pinned_version(project) == "4.6.2"
    (project / "package.json").write_text('{"dependencies": {"@zazuko/yasgui": "^4.6.2"}}')
    try:
        assets.pinned_version(project)
    except assets.AssetError as exc:
        assert "exact version" in str(exc)
    else:
        raise AssertionError("a version range must be refused")

