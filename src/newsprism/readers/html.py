"""HTML pages through trafilatura: main text, title, date and site name, boilerplate removed.

Used for ``.html`` files, for each HTML record of a WARC and for fetched URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsprism.readers.common import (
    Item,
    RawArticle,
    decode_bytes,
    decoding_problems,
    declared_charset,
    display_path,
    finish,
    problem,
    read_limited,
)
from newsprism.records import InputProblem, Origin


def read_html(path: str, *, max_bytes: int) -> Iterator[Item]:
    shown = display_path(path)
    data = read_limited(path, max_bytes)
    if isinstance(data, InputProblem):
        yield data
        return
    yield from html_bytes_to_items(data, Origin(shown))


def html_bytes_to_items(
    data: bytes, origin: Origin, *, url: str | None = None, content_type: str | None = None
) -> Iterator[Item]:
    """Decode (HTTP header charset, else <meta>, else UTF-8, else a guess) and extract."""
    decoded = decode_bytes(data, declared=declared_charset(data, content_type))
    if decoded is None:
        yield problem(origin.path, "binary", _where(origin) + "not HTML text (NUL bytes or undecodable)")
        return
    yield from decoding_problems(decoded, origin.path)
    yield from html_to_items(decoded.text, origin, url=url)


def html_to_items(html: str, origin: Origin, *, url: str | None = None) -> Iterator[Item]:
    from trafilatura import bare_extraction

    if ends_mid_tag(html):
        yield problem(
            origin.path, "truncated", _where(origin) + "HTML is cut off inside a tag; kept what could be read",
            skipped=False,
        )
    document = bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    text = getattr(document, "text", None) or ""
    if not text.strip():
        yield problem(origin.path, "empty", _where(origin) + "no article text found in the HTML")
        return
    title = (document.title or "").strip()
    sitename = (document.sitename or "").strip()
    # trafilatura falls back to the bare host name for a site name: that is not the site saying
    # who it is, so leave it to outlet inference (which maps known hosts to outlet names).
    if sitename and sitename.lower() in {(document.hostname or "").lower(), ""}:
        sitename = ""
    yield from finish(
        RawArticle(
            title=title,
            text=text_to_paragraphs(text, title),
            origin=origin,
            source=sitename or None,
            url=document.url or url,
            published=document.date,
        )
    )


def _where(origin: Origin) -> str:
    return f"record {origin.record}: " if origin.record else ""


_LAST_TAG = re.compile(r"<[^>]*$")


def ends_mid_tag(html: str) -> bool:
    """True when the markup stops inside a tag, the mark of a file cut short."""
    return bool(_LAST_TAG.search(html.rstrip()))


def text_to_paragraphs(text: str, title: str = "") -> str:
    """trafilatura gives one paragraph per line: make them "\\n\\n"-separated, and drop the
    headline when the page repeats it as the first line of the body."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return "\n\n".join(lines)


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs "\\n\\n"-separated."""
    from trafilatura import extract

    text = extract(f"<html><body>{fragment}</body></html>", favor_recall=True, include_comments=False)
    if not text:  # trafilatura drops what it takes for navigation: fall back to all the text
        import lxml.html

        try:
            text = lxml.html.fromstring(fragment).text_content()
        except Exception:  # lxml rejects empty or control-character-only fragments
            return ""
    return text_to_paragraphs(text)
