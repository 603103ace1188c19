"""WARC and WARC.gz archives (warcio): every HTML response goes through the HTML reader.

Records are streamed; ``max_bytes`` limits each record, not the archive. A truncated archive
yields every record before the cut and then one ``truncated`` problem.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from newsprism.readers.common import Item, display_path, problem
from newsprism.readers.html import html_bytes_to_items
from newsprism.records import Origin

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str, *, max_bytes: int) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    shown = display_path(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield problem(shown, "unreadable", f"cannot open: {exc.strerror or exc}")
        return
    with handle:
        if os.fstat(handle.fileno()).st_size == 0:
            yield problem(shown, "empty", "the file is empty")
            return
        count = pages = end = 0
        try:
            records = ArchiveIterator(handle)
            for record in records:
                if record.format != "warc":
                    # warcio reads any text as (bogus) ARC records; a .warc holds WARC ones.
                    yield problem(shown, "malformed", "not a WARC file (no WARC/1.x record header)")
                    return
                count += 1
                pages += _html_content_type(record) is not None
                yield from _read_record(record, shown, max_bytes)
                records.read_to_end(record)
                end = records.get_record_offset() + records.get_record_length()
                if _cut_short(record):
                    yield problem(
                        shown, "truncated",
                        f"record {_where(record)} ends before its Content-Length: the archive is cut short",
                        skipped=False,
                    )
        except Exception as exc:  # warcio/gzip/zlib raise many types for a damaged archive
            kind = "truncated" if count else "malformed"
            detail = f"after {count} record(s)" if count else "before the first record"
            yield problem(shown, kind, f"cannot read the archive {detail}: {_describe(exc)}")
            return
        if leftover := _unread_tail(handle, end):
            yield problem(
                shown, "truncated",
                f"{leftover:,} byte(s) after record {count} do not form a complete record: the archive is cut short",
            )
        if not pages:
            yield problem(shown, "empty", f"no HTML page among its {count} record(s)")


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _unread_tail(handle, end: int) -> int:  # noqa: ANN001 (binary file)
    """Bytes past the end of the last complete record, blank lines aside. warcio ends quietly
    when a record's headers are cut off, so this is how a cut between records shows."""
    size = os.fstat(handle.fileno()).st_size
    if size - end > 16:
        return size - end
    handle.seek(end)
    return 0 if not handle.read(16).strip() else size - end


def _cut_short(record) -> bool:  # noqa: ANN001 (warcio)
    """warcio stops quietly at the end of a cut file; the unread rest of the record's
    Content-Length (or a header block cut before Content-Length, which WARC requires) tells."""
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    return not declared.isdigit() or getattr(record.raw_stream, "limit", 0) > 0


def _where(record) -> str:  # noqa: ANN001 (warcio)
    headers = record.rec_headers
    return headers.get_header("WARC-Target-URI") or headers.get_header("WARC-Record-ID") or "?"


def _read_record(record, shown: str, max_bytes: int) -> Iterator[Item]:  # noqa: ANN001 (warcio)
    content_type = _html_content_type(record)
    if content_type is None:
        return  # images, scripts, requests, metadata: not articles, and not problems either
    uri = record.rec_headers.get_header("WARC-Target-URI")
    where = _where(record)
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    length = int(declared) if declared.isdigit() else 0
    if length > max_bytes:
        yield problem(shown, "too_large", f"record {where}: {length:,} bytes is over the limit of {max_bytes:,} bytes")
        return
    payload = record.content_stream().read(max_bytes + 1)
    yield from html_bytes_to_items(payload, Origin(shown, record=where), url=uri, content_type=content_type)


def _html_content_type(record) -> str | None:  # noqa: ANN001 (warcio)
    """The Content-Type of an HTML page record (a 2xx response or a resource), else None."""
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        content_type = record.http_headers.get_header("Content-Type") or ""
        if not status.startswith("2"):
            return None  # redirects and errors carry no article
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    return content_type if content_type.split(";")[0].strip().lower() in HTML_TYPES else None
