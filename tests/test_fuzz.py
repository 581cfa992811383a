"""Fuzzing the parser and the recognisers: random text, random bytes and mutated real documents.

Whatever the input, `parse_bytes` returns a Document (it never raises), and the Document keeps its
promises: every problem's line is a line of the input, every span lies inside the decoded text, every
cleaned text is free of NUL characters, references quote the text at their span, and the records contract
serialises to JSON. The recognisers (`dates.parse_date`, `labels.numbers`, `citations.describe`,
`citations.parliamentary_reference`, `legal.find_legal_mentions`) never raise either and keep theirs.

The real documents are the dossier's five files and the twelve of tests/fixtures/dev-corpus, mutated as
damaged extractions are: lines deleted, duplicated and swapped, NUL bytes, flipped bits, a cut-off end,
huge lines, stray unicode, label-like lines ("Vraag 99", "Antwoord 3 t/m 60"), stray digits glued to words
as footnote markers, other encodings, other line ends, pieces of other documents spliced in.

`make test` runs a few hundred examples per property, derandomised (the same examples on every run,
no example database), in well under 30 s. `make chaos` (chaos/run.py) runs the same mutations and the same
checks on more than 100,000 inputs drawn from a seeded random generator (`fuzz_one`, `random_ops`).
"""

from __future__ import annotations

import codecs
import json
import random
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dossierkg.parse import parse_bytes
from dossierkg.parse.citations import describe, parliamentary_reference
from dossierkg.parse.dates import find_dates, parse_date
from dossierkg.parse.decode import UnreadableInput, decode
from dossierkg.parse.labels import numbers
from dossierkg.parse.legal import find_legal_mentions, normalise

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILES = sorted((ROOT / "dossier").glob("*.txt")) + sorted((ROOT / "tests/fixtures/dev-corpus").glob("*.txt"))
CORPUS = {p.name: p.read_bytes() for p in CORPUS_FILES}
NAMES = sorted(CORPUS)

# Lines that look like structure: labels, bare numbers, footnote bodies, headings, page footers.
LABELS = [
    "Vraag 99", "Vraag 1", "Vraag 0", "Vraag 7 en 8", "Vraag 2 t/m 60", "Vraag 1,2,3,4 en 5", "Vragen 3 - 1",
    "Antwoord 99", "Antwoord 1", "Antwoord 2 en 3", "Antwoord 2 t/m 6", "Antwoord vragen 1,2,3,4 en 5",
    "Antwoord op vraag 4", "Antwoord:", "Antwoord :", "Mededeling", "• Vraag 3", "Vraag 12:", "Vraag 5.",
    "1", "12", "99", "3.", "7)", "0", "1 https://nos.nl/artikel/1", "2 NOS, 22 september 2022, «Titel»",
    "3 Kamerstuk 19 637, nr. 3018", "4 Aanhangsel Handelingen II, vergaderjaar 2022–2023, nr. 1663",
    "2023Z00468", "Vragen van het lid Van Dijk (SP) aan de Minister van Buitenlandse Zaken",
    "Antwoord van Minister Hoekstra (Buitenlandse Zaken) (ontvangen 7 november 2022)",
    "Mededeling van Staatssecretaris Van der Burg (ontvangen 8 februari 2023)",
    "1. Aanleiding", "2. Advies", "Beslisnota bij", "Nr. 3018 BRIEF VAN DE STAATSSECRETARIS", "Aan de Voorzitter",
    "ah-tk-20222023-1663", "Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel", "Pagina 1 van 3", "\f",
    "artikel 43, vierde lid, onder b, Vw 2000", "C2/3.2 Vc 2000", "WBV 2022/22", "zie antwoord vraag 6",
    "bij brief van 13 december 2022", "de beslisnota van 12 december jl.", "«", "»", "–", "-", "",
]
MARKERS = ["1", "2", "12", "99", "¹", "²", "³", "⁴", " 1", "(1)", "[2]", "0", "123456789"]
# A huge line is longer than decode.LONG_LINE (100,000) when it counts: made of a repeated piece.
HUGE_PIECES = ["a", " ", "1", "-", "\t", "«", "Vraag 1 ", "artikel 1 lid ", "13 december ", "Kamerstuk 19 637, ",
               "http://x.nl/", "vraag 1, 2, 3 en ", "\u00a0", "verantwoor-"]
HUGE_SIZES = [1_000, 20_000, 100_001, 250_000]
ENCODINGS = ["utf-16-le", "utf-16-be", "utf-16", "cp1252", "utf-8-sig", "latin-1"]

# One mutation: (kind, a, b, payload). a and b are non-negative integers read modulo what they index, so
# every op applies to every input and shrinks towards the start of the document.
KINDS = ["delete", "duplicate", "swap", "nul", "flip", "truncate", "huge", "unicode", "label", "marker",
         "bytes", "splice", "line-ends", "reencode", "blank"]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def apply_op(data: bytes, op: tuple) -> bytes:
    kind, a, b, payload = op
    n = len(data)
    at = a % (n + 1)
    if kind in ("delete", "duplicate", "swap", "label", "splice", "blank"):
        lines = _lines(data)
        i, j = a % len(lines), b % len(lines)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i] if lines[i].endswith(b"\n") else lines[i] + b"\n")
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "label":
            lines.insert(i, LABELS[b % len(LABELS)].encode() + b"\n")
        elif kind == "blank":
            lines.insert(i, b"\n" * (1 + b % 4))
        else:  # splice: a few lines of another document
            other = _lines(CORPUS[NAMES[b % len(NAMES)]])
            k = (a * 7 + b) % len(other)
            lines[i:i] = other[k:k + 1 + b % 12]
        return b"".join(lines)
    if kind == "nul":
        return data[:at] + b"\x00" * (1 + b % 3) + data[at:]
    if kind == "flip":
        if not n:
            return data
        i = a % n
        return data[:i] + bytes([data[i] ^ (1 << (b % 8))]) + data[i + 1:]
    if kind == "truncate":
        return data[:at]
    if kind == "huge":
        piece = HUGE_PIECES[b % len(HUGE_PIECES)]
        size = HUGE_SIZES[(b // len(HUGE_PIECES)) % len(HUGE_SIZES)]
        line = (piece * (size // len(piece) + 1))[:size]
        lines = _lines(data)
        lines.insert(a % len(lines), line.encode() + b"\n")
        return b"".join(lines)
    if kind == "unicode":
        return data[:at] + str(payload).encode("utf-8", "surrogatepass") + data[at:]
    if kind == "marker":
        # glued after the word that ends at or after position a: 'vluchtelingen3', '2022²'
        text = data
        k = at
        while k < n and (text[k:k + 1].isalnum() or text[k] >= 0x80):
            k += 1
        return data[:k] + MARKERS[b % len(MARKERS)].encode() + data[k:]
    if kind == "bytes":
        return data[:at] + bytes(payload) + data[at:]
    if kind == "line-ends":
        return [data.replace(b"\n", b"\r\n"), data.replace(b"\n", b"\r"), data.replace(b"\r\n", b"\n"),
                data.replace(b"\n", b"\n\n"), data.replace(b"\n", b"\x0b"), data.replace(b"\n", "\u2028".encode())][b % 6]
    if kind == "reencode":
        text = data.decode("utf-8", "replace")
        codec = ENCODINGS[b % len(ENCODINGS)]
        return text.encode(codec, "replace")
    raise ValueError(f"unknown mutation {kind!r}")


def mutate(data: bytes, ops) -> bytes:
    for op in ops:
        data = apply_op(data, op)
    return data


# --- the invariants -------------------------------------------------------------------------------------

def line_count_bound(data: bytes) -> int:
    """How many lines the input has, as the parser may count them: the decoded text's lines; for input
    that does not decode, the most any reading of the bytes gives."""
    try:
        text = decode(data).text
        return text.count("\n") + 1
    except UnreadableInput:
        counts = [data.count(b"\n")]
        for codec in ("utf-16-le", "utf-16-be", "cp1252"):
            counts.append(data.decode(codec, "replace").count("\n"))
        return max(counts) + 1


def check_document(data: bytes, doc) -> None:
    """The Document parsed from `data` keeps the parser's promises; AssertionError says which one not."""
    try:
        text = decode(data).text
    except UnreadableInput:
        text = None
    bound = line_count_bound(data)
    assert doc.sha256 and len(doc.sha256) == 64, "sha256 of the input"
    for p in doc.errors + doc.warnings:
        assert isinstance(p.message, str) and p.message, f"empty problem message: {p!r}"
        if p.line is not None:
            assert isinstance(p.line, int) and 1 <= p.line <= bound, \
                f"problem line {p.line} outside 1..{bound}: {p.message}"
    if text is None:
        assert doc.errors, "undecodable input without an error"
        assert not (doc.questions or doc.answers or doc.footnotes or doc.references or doc.sections)
        return
    if doc.kind == "unknown":
        assert doc.errors, "a document of unknown kind carries an error"
    n = len(text)
    items = [("question", b) for b in doc.questions] + [("answer", b) for b in doc.answers] + \
            [("footnote", f) for f in doc.footnotes] + [("reference", r) for r in doc.references] + \
            [("section", s) for s in doc.sections] + [("advice", s) for s in doc.advices]
    for what, item in items:
        s, e = item.span
        assert isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= n, \
            f"{what} span {item.span} outside the text (0..{n})"
        assert 1 <= item.line <= bound, f"{what} line {item.line} outside 1..{bound}"
        assert item.text is None or "\x00" not in item.text, f"NUL in the cleaned text of a {what}"
        if what == "reference":
            assert normalise(text[s:e]) == normalise(item.text), \
                f"reference text {item.text!r} is not the text at its span {text[s:e]!r}"
        if what in ("section", "advice"):
            assert item.title is None or "\x00" not in item.title
    for person in doc.submitters + doc.addressees + doc.answerers:
        if person.span is not None:
            s, e = person.span
            assert 0 <= s <= e <= n, f"person span {person.span} outside the text (0..{n})"
        for value in (person.name, person.party, person.role):
            assert value is None or "\x00" not in value
    for value in (doc.title, *doc.identifiers):
        assert value is None or "\x00" not in value, "NUL in the title or an identifier"
    for value in (doc.submitted, doc.answered, doc.date, *doc.postponements):
        if value is not None:
            date.fromisoformat(value)
    json.dumps(doc.to_json(), ensure_ascii=False)  # the records contract always serialises


def parse_and_check(data: bytes, source: str = "fuzz.txt"):
    doc = parse_bytes(data, source)
    check_document(data, doc)
    return doc


def check_recognisers(text: str, reference: str | None = None) -> None:
    """Every recogniser on one text: nothing raises, results keep their promises."""
    iso = parse_date(text, reference)
    if iso is not None:
        date.fromisoformat(iso)
    for m, found, _relative in find_dates(text, reference):
        assert 0 <= m.start() <= m.end() <= len(text)
        if found is not None:
            date.fromisoformat(found)
    nums = numbers(text)
    assert isinstance(nums, tuple) and all(isinstance(x, int) and x >= 0 for x in nums)
    assert len(nums) == len(set(nums))
    described = describe(text)
    assert set(described) == {"url", "publisher", "date", "title", "reference"}
    if described["date"] is not None:
        date.fromisoformat(described["date"])
    ref = parliamentary_reference(text)
    assert ref is None or isinstance(ref, str) and ref
    assert ref == described["reference"]
    last = 0
    for m in find_legal_mentions(text):
        s, e = m.span
        assert last <= s < e <= len(text), f"legal span {m.span} out of order or outside the text"
        assert m.text == normalise(text[s:e]) and m.line == text.count("\n", 0, s) + 1
        last = e
    if len(text) > 4:  # a window: only mentions lying wholly inside it, spans in the whole text
        lo, hi = len(text) // 4, 3 * len(text) // 4
        for m in find_legal_mentions(text, lo, hi):
            assert lo <= m.span[0] < m.span[1] <= hi


# --- random inputs (chaos/run.py draws from these with a seeded random generator) --------------------------

TOKENS = [
    "artikel", "Artikel", "art.", "lid", "eerste", "vierde", "onder", "sub", "aanhef en", "van de", "van het",
    "Vw", "Vw 2000", "Vb", "Vc", "WBV", "Vreemdelingenwet", "Vluchtelingenverdrag", "EVRM", "Awb", "1F-zaken",
    "1F", "C2/3.2", "A3/7.1.1", "paragraaf", "par.", "2000", "1965", "2022/22", "43", "3.2", "4:6", "3a", "(2)",
    "13", "1", "31", "0", "99", "december", "februari", "mei", "jl.", "j.l.", "jongstleden", "2022", "20221",
    "1899", "Kamerstuk", "Kamerstukken II", "2022/23,", "19 637", "21 501-20", "36 200 VI", "nr.", "nr. 3018",
    "Aanhangsel Handelingen", "vergaderjaar", "2022–2023", "2022-203", "2023Z00468", "2023Z 00468", "Vraag",
    "vraag", "vragen", "Antwoord", "antwoord op", "zie", "zie ook", "t/m", "tot en met", "en", ",", ".", ":",
    ";", "-", "–", "(", ")", "«", "»", "“", "”", "'", "\"", "https://", "http://", "www.", "nos.nl/", "x.nl/a(b)",
    "bij brief van", "Kamerbrief van", "beslisnota", "nota van", "NOS", "Reuters,", " ", "  ", "\u00a0", "\t",
    "\n", "\n\n", "\r\n", "\x00", "\x0b", "\u2028", "é", "ë", "ß", "😀", "\ufeff", "\ud800", "𝟘", "١٢",
]


def token_text(rnd: random.Random, max_tokens: int = 40) -> str:
    return " ".join(rnd.choice(TOKENS) for _ in range(rnd.randint(0, max_tokens))) if rnd.random() < 0.5 else \
        "".join(rnd.choice(TOKENS) + rnd.choice(["", " ", " ", "\n"]) for _ in range(rnd.randint(0, max_tokens)))


def random_ops(rnd: random.Random, max_ops: int = 6, huge: float = 0.01) -> list[tuple]:
    ops = []
    for _ in range(rnd.randint(1, max_ops)):
        kind = rnd.choice(KINDS)
        if kind == "huge" and rnd.random() > huge * len(KINDS):
            kind = "label"  # huge lines are slow to parse: keep them about `huge` of the ops
        payload = None
        if kind == "unicode":
            payload = "".join(chr(rnd.choice([rnd.randint(0x20, 0x7e), rnd.randint(0xa0, 0x2fff),
                                               rnd.randint(0x1f300, 0x1faff), rnd.randint(0, 0x1f)]))
                              for _ in range(rnd.randint(1, 30)))
        elif kind == "bytes":
            payload = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 40)))
        ops.append((kind, rnd.getrandbits(20), rnd.getrandbits(12), payload))
    return ops


def random_reference(rnd: random.Random) -> str | None:
    return None if rnd.random() < 0.3 else date(rnd.randint(1990, 2030), rnd.randint(1, 12), rnd.randint(1, 28)).isoformat()


def fuzz_one(rnd: random.Random) -> tuple[str, bytes | str]:
    """One random input: ('mutated', bytes), ('bytes', bytes), ('text', bytes) or ('recognisers', str)."""
    r = rnd.random()
    if r < 0.55:
        name = rnd.choice(NAMES)
        return "mutated", mutate(CORPUS[name], random_ops(rnd))
    if r < 0.65:
        return "bytes", bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 3000)))
    if r < 0.75:
        text = token_text(rnd, 200)
        if rnd.random() < 0.5:
            text = rnd.choice(LABELS) + "\n" + text + "\n" + rnd.choice(LABELS) + "\n" + token_text(rnd, 100)
        return "text", text.encode("utf-8", "surrogatepass")
    if r < 0.85:  # a slice of a real document, mutated, for the recognisers
        data = mutate(CORPUS[rnd.choice(NAMES)], random_ops(rnd, 3, huge=0))
        text = data.decode("utf-8", "replace")
        a = rnd.randint(0, len(text))
        return "recognisers", text[a:a + rnd.randint(0, 2000)]
    return "recognisers", token_text(rnd, 60)


def run_one(kind: str, value, rnd: random.Random | None = None) -> None:
    """Feed one input to whatever it is for; AssertionError for a broken promise, anything else is a bug."""
    if kind == "recognisers":
        check_recognisers(value, random_reference(rnd) if rnd else None)
    else:
        parse_and_check(value)


# --- the properties (make test) ---------------------------------------------------------------------------

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=150, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])

op_strategy = st.tuples(
    st.sampled_from([k for k in KINDS if k not in ("huge", "unicode", "bytes")]),
    st.integers(0, 2**20),
    st.integers(0, 2**12),
    st.none(),
)
unicode_op = st.tuples(st.just("unicode"), st.integers(0, 2**20), st.integers(0, 2**12), st.text(min_size=1, max_size=30))
bytes_op = st.tuples(st.just("bytes"), st.integers(0, 2**20), st.integers(0, 2**12), st.binary(min_size=1, max_size=30))
any_op = st.one_of(op_strategy, unicode_op, bytes_op)
token_soup = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join) | \
    st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join)


@FAST
@given(st.binary(max_size=4000))
def test_random_bytes(data):
    parse_and_check(data)


@FAST
@given(st.text(max_size=3000))
def test_random_text(text):
    parse_and_check(text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.lists(st.sampled_from(LABELS), max_size=8), token_soup, token_soup)
def test_label_soup(labels, head, body):
    parse_and_check(("\n".join([head, *labels, body, *labels[::-1]])).encode("utf-8", "surrogatepass"))


@settings(FAST, max_examples=400)
@given(st.sampled_from(NAMES), st.lists(any_op, min_size=1, max_size=6))
def test_mutated_documents(name, ops):
    parse_and_check(mutate(CORPUS[name], ops), name)


@settings(FAST, max_examples=12)
@given(st.sampled_from(NAMES), st.integers(0, 2**20), st.integers(0, len(HUGE_PIECES) * len(HUGE_SIZES) - 1))
def test_huge_lines(name, where, which):
    parse_and_check(apply_op(CORPUS[name], ("huge", where, which, None)), name)


@settings(FAST, max_examples=300)
@given(token_soup | st.text(max_size=500), st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(str))
def test_recognisers(text, reference):
    check_recognisers(text, reference)


@settings(FAST, max_examples=100)
@given(st.sampled_from(NAMES), st.integers(0, 2**20), st.integers(0, 3000))
def test_recognisers_on_real_passages(name, start, length):
    text = CORPUS[name].decode("utf-8", "replace")
    start %= len(text) + 1
    check_recognisers(text[start:start + length], "2023-01-01")


def test_every_mutation_applies_to_every_document():
    """Each kind of damage, once, on each real document (and on the empty input)."""
    rnd = random.Random(20240611)
    for name in NAMES + [None]:
        data = CORPUS[name] if name else b""
        for kind in KINDS:
            payload = "é😀\x00" if kind == "unicode" else b"\xff\xfe\x00\x80" if kind == "bytes" else None
            which = 2 if kind == "huge" else rnd.getrandbits(12)  # a 1,000-character line
            parse_and_check(apply_op(data, (kind, rnd.getrandbits(20), which, payload)), name or "empty.txt")


def test_real_documents_keep_the_promises():
    for name in NAMES:
        doc = parse_and_check(CORPUS[name], name)
        assert not doc.errors, name


def test_seeded_random_inputs():
    """A sample of what `make chaos` feeds, from its generator: the same 300 inputs on every run."""
    rnd = random.Random(1)
    for _ in range(300):
        kind, value = fuzz_one(rnd)
        run_one(kind, value, rnd)


def test_reencoded_documents():
    for name in NAMES[:5]:
        text = CORPUS[name].decode("utf-8")
        for codec in ("utf-16", "utf-16-le", "utf-16-be", "cp1252"):
            data = text.encode(codec, "replace")
            doc = parse_and_check(data, name)
            assert not doc.errors, (name, codec, doc.errors)
        parse_and_check(codecs.BOM_UTF8 + CORPUS[name], name)


# --- no quadratic corners ----------------------------------------------------------------------------------

def _with_line(name: str, line: str, where: float = 0.5) -> bytes:
    lines = _lines(CORPUS[name])
    lines.insert(int(len(lines) * where), line.encode() + b"\n")
    return b"".join(lines)


def _with_lines(name: str, line: str, count: int) -> bytes:
    lines = _lines(CORPUS[name])
    mid = len(lines) // 2
    return b"".join(lines[:mid]) + (line + "\n").encode() * count + b"".join(lines[mid:])


PATHOLOGICAL = {
    # a 250,000-character line of tabs, in UTF-16: FOOTER_RE's '^\s*…\s*' took 450 s
    "whitespace line, UTF-16": lambda: _with_line("018_docx-AH605_boswijk-oda.txt", "\t" * 250_000)
    .decode("utf-8").encode("utf-16-le"),
    "space line": lambda: _with_line("000_6571167254aee64b.txt", " " * 250_000),
    # a hyphenated run at a page bottom, read as a footnote: URL_RE's bare domain was quadratic
    "name run in a footnote": lambda: _with_line("013_ah-tk-20242025-594_jansen-ziekenhuizen.txt",
                                                 "verantwoor-" * 25_000, 0.99),
    "dotted run in a footnote": lambda: _with_line("013_ah-tk-20242025-594_jansen-ziekenhuizen.txt",
                                                   "a." * 100_000, 0.99),
    # 40,000 blank lines: '^\s*' in MULTILINE searches ran over all of them from each
    "blank lines": lambda: _with_lines("017_docx-AH617_nordkamp-neds.txt", "", 40_000),
    # 20,000 references: each one's line was counted from the start of the text
    "many references": lambda: _with_lines("000_6571167254aee64b.txt", "4 Aanhangsel Handelingen II, vergaderjaar "
                                           "2022–2023, nr. 1663", 20_000),
    # the whole document on one line ('\u2028' separators) around 20,000 digits: every marker candidate
    # searched the line before it again for its word (12 s)
    "one long line with markers": lambda: _with_line("000_6571167254aee64b.txt", "1" * 20_000)
    .replace(b"\n", "\u2028".encode()),
    # 2% NUL bytes: each one's line was counted from the start of the text
    "many NULs": lambda: bytes(b if i % 60 else 0 for i, b in enumerate(CORPUS["002_c13e7b55d78e5ffc.txt"] * 40)),
}


def test_pathological_inputs_parse_in_linear_time():
    import time
    for what, make in PATHOLOGICAL.items():
        data = make()
        started = time.perf_counter()
        parse_and_check(data, what)
        took = time.perf_counter() - started
        assert took < 10, f"{what}: {len(data):,} bytes took {took:.1f} s"  # linear: well under 1 s


@FAST
@given(st.lists(st.sampled_from(["a", ".", "..", "-", "/", " ", "nl", "com", "gov.uk", "www.", "http://", "(", ")",
                                 "é", "_", "1", "«", ",", "nos.nl/x"]), max_size=14).map("".join))
def test_find_url_is_url_re(text):
    """find_url reads the first match of URL_RE (the specification), in linear time."""
    from dossierkg.parse.citations import URL_RE, find_url
    m = URL_RE.search(text)
    url = m.group(0).rstrip(".,;:") if m else None
    if url is not None and url.count(")") > url.count("("):
        url = url.rstrip(")")
    assert find_url(text) == url


_WORDS = st.lists(st.sampled_from(["de", "minister", "van", "Van", "d", "e", " ", "  ", "\n", "\t", "\u00a0", "\u2003",
                                   ".", "(", "*", "+", "[1]", "\\s"]), max_size=16).map("".join)


@FAST
@given(_WORDS, _WORDS, st.integers(0, 40))
def test_locate_is_the_regex_of_the_words(text, phrase, start):
    """mapping.locate finds the first match of the phrase's words, escaped, joined by whitespace (the
    specification), without compiling it."""
    import re

    from dossierkg.mapping import locate
    words = phrase.split()
    m = re.compile(r"\s+".join(map(re.escape, words))).search(text, start) if words else None
    assert locate(text, phrase, start) == ((m.start(), m.end()) if m else None)


_MARKER_TEXT = st.lists(st.sampled_from(["19", "20", "2022", "1", "12", "3", "٣", "Z", "Z ", "a", "Ab", ")", "»", "?",
                                         ".", ",", "/", "-", "(", "[", ":", " ", "\n", "\u00a0", "”"]),
                        max_size=24).map("".join)


@FAST
@given(_MARKER_TEXT)
@example("Op 1 juni 202212 en 20223, zie nota.3 en brief.12 en woord4 (20 2022Z19041")
def test_glued_markers_are_found_where_the_lookbehind_patterns_find_them(text):
    """layout.matches_where tries each footnote-marker pattern only where its candidate matches (the
    specification: the pattern's own finditer, which tries every position)."""
    from dossierkg.parse.layout import _AFTER_FULL_STOP, _GLUED, _GLUED_TO_YEAR, matches_where
    for patterns in (_GLUED_TO_YEAR, _GLUED, _AFTER_FULL_STOP):
        assert [m.span(1) for m in matches_where(patterns, text)] == [m.span(1) for m in patterns[0].finditer(text)]


_CITING_TEXT = st.lists(st.sampled_from(["zie", "Zie", "ook", "het", "antwoord", "antwoorden", "op", "de", "vraag",
                                         "VRAGEN", "vragen", "aangegeven", "bij", "in", "mijn", "Kamer", "brief",
                                         "van", "13 december 2022", "3", "12", "en", "t/m", " ", "\n", "\u00a0", ","]),
                        max_size=16).map("".join)


@FAST
@given(_CITING_TEXT)
@example("zie het antwoord op de vragen 2 en 3, in mijn Kamerbrief van 13 december 2022")
@example("in de brief\nvan\u00a013 december 2022")
@example("Kamerbrief van 13 december 2022 en vragen 4 t/m 6")
def test_the_quick_hints_hold_in_every_letter_and_answer_reference(text):
    """assemble searches for references to letters and answers only in blocks where citations.LETTER_HINT and
    CROSS_HINT find something: every match of LETTER_RE and CROSS_RE holds theirs; and for letters only where
    one can start (LETTER_STARTS)."""
    from dossierkg.parse.citations import CROSS_HINT, CROSS_RE, LETTER_HINT, LETTER_RE, LETTER_STARTS
    from dossierkg.parse.layout import matches_where
    for pattern, hint in ((LETTER_RE, LETTER_HINT), (CROSS_RE, CROSS_HINT)):
        for m in pattern.finditer(text):
            assert hint.search(m.group(0)), (pattern.pattern[:30], m.group(0))
    assert [m.span() for m in matches_where(LETTER_STARTS, text)] == [m.span() for m in LETTER_RE.finditer(text)]


# --- what the fuzzing found (kept as plain cases) ---------------------------------------------------------

def test_numbers_reads_only_decimal_digits():
    assert numbers("²") == () and numbers("1 t/m ³") == (1,)  # str.isdigit() is true for '²', int() fails
    assert numbers("١ en ٣") == (1, 3)  # decimal digits of other scripts are numbers (\d matches them too)


def test_an_openkamer_page_without_questions_is_an_error():
    data = CORPUS["002_c13e7b55d78e5ffc.txt"]
    cut = data[:data.index("• Vraag 1".encode()) + len("• Vraag 1".encode())]  # the page stops at the first label
    doc = parse_and_check(cut, "cut.txt")
    assert doc.kind == "unknown" and doc.shape == "openkamer-page"
    assert doc.errors, "a document read as nothing is an error, as from the other parsers"
