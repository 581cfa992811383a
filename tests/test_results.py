"""Results.from_oxigraph makes the SPARQL 1.1 Query Results JSON dictionaries from the terms directly: the same
dictionaries (keys in the same order) as Oxigraph's own JSON serialisation."""

import json

import pyoxigraph as ox

from dossierkg.results import Results


def _both(store, text):
    via_json = Results.from_json(json.loads(store.query(text).serialize(format=ox.QueryResultsFormat.JSON)))
    return via_json, Results.from_oxigraph(store.query(text))


def test_every_kind_of_term_as_oxigraph_writes_it():
    store = ox.Store()
    store.add(ox.Quad(ox.BlankNode("b1"), ox.NamedNode("http://example.org/p"), ox.Literal("x", language="nl"),
                      ox.DefaultGraph()))
    text = """SELECT ?blank ?iri ?plain ?tagged ?dir ?typed ?triple ?unbound WHERE {
      ?blank ?iri ?tagged .
      BIND ("s" AS ?plain) BIND ("r"@ar--rtl AS ?dir) BIND (1.5 AS ?typed)
      BIND (<<( <http://example.org/s> <http://example.org/p> "o"@en--ltr )>> AS ?triple)
      OPTIONAL { ?blank <http://example.org/none> ?unbound }
    }"""
    a, b = _both(store, text)
    assert a.vars == b.vars
    assert json.dumps(a.bindings) == json.dumps(b.bindings)
    assert "unbound" not in b.bindings[0] and b.bindings[0]["dir"]["its:dir"] == "rtl"


def test_no_rows_and_booleans():
    store = ox.Store()
    a, b = _both(store, "SELECT ?x WHERE { ?x ?p ?o }")
    assert (a.vars, a.bindings) == (b.vars, b.bindings) == (["x"], [])
    assert Results.from_oxigraph(store.query("ASK { }")).bindings == [
        {"boolean": {"type": "literal", "value": "true"}}]


def test_without_params_drops_only_param_columns():
    r = Results(["param_x", "a"], [{"param_x": {"type": "literal", "value": "1"}, "a": {"type": "uri", "value": "u"}}])
    assert r.without_params().vars == ["a"] and r.without_params().bindings == [{"a": {"type": "uri", "value": "u"}}]
    plain = Results(["a"], [{"a": {"type": "uri", "value": "u"}}])
    assert plain.without_params().bindings == plain.bindings


def test_without_params_while_converting():
    store = ox.Store()
    text = 'SELECT ?param_x ?a WHERE { VALUES (?param_x ?a) { (1 <http://example.org/a>) (2 UNDEF) } }'
    a = Results.from_oxigraph(store.query(text)).without_params()
    b = Results.from_oxigraph(store.query(text), without_params=True)
    assert (a.vars, a.bindings) == (b.vars, b.bindings) == (["a"], [{"a": {"type": "uri", "value": "http://example.org/a"}}, {}])
