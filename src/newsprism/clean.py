"""Removing boilerplate from article text, so later stages only see what the report says.

Two mechanisms, both line-based (a line is a paragraph or a line inside one):

* rules: page furniture that looks the same on every site: taglines, one-word debris,
  date/"Published: Updated:" stamps, comment widgets, "also available in Arabic" pointers,
  share/subscribe/cookie/advert lines, photo and video captions, bylines, and related-story
  links dropped between two paragraphs of the body;
* recurrence (learned by ``fit``): a line that recurs across several articles of one outlet
  is that outlet's template, not its reporting.

Real sentences stay: a rule only fires on lines that do not read as prose, and a recurring
full sentence needs more evidence than a recurring fragment. ``transform`` returns a new
Article whose ``removed`` lists what went; paragraphs are separated by a blank line.
PTB-tokenised text (ECB+) is detokenised here, so every later stage sees normal text.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsprism import nlp
from newsprism.outlets import tagline_outlet
from newsprism.readers.common import normalize_date
from newsprism.records import Article


@dataclass(frozen=True, slots=True)
class CleanSettings:
    recurrence_min_articles: int = 2  # a fragment recurring in this many articles of an outlet goes
    recurrence_sentence_min_articles: int = 3  # a full sentence needs this many articles...
    recurrence_sentence_min_share: float = 0.5  # ...and this share of the outlet's articles
    sentence_words: int = 8  # a line of this many words ending in . ! ? reads as a sentence
    prose_words: int = 20  # a line this long is prose even without final punctuation
    link_min_words: int = 4  # shorter standalone lines are section headings, kept
    link_max_words: int = 16  # longer ones are body text (a standfirst, a long quote)
    link_max_overlap: float = 0.34  # share of a heading's words the next paragraph must echo
    caption_max_words: int = 20
    title_max_words: int = 25  # a line promoted to title when the title itself was boilerplate


@dataclass(frozen=True, slots=True)
class Removal:
    line: str
    reason: str  # tagline | debris | stamp | widget | site-pointer | furniture | caption | byline |
    #              recurring | related-link


# --------------------------------------------------------------------------- line rules

_TERMINAL = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_OPEN_QUOTES = "\"'“‘«"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

_WIDGET = re.compile(
    r"^(?:join (?:our|the) (?:commenting forum|conversation|discussion|debate|community)"
    r"|join (?:the )?thought-provoking conversations?"
    r"|thank you for (?:registering|subscribing|signing up|your (?:feedback|comment))"
    r"|please (?:refresh|reload) (?:the|this|your) (?:page|browser)"
    r"|(?:view|show|hide|load|read) (?:all |\d+ )?(?:more )?(?:comments?|replies)\b"
    r"|(?:log ?in|sign ?in|register) to (?:comment|reply|continue)"
    r"|you must be (?:logged|signed) in"
    r"|already (?:have an account|registered)"
    r"|comments? (?:are|have been) (?:closed|disabled))",
    re.IGNORECASE,
)
_SITE_POINTER = re.compile(
    r"^\W*(?:this|the) (?:article|story|report|piece|page) (?:is )?(?:also )?available in [a-z]+"
    r"|^\W*(?:read|view) (?:this (?:article |story )?)?in (?:arabic|french|spanish|german|turkish|persian|urdu)\b",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:(?:share|tweet|email|print|pin|save)(?: (?:this|the) (?:article|story|page))?"
    r"(?: (?:on|via|with) [\w ]+)?$"
    r"|(?:sign up|subscribe)\b.*\b(?:newsletters?|alerts?|updates|briefings?|inbox|emails?)\b"
    r"|(?:get|receive) (?:our|the) .{0,40}(?:newsletter|alerts?|briefing)"
    r"|(?:we use cookies|this (?:web)?site uses cookies|by (?:continuing to use|using) (?:this|our) (?:site|website))"
    r"|(?:advertisement|advert|sponsored(?: content)?|promoted(?: content| stories)?|paid content"
    r"|ad feature|story continues below(?: advertisement)?|continue reading(?: below)?)\b"
    r"|(?:follow|like) (?:us|@\w+) on (?:twitter|facebook|instagram|x)\b"
    r"|(?:read more|related(?: (?:articles?|stories|coverage|content|news|topics))?|see also"
    r"|more on this(?: story)?|also read|recommended(?: for you)?|most (?:read|popular|viewed)"
    r"|you (?:may|might) also like|trending(?: now)?)\s*(?:[:|»›>\-–—]|$)"
    r"|(?:copyright|©|\(c\))\s"
    r"|all rights reserved)",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^(?:video|watch|photo|photos|picture|pictures|pictured|image|images|gallery|in pictures"
    r"|listen|audio)\b\s*(?:shows?\b|:|[-–—|])",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(r"\(?(?:getty images|afp via getty images|shutterstock)\)?$", re.IGNORECASE)
_BYLINE = re.compile(r"^[Bb]y [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}(?:,? [\w ,.'’-]{0,60})?$")
_STAMP_LABEL = re.compile(
    r"\b(?:first |last )?(?:published|updated|posted|modified)\b", re.IGNORECASE
)
_STAMP_TOKEN = re.compile(
    r"\b(?:(?:first |last )?(?:published|updated|posted|modified)|on|at|gmt|utc|bst|cet|cest|eet"
    r"|est|edt|cst|cdt|pst|pdt|am|pm|a\.m\.?|p\.m\.?|hrs?|today|yesterday"
    r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)\b|\d+(?:st|nd|rd|th|am|pm)?",
    re.IGNORECASE,
)
_STAMP_MAX_CHARS = 120
_STAMP_LEFTOVER = re.compile(r"[\s,.:;/|()+\-–—]+")


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def ends_sentence(line: str) -> bool:
    """Ends with sentence punctuation, looking through closing quotes and brackets."""
    stripped = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _TERMINAL


def is_stamp(line: str) -> bool:
    """A line made only of dates, times and "Published:/Updated:" labels."""
    if len(line) > _STAMP_MAX_CHARS:
        return False  # cheap exit: prose lines are long, stamps are not
    has_digit = any(c.isdigit() for c in line)
    if not has_digit and not _STAMP_LABEL.search(line):
        return False
    return not _STAMP_LEFTOVER.sub("", _STAMP_TOKEN.sub("", line))


def _is_debris(line: str) -> bool:
    return len(line.split()) == 1 and not ends_sentence(line) and len(line) <= 30


def _is_caption(line: str, settings: CleanSettings) -> bool:
    if ends_sentence(line) or len(words(line)) > settings.caption_max_words:
        return False
    return bool(_CAPTION.match(line) or _PHOTO_CREDIT.search(line))


def _is_byline(line: str) -> bool:
    return len(line.split()) <= 12 and not ends_sentence(line) and bool(_BYLINE.match(line))


def rule_reason(line: str, settings: CleanSettings = CleanSettings()) -> str | None:
    """Why a line is boilerplate by the rules alone, or ``None`` if it is not."""
    checks = (
        ("tagline", lambda s: tagline_outlet(s) is not None),
        ("debris", _is_debris),
        ("stamp", is_stamp),
        ("widget", lambda s: bool(_WIDGET.match(s))),
        ("site-pointer", lambda s: bool(_SITE_POINTER.match(s))),
        ("furniture", lambda s: bool(_FURNITURE.match(s))),
        ("caption", lambda s: _is_caption(s, settings)),
        ("byline", _is_byline),
    )
    stripped = line.strip()
    return next((reason for reason, check in checks if check(stripped)), None)


# --------------------------------------------------------------------------- structure

_STOP = frozenset(
    "the and for with from that this into over about after before than then their there they "
    "them his her its our your are was were has have had been will would could should not but "
    "who what when where which while out off all any can may new".split()
)


def _content_words(text: str) -> list[str]:
    return [w for w in (t.lower() for t in words(text)) if len(w) >= 3 and w not in _STOP]


def _echoes(word: str, vocabulary: set[str]) -> bool:
    """Crude stemming by shared prefix: "civilian"/"civilians", "take"/"taken"."""
    return any(word[: min(5, len(word), len(v))] == v[: min(5, len(word), len(v))] for v in vocabulary)


def echo_share(line: str, paragraph: str) -> float:
    """Share of a line's content words that ``paragraph`` repeats."""
    mine = _content_words(line)
    if not mine:
        return 0.0
    theirs = set(_content_words(paragraph))
    return sum(_echoes(w, theirs) for w in mine) / len(mine)


def _is_prose(block: list[str], settings: CleanSettings) -> bool:
    joined = " ".join(block)
    return ends_sentence(joined) or len(words(joined)) >= settings.prose_words


def _is_headline_like(line: str, max_words: int) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and stripped[0] not in _OPEN_QUOTES
        and not ends_sentence(stripped)
        and len(words(stripped)) <= max_words
    )


def _is_related_link(
    line: str, before: list[str] | None, after: list[str] | None, settings: CleanSettings
) -> bool:
    """A standalone headline dropped between two body paragraphs that the next paragraph does
    not follow up: a link to another story. A section heading ("Civilian Evacuation") is short
    and is echoed by the paragraph it introduces, so it stays."""
    if before is None or after is None:
        return False  # a standfirst (right after the title) or a closing line
    if not (_is_prose(before, settings) and _is_prose(after, settings)):
        return False
    n_words = len(words(line))
    if not settings.link_min_words <= n_words <= settings.link_max_words:
        return False
    if not _is_headline_like(line, settings.link_max_words) or not line.strip()[0].isupper():
        return False
    return echo_share(line, " ".join(after)) < settings.link_max_overlap


# --------------------------------------------------------------------------- text layout

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


def normalize_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return _ZERO_WIDTH.sub("", text)


def blocks_of(text: str) -> list[list[str]]:
    """Paragraphs (separated by blank lines), each a list of its non-empty lines."""
    blocks = []
    for chunk in _BLOCK_SPLIT.split(normalize_text(text)):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if lines:
            blocks.append(lines)
    return blocks


def _line_key(line: str) -> str:
    return " ".join(line.lower().split())


def outlet_key(article: Article) -> str | None:
    """What groups an article with others of its outlet: the outlet name, else the URL host."""
    if article.source:
        return article.source.lower()
    if article.url:
        host = urlsplit(article.url).hostname
        return host.removeprefix("www.") if host else None
    return None


# --------------------------------------------------------------------------- the cleaner


@dataclass(slots=True)
class _Cleaned:
    title: str
    blocks: list[list[str]]
    removals: list[Removal] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)  # date lines removed, in order


class BoilerplateCleaner:
    """Rules plus per-outlet recurrence; ``fit`` learns the recurring lines of each outlet."""

    def __init__(self, settings: CleanSettings = CleanSettings()) -> None:
        self.settings = settings
        self.recurring_: dict[str, frozenset[str]] = {}

    # ---- learning

    def fit(self, articles: Iterable[Article]) -> BoilerplateCleaner:
        by_outlet: dict[str, dict[str, set[str]]] = defaultdict(dict)
        for article in articles:
            key = outlet_key(article)
            if key is None:
                continue
            text = self._prepared(article)[1]
            lines = {_line_key(line) for block in blocks_of(text) for line in block}
            by_outlet[key][_line_key(text)] = lines  # exact copies count once
        self.recurring_ = {
            key: self._recurring_lines(list(texts.values())) for key, texts in by_outlet.items()
        }
        return self

    def _recurring_lines(self, articles: list[set[str]]) -> frozenset[str]:
        counts = Counter(line for lines in articles for line in lines)
        return frozenset(
            line for line, count in counts.items() if self._recurs_enough(line, count, len(articles))
        )

    def _recurs_enough(self, line: str, count: int, total: int) -> bool:
        s = self.settings
        if ends_sentence(line) and len(words(line)) >= s.sentence_words:
            return count >= s.recurrence_sentence_min_articles and count / total >= s.recurrence_sentence_min_share
        return count >= s.recurrence_min_articles

    # ---- applying

    def transform(self, article: Article) -> Article:
        """A new Article with boilerplate removed from its title and text."""
        cleaned = self._clean(article)
        text = "\n\n".join("\n".join(block) for block in cleaned.blocks)
        published = article.published or _first_date(cleaned.stamps)
        return dataclasses.replace(
            article,
            title=cleaned.title,
            text=text,
            published=published,
            removed=[*article.removed, *(r.line for r in cleaned.removals)],
        )

    def explain(self, article: Article) -> list[Removal]:
        """What ``transform`` would remove from ``article``, and why."""
        return self._clean(article).removals

    def fit_transform(self, articles: Iterable[Article]) -> list[Article]:
        articles = list(articles)
        self.fit(articles)
        return [self.transform(a) for a in articles]

    # ---- internals

    def _prepared(self, article: Article) -> tuple[str, str]:
        """Title and text, detokenised when the input is PTB-tokenised research text."""
        title, text = normalize_text(article.title), normalize_text(article.text)
        if nlp.looks_tokenized(f"{title}\n{text}"):
            title, text = nlp.detokenize(title), nlp.detokenize(text)
        return title.strip(), text

    def _reason(self, line: str, recurring: frozenset[str]) -> str | None:
        if reason := rule_reason(line, self.settings):
            return reason
        return "recurring" if _line_key(line) in recurring else None

    def _clean(self, article: Article) -> _Cleaned:
        title, text = self._prepared(article)
        recurring = self.recurring_.get(outlet_key(article) or "", frozenset())
        result = _Cleaned(title=title, blocks=[])
        for block in blocks_of(text):
            kept = []
            for line in block:
                if reason := self._reason(line, recurring):
                    result.removals.append(Removal(line, reason))
                    if reason == "stamp":
                        result.stamps.append(line)
                else:
                    kept.append(line)
            if kept:
                result.blocks.append(kept)
        self._drop_related_links(result)
        self._fix_title(result, recurring)
        return result

    def _drop_related_links(self, result: _Cleaned) -> None:
        blocks = result.blocks
        keep = []
        for i, block in enumerate(blocks):
            before = blocks[i - 1] if i > 0 else None
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if len(block) == 1 and _is_related_link(block[0], before, after, self.settings):
                result.removals.append(Removal(block[0], "related-link"))
            else:
                keep.append(block)
        result.blocks = keep

    def _fix_title(self, result: _Cleaned, recurring: frozenset[str]) -> None:
        """A title that is itself boilerplate ("clear" scraped from a page header) gives way to
        the first headline-like line before the body starts."""
        if not result.title or not (reason := self._reason(result.title, recurring)):
            return
        result.removals.insert(0, Removal(result.title, reason))
        result.title = ""
        for i, block in enumerate(result.blocks):
            if _is_prose(block, self.settings) and not _is_headline_like(block[0], self.settings.title_max_words):
                return  # the body has begun: no headline to promote
            if len(block) == 1 and _is_headline_like(block[0], self.settings.title_max_words):
                result.title = block[0]
                del result.blocks[i]
                return


def _first_date(stamps: list[str]) -> str | None:
    """The page's own date line is its publication time when the input gave none."""
    return next((date for line in stamps if (date := normalize_date(line))), None)


def clean_articles(articles: Iterable[Article], settings: CleanSettings = CleanSettings()) -> list[Article]:
    """Fit a cleaner on ``articles`` (to learn each outlet's recurring lines), then clean each."""
    return BoilerplateCleaner(settings).fit_transform(articles)
