"""Boilerplate removal: the seeds' listed boilerplate goes, every real sentence stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsprism.clean import BoilerplateCleaner, CleanSettings, clean_articles, ends_sentence, rule_reason
from newsprism.ids import article_id
from newsprism.readers import read_inputs
from newsprism.records import Article, Origin

# --------------------------------------------------------------------------- the seeds


def expected_boilerplate(seeds_dir: Path) -> list[tuple[str, bool]]:
    """(text, is_prefix) pairs quoted in EXPECTED.md's boilerplate section ("…" marks a prefix)."""
    doc = (seeds_dir / "EXPECTED.md").read_text()
    section = doc.split("## Boilerplate that must not reach the analysis", 1)[1].split("\n## ", 1)[0]
    quoted = [" ".join(q.split()) for q in re.findall(r'"([^"]+)"', section)]
    assert len(quoted) >= 8, "EXPECTED.md's boilerplate list changed shape"
    return [(q.rstrip("…"), q.endswith("…")) for q in quoted]


def _norm(text: str) -> str:
    return " ".join(text.split()).lstrip("*")


def is_listed(line: str, listed: list[tuple[str, bool]]) -> bool:
    """Short items ("clear") must be the whole line; longer ones may be quoted cut short."""
    line = _norm(line)
    return any(
        line.startswith(_norm(text)) if prefix or len(text.split()) >= 3 else line == _norm(text)
        for text, prefix in listed
    )


def raw_lines(article: Article) -> list[str]:
    return [_norm(line) for line in article.text.splitlines() if line.strip()]


def is_real_sentence(line: str) -> bool:
    """A line of reporting: ends like a sentence, or is long enough to be prose (a standfirst)."""
    return ends_sentence(line) or len(line.split()) >= 12


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, tuple[Article, Article]]:
    raw = [a for a in read_inputs(sorted(seeds_dir.glob("*.txt"))) if isinstance(a, Article)]
    assert len(raw) == 5
    cleaned = clean_articles(raw)
    return {Path(a.origin.path).name[:3]: (a, c) for a, c in zip(raw, cleaned)}


def cleaned_lines(article: Article) -> list[str]:
    return [_norm(article.title), *(_norm(line) for line in article.text.splitlines() if line.strip())]


def test_listed_boilerplate_is_gone(seeds, seeds_dir: Path) -> None:
    listed = expected_boilerplate(seeds_dir)
    for key, (_, cleaned) in seeds.items():
        for line in cleaned_lines(cleaned):
            assert not is_listed(line, listed), f"{key}: boilerplate survived: {line!r}"
    removed = [line for _, cleaned in seeds.values() for line in cleaned.removed]
    for text, _ in listed:  # and each listed item was found and removed somewhere
        assert any(_norm(r).startswith(_norm(text)) for r in removed), text


def test_every_real_sentence_survives(seeds, seeds_dir: Path) -> None:
    listed = expected_boilerplate(seeds_dir)
    total = 0
    for key, (raw, cleaned) in seeds.items():
        real = [line for line in raw_lines(raw) if is_real_sentence(line) and not is_listed(line, listed)]
        kept = set(cleaned_lines(cleaned))
        lost = [line for line in real if line not in kept]
        assert lost == [], f"{key} lost real sentences: {lost}"
        total += len(real)
    assert total >= 90  # the seeds' body lines, so the check above has something to check


def test_only_boilerplate_and_date_stamps_are_removed(seeds, seeds_dir: Path) -> None:
    listed = expected_boilerplate(seeds_dir)
    counts = {key: len(cleaned.removed) for key, (_, cleaned) in seeds.items()}
    assert counts == {"000": 0, "001": 2, "002": 3, "003": 7, "004": 0}
    for _, cleaned in seeds.values():
        for line in cleaned.removed:
            assert is_listed(line, listed) or not is_real_sentence(line), line


def test_related_link_goes_but_section_headings_and_standfirsts_stay(seeds) -> None:
    raw_001, clean_001 = seeds["001"]
    raw_003, clean_003 = seeds["003"]
    reasons = {r.line: r.reason for r in BoilerplateCleaner().explain(raw_003)}
    assert "related-link" in reasons.values()
    # 001's section headings ("Civilian Evacuation") are echoed by the paragraph they introduce.
    headings = [line for line in raw_lines(raw_001) if len(line.split()) <= 4 and not ends_sentence(line)]
    assert len(headings) == 3 and all(h in cleaned_lines(clean_001) for h in headings)
    # Standfirsts: the long unpunctuated line right under each title is kept, first.
    for raw, cleaned in (seeds["001"], seeds["003"]):
        assert _norm(cleaned.text.split("\n\n")[0]) == raw_lines(raw)[0]


def test_boilerplate_title_gives_way_to_the_headline(seeds) -> None:
    raw, cleaned = seeds["002"]
    assert raw.title == "clear"  # what the reader saw as the first line
    headline = next(line for line in raw_lines(raw) if len(line.split()) > 6)
    assert cleaned.title == headline and headline not in cleaned.text
    assert cleaned.removed[0] == "clear"


def test_date_stamp_fills_published(seeds) -> None:
    assert seeds["002"][1].published == "2016-12-13T15:20:00"
    assert seeds["003"][1].published == "2016-12-13T08:48:00+00:00"
    assert seeds["001"][1].published is None  # "Published: Updated:" carries no date


def test_paragraph_breaks_and_identity_are_kept(seeds) -> None:
    for raw, cleaned in seeds.values():
        assert cleaned is not raw and cleaned.id == raw.id and cleaned.source == raw.source
        assert "\n\n" in cleaned.text and "\n\n\n" not in cleaned.text
        assert raw.removed == []  # the input article is not modified


def test_cleaning_is_idempotent(seeds) -> None:
    once = [cleaned for _, cleaned in seeds.values()]
    twice = clean_articles(once)
    assert [(a.title, a.text) for a in twice] == [(a.title, a.text) for a in once]
    assert [a.removed for a in twice] == [a.removed for a in once]


# --------------------------------------------------------------------------- rules on fictional text


def make(text: str, title: str = "Bridge reopens", source: str | None = "Valley Dispatch") -> Article:
    return Article(id=article_id(title, text, source), title=title, text=text, origin=Origin("mem"), source=source)


BODY_A = "The Alder bridge reopened on Monday after three weeks of repairs, the council said."
BODY_B = "Engineers replaced two damaged piers and resurfaced the deck, officials added in a statement."


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share this article", "furniture"),
        ("Sign up for our morning newsletter", "furniture"),
        ("We use cookies to improve your experience on our site", "furniture"),
        ("Advertisement", "debris"),
        ("READ MORE: Mayor defends bridge budget", "furniture"),
        ("Photo: Workers on the bridge deck", "caption"),
        ("Last updated: 14 March 2021, 10:02 BST", "stamp"),
        ("Published: Updated:", "stamp"),
        ("Posted on 2021-03-14 at 10:02", "stamp"),
        ("Join the conversation", "widget"),
        ("Please refresh your browser to continue", "widget"),
        ("This story is also available in French", "site-pointer"),
        ("By Mara Lindqvist, Valley Correspondent", "byline"),
        ("Copyright 2021 Valley Dispatch", "furniture"),
        (BODY_A, None),
        ("Video of the reopening was shared widely on social media, the council said.", None),
        ("On Monday, 14 March, the bridge reopened to traffic at 10am.", None),
        ("Share prices in the construction firm rose 4 percent on the news.", None),
    ],
)
def test_rules(line: str, reason: str | None) -> None:
    assert rule_reason(line) == reason


def test_headline_between_paragraphs_that_the_next_does_not_follow_is_a_link() -> None:
    text = "\n\n".join([BODY_A, "Flood warnings issued for three northern valleys", BODY_B])
    cleaned = BoilerplateCleaner().transform(make(text))
    assert cleaned.text == f"{BODY_A}\n\n{BODY_B}"
    assert cleaned.removed == ["Flood warnings issued for three northern valleys"]


def test_heading_echoed_by_its_paragraph_is_kept() -> None:
    text = "\n\n".join([BODY_A, "Damaged piers replaced", BODY_B])
    assert BoilerplateCleaner().transform(make(text)).removed == []


def test_recurring_lines_of_one_outlet_are_learned() -> None:
    footer = "Reporting by the Valley Dispatch river desk"
    about = "The Valley Dispatch is an independent newspaper serving the Alder valley since 1921."
    background = "The bridge carries about 12,000 vehicles a day between the two halves of the town."
    stories = [
        f"{BODY_A}\n\n{background}\n\n{footer}\n\n{about}",
        f"Traffic returned to the bridge slowly on Tuesday morning.\n\n{background}\n\n{footer}\n\n{about}",
        f"Shops near the bridge reported more customers this week.\n\n{footer}\n\n{about}",
    ]
    valley = [make(text, title=f"Story {i}") for i, text in enumerate(stories)]
    other = make(f"{BODY_B}\n\n{footer}", source="Hill Country Herald")
    cleaner = BoilerplateCleaner().fit([*valley, other])
    cleaned = [cleaner.transform(a) for a in valley]
    for article in cleaned:
        assert footer not in article.text and about not in article.text
        assert set(article.removed) == {footer, about}
    # A real sentence in two of three stories is the outlet's background, not its template.
    assert background in cleaned[0].text and background in cleaned[1].text
    # The same line under another outlet is that outlet's text.
    assert footer in cleaner.transform(other).text


def test_exact_copies_do_not_make_every_line_recurring() -> None:
    story = make(f"{BODY_A}\n\nShort line here\n\n{BODY_B}")
    copy = make(story.text)
    assert [a.removed for a in clean_articles([story, copy])] == [[], []]


def test_recurrence_thresholds_are_settings() -> None:
    stories = [make(f"{BODY_A}\n\nRiver desk", title="Bridge opens"), make(f"{BODY_B}\n\nRiver desk", title="Piers fixed")]
    strict = CleanSettings(recurrence_min_articles=3)
    assert [a.removed for a in clean_articles(stories, strict)] == [[], []]
    assert [a.removed for a in clean_articles(stories)] == [["River desk"], ["River desk"]]


# --------------------------------------------------------------------------- tokenised research text


def test_ptb_tokenised_text_is_detokenised(fixtures_dir: Path) -> None:
    [*_, ecb] = [a for a in read_inputs(fixtures_dir / "readers" / "articles.jsonl") if isinstance(a, Article)]
    cleaned = BoilerplateCleaner().transform(ecb)
    assert cleaned.text == (
        "The council said the bridge would stay closed for weeks.\n"
        "Engineers don't expect to finish the inspection before Friday."
    )


def test_ecbplus_dev_keeps_its_sentences(seeds_dir: Path) -> None:
    """On 535 real ECB+ documents only date stamps and debris may go, never a sentence."""
    path = seeds_dir.parent / "data" / "ecbplus-dev.jsonl"
    raw = [a for a in read_inputs(path) if isinstance(a, Article)]
    cleaned = clean_articles(raw)
    removed = [line for a in cleaned for line in a.removed]
    assert len(removed) < len(raw) * 0.1
    assert not [line for line in removed if ends_sentence(line) and len(line.split()) >= 6]
    tokenised = sum(" , " in a.text for a in raw)
    assert tokenised > 400 and sum(" , " in a.text for a in cleaned) == 0
