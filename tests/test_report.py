"""Markdown and HTML reports: complete, readable, and inert whatever the inputs contain."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

from html.parser import HTMLParser

import pytest

from newsprism.brief import build_brief
from newsprism.records import InputProblem
from newsprism.report import md_escape, render_html, render_markdown, safe_url

import test_brief as tb

EVIL_TITLE = '<script>alert("t")</script> Ferry fire'
EVIL_SOURCE = "<img src=x onerror=alert(1)>"
EVIL_URL = "javascript:alert(document.cookie)"
EVIL_SENTENCE = (
    "Sources say the fire was set deliberately <script>alert(2)</script> [click](javascript:alert(3)) | x |."
)


def _result(evil: bool):
    articles = {a.id: a for a in tb.ARTICLES}
    analyses = dict(tb.ANALYSES)
    if evil:
        a4 = articles["a4"]
        articles["a4"] = dataclasses.replace(a4, title=EVIL_TITLE, source=EVIL_SOURCE, url=EVIL_URL)
        analysis = analyses["a4"]
        sentences = list(analysis.sentences)
        sentences[1] = dataclasses.replace(sentences[1], text=EVIL_SENTENCE)
        analyses["a4"] = dataclasses.replace(analysis, sentences=sentences)
        # an evil quote and an evil fact carried by trusted outlets, so they reach the brief
        a1 = articles["a1"]
        articles["a1"] = dataclasses.replace(a1, title="Fire <b onmouseover=alert(4)>aboard</b>")
    brief = build_brief(tb.EVENT, articles, analyses, tb.VERIFICATION, tb.DEDUP)
    if evil:
        brief.key_facts[0]["text"] = '<img src=x onerror="alert(5)"> ' + brief.key_facts[0]["text"]
        brief.quotes[0].text = "</blockquote><script>alert(6)</script>"
        brief.quotes[0].speaker = "[x](javascript:alert(7))"
        brief.summary[0].text = "<iframe src=//evil.example></iframe> " + brief.summary[0].text
    return SimpleNamespace(
        articles=articles,
        analyses=analyses,
        events=[tb.EVENT],
        verifications={tb.EVENT.id: tb.VERIFICATION},
        briefs={tb.EVENT.id: brief},
        dedup=tb.DEDUP,
        problems=[InputProblem(path="<script>bad.txt", kind="malformed", message="line <b>1</b>")],
    )


@pytest.fixture(scope="module")
def clean():
    return _result(evil=False)


@pytest.fixture(scope="module")
def evil():
    return _result(evil=True)


def test_html_shows_every_section(clean):
    html = render_html(clean)
    for heading in ("Summary", "Brief", "Key facts", "Disputed figures", "Timeline", "Who said what",
                    "Coverage by outlet", "Reports that stand apart", "Articles"):
        assert f">{heading}<" in html, heading
    assert "Ferry fire off Valmo" in html
    assert "more than 400" in html and "Truth Beacon" in html  # the conflict, side by side
    assert "stands apart" in html and "set deliberately" in html  # the flagged article and why
    assert "2025-03-10" in html
    assert "Ilse Brandt" in html
    # citations link to the article list of the event
    assert re.search(r'<a href="#e1-a\d" title="[^"]+">\[\d\]</a>', html)
    assert 'id="e1-a1"' in html
    assert '<a href="https://coastherald.example/a1" rel="noopener noreferrer nofollow">' in html


def test_html_is_self_contained(clean):
    html = render_html(clean)
    assert "Content-Security-Policy" in html and "script-src 'none'" in html
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"\ssrc=", html)
    assert "<style>" in html


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_html_neutralises_hostile_inputs(evil):
    html = render_html(evil)
    parser = _Tags()
    parser.feed(html)
    allowed = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "nav", "ol",
               "ul", "li", "a", "section", "sup", "table", "tr", "th", "td", "span", "strong", "blockquote",
               "footer", "div"}
    assert {t for t, _ in parser.tags} <= allowed
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value.startswith(("#", "http://", "https://")), value
                assert "javascript" not in value.lower()
    # the hostile text is still there for the reader, escaped
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "unsafe link not shown as a link: javascript:alert(document.cookie)" in html
    assert "&lt;/blockquote&gt;" in html
    assert "&lt;script&gt;bad.txt" in html  # input problems are escaped too


def test_markdown_shows_every_section(clean):
    md = render_markdown(clean)
    for heading in ("### Brief", "### Key facts", "### Disputed figures", "### Timeline", "### Who said what",
                    "### Coverage by outlet", "### Reports that stand apart", "### Articles"):
        assert heading in md, heading
    assert "**Summary.**" in md
    assert "[Ferry fire off Valmo]" not in md  # the event title is a heading, not a link
    assert "](https://coastherald.example/a1)" in md
    # the key-facts table keeps its shape: every row has as many cell separators as the header
    table = md.split("### Key facts")[1].split("###")[0]
    rows = [line for line in table.splitlines() if line.startswith("|")]
    counts = {len(re.findall(r"(?<!\\)\|", line)) for line in rows}
    assert counts == {5}


def test_markdown_neutralises_hostile_inputs(evil):
    md = render_markdown(evil)
    assert not re.search(r"<(script|img|iframe|b)\b", md, re.I)
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no live link to javascript:
    assert "\\[x\\](javascript:alert(7))" in md
    assert "\\[click\\](javascript:alert(3))" in md  # shown literally, not as a link
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in md
    assert "EVIL" not in md
    # table cells stay cells: a "|" from the inputs is escaped
    for line in md.splitlines():
        if line.startswith("|") and "set deliberately" in line:
            assert "\\| x \\|" in line
    # every line from the inputs stays on its line: no heading or list injected
    assert not re.search(r"^#+ .*alert", md, re.M)


def test_md_escape_and_safe_url_units():
    assert md_escape("*a* _b_ `c` [d](e) <f> & g|h") == "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) &lt;f&gt; &amp; g\\|h"
    assert md_escape("# not a heading\n- nor a list") == "\\# not a heading - nor a list"
    assert md_escape("1. not a list") == "1\\. not a list"
    assert safe_url("https://example.com/a?b=c") == "https://example.com/a?b=c"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil.example",
                'https://e.com/" onmouseover="x', "http://e.com/a b", "vbscript:x", None, 42):
        assert safe_url(bad) is None, bad


def test_reports_render_without_briefs_or_verifications():
    bare = SimpleNamespace(articles={a.id: a for a in tb.ARTICLES}, events=[tb.EVENT], verifications={}, briefs={})
    assert "Ferry fire off Valmo" in render_html(bare)
    assert "Ferry fire off Valmo" in render_markdown(bare)
