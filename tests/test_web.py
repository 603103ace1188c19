"""The web app over a real store filled with hand-built records (no spaCy, no pipeline)."""

from __future__ import annotations

import os
import re
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from newsprism.records import InputProblem
from newsprism.store import Store
from newsprism.web.app import LOOPBACK_HOSTS, _hosts_for, create_app, serve
from newsprism.web.sample import build_sample, fill_store
from newsprism.web.views import safe_url, snippet_parts

BASE = "http://127.0.0.1"


class RecordingIngest:
    """Stands in for `pipeline.ingest`: records what it was given, reports progress, returns a report."""

    def __init__(self, problems=(), fail: Exception | None = None, gate: threading.Event | None = None):
        self.calls: list[dict] = []
        self.problems = list(problems)
        self.fail = fail
        self.gate = gate

    def __call__(self, paths, store, settings=None, progress=None):
        seen = {}
        for p in paths:
            seen[p] = {"exists": os.path.exists(p), "bytes": Path(p).read_bytes()}
        self.calls.append({"paths": list(paths), "files": seen, "store": store})
        progress("read", 2, None)
        if self.gate is not None:
            self.gate.wait(10)
        progress("analyse", 1, 2)
        progress("analyse", 2, 2)
        if self.fail:
            raise self.fail
        problems = [
            InputProblem(path=paths[0], kind="malformed", message=f"bad JSON in {paths[0]}", line=3)
        ] + self.problems
        return SimpleNamespace(
            run_id=1, articles_read=2, articles_new=2, analysed=2, events_touched=1, events_total=3,
            problems=problems,
        )


@pytest.fixture()
def sample(tmp_path):
    db = tmp_path / "web.sqlite"
    data = build_sample()
    store = Store(db)
    fill_store(store, data)
    if hasattr(store, "close"):
        store.close()
    return db, data


@pytest.fixture()
def ingest():
    return RecordingIngest()


@pytest.fixture()
def client(sample, ingest, tmp_path):
    db, _ = sample
    app = create_app(db, ingest=ingest, max_upload_bytes=50_000, upload_root=str(tmp_path))
    with TestClient(app, base_url=BASE) as c:
        yield c


def _ids(data):
    flood, fest = data.events[0], data.events[1]
    return flood.id, fest.id


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag, **attrs):
        out = []
        for t, a in self.tags:
            if t == tag and all(
                (v in a.get(k.rstrip("_"), "").split()) if k.endswith("_") else a.get(k) == v for k, v in attrs.items()
            ):
                out.append(a)
        return out


# --------------------------------------------------------------------------- events page


def test_events_api_counts(client, sample):
    _, data = sample
    flood_id, fest_id = _ids(data)
    body = client.get("/api/events").json()
    assert body["total"] == 2
    by_id = {e["id"]: e for e in body["events"]}
    flood = by_id[flood_id]
    assert flood["title"] == "Lowmoor flood"
    assert flood["n_articles"] == 3 and flood["n_outlets"] == 3
    assert flood["outlets"] == ["Daily Planet", "Rumour Mill", "Wire Service"]
    assert (flood["date_from"], flood["date_to"]) == ("2024-03-05", "2024-03-06")
    assert flood["n_conflicts"] == 1
    assert flood["n_suspicious"] == 1  # only the sabotage article (0.81) is at/above 0.5
    assert flood["summary"].startswith("The river Lowe flooded")
    # most recent first
    assert [e["id"] for e in body["events"]] == [fest_id, flood_id]
    assert "Coast Gazette" in body["outlets"]


def test_events_page_shows_the_same(client, sample):
    _, data = sample
    flood_id, _ = _ids(data)
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    tags = Tags(r.text)
    links = [a["href"] for a in tags.find("a", class_="event-link")]
    assert f"/events/{flood_id}" in links and len(links) == 2
    card = r.text[r.text.index("Lowmoor flood") :]
    card = card[: card.index("</li>")]
    nums = re.findall(r"<dt>(\w+)</dt><dd>([^<]+)</dd>", card)
    assert dict(nums) == {"articles": "3", "outlets": "3", "dates": "2024-03-05 – 2024-03-06",
                          "conflicts": "1", "suspicious": "1"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"outlet": "Coast Gazette"}, ["fest"]),
        ({"outlet": "Wire Service"}, ["flood"]),
        ({"date_from": "2024-04-01"}, ["fest"]),
        ({"date_to": "2024-03-31"}, ["flood"]),
        ({"date_from": "2024-03-06", "date_to": "2024-03-06"}, ["flood"]),
        ({"date_from": "2024-05-01"}, []),
        ({"q": "sabotage"}, ["flood"]),
        ({"q": "festival"}, ["fest"]),
        ({"q": "Lowmoor", "outlet": "Coast Gazette"}, []),
    ],
)
def test_event_filters(client, sample, query, expected):
    _, data = sample
    flood_id, fest_id = _ids(data)
    names = {flood_id: "flood", fest_id: "fest"}
    body = client.get("/api/events", params=query).json()
    assert [names[e["id"]] for e in body["events"]] == expected
    html = client.get("/", params=query).text
    assert len(Tags(html).find("a", class_="event-link")) == len(expected)


def test_bad_dates_are_clear_errors(client):
    r = client.get("/api/events", params={"date_from": "yesterday"})
    assert r.status_code == 400 and r.json()["detail"] == "not a date (YYYY-MM-DD): 'yesterday'"
    r = client.get("/", params={"date_to": "2024-13"})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.text


def test_search_articles_and_events(client, sample):
    _, data = sample
    flood_id, _ = _ids(data)
    body = client.get("/api/search", params={"q": "sabotaged dam"}).json()
    assert [a["id"] for a in body["articles"]] == [data.ids["rumour"]]
    assert body["articles"][0]["event"] == flood_id
    assert [e["id"] for e in body["events"]] == [flood_id]
    # matching articles are listed on the events page too
    html = client.get("/", params={"q": "sabotaged dam"}).text
    assert f'href="/articles/{data.ids["rumour"]}"' in html


@pytest.mark.parametrize("q", ['"', "NEAR(a b", "a* OR", "title:x", "-", "'; DROP TABLE articles; --", "((("])
def test_search_survives_fts_syntax(client, q):
    assert client.get("/api/search", params={"q": q}).status_code == 200
    assert client.get("/", params={"q": q}).status_code == 200


def test_search_snippets_mark_matches(client, sample):
    _, data = sample
    (hit,) = client.get("/api/search", params={"q": "sabotaged"}).json()["articles"]
    assert {"text": "sabotaged", "match": True} in hit["snippet"]
    html = client.get("/", params={"q": "sabotaged"}).text
    assert "<mark>sabotaged</mark>" in html
    assert snippet_parts("a «b» c") == [{"text": "a ", "match": False}, {"text": "b", "match": True},
                                        {"text": " c", "match": False}]


def test_pagination(client, sample, monkeypatch):
    import newsprism.web.views as views

    body = client.get("/api/events").json()
    assert body["pages"] == 1
    app = client.app
    data = app.state.catalog.list_events(page=2, page_size=1)
    assert data["page"] == 2 and data["pages"] == 2 and len(data["events"]) == 1
    assert views.PAGE_SIZE >= 10


# --------------------------------------------------------------------------- event page


def test_event_detail_api(client, sample):
    _, data = sample
    flood_id, _ = _ids(data)
    ev = client.get(f"/api/events/{flood_id}").json()
    # articles ranked by suspicion, most suspicious first
    assert [a["id"] for a in ev["articles"]] == [data.ids["rumour"], data.ids["planet"], data.ids["wire"]]
    assert ev["articles"][0]["suspicious"] is True and ev["articles"][0]["duplicate_of"] == data.ids["planet"]
    assert ev["articles"][1]["label_counts"] == {
        "corroborated": 2, "single-source": 0, "conflicting": 1, "unsupported": 0, "opinion": 1}
    (conflict,) = ev["conflicts"]
    assert [v["value"] for v in conflict["variants"]] == ["About 3,000", "Some 5,000"]
    assert conflict["variants"][1]["outlets"] == ["Wire Service"]
    facts = ev["brief"]["key_facts"]
    assert [f["corroboration"] for f in facts] == [3, 2]
    cov = ev["coverage"]
    assert cov["outlets"] == ["Daily Planet", "Rumour Mill", "Wire Service"]
    assert cov["cells"] == [[True, True], [True, False], [True, True]]
    assert cov["per_outlet"] == [2, 1, 2]
    assert ev["brief"]["summary"][0]["citations"][1] == {"article": data.ids["wire"], "outlet": "Wire Service", "index": 0}
    assert ev["standing_apart"][0]["article"] == data.ids["rumour"]


def test_event_page_renders_brief_conflicts_grid_ranking(client, sample):
    _, data = sample
    flood_id, _ = _ids(data)
    html = client.get(f"/events/{flood_id}").text
    tags = Tags(html)
    for section in ("summary", "facts", "timeline", "conflicts", "quotes", "coverage", "articles"):
        assert tags.find("section", id=section), section
    # citations point at the sentence anchors of the cited articles
    cites = [a["href"] for a in tags.find("a", class_="cite")]
    assert f"/articles/{data.ids['planet']}#s-0" in cites and f"/articles/{data.ids['wire']}#s-0" in cites
    # the conflicts table has both figures with who says which
    conflicts = html[html.index('id="conflicts"') : html.index('id="quotes"')]
    assert "About 3,000" in conflicts and "Some 5,000" in conflicts and "the fire service" in conflicts
    # coverage grid: 3 outlets x 2 facts, Rumour Mill lacks fact 2
    grid = html[html.index('class="coverage"') : html.index("</table>", html.index('class="coverage"'))]
    rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', grid, re.S)
    cells = {name: re.findall(r'<td class="(yes|no)"', row) for name, row in rows}
    assert cells == {"Daily Planet": ["yes", "yes"], "Rumour Mill": ["yes", "no"], "Wire Service": ["yes", "yes"]}
    # ranking order in the table
    ranked = [a["href"] for a in tags.find("a", class_="article-link")]
    assert ranked == [f"/articles/{data.ids[k]}" for k in ("rumour", "planet", "wire")]


def test_unknown_ids_are_404(client):
    for url in ("/events/ev-nope", "/articles/0000", "/jobs/" + "0" * 32, "/jobs/../../etc/passwd"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "text/html" in r.headers["content-type"]
    for url in ("/api/events/ev-nope", "/api/articles/0000", "/api/jobs/" + "f" * 32, "/api/jobs/x"):
        r = client.get(url)
        assert r.status_code == 404 and "detail" in r.json(), url


# --------------------------------------------------------------------------- article page


def test_article_sentences_labelled_and_expandable(client, sample):
    _, data = sample
    aid = data.ids["planet"]
    html = client.get(f"/articles/{aid}").text
    tags = Tags(html)
    sents = tags.find("details", class_="sent")
    assert [s["id"] for s in sents] == ["s-0", "s-1", "s-2", "s-3"]
    assert [s["data-label"] for s in sents] == ["corroborated", "conflicting", "corroborated", "opinion"]
    for s in sents:
        assert f"label-{s['data-label']}" in s["class"].split()
    # the first sentence expands to its support, with links to the other articles' anchors
    first = html[html.index('id="s-0"') : html.index('id="s-1"')]
    assert f'href="/articles/{data.ids["wire"]}#s-0"' in first
    assert "Supported by" in first and "Wire Service" in first
    second = html[html.index('id="s-1"') : html.index('id="s-2"')]
    assert "Contradicted by" in second and "Some 5,000 people were moved to shelters" in second
    # the legend names all five labels
    legend = [a["class"] for a in tags.find("span", class_="swatch")]
    assert legend == [f"swatch label-{n}" for n in ("corroborated", "single-source", "conflicting", "unsupported", "opinion")]


def test_article_boilerplate_duplicates_and_passages(client, sample):
    _, data = sample
    html = client.get(f"/articles/{data.ids['planet']}").text
    tags = Tags(html)
    (removed,) = tags.find("details", id="removed")
    assert "open" not in removed  # collapsed
    block = html[html.index('id="removed"') :]
    assert "Subscribe to our newsletter" in block and "Share this article" in block
    assert "near copied by" in html and f'href="/articles/{data.ids["rumour"]}"' in html
    assert "shared" in tags.find("details", id="s-0")[0]["class"].split()
    assert "shared" not in tags.find("details", id="s-1")[0]["class"].split()
    api = client.get(f"/api/articles/{data.ids['rumour']}").json()
    assert api["duplicates"] == [
        {"article": data.ids["planet"], "relation": "copy of", "kind": "near", "similarity": 0.62,
         "title": "River bursts its banks in Lowmoor, thousands evacuated", "outlet": "Daily Planet"}
    ]
    assert api["passages"][0]["other"] == data.ids["planet"]
    assert api["sentences"][0]["shared_with"] == [data.ids["planet"]]


def test_article_urls_only_linked_when_http(client, sample):
    _, data = sample
    planet = Tags(client.get(f"/articles/{data.ids['planet']}").text)
    assert [a["href"] for a in planet.find("a", class_="source-url")] == ["https://planet.example/lowmoor-flood"]
    rumour_html = client.get(f"/articles/{data.ids['rumour']}").text
    rumour = Tags(rumour_html)
    assert rumour.find("a", class_="source-url") == []
    assert "ftp://rumour.example/flood" in rumour_html  # shown as text
    assert client.get(f"/api/articles/{data.ids['rumour']}").json()["safe_url"] is None


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://a.example/x", True),
        ("http://a.example", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("http:/no-host", False),
        ("vbscript:msgbox", False),
        (None, False),
    ],
)
def test_safe_url(url, ok):
    assert safe_url(url) == (url if ok else None)


# --------------------------------------------------------------------------- headers, API docs


def test_security_headers_everywhere(client, sample):
    _, data = sample
    for url in ("/", f"/articles/{data.ids['planet']}", "/api/events", "/upload", "/static/style.css", "/nope"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script(client, sample):
    _, data = sample
    for url in ("/", f"/events/{data.events[0].id}", f"/articles/{data.ids['planet']}", "/upload", "/docs"):
        tags = Tags(client.get(url).text)
        scripts = [a for t, a in tags.tags if t == "script"]
        assert scripts == [{"src": "/static/app.js", "defer": None}], url
        assert not [a for _, a in tags.tags if any(k.startswith("on") for k in a)], url


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/search",
                 "/api/upload", "/api/jobs/{job_id}"):
        assert path in paths, path
    assert "multipart/form-data" in paths["/api/upload"]["post"]["requestBody"]["content"]
    schemas = spec["components"]["schemas"]
    assert {"EventList", "EventDetail", "ArticleDetail", "SearchResult", "JobOut", "UploadAccepted"} <= set(schemas)
    assert "sentences" in schemas["ArticleDetail"]["properties"]
    # HTML pages are not in the API description
    assert "/" not in paths and "/articles/{article_id}" not in paths
    docs = client.get("/docs").text
    assert "/api/articles/{article_id}" in docs and "cdn" not in docs.lower()


def test_api_payloads_validate_against_openapi(client, sample):
    """Every documented response field is present (response_model would 500 otherwise)."""
    _, data = sample
    for aid in data.ids.values():
        body = client.get(f"/api/articles/{aid}").json()
        assert set(body) >= {"sentences", "removed", "duplicates", "passages", "label_counts"}


def test_foreign_host_header_refused(client):
    r = client.get("/api/events", headers={"host": "evil.example"})
    assert r.status_code == 400


def test_serve_binds_loopback_by_default():
    import inspect

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert _hosts_for("127.0.0.1") == LOOPBACK_HOSTS + ["127.0.0.1"]
    assert _hosts_for("0.0.0.0") == ["*"]


def test_index_follows_the_store(client, sample):
    """A new event written to the store by another process shows up without a restart."""
    db, data = sample
    assert client.get("/api/events").json()["total"] == 2
    extra = build_sample(hostile=True)
    store = Store(db)
    fill_store(store, extra)
    if hasattr(store, "close"):
        store.close()
    time.sleep(0.01)
    assert client.get("/api/events").json()["total"] == 3


# --------------------------------------------------------------------------- upload


def _wait_job(client, job_id, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["done"]:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_upload_runs_ingest_in_background(client, ingest, tmp_path):
    payload = b'{"title": "t", "text": "x"}\n'
    r = client.post("/api/upload", files=[("files", ("../../etc/My Feed.jsonl", payload, "application/json"))])
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["files"] == ["My Feed.jsonl"] and body["status_url"] == f"/api/jobs/{body['job']}"
    job = _wait_job(client, body["job"])
    assert job["status"] == "done"
    assert (job["articles_read"], job["articles_processed"], job["articles_new"], job["events_touched"]) == (2, 2, 2, 1)
    assert {"stage": "analyse", "done": 2, "total": 2} in job["stages"]
    # problems name the client's file, never the server's temporary path
    assert job["problems"] == [{"file": "My Feed.jsonl", "line": 3, "kind": "malformed",
                                "message": "bad JSON in My Feed.jsonl", "skipped": True}]
    (call,) = ingest.calls
    (path,) = call["paths"]
    assert os.path.basename(path) == "upload-001.jsonl"  # generated, not the client's name
    assert Path(path).resolve().is_relative_to(tmp_path.resolve())
    assert call["files"][path] == {"exists": True, "bytes": payload}
    assert not os.path.exists(path)  # cleaned up after the run
    page = client.get(f"/jobs/{body['job']}").text
    assert "done" in page and "My Feed.jsonl" in page and 'http-equiv="refresh"' not in page


def test_upload_form_redirects_to_progress_page(sample, tmp_path):
    db, _ = sample
    gate = threading.Event()
    ingest = RecordingIngest(gate=gate)
    app = create_app(db, ingest=ingest, upload_root=str(tmp_path))
    with TestClient(app, base_url=BASE) as c:
        r = c.post("/upload", files=[("files", ("a.txt", b"Title\n\nBody", "text/plain")),
                                     ("files", ("b.html", b"<html><title>x</title></html>", "text/html"))],
                   follow_redirects=False)
        assert r.status_code == 303
        job_url = r.headers["location"]
        page = c.get(job_url).text
        assert 'http-equiv="refresh"' in page  # auto-refresh while running
        assert "a.txt, b.html" in page
        gate.set()
        job = _wait_job(c, job_url.rsplit("/", 1)[1])
        assert [os.path.basename(p) for p in ingest.calls[0]["paths"]] == ["upload-001.txt", "upload-002.html"]
        assert job["status"] == "done"


def test_upload_failure_is_reported(sample, tmp_path):
    db, _ = sample
    app = create_app(db, ingest=RecordingIngest(fail=RuntimeError("model missing")), upload_root=str(tmp_path))
    with TestClient(app, base_url=BASE) as c:
        r = c.post("/api/upload", files=[("files", ("a.jsonl", b"{}\n", "application/json"))])
        job = _wait_job(c, r.json()["job"])
        assert job["status"] == "failed" and job["error"] == "RuntimeError: model missing"
        assert "The analysis failed: RuntimeError: model missing" in c.get(f"/jobs/{job['id']}").text


def test_upload_size_limit_declared(client, ingest):
    big = b"x" * 60_000
    r = client.post("/api/upload", files=[("files", ("a.jsonl", big, "application/json"))])
    assert r.status_code == 413
    assert r.json()["detail"] == "Upload too large: the limit is 50 kB (50000 bytes) per request."
    r = client.post("/upload", files=[("files", ("a.jsonl", big, "application/json"))])
    assert r.status_code == 413 and "Upload too large" in r.text
    assert ingest.calls == []


def test_upload_size_limit_while_streaming(client, ingest):
    """No Content-Length (chunked): the limit is enforced as the body arrives."""
    boundary = "XyZ"

    def body():
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.jsonl"\r\n\r\n'.encode()
        for _ in range(100):
            yield b"y" * 1000
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post("/api/upload", content=body(),
                    headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "Upload too large" in r.json()["detail"]
    assert ingest.calls == []
    assert os.listdir(client.app.state.jobs.root) == []  # the partial file is gone


@pytest.mark.parametrize(
    "files, status, message",
    [
        ([("files", ("evil.exe", b"MZ", "application/octet-stream"))], 415, "Unsupported file type"),
        ([("files", ("a.jsonl", b"", "application/json"))], 400, "Empty file"),
        ([("other", ("a.jsonl", b"{}", "application/json"))], 400, "Unexpected file field"),
        ([("files", ("", b"", "application/octet-stream"))], 400, "No file chosen"),
    ],
)
def test_upload_errors_are_clear(client, ingest, files, status, message):
    r = client.post("/api/upload", files=files)
    assert r.status_code == status and message in r.json()["detail"]
    r = client.post("/upload", files=files)
    assert r.status_code == status and message in r.text and "<form" in r.text
    assert ingest.calls == []


def test_upload_needs_multipart(client):
    r = client.post("/api/upload", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415 and "multipart/form-data" in r.json()["detail"]


def test_cross_site_upload_refused(client, ingest):
    files = [("files", ("a.jsonl", b"{}\n", "application/json"))]
    r = client.post("/api/upload", files=files, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post("/upload", files=files, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    r = client.post("/api/upload", files=files, headers={"origin": BASE})
    assert r.status_code == 202
    assert len(ingest.calls) <= 1


def test_other_requests_have_small_body_limit(client):
    r = client.post("/api/events", content=b"x" * 100_000)
    assert r.status_code == 413


@pytest.mark.slow
def test_upload_through_the_real_pipeline(tmp_path, seeds_dir):
    """The default ingest (newsprism.pipeline.ingest) fills the store from an upload."""
    from newsprism import pipeline

    if not hasattr(pipeline, "ingest"):
        pytest.fail("newsprism.pipeline.ingest is missing")
    db = tmp_path / "real.sqlite"
    Store(db)
    app = create_app(db, upload_root=str(tmp_path), max_upload_bytes=5_000_000)
    files = sorted(p for p in seeds_dir.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))[:5]
    assert files
    with TestClient(app, base_url=BASE) as c:
        r = c.post("/api/upload", files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in files])
        assert r.status_code == 202, r.text
        job = _wait_job(c, r.json()["job"], timeout=600)
        assert job["status"] == "done", job
        assert job["articles_read"] >= 1
        events = c.get("/api/events").json()
        assert events["total"] >= 1
        ev = c.get(f"/api/events/{events['events'][0]['id']}").json()
        art = c.get(f"/api/articles/{ev['articles'][0]['id']}").json()
        assert art["sentences"] and all(s["label"] for s in art["sentences"])


def test_cached_pages_follow_the_store(client, sample):
    """Event and article pages are cached, but a new brief written by ingest shows at once."""
    db, data = sample
    flood = data.events[0]
    url = f"/events/{flood.id}"
    assert "thousands were evacuated" in client.get(url).text
    assert client.get(url).text == client.get(url).text  # served from the cache
    brief = data.briefs[flood.id]
    brief.summary[0].text = "Revised: the Lowe flood displaced 4,000 residents."
    with Store(db) as store:
        store.save_brief(brief)
    html = client.get(url).text
    assert "Revised: the Lowe flood displaced 4,000 residents." in html
    assert client.get("/api/events").json()["events"][1]["summary"].startswith("Revised:")


def test_loadtest_tool_runs_bounded_on_loopback():
    """The load-test tool works (a few requests; no assertion on speed)."""
    from newsprism.web import loadtest

    result = loadtest.run(requests=20, concurrency=2, max_seconds=20)
    assert result["requests"] == 20 and result["errors"] == 0 and result["statuses"] == {200: 20}
    assert result["path"].startswith("/events/ev-")
    assert result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert loadtest.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert loadtest.percentile([float(i) for i in range(1, 101)], 99) == 99.0


def test_public_store_api_is_enough(sample, tmp_path):
    """Without the raw connection (bulk JSON reads) the app falls back to the Store methods."""
    db, data = sample

    class NoConnection:
        def __init__(self, path):
            self._store = Store.open_readonly(path)

        def __getattr__(self, name):
            if name == "connection":
                raise AttributeError(name)
            return getattr(self._store, name)

    fast = create_app(db, ingest=RecordingIngest(), upload_root=str(tmp_path))
    slow = create_app(db, ingest=RecordingIngest(), store_factory=NoConnection, upload_root=str(tmp_path))
    with TestClient(fast, base_url=BASE) as a, TestClient(slow, base_url=BASE) as b:
        assert a.get("/api/events").json() == b.get("/api/events").json()
        flood = data.events[0].id
        assert a.get(f"/api/events/{flood}").json() == b.get(f"/api/events/{flood}").json()
