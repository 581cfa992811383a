"""The report as one HTML page: inline CSS, inline SVG, the source passages included; no script, nothing
fetched. Every text from the store or the sources goes through html.escape."""

from __future__ import annotations

from html import escape

from .data import ANSWER_TERM_DAYS, Citation, Report
from .passages import Passage
from .svg import COLOURS, network_svg, timeline_svg

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d9dde5; --paper: #ffffff; --soft: #f4f6f9;
  --late: #b3261e; --notice: #a15c00; --ok: #2a7a3b; --mark: #ffe58a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--soft); }
header, main, footer { max-width: 1080px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 28px; }
h1 { font-size: 28px; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 24px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 12px; max-width: 80ch; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 8px 0 0; list-style: none; }
a { color: #1f5fa8; }
section { background: var(--paper); padding: 4px 20px 20px; margin: 18px 0; border: 1px solid var(--rule);
  border-radius: 6px; }
section > h2 { border-top: none; margin-top: 12px; }
figure.chart { margin: 10px 0; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule); }
th { background: var(--soft); font-weight: 600; }
td.date { white-space: nowrap; }
td.src { min-width: 15em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:target, article:target, section:target { outline: 3px solid #f2b705; outline-offset: 2px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600;
  color: #fff; }
.badge.late { background: var(--late); }
.badge.notice { background: var(--notice); }
.badge.ok { background: var(--ok); }
.badge.verbatim { background: var(--ok); }
.badge.loose { background: var(--notice); }
tr.late-no-notice td:first-child { border-left: 4px solid var(--late); }
tr.late-notice td:first-child { border-left: 4px solid var(--notice); }
details { margin: 4px 0; }
summary { cursor: pointer; color: #1f5fa8; font-size: 13px; }
figure.passage { margin: 6px 0 10px; border-left: 3px solid var(--rule); padding: 2px 0 2px 10px; }
figure.passage pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0 0; font: 13px/1.45 ui-monospace,
  "DejaVu Sans Mono", Menlo, monospace; background: var(--soft); padding: 8px; border-radius: 4px; max-height: 26em;
  overflow: auto; }
mark { background: var(--mark); color: inherit; padding: 0 1px; border-radius: 2px; }
.status { color: var(--late); font-size: 13px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.pair figure.passage pre { font-size: 12px; }
@media (max-width: 760px) { .pair { grid-template-columns: 1fr; } }
.meter { display: inline-block; width: 120px; height: 10px; background: var(--rule); border-radius: 5px;
  vertical-align: middle; overflow: hidden; }
.meter span { display: block; height: 100%; background: #6b3fb0; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
footer { color: var(--muted); font-size: 13px; padding: 10px 20px 40px; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--ink); }
svg .tick { stroke: #e6e9ef; }
svg .axis { stroke: var(--muted); }
svg .tick-label, svg .mark-label { fill: var(--muted); }
svg .row-label { font-weight: 600; }
svg .row-rule { stroke: #eef0f4; }
svg .bar-valid { fill: #2a8c7a; }
svg .bar-extension { fill: url(#hatch); stroke: #2a8c7a; stroke-dasharray: 4 2; }
svg .bar-text { fill: #174d43; font-weight: 600; }
svg .wait { stroke: #8a94a6; stroke-width: 4; }
svg .wait.late { stroke: #e3a19b; }
svg .due { stroke: var(--late); stroke-width: 2; stroke-dasharray: 2 2; }
svg .days { font-weight: 600; }
svg .m-submitted { fill: #1f5fa8; }
svg .m-answered { fill: var(--ok); }
svg .m-postponed { fill: var(--notice); }
svg .m-document { fill: #6b3fb0; }
svg .m-article { fill: #8a94a6; }
svg .node rect { fill: #fff; stroke: #8a94a6; stroke-width: 1.2; }
svg .node-questions rect { fill: #e8f0fb; stroke: #1f5fa8; }
svg .node-answers rect { fill: #e6f3ea; stroke: var(--ok); }
svg .node-letter rect, svg .node-decision-note rect, svg .node-document rect { fill: #f1ebfa; stroke: #6b3fb0; }
svg .node-outlet rect { fill: #f6f1e7; stroke: #a15c00; }
svg .node .caption { fill: var(--muted); font-size: 10px; text-transform: uppercase; letter-spacing: .04em; }
svg .node .name { font-size: 10px; font-weight: 600; }
svg .column { font-weight: 600; fill: var(--muted); }
svg .edge-quotation path, svg line.edge-quotation { stroke-dasharray: 6 3; }
svg a:hover rect, svg a:hover path { filter: brightness(0.85); }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(text) -> str:
    return escape("" if text is None else str(text))


def passage_html(p: Passage, what: str | None = None) -> str:
    before = ("…" if p.clipped_before else "") + p.before
    after = p.after + ("…" if p.clipped_after else "")
    status = f'<p class="status">{_e(p.status)}</p>' if p.status else ""
    label = f"{_e(what)}: " if what else ""
    return (f'<figure class="passage"><figcaption>{label}<code>{_e(p.file)}</code>'
            f'{f", line {p.line}" if p.line is not None else ""}, characters {p.start}–{p.end}</figcaption>'
            f'{status}<pre lang="nl">{_e(before)}<mark>{_e(p.marked)}</mark>{_e(after)}</pre></figure>')


def passages_html(items: list[tuple[str | None, Passage]], open_: bool = False) -> str:
    if not items:
        return '<span class="status">no source passage</span>'
    n = len(items)
    return (f'<details{" open" if open_ else ""}><summary>{"source passage" if n == 1 else f"{n} source passages"}'
            f'</summary>{"".join(passage_html(p, w) for w, p in items)}</details>')


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _header(r: Report) -> str:
    sets = [rt.label for rt in r.response_times]
    built = f" Build of {_e(r.built)}" + (f" by {_e(r.software)}." if r.software else ".") if r.built else ""
    nav = "".join(f'<li><a href="#{k}">{_e(t)}</a></li>' for k, t in (
        ("timeline", "Timeline"), ("network", "Citation network"), ("response-times", "Response times"),
        ("quotations", "Quotations"), ("reuse", "Reused text"), ("citations", "Every citation"),
        ("sources", "Sources")))
    return (f'<header><h1>Dossier report</h1><p class="lead">{_plural(len(sets), "question set")} '
            f'({_e("; ".join(sets))}), their answers, the documents and news articles they cite and the policy '
            f'instruments they discuss, read from the knowledge graph of the last <code>kg build</code>.{built} '
            'Every finding links to the passage of the source file it was read from, shown on this page with the '
            'span in <mark>yellow</mark>.</p><nav aria-label="Sections"><ol>' + nav + '</ol></nav></header>')


def _timeline(r: Report) -> str:
    rows = "".join(f'<tr><td class="date">{_e(e.date)}</td><td>{_e(e.event)}</td><td>{_e(e.label)}</td></tr>'
                   for e in r.events)
    out = ['<section id="timeline" aria-labelledby="timeline-h"><h2 id="timeline-h">Timeline</h2>',
           '<p class="lead">Questions submitted, postponement notices, answers received, the letter and the decision '
           'note, the cited news articles, and the validity of the moratorium with its extension.</p>',
           f'<figure class="chart">{timeline_svg(r)}<figcaption>Dates from the canned query <code>timeline</code>; '
           f'the red tick on each question row is three weeks ({ANSWER_TERM_DAYS} days) after submission.'
           '</figcaption></figure>',
           f'<details><summary>Every dated event as a table ({len(r.events)})</summary><table><thead><tr><th>date</th>'
           f'<th>event</th><th>what</th></tr></thead><tbody>{rows}</tbody></table></details>']
    for inst in r.instruments:
        ext = (f'<dt>Extension</dt><dd>{_e(inst.extension)}, to {_e(inst.extended_end)}</dd>'
               if inst.extension and inst.extended_end else "")
        out.append(f'<article id="{_e(inst.key)}"><h3>{_e(inst.label)}</h3><dl>'
                   f'<dt>In force</dt><dd>{_e(inst.start)} to {_e(inst.end or "(no end date)")}</dd>{ext}</dl>'
                   f'{passages_html([(None, p) for p in inst.passages])}</article>')
    out.append("</section>")
    return "".join(out)


def _network(r: Report) -> str:
    cites: dict[str, int] = {}
    cited: dict[str, int] = {}
    for e in r.edges:
        cites[e.source] = cites.get(e.source, 0) + len(e.citations)
        cited[e.target] = cited.get(e.target, 0) + len(e.citations)
    rows = []
    for n in sorted(r.nodes, key=lambda n: (n.kind, n.label, n.iri)):
        articles = "".join(
            f'<li>{_e(a["date"])} {_e(a["headline"])}'
            + (f' — <a href="{_e(a["url"])}" rel="noreferrer">{_e(a["url"])}</a>' if a["url"] else "") + "</li>"
            for a in n.articles)
        extra = f"<ul>{articles}</ul>" if articles else ""
        rows.append(f'<tr id="{_e(n.key)}"><td>{_e(n.label)}{extra}</td><td>{_e(n.kind)}</td>'
                    f'<td class="date">{_e(n.date or "")}</td>'
                    f'<td class="num">{cites.get(n.iri, 0)}</td><td class="num">{cited.get(n.iri, 0)}</td></tr>')
    legend = ", ".join(f'<span style="color:{c}">■</span> {_e(k)}' for k, c in COLOURS.items())
    return ('<section id="network" aria-labelledby="network-h"><h2 id="network-h">Citation network</h2>'
            '<p class="lead">Documents and news outlets as boxes; an arrow for what cites what: footnotes, references '
            'in the running text, and quotations. Each arrow and box links to the citations it stands for.</p>'
            f'<figure class="chart">{network_svg(r)}<figcaption>Arrows: {legend}. References inside one document '
            '("zie antwoord vraag 6") are listed under <a href="#citations">Every citation</a>, not drawn.'
            '</figcaption></figure>'
            '<h3>Documents and outlets</h3><table><thead><tr><th>document</th><th>kind</th><th>date</th>'
            '<th>cites</th><th>cited</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></section>")


def _bar(days: int, most: int, css: str) -> str:
    scale = 150 / max(most, ANSWER_TERM_DAYS, 1)
    w, due = days * scale, ANSWER_TERM_DAYS * scale
    return (f'<svg width="160" height="14" viewBox="0 0 160 14" role="img" aria-label="{days} days">'
            f'<title>{days} days; the line is {ANSWER_TERM_DAYS} days</title>'
            f'<rect x="0" y="2" width="{w:.1f}" height="10" rx="2" fill="{css}"/>'
            f'<line x1="{due:.1f}" y1="0" x2="{due:.1f}" y2="14" stroke="#1d2330" stroke-width="1.5"/></svg>')


def _response_times(r: Report) -> str:
    most = max((rt.days for rt in r.response_times), default=0)
    rows = []
    for rt in r.response_times:
        if not rt.late:
            cls, badge, colour = "on-time", '<span class="badge ok">within three weeks</span>', "#2a7a3b"
        elif rt.postponed:
            cls, colour = "late-notice", "#a15c00"
            badge = f'<span class="badge notice">late, postponement notice {_e(rt.notice)}</span>'
        else:
            cls, colour = "late-no-notice", "#b3261e"
            badge = '<span class="badge late">late, no postponement notice</span>'
        ident = f'<br><code>{_e(rt.document)}</code>' if rt.document != rt.label else ""
        rows.append(f'<tr id="{_e(rt.key)}" class="{cls}"><td>{_e(rt.label)}{ident}</td>'
                    f'<td class="num">{rt.questions}</td><td class="date">{_e(rt.submitted)}</td>'
                    f'<td class="date">{_e(rt.answered)}</td><td class="num">{rt.days}</td>'
                    f'<td>{_bar(rt.days, most, colour)}</td><td>{badge}</td>'
                    f'<td class="src">{passages_html(rt.passages)}</td></tr>')
    return ('<section id="response-times" aria-labelledby="rt-h"><h2 id="rt-h">Response times</h2>'
            f'<p class="lead">Days from submission to the answers (canned query <code>response-times</code>). Written '
            f'questions are due within three weeks ({ANSWER_TERM_DAYS} days, as in <code>kg query late-without-notice'
            '</code>); a later answer should be announced by a postponement notice.</p>'
            '<table><thead><tr><th>question set</th><th>questions</th><th>submitted</th><th>answered</th><th>days</th>'
            '<th>against three weeks</th><th>status</th><th>source</th></tr></thead><tbody>' + "".join(rows)
            + "</tbody></table></section>")


def _quotations(r: Report) -> str:
    rows = []
    for q in r.quotations:
        badge = ('<span class="badge verbatim">verbatim</span>' if q.verbatim
                 else '<span class="badge loose">not verbatim</span>')
        shown = [("quoting", p) for p in q.passages] + ([("quoted", q.quoted)] if q.quoted else [])
        rows.append(f'<tr id="{_e(q.key)}"><td>{_e(q.citing_label)}</td><td>{_e(q.cited_label)}</td>'
                    f'<td lang="nl">«{_e(" ".join(q.words.split()))}»</td><td>{badge}</td>'
                    f'<td class="src">{passages_html(shown)}</td></tr>')
    body = ("".join(rows) if rows else '<tr><td colspan="5">No quotations.</td></tr>')
    return ('<section id="quotations" aria-labelledby="q-h"><h2 id="q-h">Quotations</h2>'
            '<p class="lead">Passages a question or answer quotes from another document of the dossier, and whether '
            'the quotation is verbatim (the same words as the quoted passage). Each rendering of the quoting text is '
            'a row.</p><table><thead><tr><th>quoting</th><th>quoted from</th><th>quote</th><th>verbatim</th>'
            '<th>source</th></tr></thead><tbody>' + body + "</tbody></table></section>")


def _reuse(r: Report) -> str:
    least = r.reuse_min
    out = ['<section id="reuse" aria-labelledby="reuse-h"><h2 id="reuse-h">Reused text</h2>',
           '<h3>Answers reused across question sets</h3>',
           f'<p class="lead">Answers given again, in (nearly) the same words, to another question set: pairs with a '
           f'similarity of at least {_e(least)} (overlap of word 3-shingles, computed at build time; canned query '
           '<code>reused-answers</code>).'
           + (f" {_plural(r.weaker_reuses, 'weaker pair')} below {_e(least)} {'is' if r.weaker_reuses == 1 else 'are'}"
              " not shown." if r.weaker_reuses else "") + "</p>"]
    for x in r.reuses:
        pct = round(float(x.similarity) * 100)
        out.append(f'<article id="{_e(x.key)}" class="reuse"><h4>antwoord {_e(x.a[2])} ({_e(x.a[1])}) and antwoord '
                   f'{_e(x.b[2])} ({_e(x.b[1])})</h4><p>similarity <strong>{_e(x.similarity)}</strong> '
                   f'<span class="meter" role="img" aria-label="{pct} %"><span style="width:{pct}%"></span></span></p>'
                   f'<div class="pair"><div>{passages_html([(f"antwoord {x.a[2]}", p) for p in x.passages_a], True)}'
                   f'</div><div>{passages_html([(f"antwoord {x.b[2]}", p) for p in x.passages_b], True)}</div></div>'
                   '</article>')
    if not r.reuses:
        out.append("<p>No reused answers.</p>")
    out.append('<h3>Passages reused across documents</h3><p class="lead">Sentences that recur, word for word or '
               'nearly, in another document: an answer copied into another answer set, an answer restating the '
               f'decision note. Similarity at least {_e(r.passage_min)} (canned query <code>reused-passages</code>).'
               '</p>')
    rows = []
    for x in r.passage_reuses:
        rows.append(f'<tr id="{_e(x.key)}"><td class="num">{_e(x.similarity)}</td>'
                    f'<td lang="nl"><strong>{_e(x.a_label)}</strong><br>{_e(" ".join(x.a.marked.split()))}</td>'
                    f'<td lang="nl"><strong>{_e(x.b_label)}</strong><br>{_e(" ".join(x.b.marked.split()))}</td>'
                    f'<td class="src">{passages_html([(None, x.a), (None, x.b)])}</td></tr>')
    out.append('<table><thead><tr><th>similarity</th><th>passage</th><th>reused as</th><th>source</th></tr></thead>'
               f'<tbody>{"".join(rows) or "<tr><td colspan=4>No reused passages.</td></tr>"}</tbody></table>')
    out.append("</section>")
    return "".join(out)


def _citation_row(c: Citation) -> str:
    words = " ".join(c.words.split())
    words = words if len(words) <= 200 else words[:199] + "…"
    return (f'<tr id="{_e(c.key)}"><td>{_e(c.citing_label)}</td><td>{_e(c.kind)}</td><td lang="nl">{_e(words)}</td>'
            f'<td>{_e(c.cited_label)}</td><td class="src">{passages_html([(None, p) for p in c.passages])}</td></tr>')


def _citations(r: Report) -> str:
    rows = "".join(_citation_row(c) for c in r.citations)
    note = (f" {_plural(r.unresolved, 'reference')} in the texts could not be resolved to a document or answer and "
            "are left out." if r.unresolved else "")
    return ('<section id="citations" aria-labelledby="cit-h"><h2 id="cit-h">Every citation</h2>'
            '<p class="lead">Footnotes and references in the running text, with the words as printed and the '
            f'passage they were read from.{note}</p><table><thead><tr><th>citing</th><th>kind</th><th>words</th>'
            '<th>cited</th><th>source</th></tr></thead><tbody>' + rows + "</tbody></table></section>")


def _sources(r: Report) -> str:
    rows = "".join(f"<tr><td><code>{_e(f)}</code></td><td><code>{_e(h)}</code></td></tr>" for f, h in r.sources)
    return ('<section id="sources" aria-labelledby="src-h"><h2 id="src-h">Sources</h2>'
            '<p class="lead">The files the build read, with their SHA-256; passages on this page are taken from these '
            'files in the dossier folder at the offsets the build recorded, and a passage whose file has changed since '
            'says so.</p><table><thead><tr><th>file</th><th>sha256</th></tr></thead><tbody>' + rows
            + "</tbody></table></section>")


def render(r: Report) -> str:
    """The whole page. No clock, no randomness: the same report gives the same text."""
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="dossier-kg kg report">'
            "<title>Dossier report</title>"
            f"<style>{CSS}</style></head><body>"
            + _header(r) + "<main>" + _timeline(r) + _network(r) + _response_times(r) + _quotations(r) + _reuse(r)
            + _citations(r) + _sources(r) + "</main>"
            + f'<footer>Made by <code>kg report</code>{f" ({_e(r.software)})" if r.software else ""} from the '
            f'build of {_e(r.built or "an unknown time")}. Self-contained: no scripts, no external styles or images.'
            "</footer></body></html>\n")
