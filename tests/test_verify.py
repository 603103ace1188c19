"""Labels, conflicts and independence on a hand-built event (no spaCy needed)."""

from __future__ import annotations

from test_align import event_of, make, sent

from newsprism.records import DedupResult, DuplicateLink, Event, SentenceRef
from newsprism.verify import VerifySettings, verify_event

RETAKE = "Syrian government forces retook most of east Aleppo from rebel fighters on Monday."
UN = ("The Secretary-General is conveying his grave concern to the relevant parties about reports "
      "of atrocities against civilians")


def _event():
    ents = [("Syrian", "NORP"), ("Aleppo", "GPE")]
    a = make("a", "Wire One", [
        sent(0, RETAKE, ents=ents, dates=["Monday"]),
        sent(1, "Around 100,000 civilians are trapped in a pocket of 4 square kilometres in east Aleppo.",
             ents=[("Aleppo", "GPE")], qty=[(100000, "civilian", "about", "100,000 civilians"),
                                           (4, "km2", None, "4 square kilometres")]),
        sent(2, f"\u201c{UN}\u201d, spokesman Stephane Dujarric said.", speaker="Stephane Dujarric",
             quotes=[UN], ents=[("Stephane Dujarric", "PERSON")]),
        sent(3, "The White Helmets reported 90 bodies under the rubble of a hospital in Saliheen.",
             ents=[("The White Helmets", "ORG"), ("Saliheen", "GPE")], speaker="The White Helmets",
             qty=[(90, "body", None, "90 bodies")]),
    ])
    b = make("b", "Wire Two", [
        sent(0, "Government forces of Syria retook most of east Aleppo from rebel fighters on Monday.",
             ents=[("Syria", "GPE"), ("Aleppo", "GPE")], dates=["Monday"]),
        sent(1, "The 100,000 civilians trapped in east Aleppo need safe passage, the White Helmets said.",
             ents=[("Aleppo", "GPE"), ("the White Helmets", "ORG")], speaker="the White Helmets",
             qty=[(100000, "civilian", None, "100,000 civilians")]),
        sent(2, f"Ban Ki-moon said in a statement: \u201c{UN}\u201d", speaker="Ban Ki-moon", quotes=[UN],
             ents=[("Ban Ki-moon", "PERSON")]),
    ])
    fake = make("f", "Rewrite Daily", [
        sent(0, RETAKE.replace("Monday", "Monday night"), ents=ents, dates=["Monday"]),
        sent(1, "As many as 50,000 civilians are trapped in an area of five square miles of east Aleppo.",
             ents=[("Aleppo", "GPE")], qty=[(50000, "civilian", None, "50,000 civilians"),
                                           (12.95, "km2", None, "five square miles")]),
        sent(2, f"\u201c{UN}\u201d", quotes=[UN]),
        sent(3, "Who knows when the bloodshed will end for the people.", loaded=["bloodshed"], subjectivity=0.6),
        sent(4, "Officials in Washington secretly approved a 30 million dollar arms shipment to Hezbollah last week.",
             ents=[("Washington", "GPE"), ("Hezbollah", "ORG")], qty=[(30e6, "usd", None, "30 million dollar")],
             dates=["last week"]),
    ])
    copy = make("c", "Copy Site", [sent(0, RETAKE, ents=ents, dates=["Monday"])])
    return event_of(a, b, fake, copy)


def _verify(dedup=None):
    articles, analyses = _event()
    event = Event(id="ev", article_ids=[a.id for a in articles])
    return verify_event(event, articles, analyses, dedup or DedupResult(), VerifySettings())


def _by_id(result):
    return {av.article_id: av for av in result.articles}


def test_labels_on_a_small_event():
    arts = _by_id(_verify())
    fake = {s.index: s for s in arts["f"].sentences}
    assert fake[3].label == "opinion" and fake[3].opinion
    assert fake[4].label == "unsupported"
    assert fake[1].label == "conflicting"
    assert fake[0].label == "corroborated"
    a = {s.index: s for s in arts["a"].sentences}
    assert a[0].label == "corroborated"
    assert a[3].label == "single-source"  # attributed, nobody else: not suspicious
    assert a[3].suspicion < fake[4].suspicion


def test_conflicts_table_groups_figures_by_fact():
    result = _verify()
    figures = {c.unit: c for c in result.conflicts if c.kind == "figure"}
    assert set(figures) == {"civilian", "km2"}
    people = figures["civilian"]
    assert "trapped" in people.topic
    by_value = {v.normalized: v for v in people.variants}
    assert set(by_value) == {"50000 civilian", "100000 civilian (~)", "100000 civilian"}
    assert by_value["50000 civilian"].outlets == ("Rewrite Daily",)
    assert "the White Helmets" in by_value["100000 civilian"].speakers
    assert figures["km2"].topic == "area of the pocket"
    # the minority figure is `conflicting` and points at the majority; the majority keeps its label
    arts = _by_id(result)
    f1 = arts["f"].sentences[1]
    assert SentenceRef("a", 1) in f1.conflicts_with and SentenceRef("b", 1) in f1.conflicts_with
    assert arts["b"].sentences[1].label != "conflicting"
    assert SentenceRef("f", 1) in arts["b"].sentences[1].conflicts_with


def test_upstream_quote_counts_once_and_copies_do_not_count():
    arts = _by_id(_verify())
    un = arts["f"].sentences[2]
    assert un.label == "corroborated"
    assert un.independent_outlets == 1  # two outlets quoting one statement: one upstream
    assert any(r.startswith("statement corroborated") for r in un.reasons)
    retake = arts["a"].sentences[0]
    assert retake.independent_outlets == 3  # b, f and c are separate outlets here
    dedup = DedupResult(links=[DuplicateLink(copy="c", original="a", kind="exact", similarity=1.0)])
    arts = _by_id(_verify(dedup))
    retake = arts["a"].sentences[0]
    assert retake.independent_outlets == 2  # the copy is not independent of its original
    assert arts["c"].sentences[0].independent_outlets == 2  # and the copy gets no support from it
    assert any(r.startswith("content corroborated") for r in retake.reasons)


def test_suspicion_ranks_the_rewrite_first_and_is_explained_by_its_top_sentences():
    result = _verify()
    arts = _by_id(result)
    ranked = sorted(arts.values(), key=lambda av: -av.suspicion)
    assert ranked[0].article_id == "f"
    assert all(0.0 <= av.suspicion <= 1.0 for av in arts.values())
    fake = arts["f"]
    top = sorted(fake.sentences, key=lambda s: (-s.suspicion, s.index))
    assert fake.drivers == [s.index for s in top[: len(fake.drivers)]]
    assert fake.drivers and set(fake.drivers) >= {3, 4}  # the rhetorical question and the off-topic claim
    assert fake.sentences[1].components["conflict"] > 0  # the minority figure counts too
    assert fake.reasons[0].startswith(f"sentence {top[0].index} ")
    assert arts["a"].suspicion < 0.5 < fake.suspicion
    assert arts["c"].suspicion < arts["a"].suspicion


def test_negated_corroborated_statement_is_a_polarity_conflict():
    base = "Police arrested the suspect at his home in Dayton on Friday after a long search."
    ents = [("Dayton", "GPE")]
    pairs = [make(f"o{i}", f"Outlet {i}", [sent(0, base, ents=ents, dates=["Friday"])]) for i in range(3)]
    neg = make("n", "Neg", [sent(0, base.replace("arrested", "did not arrest"), ents=ents, dates=["Friday"],
                                 negated=True)])
    articles, analyses = event_of(*pairs, neg)
    result = verify_event(Event("e", [a.id for a in articles]), articles, analyses, None, VerifySettings())
    polar = [c for c in result.conflicts if c.kind == "polarity"]
    assert polar and {v.normalized for v in polar[0].variants} == {"affirmed", "negated"}
    arts = _by_id(result)
    negated = arts["n"].sentences[0]
    assert negated.components["negation"] == 1.0
    assert negated.label != "corroborated"
    assert "negation" not in arts["o0"].sentences[0].components
    assert negated.suspicion > max(arts[f"o{i}"].sentences[0].suspicion for i in range(3))
    assert arts["n"].suspicion > max(arts[f"o{i}"].suspicion for i in range(3))
