"""The single-machine engine: spaCy worker processes for linguistics, events in this process
or, with `n_process > 1`, in a pool of forked worker processes.

Linguistics with `n_process > 1` runs in `linguistics.analyze_articles`' own pool: each worker
holds one model for its lifetime (inherited on fork from this process, which loads it once) and
does the Python post-processing of its chunk too, so both cores do all of the per-article work.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..linguistics import analyze_articles
from ..records import Article, ArticleAnalysis, Brief, DedupResult, Event, EventVerification
from . import dedup_by_event, largest_first, load_model, task_groups

if TYPE_CHECKING:
    from ..pipeline import EventCheck, EventTask, PipelineSettings, Progress

MIN_EVENTS_FOR_POOL = 8  # below this, forking workers costs more than it saves

_EVENT_SETTINGS: "PipelineSettings | None" = None


def _event_worker_init(settings: "PipelineSettings") -> None:
    global _EVENT_SETTINGS
    _EVENT_SETTINGS = settings


def _event_task(
    task: tuple[Event, dict[str, Article], dict[str, ArticleAnalysis], DedupResult],
) -> tuple[str, tuple[EventVerification, Brief]]:
    from ..pipeline import analyze_event

    event, articles, analyses, dedup = task
    assert _EVENT_SETTINGS is not None
    return event.id, analyze_event(event, articles, analyses, dedup, _EVENT_SETTINGS)


def _check_task(task: "EventTask") -> "EventCheck":
    from ..pipeline import check_event

    assert _EVENT_SETTINGS is not None
    return check_event(task, _EVENT_SETTINGS)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class LocalEngine:
    def __init__(self, settings: "PipelineSettings") -> None:
        self.settings = settings

    def analyze_articles(
        self, articles: list[Article], *, progress: "Progress"
    ) -> dict[str, ArticleAnalysis]:
        model = load_model(self.settings.model)  # once, in this process; forked workers inherit it
        out: dict[str, ArticleAnalysis] = {}
        for analysis in analyze_articles(
            articles, nlp=model, batch_size=self.settings.batch_size, n_process=self.settings.n_process
        ):
            out[analysis.article_id] = analysis
            progress("linguistics", len(out), len(articles))
        return out

    def analyze_events(
        self,
        events: list[Event],
        articles: dict[str, Article],
        analyses: dict[str, ArticleAnalysis],
        dedup: DedupResult,
        *,
        progress: "Progress",
    ) -> dict[str, tuple[EventVerification, Brief]]:
        from ..pipeline import analyze_event

        subsets = dedup_by_event(dedup, events)
        out: dict[str, tuple[EventVerification, Brief]] = {}
        if self.settings.n_process > 1 and len(events) >= MIN_EVENTS_FOR_POOL and _can_fork():
            tasks = (
                (
                    event,
                    {a: articles[a] for a in event.article_ids if a in articles},
                    {a: analyses[a] for a in event.article_ids if a in analyses},
                    subsets[event.id],
                )
                for event in largest_first(events)
            )
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(self.settings.n_process, initializer=_event_worker_init, initargs=(self.settings,)) as pool:
                # largest events first, one per task: balances the load; results go back in order below
                for done, (event_id, value) in enumerate(pool.imap_unordered(_event_task, tasks, chunksize=1), 1):
                    out[event_id] = value
                    progress("cross-check", done, len(events))
            return {event.id: out[event.id] for event in events}
        for done, event in enumerate(events, 1):
            out[event.id] = analyze_event(event, articles, analyses, subsets[event.id], self.settings)
            progress("cross-check", done, len(events))
        return out

    def check_events(self, tasks: Iterable["EventTask"], *, progress: "Progress") -> Iterator["EventCheck"]:
        """Events in `n_process` forked workers (one event per task, largest first within each
        group of tasks), or here when there is one process."""
        from ..pipeline import check_event

        if self.settings.n_process <= 1 or not _can_fork():
            for task in tasks:
                yield check_event(task, self.settings)
            return
        pool = multiprocessing.get_context("fork").Pool(
            self.settings.n_process, initializer=_event_worker_init, initargs=(self.settings,)
        )
        try:
            for group in task_groups(tasks):
                yield from pool.imap_unordered(_check_task, group, chunksize=1)
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()  # workers reaped here, so their CPU time counts as this process' children

    def close(self) -> None:
        return None
