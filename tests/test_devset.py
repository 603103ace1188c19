"""The dev-set generator: manipulated clusters without generator artefacts."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from newsprism.bench.devset import (
    MANIPULATIONS,
    load_clusters,
    make_devset,
    normalize_text,
    split_sentences,
    topic_split,
)

DATA = "ecbplus-dev.jsonl"


@pytest.fixture(scope="module")
def clusters(seeds_dir):
    path = seeds_dir.parent / "data" / DATA
    if not path.is_file():
        pytest.fail(f"{path} is missing")
    every = load_clusters(path)
    keep = ["1_ecb", "1_ecbplus", "2_ecbplus", "3_ecbplus", "4_ecbplus", "6_ecbplus"]
    return {ev: every[ev] for ev in keep}


def test_normalize_undoes_ptb_tokenisation():
    text = "He said he did n't know -LRB- yet -RRB- , and the 40 - year - old left at 2 : 56 ."
    out = normalize_text(text)
    assert out == "He said he didn't know (yet), and the 40-year-old left at 2:56."
    assert normalize_text("Already normal, isn't it?") == "Already normal, isn't it?"


def test_topic_split_is_by_topic():
    assert topic_split("1_ecb") == topic_split("1_ecbplus") == "tune"
    assert topic_split("2_ecbplus") == "test"


@pytest.mark.slow
def test_devset_manipulates_without_artefacts(clusters, nlp):
    rows = make_devset(clusters, seed=3, setting="A", nlp=nlp)
    originals = {r["id"]: r for ev in clusters.values() for r in ev}
    assert len(rows) == sum(len(v) for v in clusters.values())
    fakes = [r for r in rows if r["label"] == "fake"]
    reals = [r for r in rows if r["label"] == "real"]
    assert fakes and reals
    assert {r["manipulation"] for r in fakes} <= set(MANIPULATIONS)
    assert len({r["manipulation"] for r in fakes}) >= 4
    ids = {r["id"] for r in rows}
    for fake in fakes:
        original_id = fake["id"].split("~")[0]
        assert original_id not in ids  # the original is kept out of its manipulated cluster
        original = normalize_text(originals[original_id]["text"])
        before, _ = split_sentences(original)
        after, _ = split_sentences(fake["text"])
        changed = [s for s in after if s not in set(before)]
        assert 1 <= len(changed) <= 3  # one or two sentences changed (+ a question for `loaded`)
        assert abs(len(after) - len(before)) <= 1
        # no sentence duplicated beside its edited copy, no PTB tokens or odd spacing
        counts = Counter(after)
        assert all(counts[s] <= Counter(before).get(s, 1) for s in changed)
        for s in changed:
            assert not re.search(r" [,.;:!?]|-LRB-|-RRB-| n't\b|``|''|  ", s), s
        assert fake["edited"] and all(e in fake["text"] for e in fake["edited"])
    # deterministic for a seed, different for another setting
    again = make_devset(clusters, seed=3, setting="A", nlp=nlp)
    assert [r["text"] for r in again] == [r["text"] for r in rows]
    other = make_devset(clusters, seed=3, setting="B", nlp=nlp)
    assert [r["text"] for r in other] != [r["text"] for r in rows]


@pytest.mark.slow
def test_figure_and_negation_edits_do_what_they_say(clusters, nlp):
    rows = make_devset(clusters, seed=5, setting="A", nlp=nlp, manipulations=("figure",))
    figures = [r for r in rows if r["manipulation"] == "figure"]
    assert figures
    for r in figures:
        assert any(re.search(r"\d|two|three|four|five|six|seven|eight|nine|ten", e, re.I) for e in r["edited"])
    rows = make_devset(clusters, seed=5, setting="A", nlp=nlp, manipulations=("negation",))
    negated = [r for r in rows if r["manipulation"] == "negation"]
    assert negated
    assert all(re.search(r"\bnot\b", r["edited"][0]) for r in negated)
