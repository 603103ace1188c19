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
from ..records import Article, ArticleAnalysis
from . import load_model, task_groups

if TYPE_CHECKING:
    from ..pipeline import EventCheck, EventTask, PipelineSettings, Progress

_EVENT_SETTINGS: "PipelineSettings | None" = None


def _event_worker_init(settings: "PipelineSettings") -> None:
    global _EVENT_SETTINGS
    _EVENT_SETTINGS = settings


def _check_task(task: "EventTask") -> "EventCheck":
    from ..pipeline import check_event

    assert _EVENT_SETTINGS is not None
    return check_event(task, _EVENT_SETTINGS)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class LocalEngine:
    def __init__(self, settings: "PipelineSettings") -> None:
        self.settings = settings

    def iter_analyses(self, articles: list[Article]) -> Iterator[ArticleAnalysis]:
        model = load_model(self.settings.model)  # once, in this process; forked workers inherit it
        yield from analyze_articles(
            articles, nlp=model, batch_size=self.settings.batch_size, n_process=self.settings.n_process
        )

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
