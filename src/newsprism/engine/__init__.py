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
