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
from collections.abc import Mapping, Sequence
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
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("-", " ").lower()
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


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


@dataclass(slots=True)
class Alignment:
    nodes: dict[SentenceRef, SentenceNode]
    matches: dict[SentenceRef, list[Match]]  # sorted by score, best first
    article_source: dict[str, str]
    article_outlet: dict[str, str]
    event_entities: dict[str, set[str]] = field(default_factory=dict)  # entity key -> articles naming it
    overlap: float = 0.0  # share of sentences with at least one supporting match (how much the reports overlap)
    coherence: dict[SentenceRef, float] = field(default_factory=dict)  # similarity to its own article
    own_sims: dict[tuple[SentenceRef, SentenceRef], float] = field(default_factory=dict)  # lexical sim of every pair of sentences with figures
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


def same_statement(a: SentenceNode, b: SentenceNode, settings: "VerifySettings") -> bool:
    """Both sentences quote the same upstream statement (most of the shorter quote's words recur)."""
    qa, qb = a.quote_words, b.quote_words
    if len(qa) < settings.min_quote_words or len(qb) < settings.min_quote_words:
        return False
    return len(qa & qb) / min(len(qa), len(qb)) >= settings.quote_overlap


def _abbreviation(da: frozenset[str], db: frozenset[str]) -> bool:
    """One side's differing words are the other side's spelled-out initials ("UN" / "United
    Nations"): the same wording, not a misquote."""
    for short, long in ((da, db), (db, da)):
        if len(short) == 1 and len(long) >= 2:
            word = next(iter(short))
            if len(word) == len(long) and sorted(word) == sorted(w[0] for w in long):
                return True
    return False


def _passage_pairs(
    dedup: DedupResult | None, nodes: Mapping[SentenceRef, SentenceNode]
) -> set[tuple[SentenceRef, SentenceRef]]:
    """Sentence pairs covered on both sides by one verbatim shared passage."""
    if not dedup or not dedup.passages:
        return set()
    by_article: dict[str, list[SentenceNode]] = defaultdict(list)
    for node in nodes.values():
        by_article[node.ref.article].append(node)

    def covered(article: str, start: int, end: int) -> list[SentenceRef]:
        out = []
        for node in by_article.get(article, ()):
            s, e = node.info.start, node.info.end
            inter = min(e, end) - max(s, start)
            if e > s and inter >= 0.5 * (e - s):
                out.append(node.ref)
        return out

    pairs = set()
    for p in dedup.passages:
        left = covered(p.article_a, p.start_a, p.end_a)
        right = covered(p.article_b, p.start_b, p.end_b)
        for x in left:
            for y in right:
                pairs.add((x, y))
                pairs.add((y, x))
    return pairs


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


def _swapped(a: SentenceNode, b: SentenceNode, event_entities: Mapping[str, set[str]]) -> tuple[str, ...]:
    """Names in `a` that `b` replaces by a different name of the same kind, where the name in `a`
    appears in no other article of the event (an actor or place swapped in)."""
    out = []
    for key, label in a.entity_labels.items():
        if label not in SWAP_LABELS or any(_entities_match(key, k) for k in b.entities):
            continue
        others = {art for k, arts in event_entities.items() if _entities_match(key, k) for art in arts}
        if others - {a.ref.article}:
            continue  # someone else names it too: not invented
        if any(lbl == label and not any(_entities_match(k, x) for x in a.entities)
               for k, lbl in b.entity_labels.items()):
            out.append(key)
    return tuple(out)


def align_event(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    dedup: DedupResult | None,
    settings: "VerifySettings",
) -> Alignment:
    """All sentence matches across the articles of one event (score >= settings.context_threshold)."""
    nodes, outlet, source = build_nodes(articles, analyses, dedup, settings)
    order = list(nodes.values())
    matches: dict[SentenceRef, list[Match]] = {n.ref: [] for n in order}
    event_entities: dict[str, set[str]] = defaultdict(set)
    for n in order:
        for key in n.entities:
            event_entities[key].add(n.ref.article)
    coherence: dict[SentenceRef, float] = {}
    own_sims: dict[tuple[SentenceRef, SentenceRef], float] = {}
    if not order:
        return Alignment(nodes, matches, source, outlet, dict(event_entities))
    tfidf = _tfidf(order)
    sims = (tfidf @ tfidf.T).toarray()
    passages = _passage_pairs(dedup, nodes)
    articles_of = np.array([n.ref.article for n in order])
    with_figures = [j for j, n in enumerate(order) if n.figures]
    for i, a in enumerate(order):
        same = articles_of == a.ref.article
        own = sims[i, same]
        coherence[a.ref] = float(np.sort(own)[-2]) if own.size > 1 else 1.0  # best other sentence of its article
        if a.figures:
            for j in with_figures:
                if j != i:
                    own_sims[(a.ref, order[j].ref)] = float(sims[i, j])
        # bonuses are scaled by lexical / bonus_lexical_floor, so below this floor no pair can
        # reach the context threshold unless it shares a quote or a verbatim passage
        max_bonus = settings.entity_weight + settings.figure_weight + settings.speaker_weight
        floor = settings.context_threshold / (1.0 + max_bonus / max(settings.bonus_lexical_floor, 1e-9))
        for j in np.nonzero(~same)[0]:
            b = order[j]
            lexical = float(sims[i, j])
            if lexical < floor and not (a.quote_words and b.quote_words) and (a.ref, b.ref) not in passages:
                continue
            shared_ents = tuple(sorted(k for k in a.entities if any(_entities_match(k, x) for x in b.entities)))
            spk = bool(a.speaker and b.speaker and _entities_match(a.speaker, b.speaker))
            # the speaker's own name is counted by the speaker bonus, not again as a shared entity
            ents_a = {k for k in a.entities if not (a.speaker and _entities_match(k, a.speaker))}
            ents_b = {k for k in b.entities if not (b.speaker and _entities_match(k, b.speaker))}
            common = sum(1 for k in ents_a if any(_entities_match(k, x) for x in ents_b))
            union = len(ents_a | ents_b)
            ent_score = common / union if union else 0.0
            shared_fig, clash = _figure_relation(a, b)
            stmt = same_statement(a, b, settings)
            quote_diff: tuple[str, ...] = ()
            if stmt:
                da, db = a.quote_words - b.quote_words, b.quote_words - a.quote_words
                if da and db and len(da) <= 3 and len(db) <= 3 and not _abbreviation(da, db):
                    quote_diff = tuple(sorted(da))
            passage = (a.ref, b.ref) in passages
            # bonuses confirm lexical evidence; they cannot make a match out of a shared name alone
            scale = min(1.0, lexical / settings.bonus_lexical_floor) if settings.bonus_lexical_floor else 1.0
            score = lexical + scale * (
                settings.entity_weight * ent_score
                + settings.figure_weight * (shared_fig or clash)
                + settings.speaker_weight * spk
            )
            if stmt:
                score = max(score, settings.support_threshold + 0.25)
            if passage:
                score = max(score, 1.0)
            if score < settings.context_threshold:
                continue
            n_shared = len(set(a.terms) & set(b.terms)) + common
            polarity = bool(a.info.negated) != bool(b.info.negated) and lexical >= settings.polarity_min_lexical
            swapped = (
                _swapped(a, b, event_entities)
                if lexical >= settings.swap_min_lexical and not (stmt or passage)
                else ()
            )
            matches[a.ref].append(
                Match(
                    target=b.ref,
                    score=round(score, 4),
                    lexical=round(lexical, 4),
                    shared_entities=shared_ents,
                    shared_terms=n_shared,
                    shared_figure=shared_fig,
                    same_speaker=spk,
                    same_statement=stmt,
                    quote_diff=quote_diff,
                    shared_passage=passage,
                    figure_clash=clash,
                    polarity_differs=polarity,
                    swapped_entities=swapped,
                )
            )
    for ref in matches:
        matches[ref].sort(key=lambda m: (-m.score, m.target.article, m.target.index))
    neighbour, outside, novel_terms, novel_entities = _context_metrics(order, sims, articles_of)
    supported = sum(1 for ref, ms in matches.items() if any(m.supports(settings) for m in ms))
    return Alignment(
        nodes=nodes,
        matches=matches,
        article_source=source,
        article_outlet=outlet,
        event_entities=dict(event_entities),
        overlap=supported / len(order),
        coherence=coherence,
        own_sims=own_sims,
        neighbour=neighbour,
        outside=outside,
        novel_terms=novel_terms,
        novel_entities=novel_entities,
    )


def _context_metrics(
    order: Sequence[SentenceNode], sims: np.ndarray, articles_of: np.ndarray, window: int = 2
) -> tuple[dict[SentenceRef, float], dict[SentenceRef, float], dict[SentenceRef, float], dict[SentenceRef, tuple[str, ...]]]:
    """How each sentence fits its surroundings: lexical similarity to its neighbours (+-`window`
    sentences of its article) and to the best sentence of any other article; the share of its
    content words no other sentence of the event uses; the names no other sentence of the event
    uses. A sentence written into a report from elsewhere shares little with the sentences around
    it and brings words and names of its own."""
    term_df: Counter[str] = Counter()
    for n in order:
        term_df.update(set(n.terms))
    entity_count: Counter[str] = Counter()
    for n in order:
        entity_count.update(n.entities)
    positions: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(order):
        positions[n.ref.article].append(i)
    neighbour, outside, novel_terms, novel_entities = {}, {}, {}, {}
    for article, idx in positions.items():
        idx = sorted(idx, key=lambda i: order[i].ref.index)
        other = np.nonzero(articles_of != article)[0]
        for k, i in enumerate(idx):
            node = order[i]
            near = [idx[x] for x in range(max(0, k - window), min(len(idx), k + window + 1)) if x != k]
            neighbour[node.ref] = float(max((sims[i, j] for j in near), default=0.0))
            outside[node.ref] = float(sims[i, other].max()) if other.size else 0.0
            terms = set(node.terms)
            novel_terms[node.ref] = sum(1 for t in terms if term_df[t] == 1) / len(terms) if terms else 0.0
            novel_entities[node.ref] = tuple(sorted(
                k2 for k2 in node.entities
                if entity_count[k2] == 1 and not any(
                    _entities_match(k2, x) for n2 in order if n2.ref != node.ref for x in n2.entities)
            ))
    return neighbour, outside, novel_terms, novel_entities
