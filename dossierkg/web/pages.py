"""The data behind the HTML pages, read from the store inside a worker; plain dicts, rendered by app.py.

A resource page shows the resource's statements (values linked to their local pages), the statements
that point to it, and where it was read from: for each prov:wasDerivedFrom span, the source file (its
dcterms:identifier names the file in the dossier folder), the line and offsets, and the passage with the
span marked and some text before and after it. The offsets are code points of the decoded file, so the
file is decoded exactly as the build decoded it.

The union of the named graphs holds a statement once per graph that states it, so everything here is
de-duplicated.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ..export import PREFIXES
from ..parse.decode import UnreadableInput, decode

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/title",
          "http://www.w3.org/2004/02/skos/core#prefLabel", "http://xmlns.com/foaf/0.1/name",
          "https://schema.org/name", "https://schema.org/headline", "http://purl.org/dc/terms/identifier")
OA = "http://www.w3.org/ns/oa#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DKG = PREFIXES["dkg"]
CONTEXT_CHARS = 240  # characters of context shown before and after a span
MAX_INCOMING = 300
SPAN_TYPES = {OA + "SpecificResource"}


class Site:
    """How IRIs map to this server: `base` + path is served at /id/path; other IRIs at /resource?iri=…"""

    def __init__(self, base: str):
        self.base = base

    def href(self, iri: str, known: bool = True) -> str | None:
        if iri.startswith(self.base):
            rest, _, fragment = iri[len(self.base):].partition("#")
            return "/id/" + quote(rest, safe="/:@-._~!$&'()*+,;=") + (f"#{quote(fragment)}" if fragment else "")
        if known:
            return "/resource?iri=" + quote(iri, safe="")
        return iri if iri.startswith(("http://", "https://")) else None

    def local_path(self, path: str) -> str:
        return self.base + path


def short(iri: str, base: str | None = None) -> str:
    """A prefixed name where a known prefix fits (dkg:text), the path for an IRI under the base, else the IRI."""
    if base and iri.startswith(base):
        return iri[len(base):]
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _distinct(quads) -> list[tuple]:
    seen, out = set(), []
    for q in quads:
        t = (q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def outgoing(store: ox.Store, iri: str) -> list[tuple]:
    return _distinct(store.quads_for_pattern(ox.NamedNode(iri), None, None, None))


def incoming(store: ox.Store, iri: str, limit: int = MAX_INCOMING) -> list[tuple]:
    out = _distinct(store.quads_for_pattern(None, None, ox.NamedNode(iri), None))
    return out[:limit]


def exists(store: ox.Store, iri: str) -> bool:
    node = ox.NamedNode(iri)
    for _ in store.quads_for_pattern(node, None, None, None):
        return True
    for _ in store.quads_for_pattern(None, None, node, None):
        return True
    return False


def label(store: ox.Store, node) -> str | None:
    if not isinstance(node, ox.NamedNode):
        return None
    values = {}
    for q in store.quads_for_pattern(node, None, None, None):
        p = q.predicate.value
        if p in LABELS and isinstance(q.object, ox.Literal) and p not in values:
            values[p] = q.object.value
    for p in LABELS:
        if p in values:
            return values[p]
    return None


def description(store: ox.Store, iri: str) -> list[tuple]:
    """The triples of the document at `iri`: its own statements, those of its #fragments (a span's
    selectors) and of blank nodes reached from them (a Concise Bounded Description)."""
    out, seen, todo = [], set(), [ox.NamedNode(iri)]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in _distinct(store.quads_for_pattern(node, None, None, None)):
            out.append(ox.Triple(*t))
            o = t[2]
            if isinstance(o, ox.BlankNode) or (isinstance(o, ox.NamedNode) and o.value.startswith(iri + "#")):
                todo.append(o)
    return out


class Pages:
    def __init__(self, store: ox.Store, site: Site, dossier: Path):
        self.store, self.site, self.dossier = store, site, dossier
        self._labels: dict[str, str | None] = {}

    # --- terms -----------------------------------------------------------------------------------------

    def label(self, node) -> str | None:
        key = str(node)
        if key not in self._labels:
            self._labels[key] = label(self.store, node)
            if self._labels[key] is None and isinstance(node, ox.NamedNode) and node.value.startswith(self.site.base):
                props: dict[str, list] = {}
                for _s, p, o in outgoing(self.store, node.value):
                    props.setdefault(p.value, []).append(o)
                self._labels[key] = self.title(node.value, props)
        return self._labels[key]

    def term(self, node) -> dict:
        if isinstance(node, ox.NamedNode):
            known = exists(self.store, node.value) if not node.value.startswith(self.site.base) else True
            return {"kind": "iri", "value": node.value, "short": short(node.value, self.site.base), "label": self.label(node),
                    "href": self.site.href(node.value, known)}
        if isinstance(node, ox.BlankNode):
            return {"kind": "bnode", "value": "_:" + node.value, "short": "_:" + node.value, "label": None,
                    "href": None}
        if isinstance(node, ox.Literal):
            dt = node.datatype.value if node.datatype else ""
            return {"kind": "literal", "value": node.value, "lang": node.language,
                    "datatype": None if node.language or dt.endswith("#string") else short(dt)}
        return {"kind": "literal", "value": str(node), "lang": None, "datatype": None}

    # --- a resource ------------------------------------------------------------------------------------

    def resource(self, iri: str) -> dict | None:
        out = outgoing(self.store, iri)
        inc = incoming(self.store, iri)
        if not out and not inc:
            return None
        props: dict[str, list] = {}
        types = []
        for _s, p, o in out:
            if p.value == RDF_TYPE:
                types.append(self.term(o))
            props.setdefault(p.value, []).append(o)
        order = sorted(props, key=lambda p: (p != RDF_TYPE, short(p)))
        properties = [{"predicate": self.term(ox.NamedNode(p)),
                       "values": [self.term(o) for o in sorted(props[p], key=_sort_key)]} for p in order]
        incoming_rows = [{"subject": self.term(s), "predicate": self.term(p)}
                         for s, p, _o in sorted(inc, key=lambda t: (short(t[1].value), t[0].value))]
        fragments = []
        for node in sorted({o for _s, _p, o in out if isinstance(o, ox.NamedNode) and o.value.startswith(iri + "#")},
                           key=lambda n: n.value):
            fragments.append({"id": node.value.split("#", 1)[1], "term": self.term(node),
                              "properties": [{"predicate": self.term(p), "values": [self.term(o)]}
                                             for _s, p, o in sorted(outgoing(self.store, node.value),
                                                                    key=lambda t: (t[1] != ox.NamedNode(RDF_TYPE),
                                                                                   short(t[1].value)))]})
        spans = [o for _s, p, o in out if p.value == PROV_DERIVED and isinstance(o, ox.NamedNode)]
        if any(t["value"] in SPAN_TYPES for t in types):
            spans.insert(0, ox.NamedNode(iri))
        provenance = [p for p in (self.passage(s) for s in spans) if p]
        provenance.sort(key=lambda p: (p["file"], p["start"]))
        return {"iri": iri, "label": self.title(iri, props), "short": short(iri, self.site.base), "types": types,
                "properties": properties, "incoming": incoming_rows, "incoming_capped": len(inc) >= MAX_INCOMING,
                "fragments": fragments, "provenance": provenance}

    def title(self, iri: str, props: dict[str, list]) -> str | None:
        """The resource's label; for a question, answer, footnote or section without one: "Antwoord 2 —
        <its document>"."""
        found = label(self.store, ox.NamedNode(iri))
        if found:
            return found
        kinds = {DKG + "Question": "Vraag", DKG + "Answer": "Antwoord", DKG + "Footnote": "Voetnoot",
                 DKG + "Section": "Sectie", DKG + "Advice": "Advies", DKG + "InTextReference": "Verwijzing"}
        kind = next((kinds[t.value] for t in props.get(RDF_TYPE, []) if t.value in kinds), None)
        number = next((o.value for p in (DKG + "numberLabel", DKG + "printedLabel", DKG + "number")
                       for o in props.get(p, [])), None)
        parents = props.get("http://purl.org/dc/terms/isPartOf", [])
        parent = self.label(parents[0]) or short(parents[0].value, self.site.base) if parents else None
        if kind:
            return " ".join(x for x in (kind, number) if x) + (f" — {parent}" if parent else "")
        if DKG + "PostponementNotice" in {t.value for t in props.get(RDF_TYPE, [])}:
            date = next((o.value for o in props.get(DKG + "datePostponed", [])), None)
            postponed = props.get(DKG + "postpones", [])
            of = (self.label(postponed[0]) or short(postponed[0].value, self.site.base)) if postponed else None
            return "Uitstel" + (f" {date}" if date else "") + (f" — {of}" if of else "")
        if OA + "SpecificResource" in {t.value for t in props.get(RDF_TYPE, [])} and iri.startswith(self.site.base):
            stem, _, offsets = iri[len(self.site.base):].removeprefix("bron/").rpartition("/")
            return f"Passage {offsets} of {stem}"
        return None

    def passage(self, span: ox.NamedNode) -> dict | None:
        """A span as file, line, offsets and the passage with the span marked (None if it is not a span)."""
        source = start = end = line = exact = None
        for _s, p, o in outgoing(self.store, span.value):
            if p.value == OA + "hasSource":
                source = o
            elif p.value == OA + "hasSelector":
                for _s2, p2, o2 in outgoing(self.store, o.value):
                    key = p2.value
                    if key == OA + "start":
                        start = int(o2.value)
                    elif key == OA + "end":
                        end = int(o2.value)
                    elif key == DKG + "line":
                        line = int(o2.value)
                    elif key == OA + "exact":
                        exact = o2.value
        if source is None or start is None or end is None:
            return None
        file = None
        for _s, p, o in outgoing(self.store, source.value):
            if p.value == "http://purl.org/dc/terms/identifier":
                file = o.value
        out = {"span": self.term(span), "source": self.term(source), "file": file, "start": start, "end": end,
               "line": line, "before": "", "marked": exact or "", "after": "", "status": ""}
        text = self.source_text(file) if file else None
        if text is None:
            out["status"] = f"source file {file} is not in {self.dossier.name}/; showing the quoted text only"
        elif exact is not None and text[start:end] != exact:
            out["status"] = f"{file} has changed since the build: the offsets no longer select the quoted text"
        else:
            out["before"] = text[max(0, start - CONTEXT_CHARS):start]
            out["marked"] = text[start:end]
            out["after"] = text[end:end + CONTEXT_CHARS]
            out["clipped_before"], out["clipped_after"] = start > CONTEXT_CHARS, end + CONTEXT_CHARS < len(text)
        return out

    def source_text(self, file: str) -> str | None:
        if "/" in file or "\\" in file or file.startswith("."):
            return None
        return _read_source(self.dossier / file)

    # --- the dossier overview --------------------------------------------------------------------------

    def select(self, text: str) -> list[dict]:
        prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
        prologue += "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
        res = self.store.query(prologue + text)  # the default graph holds the union of the named graphs
        names = [v.value for v in res.variables]
        return [{n: s[n] for n in names} for s in res]

    def overview(self) -> dict:
        docs = self.select("""
            SELECT DISTINCT ?doc ?type ?id ?title ?label ?date ?file WHERE {
              VALUES ?type { dkg:QuestionSet dkg:AnswerSet dkg:PostponementNotice dkg:Letter dkg:DecisionNote }
              ?doc a ?type ; dkg:renderedIn ?source .
              ?source dcterms:identifier ?file .
              OPTIONAL { ?doc dcterms:identifier ?id }
              OPTIONAL { ?doc dcterms:title ?title }
              OPTIONAL { ?doc rdfs:label ?label }
              OPTIONAL { ?doc dcterms:dateSubmitted|dkg:dateReceived|dkg:datePostponed|eli:date_document ?date }
            } ORDER BY ?file ?type ?doc""")
        documents: dict[str, dict] = {}
        for r in docs:
            key = r["doc"].value
            d = documents.setdefault(key, {"doc": self.term(r["doc"]), "type": short(r["type"].value),
                                           "id": None, "title": None, "date": None, "files": []})
            d["id"] = d["id"] or (r["id"].value if r["id"] else None)
            d["title"] = d["title"] or _v(r["title"]) or _v(r["label"])
            d["date"] = d["date"] or _v(r["date"])
            if r["file"].value not in d["files"]:
                d["files"].append(r["file"].value)
        cited = self.select("""
            SELECT DISTINCT ?doc ?id WHERE {
              ?doc a dkg:ParliamentaryDocument ; dcterms:identifier ?id .
              FILTER NOT EXISTS { ?doc dkg:renderedIn ?f }
            } ORDER BY ?id""")
        return {"documents": sorted(documents.values(), key=lambda d: (d["date"] or "", d["files"])),
                "cited_documents": [{"doc": self.term(r["doc"]), "id": r["id"].value} for r in cited],
                "timeline": self.timeline(),
                "question_sets": self.question_sets(), "footnotes": self.footnotes(),
                "references": self.references(), "postponements": self.postponements()}

    def timeline(self) -> list[dict]:
        """The canned query `timeline`, with a label for every event's resource."""
        from ..queries import get

        res = self.store.query(get("timeline").text)
        out = []
        for row in res:
            resource = row["resource"]
            out.append({"date": row["date"].value, "event": row["event"].value, "resource": self.term(resource),
                        "label": _v(row["label"]) or self.label(resource) or short(resource.value, self.site.base)})
        return out

    def question_sets(self) -> list[dict]:
        sets = self.select("""
            SELECT DISTINCT ?qs ?label ?submitted ?as ?answered WHERE {
              ?qs a dkg:QuestionSet .
              OPTIONAL { ?qs rdfs:label ?label }
              OPTIONAL { ?qs dcterms:dateSubmitted ?submitted }
              OPTIONAL { ?qs dkg:answerSet ?as . OPTIONAL { ?as dkg:dateReceived ?answered } }
            } ORDER BY ?submitted ?qs""")
        blocks = self.select("""
            SELECT DISTINCT ?block ?kind ?set ?n ?label ?text ?answers WHERE {
              VALUES ?kind { dkg:Question dkg:Answer }
              ?block a ?kind ; dcterms:isPartOf ?set .
              OPTIONAL { ?block dkg:number ?n }
              OPTIONAL { ?block dkg:numberLabel ?label }
              OPTIONAL { ?block dkg:text ?text }
              OPTIONAL { ?block dkg:answers ?answers }
            }""")
        by_set: dict[str, dict[str, dict]] = {}
        for r in blocks:
            b = by_set.setdefault(r["set"].value, {}).setdefault(r["block"].value, {
                "block": self.term(r["block"]), "kind": "question" if r["kind"].value.endswith("Question") else "answer",
                "numbers": set(), "label": _v(r["label"]), "text": _v(r["text"]), "answers": set()})
            if r["n"] is not None:
                b["numbers"].add(int(r["n"].value))
            if r["answers"] is not None:
                b["answers"].add(r["answers"].value)
        out, seen = [], set()
        for r in sets:
            key = r["qs"].value
            if key in seen:
                continue
            seen.add(key)
            questions = sorted(by_set.get(key, {}).values(), key=_block_order)
            answers = sorted(by_set.get(r["as"].value, {}).values(), key=_block_order) if r["as"] else []
            out.append({"set": self.term(r["qs"]), "label": _v(r["label"]), "submitted": _v(r["submitted"]),
                        "answer_set": self.term(r["as"]) if r["as"] else None, "answered": _v(r["answered"]),
                        "blocks": _interleave(questions, answers)})
        return out

    def footnotes(self) -> list[dict]:
        rows = self.select("""
            SELECT DISTINCT ?note ?n ?text ?citing ?cited ?headline ?url ?publisher WHERE {
              ?note a dkg:Footnote .
              OPTIONAL { ?note dkg:number ?n }
              OPTIONAL { ?note dcterms:bibliographicCitation ?text }
              OPTIONAL { ?note cito:hasCitingEntity ?citing }
              OPTIONAL { ?note cito:hasCitedEntity ?cited .
                         OPTIONAL { ?cited schema:headline ?headline }
                         OPTIONAL { ?cited schema:url ?url }
                         OPTIONAL { ?cited schema:publisher/schema:name ?publisher } }
            } ORDER BY ?note ?citing""")
        return self._group(rows, "note", ("citing", "cited"))

    def references(self) -> list[dict]:
        rows = self.select("""
            SELECT DISTINCT ?ref ?phrase ?citing ?cited WHERE {
              ?ref a dkg:InTextReference .
              OPTIONAL { ?ref dkg:phrase ?phrase }
              OPTIONAL { ?ref cito:hasCitingEntity ?citing }
              OPTIONAL { ?ref cito:hasCitedEntity ?cited }
            } ORDER BY ?ref""")
        return self._group(rows, "ref", ("citing", "cited"))

    def postponements(self) -> list[dict]:
        rows = self.select("""
            SELECT DISTINCT ?notice ?date ?postpones ?file WHERE {
              ?notice a dkg:PostponementNotice .
              OPTIONAL { ?notice dkg:datePostponed ?date }
              OPTIONAL { ?notice dkg:postpones ?postpones }
              OPTIONAL { ?notice dkg:renderedIn/dcterms:identifier ?file }
            } ORDER BY ?date ?notice""")
        return self._group(rows, "notice", ("postpones",))

    def _group(self, rows: list[dict], key: str, multi: tuple[str, ...]) -> list[dict]:
        out: dict[str, dict] = {}
        for r in rows:
            item = out.setdefault(r[key].value, {"iri": self.term(r[key]), **{m: [] for m in multi}})
            for name, value in r.items():
                if name == key or value is None:
                    continue
                if name in multi:
                    if all(t["value"] != value.value for t in item[name]):
                        item[name].append(self.term(value))
                elif name not in item or item[name] is None:
                    item[name] = value.value
        return list(out.values())


def _v(node) -> str | None:
    return None if node is None else node.value


def _sort_key(node):
    return (not isinstance(node, ox.NamedNode), str(node))


def _block_order(b: dict):
    return (min(b["numbers"]) if b["numbers"] else 10**6, b["block"]["value"])


def _interleave(questions: list[dict], answers: list[dict]) -> list[dict]:
    """Each answer after the questions it answers; questions nobody answered at their place; sets to lists."""
    shown, items = set(), []
    by_iri = {q["block"]["value"]: q for q in questions}
    for a in answers:
        for q in sorted((by_iri[i] for i in a["answers"] if i in by_iri), key=_block_order):
            # questions before this one that no answer covers keep their place
            for earlier in questions:
                if _block_order(earlier) < _block_order(q) and earlier["block"]["value"] not in shown:
                    if not any(earlier["block"]["value"] in x["answers"] for x in answers):
                        shown.add(earlier["block"]["value"])
                        items.append(earlier)
            if q["block"]["value"] not in shown:
                shown.add(q["block"]["value"])
                items.append(q)
        items.append(a)
    items += [q for q in questions if q["block"]["value"] not in shown]
    for b in items:
        b["numbers"] = sorted(b["numbers"])
        b["answers"] = sorted(b["answers"])
    return items


@lru_cache(maxsize=32)
def _read_source(path: Path) -> str | None:
    try:
        return decode(path.read_bytes()).text
    except (OSError, UnreadableInput):
        return None
