"""Submitters, addressees and answerers from header sentences ('Vragen van …', 'Antwoord van …')."""

from __future__ import annotations

import re

from ..records import Person

# Posts held 'voor' a portfolio rather than 'van' a ministry (ministers without a ministry of their own).
_VOOR_POSTS = ("Buitenlandse Handel en Ontwikkelingshulp", "Natuur en Stikstof", "Klimaat en Energie",
               "Primair en Voortgezet Onderwijs", "Langdurige Zorg en Sport", "Rechtsbescherming",
               "Armoedebeleid, Participatie en Pensioenen", "Volkshuisvesting en Ruimtelijke Ordening",
               "Medische Zorg", "Migratie", "Basis- en Voortgezet Onderwijs en Media")


def unglue(s: str) -> str:
    """Repair words glued by PDF extraction in names and posts: 'vanBuitenlandse' -> 'van Buitenlandse'."""
    return re.sub(r"(?<=[a-zà-ÿ])(?=[A-Z][a-zà-ÿ])", " ", s)


def canonical_post(title: str, portfolio: str) -> str:
    """('minister', 'buitenlandse zaken') -> 'Minister van Buitenlandse Zaken'."""
    title = title.strip().capitalize()
    portfolio = unglue(re.sub(r"\s+", " ", portfolio.strip()))
    words = portfolio.split(" ")
    portfolio = " ".join(w if w in ("en", "voor", "van") or (w[:1].isupper()) else w.capitalize() for w in words)
    portfolio = re.sub(r"^(van|voor)\s+", "", portfolio)
    prep = "voor" if any(portfolio.lower() == p.lower() for p in _VOOR_POSTS) else "van"
    return f"{title} {prep} {portfolio}"


def split_roles(text: str) -> list[str]:
    """'de Ministers van Asiel en Migratie, voor Buitenlandse Handel en Ontwikkelingshulp en van Buitenlandse
    Zaken' -> three posts. Also 'de Minister van X en de Staatssecretaris van Y'."""
    text = unglue(re.sub(r"\s+", " ", text.strip()))
    out: list[str] = []
    for chunk in re.split(r",?\s+en\s+(?=de\s+|het\s+)", text):
        chunk = re.sub(r"^(de|het)\s+", "", chunk.strip())
        m = re.match(r"(?i)(minister-president|ministers?|staatssecretaris(?:sen)?|minister)\s+(.*)$", chunk)
        if not m:
            if chunk:
                out.append(chunk)
            continue
        title = m.group(1).lower()
        title = {"ministers": "minister", "staatssecretarissen": "staatssecretaris"}.get(title, title)
        rest = m.group(2)
        parts = re.split(r",\s+(?=(?:van|voor)\s)|\s+en\s+(?=(?:van|voor)\s)", rest) if rest[:4] in ("van ", "voor") else [rest]
        for part in parts:
            prep = part.split(" ", 1)[0]
            portfolio = part.split(" ", 1)[1] if prep in ("van", "voor") and " " in part else part
            name = canonical_post(title, portfolio)
            if prep == "voor" and " van " in name[:20]:
                name = name.replace(" van ", " voor ", 1)
            out.append(name)
    return out


def split_members(text: str) -> list[Person]:
    """'de leden Koekkoek (Volt), Van Nispen (SP) en Ceder (ChristenUnie)', 'de leden Paternotte en Podt
    (beiden D66)', 'Jasper van Dijk (SP)' -> persons with parties."""
    text = re.sub(r"\s+", " ", text.strip())
    text = re.sub(r"^(?:van\s+)?(?:het lid|de leden|lid|leden)\s+", "", text)
    people: list[Person] = []
    pending: list[str] = []
    for m in re.finditer(r"\s*(?:,|\ben\b)?\s*([^,()]+?)\s*(?:\((?:beiden\s+|allen\s+)?([^()]+)\))?(?=\s*(?:,|\ben\b|$))", text):
        name, party = m.group(1).strip(), m.group(2)
        name = re.sub(r"^(?:en|,)\s+", "", name).strip()
        if not name:
            continue
        pending.append(unglue(name))
        if party:
            people.extend(Person(name=n, party=party.strip()) for n in pending)
            pending = []
    people.extend(Person(name=n) for n in pending)
    return people


def answerer(text: str, addressees: list[Person]) -> Person | None:
    """'Minister Hoekstra (Buitenlandse Zaken), mede namens de Staatssecretaris van Justitie en Veiligheid'."""
    text = re.sub(r"\s+", " ", text.strip())
    m = re.match(r"(?i)(minister-president|minister|staatssecretaris)\s+(.+?)\s*\(([^()]+)\)\s*(?:,?\s*mede namens\s+(.*))?$", text)
    if not m:
        return None
    title, name, portfolio, behalf = m.groups()
    post = canonical_post(title, portfolio)
    for a in addressees:  # prefer the addressee's own spelling of the post ('voor' vs 'van')
        if a.role and a.role.lower().split(" ", 2)[-1] == post.lower().split(" ", 2)[-1] and a.role.lower().startswith(title.lower()):
            post = a.role
    others = tuple(Person(role=r) for r in split_roles(behalf)) if behalf else ()
    return Person(name=unglue(name.strip()), role=post, on_behalf_of=others)
