"""Deduplication: exact copies, near-duplicates (syndicated wire copy) and shared passages.

Three findings, all over the cleaned ``Article.text`` (titles are ignored, outlets re-headline
wire copy):

* **exact**: the same normalised word sequence (case, punctuation, quote style and whitespace
  ignored) -> ``DuplicateLink(kind="exact", similarity=1.0)``.
* **near**: word-shingle sets whose MinHash-estimated Jaccard is at least
  ``DedupSettings.near_threshold``; candidates come from a ``datasketch.MinHashLSH`` index, so
  no pair is compared unless LSH puts the two in a common bucket.
* **shared passages**: sentences, runs of sentences (paragraphs) and quotations re-used by
  another article, as character spans into both cleaned texts (``SharedPassage``). Candidate
  article pairs come from an inverted index of winnowed word-trigram fingerprints; only those
  pairs are aligned sentence by sentence.

Direction: a link's ``original`` and a passage's ``article_b`` are the earlier article by
:func:`order_key` (earlier ``published``; undated after dated; then longer text; then smaller
id), so the copy / re-user is ``copy`` / ``article_a``.

Cost is linear in the number of articles for a bounded number of candidates per article
(``max_candidates``); ``NearDuplicateIndex`` is the streaming form (``add``/``query`` one article
at a time) that the store's incremental ingest uses, ``find_duplicates`` the batch form.

Sentences are split here with a small punctuation-based splitter (:func:`sentence_spans`), not
spaCy: dedup runs before linguistics and must stay fast.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from difflib import Match, SequenceMatcher
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsprism.records import Article, DedupResult, DuplicateLink, SharedPassage

__all__ = [
    "DedupSettings",
    "NearDuplicateIndex",
    "find_duplicates",
    "order_key",
    "sentence_spans",
    "tokenize",
]


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """Every threshold of deduplication, with its default.

    Whole-article copies:

    * ``shingle_size`` (5): words per shingle for the near-duplicate MinHash.
    * ``num_perm`` (128): MinHash permutations (std. error of the Jaccard estimate ~0.04).
    * ``near_threshold`` (0.5): estimated Jaccard of 5-word shingles at or above which two
      articles are near-duplicates. Independent reports of one event score < 0.1 (the seeds:
      <= 0.03); a wire story re-published with other boilerplate and one rewritten sentence
      scores 0.6-0.9.
    * ``lsh_bands`` / ``lsh_rows`` (20 x 3): MinHashLSH banding. A pair becomes a candidate with
      probability 1 - (1 - J^3)^20: 0.93 at J = 0.5, 0.99 at 0.6, 0.02 at 0.1 (same-event
      articles sharing quotes), ~0 below. Candidates are then checked against
      ``near_threshold``, so false candidates cost one signature comparison; fewer, shorter bands
      than datasketch's own choice for 0.5 (25 x 5, recall 0.55 at J = 0.5) and 40% less memory
      than its choice for 0.4 (32 x 4) - the LSH buckets are the largest part of the index.
    * ``min_words`` (10): texts with fewer words are never linked as exact / near copies
      (an empty or one-line text after cleaning says nothing about copying).

    Shared passages:

    * ``passage_shingle_size`` (3): words per fingerprint shingle.
    * ``winnow_window`` (4): winnowing window; any shared run of ``window + shingle - 1`` (6)
      words yields a common fingerprint, while only ~40% of shingles are indexed.
    * ``min_shared_fingerprints`` (2): distinct common fingerprints for an article pair to be
      aligned.
    * ``max_fingerprint_df`` (1000): fingerprints found in more articles are stock phrases
      ("the United Nations said") and are not used to find candidates.
    * ``max_candidates`` (100): most candidate articles aligned per article (the ones sharing
      most fingerprints) - bounds the cost per article, so the whole run is linear.
    * ``sentence_containment`` (0.8): share of the shorter sentence's words covered by common
      runs of >= ``min_block_words`` words for two sentences to match; "Please don't give them
      this chance" vs "Please don't get them this chance" covers 5 of 6.
    * ``min_block_words`` (2): shorter common runs (single words) do not count.
    * ``min_passage_words`` (5) / ``min_passage_content_words`` (2): a matched sentence must cover
      at least this many words / non-stopwords ("Save Aleppo" is a slogan, not a copied passage).
    * ``quote_words`` (6): a common run this long inside quotation marks (in either article) is a
      shared quote even when the surrounding sentences differ ("Every hour, butcheries are
      carried out" in two differently worded SOHR attributions).
    * ``run_words`` (12): a common run this long outside quotation marks is a shared passage.
    * ``merge_gap_words`` (6): matched neighbouring sentences at most this many unshared words
      apart (in either article) are merged into one passage.
    * ``feature_cache`` (1024): per-article features (word offsets and hashes, sentences; ~30 KB
      for a 500-word article) kept in memory by the streaming index; evicted ones are rebuilt
      from the text when an article is aligned again.
    """

    shingle_size: int = 5
    num_perm: int = 128
    near_threshold: float = 0.5
    lsh_bands: int = 20
    lsh_rows: int = 3
    min_words: int = 10
    passage_shingle_size: int = 3
    winnow_window: int = 4
    min_shared_fingerprints: int = 2
    max_fingerprint_df: int = 1000
    max_candidates: int = 100
    sentence_containment: float = 0.8
    min_block_words: int = 2
    min_passage_words: int = 5
    min_passage_content_words: int = 2
    quote_words: int = 6
    run_words: int = 12
    merge_gap_words: int = 6
    feature_cache: int = 1024


# --------------------------------------------------------------------------- text primitives


# A sentence ends at . ! ? … (plus closing quotes/brackets) before whitespace, at a blank line,
# or at a line break that is not a hard-wrapped continuation (next line starts lower-case).
_SENTENCE_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s)|\n[ \t]*\n\s*|\n(?![ \t]*[a-z])""")
_WORD_BEFORE = re.compile(r"(\w+)$")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen sen rep gov lt col sgt capt cmdr adm maj jr sr no vs etc inc ltd "
    "co corp dept est fig jan feb mar apr jun jul aug sep sept oct nov dec approx".split()
)

# Quotations: curly (closed by ” or a straight " - outlets mix them - and an unclosed one ends at
# the paragraph, as multi-paragraph quotes re-open without closing), straight, guillemets.
_QUOTES = re.compile(r"“[^“”\"]*?(?:[”\"]|(?=\n[ \t]*\n)|$)|\"[^\"\n]*(?:\"|(?=\n))|«[^«»]*»?")

# English function words: shingles made only of these are not fingerprints, and matched
# sentences must cover some words outside this list.
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did didnt do does doesnt doing dont down during each
    few for from further had has have having he her here hers herself him himself his how i if in
    into is isnt it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that thats the their
    theirs them themselves then there these they this those through to too under until up very was
    wasnt we were what when where which while who whom why will with would you your yours yourself
    yourselves said says say told according""".split()
)


def _is_word_char(code: int) -> bool:
    char = chr(code)
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


@lru_cache(maxsize=1 << 16)
def _fold_code(code: int) -> int:
    """Case- and compatibility-folded code point (NFKC, lower-case) when that is one character."""
    folded = unicodedata.normalize("NFKC", chr(code)).lower()
    return ord(folded) if len(folded) == 1 else code


_ASCII_WORD = np.array([_is_word_char(c) for c in range(128)], dtype=bool)
_ASCII_FOLD = np.array([_fold_code(c) for c in range(128)], dtype=np.uint64)


@dataclass(slots=True)
class _Words:
    starts: np.ndarray  # character offsets of each word
    ends: np.ndarray
    hashes: np.ndarray  # uint64 hash of each normalised word


def _analyze_words(text: str) -> _Words:
    """Words of ``text`` with offsets and 64-bit hashes of their normalised form.

    A word is a run of letters/digits (Unicode), with an apostrophe between two of them kept
    inside ("don’t"); hyphens split ("Ki-Moon"). Normalised = NFKC, lower-case, apostrophes
    dropped ("Don’t" == "dont"), so case, quote style and punctuation never hide a copy.
    Vectorised over code points: a regex scan plus a hash call per word costs ~10x more, and
    dedup must keep up with ingest.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(codes):
        empty = np.empty(0, dtype=np.int32)
        return _Words(empty, empty, np.empty(0, dtype=np.uint64))
    ascii_ = codes < 128
    word = np.zeros(len(codes), dtype=bool)
    folded = np.zeros(len(codes), dtype=np.uint64)
    word[ascii_] = _ASCII_WORD[codes[ascii_]]
    folded[ascii_] = _ASCII_FOLD[codes[ascii_]]
    if not ascii_.all():
        others, where = np.unique(codes[~ascii_], return_inverse=True)
        is_word = np.fromiter((_is_word_char(int(c)) for c in others), dtype=bool, count=len(others))
        fold = np.fromiter((_fold_code(int(c)) for c in others), dtype=np.uint64, count=len(others))
        word[~ascii_] = is_word[where]
        folded[~ascii_] = fold[where]
    apostrophe = (codes == 39) | (codes == 0x2019)  # ' and ’
    if len(codes) > 2:
        word[1:-1] |= apostrophe[1:-1] & word[:-2] & word[2:]
    edges = np.diff(np.concatenate(([False], word, [False])).astype(np.int8))
    # int32 offsets: half the memory of the cached features (texts are far below 2 GB)
    starts = np.flatnonzero(edges == 1).astype(np.int32)
    ends = np.flatnonzero(edges == -1).astype(np.int32)
    if not len(starts):
        return _Words(starts, ends, np.empty(0, dtype=np.uint64))
    # hash = xor over the word's characters of mix(char, position in word), apostrophes skipped
    keep = word & ~apostrophe
    index = np.flatnonzero(keep)
    word_of = (np.cumsum(edges[:-1] == 1) - 1)[index]  # word number of each kept character
    first = np.flatnonzero(np.diff(word_of, prepend=-1))
    position = np.arange(len(index)) - np.repeat(first, np.diff(np.append(first, len(index))))
    with np.errstate(over="ignore"):
        per_char = _mix64(folded[index] * _U64(0x100000001B3) + position.astype(np.uint64) * _SHINGLE_MUL)
        hashes = _mix64(np.bitwise_xor.reduceat(per_char, first))
    return _Words(starts, ends, hashes)


def tokenize(text: str) -> list[str]:
    """The normalised words of ``text`` as strings (for inspection and tests; dedup itself works
    on the hashes of :func:`_analyze_words`)."""
    found = _analyze_words(text)
    return [
        unicodedata.normalize("NFKC", text[a:b]).lower().replace("'", "").replace("’", "")
        for a, b in zip(found.starts.tolist(), found.ends.tolist())
    ]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (whitespace-stripped, in order).

    A fast punctuation splitter for deduplication (not linguistics): splits after . ! ? …
    followed by whitespace (keeping closing quotes in the sentence), at blank lines and at
    line breaks, except after common abbreviations / initials ("Dr.", "J.") and before a
    lower-case continuation line (hard-wrapped text).
    """
    spans: list[tuple[int, int]] = []
    pos = 0

    def emit(start: int, end: int) -> None:
        segment = text[start:end]
        stripped = segment.strip()
        if stripped:
            lead = len(segment) - len(segment.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))

    for match in _SENTENCE_END.finditer(text):
        mark = match.group()
        if mark[0] in ".!?…":
            if mark[0] == "." and len(mark.rstrip("\"'”’»)]")) == 1:
                before = _WORD_BEFORE.search(text, max(0, match.start() - 20), match.start())
                if before is not None:
                    word = before.group(1)
                    if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                        continue
            emit(pos, match.end())
        else:
            emit(pos, match.start())
        pos = match.end()
    emit(pos, len(text))
    return spans


# --------------------------------------------------------------------------- hashing

_U64 = np.uint64
_SHINGLE_MUL = _U64(0x9E3779B97F4A7C15)


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads polynomial shingle hashes over all 64 bits."""
    z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
    return z ^ (z >> _U64(31))


def _shingle_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """64-bit hash of every run of ``k`` consecutive words (order-sensitive)."""
    n = len(word_hashes) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = word_hashes[:n].copy()
        for j in range(1, k):
            h = _mix64(h * _SHINGLE_MUL + word_hashes[j : j + n])
    return h


def _winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Winnowing (Schleimer et al. 2003): the minimum hash of every window of ``window``
    consecutive shingles; two texts sharing such a window share that fingerprint."""
    if len(hashes) == 0:
        return hashes
    if len(hashes) <= window:
        return np.unique(hashes[[int(np.argmin(hashes))]])
    windows = np.lib.stride_tricks.sliding_window_view(hashes, window)
    picks = windows.argmin(axis=1) + np.arange(len(windows))
    return np.unique(hashes[picks])


# hashes of the stopwords, to mark function words without a per-word Python call
_STOP_HASHES = np.unique(_analyze_words(" ".join(sorted(_STOPWORDS))).hashes)


def _identity(value: int) -> int:
    # MinHash hashfunc: values are already 32-bit shingle hashes (module-level so it pickles).
    return value


def _published_key(published: str | None) -> tuple[int, str]:
    if not published:
        return (1, "")
    text = published.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return (1, "")  # unparsable dates cannot be ordered against ISO ones: treat as undated
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    if len(text) <= 10:  # date only: sorts before any time on the same day
        return (0, moment.date().isoformat())
    return (0, moment.isoformat())


def order_key(article: Article) -> tuple[int, str, int, str]:
    """Total order used to pick the original of a copy: earlier ``published`` first (dated before
    undated), then the longer text, then the smaller id. Deterministic whatever the input order."""
    missing, moment = _published_key(article.published)
    return (missing, moment, -len(article.text), article.id)


# --------------------------------------------------------------------------- per-article features


@dataclass(slots=True)
class _Sentence:
    tok_start: int  # token range [tok_start, tok_end)
    tok_end: int
    char_start: int
    char_end: int


class _Features:
    """Everything dedup needs from one article. Words and their hashes are computed at once; the
    layout (sentences, quotes, per-sentence shingles) only when the article is first aligned
    with another, since most articles of a large corpus never are."""

    __slots__ = (
        "id",
        "text",
        "key",
        "n",
        "starts",
        "ends",
        "content",
        "word_hashes",
        "k",
        "sentences",
        "sent_of",
        "in_quote",
        "shingle_keys",  # sorted hashes of the content shingles lying inside one sentence ...
        "shingle_sents",  # ... and that sentence: distinct (hash, sentence) rows
        "views",  # sentence index -> _SentenceView, filled as sentences are aligned
    )

    def __init__(self, article: Article, settings: DedupSettings) -> None:
        self.id = article.id
        self.text = article.text
        self.key = order_key(article)
        words = _analyze_words(article.text)
        self.starts, self.ends, self.word_hashes = words.starts, words.ends, words.hashes
        self.n = len(self.word_hashes)
        # not a stopword (binary search: np.isin's set-up dominates at article size)
        at = np.minimum(np.searchsorted(_STOP_HASHES, self.word_hashes), len(_STOP_HASHES) - 1)
        self.content = _STOP_HASHES[at] != self.word_hashes
        self.k = settings.passage_shingle_size
        self.sentences: list[_Sentence] | None = None
        self.views: dict[int, _SentenceView] = {}

    def exact_hash(self) -> bytes:
        return hashlib.sha1(self.word_hashes.tobytes()).digest()

    def near_shingles(self, k: int) -> list[int]:
        """Distinct 32-bit hashes of the k-word shingles (MinHash input)."""
        hashes = _shingle_hashes(self.word_hashes, k) & _U64(0xFFFFFFFF)
        return np.unique(hashes).tolist()

    def _content_shingles(self) -> tuple[np.ndarray, np.ndarray]:
        """Hashes of the passage shingles and whether each holds a non-stopword."""
        hashes = _shingle_hashes(self.word_hashes, self.k)
        if len(hashes) == 0:
            return hashes, np.zeros(0, dtype=bool)
        return hashes, np.lib.stride_tricks.sliding_window_view(self.content, self.k).any(axis=1)

    def fingerprints(self, window: int) -> np.ndarray:
        """Winnowed hashes of the passage shingles that hold at least one non-stopword."""
        hashes, has_content = self._content_shingles()
        return _winnow(hashes[has_content], window)

    def layout(self) -> None:
        """Sentences, quotes and the shingle -> sentence table used for alignment."""
        if self.sentences is not None:
            return
        n = self.n
        self.sentences = []
        spans = sentence_spans(self.text)
        if spans and n:
            first = np.searchsorted(self.starts, [a for a, _ in spans], side="left")
            last = np.searchsorted(self.starts, [b for _, b in spans], side="left")
            for (start, end), t0, t1 in zip(spans, first.tolist(), last.tolist()):
                if t1 > t0:
                    self.sentences.append(_Sentence(t0, t1, start, end))
        self.sent_of = np.full(n, -1, dtype=np.int32)  # sentence index of each word
        for s_index, sentence in enumerate(self.sentences):
            self.sent_of[sentence.tok_start : sentence.tok_end] = s_index
        # words inside a quotation: covered by some [lo, hi) word range of the quotes
        bounds = [match.span() for match in _QUOTES.finditer(self.text)]
        self.in_quote = np.zeros(n, dtype=bool)
        if bounds and n:
            lo, hi = np.searchsorted(self.starts, np.array(bounds).T, side="left")
            self.in_quote = np.cumsum(np.bincount(lo, minlength=n + 1) - np.bincount(hi, minlength=n + 1))[:n] > 0
        # (shingle, sentence) rows for shingles with content that lie inside one sentence
        hashes, has_content = self._content_shingles()
        sent = self.sent_of[: len(hashes)]
        keep = has_content & (sent >= 0) & (sent == self.sent_of[self.k - 1 :])
        keys, sents = hashes[keep], sent[keep]
        order = np.argsort(keys, kind="stable")  # sents ascend in text order: sorts by (key, sent)
        keys, sents = keys[order], sents[order]
        distinct = np.ones(len(keys), dtype=bool)
        distinct[1:] = (keys[1:] != keys[:-1]) | (sents[1:] != sents[:-1])
        self.shingle_keys, self.shingle_sents = keys[distinct], sents[distinct]

    def view(self, index: int, cache: _AlignCache) -> _SentenceView:
        """The words of sentence `index` as the aligner compares them (cached)."""
        found = self.views.get(index)
        if found is None:
            assert self.sentences is not None
            sentence = self.sentences[index]
            span = slice(sentence.tok_start, sentence.tok_end)
            found = cache.view(self.word_hashes[span], self.content[span])
            self.views[index] = found
        return found

    def quoted(self, t0: int, t1: int) -> int:
        """How many of the words [t0, t1) are inside quotation marks."""
        return int(np.count_nonzero(self.in_quote[t0:t1]))

    def edges(self, t0: int, t1: int) -> tuple[int, int]:
        """Character span of words [t0, t1), widened to the sentence's own edges (opening
        quote, closing punctuation) when the words reach the start / end of their sentence."""
        assert self.sentences is not None
        # .item(): a numpy scalar read is ~3x slower, and this runs twice per passage
        start, end = self.starts.item(t0), self.ends.item(t1 - 1)
        first, last = self.sent_of.item(t0), self.sent_of.item(t1 - 1)
        if first >= 0 and self.sentences[first].tok_start == t0:
            start = self.sentences[first].char_start
        if last >= 0 and self.sentences[last].tok_end == t1:
            end = self.sentences[last].char_end
        return start, end


# --------------------------------------------------------------------------- passage alignment


@dataclass(slots=True)
class _Piece:
    a_sent: int  # sentence index in a (the last one, once merged)
    b_sent: int
    a_t0: int  # word ranges [t0, t1) in each article
    a_t1: int
    b_t0: int
    b_t1: int
    matched: int  # words covered by common runs
    base: int  # words of the shorter side; similarity = matched / base


@dataclass(slots=True)
class _SentenceView:
    uid: int  # same uid -> same words (one view per distinct sentence while cached)
    words: list[int]  # word hashes
    vocabulary: frozenset[int]  # the same, as a set
    content: list[int]  # 1 for each word that is not a stopword
    _runs: frozenset[tuple[int, ...]] | None = None

    def runs(self, k: int) -> frozenset[tuple[int, ...]]:
        """Every run of ``k`` words (built when first needed: most pairs never ask)."""
        if self._runs is None:
            words = self.words
            self._runs = frozenset(tuple(words[x : x + k]) for x in range(len(words) - k + 1))
        return self._runs


# How two sentences align, in word offsets within each sentence: the whole-sentence match
# (a0, a1, b0, b1, matched, shorter), else the common runs (a, b, size) long enough to be quotes.
_Shape = tuple[tuple[int, int, int, int, int, int] | None, tuple[tuple[int, int, int], ...]]

_ALIGN_CACHE = 1 << 15  # distinct sentences / sentence pairs an _AlignCache keeps
_UNSEEN = object()


class _AlignCache:
    """Alignment work shared by all article pairs of an index. Copied and syndicated text repeats
    the same sentences in many articles (6x on generated events), so each distinct sentence gets
    one view and each distinct pair of sentences is aligned once. A pure memo (keyed by view
    uid, never reused), emptied when full to bound memory."""

    def __init__(self, settings: DedupSettings, limit: int | None = None) -> None:
        self.settings = settings
        self.limit = _ALIGN_CACHE if limit is None else limit
        self._views: dict[bytes, _SentenceView] = {}
        self._shapes: dict[tuple[int, int], _Shape | None] = {}
        self._next_uid = 0

    def view(self, words: np.ndarray, content: np.ndarray) -> _SentenceView:
        """The view of a sentence with these word hashes / content flags."""
        key = words.tobytes()
        found = self._views.get(key)
        if found is None:
            if len(self._views) >= self.limit:
                self._views.clear()
            as_list = words.tolist()
            found = _SentenceView(self._next_uid, as_list, frozenset(as_list), content.astype(int).tolist())
            self._next_uid += 1
            self._views[key] = found
        return found

    def shapes(self, fa: _Features, fb: _Features, pairs: list[tuple[int, int]]) -> list[_Shape | None]:
        """How sentence i of ``fa`` aligns with sentence j of ``fb`` for each (i, j) of ``pairs``
        (None: nothing shared)."""
        memo = self._shapes
        out = []
        for i, j in pairs:
            a, b = fa.view(i, self), fb.view(j, self)
            key = (a.uid, b.uid)
            found = memo.get(key, _UNSEEN)
            if found is _UNSEEN:
                if len(memo) >= self.limit:
                    memo.clear()
                found = memo[key] = _shape(a, b, self.settings)
            out.append(found)
        return out


def _matching_blocks(a: _SentenceView, b: _SentenceView, s: DedupSettings) -> list[Match]:
    """difflib's matching blocks of at least ``min_block_words`` words, skipping the matcher where
    its answer is known: identical sentences are one block, and pairs that can neither cover the
    containment share (too few common words) nor hold a quote-length run share nothing usable."""
    if a.words == b.words:
        return [Match(0, 0, len(a.words))] if len(a.words) >= s.min_block_words else []
    shorter = min(len(a.words), len(b.words))
    # words of the shorter side found anywhere in the other: at least the words blocks can cover
    small, large = (a, b) if len(a.words) <= len(b.words) else (b, a)
    present = sum(map(large.vocabulary.__contains__, small.words))
    could_cover = present >= max(s.min_passage_words, s.sentence_containment * shorter)
    if not could_cover and a.runs(s.quote_words).isdisjoint(b.runs(s.quote_words)):
        return []
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    return [blk for blk in matcher.get_matching_blocks() if blk.size >= s.min_block_words]


def _shape(a: _SentenceView, b: _SentenceView, s: DedupSettings) -> _Shape | None:
    """What sentence ``a`` shares with ``b``: the sentence as a whole when common runs cover most
    of the shorter one (copied or lightly edited, or a short quote embedded in a longer
    sentence), else the common runs of quote length (whether they are quotes depends on where
    the sentences are, see :func:`_quote_runs`)."""
    blocks = _matching_blocks(a, b, s)
    if not blocks:
        return None
    matched = sum(blk.size for blk in blocks)
    shorter = min(len(a.words), len(b.words))
    content = sum(sum(a.content[blk.a : blk.a + blk.size]) for blk in blocks)
    if (
        matched >= s.min_passage_words
        and content >= s.min_passage_content_words
        and matched >= s.sentence_containment * shorter
    ):
        b0 = min(blk.b for blk in blocks)
        b1 = max(blk.b + blk.size for blk in blocks)
        return (blocks[0].a, blocks[-1].a + blocks[-1].size, b0, b1, matched, shorter), ()
    runs = tuple((blk.a, blk.b, blk.size) for blk in blocks if blk.size >= s.quote_words)
    return (None, runs) if runs else None


def _quote_runs(
    fa: _Features, i: int, fb: _Features, j: int, runs: tuple[tuple[int, int, int], ...], run_words: int
) -> list[_Piece]:
    """The common runs (offsets in sentence i of ``fa`` / j of ``fb``) that are shared quotes:
    at least half inside quotation marks in either article, or ``run_words`` long."""
    a_start, b_start = fa.sentences[i].tok_start, fb.sentences[j].tok_start
    pieces = []
    for a, b, size in runs:
        a0, b0 = a_start + a, b_start + b
        # 2 * quoted >= size: at least half the run quoted
        if size >= run_words or 2 * max(fa.quoted(a0, a0 + size), fb.quoted(b0, b0 + size)) >= size:
            pieces.append(_Piece(i, j, a0, a0 + size, b0, b0 + size, size, size))
    return pieces


def _merge(pieces: list[_Piece], max_gap: int) -> list[_Piece]:
    """Join pieces of consecutive sentences of a that continue in the same or next sentence of b,
    at most ``max_gap`` unshared words apart, into one passage (a copied paragraph is one
    passage, not five; a quote split by "the group said on Twitter" stays one)."""
    merged: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.a_t0, p.b_t0, -p.a_t1)):
        if merged:
            cur = merged[-1]
            if piece.a_t0 < cur.a_t1 and piece.a_t1 <= cur.a_t1:
                continue  # these words of a are already in a passage
            if (
                0 <= piece.a_sent - cur.a_sent <= 1
                and 0 <= piece.b_sent - cur.b_sent <= 1
                and piece.b_t0 >= cur.b_t0
                and 0 <= piece.a_t0 - cur.a_t1 <= max_gap
                and -max_gap <= piece.b_t0 - cur.b_t1 <= max_gap
            ):
                cur.a_t1 = max(cur.a_t1, piece.a_t1)
                cur.b_t1 = max(cur.b_t1, piece.b_t1)
                cur.a_sent, cur.b_sent = piece.a_sent, piece.b_sent
                cur.matched += piece.matched
                cur.base += piece.base
                continue
            if piece.a_t0 < cur.a_t1:
                continue  # overlapping words of a matched elsewhere in b: keep the first
        merged.append(_Piece(piece.a_sent, piece.b_sent, piece.a_t0, piece.a_t1, piece.b_t0, piece.b_t1, piece.matched, piece.base))
    return merged


def _sentence_pairs(fa: _Features, fb: _Features) -> list[tuple[int, int]]:
    """(sentence of a, sentence of b) pairs with at least one common content trigram, sorted:
    a sort-merge join of the two (shingle, sentence) tables (copies share hundreds of shingles,
    too many for a Python loop per shingle)."""
    keys_a, keys_b = fa.shingle_keys, fb.shingle_keys
    if not len(keys_a) or not len(keys_b):
        return []
    lo = np.searchsorted(keys_b, keys_a, side="left")
    counts = np.searchsorted(keys_b, keys_a, side="right") - lo
    hit = np.flatnonzero(counts)
    if not len(hit):
        return []
    lo, counts = lo[hit], counts[hit]
    # every row of b under each common key: lo[q] .. lo[q] + counts[q] - 1, flattened
    ends = np.cumsum(counts)
    rows = np.arange(int(ends[-1])) + np.repeat(lo - (ends - counts), counts)
    nb = len(fb.sentences)
    codes = np.repeat(fa.shingle_sents[hit], counts).astype(np.int64) * nb + fb.shingle_sents[rows]
    codes.sort()
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]  # np.unique costs 2x more
    return list(zip((codes // nb).tolist(), (codes % nb).tolist()))


def _shared_passages(fa: _Features, fb: _Features, cache: _AlignCache, stats: Counter) -> list[SharedPassage]:
    """Passages of ``fa`` (the re-user: article_a) also found in ``fb`` (article_b).

    Only sentence pairs with a common word trigram are aligned."""
    fa.layout()
    fb.layout()
    best: dict[int, _Piece] = {}  # best whole-sentence match per sentence of a
    runs: list[_Piece] = []
    pairs = _sentence_pairs(fa, fb)
    if pairs:
        stats["sentence_pairs"] += len(pairs)
    run_words = cache.settings.run_words
    for (i, j), shape in zip(pairs, cache.shapes(fa, fb, pairs)):
        if shape is None:
            continue
        whole, quotes = shape
        if whole is None:
            runs.extend(_quote_runs(fa, i, fb, j, quotes, run_words))
            continue
        a0, a1, b0, b1, matched, shorter = whole
        old = best.get(i)
        if old is None or (matched / shorter, matched) > (old.matched / old.base, old.matched):
            a_start, b_start = fa.sentences[i].tok_start, fb.sentences[j].tok_start
            best[i] = _Piece(i, j, a_start + a0, a_start + a1, b_start + b0, b_start + b1, matched, shorter)
    out = []
    for piece in _merge(list(best.values()) + runs, cache.settings.merge_gap_words):
        start_a, end_a = fa.edges(piece.a_t0, piece.a_t1)
        start_b, end_b = fb.edges(piece.b_t0, piece.b_t1)
        out.append(
            SharedPassage(
                article_a=fa.id,
                article_b=fb.id,
                text=fa.text[start_a:end_a],
                start_a=start_a,
                end_a=end_a,
                start_b=start_b,
                end_b=end_b,
                similarity=round(min(1.0, piece.matched / piece.base), 4),
            )
        )
    return out


# --------------------------------------------------------------------------- fingerprint index


class _PostingIndex:
    """Inverted index fingerprint (uint64) -> article ordinals (uint32), append-only.

    Log-structured: recent postings sit in a dict; every ``flush_at`` postings they become a
    sorted numpy segment, and segments of similar size are merged (O(log n) segments, 12 bytes
    per posting, lookups by binary search). Keeps 100k+ articles' fingerprints in a few hundred
    MB instead of gigabytes of Python lists.
    """

    def __init__(self, flush_at: int = 1 << 17) -> None:
        self.flush_at = flush_at
        self._buffer: dict[int, int] = {}  # unflushed: key -> first ordinal
        self._extra: dict[int, list[int]] = {}  # unflushed: key -> further ordinals (rare)
        self._buffered = 0
        self._segments: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return self._buffered + sum(len(keys) for keys, _ in self._segments)

    def add(self, keys: np.ndarray, ordinal: int) -> None:
        """Post ``ordinal`` under each of ``keys`` (distinct)."""
        fresh = keys.tolist()
        seen = [key for key in fresh if key in self._buffer]
        for key in seen:
            self._extra.setdefault(key, []).append(ordinal)
        if seen:
            fresh = [key for key in fresh if key not in self._extra or self._extra[key][-1] != ordinal]
        self._buffer.update(dict.fromkeys(fresh, ordinal))  # C-level loop
        self._buffered += len(keys)
        if self._buffered >= self.flush_at:
            self.flush()

    def flush(self) -> None:
        if not self._buffered:
            return
        keys = np.fromiter(self._buffer.keys(), dtype=np.uint64, count=len(self._buffer))
        ords = np.fromiter(self._buffer.values(), dtype=np.uint32, count=len(self._buffer))
        if self._extra:
            extra = [(key, o) for key, found in self._extra.items() for o in found]
            keys = np.concatenate((keys, np.fromiter((k for k, _ in extra), dtype=np.uint64, count=len(extra))))
            ords = np.concatenate((ords, np.fromiter((o for _, o in extra), dtype=np.uint32, count=len(extra))))
        order = np.argsort(keys, kind="stable")
        self._segments.append((keys[order], ords[order]))
        self._buffer, self._extra, self._buffered = {}, {}, 0
        # merge segments of similar size: O(log n) segments, each posting re-sorted O(log n) times
        while len(self._segments) >= 2 and len(self._segments[-2][0]) <= 2 * len(self._segments[-1][0]):
            (k1, o1), (k2, o2) = self._segments.pop(), self._segments.pop()
            keys, ords = np.concatenate((k2, k1)), np.concatenate((o2, o1))
            order = np.argsort(keys, kind="stable")
            self._segments.append((keys[order], ords[order]))

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All postings of ``keys``: (index into keys, ordinal) pairs."""
        which: list[np.ndarray] = []
        ords: list[np.ndarray] = []
        for seg_keys, seg_ords in self._segments:
            lo = np.searchsorted(seg_keys, keys, side="left")
            hi = np.searchsorted(seg_keys, keys, side="right")
            lengths = hi - lo
            total = int(lengths.sum())
            if not total:
                continue
            # positions lo[q] .. hi[q]-1 for every query key q, flattened
            offsets = np.repeat(lo - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(total)
            which.append(np.repeat(np.arange(len(keys)), lengths))
            ords.append(seg_ords[offsets])
        if self._buffer:
            found_q: list[int] = []
            found_o: list[int] = []
            key_list = keys.tolist()
            common = self._buffer.keys() & key_list  # in C; most keys are not posted yet
            hits = [q for q, key in enumerate(key_list) if key in common] if common else []
            for q in hits:
                key = key_list[q]
                found_q.append(q)
                found_o.append(self._buffer[key])
                for o in self._extra.get(key, ()):
                    found_q.append(q)
                    found_o.append(o)
            if found_q:
                which.append(np.asarray(found_q, dtype=np.int64))
                ords.append(np.asarray(found_o, dtype=np.uint32))
        if not which:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint32)
        return np.concatenate(which), np.concatenate(ords)


# --------------------------------------------------------------------------- streaming index

Loader = Callable[[list[str]], Iterable[Article]]


class NearDuplicateIndex:
    """Streaming deduplication: ``add`` articles one at a time, get the links and passages
    between each new article and those already indexed.

    Holds per article: its order key, a MinHash signature (``num_perm`` x 4 bytes) in a
    ``MinHashLSH``, an exact-text hash and ~0.4 fingerprints per word in a compact inverted
    index. Aligning passages needs the text of candidate articles: without a ``loader`` the index
    keeps the ``Article`` objects it is given; with one (e.g. ``store.iter_articles``) it keeps
    only an LRU cache of ``settings.feature_cache`` articles and loads the rest on demand, so a
    100k-article store can be indexed in bounded memory.

    Exact copies are linked to the first indexed article with that text (the representative)
    and not indexed further: their passages are the representative's. Pairs linked as near
    copies get no passages (the whole text is shared). Sentence alignments are memoised per
    index by sentence content (:class:`_AlignCache`, bounded): syndicated copy repeats sentences.
    """

    def __init__(self, settings: DedupSettings | None = None, *, loader: Loader | None = None) -> None:
        self.settings = settings or DedupSettings()
        s = self.settings
        self._lsh = MinHashLSH(num_perm=s.num_perm, params=(s.lsh_bands, s.lsh_rows))
        self._proto = MinHash(num_perm=s.num_perm, seed=1, hashfunc=_identity)
        self._signatures: dict[str, np.ndarray] = {}
        self._exact: dict[bytes, str] = {}
        self._keys: dict[str, tuple] = {}  # order key of every indexed id
        self._ids: list[str] = []  # fingerprint ordinal -> id
        self._postings = _PostingIndex()
        self._loader = loader
        self._articles: dict[str, Article] | None = None if loader else {}
        self._cache: OrderedDict[str, _Features] = OrderedDict()
        self._align = _AlignCache(s)
        self.stats: Counter = Counter()  # work done, for benchmarks and tests

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._keys

    def query(self, article: Article) -> DedupResult:
        """Links and passages between ``article`` and the indexed articles (not indexing it)."""
        return self._process(article, index=False, find=True)

    def add(self, article: Article, *, find: bool = True) -> DedupResult:
        """Index ``article``; return its links and passages with the articles indexed before.

        Adding an id already indexed does nothing and returns an empty result. ``find=False``
        only indexes (rebuilding the index from a store whose links are already saved)."""
        return self._process(article, index=True, find=find)

    # ..................................................................... internals

    def _process(self, article: Article, *, index: bool, find: bool) -> DedupResult:
        result = DedupResult()
        if article.id in self._keys:
            return result
        s = self.settings
        features = _Features(article, s)
        self._remember(features)
        self.stats["articles"] += 1
        copyable = features.n >= max(s.min_words, s.shingle_size)

        # exact: the same word sequence as an indexed representative
        exact_hash = features.exact_hash() if copyable else None
        representative = self._exact.get(exact_hash) if exact_hash is not None else None
        if representative is not None:
            if find:
                result.links.append(self._link(features.key, article.id, representative, "exact", 1.0))
            if index:
                self._keys[article.id] = features.key
            return result

        # near: LSH candidates, confirmed by the estimated Jaccard of the signatures
        signature = None
        near: set[str] = set()
        if copyable:
            minhash = self._proto.copy()
            minhash.update_batch(features.near_shingles(s.shingle_size))
            signature = minhash.hashvalues
            if find:
                for other in sorted(self._lsh.query(minhash), key=self._keys.__getitem__):
                    self.stats["near_candidates"] += 1
                    similarity = float(np.mean(signature == self._signatures[other]))
                    if similarity >= s.near_threshold:
                        near.add(other)
                        result.links.append(self._link(features.key, article.id, other, "near", round(similarity, 4)))

        # passages: candidates from common fingerprints, then sentence alignment
        fingerprints = features.fingerprints(s.winnow_window)
        if find and len(fingerprints) and self._ids:
            candidates = self._passage_candidates(fingerprints, exclude=near)
            self._prefetch(candidates)
            for other in candidates:
                self.stats["pairs_aligned"] += 1
                other_features = self._features(other)
                if features.key > other_features.key:
                    result.passages.extend(_shared_passages(features, other_features, self._align, self.stats))
                else:
                    result.passages.extend(_shared_passages(other_features, features, self._align, self.stats))

        if index:
            self._keys[article.id] = features.key
            if self._articles is not None:
                self._articles[article.id] = article
            if exact_hash is not None:
                self._exact[exact_hash] = article.id
            if signature is not None:
                self._lsh.insert(article.id, minhash, check_duplication=False)
                self._signatures[article.id] = signature
            if len(fingerprints):
                self._postings.add(fingerprints, len(self._ids))
                self._ids.append(article.id)
        return result

    def _link(self, key: tuple, article_id: str, other: str, kind: str, similarity: float) -> DuplicateLink:
        if key > self._keys[other]:
            return DuplicateLink(copy=article_id, original=other, kind=kind, similarity=similarity)  # type: ignore[arg-type]
        return DuplicateLink(copy=other, original=article_id, kind=kind, similarity=similarity)  # type: ignore[arg-type]

    def _passage_candidates(self, fingerprints: np.ndarray, exclude: set[str]) -> list[str]:
        s = self.settings
        which, ords = self._postings.lookup(fingerprints)
        if not len(ords):
            return []
        df = np.bincount(which, minlength=len(fingerprints))
        ords = ords[df[which] <= s.max_fingerprint_df]  # drop stock phrases
        found, counts = np.unique(ords, return_counts=True)
        keep = counts >= s.min_shared_fingerprints
        found, counts = found[keep], counts[keep]
        order = np.lexsort((found, -counts))[: s.max_candidates]  # most shared first, then oldest
        return [self._ids[o] for o in found[order].tolist() if self._ids[o] not in exclude]

    def _remember(self, features: _Features) -> None:
        self._cache[features.id] = features
        self._cache.move_to_end(features.id)
        while len(self._cache) > self.settings.feature_cache:
            self._cache.popitem(last=False)

    def _prefetch(self, ids: list[str]) -> None:
        """Load uncached candidates through the loader in one call (one query, not one each)."""
        if self._loader is None:
            return
        missing = [i for i in ids if i not in self._cache]
        if missing:
            for article in self._loader(missing):
                self._remember(_Features(article, self.settings))

    def _features(self, article_id: str) -> _Features:
        cached = self._cache.get(article_id)
        if cached is not None:
            self._cache.move_to_end(article_id)
            return cached
        if self._articles is not None:
            article = self._articles[article_id]
        else:
            assert self._loader is not None
            article = next(iter(self._loader([article_id])), None)
            if article is None:
                raise KeyError(f"loader did not return indexed article {article_id}")
        features = _Features(article, self.settings)
        self._remember(features)
        return features


# --------------------------------------------------------------------------- batch API


def find_duplicates(
    articles: Iterable[Article],
    settings: DedupSettings | None = None,
    *,
    threshold: float | None = None,
) -> DedupResult:
    """Exact copies, near-duplicates and shared passages among ``articles``.

    ``threshold`` overrides ``settings.near_threshold``. Articles are processed in
    :func:`order_key` order, so the result does not depend on the input order: every link's
    ``original`` / passage's ``article_b`` is the earlier article. Links are sorted by
    (original, copy), passages by (article_a, article_b, start_a).
    """
    settings = settings or DedupSettings()
    if threshold is not None:
        settings = dataclasses.replace(settings, near_threshold=threshold)
    unique: dict[str, Article] = {}
    for article in articles:
        unique.setdefault(article.id, article)
    index = NearDuplicateIndex(settings)
    result = DedupResult()
    for article in sorted(unique.values(), key=order_key):
        found = index.add(article)
        result.links.extend(found.links)
        result.passages.extend(found.passages)
    result.links.sort(key=lambda link: (link.original, link.copy))
    result.passages.sort(key=lambda p: (p.article_a, p.article_b, p.start_a, p.start_b))
    return result

