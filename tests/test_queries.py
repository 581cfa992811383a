"""Canned queries: golden answers on the dossier, safe parameters, formats, kg check."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import kg
from dossierkg import queries
from dossierkg.paths import BUILD
from dossierkg.store import open_store

ID = "https://w3id.org/dossier-kg/id/"
KV, AH = ID + "kv-tk-2023Z00468", ID + "ah-tk-20222023-1663"


@pytest.fixture(scope="module")
def store():
    result = CliRunner().invoke(kg.cli, ["build"])
    assert result.exit_code == 0, result.output
    return open_store(BUILD)


def rows(store, name, **params):
    return queries.run(queries.get(name), {k: str(v) for k, v in params.items()}, store=store).values()


def cli_json(*args):
    result = CliRunner().invoke(kg.cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_answers_citing_the_letter(store):
    data = cli_json("query", "answers-citing", "-p", "document=kst-19637-3018", "--format", "json")
    assert data["head"]["vars"][:4] == ["answer", "document", "number", "quote"]
    got = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    assert [(r["answer"], r["document"], r["number"], r["quote"]) for r in got] == [
        (AH + "/antwoord/2", "ah-tk-20222023-1663", "2", "bij brief van 13 december 2022")]


def test_questions_citing_the_letter(store):
    got = rows(store, "questions-citing", document="kst-19637-3018")
    assert [(r["question"], r["document"], r["number"], r["quote"]) for r in got] == [
        (KV + "/vraag/3", "kv-tk-2023Z00468", "3", "in uw brief van 13 december 2022")]


def test_cross_references(store):
    got = {(r["document"], r["number"], r["target_number"]) for r in rows(store, "cross-references")}
    assert got == {
        ("Antwoorden op vragen van Jasper van Dijk (2022-11-07)", "5", "3"),
        ("Antwoorden op vragen van Koekkoek (2022-11-07)", "6", "2 en 3"),
        ("Antwoorden op vragen van Koekkoek (2022-11-07)", "8 en 9", "11"),
        ("ah-tk-20222023-1663", "7", "6"),
    }
    phrases = {r["number"]: r["phrase"] for r in rows(store, "cross-references") if r["document"] == "ah-tk-20222023-1663"}
    assert phrases == {"7": "Zie antwoord vraag 6"}


def test_co_signed(store):
    got = rows(store, "co-signed")
    assert len(got) == 2
    assert {(r["answered_by"], r["on_behalf_of"], r["received"]) for r in got} == {
        ("Wopke Hoekstra", "Staatssecretaris van Justitie en Veiligheid", "2022-11-07")}


def test_response_times(store):
    got = [(r["questions"], r["submitted"], r["answered"], r["days"], r["postponed"], r["notice"])
           for r in rows(store, "response-times")]
    assert got == [("6", "2022-09-23", "2022-11-07", "45", "false", None),
                   ("11", "2022-09-28", "2022-11-07", "40", "false", None),
                   ("7", "2023-01-18", "2023-02-22", "35", "true", "2023-02-08")]


@pytest.mark.parametrize("days,expected", [(None, [45, 40]), (42, [45]), (50, []), (10, [45, 40])])
def test_late_without_notice(store, days, expected):
    params = {"days": days} if days is not None else {}
    assert [int(r["days"]) for r in rows(store, "late-without-notice", **params)] == expected


def test_quotations(store):
    got = rows(store, "quotations")
    assert {r["block"] for r in got} == {KV + "/vraag/5"}
    assert {r["quoted_in"] for r in got} == {"002_c13e7b55d78e5ffc.txt", "003_ab754fb98c3b7ac6.txt"}
    assert {r["source_file"] for r in got} == {"004_90d31d1340ba21e6.txt"} and {r["verbatim"] for r in got} == {"true"}
    assert all(" ".join(r["quote"].split()).startswith("dat bezwaren tegen mobilisatie") for r in got)


def test_reused_answers(store):
    got = {(r["number_a"], r["number_b"]): float(r["similarity"]) for r in rows(store, "reused-answers")}
    assert set(got) == {("3", "8 en 9"), ("5", "6")}
    assert all(v >= 0.8 for v in got.values())
    assert len(rows(store, "reused-answers", min="0.5")) > len(got)


def test_sources_nos(store):
    got = rows(store, "sources", publisher="NOS")
    assert len(got) == 3 and sum(int(r["footnotes"]) for r in got) == 4
    assert {r["publisher"] for r in got} == {"NOS"}
    assert len(rows(store, "sources")) > 3


def test_instruments_and_legal_references(store):
    got = rows(store, "instruments")
    kinds = {r["kind"] for r in got}
    assert kinds == {"policy instrument", "act", "provision"}
    bvm = [r for r in got if r["thing"] == ID + "instrument/bvm-dienstplichtigen"]
    assert len(bvm) >= 20 and all(r["line"] and r["mention"] for r in bvm)
    assert any(r["mention"] == "artikel 43 van de Vreemdelingenwet 2000" and r["line"] == "498" for r in got)


def test_timeline_is_in_order(store):
    got = rows(store, "timeline")
    dates = [r["date"] for r in got]
    assert dates == sorted(dates)
    events = {(r["date"], r["event"]) for r in got}
    assert {("2022-09-23", "questions submitted"), ("2023-02-08", "postponement notice"),
            ("2023-02-22", "answers received"), ("2022-12-12", "decision note"), ("2022-12-13", "letter"),
            ("2022-06-29", "instrument starts"), ("2022-12-29", "instrument ends")} <= events


def test_provenance_of_answer_2(store):
    got = rows(store, "provenance", resource=AH + "/antwoord/2")
    assert len(got) == 1
    r = got[0]
    assert r["source"] == "002_c13e7b55d78e5ffc.txt" and r["line"] == "23" and len(r["sha256"]) == 64
    assert "Uw Kamer is hierover bij brief van 13" in r["exact"]
    made = store.query(f"SELECT ?a WHERE {{ <{ID}graaf/002_c13e7b55d78e5ffc> <http://www.w3.org/ns/prov#wasGeneratedBy> ?a }}")
    assert r["activity"] == next(iter(made))["a"].value  # the activity that made the file's graph from it


def test_check_passes_on_the_build(store):
    result = CliRunner().invoke(kg.cli, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok ") == 3


HOSTILE = ['"', "}", "} ; DROP ALL ; {", 'x" } } ; DELETE WHERE { ?s ?p ?o } #', "line\nbreak\r\n",
           "\\", "' OR 1=1 --", "<http://evil>", "x" * 500_000]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:20]))
def test_hostile_parameter_values_are_values(store, value):
    before = len(store)
    assert rows(store, "answers-citing", document=value) == []
    bound = queries.bindings(queries.get("answers-citing"), {"document": value})
    remote_text = queries.with_values(queries.strip_header(queries.get("answers-citing").text), bound)
    assert queries.run_local(store, remote_text, {}).without_params().bindings == []  # the VALUES path too
    assert len(store) == before


@pytest.mark.parametrize("name,value", [("days", "21; DROP"), ("min", "abc"), ("resource", "not an iri")])
def test_ill_typed_parameters_are_refused(store, name, value):
    query = {"days": "late-without-notice", "min": "reused-answers", "resource": "provenance"}[name]
    result = CliRunner().invoke(kg.cli, ["query", query, "-p", f"{name}={value}"])
    assert result.exit_code == 2 and "not" in result.output


def test_unknown_and_missing_parameters(store):
    assert CliRunner().invoke(kg.cli, ["query", "answers-citing"]).exit_code == 2
    assert CliRunner().invoke(kg.cli, ["query", "answers-citing", "-p", "nope=1"]).exit_code == 2
    assert CliRunner().invoke(kg.cli, ["query", "no-such-query"]).exit_code == 2


def test_formats(store):
    for fmt in ("table", "md", "csv"):
        result = CliRunner().invoke(kg.cli, ["query", "response-times", "--format", fmt])
        assert result.exit_code == 0 and "2023-02-08" in result.output
    out = CliRunner().invoke(kg.cli, ["query", "response-times", "--format", "csv"]).output
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][:4] == ["question_set", "document", "questions", "submitted"] and len(table) == 4


def test_describe_and_list():
    out = CliRunner().invoke(kg.cli, ["query", "answers-citing", "--describe"]).output
    assert "-p document=<string>" in out and "required" in out
    listing = CliRunner().invoke(kg.cli, ["queries", "--verbose"]).output
    for q in queries.discover():
        assert q in listing


def test_adhoc_sparql(store):
    out = CliRunner().invoke(kg.cli, ["sparql", "ASK { ?s a <https://w3id.org/dossier-kg/def#Question> }",
                                      "--format", "csv"]).output
    assert "true" in out
    bad = CliRunner().invoke(kg.cli, ["sparql", "SELEC nonsense"])
    assert bad.exit_code == 2 and "syntax" in bad.output.lower()


def test_reused_passages_sentence_level_and_paraphrase(store):
    got = rows(store, "reused-passages")
    pairs = {(r["file_a"][:3], r["line_a"], r["file_b"][:3]): float(r["similarity"]) for r in got}
    # 000 answer 2 and 001 answer 6: "pleit het kabinet voor een gecoördineerde en gebalanceerde aanpak …"
    assert pairs[("000", "29", "001")] >= 0.8
    # answer 4 of 2023Z00468 restates the decision note it cites: linked to the closest passage, with its score
    para = [r for r in got if r["file_a"].startswith("002") and r["line_a"] == "39"]
    assert para and para[0]["file_b"].startswith("004") and "na de stop gemobiliseerd" in para[0]["passage_b"]
    assert 0.3 <= float(para[0]["similarity"]) < 0.8


def test_answers_scoring_above_half_share_a_reused_sentence(store):
    """No pair of unrelated answers scores above 0.5: each such pair shares a sentence-level reuse."""
    answers = rows(store, "reused-answers", min="0.5")
    passages = rows(store, "reused-passages", min="0.6")
    assert answers
    for r in answers:
        a = store.query(f"SELECT ?t WHERE {{ <{r['answer_a']}> <https://w3id.org/dossier-kg/def#text> ?t }}")
        b = store.query(f"SELECT ?t WHERE {{ <{r['answer_b']}> <https://w3id.org/dossier-kg/def#text> ?t }}")
        ta, tb = next(iter(a))["t"].value, next(iter(b))["t"].value
        assert any(" ".join(p["passage_a"].split())[:40].replace("- ", "") in ta.replace("- ", "")
                   or " ".join(p["passage_b"].split())[:40] in tb for p in passages), (r["number_a"], r["number_b"])
