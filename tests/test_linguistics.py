"""Per-article linguistics: sentences, offsets, lemmas, hedges, negation, questions, loaded
language and subjectivity, on our own sentences and on the seed cluster."""

from __future__ import annotations

import pytest

from newsprism import lexicon
from newsprism.linguistics import analyze_articles
from newsprism.records import ArticleAnalysis, Article, Origin, from_dict, to_dict


def _article(text, title="A headline", aid="t"):
    return Article(id=aid, title=title, text=text, origin=Origin("test"))


def _analyse(nlp, text, title="A headline"):
    (analysis,) = analyze_articles([_article(text, title)], nlp=nlp)
    return analysis


def _sent(nlp, text):
    s = _analyse(nlp, text).sentences
    assert len(s) == 1, [x.text for x in s]
    return s[0]


def _assert_offsets(article, analysis):
    assert [s.index for s in analysis.sentences] == list(range(len(analysis.sentences)))
    prev_end = 0
    for s in analysis.sentences:
        assert s.text and s.text == s.text.strip()
        assert article.text[s.start:s.end] == s.text
        assert s.start >= prev_end  # article order, no overlap
        prev_end = s.end
        for q in s.quantities:
            assert s.text[q.char_start:q.char_end] == q.text


# ------------------------------------------------------------------ lexicon (no model)

def test_phrase_expansion():
    assert lexicon.phrases("is|are said to") == [["is", "said", "to"], ["are", "said", "to"]]
    assert lexicon.phrases("not independently? verified") == [["not", "independently", "verified"], ["not", "verified"]]


# ------------------------------------------------------------------ sentences

@pytest.mark.slow
def test_title_is_not_a_sentence(nlp):
    a = _analyse(nlp, "The council met on Monday. It approved the budget.", title="Council approves budget")
    assert [s.text for s in a.sentences] == ["The council met on Monday.", "It approved the budget."]
    assert a.title_lemmas == ["council", "approve", "budget"]


@pytest.mark.slow
def test_paragraph_break_and_headline_lines(nlp):
    text = "Flood Warning Issued\n\nThe river rose overnight\n\nResidents were told to leave.\nSchools closed"
    a = _analyse(nlp, text)
    assert [s.text for s in a.sentences] == [
        "Flood Warning Issued", "The river rose overnight", "Residents were told to leave.", "Schools closed",
    ]
    assert [s.paragraph for s in a.sentences] == [0, 1, 2, 2]


@pytest.mark.slow
def test_hard_wrapped_line_is_one_sentence(nlp):
    text = "The minister is conveying his grave concern to the\nrelevant parties in the region."
    a = _analyse(nlp, text)
    assert len(a.sentences) == 1


@pytest.mark.slow
def test_opening_quote_mark_stays_with_its_sentence(nlp):
    text = "She posted a message.\n\n“We are trapped in the old town. This may be my last message.”"
    s = _analyse(nlp, text).sentences
    assert s[1].text.startswith("“We are trapped")
    assert s[2].text == "This may be my last message.”"
    assert s[1].quotes == ["We are trapped in the old town"] and s[2].quotes == ["This may be my last message"]


@pytest.mark.slow
def test_ptb_text_offsets_into_the_original(nlp):
    text = (
        "The mayor said -LRB- on Monday -RRB- that `` more than 100 families '' were evacuated .\n"
        "Officials did n't say when they could return ."
    )
    article = _article(text, title="")
    (a,) = analyze_articles([article], nlp=nlp)
    _assert_offsets(article, a)
    assert len(a.sentences) == 2
    s0 = a.sentences[0]
    assert s0.attribution is not None and s0.attribution.speaker == "mayor"
    assert s0.quotes == ["more than 100 families"]
    (q,) = s0.quantities
    assert (q.value, q.unit, q.qualifier) == (100, "family", "more_than")
    assert a.sentences[1].negated
    assert "n't" not in a.sentences[1].lemmas and "official" in a.sentences[1].lemmas


# ------------------------------------------------------------------ per-sentence fields

@pytest.mark.slow
def test_lemmas_entities_dates(nlp):
    s = _sent(nlp, "On Tuesday the Red Cross delivered 300 tents to families in Aleppo.")
    assert s.lemmas == ["tuesday", "red", "cross", "deliver", "tent", "family", "aleppo"]
    assert ("Aleppo", "GPE") in s.entities and ("Tuesday", "DATE") in s.entities
    assert s.dates == ["Tuesday"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, hedge",
    [
        ("Rebels reportedly seized the airport.", "reportedly"),
        ("Unconfirmed reports said the airport had fallen.", "unconfirmed reports"),
        ("The claims could not be independently verified.", "could not be independently verified"),
        ("The agency is not able to verify the figures.", "not able to verify"),
        ("The troops appear to have withdrawn.", "appear to"),
        ("The prisoners are said to be held in a school.", "are said to"),
        ("The allegedly stolen funds were never found.", "allegedly"),
    ],
)
def test_hedges(nlp, text, hedge):
    assert hedge in _sent(nlp, text).hedges


@pytest.mark.slow
def test_no_hedge_in_plain_report(nlp):
    assert _sent(nlp, "The troops withdrew from the airport on Monday.").hedges == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, negated",
    [
        ("The army did not enter the city.", True),
        ("The army never entered the city.", True),
        ("The minister denied the report.", True),
        ("Officials said the plant was no longer operating.", True),
        ("The army entered the city.", False),
        ("Officials said the plant was operating again.", False),
    ],
)
def test_negation(nlp, text, negated):
    assert _sent(nlp, text).negated is negated


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, question",
    [
        ("Who knows when the fighting will end for the people.", True),
        ("Will the talks succeed?", True),
        ("“Where are the doctors?” she asked.", False),  # the speaker's question, not the writer's
        ("The talks ended on Friday.", False),
    ],
)
def test_questions(nlp, text, question):
    assert _sent(nlp, text).question is question


@pytest.mark.slow
def test_loaded_terms_in_own_voice(nlp):
    s = _sent(nlp, "The regime mercilessly shelled the harrowing ruins of the old town.")
    assert s.loaded_terms == ["mercilessly", "harrowing"]
    assert s.subjectivity > 0.3


@pytest.mark.slow
def test_loaded_terms_inside_quotation_are_the_speakers(nlp):
    s = _sent(nlp, "“This is a genocide and a cruel betrayal,” said Jane Roe.")
    assert s.loaded_terms == []
    assert s.quoted_loaded_terms == ["genocide", "cruel"]
    assert s.subjectivity == 0.0 and not s.opinion


@pytest.mark.slow
def test_contested_term_counts_only_when_unattributed(nlp):
    assert _sent(nlp, "What happened in the town was genocide.").loaded_terms == ["genocide"]
    s = _sent(nlp, "The monitor said what happened in the town was genocide.")
    assert s.loaded_terms == [] and s.quoted_loaded_terms == ["genocide"]


@pytest.mark.slow
def test_neutral_sentence_is_not_subjective(nlp):
    s = _sent(nlp, "The council approved the budget on Monday by seven votes to two.")
    assert s.subjectivity == 0.0 and not s.opinion and s.loaded_terms == []


@pytest.mark.slow
def test_speculation_and_opinion(nlp):
    s = _sent(nlp, "If the US pulls out, the war is more likely to end sooner.")
    assert "more likely" in s.speculation and s.opinion
    s = _sent(nlp, "Imagine your own children trapped in that cruel siege.")
    assert s.subjectivity >= 0.5 and s.opinion


@pytest.mark.slow
def test_round_trip_through_dict(nlp):
    a = _analyse(nlp, "“We have 300 beds,” said Dr Anna Weber, a surgeon. Reportedly, the road is closed.")
    back = from_dict(ArticleAnalysis, to_dict(a))
    assert back == a


@pytest.mark.slow
def test_parallel_matches_serial(nlp):
    arts = [
        _article(f"Report {i}. About {100 + i} people fled, said Maria Lopez. “We are safe,” she said.", aid=str(i))
        for i in range(6)
    ]
    serial = list(analyze_articles(arts, nlp=nlp, batch_size=2))
    parallel = list(analyze_articles(arts, nlp=nlp, batch_size=2, n_process=2))
    assert [a.article_id for a in parallel] == [a.id for a in arts]
    assert parallel == serial


@pytest.mark.slow
def test_empty_article(nlp):
    a = _analyse(nlp, "")
    assert a.sentences == [] and a.model.startswith("en_")


# ------------------------------------------------------------------ seeds

@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir):
    arts = []
    for path in sorted(seeds_dir.glob("0*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        arts.append(_article(body, title=title, aid=path.name[:3]))
    return {art.id: (art, an) for art, an in zip(arts, analyze_articles(arts, nlp=nlp))}


def _find(analysis, needle):
    return next(s for s in analysis.sentences if needle in s.text)


@pytest.mark.slow
def test_seed_offsets_exact(seeds):
    for art, an in seeds.values():
        assert an.article_id == art.id and len(an.sentences) > 10
        _assert_offsets(art, an)
        assert all(s.text != art.title.strip() for s in an.sentences)


@pytest.mark.slow
def test_seed_000_ending_is_opinion(seeds):
    _, an = seeds["000"]
    who, last = an.sentences[-2], an.sentences[-1]
    assert who.text.startswith("Who knows") and who.question and who.opinion
    assert "bloodshed" in who.loaded_terms
    assert last.text.startswith("If U.S disengages") and last.opinion and last.speculation


@pytest.mark.slow
def test_seed_003_unconfirmed_79(seeds):
    _, an = seeds["003"]
    s = _find(an, "Unconfirmed reports")
    assert "unconfirmed reports" in s.hedges
    assert any(q.value == 79 and q.unit == "civilian" and q.qualifier == "at_least" for q in s.quantities)
    assert s.text.endswith("Fardous and Saliheen.")


@pytest.mark.slow
def test_seed_002_more_loaded_than_003(seeds):
    def own_voice(an):
        return sum(s.subjectivity for s in an.sentences) / len(an.sentences)

    assert own_voice(seeds["002"][1]) > 2 * own_voice(seeds["003"][1])
    closing = _find(seeds["002"][1], "harrowing thoughts")
    assert {"harrowing", "outstanding", "brave"} <= set(closing.loaded_terms) and closing.opinion


@pytest.mark.slow
def test_seed_multi_sentence_quotation_keeps_speaker(seeds):
    _, an = seeds["002"]
    s = _find(an, "The Qataris blew it")
    assert s.attribution.speaker == "Bilal Abdul Kareem" and s.attribution.kind == "quote"
    s = _find(an, "We here are exposed to a genocide")
    assert s.attribution.speaker == "Lina Shamy"


@pytest.mark.slow
def test_seed_un_hedge(seeds):
    for aid in ("001", "004"):
        s = _find(seeds[aid][1], "not able to independently verify")
        assert any("verify" in h for h in s.hedges)


@pytest.mark.parametrize("n, size, workers", [(1000, 64, 2), (300, 64, 2), (5, 64, 2), (10, 1, 2), (10, 3, 4), (0, 64, 2)])
def test_chunk_plan_covers_all_and_shrinks_at_the_end(n, size, workers):
    from newsprism.linguistics import _chunk_sizes

    sizes = list(_chunk_sizes(n, size, workers))
    assert sum(sizes) == n and all(0 < k <= size for k in sizes)
    assert sizes == sorted(sizes, reverse=True)  # large chunks first, small ones last
    if n >= 4 * size:
        assert sizes[0] == size and sizes[-1] <= 4
