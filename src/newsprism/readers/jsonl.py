"""JSON Lines: one article object per line, streamed so a big file never sits in memory.

Fields: ``id``, ``title``, ``text``, ``source``, ``url``, ``published``, optional ``event`` and
``label``. ``title`` and ``text`` are required keys; ``title`` may be empty (research corpora
such as ECB+ have none) but ``text`` may not. Each line is limited to ``max_bytes`` on its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from newsprism.readers.common import (
    SNIFF_BYTES,
    Item,
    RawArticle,
    decode_bytes,
    decoding_problems,
    display_path,
    finish,
    looks_binary,
    problem,
)
from newsprism.records import Origin

REQUIRED = ("title", "text")


def read_jsonl(path: str, *, max_bytes: int) -> Iterator[Item]:
    shown = display_path(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield problem(shown, "unreadable", f"cannot open: {exc.strerror or exc}")
        return
    with handle:
        if looks_binary(handle.read(SNIFF_BYTES)):
            yield problem(shown, "binary", "not a text file (NUL bytes)")
            return
        handle.seek(0)
        seen_any = False
        for number, raw in _lines(handle, max_bytes):
            if raw is None:
                yield problem(shown, "too_large", f"line is over the limit of {max_bytes:,} bytes", line=number)
                continue
            if not raw.strip():
                continue
            seen_any = True
            yield from _read_line(raw, shown, number)
        if not seen_any:
            yield problem(shown, "empty", "no JSON lines in the file")


def _lines(handle: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, bytes) pairs; ``None`` for a line longer than ``max_bytes``,
    which is skipped in chunks rather than read whole."""
    number = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, raw


def _read_line(raw: bytes, shown: str, number: int) -> Iterator[Item]:
    decoded = decode_bytes(raw)
    if decoded is None:
        yield problem(shown, "binary", "line holds NUL bytes or undecodable data", line=number)
        return
    yield from decoding_problems(decoded, shown, number)
    try:
        record = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        if not raw.endswith(b"\n"):
            yield problem(shown, "truncated", f"last line is cut short ({exc.msg})", line=number)
        else:
            yield problem(shown, "malformed", f"invalid JSON: {exc.msg} at column {exc.colno}", line=number)
        return
    if not isinstance(record, dict):
        yield problem(shown, "malformed", f"expected a JSON object, found {type(record).__name__}", line=number)
        return
    if missing := _missing(record):
        yield problem(shown, "missing_field", f"required field {missing!r} is missing or empty", line=number)
        return
    yield from finish(_raw_article(record, shown, number))


def _missing(record: dict[str, Any]) -> str | None:
    if not isinstance(record.get("title"), str):
        return "title"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return "text"
    return None


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _raw_article(record: dict[str, Any], shown: str, number: int) -> RawArticle:
    return RawArticle(
        title=record["title"],
        text=record["text"],
        origin=Origin(shown, line=number),
        source=_text_or_none(record.get("source")),
        url=_text_or_none(record.get("url")),
        published=record.get("published"),
        external_id=_text_or_none(record.get("id")),
        event_hint=_text_or_none(record.get("event")),
        label=_text_or_none(record.get("label")),
    )
