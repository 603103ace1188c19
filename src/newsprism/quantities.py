"""Figures in a sentence: numbers in digits or words, their qualifier, interval and unit.

The counted noun comes from the dependency parse (a number's ``nummod`` head); measurement
units come from the words right after the number and are converted to one canonical unit per
dimension (km2, km, hour, day, ...), so "five square miles" and "two square kilometres" compare.
Only tokens that look like numbers are inspected, so the cost is proportional to the figures in
the text, not to its length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .records import Quantity

import numpy
from spacy.attrs import DEP, HEAD, IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, LENGTH, LIKE_NUM, LOWER, POS, TAG
from spacy.tokens import Doc

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

INF = math.inf

_UNITS_0_19 = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUES: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS_0_19)}
WORD_VALUES.update({w: float(10 * (i + 2)) for i, w in enumerate(_TENS)})
WORD_VALUES["dozen"] = 12.0
SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "m": 1e6, "bn": 1e9, "mn": 1e6}
_NUMBER_WORDS = frozenset(WORD_VALUES) | frozenset(k for k in SCALES if len(k) > 2)
FRACTION_DENOMS = {"half": 2.0, "halves": 2.0, "third": 3.0, "thirds": 3.0, "quarter": 4.0,
                   "quarters": 4.0, "fifth": 5.0, "fifths": 5.0, "tenth": 10.0, "tenths": 10.0}

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_MONTHS = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"[ap]\.?m\.?|gmt|utc|o'clock|noon|midnight)\b|\d:\d|\b(1[89]\d\d|20\d\d)s?\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}\b")

# Qualifier written before the figure; leftmost alternative wins, so "no more than" beats "more than".
_QUALIFIER = re.compile(
    r"\b(?:"
    r"(?P<at_most>at most|no more than|not more than|no larger than|no bigger than|no greater than|"
    r"no higher than|no longer than|no wider than|a maximum of|maximum of|(?:does|do|did|will) not exceed|"
    r"(?:does|do|did)n't exceed|not exceeding|not to exceed)"
    r"|(?P<at_least>at least|no less than|no fewer than|not less than|not fewer than|a minimum of|"
    r"minimum of|no smaller than)"
    r"|(?P<up_to>up to|as many as|as much as|as high as)"
    r"|(?P<nearly>nearly|almost|close to|just under|just shy of|approaching|just below|short of)"
    r"|(?P<more_than>more than|over|above|in excess of|upwards? of|exceeding|greater than|larger than|"
    r"higher than|well over|beyond|more then)"
    r"|(?P<less_than>less than|fewer than|under|below|smaller than|lower than|less then)"
    r"|(?P<about>about|around|approximately|roughly|some|an estimated|estimated|circa|approx\.?|"
    r"nearly about|in the region of|something like|an approximate)"
    r")(?:\s+an?)?\s*$"  # "about a dozen", "at least a dozen"
)
_POST_QUALIFIER = re.compile(r"^\s*(?:(?P<at_least>or more|plus\b|\+)|(?P<about>or so\b))")

# Measurement units written after the figure: (regex, canonical unit, factor, dimension).
_UNIT_TABLE: list[tuple[str, str, float, str]] = [
    (r"(?:square|sq\.?)[\s-]*(?:kilomet(?:re|er)s?|km)|(?:kilomet(?:re|er)s?|km)\s*squared?|km2|km²", "km2", 1.0, "area"),
    (r"(?:square|sq\.?)[\s-]*miles?|miles?\s*squared?|mi2|mi²", "km2", 2.589988, "area"),
    (r"(?:square|sq\.?)[\s-]*met(?:re|er)s?|m2|m²", "km2", 1e-6, "area"),
    (r"(?:square|sq\.?)[\s-]*(?:feet|foot|ft)\b", "km2", 9.290304e-8, "area"),
    (r"hectares?|ha\b", "km2", 0.01, "area"),
    (r"acres?", "km2", 0.00404686, "area"),
    (r"kilomet(?:re|er)s?|km\b|kms\b", "km", 1.0, "length"),
    (r"nautical\s+miles?|nm\b", "km", 1.852, "length"),
    (r"miles?|mi\b", "km", 1.609344, "length"),
    (r"met(?:re|er)s?\b|m\b", "km", 1e-3, "length"),
    (r"(?:feet|foot|ft)\b", "km", 0.0003048, "length"),
    (r"inch(?:es)?\b", "km", 0.0000254, "length"),
    (r"yards?\b", "km", 0.0009144, "length"),
    (r"per\s*cent|percent|pct\b|%", "percent", 1.0, "percent"),
    (r"percentage points?", "percent", 1.0, "percent"),
    (r"seconds?\b|secs?\b", "hour", 1 / 3600, "duration"),
    (r"minutes?\b|mins?\b", "hour", 1 / 60, "duration"),
    (r"hours?\b|hrs?\b", "hour", 1.0, "duration"),
    (r"days?\b", "day", 1.0, "duration"),
    (r"weeks?\b", "day", 7.0, "duration"),
    (r"months?\b", "month", 1.0, "duration"),
    (r"years?\b", "year", 1.0, "duration"),
    (r"(?:us\s*)?dollars?|usd\b", "usd", 1.0, "currency"),
    (r"euros?|eur\b", "eur", 1.0, "currency"),
    (r"pounds? sterling|pounds?\b|gbp\b", "gbp", 1.0, "currency"),
    (r"(?:kilo(?:gram(?:me)?)?s?|kg)\b", "kg", 1.0, "mass"),
    (r"tonnes?\b|tons?\b", "kg", 1000.0, "mass"),
]
_UNIT_RES = [(re.compile(r"^\s*-?\s*(?:" + pat + r")", re.IGNORECASE), unit, factor, dim)
             for pat, unit, factor, dim in _UNIT_TABLE]
_GROUP = re.compile(r"^\d{3}$")
_SUFFIX_SCALES = {"m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "k": 1e3}
_CURRENCY_AFTER = re.compile(r"\s*(?:euros?|dollars?|pounds?|usd|eur|gbp)\b", re.IGNORECASE)
_EMERGENCY_NUMBERS = frozenset({"911", "999", "112"})
_WEIGH = re.compile(r"\bweigh", re.IGNORECASE)
_CURRENCY_SYMBOLS = {"$": "usd", "us$": "usd", "£": "gbp", "€": "eur"}

# Nouns of time and measure that make a figure a duration/measure rather than a count.
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:years?|months?|weeks?)[\s-]*old\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages)\s*$", re.IGNORECASE)
_NUMERIC_ENTITY_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME", ""})

# Counted nouns that are numbers' heads but not things counted ("one of them", "two of the").
_NOT_COUNTED = frozenset({"%", "percent", "time", "times", "side", "way", "part"})


_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion", "bn", "mn"})
_CALENDAR_UNITS = frozenset({"year", "month", "day", "week", "season", "term", "century", "decade"})


def doc_text(doc: "Doc") -> str:
    """The document text, cached in ``user_data`` (``Doc.text`` rebuilds it from every token)."""
    text = doc.user_data.get("newsprism_text")
    if text is None:
        text = doc.text
        doc.user_data["newsprism_text"] = text
    return text


_TABLE_ATTRS = [LOWER, LEMMA, POS, TAG, DEP, HEAD, IDX, LENGTH, IS_SPACE, IS_PUNCT, IS_ALPHA, IS_STOP, LIKE_NUM]


class _StringCache(dict):
    """hash -> string for the string columns of ``TokenTable``, filled from a ``StringStore`` on
    a miss. Store strings never change and hashes are content hashes, so one cache serves every
    vocabulary; it is emptied when it grows past ``limit`` entries."""

    limit = 1 << 19

    def __init__(self, lower: bool = False) -> None:
        super().__init__()
        self.lower = lower
        self.strings = None

    def __missing__(self, key: int) -> str:
        value = self.strings[key]  # type: ignore[index]
        if self.lower:
            value = value.lower()
        self[key] = value
        return value


_STRINGS = _StringCache()
_LOWERED = _StringCache(lower=True)


class TokenTable:
    """A parsed document's token attributes as plain Python lists, indexed by token position.

    Loops over every token of a document (content lemmas, reporting verbs, candidate figures)
    read these instead of ``Token`` properties: each property read builds or fetches a Python
    ``Token`` and looks its string up in the ``StringStore``, which costs more than the loop's own
    work. One ``Doc.to_array`` call fills every column. Values equal the ``Token`` properties:
    ``lower`` = ``lower_``, ``lemma`` = ``lemma_.lower()``, ``pos``/``tag``/``dep`` = ``pos_``/
    ``tag_``/``dep_``, ``head`` = ``head.i``, ``idx``, ``length`` = ``len(token)``, and the lexical
    flags (0 or 1).
    """

    __slots__ = ("lower", "lemma", "pos", "tag", "dep", "head", "idx", "length", "is_space", "is_punct",
                 "is_alpha", "is_stop", "like_num", "_children")

    def __init__(self, doc: "Doc") -> None:
        arr = doc.to_array(_TABLE_ATTRS)
        cols = arr.T.tolist()
        strings = doc.vocab.strings
        cache, lowered = _STRINGS, _LOWERED
        for c in (cache, lowered):
            if len(c) > c.limit:
                c.clear()
            c.strings = strings
        get = cache.__getitem__
        self.lower: list[str] = list(map(get, cols[0]))
        self.lemma: list[str] = list(map(lowered.__getitem__, cols[1]))
        self.pos: list[str] = list(map(get, cols[2]))
        self.tag: list[str] = list(map(get, cols[3]))
        self.dep: list[str] = list(map(get, cols[4]))
        # HEAD comes as the offset to the head, in an unsigned 64-bit column
        self.head: list[int] = (arr[:, 5].view(numpy.int64) + numpy.arange(len(arr))).tolist()
        self.idx: list[int] = cols[6]
        self.length: list[int] = cols[7]
        self.is_space: list[int] = cols[8]
        self.is_punct: list[int] = cols[9]
        self.is_alpha: list[int] = cols[10]
        self.is_stop: list[int] = cols[11]
        self.like_num: list[int] = cols[12]
        self._children: list[list[int]] | None = None

    def children(self, i: int) -> list[int]:
        """Positions of ``doc[i].children``, in document order (lefts, then rights)."""
        kids = self._children
        if kids is None:
            kids = [[] for _ in self.head]
            for j, h in enumerate(self.head):
                if h != j:
                    kids[h].append(j)
            self._children = kids
        return kids[i]


def token_table(doc: "Doc") -> TokenTable:
    """A ``TokenTable`` of ``doc`` (built on each call: callers that loop over sentences of one
    document build it once and pass it on)."""
    return TokenTable(doc)


_SIMPLE_FRACTION = re.compile(r"^([1-7])/([2348])$")


def _is_number_token(tok: "Token") -> bool:
    return _is_number_word(tok.lower_, tok.like_num)


def _is_number_word(low: str, like_num: object) -> bool:
    """``_is_number_token`` of a token with lower-cased text ``low`` and flag ``like_num``."""
    if low in _NUMBER_WORDS:
        return True
    return bool(like_num) and ":" not in low and (_DIGITS.match(low) is not None or _SIMPLE_FRACTION.match(low) is not None)


def number_value(words: Sequence[str]) -> float | None:
    """The value of a number written as tokens: ["two", "hundred"], ["1.5", "million"], ["100,000"]."""
    total = 0.0
    current = 0.0
    seen = False
    for w in words:
        w = w.lower()
        if w in ("-", "and", "a"):
            continue
        if _DIGITS.match(w):
            current += float(w.replace(",", ""))
        elif _SIMPLE_FRACTION.match(w):
            num, den = w.split("/")
            current += float(num) / float(den)  # "3 1/2"
        elif w == "dozen":
            current = (current or 1.0) * 12.0
        elif w in WORD_VALUES:
            current += WORD_VALUES[w]
        elif w == "hundred":
            current = (current or 1.0) * 100.0
        elif w in SCALES:
            total += (current or 1.0) * SCALES[w]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _interval(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier == "nearly":
        return value * 0.9, value
    if qualifier == "about":
        return value * 0.9, value * 1.1
    if qualifier in ("at_least", "more_than"):
        return value, INF
    if qualifier in ("at_most", "up_to", "less_than"):
        return 0.0, value
    return value, value


def _counted_noun(doc: "Doc", i: int, j: int, n_end: int) -> "Token | None":
    """The noun a figure (tokens i..j-1) counts: the ``nummod`` head from the parse, else a noun
    right after it (parses of headlines are shaky), else X in "<n> of (the) X"."""
    outer = None
    for k in range(i, j):
        h = doc[k].head
        if not (i <= h.i < j):
            outer = doc[k]
            break
    if outer is not None:
        head = outer.head
        if outer.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "appos") and head.i >= j \
                and head.pos_ in ("NOUN", "PROPN") and head.i - j <= 4:
            return head
    k = j
    while k < n_end and k - j < 3 and doc[k].pos_ in ("ADJ", "VERB") and doc[k].tag_ in ("JJ", "VBN", "VBG"):
        k += 1  # "79 unarmed civilians", "500 wounded people"
    if k < n_end and (doc[k].pos_ == "NOUN" or doc[k].ent_type_ == "NORP"):
        return doc[k]  # "12 Somali(s)": a nationality counts people
    if j + 1 < n_end and doc[j].lower_ == "of":
        k = j + 1
        if k < n_end and doc[k].pos_ == "DET":
            k += 1
        while k < n_end and (doc[k].pos_ == "ADJ" or doc[k].tag_ in ("VBN", "VBG")):
            k += 1  # "17 of the hijacked ships"
        if k < n_end and doc[k].pos_ == "NOUN":
            return doc[k]
    return None


def entity_bounds(tok: "Token") -> tuple[int, int]:
    """Token range [start, end) of the named entity ``tok`` lies in (shared with attribution)."""
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _entity_text(tok: "Token") -> str:
    start, end = entity_bounds(tok)
    return tok.doc[start:end].text


def extract_quantities(
    span: "Span | Doc",
    *,
    base: int | None = None,
    exclude: Sequence[tuple[int, int]] = (),
    table: TokenTable | None = None,
) -> list[Quantity]:
    """Figures in ``span`` (a sentence ``Span`` or a whole ``Doc``), in text order.

    ``char_start``/``char_end`` are offsets from ``base`` (default: the span's first character),
    so for a sentence they index into the sentence text. ``exclude`` lists document character
    ranges whose numbers are skipped. Years, dates, clock times, ordinals, ages, phone numbers
    and numbers that are part of a name ("Resolution 2254", "F-16") are skipped. ``table`` is the
    document's ``TokenTable`` when the caller has one.
    """
    if isinstance(span, Doc):
        doc, i, n_end = span, 0, len(span)
    else:
        doc, i, n_end = span.doc, span.start, span.end
    if n_end <= i:
        return []
    text = doc_text(doc)
    base = doc[i].idx if base is None else base
    out: list[Quantity] = []
    phones: list[tuple[int, int]] | None = None
    if table is None:
        table = TokenTable(doc)
    lower, like_num = table.lower, table.like_num
    number_words = _NUMBER_WORDS
    while i < n_end:
        low = lower[i]
        # most tokens are not figures: decided from the table, without a Token
        if low not in number_words and not (like_num[i] and _is_number_word(low, True)) \
                and not (low == "half" and i + 1 < n_end and lower[i + 1] == "of"):
            i += 1
            continue
        tok = doc[i]
        j = i + 1
        words = [tok.text]
        if tok.lower_ != "half":
            while j < n_end:  # the whole figure: "two hundred and fifty", "1.5 million", "twenty-five"
                t = doc[j]
                low = t.lower_
                glued = not doc[j - 1].whitespace_
                nxt = doc[j + 1] if j + 1 < n_end else None
                if _is_number_token(t) or low in _SCALE_WORDS:
                    words.append(t.text)
                    j += 1
                elif nxt is None:
                    break
                elif low == "," and glued and _GROUP.match(nxt.text) and doc[j - 1].text.isdigit() \
                        and len(doc[j - 1].text) <= 3:
                    words[-1] += nxt.text  # "1, 263": a thousands separator split by re-tokenised text
                    j += 2
                elif low == "-" and glued and not t.whitespace_ and nxt.lower_ in _SCALE_WORDS:
                    words.append(nxt.text)  # "$5-million"
                    j += 2
                elif nxt.lower_ in WORD_VALUES and (
                    (low == "-" and glued and doc[j - 1].lower_ in WORD_VALUES)
                    or (low == "and" and doc[j - 1].lower_ in _SCALE_WORDS)
                ):
                    words.extend((t.text, nxt.text))
                    j += 2
                else:
                    break
        q = _make_quantity(doc, i, j, n_end, base, words)
        if q is not None:
            qs, qe = q.char_start + base, q.char_end + base
            if any(a <= qs < b for a, b in exclude):
                q = None
            else:
                if phones is None:
                    phones = [m.span() for m in _PHONE.finditer(text, doc[span_start(span)].idx, doc[n_end - 1].idx + len(doc[n_end - 1]))]
                if any(a <= qs < b or a < qe <= b for a, b in phones):
                    q = None
        if q is not None:
            # "less than 2.5 miles (4 square kilometres)": the conversion in brackets inherits the qualifier
            if out and q.qualifier == "exact" and out[-1].qualifier != "exact" \
                    and text[out[-1].char_end + base:q.char_start + base].strip() == "(":
                low, high = _interval(q.value, out[-1].qualifier)
                q = _replace(q, qualifier=out[-1].qualifier, low=low, high=high)
            out.append(q)
            i = max(j, doc[min(n_end - 1, i)].i + 1)
            # skip tokens consumed by the unit ("square kilometres") so they are not re-read
            while i < n_end and doc[i].idx < q.char_end + base:
                i += 1
        else:
            i = j
    return out


def span_start(span: "Span | Doc") -> int:
    return 0 if isinstance(span, Doc) else span.start


def _replace(q: Quantity, **changes: object) -> Quantity:
    import dataclasses

    return dataclasses.replace(q, **changes)


def _make_quantity(doc: "Doc", i: int, j: int, n_end: int, base: int, words: list[str]) -> Quantity | None:
    text = doc_text(doc)
    first, last = doc[i], doc[j - 1]
    label = first.ent_type_
    if label not in _NUMERIC_ENTITY_LABELS:
        return None  # part of a name: "Resolution 2254", "Apollo 11"
    if label in ("DATE", "TIME") and _MONTHS.search(_entity_text(first)):
        return None  # a point in time, not an amount
    prev = doc[i - 1] if i > 0 else None
    if prev is not None and not prev.whitespace_ and prev.text not in _CURRENCY_SYMBOLS:
        if prev.is_alpha:
            return None  # glued to a word: "Su24"
        if prev.text == "-" and i > 1 and doc[i - 2].is_alpha and not doc[i - 2].whitespace_ \
                and doc[i - 2].lower_ not in _NUMBER_WORDS:
            return None  # "F-16", "COVID-19", "Su-24"
        if prev.text in ("-", "\u2013", "/") and i > 1 and doc[i - 2].like_num and not doc[i - 2].whitespace_:
            return None  # the second half of a score, range or date: "13-10", "9/11"
    if j + 1 < n_end and doc[j].text in ("-", "\u2013", "/") and not doc[j - 1].whitespace_ \
            and not doc[j].whitespace_ and (doc[j + 1].like_num or doc[j + 1].is_upper and len(doc[j + 1]) > 1):
        return None  # the first half of one, or a code: "877-LAPD-24-7"
    start_c = first.idx
    end_c = last.idx + len(last)
    if first.lower_ == "half":
        value: float | None = 50.0
        fraction: str | None = "half"
    else:
        value = number_value(words)
        fraction = None
    if value is None:
        return None
    if prev is not None and _MONTHS.fullmatch(prev.lower_) and label in ("DATE", ""):
        return None  # "December 13"
    # "three-quarters", "two-thirds", "a third of": a share, as a percentage
    if fraction is None and value < 10 and j < n_end:
        after = doc[j]
        if after.text == "-" and j + 1 < n_end and doc[j + 1].lower_ in FRACTION_DENOMS and not after.whitespace_:
            fraction = doc[j + 1].lower_
            end_c = doc[j + 1].idx + len(doc[j + 1])
        elif after.lower_ in ("quarters", "thirds", "fifths", "tenths") or (
            after.lower_ in FRACTION_DENOMS and j + 1 < n_end and doc[j + 1].lower_ == "of"
            and first.lower_ in ("one", "a")
        ):
            fraction = after.lower_
            end_c = after.idx + len(after)
        if fraction is not None:
            value = 100.0 * value / FRACTION_DENOMS[fraction]
    if j - i == 1 and first.text in _EMERGENCY_NUMBERS:
        return None  # "called 911", "a 911 dispatcher"
    if prev is not None and (prev.lower_ in ("no.", "no", "number", "#") and prev.text[:1] in "N#n"
                             and (prev.text != "no" or not prev.whitespace_) or prev.text == "." and not prev.whitespace_):
        return None  # "No. 15", "#3", ".38-caliber"
    if prev is not None and prev.text == "." and i > 1 and doc[i - 2].lower_ == "no":
        return None  # "No . 15" (re-tokenised)
    if j < n_end and doc[j].pos_ == "PROPN" and doc[j].is_title and doc[j].ent_type_ != "NORP":
        # the start of a name: "the '15 Most Wanted' list", "a 357 Magnum", "14 AK 47 Rifles". This
        # holds even where the parse makes the number modify the name: an exception for that case
        # (`last.head.i == j`; the code once had it, written with `is`, which never matched on
        # spaCy 3 Tokens) was measured on the ECB+ dev texts: one figure gained ("Three People
        # Shot", a title-case headline), six wrong ones added in four phrasings ("47 Rifles",
        # "357 Magnum", "2016 Ontario" an address, "in round three Klitschko").
        return None
    if fraction is None and j - i == 1 and first.lower_ == "one":
        return None  # "one of the men", "in one building": an article, not a figure
    pre = text[max(0, start_c - 40):start_c]
    post = text[end_c:end_c + 40]
    if _AGE_AFTER.match(post) or _AGE_BEFORE.search(pre):
        return None
    single_digits = j - i == 1 and _DIGITS.match(first.text) is not None
    unit: str | None = None
    dimension = "count"
    factor = 1.0
    if prev is not None and prev.lower_ in _CURRENCY_SYMBOLS:
        unit, dimension = _CURRENCY_SYMBOLS[prev.lower_], "currency"
        start_c = prev.idx
        if j < n_end and not doc[j - 1].whitespace_ and doc[j].lower_ in _SUFFIX_SCALES:
            value *= _SUFFIX_SCALES[doc[j].lower_]  # "£88m", "$2bn"
            end_c = doc[j].idx + len(doc[j])
    elif fraction is not None:
        unit, dimension = "percent", "percent"
    elif j < n_end and not doc[j - 1].whitespace_ and doc[j].lower_ in _SUFFIX_SCALES \
            and _CURRENCY_AFTER.match(text, doc[j].idx + len(doc[j])):
        value *= _SUFFIX_SCALES[doc[j].lower_]  # "2m euros": the scale, then the currency
        end_c = doc[j].idx + len(doc[j])
        post = text[end_c:end_c + 40]
    if unit is None:
        for rx, u, f, dim in _UNIT_RES:
            m = rx.match(post)
            if m:
                unit, factor, dimension = u, f, dim
                if u == "gbp" and _WEIGH.search(pre):
                    unit, factor, dimension = "kg", 0.45359237, "mass"  # "weighing 180 pounds"
                end_c += m.end()
                break
    if unit is None:
        noun = _counted_noun(doc, i, j, n_end)
        if noun is not None and noun.lemma_.lower() in _NOT_COUNTED:
            noun = None
        if noun is not None and _MONTHS.fullmatch(noun.lower_):
            return None  # "13 December"
        if single_digits and _YEAR.match(first.text) and (noun is None or noun.lemma_.lower() in _CALENDAR_UNITS):
            return None  # a year ("since 2012", "in 2016")
        if noun is not None and noun.lower_ == "block" and noun.i + 1 < n_end and doc[noun.i + 1].lower_ == "of":
            return None  # "the 3400 block of Thorpe Street": an address
        if noun is not None:
            unit = noun.lemma_.lower()
            if unit in _CALENDAR_UNITS:
                dimension = "duration"
        elif any(_DIGITS.match(doc[k].text) for k in range(i, j)) and label not in ("DATE", "TIME"):
            after = doc[j] if j < n_end else None
            if prev is not None and prev.pos_ == "PROPN" or after is not None and after.pos_ == "PROPN" and after.is_title:
                return None  # part of a name: "the Lower 48", "Nava 5", "'15 Most Wanted'"
            if prev is not None and prev.text == "," and after is not None and after.text == ",":
                return None  # "The actress, 26, checked in": an age in apposition
            if pre.rstrip().lower().endswith("at") and len(first.text) == 4:
                return None  # "struck at 1353": a clock time
            unit, dimension = "", "number"  # a bare figure ("the toll rose to 45")
        else:
            return None  # "one of the men", "two of them": no figure worth comparing
    qualifier = "exact"
    qstart = start_c
    pre = text[max(0, start_c - 40):start_c]  # again: a currency symbol may have moved the start
    qm = _QUALIFIER.search(pre.lower())
    if qm:
        qualifier = next(k for k, v in qm.groupdict().items() if v)
        qstart = start_c - (len(pre) - qm.start())
    else:
        pm = _POST_QUALIFIER.match(text[end_c:end_c + 12])
        if pm:
            qualifier = next(k for k, v in pm.groupdict().items() if v)
    if unit == "hour" and j - i == 1 and len(first.text) == 4 and first.text.isdigit() and pre.rstrip().lower().endswith("at"):
        return None  # "at 1100 hours": a clock time
    if pre.rstrip().lower().endswith("minus"):
        value = -value  # "minus 20"
    value *= factor
    low, high = _interval(value, qualifier)
    return Quantity(
        text=text[qstart:end_c],
        value=round(value, 6),
        unit=unit,
        qualifier=qualifier,
        low=round(low, 6) if math.isfinite(low) else low,
        high=round(high, 6) if math.isfinite(high) else high,
        char_start=qstart - base,
        char_end=end_c - base,
        dimension=dimension,
    )
