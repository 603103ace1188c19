"""The single-machine engine: spaCy worker processes for linguistics, events in this process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..linguistics import analyze_articles
from ..records import Article, ArticleAnalysis, Brief, DedupResult, Event, EventVerification
from . import dedup_subset

if TYPE_CHECKING:
    from ..pipeline import PipelineSettings, Progress


class LocalEngine:
    def __init__(self, settings: "PipelineSettings") -> None:
        self.settings = settings

    def analyze_articles(
        self, articles: list[Article], *, progress: "Progress"
    ) -> dict[str, ArticleAnalysis]:
        from .. import nlp

        model = nlp.load(self.settings.model)
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

        out = {}
        for done, event in enumerate(events, 1):
            subset = dedup_subset(dedup, set(event.article_ids))
            out[event.id] = analyze_event(event, articles, analyses, subset, self.settings)
            progress("cross-check", done, len(events))
        return out

    def close(self) -> None:
        return None
