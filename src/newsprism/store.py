"""The embedded store: one SQLite file holding articles, dedup links, analyses, events,
verifications, briefs and the ingest runs, with FTS5 full-text search over the articles.

Durability: WAL journal, ``synchronous=NORMAL`` (a killed process never loses a committed
transaction; only an OS crash / power loss can drop the last few), foreign keys on. Every write
method is one transaction, and :meth:`Store.transaction` groups several calls into one, so a
run killed mid-batch leaves the store at the last committed batch and a re-run continues
(articles are keyed by their content id, ``INSERT OR IGNORE``: re-ingest adds nothing).

Concurrency: SQLite allows many readers and one writer at a time across processes (WAL);
writers wait up to ``timeout`` seconds for the lock. A ``Store`` wraps one connection and must
be used only by the thread that opened it (``sqlite3`` enforces this) - a web server opens one
``Store`` per thread or request (cheap: no schema work once created), or
:meth:`Store.open_readonly` for pages that only read.

JSON columns hold ``records.to_dict`` output and are read back with ``records.from_dict``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from os import PathLike, fspath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from newsprism.records import (
    Article,
    ArticleAnalysis,
    Brief,
    DedupResult,
    DuplicateLink,
    Event,
    EventVerification,
    InputProblem,
    Origin,
    SharedPassage,
    from_dict,
    to_dict,
)

if TYPE_CHECKING:
    from newsprism.features import ArticleFeatures

__all__ = ["SCHEMA_VERSION", "SearchHit", "Store", "StoreError", "fts_query"]

SCHEMA_VERSION = 2
_CHUNK = 500  # ids per "IN (...)" query (SQLite's variable limit is far above; keeps plans cheap)
ANALYSIS_STATES = ("pending", "done", "skipped", "failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id       INTEGER PRIMARY KEY,
    started  TEXT NOT NULL,
    finished TEXT,
    status   TEXT NOT NULL DEFAULT 'running',  -- running | ok | failed | interrupted | ...
    inputs   TEXT NOT NULL DEFAULT '[]',       -- JSON
    counts   TEXT NOT NULL DEFAULT '{}'        -- JSON
);

CREATE TABLE IF NOT EXISTS articles (
    id              TEXT PRIMARY KEY,          -- content id (ids.article_id)
    n               INTEGER NOT NULL UNIQUE,   -- ingest order; the FTS rowid (stable under VACUUM,
                                               -- unlike the implicit rowid of a TEXT-keyed table)
    external_id     TEXT,
    title           TEXT NOT NULL,
    text            TEXT NOT NULL,
    source          TEXT,
    source_inferred INTEGER NOT NULL DEFAULT 0,
    url             TEXT,
    published       TEXT,
    language        TEXT,
    event_hint      TEXT,
    label           TEXT,
    origin_path     TEXT NOT NULL,
    origin_line     INTEGER,
    origin_record   TEXT,
    removed         TEXT NOT NULL DEFAULT '[]',  -- JSON list of boilerplate lines removed
    ingested_at     TEXT NOT NULL,
    analysis_state  TEXT NOT NULL DEFAULT 'pending'
                    CHECK (analysis_state IN ('pending', 'done', 'skipped', 'failed'))
);
CREATE INDEX IF NOT EXISTS articles_state ON articles(analysis_state, n);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);

CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='n',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.n, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text, n ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.n, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
END;

CREATE TABLE IF NOT EXISTS problems (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    path    TEXT NOT NULL,
    line    INTEGER,
    kind    TEXT NOT NULL,
    message TEXT NOT NULL,
    skipped INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS problems_run ON problems(run_id);

CREATE TABLE IF NOT EXISTS duplicates (
    copy       TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    original   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
    similarity REAL NOT NULL,
    PRIMARY KEY (copy, original)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS duplicates_original ON duplicates(original);

CREATE TABLE IF NOT EXISTS passages (
    id         INTEGER PRIMARY KEY,
    article_a  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    article_b  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    start_a    INTEGER NOT NULL,
    end_a      INTEGER NOT NULL,
    start_b    INTEGER NOT NULL,
    end_b      INTEGER NOT NULL,
    similarity REAL NOT NULL,
    UNIQUE (article_a, article_b, start_a, end_a, start_b, end_b)
);
CREATE INDEX IF NOT EXISTS passages_b ON passages(article_b);

CREATE TABLE IF NOT EXISTS analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    data       TEXT NOT NULL  -- JSON of ArticleAnalysis
);

CREATE TABLE IF NOT EXISTS events (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '{}',  -- JSON: Event fields other than id/title/members
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS event_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,  -- one event per article
    event_id   TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL  -- order of Event.article_ids
);
CREATE INDEX IF NOT EXISTS event_members_event ON event_members(event_id, position);

CREATE TABLE IF NOT EXISTS verifications (
    event_id   TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    data       TEXT NOT NULL,  -- JSON of EventVerification
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS briefs (
    event_id   TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    data       TEXT NOT NULL,  -- JSON of Brief
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS cluster_features (
    n          INTEGER PRIMARY KEY,  -- order added: the incremental clusterer reads them back in it
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    data       TEXT NOT NULL  -- JSON of features.ArticleFeatures
);

CREATE TABLE IF NOT EXISTS state (
    key   TEXT PRIMARY KEY,  -- e.g. the incremental clusterer's state
    value TEXT NOT NULL      -- JSON
);
"""

# Schema changes: _MIGRATIONS[v] upgrades a store at user_version v to v + 1.
_MIGRATIONS: dict[int, str] = {
    # 1 -> 2: the clusterer's article features move from its state value into their own table
    # (done by ``pipeline`` when it first opens the clusterer of such a store)
    1: """
CREATE TABLE IF NOT EXISTS cluster_features (
    n          INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    data       TEXT NOT NULL
);
""",
}

_ARTICLE_COLUMNS = (
    "id, external_id, title, text, source, source_inferred, url, published, language, "
    "event_hint, label, origin_path, origin_line, origin_record, removed"
)


class StoreError(RuntimeError):
    """The file is not a usable newsprism store (newer schema, not initialised, ...)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text match. ``snippet`` is plain text around the match with the matched words
    between ``mark`` strings (never HTML: escape it before display)."""

    article_id: str
    title: str
    source: str | None
    published: str | None
    snippet: str
    score: float  # bm25, lower is better (FTS5 convention)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_FTS_TERM = re.compile(r'"([^"]*)"|(\S+)')
_FTS_WORD = re.compile(r"\w+")


def fts_query(text: str, *, max_terms: int = 32) -> str | None:
    """A safe FTS5 MATCH expression for what a user typed, or None when nothing is searchable.

    Every term becomes a quoted phrase made of its words only, so FTS5 operators, parentheses,
    column filters and stray quotes in user input are plain text and can never raise a syntax
    error. Kept: "quoted phrases" match as phrases, a trailing * on a word is a prefix search.
    Terms are ANDed (FTS5's implicit operator).
    """
    parts: list[str] = []
    for match in _FTS_TERM.finditer(text or ""):
        phrase, bare = match.group(1), match.group(2)
        words = _FTS_WORD.findall(phrase if phrase is not None else bare)
        if not words:
            continue
        prefix = bare is not None and bare.endswith("*") and len(words) == 1
        parts.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
        if len(parts) >= max_terms:
            break
    return " ".join(parts) or None


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class Store:
    """A newsprism store in one SQLite file (created with its schema on first open).

    Use as a context manager (``with Store(path) as store: ...``) or call :meth:`close`.
    ``timeout`` is how long a write waits for another process's write lock.
    """

    def __init__(self, path: str | PathLike[str], *, readonly: bool = False, timeout: float = 30.0) -> None:
        self.path = fspath(path)
        self.readonly = readonly
        if readonly:
            if not Path(self.path).is_file():
                raise StoreError(f"no store at {self.path}")
            uri = f"file:{quote(str(Path(self.path).resolve()))}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        else:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        # isolation_level=None: no implicit transactions; transaction() issues BEGIN/COMMIT.
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            if readonly:
                self._conn.execute("PRAGMA query_only = ON")
                self._check_version()
            else:
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._init_schema()
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def open_readonly(cls, path: str | PathLike[str], *, timeout: float = 30.0) -> Store:
        """A read-only store (``mode=ro`` + ``query_only``): for web requests that only read.
        Open one per thread, like any Store."""
        return cls(path, readonly=True, timeout=timeout)

    # ..................................................................... lifecycle

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection, for read queries the API does not cover."""
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction around the block; calls to write methods inside it join it, so a
        batch (articles + their dedup links + analyses ...) commits all at once or not at all.
        ``BEGIN IMMEDIATE`` takes the write lock up front (no deadlock between two writers)."""
        conn = self._conn
        if conn.in_transaction:
            yield conn  # nested: part of the enclosing transaction
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (e.g. disk full)
                conn.execute("ROLLBACK")
            raise

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _check_version(self) -> None:
        version = self._version()
        if version == 0:
            raise StoreError(f"{self.path} is not an initialised newsprism store")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}; this newsprism reads up to {SCHEMA_VERSION}"
            )

    def _init_schema(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return  # the common case (e.g. a web request opening the store): no DDL
        with self.transaction() as conn:
            version = self._version()  # again, under the write lock: another process may have won
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}; this newsprism reads up to {SCHEMA_VERSION}"
                )
            if version == 0:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                    if "articles" not in tables:
                        raise StoreError(f"{self.path} is an SQLite file but not a newsprism store")
                for statement in _split_sql(_SCHEMA):
                    conn.execute(statement)
                version = SCHEMA_VERSION
            while version < SCHEMA_VERSION:
                for statement in _split_sql(_MIGRATIONS[version]):
                    conn.execute(statement)
                version += 1
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def integrity_problems(self) -> list[str]:
        """Everything ``PRAGMA integrity_check``, ``foreign_key_check`` and the FTS5 index check
        find wrong; an empty list means the store is sound."""
        problems = [r[0] for r in self._conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in self._conn.execute("PRAGMA foreign_key_check")]
        if not self.readonly:
            try:
                with self.transaction() as conn:
                    # rank = 1: also compare the index with the external content (the articles)
                    conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as error:
                problems.append(f"fts: {error}")
        return problems

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        tables = ("articles", "problems", "duplicates", "passages", "analyses", "events",
                  "event_members", "verifications", "briefs", "runs", "cluster_features")  # fmt: skip
        return {t: self._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    # ..................................................................... runs & problems

    def start_run(self, inputs: Sequence[str] | Mapping[str, Any]) -> int:
        """Record the start of an ingest run; returns its id. Runs still marked ``running``
        were killed (a store has one writer at a time): they become ``interrupted``."""
        value = dict(inputs) if isinstance(inputs, Mapping) else [fspath(i) for i in inputs]
        with self.transaction() as conn:
            conn.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            cur = conn.execute("INSERT INTO runs (started, inputs) VALUES (?, ?)", (_now(), _json(value)))
            return int(cur.lastrowid)  # type: ignore[arg-type]

    def finish_run(self, run_id: int, counts: Mapping[str, Any], status: str = "ok") -> None:
        """Record the end of a run (a run killed before this stays ``running`` until the next starts)."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE runs SET finished = ?, status = ?, counts = ? WHERE id = ?",
                (_now(), status, _json(dict(counts)), run_id),
            )
            if cur.rowcount != 1:
                raise KeyError(f"no run {run_id}")

    def runs(self) -> list[dict[str, Any]]:
        """All runs, oldest first, as dicts (inputs and counts decoded)."""
        rows = self._conn.execute("SELECT id, started, finished, status, inputs, counts FROM runs ORDER BY id")
        return [
            {"id": r[0], "started": r[1], "finished": r[2], "status": r[3],
             "inputs": json.loads(r[4]), "counts": json.loads(r[5])}  # fmt: skip
            for r in rows
        ]

    def add_problems(self, run_id: int | None, problems: Iterable[InputProblem]) -> int:
        """Record input problems of a run; returns how many."""
        rows = [(run_id, p.path, p.line, p.kind, p.message, int(p.skipped)) for p in problems]
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO problems (run_id, path, line, kind, message, skipped) VALUES (?, ?, ?, ?, ?, ?)", rows
            )
        return len(rows)

    def problems(self, run_id: int | None = None) -> list[InputProblem]:
        """Input problems of one run (or of all runs), in the order recorded."""
        sql = "SELECT path, kind, message, line, skipped FROM problems"
        rows = (
            self._conn.execute(sql + " ORDER BY id")
            if run_id is None
            else self._conn.execute(sql + " WHERE run_id = ? ORDER BY id", (run_id,))
        )
        return [InputProblem(path=r[0], kind=r[1], message=r[2], line=r[3], skipped=bool(r[4])) for r in rows]

    # ..................................................................... articles

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Insert articles not stored yet (by id; ``INSERT OR IGNORE``), in one transaction.
        Returns how many were new: re-ingesting the same input returns 0 and changes nothing."""
        now = _now()
        with self.transaction() as conn:
            base = conn.execute("SELECT coalesce(max(n), 0) FROM articles").fetchone()[0]
            rows = (
                (
                    a.id, base + i, a.external_id, a.title, a.text, a.source, int(a.source_inferred),
                    a.url, a.published, a.language, a.event_hint, a.label, a.origin.path,
                    a.origin.line, a.origin.record, _json(list(a.removed)), now,
                )  # fmt: skip
                for i, a in enumerate(articles, start=1)
            )
            cur = conn.executemany(
                "INSERT OR IGNORE INTO articles (id, n, external_id, title, text, source, source_inferred, url, "
                "published, language, event_hint, label, origin_path, origin_line, origin_record, removed, "
                f"ingested_at) VALUES ({_marks(17)})",
                rows,
            )
            return max(cur.rowcount, 0)

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored (to skip work on articles already ingested)."""
        found: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(ids))):
            found.update(
                r[0] for r in self._conn.execute(f"SELECT id FROM articles WHERE id IN ({_marks(len(chunk))})", chunk)
            )
        return found

    def article_ids(self) -> list[str]:
        """All article ids in ingest order."""
        return [r[0] for r in self._conn.execute("SELECT id FROM articles ORDER BY n")]

    def get_article(self, article_id: str) -> Article | None:
        row = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def iter_articles(self, ids: Iterable[str] | None = None, batch: int = 500) -> Iterator[Article]:
        """Stream articles ``batch`` rows at a time: all in ingest order, or those of ``ids`` in
        the order given (unknown ids skipped). No cursor stays open between batches, so other
        calls (and writes) may happen while iterating."""
        if ids is None:
            last = 0
            while True:
                rows = self._conn.execute(
                    f"SELECT n, {_ARTICLE_COLUMNS} FROM articles WHERE n > ? ORDER BY n LIMIT ?", (last, batch)
                ).fetchall()
                if not rows:
                    return
                for row in rows:
                    yield _article(row[1:])
                last = rows[-1][0]
        wanted = list(ids)
        for chunk in _chunks(wanted, max(1, batch)):
            unique = list(dict.fromkeys(chunk))
            rows = self._conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({_marks(len(unique))})", unique
            ).fetchall()
            found = {row[0]: row for row in rows}
            for article_id in chunk:
                row = found.get(article_id)
                if row is not None:
                    yield _article(row)

    def search(self, query: str, limit: int = 20, *, mark: tuple[str, str] = ("«", "»")) -> list[SearchHit]:
        """Full-text search over titles and texts (FTS5, Porter stemming, title weighted 5x),
        best first. ``query`` is user input: it is made safe by :func:`fts_query`, so no string
        can raise an FTS syntax error; a query with no words returns []."""
        expression = fts_query(query)
        if expression is None:
            return []
        limit = max(1, min(int(limit), 1000))
        rows = self._conn.execute(
            "SELECT a.id, a.title, a.source, a.published, snippet(articles_fts, 1, ?, ?, '…', 16), "
            "bm25(articles_fts, 5.0, 1.0) AS score "
            "FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY score, a.n LIMIT ?",
            (mark[0], mark[1], expression, limit),
        ).fetchall()
        return [SearchHit(r[0], r[1], r[2], r[3], r[4], float(r[5])) for r in rows]

    # ..................................................................... dedup

    def save_dedup(self, result: DedupResult) -> None:
        """Store duplicate links and shared passages (idempotent; a link or passage saved again
        replaces the old row). The articles must be stored."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO duplicates (copy, original, kind, similarity) VALUES (?, ?, ?, ?)",
                [(l.copy, l.original, l.kind, l.similarity) for l in result.links],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO passages (article_a, article_b, text, start_a, end_a, start_b, end_b, "
                "similarity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(p.article_a, p.article_b, p.text, p.start_a, p.end_a, p.start_b, p.end_b, p.similarity)
                 for p in result.passages],  # fmt: skip
            )

    def dedup_result(self, ids: Iterable[str] | None = None) -> DedupResult:
        """All stored links and passages, or those touching any of ``ids`` (either side)."""
        link_sql = "SELECT copy, original, kind, similarity FROM duplicates"
        passage_sql = "SELECT article_a, article_b, text, start_a, end_a, start_b, end_b, similarity FROM passages"
        if ids is None:
            links = self._conn.execute(link_sql).fetchall()
            passages = self._conn.execute(passage_sql).fetchall()
        else:
            link_set: set[tuple] = set()
            passage_set: set[tuple] = set()
            for chunk in _chunks(list(dict.fromkeys(ids))):
                m = _marks(len(chunk))
                link_set.update(
                    self._conn.execute(f"{link_sql} WHERE copy IN ({m}) OR original IN ({m})", (*chunk, *chunk))
                )
                passage_set.update(
                    self._conn.execute(
                        f"{passage_sql} WHERE article_a IN ({m}) OR article_b IN ({m})", (*chunk, *chunk)
                    )
                )
            links, passages = list(link_set), list(passage_set)
        return DedupResult(
            links=[DuplicateLink(*r) for r in sorted(links, key=lambda r: (r[1], r[0]))],
            passages=[SharedPassage(*r) for r in sorted(passages, key=lambda r: (r[0], r[1], r[3], r[5]))],
        )

    # ..................................................................... analyses

    def save_analyses(self, analyses: Iterable[ArticleAnalysis]) -> int:
        """Store (or replace) per-article analyses and mark those articles ``done``."""
        rows = [(a.article_id, a.model, _json(to_dict(a))) for a in analyses]
        with self.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO analyses (article_id, model, data) VALUES (?, ?, ?)", rows)
            conn.executemany("UPDATE articles SET analysis_state = 'done' WHERE id = ?", [(r[0],) for r in rows])
        return len(rows)

    def load_analyses(self, ids: Iterable[str]) -> dict[str, ArticleAnalysis]:
        """Stored analyses of ``ids`` (those without one are absent from the dict)."""
        out: dict[str, ArticleAnalysis] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            for article_id, data in self._conn.execute(
                f"SELECT article_id, data FROM analyses WHERE article_id IN ({_marks(len(chunk))})", chunk
            ):
                out[article_id] = from_dict(ArticleAnalysis, json.loads(data))
        return out

    def set_analysis_state(self, ids: Iterable[str], state: str) -> None:
        """Mark articles ``skipped`` (e.g. not English) or ``failed`` so a resumed run does not
        retry them forever, or ``pending`` to have them analysed again."""
        if state not in ANALYSIS_STATES:
            raise ValueError(f"analysis state must be one of {ANALYSIS_STATES}")
        with self.transaction() as conn:
            conn.executemany("UPDATE articles SET analysis_state = ? WHERE id = ?", [(state, i) for i in ids])

    def pending_analysis_ids(self, model: str | None = None) -> list[str]:
        """Articles still to analyse, in ingest order: ``pending`` ones without an analysis (a
        resumed run continues here) and, when ``model`` is given, those analysed by another model."""
        ids = [
            r[0]
            for r in self._conn.execute(
                "SELECT a.id FROM articles a WHERE a.analysis_state = 'pending' "
                "AND NOT EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = a.id) ORDER BY a.n"
            )
        ]
        if model is not None:
            stale = self._conn.execute(
                "SELECT a.id FROM articles a JOIN analyses x ON x.article_id = a.id "
                "WHERE x.model != ? AND a.analysis_state != 'skipped' ORDER BY a.n",
                (model,),
            )
            ids += [r[0] for r in stale]
        return ids

    # ..................................................................... events

    def save_events(self, events: Iterable[Event], *, replace: bool = False) -> None:
        """Store events and their members (an article belongs to one event: saving it in another
        moves it). ``replace=True`` drops every stored event first (a full re-clustering).

        An event whose member set changes loses its stored verification and brief (they describe
        other articles); events left without members are deleted."""
        now = _now()
        with self.transaction() as conn:
            if replace:
                conn.execute("DELETE FROM events")
            saved: set[str] = set()
            touched: set[str] = set()
            for event in events:
                members = list(dict.fromkeys(event.article_ids))
                old = {r[0] for r in conn.execute("SELECT article_id FROM event_members WHERE event_id = ?", (event.id,))}
                extra = {k: v for k, v in to_dict(event).items() if k not in ("id", "title", "article_ids")}
                conn.execute(
                    "INSERT INTO events (id, title, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                    "SET title = excluded.title, data = excluded.data, updated_at = excluded.updated_at",
                    (event.id, event.title, _json(extra), now),
                )
                if set(members) != old:
                    touched.add(event.id)
                    for chunk in _chunks(members):
                        touched.update(
                            r[0]
                            for r in conn.execute(
                                f"SELECT event_id FROM event_members WHERE article_id IN ({_marks(len(chunk))}) "
                                "AND event_id != ?",
                                (*chunk, event.id),
                            )
                        )
                    conn.executemany(
                        "DELETE FROM event_members WHERE event_id = ? AND article_id = ?",
                        [(event.id, a) for a in old - set(members)],
                    )
                conn.executemany(
                    "INSERT OR REPLACE INTO event_members (article_id, event_id, position) VALUES (?, ?, ?)",
                    [(a, event.id, i) for i, a in enumerate(members)],
                )
                saved.add(event.id)
            for event_id in touched:
                conn.execute("DELETE FROM verifications WHERE event_id = ?", (event_id,))
                conn.execute("DELETE FROM briefs WHERE event_id = ?", (event_id,))
                if event_id not in saved:
                    conn.execute(
                        "DELETE FROM events WHERE id = ? AND NOT EXISTS "
                        "(SELECT 1 FROM event_members WHERE event_id = ?)",
                        (event_id, event_id),
                    )
                    conn.execute("UPDATE events SET updated_at = ? WHERE id = ?", (now, event_id))

    def events(self) -> list[Event]:
        """All events (ordered by id) with their members in saved order."""
        members: dict[str, list[str]] = {}
        for event_id, article_id in self._conn.execute(
            "SELECT event_id, article_id FROM event_members ORDER BY event_id, position"
        ):
            members.setdefault(event_id, []).append(article_id)
        return [
            _event(row, members.get(row[0], []))
            for row in self._conn.execute("SELECT id, title, data FROM events ORDER BY id")
        ]

    def event(self, event_id: str) -> Event | None:
        row = self._conn.execute("SELECT id, title, data FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        members = [
            r[0]
            for r in self._conn.execute(
                "SELECT article_id FROM event_members WHERE event_id = ? ORDER BY position", (event_id,)
            )
        ]
        return _event(row, members)

    def unassigned_article_ids(self) -> list[str]:
        """Analysed articles that belong to no event yet, in ingest order (what the incremental
        clustering still has to place; a resumed run continues here)."""
        return [
            r[0]
            for r in self._conn.execute(
                "SELECT a.id FROM articles a JOIN analyses x ON x.article_id = a.id "
                "WHERE NOT EXISTS (SELECT 1 FROM event_members m WHERE m.article_id = a.id) ORDER BY a.n"
            )
        ]

    def unverified_event_ids(self) -> list[str]:
        """Events without a stored verification or brief (new, grown, merged or interrupted)."""
        return [
            r[0]
            for r in self._conn.execute(
                "SELECT e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM verifications v WHERE v.event_id = e.id) "
                "OR NOT EXISTS (SELECT 1 FROM briefs b WHERE b.event_id = e.id) ORDER BY e.id"
            )
        ]

    def event_of(self, article_id: str) -> str | None:
        """The id of the event ``article_id`` belongs to, if any."""
        row = self._conn.execute("SELECT event_id FROM event_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def merge_events(self, keep: str, absorb: str) -> Event:
        """Move every article of ``absorb`` into ``keep`` (appended in order) and delete
        ``absorb``; both lose their verification and brief. Returns the merged event."""
        if keep == absorb:
            raise ValueError("cannot merge an event into itself")
        with self.transaction() as conn:
            for event_id in (keep, absorb):
                if conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is None:
                    raise KeyError(f"no event {event_id}")
            top = conn.execute(
                "SELECT coalesce(max(position), -1) FROM event_members WHERE event_id = ?", (keep,)
            ).fetchone()[0]
            conn.execute(
                "UPDATE event_members SET event_id = ?, position = position + ? WHERE event_id = ?",
                (keep, top + 1, absorb),
            )
            conn.execute("DELETE FROM events WHERE id = ?", (absorb,))  # cascades its verification/brief
            conn.execute("DELETE FROM verifications WHERE event_id = ?", (keep,))
            conn.execute("DELETE FROM briefs WHERE event_id = ?", (keep,))
            conn.execute("UPDATE events SET updated_at = ? WHERE id = ?", (_now(), keep))
        merged = self.event(keep)
        assert merged is not None
        return merged

    # ..................................................................... verifications & briefs

    def save_verification(self, verification: EventVerification) -> None:
        """Store (or replace) an event's verification; the event must be stored."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO verifications (event_id, data, updated_at) VALUES (?, ?, ?)",
                (verification.event_id, _json(to_dict(verification)), _now()),
            )

    def verification(self, event_id: str) -> EventVerification | None:
        row = self._conn.execute("SELECT data FROM verifications WHERE event_id = ?", (event_id,)).fetchone()
        return from_dict(EventVerification, json.loads(row[0])) if row else None

    def save_brief(self, brief: Brief) -> None:
        """Store (or replace) an event's brief; the event must be stored."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO briefs (event_id, data, updated_at) VALUES (?, ?, ?)",
                (brief.event_id, _json(to_dict(brief)), _now()),
            )

    def brief(self, event_id: str) -> Brief | None:
        row = self._conn.execute("SELECT data FROM briefs WHERE event_id = ?", (event_id,)).fetchone()
        return from_dict(Brief, json.loads(row[0])) if row else None

    # ..................................................................... clustering features

    def add_cluster_features(self, features: Iterable[ArticleFeatures]) -> None:
        """Keep the incremental clusterer's features of newly clustered articles (kept ones stay)."""
        rows = [(f.article_id, _json(f.to_dict())) for f in features]
        with self.transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO cluster_features (article_id, data) VALUES (?, ?)", rows)

    def iter_cluster_features(self, batch: int = 2000) -> Iterator[ArticleFeatures]:
        """The stored clustering features, in the order they were added (streamed)."""
        from newsprism.features import ArticleFeatures  # not at import: the store serves the web app

        last = 0
        while True:
            rows = self._conn.execute(
                "SELECT n, data FROM cluster_features WHERE n > ? ORDER BY n LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (ArticleFeatures.from_dict(json.loads(data)) for _, data in rows)

    # ..................................................................... key-value state

    def get_state(self, key: str, default: Any = None) -> Any:
        """A JSON value saved with :meth:`set_state` (e.g. the incremental clusterer's state)."""
        row = self._conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, _json(value)))


# --------------------------------------------------------------------------- row mapping


def _article(row: Sequence[Any]) -> Article:
    (article_id, external_id, title, text, source, source_inferred, url, published, language,
     event_hint, label, origin_path, origin_line, origin_record, removed) = row  # fmt: skip
    return Article(
        id=article_id,
        title=title,
        text=text,
        origin=Origin(origin_path, origin_line, origin_record),
        source=source,
        url=url,
        published=published,
        external_id=external_id,
        event_hint=event_hint,
        label=label,
        language=language,
        removed=json.loads(removed),
        source_inferred=bool(source_inferred),
    )


def _event(row: Sequence[Any], members: list[str]) -> Event:
    event_id, title, data = row
    return from_dict(Event, {**json.loads(data), "id": event_id, "title": title, "article_ids": members})


def _split_sql(script: str) -> list[str]:
    """Statements of a schema script (triggers hold ';' inside BEGIN ... END)."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        code = line.split("--", 1)[0]
        if not code.strip() and not current:
            continue
        current.append(code)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements
