"""Plain-text articles: the first non-empty line is the title, the rest is the body."""

from __future__ import annotations

from collections.abc import Iterator

from newsprism.readers.common import (
    Item,
    RawArticle,
    decode_bytes,
    decoding_problems,
    display_path,
    finish,
    problem,
    read_limited,
)
from newsprism.records import InputProblem, Origin


def read_text(path: str, *, max_bytes: int) -> Iterator[Item]:
    shown = display_path(path)
    data = read_limited(path, max_bytes)
    if isinstance(data, InputProblem):
        yield data
        return
    decoded = decode_bytes(data)
    if decoded is None:
        yield problem(shown, "binary", "not a text file (NUL bytes or no text encoding fits)")
        return
    yield from decoding_problems(decoded, shown)
    title, body = split_title_body(decoded.text)
    if not title:
        yield problem(shown, "empty", "the file holds only white space")
        return
    if not body.strip():
        yield problem(shown, "missing_field", "only a title line, no article text")
        return
    yield from finish(RawArticle(title=title, text=body, origin=Origin(shown)))


def split_title_body(text: str) -> tuple[str, str]:
    """First non-empty line, and everything after it with its line breaks kept."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            return line.strip(), "\n".join(lines[i + 1 :]).strip("\n")
    return "", ""
