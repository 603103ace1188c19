"""Typed records passed between pipeline stages.

Every stage is a function (or a fit/transform object) over these records; nothing here does any
work beyond (de)serialisation. Records are plain dataclasses so they pickle for worker
processes and Dask, and round-trip through JSON for the SQLite store via ``to_dict``/``from_dict``.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

T = TypeVar("T")


def to_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record (nested dataclasses become dicts).

    The same result as ``dataclasses.asdict`` (fresh lists and dicts, tuples stay tuples, nested
    records as dicts) several times faster: the store converts every article's analysis, and
    asdict looks the fields up and deep-copies every leaf, every call.
    """
    cls = type(record)
    convert = _CONVERTERS.get(cls)
    if convert is None:
        if not hasattr(cls, "__dataclass_fields__") or isinstance(record, type):
            raise TypeError("to_dict() should be called on dataclass instances")  # as asdict does
        convert = _converter(cls)
    return convert(record)


# immutable leaves, shared as they are (asdict deep-copies them, which returns them unchanged)
_ATOMIC = frozenset({str, int, float, bool, type(None)})
# per dataclass: a function turning one of its instances into a dict, compiled once
_CONVERTERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _converter(cls: type) -> Callable[[Any], dict[str, Any]]:
    """Compile ``{"a": obj.a, "b": _convert(obj.b), ...}`` for ``cls``, each value passed as is
    when atomic (as dataclasses compiles ``__init__``: a dict display is several times faster
    than looping over the fields)."""
    items = ", ".join(
        f"{f.name!r}: _v if type(_v := obj.{f.name}) in _ATOMIC else _convert(_v)"
        for f in dataclasses.fields(cls)
    )
    namespace: dict[str, Any] = {"_ATOMIC": _ATOMIC, "_convert": _convert}
    exec(f"def convert(obj):\n    return {{{items}}}", namespace)
    _CONVERTERS[cls] = namespace["convert"]
    return namespace["convert"]


def _convert(value: Any) -> Any:
    """``dataclasses.asdict``'s conversion of any value, with fast paths for what records hold."""
    cls = type(value)
    if cls in _ATOMIC:
        return value
    convert = _CONVERTERS.get(cls)
    if convert is not None:
        return convert(value)
    if cls is list:
        if not value:
            return []
        return [v if type(v) in _ATOMIC else _convert(v) for v in value]
    if cls is tuple:
        return tuple([v if type(v) in _ATOMIC else _convert(v) for v in value])
    if cls is dict:
        return {
            (k if type(k) in _ATOMIC else _convert(k)): (v if type(v) in _ATOMIC else _convert(v))
            for k, v in value.items()
        }
    if hasattr(cls, "__dataclass_fields__"):  # a record (tested as asdict does) not seen before
        return _converter(cls)(value)
    # anything else exactly as asdict does it (subclasses keep their type, the rest is deep-copied)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # namedtuple
        return cls(*[_convert(v) for v in value])
    if isinstance(value, (list, tuple)):
        return cls(_convert(v) for v in value)
    if isinstance(value, dict):
        return cls((_convert(k), _convert(v)) for k, v in value.items())
    return copy.deepcopy(value)


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a record (and its nested records) from ``to_dict`` output; unknown keys are ignored."""
    loader = _LOADERS.get(cls) or _loader(cls)
    if data.keys() == loader.fields.keys():  # all fields and no others, as to_dict writes: compiled
        return loader.build(data)
    fields = loader.fields
    return cls(**{name: _field(value, *fields[name]) for name, value in data.items() if name in fields})


def _field(value: Any, nested: type | None = None, as_tuple: bool = False) -> Any:
    """One field's value from ``to_dict`` output; ``nested`` is the record class it holds (alone or
    in a list or tuple), if any. The compiled builders inline the plain-field case."""
    if nested is not None and value is not None:
        if isinstance(value, (list, tuple)):
            value = [from_dict(nested, v) for v in value]
        else:
            value = from_dict(nested, value)
    elif isinstance(value, list) and value and isinstance(value[0], list):
        value = [tuple(v) for v in value]  # JSON's lists of lists (entity pairs): lists of tuples again
    # JSON has no tuples: restore fields declared as tuples (frozen records must stay hashable)
    if as_tuple and isinstance(value, list):
        value = tuple(value)
    return value


class _Loader(typing.NamedTuple):
    fields: dict[str, tuple[type | None, bool]]  # name -> (record class it holds, declared a tuple)
    build: Callable[[dict[str, Any]], Any]  # the record from a dict holding exactly its fields


_LOADERS: dict[type, _Loader] = {}


def _loader(cls: type) -> _Loader:
    """Read ``cls``'s fields once: the nested record classes come from the type hints
    (``list[Quantity]``), so a new record needs no registration; and compile
    ``cls(a=_field(data["a"]), b=_field(data["b"], Quantity, False), ...)`` (as dataclasses
    compiles ``__init__``), a third faster than building keyword arguments in a loop."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # unresolvable annotations: no nested records to rebuild
        hints = {}
    fields = {
        f.name: (_record_type(hints.get(f.name)), str(f.type).startswith("tuple"))
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
    }
    namespace: dict[str, Any] = {"cls": cls, "_field": _field}
    args = []
    for i, (name, (nested, as_tuple)) in enumerate(fields.items()):
        if nested is None and not as_tuple:  # a plain field: _field's test for a list of lists, inlined
            pairs = f"isinstance(_v := data[{name!r}], list) and _v and isinstance(_v[0], list)"
            args.append(f"{name}=_field(_v) if {pairs} else _v")
        else:
            namespace[f"_nested{i}"] = nested
            args.append(f"{name}=_field(data[{name!r}], _nested{i}, {as_tuple})")
    exec(f"def build(data):\n    return cls({', '.join(args)})", namespace)
    _LOADERS[cls] = loader = _Loader(fields, namespace["build"])
    return loader


def _record_type(hint: Any) -> type | None:
    """The record class a field holds: ``X``, ``X | None``, ``list[X]`` or ``tuple[X, ...]``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        args = tuple(a for a in args if a is not type(None))
        return _record_type(args[0]) if len(args) == 1 else None
    if origin in (list, tuple):
        args = tuple(a for a in args if a is not Ellipsis)
        return args[0] if len(args) == 1 and _is_record(args[0]) else None
    return hint if _is_record(hint) else None


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


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

