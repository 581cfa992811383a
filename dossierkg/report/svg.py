"""The report's two pictures as inline SVG, laid out in Python: the timeline and the citation network.

Everything is computed from the report's records with fixed sizes and sorted input, and numbers are
written with one decimal, so the same build gives the same bytes. Every shape has a <title> (a tooltip,
and what a screen reader says) and links to the section of the page that lists the facts it stands for.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from .data import ANSWER_TERM_DAYS, Doc, Report

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COLOURS = {"footnote": "#1f5fa8", "in-text reference": "#b4540a", "quotation": "#6b3fb0"}
CAPTIONS = {"questions": "Questions", "answers": "Answers", "letter": "Letter", "decision note": "Decision note",
            "postponement notice": "Postponement notice", "document": "Document", "outlet": "News outlet"}
CHAR = 0.56  # width of an average character, in font sizes


def _n(x: float) -> str:
    """A coordinate with one decimal, without a trailing .0 (stable text for stable bytes)."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _attr(**kw) -> str:
    """Attributes from keywords (class_ is class, text_anchor is text-anchor); floats with one decimal."""
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(_n(v) if isinstance(v, float) else str(v))}"'
                   for k, v in kw.items() if v is not None)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Word-wrap to at most `lines` lines of `width` characters; an ellipsis marks what does not fit."""
    out, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:width - 1].rstrip() + "…"
    return [line if len(line) <= width else line[:width - 1] + "…" for line in out]


def _tspans(x: float, lines: list[str], size: float) -> str:
    return "".join(f'<tspan{_attr(x=_n(x), dy=_n(0 if i == 0 else size * 1.2))}>{escape(line)}</tspan>'
                   for i, line in enumerate(lines))


# --- the timeline ------------------------------------------------------------------------------------------

class _Lanes:
    """Greedy placement of labels in lanes under a row, so that no two labels overlap."""

    def __init__(self):
        self.lanes: list[list[tuple[float, float]]] = []

    def place(self, lo: float, hi: float) -> int:
        for i, used in enumerate(self.lanes):
            if all(hi + 4 <= a or lo - 4 >= b for a, b in used):
                used.append((lo, hi))
                return i
        self.lanes.append([(lo, hi)])
        return len(self.lanes) - 1


class _Timeline:
    """Rows under a month axis: the moratorium, one row per question set, letters and notes, news articles."""

    WIDTH, GUTTER, RIGHT, SIZE = 1000, 250, 30, 11

    def __init__(self, first: str, last: str):
        a, b = date.fromisoformat(first), date.fromisoformat(last)
        self.start = date(a.year, a.month, 1)
        self.end = _next_month(date(b.year, b.month, 1))
        self.x0, self.x1 = self.GUTTER, self.WIDTH - self.RIGHT
        self.y = 44.0
        self.body: list[str] = []

    def x(self, day: str) -> float:
        days = (date.fromisoformat(day) - self.start).days
        return self.x0 + days / (self.end - self.start).days * (self.x1 - self.x0)

    def row(self, label: list[str], shapes: list[str], labels: list[tuple[float, str]]) -> None:
        """A row: its label on the left, the shapes on its centre line, the date labels in lanes below."""
        lanes, placed = _Lanes(), []
        for cx, text in labels:
            w = _text_width(text, self.SIZE - 1)
            lo, anchor, lx = cx - w / 2, "middle", cx
            if lo < self.x0:
                lo, anchor, lx = cx - 4, "start", cx - 4
            elif cx + w / 2 > self.x1:
                lo, anchor, lx = cx - w + 4, "end", cx + 4
            placed.append((lx, lanes.place(lo, lo + w), text, anchor))
        height = max(34, 30 + 14 * len(lanes.lanes))
        y = self.y
        self.body.append('<g class="row">' + _el("line", None, class_="row-rule", x1=8, y1=y + height, x2=self.x1,
                                                   y2=y + height)
                         + _el("text", _tspans(8, label, self.SIZE), class_="row-label", x=8, y=y + 18)
                         + "".join(shapes))
        for lx, lane, text, anchor in placed:
            self.body.append(_el("text", escape(text), class_="mark-label", x=lx, y=y + 40 + 14 * lane,
                                 text_anchor=anchor))
        self.body.append("</g>")
        self.y += height + 6

    def cy(self) -> float:
        return self.y + 14

    def axis(self, height: float) -> str:
        out = [_el("line", None, class_="axis", x1=self.x0, y1=30, x2=self.x1, y2=30)]
        t = self.start
        while t <= self.end:
            tx = self.x(t.isoformat())
            out.append(_el("line", None, class_="tick", x1=tx, y1=26, x2=tx, y2=height - 40))
            if t < self.end:
                name = f"{MONTHS[t.month - 1]} {t.year}" if t == self.start or t.month == 1 else MONTHS[t.month - 1]
                out.append(_el("text", name, class_="tick-label", x=tx + 3, y=22))
            t = _next_month(t)
        return "".join(out)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def timeline_svg(report: Report) -> str:
    days = [e.date for e in report.events] + [i.start for i in report.instruments]
    days += [d for i in report.instruments for d in (i.end, i.extended_end) if d]
    if not days:
        return ""
    tl = _Timeline(min(days), max(days))
    x = tl.x

    # the moratorium (policy instruments with a start date): validity as a bar, the extension hatched
    for inst in report.instruments:
        cy = tl.cy()
        a, b = x(inst.start), x(inst.end) if inst.end else tl.x1
        title = f"{inst.label}: in force from {inst.start}" + (f" to {inst.end}" if inst.end else "")
        shapes = [_link(inst.key, _el("rect", _title(title), class_="bar-valid", x=a, y=cy - 8, width=max(b - a, 2.0),
                                      height=16, rx=3))]
        labels = [(a, f"{inst.start} start")] + ([(b, f"{inst.end} end")] if inst.end else [])
        if inst.extended_end and inst.end:
            c = x(inst.extended_end)
            said = _duration(inst.extension)
            title = f"{inst.label}: extended by {inst.extension} ({said}) to {inst.extended_end}"
            shapes += [_link(inst.key, _el("rect", _title(title), class_="bar-extension", x=b, y=cy - 8,
                                           width=max(c - b, 2.0), height=16, rx=3)),
                       _el("text", f"extension {escape(said)}", class_="bar-text", x=b + 6, y=cy + 4)]
            labels.append((c, f"{inst.extended_end} extended end"))
        tl.row(wrap(inst.label, 40, 2), shapes, labels)

    # one row per question set: submitted → (postponed) → answered, and the day three weeks after submission
    for rt in report.response_times:
        cy = tl.cy()
        a, b = x(rt.submitted), x(rt.answered)
        due = (date.fromisoformat(rt.submitted) + timedelta(days=ANSWER_TERM_DAYS)).isoformat()
        shapes = [_link(rt.key, _el("line", _title(f"{rt.label}: answered after {rt.days} days"),
                                    class_="wait late" if rt.late else "wait", x1=a, y1=cy, x2=b, y2=cy)),
                  _el("line", _title(f"three weeks after submission: {due}"), class_="due", x1=x(due), y1=cy - 9,
                      x2=x(due), y2=cy + 9),
                  _el("text", f"{rt.days} days", class_="days", x=(a + b) / 2, y=cy - 8, text_anchor="middle"),
                  _marker("submitted", a, cy, f"{rt.submitted}: questions submitted — {rt.label}", rt.key)]
        labels = [(a, f"{rt.submitted} submitted")]
        if rt.notice:
            shapes.append(_marker("postponed", x(rt.notice), cy, f"{rt.notice}: postponement notice — {rt.label}",
                                  rt.key))
            labels.append((x(rt.notice), f"{rt.notice} postponed"))
        shapes.append(_marker("answered", b, cy, f"{rt.answered}: answers received — {rt.label}", rt.key))
        labels.append((b, f"{rt.answered} answered"))
        tl.row(wrap(rt.label, 40, 2), shapes, labels)

    # letters and decision notes
    dated = [e for e in report.events if e.event in ("letter", "decision note")]
    if dated:
        cy, shapes, labels = tl.cy(), [], []
        for e in dated:
            key = report.docs[e.resource].key if e.resource in report.docs else None
            shapes.append(_marker("document", x(e.date), cy, f"{e.date}: {e.event} — {e.label}", key))
            short = e.label.removeprefix("Decision note: ")
            labels.append((x(e.date), f"{e.date} {e.event}" if len(short) > 24 else f"{e.date} {short}"))
        tl.row(["Letters and decision notes"], shapes, labels)

    # the news articles the questions cite, one label per day
    by_day: dict[str, list] = {}
    for e in report.events:
        if e.event == "article published":
            by_day.setdefault(e.date, []).append(e)
    if by_day:
        cy, shapes, labels = tl.cy(), [], []
        for day in sorted(by_day):
            for e in by_day[day]:
                shapes.append(_marker("article", x(day), cy, f"{e.date}: article published — {e.label}", None))
            outlets = sorted({e.label.split(",", 1)[0] for e in by_day[day]})
            labels.append((x(day), f"{day[5:]} {', '.join(outlets)}"))
        tl.row(["News articles cited"], shapes, labels)

    height = tl.y + 44
    desc = (f"From {tl.start.isoformat()} to {tl.end.isoformat()}: "
            + "; ".join(f"{e.date} {e.event} ({e.label})" for e in report.events)
            + "".join(f"; {i.label} valid {i.start} to {i.end}"
                      + (f", extended by {i.extension} to {i.extended_end}" if i.extended_end else "")
                      for i in report.instruments))
    return (f'<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" role="img"'
            f'{_attr(viewBox=f"0 0 {tl.WIDTH} {_n(height)}", width=tl.WIDTH, height=height)}'
            ' aria-labelledby="timeline-title timeline-desc">'
            f'<title id="timeline-title">Timeline of the dossier</title><desc id="timeline-desc">{escape(desc)}</desc>'
            '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="#cfe8e3"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#2a8c7a" stroke-width="2"/></pattern></defs>'
            + tl.axis(height) + "".join(tl.body) + _timeline_legend(8, height - 22) + "</svg>")


def _el(tag: str, content: str | None, **attrs) -> str:
    """An SVG element; `content` is markup (escape text first), None for an empty element."""
    return f"<{tag}{_attr(**attrs)}/>" if content is None else f"<{tag}{_attr(**attrs)}>{content}</{tag}>"


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _link(key: str | None, content: str) -> str:
    return f'<a href="#{escape(key)}">{content}</a>' if key else content


def _duration(value: str | None) -> str:
    if not value:
        return ""
    words = {"Y": ("year", "years"), "M": ("month", "months"), "W": ("week", "weeks"), "D": ("day", "days")}
    out, number = [], ""
    for ch in value.removeprefix("P"):
        if ch.isdigit():
            number += ch
        elif ch in words and number:
            out.append(f"{number} {words[ch][int(number) != 1]}")
            number = ""
    return ", ".join(out) or value


def _marker(kind: str, cx: float, cy: float, title: str, key: str | None) -> str:
    t = f"<title>{escape(title)}</title>"
    if kind == "submitted":
        shape = f'<circle class="m-submitted"{_attr(cx=_n(cx), cy=_n(cy), r=6)}>{t}</circle>'
    elif kind == "answered":
        shape = f'<rect class="m-answered"{_attr(x=_n(cx - 6), y=_n(cy - 6), width=12, height=12)}>{t}</rect>'
    elif kind == "postponed":
        pts = f"{_n(cx)},{_n(cy - 8)} {_n(cx + 8)},{_n(cy)} {_n(cx)},{_n(cy + 8)} {_n(cx - 8)},{_n(cy)}"
        shape = f'<polygon class="m-postponed"{_attr(points=pts)}>{t}</polygon>'
    elif kind == "document":
        pts = f"{_n(cx)},{_n(cy - 7)} {_n(cx + 7)},{_n(cy + 6)} {_n(cx - 7)},{_n(cy + 6)}"
        shape = f'<polygon class="m-document"{_attr(points=pts)}>{t}</polygon>'
    else:
        shape = f'<circle class="m-article"{_attr(cx=_n(cx), cy=_n(cy), r=4)}>{t}</circle>'
    return f'<a href="#{escape(key)}">{shape}</a>' if key else shape


def _timeline_legend(x: float, y: float) -> str:
    items = [("submitted", "questions submitted"), ("postponed", "postponement notice"),
             ("answered", "answers received"), ("document", "letter / decision note"), ("article", "news article")]
    out = ['<g class="legend">']
    for kind, text in items:
        out.append(_marker(kind, x + 8, y, text, None))
        out.append(f'<text{_attr(x=_n(x + 20), y=_n(y + 4))}>{escape(text)}</text>')
        x += 30 + _text_width(text, 11)
    out.append(f'<rect class="bar-valid"{_attr(x=_n(x), y=_n(y - 6), width=24, height=12, rx=2)}/>'
               f'<text{_attr(x=_n(x + 30), y=_n(y + 4))}>in force</text>')
    x += 90
    out.append(f'<rect class="bar-extension"{_attr(x=_n(x), y=_n(y - 6), width=24, height=12, rx=2)}/>'
               f'<text{_attr(x=_n(x + 30), y=_n(y + 4))}>extension</text>')
    out.append("</g>")
    return "".join(out)


# --- the citation network ----------------------------------------------------------------------------------

NODE_W, NODE_H, GAP = 210, 58, 84
COLUMNS = ("News outlets", "Questions", "Documents cited", "Answers")


def _column(node: Doc, answer_sets: set[str]) -> int:
    if node.kind == "outlet":
        return 0
    if node.kind == "questions":
        return 1
    if node.kind == "answers" and node.iri in answer_sets:
        return 3
    return 2


def _short(node: Doc) -> str:
    if node.kind == "decision note":
        return node.label.removeprefix("Decision note: ")
    if node.kind == "letter":
        return node.label.removeprefix("Letter ")
    return node.label


def network_svg(report: Report) -> str:
    answer_of = report.answer_sets
    answering = set(answer_of.values())
    columns: list[list[Doc]] = [[], [], [], []]
    for node in report.nodes:
        columns[_column(node, answering)].append(node)
    submitted = {rt.question_set: rt.submitted for rt in report.response_times}
    columns[1].sort(key=lambda n: (submitted.get(n.iri) or n.date or "", n.label, n.iri))
    order = {qs.iri: i for i, qs in enumerate(columns[1])}
    by_answers = {a: q for q, a in answer_of.items()}
    columns[3].sort(key=lambda n: order[by_answers[n.iri]])
    columns[2].sort(key=lambda n: (n.date or "9999", n.label, n.iri))
    columns[0].sort(key=lambda n: (n.label, n.iri))
    rows = max(1, len(columns[0]), len(columns[1]), len(columns[2]))
    width = 4 * (NODE_W + 50) + 10
    top = 56
    height = top + rows * GAP + 60
    pos: dict[str, tuple[float, float, int]] = {}
    for ci, col in enumerate(columns):
        cx = 20 + NODE_W / 2 + ci * (NODE_W + 50)
        offset = (rows - len(columns[1] if ci == 3 else col)) * GAP / 2
        for j, n in enumerate(col):
            slot = order[by_answers[n.iri]] if ci == 3 else j  # answers in the row of their questions
            pos[n.iri] = (cx, top + NODE_H / 2 + offset + slot * GAP, ci)

    out = [f'<svg id="network-chart" xmlns="http://www.w3.org/2000/svg" role="img"'
           f'{_attr(viewBox=f"0 0 {width} {_n(height)}", width=width, height=_n(height))}'
           ' aria-labelledby="network-title network-desc">',
           '<title id="network-title">Citation network: which document cites which</title>']
    desc = "; ".join(f"{report.docs[e.source].label} cites {report.docs[e.target].label} "
                     f"({len(e.citations)} {e.kind}{'s' if len(e.citations) != 1 else ''})" for e in report.edges)
    out.append(f'<desc id="network-desc">{escape(desc or "No citations between documents.")}</desc>')
    out.append("<defs>" + "".join(
        f'<marker id="arrow-{k.replace(" ", "-")}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for k, c in COLOURS.items()) + "</defs>")
    for ci, title in enumerate(COLUMNS):
        cx = 20 + NODE_W / 2 + ci * (NODE_W + 50)
        out.append(f'<text class="column"{_attr(x=_n(cx), y=24, text_anchor="middle")}>{escape(title)}</text>')

    # edges first, under the nodes; the ends of the edges at one box are spread along its side
    drawn = [e for e in report.edges if e.source in pos and e.target in pos]
    kinds = list(COLOURS)
    leaving: dict[str, list] = {}
    arriving: dict[str, list] = {}
    for e in drawn:
        leaving.setdefault(e.source, []).append(e)
        arriving.setdefault(e.target, []).append(e)

    def ports(ends: dict[str, list], other) -> dict[tuple[str, str, str], float]:
        out = {}
        for node, es in ends.items():
            es = sorted(es, key=lambda e: (pos[other(e)][1], kinds.index(e.kind), other(e)))
            step = min(9.0, (NODE_H - 14) / max(len(es) - 1, 1))
            for i, e in enumerate(es):
                out[(e.source, e.target, e.kind)] = (i - (len(es) - 1) / 2) * step
        return out

    out_shift = ports(leaving, lambda e: e.target)
    in_shift = ports(arriving, lambda e: e.source)
    for e in drawn:
        (sx, sy, sc), (tx, ty, tc) = pos[e.source], pos[e.target]
        key = (e.source, e.target, e.kind)
        sy, ty = sy + out_shift[key], ty + in_shift[key]
        if tc == sc:
            ax = bx = sx + NODE_W / 2
            path = f"M{_n(ax)},{_n(sy)} C{_n(ax + 70)},{_n(sy)} {_n(bx + 70)},{_n(ty)} {_n(bx + 1)},{_n(ty)}"
        else:
            direction = 1 if tc > sc else -1
            ax, bx = sx + direction * NODE_W / 2, tx - direction * NODE_W / 2
            mid = (bx - ax) / 2
            path = f"M{_n(ax)},{_n(sy)} C{_n(ax + mid)},{_n(sy)} {_n(bx - mid)},{_n(ty)} {_n(bx)},{_n(ty)}"
        n = len(e.citations)
        kind_id = e.kind.replace(" ", "-")
        where = "; ".join(f"{c.citing_label.split(' of ', 1)[0]}: {' '.join(c.words.split())[:80]}"
                          for c in e.citations)
        title = (f"{report.docs[e.source].label} → {report.docs[e.target].label}: "
                 f"{n} {e.kind}{'s' if n != 1 else ''} "
                 f"({where})")
        line = _attr(d=path, stroke=COLOURS[e.kind], stroke_width=_n(min(1.2 + 0.8 * n, 5)), fill="none",
                     marker_end=f"url(#arrow-{kind_id})")
        out.append(f'<a href="#{escape(e.citations[0].key)}" class="edge edge-{kind_id}">'
                   f'<path{line}><title>{escape(title)}</title></path></a>')

    for ci, col in enumerate(columns):
        for node in col:
            cx, cy, _ = pos[node.iri]
            caption = CAPTIONS.get(node.kind, node.kind)
            if node.kind == "outlet":
                caption += f" · {len(node.articles)} article{'s' if len(node.articles) != 1 else ''}"
            elif node.kind == "answers" and node.iri not in answering:
                caption = "Aanhangsel (answers)"
            lines = wrap(_short(node), 31, 2)
            x, y = cx - NODE_W / 2, cy - NODE_H / 2
            dated = f" ({node.date})" if node.date and node.date not in node.label else ""
            title = f"{caption}: {node.label}{dated}"
            kind_id = node.kind.replace(" ", "-")
            out.append(f'<a href="#{escape(node.key)}" class="node node-{kind_id}">'
                       + _el("rect", _title(title), x=x, y=y, width=NODE_W, height=NODE_H, rx=6) +
                       f'<text class="caption"{_attr(x=_n(x + 8), y=_n(y + 15))}>{escape(caption)}</text>'
                       f'<text class="name"{_attr(x=_n(x + 8), y=_n(y + 31))}>{_tspans(x + 8, lines, 10)}</text></a>')

    lx, ly = 20, height - 24
    out.append('<g class="legend">')
    for kind, colour in COLOURS.items():
        sample = _attr(x1=_n(lx), y1=_n(ly), x2=_n(lx + 34), y2=_n(ly), stroke=colour, stroke_width=3,
                       class_="edge-" + kind.replace(" ", "-"))
        out.append(f'<line{sample}/>'
                   f'<text{_attr(x=_n(lx + 40), y=_n(ly + 4))}>{escape(kind)}</text>')
        lx += 60 + _text_width(kind, 11)
    out.append(f'<text{_attr(x=_n(lx + 10), y=_n(ly + 4))}>answers stand in the row of the questions they answer; '
               'thicker lines: more citations</text>')
    out.append("</g></svg>")
    return "".join(out)
