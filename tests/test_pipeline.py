"""End to end: the CLI and library API over the seeds, the demo corpus and bad inputs."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.cli import EXIT_OK, EXIT_PARTIAL, main
from newsprism.output import validate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory, seeds_dir) -> dict:
    out = tmp_path_factory.mktemp("seeds") / "out.json"
    assert main(["analyze", str(seeds_dir), "--out", str(out), "-q"]) == EXIT_OK
    return json.loads(out.read_text())


def test_seed_output_is_valid_and_complete(seed_output):
    validate(seed_output)
    articles = seed_output["articles"]
    assert len(articles) == 5
    assert [Path(a["origin"]["path"]).name[:3] for a in articles] == ["000", "001", "002", "003", "004"]
    assert len(seed_output["events"]) == 1
    assert sorted(seed_output["events"][0]["article_ids"]) == sorted(a["id"] for a in articles)
    # EXPECTED.md is beside the seeds: reported, not fatal, and not an article.
    assert [p["skipped"] for p in seed_output["problems"]] == [False]


def test_seed_outlets_inferred_from_text(seed_output):
    outlets = {Path(a["origin"]["path"]).name[:3]: a["source"] for a in seed_output["articles"]}
    assert outlets["001"] == "Al Arabiya"
    assert outlets["002"] == "Middle East Monitor"
    assert outlets["003"] == "The Independent"
    assert all(a["source_inferred"] for a in seed_output["articles"] if a["source"])


def test_seed_boilerplate_never_reaches_the_analysis(seed_output):
    text = " ".join(s["text"] for a in seed_output["articles"] for s in a["sentences"])
    for boilerplate in ("Published: Updated:", "Join our commenting forum", "Thank you for registering",
                        "Creating new perspectives since 2009", "also available in Arabic"):
        assert boilerplate not in text
    removed = [line for a in seed_output["articles"] for line in a["removed_boilerplate"]]
    assert any("commenting forum" in line for line in removed)


def test_sentences_are_labelled_in_article_order(seed_output):
    for article in seed_output["articles"]:
        indices = [s["index"] for s in article["sentences"]]
        assert indices == list(range(len(indices))) and indices
        assert all(s["label"] in {"corroborated", "single-source", "conflicting", "unsupported", "opinion"}
                   for s in article["sentences"])
        assert 0 <= article["suspicion"] <= 1


def test_events_given_and_summary_words(tmp_path, demo_corpus_dir):
    out = tmp_path / "given.json"
    code = main(["analyze", str(demo_corpus_dir / "articles.jsonl"), "--events", "given",
                 "--summary-words", "25", "--out", str(out), "-q"])
    assert code == EXIT_OK
    document = json.loads(out.read_text())
    validate(document)
    hints = {json.loads(line)["event"] for line in (demo_corpus_dir / "articles.jsonl").read_text().splitlines()}
    assert {e["title"] for e in document["events"]} == hints
    for event in document["events"]:
        assert event["summary"] and len(event["summary"].split()) <= 25


def test_bad_inputs_are_reported_and_good_articles_kept(tmp_path):
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    good = {"id": "g1", "title": "Harbour ferry resumes service", "source": "The Test Gazette",
            "text": "The ferry between Alnwick Point and Sorrel Quay resumed service on Monday after repairs. "
                    "Operators said 14 crossings a day would run from next week."}
    (corpus / "feed.jsonl").write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps({**good, "id": "g2", "title": "Quay reopens"}) + "\n",
        encoding="utf-8",
    )
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.html").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (corpus / "latin.txt").write_bytes("Caf\xe9 owners protest new rents\n\nOwners of the caf\xe9 said rents rose by 40 per cent.".encode("latin-1"))
    out = tmp_path / "out.json"
    code = main(["analyze", str(corpus), "--out", str(out), "-q"])
    assert code == EXIT_PARTIAL
    document = json.loads(out.read_text())
    validate(document)
    problems = {(Path(p["path"]).name, p["line"], p["kind"]) for p in document["problems"]}
    assert ("feed.jsonl", 2, "malformed") in problems
    assert any(name == "empty.txt" and kind == "empty" for name, _, kind in problems)
    assert any(name == "blob.html" and kind == "binary" for name, _, kind in problems)
    titles = {a["title"] for a in document["articles"]}
    assert {"Harbour ferry resumes service", "Quay reopens", "Café owners protest new rents"} <= titles


def _store_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "analyses", "event_members", "verifications", "briefs")
        }


def test_ingest_is_idempotent_and_report_renders(tmp_path, demo_corpus_dir):
    db = tmp_path / "news.sqlite"
    assert main(["ingest", str(demo_corpus_dir), "--db", str(db), "-q"]) == EXIT_OK
    first = _store_counts(db)
    assert first["articles"] == first["analyses"] == first["event_members"] == 20
    assert first["verifications"] == first["briefs"] >= 3
    assert main(["ingest", str(demo_corpus_dir), "--db", str(db), "-q"]) == EXIT_OK
    assert _store_counts(db) == first
    report = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--out", str(report)]) == EXIT_OK
    html = report.read_text()
    assert "TruthBeacon Daily" in html and "<script" not in html.lower()


def test_killed_ingest_resumes_to_the_same_store(tmp_path):
    """SIGKILL `newsprism ingest` mid-run; the store stays consistent and a re-run completes it."""
    from newsprism.bench.corpus import write_corpus

    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 120, seed=7)
    db = tmp_path / "killed.sqlite"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsprism.cli", "ingest", str(corpus), "--db", str(db), "-q"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    try:
        # Kill once articles are stored but before the analysis has finished.
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    counts = _store_counts(db)
                except sqlite3.OperationalError:
                    counts = {}
                if counts.get("articles") and counts.get("analyses", 0) < counts["articles"]:
                    break
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    partial = _store_counts(db)
    assert partial["articles"] > 0 and partial["verifications"] == 0

    assert main(["ingest", str(corpus), "--db", str(db), "-q"]) == EXIT_OK
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")] == ["interrupted", "ok"]
    resumed = _store_counts(db)
    fresh_db = tmp_path / "fresh.sqlite"
    assert main(["ingest", str(corpus), "--db", str(fresh_db), "-q"]) == EXIT_OK
    fresh = _store_counts(fresh_db)
    assert resumed == fresh
    assert resumed["articles"] == resumed["analyses"] == resumed["event_members"] == 120


def _memberships(db: Path) -> set[frozenset[str]]:
    with sqlite3.connect(db) as conn:
        groups: dict[str, set[str]] = {}
        for article, event in conn.execute("SELECT article_id, event_id FROM event_members"):
            groups.setdefault(event, set()).add(article)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def split_corpus(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A generated corpus of 80 articles, whole and in two halves (file order)."""
    from newsprism.bench.corpus import write_corpus

    root = tmp_path_factory.mktemp("split")
    whole = root / "whole.jsonl"
    write_corpus(whole, 80, seed=11)
    lines = whole.read_text().splitlines(keepends=True)
    first, second = root / "first.jsonl", root / "second.jsonl"
    first.write_text("".join(lines[:40]))
    second.write_text("".join(lines[40:]))
    return whole, first, second


def test_ingest_in_two_runs_clusters_like_one_and_keeps_features_out_of_the_state(tmp_path, split_corpus):
    whole, first, second = split_corpus
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    assert main(["ingest", str(whole), "--db", str(one), "-q"]) == EXIT_OK
    assert main(["ingest", str(first), "--db", str(two), "-q"]) == EXIT_OK
    assert main(["ingest", str(second), "--db", str(two), "-q"]) == EXIT_OK
    assert _memberships(two) == _memberships(one)
    assert len(_memberships(one)) >= 5
    with sqlite3.connect(two) as conn:
        state = json.loads(conn.execute("SELECT value FROM state WHERE key = 'clusterer'").fetchone()[0])
        assert "articles" not in state  # a batch writes its own features, not the whole store's
        assert conn.execute("SELECT count(*) FROM cluster_features").fetchone()[0] == 80


def test_store_with_features_inside_the_clusterer_state_is_migrated(tmp_path, split_corpus):
    """A schema-1 store (features inside the clusterer's state, no cluster_features table) goes
    on clustering new articles as if it had always had the table."""
    whole, first, second = split_corpus
    old = tmp_path / "old.sqlite"
    assert main(["ingest", str(first), "--db", str(old), "-q"]) == EXIT_OK
    with sqlite3.connect(old) as conn:  # rewrite it as newsprism with schema 1 left it
        state = json.loads(conn.execute("SELECT value FROM state WHERE key = 'clusterer'").fetchone()[0])
        state["version"] = 1
        state["articles"] = [json.loads(d) for (d,) in conn.execute("SELECT data FROM cluster_features ORDER BY n")]
        for event in state["events"]:
            del event["titled"]
        conn.execute("UPDATE state SET value = ? WHERE key = 'clusterer'", (json.dumps(state),))
        conn.execute("DROP TABLE cluster_features")
        conn.execute("PRAGMA user_version = 1")
    assert main(["ingest", str(second), "--db", str(old), "-q"]) == EXIT_OK
    fresh = tmp_path / "fresh.sqlite"
    assert main(["ingest", str(whole), "--db", str(fresh), "-q"]) == EXIT_OK
    assert _memberships(old) == _memberships(fresh)
    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM cluster_features").fetchone()[0] == 80
        state = json.loads(conn.execute("SELECT value FROM state WHERE key = 'clusterer'").fetchone()[0])
        assert "articles" not in state and state["version"] == 2


@pytest.mark.parametrize("command", ["analyze", "ingest"])
def test_engine_options_reach_the_settings(command):
    """Both `analyze` and `ingest` take --engine/--scheduler/--workers (ingest runs per-event work
    on the engine too)."""
    from newsprism.cli import _settings, build_parser

    extra = ["--out", "-"] if command == "analyze" else []
    args = build_parser().parse_args(
        [command, "corpus/", *extra, "--engine", "dask", "--scheduler", "tcp://10.0.0.5:8786", "--workers", "3"]
    )
    settings = _settings(args)
    assert (settings.engine, settings.scheduler, settings.n_process) == ("dask", "tcp://10.0.0.5:8786", 3)
