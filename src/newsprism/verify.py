"""Cross-document verification of one event: a label for every sentence, a conflicts table, and a
calibrated suspicion for every article.

`verify_event` is a pure function of the event's articles, their linguistic analyses and the
dedup result. Steps:

1. `align.align_event`: for every sentence, the sentences of the other articles that speak of the
   same fact (TF-IDF cosine over content lemmas + shared names, figures and speakers).
2. Conflicts: figures of comparable units (km2 with km2; counted people with counted people; a
   count of people "executed"/"shot" with executions) whose contexts speak of the same fact and
   whose intervals do not overlap, listed with outlets and speakers; and aligned sentences with
   opposite polarity.
3. Labels: `corroborated` (by >= 1 independent outlet: copies, verbatim passages and one quoted
   upstream statement count once), `single-source` (nobody else, but attributed or not
   specific), `unsupported` (specific, unattributed content nobody else reports, or a statement
   put in an authority's mouth that nobody else reports), `conflicting` (a figure that disagrees
   with the majority) and `opinion` (rhetorical questions, unattributed predictions, evaluative
   sentences without factual content) — opinion is never scored as an unsupported claim.
4. `suspicion`: sentence suspicion from interpretable components and an article suspicion from a
   logistic model on a handful of article features (see docs/SUSPICION.md for what 0.5 means).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from . import suspicion as susp
from .align import Alignment, Figure, SentenceNode, align_event, overlaps
from .records import (
    Article,
    ArticleAnalysis,
    Conflict,
    DedupResult,
    Event,
    EventVerification,
    FigureVariant,
    SentenceRef,
    SentenceVerdict,
)


@dataclass(slots=True)
class VerifySettings:
    """Every threshold and weight of the cross-check, with its default and meaning."""

    # --- alignment (align.py); scores are TF-IDF cosine + bonuses, roughly 0..1.5
    support_threshold: float = 0.30  # a match at least this strong counts as support for the same fact
    context_threshold: float = 0.12  # weaker matches are kept as context (figures, polarity, swaps)
    entity_weight: float = 0.25  # bonus x Jaccard of the two sentences' named entities
    figure_weight: float = 0.10  # bonus when both carry a figure of the same unit class
    speaker_weight: float = 0.10  # bonus when both attribute to the same speaker
    bonus_lexical_floor: float = 0.30  # bonuses count fully only from this lexical similarity up (scaled below)
    min_quote_words: int = 4  # quotes shorter than this (content words) are not matched as statements
    quote_overlap: float = 0.6  # share of the shorter quote's words found in the other: same statement
    polarity_min_lexical: float = 0.45  # opposite negation only counts between this similar sentences
    swap_min_lexical: float = 0.35  # a swapped name only counts between this similar sentences
    min_corroboration: int = 1  # independent outlets needed for `corroborated`
    min_shared_terms: int = 2  # support needs this many shared content words/names (or the same quote)

    # --- figures
    approx_tolerance: float = 0.10  # "about/nearly 200" allows 10 %
    open_bound_slack: float = 0.20  # "at least 79" is read as 79..95 when compared with other figures
    figure_context_threshold: float = 0.20  # context similarity that makes two same-unit figures one fact
    duration_context_threshold: float = 0.45  # the same for durations (hours, days, years): often different facts
    conflict_full_ratio: float = 3.0  # a figure this many times off the consensus conflicts at full strength
    figure_magnitude_link: float = 3.0  # cue-less figures of the same counted noun within this ratio are one fact

    # --- labels
    min_specificity: float = 0.45  # below this an unsupported sentence is `single-source`, not `unsupported`
    opinion_subjectivity: float = 0.5  # linguistics subjectivity at/above which a sentence reads as evaluative

    # --- sentence suspicion weights: noisy-or of components (each 0..1; see suspicion.py). The
    # defaults are `suspicion.weights_from_calibration(DEFAULT_CALIBRATION)`: w = 1 - exp(-coef),
    # so the sentences ranked most suspicious are those that move the article score most.
    w_unsupported: float = 0.1  # specific, unattributed content nobody else reports
    w_single: float = 0.1  # attributed content nobody else reports (single-source is not suspicious)
    w_conflict: float = 0.1  # a figure far from the consensus of the other reports
    w_invented: float = 0.672  # a quote put in an authority's mouth that nobody else reports
    w_negation: float = 0.172  # a statement whose polarity more independent outlets contradict
    w_swap: float = 0.447  # a named actor/place nobody else names, where aligned reports name another
    w_opinion: float = 0.749  # unattributed rhetorical question, prediction or evaluative sentence
    w_loaded: float = 0.332  # unattributed loaded/emotive words (scaled by how many)
    w_incoherent: float = 0.334  # specific sentence sharing nothing with its own article (off-topic)
    w_style: float = 0.393  # loaded words / authority quotes beyond the outlet's usual rate (prior)
    w_misquote: float = 0.245  # the same quoted statement with words replaced (weighted by who agrees)
    w_isolated: float = 0.118  # a sentence nobody else carries that shares little with its own article
    w_dissent: float = 0.341  # a figure that the aligned reports of the same fact give differently
    attributed_discount: float = 0.5  # attributed claims carry this share of the unsupported/conflict weight
    low_overlap: float = 0.25  # event overlap below which cross-document absence weighs less
    # inserted-sentence score (suspicion.isolation): logistic intercept and coefficients of the best
    # similarity to another report, to its neighbours (+-2), to its own article, and the share of
    # words no other sentence of the event uses; fitted on dev-set tuning sentences (setting A, odd topics)
    isolation_model: tuple[float, ...] = (0.75, -2.0, -5.5, -7.7, 4.5)
    isolation_floor: float = 0.7  # model probability (balanced classes) below which a sentence is not isolated
    isolated_min_terms: int = 5  # without names or figures, it needs this many content words to count
    dissent_min_lexical: float = 0.25  # aligned sentences at least this similar are compared for figures

    # --- article suspicion: logistic(intercept + sum(coef * feature)), features in suspicion.FEATURES
    calibration: tuple[float, ...] = susp.DEFAULT_CALIBRATION
    reason_min: float = 0.15  # sentences at or above this suspicion are named as reasons
    max_reasons: int = 5


# --------------------------------------------------------------------------- conflicts


@dataclass(slots=True)
class ConflictMarks:
    """Per sentence: the sentences it conflicts with, off the consensus (`minority`, which makes it
    `conflicting`) or on it (`majority`); `strength` grows with the distance from the consensus."""

    minority: dict[SentenceRef, set[SentenceRef]] = field(default_factory=lambda: defaultdict(set))
    majority: dict[SentenceRef, set[SentenceRef]] = field(default_factory=lambda: defaultdict(set))
    strength: dict[SentenceRef, float] = field(default_factory=dict)
    why: dict[SentenceRef, list[str]] = field(default_factory=lambda: defaultdict(list))


_TOPIC_CUES: dict[str, frozenset[str]] = {
    "trapped": frozenset({"trap", "trapped", "stuck", "besiege", "besieged", "siege", "encircle", "encircled",
                          "surround", "surrounded", "corner", "cornered", "remain", "left", "nowhere"}),
    "killed": frozenset({"execute", "executed", "execution", "kill", "killed", "dead", "death", "die", "died",
                         "shot", "massacre", "massacred", "murder", "murdered", "toll"}),
    "injured": frozenset({"injure", "injured", "wound", "wounded", "hurt", "injury"}),
    "evacuated": frozenset({"evacuate", "evacuated", "evacuation", "flee", "fled", "exodus", "displace", "displaced"}),
    "arrested": frozenset({"arrest", "arrested", "detain", "detained", "custody", "detention"}),
    "missing": frozenset({"missing", "disappear", "disappeared"}),
}
_AREA_NOUNS = ("pocket", "enclave", "area", "zone", "strip", "territory", "district", "region", "city")


_THREAT = frozenset({"threaten", "threatened", "risk", "risking", "fear", "feared", "facing", "could", "may", "might"})
_DURATIONS = frozenset({"hour", "day", "week", "month", "year", "minute", "second"})


def _cue_topics(node: SentenceNode, figure: Figure | None = None) -> set[str]:
    """Fact-type cues ("trapped", "killed", ...) in the figure's clause (the whole sentence when no
    figure is given); a killing only threatened ("threatened with executions") is no death toll."""
    text = node.info.text
    if figure is not None:
        q = figure.quantity
        start = max(0, q.char_start - 40)
        nxt = [f.quantity.char_start for f in node.figures if f.quantity.char_start > q.char_end and f.cls == figure.cls]
        end = min(nxt) if nxt else len(text)
        text = text[start:end]
    words = re.findall(r"[a-z]+", text.lower())
    found = set()
    for topic, cues in _TOPIC_CUES.items():
        hits = [i for i, w in enumerate(words) if w in cues]
        if not hits:
            continue
        if topic == "killed" and any(w in _THREAT for w in words[: hits[0]]):
            continue
        found.add(topic)
    return found


def _variant_key(f: Figure) -> str:
    q = f.quantity
    sym = {
        "at_least": ">=", "more_than": ">", "no_less_than": ">=", "over": ">",
        "at_most": "<=", "less_than": "<", "up_to": "<=", "no_more_than": "<=", "under": "<",
        "nearly": "~<", "almost": "~<", "about": "~", "around": "~", "approximately": "~",
    }.get((q.qualifier or "").lower(), "")
    value = f"{q.value:,.6g}".replace(",", "") if q.value == int(q.value) else f"{q.value:.3g}"
    unit = "people" if q.unit in _PEOPLE_NOUNS else q.unit
    return f"{value} {unit}" + (f" ({sym})" if sym else "")


_PEOPLE_NOUNS = frozenset({"being", "beings", "soul", "souls", "human", "humans", "human being", "individual", "person"})


def _topic(cls: str, members: Sequence[Figure], nodes: Mapping[SentenceRef, SentenceNode]) -> str:
    words = Counter(t for f in members for t in set(nodes[f.ref].terms))
    if cls == "km2" or cls == "km":
        noun = next((n for n in _AREA_NOUNS if n in words), "area")
        return f"area of the {noun}" if cls == "km2" else f"size of the {noun} (length)"
    if cls == "killed":
        if any(w in words for w in ("execution", "execute", "executed")):
            return "executions"
        return "people killed"
    nouns = Counter(f.quantity.unit for f in members)
    noun = nouns.most_common(1)[0][0]
    plural = noun if noun.endswith("s") else noun + "s"
    cues = Counter(t for f in members for t in _cue_topics(nodes[f.ref], f))
    if cls == "people":
        plural = "civilians" if "civilian" in nouns else plural
    if cues:
        return f"{plural} {cues.most_common(1)[0][0]}"
    return plural


def find_conflicts(alignment: Alignment, settings: VerifySettings) -> tuple[list[Conflict], ConflictMarks]:
    """Figure and polarity conflicts of the event, and which sentences sit on which side."""
    nodes = alignment.nodes
    figures: list[Figure] = [f for n in nodes.values() for f in n.figures]
    by_class: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        by_class[f.cls].append(f)

    conflicts: list[Conflict] = []
    marks = ConflictMarks()
    for cls, members in sorted(by_class.items()):
        if len({nodes[f.ref].source for f in members}) < 2:
            continue
        cues = [_cue_topics(nodes[f.ref], f) for f in members]
        parent = list(range(len(members)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        threshold = settings.duration_context_threshold if cls in _DURATIONS else settings.figure_context_threshold
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                fi, fj = members[i], members[j]
                if fi.ref == fj.ref:
                    continue
                ci, cj = cues[i], cues[j]
                if ci and cj and not (ci & cj) and cls != "killed":
                    continue  # "trapped" vs "evacuated": different facts
                sim = alignment.lexical(fi.ref, fj.ref)
                same_value = overlaps((fi.low, fi.high), (fj.low, fj.high))
                vi, vj = abs(fi.quantity.value), abs(fj.quantity.value)
                near = (
                    cls not in _DURATIONS
                    and fi.quantity.unit == fj.quantity.unit
                    and not (ci and cj)
                    and min(vi, vj) > 0
                    and max(vi, vj) / min(vi, vj) <= settings.figure_magnitude_link
                )
                if (
                    (ci & cj and cls not in _DURATIONS)
                    or sim >= threshold
                    or (same_value and fi.quantity.unit == fj.quantity.unit and sim > 0.02)
                    or ((same_value or near) and sim > 0.05)
                ):
                    parent[find(i)] = find(j)
        groups: dict[int, list[Figure]] = defaultdict(list)
        for i, f in enumerate(members):
            groups[find(i)].append(f)
        for group in groups.values():
            conflict = _conflict_of(cls, group, alignment, settings)
            if conflict is None:
                continue
            conflicts.append(conflict)
            _mark_minority(conflict, group, alignment, marks, settings)
    conflicts.extend(_polarity_conflicts(alignment))
    return conflicts, marks


def _variants(group: Sequence[Figure]) -> dict[str, list[Figure]]:
    variants: dict[str, list[Figure]] = {}
    for f in sorted(group, key=lambda f: (f.quantity.value, f.ref.article, f.ref.index)):
        variants.setdefault(_variant_key(f), []).append(f)
    return variants


def _conflict_of(cls: str, group: Sequence[Figure], alignment: Alignment, settings: VerifySettings) -> Conflict | None:
    nodes = alignment.nodes
    if len({nodes[f.ref].source for f in group}) < 2:
        return None
    variants = _variants(group)
    if len(variants) < 2:
        return None
    keys = list(variants)
    disjoint = any(
        not overlaps((a.low, a.high), (b.low, b.high))
        for i, ka in enumerate(keys) for kb in keys[i + 1:]
        for a in variants[ka][:1] for b in variants[kb][:1]
    )
    if not disjoint:
        return None
    out = []
    for key, figs in variants.items():
        refs = tuple(dict.fromkeys(f.ref for f in figs))
        arts = tuple(dict.fromkeys(r.article for r in refs))
        out.append(
            FigureVariant(
                value=figs[0].quantity.text,
                normalized=key,
                articles=arts,
                outlets=tuple(dict.fromkeys(alignment.article_outlet.get(a, a) for a in arts)),
                speakers=tuple(dict.fromkeys(
                    nodes[r].info.attribution.speaker for r in refs if nodes[r].info.attribution
                )),
                sentences=refs,
            )
        )
    unit = Counter(f.quantity.unit for f in group).most_common(1)[0][0]
    return Conflict(topic=_topic(cls, group, nodes), unit=unit, variants=tuple(out), kind="figure")


def _mark_minority(
    conflict: Conflict,
    group: Sequence[Figure],
    alignment: Alignment,
    marks: ConflictMarks,
    settings: VerifySettings,
) -> None:
    """The consensus is the median over independent sources (each source's own median figure); a
    variant whose interval misses the consensus is on the minority side, with a strength growing
    with its distance from the consensus (1.0 at `conflict_full_ratio` times or more)."""
    nodes = alignment.nodes
    variants = _variants(group)
    per_source: dict[str, list[float]] = defaultdict(list)
    for f in group:
        per_source[nodes[f.ref].source].append((f.low + f.high) / 2)
    consensus = statistics.median(statistics.median(v) for v in per_source.values())
    window = (consensus * (1 - settings.approx_tolerance), consensus * (1 + settings.approx_tolerance))
    for key, figs in variants.items():
        first = figs[0]
        rivals = [o for o in variants if o != key and not overlaps((first.low, first.high), (variants[o][0].low, variants[o][0].high))]
        if not rivals:
            continue
        others = {g.ref for o in rivals for g in variants[o]}
        if overlaps((first.low, first.high), window) or consensus <= 0:
            for f in figs:
                marks.majority[f.ref] |= others
                marks.why[f.ref].append(f"others give different figures for {conflict.topic} (this one agrees with the consensus)")
            continue
        mid = max((first.low + first.high) / 2, 1e-9)
        distance = abs(math.log(mid / consensus)) / math.log(settings.conflict_full_ratio)
        strength = max(0.3, min(1.0, distance))
        closest = min(variants, key=lambda o: abs(math.log(max((variants[o][0].low + variants[o][0].high) / 2, 1e-9) / consensus)))
        outlets = sorted({alignment.article_outlet.get(g.ref.article, g.ref.article) for g in variants[closest]})
        for f in figs:
            marks.minority[f.ref] |= others
            marks.strength[f.ref] = max(marks.strength.get(f.ref, 0.0), strength)
            marks.why[f.ref].append(
                f"figure conflicts on {conflict.topic}: '{f.quantity.text}' here, "
                f"'{variants[closest][0].quantity.text}' in {', '.join(outlets)} (the consensus of {len(per_source)} sources)"
            )


def _polarity_conflicts(alignment: Alignment) -> list[Conflict]:
    seen: set[frozenset[SentenceRef]] = set()
    out = []
    for ref, matches in alignment.matches.items():
        for m in matches:
            if not m.polarity_differs:
                continue
            pair = frozenset((ref, m.target))
            if pair in seen:
                continue
            seen.add(pair)
            a, b = alignment.nodes[ref], alignment.nodes[m.target]
            neg, pos = (a, b) if a.info.negated else (b, a)
            variants = tuple(
                FigureVariant(
                    value=n.info.text,
                    normalized="negated" if n.info.negated else "affirmed",
                    articles=(n.ref.article,),
                    outlets=(n.outlet,),
                    speakers=(n.info.attribution.speaker,) if n.info.attribution else (),
                    sentences=(n.ref,),
                )
                for n in (pos, neg)
            )
            topic = " ".join(pos.info.text.split()[:12])
            out.append(Conflict(topic=topic, unit="", variants=variants, kind="polarity"))
    return out


# --------------------------------------------------------------------------- labels


@dataclass(slots=True)
class SupportSummary:
    support: list[SentenceRef] = field(default_factory=list)
    content_sources: set[str] = field(default_factory=set)
    statement_sources: set[str] = field(default_factory=set)

    @property
    def independent(self) -> int:
        return len(self.content_sources) + (1 if self.statement_sources - self.content_sources else 0)


def summarize_support(node: SentenceNode, alignment: Alignment, settings: VerifySettings) -> SupportSummary:
    """Support from other independent sources: a match through a verbatim passage, the same quoted
    statement or the same speaker only shows the upstream statement was made (counted once)."""
    out = SupportSummary()
    for m in alignment.matches.get(node.ref, ()):
        if not m.supports(settings):
            continue
        target = alignment.nodes[m.target]
        if target.source == node.source:
            continue  # the same outlet, or a copy of this article: not independent
        out.support.append(m.target)
        upstream_only = m.same_statement or m.shared_passage or (
            m.same_speaker and node.attributed and target.attributed
        )
        (out.statement_sources if upstream_only else out.content_sources).add(target.source)
    return out


def verify_event(
    event: Event,
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    dedup: DedupResult | None = None,
    settings: VerifySettings | None = None,
    *,
    outlet_reference: Mapping[str, susp.OutletProfile] | None = None,
) -> EventVerification:
    """Label every sentence of every article of `event`, list the conflicts, score the articles."""
    settings = settings or VerifySettings()
    members = [a for a in articles if a.id in analyses]
    alignment = align_event(members, analyses, dedup, settings)
    conflicts, marks = find_conflicts(alignment, settings)

    per_article: list[tuple[str, list[SentenceVerdict]]] = []
    for article in members:
        nodes = alignment.by_article(article.id)
        profile = susp.profile_for(article, analyses[article.id], outlet_reference)
        sentence_verdicts = []
        for node in nodes:
            sup = summarize_support(node, alignment, settings)
            op = susp.opinion_signals(node, settings)
            spec = susp.specificity(node)
            reasons: list[str] = []
            invented = susp.invented_attribution(node, alignment, sup, settings)
            if marks.minority.get(node.ref):
                label = "conflicting"
                conflicts_with = sorted(marks.minority[node.ref], key=lambda r: (r.article, r.index))
            else:
                conflicts_with = sorted(marks.majority.get(node.ref, ()), key=lambda r: (r.article, r.index))
                if op.opinion and op.strength >= 0.9:
                    label = "opinion"  # rhetoric and speculation are never facts to corroborate
                elif sup.independent >= settings.min_corroboration:
                    label = "corroborated"
                elif op.opinion:
                    label = "opinion"
                elif invented >= 1.0 or (not node.attributed and node.quoted_share < 0.5 and spec >= settings.min_specificity):
                    label = "unsupported"
                else:
                    label = "single-source"
            if sup.content_sources:
                reasons.append(
                    f"content corroborated by {len(sup.content_sources)} independent outlet(s): "
                    + ", ".join(sorted(sup.content_sources))
                )
            stmt_only = sup.statement_sources - sup.content_sources
            if stmt_only:
                reasons.append(
                    "statement corroborated: the same quoted statement or speaker is reported by "
                    + ", ".join(sorted(stmt_only))
                    + " (one upstream source, counted once)"
                )
            reasons.extend(marks.why.get(node.ref, ()))
            if label == "opinion":
                reasons.append("opinion: " + "; ".join(op.cues))
            elif label == "unsupported" and not invented:
                reasons.append("specific factual content that no other report carries")
            elif label == "single-source":
                reasons.append(
                    "no other report carries it; attributed to " + node.info.attribution.speaker
                    if node.attributed else "no other report carries it (not specific)"
                )
            score, comp_reasons, components = susp.sentence_suspicion(
                node, label, sup, op, spec, invented, alignment, settings, profile,
                conflict_strength=marks.strength.get(node.ref, 1.0),
            )
            reasons.extend(r for r in comp_reasons if r not in reasons)
            sentence_verdicts.append(
                SentenceVerdict(
                    index=node.ref.index,
                    label=label,
                    suspicion=round(score, 4),
                    support=sup.support,
                    conflicts_with=conflicts_with,
                    independent_outlets=sup.independent,
                    opinion=op.opinion,
                    loaded=op.loaded,
                    reasons=reasons,
                    components=components,
                )
            )
        per_article.append((article.id, sentence_verdicts))
    baseline = susp.event_baseline([s for _, s in per_article])
    verdicts = [susp.article_verdict(aid, sv, alignment, settings, baseline) for aid, sv in per_article]
    return EventVerification(event_id=event.id, articles=verdicts, conflicts=conflicts)
