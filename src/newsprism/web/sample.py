"""A small hand-built store for the web tests, the load test and screenshots.

Two fictional events, records built by hand (no spaCy, no pipeline): a flood in a river town
reported by three outlets, with every sentence label, a disputed figure, a near-duplicate and a
shared passage; and a one-article event on another day. ``hostile=True`` adds an article whose
title, outlet, URL, text and quotes are HTML/JS injection attempts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..ids import article_id, event_id
from ..records import (
    Article,
    ArticleAnalysis,
    ArticleVerdict,
    Attribution,
    Brief,
    BriefSentence,
    Citation,
    Conflict,
    DedupResult,
    DuplicateLink,
    Event,
    EventVerification,
    FigureVariant,
    Origin,
    Quote,
    SentenceInfo,
    SentenceRef,
    SentenceVerdict,
    SharedPassage,
)

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_LINK = "javascript:alert(1)"


@dataclass
class SampleData:
    articles: list[Article] = field(default_factory=list)
    analyses: dict[str, ArticleAnalysis] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    verifications: dict[str, EventVerification] = field(default_factory=dict)
    briefs: dict[str, Brief] = field(default_factory=dict)
    dedup: DedupResult = field(default_factory=DedupResult)
    ids: dict[str, str] = field(default_factory=dict)  # short name -> article id


def _article(name: str, title: str, paragraphs: list[list[str]], source: str, url: str | None,
             published: str, removed: list[str] | None = None) -> tuple[Article, ArticleAnalysis]:
    text_parts, sentences, pos, index = [], [], 0, 0
    for p_no, para in enumerate(paragraphs):
        if p_no:
            text_parts.append("\n\n")
            pos += 2
        for s_no, sent in enumerate(para):
            if s_no:
                text_parts.append(" ")
                pos += 1
            sentences.append(SentenceInfo(index=index, text=sent, start=pos, end=pos + len(sent), paragraph=p_no))
            text_parts.append(sent)
            pos += len(sent)
            index += 1
    text = "".join(text_parts)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    aid = article_id(title, text, source, url)
    article = Article(
        id=aid, title=title, text=text, origin=Origin(path=f"sample/{name}.jsonl", line=1),
        source=source, url=url, published=published, language="en", removed=list(removed or []),
    )
    return article, ArticleAnalysis(article_id=aid, sentences=sentences, language="en", model="sample")


def build_sample(*, hostile: bool = False) -> SampleData:
    data = SampleData()
    a, aa = _article(
        "planet",
        "River bursts its banks in Lowmoor, thousands evacuated",
        [
            [
                "The river Lowe burst its banks in Lowmoor on Tuesday, flooding the town centre.",
                "About 3,000 residents were evacuated overnight, the mayor said.",
            ],
            [
                "Emergency services rescued a family of four from a roof on Mill Street.",
                "The council has failed the town again with its useless flood defences.",
            ],
        ],
        "Daily Planet", "https://planet.example/lowmoor-flood", "2024-03-05T08:00:00Z",
        removed=["Subscribe to our newsletter", "Share this article"],
    )
    b, ba = _article(
        "wire",
        "Flooding forces evacuation of Lowmoor",
        [
            [
                "The river Lowe burst its banks in Lowmoor on Tuesday, flooding the town centre.",
                "Some 5,000 people were moved to shelters, according to the fire service.",
            ],
            ["A family of four was rescued from a roof on Mill Street by emergency crews."],
        ],
        "Wire Service", "http://wire.example/a/123", "2024-03-05T10:30:00Z",
        removed=["Advertisement"],
    )
    c, ca = _article(
        "rumour",
        "Lowmoor flood: dam sabotage suspected",
        [
            [
                "The river Lowe burst its banks in Lowmoor on Tuesday, flooding the town centre.",
                "Insiders say the upstream dam was sabotaged by foreign agents.",
            ]
        ],
        "Rumour Mill", "ftp://rumour.example/flood", "2024-03-06",
    )
    d, da = _article(
        "harbour",
        "Harbour festival draws record crowds",
        [["The Eastport harbour festival drew a record 40,000 visitors on Saturday."]],
        "Coast Gazette", "https://gazette.example/festival", "2024-04-13",
    )
    data.articles = [a, b, c, d]
    data.analyses = {x.article_id: x for x in (aa, ba, ca, da)}
    data.ids = {"planet": a.id, "wire": b.id, "rumour": c.id, "harbour": d.id}
    for analysis in (aa, ba):
        analysis.sentences[1].attribution = Attribution(
            speaker="the mayor" if analysis is aa else "the fire service", kind="said"
        )

    flood = Event(id=event_id([a.id, b.id, c.id]), article_ids=[a.id, b.id, c.id], title="Lowmoor flood")
    fest = Event(id=event_id([d.id]), article_ids=[d.id], title="Eastport harbour festival")
    data.events = [flood, fest]

    R = SentenceRef
    data.verifications[flood.id] = EventVerification(
        event_id=flood.id,
        articles=[
            ArticleVerdict(
                article_id=a.id, suspicion=0.22, reasons=["one loaded sentence"],
                opinion_share=0.25, support_share=0.5,
                sentences=[
                    SentenceVerdict(0, "corroborated", 0.0, support=[R(b.id, 0), R(c.id, 0)], independent_outlets=2),
                    SentenceVerdict(1, "conflicting", 0.3, conflicts_with=[R(b.id, 1)],
                                    reasons=["3,000 evacuated vs 5,000 (Wire Service)"]),
                    SentenceVerdict(2, "corroborated", 0.0, support=[R(b.id, 2)], independent_outlets=1),
                    SentenceVerdict(3, "opinion", 0.4, opinion=True, loaded=True, reasons=["loaded: useless"]),
                ],
            ),
            ArticleVerdict(
                article_id=b.id, suspicion=0.08, support_share=0.67,
                sentences=[
                    SentenceVerdict(0, "corroborated", 0.0, support=[R(a.id, 0), R(c.id, 0)], independent_outlets=2),
                    SentenceVerdict(1, "conflicting", 0.25, conflicts_with=[R(a.id, 1)]),
                    SentenceVerdict(2, "corroborated", 0.0, support=[R(a.id, 2)], independent_outlets=1),
                ],
            ),
            ArticleVerdict(
                article_id=c.id, suspicion=0.81, reasons=["unsupported claim of sabotage"],
                sentences=[
                    SentenceVerdict(0, "corroborated", 0.0, support=[R(a.id, 0)], independent_outlets=1),
                    SentenceVerdict(1, "unsupported", 0.8, reasons=["no other outlet reports sabotage"]),
                ],
            ),
        ],
        conflicts=[
            Conflict(
                topic="residents evacuated", unit="resident",
                variants=(
                    FigureVariant("About 3,000", "3000 resident (~)", (a.id,), ("Daily Planet",), ("the mayor",), (R(a.id, 1),)),
                    FigureVariant("Some 5,000", "5000 person (~)", (b.id,), ("Wire Service",), ("the fire service",), (R(b.id, 1),)),
                ),
            )
        ],
    )
    data.verifications[fest.id] = EventVerification(
        event_id=fest.id,
        articles=[ArticleVerdict(article_id=d.id, suspicion=0.1, sentences=[SentenceVerdict(0, "single-source", 0.05)])],
    )
    cite = Citation
    data.briefs[flood.id] = Brief(
        event_id=flood.id,
        summary=[BriefSentence("The river Lowe flooded the centre of Lowmoor on Tuesday; thousands were evacuated.",
                               [cite(a.id, "Daily Planet", 0), cite(b.id, "Wire Service", 0)])],
        brief=[BriefSentence("A family of four was rescued from a roof on Mill Street.",
                             [cite(a.id, "Daily Planet", 2), cite(b.id, "Wire Service", 2)])],
        key_facts=[
            {"id": "F1", "text": "The river Lowe burst its banks in Lowmoor on Tuesday.", "corroboration": 3,
             "label": "corroborated", "outlets": ["Daily Planet", "Wire Service", "Rumour Mill"],
             "articles": [a.id, b.id, c.id], "citations": [{"article": a.id, "outlet": "Daily Planet", "index": 0}]},
            {"id": "F2", "text": "A family of four was rescued from a roof on Mill Street.", "corroboration": 2,
             "label": "corroborated", "outlets": ["Daily Planet", "Wire Service"], "articles": [a.id, b.id],
             "citations": [{"article": b.id, "outlet": "Wire Service", "index": 2}]},
        ],
        timeline=[BriefSentence("The river Lowe burst its banks.", [cite(a.id, "Daily Planet", 0)], date="2024-03-05")],
        quotes=[Quote("the mayor", "mayor of Lowmoor", "About 3,000 residents were evacuated overnight",
                      ["Daily Planet"], [a.id])],
        standing_apart=[{"article": c.id, "outlet": "Rumour Mill", "title": c.title, "suspicion": 0.81,
                         "reasons": ["unsupported claim of sabotage"],
                         "sentences": [{"index": 1, "text": ca.sentences[1].text, "label": "unsupported"}]}],
    )
    data.briefs[fest.id] = Brief(
        event_id=fest.id,
        summary=[BriefSentence("Eastport's harbour festival drew a record 40,000 visitors.", [cite(d.id, "Coast Gazette", 0)])],
    )
    passage = aa.sentences[0].text
    data.dedup = DedupResult(
        links=[DuplicateLink(copy=c.id, original=a.id, kind="near", similarity=0.62)],
        passages=[SharedPassage(a.id, c.id, passage, 0, len(passage), 0, len(passage), 1.0)],
    )
    if hostile:
        _add_hostile(data)
    return data


def _add_hostile(data: SampleData) -> None:
    evil = f"{XSS_SCRIPT} {XSS_IMG} <a href=\"{XSS_LINK}\">click</a>"
    h, ha = _article(
        "hostile",
        f"Breaking {XSS_SCRIPT}{XSS_IMG}",
        [[f"Officials said {XSS_SCRIPT} the figure is {XSS_IMG} final.", f"See <a href=\"{XSS_LINK}\">this</a> now."]],
        f"Evil {XSS_IMG} News", XSS_LINK, "2024-05-01", removed=[evil],
    )
    data.articles.append(h)
    data.analyses[h.id] = ha
    data.ids["hostile"] = h.id
    ev = Event(id=event_id([h.id]), article_ids=[h.id], title=f"Event {XSS_SCRIPT}")
    data.events.append(ev)
    R = SentenceRef
    data.verifications[ev.id] = EventVerification(
        event_id=ev.id,
        articles=[ArticleVerdict(article_id=h.id, suspicion=0.9, reasons=[f"reason {XSS_IMG}"], sentences=[
            SentenceVerdict(0, "unsupported", 0.9, reasons=[XSS_SCRIPT]),
            SentenceVerdict(1, "single-source", 0.1, support=[R(h.id, 0)]),
        ])],
        conflicts=[Conflict(topic=f"topic {XSS_SCRIPT}", unit=XSS_IMG, variants=(
            FigureVariant(XSS_IMG, "1", (h.id,), (f"Evil {XSS_IMG}",), (XSS_SCRIPT,), (R(h.id, 0),)),
            FigureVariant(XSS_LINK, "2", (h.id,), ("x",), (), (R(h.id, 1),)),
        ))],
    )
    data.briefs[ev.id] = Brief(
        event_id=ev.id,
        summary=[BriefSentence(f"Summary {XSS_SCRIPT} {XSS_IMG}", [Citation(h.id, f"Evil {XSS_IMG}", 0)])],
        key_facts=[{"text": f"fact {XSS_IMG}", "corroboration": 1, "outlets": [f"o {XSS_SCRIPT}"], "citations": []}],
        timeline=[BriefSentence(f"then {XSS_SCRIPT}", [], date=XSS_IMG)],
        quotes=[Quote(f"speaker {XSS_IMG}", XSS_SCRIPT, f"quote {XSS_SCRIPT} {XSS_IMG} {XSS_LINK}",
                      [f"Evil {XSS_IMG}"], [h.id], variants=[XSS_IMG])],
        standing_apart=[{"article": h.id, "title": XSS_SCRIPT, "outlet": XSS_IMG, "reasons": [XSS_SCRIPT]}],
    )


def fill_store(store: Any, data: SampleData) -> None:
    """Write ``data`` into a ``newsprism.store.Store`` through its public methods, in one transaction."""
    with store.transaction():
        store.add_articles(data.articles)
        store.save_analyses(list(data.analyses.values()))
        store.save_dedup(data.dedup)
        store.save_events(data.events)
        for ev in data.events:
            store.save_verification(data.verifications[ev.id])
            store.save_brief(data.briefs[ev.id])
