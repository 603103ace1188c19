"""Response models of the JSON API (they make /openapi.json describe every field)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Label = Literal["corroborated", "single-source", "conflicting", "unsupported", "opinion"]


class EventSummary(BaseModel):
    id: str
    title: str
    summary: str = Field(description="short summary from the event's brief")
    n_articles: int
    n_outlets: int
    outlets: list[str]
    date_from: str | None = Field(description="earliest publication day (YYYY-MM-DD)")
    date_to: str | None
    n_conflicts: int = Field(description="disputed figures / statements")
    n_suspicious: int = Field(description="articles at or above the app's suspicion threshold")
    max_suspicion: float | None


class Filters(BaseModel):
    q: str
    date_from: str | None
    date_to: str | None
    outlet: str | None


class SnippetPart(BaseModel):
    text: str
    match: bool


class ArticleHit(BaseModel):
    id: str
    title: str
    outlet: str
    published: str | None
    url: str | None = Field(description="http(s) URLs only; other schemes are dropped")
    event: str | None = None
    snippet: list[SnippetPart] = Field(default_factory=list, description="text around the match; match=true parts are the matched words")


class EventList(BaseModel):
    events: list[EventSummary]
    total: int
    page: int
    pages: int
    page_size: int
    filters: Filters
    outlets: list[str] = Field(description="every outlet in the store (for the filter)")
    matching_articles: list[ArticleHit]


class Citation(BaseModel):
    article: str
    outlet: str
    index: int | None = Field(description="sentence index in the article (anchor #s-INDEX)")


class BriefSentence(BaseModel):
    text: str
    attribution: str | None = Field(None, description="attribution dropped by compression")
    date: str | None = None
    citations: list[Citation]


class KeyFact(BaseModel):
    text: str
    attribution: str | None = None
    label: Label | None = None
    corroboration: int | None = Field(description="independent outlets carrying the fact")
    outlets: list[str]
    citations: list[Citation]


class QuoteOut(BaseModel):
    speaker: str
    role: str | None
    text: str
    outlets: list[str]
    articles: list[str]
    variants: list[str] = Field(description="other wordings of the same quote (misquotes)")


class BriefOut(BaseModel):
    summary: list[BriefSentence]
    brief: list[BriefSentence]
    key_facts: list[KeyFact]
    timeline: list[BriefSentence]
    quotes: list[QuoteOut]


class Ref(BaseModel):
    article: str
    index: int


class Variant(BaseModel):
    value: str
    normalized: str
    outlets: list[str]
    speakers: list[str]
    sentences: list[Ref]


class ConflictOut(BaseModel):
    topic: str
    unit: str
    kind: str
    variants: list[Variant]


class Coverage(BaseModel):
    outlets: list[str]
    facts: list[str]
    cells: list[list[bool]] = Field(description="cells[outlet][fact]: the outlet carries the fact")
    per_outlet: list[int]


class RankedArticle(BaseModel):
    id: str
    title: str
    outlet: str
    published: str | None
    url: str | None
    suspicion: float | None
    suspicious: bool
    reasons: list[str]
    opinion_share: float | None
    support_share: float | None
    label_counts: dict[str, int]
    duplicate_of: str | None


class FlaggedSentence(BaseModel):
    index: int
    text: str
    label: Label | None


class StandingApart(BaseModel):
    article: str | None
    title: str
    outlet: str
    suspicion: float | None
    reasons: list[str]
    sentences: list[FlaggedSentence] = Field(description="its most suspicious sentences")


class EventDetail(EventSummary):
    brief: BriefOut
    conflicts: list[ConflictOut]
    coverage: Coverage
    articles: list[RankedArticle] = Field(description="ranked by suspicion, most suspicious first")
    standing_apart: list[StandingApart]


class SentenceRefOut(BaseModel):
    article: str
    index: int
    outlet: str
    title: str
    text: str | None


class SentenceOut(BaseModel):
    index: int
    text: str
    new_paragraph: bool
    label: Label | None
    suspicion: float | None
    independent_outlets: int
    reasons: list[str]
    support: list[SentenceRefOut]
    conflicts_with: list[SentenceRefOut]
    shared_with: list[str] = Field(description="articles sharing a passage with this sentence")
    speaker: str | None


class EventRef(BaseModel):
    id: str
    title: str


class Duplicate(BaseModel):
    article: str
    relation: Literal["copy of", "copied by"]
    kind: str
    similarity: float
    title: str
    outlet: str


class Passage(BaseModel):
    other: str
    text: str
    similarity: float
    other_title: str
    other_outlet: str


class ArticleDetail(BaseModel):
    id: str
    title: str
    outlet: str
    source: str | None
    source_inferred: bool
    url: str | None = Field(description="as given by the input (untrusted; may be any scheme)")
    safe_url: str | None = Field(description="the URL if http(s), else null")
    published: str | None
    language: str | None
    event: EventRef | None
    suspicion: float | None
    suspicious: bool = Field(description="suspicion at or above the app's threshold")
    reasons: list[str]
    label_counts: dict[str, int]
    sentences: list[SentenceOut]
    paragraphs: list[str] = Field(description="the text, when the article was not analysed")
    removed: list[str] = Field(description="boilerplate lines removed by cleaning")
    duplicates: list[Duplicate]
    passages: list[Passage]


class SearchResult(BaseModel):
    query: str
    articles: list[ArticleHit]
    events: list[EventSummary]


class StageProgress(BaseModel):
    stage: str
    done: int
    total: int | None


class ProblemOut(BaseModel):
    file: str
    line: int | None
    kind: str
    message: str
    skipped: bool


class JobOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    files: list[str]
    created: float
    started: float | None
    finished: float | None
    stages: list[StageProgress]
    articles_read: int
    articles_new: int | None
    articles_processed: int
    events_touched: int | None
    events_total: int | None
    problems: list[ProblemOut]
    error: str | None
    done: bool


class UploadAccepted(BaseModel):
    job: str
    status_url: str
    page_url: str
    files: list[str]


class ErrorOut(BaseModel):
    detail: str
