"""Cross-document identity: one question set behind two renderings, one person behind 'Minister Hoekstra'
and 'Wopke Hoekstra', the letter behind 'bij brief van 13 december 2022', the decision note behind
'de beslisnota van 12 december jl.', and passages quoted from another document of the dossier."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .iris import slug
from .parse.clean import normalise
from .records import Document, Reference

_PREFIXES = {"van", "der", "den", "de", "het", "ter", "ten", "in", "t"}


def surname(name: str) -> str:
    """'Jasper van Dijk' -> 'van Dijk'; 'Eric van der Burg' -> 'van der Burg'; 'Koekkoek' -> 'Koekkoek'."""
    tokens = name.split()
    if len(tokens) > 1 and "–" not in name and " - " not in name and tokens[0][:1].isupper() \
            and tokens[0].lower() not in _PREFIXES and not tokens[0].endswith("."):
        return " ".join(tokens[1:])
    return name


def name_like(name: str) -> bool:
    """Whether a name starts as a person's does, with a capital or a prefix ('van Dijk'), and not with a word
    the parser took in with it ('hetzelfde lid Van Leeuwen'): only those name a person across documents."""
    first = name.split()[0].lstrip("'’") if name.strip() else ""
    return first[:1].isupper() or first.lower() in _PREFIXES


@lru_cache(maxsize=4096)
def person_key(name: str) -> str:
    """Surname key: 'Wopke Hoekstra' and 'Hoekstra' -> 'hoekstra'; 'Jasper van Dijk' -> 'dijk'."""
    tokens = [t for t in re.split(r"[\s.]+", name.strip()) if t]
    return slug(tokens[-1]) if tokens else slug(name)


@dataclass
class Quotation:
    """A «…» passage of a question or answer found word for word in another dossier document."""

    source: str  # file of the quoting block
    where: str  # "question 5"
    span: tuple[int, int]  # the quoted words in the quoting file
    target: str | None  # file quoted; None when the passage was found nowhere in the dossier
    target_span: tuple[int, int] | None
    verbatim: bool


@dataclass
class Quoted:
    """What a search for quotations found, for the next one: every document searched (source -> sha256) with
    its identity, and each quoting document's quotations with the words of each (`_quotations`)."""

    shas: dict[str, str]
    ids: dict[str, str]
    found: dict[str, list[tuple[Quotation, list[list[str]]]]]


@dataclass
class Resolution:
    question_set: dict[str, str] = field(default_factory=dict)  # source -> identifier
    answer_set: dict[str, str] = field(default_factory=dict)
    document_id: dict[str, str] = field(default_factory=dict)  # source -> identifier of the document itself
    person_name: dict[str, str] = field(default_factory=dict)  # surname key -> fullest name seen (name_like)
    targets: dict[tuple[str, tuple[int, int]], str] = field(default_factory=dict)  # (source, span) -> identifier
    inferred_dates: dict[str, tuple[str, str, Reference]] = field(default_factory=dict)  # id -> (date, source, ref)
    notices: set[str] = field(default_factory=set)  # the Aanhangsel numbers (ah-tk-…) of postponement notices
    quotations: list[Quotation] = field(default_factory=list)
    quoted: Quoted | None = None  # what the search for quotations found, for the next build

    def person(self, name: str) -> str:
        return self.person_name.get(person_key(name), name)


def _fingerprint(doc: Document) -> tuple:
    """What two renderings of one question set share: the date, the submitters, the questions' text."""
    return _outline(doc) + (tuple(normalise(q.text) for q in doc.questions),)


def _outline(doc: Document) -> tuple:
    """The start of a fingerprint: the date, the submitters and how many questions (quick to make)."""
    return doc.submitted, tuple(sorted(person_key(p.name) for p in doc.submitters if p.name)), len(doc.questions)


def _zaak(doc: Document) -> str | None:
    for i in doc.identifiers:
        m = re.fullmatch(r"(?:kv-tk-)?(\d{4}Z\d{5})", i)
        if m:
            return m.group(1)
    return None


def resolve(docs: list[Document], texts: dict[str, str], quoted: Quoted | None = None) -> Resolution:
    """Identity across the documents, and their quotations of each other (from the previous build's search,
    `quoted`, where given)."""
    res = Resolution()
    for doc in docs:
        for p in list(doc.submitters) + list(doc.answerers):
            if p.name:
                key = person_key(p.name)
                if len(p.name) > len(res.person_name.get(key, "")) and name_like(p.name):
                    res.person_name[key] = p.name
    qa_docs = [d for d in docs if d.questions or d.kind in ("written-questions", "written-questions-with-answers",
                                                            "postponement-notice")]
    by_print: dict[tuple, str] = {}
    printed = {d.source: next((i for i in d.identifiers if i.startswith("kv-tk-")), None) or
               (f"kv-tk-{_zaak(d)}" if _zaak(d) else None) for d in qa_docs}
    # only a question set printed without its number is found by its fingerprint, so only the fingerprints
    # that could be its are made (normalising every question of every document is slow)
    outlines = {d.source: _outline(d) for d in qa_docs}
    unnumbered = {outlines[d.source] for d in qa_docs if printed[d.source] is None}
    for doc in sorted(qa_docs, key=lambda d: (_zaak(d) is None, d.source)):
        kv = printed[doc.source]
        fp = _fingerprint(doc) if outlines[doc.source] in unnumbered else None
        if kv is None:
            kv = by_print.get(fp)
        if kv is None:
            names = "-".join(slug(surname(p.name)) for p in doc.submitters if p.name) or slug(doc.title or doc.source)
            about = "-".join(slug(doc.title or "").split("-")[:8])
            kv = f"vragen-{doc.submitted or 'zonder-datum'}-{names}" + (f"-{about}" if about and about != "x" else "")
        if fp is not None:
            by_print.setdefault(fp, kv)
        if doc.kind == "postponement-notice":
            res.notices.update(i for i in doc.identifiers if i.startswith("ah-tk-"))
        res.question_set[doc.source] = kv
        ah = next((i for i in doc.identifiers if i.startswith("ah-tk-")), None)
        if doc.answers:
            res.answer_set[doc.source] = ah or f"{kv}-antwoorden"
        res.document_id[doc.source] = kv
    for doc in docs:
        if doc.kind == "decision-note":
            res.document_id[doc.source] = "beslisnota-" + slug(doc.title or doc.source)
        elif doc.kind == "letter" and doc.identifiers:
            res.document_id[doc.source] = doc.identifiers[0]
        elif doc.source not in res.document_id:
            res.document_id[doc.source] = doc.identifiers[0] if doc.identifiers else "document-" + slug(doc.source)
    notes = [d for d in docs if d.kind == "decision-note"]
    for doc in docs:
        for ref in doc.references:
            if ref.kind != "document":
                continue
            target = ref.target
            if target is None and re.search(r"(?i)beslis(nota|memo|notitie)", ref.text) and len(notes) == 1:
                target = res.document_id[notes[0].source]
                if ref.date:
                    res.inferred_dates.setdefault(target, (ref.date, doc.source, ref))
            if target:
                res.targets[(doc.source, ref.span)] = target
    res.quotations, res.quoted = find_quotations(docs, texts, res.document_id, quoted)
    return res


_QUOTE = re.compile(r"«((?:[^«»]|«[^«»]*»)+)»")


def _flexible(words: list[str]) -> re.Pattern:
    """Words separated by any whitespace, a line-end hyphenation, or nothing at a PDF line break."""
    sep = r"(?:-?\s+|-?\s*\n\s*)"
    return re.compile(sep.join(re.escape(w) for w in words))


def find_quotations(docs: list[Document], texts: dict[str, str], ids: dict[str, str],
                    earlier: Quoted | None = None) -> tuple[list[Quotation], Quoted]:
    """«…» passages of six words or more looked up in the other documents (not in another rendering of the
    same one), tolerating PDF line breaks, hyphenation and elisions ('...'); each is found in the first
    document, in order, that holds it. A quotation found only through an elision is not verbatim; one found
    nowhere is recorded with no target (a finding for the audit). With the previous build's search
    (`earlier`), only the changed documents are read again: `_again`."""
    shas = {d.source: d.sha256 for d in docs}
    found = _again(docs, texts, ids, shas, earlier) if earlier is not None else None
    if found is None:
        quoted = [(doc, q) for doc in docs for q in _quotations(doc, texts[doc.source])]
        index = _WordIndex([texts[d.source] for d in docs], {w for _, q in quoted for w in _inner(q[3])})
        found = {d.source: [] for d in docs}
        for doc, (_, where, span, segments) in quoted:
            hit = _first_hit(doc, segments, index.candidates(_inner(segments)), docs, texts, ids)
            found[doc.source].append((_quotation(doc.source, where, span, segments, hit), segments))
    return [q for d in docs for q, _ in found[d.source]], Quoted(shas, dict(ids), found)


def _quotation(source: str, where: str, span: tuple[int, int], segments: list[list[str]],
               hit: tuple[str, tuple[int, int]] | None) -> Quotation:
    if hit is None:
        return Quotation(source, where, span, None, None, False)
    return Quotation(source, where, span, hit[0], hit[1], len(segments) == 1)


def _first_hit(doc: Document, segments: list[list[str]], candidates, docs: list[Document], texts: dict[str, str],
               ids: dict[str, str]) -> tuple[str, tuple[int, int]] | None:
    """(source, span) of the first of the `candidates` (indices into `docs`, in order) that holds the
    quotation, not counting the quoting document and other renderings of it."""
    patterns = [_flexible(words) for words in segments]
    for k in candidates:
        other = docs[k]
        if other.source == doc.source or ids.get(other.source) == ids.get(doc.source):
            continue
        hit = _find_in_order(texts[other.source], patterns)
        if hit:
            return other.source, hit
    return None


AGAIN_AT_MOST = 0.25  # share of the documents changed up to which a search starts from the previous one


def _again(docs: list[Document], texts: dict[str, str], ids: dict[str, str], shas: dict[str, str],
           earlier: Quoted) -> dict | None:
    """The quotations of each document by source, found from the previous build's search: those of a changed
    document looked up anew; those of an unchanged one kept, unless a changed document holds it before the
    document it was found in (or that one changed or is gone). A document whose identity changed counts as
    changed: another rendering of a document never quotes it, so which documents may hold its quotations,
    and whose quotations it may hold, changed with it. None (search from scratch) when more than a quarter
    of the documents changed."""
    changed = {s for s, sha in shas.items() if earlier.shas.get(s) != sha or earlier.ids.get(s) != ids.get(s)}
    if len(changed) > AGAIN_AT_MOST * max(1, len(docs)):
        return None
    order = {d.source: k for k, d in enumerate(docs)}
    fresh = sorted(order[s] for s in changed)
    tokens = {k: set(texts[docs[k].source].split()) for k in fresh}

    def anew(doc: Document, segments: list[list[str]]):
        return _first_hit(doc, segments, _holding(segments, docs, texts), docs, texts, ids)

    found = {}
    for doc in docs:
        if doc.source in changed or doc.source not in earlier.found:
            found[doc.source] = [(_quotation(doc.source, where, span, segments, anew(doc, segments)), segments)
                                 for _, where, span, segments in _quotations(doc, texts[doc.source])]
            continue
        kept = []
        for q, segments in earlier.found[doc.source]:
            target = order.get(q.target) if q.target is not None else len(docs)
            if target is None or q.target in changed:  # the text it was found in is gone or changed
                hit = anew(doc, segments)
            else:  # found where it was, unless a changed text before that holds it
                inner = _inner(segments)
                before = [k for k in fresh if k < target and all(w in tokens[k] or w + "-" in tokens[k] for w in inner)]
                hit = _first_hit(doc, segments, before, docs, texts, ids) if before else None
                if hit is None:
                    kept.append((q, segments))
                    continue
            kept.append((_quotation(doc.source, q.where, q.span, segments, hit), segments))
        found[doc.source] = kept
    return found


def _holding(segments: list[list[str]], docs: list[Document], texts: dict[str, str]) -> list[int]:
    """The documents, in order, whose text holds every inner word of a quotation somewhere (more than the
    word index gives, never fewer)."""
    inner = sorted(_inner(segments), key=len, reverse=True)
    return [k for k, d in enumerate(docs) if all(w in texts[d.source] for w in inner)]


def _quotations(doc: Document, text: str) -> list[tuple[Document, str, tuple[int, int], list[list[str]]]]:
    """The «…» passages of a document's questions and answers: (document, block, span, words of each part
    between elisions)."""
    out = []
    notes = [(f.span, re.sub(r"\s+", "", f.text)) for f in doc.footnotes]
    for block in list(doc.questions) + list(doc.answers):
        a, b = block.span
        for m in _QUOTE.finditer(text, a, b):
            if any(s <= m.start() < e for (s, e), _ in notes):
                continue  # inside a footnote printed in the middle of the block
            inner = m.group(1)
            if any(re.sub(r"\s+", "", inner) in body for _, body in notes):
                continue  # the title of a source the document cites in a footnote
            lead = re.match(r"\s*(?:\.\.\.|…)?\s*", inner).end()
            tail = len(re.search(r"\s*(?:\.\.\.|…)?\s*$", inner).group(0))
            segments = [normalise(x).split(" ") for x in re.split(r"(?:\.\.\.|…)", inner[lead:len(inner) - tail])]
            segments = [w for w in segments if w != [""]]
            if sum(len(w) for w in segments) < 6:
                continue
            where = f"{block.kind} {' en '.join(map(str, block.numbers))}"
            out.append((doc, where, (m.start(1) + lead, m.end(1) - tail), segments))
    return out


def _inner(segments: list[list[str]]) -> list[str]:
    """The words of a quotation that stand between two others in their segment: a text that holds the
    quotation holds each of them as a whole word (or with a line-end hyphen after it)."""
    return [w for words in segments for w in words[1:-1]]


class _WordIndex:
    """Which texts hold each of some words as a whole word (split at whitespace, a trailing '-' optional)."""

    def __init__(self, texts: list[str], words: set[str]):
        self.count = len(texts)
        self.holders: dict[str, set[int]] = {w: set() for w in words}
        hyphened = {w + "-": w for w in words if w}  # a word before a line-end hyphen
        for k, text in enumerate(texts if words else []):
            tokens = set(text.split())
            for word in words & tokens:
                self.holders[word].add(k)
            for token in hyphened.keys() & tokens:
                self.holders[hyphened[token]].add(k)

    def candidates(self, words: list[str]) -> list[int]:
        """The texts, in order, that hold all the words (every text when there are none)."""
        if not words:
            return list(range(self.count))
        return sorted(set.intersection(*sorted((self.holders[w] for w in words), key=len)))


def _find_in_order(text: str, patterns: list[re.Pattern]) -> tuple[int, int] | None:
    pos, first, last = 0, None, None
    for pattern in patterns:
        m = pattern.search(text, pos)
        if m is None:
            return None
        first = m.start() if first is None else first
        last, pos = m.end(), m.end()
    return (first, last) if first is not None else None
