"""Group articles into events (``cluster_articles``); the incremental variant is ``newsprism.incremental``.

An event is one specific happening (this earthquake, this verdict), not a topic. The method:

1. **Representation** (``newsprism.features``): zone-weighted TF-IDF over content lemmas and over
   named entities (people, places, organisations, calendar dates), IDF counted on the corpus
   being clustered; entities are what tell two earthquakes apart, lemmas what keeps differently
   worded reports of one quake together.
2. **Candidates by blocking**: each article is indexed under its ``block_keys`` highest-weighted
   features; articles sharing a key are compared, all pairs when the key's posting list is
   short and a sorted neighbourhood (``block_width`` neighbours in publication-date order) when
   it is long, so the number of comparisons grows linearly with the corpus. Pairs published
   more than ``window_days`` apart are never linked.
3. **Average-linkage agglomeration** (UPGMA) over the candidate graph. Rows are unit vectors, so the
   average similarity between two clusters is the dot product of their member sums divided by
   both sizes; it is computed exactly (not from the sparse candidate edges alone), and two
   clusters can only reach ``threshold`` if some pair of their members does, so keeping the
   candidate edges at or above ``threshold`` loses nothing. Merging stops at ``threshold``;
   articles that join nothing are singleton events.
4. **Entity check** (``entity_support``, in ``linkage_value``): for member pairs that both name
   entities, wording counts only as far as shared names back it. Reports of one event share
   names about as much as words; two strikes in different towns share template wording and
   hardly a name. Candidate edges are kept where the checked pair similarity reaches the
   floor (``checked_edges``; in principle this can miss a cluster pair whose checked average
   reaches the threshold when no member pair does, in practice it changed nothing). The
   agglomeration carries the entity part of every dot product alongside the whole, so
   cluster similarities still follow exactly from member sums.

The incremental clusterer (``newsprism.incremental``) runs the same agglomeration with the existing events as frozen
clusters: a new article (or a group of new articles) joins the existing event it is closest to
on average, or founds a new one; two existing events are never merged implicitly, only through
``merge`` (proposed by ``merge_candidates``), which is recorded.

Defaults were tuned on the odd-numbered topics of the ECB+ dev data (see ``ClusterSettings``);
``newsprism eval clusters`` measures them (``newsprism.eval.clusters``).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from .features import (
    ArticleFeatures,
    DocumentFrequencies,
    Vectorizer,
    VectorWeights,
    extract_features,
)
from .ids import event_id
from .records import Article, ArticleAnalysis, Event

Analyses = Mapping[str, ArticleAnalysis] | Iterable[ArticleAnalysis] | None


@dataclass(slots=True)
class ClusterSettings:
    """Settings of event clustering.

    Defaults were tuned on the ECB+ dev data, odd-numbered topics only (1, 3, …, 25: 273
    articles, 22 events; the even topics are held out), by B-cubed F1 with ``source``, ``url``
    and ``published`` blanked and as given, on features from the linguistics stage's analyses
    (what ``newsprism analyze`` clusters). A grid over threshold 0.15-0.24, entity_weight
    0.3-0.6, title_weight 1-3 and lead_weight 0-2 found a plateau of B-cubed F1 0.89-0.90;
    with the chosen weights thresholds 0.19-0.21 are within 0.005 of each other, 0.18 and 0.22
    lose about 0.01-0.02, 0.15 and 0.24 about 0.04. On an earlier version of the features,
    "centroid" linkage was worse (0.86 against 0.90) and averaged spaCy word vectors as a
    third block gained at most 0.01 with a much narrower threshold range: neither is used.

    ``idf_min_docs`` was chosen by clustering each tune topic alone (about 20 articles, two
    same-kind events) and each pair of tune topics: mean B-cubed F1 0.79 / 0.87 without it,
    0.86 / 0.88 at 200 (50: 0.85 / 0.87; 1000: 0.87 / 0.88).

    ``entity_support`` (the entity check, see ``linkage_value``) was added when the benchmark's
    generated corpus showed same-kind events merging: 14 strikes in different towns became one
    217-article event (1,000 articles, seed 0: 30 events found for 69, B-cubed F1 0.625),
    because same-kind reports share template wording (lemma cosine about 0.4 between
    different strikes) and hardly a name (entity cosine about 0.02, against about 0.65 within
    one event). It was chosen on the ECB+ tune topics and on generated corpora of seeds 0 and 1
    (1,000 articles each), the threshold left at 0.2: on tune, B-cubed F1 is unchanged
    (0.896) from 0 up to 0.6 and drops from 0.65 (0.883 with the fast spaCy pass, 0.887 from
    0.7 on analyses); on the generated corpora it is 0.625 / 0.809 without the check, 1.000 /
    0.993 at 0.5, 1.000 / 1.000 from 0.55. A constant floor on the entity cosine instead (the
    lemma part scaled by ``min(1, cos(entities) / 0.15)``) did as well on tune but left
    seed 1 at 0.955: the cap relative to the wording adapts to how alike two texts are.

    The 90-day window is neutral on tune (0.896 with it, 0.894 without) and keeps two
    same-kind events months apart in one store from merging. ECB+ gold events sometimes take
    in coverage a year or more later (a trial two years after a shooting), which the window
    splits: on the held-out topics with dates given it costs 0.02 B-cubed F1 (0.866 against
    0.885 without a window, measured after the choice was made).

    Representation (see ``newsprism.features``):
      title_weight, lead_weight, body_weight: how much a lemma or entity counts in each zone;
        a lead word counts as ``lead_weight + body_weight`` (the lead is part of the body).
      entity_weight: share of the entity block in the similarity (0 = lemmas only, 1 = entities only).
      lead_chars: characters after the title that make up the lead.
      sublinear_tf: use ``1 + log(tf)`` instead of raw zone-weighted counts.
      idf_min_docs: IDF of a smaller corpus is computed as if it had this many documents
        (see ``features.DocumentFrequencies``); no effect from this size up.
    Clustering:
      threshold: minimum average cosine similarity between two clusters for them to merge.
      entity_support: the entity check: for two articles that both name entities, the lemma
        cosine counts at most up to ``cos(entities) / entity_support`` (names must overlap at
        least this fraction of the wording's overlap for the wording to count in full); 0
        switches the check off. See ``linkage_value``.
      linkage: "average" (mean similarity of all member pairs) or "centroid" (cosine of the
        two clusters' mean vectors, which lets loosely knit clusters merge more easily).
      edge_floor: candidate pairs less similar than this are not linked (None: ``threshold``
        for average linkage, which loses nothing; half of it for centroid linkage).
      window_days: articles published further apart than this are never linked directly
        (applies only when both dates are known; None switches the window off).
      block_keys: features per article entered in the inverted index.
      block_width: longest posting list compared all-pairs; longer lists are compared to this
        many neighbours in date order.
    Incremental:
      merge_threshold: average similarity at which two stored events are proposed for merging
        (None: ``threshold``).
      refresh_growth: re-weight stored vectors with current document frequencies when the
        corpus has grown by this fraction since the last re-weighting.
    """

    title_weight: float = 2.0  # weight of a lemma or entity in the headline
    lead_weight: float = 1.0  # extra weight in the lead (on top of body_weight)
    body_weight: float = 1.0  # weight anywhere in the text
    entity_weight: float = 0.5  # share of the entity block in the similarity
    lead_chars: int = 400  # characters after the headline that make up the lead
    sublinear_tf: bool = True  # 1 + log(tf) rather than raw counts
    idf_min_docs: int = 200  # a smaller corpus is weighted as if this large
    threshold: float = 0.2  # least average similarity at which two clusters merge
    entity_support: float = 0.55  # wording counts only as far as shared names back it (0: off)
    linkage: Literal["average", "centroid"] = "average"  # how cluster similarity is taken
    edge_floor: float | None = None  # least pair similarity kept as a candidate edge (None: from threshold)
    window_days: float | None = 90.0  # articles further apart in days are never linked (None: no window)
    block_keys: int = 12  # top features per article in the inverted index
    block_width: int = 40  # posting lists longer than this are compared to date neighbours only
    merge_threshold: float | None = None  # stored events proposed for merging from here (None: threshold)
    refresh_growth: float = 0.25  # re-weight stored vectors after the corpus grows by this fraction

    def vector_weights(self) -> VectorWeights:
        return VectorWeights(
            title=self.title_weight,
            lead=self.lead_weight,
            body=self.body_weight,
            entities=self.entity_weight,
            sublinear_tf=self.sublinear_tf,
        )

    def min_edge(self) -> float:
        if self.edge_floor is not None:
            return self.edge_floor
        return self.threshold if self.linkage == "average" else self.threshold / 2

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClusterSettings:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


# --------------------------------------------------------------------------- batch


def cluster_articles(
    articles: Sequence[Article],
    analyses: Analyses = None,
    settings: ClusterSettings | None = None,
    *,
    features: Sequence[ArticleFeatures] | None = None,
) -> list[Event]:
    """Group articles into events, without looking at their ``event_hint``.

    ``analyses`` (a mapping article id -> ``ArticleAnalysis`` or an iterable of them) are used
    where given; the rest get a fast spaCy pass. ``features`` (from ``extract_features``, one
    per article in the same order) skips both. The result is deterministic: articles are
    processed in id order, each event's ``article_ids`` are sorted, events come largest first
    (then by id), ``Event.id`` is ``ids.event_id`` of the members and ``Event.title`` the headline
    of the member closest to the event's centre.
    """
    settings = settings or ClusterSettings()
    if features is None:
        features = extract_features(articles, analyses, lead_chars=settings.lead_chars)
    if len(features) != len(articles):
        raise ValueError("features must hold one entry per article")
    return cluster_features(features, settings)


def cluster_features(features: Sequence[ArticleFeatures], settings: ClusterSettings | None = None) -> list[Event]:
    """``cluster_articles`` on precomputed features (what evaluation and benchmarks time)."""
    settings = settings or ClusterSettings()
    feats = sorted(features, key=lambda f: f.article_id)
    if not feats:
        return []
    df = DocumentFrequencies(min_docs=settings.idf_min_docs)
    df.add(feats)
    vectorizer = Vectorizer(settings.vector_weights(), df)
    X = vectorizer.transform(feats)
    days = _day_numbers(feats)
    E = entity_block(X, entity_columns(vectorizer.keys))
    i, j, sims, esims = checked_edges(X, E, days, settings)
    erows = _row_dicts(E)
    agg = _Agglomerator(settings, _row_dicts(X), erows, [1] * len(feats), [int(bool(e)) for e in erows],
                        [(d, d) if not math.isnan(d) else None for d in days], [False] * len(feats))
    agg.add_edges(i, j, sims, esims)
    groups = agg.run()
    return _events(groups, feats, X)


def entity_columns(keys: Sequence[str]) -> np.ndarray:
    """Which vocabulary columns (``Vectorizer.keys``) are entity keys."""
    return np.fromiter((k.startswith("e:") for k in keys), dtype=bool, count=len(keys))


def entity_block(X: sp.csr_matrix, is_entity: np.ndarray) -> sp.csr_matrix:
    """The entity columns of ``X`` (the part of a dot product that compares names), the other
    columns dropped from the sparse structure; ``is_entity`` from ``entity_columns``."""
    X = X.tocsr()
    mask = np.zeros(X.shape[1], dtype=bool)
    mask[: min(len(is_entity), X.shape[1])] = is_entity[: X.shape[1]]
    E = X.copy()
    E.data = np.where(mask[E.indices], E.data, 0.0)
    E.eliminate_zeros()
    return E


def linkage_value(
    settings: ClusterSettings, dot: float, edot: float, size_a: int, size_b: int, ents_a: int, ents_b: int,
    norm: float | None = None,
) -> float:
    """Similarity of two clusters from the dot product of their member sums (``dot``), the part
    of it on entity columns (``edot``), their sizes and how many members of each name entities.

    Without the entity check this is ``dot / (size_a * size_b)``, the mean similarity of all
    member pairs: ``(1 - w) * cos(lemmas) + w * cos(entities)`` averaged. The check
    (``entity_support`` > 0): for member pairs that both name entities, wording counts only as
    far as shared names back it; the lemma cosine is capped at ``cos(entities) /
    entity_support``. Two reports of one event share their names about as much as their
    wording; two strikes in different towns, with different officials, share template wording
    ("walked out", "pay offer", "picket lines") but hardly a name, and do not link on the
    wording alone. Members naming no entity are compared on their lemmas unchanged. On
    clusters the cap is applied to the means (exact for single articles that both name
    entities; for mixed clusters in proportion to the pairs that do). Centroid linkage divides
    by ``norm`` (the product of the sums' lengths) instead of the sizes.
    """
    ldot = dot - edot
    support, w = settings.entity_support, settings.entity_weight
    if support > 0 and 0 < w < 1 and ents_a and ents_b and ldot > 0:
        pairs = ents_a * ents_b
        all_pairs = size_a * size_b
        ecos = max(edot, 0.0) / (w * pairs)  # mean entity cosine of the pairs that both name entities
        lcos = ldot / ((1 - w) * all_pairs)  # mean lemma cosine
        if ecos < support * lcos:
            ldot *= 1.0 - pairs / all_pairs * (1.0 - ecos / (support * lcos))
    total = ldot + edot
    if norm is not None:
        return total / norm if norm else 0.0
    return total / (size_a * size_b)


def _day_numbers(feats: Sequence[ArticleFeatures]) -> np.ndarray:
    return np.array([f.date.toordinal() if f.date else np.nan for f in feats], dtype=np.float64)


def _top_keys(X: sp.csr_matrix, k: int) -> list[np.ndarray]:
    """Column indices of each row's ``k`` largest weights."""
    out = []
    for r in range(X.shape[0]):
        lo, hi = X.indptr[r], X.indptr[r + 1]
        cols, vals = X.indices[lo:hi], X.data[lo:hi]
        if hi - lo > k:
            keep = np.argpartition(-vals, k - 1)[:k]
            cols = cols[keep]
        out.append(cols)
    return out


def _posting_pairs(posting: np.ndarray, days: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs to compare among the rows of one posting list (linear in its length).

    Short lists: all pairs. Long lists: dated rows in date order, each with its next ``width``
    rows; undated rows among themselves the same way, and each with ``width`` dated rows spread
    evenly over the list.
    """
    m = len(posting)
    if m <= width + 1:
        a, b = np.triu_indices(m, 1)
        return posting[a], posting[b]
    d = days[posting]
    dated = posting[~np.isnan(d)]
    dated = dated[np.argsort(days[dated], kind="stable")]
    undated = posting[np.isnan(d)]
    left, right = [], []
    for seq in (dated, undated):
        for off in range(1, min(width, len(seq) - 1) + 1):
            left.append(seq[:-off])
            right.append(seq[off:])
    if len(dated) and len(undated):
        pick = dated[np.linspace(0, len(dated) - 1, min(width, len(dated))).astype(np.int64)]
        left.append(np.repeat(undated, len(pick)))
        right.append(np.tile(pick, len(undated)))
    if not left:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(left), np.concatenate(right)


def candidate_pairs(X: sp.csr_matrix, days: np.ndarray, settings: ClusterSettings) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i < j) to compare, found by blocking on each row's top features and kept
    inside the time window; at most ``n * block_keys * block_width`` of them."""
    n = X.shape[0]
    postings: dict[int, list[int]] = defaultdict(list)
    for r, cols in enumerate(_top_keys(X, settings.block_keys)):
        for c in cols.tolist():
            postings[c].append(r)
    parts_a, parts_b = [], []
    for rows in postings.values():
        if len(rows) < 2:
            continue
        a, b = _posting_pairs(np.asarray(rows, dtype=np.int64), days, settings.block_width)
        parts_a.append(a)
        parts_b.append(b)
    if not parts_a:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    a = np.concatenate(parts_a)
    b = np.concatenate(parts_b)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    codes = np.unique(lo[lo != hi] * n + hi[lo != hi])
    i, j = codes // n, codes % n
    if settings.window_days is not None:
        gap = np.abs(days[i] - days[j])
        keep = ~(gap > settings.window_days)  # NaN (a date unknown) keeps the pair
        i, j = i[keep], j[keep]
    return i, j


def candidate_edges(
    X: sp.csr_matrix, days: np.ndarray, settings: ClusterSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``candidate_pairs`` with similarity >= ``settings.min_edge()``, and their similarities
    (plain similarities, without the entity check)."""
    i, j = candidate_pairs(X, days, settings)
    sims = pair_similarities(X, i, j)
    keep = sims >= settings.min_edge()
    return i[keep], j[keep], sims[keep]


def checked_edges(
    X: sp.csr_matrix, E: sp.csr_matrix, days: np.ndarray, settings: ClusterSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``candidate_edges`` kept only where the pair's similarity with the entity check
    (``linkage_value`` of two single articles) reaches ``settings.min_edge()``; returns the
    pairs, their plain similarities and the entity parts of those (``E`` is
    ``_entity_block(X)``).

    Not lossless in principle, unlike the plain floor: the check caps mean wording by mean
    name overlap, so a cluster pair can reach the threshold when none of its member pairs
    does. Measured, it changed no clustering (ECB+ tune and test, generated corpora of 1,000
    and 3,000 articles) and spares the agglomeration the many wording-only links between
    events of one kind (with it, clustering those generated corpora takes 0.5-0.85 of the CPU
    time it took before the check existed)."""
    i, j, sims = candidate_edges(X, days, settings)
    esims = pair_similarities(E, i, j)
    named = np.diff(E.indptr) > 0
    keep = checked_similarities(sims, esims, named[i] & named[j], settings) >= settings.min_edge()
    return i[keep], j[keep], sims[keep], esims[keep]


def checked_similarities(
    sims: np.ndarray, esims: np.ndarray, both_named: np.ndarray, settings: ClusterSettings
) -> np.ndarray:
    """Pair similarities with the entity check (``linkage_value`` of two single articles): for
    pairs that both name entities the lemma part is capped at ``cos(entities) / entity_support``."""
    support, w = settings.entity_support, settings.entity_weight
    if not (support > 0 and 0 < w < 1) or not len(sims):
        return sims
    lemma = sims - esims
    return np.where(both_named, np.minimum(lemma, (1 - w) * (esims / w) / support), lemma) + esims


def pair_similarities(
    X: sp.csr_matrix, i: np.ndarray, j: np.ndarray, Y: sp.csr_matrix | None = None, chunk: int = 10_000
) -> np.ndarray:
    """Dot products of rows ``X[i[k]]`` and ``Y[j[k]]`` (``Y`` defaults to ``X``; same width)."""
    Y = X if Y is None else Y
    out = np.empty(len(i), dtype=np.float64)
    for s in range(0, len(i), chunk):
        a, b = X[i[s : s + chunk]], Y[j[s : s + chunk]]
        out[s : s + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


class _Agglomerator:
    """Agglomerative clustering over a sparse candidate graph (see the module docstring).

    Nodes start as given clusters (member-vector sums, sizes, date ranges); ``frozen`` nodes
    (existing events, in incremental mode) never merge with each other. For each linked pair
    it keeps the dot product of the two sums (the sum of all member-pair similarities), from
    which both linkages follow: "average" divides by the sizes, "centroid" by the norms of
    the sums (the cosine of the two centroids).
    """

    def __init__(
        self,
        settings: ClusterSettings,
        sums: list[dict[int, float]],
        esums: list[dict[int, float]],
        sizes: list[int],
        ents: list[int],
        ranges: list[tuple[float, float] | None],
        frozen: list[bool],
    ) -> None:
        self.s = settings
        # sparse vectors as dicts (column -> value): merging and dot products on a few hundred
        # entries are several times faster in plain Python than through scipy's 1-row matrices
        self.sums = list(sums)
        self.esums = list(esums)  # the entity columns of ``sums``
        self.sizes = list(sizes)
        self.ents = list(ents)  # members that name at least one entity
        self.norms2 = [_dict_dot(v, v) for v in self.sums]
        self.ranges = list(ranges)
        self.frozen = list(frozen)
        self.members: list[list[int]] = [[k] for k in range(len(sums))]
        self.alive = [True] * len(sums)
        self.version = [0] * len(sums)
        # linked pairs: (dot product of the sums, its part on entity columns)
        self.dots: list[dict[int, tuple[float, float]]] = [{} for _ in sums]
        self.heap: list[tuple[float, int, int, int, int]] = []

    def add_edges(
        self, i: np.ndarray, j: np.ndarray, dots: np.ndarray | None = None, edots: np.ndarray | None = None
    ) -> None:
        """Link nodes ``i[k]`` and ``j[k]``; ``dots`` and ``edots`` are the dot products of their
        sums and of the sums' entity parts (for single articles, their similarity and its entity
        part), computed when None."""
        for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
            if a == b or b in self.dots[a]:
                continue
            if dots is not None and edots is not None:
                dot = (float(dots[k]), float(edots[k]))
            else:
                dot = self._dot(a, b)
            self.dots[a][b] = self.dots[b][a] = dot
            self._push(a, b)

    def _dot(self, a: int, b: int) -> tuple[float, float]:
        return _dict_dot(self.sums[a], self.sums[b]), _dict_dot(self.esums[a], self.esums[b])

    def value(self, a: int, b: int) -> float:
        dot, edot = self.dots[a][b]
        norm = math.sqrt(self.norms2[a] * self.norms2[b]) if self.s.linkage == "centroid" else None
        return linkage_value(self.s, dot, edot, self.sizes[a], self.sizes[b], self.ents[a], self.ents[b], norm)

    def _allowed(self, a: int, b: int) -> bool:
        if self.frozen[a] and self.frozen[b]:
            return False
        window = self.s.window_days
        ra, rb = self.ranges[a], self.ranges[b]
        if window is None or ra is None or rb is None:
            return True
        return max(ra[0], rb[0]) - min(ra[1], rb[1]) <= window

    def _push(self, a: int, b: int) -> None:
        value = self.value(a, b)
        if value >= self.s.threshold and self._allowed(a, b):
            lo, hi = min(a, b), max(a, b)
            heapq.heappush(self.heap, (-value, lo, hi, self.version[lo], self.version[hi]))

    def run(self) -> list[list[int]]:
        """Merge until no linked pair reaches the threshold; the member lists of the clusters."""
        while self.heap:
            _, a, b, va, vb = heapq.heappop(self.heap)
            if not (self.alive[a] and self.alive[b]) or self.version[a] != va or self.version[b] != vb:
                continue
            self._merge(a, b)
        return [m for m, alive in zip(self.members, self.alive, strict=True) if alive]

    def _merge(self, a: int, b: int) -> None:
        ab = self.dots[a][b][0]
        for sums in (self.sums, self.esums):
            big, small = (sums[a], sums[b]) if len(sums[a]) >= len(sums[b]) else (sums[b], sums[a])
            _add_into(big, small)
            sums[a], sums[b] = big, {}
        self.sizes[a] += self.sizes[b]
        self.ents[a] += self.ents[b]
        self.norms2[a] += self.norms2[b] + 2 * ab
        ra, rb = self.ranges[a], self.ranges[b]
        self.ranges[a] = (min(ra[0], rb[0]), max(ra[1], rb[1])) if ra and rb else (ra or rb)
        self.frozen[a] = self.frozen[a] or self.frozen[b]
        self.members[a].extend(self.members[b])
        self.members[b] = []
        self.alive[b] = False
        self.version[a] += 1
        old_a, old_b = self.dots[a], self.dots[b]
        self.dots[b] = {}
        self.dots[a] = {}
        for c in sorted((old_a.keys() | old_b.keys()) - {a, b}):
            da, db = old_a.get(c), old_b.get(c)
            if da is not None and db is not None:
                dot = (da[0] + db[0], da[1] + db[1])  # exact: dot products add
            else:
                dot = self._dot(a, c)
            self.dots[a][c] = dot
            self.dots[c].pop(b, None)
            self.dots[c][a] = dot
            self._push(a, c)


def _row_dicts(X: sp.csr_matrix) -> list[dict[int, float]]:
    X = X.tocsr()
    indptr, indices, data = X.indptr.tolist(), X.indices.tolist(), X.data.tolist()
    return [dict(zip(indices[indptr[r] : indptr[r + 1]], data[indptr[r] : indptr[r + 1]])) for r in range(X.shape[0])]


def _add_into(total: dict[int, float], vector: dict[int, float]) -> None:
    for col, value in vector.items():
        total[col] = total.get(col, 0.0) + value


def _dict_dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(value * get(col, 0.0) for col, value in a.items())


def _representative(rows: list[int], feats: Sequence[ArticleFeatures], X: sp.csr_matrix) -> int:
    """The member closest to the cluster's mean, preferring members with a headline."""
    if len(rows) == 1:
        return rows[0]
    centre = X[rows].sum(axis=0).A1
    scores = X[rows] @ centre
    best = max(
        range(len(rows)),
        key=lambda k: (bool(feats[rows[k]].title), float(scores[k]), -rows[k]),
    )
    return rows[best]


def _events(groups: list[list[int]], feats: Sequence[ArticleFeatures], X: sp.csr_matrix) -> list[Event]:
    events = []
    for rows in groups:
        ids = sorted(feats[r].article_id for r in rows)
        rep = feats[_representative(sorted(rows), feats, X)]
        events.append(Event(id=event_id(ids), article_ids=ids, title=rep.title or rep.snippet))
    return sorted(events, key=lambda e: (-len(e.article_ids), e.id))
