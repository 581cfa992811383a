"""kg link --endpoint: reconciliation of the build's persons, parties and organisations against a real Oxigraph
server holding the Wikidata-shaped fixture (tests/fixtures/wikidata/), proposals as skos:closeMatch rows.

The server comes from tests/servers.py: 127.0.0.1 on a free port, stopped by PID at teardown. --apply only
ever writes to a copy of dossier/links.csv (--links FILE)."""

from __future__ import annotations

import hashlib
import shutil
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS
from rdflib.plugins.sparql import prepareQuery

import kg
from dossierkg import reconcile as rc
from dossierkg.links import read_links
from dossierkg.paths import DOSSIER
from dossierkg.results import Results
from servers import Oxigraph

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata" / "entities.ttl"
ID = "https://w3id.org/dossier-kg/id/"
WD = "http://www.wikidata.org/entity/"

EXPECTED = {  # entity -> the candidate that must come first (and be proposed)
    "persoon/eric-van-der-burg": "Q9000000101",
    "persoon/koekkoek": "Q9000000103",
    "partij/volt": "Q9000000201",
    "organisatie/ind": "Q9000000301",
    "organisatie/kmar": "Q9000000302",
    "media/nos": "Q9000000303",
}
LINKED = ["persoon/jasper-van-dijk", "persoon/wopke-hoekstra", "partij/sp", "partij/cda", "partij/vvd",
          "organisatie/europese-commissie"]


def invoke(*args):
    result = CliRunner().invoke(kg.cli, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def parse_table(text: str) -> dict[str, list[dict]]:
    """The first table of `kg link --endpoint` by the columns of its header: entity -> ranked rows."""
    lines = text.split("\n\n", 1)[0].splitlines()
    head, dashes, rows = lines[0], lines[1], lines[2:]
    starts = [i for i, c in enumerate(dashes) if c == "-" and (i == 0 or dashes[i - 1] == " ")]
    names = [head[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
    out: dict[str, list[dict]] = {}
    entity = None
    for line in rows:
        cells = {n: line[a:b].strip() for n, a, b in zip(names, starts, starts[1:] + [None])}
        entity = cells["entity"] or entity
        out.setdefault(entity, []).append(cells)
    return out


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with Oxigraph(tmp_path_factory.mktemp("wikidata") / "db") as server:
        request = urllib.request.Request(server.store_url + "?default", data=FIXTURE.read_bytes(), method="POST",
                                         headers={"Content-Type": "text/turtle"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status in (200, 201, 204)
        yield server.query_url


@pytest.fixture(scope="module")
def built():
    result = invoke("build")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def linked(endpoint, built):
    result = invoke("link", "--endpoint", endpoint, "--links", str(DOSSIER / "links.csv"))
    assert result.exit_code == 0, result.output
    return result


# --- the ranking -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("entity,qid", sorted(EXPECTED.items()))
def test_the_right_candidate_is_proposed_first(linked, entity, qid):
    rows = parse_table(linked.stdout)[entity]
    assert rows[0]["#"] == "1" and rows[0]["candidate"] == "wd:" + qid, rows
    assert rows[0]["status"] == "proposed"
    assert all(r["status"] == "-" for r in rows[1:])
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0.5
    assert rows[0]["reasons"]


def test_distractors_rank_below_or_are_not_proposed(linked):
    table = parse_table(linked.stdout)
    burg = table["persoon/eric-van-der-burg"]
    assert [r["candidate"] for r in burg] == ["wd:Q9000000101", "wd:Q9000000102"]  # the footballer second
    assert "P102" in burg[0]["reasons"] and "P39 staatssecretaris van Justitie en Veiligheid" in burg[0]["reasons"]
    assert "P102" not in burg[1]["reasons"]
    assert float(burg[0]["score"]) - float(burg[1]["score"]) >= 0.1
    koekkoek = table["persoon/koekkoek"]
    assert [r["candidate"] for r in koekkoek] == ["wd:Q9000000103"]  # the painter scores below 0.5
    assert koekkoek[0]["reasons"].startswith('partial label "Marieke Koekkoek"')
    assert "member of Volt = P102 Volt Nederland" in koekkoek[0]["reasons"]
    volt = table["partij/volt"]
    assert [r["candidate"] for r in volt] == ["wd:Q9000000201", "wd:Q9000000202"]  # Volt Europa second
    assert "Q9000000304" not in linked.stdout  # NOS the enzyme: right label, wrong type
    assert "Q9000000104" not in linked.stdout


def test_no_item_no_proposal(linked):
    for entity in ("organisatie/dtv", "media/reuters", "organisatie/aivd"):
        rows = parse_table(linked.stdout)[entity]
        assert len(rows) == 1 and rows[0]["candidate"] == "-" and rows[0]["status"] == "none", rows
    assert "Q9000000305" not in linked.stdout  # "De terugkeer" shares a word with DT&V, nothing more


def test_linked_entities_get_no_proposal_only_a_check(linked):
    table = parse_table(linked.stdout)
    checks = linked.stdout.split("\n\n", 1)[1]
    for entity in LINKED:
        assert entity not in table, entity
        line = next(x for x in checks.splitlines() if x.startswith(entity + " "))
        assert line.rstrip().endswith("agrees"), line
    assert "6 proposed (skos:closeMatch, for review)" in linked.stderr
    assert "6 already linked" in linked.stderr


def test_min_and_margin(endpoint, built):
    strict = invoke("link", "--endpoint", endpoint, "--min", "0.95")
    assert strict.exit_code == 0, strict.output
    table = parse_table(strict.stdout)
    shown = {e: rows for e, rows in table.items() if rows[0]["candidate"] != "-"}
    assert list(shown) == ["persoon/eric-van-der-burg"] and len(shown["persoon/eric-van-der-burg"]) == 1
    assert all(rows[0]["status"] == "none" for e, rows in table.items() if e not in shown)
    wide = invoke("link", "--endpoint", endpoint, "--margin", "0.3")
    assert wide.exit_code == 0, wide.output
    table = parse_table(wide.stdout)
    assert table["persoon/eric-van-der-burg"][0]["status"] == "ambiguous"  # 1.00 vs 0.75
    assert table["partij/volt"][0]["status"] == "ambiguous"  # 0.90 vs 0.65
    assert table["organisatie/ind"][0]["status"] == "proposed"  # alone


# --- --apply -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def applied(endpoint, built, tmp_path_factory):
    real = hashlib.sha256((DOSSIER / "links.csv").read_bytes()).hexdigest()
    copy = tmp_path_factory.mktemp("links") / "links.csv"
    shutil.copyfile(DOSSIER / "links.csv", copy)
    before = copy.read_text(encoding="utf-8")
    first = invoke("link", "--endpoint", endpoint, "--apply", "--links", str(copy))
    assert first.exit_code == 0, first.output
    after_first = copy.read_bytes()
    second = invoke("link", "--endpoint", endpoint, "--apply", "--links", str(copy))
    assert second.exit_code == 0, second.output
    assert hashlib.sha256((DOSSIER / "links.csv").read_bytes()).hexdigest() == real  # never the real file
    return {"copy": copy, "before": before, "first": first, "after_first": after_first, "second": second}


def test_apply_appends_closematch_rows_with_evidence(applied, endpoint):
    text = applied["copy"].read_text(encoding="utf-8")
    assert text.startswith(applied["before"])  # nothing overwritten
    _, rows = read_links(applied["copy"])
    _, old = read_links(DOSSIER / "links.csv")
    new = rows[len(old):]
    assert {(r.entity, r.relation, r.target) for r in new} == {(e, "skos:closeMatch", WD + q) for e, q in EXPECTED.items()}
    for r in new:
        assert r.evidence.startswith(f"{endpoint} reconciliation, score ")
        assert float(r.evidence.split("score ", 1)[1][:4]) >= 0.5
        assert "label" in r.evidence.split(": ", 1)[1]
    assert not any(r.entity in LINKED for r in new)
    assert "6 rows added" in applied["first"].stderr


def test_a_second_apply_adds_nothing(applied):
    assert applied["copy"].read_bytes() == applied["after_first"]
    assert "0 rows added" in applied["second"].stderr and "nothing new" in applied["second"].stderr
    assert "0 proposed" in applied["second"].stderr
    rows = read_links(applied["copy"])[1]
    assert len({(r.entity, r.relation, r.target) for r in rows}) == len(rows)


def test_a_build_with_the_applied_file_has_closematch_not_sameas(applied, tmp_path):
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    shutil.copyfile(applied["copy"], dossier / "links.csv")
    result = invoke("build", "--dossier", str(dossier), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    g = Graph()
    g.parse(tmp_path / "out" / "dossier.ttl", format="turtle")  # the union of the named graphs
    evidence = {r.entity: r.evidence for r in read_links(applied["copy"])[1] if r.relation == "skos:closeMatch"}
    for entity, qid in EXPECTED.items():
        s, o = URIRef(ID + entity), URIRef(WD + qid)
        assert (s, SKOS.closeMatch, o) in g, entity
        assert (s, OWL.sameAs, o) not in g and (s, SKOS.exactMatch, o) not in g
        sources = [str(x) for st in g.subjects(RDF.subject, s) if (st, RDF.object, o) in g
                   and (st, RDF.predicate, SKOS.closeMatch) in g for x in g.objects(st, DCTERMS.source)]
        assert sources == [evidence[entity]], entity
    assert not list(g.triples((None, OWL.sameAs, URIRef(WD + "Q9000000101"))))


# --- queries: parameters are terms, never text -------------------------------------------------------------

HOSTILE = ['"}Burg', 'x"} }\n; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #', '"}}#', 'a\n}"', '\\"\'']


def values_blocks(node, found=None) -> list:
    """The VALUES blocks of a parsed query's algebra (rdflib CompValue 'values'): the parser decides what is data."""
    found = [] if found is None else found
    if getattr(node, "name", None) == "values":
        found.append(node)
    if isinstance(node, dict):
        for v in node.values():
            values_blocks(v, found)
    elif isinstance(node, (list, tuple)):
        for v in node:
            values_blocks(v, found)
    return found


def shape(query_text: str) -> tuple[str, list]:
    """The query's algebra with its VALUES rows taken out, and those rows."""
    algebra = prepareQuery(query_text).algebra
    rows = []
    for block in values_blocks(algebra):
        rows += block["res"]
        block["res"] = []
    return str(algebra), rows


def test_hostile_labels_cannot_inject_sparql(endpoint):
    def entities(names):
        return [rc.Entity(ID + "persoon/p", "persoon/p", "person", "Jan " + names[0]),
                rc.Entity(ID + "organisatie/o", "organisatie/o", "organisation", names[1], aliases=names[2:])]

    hostile, benign = entities(HOSTILE), entities(["Jansen", "Koninklijke Marechaussee", "KMar", "IND"])
    query = rc.candidate_query(hostile)
    hostile_shape, rows = shape(query)  # it parses: still one SELECT query
    assert hostile_shape == shape(rc.candidate_query(benign))[0]  # the same query; only the data differ
    got = {(str(r[Variable("entity")]), str(r[Variable("mode")]), str(r[Variable("needle")])) for r in rows}
    assert got == {(e.iri, mode, text) for e in hostile for mode, text in rc.needles(e)}
    assert all(isinstance(r[Variable("needle")], Literal) for r in rows)
    for text in ('"}burg', '"}}#', 'a\n}"', '\\"\''):  # the hostile strings arrive whole, as data
        assert any(t == text for _, _, t in got), (text, got)
    # the endpoint runs it as a search for those strings: only "burg" (the folded surname) finds anything
    answer = rc._remote(endpoint, 30)("candidates", query)
    assert isinstance(answer, Results)
    assert {(b["entity"]["value"], b["item"]["value"]) for b in answer.bindings} == {
        (ID + "persoon/p", WD + "Q9000000101"), (ID + "persoon/p", WD + "Q9000000102")}
    # item IRIs go into the details and labels queries as terms too
    for text in (rc.details_query([WD + "Q5"], [WD + "Q5"]), rc.labels_query([WD + "Q5"])):
        assert len(values_blocks(prepareQuery(text).algebra)) >= 1


def test_answers_that_are_not_iris_are_left_out():
    """A hostile endpoint answering with a broken IRI or a literal: left out, never written into a query."""
    entity = rc.Entity(ID + "media/nos", "media/nos", "news outlet", "NOS")
    bad = [{"entity": {"type": "uri", "value": entity.iri}, "item": {"type": "uri", "value": WD + 'Q1> } DROP ALL {'}},
           {"entity": {"type": "uri", "value": entity.iri}, "item": {"type": "literal", "value": WD + "Q2"}},
           {"entity": {"type": "uri", "value": ID + "other"}, "item": {"type": "uri", "value": WD + "Q3"}}]
    asked = []

    def select(purpose, query):
        asked.append(purpose)
        return Results(["entity", "item"], bad) if purpose == "candidates" else Results(["item"], [])

    found, items, _ = rc.fetch([entity], select)
    assert found == {} and items == {}
    assert asked == ["candidates", "labels"]  # no details query for nothing


def test_evidence_from_hostile_endpoint_labels_is_one_csv_line(tmp_path):
    entity = rc.Entity(ID + "media/nos", "media/nos", "news outlet", "NOS")
    item = rc.Item(WD + "Q9000000303", labels=[('NOS"\nevil,row', "nl")], descriptions=[("a\r\nb", "nl")])
    cand = rc.Candidate(entity, item, "NOS", 70, ['exact label "NOS\n,x"'], True, "proposed")
    path = tmp_path / "links.csv"
    path.write_text("entity,relation,target,evidence,note\n", encoding="utf-8")
    added = rc.apply(path, [rc.Outcome(entity, [cand])], "http://user:secret@127.0.0.1:1/query")
    assert len(added) == 1
    _, rows = read_links(path)
    assert [(r.entity, r.relation, r.target) for r in rows] == [("media/nos", "skos:closeMatch", WD + "Q9000000303")]
    assert "\n" not in rows[0].evidence and "secret" not in path.read_text()
    assert rc.apply(path, [rc.Outcome(entity, [cand])], "http://127.0.0.1:1/query") == []


# --- names ---------------------------------------------------------------------------------------------------

def test_names_are_normalised():
    assert rc.fold("Christen-Democratisch Appèl") == "christen democratisch appel"
    assert rc.core("Eric van der Burg") == ["eric", "burg"] == rc.core("ERIC VAN DER BURG")
    assert rc.core("Van der Burg") == ["burg"]
    person = rc.Entity(ID + "persoon/koekkoek", "persoon/koekkoek", "person", "Koekkoek")
    assert rc.match_label(person, rc.Item("x", labels=[("Marieke Koekkoek", "nl")]))[0] == "partial"
    assert rc.match_label(person, rc.Item("x", labels=[("Koekkoek-Smit", "nl")])) is None
    assert rc.match_label(person, rc.Item("x", labels=[("Koekkoek", "nl")]))[0] == "exact"
    eric = rc.Entity(ID + "persoon/eric-van-der-burg", "persoon/eric-van-der-burg", "person", "Eric van der Burg")
    assert rc.match_label(eric, rc.Item("x", labels=[("Eric Van Der Burg", "en")]))[0] == "exact"
    assert rc.match_label(eric, rc.Item("x", labels=[("Érić van der Burg", "nl")]))[0] == "exact"
    assert rc.match_label(eric, rc.Item("x", labels=[("Eric van den Burg", "nl")]))[0] == "exact"  # tussenvoegsels
    assert rc.match_label(eric, rc.Item("x", labels=[("Eric Burgers", "nl")])) is None
    ind = rc.Entity(ID + "organisatie/ind", "organisatie/ind", "organisation", "Immigratie- en Naturalisatiedienst",
                    aliases=["IND"])
    assert rc.match_label(ind, rc.Item("x", aliases=[("IND", "nl")]))[0] == "exact"
    assert rc.match_label(ind, rc.Item("x", labels=[("India", "en")])) is None


# --- usage and failures ------------------------------------------------------------------------------------

def test_usage_errors():
    assert invoke("link").exit_code == 2
    assert invoke("link", "--apply").exit_code == 2
    assert invoke("link", "--missing", "--endpoint", "http://127.0.0.1:1/query").exit_code == 2
    assert invoke("link", "--endpoint", "http://127.0.0.1:1/query", "--min", "1.5").exit_code == 2


def test_unreachable_endpoint_is_exit_3_and_nothing_written(built, tmp_path):
    from servers import free_port

    copy = tmp_path / "links.csv"
    shutil.copyfile(DOSSIER / "links.csv", copy)
    before = copy.read_bytes()
    result = invoke("link", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--apply", "--links", str(copy),
                    "--timeout", "5")
    assert result.exit_code == 3
    assert "cannot reach the endpoint" in result.stderr
    assert copy.read_bytes() == before
