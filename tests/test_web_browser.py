"""Drive a real headless Chromium (Debian's) through the web app: events -> event -> article,
label colours, expansion of support, upload progress. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsprism.store import Store
from newsprism.web.app import create_app
from newsprism.web.sample import build_sample, fill_store
from newsprism.web.testing import CHROMIUM, launch_chromium, live_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

# The label colours of static/style.css, as the browser computes them.
LABEL_COLOURS = {
    "corroborated": "rgb(211, 249, 216)",
    "single-source": "rgb(255, 243, 191)",
    "conflicting": "rgb(255, 216, 168)",
    "unsupported": "rgb(255, 201, 201)",
    "opinion": "rgb(229, 219, 255)",
}


def require_chromium() -> None:
    """Skip without Chromium on a developer machine; in CI a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: run `make browser-deps` (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} not installed (make browser-deps)")


pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


class SlowIngest:
    """Stands in for pipeline.ingest: progress in steps, released by the test."""

    def __init__(self):
        self.release = threading.Event()
        self.paths = []

    def __call__(self, paths, store, settings=None, progress=None):
        self.paths.extend(paths)
        progress("read", 1, None)
        progress("analyse", 0, 1)
        self.release.wait(15)
        progress("analyse", 1, 1)
        return SimpleNamespace(articles_read=1, articles_new=1, analysed=1, events_touched=1, events_total=3,
                               problems=[])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "web.sqlite"
    data = build_sample()
    with Store(db) as store:
        fill_store(store, data)
    ingest = SlowIngest()
    app = create_app(db, ingest=ingest, upload_root=str(tmp))
    with live_server(app) as base:
        yield SimpleNamespace(base=base, data=data, ingest=ingest)


@pytest.fixture()
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.errors = errors
    yield pg
    context.close()


def bg(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


def test_events_event_article_walk(page, site):
    data = site.data
    page.goto(site.base + "/")
    assert page.title() == "Events · newsprism"
    cards = page.locator(".event-card")
    assert cards.count() == 2
    page.screenshot(path=str(ARTIFACTS / "01-events.png"), full_page=True)

    page.get_by_role("link", name="Lowmoor flood").click()
    page.wait_for_url(f"**/events/{data.events[0].id}")
    assert page.locator("h1.event-title").inner_text() == "Lowmoor flood"
    assert page.locator("#conflicts table.conflicts tbody tr").count() == 1
    assert page.locator("#coverage td.yes").count() == 5
    ranked = page.locator("#articles a.article-link").all_inner_texts()
    assert ranked[0] == "Lowmoor flood: dam sabotage suspected"
    page.screenshot(path=str(ARTIFACTS / "02-event.png"), full_page=True)

    page.get_by_role("link", name="River bursts its banks in Lowmoor, thousands evacuated").first.click()
    page.wait_for_url(f"**/articles/{data.ids['planet']}")
    # colours by label
    assert bg(page, "#s-0") == LABEL_COLOURS["corroborated"]
    assert bg(page, "#s-1") == LABEL_COLOURS["conflicting"]
    assert bg(page, "#s-3") == LABEL_COLOURS["opinion"]
    for name, colour in LABEL_COLOURS.items():  # the legend shows all five
        assert bg(page, f".legend .swatch.label-{name}") == colour
    # the support of the first sentence is hidden until the sentence is opened
    support = page.locator("#s-0 .refs.support .ref-text").first
    assert not support.is_visible()
    page.locator("#s-0 > summary").click()
    assert page.locator("#s-0").get_attribute("open") is not None
    assert support.is_visible()
    assert support.inner_text() == "The river Lowe burst its banks in Lowmoor on Tuesday, flooding the town centre."
    assert page.locator("#s-0 .refs.support b").first.inner_text() == "Wire Service"
    # the conflicting sentence expands to the contradicting figure
    page.locator("#s-1 > summary").click()
    contra = page.locator("#s-1 .refs.conflict .ref-text")
    assert contra.is_visible() and "Some 5,000" in contra.inner_text()
    # boilerplate is collapsed
    assert not page.get_by_text("Subscribe to our newsletter").is_visible()
    page.screenshot(path=str(ARTIFACTS / "03-article-expanded.png"), full_page=True)

    # following a support link lands on the other article's sentence, opened
    page.locator("#s-0 .refs.support a.ref-link").first.click()
    page.wait_for_url(f"**/articles/{data.ids['wire']}#s-0")
    assert page.locator("#s-0").get_attribute("open") is not None
    assert page.errors == []


def test_remaining_label_colours(page, site):
    data = site.data
    page.goto(f"{site.base}/articles/{data.ids['rumour']}")
    assert bg(page, "#s-1") == LABEL_COLOURS["unsupported"]
    assert bg(page, "#s-0") == LABEL_COLOURS["corroborated"]
    assert page.locator(".tag.dup").inner_text() == "near copy of"
    assert page.locator("a.source-url").count() == 0  # ftp: shown as text, not linked
    page.screenshot(path=str(ARTIFACTS / "04-article-unsupported.png"), full_page=True)
    page.goto(f"{site.base}/articles/{data.ids['harbour']}")
    assert bg(page, "#s-0") == LABEL_COLOURS["single-source"]


def test_expand_all_and_filters(page, site):
    data = site.data
    page.goto(f"{site.base}/articles/{data.ids['planet']}")
    page.get_by_role("button", name="expand all").click()
    assert page.locator("details.sent[open]").count() == 4
    page.get_by_role("button", name="collapse all").click()
    assert page.locator("details.sent[open]").count() == 0
    page.goto(site.base + "/")
    page.select_option("select[name=outlet]", "Coast Gazette")
    page.get_by_role("button", name="Filter").click()
    assert page.locator(".event-card h2").all_inner_texts() == ["Eastport harbour festival"]
    page.fill("header input[name=q]", "sabotaged")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/?q=sabotaged")
    assert page.locator(".hits mark").first.inner_text().lower() == "sabotaged"
    page.screenshot(path=str(ARTIFACTS / "05-search.png"), full_page=True)


def test_upload_shows_progress(page, site, tmp_path):
    src = tmp_path / "new-articles.jsonl"
    src.write_text('{"title": "Dam inspected", "text": "Engineers inspected the dam."}\n')
    page.goto(site.base + "/upload")
    page.set_input_files("input[type=file]", str(src))
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url("**/jobs/*")
    assert page.locator(".status").inner_text() == "running"
    assert page.locator("#read").inner_text() == "1"
    page.screenshot(path=str(ARTIFACTS / "06-upload-running.png"), full_page=True)
    site.ingest.release.set()
    page.wait_for_selector(".status-done", timeout=15_000)  # the page refreshes itself
    assert page.locator("#processed").inner_text() == "1"
    assert [os.path.basename(p) for p in site.ingest.paths] == ["upload-001.jsonl"]
    page.screenshot(path=str(ARTIFACTS / "07-upload-done.png"), full_page=True)


def test_pages_render_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    pg.goto(f"{site.base}/events/{site.data.events[0].id}")
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"horizontal overflow on a phone: {width}px"
    pg.screenshot(path=str(ARTIFACTS / "08-event-phone.png"), full_page=True)
    context.close()


def test_chromium_is_debians():
    require_chromium()
    assert shutil.which("chromium") or Path(CHROMIUM).exists()
