"""What the report shows, read from the last build's store into plain records (no HTML here).

The canned queries (`queries/*.rq`) give the timeline, the response times and the reused answers, so the
report says what `kg query` says; the citation network, the quotations and the passages come from a few
queries of this module. Every list is sorted here, so the same store always gives the same report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from .. import queries
from .passages import PREFIXES as SPAN_PREFIXES
from .passages import Passage, Passages
from ..store import query_with

ANSWER_TERM_DAYS = 21  # three weeks; the default of `kg query late-without-notice`

DKG = "https://w3id.org/dossier-kg/def#"
PREFIXES = SPAN_PREFIXES + """PREFIX cito: <http://purl.org/spar/cito/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""

# document kinds, strongest first (a letter is also a dkg:ParliamentaryDocument)
KINDS = (("QuestionSet", "questions"), ("AnswerSet", "answers"), ("Letter", "letter"),
         ("DecisionNote", "decision note"), ("PostponementNotice", "postponement notice"),
         ("ParliamentaryDocument", "document"))
BLOCK_WORDS = {"Question": "vraag", "Answer": "antwoord", "Section": "sectie"}


@dataclass
class Doc:
    iri: str
    kind: str  # questions, answers, letter, decision note, postponement notice, document, outlet
    label: str
    identifier: str | None = None
    date: str | None = None
    key: str = ""  # HTML id
    articles: list[dict] = field(default_factory=list)  # for an outlet: the cited articles


@dataclass
class Event:
    date: str
    event: str
    resource: str
    label: str


@dataclass
class Instrument:
    iri: str
    key: str
    label: str
    start: str
    end: str | None
    extension: str | None  # xsd:duration as stated, e.g. P6M
    extended_end: str | None
    passages: list[Passage]


@dataclass
class ResponseTime:
    question_set: str
    document: str  # as the canned query names it (identifier, else label)
    label: str  # the question set's label
    key: str
    questions: int
    submitted: str
    answered: str
    days: int
    postponed: bool
    notice: str | None
    passages: list[tuple[str, Passage]]  # (what the passage shows, passage)

    @property
    def late(self) -> bool:
        return self.days > ANSWER_TERM_DAYS


@dataclass
class Citation:
    key: str
    kind: str  # footnote, in-text reference, quotation
    citing: str  # the block (question, answer, section)
    citing_label: str
    citing_doc: str | None
    cited: str
    cited_label: str
    cited_node: str | None  # the network node: a document or a news outlet
    words: str
    passages: list[Passage]
    verbatim: bool | None = None  # quotations only
    quoted: Passage | None = None  # quotations only: the passage quoted


@dataclass
class Reuse:
    key: str
    similarity: str
    a: tuple[str, str, str]  # answer IRI, document, number
    b: tuple[str, str, str]
    passages_a: list[Passage]
    passages_b: list[Passage]


@dataclass
class PassageReuse:
    key: str
    similarity: str
    a: Passage
    b: Passage
    a_label: str  # the block (or document) the passage stands in
    b_label: str


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    citations: list[Citation]


@dataclass
class Report:
    built: str | None
    software: str | None
    sources: list[tuple[str, str]]  # (file, sha256)
    docs: dict[str, Doc]
    events: list[Event]
    instruments: list[Instrument]
    response_times: list[ResponseTime]
    quotations: list[Citation]
    reuses: list[Reuse]
    reuse_min: str
    weaker_reuses: int
    passage_reuses: list[PassageReuse]
    passage_min: str
    citations: list[Citation]
    unresolved: int
    nodes: list[Doc]
    edges: list[Edge]
    answer_sets: dict[str, str]  # question set -> its answer set


def html_id(prefix: str, text: str) -> str:
    return prefix + "-" + re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def _select(store: ox.Store, text: str, **bound) -> list[dict[str, str | None]]:
    res = query_with(store, PREFIXES + text, **{k: ox.NamedNode(v) for k, v in bound.items()})
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def _canned(store: ox.Store, name: str, **params) -> list[dict[str, str | None]]:
    return queries.run(queries.get(name), params, store=store).values()


def _default(query: str, param: str) -> str:
    """A canned query's default for a parameter, so the report shows what `kg query` shows by default."""
    return next(p.default for p in queries.get(query).params if p.name == param)


def add_duration(day: str, duration: str) -> str | None:
    """The date `duration` (years, months, weeks, days, as in xsd:duration) after `day`; None if unreadable."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", duration or "")
    if not m or duration == "P":
        return None
    years, months, weeks, days = (int(g or 0) for g in m.groups())
    d = date.fromisoformat(day)
    month = d.month - 1 + months + 12 * years
    y, mo = d.year + month // 12, month % 12 + 1
    last = (date(y + mo // 12, mo % 12 + 1, 1) - timedelta(days=1)).day
    return (date(y, mo, min(d.day, last)) + timedelta(days=7 * weeks + days)).isoformat()


class _Reader:
    def __init__(self, store: ox.Store, dossier: Path):
        self.store = store
        self.passages = Passages(store, dossier)
        self.docs = self._docs()
        self.parent = self._parents()
        self.blocks = self._blocks()

    # --- documents, blocks, outlets ------------------------------------------------------------------

    def _docs(self) -> dict[str, Doc]:
        rows = _select(self.store, """SELECT DISTINCT ?doc ?type ?id ?label ?title ?date WHERE {
          VALUES ?type { dkg:QuestionSet dkg:AnswerSet dkg:Letter dkg:DecisionNote dkg:PostponementNotice
                         dkg:ParliamentaryDocument }
          ?doc a ?type .
          OPTIONAL { ?doc dcterms:identifier ?id }
          OPTIONAL { ?doc rdfs:label ?label }
          OPTIONAL { ?doc dcterms:title ?title }
          OPTIONAL { ?doc dcterms:dateSubmitted|dkg:dateReceived|eli:date_document|dkg:datePostponed ?date }
        }""")
        by_doc: dict[str, list[dict]] = {}
        for r in rows:
            by_doc.setdefault(r["doc"], []).append(r)
        docs = {}
        for iri in sorted(by_doc):
            rs = by_doc[iri]
            types = {r["type"].removeprefix(DKG) for r in rs}
            kind = next(k for t, k in KINDS if t in types)
            first = lambda key: min((r[key] for r in rs if r[key]), default=None)  # noqa: E731
            ident, label, title, day = first("id"), first("label"), first("title"), first("date")
            if kind == "letter":
                text = f"Letter {ident or title or _tail(iri)}"
            elif kind == "decision note":
                text = f"Decision note: {title or label or ident or _tail(iri)}"
            elif kind == "postponement notice":
                text = f"Postponement notice ({day})" if day else "Postponement notice"
            elif kind == "answers" and not label:
                text = f"Aanhangsel {ident}" if ident else _tail(iri)
            else:
                text = label or title or ident or _tail(iri)
            docs[iri] = Doc(iri, kind, text, ident, day, html_id("doc", ident or _tail(iri)))
        for r in _select(self.store, """SELECT DISTINCT ?outlet ?name WHERE {
            ?outlet a dkg:NewsOutlet . OPTIONAL { ?outlet schema:name ?name } }"""):
            docs.setdefault(r["outlet"], Doc(r["outlet"], "outlet", r["name"] or _tail(r["outlet"]),
                                             key=html_id("outlet", r["outlet"].rsplit("/", 1)[-1])))
        self.articles: dict[str, dict] = {}
        for r in sorted(_select(self.store, """SELECT DISTINCT ?article ?outlet ?date ?headline ?url WHERE {
            ?article a dkg:NewsArticle .
            OPTIONAL { ?article schema:publisher ?outlet }
            OPTIONAL { ?article schema:datePublished ?date }
            OPTIONAL { ?article schema:headline ?headline }
            OPTIONAL { ?article schema:url ?url } }"""), key=lambda r: (r["date"] or "", r["article"])):
            if r["article"] in self.articles:
                continue
            self.articles[r["article"]] = r
            if r["outlet"] in docs:
                docs[r["outlet"]].articles.append(r)
        return docs

    def _parents(self) -> dict[str, str]:
        """Each block's document (dcterms:isPartOf, followed up to a document)."""
        part_of: dict[str, list[str]] = {}
        for r in _select(self.store, "SELECT DISTINCT ?part ?whole WHERE { ?part dcterms:isPartOf ?whole }"):
            part_of.setdefault(r["part"], []).append(r["whole"])
        out = {}
        for part in part_of:
            seen, todo = set(), sorted(part_of[part])
            while todo:
                whole = todo.pop(0)
                if whole in self.docs:
                    out[part] = whole
                    break
                if whole not in seen:
                    seen.add(whole)
                    todo.extend(sorted(part_of.get(whole, [])))
        return out

    def _blocks(self) -> dict[str, str]:
        """Readable labels of questions, answers and sections: 'vraag 5'."""
        out = {}
        for r in _select(self.store, """SELECT DISTINCT ?block ?type ?number ?printed WHERE {
            VALUES ?type { dkg:Question dkg:Answer dkg:Section }
            ?block a ?type .
            OPTIONAL { ?block dkg:numberLabel ?number }
            OPTIONAL { ?block dkg:printedLabel ?printed } } ORDER BY ?block ?number ?printed"""):
            word = BLOCK_WORDS[r["type"].removeprefix(DKG)]
            out.setdefault(r["block"], f"{word} {r['number'] or r['printed'] or _tail(r['block'])}")
        return out

    def doc_of(self, iri: str) -> str | None:
        return iri if iri in self.docs else self.parent.get(iri)

    def node_of(self, iri: str) -> str | None:
        """The network node of a cited resource: its document, or the outlet of a news article."""
        article = self.articles.get(iri)
        if article is not None:
            return article["outlet"] if article["outlet"] in self.docs else None
        return self.doc_of(iri)

    def label(self, iri: str) -> str:
        """'vraag 3 of Vragen van …', a document's label, or a news article's outlet, date and headline."""
        if iri in self.docs:
            return self.docs[iri].label
        article = self.articles.get(iri)
        if article is not None:
            outlet = self.docs[article["outlet"]].label if article["outlet"] in self.docs else "news article"
            return ", ".join(x for x in (outlet, article["date"], article["headline"]) if x)
        block = self.blocks.get(iri, _tail(iri))
        doc = self.doc_of(iri)
        return f"{block} of {self.docs[doc].label}" if doc and doc != iri else block

    # --- the sections of the report ----------------------------------------------------------------------

    def events(self) -> list[Event]:
        out = {}
        for r in _canned(self.store, "timeline"):
            key = (r["date"], r["event"], r["resource"])
            if key in out:
                continue
            res = r["resource"]
            label = self.docs[res].label if res in self.docs else self.label(res)
            if r["event"].startswith("instrument") and r["label"]:
                label = r["label"]
            out[key] = Event(r["date"], r["event"], res, label)
        return [out[k] for k in sorted(out)]

    def instruments(self) -> list[Instrument]:
        by: dict[str, list[dict]] = {}
        for r in _select(self.store, """SELECT DISTINCT ?instrument ?label ?start ?end ?extension WHERE {
            ?instrument a dkg:PolicyInstrument ; dkg:startDate ?start .
            OPTIONAL { ?instrument dkg:endDate ?end }
            OPTIONAL { ?instrument dkg:extension ?extension }
            OPTIONAL { ?instrument skos:prefLabel ?label } }"""):
            by.setdefault(r["instrument"], []).append(r)
        out = []
        for iri in sorted(by):
            rs = by[iri]
            start = min(r["start"] for r in rs)
            end = max((r["end"] for r in rs if r["end"]), default=None)
            extended = sorted({(add_duration(end, r["extension"]) or "", r["extension"])
                               for r in rs if r["extension"] and end})
            ext_end, ext = extended[-1] if extended else (None, None)
            label = min((r["label"] for r in rs if r["label"]), default=_tail(iri))
            key = html_id("instrument", iri.rsplit("/", 1)[-1])
            out.append(Instrument(iri, key, label, start, end, ext, ext_end or None, self.passages.of(iri)))
        return sorted(out, key=lambda i: (i.start, i.iri))

    def response_times(self) -> list[ResponseTime]:
        out = []
        for r in _canned(self.store, "response-times"):
            qs = r["question_set"]
            shown: list[tuple[str, Passage]] = [("question set", p) for p in self.passages.of(qs)]
            for rel, what in (("dkg:answerSet", "answers"), ("dkg:postponedBy", "postponement notice")):
                for row in _select(self.store, f"SELECT DISTINCT ?qs ?x WHERE {{ ?qs {rel} ?x }} ORDER BY ?x", qs=qs):
                    shown += [(what, p) for p in self.passages.of(row["x"])]
            out.append(ResponseTime(qs, r["document"], self.label(qs), html_id("rt", _tail(qs)), int(r["questions"]),
                                    r["submitted"],
                                    r["answered"], int(r["days"]), r["postponed"] == "true", r["notice"], shown))
        return out

    def citations(self) -> tuple[list[Citation], int]:
        rows = _select(self.store, """SELECT DISTINCT ?citation ?type ?citing ?cited ?phrase ?bibliography WHERE {
          VALUES ?type { dkg:Footnote dkg:InTextReference }
          ?citation a ?type ; cito:hasCitingEntity ?citing .
          OPTIONAL { ?citation cito:hasCitedEntity ?cited }
          OPTIONAL { ?citation dkg:phrase ?phrase }
          OPTIONAL { ?citation dcterms:bibliographicCitation ?bibliography } }""")
        resolved = {r["citation"] for r in rows if r["cited"]}
        unresolved = {r["citation"] for r in rows if not r["cited"]} - resolved
        seen, out = set(), []
        for r in sorted(rows, key=lambda r: tuple(r[k] or "" for k in ("citation", "cited", "citing"))):
            if r["cited"] is None:
                continue
            if (r["citation"], r["cited"]) in seen:
                continue
            seen.add((r["citation"], r["cited"]))
            kind = "footnote" if r["type"].endswith("#Footnote") else "in-text reference"
            out.append(Citation(html_id("cite", _tail(r["citation"])), kind, r["citing"], self.label(r["citing"]),
                                self.doc_of(r["citing"]), r["cited"], self.label(r["cited"]), self.node_of(r["cited"]),
                                r["phrase"] or r["bibliography"] or "", self.passages.of(r["citation"])))
        return out, len(unresolved)

    def quotations(self) -> list[Citation]:
        out = []
        for r in _select(self.store, """SELECT DISTINCT ?block ?quoting ?passage ?verbatim WHERE {
            ?block dkg:quotes ?passage .
            ?quoting dcterms:isPartOf ?block ; prov:wasQuotedFrom ?passage ; dkg:verbatim ?verbatim .
          } ORDER BY ?block ?quoting ?passage"""):
            quoting, quoted = self.passages.span(r["quoting"]), self.passages.span(r["passage"])
            if quoting is None or quoted is None:
                continue
            source = self._block_at(r["passage"], quoted)
            out.append(Citation(html_id("quote", f"{_tail(r['block'])}-{quoting.key}"), "quotation", r["block"],
                                self.label(r["block"]), self.doc_of(r["block"]), source or r["passage"],
                                self.label(source) if source else quoted.file, self.node_of(source) if source else None,
                                quoting.marked, [quoting], r["verbatim"] == "true", quoted))
        return out

    def _block_at(self, span: str, passage: Passage) -> str | None:
        """The smallest block (or document) read from the span's file whose span holds the quoted passage."""
        rows = _select(self.store, """SELECT DISTINCT ?quoted ?block ?start ?end WHERE {
            ?quoted oa:hasSource ?file .
            ?block prov:wasDerivedFrom ?s .
            ?s oa:hasSource ?file ; oa:hasSelector ?p .
            ?p oa:start ?start ; oa:end ?end . }""", quoted=span)
        holding = sorted((int(r["end"]) - int(r["start"]), r["block"]) for r in rows
                         if int(r["start"]) <= passage.start and passage.end <= int(r["end"])
                         and self.doc_of(r["block"]) and r["block"] != span)
        return holding[0][1] if holding else None

    def reuses(self) -> tuple[list[Reuse], str, int]:
        """Answers reused across question sets at or above the canned query's default similarity, and how many
        answer pairs fall below it."""
        least = _default("reused-answers", "min")
        out = []
        for r in _canned(self.store, "reused-answers", min=least):
            out.append(Reuse(html_id("reuse", f"{_tail(r['answer_a'])}-{_tail(r['answer_b'])}"), r["similarity"],
                             (r["answer_a"], r["document_a"], r["number_a"]),
                             (r["answer_b"], r["document_b"], r["number_b"]),
                             self.passages.of(r["answer_a"]), self.passages.of(r["answer_b"])))
        every = len(_canned(self.store, "reused-answers", min="0"))
        return out, least, every - len(out)

    def passage_reuses(self) -> tuple[list[PassageReuse], str]:
        """Sentence-level reuse between documents (the spans themselves are reused), as `reused-passages`."""
        least = _default("reused-passages", "min")
        rows = _select(self.store, """SELECT DISTINCT ?reuse ?similarity ?a ?b WHERE {
            ?reuse a dkg:TextReuse ; dkg:similarity ?similarity ; dkg:reuses ?a , ?b .
            FILTER (STR(?a) < STR(?b))
            ?a a oa:SpecificResource . ?b a oa:SpecificResource . }""")
        out = []
        for r in rows:
            if float(r["similarity"]) < float(least):
                continue
            a, b = self.passages.span(r["a"]), self.passages.span(r["b"])
            if a is None or b is None:
                continue
            block_a, block_b = self._block_at(r["a"], a), self._block_at(r["b"], b)
            out.append(PassageReuse(html_id("passage-reuse", f"{a.key}-{b.key}"), r["similarity"], a, b,
                                    self.label(block_a) if block_a else a.file,
                                    self.label(block_b) if block_b else b.file))
        out.sort(key=lambda x: (-float(x.similarity), x.a.file, x.a.start, x.b.file, x.b.start))
        return out, least

    def build_info(self) -> tuple[str | None, str | None, list[tuple[str, str]]]:
        info = _select(self.store, """SELECT ?time ?title ?version WHERE {
            ?activity a prov:Activity ; prov:endedAtTime ?time .
            OPTIONAL { ?activity prov:wasAssociatedWith ?software .
                       OPTIONAL { ?software dcterms:title ?title } OPTIONAL { ?software dcterms:hasVersion ?version } }
          } ORDER BY DESC(?time) LIMIT 1""")
        sources = sorted({(r["file"], r["sha"]) for r in _select(self.store, """SELECT DISTINCT ?file ?sha WHERE {
            ?activity a prov:Activity ; prov:used ?f . ?f dcterms:identifier ?file ; dkg:sha256 ?sha }""")})
        if not info:
            return None, None, sources
        software = " ".join(x for x in (info[0]["title"], info[0]["version"]) if x) or None
        return info[0]["time"], software, sources


def network(docs: dict[str, Doc], citations: list[Citation], question_sets: list[str],
            answer_sets: dict[str, str]) -> tuple[list[Doc], list[Edge]]:
    """The documents and outlets that cite or are cited, and one edge per (citing, cited, kind)."""
    grouped: dict[tuple[str, str, str], list[Citation]] = {}
    for c in citations:
        if c.citing_doc and c.cited_node and c.citing_doc != c.cited_node:
            grouped.setdefault((c.citing_doc, c.cited_node, c.kind), []).append(c)
    used = set(question_sets) | set(answer_sets.values())
    for s, t, _k in grouped:
        used |= {s, t}
    nodes = [docs[i] for i in sorted(used) if i in docs]
    edges = [Edge(s, t, k, grouped[(s, t, k)]) for s, t, k in sorted(grouped)]
    return nodes, edges


def read_report(store: ox.Store, dossier: Path) -> Report:
    reader = _Reader(store, dossier)
    built, software, sources = reader.build_info()
    citations, unresolved = reader.citations()
    quotations = reader.quotations()
    reuses, reuse_min, weaker = reader.reuses()
    passage_reuses, passage_min = reader.passage_reuses()
    question_sets = sorted(i for i, d in reader.docs.items() if d.kind == "questions")
    answer_sets = {r["qs"]: r["as"] for r in _select(store, "SELECT DISTINCT ?qs ?as WHERE { ?qs dkg:answerSet ?as }")}
    nodes, edges = network(reader.docs, citations + quotations, question_sets, answer_sets)
    return Report(built, software, sources, reader.docs, reader.events(), reader.instruments(),
                  reader.response_times(), quotations, reuses, reuse_min, weaker, passage_reuses,
                  passage_min, citations, unresolved, nodes, edges,
                  answer_sets)


def _tail(iri: str) -> str:
    """The IRI's path after the base (…/id/), for ids and fallbacks."""
    return iri.split("/id/", 1)[1] if "/id/" in iri else iri.rsplit("/", 1)[-1]
