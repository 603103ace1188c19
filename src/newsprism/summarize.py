"""Extractive multi-document summarisation: concept coverage under a word budget.

The core, :func:`summarize`, is record-light: it takes sentences grouped by document (plain
strings) and returns the chosen sentences. It serves both the evaluation on raw document clusters
(``newsprism eval summaries``) and the event briefs (``brief.build_brief``), which add
corroboration weights, exclusions and independence groups on top.

Method (Gillick & Favre 2009, the ICSISumm concept ILP; Lin & Bilmes 2010 for the greedy form):

* **concepts** are content-bearing word bigrams (lower-cased, lightly stemmed; bigrams made of
  two stop words are dropped). A concept's weight is the number of *independent* documents that
  contain it (copies of one upstream count once, via ``doc_groups``); concepts found in fewer
  than ``min_concept_df`` documents are ignored, which is what makes the summary central;
* the summary maximises ``sum(weight of each concept covered) + sum(sentence bonuses)`` under the
  word budget. A concept counts once however many chosen sentences carry it, so redundancy is
  penalised by construction; on top of that, two sentences more similar than
  ``redundancy_threshold`` are never both chosen;
* sentence bonuses: a position prior (news puts the main event first), penalties for sentences
  that read badly out of context (leading pronouns/connectives, questions, direct quotes,
  first person) and the caller's ``weights`` (corroboration in the briefs; weight 0 excludes);
* the problem is solved exactly with ``scipy.optimize.milp`` (HiGHS) when ``solver="ilp"``,
  or with the budgeted greedy of Lin & Bilmes (gain / length**r, then compared with the best
  single sentence) when ``solver="greedy"`` or when the ILP fails or runs out of time;
* **compression** (optional): a leading dateline ("DAMASCUS (Reuters) -"), a leading
  "According to X," clause and a trailing ", X said." attribution are dropped when what remains
  is a complete sentence that is not itself a quotation; the dropped attribution is returned so
  the caller can keep it as a citation.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Container, Iterable, Iterator, Mapping, Sequence

import numpy as np

__all__ = [
    "SummarySettings",
    "Selected",
    "summarize",
    "split_sentences",
    "compress_sentence",
    "compression_variants",
    "finite_verb_cues",
    "has_finite_verb",
    "content_tokens",
    "concepts_of",
    "word_count",
    "truncate_words",
    "leading_anaphor",
    "clear_caches",
]


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class SummarySettings:
    """Every knob of the summariser and the briefs, with its default.

    Summariser core
    ---------------
    solver: "greedy" (Lin & Bilmes budgeted greedy plus add/swap local search; the default: within
        about one ROUGE-2 point of the exact ILP on our fixtures and 5-10x faster than it on small
        clusters) or "ilp" (exact, scipy.optimize.milp/HiGHS).
    ilp_time_limit: seconds the ILP may take before the greedy result is used instead.
    min_concept_df: a concept must occur in at least this many independent documents ...
    min_concept_df_fraction: ... and in at least this share of them (rounded up); with 10
        documents this gives 3, the ICSISumm setting; it falls back to 1 for one-document input.
    unigram_weight: content words are concepts too, at this share of a bigram's weight (0: bigrams
        only, the ICSISumm setting; small clusters of rewritten reports share few bigrams, and
        0.25 was as good or better on our fixtures with either solver).
    min_sentence_words / max_sentence_words: candidate sentences outside this range are skipped.
    position_weight: bonus for early sentences, in units of the mean concept weight:
        ``position_weight * mean_weight / (1 + position)``.
    position_horizon: sentences past this position in their document get no position bonus.
    style_penalty: share of a sentence's own concept value lost when it reads badly out of
        context (starts with a pronoun or connective, is a question, is mainly a quotation,
        speaks in the first person outside quotes).
    redundancy_threshold: two sentences whose content-word cosine exceeds this are never both
        chosen.
    length_exponent: r in the greedy gain / length**r (Lin & Bilmes' scaled cost).
    compress: apply sentence compression (datelines, "According to X," and ", X said.").
    compress_clauses: also offer each sentence without its droppable clauses (", which ...,",
        ", including ...", the subject's appositive, a parenthesis, a leading participial
        clause); the solver picks at most one variant per sentence, so a shorter wording is
        chosen when the words it frees buy more content elsewhere.
    require_verb: skip verbless fragments (no finite-verb cue, see ``has_finite_verb``):
        standfirsts, captions, a speaker's name and role split off a quote.
    compress_adjuncts_below: for budgets of at most this many words (the 40-word summary, not
        the 100-word briefs or the evaluation), compression also offers each sentence without a
        trailing participial clause (", sending water through the town"), a time adjunct ("on
        Monday", "in recent hours"; the brief keeps the date apart) or a trailing prepositional
        adjunct (" in the rebels' last stand", kept when what is left would end in a verb). These
        drop content, not just wording: on the 100-word fixtures they cost 3 ROUGE-2 points, so
        they are for tight budgets only. Never under a negation or hedge ("did not ... on Monday").
    min_variant_words: under such a tight budget a compression variant may be this short (the
        sentence itself must have ``min_sentence_words``): "Soldiers recaptured the east of the
        city." is a complete claim.
    exclude_anaphora: never choose a sentence (variant) that opens with an anaphor whose
        antecedent is elsewhere ("Its chief executive ...", "They said ...", "When its wall gave
        way, ...", see ``leading_anaphor``); a variant that drops the anaphoric clause may still
        be chosen. Without it such sentences only pay ``style_penalty``.
    fill: when true, after the budgeted selection one more sentence is appended that overflows
        the budget; evaluation truncates every system's output at the word limit (ROUGE -l), so
        this makes newsprism fill the budget exactly as the baselines do. Off in the briefs.

    Briefs
    ------
    summary_words / summary_max_sentences: the short, Current-Events-style summary.
    lead_share: the summary's candidate leads are the main-event sentences scoring at least this
        share of the best one (``brief._lead_scores``: resemblance to what the outlets lead
        with, times corroboration); the solver picks one of them together with the rest.
    centrality_bonus: bonus (in units of the mean concept weight) of a sentence that tells what
        the outlets lead with, scaled by its main-event score relative to the best one; with
        ``fact_bonus`` it makes the summary tell the event's central corroborated facts.
    brief_words: budgets of the longer briefs (the largest goes to ``Brief.brief``, the
        smallest to ``Brief.brief_short``).
    corroboration_weight: bonus per extra independent outlet supporting a sentence,
        ``weight = 1 + corroboration_weight * log2(independent_outlets)``.
    fact_bonus: bonus of a sentence per independent outlet beyond the first that carries its fact,
        in units of the mean concept weight and whatever the sentence's length. The
        corroboration weight scales a sentence's concept value, which favours long sentences;
        this favours telling several corroborated facts (the WCEP style: the main event, then
        the most important other development) over one long sentence.
    single_source_weight / conflicting_weight: weight of sentences labelled single-source /
        conflicting (corroborated sentences get the corroboration weight, unsupported and opinion
        sentences are never chosen).
    excluded_labels: verification labels never used in summaries, briefs, facts or timeline.
    high_suspicion: articles at or above this suspicion contribute no sentence of their own;
        facts they share with independent outlets are told from, and cited to, those outlets.
    max_subjectivity: without verification, sentences more subjective than this are skipped.
    support_similarity: without verification, two sentences of different outlets with at least
        this content cosine are taken as carrying the same fact.
    max_key_facts / max_timeline / max_quotes: list lengths in the brief.
    min_quote_words: shorter quotations are not listed in who-said-what.
    quote_merge_similarity: quotes with this token overlap (Jaccard) are one statement.
    stand_apart_suspicion: articles at or above this suspicion are listed as standing apart ...
    stand_apart_margin: ... when they also score this much above the median of the event's other
        articles (``high_suspicion`` uses the same rule) ...
    certain_suspicion: ... or score at least this, whatever the others score.
    """

    solver: str = "greedy"
    ilp_time_limit: float = 5.0
    min_concept_df: int = 2
    min_concept_df_fraction: float = 0.25
    unigram_weight: float = 0.25
    min_sentence_words: int = 8
    max_sentence_words: int = 55
    position_weight: float = 1.0
    position_horizon: int = 12
    style_penalty: float = 0.5
    redundancy_threshold: float = 0.5
    length_exponent: float = 0.3
    compress: bool = True
    compress_clauses: bool = True
    require_verb: bool = True
    fill: bool = False
    min_variant_words: int = 6
    compress_adjuncts_below: int = 60
    exclude_anaphora: bool = True

    summary_words: int = 40
    summary_max_sentences: int = 3
    lead_share: float = 0.8
    centrality_bonus: float = 4.0
    brief_words: tuple[int, ...] = (100, 250)
    corroboration_weight: float = 0.5
    fact_bonus: float = 2.0
    single_source_weight: float = 0.8
    conflicting_weight: float = 0.3
    excluded_labels: tuple[str, ...] = ("unsupported", "opinion")
    high_suspicion: float = 0.5
    max_subjectivity: float = 0.6
    support_similarity: float = 0.45
    max_key_facts: int = 10
    max_timeline: int = 15
    max_quotes: int = 12
    min_quote_words: int = 4
    quote_merge_similarity: float = 0.6
    stand_apart_suspicion: float = 0.4
    stand_apart_margin: float = 0.1
    certain_suspicion: float = 0.85


@dataclass(slots=True)
class Selected:
    """One chosen sentence: ``doc``/``index`` locate it in the input, ``text`` is what to show
    (compressed when ``compressed``), ``attribution`` the clause compression removed."""

    doc: int
    index: int
    text: str
    original: str
    words: int
    score: float
    compressed: bool = False
    attribution: str | None = None
    truncated: bool = False  # only the ``fill`` overflow sentence can be cut by the caller
    concepts: frozenset[str] = field(default_factory=frozenset)


# --------------------------------------------------------------------------- text utilities

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having he
    he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if
    in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on
    once only or other ought our ours ourselves out over own same shan't she she'd she'll she's
    should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up
    very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've
    your yours yourself yourselves said says say told tell according would could will may might
    must shall just one two mr mrs ms s t""".split()
)

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")
_SPLIT_RE = re.compile(
    r"""(?<=[.!?])            # sentence-final punctuation
        (?P<close>['"\u2019\u201d)\]]*)  # closing quotes/brackets
        \s+                   # whitespace
        (?=['"\u2018\u201c(\[]?[A-Z0-9])""",
    re.VERBOSE,
)
_ABBREV = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun no vs etc
    u.s u.n u.k e.g i.e a.m p.m mt ft rev""".split()
)


def word_count(text: str) -> int:
    """Words as ROUGE's ``-l`` counts them: whitespace-separated tokens."""
    return len(text.split())


def truncate_words(text: str, limit: int) -> str:
    words = text.split()
    return text if len(words) <= limit else " ".join(words[:limit])


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences (regex rules; no model, no download).

    Paragraph breaks (blank lines or single newlines between lines that look like paragraphs)
    always end a sentence; inside a paragraph, ``.``/``!``/``?`` followed by a capital starts a
    new sentence unless the word before is a known abbreviation or a single initial.
    """
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=\s*[A-Z\"\u201c'])", text):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for m in _SPLIT_RE.finditer(para):
            before = para[start : m.start()]
            last = before.rsplit(None, 1)[-1].lower().rstrip(".") if before.split() else ""
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue
            out.append(para[start : m.start() + len(m.group("close"))].strip())
            start = m.end()
        rest = para[start:].strip()
        if rest:
            out.append(rest)
    return [s for s in out if s]


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, fast English suffix stripper (plural, -ing, -ed, -ly), enough for matching
    concepts inside one cluster; ROUGE uses its own Porter stemmer."""
    w = word.lower().replace("\u2019", "'")
    if w[-2:] == "'s":
        w = w[:-2]
    if len(w) <= 3 or w.isdigit():
        return w
    # test the last letters before calling endswith: this runs for every new word of a cluster
    if w[-1] == "s":
        if w.endswith("ies") and len(w) > 4:
            return w[:-3] + "y"
        if w.endswith("sses"):
            return w[:-2]
        if not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    end = w[-2:]
    if end == "ng" and w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif end == "ed" and len(w) > 4:
        w = w[:-2]
    elif end == "ly" and len(w) > 5:
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "stopped" -> "stopp" -> "stop"
    if w[-1] == "e" and len(w) > 4:
        w = w[:-1]  # "retake"/"retaking" -> "retak"
    return w


def _tokens(text: str) -> list[str]:
    # the pattern treats both apostrophes alike, so normalising first gives the same tokens
    return [t.lower() for t in _WORD_RE.findall(text.replace("\u2019", "'"))]


def _first_tokens(text: str, n: int, end: int) -> list[str]:
    """``_tokens(text[:end])[:n]`` without tokenising the rest of the sentence."""
    out: list[str] = []
    pos = 0
    while len(out) < n and (m := _WORD_RE.search(text, pos, end)):
        out.append(m.group().lower().replace("\u2019", "'"))
        pos = m.end()
    return out


def content_tokens(text: str) -> list[str]:
    """Stemmed content words (stop words removed)."""
    return [stem(t) for t in _tokens(text) if t not in STOP_WORDS]


def concepts_of(text: str) -> frozenset[str]:
    """Concepts of a sentence: stemmed word bigrams, except those made of two stop words."""
    return _concepts(_tokens(text))


def _concepts(toks: list[str]) -> frozenset[str]:
    return _bigrams_and_stems(toks)[0]


def _bigrams_and_stems(toks: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The bigram concepts of a tokenised sentence and its content stems, stemming each token once
    (itertools rather than comprehensions: this runs for every sentence of every call)."""
    stems = list(map(stem, toks))
    content = [t not in STOP_WORDS for t in toks]
    bigrams = map(" ".join, zip(stems, stems[1:]))
    with_content = map(operator.or_, content, content[1:])  # not made of two stop words
    return frozenset(itertools.compress(bigrams, with_content)), frozenset(itertools.compress(stems, content))


# --------------------------------------------------------------------------- finite verbs

# Cues that a sentence has a finite verb, without a tagger: auxiliaries and modals, irregular
# past forms, "-ed" forms not led by a determiner, "-s" forms after a name, a pronoun or a
# determiner + noun, and common base-form verbs after a subject pronoun or a plural noun.
# Verbless fragments (standfirsts such as "Calling on X to stop.", a speaker's name and role
# left over from a split quote such as "Jane Doe, head of the rescue service.") have none.
_AUX = frozenset(
    """is are was were am isn't aren't wasn't weren't has have had hasn't haven't hadn't do does
    did don't doesn't didn't will would shall should can could may might must won't wouldn't can't
    cannot couldn't shouldn't mustn't 's 're 've 'd 'll""".split()
)
_IRREGULAR_PAST = frozenset(
    """said told took gave went came fell made found left began broke brought built bought caught
    chose dealt drew drove ate fed felt fought fled flew forgot froze got grew hung heard held hid
    kept knew laid led lent lay lost meant met paid rode rang rose ran saw sought sold sent shook
    shone shot shut sang sank sat slept slid spoke spent spun spread sprang stood stole stuck stung
    struck swore swept swam swung taught tore thought threw understood woke wore won wound wrote
    withdrew overran overtook undertook became bore burst cast cost hit hurt let put quit read rid
    set shed split bent bled blew bound clung crept dug forbade forgave ground knelt leapt lit
    mistook overcame oversaw rebuilt retook sped strode strove thrust trod upheld wept withheld""".split()
)
_BASE_VERBS = frozenset(
    """say expect remain begin work take fear hope hold want need believe continue face plan warn
    accuse call claim deny insist report think know see come go make try seem appear live stay
    wait agree refuse demand urge vow search reach die flee fight kill leave lose meet pay run send
    stand tell find give get keep show suggest estimate put set""".split()
)
_NOT_ED = frozenset("hundred need bed red seed speed shed feed weed breed creed deed greed bleed naked sacred wicked".split())
_DETERMINERS = frozenset("the a an this that these those its their his her our my your every each some any no".split())
_SUBJECT_PRONOUNS = frozenset(
    "he she it they we i you who which that there everybody everyone nobody someone somebody anyone one".split()
)
_ADVERBS = frozenset("still also now then often never already just only reportedly allegedly".split())
_VERB_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|'(?:s|re|ve|d|ll)\b")


def finite_verb_cues(text: str) -> list[str]:
    """The words of ``text`` that look like finite verbs (heuristic; no tagger needed)."""
    return [m.group() for m in _verb_cues(text)]


def _verb_cues(text: str) -> Iterator[re.Match[str]]:
    """The finite-verb cues of ``text`` (their token matches) in order, lazily: ``has_finite_verb``
    stops at the first. Every test looks only at the token and those before it, so tokens are
    read as needed."""
    toks: list[str] = []
    low: list[str] = []
    for n, m in enumerate(_VERB_TOKEN.finditer(text.replace("\u2019", "'"))):
        tok = m.group()
        w = tok.lower()
        toks.append(tok)
        low.append(w)
        prev = low[n - 1] if n else ""
        if w in _AUX or (len(w) > 3 and w.endswith(("n't", "'ll", "'re", "'ve", "'d"))):
            if prev != "to":
                yield m
            continue
        if w in _IRREGULAR_PAST and prev != "to":
            yield m
            continue
        if n and tok[0].isupper():
            continue  # a name
        if w.endswith("ed") and len(w) > 3 and w not in _NOT_ED and prev not in _DETERMINERS:
            yield m
            continue
        base = w in _BASE_VERBS or w[:-1] in _BASE_VERBS or (w.endswith("es") and w[:-2] in _BASE_VERBS)
        if base and n:  # a base form after its subject (adverbs between skipped)
            j = n - 1
            while j > 0 and (low[j] in _ADVERBS or low[j].endswith("ly")):
                j -= 1
            subj = low[j]
            if (
                subj in _SUBJECT_PRONOUNS
                or (subj.endswith("s") and len(subj) > 3 and subj not in _DETERMINERS)
                or (w.endswith("s") and toks[j][:1].isupper())
            ):
                yield m  # "they hold", "rescuers begin", "Askeld denies"
                continue
        if not (w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) and len(w) > 3 and n):
            continue
        if prev in _SUBJECT_PRONOUNS:
            yield m  # "he says"
        elif n >= 2 and low[n - 2] in _DETERMINERS and not prev.endswith(("s", "ed", "ing")):
            yield m  # "the dam stands"


def has_finite_verb(text: str) -> bool:
    """Whether ``text`` reads as a clause (it has a finite-verb cue), not a verbless fragment."""
    return _first_cue_end(text) is not None


def _has_finite_verb_before(text: str, end: int) -> bool:
    """``has_finite_verb(text[:end])`` for a cut at a blank or a comma: no token crosses the cut,
    so the prefix's tokens, and its cues, are those of ``text`` that end before it."""
    cue_end = _first_cue_end(text)
    return cue_end is not None and cue_end <= end


@functools.lru_cache(maxsize=200_000)
def _first_cue_end(text: str) -> int | None:
    """Where the first finite-verb cue of ``text`` ends (None: it has none)."""
    m = next(_verb_cues(text), None)
    return None if m is None else m.end()


# --------------------------------------------------------------------------- compression

_SAID_VERBS = (
    r"said|says|added|told\s+(?:[A-Z][\w.'-]*\s*){1,4}|reported|stated|stressed|noted|"
    r"explained|confirmed|announced|tweeted|wrote"
)
_TRAILING_ATTR = re.compile(
    r",\s+(?P<attr>(?:(?:the|a|an)\s+)?[^,\"\u201c\u201d]{2,80}?\s+(?:" + _SAID_VERBS + r")"
    r"(?:\s+(?:on|late\s+on|early\s+on)\s+\w+day|\s+\w+day|\s+(?:on\s+)?(?:Twitter|Sunday|in\s+a\s+statement))?"
    r"|[^,\"\u201c\u201d]{2,40}?\s+quoted\s+[^,\"\u201c\u201d]{2,80}?\s+as\s+saying(?:\s+(?:on\s+)?\w+day)?"
    r"|(?:said|says|according\s+to)\s+[^,\"\u201c\u201d]{2,80}?)\s*(?P<end>[.!])\s*$"
)
_LEADING_ACCORDING = re.compile(
    r"^(?P<attr>According\s+(?:to|ot)\s+[^,\"\u201c\u201d]{2,80}?),\s+(?P<rest>.+)$"
)
_DATELINE = re.compile(
    r"^(?P<attr>(?:[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){0,3}(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?(?:\s+\d{1,2})?){0,2})"
    r"(?:\s+\((?:AP|AFP|Reuters|UPI|Xinhua|[A-Z][A-Za-z ]{1,20})\))?\s*(?:[-_\u2013\u2014:]{1,2}))\s+"
    r"(?P<rest>[A-Z\"\u201c].+)$"
)
_LEADING_CONNECTIVE = re.compile(
    r"^(?:Meanwhile|Earlier|Later|However|In addition|Additionally|Also|Separately|Elsewhere|"
    r"Earlier on \w+day|Earlier this week),\s+(?P<rest>[A-Za-z\"\u201c].+)$"
)
_BAD_END = frozenset(
    "a an the and or but of to in on at by for with from that which who whose as than".split()
)
_QUOTE_CHARS = "\"\u201c\u201d"


def _complete(text: str) -> bool:
    """A cheap well-formedness test for what compression leaves behind."""
    words = text.split()
    if len(words) < 5:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if text[-1] not in ".!?":
        return False
    if words[-1].rstrip(".!?").lower() in _BAD_END:
        return False
    if sum(text.count(q) for q in _QUOTE_CHARS) % 2:
        return False
    if text.lstrip()[0] in _QUOTE_CHARS or text.rstrip(".!? ")[-1:] in _QUOTE_CHARS + "'\u2019":
        return False  # a quotation must keep its speaker
    if text.count("(") != text.count(")"):
        return False
    if not has_finite_verb(text):
        return False  # "Jane Doe, head of the rescue service." is what ", said on Monday that ..." leaves
    return True


def compress_sentence(text: str, *, attribution: bool = True) -> tuple[str, str | None]:
    """Shorten ``text`` where it stays grammatical and true; return (text, dropped attribution).

    Drops a leading dateline ("BEIRUT (AP) _"), a leading connective ("Meanwhile,") and, when
    ``attribution`` is true, a leading "According to X," clause and a trailing ", X said." /
    ", said X." / ", according to X." / ", CNN quoted X as saying." attribution, but only when
    what remains is a complete sentence with a finite verb and not itself a quotation (a
    quotation keeps its speaker). A trailing ", said ..." that carries a clause of its own
    (", said on Monday that ...") is the sentence's main verb, not an attribution, and stays.
    """
    original = text.strip()
    out = original
    dropped: list[str] = []
    m = _DATELINE.match(out)
    if m and len(m.group("attr").split()) <= 10 and _complete(m.group("rest")):
        out = m.group("rest")
    m = _LEADING_CONNECTIVE.match(out)
    if m:
        rest = m.group("rest")
        rest = rest[0].upper() + rest[1:]
        if _complete(rest):
            out = rest
    if attribution:
        m = _LEADING_ACCORDING.match(out)
        if m:
            rest = m.group("rest")
            rest = rest[0].upper() + rest[1:]
            if _complete(rest):
                dropped.append(re.sub(r"^According\s+ot\b", "According to", m.group("attr")))
                out = rest
        m = _TRAILING_ATTR.search(out)
        if m and not _clause_after_said(m.group("attr")):
            rest = out[: m.start()].rstrip() + m.group("end")
            if _complete(rest):
                dropped.append(m.group("attr").strip())
                out = rest
    if out == original:
        return original, None
    return out, ("; ".join(dropped) or None)


def _clause_after_said(attr: str) -> bool:
    """", said on Tuesday that his teams heard tapping": what follows "said" is a clause."""
    m = re.match(r"(?:said|says)\s+(?P<rest>.+)$", attr.strip())
    return bool(m and (re.search(r"\bthat\b", m.group("rest")) or has_finite_verb(m.group("rest"))))


# Clauses a sentence can lose and stay grammatical and true (sentence compression beyond
# attributions): a non-restrictive relative clause (", which ...," / ", who ...,"), an
# ", including ..." list, the subject's appositive ("Jane Doe, an activist in the town, said"),
# a parenthesis, and a leading participial clause ("Speaking on Monday, the mayor said").
# A clause that qualifies the claim (a denial, a hedge, a negation) is never dropped.
_REL_CLAUSE = re.compile(r",\s+(?:which|who|whose)\s+[^,;:\"\u201c\u201d()]{3,120}?(?=,\s|[.!]$)")
_INCLUDING = re.compile(r",\s+(?:including|among them|notably)\s+[^,;:\"\u201c\u201d()]{3,80}?(?=,\s|[.!]$)")
_SUBJECT_APPOSITIVE = re.compile(
    r"^(?P<subj>(?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.'\u2019-]*),\s+(?P<app>(?:an?|the|[a-z]+'s)\s+[^,;:\"\u201c\u201d()]{3,80}?),\s+(?=[a-z])"
)
_PARENTHESIS = re.compile(r"\s+\([^()]{1,80}\)")
_COMES_AS = re.compile(
    r"^(?:The|This|These|That|It)\s+(?:[a-z]+\s+){0,2}(?:comes?|came)\s+(?:as|after|amid)\s+(?P<rest>[a-zA-Z].+)$"
)
_LEADING_PARTICIPLE = re.compile(r"^[A-Z][a-z]+ing\b[^,;:\"\u201c\u201d]{2,80},\s+(?P<rest>[a-zA-Z].+)$")
_QUALIFIERS = re.compile(
    r"\b(?:not|no|never|den(?:y|ies|ied)|dispute[sd]?|unconfirmed|unverified|alleged(?:ly)?|"
    r"reportedly|claim(?:s|ed)?|said|says|according|but|although|though|however)\b|n't\b",
    re.I,
)


# A leading adverbial clause ("When the wall gave way after days of rain, water spread ...",
# "After the fire spread, ..."): what follows the comma is the main clause. Conditional and
# concessive clauses ("If ...", "Although ...") qualify the claim and are never dropped.
_LEADING_SUBCLAUSE = re.compile(
    r"^(?:When|After|As|While|Before|Once|Since|Following|Amid|With)\s+[^,;:\"\u201c\u201d()]{3,140}?,\s+(?P<rest>[a-zA-Z].+)$"
)
# A trailing participial clause (", sending water through the town", ", killing 23 people").
_TRAILING_PARTICIPLE = re.compile(
    r",\s+(?!(?:according|including|saying|during|following|notwithstanding)\b)[a-z]{3,}ing\s+[^,;:\"\u201c\u201d()]{3,140}?(?=,\s|[.!]$)"
)
# Time adjuncts whose date the brief keeps apart (``BriefSentence.date``): "on Monday",
# "late on Tuesday night", "in recent hours".
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_TIME_ADJUNCT = re.compile(
    r"\s+(?:(?:late|early|earlier|later)\s+)?on\s+" + _WEEKDAY_RE + r"(?:\s+(?:morning|afternoon|evening|night))?(?=[\s,.!])"
    r"|\s+in\s+recent\s+(?:hours|days|weeks|months)(?=[\s,.!])"
)
# A trailing prepositional adjunct ("... neighbourhoods of the city in the rebels' last stand.",
# "... abandoned by rebels during their retreat."): offered only when what is left ends in a
# noun (not a verb, which may need its complement: "The collapse happened at 2 a.m.").
_TRAILING_PP = re.compile(r"\s(?:in|during|amid|after|on|at|near|across|following)\s")
_FINAL_STOP = re.compile(r"[.!]$")
_PARTICLE = re.compile(r"\s\w+\s+(?:in|on|at|to|of|from)\b")  # "closes in on ...", not an adjunct
# negation and hedges scope over adjuncts: "did not enter the city on Monday" must keep them
_SCOPE = re.compile(
    r"\b(?:not|no|never|nobody|none|nothing|neither|nor|without|only|unconfirmed|unverified|alleged(?:ly)?|"
    r"reportedly|den(?:y|ies|ied)|dispute[sd]?|unless|if)\b|n't\b",
    re.I,
)
_PARTICIPLE_END = frozenset(
    """been done seen gone taken given driven born shown known grown thrown drawn written spoken
    broken chosen fallen forgotten hidden ridden risen shaken stolen sworn torn worn beaten bitten
    eaten proven sewn sown begun run come become""".split()
)
_SAID_IN = re.compile(r"\b(?:said|says|say|told|tells|according|reported|added|stated|quoted)\b", re.I)
_NOT_NOUN_END = frozenset("late early soon again away down up out off back ago too also yet still".split())
_SUBORDINATE_START = re.compile(r"^(?:When|After|As|While|Before|Once|Since|Because|If|Although|Though|Unless|Until)\b")


def _ends_in_noun(text: str) -> bool:
    """What is left after dropping a trailing adjunct ends in something noun-like: not a verb,
    an auxiliary, a participle, a preposition or a determiner."""
    words = text.rstrip(".!?").split()
    if len(words) < 5:
        return False
    last = words[-1].lower().strip("\"'\u2019\u201d),")
    if not last or last in _BAD_END or last in _AUX or last in _IRREGULAR_PAST or last in _PARTICIPLE_END:
        return False
    if last in _DETERMINERS or last in _SUBJECT_PRONOUNS or last in STOP_WORDS or last in _NOT_NOUN_END:
        return False
    if last.endswith(("ed", "ing")) and words[-1][:1].islower() and last not in _NOT_ED:
        return False
    cues = finite_verb_cues(" ".join(words[-3:]))
    if cues and cues[-1].lower() == last:
        return False
    return True


def _cap(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def _clause_drops(text: str, adjuncts: bool = False) -> list[str]:
    """``text`` with one droppable clause removed, for each droppable clause; with ``adjuncts``
    also without a trailing participial clause, a time adjunct or a trailing prepositional
    adjunct (tight budgets only: these drop content, not just wording)."""
    out = []
    parenthesis = (_PARENTHESIS,) if "(" in text else ()  # cheaper than the regex's scan of every blank
    for rx in (_REL_CLAUSE, _INCLUDING, *parenthesis) + ((_TRAILING_PARTICIPLE,) if adjuncts else ()):
        for m in rx.finditer(text):
            if _QUALIFIERS.search(m.group(0)):
                continue
            tail = text[m.end() :]
            if rx is not _PARENTHESIS and tail.startswith(","):
                # a parenthetical closed by a comma goes with both its commas ("The man, who
                # ..., died" -> "The man died"; "civilians, including ..., in the city" ->
                # "civilians in the city"), unless the comma also closes a leading clause
                # and a trailing attribution or clause keeps its comma (", X said.")
                inside_subject = not _has_finite_verb_before(text, m.start())
                if inside_subject or (not _SUBORDINATE_START.match(text) and not has_finite_verb(tail)):
                    tail = tail[1:]
            out.append(" ".join((text[: m.start()] + tail).split()))
    m = _SUBJECT_APPOSITIVE.match(text)
    if m and not _QUALIFIERS.search(m.group("app")):
        out.append(m.group("subj") + " " + text[m.end() :])
    m = _COMES_AS.match(text)  # "The reports come as soldiers retook the city." -> "Soldiers retook ..."
    if m and has_finite_verb(m.group("rest")):
        out.append(_cap(m.group("rest")))
    m = _LEADING_PARTICIPLE.match(text)
    if m and not _QUALIFIERS.search(text[: m.start("rest")]):
        out.append(_cap(m.group("rest")))
    m = _LEADING_SUBCLAUSE.match(text)
    if m and not _QUALIFIERS.search(text[: m.start("rest")]):
        rest = m.group("rest")
        first = rest.split(None, 1)[0].lower()
        if first not in ("which", "who", "whose", "and", "but", "or", "that", "where", "including") and "(" not in text[: m.start("rest")]:
            out.append(_cap(rest))
    if adjuncts and not _SCOPE.search(text):
        for m in _TIME_ADJUNCT.finditer(text):
            out.append(" ".join((text[: m.start()] + text[m.end() :]).split()).replace(" ,", ","))
        end = _FINAL_STOP.search(text)
        if end:
            for m in _TRAILING_PP.finditer(text):
                head, dropped = text[: m.start()], text[m.start() : end.start()]
                if any(q in dropped for q in _QUOTE_CHARS) or "," in dropped or "(" in dropped:
                    continue
                if _SAID_IN.search(dropped):
                    continue  # an attribution is not an adjunct
                if _PARTICLE.match(dropped):
                    continue  # "closes in on ...": a particle, not an adjunct
                if _ends_in_noun(head) and _has_finite_verb_before(text, m.start()):
                    head = head.rstrip(",")
                    out.append(head if head.endswith(".") else head + end.group(0))
    return out


def compression_variants(
    text: str, *, attribution: bool = True, max_variants: int = 6, adjuncts: bool = False
) -> list[tuple[str, str | None]]:
    """Ways to show ``text``, longest first: :func:`compress_sentence`'s result, then that with
    one or all of its droppable clauses removed (see ``_clause_drops``); each one a complete
    sentence with a finite verb. A clause drop can expose a trailing attribution, which then goes
    too (when ``attribution`` allows). The summariser picks at most one variant per sentence.
    The shortest variant is always offered. ``adjuncts`` also offers drops of content-bearing
    adjuncts (see ``_clause_drops``), for tight budgets."""
    return list(_variants(text, attribution, max_variants, adjuncts))


@functools.lru_cache(maxsize=100_000)
def _variants(
    text: str, attribution: bool, max_variants: int, adjuncts: bool = False
) -> tuple[tuple[str, str | None], ...]:
    base, attr = compress_sentence(text, attribution=attribution)
    drops = _clause_drops(base, adjuncts)
    if not drops:
        return ((base, attr),)  # the usual case: nothing more to drop

    known = {base: drops}  # the drops of each wording met (the loop below meets some twice)

    def drops_of(v: str) -> list[str]:
        if v not in known:
            known[v] = _clause_drops(v, adjuncts)
        return known[v]

    def finish(v: str, prev: str | None) -> tuple[str, str | None]:
        if attribution:
            v2, a2 = compress_sentence(v, attribution=True)
            if a2:
                return v2, "; ".join(x for x in (prev, a2) if x)
        return v, prev

    variants = {base: attr}
    singles = []
    for v in drops:
        v, a = finish(v, attr)
        if v not in variants and _complete(v):
            variants[v] = a
            singles.append(v)
    shortest = None
    if len(singles) > 1 or (singles and drops_of(singles[0])):
        cur, cur_attr = base, attr
        for _ in range(6):
            nxt = [finish(v, cur_attr) for v in drops_of(cur)]
            nxt = [(v, a) for v, a in nxt if _complete(v)]
            if not nxt:
                break
            cur, cur_attr = min(nxt, key=lambda x: len(x[0]))
            variants.setdefault(cur, cur_attr)
        shortest = cur if cur != base else None
    keep = [base]
    if shortest:
        keep.append(shortest)
    for v in sorted(singles, key=len, reverse=True):
        if len(keep) >= max_variants:
            break
        if v not in keep:
            keep.append(v)
    keep.sort(key=lambda v: -len(v))
    return tuple((v, variants[v]) for v in keep)


# --------------------------------------------------------------------------- selection

_PRONOUN_START = frozenset(
    """he she it they this that these those his her its their him them but and however also
    meanwhile still yet so then there such both others another""".split()
)
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me)\b")
_QUOTATION = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]")
_QUOTE_MARK = re.compile(f"[{_QUOTE_CHARS}]")


def quoted_share(text: str) -> float:
    """Share of the characters of ``text`` inside quotation marks. A sentence that continues a
    quotation (it closes a quote it never opened: ``... execution," they said.``) counts as
    quoted up to the closing mark; an unclosed opening mark counts to the end."""
    return _quoted_share_cached(text)


@functools.lru_cache(maxsize=200_000)
def _quoted_share_cached(text: str) -> float:
    t = text.strip()
    if not t:
        return 0.0
    quoted = 0
    inside = False
    start = 0
    first = True
    for m in _QUOTE_MARK.finditer(t):  # only the quote marks matter
        i, ch = m.start(), m.group()
        if ch == "\u201c":
            opening = True
        elif ch == "\u201d":
            opening = False
        else:  # straight quote: closing after sentence punctuation or a word, before a space
            prev = t[i - 1] if i else " "
            nxt = t[i + 1] if i + 1 < len(t) else " "
            opening = not inside and not (prev in ",.!?;:" or (prev.isalnum() and not nxt.isalnum()))
        if first and not opening:
            quoted += i  # continuation of a quote opened in an earlier sentence
        elif opening and not inside:
            inside, start = True, i
        elif not opening and inside:
            quoted += i - start + 1
            inside = False
        first = False
    if inside:
        quoted += len(t) - start
    return min(1.0, quoted / len(t))


# "The reports come as ...", "The move follows ...": a definite shell noun at the start refers
# back to something the article said before
_SHELL_NOUN_START = re.compile(
    r"^(?:The|This|These|That|Those|Such)\s+(?:reports?|move|moves|attack|attacks|statement|comments?|"
    r"remarks?|decision|announcement|news|claims?|incident|development|developments|step|measures?)\b"
)


# A sentence that opens with an anaphor needs the sentence before it: "Its chief executive
# flew in", "They said ...", "When its wall gave way, ...", "The move follows ...". Deictic time
# expressions ("This year", "This morning") and an expletive "it" ("It was not clear whether
# ...") are not anaphors.
_ANAPHORS = frozenset("he she it they its their his her him them this these such".split())
_LEAD_SUBORDINATORS = frozenset("when after as while before once since because although though if until despite with".split())
_TIME_NOUNS = frozenset(
    "year week month morning afternoon evening night weekend time season summer winter spring autumn".split()
)
_EXPLETIVE_IT = re.compile(
    r"^It\s+(?:is|was|has\s+been|had\s+been|remains|remained|seems|seemed|appears|appeared|will\s+be|would\s+be)\s+"
    r"(?:not\s+|still\s+|now\s+)?(?:clear|unclear|likely|unlikely|expected|possible|impossible|unknown|feared|"
    r"thought|believed|understood|estimated|reported|said|hoped|too\s+early|the\s+first|the\s+worst|the\s+deadliest)\b"
)
_PERSON_ANAPHOR = re.compile(
    r"^The\s+(?:man|woman|boy|girl|child|couple|pair|victim|teenager)\b(?!\s+(?:of|who|whose|from|in|at|on|named)\b)"
)


def leading_anaphor(text: str) -> bool:
    """Whether ``text`` opens with an anaphor whose antecedent is in an earlier sentence: a
    pronoun or possessive ("It", "They", "Its chief executive", "His teams"), a definite shell
    noun ("The move", "The reports") or person ("The man died in hospital"), also behind a
    leading subordinator ("When its wall gave way, ...")."""
    t = text.strip().lstrip("\"'\u201c\u2018(")
    toks = _first_tokens(t, 3, 80)  # a subordinator, the anaphor and the word after it
    if not toks:
        return False
    n = 1 if toks[0] in _LEAD_SUBORDINATORS and len(toks) > 1 else 0
    w = toks[n]
    if w in _ANAPHORS:
        if w in ("this", "these", "such") and len(toks) > n + 1 and toks[n + 1].split("'")[0] in _TIME_NOUNS:
            return False
        if w == "it" and n == 0 and _EXPLETIVE_IT.match(t):
            return False
        return True
    return n == 0 and bool(_SHELL_NOUN_START.match(t) or _PERSON_ANAPHOR.match(t))


@functools.lru_cache(maxsize=200_000)
def _style_bad(text: str) -> bool:
    first = _first_tokens(text, 1, 40)
    if first and first[0] in _PRONOUN_START:
        return True
    stripped = text.strip()
    if _SHELL_NOUN_START.match(stripped):
        return True
    if stripped.endswith("?"):
        return True
    if stripped[:1] in _QUOTE_CHARS:  # also true of ""
        return True
    # most sentences hold no quote mark, and then no quotation: skip the scan
    if any(map(stripped.__contains__, _QUOTE_CHARS)) and quoted_share(stripped) > 0.5:
        return True
    # blanking quotations keeps word boundaries (quote marks are not word characters), so a
    # first-person word outside quotes also matches in the whole sentence: test that first
    if not _FIRST_PERSON.search(stripped):
        return False
    return bool(_FIRST_PERSON.search(_QUOTATION.sub(" ", stripped)))


_NO_CONFLICT: frozenset[int] = frozenset()


@dataclass(slots=True)
class _Cand:
    doc: int
    index: int
    text: str
    original: str
    attribution: str | None
    words: int
    concepts: frozenset[str]
    bonus: float
    weight: float
    stems: frozenset[str] = frozenset()  # content words, for the redundancy test
    own: float = 0.0  # value of its concepts, each counted once (``_score_candidates``)


@functools.lru_cache(maxsize=100_000)
def _prepare(
    raw: str, attribution_ok: bool, mode: str, require_verb: bool, adjuncts: bool = False
) -> tuple[tuple[str, str, str | None, int, frozenset[str], frozenset[str], bool], ...]:
    """The ways to show one sentence, longest first, each as (text, original, attribution,
    words, bigram concepts, content stems, leading anaphor): a pure function of its inputs, cached
    so that the briefs' several selections over one event prepare each sentence once."""
    original = " ".join(raw.split())
    if require_verb and not has_finite_verb(original):
        return ()
    if mode == "clauses":
        variants = compression_variants(original, attribution=attribution_ok, adjuncts=adjuncts)
    elif mode == "compress":
        variants = [compress_sentence(original, attribution=attribution_ok)]
    else:
        variants = [(original, None)]
    out = []
    for text, attr in variants:
        bigrams, stems = _bigrams_and_stems(_tokens(text))
        out.append((text, original, attr, word_count(text), bigrams, stems, leading_anaphor(text)))
    return tuple(out)


def clear_caches() -> None:
    """Forget the memoised sentence preparation (timing runs start cold with this)."""
    for fn in (_prepare, _variants, _first_cue_end, _quoted_share_cached, _style_bad, stem):
        fn.cache_clear()


def summarize(
    sentences_by_doc: Sequence[Sequence[str]],
    word_limit: int,
    *,
    weights: Mapping[tuple[int, int], float] | None = None,
    doc_groups: Sequence[object] | None = None,
    settings: SummarySettings | None = None,
    max_sentences: int | None = None,
    order: str = "summary",
    doc_dates: Sequence[str | None] | None = None,
    keep_attribution: Container[tuple[int, int]] | None = None,
    exclusive: Iterable[tuple[tuple[int, int], tuple[int, int]]] | None = None,
    bonuses: Mapping[tuple[int, int], float] | None = None,
    lead_priority: Mapping[tuple[int, int], float] | None = None,
    sentence_word_cap: int | None = None,
    covered: Iterable[str] = (),
    required: Container[tuple[int, int]] | None = None,
    required_word_cap: int | None = None,
    stats: dict | None = None,
) -> list[Selected]:
    """Choose sentences of ``sentences_by_doc`` (a list of documents, each a list of sentences)
    for a summary of at most ``word_limit`` words.

    weights: optional ``(doc, index) -> multiplier`` (default 1). A weight of 0 or less excludes
        the sentence; a weight above 1 favours it (its concepts and position are worth more).
    doc_groups: optional independence group of each document (e.g. the original a copy was made
        from, or the outlet); concept document frequency counts groups, not documents.
    max_sentences: optional cap on the number of sentences.
    order: "summary" (the most central sentence first, then by document date and position),
        "document" (by document, then position) or "score" (selection order).
    doc_dates: optional sortable date of each document for ``order="summary"``.
    keep_attribution: ``(doc, index)`` pairs never compressed (e.g. claims only one outlet
        carries: dropping "according to X" would turn a claim into an assertion).
    exclusive: optional pairs of ``(doc, index)`` never chosen together (e.g. two outlets'
        wordings of one fact, as the verification aligned them).
    bonuses: optional ``(doc, index) -> bonus`` added to a sentence's value whatever its length,
        in units of the mean concept weight (the briefs give each corroborated fact a bonus per
        independent outlet, so that two corroborated facts can beat one long sentence).
    lead_priority: optional ``(doc, index) -> priority`` for ``order="summary"``: the chosen
        sentence with the highest priority leads (ties: the most central), e.g. the number of
        independent outlets carrying it, so the summary opens with the best-corroborated fact.
    sentence_word_cap: optional cap on the words of a chosen sentence (its concepts still count
        towards document frequency); the short summary uses it so that one sentence cannot take
        the whole budget.
    covered: concepts already told (e.g. by a lead chosen beforehand): worth nothing here.
    required: optional ``(doc, index)`` pairs of which at least one must be chosen (a variant of
        at most ``required_word_cap`` words); the briefs pass the candidate leads, so the lead and
        the rest of the summary are chosen together (a shorter wording of the lead can buy a
        third fact). Ignored when none of them fits.
    stats: optional dict that receives timings, solver details and the objective value.
    """
    s = settings or SummarySettings()
    t0 = time.perf_counter()
    n_docs = len(sentences_by_doc)
    groups = list(doc_groups) if doc_groups is not None else list(range(n_docs))
    n_groups = len(set(groups)) or 1

    cands, variant_pairs, df_sources = _candidates(
        sentences_by_doc, word_limit, s, weights, keep_attribution, sentence_word_cap
    )
    if not cands:
        return []
    cweight, min_df = _concept_weights(df_sources, groups, n_groups, s)
    mean_w = sum(cweight.values()) / len(cweight) if cweight else 1.0
    for k in covered:
        cweight.pop(k, None)
    _score_candidates(cands, cweight, mean_w, s, bonuses)
    t_prep = time.perf_counter()

    pairs = _conflict_pairs(cands, variant_pairs, exclusive, s.redundancy_threshold)
    conflicts: dict[int, set[int]] = defaultdict(set)
    for i, j in pairs:
        conflicts[i].add(j)
        conflicts[j].add(i)

    must: list[int] = []
    if required:
        must = [
            j for j, c in enumerate(cands)
            if (c.doc, c.index) in required and c.words <= word_limit
            and (required_word_cap is None or c.words <= required_word_cap)
        ]
    chosen: list[int] | None = None
    solver_used = "greedy"
    if s.solver == "ilp":
        chosen = _solve_ilp(cands, cweight, pairs, word_limit, max_sentences, s.ilp_time_limit, must)
        if chosen is not None:
            solver_used = "ilp"
    if chosen is None:
        chosen = _solve_greedy(cands, cweight, conflicts, word_limit, max_sentences, s.length_exponent, must=must)
    t_solve = time.perf_counter()

    if s.fill and (max_sentences is None or len(chosen) < max_sentences):
        if sum(cands[j].words for j in chosen) < word_limit:
            extra = _overflow(cands, cweight, conflicts, chosen, s.length_exponent)
            if extra is not None:
                chosen.append(extra)

    out = [
        Selected(
            doc=c.doc,
            index=c.index,
            text=c.text,
            original=c.original,
            words=c.words,
            score=c.own * c.weight + c.bonus,  # its own (weighted) concept value plus bonus
            compressed=c.text != c.original,
            attribution=c.attribution,
            concepts=c.concepts,
        )
        for c in (cands[j] for j in chosen)
    ]
    if s.fill and out and sum(x.words for x in out) > word_limit:
        out[-1].truncated = True
    out = order_selected(out, order=order, doc_dates=doc_dates, keep_last=s.fill, lead_priority=lead_priority)
    if stats is not None:
        stats.update(
            solver=solver_used,
            candidates=len(cands),
            concepts=len(cweight),
            min_df=min_df,
            redundant_pairs=len(pairs),
            objective=_objective(cands, cweight, chosen),
            seconds_prepare=t_prep - t0,
            seconds_solve=t_solve - t_prep,
            seconds=time.perf_counter() - t0,
        )
    return out


def _candidates(
    sentences_by_doc: Sequence[Sequence[str]],
    word_limit: int,
    s: SummarySettings,
    weights: Mapping[tuple[int, int], float] | None,
    keep_attribution: Container[tuple[int, int]] | None,
    sentence_word_cap: int | None,
) -> tuple[list[_Cand], list[tuple[int, int]], list[tuple[int, frozenset[str]]]]:
    """The candidates (a sentence may come in several compressed variants), the pairs of
    variants of one sentence (never chosen together) and the (document, concepts) of every
    sentence of usable length, which the concept document frequencies count."""
    cands: list[_Cand] = []
    variant_pairs: list[tuple[int, int]] = []
    df_sources: list[tuple[int, frozenset[str]]] = []
    mode = "clauses" if (s.compress and s.compress_clauses) else ("compress" if s.compress else "none")
    # a tight budget (the briefs' one-line summary) may also drop content-bearing adjuncts
    adjuncts = mode == "clauses" and word_limit <= s.compress_adjuncts_below
    min_variant = min(s.min_variant_words, s.min_sentence_words) if adjuncts else s.min_sentence_words
    for d, sents in enumerate(sentences_by_doc):
        for i, raw in enumerate(sents):
            w = 1.0 if weights is None else float(weights.get((d, i), 1.0))
            if w <= 0 or not raw or not raw.strip():
                continue
            if word_count(raw) < s.min_sentence_words:
                continue  # too short, and compression never adds words: not worth preparing
            attribution_ok = not (keep_attribution and (d, i) in keep_attribution)
            prepared = _prepare(raw, attribution_ok, mode, s.require_verb, adjuncts)
            if not prepared:
                continue  # a verbless fragment: a standfirst, a caption, a name and role
            first = len(cands)
            counted = False
            for text, original, attr, n_words, bigrams, stems, anaphoric in prepared:
                if n_words > s.max_sentence_words:
                    continue
                concepts = bigrams | stems if s.unigram_weight > 0 else bigrams
                if not counted:
                    if n_words < s.min_sentence_words:
                        break  # the sentence itself is too short (its variants are shorter still)
                    # concept document frequency: every sentence of usable length counts, also
                    # one longer than ``sentence_word_cap`` or one that cannot be chosen itself
                    df_sources.append((d, concepts))
                    counted = True
                if n_words < min_variant:
                    continue
                if sentence_word_cap is not None and n_words > sentence_word_cap:
                    continue
                if anaphoric and s.exclude_anaphora:
                    continue  # "Its chief executive ...": the antecedent is not in the summary
                cands.append(_Cand(d, i, text, original, attr, n_words, concepts, 0.0, w, stems))
            if len(cands) - first > 1:  # variants of one sentence are never chosen together
                variant_pairs.extend(itertools.combinations(range(first, len(cands)), 2))
    return cands, variant_pairs, df_sources


def _concept_weights(
    df_sources: list[tuple[int, frozenset[str]]], groups: Sequence[object], n_groups: int, s: SummarySettings
) -> tuple[dict[str, float], int]:
    """Concept weights: the number of independent groups using a concept (content words at
    ``unigram_weight`` of a bigram), for concepts used by at least ``min_df`` groups; and
    ``min_df``."""
    used_by: dict[object, set[str]] = defaultdict(set)
    for doc, concepts in df_sources:
        used_by[groups[doc]] |= concepts
    df = Counter(itertools.chain.from_iterable(used_by.values()))
    # concepts in order of first use (the order of the float sum of the mean weight)
    first_use = dict.fromkeys(itertools.chain.from_iterable(concepts for _, concepts in df_sources))
    min_df = max(s.min_concept_df, math.ceil(s.min_concept_df_fraction * n_groups))
    min_df = min(min_df, n_groups)
    if n_groups == 1:
        min_df = 1
    # e.g. two documents with nothing in common: fall back to every concept
    kept = [k for k in first_use if df[k] >= min_df] or first_use
    uw = s.unigram_weight
    return {k: float(df[k]) * (1.0 if " " in k else uw) for k in kept}, min_df


def _score_candidates(
    cands: list[_Cand],
    cweight: dict[str, float],
    mean_w: float,
    s: SummarySettings,
    bonuses: Mapping[tuple[int, int], float] | None,
) -> None:
    """Set each candidate's own concept value and its bonus (position, style, the caller's)."""
    no_weight = itertools.repeat(0.0)
    for c in cands:
        c.own = sum(map(cweight.get, c.concepts, no_weight))  # cweight.get(k, 0.0) for each concept
        bonus = 0.0
        if c.index < s.position_horizon:
            bonus += s.position_weight * mean_w / (1.0 + c.index)
        if _style_bad(c.text):
            bonus -= s.style_penalty * c.own
        if bonuses:
            bonus += bonuses.get((c.doc, c.index), 0.0) * mean_w
        c.bonus = bonus


def _conflict_pairs(
    cands: list[_Cand],
    variant_pairs: list[tuple[int, int]],
    exclusive: Iterable[tuple[tuple[int, int], tuple[int, int]]] | None,
    threshold: float,
) -> list[tuple[int, int]]:
    """Candidate pairs (i < j, sorted) never chosen together: redundant ones (content-word
    cosine above ``threshold``), variants of one sentence and the caller's ``exclusive`` pairs."""
    pairs = _similar_pairs([c.stems for c in cands], threshold)
    if variant_pairs:
        pairs = sorted(set(pairs) | set(variant_pairs))
    if exclusive:
        pos: dict[tuple[int, int], list[int]] = defaultdict(list)
        for j, c in enumerate(cands):
            pos[(c.doc, c.index)].append(j)
        extra = {
            (min(ja, jb), max(ja, jb))
            for a, b in exclusive
            for ja in pos.get(a, ())
            for jb in pos.get(b, ())
            if ja != jb
        }
        pairs = sorted(set(pairs) | extra)
    return pairs


def _overflow(
    cands: list[_Cand], cweight: dict[str, float], conflicts: dict[int, set[int]], chosen: list[int], r: float
) -> int | None:
    """The candidate to append past the budget (``fill``): the best gain / length**r."""
    taken = set(chosen)
    covered = set().union(*(cands[j].concepts for j in chosen))
    best, best_gain = None, 0.0
    for j, c in enumerate(cands):
        if j in taken or not taken.isdisjoint(conflicts.get(j, ())):
            continue
        gain = sum(cweight.get(k, 0.0) for k in c.concepts - covered) * c.weight + c.bonus
        gain /= c.words**r
        if gain > best_gain:
            best, best_gain = j, gain
    return best


def _objective(cands: list[_Cand], cweight: dict[str, float], chosen: Sequence[int]) -> float:
    """The value the solvers maximise: concepts covered (once each) plus each chosen sentence's
    weighted extra and bonus."""
    seen: set[str] = set()
    val = 0.0
    for j in chosen:
        c = cands[j]
        val += (c.weight - 1.0) * c.own + c.bonus * c.weight
        for k in c.concepts:
            if k not in seen:
                seen.add(k)
                val += cweight.get(k, 0.0)
    return val


def _similar_pairs(bags: list[frozenset[str]], threshold: float) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose set cosine exceeds ``threshold``: bit sets for small inputs, a
    sparse product for large ones (the same test either way: ``shared**2 > t**2 * |a| * |b|``)."""
    n = len(bags)
    t2 = threshold * threshold
    if n <= 120:  # below this the sparse product's fixed cost dominates
        bit = {t: 1 << b for b, t in enumerate(dict.fromkeys(itertools.chain.from_iterable(bags)))}
        masks = [sum(map(bit.__getitem__, bag)) for bag in bags]  # distinct bits: the sum is the union
        sizes = [len(b) for b in bags]
        out = []
        for i in range(n):
            mi, si = masks[i], sizes[i]
            if not si:
                continue
            limit = t2 * si
            for j in range(i + 1, n):
                shared = (mi & masks[j]).bit_count()
                if shared and shared * shared > limit * sizes[j]:
                    out.append((i, j))
        return out
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, bag in enumerate(bags):
        for t in bag:
            rows.append(r)
            cols.append(vocab.setdefault(t, len(vocab)))
    X = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n, max(1, len(vocab))))
    sizes = np.asarray(X.sum(axis=1)).ravel().astype(np.float64)
    sim = sparse.triu(X @ X.T, k=1).tocoo()
    shared = sim.data.astype(np.float64)
    keep = (shared > 0) & (shared * shared > t2 * sizes[sim.row] * sizes[sim.col])
    pairs = sorted(zip(sim.row[keep].tolist(), sim.col[keep].tolist()))
    return pairs


def order_selected(
    selected: list[Selected],
    *,
    order: str = "summary",
    doc_dates: Sequence[str | None] | None = None,
    keep_last: bool = False,
    lead_priority: Mapping[tuple[int, int], float] | None = None,
) -> list[Selected]:
    """Order chosen sentences: "summary" puts the most central sentence (highest score, ties to
    the earliest position; ``lead_priority`` first, when given) first, then the rest chronologically (document date, then position
    in the document); "document" orders by document and position; "score" keeps the order."""
    if order == "score" or len(selected) <= 1:
        return list(selected)
    tail: list[Selected] = []
    items = list(selected)
    if keep_last and items[-1].truncated:
        tail = [items.pop()]

    def chrono(x: Selected) -> tuple:
        date = (doc_dates[x.doc] if doc_dates and x.doc < len(doc_dates) else None) or ""
        return (date == "", date, x.index / 100.0, x.doc)

    if order == "document":
        return sorted(items, key=lambda x: (x.doc, x.index)) + tail
    prio = lead_priority or {}
    lead = max(items, key=lambda x: (prio.get((x.doc, x.index), 0.0), x.score / (1.0 + 0.25 * x.index), -x.index))
    rest = sorted((x for x in items if x is not lead), key=chrono)
    return [lead, *rest, *tail]


def _solve_ilp(
    cands: list[_Cand],
    cweight: dict[str, float],
    pairs: list[tuple[int, int]],
    word_limit: int,
    max_sentences: int | None,
    time_limit: float,
    must: Sequence[int] = (),
) -> list[int] | None:
    """Exact concept-coverage ILP (Gillick & Favre 2009) with sentence bonuses; at least one of
    ``must`` is chosen when it is not empty."""
    try:
        from scipy import sparse
        from scipy.optimize import Bounds, LinearConstraint, milp
    except ImportError:  # pragma: no cover - SciPy < 1.9
        return None
    # Exact reductions: a concept carried by one candidate only is worth its weight to that
    # sentence (no variable needed); concepts carried by the same set of candidates are one
    # variable with the summed weight. This shrinks the ILP several-fold.
    carriers: dict[str, list[int]] = defaultdict(list)
    for j, c in enumerate(cands):
        for k in c.concepts:
            if k in cweight:
                carriers[k].append(j)
    solo = np.zeros(len(cands))
    merged: dict[tuple[int, ...], float] = defaultdict(float)
    for k, js in carriers.items():
        if len(js) == 1:
            solo[js[0]] += cweight[k]
        else:
            merged[tuple(js)] += cweight[k]
    n_s, n_c = len(cands), len(merged)
    # variables: [s_0..s_{n_s-1}, c_0..c_{n_c-1}]
    obj = np.zeros(n_s + n_c)
    for j, c in enumerate(cands):
        # weights scale what a sentence brings: (w - 1) * own value on top of the shared
        # coverage, plus its bonus
        obj[j] = (c.weight - 1.0) * c.own + c.bonus * c.weight + solo[j]
    rows, cols, vals = [], [], []
    # coverage: sum_j occ_ij s_j - c_i >= 0
    for i, (js, w) in enumerate(merged.items()):
        obj[n_s + i] = w
        for j in js:
            rows.append(i)
            cols.append(j)
            vals.append(1.0)
        rows.append(i)
        cols.append(n_s + i)
        vals.append(-1.0)
    A_cov = sparse.csr_matrix((vals, (rows, cols)), shape=(n_c, n_s + n_c))
    constraints = [LinearConstraint(A_cov, lb=0, ub=np.inf)]
    length = np.zeros(n_s + n_c)
    length[:n_s] = [c.words for c in cands]
    constraints.append(LinearConstraint(length.reshape(1, -1), lb=0, ub=word_limit))
    if max_sentences is not None:
        count = np.zeros(n_s + n_c)
        count[:n_s] = 1
        constraints.append(LinearConstraint(count.reshape(1, -1), lb=0, ub=max_sentences))
    if must:
        req = np.zeros(n_s + n_c)
        req[list(must)] = 1
        constraints.append(LinearConstraint(req.reshape(1, -1), lb=1, ub=np.inf))
    if pairs:
        pr, pc = [], []
        for r, (a, b) in enumerate(pairs):
            pr += [r, r]
            pc += [a, b]
        A_red = sparse.csr_matrix((np.ones(len(pr)), (pr, pc)), shape=(len(pairs), n_s + n_c))
        constraints.append(LinearConstraint(A_red, lb=0, ub=1))
    try:
        res = milp(
            -obj,
            constraints=constraints,
            integrality=np.ones(n_s + n_c),
            bounds=Bounds(0, 1),
            options={"time_limit": time_limit, "disp": False},
        )
    except Exception:  # pragma: no cover - solver failure falls back to greedy
        return None
    if res.x is None or res.status not in (0, 1):
        return None
    chosen = [j for j in range(n_s) if res.x[j] > 0.5]
    # selection order = descending objective contribution (for "score" ordering)
    chosen.sort(key=lambda j: -(obj[j] - solo[j] + cands[j].own))
    return chosen


def _solve_greedy(
    cands: list[_Cand],
    cweight: dict[str, float],
    conflicts: dict[int, set[int]],
    word_limit: int,
    max_sentences: int | None,
    r: float,
    exponents: tuple[float, ...] = (0.0, 0.5, 1.0),
    swap_passes: int = 3,
    *,
    must: Sequence[int] = (),
    max_seeds: int = 4,
) -> list[int]:
    """Budgeted greedy for the monotone submodular coverage objective (Lin & Bilmes 2010:
    gain / length**r, compared with the best single sentence), run for a few values of r, then
    improved by add / 1-swap local search. With ``must``, at least one of those candidates is
    chosen: the greedy also starts from each of the best few of them, and the local search never
    swaps the last of them out. Returns chosen candidate indices, best first."""
    import heapq

    ids = dict(zip(cweight, itertools.count()))
    w = list(cweight.values())
    cids = [[i for i in map(ids.get, c.concepts) if i is not None] for c in cands]
    lin = [(c.weight - 1.0) * c.own + c.bonus * c.weight for c in cands]
    lengths = [c.words for c in cands]
    cap = max_sentences if max_sentences is not None else len(cands)
    fits = [j for j in range(len(cands)) if lengths[j] <= word_limit]
    must_set = {j for j in must if lengths[j] <= word_limit}
    standalone = {j: lin[j] + cands[j].own for j in fits}

    def feasible(sel: list[int]) -> bool:
        return not must_set or any(j in must_set for j in sel)

    def greedy(rr: float, seed: int | None = None) -> tuple[list[int], float]:
        """The lazy greedy's choice and its objective (concepts counted once, each added when
        first covered: the same sums, in the same order, as a separate pass would make)."""
        covered = [False] * len(w)
        chosen: list[int] = []
        blocked: set[int] = set()
        used = 0
        val = 0.0

        def take(j: int) -> None:
            nonlocal used, val
            chosen.append(j)
            used += lengths[j]
            val += lin[j]
            for i in cids[j]:
                if not covered[i]:
                    covered[i] = True
                    val += w[i]

        scale = [n**rr for n in lengths]
        if seed is not None:
            take(seed)
            blocked = set(conflicts.get(seed, ())) | {seed}
        # lazy greedy: coverage gains only shrink, so stale heap entries are upper bounds
        heap = []
        for j in fits:
            if j in blocked:
                continue
            g = lin[j] + sum(w[i] for i in cids[j] if not covered[i]) if seed is not None else standalone[j]
            if g > 0:
                heap.append((-g / scale[j], j))
        heapq.heapify(heap)
        while heap and len(chosen) < cap:
            neg, j = heapq.heappop(heap)
            if j in blocked or used + lengths[j] > word_limit:
                continue
            g = lin[j] + sum(w[i] for i in cids[j] if not covered[i])
            score = g / scale[j]
            if g <= 0:
                continue
            if heap and score < -heap[0][0] - 1e-12:
                heapq.heappush(heap, (-score, j))
                continue
            take(j)
            blocked |= conflicts.get(j, _NO_CONFLICT)
        return chosen, val

    best: list[int] = []
    best_val = -math.inf
    seeds: list[int | None] = [None]
    if must_set:
        seeds += sorted(must_set, key=lambda j: -standalone[j])[:max_seeds]
    for seed in seeds:
        for rr in dict.fromkeys((r, *exponents)):
            sel, v = greedy(rr, seed)
            if feasible(sel) and v > best_val:
                best, best_val = sel, v
    pool = sorted(must_set) if must_set else fits
    if pool:
        single = max(pool, key=lambda j: standalone[j])
        if standalone[single] > best_val:
            best, best_val = [single], standalone[single]

    # local search: add a sentence, or swap one chosen sentence for one not chosen
    # (first improvement, incremental gains from concept coverage counts)
    count: list[int] = []  # how many chosen sentences carry each concept

    def added(k: int) -> float:
        """What ``k`` adds to the current choice."""
        return lin[k] + sum(w[i] for i in cids[k] if not count[i])

    for _ in range(swap_passes):
        improved = False
        used = sum(lengths[j] for j in best)
        chosen_set = set(best)
        n_must = len(chosen_set & must_set)
        count = [0] * len(w)
        for j in best:
            for i in cids[j]:
                count[i] += 1
        uniq = {j: {i for i in cids[j] if count[i] == 1} for j in best}
        loss = {j: lin[j] + sum(w[i] for i in uniq[j]) for j in best}
        for k in fits:
            if k in chosen_set:
                continue
            clash = conflicts.get(k, _NO_CONFLICT) & chosen_set
            base = kset = None  # computed only when a move needs them
            if not clash and len(best) < cap and used + lengths[k] <= word_limit:
                base = added(k)
                if base > 1e-9:
                    best, best_val, improved = best + [k], best_val + base, True
                    break
            for j in best:
                if (clash and clash - {j}) or used - lengths[j] + lengths[k] > word_limit:
                    continue
                if must_set and j in must_set and n_must == 1 and k not in must_set:
                    continue  # the last required sentence stays
                if base is None:
                    base = added(k)
                if kset is None:
                    kset = set(cids[k])
                delta = base + sum(w[i] for i in kset & uniq[j]) - loss[j]
                if delta > 1e-9:
                    best = [x for x in best if x != j] + [k]
                    best_val += delta
                    improved = True
                    break
            if improved:
                break
        if not improved:
            break
    return sorted(best, key=lambda j: -standalone[j])


def with_text(selected: Selected, text: str) -> Selected:
    """A copy of ``selected`` showing ``text`` instead."""
    return replace(selected, text=text, words=word_count(text))
