"""Attribution from the parse, quotation spans, and speaker resolution across sentences."""

from __future__ import annotations

import pytest

from newsprism.attribution import find_attribution, quote_spans
from newsprism.linguistics import analyze_articles
from newsprism.records import Article, Origin


def _inside(text):
    return [text[a:b] for a, b in quote_spans(text)]


def test_quote_spans_curly_and_straight():
    assert _inside("He said “we are leaving now” and \"so are they\".") == ["we are leaving now", "so are they"]


def test_quote_spans_single_marks_versus_apostrophes():
    text = "The army’s ‘final push’ began, the mayor’s aide said of ‘em."
    assert _inside(text) == ["final push"]


def test_quote_spans_multi_paragraph_quotation_is_closed_at_the_break():
    text = "She wrote: “The first part.\n\n“The second part.” Then silence."
    assert _inside(text) == ["The first part.", "The second part."]


def test_quote_spans_mixed_pair():
    assert _inside("“We need an hour,\" said the surgeon.") == ["We need an hour,"]


def _attr(nlp, text):
    doc = nlp(text)
    return find_attribution(doc[:])


# (sentence, speaker, kind, via, role, anonymous)
CASES = [
    ("Maria Lopez said the bridge would reopen on Friday.", "Maria Lopez", "said", None, None, False),
    ("“We will rebuild every house,” said John Carter, the mayor of the town.", "John Carter", "said", None,
     "mayor of the town", False),
    ("The bridge will reopen on Friday, said spokeswoman Anna Weber.", "Anna Weber", "said", None, "spokeswoman", False),
    ("Peter Hall told the BBC that the dam was safe.", "Peter Hall", "told", "BBC", None, False),
    ("According to the Red Cross, forty people were injured in the blast.", "Red Cross", "according_to", None, None, False),
    ("Reuters reported that the border crossing had closed.", "Reuters", "reported", None, None, False),
    ("Anna Berg tweeted that the vote had been rigged.", "Anna Berg", "tweeted", None, None, False),
    ("CNN quoted witness Omar Haddad as saying the shelling went on all night.", "Omar Haddad", "said", "CNN",
     "witness", False),
    ("A senior police source told Reuters that three suspects were arrested.", "senior police source", "told",
     "Reuters", None, True),
    ("Eyewitnesses claim that the convoy was attacked at dawn.", "eyewitnesses", "claims", None, None, True),
    ("Mayor Tom Price is worried about the floods, his spokesman said on Monday.", "Tom Price", "said", None,
     "spokesman", False),
    # the top-level reporting verb speaks, not the first one ("suggest", "revealed" are nested)
    ("Data from the train suggest it was doing 115 km/h, investigators said.", "investigators", "said", None, None,
     False),
    ("An initial investigation revealed that the driver had been drinking, police said.", "police", "said", None,
     None, False),
    # "X was quoted as saying": X is the passive subject and the object; it does not relay itself
    ("Airport chief Ali Naghavi was quoted by IRNA as saying that flights had resumed.", "Ali Naghavi", "said", None,
     "Airport chief", False),
]


@pytest.mark.slow
@pytest.mark.parametrize("text, speaker, kind, via, role, anonymous", CASES)
def test_attribution_patterns(nlp, text, speaker, kind, via, role, anonymous):
    a = _attr(nlp, text)
    assert a is not None
    assert (a.speaker, a.kind, a.via, a.role, a.anonymous) == (speaker, kind, via, role, anonymous)


@pytest.mark.slow
def test_quoted_flag(nlp):
    assert _attr(nlp, "“The water is rising fast,” said Maria Lopez.").quoted is True
    assert _attr(nlp, "Maria Lopez said the water was rising fast.").quoted is False


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "They are said to be hiding in the hills.",  # a hedge, not a speaker
        "The committee asked the council to delay the vote.",  # a request, not a statement
        "Several activists posted farewell messages on Monday.",  # posting, nothing reported
        "The storm hit the coast on Sunday.",
        "“I told them to leave,” is all that survives of the letter.",  # the verb is inside the quote
    ],
)
def test_no_attribution(nlp, text):
    assert _attr(nlp, text) is None


@pytest.mark.slow
def test_possessive_after_its_head_is_not_its_own_antecedent(nlp):
    """"his" hangs off the subject it would resolve to: the subject is skipped, not re-entered.

    The parse is set by hand: en_core_web_md never put a possessive after its head in the ECB+ dev
    texts, 300 generated articles or 30,000 generated sentences, so this guards a misparse (it
    recursed without end when the check compared Tokens with ``is``)."""
    from spacy.tokens import Doc

    doc = Doc(
        nlp.vocab,
        words=["The", "spokesman", "his", "said", "the", "talks", "failed", "."],
        heads=[1, 3, 1, 3, 5, 6, 3, 3],
        deps=["det", "nsubj", "poss", "ROOT", "det", "nsubj", "ccomp", "punct"],
        pos=["DET", "NOUN", "PRON", "VERB", "DET", "NOUN", "VERB", "PUNCT"],
        tags=["DT", "NN", "PRP$", "VBD", "DT", "NNS", "VBD", "."],
        lemmas=["the", "spokesman", "his", "say", "the", "talk", "fail", "."],
    )
    a = find_attribution(doc[:])
    assert (a.speaker, a.kind, a.anonymous) == ("spokesman", "said", True)


def _analyse(nlp, text, title="Test"):
    (analysis,) = analyze_articles([Article(id="t", title=title, text=text, origin=Origin("t"))], nlp=nlp)
    return analysis


@pytest.mark.slow
def test_pronoun_and_adjacent_quotation(nlp):
    text = (
        "Jane Doe runs the only shelter in the town.\n\n"
        "“We have no beds left,” she said. “Nobody is coming to help us.”"
    )
    s = _analyse(nlp, text).sentences
    assert len(s) == 3
    assert s[1].attribution.speaker == "Jane Doe" and s[1].attribution.mention == "she"
    assert s[2].attribution.speaker == "Jane Doe" and s[2].attribution.kind == "quote"
    assert s[2].quotes == ["Nobody is coming to help us"]  # closing punctuation stripped


@pytest.mark.slow
def test_quotation_over_two_sentences_takes_the_later_speaker(nlp):
    text = "“The roads are closed. We cannot reach the villages,” said Karl Olsen, a driver for the charity."
    s = _analyse(nlp, text).sentences
    assert len(s) == 2
    assert [x.attribution.speaker for x in s] == ["Karl Olsen", "Karl Olsen"]
    assert s[0].attribution.kind == "quote" and s[1].attribution.role == "driver for the charity"


@pytest.mark.slow
def test_colon_introduces_quotation_paragraph(nlp):
    text = "Rosa Diaz, a nurse, posted a message saying:\n\n“We are out of medicine. Please help us.”"
    s = _analyse(nlp, text).sentences
    assert [x.attribution.speaker if x.attribution else None for x in s] == ["Rosa Diaz"] * 3


@pytest.mark.slow
def test_surname_gets_full_name(nlp):
    text = "Lars Berg, the head of the agency, spoke on Monday.\n\n“We will stay,” Berg said."
    s = _analyse(nlp, text).sentences
    assert s[1].attribution.speaker == "Lars Berg"


@pytest.mark.slow
def test_role_noun_resolves_to_named_person(nlp):
    text = "The dentist Omar Nasser spoke from the basement.\n\nThe dentist said that the area was no longer safe."
    s = _analyse(nlp, text).sentences
    assert s[1].attribution.speaker == "Omar Nasser" and s[1].attribution.mention == "the dentist"


# ------------------------------------------------------------------ seeds

@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir):
    out = {}
    for path in sorted(seeds_dir.glob("0*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        out[path.name[:3]] = _analyse(nlp, body, title)
    return out


def _find(analysis, needle):
    return next(s for s in analysis.sentences if needle in s.text)


@pytest.mark.slow
def test_seed_dbais_quote(seeds):
    s = _find(seeds["004"], "Young people especially were executed")
    assert s.attribution.speaker == "Ahmad Dbais" and s.attribution.quoted
    assert s.attribution.role.startswith("director of hospitals")


@pytest.mark.slow
def test_seed_dujarric(seeds):
    s = _find(seeds["001"], "not able to independently verify")
    assert (s.attribution.speaker, s.attribution.role, s.attribution.kind) == ("Stephane Dujarric", "spokesman", "said")
    added = _find(seeds["001"], "he added")
    assert added.attribution.speaker == "Stephane Dujarric"


@pytest.mark.slow
def test_seed_relayed_sources(seeds):
    s = _find(seeds["003"], "A Syrian military source told Reuters")
    assert (s.attribution.speaker, s.attribution.via, s.attribution.anonymous) == ("Syrian military source", "Reuters", True)
    s = _find(seeds["004"], "CNN quoted activist")
    assert (s.attribution.speaker, s.attribution.via) == ("Mohammad Basbous", "CNN")
    s = _find(seeds["001"], "Al Arabiya News Channel reported")
    assert (s.attribution.speaker, s.attribution.kind, s.attribution.via) == (
        "eyewitnesses", "according_to", "Al Arabiya News Channel")


@pytest.mark.slow
def test_seed_shamy_video_quote(seeds):
    s = _find(seeds["000"], "We are exposed to a genocide")
    assert s.attribution.speaker == "Lina Shamy" and s.attribution.kind == "quote"
    assert "genocide" in s.quoted_loaded_terms and "genocide" not in s.loaded_terms
