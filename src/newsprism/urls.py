"""Which article URLs may become links. Article URLs are attacker-controlled input."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

# Whitespace and control characters (browsers strip them and may then see a scheme), quotes,
# angle brackets, backslashes and backticks (could break out of an attribute or a Markdown link).
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`]")
MAX_URL = 4096


def safe_url(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) URL with nothing that could escape its context;
    else None, and the caller shows it as text instead of a link."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
