"""Bad input never stops a run: each case becomes a clear InputProblem and good articles still come."""

from __future__ import annotations

import json
import os
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsprism.readers as readers
from newsprism.readers import read_inputs
from newsprism.records import Article, InputProblem

GOOD = {
    "id": "g1",
    "title": "Harbour crane collapses in storm",
    "text": "A crane at the Port Selden container terminal collapsed during Sunday's storm, the port authority said. Nobody was hurt.",
    "source": "Coastal Courier",
    "url": "https://www.coastalcourier.example/crane",
    "published": "2022-11-20",
}


def articles(items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def problems(items) -> list[InputProblem]:
    return [item for item in items if isinstance(item, InputProblem)]


def jsonl_line(**changes: object) -> str:
    return json.dumps({**GOOD, **changes}, ensure_ascii=False)


def one_problem(items, kind: str) -> InputProblem:
    found = [p for p in problems(items) if p.kind == kind]
    assert len(found) == 1, problems(items)
    return found[0]


# --------------------------------------------------------------------------- whole files


@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.html", "empty.warc", "empty.rss"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    [issue] = list(read_inputs(tmp_path / name))
    assert issue.kind == "empty" and issue.skipped and issue.path.endswith(name)
    assert name in str(issue)


def test_whitespace_only_and_title_only_text(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text("\n   \n\t\n")
    (tmp_path / "title.txt").write_text("Only a headline here\n\n")
    blank, title_only = list(read_inputs(tmp_path))
    assert blank.kind == "empty" and blank.path.endswith("blank.txt")
    assert title_only.kind == "missing_field" and title_only.path.endswith("title.txt")


@pytest.mark.parametrize("name", ["image.txt", "image.html", "image.jsonl"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4)
    [issue] = list(read_inputs(tmp_path / name))
    assert issue.kind == "binary" and issue.skipped and issue.path.endswith(name)


def test_non_warc_bytes_in_a_warc(tmp_path: Path) -> None:
    (tmp_path / "junk.warc").write_text("this is a shopping list, not a web archive\n" * 3)
    (tmp_path / "junk.warc.gz").write_bytes(os.urandom(2048))
    items = list(read_inputs(tmp_path))
    assert [(Path(p.path).name, p.kind) for p in items] == [("junk.warc", "malformed"), ("junk.warc.gz", "malformed")]


def test_too_large_is_refused_without_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: 8 GB that reading whole would never survive
        handle.truncate(8 * 1024**3)
    small = tmp_path / "small.txt"
    small.write_text("Short story\n\n" + "The market reopened on Monday after repairs to its roof. " * 5)
    items = list(read_inputs([huge, small], max_bytes=10_000))
    issue = one_problem(items, "too_large")
    assert issue.path.endswith("huge.txt") and "8,589,934,592 bytes" in issue.message
    assert "10,000" in issue.message and issue.skipped
    assert [a.title for a in articles(items)] == ["Short story"]


def test_too_large_jsonl_line_is_skipped_alone(tmp_path: Path) -> None:
    target = tmp_path / "mixed.jsonl"
    lines = [jsonl_line(id="a"), jsonl_line(id="big", text="x " * 5000), jsonl_line(id="c")]
    target.write_text("\n".join(lines) + "\n")
    items = list(read_inputs(target, max_bytes=2000))
    assert [a.external_id for a in articles(items)] == ["a", "c"]
    issue = one_problem(items, "too_large")
    assert issue.line == 2 and str(issue).startswith(f"{target}:2:")


# --------------------------------------------------------------------------- encodings

CP1252_TEXT = (
    "Café owners reopen on the “Quai Hélène”\n\n"
    "The café’s owners said on Monday that the naïve façade — repainted after the flood — had drawn"
    " crowds back to the quay. “We are very happy,” said Renée Dubois, who runs the bakery next door."
)
LATIN1_TEXT = (
    "Café owners reopen on the Quai Hélène\n\n"
    "The owners of the café said on Monday that the naïve façade, repainted after the flood, had drawn"
    " crowds back to the quay. Renée Dubois, who runs the bakery next door, said trade was up."
)


@pytest.mark.parametrize(("encoding", "text"), [("cp1252", CP1252_TEXT), ("latin-1", LATIN1_TEXT)])
def test_misencoded_text_is_kept_with_a_warning(tmp_path: Path, encoding: str, text: str) -> None:
    target = tmp_path / f"{encoding}.txt"
    target.write_bytes(text.encode(encoding))
    with pytest.raises(UnicodeDecodeError):
        target.read_bytes().decode("utf-8")  # the fixture really is not UTF-8
    items = list(read_inputs(target))
    [article] = articles(items)
    title, body = text.split("\n\n")
    assert article.title == title and article.text == body  # every accent and quote recovered
    warning = one_problem(items, "encoding")
    assert not warning.skipped and warning.path.endswith(f"{encoding}.txt")
    assert "not valid UTF-8" in warning.message


def test_misencoded_jsonl_line_names_its_line(tmp_path: Path) -> None:
    target = tmp_path / "mixed.jsonl"
    good = (jsonl_line(id="a") + "\n").encode("utf-8")
    legacy = (jsonl_line(id="b", title="Café reopens on the “Quai Hélène”") + "\n").encode("cp1252")
    target.write_bytes(good + legacy + good.replace(b'"a"', b'"c"'))
    items = list(read_inputs(target))
    assert [a.external_id for a in articles(items)] == ["a", "b", "c"]
    assert articles(items)[1].title == "Café reopens on the “Quai Hélène”"
    assert one_problem(items, "encoding").line == 2


def test_html_declared_charset_is_not_a_problem(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>Café reopens</title></head><body><article>'
        "<p>The café on the Quai Hélène reopened on Monday after the flood, and its owners said"
        " the naïve façade had been repainted by volunteers from the neighbourhood.</p>"
        "</article></body></html>"
    )
    (tmp_path / "legacy.html").write_bytes(page.encode("cp1252"))
    [article] = list(read_inputs(tmp_path / "legacy.html"))
    assert isinstance(article, Article) and "naïve façade" in article.text


def test_non_utf8_file_name(tmp_path: Path) -> None:
    raw_dir = os.fsencode(tmp_path)
    name = raw_dir + b"/caf\xe9-report.txt"  # Latin-1 bytes in the name itself
    with open(name, "wb") as handle:
        handle.write(b"Cafe reopens\n\nThe cafe on the quay reopened on Monday after the flood, its owners said.")
    with open(raw_dir + b"/caf\xe9-binary.txt", "wb") as handle:
        handle.write(b"\x00\x01\x02")
    items = list(read_inputs(tmp_path))
    [article] = articles(items)
    [issue] = problems(items)
    assert article.title == "Cafe reopens" and article.origin.path.endswith("caf\\xe9-report.txt")
    assert issue.kind == "binary" and issue.path.endswith("caf\\xe9-binary.txt")
    str(issue).encode("utf-8")  # printable and storable: no lone surrogates
    article.origin.path.encode("utf-8")


# --------------------------------------------------------------------------- JSON lines


def test_malformed_line_in_the_middle(tmp_path: Path) -> None:
    target = tmp_path / "feed.jsonl"
    lines = [jsonl_line(id="a"), jsonl_line(id="b"), '{"id": "c", "title": "Broken", "text": }', "", jsonl_line(id="e")]
    target.write_text("\n".join(lines) + "\n")
    items = list(read_inputs(target))
    assert [(a.external_id, a.origin.line) for a in articles(items)] == [("a", 1), ("b", 2), ("e", 5)]
    issue = one_problem(items, "malformed")
    assert issue.line == 3 and issue.skipped and issue.path == str(target)
    assert str(issue).startswith(f"{target}:3: skipped: malformed: invalid JSON")


def test_truncated_last_line(tmp_path: Path) -> None:
    target = tmp_path / "cut.jsonl"
    content = jsonl_line(id="a") + "\n" + jsonl_line(id="b") + "\n" + jsonl_line(id="c")
    target.write_text(content[: -40])  # cut inside the third record, no final newline
    items = list(read_inputs(target))
    assert [a.external_id for a in articles(items)] == ["a", "b"]
    issue = one_problem(items, "truncated")
    assert issue.line == 3 and "cut short" in issue.message


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({k: v for k, v in GOOD.items() if k != "title"}, "title"),
        ({k: v for k, v in GOOD.items() if k != "text"}, "text"),
        ({**GOOD, "text": "   "}, "text"),
        ({**GOOD, "title": None}, "title"),
    ],
)
def test_missing_required_field(tmp_path: Path, record: dict, field: str) -> None:
    target = tmp_path / "fields.jsonl"
    target.write_text(jsonl_line(id="a") + "\n" + json.dumps(record) + "\n" + jsonl_line(id="c") + "\n")
    items = list(read_inputs(target))
    assert [a.external_id for a in articles(items)] == ["a", "c"]
    issue = one_problem(items, "missing_field")
    assert issue.line == 2 and repr(field) in issue.message


def test_json_that_is_not_an_object(tmp_path: Path) -> None:
    target = tmp_path / "list.jsonl"
    target.write_text('["not", "an", "object"]\n' + jsonl_line(id="b") + "\n")
    items = list(read_inputs(target))
    assert [a.external_id for a in articles(items)] == ["b"]
    assert one_problem(items, "malformed").line == 1


# --------------------------------------------------------------------------- truncation


def test_html_cut_mid_tag_still_yields_text(tmp_path: Path, fixtures_dir: Path) -> None:
    page = (fixtures_dir / "readers" / "page.html").read_text()
    cut = page[: page.index("The operator said the first sailing") + 10]
    cut = cut[: cut.rindex("<p>") + 2]  # stop inside the last <p> tag
    (tmp_path / "cut.html").write_text(cut)
    items = list(read_inputs(tmp_path / "cut.html"))
    [article] = articles(items)
    assert "4,000 commuters" in article.text and "first sailing" not in article.text
    warning = one_problem(items, "truncated")
    assert not warning.skipped and warning.path.endswith("cut.html")


def make_warc(path: Path, count: int, *, gz: bool) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for i in range(count):
            html = (
                f"<html><head><title>Storm report {i}</title></head><body><article><p>Storm number {i} "
                "brought down power lines across the coast on Sunday night, the grid operator said, and "
                "crews worked through the morning to restore supply to outlying villages.</p>"
                "<p>Schools in the area opened two hours late.</p></article></body></html>"
            ).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(f"https://stormdesk.example/{i}", "response", payload=BytesIO(html), http_headers=headers)
            )


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
@pytest.mark.parametrize("keep", [0.83, 0.97])  # cut in the third record's headers / its payload
def test_truncated_warc_yields_records_before_the_cut(tmp_path: Path, suffix: str, keep: float) -> None:
    whole = tmp_path / f"whole{suffix}"
    make_warc(whole, 3, gz=suffix.endswith(".gz"))
    assert len(articles(read_inputs(whole))) == 3 and problems(read_inputs(whole)) == []
    data = whole.read_bytes()
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(data[: int(len(data) * keep)])
    items = list(read_inputs(cut))
    records = [a.origin.record for a in articles(items)]
    assert records[:2] == ["https://stormdesk.example/0", "https://stormdesk.example/1"]
    truncated = [p for p in problems(items) if p.kind == "truncated"]
    assert truncated and all(p.path == str(cut) for p in truncated)
    assert any("cut short" in p.message for p in truncated)


# --------------------------------------------------------------------------- the run goes on


def test_bad_files_do_not_stop_good_ones(tmp_path: Path, fixtures_dir: Path) -> None:
    shutil.copy(fixtures_dir / "readers" / "bridge.txt", tmp_path / "a-good.txt")
    (tmp_path / "b-empty.txt").write_bytes(b"")
    (tmp_path / "c-binary.html").write_bytes(b"\x00\xff" * 50)
    (tmp_path / "d-bad.jsonl").write_text("{nope\n" + jsonl_line(id="d2") + "\n")
    (tmp_path / "e-junk.rss").write_text("<rss><channel><item><title>Half")
    shutil.copy(fixtures_dir / "readers" / "page.html", tmp_path / "f-good.html")
    items = list(read_inputs(tmp_path))
    assert [Path(a.origin.path).name for a in articles(items)] == ["a-good.txt", "d-bad.jsonl", "f-good.html"]
    assert {(Path(p.path).name, p.kind) for p in problems(items)} >= {
        ("b-empty.txt", "empty"), ("c-binary.html", "binary"), ("d-bad.jsonl", "malformed"),
    }
    assert any(Path(p.path).name == "e-junk.rss" for p in problems(items))


def test_a_reader_crash_becomes_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path) -> None:
    def exploding(path: str, *, max_bytes: int):
        yield from ()
        raise RuntimeError("parser blew up")

    monkeypatch.setattr(readers, "READERS", ((".html", exploding), *readers.READERS))
    shutil.copy(fixtures_dir / "readers" / "page.html", tmp_path / "a.html")
    shutil.copy(fixtures_dir / "readers" / "bridge.txt", tmp_path / "b.txt")
    crash, article = list(read_inputs(tmp_path))
    assert crash.kind == "unreadable" and crash.path.endswith("a.html") and "parser blew up" in crash.message
    assert isinstance(article, Article) and article.origin.path.endswith("b.txt")


def test_non_english_article_is_stored_and_flagged(tmp_path: Path) -> None:
    target = tmp_path / "mixed.jsonl"
    spanish = jsonl_line(
        id="es", title="Se derrumba una grúa en el puerto",
        text="Una grúa del puerto se derrumbó el domingo durante la tormenta, según informó la autoridad portuaria.",
    )
    target.write_text(jsonl_line(id="a") + "\n" + spanish + "\n" + jsonl_line(id="c") + "\n")
    items = list(read_inputs(target))
    assert [(a.external_id, a.language) for a in articles(items)] == [("a", "en"), ("es", "es"), ("c", "en")]
    issue = one_problem(items, "non_english")
    assert issue.line == 2 and not issue.skipped and "'es'" in issue.message


def test_short_cp1252_text_is_not_read_as_central_european(tmp_path: Path) -> None:
    """charset-normalizer scores cp1250 as high as cp1252 on short Western text; è must not become č."""
    text = "Café reopens\n\nThe café “Chez Hélène” reopened on Monday — regulars said the naïve façade looks better than ever."
    (tmp_path / "short.txt").write_bytes(text.encode("cp1252"))
    [article] = articles(read_inputs(tmp_path / "short.txt"))
    assert "Hélène" in article.text and "naïve" in article.text
