"""Event briefs: what a journalist needs to know about one event, every sentence cited.

``build_brief`` fills a :class:`~newsprism.records.Brief`:

* ``summary``: one to three sentences, at most ``summary_words`` words (Current-Events style);
* ``brief`` / ``brief_short``: longer extractive briefs (the largest / smallest budget of
  ``brief_words``);
* ``key_facts``: facts with the number of independent outlets carrying them;
* ``conflicts``: disputed figures side by side, with who says which;
* ``timeline``: dated claims, relative dates ("on Monday") resolved against the article's date;
* ``quotes``: who said what, with the outlets carrying each quote;
* ``coverage``: which outlet carries which key fact, and which facts each outlet omits;
* ``standing_apart``: the articles that stand apart (by suspicion), with their reasons.

Sentence choice uses :func:`newsprism.summarize.summarize` (concept coverage over independent
outlets) with the verification on top: sentences labelled ``unsupported`` or ``opinion`` are
never used; corroborated sentences are preferred; copies of one upstream count once; articles
with high suspicion contribute no sentence of their own (facts they share with independent
outlets are told from, and cited to, those outlets). Without a verification the brief falls back
to centrality alone, with cross-outlet support estimated from lexical similarity.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlparse

from .records import (
    Article,
    ArticleAnalysis,
    Brief,
    BriefSentence,
    Citation,
    DedupResult,
    Event,
    EventVerification,
    Quote,
    SentenceInfo,
    SentenceVerdict,
    to_dict,
)
from .summarize import (
    STOP_WORDS,
    _prepare,
    Selected,
    SummarySettings,
    _tokens,
    compress_sentence,
    content_tokens,
    has_finite_verb,
    quoted_share,
    stem,
    summarize,
    word_count,
)

__all__ = ["build_brief", "resolve_date", "reference_date", "outlet_name"]


# --------------------------------------------------------------------------- helpers


def outlet_name(article: Article) -> str:
    """The outlet as a reader knows it: the source, else the URL's host, else a short id."""
    if article.source:
        return article.source
    if article.url:
        host = urlparse(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return f"article {article.id[:8]}"


@dataclass(slots=True)
class _Sent:
    article: str
    info: SentenceInfo
    verdict: SentenceVerdict | None
    doc: int  # index of the article among the usable members
    text: str = ""  # the sentence as shown: whitespace normalised, stray headings removed

    @property
    def ref(self) -> tuple[str, int]:
        return (self.article, self.info.index)


_END_RE = re.compile(r"[.!?][\"'\u2019\u201d)\]]*$")


def _clean_sentence(text: str) -> str:
    """Whitespace normalised; when a sentence carries a stray heading or caption (a paragraph
    without final punctuation, glued on by the sentence splitter), only its sentence part."""
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text.strip())]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        full = [p for p in parts if _END_RE.search(p)]
        if full:
            parts = full
        return " ".join(parts)
    return parts[0] if parts else ""


def _unquoted(text: str) -> str:
    return re.sub(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]", " ", text)


def _inside_quotes(text: str, sentences: Sequence[SentenceInfo]) -> set[int]:
    """Indices of sentences that start inside a quotation opened by an earlier sentence of the
    same paragraph (multi-sentence quotes: only the first sentence carries the opening mark)."""
    out: set[int] = set()
    inside = False
    prev_end = None
    for info in sorted(sentences, key=lambda x: x.start):
        if prev_end is not None and "\n" in text[prev_end : info.start]:
            inside = False  # a new paragraph reopens its quote with a mark of its own
        if inside:
            out.add(info.index)
        for ch in info.text:
            if ch == "\u201c":
                inside = True
            elif ch == "\u201d":
                inside = False
            elif ch == '"':
                inside = not inside
        prev_end = info.end
    return out


def _open_quote(text: str) -> bool:
    """The sentence opens a quotation it does not close: the quote runs on into the next
    sentence (the sentence splitter cut a multi-sentence quote after its first sentence)."""
    if text.count("\u201c") > text.count("\u201d"):
        return True
    return text.count("\u201c") == 0 and text.count('"') % 2 == 1 and quoted_share(text) > 0


def summary_worthy(text: str) -> bool:
    """Fit for a summary, brief or fact list: a complete declarative sentence (final
    punctuation and a finite verb: standfirsts such as "Calling on X to stop." and a speaker's
    name and role left over from a split quote are not), not mainly a quotation and not the
    first part of a quotation cut by the sentence splitter (quotations belong to
    who-said-what, with their speaker)."""
    return (
        bool(_END_RE.search(text))
        and quoted_share(text) <= 0.5
        and not _open_quote(text)
        and has_finite_verb(_unquoted(text))
    )


def _as_mapping(items: Mapping[str, Any] | Iterable[Any], key: str) -> dict[str, Any]:
    if isinstance(items, Mapping):
        return dict(items)
    return {getattr(x, key): x for x in items}


def _cos(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


# --------------------------------------------------------------------------- dates

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)}
_MONTH_RE = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)
_MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_MONTH_ONLY = re.compile(r"\b(?:in|since|by|until|early|late|mid-?)\s+" + _MONTH_RE + r"(?:\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)
_WEEKDAY = re.compile(r"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_YEAR_ONLY = re.compile(r"\bin\s+(?P<year>(?:19|20)\d{2})\b", re.I)
_RELATIVE = re.compile(r"\b(?P<rel>yesterday|today|tonight|this morning|this afternoon|last night|overnight)\b", re.I)


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def reference_date(article: Article) -> dt.date | None:
    """The article's own date: ``published`` when known, else a full date near the top of the
    text (datelines such as "Tuesday 13 December 2016 08:48 GMT")."""
    if article.published:
        m = re.match(r"((?:19|20)\d{2})-(\d{2})-(\d{2})", article.published)
        if m:
            return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    head = article.text[:400]
    for rx in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for m in rx.finditer(head):
            if m.group("year"):
                month = m.group("month")
                month_n = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
                found = _date(int(m.group("year")), month_n, int(m.group("day")))
                if found:
                    return found
    return None


_FUTURE = re.compile(
    r"\b(?:will|shall|is due|are due|is expected|are expected|is scheduled|are scheduled|plans? to|next)\b", re.I
)


def resolve_date(text: str, ref: dt.date | None, *, context: str | None = None) -> str | None:
    """The date a sentence (or date expression) speaks of, as ISO text ("2016-12-12",
    "2016-08" or "1998"), resolving weekdays, "yesterday", "last night" and day-month dates
    without a year against ``ref`` (the article's date); see ``_resolve_date`` (memoised)."""
    return _resolve_date(text, ref, context)


@functools.lru_cache(maxsize=100_000)
def _resolve_date(text: str, ref: dt.date | None, context: str | None) -> str | None:
    """The date a sentence (or date expression) speaks of, as ISO text ("2016-12-12",
    "2016-08" or "1998"), resolving weekdays, "yesterday", "last night" and day-month dates
    without a year against ``ref`` (the article's date). Weekdays resolve to the latest such day
    on or before ``ref`` (news reports the past), or to the next one when the sentence
    (``context``, else ``text``) speaks of the future ("will", "is due to", "next"). None when
    nothing datable is found."""
    future = bool(_FUTURE.search(context if context is not None else text))
    m = _ISO.search(text)
    if m:
        return m.group(0)
    for rx in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        m = rx.search(text)
        if m:
            month = _MONTHS[m.group("month").lower().rstrip(".")]
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else None
            if year is None and ref is not None:
                year = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
            if year is not None and _date(year, month, day):
                return _date(year, month, day).isoformat()
    m = _RELATIVE.search(text)
    if m and ref is not None:
        rel = m.group("rel").lower()
        if rel in ("yesterday", "last night"):
            return (ref - dt.timedelta(days=1)).isoformat()
        if rel != "overnight":
            return ref.isoformat()
    m = _WEEKDAY.search(text)
    if m and ref is not None:
        target = _WEEKDAYS[m.group("wd").lower()]
        if future:
            ahead = (target - ref.weekday()) % 7 or 7
            return (ref + dt.timedelta(days=ahead)).isoformat()
        back = (ref.weekday() - target) % 7
        return (ref - dt.timedelta(days=back)).isoformat()
    m = _MONTH_ONLY.search(text)
    if m:
        month = _MONTHS[m.group("month").lower().rstrip(".")]
        year = int(m.group("year")) if m.group("year") else None
        if year is None and ref is not None:
            year = ref.year if month <= ref.month else ref.year - 1
        if year is not None:
            return f"{year:04d}-{month:02d}"
    m = _YEAR_ONLY.search(text)
    if m:
        return m.group("year")
    return None


# --------------------------------------------------------------------------- the brief


class _Event:
    """Everything build_brief derives once: members, independence, verdicts, candidates."""

    def __init__(self, event, articles, analyses, verification, dedup, settings: SummarySettings):
        self.s = settings
        arts = _as_mapping(articles, "id")
        anas = _as_mapping(analyses, "article_id")
        self.members: list[Article] = [arts[a] for a in event.article_ids if a in arts and a in anas]
        self.analyses = {a.id: anas[a.id] for a in self.members}
        self.outlet = {a.id: outlet_name(a) for a in self.members}
        copy_of = (dedup or DedupResult()).copy_of()
        # independence: copies belong to their original; one outlet is one voice
        self.group = {}
        for a in self.members:
            root = copy_of.get(a.id, a.id)
            root_art = arts.get(root)
            self.group[a.id] = (outlet_name(root_art) if root_art else root).lower()
        self.copy_of = {a: o for a, o in copy_of.items() if a in self.outlet}
        self.verdicts: dict[str, dict[int, SentenceVerdict]] = {}
        self.suspicion: dict[str, float] = {}
        self.article_verdicts = {}
        if verification is not None:
            for av in verification.articles:
                self.article_verdicts[av.article_id] = av
                self.suspicion[av.article_id] = av.suspicion
                self.verdicts[av.article_id] = {v.index: v for v in av.sentences}
        self.verified = verification is not None
        self.suspect = self._stand_out(settings.high_suspicion)
        self.apart = self._stand_out(settings.stand_apart_suspicion)
        self.dates = {a.id: reference_date(a) for a in self.members}
        known = [d for d in self.dates.values() if d]
        self.event_date = max(known) if known else None
        # sentences
        self.sents: dict[tuple[str, int], _Sent] = {}
        self.docs: list[str] = [a.id for a in self.members]
        for d, a in enumerate(self.members):
            for info in self.analyses[a.id].sentences:
                v = self.verdicts.get(a.id, {}).get(info.index)
                self.sents[(a.id, info.index)] = _Sent(a.id, info, v, d, _clean_sentence(info.text))
        self.bags = {ref: frozenset(content_tokens(s.text)) for ref, s in self.sents.items()}
        self.in_quote: set[tuple[str, int]] = set()
        for a in self.members:
            self.in_quote |= {(a.id, i) for i in _inside_quotes(a.text, self.analyses[a.id].sentences)}
        self.support = self._support()
        self._worthy: dict[tuple[str, int], bool] = {}
        # sentences that carry a disputed figure: their attribution says who gives which figure
        self.disputed: set[tuple[str, int]] = set()
        # sentences the verification found in conflict (same topic, another figure), both ways
        self.conflict_refs: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
        if verification is not None:
            for c in verification.conflicts:
                for v in c.variants:
                    self.disputed.update((r.article, r.index) for r in v.sentences)
            for ref, sent in self.sents.items():
                if sent.verdict is not None:
                    for r in sent.verdict.conflicts_with:
                        other = (r.article, r.index)
                        if other in self.sents:
                            self.conflict_refs[ref].add(other)
                            self.conflict_refs[other].add(ref)

    def worthy(self, sent: _Sent) -> bool:
        ok = self._worthy.get(sent.ref)
        if ok is None:
            ok = self._worthy[sent.ref] = sent.ref not in self.in_quote and summary_worthy(sent.text)
        return ok

    def lede_bags(self) -> list[frozenset[str]]:
        """What each independent outlet leads with: its headline and first two sentences (news
        puts the main event first), one bag of content words per outlet; articles that stand
        apart as suspicious and copies are left out."""
        bags: dict[str, set[str]] = {}
        for a in self.members:
            if a.id in self.suspect or a.id in self.copy_of:
                continue
            bag = bags.setdefault(self.group[a.id], set())
            bag.update(content_tokens(a.title or ""))
            firsts = sorted((x for x in self.analyses[a.id].sentences if x.text.strip()), key=lambda x: x.index)[:2]
            for x in firsts:
                bag.update(self.bags[(a.id, x.index)])
        return [frozenset(b) for b in bags.values() if b]

    def topic_count(self, ref: tuple[str, int]) -> int:
        """Independent outlets telling the sentence's fact, also with another figure (a
        sentence labelled conflicting only because its toll is disputed is still about what
        the other outlets report)."""
        refs = set(self.carriers(ref)) | self.conflict_refs.get(ref, set())
        return len({self.group[a] for a, _ in refs if a not in self.suspect}) or 1

    def _stand_out(self, threshold: float) -> set[str]:
        """Articles whose suspicion is at or above ``threshold`` *and* stands out from the
        event's other articles (above their median by ``stand_apart_margin``), or is at or
        above ``certain_suspicion`` whatever the others score. When every report scores high,
        none of them stands apart: that says more about the scorer than about the reports."""
        scores = {a: sc for a, sc in self.suspicion.items() if a in self.outlet}
        out = set()
        for a, sc in scores.items():
            others = sorted(v for b, v in scores.items() if b != a)
            median = others[len(others) // 2] if others else 0.0
            if sc >= self.s.certain_suspicion or (sc >= threshold and sc >= median + self.s.stand_apart_margin):
                out.add(a)
        return out

    # -- what may be used
    def usable(self, sent: _Sent, *, allow_suspect: bool = False) -> bool:
        info = sent.info
        if info.question or not sent.text:
            return False
        if sent.article in self.suspect and not allow_suspect:
            return False
        if sent.verdict is not None:
            if sent.verdict.label in self.s.excluded_labels or sent.verdict.opinion:
                return False
        elif self.verified and sent.article in self.verdicts:
            return False  # verified article, sentence without a verdict (e.g. a caption)
        if info.subjectivity > self.s.max_subjectivity:
            return False
        return True

    def _support(self) -> dict[tuple[str, int], set[tuple[str, int]]]:
        """Sentences of other outlets carrying the same fact: the verification's support refs,
        else (no verification) sentences of other independent groups with similar content."""
        out: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
        if self.verified:
            for ref, sent in self.sents.items():
                if sent.verdict is not None:
                    for r in sent.verdict.support:
                        if (r.article, r.index) in self.sents:
                            out[ref].add((r.article, r.index))
            return out
        refs = list(self.sents)
        for i, a in enumerate(refs):
            for b in refs[i + 1 :]:
                if self.group[a[0]] == self.group[b[0]]:
                    continue
                if _cos(self.bags[a], self.bags[b]) >= self.s.support_similarity:
                    out[a].add(b)
                    out[b].add(a)
        return out

    def carriers(self, ref: tuple[str, int]) -> list[tuple[str, int]]:
        """The sentence and the sentences supporting it."""
        cache = self.__dict__.setdefault("_carriers", {})
        out = cache.get(ref)
        if out is None:
            out = cache[ref] = [ref, *sorted(self.support.get(ref, ()))]
        return list(out)

    def independent_count(self, ref: tuple[str, int]) -> int:
        """Independent outlets carrying the sentence's fact (copies count once; articles that
        stand out as suspicious do not count)."""
        return len({self.group[a] for a, _ in self.carriers(ref) if a not in self.suspect}) or 1

    def citations(self, ref: tuple[str, int]) -> list[Citation]:
        """Citations for a sentence: itself and its support, one per article, suspicious
        articles left out (their claim is cited to the independent outlets that carry it)."""
        seen, out = set(), []
        for a, i in self.carriers(ref):
            if a in seen or a in self.suspect:
                continue
            seen.add(a)
            out.append(Citation(article=a, outlet=self.outlet[a], index=i))
        return out

    def weight(self, sent: _Sent) -> float:
        v = sent.verdict
        if v is None:
            n = self.independent_count(sent.ref)
            return 1.0 + self.s.corroboration_weight * math.log2(n) if n > 1 else 1.0
        if v.label == "corroborated":
            return 1.0 + self.s.corroboration_weight * math.log2(1 + max(1, v.independent_outlets))
        if v.label == "conflicting":
            return self.s.conflicting_weight
        return self.s.single_source_weight


def build_brief(
    event: Event,
    articles: Mapping[str, Article] | Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis] | Sequence[ArticleAnalysis],
    verification: EventVerification | None = None,
    dedup: DedupResult | None = None,
    *,
    summary_words: int | None = None,
    brief_words: int | Sequence[int] | None = None,
    settings: SummarySettings | None = None,
) -> Brief:
    """Write the brief of ``event`` (see the module docstring for what it holds).

    ``articles``/``analyses`` may be mappings by id or sequences; only the event's members are
    used. ``verification`` and ``dedup`` may be None (centrality only, lexical support).
    """
    s = settings or SummarySettings()
    if summary_words is not None:
        s = replace(s, summary_words=summary_words)
    if brief_words is not None:
        s = replace(s, brief_words=(brief_words,) if isinstance(brief_words, int) else tuple(brief_words))
    ev = _Event(event, articles, analyses, verification, dedup, s)
    brief = Brief(event_id=event.id)
    if not ev.members:
        return brief

    # candidates for the summariser, per usable member article
    docs: list[list[str]] = []
    doc_article: list[str] = []
    weights: dict[tuple[int, int], float] = {}
    keep_attr: set[tuple[int, int]] = set()
    bonuses: dict[tuple[int, int], float] = {}
    reported: set[tuple[int, int]] = set()  # "X said that ...": the attribution leads the sentence
    originals = {ev.copy_of[a] for a in ev.copy_of}
    for a in ev.members:
        d = len(docs)
        doc_article.append(a.id)
        sents = ev.analyses[a.id].sentences
        if ev.copy_of.get(a.id) in ev.outlet and a.id not in originals:
            docs.append([])  # a copy: its original (a member too) speaks for it
            continue
        texts = [""] * (max((x.index for x in sents), default=-1) + 1)
        for info in sents:
            sent = ev.sents[(a.id, info.index)]
            if not ev.usable(sent) or not self_worthy(ev, sent):
                weights[(d, info.index)] = 0.0
                continue
            texts[info.index] = sent.text
            weights[(d, info.index)] = ev.weight(sent)
            n_outlets = ev.independent_count(sent.ref)
            if n_outlets < 2 or sent.ref in ev.disputed:
                # one outlet's claim, or a disputed figure: the attribution says who claims it
                keep_attr.add((d, info.index))
            if n_outlets >= 2 and s.fact_bonus:
                bonuses[(d, info.index)] = s.fact_bonus * (n_outlets - 1)
            if info.attribution is not None and compress_sentence(sent.text)[1] is None:
                reported.add((d, info.index))  # an attribution no compression can drop
        docs.append(texts)
    groups = [ev.group[a] for a in doc_article]
    doc_of = {a: d for d, a in enumerate(doc_article)}
    exclusive = sorted({
        tuple(sorted(((doc_of[a], i), (doc_of[b], j))))
        for (a, i), sups in ev.support.items()
        for (b, j) in sups
        if a in doc_of and b in doc_of and weights.get((doc_of[a], i), 0) > 0 and weights.get((doc_of[b], j), 0) > 0
    })
    dates = [(ev.dates[a].isoformat() if ev.dates[a] else None) for a in doc_article]
    lead_priority = _lead_scores(ev, doc_article, weights, keep_attr)
    if lead_priority and s.centrality_bonus:
        # centrality: what the outlets lead with is what the event is about
        best = max(lead_priority.values())
        for k, v in lead_priority.items():
            bonuses[k] = bonuses.get(k, 0.0) + s.centrality_bonus * v / best

    def select(limit, max_sentences, *, required=None, required_cap=None) -> list[Selected]:
        return summarize(
            docs,
            limit,
            weights=weights,
            doc_groups=groups,
            settings=replace(s, fill=False),
            max_sentences=max_sentences,
            order="summary",
            doc_dates=dates,
            keep_attribution=keep_attr,
            exclusive=exclusive,
            bonuses=bonuses,
            lead_priority=lead_priority,
            required=required,
            required_word_cap=required_cap,
        )

    def run(limit: int, max_sentences: int | None) -> list[BriefSentence]:
        return [_brief_sentence(ev, doc_article[x.doc], x) for x in select(limit, max_sentences)]

    def run_summary(limit: int, max_sentences: int) -> list[BriefSentence]:
        """WCEP style: the summary opens with the main event (the candidate leads: corroborated
        sentences that tell what the outlets lead with), then other developments; the lead and
        the rest are chosen together, so a shorter wording of the lead can make room for
        another corroborated fact. The lead may take at most ``limit - min_sentence_words``
        words so that a second sentence fits."""
        if max_sentences < 2 or limit - s.min_sentence_words < s.min_sentence_words or not lead_priority:
            return run(limit, max_sentences)
        cap = limit - s.min_sentence_words
        # the main event is told in the outlets' own voice: reported speech ("X said that ...")
        # leads only when no other candidate lead fits
        fitting = {k: v for k, v in lead_priority.items() if _fits(ev, docs, k, keep_attr, limit, cap, s)}
        own = {k: v for k, v in fitting.items() if k not in reported}
        pool = own or fitting
        if not pool:
            return run(limit, max_sentences)
        top = max(pool.values())
        required = {k for k, v in pool.items() if v >= s.lead_share * top}
        chosen = select(limit, max_sentences, required=required, required_cap=cap)
        return [_brief_sentence(ev, doc_article[x.doc], x) for x in chosen]

    brief.summary = run_summary(s.summary_words, s.summary_max_sentences)
    budgets = sorted(set(s.brief_words))
    if budgets:
        brief.brief = run(budgets[-1], None)
        if len(budgets) > 1:
            brief.brief_short = run(budgets[0], None)
    if not brief.summary:
        brief.summary = _fallback_summary(ev, brief.brief, s.summary_words)

    brief.key_facts = _key_facts(ev, brief)
    brief.coverage = _coverage(ev, brief.key_facts)
    brief.timeline = _timeline(ev)
    brief.quotes = _quotes(ev)
    brief.conflicts = _conflicts(ev, verification)
    brief.standing_apart = _standing_apart(ev)
    return brief


def self_worthy(ev: _Event, sent: _Sent) -> bool:
    return ev.worthy(sent)


def _lead_scores(
    ev: _Event, doc_article: list[str], weights: Mapping[tuple[int, int], float], keep_attr: set[tuple[int, int]]
) -> dict[tuple[int, int], float]:
    """How well each usable sentence tells the main event: its content-word cosine with what
    the independent outlets lead with (headline and first sentences, ``_Event.lede_bags``),
    times ``1 + log2(outlets telling the fact)``. Candidates are facts at least two independent
    outlets carry; a sentence labelled conflicting only because its figure is disputed counts
    the outlets telling the same fact with another figure, and keeps its attribution."""
    ledes = ev.lede_bags()
    if not ledes:
        return {}
    out: dict[tuple[int, int], float] = {}
    for (d, i), w in weights.items():
        if w <= 0:
            continue
        ref = (doc_article[d], i)
        sent = ev.sents.get(ref)
        if sent is None:
            continue
        if sent.verdict is not None and sent.verdict.label == "conflicting":
            if (d, i) not in keep_attr or sent.info.attribution is None:
                continue  # an unattributed disputed figure does not lead
            n = ev.topic_count(ref)
        else:
            n = ev.independent_count(ref)
        if n < 2:
            continue
        bag = ev.bags[ref]
        centrality = sum(_cos(bag, b) for b in ledes) / len(ledes)
        if centrality > 0:
            out[(d, i)] = centrality * (1.0 + math.log2(n))
    return out


def _fits(ev: _Event, docs, key, keep_attr, limit: int, cap: int, s: SummarySettings) -> bool:
    """Some wording of the sentence can lead: at most ``cap`` words, long enough, and not
    opening with an anaphor."""
    d, i = key
    adjuncts = s.compress and s.compress_clauses and limit <= s.compress_adjuncts_below
    mode = "clauses" if (s.compress and s.compress_clauses) else ("compress" if s.compress else "none")
    low = min(s.min_variant_words, s.min_sentence_words) if adjuncts else s.min_sentence_words
    for text, _, _, words, _, _, anaphoric in _prepare(docs[d][i], key not in keep_attr, mode, s.require_verb, adjuncts):
        if low <= words <= cap and not (anaphoric and s.exclude_anaphora):
            return True
    return False


def _brief_sentence(ev: _Event, article: str, x: Selected) -> BriefSentence:
    ref = (article, x.index)
    text = x.text
    date = resolve_date(_unquoted(ev.sents[ref].text), ev.dates.get(article) or ev.event_date)
    return BriefSentence(text=text, citations=ev.citations(ref), date=date, attribution=x.attribution)


def _fallback_summary(ev: _Event, brief: list[BriefSentence], limit: int) -> list[BriefSentence]:
    """When no sentence fits the summary budget: the brief's lead, cut at a clause boundary."""
    if not brief:
        return []
    lead = brief[0]
    words = lead.text.split()
    if len(words) <= limit:
        return [lead]
    cut = " ".join(words[:limit])
    m = re.search(r"^(.*\w)[,;:]\s", cut)
    text = (m.group(1) if m and word_count(m.group(1)) >= limit // 2 else cut.rstrip(",;:")) + " \u2026"
    return [BriefSentence(text=text, citations=lead.citations, date=lead.date, attribution=lead.attribution)]


def _centrality(ev: _Event) -> dict[tuple[str, int], float]:
    """Sum over a sentence's content words of the number of independent outlets using them."""
    df: dict[str, set] = defaultdict(set)
    for ref, bag in ev.bags.items():
        for t in bag:
            df[t].add(ev.group[ref[0]])
    return {ref: sum(len(df[t]) - 1 for t in bag) / (1 + math.sqrt(len(bag))) for ref, bag in ev.bags.items()}


def _key_facts(ev: _Event, brief: Brief) -> list[dict[str, Any]]:
    """Facts carried by several independent outlets first (most first), then the brief's other
    sentences (single-source facts, marked as such); one entry per fact."""
    central = _centrality(ev)
    cands = [
        x for x in ev.sents.values()
        if ev.usable(x) and word_count(x.text) >= 6 and self_worthy(ev, x)
    ]
    cands.sort(key=lambda x: (-ev.independent_count(x.ref), -central[x.ref], x.info.index))
    picked: list[_Sent] = []
    covered: set[tuple[str, int]] = set()
    brief_refs = [(c.citations[0].article, c.citations[0].index) for c in brief.brief if c.citations]
    for x in cands:
        if len(picked) >= ev.s.max_key_facts:
            break
        n = ev.independent_count(x.ref)
        if n < 2:
            break
        if x.ref in covered or any(_cos(ev.bags[x.ref], ev.bags[p.ref]) > ev.s.redundancy_threshold for p in picked):
            continue
        picked.append(x)
        covered.update(ev.carriers(x.ref))
    for ref in brief_refs:
        if len(picked) >= ev.s.max_key_facts:
            break
        x = ev.sents.get(ref)
        if x is None or x.ref in covered:
            continue
        if any(_cos(ev.bags[x.ref], ev.bags[p.ref]) > ev.s.redundancy_threshold for p in picked):
            continue
        picked.append(x)
        covered.update(ev.carriers(x.ref))
    facts = []
    for n, x in enumerate(picked, 1):
        carriers = ev.carriers(x.ref)
        arts = list(dict.fromkeys(a for a, _ in carriers))
        count = ev.independent_count(x.ref)
        text = x.text
        attribution = None
        if count >= 2:
            text, attribution = compress_sentence(text)
        facts.append(
            {
                "id": f"F{n}",
                "text": text,
                "attribution": attribution,
                "corroboration": count,
                "label": x.verdict.label if x.verdict else ("corroborated" if count >= 2 else "single-source"),
                "outlets": list(dict.fromkeys(ev.outlet[a] for a in arts)),
                "articles": arts,
                "citations": [to_dict(c) for c in ev.citations(x.ref)],
            }
        )
    return facts


def _coverage(ev: _Event, facts: list[dict[str, Any]]) -> dict[str, Any]:
    outlets = list(dict.fromkeys(ev.outlet[a.id] for a in ev.members))
    carries = {o: [] for o in outlets}
    omissions = {o: [] for o in outlets}
    for f in facts:
        have = {ev.outlet[a] for a in f["articles"]}
        for o in outlets:
            carries[o].append(o in have)
            if o not in have:
                omissions[o].append(f["id"])
    return {
        "facts": [f["id"] for f in facts],
        "outlets": outlets,
        "matrix": carries,
        "omissions": omissions,
        "articles_per_outlet": dict(Counter(ev.outlet[a.id] for a in ev.members)),
    }


def _timeline(ev: _Event) -> list[BriefSentence]:
    """Dated claims in date order (ties: more outlets first), one entry per claim."""
    entries: list[tuple[str, _Sent]] = []
    for x in ev.sents.values():
        if not ev.usable(x) or not self_worthy(ev, x):
            continue
        ref_date = ev.dates.get(x.article) or ev.event_date
        plain = _unquoted(x.text)
        exprs = [e for e in x.info.dates if e in plain] or ([] if x.info.dates else [plain])
        date = None
        for e in exprs:
            date = resolve_date(e, ref_date, context=plain)
            if date:
                break
        if date is None and exprs:
            date = resolve_date(plain, ref_date)
        if date:
            entries.append((date, x))
    central = _centrality(ev)
    entries.sort(key=lambda e: (-ev.independent_count(e[1].ref), -central[e[1].ref]))
    kept: list[tuple[str, _Sent]] = []
    taken: set[tuple[str, int]] = set()
    for date, x in entries:
        if x.ref in taken:
            continue
        if any(d == date and _cos(ev.bags[x.ref], ev.bags[k.ref]) > ev.s.redundancy_threshold for d, k in kept):
            continue
        kept.append((date, x))
        taken.update(ev.carriers(x.ref))
        if len(kept) >= ev.s.max_timeline:
            break
    kept.sort(key=lambda e: (e[0], ev.dates.get(e[1].article) or dt.date.min, e[1].info.index))
    return [
        BriefSentence(text=x.text, citations=ev.citations(x.ref), date=date)
        for date, x in kept
    ]


_QUOTE_RE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{8,})[\"\u201d]")


def _quote_tokens(text: str) -> frozenset[str]:
    return frozenset(stem(t) for t in _tokens(text) if t not in STOP_WORDS)


def _quotes(ev: _Event) -> list[Quote]:
    """Who said what: quotations grouped across outlets (near-identical wordings are one
    statement, the other wordings kept as ``variants``)."""
    found = []  # (tokens, text, speaker, role, article)
    for a in ev.members:
        sents = ev.analyses[a.id].sentences
        for pos, info in enumerate(sents):
            quotes = list(info.quotes) or _QUOTE_RE.findall(info.text)
            if not quotes:
                continue
            attr = info.attribution
            if attr is None and pos > 0 and sents[pos - 1].text.rstrip().endswith(":"):
                attr = sents[pos - 1].attribution
            speaker = attr.speaker if attr else None
            role = getattr(attr, "role", None) if attr else None
            for q in quotes:
                q = " ".join(q.split()).strip(" ,")
                if len(q.split()) < ev.s.min_quote_words:
                    continue
                found.append((_quote_tokens(q), q, speaker, role, a.id))
    groups: list[list[tuple]] = []
    for item in found:
        toks = item[0]
        for g in groups:
            gt = g[0][0]
            inter = len(toks & gt)
            if not toks or not gt:
                continue
            if inter / len(toks | gt) >= ev.s.quote_merge_similarity or inter / min(len(toks), len(gt)) >= 0.85:
                g.append(item)
                break
        else:
            groups.append([item])
    out = []
    for g in groups:
        speakers = Counter(i[2] for i in g if i[2])
        articles = list(dict.fromkeys(i[4] for i in g))
        outlets = list(dict.fromkeys(ev.outlet[a] for a in articles))
        if not speakers and len(outlets) < 2:
            continue
        # the wording of the most trusted article (lowest suspicion), longest on ties
        best = min(g, key=lambda i: (ev.suspicion.get(i[4], 0.0), -len(i[1])))
        roles = [i[3] for i in g if i[3]]
        variants = list(dict.fromkeys(i[1] for i in g if i[1] != best[1] and i[0] != best[0]))
        out.append(
            Quote(
                speaker=speakers.most_common(1)[0][0] if speakers else "unattributed",
                role=roles[0] if roles else None,
                text=best[1],
                outlets=outlets,
                articles=articles,
                variants=variants,
            )
        )
    out.sort(key=lambda q: (-len({ev.group[a] for a in q.articles}), q.speaker == "unattributed"))
    return out[: ev.s.max_quotes]


def _conflicts(ev: _Event, verification: EventVerification | None) -> list[dict[str, Any]]:
    if verification is None:
        return []
    out = []
    for c in verification.conflicts:
        out.append(
            {
                "topic": c.topic,
                "unit": c.unit,
                "kind": c.kind,
                "variants": [
                    {
                        "value": v.value,
                        "normalized": v.normalized,
                        "outlets": list(v.outlets),
                        "speakers": list(v.speakers),
                        "articles": list(v.articles),
                        "citations": [
                            to_dict(Citation(r.article, ev.outlet.get(r.article, r.article[:8]), r.index))
                            for r in v.sentences
                        ],
                    }
                    for v in c.variants
                ],
            }
        )
    return out


def _standing_apart(ev: _Event) -> list[dict[str, Any]]:
    out = []
    for a in ev.members:
        av = ev.article_verdicts.get(a.id)
        if av is None or a.id not in ev.apart:
            continue
        flagged = sorted(
            (v for v in av.sentences if v.label in ("unsupported", "opinion", "conflicting") or v.suspicion >= 0.3),
            key=lambda v: -v.suspicion,
        )
        texts = {x.index: x.text for x in ev.analyses[a.id].sentences}
        out.append(
            {
                "article": a.id,
                "outlet": ev.outlet[a.id],
                "title": a.title,
                "url": a.url,
                "suspicion": round(av.suspicion, 3),
                "reasons": list(av.reasons),
                "copy_of": ev.copy_of.get(a.id),
                "sentences": [
                    {
                        "index": v.index,
                        "text": texts.get(v.index, ""),
                        "label": v.label,
                        "suspicion": round(v.suspicion, 3),
                        "reasons": list(v.reasons),
                    }
                    for v in flagged[:6]
                ],
            }
        )
    out.sort(key=lambda d: -d["suspicion"])
    return out
