"""Records -> triples, one small function per record type, no I/O.

`map_document` returns the triples of one source file's named graph. Every extracted resource gets
`prov:wasDerivedFrom` the span it was read from (provenance.span_triples).
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from .iris import Minter, TOOI_MINISTRIES, slug
from .namespace import CITO, DCTERMS, DKG, ELI, FOAF, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from .provenance import number_literal, span_triples, text_literal
from .records import Block, Document, Footnote, Person, Reference
from .resolve import Resolution

QUESTION_KINDS = ("written-questions", "written-questions-with-answers", "postponement-notice")


_SPACE = re.compile(r"\s+")


def locate(text: str, phrase: str | None, start: int = 0) -> tuple[int, int] | None:
    """Where a whitespace-normalised phrase first stands in the raw text (any whitespace between its words):
    its first word found, then each next word after whitespace (what the regex of the words joined by
    whitespace finds, without compiling one per phrase: most phrases are a title or a name met once)."""
    words = phrase.split() if phrase else None
    if not words:
        return None
    first, *rest = words
    at = text.find(first, start)
    while at >= 0:
        end = at + len(first)
        for word in rest:
            gap = _SPACE.match(text, end)
            if gap is None or not text.startswith(word, gap.end()):
                break
            end = gap.end() + len(word)
        else:
            return at, end
        at = text.find(first, at + 1)
    return None


class Mapper:
    """Collects the triples of one document's graph."""

    def __init__(self, doc: Document, text: str, res: Resolution, minter: Minter, texts: dict[str, str]):
        self.doc, self.text, self.res, self.m = doc, text, res, minter
        self.res_texts = texts  # every source's text: quotations point into other files
        self.triples: list[tuple] = []
        self.whole = (0, len(text.rstrip()))

    def add(self, s, p, o) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    def derive(self, resource: URIRef, span: tuple[int, int] | None) -> URIRef:
        a, b = span or self.whole
        iri, triples = span_triples(self.m, self.doc.source, self.text, a, b)
        self.triples.extend(triples)
        self.add(resource, PROV.wasDerivedFrom, iri)
        return iri

    def nl(self, value: str | None) -> Literal | None:
        return text_literal(value, "nl") if value else None


def _date(value: str | None) -> Literal | None:
    return Literal(value, datatype=XSD.date) if value else None


def map_person(mp: Mapper, person: Person, span) -> URIRef | None:
    if not person.name:
        return None
    name = mp.res.person(person.name)
    iri = mp.m.person(name)
    mp.add(iri, RDF.type, DKG.Person)
    mp.add(iri, RDF.type, FOAF.Person)
    mp.add(iri, FOAF.name, Literal(name))
    mp.derive(iri, span)
    if person.party:
        party = mp.m.party(person.party)
        mp.add(party, RDF.type, DKG.Party)
        mp.add(party, RDF.type, ORG.FormalOrganization)
        mp.add(party, SKOS.prefLabel, Literal(person.party))
        mp.add(iri, DKG.memberOfParty, party)
        mp.derive(party, span)
    if person.role:
        post = map_post(mp, person.role, span)
        mp.add(iri, ORG.holds, post)
        mp.add(post, ORG.heldBy, iri)
    return iri


def map_post(mp: Mapper, role: str, span) -> URIRef:
    post = mp.m.post(role)
    mp.add(post, RDF.type, DKG.Post)
    mp.add(post, RDF.type, ORG.Post)
    mp.add(post, RDFS.label, Literal(role, lang="nl"))
    m = re.match(r"(?:Minister|Staatssecretaris|Minister-president)\s+(?:van|voor)\s+(.+)$", role)
    if m and m.group(1) in TOOI_MINISTRIES or (m and role.split(" ", 2)[1] == "van"):
        ministry = mp.m.ministry(m.group(1))
        mp.add(ministry, RDF.type, DKG.Ministry)
        mp.add(ministry, RDF.type, ORG.FormalOrganization)
        mp.add(ministry, SKOS.prefLabel, Literal(f"Ministerie van {m.group(1)}", lang="nl"))
        mp.add(post, ORG.postIn, ministry)
        mp.derive(ministry, span)
    mp.derive(post, span)
    return post


def _person_span(mp: Mapper, person: Person):
    return locate(mp.text, person.name) or locate(mp.text, person.role)


def set_label(what: str, submitters, date: str | None) -> str:
    """'Vragen van Jasper van Dijk (2022-09-23)': a readable name for a question or answer set."""
    names = " en ".join(p.name for p in submitters if p.name) or "onbekende indieners"
    return f"{what} van {names}" + (f" ({date})" if date else "")


def map_question_set(mp: Mapper) -> tuple[URIRef, URIRef | None]:
    doc, m = mp.doc, mp.m
    qset = m.document(mp.res.question_set[doc.source])
    ident = mp.res.question_set[doc.source]
    mp.add(qset, RDF.type, DKG.QuestionSet)
    mp.add(qset, RDF.type, ELI.Work)
    mp.add(qset, RDF.type, PROV.Entity)
    if ident.startswith("kv-tk-"):
        mp.add(qset, DCTERMS.identifier, Literal(ident))
    mp.add(qset, DCTERMS.title, mp.nl(doc.title))
    mp.add(qset, RDFS.label, Literal(set_label("Vragen", doc.submitters, doc.submitted), lang="nl"))
    mp.add(qset, DCTERMS.dateSubmitted, _date(doc.submitted))
    mp.add(qset, DKG.renderedIn, m.source(doc.source))
    mp.derive(qset, locate(mp.text, doc.title))
    # the case only where this text states its number (the question document 003 does not)
    zaak = next((i for i in doc.identifiers if re.fullmatch(r"\d{4}Z\d{5}", i)), None)
    if zaak is None and ident in doc.identifiers and ident.startswith("kv-tk-"):
        zaak = ident[len("kv-tk-"):]
    if zaak:
        case = m.case(zaak)
        mp.add(case, RDF.type, DKG.Case)
        mp.add(case, DCTERMS.identifier, Literal(zaak))
        mp.add(qset, DKG.case, case)
        mp.derive(case, locate(mp.text, zaak) or locate(mp.text, "kv-tk-" + zaak))
    for p in doc.submitters:
        person = map_person(mp, p, _person_span(mp, p))
        mp.add(qset, DKG.submittedBy, person)
    for p in doc.addressees:
        if p.role:
            mp.add(qset, DKG.addressedTo, map_post(mp, p.role, locate(mp.text, p.role)))
    aset = None
    if doc.answers or doc.answered:
        aset = map_answer_set(mp, qset)
    for date in doc.postponements:
        map_postponement(mp, qset, date)
    return qset, aset


def map_answer_set(mp: Mapper, qset: URIRef) -> URIRef:
    doc, m = mp.doc, mp.m
    ident = mp.res.answer_set.get(doc.source) or f"{mp.res.question_set[doc.source]}-antwoorden"
    aset = m.document(ident)
    mp.add(aset, RDF.type, DKG.AnswerSet)
    mp.add(aset, RDF.type, ELI.Work)
    mp.add(aset, RDF.type, PROV.Entity)
    if ident.startswith("ah-tk-"):
        mp.add(aset, DCTERMS.identifier, Literal(ident))
    mp.add(aset, DKG.questionSet, qset)
    mp.add(qset, DKG.answerSet, aset)
    mp.add(aset, DKG.dateReceived, _date(doc.answered))
    mp.add(aset, RDFS.label, Literal(set_label("Antwoorden op vragen", doc.submitters, doc.answered), lang="nl"))
    mp.add(aset, DKG.renderedIn, m.source(doc.source))
    mp.derive(aset, locate(mp.text, "Antwoord van") or locate(mp.text, "Beantwoord") or locate(mp.text, ident))
    for p in doc.answerers:
        span = _person_span(mp, p)
        person = map_person(mp, p, span)
        if person is None:
            continue
        mp.add(aset, DKG.answeredBy, person)
        mp.add(aset, PROV.wasAttributedTo, person)
        attribution = URIRef(f"{aset}/toeschrijving/{slug(mp.res.person(p.name))}")
        mp.add(aset, PROV.qualifiedAttribution, attribution)
        mp.add(attribution, RDF.type, PROV.Attribution)
        mp.add(attribution, PROV.agent, person)
        mp.add(attribution, PROV.hadRole, DKG.AnsweringRole)
        mp.derive(attribution, span)
        for other in p.on_behalf_of:
            if not other.role:
                continue
            post = map_post(mp, other.role, locate(mp.text, other.role))
            behalf = URIRef(f"{aset}/toeschrijving/{slug(other.role)}")
            mp.add(aset, PROV.qualifiedAttribution, behalf)
            mp.add(behalf, RDF.type, PROV.Attribution)
            mp.add(behalf, PROV.agent, post)
            mp.add(behalf, PROV.hadRole, DKG.OnBehalfOfRole)
            mp.derive(behalf, locate(mp.text, "mede namens") or span)
    return aset


def map_postponement(mp: Mapper, qset: URIRef, date: str) -> URIRef:
    notice = mp.m.part(qset, "uitstel", date)
    mp.add(notice, RDF.type, DKG.PostponementNotice)
    mp.add(notice, RDF.type, PROV.Entity)
    mp.add(notice, DKG.postpones, qset)
    mp.add(qset, DKG.postponedBy, notice)
    mp.add(notice, DKG.datePostponed, _date(date))
    mp.add(notice, ELI.date_document, _date(date))
    mp.add(notice, DKG.renderedIn, mp.m.source(mp.doc.source))
    mp.derive(notice, locate(mp.text, "Mededeling"))
    return notice


def number_label(block: Block) -> str:
    """The numbers as printed: 'Antwoord 2 en 3' -> '2 en 3'; an unlabelled block gets '2 en 3' too."""
    m = re.search(r"\d.*$", block.label or "")
    return m.group(0).rstrip(".:) ") if m else " en ".join(map(str, block.numbers))


def map_block(mp: Mapper, block: Block, parent: URIRef) -> URIRef:
    cls = DKG.Question if block.kind == "question" else DKG.Answer
    iri = (mp.m.question if block.kind == "question" else mp.m.answer)(parent, block.numbers)
    mp.add(iri, RDF.type, cls)
    mp.add(iri, RDF.type, SCHEMA.Question if block.kind == "question" else SCHEMA.Answer)
    mp.add(iri, DCTERMS.isPartOf, parent)
    for n in block.numbers:
        mp.add(iri, DKG.number, number_literal(n, XSD.integer))
    mp.add(iri, DKG.printedLabel, text_literal(block.label) if block.label else None)
    mp.add(iri, DKG.numberLabel, text_literal(number_label(block)))
    mp.add(iri, DKG.text, mp.nl(block.text))
    mp.derive(iri, block.span)
    return iri


def map_footnote(mp: Mapper, note: Footnote, owner: URIRef, citing: list[URIRef]) -> URIRef:
    iri = mp.m.part(owner, "voetnoot", str(note.number))
    mp.add(iri, RDF.type, DKG.Footnote)
    mp.add(iri, RDF.type, CITO.Citation)
    mp.add(iri, DKG.number, Literal(note.number, datatype=XSD.integer))
    mp.add(iri, DCTERMS.bibliographicCitation, Literal(note.text))
    for c in citing:
        mp.add(iri, CITO.hasCitingEntity, c)
    mp.derive(iri, note.span)
    cited = None
    if note.reference:
        cited = map_cited_document(mp, note.reference, note.span)
    elif note.publisher or note.title or note.url:
        cited = mp.m.news_article(note.publisher, note.date, note.title, note.url)
        mp.add(cited, RDF.type, DKG.NewsArticle)
        mp.add(cited, RDF.type, SCHEMA.NewsArticle)
        mp.add(cited, SCHEMA.headline, Literal(note.title) if note.title else None)
        mp.add(cited, SCHEMA.datePublished, _date(note.date))
        if note.url:
            url = note.url if re.match(r"https?://", note.url) else "https://" + note.url
            mp.add(cited, SCHEMA.url, Literal(url, datatype=XSD.anyURI))
        if note.publisher:
            outlet = mp.m.outlet(note.publisher)
            mp.add(outlet, RDF.type, DKG.NewsOutlet)
            mp.add(outlet, RDF.type, SCHEMA.NewsMediaOrganization)
            mp.add(outlet, SCHEMA.name, Literal(note.publisher))
            mp.add(cited, SCHEMA.publisher, outlet)
            mp.derive(outlet, note.span)
        mp.derive(cited, note.span)
    if cited is not None:
        mp.add(iri, CITO.hasCitedEntity, cited)
        for c in citing:
            mp.add(c, CITO.cites, cited)
    return iri


def map_cited_document(mp: Mapper, identifier: str, span, in_header: bool = False) -> URIRef:
    """A document a reference cites. An Aanhangsel number cited in the text is an answer set; one in a header
    ("Zie ook …", often the postponement notice) or a notice's number is only known to be a document."""
    iri = mp.m.document(identifier)
    kind = DKG.ParliamentaryDocument
    if identifier.startswith("ah-tk-") and identifier not in mp.res.notices and not in_header:
        kind = DKG.AnswerSet
    elif re.fullmatch(r"\d{4}Z\d{5}", identifier):
        iri = mp.m.case(identifier)
        kind = DKG.Case
    mp.add(iri, RDF.type, kind)
    mp.add(iri, DCTERMS.identifier, Literal(identifier))
    mp.derive(iri, span)
    return iri


def map_reference(mp: Mapper, ref: Reference, index: int, citing: URIRef, target: URIRef | None) -> URIRef:
    iri = URIRef(f"{citing}/verwijzing/{index}")
    mp.add(iri, RDF.type, DKG.InTextReference)
    mp.add(iri, RDF.type, CITO.Citation)
    mp.add(iri, CITO.hasCitingEntity, citing)
    mp.add(iri, DKG.phrase, Literal(ref.text))
    if target is not None:
        mp.add(iri, CITO.hasCitedEntity, target)
        mp.add(citing, DCTERMS.references, target)
    mp.derive(iri, ref.span)
    return iri


def _where(block: Block) -> str:
    return f"{block.kind} {' en '.join(map(str, block.numbers))}"


def map_questions_and_answers(mp: Mapper) -> dict[str, URIRef]:
    """Question set, answer set, questions, answers, footnotes and references of a Kamervragen text."""
    doc = mp.doc
    qset, aset = map_question_set(mp)
    iris: dict[str, URIRef] = {}
    by_number: dict[int, URIRef] = {}
    for q in doc.questions:
        iri = map_block(mp, q, qset)
        iris[_where(q)] = iri
        for n in q.numbers:
            by_number[n] = iri
    answer_by_number: dict[int, URIRef] = {}
    for a in doc.answers:
        iri = map_block(mp, a, aset)
        iris[_where(a)] = iri
        for n in a.numbers:
            answer_by_number[n] = iri
            if n in by_number:
                mp.add(iri, DKG.answers, by_number[n])
            else:
                mp.add(iri, DKG.answers, mp.m.question(qset, (n,)))
    for a in doc.answers:
        for n in a.refers_to:
            if n in answer_by_number:
                mp.add(iris[_where(a)], DKG.refersToAnswer, answer_by_number[n])
    for note in doc.footnotes:
        citing = []
        for w in note.markers_in:
            key = w if w in iris else None
            if key is None:  # 'question 8 en 9' written with the printed numbers
                nums = [int(x) for x in re.findall(r"\d+", w)]
                kind = w.split(" ")[0]
                key = next((k for k in iris if k.startswith(kind) and
                            [int(x) for x in re.findall(r"\d+", k)] == nums), None)
            if key:
                citing.append(iris[key])
        in_answers = bool(citing) and all("antwoord" in str(c) for c in citing)
        owner = aset if in_answers and aset is not None else qset
        map_footnote(mp, note, owner, citing)
    _map_references(mp, iris, answer_by_number, header=aset if aset is not None else qset)
    return iris


def _map_references(mp: Mapper, iris: dict[str, URIRef], answer_by_number: dict[int, URIRef],
                    header: URIRef | None = None) -> None:
    """The in-text references of the blocks, and of the header ("Zie ook Aanhangsel …" under "Antwoord van …"):
    cited by the set whose header it stands in."""
    counters: dict[URIRef, int] = {}
    for ref in mp.doc.references:
        citing = header if ref.in_ == "header" else iris.get(ref.in_) or _match_where(iris, ref.in_)
        if citing is None:
            continue
        counters[citing] = counters.get(citing, 0) + 1
        target = None
        if ref.kind == "answer":
            targets = [answer_by_number[n] for n in ref.numbers if n in answer_by_number]
            target = targets[0] if len(set(targets)) == 1 else None
            for t in dict.fromkeys(targets):
                if target is None:
                    mp.add(citing, DCTERMS.references, t)
        else:
            ident = mp.res.targets.get((mp.doc.source, ref.span))
            if ident:
                target = map_cited_document(mp, ident, ref.span, ref.in_ == "header") \
                    if not ident.startswith("beslisnota-") \
                    else mp.m.document(ident)
                if ident.startswith("beslisnota-"):
                    mp.add(target, RDF.type, DKG.DecisionNote)
                    mp.derive(target, ref.span)
                    date = mp.res.inferred_dates.get(ident)
                    if date and date[1] == mp.doc.source and date[2].span == ref.span:
                        mp.add(target, ELI.date_document, _date(date[0]))
                if ident.startswith("kst-") and ref.date:
                    mp.add(target, RDF.type, DKG.Letter)
                    mp.add(target, ELI.date_document, _date(ref.date))
        map_reference(mp, ref, counters[citing], citing, target)


def _match_where(iris: dict[str, URIRef], where: str) -> URIRef | None:
    kind = where.split(" ")[0]
    nums = [int(x) for x in re.findall(r"\d+", where)]
    return next((v for k, v in iris.items() if k.startswith(kind) and [int(x) for x in re.findall(r"\d+", k)] == nums),
                None)


def map_sections(mp: Mapper, parent: URIRef) -> dict[str, URIRef]:
    """The numbered sections of a decision note or letter, each with its text and span."""
    iris: dict[str, URIRef] = {}
    for s in mp.doc.sections:
        iri = mp.m.part(parent, "sectie", s.number)
        mp.add(iri, RDF.type, DKG.Section)
        mp.add(iri, DCTERMS.isPartOf, parent)
        mp.add(iri, DKG.printedLabel, Literal(s.number))
        mp.add(iri, DCTERMS.title, mp.nl(s.title))
        mp.add(iri, DKG.text, mp.nl(s.text))
        mp.derive(iri, s.span)
        iris[f"section {s.number}"] = iri
    return iris


def map_decision_note(mp: Mapper) -> dict[str, URIRef]:
    doc = mp.doc
    note = mp.m.document(mp.res.document_id[doc.source])
    mp.add(note, RDF.type, DKG.DecisionNote)
    mp.add(note, RDF.type, ELI.Work)
    mp.add(note, RDF.type, PROV.Entity)
    mp.add(note, DCTERMS.title, mp.nl(doc.title))
    mp.add(note, DKG.renderedIn, mp.m.source(doc.source))
    mp.add(note, DCTERMS.audience, Literal(doc.extra["addressee_code"]) if doc.extra.get("addressee_code") else None)
    mp.derive(note, locate(mp.text, doc.title))
    iris = map_sections(mp, note)
    for a in doc.advices:
        iri = mp.m.part(note, "advies", a.number)
        mp.add(iri, RDF.type, DKG.Advice)
        mp.add(iri, DCTERMS.isPartOf, note)
        mp.add(iri, DKG.number, Literal(int(a.number), datatype=XSD.integer))
        mp.add(iri, DKG.text, mp.nl(a.text))
        mp.derive(iri, a.span)
    for f in doc.footnotes:
        citing = [iris[w] for w in f.markers_in if w in iris]
        map_footnote(mp, f, note, citing)
    _map_references(mp, iris, {})
    return iris


def map_letter(mp: Mapper) -> dict[str, URIRef]:
    doc = mp.doc
    letter = mp.m.document(mp.res.document_id[doc.source])
    mp.add(letter, RDF.type, DKG.Letter)
    mp.add(letter, RDF.type, ELI.Work)
    mp.add(letter, RDF.type, PROV.Entity)
    if doc.identifiers:
        mp.add(letter, DCTERMS.identifier, Literal(doc.identifiers[0]))
    mp.add(letter, DCTERMS.title, mp.nl(doc.title))
    mp.add(letter, ELI.date_document, _date(doc.date))
    mp.add(letter, DKG.renderedIn, mp.m.source(doc.source))
    mp.derive(letter, locate(mp.text, doc.identifiers[0].rsplit("-", 1)[-1] if doc.identifiers else doc.title))
    sender = doc.extra.get("sender") or {}
    if sender.get("role"):
        post = map_post(mp, sender["role"], locate(mp.text, sender.get("name")) or None)
        mp.add(letter, PROV.wasAttributedTo, post)
        if sender.get("name"):
            person = map_person(mp, Person(name=sender["name"], role=sender["role"]), locate(mp.text, sender["name"]))
            mp.add(letter, PROV.wasAttributedTo, person)
    for p in doc.addressees:
        if p.role:
            mp.add(letter, DKG.addressedTo, map_post(mp, p.role, locate(mp.text, p.role)))
    iris = map_sections(mp, letter)
    for f in doc.footnotes:
        map_footnote(mp, f, letter, [iris[w] for w in f.markers_in if w in iris])
    _map_references(mp, iris, {})
    return iris


def map_quotations(mp: Mapper, iris: dict[str, URIRef]) -> None:
    """Quoting spans: prov:wasQuotedFrom the passage they quote, or, when it was found nowhere, no source
    (the audit reports those)."""
    for q in mp.res.quotations:
        if q.source != mp.doc.source:
            continue
        quoting, qtriples = span_triples(mp.m, q.source, mp.text, *q.span)
        mp.triples.extend(qtriples)
        block = iris.get(q.where) or _match_where(iris, q.where)
        mp.add(quoting, DKG.verbatim, Literal(q.verbatim))
        if block is not None:
            mp.add(quoting, DCTERMS.isPartOf, block)
        if q.target is None:
            continue
        passage, ptriples = span_triples(mp.m, q.target, mp.res_texts[q.target], *q.target_span)
        mp.triples.extend(ptriples)
        mp.add(quoting, PROV.wasQuotedFrom, passage)
        if block is not None:
            mp.add(block, DKG.quotes, passage)


def map_document(doc: Document, text: str, res: Resolution, minter: Minter, texts: dict[str, str]) -> list[tuple]:
    """The triples of one source file's named graph."""
    mp = Mapper(doc, text, res, minter, texts)
    if doc.kind in QUESTION_KINDS:
        iris = map_questions_and_answers(mp)
    elif doc.kind == "decision-note":
        iris = map_decision_note(mp)
    elif doc.kind == "letter":
        iris = map_letter(mp)
    else:
        iris = {}
    map_quotations(mp, iris)
    return mp.triples
