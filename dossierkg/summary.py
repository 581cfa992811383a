"""Readable one-screen summaries of parsed documents (the CLI prints them)."""

from __future__ import annotations

from .records import Document


def _people(people) -> str:
    out = []
    for p in people:
        s = p.name or p.role or "?"
        if p.name and p.party:
            s += f" ({p.party})"
        if p.name and p.role:
            s += f", {p.role}"
        if p.on_behalf_of:
            s += ", mede namens " + "; ".join(o.role or o.name or "?" for o in p.on_behalf_of)
        out.append(s)
    return "; ".join(out) or "-"


def document_summary(doc: Document) -> str:
    lines = [f"{doc.source}: {doc.kind}" + (f" — {doc.title}" if doc.title else "")]
    if doc.identifiers:
        lines.append(f"  identifiers: {', '.join(doc.identifiers)}")
    dates = [f"{k} {v}" for k, v in (("submitted", doc.submitted), ("answered", doc.answered)) if v]
    if doc.postponements:
        dates.append("postponed " + ", ".join(doc.postponements))
    if doc.date and not dates:
        dates.append(f"dated {doc.date}")
    if dates:
        lines.append("  dates: " + "; ".join(dates))
    if doc.submitters:
        lines.append(f"  submitters: {_people(doc.submitters)}")
    if doc.addressees:
        lines.append(f"  addressees: {_people(doc.addressees)}")
    if doc.answerers:
        lines.append(f"  answerers: {_people(doc.answerers)}")
    counts = []
    if doc.questions or doc.answers:
        nq = sum(len(q.numbers) for q in doc.questions)
        counts.append(f"{nq} questions in {len(doc.questions)} blocks")
        counts.append(f"{len(doc.answers)} answers")
    if doc.sections:
        counts.append(f"{len(doc.sections)} sections")
    if doc.advices:
        counts.append(f"{len(doc.advices)} advices")
    counts.append(f"{len(doc.footnotes)} footnotes")
    counts.append(f"{len(doc.references)} references")
    lines.append("  counts: " + ", ".join(counts))
    for p in doc.errors:
        lines.append(f"  error{f' (line {p.line})' if p.line else ''}: {p.message}")
    for p in doc.warnings:
        lines.append(f"  warning{f' (line {p.line})' if p.line else ''}: {p.message}")
    return "\n".join(lines)
