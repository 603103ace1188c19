"""Typed records passed between pipeline stages.

Every stage is a function (or a fit/transform object) over these records; nothing here does any
work beyond (de)serialisation. Records are plain dataclasses so they pickle for worker
processes and Dask, and round-trip through JSON for the SQLite store via ``to_dict``/``from_dict``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

T = TypeVar("T")


def to_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record (nested dataclasses become dicts)."""
    return dataclasses.asdict(record)


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a record (and its nested records) from ``to_dict`` output; unknown keys are ignored."""
    hints = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name not in hints:
            continue
        nested = _NESTED.get((cls.__name__, name))
        if nested is not None and value is not None:
            if isinstance(value, (list, tuple)):
                value = [from_dict(nested, v) for v in value]
            else:
                value = from_dict(nested, value)
        elif isinstance(value, list) and value and isinstance(value[0], list):
            value = [tuple(v) for v in value]
        # JSON has no tuples: restore fields declared as tuples (frozen records must stay hashable)
        if isinstance(value, list) and str(hints[name].type).startswith("tuple"):
            value = tuple(value)
        kwargs[name] = value
    return cls(**kwargs)


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an article came from: the input file and, inside it, the line or record."""

    path: str
    line: int | None = None  # 1-based line (JSONL) where the record starts
    record: str | None = None  # record inside a container: WARC-Record-ID, feed entry id, URL

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.record:
            where += f"#{self.record}"
        return where


@dataclass(slots=True)
class Article:
    """One news report, as read from its input and (after ``clean``) with boilerplate removed.

    ``id`` is content-based (see ``newsprism.ids.article_id``) so re-reading the same input
    gives the same id; ``external_id`` is the id the input itself gave, if any.
    """

    id: str
    title: str
    text: str
    origin: Origin
    source: str | None = None  # outlet name, e.g. "The Independent"
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime when known
    external_id: str | None = None
    event_hint: str | None = None  # the input's own `event` field (for --events given / eval)
    label: str | None = None  # the input's own `label` field (real/fake, for eval only)
    language: str | None = None
    removed: list[str] = field(default_factory=list)  # boilerplate lines removed by cleaning
    source_inferred: bool = False  # True when `source` was inferred from the text


ProblemKind = Literal[
    "empty",
    "binary",
    "truncated",
    "encoding",
    "too_large",
    "malformed",
    "missing_field",
    "non_english",
    "unreadable",
    "unsupported",
]


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A problem with one input file or record. ``skipped`` says whether the record was lost
    (e.g. a malformed JSON line) or kept with a warning (e.g. decoded from cp1252)."""

    path: str
    kind: ProblemKind
    message: str
    line: int | None = None
    skipped: bool = True

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        verb = "skipped" if self.skipped else "warning"
        return f"{where}: {verb}: {self.kind}: {self.message}"


# --------------------------------------------------------------------------- deduplication


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    """``copy`` is an exact or near copy of ``original`` (the earlier / longer one)."""

    copy: str
    original: str
    kind: Literal["exact", "near"]
    similarity: float  # estimated Jaccard of word shingles


@dataclass(frozen=True, slots=True)
class SharedPassage:
    """A passage (paragraph, sentence or quote) that appears in both articles."""

    article_a: str
    article_b: str
    text: str  # the passage as it stands in article_a
    start_a: int  # character offsets into the cleaned text of each article
    end_a: int
    start_b: int
    end_b: int
    similarity: float


@dataclass(slots=True)
class DedupResult:
    links: list[DuplicateLink] = field(default_factory=list)
    passages: list[SharedPassage] = field(default_factory=list)

    def copy_of(self) -> dict[str, str]:
        """Map each copy to the article it copies (transitively to the first original)."""
        parent = {link.copy: link.original for link in self.links}
        resolved: dict[str, str] = {}
        for copy in parent:
            root, seen = copy, set()
            while root in parent and root not in seen:
                seen.add(root)
                root = parent[root]
            resolved[copy] = root
        return resolved


# --------------------------------------------------------------------------- linguistics


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure in a sentence, normalised so figures about the same thing compare.

    ``unit`` is a canonical unit ("km2", "km", "hour", "day", "percent", "usd") or, for counts,
    the lemma of the counted noun ("civilian", "execution", "body"). ``low``/``high`` is the
    interval the qualifier allows ("nearly 200" -> 180..200, "at least 79" -> 79..inf).
    """

    text: str
    value: float
    unit: str
    qualifier: str | None = None  # nearly | at_least | at_most | more_than | less_than | about | up_to
    low: float | None = None
    high: float | None = None
    char_start: int = 0  # offsets inside the sentence text
    char_end: int = 0
    # count | area | length | duration | percent | currency | mass | number (no unit found)
    dimension: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a sentence says said it."""

    speaker: str
    kind: str  # said | according_to | told | reported | quote | tweeted | claims
    verb: str | None = None
    quoted: bool = False  # the sentence carries a direct quotation
    role: str | None = None  # the speaker's role as written: "spokesman", "director of hospitals for ..."
    via: str | None = None  # the outlet relaying it: "CNN" in "X told CNN" / "CNN quoted X as saying"
    anonymous: bool = False  # an unnamed source: "a military source", "activists", "media reports"
    mention: str | None = None  # the words that named the speaker when resolved ("he", "his spokesman")


@dataclass(slots=True)
class SentenceInfo:
    """One sentence of a cleaned article with what the linguistics stage found in it."""

    index: int
    text: str
    start: int  # character offsets into Article.text
    end: int
    lemmas: list[str] = field(default_factory=list)  # lower-cased content lemmas (no stop/punct)
    entities: list[tuple[str, str]] = field(default_factory=list)  # (text, spaCy label)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # DATE/TIME entity texts
    attribution: Attribution | None = None
    quotes: list[str] = field(default_factory=list)  # text inside quotation marks
    hedges: list[str] = field(default_factory=list)  # "unconfirmed reports", "claims", ...
    negated: bool = False
    question: bool = False
    loaded_terms: list[str] = field(default_factory=list)  # emotive/evaluative words found
    subjectivity: float = 0.0  # 0..1, share of evaluative language
    # loaded words that are someone else's language: inside a quotation, or a contested term
    # ("genocide") in a sentence attributed to a speaker; kept apart so the outlet's own voice
    # (`loaded_terms`) can be scored on its own
    quoted_loaded_terms: list[str] = field(default_factory=list)
    speculation: list[str] = field(default_factory=list)  # "likely to", "may soon", ... (own voice)
    opinion: bool = False  # own-voice opinion: unattributed and evaluative/speculative/rhetorical
    paragraph: int = 0  # paragraph index in the article (paragraphs split at blank lines)


@dataclass(slots=True)
class ArticleAnalysis:
    """Per-article linguistics: cacheable, independent of every other article."""

    article_id: str
    sentences: list[SentenceInfo] = field(default_factory=list)
    title_lemmas: list[str] = field(default_factory=list)
    entities: list[tuple[str, str]] = field(default_factory=list)  # whole-article, in order
    language: str = "en"
    model: str = ""  # spaCy model name@version that produced it


# --------------------------------------------------------------------------- verification

SentenceLabel = Literal["corroborated", "single-source", "conflicting", "unsupported", "opinion"]


@dataclass(frozen=True, slots=True)
class SentenceRef:
    article: str
    index: int


@dataclass(frozen=True, slots=True)
class FigureVariant:
    value: str  # the figure as written ("no less than 80,000")
    normalized: str  # "80000 civilian (>=)"
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    speakers: tuple[str, ...]
    sentences: tuple[SentenceRef, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A disputed figure (or polarity) in an event, with its variants side by side."""

    topic: str  # what is disputed: "civilians trapped", "area of the pocket", ...
    unit: str
    variants: tuple[FigureVariant, ...]
    kind: Literal["figure", "polarity"] = "figure"


@dataclass(slots=True)
class SentenceVerdict:
    index: int
    label: SentenceLabel
    suspicion: float  # 0..1, this sentence's contribution to its article's suspicion
    support: list[SentenceRef] = field(default_factory=list)
    conflicts_with: list[SentenceRef] = field(default_factory=list)
    independent_outlets: int = 0  # outlets supporting it, copies counted once
    opinion: bool = False
    loaded: bool = False
    reasons: list[str] = field(default_factory=list)
    components: dict[str, float] = field(default_factory=dict)  # suspicion components (suspicion.py), 0..1 each


@dataclass(slots=True)
class ArticleVerdict:
    article_id: str
    suspicion: float
    sentences: list[SentenceVerdict] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # human-readable, most important first
    opinion_share: float = 0.0
    support_share: float = 0.0
    drivers: list[int] = field(default_factory=list)  # indices of the sentences driving the score, most first
    features: dict[str, float] = field(default_factory=dict)  # the calibrated model's inputs (suspicion.FEATURES)


@dataclass(slots=True)
class EventVerification:
    event_id: str
    articles: list[ArticleVerdict] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


# --------------------------------------------------------------------------- events & briefs


@dataclass(slots=True)
class Event:
    id: str
    article_ids: list[str]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    article: str
    outlet: str
    index: int  # sentence index inside the article


@dataclass(slots=True)
class BriefSentence:
    text: str
    citations: list[Citation] = field(default_factory=list)
    date: str | None = None
    attribution: str | None = None  # attribution dropped by compression ("X said"), kept here


@dataclass(slots=True)
class Quote:
    speaker: str
    role: str | None
    text: str
    outlets: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)  # other wordings of the same quote (misquotes)


@dataclass(slots=True)
class Brief:
    event_id: str
    summary: list[BriefSentence] = field(default_factory=list)  # short, WCEP style
    brief: list[BriefSentence] = field(default_factory=list)  # longer
    key_facts: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[BriefSentence] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    standing_apart: list[dict[str, Any]] = field(default_factory=list)
    brief_short: list[BriefSentence] = field(default_factory=list)  # the smaller brief budget
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # disputed figures, reader-ready

    @property
    def summary_text(self) -> str:
        return " ".join(s.text for s in self.summary)


_NESTED: dict[tuple[str, str], type] = {
    ("Article", "origin"): Origin,
    ("DedupResult", "links"): DuplicateLink,
    ("DedupResult", "passages"): SharedPassage,
    ("SentenceInfo", "quantities"): Quantity,
    ("SentenceInfo", "attribution"): Attribution,
    ("ArticleAnalysis", "sentences"): SentenceInfo,
    ("FigureVariant", "sentences"): SentenceRef,
    ("Conflict", "variants"): FigureVariant,
    ("SentenceVerdict", "support"): SentenceRef,
    ("SentenceVerdict", "conflicts_with"): SentenceRef,
    ("ArticleVerdict", "sentences"): SentenceVerdict,
    ("EventVerification", "articles"): ArticleVerdict,
    ("EventVerification", "conflicts"): Conflict,
    ("BriefSentence", "citations"): Citation,
    ("Brief", "summary"): BriefSentence,
    ("Brief", "brief"): BriefSentence,
    ("Brief", "timeline"): BriefSentence,
    ("Brief", "brief_short"): BriefSentence,
    ("Brief", "quotes"): Quote,
}
