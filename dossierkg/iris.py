"""IRI templates minted from stable identifiers (kv-tk-…, ah-tk-…, kst-…, zaak numbers, names).

No blank nodes and no random identifiers: the same input always gives the same IRIs. The base is
configurable (`kg build --base`, or DOSSIER_KG_BASE); the default is https://w3id.org/dossier-kg/id/.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import PurePath

from rdflib import URIRef

from .namespace import DEFAULT_BASE, TOOI_ID

# Ministries with a TOOI identifier (https://identifier.overheid.nl/tooi/id/ministerie/…).
TOOI_MINISTRIES = {
    "Buitenlandse Zaken": "mnre1013",
    "Justitie en Veiligheid": "mnre1058",
}


def slug(text: str) -> str:
    """'Eric van der Burg' -> 'eric-van-der-burg'; 'Minister van Buitenlandse Zaken' -> 'minister-van-…'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@lru_cache(maxsize=1 << 16)
def stem(filename: str) -> str:
    """A file name without its folder and suffix ('kv-tk-2022Z18208.txt' -> 'kv-tk-2022Z18208'), as PurePath
    gives it, remembered: the IRIs of a document's file are minted thousands of times."""
    return PurePath(filename).stem


class Minter:
    """Mints every IRI of the graph under one base."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not re.match(r"^https?://\S+[/#]$", base):
            raise ValueError(f"base IRI must be http(s) and end with '/' or '#': {base!r}")
        self.base = base

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def document(self, identifier: str) -> URIRef:
        return self._iri(identifier)

    def part(self, document: URIRef, kind: str, key: str) -> URIRef:
        return URIRef(f"{document}/{kind}/{key}")

    def question(self, question_set: URIRef, numbers) -> URIRef:
        return self.part(question_set, "vraag", "-".join(map(str, numbers)))

    def answer(self, answer_set: URIRef, numbers) -> URIRef:
        return self.part(answer_set, "antwoord", "-".join(map(str, numbers)))

    def person(self, name: str) -> URIRef:
        return self._iri("persoon/" + slug(name))

    def party(self, name: str) -> URIRef:
        return self._iri("partij/" + slug(name))

    def post(self, role: str) -> URIRef:
        return self._iri("functie/" + slug(role))

    def ministry(self, portfolio: str) -> URIRef:
        code = TOOI_MINISTRIES.get(portfolio)
        return URIRef(f"{TOOI_ID}ministerie/{code}") if code else self._iri("ministerie/" + slug(portfolio))

    def outlet(self, name: str) -> URIRef:
        return self._iri("media/" + slug(name))

    def news_article(self, publisher: str | None, date: str | None, title: str | None,
                     url: str | None = None) -> URIRef:
        """From publisher, date and title; a source known only by its URL is named by the URL's hash."""
        if not (publisher or title) and url:
            return self._iri("bericht/url-" + hashlib.sha256(url.encode()).hexdigest()[:16])
        key = "-".join(slug(x) for x in (publisher or "onbekend", date or "zonder-datum", (title or "")[:60]) if x)
        return self._iri("bericht/" + key)

    def case(self, zaak: str) -> URIRef:
        return self._iri("zaak/" + zaak)

    def instrument(self, key: str) -> URIRef:
        return self._iri("instrument/" + slug(key))

    def act(self, key: str) -> URIRef:
        return self._iri("wet/" + slug(key))

    def provision(self, act_key: str, provision: str) -> URIRef:
        return self._iri(f"wet/{slug(act_key)}/{slug(provision)}")

    def source(self, filename: str) -> URIRef:
        return self._iri("bron/" + stem(filename))

    def span(self, filename: str, start: int, end: int) -> URIRef:
        return self._iri(f"bron/{stem(filename)}/{start}-{end}")

    def graph(self, filename: str) -> URIRef:
        return self._iri("graaf/" + stem(filename))

    @property
    def provenance_graph(self) -> URIRef:
        return self._iri("graaf/provenance")

    def links_graph(self, filename: str) -> URIRef:
        """The graph of the links derived from the identifiers a document prints (graaf/links/<stem>)."""
        return self._iri("graaf/links/" + stem(filename))

    def reuse_graph(self, filename: str) -> URIRef:
        """The graph of the text reuse found from a document's passages (graaf/hergebruik/<stem>)."""
        return self._iri("graaf/hergebruik/" + stem(filename))

    def activity(self, key: str) -> URIRef:
        return self._iri("build/" + key)

    def software(self, version: str) -> URIRef:
        return self._iri("software/dossier-kg/" + version)

    def role(self, name: str) -> URIRef:
        return self._iri("rol/" + slug(name))
