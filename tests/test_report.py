"""kg report: one self-contained HTML page about the dossier, checked as text and in a real headless Chromium.

The page is made from a build of the bundled dossier (the session's `kg build`, shared with tests/test_serve.py).
Its findings are checked against the dossier: the three response times and the postponement notice, the
quotation of the decision note by question 5, the two reused-answer pairs, the passage behind "bij brief van
13 december 2022". Chromium (Debian's /usr/bin/chromium, driven by Playwright, as tests/test_browser.py) opens
the file with every request that is not file:// aborted, and the screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from dossierkg.paths import DOSSIER
from dossierkg.report import read_report, render
from dossierkg.report.data import add_duration
from dossierkg.report.page import passage_html
from dossierkg.report.passages import Passage
from dossierkg.store import open_store
from test_browser import ARGS, ARTIFACTS, CHROMIUM
from test_serve import built  # noqa: F401  (the session's build)

PHRASE = "bij brief van 13 december 2022"
CITATION = "cite-ah-tk-20222023-1663-antwoord-2-verwijzing-1"  # the in-text reference with that phrase


def normal(text: str) -> str:
    return " ".join(text.split())  # the source writes "13 december" with a no-break space


class Page(HTMLParser):
    """Elements by id, the text of every <mark>, and the rows of every table (cells as plain text)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, int] = {}
        self.marks: list[str] = []
        self.rows: dict[str, list[str]] = {}  # row id -> cell texts
        self.headings: list[tuple[str, str]] = []
        self._mark = self._heading = None
        self._row = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = self.ids.get(a["id"], 0) + 1
        if tag == "mark":
            self._mark = []
        elif tag in ("h1", "h2", "h3", "h4"):
            self._heading = (tag, [])
        elif tag == "tr" and "id" in a:
            self._row = a["id"]
            self.rows[self._row] = []
        elif tag == "td" and self._row:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append("".join(self._mark))
            self._mark = None
        elif tag in ("h1", "h2", "h3", "h4") and self._heading:
            self.headings.append((self._heading[0], normal("".join(self._heading[1]))))
            self._heading = None
        elif tag == "td" and self._cell is not None:
            self.rows[self._row].append(normal("".join(self._cell)))
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        for part in (self._mark, self._heading[1] if self._heading else None, self._cell):
            if part is not None:
                part.append(data)


@pytest.fixture(scope="module")
def report(built, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(kg.cli, ["report", "--build", str(built), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    return out


@pytest.fixture(scope="module")
def html(report) -> str:
    return report.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html) -> Page:
    return Page(html)


# --- self-contained ------------------------------------------------------------------------------------------

def test_nothing_is_fetched(html):
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script\b", html, re.I)  # no script at all, inline or not
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"<(img|iframe|object|embed|video|audio|source)\b", html, re.I)
    assert not re.search(r"\bsrc\s*=", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.I)
    assert not re.search(r"<[^>]+\s(src|href)=\"https?://[^\"]*\.(js|css|png|jpe?g|gif|svg|woff2?)\"", html, re.I)
    # the page forbids any fetch itself: a Content-Security-Policy of default-src 'none'
    assert re.search(r"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", html)
    # the only http(s) URLs are links a reader may follow (cited articles), and identifiers shown as text
    for url in re.findall(r"(?:href|src|xlink:href)=\"(https?://[^\"]+)\"", html):
        assert url.startswith("https://nos.nl/"), url


def test_two_runs_and_two_builds_give_the_same_bytes(report, built, tmp_path):  # noqa: F811
    again = tmp_path / "again.html"
    assert CliRunner().invoke(kg.cli, ["report", "--build", str(built), "--out", str(again)]).exit_code == 0
    assert again.read_bytes() == report.read_bytes()
    other = tmp_path / "build"
    assert CliRunner().invoke(kg.cli, ["build", "--out", str(other)]).exit_code == 0
    third = tmp_path / "third.html"
    assert CliRunner().invoke(kg.cli, ["report", "--build", str(other), "--out", str(third)]).exit_code == 0
    assert third.read_bytes() == report.read_bytes()


def test_well_formed_ids_and_links(html, page):
    assert not [i for i, n in page.ids.items() if n > 1]
    targets = set(re.findall(r"href=\"#([^\"]+)\"", html))
    assert targets and not targets - set(page.ids)  # every in-page link (also inside the SVG) has a target
    assert {"timeline", "network", "response-times", "quotations", "reuse", "citations", "sources"} <= set(page.ids)
    assert [h for h in page.headings if h[0] == "h1"] == [("h1", "Dossier report")]
    h2 = [t for tag, t in page.headings if tag == "h2"]
    assert h2 == ["Timeline", "Citation network", "Response times", "Quotations", "Reused text", "Every citation",
                  "Sources"]


def test_svg_pictures_have_titles(html):
    for chart, title in (("timeline-chart", "Timeline of the dossier"),
                         ("network-chart", "Citation network: which document cites which")):
        m = re.search(rf'<svg id="{chart}"[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', html)
        assert m, chart
        first = m.group(1).split()[0]
        assert f'<title id="{first}">{title}</title>' in html
    timeline = html[html.index('<svg id="timeline-chart"'):html.index("</svg>", html.index('<svg id="timeline-chart"'))]
    assert 'class="bar-valid"' in timeline and 'class="bar-extension"' in timeline
    assert "Besluit- en vertrekmoratorium voor Russische dienstplichtigen: in force from 2022-06-29 to 2022-12-29" in timeline
    assert "extended by P6M (6 months) to 2023-06-29" in timeline
    assert "2023-02-08: postponement notice" in timeline


# --- the findings --------------------------------------------------------------------------------------------

def test_response_times(page):
    rows = {k: v for k, v in page.rows.items() if k.startswith("rt-")}
    assert len(rows) == 3
    days = [int(cells[4]) for cells in rows.values()]
    assert days == [45, 40, 35]
    by_days = {int(cells[4]): cells for cells in rows.values()}
    assert by_days[35][0].startswith("Vragen van Jasper van Dijk (2023-01-18)") and "kv-tk-2023Z00468" in by_days[35][0]
    assert by_days[35][2:4] == ["2023-01-18", "2023-02-22"]
    assert by_days[35][6] == "late, postponement notice 2023-02-08"
    assert by_days[45][6] == by_days[40][6] == "late, no postponement notice"
    assert by_days[45][1] == "6" and by_days[40][1] == "11" and by_days[35][1] == "7"


def test_response_time_rows_are_highlighted(html):
    assert len(re.findall(r'<tr id="rt-[^"]+" class="late-no-notice">', html)) == 2
    assert len(re.findall(r'<tr id="rt-kv-tk-2023Z00468" class="late-notice">', html)) == 1


def test_quotation_of_the_decision_note_by_question_5(page):
    rows = [cells for k, cells in page.rows.items() if k.startswith("quote-")]
    assert len(rows) == 2  # the question set is rendered in two files, each quoting
    for cells in rows:
        assert cells[0] == "vraag 5 of Vragen van Jasper van Dijk (2023-01-18)"
        assert cells[1] == "sectie 3 of Decision note: Beleidsconsequenties mobilisatie Rusland"
        assert cells[2] == ("«dat bezwaren tegen mobilisatie, hetzij juridisch hetzij via de alternatieve dienstplicht, "
                            "uiteindelijk in de praktijk bijna altijd worden ingewilligd.»")
        assert cells[3] == "verbatim"
        assert "004_90d31d1340ba21e6.txt, line 270, characters 7749–7903" in cells[4]  # the quoted passage
    assert {("002_c13e7b55d78e5ffc.txt" in c[4], "003_ab754fb98c3b7ac6.txt" in c[4]) for c in rows} == {(True, False),
                                                                                                     (False, True)}


def test_two_reused_answer_pairs(html):
    pairs = re.findall(r'<article id="(reuse-[^"]+)" class="reuse"><h4>(.*?)</h4><p>similarity <strong>([\d.]+)'
                       r'</strong>', html)
    assert [(unescape(h), s) for _, h, s in pairs] == [
        ("antwoord 5 (Antwoorden op vragen van Jasper van Dijk (2022-11-07)) and antwoord 6 (Antwoorden op vragen "
         "van Koekkoek (2022-11-07))", "0.911"),
        ("antwoord 3 (Antwoorden op vragen van Jasper van Dijk (2022-11-07)) and antwoord 8 en 9 (Antwoorden op "
         "vragen van Koekkoek (2022-11-07))", "0.863")]
    # each with both answers' passages
    for key, _, _ in pairs:
        block = html[html.index(f'<article id="{key}"'):html.index("</article>", html.index(f'<article id="{key}"'))]
        assert "000_6571167254aee64b.txt" in block and "001_226e791fff0d628a.txt" in block
        assert block.count("<mark>") == 2


def test_the_phrase_is_marked_in_its_passage(page):
    assert PHRASE in [normal(m) for m in page.marks]
    cells = page.rows[CITATION]
    assert cells[0] == "antwoord 2 of Antwoorden op vragen van Jasper van Dijk (2023-02-22)"
    assert cells[1] == "in-text reference" and cells[2] == PHRASE and cells[3] == "Letter kst-19637-3018"
    assert "002_c13e7b55d78e5ffc.txt, line 23, characters 2733–2763" in cells[4]
    assert "het besluit- en vertrekmoratorium" in cells[4]  # the source text around the span


def test_network_edges(html):
    net = html[html.index('<svg id="network-chart"'):html.index("</svg>", html.index('<svg id="network-chart"'))]
    edges = re.findall(r'<a href="#([^"]+)" class="edge edge-([a-z-]+)">', net)
    assert (CITATION, "in-text-reference") in edges
    assert sum(1 for _, k in edges if k == "quotation") == 1  # vraag 5 → the decision note, drawn once
    assert sum(1 for _, k in edges if k == "footnote") == 8  # 3 question sets → 4 outlets, the letter, an Aanhangsel
    assert sum(1 for _, k in edges if k == "in-text-reference") == 4  # to the letter and the decision note
    nodes = re.findall(r'<a href="#([^"]+)" class="node node-([a-z-]+)">', net)
    assert sorted(k for _, k in nodes) == sorted(["questions"] * 3 + ["answers"] * 4 + ["letter", "decision-note"]
                                                 + ["outlet"] * 4)
    assert "News outlet · 3 articles" in net  # NOS, three cited articles grouped


def test_moratorium_and_extension(html):
    section = html[html.index('<article id="instrument-bvm-dienstplichtigen">'):]
    section = section[:section.index("</article>")]
    assert "<dd>2022-06-29 to 2022-12-29</dd>" in section and "<dd>P6M, to 2023-06-29</dd>" in section
    assert "<mark>Daarom adviseer ik u om het huidige BVM met een half jaar te verlengen.</mark>" in section


def test_a_changed_source_is_said_not_hidden(built, tmp_path):  # noqa: F811
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    source = dossier / "002_c13e7b55d78e5ffc.txt"
    source.write_text("X" + source.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(kg.cli, ["report", "--build", str(built), "--dossier", str(dossier), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "002_c13e7b55d78e5ffc.txt has changed since the build" in html
    assert PHRASE in [normal(m) for m in Page(html).marks]  # the quoted text is still shown
    assert "001_226e791fff0d628a.txt has changed" not in html


def test_no_build_keeps_the_previous_report(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("previous", encoding="utf-8")
    result = CliRunner().invoke(kg.cli, ["report", "--build", str(tmp_path / "nothing"), "--out", str(out)])
    assert result.exit_code == 3
    assert "run `kg build` first" in result.output
    assert out.read_text(encoding="utf-8") == "previous"
    assert CliRunner().invoke(kg.cli, ["report", "--out", str(tmp_path)]).exit_code == 2  # a directory


def test_everything_is_escaped(built):  # noqa: F811
    data = read_report(open_store(built), DOSSIER)
    hostile = '<script>alert("x")</script> & <b>'
    for doc in data.docs.values():
        doc.label = hostile
    for rt in data.response_times:
        rt.label = hostile
    data.citations[0].words = hostile
    text = render(data)
    assert "<script" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in text
    p = Passage("p-x", "a<b>.txt", 3, 0, 5, "<i>", "</mark>", "&amp;", False, True, "")
    shown = passage_html(p)
    assert "<mark>&lt;/mark&gt;</mark>" in shown and "&lt;i&gt;" in shown and "&amp;amp;…" in shown


def test_durations():
    assert add_duration("2022-12-29", "P6M") == "2023-06-29"
    assert add_duration("2023-01-31", "P1M") == "2023-02-28"
    assert add_duration("2022-12-29", "P1Y2W") == "2024-01-12"
    assert add_duration("2022-12-29", "six months") is None


# --- in a real browser ---------------------------------------------------------------------------------------

def test_in_headless_chromium_offline(report, tmp_path):
    from playwright.sync_api import sync_playwright  # a test dependency: fails, never skips, when missing

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)"
    ARTIFACTS.mkdir(exist_ok=True)
    url = report.resolve().as_uri()
    blocked, problems = [], []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900}, accept_downloads=False)
        try:
            def route(r):
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(url)
            page.wait_for_load_state("load")

            assert page.title() == "Dossier report"
            assert page.locator("h1").inner_text() == "Dossier report"
            assert page.locator("h1").is_visible()
            for heading in ("Timeline", "Citation network", "Response times", "Quotations", "Reused text",
                            "Every citation", "Sources"):
                h2 = page.locator("h2", has_text=heading)
                assert h2.count() == 1 and h2.is_visible(), heading
            assert page.evaluate("document.scripts.length") == 0

            # the pictures are drawn: non-empty boxes, the shapes where the dates put them
            for chart in ("#timeline-chart", "#network-chart"):
                box = page.locator(chart).bounding_box()
                assert box and box["width"] > 600 and box["height"] > 200, (chart, box)
            valid = page.locator("#timeline-chart .bar-valid").first.bounding_box()
            extension = page.locator("#timeline-chart .bar-extension").first.bounding_box()
            assert valid["width"] > 100 and extension["width"] > 100
            assert abs(valid["x"] + valid["width"] - extension["x"]) < 1.5  # the extension follows the validity
            assert abs(extension["width"] / valid["width"] - 182 / 183) < 0.02  # 2022-12-29→2023-06-29 vs 06-29→12-29
            row = page.locator('#timeline-chart a[href="#rt-kv-tk-2023Z00468"]')
            xs = {cls: row.locator(f".{cls}").bounding_box()["x"] for cls in ("m-submitted", "m-postponed", "m-answered")}
            assert xs["m-submitted"] < xs["m-postponed"] < xs["m-answered"]
            nodes = page.locator("#network-chart a.node rect")
            assert nodes.count() == 13
            for i in range(nodes.count()):
                b = nodes.nth(i).bounding_box()
                assert b and b["width"] > 100 and b["height"] > 30
            edges = page.locator("#network-chart a.edge path")
            assert edges.count() >= 10
            assert all((edges.nth(i).bounding_box() or {}).get("width", 0) > 10 for i in range(edges.count()))
            page.locator("#network-chart").screenshot(path=str(ARTIFACTS / "report-network.png"))
            page.locator("#timeline-chart").screenshot(path=str(ARTIFACTS / "report-timeline.png"))
            page.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)

            # a box in the network is a link into the page
            page.locator('#network-chart a[href="#doc-kst-19637-3018"]').click()
            page.wait_for_function("location.hash === '#doc-kst-19637-3018'")
            assert page.locator("#doc-kst-19637-3018").is_visible()
            assert page.evaluate("(() => { const r = document.getElementById('doc-kst-19637-3018')"
                                 ".getBoundingClientRect(); return r.top >= -2 && r.bottom <= innerHeight; })()")  # scrolled to

            # the passage behind the citation opens, with the phrase highlighted
            row = page.locator(f"#{CITATION}")
            mark = row.locator("mark").first
            assert not mark.is_visible()  # closed <details>
            row.locator("summary").click()
            assert mark.is_visible()
            assert normal(mark.inner_text()) == PHRASE
            # the page's own style (inline, allowed by its CSP), not the browser's default yellow
            assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 229, 138)"
            assert "002_c13e7b55d78e5ffc.txt" in row.locator("figcaption").first.inner_text()
            mark.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "report-passage.png"))
        finally:
            context.close()
    assert not problems, problems  # no console errors or warnings (a CSP violation would be one)
    assert not blocked, blocked  # nothing asked for outside the file
