"""Streaming multipart upload into a job directory, with a size limit enforced while reading.

File parts are written straight to generated paths inside the job's directory (never a name or
path from the client); the whole request body is counted as it arrives and reading stops with
:class:`UploadError` (413) the moment it passes the limit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import IO, Any

from python_multipart.multipart import MultipartParser, parse_options_header

from .jobs import SUFFIXES, Job, JobManager, upload_suffix

MAX_FILES = 20
MAX_FIELD_BYTES = 10_000


class UploadError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def human_bytes(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def too_large(limit: int) -> UploadError:
    return UploadError(413, f"Upload too large: the limit is {human_bytes(limit)} ({limit} bytes) per request.")


class _Receiver:
    def __init__(self, manager: JobManager, job: Job, field: str) -> None:
        self.manager, self.job, self.field = manager, job, field
        self.header_name = b""
        self.header_value = b""
        self.disposition = b""
        self.file: IO[bytes] | None = None
        self.file_bytes = 0
        self.sizes: list[int] = []
        self.field_data: bytearray | None = None
        self.fields: dict[str, str] = {}
        self.field_name = ""

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }

    def on_part_begin(self) -> None:
        self.disposition = b""
        self.file = None
        self.field_data = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.strip().lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.field_name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            if self.field_name != self.field:
                raise UploadError(400, f"Unexpected file field {self.field_name[:40]!r}: send files as {self.field!r}.")
            client = options[b"filename"].decode("utf-8", "replace")
            if not client.strip():
                return  # the browser's empty file input: no file chosen
            if len(self.job.paths) >= MAX_FILES:
                raise UploadError(400, f"Too many files: at most {MAX_FILES} per upload.")
            suffix = upload_suffix(client)
            if suffix is None:
                raise UploadError(
                    415,
                    f"Unsupported file type: {client[-80:]!r}. Accepted: {', '.join(sorted(SUFFIXES))}.",
                )
            path = self.manager.add_file_path(self.job, client, suffix)
            self.file = open(path, "xb")  # noqa: SIM115 - closed in on_part_end / finally
            self.file_bytes = 0
        else:
            self.field_data = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.file is not None:
            self.file.write(chunk)
            self.file_bytes += len(chunk)
        elif self.field_data is not None:
            if len(self.field_data) + len(chunk) > MAX_FIELD_BYTES:
                raise UploadError(400, "A form field is too long.")
            self.field_data.extend(chunk)

    def on_part_end(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
            self.sizes.append(self.file_bytes)
        elif self.field_data is not None:
            self.fields[self.field_name] = self.field_data.decode("utf-8", "replace")
            self.field_data = None

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


async def receive_upload(
    stream: AsyncIterator[bytes],
    content_type: str | None,
    manager: JobManager,
    job: Job,
    *,
    limit: int,
    field: str = "files",
) -> None:
    """Stream a multipart body into ``job``'s directory; raises UploadError on any problem."""
    kind, params = parse_options_header(content_type or "")
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError(415, "Send the files as multipart/form-data (field name 'files').")
    receiver = _Receiver(manager, job, field)
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())
    received = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if received > limit:
                raise too_large(limit)
            _feed(parser.write, chunk)
        _feed(parser.finalize)
    finally:
        receiver.close()
    if not job.paths:
        raise UploadError(400, "No file chosen: add at least one file.")
    empty = [name for name, size in zip(job.files, receiver.sizes) if size == 0]
    if empty:
        raise UploadError(400, f"Empty file: {empty[0]!r}.")


def _feed(step: Any, *args: Any) -> None:
    try:
        step(*args)
    except (UploadError, OSError):
        raise
    except Exception as exc:  # the multipart parser's errors: a malformed body
        raise UploadError(400, f"Malformed upload: {exc}") from None
