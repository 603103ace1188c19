"""Readers on small fictional fixtures, plus language detection and outlet inference."""

from __future__ import annotations

import gzip
import shutil
import socket
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.ids import article_id
from newsprism.language import detect_language
from newsprism.outlets import infer_outlet, outlet_evidence, outlet_from_url
from newsprism.readers import read_inputs
from newsprism.readers.common import normalize_date
from newsprism.records import Article, InputProblem


@pytest.fixture()
def readers_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "readers"


def articles(items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def problems(items) -> list[InputProblem]:
    return [item for item in items if isinstance(item, InputProblem)]


# --------------------------------------------------------------------------- plain text


def test_txt_first_line_is_title_rest_is_body(readers_dir: Path) -> None:
    items = list(read_inputs(readers_dir / "bridge.txt"))
    assert problems(items) == []
    [article] = articles(items)
    assert article.title == "Flood closes the old stone bridge in Riverton"
    assert article.text.startswith("The old stone bridge over the Alder river was closed")
    assert article.text.endswith('said council leader Mara Voss.')
    assert "\n\n" in article.text  # paragraph breaks survive
    assert article.origin.path.endswith("bridge.txt") and article.origin.line is None
    assert article.language == "en"
    assert article.source is None and not article.source_inferred
    assert article.id == article_id(article.title, article.text, None, None)


def test_ids_are_stable_across_reads(readers_dir: Path) -> None:
    first = [a.id for a in articles(read_inputs(readers_dir))]
    second = [a.id for a in articles(read_inputs(readers_dir))]
    assert first == second and len(set(first)) == len(first)


# --------------------------------------------------------------------------- JSON lines


def test_jsonl_fields_and_line_origins(readers_dir: Path) -> None:
    items = list(read_inputs(readers_dir / "articles.jsonl"))
    assert problems(items) == []
    first, second, third = articles(items)
    assert [a.origin.line for a in (first, second, third)] == [1, 2, 3]
    assert str(first.origin).endswith("articles.jsonl:1")
    assert first.external_id == "nl-1" and first.event_hint == "riverton-flood" and first.label == "real"
    assert first.source == "Northern Ledger" and not first.source_inferred
    assert first.url == "https://www.northernledger.example/news/bridge"
    assert first.published == "2021-03-04T10:15:00"
    assert second.published == "2021-03-04" and second.label is None
    # A research-corpus record: empty title and source are allowed, blanks become None,
    # and the tokenised text is left as it is (clean detokenises it).
    assert third.title == "" and third.source is None and third.url is None
    assert "do n't" in third.text


# --------------------------------------------------------------------------- HTML


def test_html_main_text_metadata_and_no_page_furniture(readers_dir: Path) -> None:
    items = list(read_inputs(readers_dir / "page.html"))
    assert problems(items) == []
    [article] = articles(items)
    assert article.title == "Harbour ferry strike ends after talks"
    assert article.source == "Coastal Courier" and not article.source_inferred
    assert article.published == "2022-06-14"
    assert article.url == "https://www.coastalcourier.example/news/ferry-strike-ends"
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Ferry crews in Port Selden returned to work")
    for furniture in ("cookies", "Most read", "Lighthouse reopens", "Copyright", "Subscribe", "Contact us"):
        assert furniture not in article.text
    assert article.title not in article.text  # the <h1> is not repeated as the first paragraph


# --------------------------------------------------------------------------- WARC


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, gz: bool) -> None:
    """A WARC with a request, each page as a 200 response, an image and a 404."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
        writer.write_record(writer.create_warc_record(pages[0][0], "request", http_headers=request))
        for uri, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(html), http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record("https://img.example/a.png", "response", payload=BytesIO(b"\x89PNG\r\n"), http_headers=image)
        )
        missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record("https://gone.example/", "response", payload=BytesIO(b"<html>gone</html>"), http_headers=missing)
        )


BARE_PAGE = (
    b"<html><head><title>Port Selden ferries back</title></head><body><article>"
    b"<p>Ferries in Port Selden ran to the normal timetable on Wednesday, a day after crews ended"
    b" a three-day strike over overtime pay, the operator said in a statement.</p>"
    b"<p>Commuters said the morning crossing was busier than usual as people who had stayed home"
    b" during the stoppage returned to their offices.</p></article></body></html>"
)


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_warc_reads_html_responses_only(tmp_path: Path, readers_dir: Path, suffix: str) -> None:
    page = (readers_dir / "page.html").read_bytes()
    target = tmp_path / f"crawl{suffix}"
    write_warc(target, [("https://www.coastalcourier.example/news/ferry-strike-ends", page),
                        ("https://gulfnews.com/world/ferries-back", BARE_PAGE)], gz=suffix.endswith(".gz"))
    if suffix.endswith(".gz"):
        with gzip.open(target) as unpacked:  # really gzip members, not a plain file renamed
            assert unpacked.read(8) == b"WARC/1.0"
    items = list(read_inputs(target))
    assert problems(items) == []  # the request, the image and the 404 are not articles nor problems
    courier, gulf = articles(items)
    assert courier.origin.record == "https://www.coastalcourier.example/news/ferry-strike-ends"
    assert courier.source == "Coastal Courier" and courier.title == "Harbour ferry strike ends after talks"
    # No site name in the page: the outlet comes from the known-host table, marked as inferred.
    assert gulf.source == "Gulf News" and gulf.source_inferred
    assert gulf.url == "https://gulfnews.com/world/ferries-back"
    assert gulf.text.startswith("Ferries in Port Selden ran to the normal timetable")


# --------------------------------------------------------------------------- feeds


def test_rss_entries_become_articles(readers_dir: Path) -> None:
    items = list(read_inputs(readers_dir / "feed.rss"))
    fire, reservoir = articles(items)
    assert fire.title == "Wildfire near Marlow contained"
    assert fire.source == "Hill Country Herald" and not fire.source_inferred
    assert fire.external_id == "hch-2023-0815-fire" and fire.origin.record == "hch-2023-0815-fire"
    assert fire.published == "2023-08-15T18:40:00+00:00"
    # content:encoded wins over the short description; its HTML is made plain text.
    assert fire.text == (
        "Firefighters said on Tuesday that the wildfire north of Marlow was fully contained after"
        " burning about 300 hectares of scrub.\n\nNo homes were lost, and the evacuation order for"
        " the valley road was lifted in the evening."
    )
    assert reservoir.text.startswith("The Marlow reservoir dropped to 41 percent") and "<p>" not in reservoir.text
    [empty] = problems(items)
    assert empty.kind == "missing_field" and "hch-2023-0817-empty" in empty.message


def test_atom_entry(readers_dir: Path) -> None:
    [entry] = list(read_inputs(readers_dir / "feed.atom"))
    assert isinstance(entry, Article)
    assert entry.title == "Ice closes the north shore path" and entry.source == "Lakeside Observer"
    assert entry.url == "https://lakesideobserver.example/2024/01/ice-path"
    assert entry.published == "2024-01-09T11:20:00+00:00"
    assert entry.text.split("\n\n")[1] == "It is expected to reopen once temperatures rise at the weekend."


# --------------------------------------------------------------------------- dispatch


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path, readers_dir: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deeper").mkdir(parents=True)
    shutil.copy(readers_dir / "bridge.txt", tmp_path / "b" / "2.txt")
    shutil.copy(readers_dir / "page.html", tmp_path / "a" / "deeper" / "1.html")
    shutil.copy(readers_dir / "feed.atom", tmp_path / "a" / "0.atom")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nNot read.")
    (tmp_path / "notes.md").write_text("# not an article")
    items = list(read_inputs(tmp_path))
    assert [Path(a.origin.path).name for a in articles(items)] == ["0.atom", "1.html", "2.txt"]
    [unsupported] = problems(items)
    assert unsupported.kind == "unsupported" and unsupported.path.endswith("notes.md")


def test_missing_path_and_failed_url_are_reported(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a local port with nothing listening: the fetch must fail
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story.html"
    missing, failed = list(read_inputs([tmp_path / "nope.txt", url]))
    assert missing.kind == "unreadable" and missing.path.endswith("nope.txt")
    assert failed.kind == "unreadable" and failed.path == url and "could not fetch" in failed.message


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Tuesday 13 December 2016 08:48 GMT", "2016-12-13T08:48:00+00:00"),
        ("December 13, 2016 at 3:20 pm", "2016-12-13T15:20:00"),
        ("Posted : May 24 , 2005", "2005-05-24"),  # PTB-tokenised dateline
        ("First Published : June 13 , 2013 4 : 59 PM EDT", "2013-06-13T16:59:00-04:00"),
        ("4 October 2013 , 18 : 07 ( GMT+05 : 00 )", "2013-10-04T18:07:00+05:00"),
        ("Tue, 15 Aug 2023 18:40:00 +0000", "2023-08-15T18:40:00+00:00"),
        ("Published: Updated:", None),
        ("2016", None),
        ("yesterday", None),
    ],
)
def test_normalize_date(raw: str, iso: str | None) -> None:
    assert normalize_date(raw) == iso


# --------------------------------------------------------------------------- language

@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The council said the old bridge would stay closed while engineers inspect the damage.", "en"),
        ("Le vieux pont de pierre a été fermé jeudi après que les eaux ont endommagé une de ses piles.", "fr"),
        ("Die alte Brücke wurde am Donnerstag gesperrt, nachdem das Hochwasser einen Pfeiler beschädigt hatte.", "de"),
        ("El viejo puente fue cerrado el jueves después de que la crecida dañara uno de sus pilares.", "es"),
        ("أغلق الجسر الحجري القديم يوم الخميس بعد أن ألحقت مياه الفيضان أضرارا بإحدى دعاماته", "ar"),
        ("Старый каменный мост через реку был закрыт в четверг после того, как паводок повредил опору.", "ru"),
        ("周四，河上的旧石桥在洪水损坏其中一个桥墩后被关闭。", "zh"),
        ("木曜日、洪水で橋脚の一つが損傷したため、川に架かる古い石橋が閉鎖された。", "ja"),
        ("Bridge shut", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_non_english_article_is_kept_and_reported(readers_dir: Path) -> None:
    article, warning = list(read_inputs(readers_dir / "french.txt"))
    assert isinstance(article, Article) and article.language == "fr"
    assert warning.kind == "non_english" and not warning.skipped and warning.path.endswith("french.txt")


# --------------------------------------------------------------------------- outlets


def seed_articles(seeds_dir: Path) -> dict[str, Article]:
    return {Path(a.origin.path).name[:3]: a for a in articles(read_inputs(sorted(seeds_dir.glob("*.txt"))))}


def test_outlets_inferred_from_seed_text(seeds_dir: Path) -> None:
    seeds = seed_articles(seeds_dir)
    found = {key: (a.source, a.source_inferred) for key, a in seeds.items()}
    assert found["001"] == ("Al Arabiya", True)  # "also available in Arabic at AlArabiya.Net"
    assert found["002"] == ("Middle East Monitor", True)  # its tagline
    assert found["003"] == ("The Independent", True)  # "The Independent has not been able to ..."
    # 004 names CNN only as a source ("told CNN", "CNN quoted") and never itself: no guess.
    assert found["004"] == (None, False)
    assert found["000"] == (None, False)


def test_outlet_evidence_kinds(seeds_dir: Path) -> None:
    seeds = seed_articles(seeds_dir)
    how = {k: (e.how if (e := outlet_evidence(a.title, a.text, None)) else None) for k, a in seeds.items()}
    assert how == {"000": None, "001": "site", "002": "tagline", "003": "self-reference", "004": None}


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Residents told CNN the road was closed. CNN quoted a local official.", None),
        ("Sources confirmed to Al Arabiya that the road was closed.", None),
        ("The road was closed.\nBy Jane Roe, Gulf News Correspondent", "Gulf News"),
        ("The road was closed.\nGulf News Report", "Gulf News"),
        ("The road was closed.\nReuters", None),  # a wire credit names the copy's origin
        ("Comments are open to all Guardian readers.", "The Guardian"),
        ("The Independent could not independently verify the claim.", "The Independent"),
        ("It was an independent inquiry, which has not been able to report yet.", None),
        ("Reuters has not been able to verify it. The Independent has not been able to either.", None),
    ],
)
def test_self_reference_patterns(text: str, outlet: str | None) -> None:
    assert infer_outlet("A headline", text, None) == outlet


def test_outlet_from_url_and_title() -> None:
    assert outlet_from_url("https://english.alarabiya.net/en/News/2016/12/12/x.html") == "Al Arabiya"
    assert outlet_from_url("https://news.sky.com/story/x") == "Sky News"
    assert outlet_from_url("https://www.example-news.co.uk/a/b") == "example-news.co.uk"
    assert outlet_from_url("http://10.0.0.1/x") is None
    assert infer_outlet("Bridge closes | The Guardian", "The bridge closed.", None) == "The Guardian"
    assert infer_outlet("Bridge closes - a long story", "The bridge closed.", None) is None
