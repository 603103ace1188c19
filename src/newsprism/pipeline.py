"""The library API: run the stages end to end, in memory (`analyze`) or into the store (`ingest`).

Each stage lives in its own module; this one only wires them together, decides what runs where
(`engine`) and reports progress. Nothing here keeps state between calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .brief import build_brief
from .clean import clean_articles
from .cluster import ClusterSettings, cluster_articles
from .dedup import DedupSettings, find_duplicates
from .ids import event_id
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

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


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


def read_articles(
    paths: Iterable[str | Path], *, max_bytes: int, progress: Progress = _no_progress
) -> tuple[list[Article], list[InputProblem]]:
    """Read every input; an article read twice (same content id) is kept once."""
    articles: dict[str, Article] = {}
    problems: list[InputProblem] = []
    for item in read_inputs(paths, max_bytes=max_bytes):
        if isinstance(item, InputProblem):
            problems.append(item)
            log.warning("%s", item)
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
        ids = sorted(ids)
        title = key if not key.startswith("_single:") else ""
        events.append(Event(id=event_id(ids), article_ids=ids, title=title))
    return sorted(events, key=lambda e: e.id)


def analyze_event(
    event: Event,
    articles: dict[str, Article],
    analyses: dict[str, ArticleAnalysis],
    dedup: DedupResult,
    settings: PipelineSettings,
) -> tuple[EventVerification, Brief]:
    """Cross-check one event and write its brief: the unit of per-event parallel work."""
    members = [articles[a] for a in event.article_ids if a in analyses]
    member_analyses = {a.id: analyses[a.id] for a in members}
    verification = verify_event(event, members, member_analyses, dedup, settings.verify)
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


def analyze(
    paths: Iterable[str | Path],
    settings: PipelineSettings | None = None,
    *,
    progress: Progress = _no_progress,
) -> AnalysisResult:
    """Read, clean, deduplicate, analyse, group and cross-check the inputs, all in memory."""
    from .engine import get_engine

    settings = settings or PipelineSettings()
    inputs = [str(p) for p in paths]
    raw, problems = read_articles(inputs, max_bytes=settings.max_bytes, progress=progress)
    articles = clean_articles(raw)
    by_id = {a.id: a for a in articles}
    usable = [a for a in articles if is_analysable(a)]

    engine = get_engine(settings)
    try:
        dedup = find_duplicates(usable, settings.dedup)
        progress("dedup", len(usable), len(usable))
        analyses = engine.analyze_articles(usable, progress=progress)
        if settings.events == "given":
            events = group_given(usable)
        else:
            events = cluster_articles(usable, analyses, settings.cluster)
        progress("events", len(events), len(events))
        per_event = engine.analyze_events(events, by_id, analyses, dedup, progress=progress)
    finally:
        engine.close()
    verifications = {ev_id: v for ev_id, (v, _) in per_event.items()}
    briefs = {ev_id: b for ev_id, (_, b) in per_event.items()}
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


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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

    def summary(self) -> str:
        skipped = sum(1 for p in self.problems if p.skipped)
        return (
            f"run {self.run_id}: {self.articles_read} articles read, {self.articles_new} new, "
            f"{self.analysed} analysed, {self.events_touched} events updated "
            f"({self.events_total} in store), {len(self.problems)} input problems ({skipped} skipped)"
        )
