"""Article text is attacker-controlled: an article whose title, outlet, URL, text, quotes and
boilerplate carry <script>, <img onerror> and javascript: links must render inert everywhere."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.store import Store
from newsprism.web.app import create_app
from newsprism.web.sample import XSS_IMG, XSS_LINK, XSS_SCRIPT, build_sample, fill_store
from newsprism.web.testing import CHROMIUM, launch_chromium, live_server

BASE = "http://127.0.0.1"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


class Audit(HTMLParser):
    """Every tag and attribute the browser would build from a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def problems(self) -> list[str]:
        found = []
        for tag, attrs in self.tags:
            if tag == "script" and attrs != {"src": "/static/app.js", "defer": None}:
                found.append(f"script {attrs}")
            if tag in ("img", "iframe", "object", "embed", "svg", "math", "base"):
                found.append(f"<{tag}>")
            if tag == "form" and attrs.get("action") not in ("/", "/upload"):
                found.append(f"form {attrs}")
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"<{tag} {name}>")
                if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                    v = "".join(value.split()).lower()
                    if v.startswith(("javascript:", "data:", "vbscript:")):
                        found.append(f"<{tag} {name}={value}>")
        return found


@pytest.fixture()
def hostile(tmp_path):
    db = tmp_path / "hostile.sqlite"
    data = build_sample(hostile=True)
    with Store(db) as store:
        fill_store(store, data)
    return db, data


def _ingest(paths, store, settings=None, progress=None):
    from types import SimpleNamespace

    from newsprism.records import InputProblem

    return SimpleNamespace(
        articles_read=1, articles_new=0, analysed=0, events_touched=0, events_total=0,
        problems=[InputProblem(path=paths[0], kind="malformed", message=f"{XSS_SCRIPT} {XSS_IMG}")],
    )


def _pages(data) -> list[str]:
    hid = data.ids["hostile"]
    ev = next(e.id for e in data.events if hid in e.article_ids)
    return [
        "/",
        "/?q=script",
        "/?q=" + XSS_SCRIPT,
        "/?outlet=" + f"Evil {XSS_IMG} News",
        f"/events/{ev}",
        f"/articles/{hid}",
        f"/articles/{data.ids['planet']}",
        "/docs",
    ]


def test_hostile_article_is_stored_as_is(hostile):
    db, data = hostile
    with Store(db) as store:
        article = store.get_article(data.ids["hostile"])
    assert XSS_SCRIPT in article.title and XSS_IMG in article.source and article.url == XSS_LINK


def test_raw_html_has_no_live_markup(hostile, tmp_path):
    db, data = hostile
    app = create_app(db, ingest=_ingest, upload_root=str(tmp_path))
    with TestClient(app, base_url=BASE) as c:
        pages = _pages(data)
        r = c.post("/api/upload", files=[("files", (f"{XSS_IMG}.jsonl", b"{}\n", "application/json"))])
        assert r.status_code == 202
        job = r.json()["job"]
        for _ in range(200):
            if c.get(f"/api/jobs/{job}").json()["done"]:
                break
        pages.append(f"/jobs/{job}")
        for url in pages:
            r = c.get(url)
            assert r.status_code == 200, url
            html = r.text
            assert "<script>alert" not in html and "<img" not in html, url
            assert 'href="javascript' not in html.lower(), url
            assert Audit(html).problems() == [], url
        # the escaped text is still shown to the reader
        article = c.get(f"/articles/{data.ids['hostile']}").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
        assert "&lt;img src=x onerror=alert(1)&gt;" in article
        assert ">javascript:alert(1)<" in article  # the URL as text, not a link
        # error pages echo input escaped
        r = c.post("/upload", files=[("files", (f"{XSS_SCRIPT}.exe", b"x", "text/plain"))])
        assert r.status_code == 415 and Audit(r.text).problems() == [] and "<script>alert" not in r.text
        r = c.get("/?date_from=" + XSS_SCRIPT)
        assert r.status_code in (400, 422) and "<script>alert" not in r.text


def test_json_is_served_as_json(hostile, tmp_path):
    """The API returns the text as data; nosniff + application/json keep browsers from rendering it."""
    db, data = hostile
    with TestClient(create_app(db, ingest=_ingest, upload_root=str(tmp_path)), base_url=BASE) as c:
        r = c.get(f"/api/articles/{data.ids['hostile']}")
        assert r.headers["content-type"] == "application/json"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.json()["title"].startswith("Breaking <script>")
        assert r.json()["safe_url"] is None


def test_no_path_from_requests_reaches_the_file_system(hostile, tmp_path):
    db, _ = hostile
    seen = []

    def ingest(paths, store, settings=None, progress=None):
        seen.extend(paths)
        return _ingest(paths, store)

    with TestClient(create_app(db, ingest=ingest, upload_root=str(tmp_path)), base_url=BASE) as c:
        for name in ("../../../../tmp/pwned.jsonl", "/etc/cron.d/x.jsonl", "..\\..\\win.jsonl", "a\x00b.jsonl"):
            r = c.post("/api/upload", files=[("files", (name, b"{}\n", "application/json"))])
            assert r.status_code == 202, (name, r.text)
            assert "/" not in r.json()["files"][0] and "\\" not in r.json()["files"][0]
        for url in ("/static/../app.py", "/static/%2e%2e/app.py", "/articles/..%2f..%2fetc%2fpasswd"):
            r = c.get(url)
            assert r.status_code == 404, url
            assert "import" not in r.text
    assert not os.path.exists("/tmp/pwned.jsonl")
    assert all(Path(p).resolve().is_relative_to(tmp_path.resolve()) for p in seen)
    assert all(Path(p).name.startswith("upload-") for p in seen)


@pytest.mark.browser
def test_hostile_pages_are_inert_in_chromium(hostile, tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    db, data = hostile
    app = create_app(db, ingest=_ingest, upload_root=str(tmp_path))
    ARTIFACTS.mkdir(exist_ok=True)
    dialogs: list[str] = []
    with live_server(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in _pages(data):
            page.goto(base + url)
            page.wait_for_load_state("load")
            assert page.locator("img[onerror]").count() == 0, url
            assert page.locator("img").count() == 0, url
            assert page.locator("a[href^='javascript' i]").count() == 0, url
            # the hostile strings are visible as text
            if "hostile" in url or url.startswith("/articles/" + data.ids["hostile"]):
                assert XSS_SCRIPT in page.inner_text("body")
        page.goto(f"{base}/articles/{data.ids['hostile']}")
        assert XSS_SCRIPT in page.locator("h1").inner_text()
        assert XSS_LINK == page.locator(".source-url").inner_text()
        page.get_by_role("button", name="expand all").click()
        page.locator("#removed > summary").click()
        page.wait_for_timeout(200)
        page.screenshot(path=str(ARTIFACTS / "09-hostile-article.png"), full_page=True)
        assert page.locator("img").count() == 0
        browser.close()
    assert dialogs == []
