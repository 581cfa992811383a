"""Reconciliation against a SPARQL endpoint holding Wikidata-shaped data (`kg link --endpoint URL`).

The persons, parties, organisations and news outlets of the last build are looked up by label on the
endpoint (rdfs:label / skos:altLabel, language-tagged, in Dutch, English or Wikidata's `mul`), and every
candidate is scored with its evidence:

- label: the whole name equals a label or alias, normalised for case, diacritics, punctuation and
  Dutch tussenvoegsels ("van der", "de", …), or only partly (a name given by surname alone, "Koekkoek",
  matches a label ending in that surname; a party or organisation name inside a longer label);
- type: the candidate is an instance (wdt:P31/wdt:P279*) of what the entity is (person: human Q5, party:
  political party Q7278, organisation and news outlet: organization Q43229, so a government agency
  Q327333 counts); an instance of something else counts against it;
- party: the party our person is a member of (dkg:memberOfParty) by its Wikidata link or its name, against
  the candidate's wdt:P102 (or p:P102/ps:P102); another party counts against it;
- position: the posts our person holds (org:holds, "Staatssecretaris van Justitie en Veiligheid") and, for
  a person who asked Kamervragen, membership of the Tweede Kamer, against the labels of wdt:P39 (or
  p:P39/ps:P39, with pq:P580/pq:P582 dates when given);
- country: a Dutch person (wdt:P27) or party (wdt:P17) of the Netherlands (Q55);
- members (parties): a member of our party whose best candidate has this party as wdt:P102.

Weights (hundredths): exact label 40, partial 10, type 25 (against −25), party 15 (against −15),
position 10, country 10, members 15. A score is the sum, at most 1.00 for a person.

A candidate is proposed only when it scores at least --min, is the best for its entity, beats the second by
--margin, and the entity has no curated link yet (in the graph or in the links file). Proposals are
skos:closeMatch links, for review: never owl:sameAs. `apply` appends them to dossier/links.csv, with the
endpoint, the score and the reasons as evidence, atomically and without duplicating a row.

Every value that comes from the dossier or the endpoint goes into a query as a VALUES term (`Term.n3()`),
never formatted into the query text.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Literal, URIRef

from .links import ENTITY_QUERY, RELATIONS, read_links
from .namespace import DEFAULT_BASE

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
HUMAN, PARTY, ORGANIZATION, NETHERLANDS = WD + "Q5", WD + "Q7278", WD + "Q43229", WD + "Q55"
WANTED = {"person": HUMAN, "party": PARTY, "organisation": ORGANIZATION, "news outlet": ORGANIZATION}
TYPE_NAMES = {HUMAN: "human", PARTY: "political party", ORGANIZATION: "organization"}
LANGUAGES = ("nl", "en", "mul", "")
TWEEDE_KAMER_MEMBER = "lid van de Tweede Kamer"
CLOSE_MATCH = "skos:closeMatch"
PROVENANCE_GRAPH = "graaf/provenance"

W_EXACT, W_PARTIAL, W_TYPE, W_PARTY, W_POSITION, W_COUNTRY, W_MEMBERS = 40, 10, 25, 15, 10, 10, 15
DEFAULT_MIN, DEFAULT_MARGIN, SHOWN = 0.5, 0.1, 5
CANDIDATE_LIMIT = 5000

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
"""

TUSSENVOEGSELS = {"van", "der", "den", "de", "het", "ter", "ten", "te", "t", "in", "op", "aan", "bij", "uit",
                  "voor", "onder", "over", "la", "le", "du", "da", "di", "d", "l"}


class ReconcileError(Exception):
    pass


# --- normalising names -----------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces, single spaces: 'Appèl' -> 'appel'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def core(text: str) -> list[str]:
    """The folded words of a name without tussenvoegsels: 'Eric van der Burg' -> ['eric', 'burg']."""
    words = fold(text).split()
    kept = [w for w in words if w not in TUSSENVOEGSELS]
    return kept or words


def clean(text: str) -> str:
    """One line, no control characters (labels from an endpoint go into a table and a CSV file)."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())


# --- the entities of the build ---------------------------------------------------------------------------

@dataclass
class Party:
    iri: str
    label: str
    targets: list[str] = field(default_factory=list)  # its links (owl:sameAs, skos:*Match)


@dataclass
class Entity:
    iri: str
    key: str  # the IRI relative to the build's base, as dossier/links.csv names it
    kind: str  # person, party, organisation, news outlet
    label: str
    aliases: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (relation, target) in the graph
    parties: list[Party] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # for a party: the IRIs of its members

    @property
    def names(self) -> list[str]:
        return [self.label] + [a for a in self.aliases if a != self.label]

    @property
    def wikidata(self) -> list[str]:
        return [t for _, t in self.links if t.startswith(WD)]


LINK_QUERY = """
SELECT ?entity ?relation ?target WHERE {
  VALUES (?relation ?p) { ("owl:sameAs" <http://www.w3.org/2002/07/owl#sameAs>)
                          ("skos:exactMatch" <http://www.w3.org/2004/02/skos/core#exactMatch>)
                          ("skos:closeMatch" <http://www.w3.org/2004/02/skos/core#closeMatch>)
                          ("rdfs:seeAlso" <http://www.w3.org/2000/01/rdf-schema#seeAlso>) }
  ?entity ?p ?target .
}"""

PARTY_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dkg: <https://w3id.org/dossier-kg/def#>
SELECT ?person ?party ?label WHERE {
  ?person dkg:memberOfParty ?party .
  OPTIONAL { ?party skos:prefLabel ?pref }
  BIND (COALESCE(?pref, STR(?party)) AS ?label)
}"""

POST_QUERY = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?person ?label WHERE {
  ?person org:holds ?post .
  OPTIONAL { ?post rdfs:label ?rl } OPTIONAL { ?post skos:prefLabel ?pl }
  BIND (COALESCE(?rl, ?pl) AS ?label)
  FILTER (BOUND(?label))
}"""

ASKED_QUERY = """
PREFIX dkg: <https://w3id.org/dossier-kg/def#>
SELECT DISTINCT ?person WHERE { ?questions dkg:submittedBy ?person . }"""


def build_base(store) -> str:
    """The base IRI the build used: the name of its provenance graph is <base>graaf/provenance."""
    import pyoxigraph as ox

    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode) and g.value.endswith(PROVENANCE_GRAPH):
            return g.value[: -len(PROVENANCE_GRAPH)]
    return DEFAULT_BASE


def read_aliases(path: Path) -> dict[str, list[str]]:
    """organisatie/<key> -> its names in the gazetteer (ontology/organisations.csv)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {"organisatie/" + row["key"]: [a for a in row["aliases"].split("|") if a]
                for row in csv.DictReader(fh)}


def read_entities(store, base: str, aliases: dict[str, list[str]] | None = None) -> list[Entity]:
    """The persons, parties, organisations and news outlets of the build (a pyoxigraph Store), with the
    links, parties, posts and members the scoring uses."""
    aliases = aliases or {}

    def values(query, *names):
        return [tuple((r[n].value if r[n] is not None else None) for n in names) for r in store.query(query)]

    out: dict[str, Entity] = {}
    for kind, iri, label in values(ENTITY_QUERY, "kind", "entity", "label"):
        key = iri[len(base):] if iri.startswith(base) else iri
        out[iri] = Entity(iri, key, kind, label, aliases.get(key, []))
    for iri, relation, target in values(LINK_QUERY, "entity", "relation", "target"):
        if iri in out:
            out[iri].links.append((relation, target))
    party_links = {iri: [t for r, t in e.links if r != "rdfs:seeAlso"] for iri, e in out.items()}
    for person, party, label in values(PARTY_QUERY, "person", "party", "label"):
        if person in out:
            out[person].parties.append(Party(party, label, party_links.get(party, [])))
        if party in out:
            out[party].members.append(person)
    for person, label in values(POST_QUERY, "person", "label"):
        if person in out and label not in out[person].positions:
            out[person].positions.append(label)
    for (person,) in values(ASKED_QUERY, "person"):
        if person in out and out[person].kind == "person":
            out[person].positions.append(TWEEDE_KAMER_MEMBER)
    return list(out.values())


# --- queries to the endpoint -----------------------------------------------------------------------------

def _values(names: list[str], rows: list[tuple]) -> str:
    """A VALUES block whose terms are written by rdflib (Term.n3()): quotes, newlines and braces in a value
    are escaped inside its literal, so no value can end the block or add to the query."""
    body = "\n    ".join("(" + " ".join(term.n3() for term in row) + ")" for row in rows)
    return "VALUES (" + " ".join("?" + n for n in names) + ") {\n    " + body + "\n  }"


def needles(entity: Entity) -> list[tuple[str, str]]:
    """(mode, text) pairs that select label candidates on the endpoint: a person by the last word of the
    name ('burg', 'koekkoek'); an organisation by each name: short ones ('ind', 'nos') equal to a label,
    longer ones by their longest word contained in a label. Lower case, as written and without diacritics."""
    out: list[tuple[str, str]] = []

    def add(mode, text):
        for t in (text.lower(), fold(text)):
            if t and (mode, t) not in out:
                out.append((mode, t))

    if entity.kind == "person":
        words = core(entity.label)
        if not words:
            return out
        raw = [w for w in re.split(r"[\s]+", entity.label.strip()) if fold(w) and fold(w) not in TUSSENVOEGSELS]
        add("contains", raw[-1] if raw and fold(raw[-1]) == words[-1] else words[-1])
        return out
    for name in entity.names:
        if len(name.strip()) <= 5:
            add("equals", name.strip())
        elif fold(name):
            words = re.split(r"[\s\-–/&,.()]+", name)
            add("contains", max(words, key=len))
    return out


def candidate_query(entities: list[Entity], limit: int = CANDIDATE_LIMIT) -> str:
    rows = [(URIRef(e.iri), Literal(mode), Literal(text)) for e in entities for mode, text in needles(e)]
    languages = ", ".join(Literal(x).n3() for x in LANGUAGES)
    return PREFIXES + f"""SELECT DISTINCT ?entity ?item WHERE {{
  {_values(["entity", "mode", "needle"], rows)}
  ?item rdfs:label|skos:altLabel ?label .
  FILTER (LANG(?label) IN ({languages}))
  FILTER (IF(?mode = "equals", LCASE(STR(?label)) = ?needle, CONTAINS(LCASE(STR(?label)), ?needle)))
}} LIMIT {int(limit)}"""


def details_query(items: list[str], wanted: list[str]) -> str:
    """Labels, descriptions, types reached, parties, positions (with dates) and countries of the items."""
    languages = ", ".join(Literal(x).n3() for x in LANGUAGES)
    return PREFIXES + f"""SELECT ?item ?what ?value ?start ?end WHERE {{
  {_values(["item"], [(URIRef(i),) for i in items])}
  {{ ?item rdfs:label ?value . FILTER (LANG(?value) IN ({languages})) BIND ("label" AS ?what) }}
  UNION {{ ?item skos:altLabel ?value . FILTER (LANG(?value) IN ({languages})) BIND ("alias" AS ?what) }}
  UNION {{ ?item schema:description ?value . FILTER (LANG(?value) IN ({languages})) BIND ("description" AS ?what) }}
  UNION {{ ?item wdt:P31 ?value . BIND ("P31" AS ?what) }}
  UNION {{ {_values(["value"], [(URIRef(w),) for w in wanted])} ?item wdt:P31/wdt:P279* ?value . BIND ("type" AS ?what) }}
  UNION {{ ?item wdt:P102 ?value . BIND ("P102" AS ?what) }}
  UNION {{ ?item p:P102/ps:P102 ?value . BIND ("P102" AS ?what) }}
  UNION {{ ?item wdt:P39 ?value . BIND ("P39" AS ?what) }}
  UNION {{ ?item p:P39 ?statement . ?statement ps:P39 ?value .
           OPTIONAL {{ ?statement pq:P580 ?start }} OPTIONAL {{ ?statement pq:P582 ?end }} BIND ("P39" AS ?what) }}
  UNION {{ ?item wdt:P27 ?value . BIND ("P27" AS ?what) }}
  UNION {{ ?item wdt:P17 ?value . BIND ("P17" AS ?what) }}
}}"""


def labels_query(iris: list[str]) -> str:
    languages = ", ".join(Literal(x).n3() for x in LANGUAGES)
    return PREFIXES + f"""SELECT ?item ?what ?value WHERE {{
  {_values(["item"], [(URIRef(i),) for i in iris])}
  {{ ?item rdfs:label ?value . BIND ("label" AS ?what) }} UNION {{ ?item skos:altLabel ?value . BIND ("alias" AS ?what) }}
  FILTER (LANG(?value) IN ({languages}))
}}"""


# --- what the endpoint says about an item ----------------------------------------------------------------

@dataclass
class Item:
    iri: str
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, language) rdfs:label
    aliases: list[tuple[str, str]] = field(default_factory=list)  # skos:altLabel
    descriptions: list[tuple[str, str]] = field(default_factory=list)
    types: set[str] = field(default_factory=set)  # wdt:P31
    reaches: set[str] = field(default_factory=set)  # wanted classes reached by P31/P279*
    parties: set[str] = field(default_factory=set)
    positions: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    countries: set[str] = field(default_factory=set)

    def names(self) -> list[tuple[str, str, str]]:
        """Labels, then aliases, each in the order nl, en, mul, none, others."""
        def order(pair):
            return LANGUAGES.index(pair[1]) if pair[1] in LANGUAGES else len(LANGUAGES)
        return ([(t, lang, "label") for t, lang in sorted(self.labels, key=order)]
                + [(t, lang, "alias") for t, lang in sorted(self.aliases, key=order)])


def _best(pairs: list[tuple[str, str]]) -> str | None:
    for lang in LANGUAGES:
        for text, lg in pairs:
            if lg == lang:
                return text
    return pairs[0][0] if pairs else None


def _lang(binding: dict) -> str:
    return binding.get("xml:lang", "")


def short(iri: str) -> str:
    return "wd:" + iri[len(WD):] if iri.startswith(WD) else iri


class Labels:
    """Labels and aliases of the items the candidates point to (parties, positions, classes, countries)."""

    def __init__(self):
        self.labels: dict[str, list[tuple[str, str]]] = {}
        self.aliases: dict[str, list[tuple[str, str]]] = {}

    def name(self, iri: str) -> str:
        return clean(_best(self.labels.get(iri, [])) or short(iri))

    def all(self, iri: str) -> list[str]:
        return [t for t, _ in self.labels.get(iri, []) + self.aliases.get(iri, [])]


# --- scoring -------------------------------------------------------------------------------------------

@dataclass
class Candidate:
    entity: Entity
    item: Item
    label: str  # the label or alias that matched
    score: int  # hundredths
    reasons: list[str]
    exact: bool
    status: str = ""  # "proposed", "ambiguous", "" (ranked below the best), "linked" (entity already linked)

    @property
    def description(self) -> str:
        return clean(_best(self.item.descriptions) or "")

    @property
    def display(self) -> str:
        label = clean(_best(self.item.labels) or self.label)
        return f"{label} — {self.description}" if self.description else label

    @property
    def value(self) -> float:
        return self.score / 100


def match_label(entity: Entity, item: Item) -> tuple[str, str, str] | None:
    """('exact'|'partial', matched text, language) or None."""
    best = None
    for name in entity.names:
        ours_core, ours_fold = core(name), fold(name)
        for text, lang, _ in item.names():
            theirs_core, theirs_fold = core(text), fold(text)
            if ours_fold == theirs_fold or (entity.kind == "person" and ours_core == theirs_core):
                return "exact", text, lang
            if best:
                continue
            if entity.kind == "person":
                if len(ours_core) < len(theirs_core) and theirs_core[-len(ours_core):] == ours_core:
                    best = ("partial", text, lang)
            elif f" {ours_fold} " in f" {theirs_fold} ":
                best = ("partial", text, lang)
    return best


def _quote(text: str, lang: str) -> str:
    return f'"{clean(text)}"' + (f"@{lang}" if lang else "")


def score(entity: Entity, item: Item, labels: Labels, member_items: dict[str, list[tuple[str, Item]]]
          ) -> Candidate | None:
    found = match_label(entity, item)
    if not found:
        return None
    how, text, lang = found
    points = W_EXACT if how == "exact" else W_PARTIAL
    reasons = [f"{how} label {_quote(text, lang)}" + ("" if how == "exact" else f" for {_quote(entity.label, '')}")]
    wanted = WANTED[entity.kind]
    if wanted in item.reaches:
        points += W_TYPE
        direct = sorted(item.types)
        via = ", ".join(labels.name(t) for t in direct) if direct else ""
        name = TYPE_NAMES.get(wanted, short(wanted))
        reasons.append(f"{name} ({short(wanted)})" if wanted in item.types or not via
                       else f"{via}, a kind of {name} ({short(wanted)})")
    elif item.types:
        points -= W_TYPE
        reasons.append(f"not a {TYPE_NAMES.get(wanted, short(wanted))}: " + ", ".join(sorted(labels.name(t) for t in item.types)))
    if entity.kind == "person" and entity.parties and item.parties:
        agree = []
        for party in entity.parties:
            for p in sorted(item.parties):
                if p in party.targets:
                    agree.append(f"member of {party.label} = P102 {labels.name(p)} ({short(p)}, linked)")
                elif fold(party.label) in {fold(x) for x in labels.all(p)}:
                    agree.append(f"member of {party.label} = P102 {labels.name(p)}")
        if agree:
            points += W_PARTY
            reasons.append(agree[0])
        else:
            points -= W_PARTY
            reasons.append(f"member of {', '.join(p.label for p in entity.parties)}, not of P102 "
                           + ", ".join(labels.name(p) for p in sorted(item.parties)))
    if entity.kind == "person" and entity.positions and item.positions:
        for ours in entity.positions:
            hit = next((p for p in sorted(item.positions)
                        if any(fold(ours) in fold(x) or fold(x) == fold(ours) for x in labels.all(p))), None)
            if hit:
                points += W_POSITION
                start, end = item.positions[hit]
                when = (f" ({start[:10]} to {end[:10]})" if start and end else f" (since {start[:10]})" if start
                        else f" (until {end[:10]})" if end else "")
                reasons.append(f"{'asked Kamervragen' if ours == TWEEDE_KAMER_MEMBER else 'holds ' + ours}"
                               f" = P39 {labels.name(hit)}{when}")
                break
    if entity.kind in ("person", "party") and NETHERLANDS in item.countries:
        points += W_COUNTRY
        reasons.append(f"Dutch ({'P27' if entity.kind == 'person' else 'P17'} {labels.name(NETHERLANDS)})")
    if entity.kind == "party":
        for member, best in member_items.get(entity.iri, []):
            if item.iri in best.parties:
                points += W_MEMBERS
                reasons.append(f"member {member}: {clean(_best(best.labels) or short(best.iri))} has P102 {labels.name(item.iri)}")
                break
    return Candidate(entity, item, text, points, reasons, how == "exact")


# --- the whole run ---------------------------------------------------------------------------------------

@dataclass
class Outcome:
    entity: Entity
    candidates: list[Candidate]  # ranked, at least --min
    curated: list[str] = field(default_factory=list)  # the entity's curated links ("relation target")

    @property
    def proposal(self) -> Candidate | None:
        return next((c for c in self.candidates if c.status == "proposed"), None)


Select = Callable[[str, str], object]


def _remote(endpoint: str, timeout: float) -> Select:
    from .store import remote_select

    return lambda _purpose, query: remote_select(endpoint, query, timeout)


IRI = re.compile(r"https?://[^\x00-\x20<>\"{}|\\^`]+")


def fetch(entities: list[Entity], select: Select, notes: list[str] | None = None
          ) -> tuple[dict[str, list[str]], dict[str, Item], Labels]:
    """Candidates per entity, the candidate items, and the labels of what they point to. An answer that is not
    an http(s) IRI is left out (it could not be written back into a query as a term)."""
    notes = notes if notes is not None else []
    ours = {e.iri for e in entities}

    def run(purpose, query):
        results = select(purpose, query)
        notes.extend(f"{purpose} query: {w}" for w in getattr(results, "warnings", []))
        return results.bindings

    found: dict[str, list[str]] = {}
    answers = run("candidates", candidate_query(entities))
    if len(answers) >= CANDIDATE_LIMIT:
        notes.append(f"the label search returned {len(answers)} rows, its limit: some candidates may be missing")
    for b in answers:
        entity, item = b.get("entity", {}).get("value"), b.get("item", {})
        if entity not in ours or item.get("type") != "uri" or not IRI.fullmatch(item.get("value", "")):
            continue
        if item["value"] not in found.setdefault(entity, []):
            found[entity].append(item["value"])
    iris = sorted({i for v in found.values() for i in v})
    items = {i: Item(i) for i in iris}
    if iris:
        wanted = sorted(set(WANTED.values()))
        for b in run("details", details_query(iris, wanted)):
            item, what, value = items.get(b["item"]["value"]), b["what"]["value"], b["value"]
            v = value["value"]
            if item is None or value["type"] == "uri" and not IRI.fullmatch(v):
                continue
            if what == "label":
                item.labels.append((v, _lang(value)))
            elif what == "alias":
                item.aliases.append((v, _lang(value)))
            elif what == "description":
                item.descriptions.append((v, _lang(value)))
            elif value["type"] != "uri":
                continue
            elif what == "P31":
                item.types.add(v)
            elif what == "type":
                item.reaches.add(v)
            elif what == "P102":
                item.parties.add(v)
            elif what == "P39":
                start = b.get("start", {}).get("value")
                end = b.get("end", {}).get("value")
                old = item.positions.get(v, (None, None))
                item.positions[v] = (old[0] or start, old[1] or end)
            elif what in ("P27", "P17"):
                item.countries.add(v)
    labels = Labels()
    refs = sorted({x for it in items.values() for x in (*it.types, *it.parties, *it.positions, *it.countries)}
                  | {NETHERLANDS} | set(items))
    if refs:
        for b in run("labels", labels_query(refs)):
            target = labels.labels if b["what"]["value"] == "label" else labels.aliases
            target.setdefault(b["item"]["value"], []).append((b["value"]["value"], _lang(b["value"])))
    return found, items, labels


def rank(entities: list[Entity], found: dict[str, list[str]], items: dict[str, Item], labels: Labels,
         curated: dict[str, list[str]], minimum: float = DEFAULT_MIN, margin: float = DEFAULT_MARGIN
         ) -> list[Outcome]:
    """Score every candidate; persons first, so a party can use its members' best candidates."""
    low, gap = round(minimum * 100), round(margin * 100)
    outcomes: dict[str, Outcome] = {}
    member_items: dict[str, list[tuple[str, Item]]] = {}
    order = sorted(entities, key=lambda e: (e.kind != "person", e.kind, e.label))
    by_iri = {e.iri: e for e in entities}
    for entity in order:
        if entity.kind == "party":
            for member in entity.members:
                best = outcomes.get(member)
                if best and best.candidates:
                    member_items.setdefault(entity.iri, []).append((by_iri[member].label, best.candidates[0].item))
        scored = [c for c in (score(entity, items[i], labels, member_items) for i in found.get(entity.iri, []))
                  if c is not None and c.score >= low]
        scored.sort(key=lambda c: (-c.score, not c.exact, c.item.iri))
        links = curated.get(entity.iri, [])
        if scored:
            if links:
                scored[0].status = "linked"
            elif len(scored) == 1 or scored[0].score - scored[1].score >= gap:
                scored[0].status = "proposed"
            else:
                scored[0].status = "ambiguous"
        outcomes[entity.iri] = Outcome(entity, scored, links)
    return [outcomes[e.iri] for e in entities]


def curated_links(entities: list[Entity], links_file: Path | None) -> dict[str, list[str]]:
    """Entity IRI -> its curated links: those in the graph and the rows of the links file."""
    out = {e.iri: [f"{r} {t}" for r, t in e.links] for e in entities}
    if links_file is not None and links_file.exists():
        _, rows = read_links(links_file)
        by_key = {e.key: e.iri for e in entities}
        for row in rows:
            if row.entity in by_key and f"{row.relation} {row.target}" not in out[by_key[row.entity]]:
                out[by_key[row.entity]].append(f"{row.relation} {row.target}")
    return {k: v for k, v in out.items() if v}


def reconcile(store, base: str, endpoint: str, links_file: Path | None = None, minimum: float = DEFAULT_MIN,
              margin: float = DEFAULT_MARGIN, timeout: float = 30.0, aliases: dict[str, list[str]] | None = None,
              select: Select | None = None, notes: list[str] | None = None) -> list[Outcome]:
    """Reconcile the build in `store` against `endpoint`; warnings about the answers go to `notes`."""
    entities = read_entities(store, base, aliases)
    found, items, labels = fetch(entities, select or _remote(endpoint, timeout), notes)
    return rank(entities, found, items, labels, curated_links(entities, links_file), minimum, margin)


# --- output ----------------------------------------------------------------------------------------------

def table(outcomes: list[Outcome], minimum: float = DEFAULT_MIN, shown: int = SHOWN) -> str:
    """A ranked table per entity: entity, rank, candidate, label, score, status, reasons."""
    rows = []
    for o in outcomes:
        if o.curated:
            continue
        if not o.candidates:
            rows.append([o.entity.key, "", "-", o.entity.label, "", "none", f"no candidate scores {minimum:.2f} or more"])
            continue
        for n, c in enumerate(o.candidates[:shown], 1):
            rows.append([o.entity.key if n == 1 else "", str(n), short(c.item.iri), c.display, f"{c.value:.2f}",
                         c.status or "-", "; ".join(c.reasons)])
    head = ["entity", "#", "candidate", "label", "score", "status", "reasons"]
    return _render(head, rows)


def checks(outcomes: list[Outcome]) -> str:
    """Entities with a curated link: no proposal; the best candidate compared with their Wikidata link."""
    rows = []
    for o in outcomes:
        if not o.curated:
            continue
        wikidata = [x.split(" ", 1)[1] for x in o.curated if x.split(" ", 1)[1].startswith(WD)]
        top = o.candidates[0] if o.candidates else None
        if not wikidata:
            verdict = "no Wikidata link to compare"
        elif top is None:
            verdict = "no candidate ≥ min"
        else:
            verdict = "agrees" if top.item.iri in wikidata else "DIFFERS"
        rows.append([o.entity.key, ", ".join(short(t) for t in wikidata) or "-",
                     short(top.item.iri) if top else "-", f"{top.value:.2f}" if top else "", verdict])
    return _render(["linked entity", "curated", "best candidate", "score", "check"], rows)


def _render(head: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(head)]
    widths[-1] = 0
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(),
           "  ".join("-" * max(w, len(h)) for h, w in zip(head, widths))]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(out) + "\n"


# --- writing accepted candidates to the links file -------------------------------------------------------

def evidence(endpoint: str, candidate: Candidate) -> str:
    from .store import redact

    return clean(f"{redact(endpoint)} reconciliation, score {candidate.value:.2f}: " + "; ".join(candidate.reasons))


def apply(path: Path, outcomes: list[Outcome], endpoint: str) -> list[list[str]]:
    """Append a skos:closeMatch row for every proposal whose entity has no row in the file yet; never change
    or repeat a row. Written to a temporary file in the same folder, checked, then renamed over the file."""
    assert CLOSE_MATCH in RELATIONS
    text, existing = read_links(path) if path.exists() else ("", [])
    have = {(r.entity, r.relation, r.target) for r in existing}
    linked = {r.entity for r in existing}
    new = []
    for o in outcomes:
        c = o.proposal
        if c is None or o.curated or o.entity.key in linked or o.entity.key == o.entity.iri:
            continue
        row = [o.entity.key, CLOSE_MATCH, c.item.iri, evidence(endpoint, c),
               clean(f"{c.display}: proposed by kg link, to review")]
        if (row[0], row[1], row[2]) in have:
            continue
        have.add((row[0], row[1], row[2]))
        linked.add(row[0])
        new.append(row)
    if not new:
        return []
    buf = io.StringIO()
    if not text:
        buf.write("entity,relation,target,evidence,note\n")
    elif not text.endswith(("\n", "\r")):
        buf.write("\n")
    csv.writer(buf, lineterminator="\n").writerows(new)
    content = text + buf.getvalue()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        _, check = read_links(Path(tmp))  # the build must accept what we write
        if len(check) != len(existing) + len(new):
            raise ReconcileError(f"{path}: the new rows did not read back ({len(check)} rows)")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return new


__all__ = ["Candidate", "Entity", "Item", "Outcome", "ReconcileError", "apply", "build_base", "candidate_query", "checks",
           "core", "details_query", "fold", "read_aliases", "read_entities", "reconcile", "table"]
