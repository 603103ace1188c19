"""The template-generated benchmark corpus: deterministic, streaming, and shaped like a news
corpus (events of 5-40 articles from distinct outlets, near-copies and manipulated rewrites at
the rates asked for, same-kind events that differ, articles without repeated sentences)."""

from __future__ import annotations

import inspect
import json
import re
import tracemalloc
from collections import Counter, defaultdict
from datetime import datetime
from urllib.parse import urlparse

import pytest

from newsprism.bench.corpus import generate_corpus, write_corpus

FIELDS = {"id", "title", "text", "source", "url", "published", "event", "label", "copy_of"}
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<![ap]\.m\.)[\"”]?\s+|\n+")
_DATELINE = re.compile(r"^([A-Z][A-Z]+), \d{1,2} [A-Z][a-z]+ \(")


def _sentences(text: str) -> list[str]:
    return [s.strip(" \"“”") for s in _SENTENCE_END.split(text) if len(s.split()) >= 4]


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(generate_corpus(6000, seed=11))


@pytest.fixture(scope="module")
def by_event(corpus) -> dict[str, list[dict]]:
    events: dict[str, list[dict]] = defaultdict(list)
    for art in corpus:
        events[art["event"]].append(art)
    return events


def test_streams_an_iterator():
    gen = generate_corpus(10, seed=0)
    assert inspect.isgenerator(gen)
    first = next(gen)
    assert set(first) == FIELDS


def test_deterministic_given_seed():
    a = list(generate_corpus(400, seed=5))
    b = list(generate_corpus(400, seed=5))
    c = list(generate_corpus(400, seed=6))
    assert a == b
    assert [x["text"] for x in a] != [x["text"] for x in c]


def test_exact_count_and_valid_records(corpus):
    assert len(corpus) == 6000
    assert len({a["id"] for a in corpus}) == len(corpus)
    for art in corpus:
        assert set(art) == FIELDS
        for key in FIELDS - {"copy_of"}:
            assert isinstance(art[key], str) and art[key], (art["id"], key)
        assert art["label"] in {"real", "fake"}
        assert datetime.fromisoformat(art["published"]).tzinfo is not None
        host = urlparse(art["url"]).hostname or ""
        assert host.endswith((".example.com", ".example.org", ".example.net")), host
    for n in (0, 1, 3, 7, 41):
        assert len(list(generate_corpus(n, seed=2))) == n


def test_event_sizes_and_distinct_outlets(corpus, by_event):
    expected_events = len(corpus) * 60 / 1000
    assert 0.8 * expected_events <= len(by_event) <= 1.2 * expected_events
    for event, arts in by_event.items():
        assert 5 <= len(arts) <= 40, (event, len(arts))
        outlets = [a["source"] for a in arts]
        assert len(outlets) == len(set(outlets)), event  # one article per outlet per event
    assert len({a["source"] for a in corpus}) == 40


def test_outlets_and_event_density_parameters():
    arts = list(generate_corpus(1500, seed=4, outlets=12, events_per_1k=150))
    events = Counter(a["event"] for a in arts)
    assert len({a["source"] for a in arts}) <= 12
    assert max(events.values()) <= 12
    assert 0.75 * 225 <= len(events) <= 1.25 * 225


def test_same_kind_events_differ_in_places(by_event):
    """Events of one kind are set in different towns, and one event's town does not turn up in
    another's reports. The town is read off the wire story's dateline."""
    towns: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for event, arts in by_event.items():
        wire = next(a for a in arts if a["copy_of"] is None and _DATELINE.match(a["text"]))
        towns[event] = _DATELINE.match(wire["text"]).group(1).title()
        kinds[event] = event.split("-")[1]
    by_kind: dict[str, list[str]] = defaultdict(list)
    for event, kind in kinds.items():
        by_kind[kind].append(event)
    assert len(by_kind) >= 10  # many kinds
    for kind, events in by_kind.items():
        assert len(events) >= 2, kind
        kind_towns = [towns[e] for e in events]
        assert len(set(kind_towns)) == len(kind_towns), kind
        a, b = events[:2]
        assert not any(towns[a] in x["text"] for x in by_event[b]), (kind, towns[a], b)


def test_duplicate_rate_and_near_copies(corpus):
    by_id = {a["id"]: a for a in corpus}
    copies = [a for a in corpus if a["copy_of"]]
    assert 0.6 * 0.08 <= len(copies) / len(corpus) <= 1.4 * 0.08
    for copy in copies:
        original = by_id[copy["copy_of"]]
        assert copy["event"] == original["event"]
        assert copy["source"] != original["source"]
        assert copy["title"] != original["title"]
        kept = set(_sentences(copy["text"]))
        body = [s for s in _sentences(original["text"]) if not s.startswith(("Reporting by", "©"))]
        missing = [s for s in body if s not in kept]
        assert len(missing) == 1, (copy["id"], missing)  # exactly one sentence changed


def test_fake_rate_and_manipulations(corpus, by_event):
    fakes = [a for a in corpus if a["label"] == "fake"]
    assert 0.6 * 0.05 <= len(fakes) / len(corpus) <= 1.4 * 0.05
    assert not any(a["copy_of"] for a in fakes)
    for fake in fakes:
        assert "?" in fake["text"]  # the rhetorical question
        real = set()
        for other in by_event[fake["event"]]:
            if other["label"] == "real":
                real.update(_sentences(other["text"]))
        own = [s for s in _sentences(fake["text"]) if s not in real]
        # the altered lead, the inserted claim, the invented quote and the loaded close are
        # carried by no real report of the event
        assert len(own) >= 5, (fake["id"], own)


def test_rates_follow_the_parameters():
    arts = list(generate_corpus(3000, seed=9, dup_rate=0.0, fake_rate=0.2))
    assert not any(a["copy_of"] for a in arts)
    share = sum(a["label"] == "fake" for a in arts) / len(arts)
    assert 0.15 <= share <= 0.25


def test_no_sentence_repeated_within_an_article(corpus):
    for art in corpus:
        sentences = _sentences(art["text"])
        repeated = [s for s, n in Counter(sentences).items() if n > 1]
        assert not repeated, (art["id"], repeated)


def test_lengths_and_no_template_artefacts(corpus):
    for art in corpus:
        words = len(art["text"].split())
        assert 300 <= words <= 800, (art["id"], words)
        for field in ("title", "text"):
            assert "{" not in art[field] and "}" not in art[field], art["id"]
            assert not re.search(r"(?<!\.)\.\.(?!\.)|\s[,.;:]|  ", art[field]), art["id"]


def test_boilerplate_is_per_outlet(corpus):
    """Outlets carry their own boilerplate lines, repeated across their articles."""
    lines_by_outlet: dict[str, Counter] = defaultdict(Counter)
    for art in corpus:
        for line in art["text"].split("\n\n"):
            if len(line.split()) <= 12:
                lines_by_outlet[art["source"]][line] += 1
    with_repeated = [o for o, c in lines_by_outlet.items() if c and c.most_common(1)[0][1] >= 5]
    assert len(with_repeated) >= 30


def test_write_corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    assert write_corpus(path, 250, seed=3) == 250
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 250
    assert [json.loads(x) for x in lines] == list(generate_corpus(250, seed=3))


def test_memory_stays_flat():
    def peak(n: int) -> int:
        tracemalloc.start()
        for _ in generate_corpus(n, seed=1):
            pass
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(500), peak(5000)
    assert large < small * 2 + 2_000_000, (small, large)


def test_no_seed_text(seeds_dir):
    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9']+", text.lower())
        return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}

    seed = set()
    for path in seeds_dir.glob("*.txt"):
        seed |= shingles(path.read_text(encoding="utf-8", errors="replace"))
    for art in generate_corpus(1500, seed=13):
        assert not shingles(art["text"]) & seed, art["id"]
