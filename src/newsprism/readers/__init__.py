"""Reading inputs: files, directories and URLs in, ``Article`` and ``InputProblem`` items out.

``read_inputs`` never raises for bad input. Each file is read by the reader its extension
picks; anything a reader cannot handle becomes an ``InputProblem`` naming the file (and line
or record), and the run carries on with the next input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from newsprism.readers.common import DEFAULT_MAX_BYTES, Item, display_path, problem
from newsprism.readers.feed import feed_bytes_to_items, read_feed
from newsprism.readers.html import html_bytes_to_items, read_html
from newsprism.readers.jsonl import read_jsonl
from newsprism.readers.text import read_text
from newsprism.readers.warc import read_warc
from newsprism.records import Origin

Reader = Callable[..., Iterator[Item]]

# Longest suffix first, so ".warc.gz" wins over ".gz".
READERS: tuple[tuple[str, Reader], ...] = (
    (".warc.gz", read_warc),
    (".warc", read_warc),
    (".jsonl", read_jsonl),
    (".ndjson", read_jsonl),
    (".txt", read_text),
    (".html", read_html),
    (".htm", read_html),
    (".xhtml", read_html),
    (".rss", read_feed),
    (".atom", read_feed),
    (".xml", read_feed),
)

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "is_url", "read_inputs", "read_url", "reader_for"]

PathLike = str | bytes | os.PathLike[str]


def read_inputs(paths: PathLike | Iterable[PathLike], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Articles and problems from files, directories (recursively, in sorted order) and URLs."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    for path in paths:
        if isinstance(path, str) and is_url(path):
            yield from _guarded(path, read_url(path, max_bytes=max_bytes))
        else:
            yield from _read_path(os.fsdecode(path), max_bytes)


def reader_for(path: str) -> Reader | None:
    name = os.path.basename(path).lower()
    return next((reader for suffix, reader in READERS if name.endswith(suffix)), None)


def _read_path(path: str, max_bytes: int) -> Iterator[Item]:
    if os.path.isdir(path):
        yield from _read_directory(path, max_bytes)
        return
    if not os.path.lexists(path):
        yield problem(display_path(path), "unreadable", "no such file or directory")
        return
    reader = reader_for(path)
    if reader is None:
        suffix = os.path.splitext(path)[1] or "no extension"
        yield problem(display_path(path), "unsupported", f"not a supported input type ({suffix})")
        return
    yield from _guarded(display_path(path), reader(path, max_bytes=max_bytes))


def _read_directory(path: str, max_bytes: int) -> Iterator[Item]:
    try:
        entries = [e for e in os.scandir(path) if not e.name.startswith(".")]
    except OSError as exc:
        yield problem(display_path(path), "unreadable", f"cannot list the directory: {exc.strerror or exc}")
        return
    # Sort on the raw bytes of the name: deterministic even for names that are not UTF-8.
    for entry in sorted(entries, key=lambda e: os.fsencode(e.name)):
        if entry.is_symlink() and entry.is_dir():
            continue  # a linked directory could loop back on itself
        if entry.is_file() and reader_for(entry.path) is None:
            # A README or notes file beside the corpus is not bad input: mention it, lose nothing.
            shown = display_path(entry.path)
            yield problem(shown, "unsupported", "ignored: not an article format", skipped=False)
            continue
        yield from _read_path(entry.path, max_bytes)


def _guarded(shown: str, items: Iterator[Item]) -> Iterator[Item]:
    """Pass a reader's items on; if it breaks on something unforeseen, report it and go on."""
    try:
        yield from items
    except Exception as exc:  # a reader bug or a library choking on hostile input
        yield problem(shown, "unreadable", f"reading stopped: {type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- URLs

TIMEOUT_SECONDS = 20.0
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def read_url(url: str, *, max_bytes: int, timeout: float = TIMEOUT_SECONDS) -> Iterator[Item]:
    import httpx

    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            with client.stream("GET", url, headers={"User-Agent": "newsprism"}) as response:
                response.raise_for_status()
                content_type = response.headers.get("content-type", "")
                data = _read_capped(response, max_bytes)
    except httpx.HTTPError as exc:
        yield problem(url, "unreadable", f"could not fetch: {type(exc).__name__}: {exc}")
        return
    if data is None:
        yield problem(url, "too_large", f"response is over the limit of {max_bytes:,} bytes")
        return
    if content_type.split(";")[0].strip().lower() in FEED_TYPES:
        yield from feed_bytes_to_items(data, url)
    else:
        yield from html_bytes_to_items(data, Origin(url), url=url, content_type=content_type)


def _read_capped(response, max_bytes: int) -> bytes | None:  # noqa: ANN001 (httpx.Response)
    """The body, or ``None`` as soon as it passes ``max_bytes`` (never buffered beyond that)."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
