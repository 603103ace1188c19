"""Incremental event clustering: new articles join stored events without re-clustering them.

``IncrementalClusterer.add_features`` runs the batch agglomeration of ``newsprism.cluster`` on the
new articles with the stored events as frozen clusters: each new article joins the stored event
it is on average closest to (at least ``threshold``) or founds a new event, possibly with other
new articles. Assignments of stored articles never change, except through ``merge`` (proposed by
``merge_candidates``), which is recorded in ``merges``.

Built to hold a day of news or more in memory. Per stored article it keeps its TF-IDF vector as a
row of a CSR chunk (12 bytes per non-zero weight, not a Python dict entry), its date, its event
and its entries in an inverted index (top features -> articles, sorted by date); per event the
sum of its members' vectors, also compact. Article features (the raw counts behind the vectors)
are not kept when the clusterer is given a ``features`` source to read them back from (the store
path keeps them in the store's ``cluster_features`` table): they are needed only to re-weight the
vectors when document frequencies have moved (``refresh``, linear in the store and run when the
store has grown by ``refresh_growth``, so its total cost stays proportional to the store). Each
batch costs time in proportion to its size and the candidates the index returns, not to the size
of the store.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .batching import batched
from .cluster import (
    Analyses,
    ClusterSettings,
    _Agglomerator,
    _day_numbers,
    _row_dicts,
    _top_keys,
    checked_edges,
    checked_similarities,
    entity_block,
    entity_columns,
    linkage_value,
    pair_similarities,
)
from .features import ArticleFeatures, DocumentFrequencies, Vectorizer, extract_features
from .ids import event_id
from .records import Article, ArticleAnalysis, Event

#: Where the stored articles' features are read back from (in the order they were added).
FeatureSource = Callable[[], Iterable[ArticleFeatures]]

_REFRESH_CHUNK = 2000  # features re-weighted at a time: bounds a refresh's extra memory

# a stored article's (or an event's) sparse vector: sorted columns and their weights
_Sparse = tuple[np.ndarray, np.ndarray]
_EMPTY: _Sparse = (np.empty(0, np.int32), np.empty(0, np.float64))


@dataclass(slots=True)
class _StoredEvent:
    id: str
    article_ids: list[str]
    seq: int  # creation order: the older event survives a merge
    title: str = ""
    headline_of: str | None = None  # the member whose headline (or snippet) is the title
    titled: bool = False  # whether that member has a headline (not just a snippet)
    days: tuple[float, float] | None = None  # first and last publication day of its articles
    total: _Sparse = _EMPTY  # sum of the members' vectors
    entity_total: _Sparse = _EMPTY  # its entity columns
    named: int = 0  # members that name at least one entity

    def add_day(self, day: float) -> None:
        if not math.isnan(day):
            self.days = (min(self.days[0], day), max(self.days[1], day)) if self.days else (day, day)


@dataclass(slots=True)
class Merge:
    """A recorded merge: ``absorbed`` now belongs to ``kept``."""

    absorbed: str
    kept: str
    similarity: float


class _VectorRows:
    """Article vectors as the rows of CSR chunks (one per batch added), addressed by article
    number (the order articles were added in)."""

    def __init__(self) -> None:
        self._chunks: list[sp.csr_matrix] = []
        self._starts: list[int] = []  # number of each chunk's first row

    def __len__(self) -> int:
        return self._starts[-1] + self._chunks[-1].shape[0] if self._chunks else 0

    def add(self, X: sp.csr_matrix) -> None:
        self._starts.append(len(self))
        self._chunks.append(X.tocsr())

    def rows(self, numbers: Sequence[int], width: int) -> sp.csr_matrix:
        """The vectors of articles ``numbers``, in that order, ``width`` columns wide."""
        by_chunk: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for pos, n in enumerate(numbers):
            k = bisect.bisect_right(self._starts, n) - 1
            by_chunk[k].append((pos, n - self._starts[k]))
        parts, order = [], []
        for k, items in sorted(by_chunk.items()):
            part = self._chunks[k][[r for _, r in items]]
            part.resize((len(items), width))  # the vocabulary only grows: columns stay put
            parts.append(part)
            order.extend(pos for pos, _ in items)
        if not parts:
            return sp.csr_matrix((0, width))
        stacked = sp.vstack(parts, format="csr")
        return stacked[np.argsort(np.asarray(order, dtype=np.int64), kind="stable")]


class IncrementalClusterer:
    """Assign new articles to events without re-clustering what is already stored.

    ``features``: where the stored articles' features are read back from when vectors are
    re-weighted (a callable returning them in the order they were added, e.g.
    ``Store.iter_cluster_features``); None keeps them in memory (and in ``state_dict``).

    ``state_dict()`` is JSON-able; ``IncrementalClusterer.from_state(state, features=...)``
    restores it, and ``from_events(store_events, features)`` rebuilds one from stored events.
    """

    def __init__(self, settings: ClusterSettings | None = None, *, features: FeatureSource | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self.df = DocumentFrequencies(min_docs=self.settings.idf_min_docs)
        self._vectorizer = Vectorizer(self.settings.vector_weights(), self.df)
        self._source = features
        self._kept: list[ArticleFeatures] = []  # stored articles' features when there is no source
        self._vectors = _VectorRows()
        self._is_entity = np.zeros(0, dtype=bool)  # per vocabulary column
        # stored articles are numbered in the order added; per number: id, date (NaN: unknown)
        self._ids: list[str] = []
        self._number: dict[str, int] = {}
        self._days = array("d")
        self._event_of: dict[str, str] = {}
        self._events: dict[str, _StoredEvent] = {}
        self._postings: dict[int, array] = defaultdict(_posting)  # column -> sorted _entry(day, number)
        self._seq = 0
        self._refreshed_at = 0
        self._touched: dict[str, set[str]] = {}  # event -> members added since the last merge check
        self.merges: list[Merge] = []

    # ------------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self._event_of)

    def event_of(self, article_id: str) -> str | None:
        return self._event_of.get(article_id)

    def events(self) -> list[Event]:
        out = [Event(id=e.id, article_ids=sorted(e.article_ids), title=e.title) for e in self._events.values()]
        return sorted(out, key=lambda e: (-len(e.article_ids), e.id))

    # ------------------------------------------------------------------ assignment

    def assign(self, article: Article, analysis: ArticleAnalysis | None = None) -> str:
        """Put one article in its event (joining the best stored event or founding one)."""
        return self.assign_batch([article], [analysis] if analysis else None)[article.id]

    def assign_batch(self, articles: Sequence[Article], analyses: Analyses = None) -> dict[str, str]:
        """Assign a batch of articles; article id -> event id (known articles keep theirs)."""
        new = {a.id: a for a in articles if a.id not in self._event_of}
        feats = extract_features(list(new.values()), analyses, lead_chars=self.settings.lead_chars) if new else []
        self.add_features(feats)
        return {a.id: self._event_of[a.id] for a in articles}

    def add_features(self, feats: Sequence[ArticleFeatures]) -> dict[str, str]:
        """``assign_batch`` on precomputed features; article id -> event id for the new ones.

        With a ``features`` source, the caller stores these features there (after this call)."""
        s = self.settings
        feats = sorted({f.article_id: f for f in feats if f.article_id not in self._event_of}.values(),
                       key=lambda f: f.article_id)
        if not feats:
            return {}
        self.df.add(feats)
        if self._refreshed_at and self.df.n_docs >= (1 + s.refresh_growth) * self._refreshed_at:
            self.refresh()
        X = self._vectorizer.transform(feats)
        E = self._entity_part(X)
        rows, erows = _row_dicts(X), _row_dicts(E)
        days = _day_numbers(feats)

        # new-to-new edges, exactly as in batch clustering; new-to-stored from the index
        i, j, sims, esims = checked_edges(X, E, days, s)
        stored = self._stored_candidates(X, E, days)
        # nodes: the stored events that are candidates (frozen), then the new articles
        event_ids = sorted({self._event_of[aid] for _, aid in stored})
        node_of_event = {e: k for k, e in enumerate(event_ids)}
        offset = len(event_ids)
        frozen = [self._events[e] for e in event_ids]
        agg = _Agglomerator(
            s,
            [*(_as_dict(e.total) for e in frozen), *(dict(r) for r in rows)],  # merging mutates them
            [*(_as_dict(e.entity_total) for e in frozen), *(dict(r) for r in erows)],
            [len(e.article_ids) for e in frozen] + [1] * len(feats),
            [e.named for e in frozen] + [int(bool(e)) for e in erows],
            [e.days for e in frozen] + [(d, d) if not math.isnan(d) else None for d in days],
            [True] * offset + [False] * len(feats),
        )
        agg.add_edges(i + offset, j + offset, sims, esims)
        if stored:
            new_rows = np.asarray([r for r, _ in stored], dtype=np.int64) + offset
            nodes = np.asarray([node_of_event[self._event_of[aid]] for _, aid in stored], dtype=np.int64)
            agg.add_edges(new_rows, nodes)  # linkage to the whole event, from its sum

        ids = [f.article_id for f in feats]
        self._store(ids, X, days)
        if self._source is None:
            self._kept.extend(feats)
        for members in agg.run():
            fresh = sorted(m - offset for m in members if m >= offset)
            if not fresh:
                continue
            old = [m for m in members if m < offset]
            if old:
                ev = self._events[event_ids[old[0]]]
            else:
                ev = _StoredEvent(id=event_id([ids[r] for r in fresh]), article_ids=[], seq=self._seq)
                self._seq += 1
                self._events[ev.id] = ev
            self._add_members(ev, fresh, feats, X, E, days)
            added = [ids[r] for r in fresh]
            self._touched.setdefault(ev.id, set()).update(added)
            self._retitle(ev, {ids[r]: (bool(feats[r].title), feats[r].title or feats[r].snippet) for r in fresh})
        if not self._refreshed_at:
            self._refreshed_at = self.df.n_docs
        return {aid: self._event_of[aid] for aid in ids}

    def _entity_part(self, X: sp.csr_matrix) -> sp.csr_matrix:
        keys = self._vectorizer.keys
        if len(self._is_entity) < len(keys):  # the vocabulary grew: classify the new columns
            self._is_entity = np.concatenate([self._is_entity, entity_columns(keys[len(self._is_entity):])])
        return entity_block(X, self._is_entity)

    def _stored_candidates(self, X: sp.csr_matrix, E: sp.csr_matrix, days: np.ndarray) -> list[tuple[int, str]]:
        """(new row, stored article id) pairs: stored articles sharing one of the new article's
        top keys (the ``block_width`` nearest in date per key), inside the time window and at
        least ``min_edge()`` similar with the entity check (as ``checked_edges``)."""
        s = self.settings
        if not self._event_of:
            return []
        pairs: set[tuple[int, str]] = set()
        for r, cols in enumerate(_top_keys(X, s.block_keys)):
            for c in cols.tolist():
                posting = self._postings.get(c)
                if posting:
                    pairs.update((r, n) for n in _nearest(posting, days[r], s.block_width))
        window = s.window_days
        candidates = sorted(
            (r, n) for r, n in pairs
            if window is None or not abs(self._days[n] - days[r]) > window  # NaN (undated) passes
        )
        if not candidates:
            return []
        others = sorted({n for _, n in candidates})
        column = {n: k for k, n in enumerate(others)}
        S = self._vectors.rows(others, X.shape[1])
        ES = self._entity_part(S)
        i = np.asarray([r for r, _ in candidates], dtype=np.int64)
        k = np.asarray([column[n] for _, n in candidates], dtype=np.int64)
        sims = pair_similarities(X, i, k, S)
        esims = pair_similarities(E, i, k, ES)
        named_new, named_old = np.diff(E.indptr) > 0, np.diff(ES.indptr) > 0
        checked = checked_similarities(sims, esims, named_new[i] & named_old[k], s)
        keep = (checked >= s.min_edge()).tolist()
        return [(r, self._ids[n]) for (r, n), ok in zip(candidates, keep, strict=True) if ok]

    def _add_members(
        self, ev: _StoredEvent, fresh: list[int], feats: Sequence[ArticleFeatures],
        X: sp.csr_matrix, E: sp.csr_matrix, days: np.ndarray,
    ) -> None:
        for r in fresh:
            ev.article_ids.append(feats[r].article_id)
            self._event_of[feats[r].article_id] = ev.id
        _accumulate(ev, fresh, X, E, days)

    def _store(self, ids: Sequence[str], X: sp.csr_matrix, days: np.ndarray) -> None:
        """Number the articles, keep their vectors and dates, and enter each in the index under
        its ``block_keys`` top columns, in date order."""
        self._vectors.add(X)
        for aid, cols, day in zip(ids, _top_keys(X, self.settings.block_keys), days.tolist(), strict=True):
            number = len(self._ids)
            self._ids.append(aid)
            self._number[aid] = number
            self._days.append(day)
            entry = _entry(day, number)
            for c in cols.tolist():
                bisect.insort(self._postings[c], entry)

    def _retitle(self, ev: _StoredEvent, candidates: Mapping[str, tuple[bool, str]]) -> None:
        """Title the event with the headline of the member closest to its centre, choosing among
        ``candidates`` (id -> (has a headline, headline or snippet)) and the current holder."""
        pool = dict(candidates)
        if ev.headline_of is not None:
            pool.setdefault(ev.headline_of, (ev.titled, ev.title))
        ids = sorted(pool)
        V = self._vectors.rows([self._number[a] for a in ids], len(self._vectorizer.keys))
        cols, vals = ev.total
        centre = np.zeros(V.shape[1])
        centre[cols] = vals
        scores = (V @ centre).tolist()
        best = max(range(len(ids)), key=lambda k: (pool[ids[k]][0], scores[k], _Reverse(ids[k])))
        ev.headline_of = ids[best]
        ev.titled, ev.title = pool[ids[best]]

    def refresh(self) -> None:
        """Re-weight every stored vector with the current document frequencies (assignments
        unchanged), and rebuild event sums and the inverted index. Linear in the store; reads
        the features back from the source in chunks."""
        self._refreshed_at = self.df.n_docs
        self._reload(None)

    def _reload(self, untitled: dict[str, tuple[bool, str]] | None) -> None:
        """Rebuild vectors, sums and index from the stored features; ``untitled`` (when given)
        collects (has headline, headline or snippet) of every article, for events to retitle."""
        self._vectors = _VectorRows()
        self._ids, self._number, self._days = [], {}, array("d")
        self._postings = defaultdict(_posting)
        for ev in self._events.values():
            ev.total, ev.entity_total, ev.named, ev.days = _EMPTY, _EMPTY, 0, None
        for chunk in batched(self._stored_features(), _REFRESH_CHUNK):
            chunk = [f for f in chunk if f.article_id in self._event_of]
            if not chunk:
                continue
            X = self._vectorizer.transform(chunk)
            E = self._entity_part(X)
            ids = [f.article_id for f in chunk]
            days = _day_numbers(chunk)
            self._store(ids, X, days)
            by_event: dict[str, list[int]] = defaultdict(list)
            for r, aid in enumerate(ids):
                by_event[self._event_of[aid]].append(r)
            for eid, members in by_event.items():
                _accumulate(self._events[eid], members, X, E, days)
            if untitled is not None:
                untitled.update((f.article_id, (bool(f.title), f.title or f.snippet)) for f in chunk)

    def _stored_features(self) -> Iterable[ArticleFeatures]:
        return self._source() if self._source is not None else list(self._kept)

    # ------------------------------------------------------------------ merging

    def merge_candidates(
        self, threshold: float | None = None, *, events: Iterable[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """Pairs of stored events whose average similarity reaches ``threshold`` (default
        ``settings.merge_threshold``, else ``threshold``), best first: (event, event, similarity).

        Only events that gained articles since the last ``merge_all`` are examined unless
        ``events`` names some. Partners come from the inverted index, never from all pairs:
        events sharing a top key with the articles added since the last check (with all
        members for events named in ``events``) or with the event's own centroid, so a check
        costs in proportion to what was added, not to the size of the events. Nothing changes
        until ``merge``."""
        s = self.settings
        floor = threshold if threshold is not None else (s.merge_threshold if s.merge_threshold is not None else s.threshold)
        if events is not None:
            todo = {e: set(self._events[e].article_ids) for e in events if e in self._events}
        else:
            todo = self._touched
        found: dict[tuple[str, str], float] = {}
        width = len(self._vectorizer.keys)
        for eid in sorted(todo):
            ev = self._events.get(eid)
            if ev is None:
                continue
            members = sorted(self._number[a] for a in todo[eid] if a in self._event_of)
            tops = _top_keys(self._vectors.rows(members, width), s.block_keys)
            probes = [(cols.tolist(), self._days[n]) for n, cols in zip(members, tops, strict=True)]
            centre_day = (ev.days[0] + ev.days[1]) / 2 if ev.days else math.nan
            probes.append((_top_columns(ev.total, s.block_keys), centre_day))
            others: set[str] = set()
            for probe_cols, day in probes:
                for c in probe_cols:
                    posting = self._postings.get(c, _EMPTY_POSTING)
                    others.update(self._event_of[self._ids[n]] for n in _nearest(posting, day, s.block_width))
            others.discard(eid)
            for other in sorted(others):
                pair = (min(eid, other), max(eid, other))
                if pair in found:
                    continue
                sim = self._event_similarity(eid, other)
                if sim >= floor and self._within_window(eid, other):
                    found[pair] = sim
        return sorted(((a, b, v) for (a, b), v in found.items()), key=lambda t: (-t[2], t[0], t[1]))

    def _event_similarity(self, a: str, b: str) -> float:
        """Average-linkage similarity of two stored events (``linkage_value``)."""
        ea, eb = self._events[a], self._events[b]
        return linkage_value(
            self.settings, _dot(ea.total, eb.total), _dot(ea.entity_total, eb.entity_total),
            len(ea.article_ids), len(eb.article_ids), ea.named, eb.named,
        )

    def _within_window(self, a: str, b: str) -> bool:
        window = self.settings.window_days
        ra, rb = self._events[a].days, self._events[b].days
        if window is None or ra is None or rb is None:
            return True
        return max(ra[0], rb[0]) - min(ra[1], rb[1]) <= window

    def merge(self, a: str, b: str, similarity: float = math.nan) -> str:
        """Merge two stored events; the older one keeps its id. Returns the surviving id."""
        if a == b:
            return a
        ea, eb = self._events[a], self._events[b]
        kept, gone = (ea, eb) if ea.seq <= eb.seq else (eb, ea)
        for aid in gone.article_ids:
            self._event_of[aid] = kept.id
        kept.article_ids.extend(gone.article_ids)
        for day in gone.days or ():
            kept.add_day(day)
        kept.total = _add(kept.total, gone.total)
        kept.entity_total = _add(kept.entity_total, gone.entity_total)
        kept.named += gone.named
        del self._events[gone.id]
        self._touched.setdefault(kept.id, set()).update(self._touched.pop(gone.id, ()))
        self._retitle(kept, {gone.headline_of: (gone.titled, gone.title)} if gone.headline_of else {})
        self.merges.append(Merge(absorbed=gone.id, kept=kept.id, similarity=similarity))
        return kept.id

    def merge_all(self, threshold: float | None = None) -> list[Merge]:
        """Merge what ``merge_candidates`` proposes (best pair first) until nothing is left;
        the merges made. The events are then marked checked."""
        made: list[Merge] = []
        while True:
            candidates = self.merge_candidates(threshold)
            if not candidates:
                self._touched = {}
                return made
            done: set[str] = set()
            for a, b, sim in candidates:
                if a in done or b in done:
                    continue  # one of them changed: proposed again next round if still similar
                self.merge(a, b, sim)
                made.append(self.merges[-1])
                done.update((a, b))

    # ------------------------------------------------------------------ persistence

    def state_dict(self) -> dict[str, Any]:
        """A JSON-able snapshot: settings, events, merges, and (only when the clusterer keeps
        them itself, without a ``features`` source) the stored articles' features."""
        state: dict[str, Any] = {
            "version": 2,
            "settings": self.settings.to_dict(),
            "seq": self._seq,
            "events": [
                {"id": e.id, "seq": e.seq, "title": e.title, "headline_of": e.headline_of, "titled": e.titled,
                 "article_ids": list(e.article_ids)}
                for e in sorted(self._events.values(), key=lambda e: e.seq)
            ],
            "merges": [asdict(m) for m in self.merges],
            "touched": {e: sorted(members) for e, members in sorted(self._touched.items())},
        }
        if self._source is None:
            state["articles"] = [f.to_dict() for f in self._kept]
        return state

    @classmethod
    def from_events(
        cls, events: Iterable[Event], features: Iterable[ArticleFeatures], settings: ClusterSettings | None = None
    ) -> IncrementalClusterer:
        """A clusterer holding stored events (e.g. ``Store.events()``) and their articles'
        features (``extract_features`` over the stored articles and analyses), kept in memory.
        Events are taken as created in the order given; articles without features are left out."""
        by_id = {f.article_id: f for f in features}
        state_events, articles = [], []
        for seq, ev in enumerate(events):
            members = [a for a in ev.article_ids if a in by_id]
            if not members:
                continue
            state_events.append({"id": ev.id, "seq": seq, "title": ev.title, "article_ids": members})
            articles.extend(by_id[a].to_dict() for a in members)
        settings = settings or ClusterSettings()
        return cls.from_state(
            {"settings": settings.to_dict(), "seq": len(state_events), "articles": articles, "events": state_events}
        )

    @classmethod
    def from_state(cls, state: Mapping[str, Any], *, features: FeatureSource | None = None) -> IncrementalClusterer:
        """Restore a clusterer from ``state_dict`` output; vectors are rebuilt from the features
        (the state's own, or those ``features`` returns) with document frequencies counted anew.

        Reads states of version 1 too (features inside, no ``titled``). A state saved before
        ``entity_support`` existed takes the current default (assignments made are kept)."""
        self = cls(ClusterSettings.from_dict(state.get("settings", {})), features=features)
        self._seq = int(state.get("seq", 0))
        if features is None:
            self._kept = [ArticleFeatures.from_dict(a) for a in state.get("articles", [])]
        for e in state.get("events", []):
            ev = _StoredEvent(
                id=e["id"], article_ids=list(e["article_ids"]), seq=int(e["seq"]), title=e.get("title", ""),
                headline_of=e.get("headline_of"), titled=bool(e.get("titled", False)),
            )
            self._events[ev.id] = ev
            for aid in ev.article_ids:
                self._event_of[aid] = ev.id
        self.merges = [Merge(**m) for m in state.get("merges", [])]
        self._touched = {e: set(m) for e, m in state.get("touched", {}).items() if e in self._events}
        for chunk in batched(self._stored_features(), _REFRESH_CHUNK):
            self.df.add(f for f in chunk if f.article_id in self._event_of)
        self._refreshed_at = self.df.n_docs
        titles: dict[str, tuple[bool, str]] = {}
        self._reload(titles)
        for ev in self._events.values():
            if ev.headline_of is None:  # built from events: choose among all members
                self._retitle(ev, {a: titles[a] for a in ev.article_ids if a in titles})
            elif state.get("version", 1) < 2:  # saved without ``titled``
                ev.titled = titles.get(ev.headline_of, (False, ""))[0]
        return self


class _Reverse(str):
    """A string that sorts backwards (``max`` then prefers the smallest id on ties)."""

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__lt__(self, other)


def _accumulate(ev: _StoredEvent, rows: list[int], X: sp.csr_matrix, E: sp.csr_matrix, days: np.ndarray) -> None:
    """Add members (rows of ``X``, their entity part ``E`` and dates) to an event's sums."""
    ev.total = _add(ev.total, _column_sum(X, rows))
    ev.entity_total = _add(ev.entity_total, _column_sum(E, rows))
    ev.named += int((np.diff(E.indptr)[rows] > 0).sum())
    for r in rows:
        ev.add_day(float(days[r]))


def _column_sum(X: sp.csr_matrix, rows: list[int]) -> _Sparse:
    """The sum of some rows of ``X`` as a compact sparse vector."""
    total = X[rows].sum(axis=0).A1
    cols = np.flatnonzero(total)
    return cols.astype(np.int32), total[cols]


def _add(a: _Sparse, b: _Sparse) -> _Sparse:
    if not len(b[0]):
        return a
    if not len(a[0]):
        return b
    cols = np.union1d(a[0], b[0])
    vals = np.zeros(len(cols))
    vals[np.searchsorted(cols, a[0])] += a[1]
    vals[np.searchsorted(cols, b[0])] += b[1]
    return cols.astype(np.int32), vals


def _dot(a: _Sparse, b: _Sparse) -> float:
    _, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(a[1][ia] @ b[1][ib])


def _as_dict(v: _Sparse) -> dict[int, float]:
    return dict(zip(v[0].tolist(), v[1].tolist(), strict=True))


def _top_columns(v: _Sparse, k: int) -> list[int]:
    cols, vals = v
    if len(cols) > k:
        cols = cols[np.argpartition(-vals, k - 1)[:k]]
    return cols.tolist()


# An index posting is an array of floats, one per article: ``_entry(day, number)`` (8 bytes,
# where a list of (day, id) tuples takes about 90), so sorting by it sorts by date.
_DAY_SCALE = float(2**26)  # article numbers below this; day ordinals times it stay exact


def _posting() -> array:
    return array("d")


_EMPTY_POSTING = _posting()


def _entry(day: float, number: int) -> float:
    return (0.0 if math.isnan(day) else day) * _DAY_SCALE + number  # undated sort first


def _nearest(posting: array, day: float, width: int) -> list[int]:
    """Up to ``width`` article numbers of a posting nearest in date to ``day``; for an undated
    article, ``width`` numbers spread evenly over the posting."""
    if len(posting) <= width:
        picked = posting.tolist()
    elif math.isnan(day):
        step = len(posting) / width
        picked = [posting[int(k * step)] for k in range(width)]
    else:
        k = bisect.bisect_left(posting, day * _DAY_SCALE)
        lo = max(0, min(k - width // 2, len(posting) - width))
        picked = posting[lo : lo + width].tolist()
    return [int(v % _DAY_SCALE) for v in picked]
