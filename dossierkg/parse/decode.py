"""Bytes to text: detect encodings and damage, and say what was wrong, with a line number.

`decode` never guesses silently: every repair (UTF-16, cp1252, a cut-off UTF-8 character, NUL bytes,
very long lines) is reported as a warning, and input that is not text at all raises `UnreadableInput`
carrying the error to report. Repairs keep offsets stable where they can (a NUL becomes one space), and
spans index the returned text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..records import Problem

LONG_LINE = 100_000  # characters; longer lines are read but reported
MAX_LINES_NAMED = 5  # a warning about many lines names the first few

# Control characters that do not occur in text (tab, LF, VT, FF, CR are text; so is NUL, reported apart).
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f]")
_NUL = re.compile(r"\x00")

# Signatures of binary formats someone may pass by mistake, and what to tell them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file; extract its text first (e.g. pdftotext -layout)"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .odt is one); extract its text first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office (.doc) file; extract its text first"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed; decompress it first"),
    (b"\x7fELF", "an executable"),
)


class UnreadableInput(Exception):
    """The bytes are not a text the parser can read; carries the Problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[Problem, ...]


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _lines_named(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:MAX_LINES_NAMED]))
    more = len(numbers) - MAX_LINES_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def _looks_utf16(data: bytes) -> str | None:
    """The codec for UTF-16 input ('utf-16' when a BOM says which), or None."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:4000]
    if len(sample) >= 8:
        half = len(sample) / 2
        even = sample[0::2].count(0) / half
        odd = sample[1::2].count(0) / half
        if odd > 0.4 and even < 0.05:
            return "utf-16-le"
        if even > 0.4 and odd < 0.05:
            return "utf-16-be"
    return None


def _decode_utf16(data: bytes, codec: str, warnings: list[Problem]) -> str:
    bom = data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE)
    if codec == "utf-16":
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        data = data[2:]
    cut = False
    if len(data) % 2:
        data, cut = data[:-1], True
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start - exc.start % 2].decode(codec, errors="replace").count("\n") + 1
        raise UnreadableInput(Problem(f"looks like {codec.upper()} but does not decode ({exc.reason})",
                                      line, "error")) from None
    variant = f"{codec.upper()} {'with' if bom else 'without'} byte-order mark"
    warnings.append(Problem(f"file is {variant}, not UTF-8; decoded as {codec.upper()} "
                            "(spans index the decoded text)"))
    if cut:
        warnings.append(Problem("file ends in the middle of a UTF-16 character: it looks truncated; "
                                "the last byte was dropped", _line_at(text, len(text))))
    return text


def _decode_8bit(data: bytes, warnings: list[Problem]) -> tuple[str, str]:
    """UTF-8 when it is; else line by line, lines that are not UTF-8 read as cp1252."""
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(body):
            # The file stops inside a multi-byte character: cut off, not another encoding.
            text = body[:exc.start].decode("utf-8")
            warnings.append(Problem("file ends in the middle of a UTF-8 character: it looks truncated; "
                                    f"the last {len(body) - exc.start} byte(s) were dropped", _line_at(text, len(text))))
            return text, "utf-8"
    lines = body.split(b"\n")  # a UTF-8 multi-byte sequence never contains 0x0A, so this split is safe
    out: list[str] = []
    bad: list[int] = []
    first_byte = None
    utf8_lines = 0
    for number, raw in enumerate(lines, 1):
        try:
            out.append(raw.decode("utf-8"))
            if not raw.isascii():
                utf8_lines += 1
        except UnicodeDecodeError as exc:
            if first_byte is None:
                first_byte = raw[exc.start]
            bad.append(number)
            out.append(raw.decode("cp1252", errors="replace"))
    text = "\n".join(out)
    if utf8_lines:
        warnings.append(Problem(f"mixed encodings: line(s) {_lines_named(bad)} are not valid UTF-8 "
                                f"(first bad byte 0x{first_byte:02x}); those lines decoded as cp1252", bad[0]))
        return text, "utf-8+cp1252"
    warnings.append(Problem(f"not valid UTF-8 (byte 0x{first_byte:02x} on line {bad[0]}); decoded as cp1252 "
                            f"({len(bad)} line(s) with non-UTF-8 bytes)", bad[0]))
    return text, "cp1252"


def _binary_kind(data: bytes) -> str | None:
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    return None


def decode(data: bytes) -> Decoded:
    """Decode a source file; raise UnreadableInput for empty or binary input."""
    warnings: list[Problem] = []
    if not data:
        raise UnreadableInput(Problem("empty file (0 bytes): no text to read", None, "error"))
    what = _binary_kind(data)
    if what:
        raise UnreadableInput(Problem(f"binary file, not text: {what}", None, "error"))
    utf16 = _looks_utf16(data)
    if utf16:
        text = _decode_utf16(data, utf16, warnings)
        encoding = "utf-16"
    else:
        text, encoding = _decode_8bit(data, warnings)
    if not text.strip():
        raise UnreadableInput(Problem(f"file holds only whitespace ({len(data):,} bytes): no text to read",
                                      None, "error"))
    controls = len(_CONTROL.findall(text)) + text.count("\x00")
    if controls > max(8, len(text) * 0.02):
        m = _CONTROL.search(text) or _NUL.search(text)
        raise UnreadableInput(Problem(f"binary file, not text: {controls:,} control characters "
                                      f"in {len(text):,} characters; the first is on this line",
                                      _line_at(text, m.start()), "error"))
    if "\x00" in text:
        lines, line, counted = [], 1, 0  # counted once through the text, not once per NUL
        for m in _NUL.finditer(text):
            line += text.count("\n", counted, m.start())
            counted = m.start()
            if not lines or lines[-1] != line:
                lines.append(line)
        warnings.append(Problem(f"{text.count(chr(0))} NUL byte(s) on line(s) {_lines_named(lines)}; "
                                "read as spaces", lines[0]))
        text = text.replace("\x00", " ")  # same length: spans are unchanged
    if len(text) > LONG_LINE:
        for number, line in enumerate(text.split("\n"), 1):
            if len(line) > LONG_LINE:
                warnings.append(Problem(f"line is {len(line):,} characters long; read as running text", number))
    return Decoded(text, encoding, tuple(warnings))
