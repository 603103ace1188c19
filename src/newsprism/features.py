"""Article representations for event clustering: zone-weighted TF-IDF over lemmas and entities.

Two steps, so that settings can change without re-reading the text:

1. ``extract_features(articles, analyses)`` -> one ``ArticleFeatures`` per article: raw counts of
   content lemmas and named entities in three zones (title, lead, body) plus the publication
   date. It takes the linguistics stage's ``ArticleAnalysis`` where one is given and runs a fast
   spaCy pass (no parser) only for the articles without one.
2. ``Vectorizer`` turns features into L2-normalised sparse rows. Lemmas and entities are two
   blocks, each TF-IDF weighted over the zones and normalised on its own, then concatenated
   with ``sqrt(weight)`` so that the dot product of two rows is
   ``(1 - w_ent) * cos(lemmas) + w_ent * cos(entities)``. Document frequencies are counted on the
   corpus being clustered (``DocumentFrequencies``, which the incremental clusterer updates).

Nothing here looks at ``source`` or ``url``; ``published`` is parsed into a date only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from . import nlp as nlp_module
from .readers.common import normalize_date
from .records import Article, ArticleAnalysis

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

ZONES = ("title", "lead", "body")
#: spaCy entity labels kept as entity features (DATE is reduced to years and "month year").
ENTITY_LABELS = frozenset({"PERSON", "GPE", "LOC", "ORG", "FAC", "NORP", "EVENT", "DATE"})
TITLE_MAX_WORDS = 25  # a first line this short, followed by more text, is taken as the headline
SNIPPET_WORDS = 14  # words of the text shown as an event's title when no member has a headline

_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_SPACE = re.compile(r"\s+")
_ENTITY_TRIM = re.compile(r"^(the|a|an)\s+|['\u2019]s?$")
# titles before a name ("Dr Mark Vinar", "Gov. Palin") and "Mt" for "Mount": one key per name
_HONORIFIC = re.compile(
    r"^(dr|mr|mrs|ms|gov|sen|rep|president|judge|sir|prof|gen|lt|capt|sgt|officer|coach)\.?\s+"
)
_MOUNT = re.compile(r"^mt\.?\s+")


def parse_date(text: str | None) -> dt.date | None:
    """The calendar date of ``Article.published`` (ISO 8601 from the readers, or a raw dateline
    such as "Published: April 10, 2007 - 7:07AM"); None when it names no full date."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    iso = normalize_date(text)
    return dt.date.fromisoformat(iso[:10]) if iso else None


@dataclass(slots=True)
class ArticleFeatures:
    """Raw per-zone counts of content lemmas and entity keys of one article (no weighting)."""

    article_id: str
    title: str = ""  # the headline (or the first short line standing in for it)
    date: dt.date | None = None
    snippet: str = ""  # the first words of the text, shown when no headline exists
    terms: dict[str, dict[str, int]] = field(default_factory=dict)  # zone -> lemma -> count
    entities: dict[str, dict[str, int]] = field(default_factory=dict)  # zone -> entity key -> count

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "snippet": self.snippet,
            "terms": self.terms,
            "entities": self.entities,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArticleFeatures:
        date = data.get("date")
        return cls(
            article_id=data["article_id"],
            title=data.get("title", ""),
            date=dt.date.fromisoformat(date) if date else None,
            snippet=data.get("snippet", ""),
            terms={z: dict(c) for z, c in data.get("terms", {}).items()},
            entities={z: dict(c) for z, c in data.get("entities", {}).items()},
        )


# --------------------------------------------------------------------------- extraction


def headline(article: Article) -> str:
    """The article's title, or its first line when that is short and more text follows."""
    if article.title.strip():
        return _SPACE.sub(" ", article.title).strip()
    text = article.text.lstrip()
    first, sep, rest = text.partition("\n")
    if sep and rest.strip() and 0 < len(first.split()) <= TITLE_MAX_WORDS:
        if nlp_module.looks_tokenized(text):
            first = nlp_module.detokenize(first)
        return _SPACE.sub(" ", first).strip()
    return ""


def _normal_text(text: str) -> str:
    return nlp_module.detokenize(text) if nlp_module.looks_tokenized(text) else text


def entity_keys(text: str, label: str) -> list[str]:
    """Normalised feature keys of one entity mention.

    Names are lower-cased without a leading article, a title ("Dr", "Gov.") or a possessive,
    "Mt" reads "mount"; a multi-word PERSON also
    yields its last word ("lindsay lohan" and "lohan" meet). A DATE yields only what pins it to
    the calendar: its years and "month year" ("december 2008"); "Friday" or "last week" yield
    nothing.
    """
    norm = _SPACE.sub(" ", text.lower()).strip(" .,;:\"'\u201c\u201d")
    norm = _ENTITY_TRIM.sub("", norm).strip()
    norm = _MOUNT.sub("mount ", _HONORIFIC.sub("", norm))
    if not norm:
        return []
    if label == "DATE":
        keys = [f"year:{y}" for y in _YEAR_RE.findall(norm)]
        month = re.search(_MONTH_RE + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+(\d{4})", norm)
        if month:
            keys.append(f"month:{month.group(1)[:3]} {month.group(2)}")
        return keys
    keys = [norm]
    if label == "PERSON" and " " in norm:
        keys.append(norm.rsplit(" ", 1)[1])
    return keys


def _zone_of(start: int, title_end: int, lead_end: int) -> tuple[str, ...]:
    """Zones a character offset counts in: the title line, the lead (after it) and the body."""
    if start < title_end:
        return ("title",)
    if start < lead_end:
        return ("lead", "body")
    return ("body",)


def _empty_zones() -> dict[str, Counter]:
    return {zone: Counter() for zone in ZONES}


def features_from_doc(article: Article, doc: Doc, text: str, *, lead_chars: int) -> ArticleFeatures:
    """Features of an article from a spaCy ``Doc`` of ``text`` (title line first if it is separate)."""
    title = headline(article)
    title_end, lead_end = _title_lead_bounds(article, text, title, lead_chars)
    terms, entities = _empty_zones(), _empty_zones()
    for token in doc:
        if token.is_alpha and not token.is_stop:  # the linguistics stage's content lemmas
            for zone in _zone_of(token.idx, title_end, lead_end):
                terms[zone][token.lemma_.lower()] += 1
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        for key in entity_keys(ent.text, ent.label_):
            for zone in _zone_of(ent.start_char, title_end, lead_end):
                entities[zone][key] += 1
    return _finish(article, title, terms, entities)


def features_from_analysis(article: Article, analysis: ArticleAnalysis, *, lead_chars: int) -> ArticleFeatures:
    """Features of an article from the linguistics stage's analysis (no model run)."""
    title = headline(article)
    terms, entities = _empty_zones(), _empty_zones()
    separate_title = bool(article.title.strip())
    if separate_title:
        terms["title"].update(analysis.title_lemmas)
    # the analysis indexes the cleaned text, where a headline standing in for a missing title
    # is the first line
    title_end = 0
    if title and not separate_title:
        title_end = article.text.find("\n", len(article.text) - len(article.text.lstrip())) + 1
    lead_end = title_end + lead_chars
    for sentence in analysis.sentences:
        zones = _zone_of(sentence.start, title_end, lead_end)
        for lemma in sentence.lemmas:
            for zone in zones:
                terms[zone][lemma] += 1
        for text, label in sentence.entities:
            if label not in ENTITY_LABELS:
                continue
            for key in entity_keys(text, label):
                for zone in zones:
                    entities[zone][key] += 1
    if separate_title:
        title_lower = article.title.lower()
        for text, label in analysis.entities:
            if label in ENTITY_LABELS and text.lower() in title_lower:
                for key in entity_keys(text, label):
                    entities["title"][key] += 1
    return _finish(article, title, terms, entities)


def _title_lead_bounds(article: Article, text: str, title: str, lead_chars: int) -> tuple[int, int]:
    """Character offsets in ``text`` where the title ends and the lead ends."""
    if article.title.strip():
        title_end = len(title) + 1  # ``text`` is "title\n\nbody" (see _doc_text)
    elif title:
        title_end = text.find("\n") + 1
    else:
        title_end = 0
    return title_end, title_end + lead_chars


def _doc_text(article: Article) -> str:
    """The text the fast spaCy pass reads: the separate title (if any), then the body."""
    body = _normal_text(article.text)
    title = article.title.strip()
    return f"{_SPACE.sub(' ', title)}\n\n{body}" if title else body.lstrip()


def snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    """The first ``words`` words of a text, with an ellipsis when cut."""
    parts = _normal_text(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _finish(article: Article, title: str, terms: dict[str, Counter], entities: dict[str, Counter]) -> ArticleFeatures:
    return ArticleFeatures(
        article_id=article.id,
        title=title,
        date=parse_date(article.published),
        snippet="" if title else snippet(article.text),
        terms={zone: dict(terms[zone]) for zone in ZONES if terms[zone]},
        entities={zone: dict(entities[zone]) for zone in ZONES if entities[zone]},
    )


def extract_features(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis] | Iterable[ArticleAnalysis] | None = None,
    *,
    lead_chars: int = 400,
    nlp: Language | None = None,
    batch_size: int = 32,
) -> list[ArticleFeatures]:
    """Features of every article, in order: from its analysis when given, else from a fast
    spaCy pass (tagger, lemmatizer and NER; the parser is not run)."""
    by_id = _analyses_by_id(analyses)
    out: list[ArticleFeatures | None] = [None] * len(articles)
    missing: list[int] = []
    for i, article in enumerate(articles):
        analysis = by_id.get(article.id)
        if analysis is not None and analysis.sentences:
            out[i] = features_from_analysis(article, analysis, lead_chars=lead_chars)
        else:
            missing.append(i)
    if missing:
        nlp = nlp or fast_nlp()
        texts = [_doc_text(articles[i]) for i in missing]
        for i, text, doc in zip(missing, texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
            out[i] = features_from_doc(articles[i], doc, text, lead_chars=lead_chars)
    return [f for f in out if f is not None]


def fast_nlp(model: str | None = None) -> Language:
    """The configured spaCy pipeline without the parser (lemmas and entities only)."""
    return nlp_module.load(model, disable=("parser",))


def _analyses_by_id(
    analyses: Mapping[str, ArticleAnalysis] | Iterable[ArticleAnalysis] | None,
) -> dict[str, ArticleAnalysis]:
    if analyses is None:
        return {}
    if isinstance(analyses, Mapping):
        return dict(analyses)
    return {a.article_id: a for a in analyses}


# --------------------------------------------------------------------------- vectorising


@dataclass(slots=True)
class DocumentFrequencies:
    """Document frequencies of feature keys over the corpus seen so far (for IDF).

    ``min_docs``: a corpus smaller than this counts as this large, as if the missing documents
    held none of its words. Five reports of one event are a sample of a bigger stream: a word
    in all five ("Aleppo") is not thereby generic, and without this shrinkage such a corpus
    weights words shared by all its reports below words only one of them uses.
    """

    n_docs: int = 0
    counts: Counter = field(default_factory=Counter)
    min_docs: int = 0

    def add(self, features: Iterable[ArticleFeatures]) -> None:
        for f in features:
            self.n_docs += 1
            self.counts.update(feature_keys(f))

    def idf(self, key: str) -> float:
        """Smoothed IDF, ``log((1 + N) / (1 + df)) + 1`` (scikit-learn's), N at least ``min_docs``."""
        n = max(self.n_docs, self.min_docs)
        return math.log((1 + n) / (1 + self.counts.get(key, 0))) + 1.0


def feature_keys(f: ArticleFeatures) -> set[str]:
    keys = {"t:" + k for zone in f.terms.values() for k in zone}
    keys.update("e:" + k for zone in f.entities.values() for k in zone)
    return keys


@dataclass(frozen=True, slots=True)
class VectorWeights:
    title: float
    lead: float
    body: float
    entities: float  # share of the entity block in the similarity (0..1)
    sublinear_tf: bool = True


class Vectorizer:
    """Sparse L2-normalised rows over a growing vocabulary; see the module docstring."""

    def __init__(self, weights: VectorWeights, df: DocumentFrequencies) -> None:
        self.weights = weights
        self.df = df
        self.vocab: dict[str, int] = {}
        self.keys: list[str] = []  # column -> feature key

    def _column(self, key: str) -> int:
        j = self.vocab.get(key)
        if j is None:
            j = self.vocab[key] = len(self.keys)
            self.keys.append(key)
        return j

    def _block(self, features: Sequence[ArticleFeatures], prefix: str, attr: str, share: float) -> sp.csr_matrix:
        """One block (lemmas or entities): zone-weighted TF, sublinear, times IDF, rows scaled to
        length ``sqrt(share)``."""
        w = self.weights
        zone_w = {"title": w.title, "lead": w.lead, "body": w.body}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        column = self._column
        for i, f in enumerate(features):
            for zone, counts in getattr(f, attr).items():
                weight = zone_w[zone]
                if weight <= 0:
                    continue
                for key, count in counts.items():
                    rows.append(i)
                    cols.append(column(prefix + key))
                    vals.append(weight * count)
        n = len(features)
        m = sp.csr_matrix(
            (np.asarray(vals, dtype=np.float64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(n, len(self.keys)),
        )
        m.sum_duplicates()  # a key in several zones: its weighted counts add up
        data = m.data
        if w.sublinear_tf:
            big = data >= 1
            data[big] = 1.0 + np.log(data[big])
        used = np.unique(m.indices)
        idf = np.zeros(len(self.keys))
        idf[used] = [self.df.idf(self.keys[c]) for c in used.tolist()]
        data *= idf[m.indices]
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        scale = np.divide(math.sqrt(share), norms, out=np.zeros_like(norms), where=norms > 0)
        return sp.diags(scale) @ m

    def transform(self, features: Sequence[ArticleFeatures]) -> sp.csr_matrix:
        """Rows for ``features`` (the vocabulary grows as needed; earlier columns stay put).

        Rows are normalised to unit length, so that an article with no entities is compared on
        its lemmas alone.
        """
        w = self.weights
        blocks = [
            self._block(features, prefix, attr, share)
            for prefix, attr, share in (("t:", "terms", 1.0 - w.entities), ("e:", "entities", w.entities))
            if share > 0
        ]
        width = max(len(self.keys), 1)
        matrix = sp.csr_matrix((len(features), width))
        for block in blocks:
            block = block.tocsr()
            block.resize((len(features), width))
            matrix = matrix + block
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        matrix = (sp.diags(scale) @ matrix).tocsr()
        matrix.sort_indices()
        return matrix
