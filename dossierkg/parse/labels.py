"""Question and answer labels: 'Vraag 2 en 3', 'Antwoord 2 t/m 6', 'Antwoord vragen 1,2,3,4 en 5'."""

from __future__ import annotations

import re

NUMS = r"\d{1,2}(?:\s*(?:,|en|t/m|tot en met|–|-)\s*\d{1,2})*"
_Q = r"(?i:vra(?:ag|gen))"
_A = r"(?i:antwoord(?:en)?)(?:\s+(?i:op))?(?:\s+(?:de\s+)?(?i:vra(?:ag|gen)))?"
_END = r"\s*[:.)]?\s*"
QUESTION_RE = re.compile(rf"^\s*(?:•\s*)?(?P<word>{_Q})\s+(?P<nums>{NUMS}){_END}(?P<rest>[A-Z«“‘'\"].*)?$")
ANSWER_RE = re.compile(rf"^\s*(?:•\s*)?(?P<word>{_A})\s+(?P<nums>{NUMS}){_END}(?P<rest>[A-Z«“‘'\"].*)?$")
BARE_ANSWER_RE = re.compile(r"^\s*(?i:antwoord)\s*:\s*(?P<rest>\S.*)?$")
NUMBERED_QUESTION_RE = re.compile(r"^\s*(?P<nums>\d{1,2})[.)]\s+(?P<rest>\S.*)$")
BARE_NUMBER_RE = re.compile(r"^\s*(?P<nums>\d{1,2})\s*$")
ANY_LABEL = re.compile(rf"^\s*(?:•\s*)?(?:{_Q}|{_A})\s+{NUMS}{_END}$|^\s*(?i:antwoord)\s*:\s*$|^\s*Mededeling\s*$")


def numbers(spec: str) -> tuple[int, ...]:
    """'2 en 3' -> (2, 3); '2 t/m 6' -> (2..6); '1,2,3,4 en 5' -> (1..5)."""
    out: list[int] = []
    parts = re.split(r"\s*(t/m|tot en met|–|-|,|en)\s*", spec.strip())
    i = 0
    while i < len(parts):
        tok = parts[i]
        if tok.isdecimal():  # not isdigit: '²' is a digit that int() does not read
            n = int(tok)
            if i + 2 < len(parts) and parts[i + 1] in ("t/m", "tot en met", "–", "-") and parts[i + 2].isdecimal():
                m = int(parts[i + 2])
                if n <= m <= n + 50:
                    out.extend(range(n, m + 1))
                    i += 3
                    continue
            out.append(n)
        i += 1
    return tuple(dict.fromkeys(out))
