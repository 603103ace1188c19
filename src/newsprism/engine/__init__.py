"""Where the per-article and per-event work runs: this process (plus spaCy worker processes),
or a Dask distributed cluster. Both engines run the same pure stage functions, so their
outputs are identical; only the placement differs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ..records import Article, ArticleAnalysis, Brief, DedupResult, Event, EventVerification

if TYPE_CHECKING:
    from ..pipeline import PipelineSettings, Progress


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

    def close(self) -> None: ...


def get_engine(settings: "PipelineSettings") -> Engine:
    if settings.engine == "dask":
        from .dask import DaskEngine

        return DaskEngine(settings)
    from .local import LocalEngine

    return LocalEngine(settings)


def dedup_subset(dedup: DedupResult, ids: set[str]) -> DedupResult:
    """The duplicate links and shared passages among `ids` only (what one event needs)."""
    return DedupResult(
        links=[l for l in dedup.links if l.copy in ids and l.original in ids],
        passages=[p for p in dedup.passages if p.article_a in ids and p.article_b in ids],
    )
