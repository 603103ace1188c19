"""Alignment on hand-built records (no spaCy needed)."""

from __future__ import annotations

import re

from newsprism.align import align_event, figure_class, figure_interval, independence_keys, overlaps
from newsprism.records import (
    Article,
    ArticleAnalysis,
    Attribution,
    DedupResult,
    DuplicateLink,
    Origin,
    Quantity,
    SentenceInfo,
    SentenceRef,
    SharedPassage,
)
from newsprism.verify import VerifySettings

_STOP = {"the", "a", "an", "of", "in", "on", "and", "to", "by", "was", "were", "is", "are", "has", "have",
         "had", "been", "said", "at", "for", "with", "that", "it", "from", "who", "as", "not", "its"}


def sent(index, text, *, ents=(), qty=(), speaker=None, quotes=(), negated=False, question=False,
         loaded=(), subjectivity=0.0, dates=()):
    lemmas = [w.lower().rstrip("s") if len(w) > 4 else w.lower()
              for w in re.findall(r"[A-Za-z][A-Za-z\-]+", text) if w.lower() not in _STOP]
    quantities = []
    for q in qty:
        value, unit, qualifier = q[:3]
        surface = q[3] if len(q) > 3 else str(value)
        start = text.find(surface)
        quantities.append(Quantity(text=surface, value=value, unit=unit, qualifier=qualifier,
                                   char_start=max(0, start), char_end=max(0, start) + len(surface)))
    attribution = Attribution(speaker=speaker, kind="said", verb="said", quoted=bool(quotes)) if speaker else None
    return SentenceInfo(index=index, text=text, start=0, end=len(text), lemmas=lemmas, entities=list(ents),
                        quantities=quantities, dates=list(dates), attribution=attribution, quotes=list(quotes),
                        negated=negated, question=question, loaded_terms=list(loaded), subjectivity=subjectivity)


def make(article_id, source, sentences):
    text, infos, pos = "", [], 0
    for s in sentences:
        s.start, s.end = pos, pos + len(s.text)
        text += s.text + " "
        pos = len(text)
        infos.append(s)
    article = Article(id=article_id, title="", text=text.strip(), origin=Origin(f"{article_id}.txt"), source=source)
    return article, ArticleAnalysis(article_id=article_id, sentences=infos)


def event_of(*pairs):
    articles = [a for a, _ in pairs]
    analyses = {an.article_id: an for _, an in pairs}
    return articles, analyses


def test_same_fact_aligns_and_unrelated_does_not():
    a = make("a", "Outlet A", [
        sent(0, "Government forces retook the district of Fardous in east Aleppo on Monday.",
             ents=[("Fardous", "GPE"), ("Aleppo", "GPE")]),
        sent(1, "The weather in the capital was mild and dry.", ents=[]),
    ])
    b = make("b", "Outlet B", [
        sent(0, "The Fardous district of east Aleppo was retaken by government forces.",
             ents=[("Fardous", "GPE"), ("Aleppo", "GPE")]),
        sent(1, "Markets in Tokyo closed higher on strong export figures.", ents=[("Tokyo", "GPE")]),
    ])
    articles, analyses = event_of(a, b)
    settings = VerifySettings()
    al = align_event(articles, analyses, None, settings)
    best = al.matches[SentenceRef("a", 0)][0]
    assert best.target == SentenceRef("b", 0)
    assert best.score >= settings.support_threshold
    assert "fardous" in best.shared_entities
    assert all(m.score < settings.support_threshold for m in al.matches[SentenceRef("a", 1)])


def test_copy_counts_with_its_original():
    articles = [
        Article(id="x", title="", text="t", origin=Origin("x"), source="Wire"),
        Article(id="y", title="", text="t", origin=Origin("y"), source="Aggregator"),
        Article(id="z", title="", text="t", origin=Origin("z"), source=None),
    ]
    dedup = DedupResult(links=[DuplicateLink(copy="y", original="x", kind="near", similarity=0.9)])
    outlet, source = independence_keys(articles, dedup)
    assert outlet == {"x": "Wire", "y": "Aggregator", "z": "z"}
    assert source["y"] == source["x"] == "Wire"
    assert source["z"] == "z"


def test_same_quoted_statement_and_shared_passage_are_flagged():
    quote = "The regime has been trying to kill us for five years, please do not give them this chance"
    a = make("a", "A", [sent(0, f"\u201c{quote}\u201d the group said.", speaker="the group", quotes=[quote])])
    b = make("b", "B", [sent(0, f"\u201c{quote}\u201d, the White Helmets wrote on Twitter.",
                             speaker="the White Helmets", quotes=[quote], ents=[("the White Helmets", "ORG")])])
    articles, analyses = event_of(a, b)
    na = analyses["a"].sentences[0]
    nb = analyses["b"].sentences[0]
    dedup = DedupResult(passages=[SharedPassage("a", "b", quote, na.start, na.end, nb.start, nb.end, 1.0)])
    al = align_event(articles, analyses, dedup, VerifySettings())
    m = al.matches[SentenceRef("a", 0)][0]
    assert m.same_statement and m.shared_passage
    assert m.score >= 1.0


def test_figures_intervals_and_kill_cue():
    s = VerifySettings()
    at_least = Quantity("at least 79", 79, "civilian", "at_least", 79, float("inf"))
    nearly = Quantity("nearly two hundred", 200, "execution", "nearly", 180, 200)
    more_than = Quantity("more than 180", 180, "people", "more_than", 180, float("inf"))
    i79 = figure_interval(at_least, approx=s.approx_tolerance, open_slack=s.open_bound_slack)
    i200 = figure_interval(nearly, approx=s.approx_tolerance, open_slack=s.open_bound_slack)
    i180 = figure_interval(more_than, approx=s.approx_tolerance, open_slack=s.open_bound_slack)
    assert i79 == (79, 79 * 1.2)
    assert not overlaps(i79, i200)
    assert overlaps(i180, i200)
    text = "Lina said more than 180 people have been executed in the field."
    q = Quantity("more than 180 people", 180, "people", "more_than", char_start=text.find("more"),
                 char_end=text.find("people") + 6)
    assert figure_class(q, text) == "killed"
    text2 = "More than 50,000 civilians who rebelled are threatened with field executions."
    q2 = Quantity("More than 50,000 civilians", 50000, "civilian", "more_than", char_start=0, char_end=26)
    assert figure_class(q2, text2) == "people"


def test_polarity_and_swapped_actor_are_recorded():
    base = "Police arrested the suspect, a 24-year-old man from Ohio, at his home in Dayton on Friday."
    others = [
        make(f"o{i}", f"Outlet {i}", [sent(0, base, ents=[("Ohio", "GPE"), ("Dayton", "GPE")], dates=["Friday"])])
        for i in range(2)
    ]
    swapped = make("s", "Swap", [sent(0, base.replace("Dayton", "Marseille"),
                                      ents=[("Ohio", "GPE"), ("Marseille", "GPE")], dates=["Friday"])])
    negated = make("n", "Neg", [sent(0, base.replace("arrested", "did not arrest"),
                                     ents=[("Ohio", "GPE"), ("Dayton", "GPE")], dates=["Friday"], negated=True)])
    articles, analyses = event_of(*others, swapped, negated)
    al = align_event(articles, analyses, None, VerifySettings())
    sw = {m.target.article: m for m in al.matches[SentenceRef("s", 0)]}
    assert sw["o0"].swapped_entities == ("marseille",)
    neg = {m.target.article: m for m in al.matches[SentenceRef("n", 0)]}
    assert neg["o0"].polarity_differs and not neg["o0"].swapped_entities
    assert not any(m.polarity_differs or m.swapped_entities for m in al.matches[SentenceRef("o0", 0)]
                   if m.target.article == "o1")


def test_context_metrics_single_out_a_sentence_written_in_from_elsewhere():
    from newsprism.align import align_event
    from newsprism.records import SentenceRef
    from newsprism.verify import VerifySettings

    fire = [("Dayton", "GPE")]
    a = make("a", "Wire", [
        sent(0, "A fire destroyed a warehouse in Dayton on Friday night.", ents=fire),
        sent(1, "Firefighters fought the warehouse fire in Dayton for six hours.", ents=fire),
        sent(2, "The mayor had quietly met lobbyists from a casino chain in Reno only days before.",
             ents=[("Reno", "GPE")]),
        sent(3, "The warehouse fire in Dayton injured two firefighters.", ents=fire),
    ])
    b = make("b", "Other", [
        sent(0, "Fire destroyed a Dayton warehouse on Friday night.", ents=fire),
        sent(1, "Two firefighters were injured in the warehouse fire.", ents=[]),
    ])
    articles, analyses = event_of(a, b)
    al = align_event(articles, analyses, None, VerifySettings())
    inserted, normal = SentenceRef("a", 2), SentenceRef("a", 1)
    assert al.outside[inserted] < al.outside[normal]
    assert al.neighbour[inserted] < al.neighbour[normal]
    assert al.novel_terms[inserted] > al.novel_terms[normal]
    assert "reno" in al.novel_entities[inserted] and not al.novel_entities[normal]
