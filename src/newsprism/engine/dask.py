"""Dask distributed engine: `newsprism analyze --engine dask --scheduler tcp://HOST:8786`.

Per-article linguistics runs as one task per chunk of articles (each worker process loads the
spaCy model once and keeps it: `nlp.load` is cached per process); per-event cross-checking and
briefs run as one task per event, shipped only that event's articles, analyses and duplicate
links. The tasks call the same pure functions as the local engine, so results are identical.

Without `--scheduler`, a `distributed.LocalCluster` of two single-threaded worker processes is
started on this machine (handy for testing; on a real cluster, start `dask scheduler` and
`dask worker tcp://SCHEDULER:8786 --nthreads 1` on each machine with newsprism and the model
installed, then pass the scheduler address).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Article, ArticleAnalysis, Brief, DedupResult, Event, EventVerification
from . import dedup_subset

if TYPE_CHECKING:
    from ..pipeline import PipelineSettings, Progress

CHUNK = 64  # articles per linguistics task: large enough to amortise spaCy's batching


def _analyze_chunk(articles: list[Article], model: str | None, batch_size: int) -> list[ArticleAnalysis]:
    from .. import nlp
    from ..linguistics import analyze_articles

    return list(analyze_articles(articles, nlp=nlp.load(model), batch_size=batch_size, n_process=1))


def _analyze_event(
    event: Event,
    articles: dict[str, Article],
    analyses: dict[str, ArticleAnalysis],
    dedup: DedupResult,
    settings: "PipelineSettings",
) -> tuple[str, tuple[EventVerification, Brief]]:
    from ..pipeline import analyze_event

    return event.id, analyze_event(event, articles, analyses, dedup, settings)


class DaskEngine:
    def __init__(self, settings: "PipelineSettings") -> None:
        from distributed import Client, LocalCluster

        self.settings = settings
        self._cluster = None
        if settings.scheduler:
            self.client = Client(settings.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self._cluster)

    def analyze_articles(
        self, articles: list[Article], *, progress: "Progress"
    ) -> dict[str, ArticleAnalysis]:
        from distributed import as_completed

        chunks = [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
        futures = self.client.map(
            _analyze_chunk,
            chunks,
            model=self.settings.model,
            batch_size=self.settings.batch_size,
            pure=False,
        )
        out: dict[str, ArticleAnalysis] = {}
        for future in as_completed(futures):
            for analysis in future.result():
                out[analysis.article_id] = analysis
            progress("linguistics", len(out), len(articles))
        # Same key order as the local engine, so downstream iteration is identical.
        return {a.id: out[a.id] for a in articles if a.id in out}

    def analyze_events(
        self,
        events: list[Event],
        articles: dict[str, Article],
        analyses: dict[str, ArticleAnalysis],
        dedup: DedupResult,
        *,
        progress: "Progress",
    ) -> dict[str, tuple[EventVerification, Brief]]:
        from distributed import as_completed

        futures = []
        for event in events:
            ids = set(event.article_ids)
            futures.append(
                self.client.submit(
                    _analyze_event,
                    event,
                    {a: articles[a] for a in event.article_ids if a in articles},
                    {a: analyses[a] for a in event.article_ids if a in analyses},
                    dedup_subset(dedup, ids),
                    self.settings,
                    pure=False,
                )
            )
        results: dict[str, tuple[EventVerification, Brief]] = {}
        for done, future in enumerate(as_completed(futures), 1):
            event_id, value = future.result()
            results[event_id] = value
            progress("cross-check", done, len(events))
        return {event.id: results[event.id] for event in events}

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
