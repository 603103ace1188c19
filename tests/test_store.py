"""The SQLite store: schema, round trips, idempotent ingest, search, events, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsprism.records import (
    Article,
    ArticleAnalysis,
    ArticleVerdict,
    Attribution,
    Brief,
    BriefSentence,
    Citation,
    Conflict,
    DedupResult,
    DuplicateLink,
    Event,
    EventVerification,
    FigureVariant,
    InputProblem,
    Origin,
    Quantity,
    Quote,
    SentenceInfo,
    SentenceRef,
    SentenceVerdict,
    SharedPassage,
)
from newsprism.store import SCHEMA_VERSION, SearchHit, Store, StoreError, fts_query

ROOT = Path(__file__).resolve().parents[1]


def art(i: int, text: str | None = None, **kw) -> Article:
    return Article(
        id=f"a{i:04d}",
        title=kw.pop("title", f"Report {i}"),
        text=text if text is not None else f"Body of report {i}. Nothing else happened.",
        origin=kw.pop("origin", Origin("in.jsonl", i + 1)),
        **kw,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def store(db: Path):
    with Store(db) as s:
        yield s


# --------------------------------------------------------------------------- schema


def test_schema_pragmas_and_idempotent_creation(db: Path):
    with Store(db) as s:
        conn = s.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        for table in ("articles", "problems", "duplicates", "passages", "analyses", "events",
                      "event_members", "verifications", "briefs", "runs", "articles_fts"):  # fmt: skip
            assert table in names
        s.add_articles([art(1)])
    with Store(db) as s:  # reopening creates nothing twice and keeps the data
        assert s.article_ids() == ["a0001"]
        assert s.integrity_problems() == []


def test_newer_schema_and_foreign_files_are_refused(tmp_path: Path):
    newer = tmp_path / "newer.sqlite"
    with Store(newer) as s:
        s.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="schema version"):
        Store(newer)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a newsprism store"):
        Store(other)


# --------------------------------------------------------------------------- articles


def test_article_round_trip_and_idempotent_reingest(store: Store):
    full = art(
        7,
        "Line one.\n\nLine “two” — ünïcode.",
        source="The Paper",
        url="https://example.org/a?b=1",
        published="2016-12-13T08:48:00+00:00",
        external_id="ext-7",
        event_hint="ev",
        label="real",
        language="en",
        removed=["Subscribe now", "Share this"],
        source_inferred=True,
        origin=Origin("dump.warc.gz", None, "<urn:uuid:1>"),
    )
    batch = [full] + [art(i) for i in range(3)]
    assert store.add_articles(batch) == 4
    counts = store.counts()
    assert store.add_articles(batch) == 0
    assert store.add_articles(iter([art(1), art(1)])) == 0
    assert store.counts() == counts
    assert store.get_article("a0007") == full
    assert store.get_article("missing") is None
    assert store.article_ids() == ["a0007", "a0000", "a0001", "a0002"]  # ingest order
    assert store.existing_ids(["a0001", "zzz"]) == {"a0001"}


def test_iter_articles_streams_in_batches(store: Store):
    store.add_articles(art(i) for i in range(23))
    assert [a.id for a in store.iter_articles(batch=5)] == [f"a{i:04d}" for i in range(23)]
    picked = ["a0020", "nope", "a0003", "a0020"]
    assert [a.id for a in store.iter_articles(picked, batch=2)] == ["a0020", "a0003", "a0020"]
    # no cursor is held between batches: writing while iterating works
    seen = []
    for article in store.iter_articles(batch=10):
        seen.append(article.id)
        if len(seen) == 1:
            store.add_articles([art(100)])
    assert seen[-1] == "a0100"


def test_transaction_rolls_back_everything_on_error(store: Store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_articles([art(1)])
            store.save_dedup(DedupResult(links=[]))
            raise RuntimeError("boom")
    assert store.article_ids() == []


def test_foreign_keys_are_enforced(store: Store):
    store.add_articles([art(1)])
    with pytest.raises(sqlite3.IntegrityError):
        store.save_dedup(DedupResult(links=[DuplicateLink("a0001", "unknown", "exact", 1.0)]))
    assert store.dedup_result().links == []


# --------------------------------------------------------------------------- runs, problems, dedup, analyses


def test_runs_and_problems(store: Store):
    run = store.start_run(["a.jsonl", Path("b.warc")])
    problems = [
        InputProblem("a.jsonl", "malformed", "bad JSON", line=3),
        InputProblem("b.warc", "encoding", "decoded as cp1252", skipped=False),
    ]
    assert store.add_problems(run, problems) == 2
    store.finish_run(run, {"articles": 5, "new": 2}, status="ok")
    other = store.start_run({"paths": ["c"], "events": "auto"})
    store.add_problems(other, [InputProblem("c", "empty", "no text")])
    assert store.problems(run) == problems
    assert len(store.problems()) == 3
    runs = store.runs()
    assert [(r["id"], r["status"], r["inputs"], r["counts"]) for r in runs] == [
        (run, "ok", ["a.jsonl", "b.warc"], {"articles": 5, "new": 2}),
        (other, "running", {"paths": ["c"], "events": "auto"}, {}),
    ]
    assert runs[0]["finished"] is not None and runs[1]["finished"] is None
    with pytest.raises(KeyError):
        store.finish_run(999, {})


def test_dedup_round_trip_and_filter(store: Store):
    store.add_articles(art(i) for i in range(4))
    result = DedupResult(
        links=[DuplicateLink("a0001", "a0000", "exact", 1.0), DuplicateLink("a0003", "a0002", "near", 0.71)],
        passages=[SharedPassage("a0002", "a0000", "Body of report", 0, 14, 0, 14, 0.95)],
    )
    store.save_dedup(result)
    store.save_dedup(result)  # idempotent
    assert store.dedup_result() == result
    assert store.counts()["duplicates"] == 2 and store.counts()["passages"] == 1
    only = store.dedup_result(["a0000"])
    assert only.links == [result.links[0]] and only.passages == result.passages
    assert store.dedup_result(["a0003"]) == DedupResult(links=[result.links[1]], passages=[])
    assert store.dedup_result([]) == DedupResult()


def analysis(article_id: str, model: str = "core_web_md@3.8.0") -> ArticleAnalysis:
    return ArticleAnalysis(
        article_id=article_id,
        sentences=[
            SentenceInfo(
                index=0,
                text="Nearly 200 civilians were executed, activists said.",
                start=0,
                end=51,
                lemmas=["nearly", "civilian", "execute"],
                entities=[("200", "CARDINAL")],
                quantities=[Quantity("Nearly 200", 200.0, "civilian", "nearly", 180.0, 200.0, 0, 10)],
                dates=["Monday"],
                attribution=Attribution("activists", "said", "said", quoted=False),
                quotes=["a large number"],
                hedges=["reportedly"],
                loaded_terms=["massacre"],
                subjectivity=0.25,
            )
        ],
        title_lemmas=["aleppo"],
        entities=[("Aleppo", "GPE"), ("UN", "ORG")],
        model=model,
    )


def test_analyses_round_trip_and_resume(store: Store):
    store.add_articles(art(i) for i in range(5))
    assert store.pending_analysis_ids() == [f"a{i:04d}" for i in range(5)]
    saved = [analysis("a0000"), analysis("a0002", model="old@1")]
    assert store.save_analyses(saved) == 2
    loaded = store.load_analyses(["a0000", "a0002", "a0004"])
    assert loaded == {"a0000": saved[0], "a0002": saved[1]}
    assert isinstance(loaded["a0000"].entities[0], tuple)
    store.set_analysis_state(["a0003"], "skipped")
    assert store.pending_analysis_ids() == ["a0001", "a0004"]
    assert store.pending_analysis_ids(model="core_web_md@3.8.0") == ["a0001", "a0004", "a0002"]
    with pytest.raises(ValueError):
        store.set_analysis_state(["a0001"], "bogus")


# --------------------------------------------------------------------------- events, verifications, briefs


def verification(event_id: str, articles: list[str]) -> EventVerification:
    refs = tuple(SentenceRef(a, 0) for a in articles)
    return EventVerification(
        event_id=event_id,
        articles=[
            ArticleVerdict(
                article_id=articles[0],
                suspicion=0.8,
                sentences=[
                    SentenceVerdict(0, "conflicting", 0.5, support=[refs[-1]], conflicts_with=list(refs),
                                    independent_outlets=2, reasons=["figure disputed"])  # fmt: skip
                ],
                reasons=["unsupported claims"],
                opinion_share=0.1,
                support_share=0.5,
            )
        ],
        conflicts=[
            Conflict(
                topic="civilians trapped",
                unit="civilian",
                variants=(
                    FigureVariant("100,000", "100000 civilian", tuple(articles), ("A", "B"), ("White Helmets",), refs),
                    FigureVariant("no less than 80,000", "80000 civilian (>=)", (articles[0],), ("C",), (), refs[:1]),
                ),
            )
        ],
    )


def brief(event_id: str, article_id: str) -> Brief:
    cite = Citation(article_id, "The Paper", 0)
    return Brief(
        event_id=event_id,
        summary=[BriefSentence("Forces retake the city.", [cite], date="2016-12-13")],
        brief=[BriefSentence("Longer text.", [cite])],
        key_facts=[{"text": "fact", "corroboration": 2, "outlets": ["A", "B"]}],
        timeline=[BriefSentence("Then this.", [cite], date="2016-12-12")],
        quotes=[Quote("Ban Ki-moon", "Secretary-General", "grave concern", ["A"], [article_id])],
        coverage={"outlets": 3},
        standing_apart=[{"article": article_id, "reasons": ["loaded"]}],
    )


def test_events_verifications_briefs_round_trip(store: Store):
    store.add_articles(art(i) for i in range(6))
    events = [Event("ev-1", ["a0002", "a0000", "a0001"], "City retaken"), Event("ev-2", ["a0003"], "Other")]
    store.save_events(events)
    assert store.events() == events
    assert store.event("ev-1") == events[0] and store.event("nope") is None
    assert store.event_of("a0000") == "ev-1" and store.event_of("a0005") is None
    ver, br = verification("ev-1", ["a0002", "a0000"]), brief("ev-1", "a0002")
    store.save_verification(ver)
    store.save_brief(br)
    assert store.verification("ev-1") == ver
    assert store.brief("ev-1") == br
    # the frozen records inside come back as tuples (hashable), as they were
    variant = store.verification("ev-1").conflicts[0].variants[0]
    assert isinstance(variant.articles, tuple) and isinstance(variant.sentences, tuple)
    assert hash(variant)
    assert store.verification("ev-2") is None and store.brief("ev-2") is None


def test_saving_events_again_with_same_members_keeps_verification(store: Store):
    store.add_articles(art(i) for i in range(3))
    store.save_events([Event("ev-1", ["a0000", "a0001"], "t")])
    store.save_verification(verification("ev-1", ["a0000"]))
    store.save_events([Event("ev-1", ["a0001", "a0000"], "retitled")])
    assert store.verification("ev-1") is not None
    assert store.event("ev-1").title == "retitled"


def test_moving_an_article_invalidates_both_events(store: Store):
    store.add_articles(art(i) for i in range(4))
    store.save_events([Event("ev-1", ["a0000", "a0001"]), Event("ev-2", ["a0002", "a0003"])])
    for ev in ("ev-1", "ev-2"):
        store.save_verification(verification(ev, ["a0000"]))
        store.save_brief(brief(ev, "a0000"))
    store.save_events([Event("ev-2", ["a0002", "a0003", "a0001"])])  # a0001 moves to ev-2
    assert store.event_of("a0001") == "ev-2"
    assert store.event("ev-1").article_ids == ["a0000"]
    assert store.verification("ev-1") is None and store.verification("ev-2") is None
    assert store.brief("ev-1") is None and store.brief("ev-2") is None
    # an event left empty disappears
    store.save_events([Event("ev-2", ["a0002", "a0003", "a0001", "a0000"])])
    assert [e.id for e in store.events()] == ["ev-2"]


def test_merge_and_replace_events(store: Store):
    store.add_articles(art(i) for i in range(5))
    store.save_events([Event("ev-1", ["a0000", "a0001"], "One"), Event("ev-2", ["a0002", "a0003"], "Two")])
    store.save_verification(verification("ev-2", ["a0002"]))
    store.save_brief(brief("ev-1", "a0000"))
    merged = store.merge_events("ev-1", "ev-2")
    assert merged == Event("ev-1", ["a0000", "a0001", "a0002", "a0003"], "One")
    assert store.events() == [merged]
    assert store.event_of("a0003") == "ev-1"
    assert store.brief("ev-1") is None and store.verification("ev-2") is None
    assert store.counts()["verifications"] == 0
    with pytest.raises(KeyError):
        store.merge_events("ev-1", "ev-2")
    with pytest.raises(ValueError):
        store.merge_events("ev-1", "ev-1")
    store.save_events([Event("ev-9", ["a0004"], "Nine")], replace=True)
    assert store.events() == [Event("ev-9", ["a0004"], "Nine")]
    assert store.event_of("a0000") is None
    assert store.counts()["event_members"] == 1


def test_state_values(store: Store):
    assert store.get_state("clusterer", {}) == {}
    store.set_state("clusterer", {"centroids": [[0.5, 1.0]], "n": 3})
    assert store.get_state("clusterer") == {"centroids": [[0.5, 1.0]], "n": 3}


# --------------------------------------------------------------------------- search

HOSTILE = ['"', '""', "AND OR (", ")", "NEAR(", "*", "title:", "-", "^x", "a OR", 'x" OR "y', "'", ";--",
           "DROP TABLE articles;", "\x00", "ü" * 500, "(" * 50, "NOT", "{title text}: x"]  # fmt: skip


def test_search_finds_stemmed_words_phrases_and_prefixes(store: Store):
    store.add_articles(
        [
            art(1, "Witnesses reported executions of civilians in the eastern districts.", title="Executions reported"),
            art(2, "The council approved the budget for libraries.", title="Budget news"),
            art(3, "An execution was denied by the ministry, which spoke of grave concern.", title="Denial"),
        ]
    )
    hits = store.search("execution")
    assert {h.article_id for h in hits} == {"a0001", "a0003"}
    assert all(isinstance(h, SearchHit) and "«" in h.snippet for h in hits)
    assert hits[0].article_id == "a0001"  # title matches weigh more
    assert [h.article_id for h in store.search('"grave concern"')] == ["a0003"]
    assert store.search('"concern grave"') == []
    assert [h.article_id for h in store.search("libr*")] == ["a0002"]
    assert [h.article_id for h in store.search("budget AND libraries")] == []  # AND is a word, not an operator
    assert len(store.search("the", limit=1)) == 1


@pytest.mark.parametrize("query", HOSTILE)
def test_search_never_fails_on_hostile_input(store: Store, query: str):
    store.add_articles([art(1, "Title words and more words OR something (bracketed).")])
    hits = store.search(query)
    assert isinstance(hits, list)


def test_fts_query_quotes_everything():
    assert fts_query('AND OR (') == '"AND" "OR"'
    assert fts_query('grave "concern to" exec*') == '"grave" "concern to" "exec"*'
    assert fts_query('"') is None and fts_query("") is None
    # already-quoted terms (as the web layer sends them) pass through unchanged
    assert fts_query('"aleppo" "executions"') == '"aleppo" "executions"'


def test_fts_index_follows_updates_and_deletes(store: Store):
    store.add_articles([art(1, "original wording"), art(2, "other text")])
    with store.transaction() as conn:
        conn.execute("UPDATE articles SET text = 'rewritten wording' WHERE id = 'a0001'")
        conn.execute("DELETE FROM articles WHERE id = 'a0002'")
    assert store.search("original") == [] and store.search("other") == []
    assert [h.article_id for h in store.search("rewritten")] == ["a0001"]
    assert store.integrity_problems() == []


# --------------------------------------------------------------------------- concurrency


def test_readonly_store_reads_and_refuses_writes(db: Path, tmp_path: Path):
    with pytest.raises(StoreError):
        Store.open_readonly(tmp_path / "missing.sqlite")
    with Store(db) as writer:
        writer.add_articles([art(1, "aleppo report")])
        with Store.open_readonly(db) as reader:
            assert reader.article_ids() == ["a0001"]
            assert [h.article_id for h in reader.search("aleppo")] == ["a0001"]
            with pytest.raises(sqlite3.OperationalError):
                reader.add_articles([art(2)])
            writer.add_articles([art(3)])  # a writer commits while the reader is open
            assert reader.article_ids() == ["a0001", "a0003"]


def test_one_store_per_thread(db: Path):
    with Store(db) as s:
        s.add_articles(art(i) for i in range(10))
        errors: list[BaseException] = []
        seen: list[int] = []

        def read() -> None:
            try:
                with Store.open_readonly(db) as mine:
                    for _ in range(20):
                        seen.append(len(mine.article_ids()))
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        def write() -> None:
            try:
                with Store(db) as mine:
                    for i in range(10, 30):
                        mine.add_articles([art(i)])
            except BaseException as error:  # pragma: no cover
                errors.append(error)

        threads = [threading.Thread(target=read) for _ in range(3)] + [threading.Thread(target=write)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert all(10 <= n <= 30 for n in seen)
        assert len(s.article_ids()) == 30
        # a connection is bound to its thread: sharing one Store across threads is refused
        failure: list[BaseException] = []
        worker = threading.Thread(target=lambda: _catch(failure, s.article_ids))
        worker.start()
        worker.join()
        assert failure and isinstance(failure[0], sqlite3.ProgrammingError)


def _catch(into: list, fn) -> None:
    try:
        fn()
    except BaseException as error:
        into.append(error)


# --------------------------------------------------------------------------- crash safety

INGEST = r"""
import sys
from newsprism.records import Article, Origin
from newsprism.store import Store

path, total, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def article(i):
    words = " ".join(f"w{(i * 7919 + j * 104729) % 50000}" for j in range(150))
    return Article(id=f"gen-{i:07d}", title=f"Generated report {i}", text=f"Report number {i}. {words}",
                   origin=Origin("gen.jsonl", i + 1))

with Store(path) as store:
    for start in range(0, total, batch):
        print("begin", start, flush=True)
        new = store.add_articles(article(i) for i in range(start, min(total, start + batch)))
        print("committed", start, new, flush=True)
"""


def run_ingest(db: Path, total: int, batch: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-c", INGEST, str(db), str(total), str(batch)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_killed_ingest_leaves_last_committed_batch_and_rerun_completes(db: Path):
    total, batch = 4000, 800
    proc = run_ingest(db, total, batch)
    begun = []
    assert proc.stdout is not None
    for line in proc.stdout:
        word, start = line.split()[:2]
        if word == "begin":
            begun.append(int(start))
            if len(begun) == 3:  # two batches committed, the third under way
                time.sleep(0.05)
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    with Store(db) as store:
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.integrity_problems() == []
        ids = store.article_ids()
        # whole batches only: the one being written when killed is either all there (its commit
        # won the race) or not at all - never part of it
        assert len(ids) in (2 * batch, 3 * batch)
        assert ids == [f"gen-{i:07d}" for i in range(len(ids))]
        fts_rows = store.connection.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts_rows == len(ids)
        before = len(ids)

    proc = run_ingest(db, total, batch)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    committed = {int(s): int(n) for word, s, n in (l.split() for l in out.splitlines() if l.startswith("committed"))}
    assert all(committed[s] == 0 for s in range(0, before, batch))  # already stored: nothing new
    assert sum(committed.values()) == total - before
    with Store(db) as store:
        count, distinct = store.connection.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        assert count == distinct == total
        assert store.integrity_problems() == []
        assert [h.article_id for h in store.search("number 3210")] == ["gen-0003210"]


def test_integrity_problems_detects_an_fts_index_out_of_sync(store: Store):
    store.add_articles([art(1, "hello world")])
    assert store.integrity_problems() == []
    with store.transaction() as conn:  # bypass the sync trigger on purpose
        conn.execute("DROP TRIGGER articles_fts_update")
        conn.execute("UPDATE articles SET text = 'goodbye moon' WHERE id = 'a0001'")
    assert any(p.startswith("fts:") for p in store.integrity_problems())


def test_resume_queries_for_clustering_and_cross_checking(store: Store):
    store.add_articles(art(i) for i in range(4))
    store.save_analyses([analysis("a0000"), analysis("a0001"), analysis("a0002")])
    store.set_analysis_state(["a0003"], "skipped")  # never clustered
    assert store.unassigned_article_ids() == ["a0000", "a0001", "a0002"]
    store.save_events([Event("ev-1", ["a0000", "a0001"])])
    assert store.unassigned_article_ids() == ["a0002"]
    assert store.unverified_event_ids() == ["ev-1"]
    store.save_verification(verification("ev-1", ["a0000"]))
    assert store.unverified_event_ids() == ["ev-1"]  # no brief yet
    store.save_brief(brief("ev-1", "a0000"))
    assert store.unverified_event_ids() == []
    store.save_events([Event("ev-1", ["a0000", "a0001", "a0002"])])  # grows: checked again
    assert store.unverified_event_ids() == ["ev-1"] and store.unassigned_article_ids() == []
