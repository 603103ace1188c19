"""Stable, content-based identifiers."""

from __future__ import annotations

import hashlib
import re

_SPACE = re.compile(r"\s+")


def normalize_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def article_id(title: str, text: str, source: str | None = None, url: str | None = None) -> str:
    """16 hex digits of SHA-256 over the whitespace-normalised content and provenance.

    The same report read twice (from the same or another file) gets the same id, so re-ingest
    is idempotent; the same text under two outlets stays two articles (a syndication link is
    recorded by deduplication instead).
    """
    key = "\x1f".join(normalize_space(part or "") for part in (source, url, title, text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def event_id(article_ids: list[str]) -> str:
    """An event id derived from its founding (earliest-ingested) article, stable as it grows."""
    return "ev-" + hashlib.sha256(min(article_ids).encode()).hexdigest()[:12]


def named_event_id(name: str) -> str:
    """The id of an event the input named itself (its `event` field), for `--events given`."""
    return "ev-" + hashlib.sha256(("given\x1f" + name).encode()).hexdigest()[:12]
