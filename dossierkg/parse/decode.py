"""Bytes to text: detect encodings and damage, and say what was wrong, with a line number."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..records import Problem

LONG_LINE = 100_000  # characters; longer lines are read but reported


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


def _line_of(data: bytes, index: int) -> int:
    return data.count(b"\n", 0, index) + 1


def _looks_utf16(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:4000]
    if len(sample) >= 8:
        even = sample[0::2].count(0) / (len(sample) / 2)
        odd = sample[1::2].count(0) / (len(sample) / 2)
        if odd > 0.4 and even < 0.05:
            return "utf-16-le"
        if even > 0.4 and odd < 0.05:
            return "utf-16-be"
    return None


def decode(data: bytes) -> Decoded:
    """Decode a source file; raise UnreadableInput for empty or binary input."""
    warnings: list[Problem] = []
    if not data.strip():
        raise UnreadableInput(Problem("empty file: no text to read", None, "error"))
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise UnreadableInput(Problem(f"looks like UTF-16 but does not decode: {exc.reason}",
                                          _line_of(data, exc.start), "error")) from None
        text = text.lstrip("\ufeff")
        warnings.append(Problem("file is UTF-16; decoded as UTF-16 (spans index the decoded text)"))
        encoding = "utf-16"
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
            text = data.decode("cp1252", errors="replace")
            encoding = "cp1252"
            warnings.append(Problem(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); decoded as cp1252", line))
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text[:20000]) * 0.02):
        first = next(i for i, ch in enumerate(text) if ord(ch) < 32 and ch not in "\t\n\r\f\v")
        raise UnreadableInput(Problem("binary file: not a text document",
                                      text.count("\n", 0, first) + 1, "error"))
    nul = text.find("\x00")
    if nul >= 0:
        warnings.append(Problem(f"{text.count(chr(0))} NUL byte(s) in the text; read as spaces",
                                text.count("\n", 0, nul) + 1))
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > LONG_LINE:
            warnings.append(Problem(f"line is {len(line):,} characters long; read as running text", number))
        start += len(line) + 1
    return Decoded(text, encoding, tuple(warnings))
