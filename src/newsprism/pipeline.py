"""The library API: run the stages end to end, in memory (`analyze`) or into the store (`ingest`).

Each stage lives in its own module; this one only wires them together, decides what runs where
(`engine`) and reports progress. Nothing here keeps state between calls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .batching import batched
from .brief import build_brief
from .clean import clean_articles
from .cluster import ClusterSettings, cluster_articles
from .dedup import DedupSettings, find_duplicates
from .features import ArticleFeatures, extract_features
from .ids import named_event_id
from .readers import read_inputs
from .records import (
    Article,
    ArticleAnalysis,
    Brief,
    DedupResult,
    Event,
    EventVerification,
    InputProblem,
)
from .verify import VerifySettings, verify_event

if TYPE_CHECKING:
    from .incremental import IncrementalClusterer
    from .store import Store

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)

# The store path times dedup, cross-check and briefs inside the engine's workers; the phase's
# wall time is then shared between them (see `_share_wall_time`).
PER_EVENT_PHASE = "per-event"
SAVE_BATCH = 250  # analyses stored per transaction as the linguistics workers deliver them


@dataclass(slots=True)
class PipelineSettings:
    """Settings of one run. Every analysis threshold lives in the stage settings it belongs to."""

    events: Literal["auto", "given"] = "auto"
    summary_words: int = 40
    brief_words: tuple[int, int] = (100, 250)
    model: str | None = None  # spaCy model setting (see newsprism.nlp)
    n_process: int = 1  # linguistics worker processes (local engine)
    batch_size: int = 64
    max_bytes: int = 50_000_000  # per input file
    engine: Literal["local", "dask"] = "local"
    scheduler: str | None = None  # Dask scheduler address for engine="dask"
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    verify: VerifySettings = field(default_factory=VerifySettings)


@dataclass(slots=True)
class AnalysisResult:
    """Everything one run found; `newsprism.output.build_output` turns it into the JSON."""

    articles: dict[str, Article]
    analyses: dict[str, ArticleAnalysis]
    events: list[Event]
    verifications: dict[str, EventVerification]
    briefs: dict[str, Brief]
    dedup: DedupResult
    problems: list[InputProblem]
    settings: PipelineSettings
    inputs: list[str] = field(default_factory=list)

    def event_of(self) -> dict[str, str]:
        return {aid: ev.id for ev in self.events for aid in ev.article_ids}


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


class Stopwatch:
    """Adds up wall time per stage: ``with clock("dedup"): ...``."""

    def __init__(self, seconds: dict[str, float] | None = None) -> None:
        self.seconds = seconds if seconds is not None else {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started


def read_articles(
    paths: Iterable[str | Path], *, max_bytes: int, progress: Progress = _no_progress
) -> tuple[list[Article], list[InputProblem]]:
    """Read every input; an article read twice (same content id) is kept once."""
    articles: dict[str, Article] = {}
    problems: list[InputProblem] = []
    for item in read_inputs(paths, max_bytes=max_bytes):
        if isinstance(item, InputProblem):
            problems.append(item)
        elif item.id not in articles:
            articles[item.id] = item
            progress("read", len(articles), None)
    return list(articles.values()), problems


def is_analysable(article: Article) -> bool:
    """Non-English and empty articles are stored and reported but not cross-checked."""
    return bool(article.text.strip()) and article.language in (None, "en", "und")


def group_given(articles: Sequence[Article]) -> list[Event]:
    """Events from the inputs' own `event` field; articles without one stand alone."""
    groups: dict[str, list[str]] = {}
    for article in articles:
        groups.setdefault(article.event_hint or f"_single:{article.id}", []).append(article.id)
    events = []
    for key, ids in groups.items():
        title = key if not key.startswith("_single:") else ""
        events.append(Event(id=named_event_id(key), article_ids=sorted(ids), title=title))
    return sorted(events, key=lambda e: e.id)


def analyze_event(
    event: Event,
    articles: dict[str, Article],
    analyses: dict[str, ArticleAnalysis],
    dedup: DedupResult,
    settings: PipelineSettings,
    clock: "Stopwatch | None" = None,
) -> tuple[EventVerification, Brief]:
    """Cross-check one event and write its brief: the unit of per-event parallel work."""
    clock = clock or Stopwatch()
    members = [articles[a] for a in event.article_ids if a in analyses]
    member_analyses = {a.id: analyses[a.id] for a in members}
    with clock("cross-check"):
        verification = verify_event(event, members, member_analyses, dedup, settings.verify)
    with clock("briefs"):
        brief = build_brief(
            event,
            members,
            member_analyses,
            verification,
            dedup,
            summary_words=settings.summary_words,
            brief_words=settings.brief_words,
        )
    return verification, brief


@dataclass(slots=True)
class EventTask:
    """One stored event to bring up to date: its analysable articles and their analyses."""

    event: Event
    articles: dict[str, Article]
    analyses: dict[str, ArticleAnalysis]

    @property
    def size(self) -> int:
        return len(self.articles)


@dataclass(slots=True)
class EventCheck:
    """What `check_event` found for one event, with the seconds each stage took."""

    event_id: str
    dedup: DedupResult
    verification: EventVerification
    brief: Brief
    seconds: dict[str, float]


def check_event(task: EventTask, settings: PipelineSettings) -> EventCheck:
    """Deduplicate, cross-check and brief one event (the store path's unit of parallel work)."""
    clock = Stopwatch()
    with clock("dedup"):
        dedup = find_duplicates(list(task.articles.values()), settings.dedup)
    verification, brief = analyze_event(task.event, task.articles, task.analyses, dedup, settings, clock)
    return EventCheck(task.event.id, dedup, verification, brief, clock.seconds)


def analyze(
    paths: Iterable[str | Path],
    settings: PipelineSettings | None = None,
    *,
    progress: Progress = _no_progress,
) -> AnalysisResult:
    """Read, clean, analyse and group the inputs into events, then deduplicate, cross-check and
    brief each event (`check_event`, the unit of work `ingest` uses too), all in memory."""
    from .engine import analyses_by_id, get_engine, largest_first

    settings = settings or PipelineSettings()
    inputs = [str(p) for p in paths]
    raw, problems = read_articles(inputs, max_bytes=settings.max_bytes, progress=progress)
    articles = clean_articles(raw)
    by_id = {a.id: a for a in articles}
    usable = [a for a in articles if is_analysable(a)]

    engine = get_engine(settings)
    try:
        analyses = analyses_by_id(engine, usable, progress=progress)
        if settings.events == "given":
            events = group_given(usable)
        else:
            events = cluster_articles(usable, analyses, settings.cluster)
        progress("events", len(events), len(events))
        # per event, as ingest does: duplicates are looked for among an event's reports (copies
        # of one story land in one event), which keeps the work linear in the corpus
        tasks = (
            EventTask(event, {a: by_id[a] for a in event.article_ids}, {a: analyses[a] for a in event.article_ids})
            for event in largest_first(events)
        )
        checks: dict[str, EventCheck] = {}
        for check in engine.check_events(tasks, progress=_no_progress):
            checks[check.event_id] = check
            progress("cross-check", len(checks), len(events))
    finally:
        engine.close()
    verifications = {e.id: checks[e.id].verification for e in events}
    briefs = {e.id: checks[e.id].brief for e in events}
    dedup = combined_dedup(checks[e.id].dedup for e in events)
    return AnalysisResult(
        articles=by_id,
        analyses=analyses,
        events=events,
        verifications=verifications,
        briefs=briefs,
        dedup=dedup,
        problems=problems,
        settings=settings,
        inputs=inputs,
    )


def combined_dedup(results: Iterable[DedupResult]) -> DedupResult:
    """One `DedupResult` from per-event ones, sorted as `Store.dedup_result` sorts."""
    results = list(results)
    links = [link for r in results for link in r.links]
    passages = [p for r in results for p in r.passages]
    return DedupResult(
        links=sorted(links, key=lambda l: (l.original, l.copy)),
        passages=sorted(passages, key=lambda p: (p.article_a, p.article_b, p.start_a, p.start_b)),
    )


# --------------------------------------------------------------------------- the store path


@dataclass(slots=True)
class IngestReport:
    run_id: int
    articles_read: int = 0
    articles_new: int = 0
    analysed: int = 0
    events_touched: int = 0
    events_total: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage
    # time the engine's workers spent in each per-event stage (adds up to more than the
    # phase's wall time when workers run in parallel)
    worker_seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        skipped = sum(1 for p in self.problems if p.skipped)
        return (
            f"run {self.run_id}: {self.articles_read} articles read, {self.articles_new} new, "
            f"{self.analysed} analysed, {self.events_touched} events updated "
            f"({self.events_total} in store), {len(self.problems)} input problems ({skipped} skipped)"
        )


def _store_batch(store: "Store", run_id: int, items: list, report: IngestReport) -> None:
    """Clean one batch of read items and commit it (articles and problems) in one transaction."""
    raw = [item for item in items if isinstance(item, Article)]
    problems = [item for item in items if isinstance(item, InputProblem)]
    cleaned = clean_articles(raw)
    with store.transaction():
        store.add_problems(run_id, problems)
        report.articles_new += store.add_articles(cleaned)
        skipped = [a.id for a in cleaned if not is_analysable(a)]
        if skipped:
            store.set_analysis_state(skipped, "skipped")
    report.articles_read += len(raw)
    report.problems.extend(problems)


def _assign_events(store: "Store", ids: list[str], clusterer: "IncrementalClusterer | None") -> set[str]:
    """Put newly analysed articles into events; returns the ids of the events that changed.

    The new articles' clustering features, the clusterer's state and the event memberships are
    saved in one transaction, so a kill leaves all three as they were before the batch and the
    next run assigns the batch again. ``clusterer`` is None for ``events="given"``.
    """
    articles = list(store.iter_articles(ids))
    if clusterer is None:
        events: dict[str, Event] = {}
        for article in articles:
            key = article.event_hint or f"_single:{article.id}"
            ev_id = named_event_id(key)
            title = "" if key.startswith("_single:") else key
            event = events.get(ev_id) or store.event(ev_id) or Event(id=ev_id, article_ids=[], title=title)
            event.article_ids.append(article.id)
            events[ev_id] = event
        store.save_events(events.values())
        return set(events)
    features = extract_features(articles, store.load_analyses(ids), lead_chars=clusterer.settings.lead_chars)
    assigned = clusterer.add_features(features)
    merges = clusterer.merge_all()
    touched = set(assigned.values()) | {m.kept for m in merges}
    with store.transaction():
        store.add_cluster_features(features)
        store.save_events([e for e in clusterer.events() if e.id in touched])
        store.set_state("clusterer", clusterer.state_dict())
    return touched


def open_clusterer(store: "Store", settings: ClusterSettings) -> "IncrementalClusterer":
    """The store's incremental clusterer (a new one for an empty store), reading the stored
    articles' features back from the store. A state saved with the features inside (state
    version 1, store schema 1) has them moved to the ``cluster_features`` table first."""
    from .incremental import IncrementalClusterer

    state = store.get_state("clusterer")
    if state and "articles" in state:
        with store.transaction():
            store.add_cluster_features(ArticleFeatures.from_dict(a) for a in state.pop("articles"))
            store.set_state("clusterer", state)
    if not state:
        return IncrementalClusterer(settings, features=store.iter_cluster_features)
    return IncrementalClusterer.from_state(state, features=store.iter_cluster_features)


def ingest(
    paths: Iterable[str | Path],
    store: "Store",
    settings: PipelineSettings | None = None,
    *,
    progress: Progress = _no_progress,
    batch_size: int = 500,
) -> IngestReport:
    """Add inputs to the store and bring every touched event up to date.

    Each step commits in batches and picks up whatever the store says is still to do (articles
    without analysis, analysed articles without event, events without verification), so an
    interrupted run is completed by running it again, and re-ingesting the same input adds
    nothing. Memory is bounded by the batch and the largest event, not by the corpus.
    """
    from .engine import get_engine

    settings = settings or PipelineSettings()
    inputs = [str(p) for p in paths]
    run_id = store.start_run(inputs)
    report = IngestReport(run_id=run_id)
    clock = Stopwatch(report.seconds)

    items = read_inputs(inputs, max_bytes=settings.max_bytes)
    while True:
        with clock("read+clean"):
            batch = [item for _, item in zip(range(batch_size), items)]
            if not batch:
                break
            _store_batch(store, run_id, batch, report)
        progress("read", report.articles_read, None)

    engine = get_engine(settings)
    try:
        pending = store.pending_analysis_ids()
        chunk = max(batch_size, 1000 * settings.n_process)  # amortise spaCy worker start-up
        for ids in batched(pending, chunk):
            # stored as they come, while the workers parse the rest of the chunk; each stored
            # part is one timed block, so a kill loses the time of only what it rolls back
            parts = batched(engine.iter_analyses(list(store.iter_articles(ids))), SAVE_BATCH)
            while True:
                with clock("linguistics"):
                    finished = next(parts, None)
                    if finished:
                        store.save_analyses(finished)
                if not finished:
                    break
                report.analysed += len(finished)
                progress("linguistics", report.analysed, len(pending))

        touched: set[str] = set()
        clusterer = None
        for ids in batched(store.unassigned_article_ids(), chunk):
            with clock("clustering"):
                if clusterer is None and settings.events != "given":
                    clusterer = open_clusterer(store, settings.cluster)  # once per run, as needed
                touched |= _assign_events(store, ids, clusterer)
            progress("events", len(touched), None)

        # per event: dedup, cross-check and brief in the engine's workers; each event's results
        # are committed as they arrive, so a kill loses at most the events in flight
        stale = store.unverified_event_ids()
        with clock(PER_EVENT_PHASE):
            checks = engine.check_events(_event_tasks(store, stale), progress=_no_progress)
            for done, check in enumerate(checks, 1):
                with store.transaction():
                    store.save_dedup(check.dedup)
                    store.save_verification(check.verification)
                    store.save_brief(check.brief)
                for stage, seconds in check.seconds.items():
                    report.worker_seconds[stage] = report.worker_seconds.get(stage, 0.0) + seconds
                progress("cross-check", done, len(stale))
        _share_wall_time(report.seconds, report.seconds.pop(PER_EVENT_PHASE), report.worker_seconds)
    finally:
        engine.close()

    report.events_touched = len(set(stale) | touched)
    report.events_total = len(store.events())
    store.finish_run(run_id, {
        "articles_read": report.articles_read,
        "articles_new": report.articles_new,
        "analysed": report.analysed,
        "events_touched": report.events_touched,
        "problems": len(report.problems),
    })
    return report


def _event_tasks(store: "Store", event_ids: Iterable[str]) -> Iterator[EventTask]:
    """The stored events, loaded one at a time (the engine decides how many it holds)."""
    for ev_id in event_ids:
        event = store.event(ev_id)
        if event is None:
            continue
        members = {a.id: a for a in store.iter_articles(event.article_ids) if is_analysable(a)}
        yield EventTask(event, members, store.load_analyses(list(members)))


def _share_wall_time(seconds: dict[str, float], wall: float, worker_seconds: dict[str, float]) -> None:
    """Split the wall time of the per-event phase between its stages in proportion to the time
    the workers spent in each (with parallel workers, their times add up to more than the wall)."""
    total = sum(worker_seconds.values())
    for stage, spent in worker_seconds.items():
        seconds[stage] = seconds.get(stage, 0.0) + (wall * spent / total if total else 0.0)


def load_result(store: "Store", settings: PipelineSettings | None = None) -> AnalysisResult:
    """Everything in the store as an `AnalysisResult` (for reports of an ingested corpus)."""
    articles = {a.id: a for a in store.iter_articles()}
    events = [e for e in store.events() if e.article_ids]
    verifications = {e.id: v for e in events if (v := store.verification(e.id)) is not None}
    briefs = {e.id: b for e in events if (b := store.brief(e.id)) is not None}
    return AnalysisResult(
        articles=articles,
        analyses=store.load_analyses(list(articles)),
        events=events,
        verifications=verifications,
        briefs=briefs,
        dedup=store.dedup_result(),
        problems=store.problems(),
        settings=settings or PipelineSettings(),
        inputs=[],
    )
