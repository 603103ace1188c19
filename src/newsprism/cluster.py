"""Group articles into events: batch (``cluster_articles``) and incremental (``IncrementalClusterer``).

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

The incremental clusterer runs the same agglomeration with the existing events as frozen
clusters: a new article (or a group of new articles) joins the existing event it is closest to
on average, or founds a new one; two existing events are never merged implicitly, only through
``merge`` (proposed by ``merge_candidates``), which is recorded.

Defaults were tuned on the odd-numbered topics of the ECB+ dev data (see ``ClusterSettings``);
``newsprism eval clusters`` measures them (``newsprism.eval.clusters``).
"""

from __future__ import annotations

import bisect
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
    E = _entity_block(X, vectorizer.keys)
    i, j, sims, esims = checked_edges(X, E, days, settings)
    erows = _row_dicts(E)
    agg = _Agglomerator(settings, _row_dicts(X), erows, [1] * len(feats), [int(bool(e)) for e in erows],
                        [(d, d) if not math.isnan(d) else None for d in days], [False] * len(feats))
    agg.add_edges(i, j, sims, esims)
    groups = agg.run()
    return _events(groups, feats, X)


def _entity_block(X: sp.csr_matrix, keys: Sequence[str]) -> sp.csr_matrix:
    """The entity columns of ``X`` (the part of a dot product that compares names), the other
    columns dropped from the sparse structure."""
    X = X.tocsr()
    is_entity = np.zeros(X.shape[1], dtype=bool)
    is_entity[: len(keys)] = np.fromiter((k.startswith("e:") for k in keys), dtype=bool, count=len(keys))
    E = X.copy()
    E.data = np.where(is_entity[E.indices], E.data, 0.0)
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
    support, w = settings.entity_support, settings.entity_weight
    if support > 0 and 0 < w < 1 and len(i):
        named = np.diff(E.indptr) > 0
        both = named[i] & named[j]
        lemma = sims - esims
        capped = np.where(both, np.minimum(lemma, (1 - w) * (esims / w) / support), lemma) + esims
        keep = capped >= settings.min_edge()
        i, j, sims, esims = i[keep], j[keep], sims[keep], esims[keep]
    return i, j, sims, esims


def pair_similarities(X: sp.csr_matrix, i: np.ndarray, j: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    out = np.empty(len(i), dtype=np.float64)
    for s in range(0, len(i), chunk):
        a, b = X[i[s : s + chunk]], X[j[s : s + chunk]]
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


# --------------------------------------------------------------------------- incremental


@dataclass(slots=True)
class _StoredEvent:
    id: str
    article_ids: list[str]
    seq: int  # creation order: the older event survives a merge
    title: str = ""
    days: tuple[float, float] | None = None  # first and last publication day of its articles
    headline_of: str | None = None  # the member whose headline is the title

    def add_day(self, day: float) -> None:
        if not math.isnan(day):
            self.days = (min(self.days[0], day), max(self.days[1], day)) if self.days else (day, day)


@dataclass(slots=True)
class Merge:
    """A recorded merge: ``absorbed`` now belongs to ``kept``."""

    absorbed: str
    kept: str
    similarity: float


Vector = dict[int, float]  # sparse vector: vocabulary column -> weight


class IncrementalClusterer:
    """Assign new articles to events without re-clustering what is already stored.

    Holds per-article features and unit vectors, an inverted index from each article's top
    features to the articles carrying them (sorted by date), event member sums (centroids) and
    the document frequencies of everything seen. ``assign_batch`` runs the batch agglomeration
    on the new articles with the stored events as frozen clusters: each new article joins the
    existing event it is on average closest to (at least ``threshold``) or founds a new event,
    possibly with other new articles. Assignments of stored articles never change, except
    through ``merge``, which is recorded in ``merges``. Each batch costs time in proportion to
    its size and to the candidates the index returns, not to the size of the store (apart from
    an occasional ``refresh``, linear in the store, when it has grown by ``refresh_growth``).

    ``state_dict()`` is JSON-able; ``IncrementalClusterer.from_state(state)`` restores it, and
    ``from_events(store_events, features)`` rebuilds one from stored events.
    """

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self.df = DocumentFrequencies(min_docs=self.settings.idf_min_docs)
        self._vectorizer = Vectorizer(self.settings.vector_weights(), self.df)
        self._features: dict[str, ArticleFeatures] = {}
        self._vectors: dict[str, Vector] = {}
        self._evectors: dict[str, Vector] = {}  # the entity columns of each vector
        self._event_of: dict[str, str] = {}
        self._events: dict[str, _StoredEvent] = {}
        self._sums: dict[str, Vector] = {}
        self._esums: dict[str, Vector] = {}  # the entity columns of each event's sum
        self._ents: dict[str, int] = {}  # members of each event that name an entity
        self._postings: dict[str, list[tuple[float, str]]] = defaultdict(list)  # key -> [(day, id)]
        self._keys_of: dict[str, list[str]] = {}
        self._seq = 0
        self._refreshed_at = 0
        self._touched: dict[str, set[str]] = {}  # event -> members added since the last merge check
        self.merges: list[Merge] = []

    # ------------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self._event_of)

    def event_of(self, article_id: str) -> str | None:
        return self._event_of.get(article_id)

    def events(self) -> list[Event]:
        out = [Event(id=e.id, article_ids=sorted(e.article_ids), title=e.title) for e in self._events.values()]
        return sorted(out, key=lambda e: (-len(e.article_ids), e.id))

    # ------------------------------------------------------------------ assignment

    def assign(self, article: Article, analysis: ArticleAnalysis | None = None) -> str:
        """Put one article in its event (joining the best stored event or founding one)."""
        return self.assign_batch([article], [analysis] if analysis else None)[article.id]

    def assign_batch(self, articles: Sequence[Article], analyses: Analyses = None) -> dict[str, str]:
        """Assign a batch of articles; article id -> event id (known articles keep theirs)."""
        new = {a.id: a for a in articles if a.id not in self._event_of}
        feats = extract_features(list(new.values()), analyses, lead_chars=self.settings.lead_chars) if new else []
        self.add_features(feats)
        return {a.id: self._event_of[a.id] for a in articles}

    def add_features(self, feats: Sequence[ArticleFeatures]) -> dict[str, str]:
        """``assign_batch`` on precomputed features; article id -> event id for the new ones."""
        s = self.settings
        feats = sorted({f.article_id: f for f in feats if f.article_id not in self._event_of}.values(),
                       key=lambda f: f.article_id)
        if not feats:
            return {}
        self.df.add(feats)
        if self._refreshed_at and self.df.n_docs >= (1 + s.refresh_growth) * self._refreshed_at:
            self.refresh()
        X = self._vectorizer.transform(feats)
        rows = _row_dicts(X)
        E = _entity_block(X, self._vectorizer.keys)
        erows = _row_dicts(E)
        days = _day_numbers(feats)

        # new-to-new edges, exactly as in batch clustering; new-to-stored from the index
        i, j, sims, esims = checked_edges(X, E, days, s)
        stored = self._stored_candidates(X, rows, erows, days)
        # nodes: the stored events that are candidates (frozen), then the new articles
        event_ids = sorted({self._event_of[aid] for _, aid in stored})
        node_of_event = {e: k for k, e in enumerate(event_ids)}
        offset = len(event_ids)
        agg = _Agglomerator(
            s,
            [dict(v) for v in [*(self._sums[e] for e in event_ids), *rows]],  # merging mutates them
            [dict(v) for v in [*(self._esums[e] for e in event_ids), *erows]],
            [len(self._events[e].article_ids) for e in event_ids] + [1] * len(feats),
            [self._ents[e] for e in event_ids] + [int(bool(e)) for e in erows],
            [self._events[e].days for e in event_ids] + [(d, d) if not math.isnan(d) else None for d in days],
            [True] * offset + [False] * len(feats),
        )
        agg.add_edges(i + offset, j + offset, sims, esims)
        if stored:
            new_rows = np.asarray([r for r, _ in stored], dtype=np.int64) + offset
            nodes = np.asarray([node_of_event[self._event_of[aid]] for _, aid in stored], dtype=np.int64)
            agg.add_edges(new_rows, nodes)  # linkage to the whole event, from its sum
        for members in agg.run():
            frozen = [m for m in members if m < offset]
            fresh = sorted(m - offset for m in members if m >= offset)
            if not fresh:
                continue
            if frozen:
                ev = self._events[event_ids[frozen[0]]]
            else:
                ev = _StoredEvent(id=event_id([feats[r].article_id for r in fresh]), article_ids=[], seq=self._seq)
                self._seq += 1
                self._events[ev.id] = ev
                self._sums[ev.id] = {}
                self._esums[ev.id] = {}
                self._ents[ev.id] = 0
            for r in fresh:
                self._add_article(ev, feats[r], rows[r], erows[r], days[r])
            added = [feats[r].article_id for r in fresh]
            self._touched.setdefault(ev.id, set()).update(added)
            self._retitle(ev, added)
        if not self._refreshed_at:
            self._refreshed_at = self.df.n_docs
        return {f.article_id: self._event_of[f.article_id] for f in feats}

    def _stored_candidates(
        self, X: sp.csr_matrix, rows: list[Vector], erows: list[Vector], days: np.ndarray
    ) -> list[tuple[int, str]]:
        """(new row, stored article id) pairs: stored articles sharing one of the new article's
        top keys (the ``block_width`` nearest in date per key), inside the time window and at
        least ``min_edge()`` similar with the entity check (as ``checked_edges``)."""
        s = self.settings
        if not self._event_of:
            return []
        keys = self._vectorizer.keys
        pairs: set[tuple[int, str]] = set()
        for r, cols in enumerate(_top_keys(X, s.block_keys)):
            for c in cols.tolist():
                posting = self._postings.get(keys[c])
                if posting:
                    pairs.update((r, aid) for aid in _nearest(posting, days[r], s.block_width))
        out: list[tuple[int, str]] = []
        floor = s.min_edge()
        for r, aid in sorted(pairs):
            f = self._features[aid]
            if s.window_days is not None and f.date and not math.isnan(days[r]):
                if abs(f.date.toordinal() - days[r]) > s.window_days:
                    continue
            other = self._evectors[aid]
            sim = linkage_value(s, _dict_dot(rows[r], self._vectors[aid]), _dict_dot(erows[r], other),
                                1, 1, int(bool(erows[r])), int(bool(other)))
            if sim >= floor:
                out.append((r, aid))
        return out

    def _add_article(self, ev: _StoredEvent, f: ArticleFeatures, vector: Vector, evector: Vector, day: float) -> None:
        aid = f.article_id
        ev.article_ids.append(aid)
        ev.add_day(day)
        self._event_of[aid] = ev.id
        self._features[aid] = f
        self._vectors[aid] = vector
        self._evectors[aid] = evector
        _add_into(self._sums[ev.id], vector)
        _add_into(self._esums[ev.id], evector)
        self._ents[ev.id] += bool(evector)
        self._index(aid, vector, day)

    def _index(self, aid: str, vector: Vector, day: float) -> None:
        keys = self._vectorizer.keys
        top = [keys[c] for c in heapq.nlargest(self.settings.block_keys, vector, key=vector.__getitem__)]
        self._keys_of[aid] = top
        entry = (-math.inf if math.isnan(day) else day, aid)
        for key in top:
            bisect.insort(self._postings[key], entry)

    def _retitle(self, ev: _StoredEvent, candidates: Iterable[str] | None = None) -> None:
        """Title the event with the headline of the member closest to its centre, choosing among
        ``candidates`` and the current title holder (all members when None)."""
        pool = set(ev.article_ids if candidates is None else candidates)
        if ev.headline_of is not None and candidates is not None:
            pool.add(ev.headline_of)
        total = self._sums[ev.id]
        best = max(
            sorted(pool),
            key=lambda a: (bool(self._features[a].title), _dict_dot(self._vectors[a], total), _Reverse(a)),
        )
        ev.headline_of = best
        ev.title = self._features[best].title or self._features[best].snippet

    def refresh(self) -> None:
        """Re-weight every stored vector with the current document frequencies (assignments
        unchanged), and rebuild centroids and the inverted index. Linear in the store."""
        ids = sorted(self._features)
        self._refreshed_at = self.df.n_docs
        if not ids:
            return
        feats = [self._features[a] for a in ids]
        X = self._vectorizer.transform(feats)
        rows = _row_dicts(X)
        days = _day_numbers(feats)
        self._vectors = dict(zip(ids, rows, strict=True))
        self._evectors = dict(zip(ids, _row_dicts(_entity_block(X, self._vectorizer.keys)), strict=True))
        self._postings = defaultdict(list)
        for aid, row, day in zip(ids, rows, days.tolist(), strict=True):
            self._index(aid, row, day)
        for ev in self._events.values():
            total: Vector = {}
            etotal: Vector = {}
            ev.days = None
            for aid in ev.article_ids:
                _add_into(total, self._vectors[aid])
                _add_into(etotal, self._evectors[aid])
                f = self._features[aid]
                ev.add_day(f.date.toordinal() if f.date else math.nan)
            self._sums[ev.id] = total
            self._esums[ev.id] = etotal
            self._ents[ev.id] = sum(bool(self._evectors[aid]) for aid in ev.article_ids)
            if ev.headline_of is None:
                self._retitle(ev)

    # ------------------------------------------------------------------ merging

    def merge_candidates(
        self, threshold: float | None = None, *, events: Iterable[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """Pairs of stored events whose average similarity reaches ``threshold`` (default
        ``settings.merge_threshold``, else ``threshold``), best first: (event, event, similarity).

        Only events that gained articles since the last ``merge_all`` are examined unless
        ``events`` names some. Partners come from the inverted index, never from all pairs:
        events sharing a top key with the articles added since the last check (with all
        members for events named in ``events``) or with the event's own centroid, so a check
        costs in proportion to what was added, not to the size of the events. Nothing changes
        until ``merge``."""
        s = self.settings
        floor = threshold if threshold is not None else (s.merge_threshold if s.merge_threshold is not None else s.threshold)
        if events is not None:
            todo = {e: set(self._events[e].article_ids) for e in events if e in self._events}
        else:
            todo = self._touched
        found: dict[tuple[str, str], float] = {}
        keys = self._vectorizer.keys
        for eid in sorted(todo):
            ev = self._events.get(eid)
            if ev is None:
                continue
            total = self._sums[eid]
            centre_day = (ev.days[0] + ev.days[1]) / 2 if ev.days else math.nan
            probes = [(self._keys_of.get(aid, []), self._day_of(aid)) for aid in sorted(todo[eid]) if aid in self._event_of]
            probes.append(([keys[c] for c in heapq.nlargest(s.block_keys, total, key=total.__getitem__)], centre_day))
            others: set[str] = set()
            for probe_keys, day in probes:
                for key in probe_keys:
                    others.update(self._event_of[o] for o in _nearest(self._postings[key], day, s.block_width))
            others.discard(eid)
            for other in sorted(others):
                pair = (min(eid, other), max(eid, other))
                if pair in found:
                    continue
                sim = self._event_similarity(eid, other)
                if sim >= floor and self._within_window(eid, other):
                    found[pair] = sim
        return sorted(((a, b, v) for (a, b), v in found.items()), key=lambda t: (-t[2], t[0], t[1]))

    def _event_similarity(self, a: str, b: str) -> float:
        """Average-linkage similarity of two stored events (``linkage_value``)."""
        return linkage_value(
            self.settings, _dict_dot(self._sums[a], self._sums[b]), _dict_dot(self._esums[a], self._esums[b]),
            len(self._events[a].article_ids), len(self._events[b].article_ids), self._ents[a], self._ents[b],
        )

    def _day_of(self, aid: str) -> float:
        date = self._features[aid].date
        return date.toordinal() if date else math.nan

    def _within_window(self, a: str, b: str) -> bool:
        window = self.settings.window_days
        ra, rb = self._events[a].days, self._events[b].days
        if window is None or ra is None or rb is None:
            return True
        return max(ra[0], rb[0]) - min(ra[1], rb[1]) <= window

    def merge(self, a: str, b: str, similarity: float = math.nan) -> str:
        """Merge two stored events; the older one keeps its id. Returns the surviving id."""
        if a == b:
            return a
        ea, eb = self._events[a], self._events[b]
        kept, gone = (ea, eb) if ea.seq <= eb.seq else (eb, ea)
        for aid in gone.article_ids:
            self._event_of[aid] = kept.id
        kept.article_ids.extend(gone.article_ids)
        for day in gone.days or ():
            kept.add_day(day)
        _add_into(self._sums[kept.id], self._sums.pop(gone.id))
        _add_into(self._esums[kept.id], self._esums.pop(gone.id))
        self._ents[kept.id] += self._ents.pop(gone.id)
        del self._events[gone.id]
        self._touched.setdefault(kept.id, set()).update(self._touched.pop(gone.id, ()))
        self._retitle(kept, [x for x in (gone.headline_of,) if x])
        self.merges.append(Merge(absorbed=gone.id, kept=kept.id, similarity=similarity))
        return kept.id

    def merge_all(self, threshold: float | None = None) -> list[Merge]:
        """Merge what ``merge_candidates`` proposes (best pair first) until nothing is left;
        the merges made. The events are then marked checked."""
        made: list[Merge] = []
        while True:
            candidates = self.merge_candidates(threshold)
            if not candidates:
                self._touched = {}
                return made
            done: set[str] = set()
            for a, b, sim in candidates:
                if a in done or b in done:
                    continue  # one of them changed: proposed again next round if still similar
                self.merge(a, b, sim)
                made.append(self.merges[-1])
                done.update((a, b))

    # ------------------------------------------------------------------ persistence

    def state_dict(self) -> dict[str, Any]:
        """A JSON-able snapshot: settings, articles' features and events, events, merges."""
        return {
            "version": 1,
            "settings": self.settings.to_dict(),
            "seq": self._seq,
            "articles": [
                {**self._features[a].to_dict(), "event": self._event_of[a]} for a in sorted(self._features)
            ],
            "events": [
                {"id": e.id, "seq": e.seq, "title": e.title, "headline_of": e.headline_of,
                 "article_ids": list(e.article_ids)}
                for e in sorted(self._events.values(), key=lambda e: e.seq)
            ],
            "merges": [asdict(m) for m in self.merges],
            "touched": {e: sorted(members) for e, members in sorted(self._touched.items())},
        }

    @classmethod
    def from_events(
        cls, events: Iterable[Event], features: Iterable[ArticleFeatures], settings: ClusterSettings | None = None
    ) -> IncrementalClusterer:
        """A clusterer holding stored events (e.g. ``Store.events()``) and their articles'
        features (``extract_features`` over the stored articles and analyses). Events are taken
        as created in the order given; articles without features are left out."""
        by_id = {f.article_id: f for f in features}
        state_events, articles = [], []
        for seq, ev in enumerate(events):
            members = [a for a in ev.article_ids if a in by_id]
            if not members:
                continue
            state_events.append({"id": ev.id, "seq": seq, "title": ev.title, "article_ids": members})
            articles.extend({**by_id[a].to_dict(), "event": ev.id} for a in members)
        settings = settings or ClusterSettings()
        return cls.from_state(
            {"settings": settings.to_dict(), "seq": len(state_events), "articles": articles, "events": state_events}
        )

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> IncrementalClusterer:
        """Restore a clusterer from ``state_dict`` output (vectors are re-weighted on load).

        The state holds features, not vectors or sums, so it needs no new version for the
        entity check: its parts are rebuilt on load, and a state saved before
        ``entity_support`` existed takes the current default (assignments made are kept)."""
        self = cls(ClusterSettings.from_dict(state.get("settings", {})))
        self._seq = int(state.get("seq", 0))
        feats = [ArticleFeatures.from_dict(a) for a in state.get("articles", [])]
        self.df.add(feats)
        self._features = {f.article_id: f for f in feats}
        for e in state.get("events", []):
            ev = _StoredEvent(
                id=e["id"], article_ids=list(e["article_ids"]), seq=int(e["seq"]), title=e.get("title", ""),
                headline_of=e.get("headline_of"),
            )
            self._events[ev.id] = ev
            for aid in ev.article_ids:
                self._event_of[aid] = ev.id
        self.merges = [Merge(**m) for m in state.get("merges", [])]
        self._touched = {e: set(m) for e, m in state.get("touched", {}).items() if e in self._events}
        self.refresh()
        return self


class _Reverse(str):
    """A string that sorts backwards (``max`` then prefers the smallest id on ties)."""

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__lt__(self, other)


def _add_into(total: Vector, vector: Vector) -> None:
    for col, value in vector.items():
        total[col] = total.get(col, 0.0) + value


def _nearest(posting: list[tuple[float, str]], day: float, width: int) -> list[str]:
    """Up to ``width`` ids of a date-sorted posting list nearest to ``day``; for an undated
    article, ``width`` ids spread evenly over the list."""
    if len(posting) <= width:
        return [aid for _, aid in posting]
    if math.isnan(day):
        step = len(posting) / width
        return [posting[int(k * step)][1] for k in range(width)]
    k = bisect.bisect_left(posting, (day, ""))
    lo = max(0, min(k - width // 2, len(posting) - width))
    return [aid for _, aid in posting[lo : lo + width]]
