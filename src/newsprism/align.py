"""Sentence alignment inside one event: which sentences of OTHER articles speak of the same fact.

For every sentence we build a small bag of evidence from its `SentenceInfo` (content lemmas,
named entities, figures, speaker, quoted text) and compare it with every sentence of the other
articles of the event:

* lexical similarity: cosine of TF-IDF vectors over content lemmas (IDF over the event's
  sentences, sub-linear term frequency), the classic "same words, weighted by rarity" measure;
* shared named entities (Jaccard of normalised entity keys), compatible figures (same unit class,
  overlapping intervals) and the same speaker, each adding a bonus;
* the same quoted upstream statement (high overlap of the quoted words) and verbatim re-use found
  by the dedup stage (`SharedPassage`) are recorded separately: they count as *one* upstream
  source, never as independent confirmation of the content.

Each `Match` also records what speaks *against* the two sentences meaning the same: a figure of
the same unit class whose interval does not overlap, opposite polarity (negation), and a named
actor or place that the other side replaces by a different one.

Nothing here decides labels: `newsprism.verify` does that from the matches.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from .records import Article, ArticleAnalysis, DedupResult, Quantity, SentenceInfo, SentenceRef

if TYPE_CHECKING:  # pragma: no cover
    from .verify import VerifySettings

# Entity labels that name actors, places and things (dates and numbers are handled as figures).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
SWAP_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})

_STOP = frozenset(
    """a an the and or but if then than that this these those there here of in on at to for from by with
    about as into over under after before between through during without within against among is are was
    were be been being am do does did doing have has had having will would shall should can could may might
    must it its it's he she they them his her their our we us you your i me my mine not no nor so such
    too very also just only own same other more most some any each few both all what which who whom whose
    when where why how said says say told tell according mr mrs ms dr""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+|\d+(?:[.,]\d+)*")
_QUOTE_WORD = re.compile(r"[a-z0-9]+")

# Counted nouns that report the same kind of figure (unit classes).
UNIT_CLASSES: dict[str, str] = {
    **{w: "people" for w in (
        "civilian", "civilians", "people", "person", "persons", "resident", "residents", "soul", "souls",
        "human", "humans", "human being", "human beings", "inhabitant", "inhabitants", "individual",
        "individuals", "citizen", "citizens", "villager", "villagers", "being", "beings",
    )},
    **{w: "killed" for w in (
        "execution", "executions", "executed", "killing", "killings", "killed", "death", "deaths", "dead",
        "fatality", "fatalities", "victim", "victims", "life", "lives", "murder", "murders",
    )},
    **{w: "injured" for w in ("injured", "injury", "injuries", "wounded", "casualty", "casualties")},
    "km2": "km2", "km": "km", "percent": "percent", "usd": "usd", "hour": "hour", "day": "day",
}

# Words near a counted-people figure that make it a death toll ("180 people have been executed").
KILL_CUES = frozenset(
    {"execute", "executed", "executing", "shot", "shoot", "kill", "killed", "die", "died", "dead", "slaughter",
     "slaughtered", "massacre", "massacred", "murder", "murdered", "behead", "beheaded", "burned", "burnt"}
)
THREAT_CUES = frozenset({"threaten", "threatened", "risk", "risking", "fear", "feared", "face", "facing", "could", "may"})


def normalize_text(text: str) -> str:
    """Lower-case ASCII-folded text with one space between words (for comparing names and quotes)."""
    if not text.isascii():  # ASCII text has nothing to decompose
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("-", " ").lower()
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


@functools.lru_cache(maxsize=65536)
def entity_key(text: str) -> str:
    key = normalize_text(text)
    for prefix in ("the ", "former ", "a "):
        if key.startswith(prefix):
            key = key[len(prefix):]
    return key


def content_terms(info: SentenceInfo) -> list[str]:
    """Content lemmas of a sentence; a crude fallback when the linguistics stage gave none."""
    if info.lemmas:
        return [t.lower() for t in info.lemmas if t and not t.isdigit()]
    terms = []
    for word in _WORD.findall(info.text.lower()):
        if word in _STOP or word.isdigit() or len(word) < 2:
            continue
        if word.endswith("s") and len(word) > 4 and not word.endswith("ss"):
            word = word[:-1]
        terms.append(word)
    return terms


def unit_class(q: Quantity) -> str:
    return UNIT_CLASSES.get(q.unit.lower(), q.unit.lower())


def figure_class(q: Quantity, sentence_text: str) -> str:
    """The unit class of a figure, moving counted people to `killed` when the clause says they
    were executed/shot/killed (and not merely threatened with it)."""
    cls = unit_class(q)
    if cls != "people":
        return cls
    tail = sentence_text[q.char_end:]
    tail = re.split(r"[.;\u201c\u201d\"]", tail, maxsplit=1)[0]
    words = re.findall(r"[a-z]+", tail.lower())[:22]
    for word in words:
        if word in THREAT_CUES:
            return cls
        if word in KILL_CUES:
            return "killed"
    return cls


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure with the interval used to compare it (open bounds closed by a slack)."""

    ref: SentenceRef
    quantity: Quantity
    cls: str
    low: float
    high: float


def figure_interval(q: Quantity, *, approx: float, open_slack: float) -> tuple[float, float]:
    """The interval a written figure allows, with open-ended qualifiers closed by `open_slack`:
    "at least 79" -> [79, 79*(1+slack)], "nearly 200" -> [200*(1-approx), 200]."""
    v = float(q.value)
    qual = (q.qualifier or "").lower()
    if qual in ("at_least", "more_than", "over", "no_less_than"):
        return v, v * (1 + open_slack)
    if qual in ("at_most", "less_than", "up_to", "no_more_than", "under"):
        return v * (1 - open_slack), v
    if qual in ("nearly", "almost"):
        return v * (1 - approx), v
    if qual in ("about", "around", "approximately", "some", "roughly", "estimated"):
        return v * (1 - approx), v * (1 + approx)
    low = q.low if q.low is not None and math.isfinite(q.low) else v
    high = q.high if q.high is not None and math.isfinite(q.high) else v
    return min(low, v), max(high, v)


def overlaps(a: tuple[float, float], b: tuple[float, float], rel_tol: float = 1e-6) -> bool:
    eps = rel_tol * max(abs(a[1]), abs(b[1]), 1.0)
    return a[0] <= b[1] + eps and b[0] <= a[1] + eps


@dataclass(slots=True)
class SentenceNode:
    """One sentence of the event with the evidence alignment compares."""

    ref: SentenceRef
    info: SentenceInfo
    outlet: str  # the outlet name (Article.source, else the article id)
    source: str  # independence key: the outlet of the original when this article is a copy
    terms: list[str]
    entities: frozenset[str]  # normalised keys of named entities
    entity_labels: dict[str, str]
    speaker: str | None
    quote_words: frozenset[str]
    figures: list[Figure]
    quoted_share: float  # share of the sentence's words inside quotation marks

    @property
    def attributed(self) -> bool:
        return self.info.attribution is not None


@dataclass(frozen=True, slots=True)
class Match:
    """Evidence that `target` (in another article) speaks of the same fact as the sentence."""

    target: SentenceRef
    score: float  # combined similarity (lexical + bonuses), >= 1.0 for verbatim re-use
    lexical: float  # TF-IDF cosine
    shared_entities: tuple[str, ...] = ()
    shared_terms: int = 0  # distinct content lemmas (and names) both sentences use
    shared_figure: bool = False
    same_speaker: bool = False
    same_statement: bool = False  # both carry the same quoted upstream statement
    quote_diff: tuple[str, ...] = ()  # same statement, but these quoted words replace others (a misquote?)
    shared_passage: bool = False  # verbatim re-use found by dedup
    figure_clash: bool = False  # a figure of the same class with a disjoint interval
    polarity_differs: bool = False
    swapped_entities: tuple[str, ...] = ()  # names here that the target replaces by others

    @property
    def contradicts(self) -> bool:
        return self.figure_clash or self.polarity_differs or bool(self.swapped_entities)

    def supports(self, settings: "VerifySettings") -> bool:
        """Strong enough, on enough shared words, and not contradicted: the same fact."""
        if self.contradicts or self.score < settings.support_threshold:
            return False
        return self.same_statement or self.shared_passage or self.shared_terms >= settings.min_shared_terms


@dataclass(frozen=True, slots=True)
class LexicalSimilarity:
    """TF-IDF cosine between any two sentences of the event (the matrix alignment computed)."""

    index: Mapping[SentenceRef, int]
    matrix: np.ndarray

    def __call__(self, a: SentenceRef, b: SentenceRef) -> float:
        i, j = self.index.get(a), self.index.get(b)
        return 0.0 if i is None or j is None else float(self.matrix[i, j])


def _no_similarity(a: SentenceRef, b: SentenceRef) -> float:
    return 0.0


@dataclass(slots=True)
class Alignment:
    nodes: dict[SentenceRef, SentenceNode]
    matches: dict[SentenceRef, list[Match]]  # the matches that bear on the cross-check, best first
    article_source: dict[str, str]
    article_outlet: dict[str, str]
    event_entities: dict[str, set[str]] = field(default_factory=dict)  # entity key -> articles naming it
    overlap: float = 0.0  # share of sentences with at least one supporting match (how much the reports overlap)
    coherence: dict[SentenceRef, float] = field(default_factory=dict)  # similarity to its own article
    lexical: Callable[[SentenceRef, SentenceRef], float] = _no_similarity  # TF-IDF cosine of two sentences with figures
    context: set[SentenceRef] = field(default_factory=set)  # sentences with any match >= context_threshold
    # how a sentence sits in its own article and in the event (for inserted-sentence detection):
    neighbour: dict[SentenceRef, float] = field(default_factory=dict)  # best lexical sim to the sentences around it (+-2)
    outside: dict[SentenceRef, float] = field(default_factory=dict)  # best lexical sim to any sentence of another article
    novel_terms: dict[SentenceRef, float] = field(default_factory=dict)  # share of its content words used nowhere else in the event
    novel_entities: dict[SentenceRef, tuple[str, ...]] = field(default_factory=dict)  # names nobody else in the event uses

    def by_article(self, article_id: str) -> list[SentenceNode]:
        return sorted((n for n in self.nodes.values() if n.ref.article == article_id), key=lambda n: n.ref.index)


def outlet_name(article: Article) -> str:
    """The outlet (Article.source); without one, the input's file name, else the article id."""
    if article.source and article.source.strip():
        return article.source.strip()
    stem = Path(article.origin.path).stem if article.origin and article.origin.path else ""
    if stem and article.origin.line is None and article.origin.record is None:
        return stem
    return article.id


def independence_keys(articles: Sequence[Article], dedup: DedupResult | None) -> tuple[dict[str, str], dict[str, str]]:
    """(article -> outlet name, article -> independence key). A copy counts with its original."""
    outlet = {a.id: outlet_name(a) for a in articles}
    copies = dedup.copy_of() if dedup else {}
    source = {}
    for a in articles:
        root = copies.get(a.id, a.id)
        source[a.id] = outlet.get(root, root)
    return outlet, source


def _quoted_words(info: SentenceInfo) -> tuple[frozenset[str], float]:
    quotes = list(info.quotes)
    if not quotes:
        # a paragraph continuing a quotation may carry only an opening mark
        text = info.text.strip()
        if text[:1] in "\u201c\"" or text[-1:] in "\u201d\"":
            quotes = [text.strip("\u201c\u201d\" ")]
    words = [w for q in quotes for w in _QUOTE_WORD.findall(normalize_text(q))]
    total = max(1, len(_QUOTE_WORD.findall(normalize_text(info.text))))
    return frozenset(w for w in words if w not in _STOP), min(1.0, len(words) / total)


def build_nodes(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    dedup: DedupResult | None,
    settings: "VerifySettings",
) -> tuple[dict[SentenceRef, SentenceNode], dict[str, str], dict[str, str]]:
    outlet, source = independence_keys(articles, dedup)
    nodes: dict[SentenceRef, SentenceNode] = {}
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        for info in analysis.sentences:
            ref = SentenceRef(article.id, info.index)
            ents = {}
            for text, label in info.entities:
                if label in NAME_LABELS:
                    key = entity_key(text)
                    if key:
                        ents[key] = label
            speaker = entity_key(info.attribution.speaker) if info.attribution and info.attribution.speaker else None
            quote_words, quoted_share = _quoted_words(info)
            figures = []
            for q in info.quantities:
                low, high = figure_interval(q, approx=settings.approx_tolerance, open_slack=settings.open_bound_slack)
                figures.append(Figure(ref, q, figure_class(q, info.text), low, high))
            nodes[ref] = SentenceNode(
                ref=ref,
                info=info,
                outlet=outlet[article.id],
                source=source[article.id],
                terms=content_terms(info),
                entities=frozenset(ents),
                entity_labels=ents,
                speaker=speaker,
                quote_words=quote_words,
                figures=figures,
                quoted_share=quoted_share,
            )
    return nodes, outlet, source


def _tfidf(nodes: Sequence[SentenceNode]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, node in enumerate(nodes):
        for term, count in Counter(node.terms).items():
            j = vocab.setdefault(term, len(vocab))
            rows.append(i)
            cols.append(j)
            vals.append(1.0 + math.log(count))
    n = len(nodes)
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))))
    df = np.bincount(cols, minlength=m.shape[1]) if cols else np.zeros(m.shape[1])
    idf = np.log((n + 1) / (df + 1)) + 1.0
    m = m.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ m


@functools.lru_cache(maxsize=65536)
def _name_tokens(key: str) -> frozenset[str]:
    return frozenset(t for t in key.split() if len(t) > 2 and t not in _STOP)


def _entities_match(a: str, b: str) -> bool:
    """Same name, or one is part of the other ("Ban Ki-moon" / "Ban"; "al-Fardous" / "Fardous")."""
    if a == b:
        return True
    ta, tb = _name_tokens(a), _name_tokens(b)
    return bool(ta and tb and (ta <= tb or tb <= ta))


def name_matches(keys: Iterable[str]) -> dict[str, frozenset[str]]:
    """For every name key, the keys it matches (`_entities_match`, itself included).

    Computed once per event through an inverted index over name tokens, so that comparing two
    sentences' names is a set intersection instead of a loop over every pair of names."""
    keys = set(keys)
    by_token: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        for token in _name_tokens(key):
            by_token[token].add(key)
    out: dict[str, frozenset[str]] = {}
    for key in keys:
        tokens = _name_tokens(key)
        candidates = set().union(*(by_token[t] for t in tokens)) if tokens else set()
        out[key] = frozenset({key} | {c for c in candidates if _entities_match(key, c)})
    return out


def _abbreviation(da: frozenset[str], db: frozenset[str]) -> bool:
    """One side's differing words are the other side's spelled-out initials ("UN" / "United
    Nations"): the same wording, not a misquote."""
    for short, long in ((da, db), (db, da)):
        if len(short) == 1 and len(long) >= 2:
            word = next(iter(short))
            if len(word) == len(long) and sorted(word) == sorted(w[0] for w in long):
                return True
    return False


def _passage_pairs(dedup: DedupResult | None, order: Sequence[SentenceNode]) -> np.ndarray:
    """Sentence pairs (indices into `order`, both directions) covered on both sides by one
    verbatim shared passage: a sentence is covered when the passage spans at least half of it."""
    if not dedup or not dedup.passages:
        return np.empty((0, 2), dtype=np.int64)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, node in enumerate(order):
        by_article[node.ref.article].append(i)
    # every passage side of an article against every sentence of it, as one array operation
    sides: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)  # article -> (passage, side, start, end)
    for k, p in enumerate(dedup.passages):
        sides[p.article_a].append((k, 0, p.start_a, p.end_a))
        sides[p.article_b].append((k, 1, p.start_b, p.end_b))
    covered: dict[tuple[int, int], list[int]] = defaultdict(list)  # (passage, side) -> sentences
    for article, found in sides.items():
        idx = by_article.get(article)
        if not idx:
            continue
        s = np.array([order[i].info.start for i in idx])[None, :]
        e = np.array([order[i].info.end for i in idx])[None, :]
        spans = np.array([(start, end) for _, _, start, end in found])
        inter = np.minimum(e, spans[:, 1:]) - np.maximum(s, spans[:, :1])
        hit = (e > s) & (inter >= 0.5 * (e - s))
        for row, col in zip(*np.nonzero(hit)):
            k, side = found[row][:2]
            covered[(k, side)].append(idx[col])
    pairs: set[tuple[int, int]] = set()
    for k in range(len(dedup.passages)):
        for x in covered.get((k, 0), ()):
            for y in covered.get((k, 1), ()):
                pairs.add((x, y))
                pairs.add((y, x))
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def _figure_relation(a: SentenceNode, b: SentenceNode) -> tuple[bool, bool]:
    """(a compatible figure is shared, a figure of the same class clashes)."""
    shared = clash = False
    for fa in a.figures:
        for fb in b.figures:
            if fa.cls != fb.cls:
                continue
            if overlaps((fa.low, fa.high), (fb.low, fb.high)):
                shared = True
            else:
                clash = True
    if shared:
        # a clash only counts when no figure of the class agrees ("80 of the 100" is not a clash)
        classes_ok = {fa.cls for fa in a.figures for fb in b.figures
                      if fa.cls == fb.cls and overlaps((fa.low, fa.high), (fb.low, fb.high))}
        clash = any(
            fa.cls == fb.cls and fa.cls not in classes_ok and not overlaps((fa.low, fa.high), (fb.low, fb.high))
            for fa in a.figures for fb in b.figures
        )
    return shared, clash


@dataclass(slots=True)
class _EventNames:
    """The names of one event, precomputed for fast comparison of sentence pairs."""

    matches: dict[str, frozenset[str]]  # name key -> the keys it matches (itself included)
    articles: dict[str, set[str]]  # name key -> articles that name it (exact key)
    without_speaker: dict[SentenceRef, frozenset[str]]  # a sentence's names minus its speaker's
    _named_by: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, order: Sequence[SentenceNode]) -> _EventNames:
        articles: dict[str, set[str]] = defaultdict(set)
        keys: set[str] = set()
        for n in order:
            keys |= n.entities
            if n.speaker:
                keys.add(n.speaker)
            for key in n.entities:
                articles[key].add(n.ref.article)
        matches = name_matches(keys)
        without_speaker = {
            n.ref: n.entities - matches[n.speaker] if n.speaker else n.entities for n in order
        }
        return cls(matches, dict(articles), without_speaker)

    def shared(self, names: Iterable[str], others: frozenset[str]) -> list[str]:
        """The names (of `names`) that some name of `others` matches."""
        return [k for k in names if not self.matches[k].isdisjoint(others)]

    def named_by(self, key: str) -> set[str]:
        """The articles naming `key` or a name that matches it."""
        found = self._named_by.get(key)
        if found is None:
            found = set().union(*(self.articles.get(k, ()) for k in self.matches[key]))
            self._named_by[key] = found
        return found


def _swapped(a: SentenceNode, b: SentenceNode, names: _EventNames) -> tuple[str, ...]:
    """Names in `a` that `b` replaces by a different name of the same kind, where the name in `a`
    appears in no other article of the event (an actor or place swapped in)."""
    out = []
    for key, label in a.entity_labels.items():
        if label not in SWAP_LABELS or not names.matches[key].isdisjoint(b.entities):
            continue
        if names.named_by(key) - {a.ref.article}:
            continue  # someone else names it too: not invented
        if any(lbl == label and names.matches[k].isdisjoint(a.entities) for k, lbl in b.entity_labels.items()):
            out.append(key)
    return tuple(out)


def _statement_matrix(order: Sequence[SentenceNode], settings: "VerifySettings") -> np.ndarray:
    """Which sentence pairs quote the same upstream statement: both quote at least
    `min_quote_words` content words and `quote_overlap` of the shorter quote's words recur in the
    other. All pairs at once, from one sparse product of quoted-word counts."""
    n = len(order)
    out = np.zeros((n, n), dtype=bool)
    rows = [i for i, node in enumerate(order) if len(node.quote_words) >= settings.min_quote_words]
    if not rows:
        return out
    vocab: dict[str, int] = {}
    r, c = [], []
    for k, i in enumerate(rows):
        for word in order[i].quote_words:
            r.append(k)
            c.append(vocab.setdefault(word, len(vocab)))
    words = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), len(vocab)))
    common = (words @ words.T).toarray()
    sizes = np.array([len(order[i].quote_words) for i in rows], dtype=float)
    out[np.ix_(rows, rows)] = common / np.minimum(sizes[:, None], sizes[None, :]) >= settings.quote_overlap
    return out


def _incidence(sets: Sequence[Iterable[str]], vocab: Mapping[str, int]) -> sparse.csr_matrix:
    """A sparse 0/1 matrix: row i has a 1 in the column of every key of sets[i]."""
    rows, cols = [], []
    for i, keys in enumerate(sets):
        for key in keys:
            rows.append(i)
            cols.append(vocab[key])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(1, len(vocab))))


@dataclass(slots=True)
class _PairScorer:
    """Every pair's alignment score as matrix operations, a block of rows at a time.

    The score is the one `Match.score` documents: TF-IDF cosine plus the entity (Jaccard of the
    names other than the speaker's), figure (a figure of the same class on both sides) and speaker
    bonuses scaled by the lexical similarity, raised for the same quoted statement and for verbatim
    passages. Names match as `_entities_match` says: a name of A is shared when it is among the
    names matching some name of B, so the counts are products of 0/1 matrices."""

    tfidf: sparse.csr_matrix
    names: sparse.csr_matrix  # names without the speaker's
    names_matched: sparse.csr_matrix  # every name matching one of them
    speaker: sparse.csr_matrix
    speaker_matched: sparse.csr_matrix
    figure_classes: sparse.csr_matrix
    statements: np.ndarray
    passages: np.ndarray  # (i, j) index pairs

    @classmethod
    def of(cls, order: Sequence[SentenceNode], names: _EventNames, passages: np.ndarray,
           settings: "VerifySettings") -> _PairScorer:
        vocab = {k: i for i, k in enumerate(sorted(names.matches))}
        own = [names.without_speaker[n.ref] for n in order]
        spk = [[n.speaker] if n.speaker else [] for n in order]
        classes = {c: i for i, c in enumerate(sorted({f.cls for n in order for f in n.figures}))}
        return cls(
            tfidf=_tfidf(order),
            names=_incidence(own, vocab),
            names_matched=_incidence([set().union(*(names.matches[k] for k in keys)) for keys in own], vocab),
            speaker=_incidence(spk, vocab),
            speaker_matched=_incidence([names.matches[k[0]] if k else () for k in spk], vocab),
            figure_classes=_incidence([{f.cls for f in n.figures} for n in order], classes),
            statements=_statement_matrix(order, settings),
            passages=passages,
        )

    def block(self, lo: int, hi: int, settings: "VerifySettings") -> dict[str, np.ndarray]:
        """Scores and their parts for rows lo..hi against every sentence."""
        lexical = (self.tfidf[lo:hi] @ self.tfidf.T).toarray()
        common = (self.names[lo:hi] @ self.names_matched.T).toarray()
        both = (self.names[lo:hi] @ self.names.T).toarray()
        sizes = np.asarray(self.names.sum(axis=1)).ravel()
        union = sizes[lo:hi, None] + sizes[None, :] - both
        entity = np.divide(common, union, out=np.zeros_like(common), where=union > 0)
        figure = ((self.figure_classes[lo:hi] @ self.figure_classes.T).toarray() > 0).astype(float)
        speaker = ((self.speaker[lo:hi] @ self.speaker_matched.T).toarray() > 0).astype(float)
        floor = settings.bonus_lexical_floor
        scale = np.minimum(1.0, lexical / floor) if floor else 1.0
        score = lexical + scale * (
            settings.entity_weight * entity + settings.figure_weight * figure + settings.speaker_weight * speaker
        )
        statement = self.statements[lo:hi]
        score = np.where(statement, np.maximum(score, settings.support_threshold + 0.25), score)
        passage = np.zeros_like(statement)
        inside = self.passages[(self.passages[:, 0] >= lo) & (self.passages[:, 0] < hi)]
        passage[inside[:, 0] - lo, inside[:, 1]] = True
        score = np.where(passage, np.maximum(score, 1.0), score)
        return {"lexical": lexical, "score": score, "common": common, "figure": figure, "speaker": speaker,
                "statement": statement, "passage": passage}


def _bearing_lexical(settings: "VerifySettings") -> float:
    """The lexical similarity from which a sub-support match still bears on a check (figure
    dissent, opposite polarity, swapped names); `Match.lexical` is rounded to 4 places."""
    return min(settings.dissent_min_lexical, settings.duration_context_threshold,
               settings.polarity_min_lexical, settings.swap_min_lexical) - 1e-4


def align_event(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    dedup: DedupResult | None,
    settings: "VerifySettings",
    *,
    block_rows: int = 512,
) -> Alignment:
    """The sentence matches across the articles of one event that bear on the cross-check.

    Every pair of sentences in different articles is scored with matrix operations, a block of
    `block_rows` rows at a time (memory grows with the event, not its square). A `Match` is built
    for the pairs that can change a label or a suspicion component: support-strength pairs,
    the same quoted statement or verbatim passage, and pairs lexically close enough for the
    figure, polarity and swap checks. Weaker context matches (score >= context_threshold) are
    only recorded as the set `Alignment.context`."""
    nodes, outlet, source = build_nodes(articles, analyses, dedup, settings)
    order = list(nodes.values())
    matches: dict[SentenceRef, list[Match]] = {n.ref: [] for n in order}
    names = _EventNames.of(order)
    event_entities = {k: set(v) for k, v in names.articles.items()}
    if not order:
        return Alignment(nodes, matches, source, outlet, event_entities)
    scorer = _PairScorer.of(order, names, _passage_pairs(dedup, order), settings)
    articles_of = np.array([n.ref.article for n in order])
    term_sets = [set(n.terms) for n in order]
    bearing = _bearing_lexical(settings)
    fit = _ContextFit(order, articles_of)
    context: set[SentenceRef] = set()
    for lo in range(0, len(order), block_rows):
        hi = min(len(order), lo + block_rows)
        part = scorer.block(lo, hi, settings)
        fit.add(lo, part["lexical"])
        same_article = articles_of[lo:hi, None] == articles_of[None, :]
        kept = (part["score"] >= settings.context_threshold) & ~same_article
        context.update(order[lo + i].ref for i in np.nonzero(kept.any(axis=1))[0])
        kept &= ((part["score"] >= settings.support_threshold) | (part["lexical"] >= bearing)
                 | part["statement"] | part["passage"])
        at = np.nonzero(kept)
        # one bulk read of the parts per block: numpy scalar indexing per pair costs more
        values = zip(*(x.tolist() for x in at), *(part[k][at].tolist() for k in (
            "lexical", "score", "statement", "passage", "figure", "speaker", "common")))
        for bi, j, lexical, score, stmt, passage, figure, speaker, common in values:
            i = lo + bi
            a, b = order[i], order[j]
            quote_diff: tuple[str, ...] = ()
            if stmt:
                da, db = a.quote_words - b.quote_words, b.quote_words - a.quote_words
                if da and db and len(da) <= 3 and len(db) <= 3 and not _abbreviation(da, db):
                    quote_diff = tuple(sorted(da))
            shared_fig, clash = _figure_relation(a, b) if figure else (False, False)
            matches[a.ref].append(
                Match(
                    target=b.ref,
                    score=round(score, 4),
                    lexical=round(lexical, 4),
                    shared_entities=tuple(sorted(names.shared(a.entities, b.entities))),
                    shared_terms=len(term_sets[i] & term_sets[j]) + int(common),
                    shared_figure=shared_fig,
                    same_speaker=bool(speaker),
                    same_statement=stmt,
                    quote_diff=quote_diff,
                    shared_passage=passage,
                    figure_clash=clash,
                    polarity_differs=(bool(a.info.negated) != bool(b.info.negated)
                                      and lexical >= settings.polarity_min_lexical),
                    swapped_entities=(_swapped(a, b, names) if lexical >= settings.swap_min_lexical
                                      and not (stmt or passage) else ()),
                )
            )
    for ref in matches:
        matches[ref].sort(key=lambda m: (-m.score, m.target.article, m.target.index))
    supported = sum(1 for ref, ms in matches.items() if any(m.supports(settings) for m in ms))
    figure_rows = [i for i, n in enumerate(order) if n.figures]
    tf = scorer.tfidf[figure_rows]
    return Alignment(
        nodes=nodes,
        matches=matches,
        article_source=source,
        article_outlet=outlet,
        event_entities=event_entities,
        overlap=supported / len(order),
        coherence=fit.coherence,
        # find_conflicts compares figure sentences only: keep their similarities, not all pairs
        lexical=LexicalSimilarity({order[i].ref: k for k, i in enumerate(figure_rows)}, (tf @ tf.T).toarray()),
        context=context,
        neighbour=fit.neighbour,
        outside=fit.outside,
        novel_terms=_novel_terms(order),
        novel_entities=_novel_entities(order, names),
    )


class _ContextFit:
    """How each sentence fits its surroundings, filled from blocks of similarity rows: its best
    similarity to another sentence of its own article (`coherence`), to its neighbours (+-`window`
    sentences of its article) and to any sentence of another article (`outside`). A sentence
    written into a report from elsewhere shares little with the sentences around it."""

    def __init__(self, order: Sequence[SentenceNode], articles_of: np.ndarray, window: int = 2) -> None:
        self.order = order
        self.articles_of = articles_of
        positions: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(order):
            positions[n.ref.article].append(i)
        self.near: dict[int, list[int]] = {}
        for idx in positions.values():
            idx = sorted(idx, key=lambda i: order[i].ref.index)
            for k, i in enumerate(idx):
                self.near[i] = [idx[x] for x in range(max(0, k - window), min(len(idx), k + window + 1)) if x != k]
        self.coherence: dict[SentenceRef, float] = {}
        self.neighbour: dict[SentenceRef, float] = {}
        self.outside: dict[SentenceRef, float] = {}

    def add(self, lo: int, rows: np.ndarray) -> None:
        for bi in range(rows.shape[0]):
            i = lo + bi
            ref = self.order[i].ref
            row = rows[bi]
            same = self.articles_of == self.articles_of[i]
            own = row[same]
            self.coherence[ref] = float(np.sort(own)[-2]) if own.size > 1 else 1.0
            self.neighbour[ref] = float(max((row[j] for j in self.near[i]), default=0.0))
            other = row[~same]
            self.outside[ref] = float(other.max()) if other.size else 0.0


def _novel_terms(order: Sequence[SentenceNode]) -> dict[SentenceRef, float]:
    """The share of each sentence's content words that no other sentence of the event uses."""
    term_df: Counter[str] = Counter()
    for n in order:
        term_df.update(set(n.terms))
    out = {}
    for n in order:
        terms = set(n.terms)
        out[n.ref] = sum(1 for t in terms if term_df[t] == 1) / len(terms) if terms else 0.0
    return out


def _novel_entities(order: Sequence[SentenceNode], names: _EventNames) -> dict[SentenceRef, tuple[str, ...]]:
    """The names of each sentence that no other sentence of the event uses (nor a matching name)."""
    entity_count: Counter[str] = Counter()
    for n in order:
        entity_count.update(n.entities)
    return {
        n.ref: tuple(sorted(
            key for key in n.entities
            if entity_count[key] == 1
            and all(entity_count[k] == (1 if k in n.entities else 0) for k in names.matches[key])
        ))
        for n in order
    }
