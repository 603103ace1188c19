"""The bundled demo corpus: every file parses, its ground-truth table agrees with the data,
and the corpus has the structure the demo relies on (one fake per event, 5-7 outlets per
event, a near-copy per event, no text taken from the seeds)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import pytest

REQUIRED = ("id", "title", "text", "source", "url", "published", "event", "label")
ALLOWED_HOST_SUFFIXES = (".example.com", ".example.org", ".example.net", ".invalid")
MIN_WORDS, MAX_WORDS = 250, 600


# --------------------------------------------------------------------------- loading


def _load_jsonl(path: Path) -> list[dict]:
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - the assertion message is the point
            pytest.fail(f"{path.name}:{lineno}: invalid JSON: {exc}")
    return records


class _PageParser(HTMLParser):
    """Collects <meta> properties, the <title> and the paragraphs inside <article>."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.paragraphs: list[str] = []
        self._in_title = False
        self._article_depth = 0
        self._p: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key and a.get("content"):
                self.meta[key] = a["content"]
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._article_depth += 1
        elif tag == "p" and self._article_depth:
            self._p = []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "article":
            self._article_depth -= 1
        elif tag == "p" and self._p is not None:
            self.paragraphs.append(" ".join("".join(self._p).split()))
            self._p = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._p is not None:
            self._p.append(data)


def _strip_tags(html: str) -> str:
    class _Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _readme_table(readme: str) -> list[dict]:
    """Rows of the machine-readable article table (the one whose header starts `| id | file |`)."""
    lines = readme.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\|\s*id\s*\|\s*file\s*\|", line))
    header = [h.strip() for h in lines[start].strip().strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        rows.append(dict(zip(header, cells)))
    return rows


@pytest.fixture(scope="module")
def corpus(demo_corpus_dir: Path) -> dict[str, dict]:
    """Every article of the corpus, from every format, keyed by its id."""
    articles: dict[str, dict] = {}

    def add(record: dict) -> None:
        assert record["id"] not in articles, f"duplicate article id {record['id']}"
        articles[record["id"]] = record

    for path in sorted(demo_corpus_dir.iterdir()):
        if path.name == "README.md" or path.name.startswith("."):
            continue
        if path.suffix == ".jsonl":
            for rec in _load_jsonl(path):
                add({**rec, "file": path.name, "format": "jsonl"})
        elif path.suffix == ".html":
            page = _PageParser()
            page.feed(path.read_text(encoding="utf-8"))
            add({
                "id": path.stem,
                "file": path.name,
                "format": "html",
                "title": page.meta.get("og:title", page.title),
                "text": "\n\n".join(page.paragraphs),
                "source": page.meta.get("og:site_name"),
                "url": page.meta.get("og:url"),
                "published": page.meta.get("article:published_time"),
            })
        elif path.suffix == ".txt":
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            add({"id": path.stem, "file": path.name, "format": "txt", "title": title.strip(),
                 "text": body.strip(), "source": None, "url": None, "published": None})
        elif path.suffix == ".xml":
            feed = feedparser.parse(str(path))
            assert not feed.bozo, f"{path.name}: {feed.get('bozo_exception')}"
            for entry in feed.entries:
                add({
                    "id": entry.id,
                    "file": path.name,
                    "format": "feed",
                    "title": entry.title,
                    "text": _strip_tags(entry.content[0].value),
                    "source": feed.feed.title,
                    "url": entry.link,
                    "published": datetime(*entry.published_parsed[:6]).isoformat(),
                })
        else:
            pytest.fail(f"unexpected file in the demo corpus: {path.name}")
    return articles


@pytest.fixture(scope="module")
def readme(demo_corpus_dir: Path) -> str:
    return (demo_corpus_dir / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def truth(readme: str) -> dict[str, dict]:
    return {row["id"]: row for row in _readme_table(readme)}


# --------------------------------------------------------------------------- formats


def test_every_format_is_present(corpus):
    formats = {a["format"] for a in corpus.values()}
    assert formats == {"jsonl", "html", "txt", "feed"}
    feed_items = [a for a in corpus.values() if a["format"] == "feed"]
    assert 1 <= len(feed_items) <= 2


def test_jsonl_records_have_every_field(demo_corpus_dir):
    records = _load_jsonl(demo_corpus_dir / "articles.jsonl")
    assert records
    for rec in records:
        missing = [k for k in REQUIRED if not isinstance(rec.get(k), str) or not rec[k].strip()]
        assert not missing, f"{rec.get('id')}: missing or empty {missing}"
        assert rec["label"] in {"real", "fake"}, rec["id"]
        published = datetime.fromisoformat(rec["published"])
        assert published.tzinfo is not None and published.year == 2025, rec["id"]


def test_urls_use_reserved_hosts(corpus):
    for art in corpus.values():
        if art["url"]:
            host = urlparse(art["url"]).hostname or ""
            assert host.endswith(ALLOWED_HOST_SUFFIXES), f"{art['id']}: {host}"


def test_html_pages_carry_metadata_and_site_chrome(demo_corpus_dir, corpus):
    for path in demo_corpus_dir.glob("*.html"):
        raw = path.read_text(encoding="utf-8").lower()
        art = corpus[path.stem]
        assert art["source"] and art["published"] and art["url"], path.name
        datetime.fromisoformat(art["published"])
        # the chrome a reader has to strip is really there
        for marker in ("<nav", "<footer", "cookie", "comment", "newsletter", "caption"):
            assert marker in raw, f"{path.name}: no {marker!r}"


def test_article_lengths(corpus):
    for art in corpus.values():
        words = len(art["text"].split())
        assert MIN_WORDS <= words <= MAX_WORDS, f"{art['id']}: {words} words"


# --------------------------------------------------------------------------- ground truth


def test_readme_table_covers_every_article(corpus, truth):
    assert set(truth) == set(corpus), (set(truth) ^ set(corpus))
    for art_id, art in corpus.items():
        row = truth[art_id]
        assert row["file"] == art["file"], art_id
        if art["format"] == "jsonl":
            assert row["event"] == art["event"], art_id
            assert row["label"] == art["label"], art_id
            assert row["outlet"] == art["source"], art_id
        elif art["source"]:
            assert row["outlet"] == art["source"], art_id


def test_events_have_five_to_seven_outlets_and_one_fake(truth):
    outlets: dict[str, set[str]] = defaultdict(set)
    fakes: dict[str, list[str]] = defaultdict(list)
    for row in truth.values():
        outlets[row["event"]].add(row["outlet"])
        if row["label"] == "fake":
            fakes[row["event"]].append(row["id"])
    assert len(outlets) == 3
    for event, names in outlets.items():
        assert 5 <= len(names) <= 7, (event, names)
        assert len(fakes[event]) == 1, (event, fakes[event])
    # one article per outlet per event
    for event in outlets:
        rows = [r for r in truth.values() if r["event"] == event]
        assert len(rows) == len({r["outlet"] for r in rows}), event


def test_events_fall_in_different_weeks(corpus, truth):
    weeks = defaultdict(set)
    for art in corpus.values():
        if art["published"]:
            weeks[truth[art["id"]]["event"]].add(datetime.fromisoformat(art["published"]).isocalendar()[:2])
    all_weeks = [w for ws in weeks.values() for w in ws]
    for event, ws in weeks.items():
        others = {w for e, o in weeks.items() if e != event for w in o}
        assert not ws & others, event
    assert len(set(all_weeks)) >= 3


def test_readme_names_each_fake_with_its_sentences(readme, truth, corpus):
    kinds = ("inserted claim", "altered figure", "invented quote", "loaded language")
    for row in truth.values():
        if row["label"] != "fake":
            continue
        heading = f"### The manipulated article: `{row['id']}`"
        assert heading in readme, row["id"]
        section = readme.split(heading, 1)[1].split("\n### ", 1)[0]
        for kind in kinds:
            assert kind in section, (row["id"], kind)
        quoted = [line.strip()[2:] for line in section.splitlines() if line.strip().startswith("> ")]
        assert len(quoted) >= len(kinds), row["id"]
        text = " ".join(corpus[row["id"]]["text"].split())
        for sentence in quoted:  # the ground truth quotes the article exactly
            assert sentence in text, (row["id"], sentence)
        # and the manipulated sentences are the fake's own: no real article of the event has them
        for other in corpus.values():
            if other["id"] != row["id"] and truth[other["id"]]["event"] == row["event"]:
                other_text = " ".join(other["text"].split())
                assert not [s for s in quoted if len(s.split()) > 6 and s in other_text], other["id"]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?\"])\s+|\n+", text) if len(s.split()) >= 6]


def test_each_event_has_a_syndicated_near_copy(corpus, truth):
    pairs = []
    for row in truth.values():
        m = re.search(r"near-copy of (\S+)", row["note"])
        if m:
            pairs.append((m.group(1).strip("`"), row["id"]))
    assert {truth[c]["event"] for _, c in pairs} == {r["event"] for r in truth.values()}
    for original, copy in pairs:
        assert corpus[original]["source"] == "Meridian Wire"
        assert corpus[copy]["source"] != corpus[original]["source"]
        orig = _sentences(corpus[original]["text"])
        copied = set(_sentences(corpus[copy]["text"]))
        missing = [s for s in orig if s not in copied]
        # the copy keeps the story and drops only the wire's credit lines and one changed sentence
        changed = [s for s in missing if not s.startswith(("Reporting by", "©"))]
        assert len(changed) == 1, (copy, changed)
        assert corpus[copy]["title"] != corpus[original]["title"]


def test_shared_upstream_quotes(corpus, truth):
    """Each event has at least one quotation repeated by three or more outlets."""
    by_event: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for art in corpus.values():
        row = truth[art["id"]]
        for quote in re.findall(r"[\"“]([^\"”]{30,})[\"”]", art["text"]):
            by_event[row["event"]][" ".join(quote.split())].add(row["outlet"])
    for event, quotes in by_event.items():
        assert max(len(o) for o in quotes.values()) >= 3, event


def test_no_seed_text_in_the_corpus(corpus, seeds_dir):
    """Nothing is copied from the seeds: no run of eight words is shared with them."""

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9']+", text.lower())
        return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}

    seed = set()
    for path in seeds_dir.glob("*.txt"):
        seed |= shingles(path.read_text(encoding="utf-8", errors="replace"))
    for art in corpus.values():
        shared = shingles(art["text"]) & seed
        assert not shared, (art["id"], sorted(shared)[:3])
