"""What every reader shares: safe path display, size limits, decoding, dates, building Articles.

A reader turns one input into ``Article`` and ``InputProblem`` items and never raises for bad
input: every problem becomes an ``InputProblem`` naming the file (and line or record).
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from newsprism.ids import article_id
from newsprism.language import UNDETERMINED, detect_language
from newsprism.outlets import infer_outlet
from newsprism.records import Article, InputProblem, Origin, ProblemKind

Item = Article | InputProblem

DEFAULT_MAX_BYTES = 50_000_000
SNIFF_BYTES = 8192  # how much of a file to look at for NUL bytes / a declared charset


def display_path(path: str | bytes | os.PathLike[str]) -> str:
    """A printable, storable form of a path; undecodable bytes become ``\\xNN``.

    Paths from the file system may carry surrogate escapes (non-UTF-8 names) that would crash
    a UTF-8 write to the terminal or SQLite; backslash escapes keep them readable and unique.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def problem(
    path: str, kind: ProblemKind, message: str, *, line: int | None = None, skipped: bool = True
) -> InputProblem:
    return InputProblem(path=path, kind=kind, message=message, line=line, skipped=skipped)


# --------------------------------------------------------------------------- reading bytes


def read_limited(path: str, max_bytes: int) -> bytes | InputProblem:
    """The bytes of a regular file, or the problem that stops us reading it.

    The size comes from ``stat`` first, so a huge file is refused without reading it.
    """
    shown = display_path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        return problem(shown, "unreadable", f"cannot open: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return problem(shown, "unsupported", "not a regular file")
    if info.st_size > max_bytes:
        return problem(
            shown, "too_large", f"{info.st_size:,} bytes is over the limit of {max_bytes:,} bytes"
        )
    if info.st_size == 0:
        return problem(shown, "empty", "the file is empty")
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        return problem(shown, "unreadable", f"cannot read: {exc.strerror or exc}")


def looks_binary(data: bytes) -> bool:
    """NUL bytes do not occur in text in any 8-bit or UTF-8 encoding (UTF-16/32 carry a BOM)."""
    return b"\x00" in data[:SNIFF_BYTES] and _bom_encoding(data) is None


# --------------------------------------------------------------------------- decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer scores cp1250 and cp1252 alike on short Western text; ties go to the
# encodings legacy news text actually uses (WHATWG decodes "latin-1" labels as windows-1252 too).
_PREFERRED_GUESSES = ("cp1252", "iso8859_15", "latin_1", "cp1250", "iso8859_2", "cp1251", "koi8_r")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    guessed: bool = False  # not UTF-8 and not declared: the encoding was guessed
    cut: bool = False  # the bytes end inside a UTF-8 character (a truncated file)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded | None:
    """Decode text bytes: BOM, then UTF-8, then a declared charset, then a guess.

    ``None`` means the bytes are not text (NUL bytes, or no encoding explains them).
    """
    if bom := _bom_encoding(data):
        return Decoded(data.decode(bom, errors="replace"), bom)
    if b"\x00" in data:
        return None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return Decoded(data[: exc.start].decode("utf-8", errors="replace"), "utf-8", cut=True)
    if declared and _is_codec(declared) and (text := _try_decode(data, declared)) is not None:
        return Decoded(text, declared)
    return _guess(data)


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    tied = {
        m.encoding: m
        for m in matches
        if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.05
    }
    chosen = next((tied[e] for e in _PREFERRED_GUESSES if e in tied), best)
    return Decoded(str(chosen), chosen.encoding, guessed=True)


def decoding_problems(decoded: Decoded, path: str, line: int | None = None) -> list[InputProblem]:
    """Warnings (the text is kept) for a guessed encoding or a file cut inside a character."""
    found = []
    if decoded.guessed:
        found.append(
            problem(
                path,
                "encoding",
                f"not valid UTF-8; decoded as {decoded.encoding} (guessed), check accents and quotes",
                line=line,
                skipped=False,
            )
        )
    if decoded.cut:
        found.append(
            problem(path, "truncated", "ends in the middle of a UTF-8 character", line=line, skipped=False)
        )
    return found


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset an HTTP Content-Type header or the HTML's own <meta> declares."""
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        return match.group(1)
    if match := _META_CHARSET.search(data[:SNIFF_BYTES]):
        return match.group(1).decode("ascii")
    return None


# --------------------------------------------------------------------------- dates

_DIGIT_JOIN = re.compile(r"(\d)\s*([:/.])\s*(?=\d)")
_ISO_DAY = re.compile(r"\b(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})\b")
_MERIDIEM = re.compile(r"\b([ap])\s*\.\s*m\b\s*\.?", re.IGNORECASE)
# dateutil reads "GMT+05:00" the POSIX way (five hours *behind*); newsrooms mean ahead.
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*(?=[+-]\d)", re.IGNORECASE)
_COMMA = re.compile(r"\s+,")
_DATE_LABEL = re.compile(
    r"\b(?:story\s+)?(?:first\s+|last\s+)?(?:published|posted|updated|modified|created)"
    r"(?:\s+(?:on|at))?\s*:?",
    re.IGNORECASE,
)
_TZINFOS = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200, "EEST": 10800,
    "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600,
    "PST": -28800, "PDT": -25200, "AKST": -32400, "AKDT": -28800,
}


def normalize_date(value: object) -> str | None:
    """ISO 8601 for a date or datetime in any common form, ``None`` if there is none.

    A value with no time of day gives a date ("2016-12-13"); one with a time gives a datetime,
    with its offset when the input names one. Tokenised datelines ("May 24 , 2005") work too.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return dt.datetime(*value[:6], tzinfo=dt.timezone.utc).isoformat()
    if not isinstance(value, str):
        return None
    return _parse_date_text(value)


def _clean_date_text(text: str) -> str:
    text = _DATE_LABEL.sub(" ", text)
    for _ in range(2):  # "23 : 37 : 00" needs two passes: the matches overlap
        text = _DIGIT_JOIN.sub(r"\1\2", text)
    text = _ISO_DAY.sub(r"\1-\2-\3", text)
    text = _MERIDIEM.sub(r"\1m", text)
    text = _GMT_OFFSET.sub("", text)
    text = _COMMA.sub(",", text).replace("(", " ").replace(")", " ")
    return " ".join(text.split()).strip(" .,")


def _parse_date_text(text: str) -> str | None:
    if (parsed := _parse_one_date(text)) is not None:
        return parsed
    # "Posted: <date> Updated: <date>": the first date that parses on its own is the one.
    for chunk in _DATE_LABEL.split(text):
        if chunk.strip() and (parsed := _parse_one_date(chunk)) is not None:
            return parsed
    return None


def _parse_one_date(text: str) -> str | None:
    from dateutil import parser

    cleaned = _clean_date_text(text)
    if not cleaned or not any(c.isdigit() for c in cleaned):
        return None
    first_default = dt.datetime(1900, 1, 1, 0, 0, 0)
    other_default = dt.datetime(1904, 2, 2, 1, 1, 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: the time stays, offset dropped
            one = parser.parse(cleaned, fuzzy=True, default=first_default, tzinfos=_TZINFOS)
            two = parser.parse(cleaned, fuzzy=True, default=other_default, tzinfos=_TZINFOS)
    except (ValueError, OverflowError, TypeError):
        return None
    if one.year != two.year or one.day != two.day or one.month != two.month:
        return None  # no full date in the text (e.g. only a time, or a month and year)
    if not 1900 < one.year < 2200:
        return None
    if (one.hour, one.minute) != (two.hour, two.minute):
        return one.date().isoformat()
    return one.isoformat()


# --------------------------------------------------------------------------- articles


@dataclass(slots=True)
class RawArticle:
    """What a reader found, before ids, language and outlet inference are filled in."""

    title: str
    text: str
    origin: Origin
    source: str | None = None
    url: str | None = None
    published: object = None  # raw: a string, datetime or struct_time; normalised in finish()
    external_id: str | None = None
    event_hint: str | None = None
    label: str | None = None


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def finish(raw: RawArticle) -> Iterator[Item]:
    """Build the Article (id, language, outlet) and report what later stages need to know."""
    shown = raw.origin.path
    title, text = (raw.title or "").strip(), (raw.text or "").strip("\n")
    if not text.strip():
        yield problem(shown, "missing_field", "no article text", line=raw.origin.line)
        return
    given_source, url = _blank_to_none(raw.source), _blank_to_none(raw.url)
    source, inferred = given_source, False
    if source is None and (source := infer_outlet(title, text, url)) is not None:
        inferred = True
    article = Article(
        # The id hashes only what the input says, so a better outlet table never changes ids.
        id=article_id(title, text, given_source, url),
        title=title,
        text=text,
        origin=raw.origin,
        source=source,
        url=url,
        published=normalize_date(raw.published),
        external_id=_blank_to_none(raw.external_id),
        event_hint=_blank_to_none(raw.event_hint),
        label=_blank_to_none(raw.label),
        language=detect_language(f"{title}\n{text}"),
        source_inferred=inferred,
    )
    yield article
    if article.language not in ("en", UNDETERMINED):
        where = f" ({raw.origin.record})" if raw.origin.record else ""
        yield problem(
            shown,
            "non_english",
            f"article{where} looks like language {article.language!r}: stored, not analysed",
            line=raw.origin.line,
            skipped=False,
        )
