"""Suspicion: signals, calibration, outlet reference; and the seed-cluster acceptance checks."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from test_align import event_of, make, sent

from newsprism import suspicion as susp
from newsprism.align import align_event
from newsprism.records import Article, Event, SentenceRef, to_dict
from newsprism.verify import VerifySettings, verify_event


def _node(info):
    article, analysis = make("x", "X", [info])
    return align_event([article], {"x": analysis}, None, VerifySettings()).nodes[SentenceRef("x", 0)]


def test_opinion_signals_separate_own_voice_from_quotes():
    s = VerifySettings()
    rhetorical = susp.opinion_signals(_node(sent(0, "Who knows when the bloodshed will end for the people.",
                                                loaded=["bloodshed"])), s)
    assert rhetorical.opinion and rhetorical.strength == 1.0 and rhetorical.loaded
    predict = susp.opinion_signals(_node(sent(0, "If the army withdraws, the war is more likely to end sooner.")), s)
    assert predict.opinion and "prediction" in predict.cues[0]
    quoted = susp.opinion_signals(_node(sent(0, "\u201cWho knows when this will end?\u201d she said.",
                                             speaker="she", quotes=["Who knows when this will end?"])), s)
    assert not quoted.opinion  # the speaker's question, not the report's
    plain = susp.opinion_signals(_node(sent(0, "Police arrested two men in Dayton on Friday.",
                                            ents=[("Dayton", "GPE")])), s)
    assert not plain.opinion and not plain.loaded


def test_calibration_is_monotone_and_fit_recovers_direction():
    base = {f: 0.0 for f in susp.FEATURES}
    low = susp.calibrated(base, susp.DEFAULT_CALIBRATION)
    high = susp.calibrated({**base, "max_invented": 1.0, "max_opinion": 1.0}, susp.DEFAULT_CALIBRATION)
    assert 0.0 < low < 0.5 < high < 1.0
    assert all(c >= 0 for c in susp.DEFAULT_CALIBRATION[1:])
    rows, labels = [], []
    for i in range(200):
        fake = i % 2
        rows.append({**base, "max_swap": float(fake and i % 4 == 1), "max_unsupported": (i % 7) / 7,
                     "max_loaded": float(i % 3 == 0)})
        labels.append(fake)
    cal = susp.fit_calibration(rows, labels)
    coef = dict(zip(susp.FEATURES, cal[1:]))
    assert coef["max_swap"] > 1.0 and all(v >= 0 for v in coef.values())
    weights = susp.weights_from_calibration(cal)
    assert weights["w_swap"] == pytest.approx(min(0.85, 1 - math.exp(-coef["max_swap"])), abs=1e-3)


def test_outlet_reference_raises_loaded_language_rare_for_the_outlet():
    loaded = sent(1, "The brutal and shameful raid shocked the quiet town of Dayton.", ents=[("Dayton", "GPE")],
                  loaded=["brutal", "shameful"])
    article, analysis = make("n", "Calm Daily", [sent(0, "Police raided a house in Dayton on Friday.",
                                                    ents=[("Dayton", "GPE")]), loaded])
    other, other_an = make("o", "Wire", [sent(0, "Police raided a house in Dayton on Friday.",
                                              ents=[("Dayton", "GPE")])])
    history = []
    for k in range(5):
        a, an = make(f"h{k}", "Calm Daily", [sent(i, f"Council meeting number {i} approved the budget of town {k}.")
                                             for i in range(6)])
        history.append((a, an))
    reference = susp.build_outlet_reference([a for a, _ in history] + [article],
                                            {an.article_id: an for _, an in history} | {"n": analysis})
    assert reference["Calm Daily"].sentences == 32
    articles, analyses = event_of((article, analysis), (other, other_an))
    event = Event("e", ["n", "o"])
    plain = verify_event(event, articles, analyses, None, VerifySettings())
    styled = verify_event(event, articles, analyses, None, VerifySettings(), outlet_reference=reference)
    s_plain = next(av for av in plain.articles if av.article_id == "n").sentences[1]
    s_styled = next(av for av in styled.articles if av.article_id == "n").sentences[1]
    assert "style" in s_styled.components and "style" not in s_plain.components
    assert s_styled.suspicion > s_plain.suspicion


# --------------------------------------------------------------------------- the seed cluster


@pytest.fixture(scope="module")
def seed_result(seeds_dir, nlp):
    from newsprism.clean import clean_articles
    from newsprism.dedup import find_duplicates
    from newsprism.linguistics import analyze_articles
    from newsprism.readers import read_inputs

    raw = [a for a in read_inputs(sorted(seeds_dir.glob("*.txt"))) if isinstance(a, Article)]
    articles = clean_articles(raw)
    dedup = find_duplicates(articles)
    analyses = {an.article_id: an for an in analyze_articles(articles, nlp=nlp)}
    result = verify_event(Event("seeds", [a.id for a in articles]), articles, analyses, dedup, VerifySettings())
    name = {a.id: Path(a.origin.path).name[:3] for a in articles}
    verdicts = {name[av.article_id]: av for av in result.articles}
    sentences = {name[a.id]: analyses[a.id].sentences for a in articles}
    return result, verdicts, sentences, name


def _find(sentences, needle):
    return next(s.index for s in sentences if needle in s.text)


@pytest.mark.slow
def test_seed_000_is_the_most_suspicious_and_its_claims_are_named(seed_result):
    result, verdicts, sentences, _ = seed_result
    assert max(verdicts, key=lambda k: verdicts[k].suspicion) == "000"
    v = verdicts["000"]
    labels = {s.index: s for s in v.sentences}
    us = labels[_find(sentences["000"], "U.S disengages")]
    who = labels[_find(sentences["000"], "Who knows when the bloodshed")]
    assert us.label in ("unsupported", "opinion") and who.label in ("unsupported", "opinion")
    assert {us.index, who.index} <= set(v.drivers[:2])
    top = sorted(v.sentences, key=lambda s: (-s.suspicion, s.index))
    assert v.drivers == [s.index for s in top[: len(v.drivers)]]
    assert v.reasons[0].startswith(f"sentence {top[0].index} ")
    for other in ("001", "003", "004"):
        assert verdicts[other].suspicion < v.suspicion


@pytest.mark.slow
def test_seed_conflicts_table(seed_result):
    result, _, _, name = seed_result
    figures = [c for c in result.conflicts if c.kind == "figure"]

    def values(conflict):
        return {float(v.normalized.split()[0]) for v in conflict.variants}

    trapped = next(c for c in figures if {100000.0, 80000.0, 50000.0} <= values(c))
    assert "trapped" in trapped.topic
    pocket = next(c for c in figures if c.unit == "km2")
    assert {2.0, 4.0} <= values(pocket) and any(abs(x - 12.95) < 0.1 for x in values(pocket))
    assert pocket.topic == "area of the pocket"
    executions = next(c for c in figures if c.topic == "executions")
    assert {79.0, 180.0, 200.0} <= values(executions)
    for conflict in (trapped, pocket, executions):
        for variant in conflict.variants:
            assert variant.outlets and variant.articles and variant.sentences
    by_value = {float(v.normalized.split()[0]): v for v in executions.variants}
    assert [name[a] for a in by_value[79.0].articles] == ["003"]
    assert [name[a] for a in by_value[200.0].articles] == ["001"]


@pytest.mark.slow
def test_seed_002_is_opinionated_but_factually_supported(seed_result):
    _, verdicts, _, _ = seed_result
    v = verdicts["002"]
    assert v.opinion_share == max(av.opinion_share for av in verdicts.values())
    assert v.opinion_share >= 0.2
    checkable = [s for s in v.sentences if s.label in ("corroborated", "unsupported", "conflicting")]
    # its checkable facts are reported by others (some with a different figure), rarely by it alone
    supported = [s for s in checkable if s.label == "corroborated" or s.independent_outlets > 0]
    unsupported = [s for s in checkable if s.label == "unsupported"]
    assert len(supported) >= len(checkable) / 2
    assert len(unsupported) <= 0.2 * len(checkable)
    assert any(s.label == "opinion" for s in v.sentences)
    assert v.suspicion < verdicts["000"].suspicion


@pytest.mark.slow
def test_seed_un_statement_is_corroborated_once_per_upstream(seed_result):
    _, verdicts, sentences, name = seed_result
    for key in ("000", "001", "004"):
        index = _find(sentences[key], "grave concern")
        verdict = next(s for s in verdicts[key].sentences if s.index == index)
        assert verdict.label == "corroborated"
        others = {name[r.article] for r in verdict.support}
        assert others == {"000", "001", "004"} - {key}
        # two outlets quoting the Secretary-General's spokesman: one upstream statement
        assert verdict.independent_outlets == 1
        assert any(r.startswith("statement corroborated") for r in verdict.reasons)


@pytest.mark.slow
def test_seed_verdicts_serialise_in_article_order(seed_result):
    result, verdicts, sentences, _ = seed_result
    for key, verdict in verdicts.items():
        data = to_dict(verdict)
        assert [s["index"] for s in data["sentences"]] == [s.index for s in sentences[key]]
        for s in data["sentences"]:
            assert {"index", "label", "suspicion", "support", "conflicts_with", "reasons"} <= set(s)
            assert all(set(ref) == {"article", "index"} for ref in s["support"])
            assert 0.0 <= s["suspicion"] <= 1.0
        assert 0.0 <= data["suspicion"] <= 1.0 and data["reasons"]


@pytest.mark.slow
def test_seed_000_stands_clearly_above_the_supported_reports(seed_result):
    _, verdicts, sentences, _ = seed_result
    top = verdicts["000"].suspicion
    # the wire-style and careful reports are clearly less suspicious than the rewrite
    for other in ("001", "003", "004"):
        assert top - verdicts[other].suspicion >= 0.25
    # 004's named hospital director (a role, not a government authority) is no invented official quote
    dbais = _find(sentences["004"], "Dbais")
    verdict = next(s for s in verdicts["004"].sentences if s.index == dbais)
    assert "invented" not in verdict.components and verdict.label != "unsupported"
    # "UN" vs "United Nations" in the same quoted statement is no misquote; 000's "get" for "give" is
    un = _find(sentences["001"], "independently verify")
    assert "misquote" not in next(s for s in verdicts["001"].sentences if s.index == un).components
    get = _find(sentences["000"], "get them this chance")
    assert "misquote" in next(s for s in verdicts["000"].sentences if s.index == get).components
