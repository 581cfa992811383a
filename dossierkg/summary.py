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


def build_summary(built) -> str:
    """Documents, resources by class, triples and conformance of a build."""
    docs = built.documents
    lines = [f"documents: {len(docs)} ({', '.join(f'{k} {v}' for k, v in sorted(_kinds(docs).items()))})"]
    classes = built.classes()
    lines.append("resources: " + ", ".join(f"{k} {v}" for k, v in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))))
    lines.append(f"triples: {built.triple_count()} in {len(built.graphs)} named graphs")
    if built.unchanged:
        lines.append("unchanged: every input is as the previous build had it; that build is kept, nothing written")
    elif built.distrusted:
        lines.append(f"incremental: none, the previous build's {built.distrusted}: every graph made again")
    elif built.reused:
        lines.append(f"incremental: {built.reused} of {len(docs)} document graphs unchanged, copied from the previous build")
    if built.report is not None:
        r = built.report
        state = "conforms" if r.conforms else f"does NOT conform ({len(r.violations)} violations)"
        other = len(r.results) - len(r.violations)
        lines.append(f"SHACL: {state}" + (f", {other} warnings/notes" if other else ""))
    for d in built.failed:
        for p in d.errors:
            lines.append(f"error: {d.source}{f':{p.line}' if p.line else ''}: {p.message}")
    if built.written:
        shown = [_relative(p) for p in built.written]
        lines.append(("kept: " if built.unchanged else "written: ") + ", ".join(shown)
                     + f", {_relative(built.written[0].parent / 'store')}/")
    elif built.failed:
        lines.append("nothing written: the previous build is kept")
    return "\n".join(lines)


def _kinds(docs):
    from collections import Counter
    return Counter(d.kind for d in docs)


def _relative(path) -> str:
    from pathlib import Path
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))  # the links, not the generation they point to
    except ValueError:
        return str(path)


def explanation_text(ex, color: bool = False) -> str:
    """An Explanation for a terminal (span highlighted) or a file (span underlined with carets)."""
    import click

    lines = [ex.iri, f"  a {', '.join(ex.types)}", "", "facts:"]
    for p, o, g in ex.facts:
        value = o if len(o) <= 200 else o[:199] + "…"
        lines.append(f"  {p} {value}   [graph {g}]")
    lines += ["", "from the sources:"]
    for ps in ex.passages:
        head = f"  {ps.file}, line {ps.line} (characters {ps.start}-{ps.end})" + (f" — {ps.via}" if ps.via else "")
        lines.append(head)
        a, b = ps.mark
        text = ps.sentence
        if color:
            lines.append("    " + text[:a] + click.style(text[a:b], reverse=True, bold=True) + text[b:])
        else:
            lines.append("    " + text)
            if (a, b) != (0, len(text)):
                lines.append("    " + " " * a + "^" * max(1, min(b, len(text)) - a))
    if ex.activities:
        lines += ["", "made by:"]
        lines += [f"  {a['activity']} ({a['software']}, {a['time']})   [graph {a['graph']}]" for a in ex.activities[:5]]
        if len(ex.activities) > 5:
            lines.append(f"  … and the activities of {len(ex.activities) - 5} more graphs")
    return "\n".join(lines)
