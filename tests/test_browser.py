"""kg serve in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright for Python).

Opens the dossier overview, runs the canned query `answers-citing` from the query page, follows the link
to answer 2 of ah-tk-20222023-1663 and checks the highlighted source passage. Screenshots are saved under
tests/artifacts/ (git-ignored). Every request the pages make must go to the server itself.

Chromium is installed by .ci/run (apt-get install chromium); `playwright install` is never run. Without
Chromium or Playwright the test is skipped, unless DOSSIER_KG_REQUIRE_BROWSER=1 (as in CI), when it fails.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from test_serve import Server, built  # noqa: F401  (the session's build fixture)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_browser():
    required = os.environ.get("DOSSIER_KG_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("Playwright for Python is not installed (pip install -e '.[test]')")
        pytest.skip("Playwright for Python is not installed")
    if not CHROMIUM.exists():
        if required:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return sync_playwright


@pytest.fixture(scope="module")
def browser_server(built):  # noqa: F811
    with Server(built) as s:
        yield s


def normal(text: str) -> str:
    return " ".join(text.split())  # the source writes "13 december" with a no-break space


def test_overview_query_and_answer_page(browser_server, tmp_path):
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    server = browser_server
    requests, problems = [], []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))

            # the overview
            page.goto(server.url + "/")
            assert page.locator("h1").inner_text() == "The dossier"
            for section in ("Documents", "Timeline", "Questions and answers", "Citations", "Postponements"):
                assert page.locator("h2", has_text=section).count() == 1
            assert page.locator('a[href="/id/ah-tk-20222023-1663/antwoord/2"]').count() >= 1
            page.screenshot(path=str(ARTIFACTS / "browser-1-overview.png"), full_page=False)

            # the query page: pick answers-citing, give the document, run
            page.click("header nav >> text=Query")
            page.wait_for_url(server.url + "/query")
            page.select_option("#canned", "answers-citing")
            assert "PREFIX" in page.input_value("#editor")
            page.fill("#param-document", "kst-19637-3018")
            page.click("#run")
            link = page.locator('table.results a[href="/id/ah-tk-20222023-1663/antwoord/2"]')
            link.wait_for(timeout=15_000)
            assert page.locator("table.results tbody tr").count() == 1
            assert "bij brief van 13 december 2022" in normal(page.locator("table.results").inner_text())
            assert re.search(r"1 row in \d+ ms", page.locator("#status").inner_text())
            csv_link = page.locator("#dl-csv").get_attribute("href")
            assert csv_link.startswith("/api/queries/answers-citing?document=kst-19637-3018") and "format=csv" in csv_link
            page.screenshot(path=str(ARTIFACTS / "browser-2-query.png"), full_page=True)

            # follow the answer's link: its page shows the passage with the span highlighted
            link.click()
            page.wait_for_url(server.url + "/id/ah-tk-20222023-1663/antwoord/2")
            assert page.locator("h1").inner_text().startswith("Antwoord 2")
            mark = page.locator("#provenance mark").first
            assert mark.is_visible()
            assert "13 december 2022" in normal(mark.inner_text())
            caption = normal(page.locator("#provenance figcaption").first.inner_text())
            assert "002_c13e7b55d78e5ffc.txt" in caption and "line 23" in caption and "2310" in caption
            background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
            assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet loaded
            mark.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "browser-3-answer.png"), full_page=False)
        finally:
            context.close()
    assert not problems, problems  # no script errors, no Content-Security-Policy violations
    outside = [u for u in requests if not u.startswith(server.url)]
    assert not outside, outside  # offline: every script, style and fetch is served by kg serve
