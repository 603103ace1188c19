"""RSS and Atom feeds (feedparser): each entry with content or a summary is an article.

Entry HTML is turned into plain text; the feed's own title names the outlet when it has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsprism.readers.common import Item, RawArticle, display_path, finish, problem, read_limited
from newsprism.readers.html import fragment_to_text
from newsprism.records import InputProblem, Origin


def read_feed(path: str, *, max_bytes: int) -> Iterator[Item]:
    shown = display_path(path)
    data = read_limited(path, max_bytes)
    if isinstance(data, InputProblem):
        yield data
        return
    yield from feed_bytes_to_items(data, shown)


def feed_bytes_to_items(data: bytes, shown: str) -> Iterator[Item]:
    import feedparser

    parsed = feedparser.parse(data)  # feedparser decodes (XML declaration, BOM, guesses) itself
    entries = parsed.get("entries") or []
    if not entries:
        reason = f": {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
        kind = "malformed" if reason else "empty"
        yield problem(shown, kind, f"no feed entries found{reason}")
        return
    if parsed.get("bozo") and not _harmless(parsed.get("bozo_exception")):
        yield problem(
            shown, "malformed", f"feed is not well-formed ({parsed.get('bozo_exception')}); read what parsed",
            skipped=False,
        )
    outlet = (parsed.get("feed") or {}).get("title") or None
    for number, entry in enumerate(entries, 1):
        yield from _entry_items(entry, shown, number, outlet)


def _harmless(exc: object) -> bool:
    """feedparser flags a charset it had to override; the entries are still fine."""
    return type(exc).__name__ in {"CharacterEncodingOverride"}


def _entry_items(entry: Any, shown: str, number: int, outlet: str | None) -> Iterator[Item]:
    record = entry.get("id") or entry.get("link") or f"entry {number}"
    body = _entry_body(entry)
    if not body:
        yield problem(shown, "missing_field", f"entry {record}: no content or summary")
        return
    yield from finish(
        RawArticle(
            title=_plain_title(entry.get("title") or ""),
            text=body,
            origin=Origin(shown, record=record),
            source=outlet,
            url=entry.get("link"),
            published=entry.get("published") or entry.get("updated") or entry.get("published_parsed"),
            external_id=entry.get("id"),
        )
    )


def _plain_title(title: str) -> str:
    """feedparser keeps markup in titles declared as HTML: keep only their text."""
    if "<" not in title:
        return " ".join(title.split())
    import lxml.html

    try:
        return " ".join(lxml.html.fromstring(title).text_content().split())
    except Exception:  # not parseable as markup after all: keep it as written
        return " ".join(title.split())


def _entry_body(entry: Any) -> str:
    """The fullest text an entry offers: its content, else its summary; HTML made plain."""
    candidates = [c for c in entry.get("content") or [] if c.get("value")]
    if not candidates and entry.get("summary"):
        candidates = [entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"}]
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: len(c.get("value", "")))
    value, kind = best.get("value", ""), best.get("type", "text/html")
    return fragment_to_text(value) if "html" in kind else value.strip()
