"""Clustering metrics on hand-computed examples, and `newsprism eval clusters` on small data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.eval import clusters as ev
from newsprism.eval.metrics import PRF, bcubed, labels_from_groups, pairwise

ECBPLUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus-dev.jsonl"

# --------------------------------------------------------------------------- metrics

# gold: {a b c} {d e}; predicted: {a b} {c d e}
GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
PRED = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Y"}


def test_bcubed_by_hand():
    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> 11/15
    # recall per item:    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> 11/15
    score = bcubed(PRED, GOLD)
    assert score.precision == pytest.approx(11 / 15)
    assert score.recall == pytest.approx(11 / 15)
    assert score.f1 == pytest.approx(11 / 15)


def test_bcubed_extremes():
    singletons = {k: k for k in GOLD}
    one = {k: 0 for k in GOLD}
    assert bcubed(singletons, GOLD).precision == 1.0
    assert bcubed(singletons, GOLD).recall == pytest.approx((1 / 3 * 3 + 1 / 2 * 2) / 5)
    assert bcubed(one, GOLD).recall == 1.0
    assert bcubed(one, GOLD).precision == pytest.approx((3 / 5 * 3 + 2 / 5 * 2) / 5)
    assert bcubed(GOLD, GOLD).f1 == 1.0


def test_pairwise_by_hand():
    # predicted pairs: ab, cd, ce, de (4); gold pairs: ab, ac, bc, de (4); shared: ab, de
    score = pairwise(PRED, GOLD)
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(0.5)
    # no predicted pair: nothing wrongly joined, every gold pair missed
    assert pairwise({k: k for k in GOLD}, GOLD) == PRF(1.0, 0.0)


def test_metrics_use_common_items_and_reject_disjoint():
    assert bcubed({**PRED, "z": "Z"}, GOLD) == bcubed(PRED, GOLD)
    with pytest.raises(ValueError):
        bcubed({"q": 1}, GOLD)


def test_labels_from_groups():
    assert labels_from_groups([["a", "b"], ["c"]]) == {"a": 0, "b": 0, "c": 1}
    with pytest.raises(ValueError):
        labels_from_groups([["a"], ["a"]])
    assert PRF(0.0, 0.0).f1 == 0.0


# --------------------------------------------------------------------------- splits


def test_split_by_topic_parity():
    assert ev.topic_of("13_ecbplus") == 13
    assert ev.topic_of("quake-kessvale") == ev.topic_of("quake-kessvale")  # stable hash
    from newsprism.records import Article, Origin

    def art(event):
        return Article(id=event, title="", text="x", origin=Origin("f"), event_hint=event)

    assert ev.in_split(art("13_ecb"), "tune") and not ev.in_split(art("13_ecb"), "test")
    assert ev.in_split(art("2_ecbplus"), "test") and not ev.in_split(art("2_ecbplus"), "tune")
    assert ev.in_split(art("2_ecbplus"), "all")


def test_replicate_makes_new_events_of_the_same_kind():
    import datetime as dt

    from newsprism.features import ArticleFeatures

    f = ArticleFeatures(article_id="a" * 16, title="t", date=dt.date(2020, 1, 1),
                        terms={"body": {"kessvale": 1, "quake": 2}}, entities={"body": {"kessvale": 1}})
    feats, gold = ev.replicate([f], {f.article_id: "q"}, 3)
    assert [x.article_id for x in feats] == ["a" * 16, "a" * 16 + "~1", "a" * 16 + "~2"]
    assert feats[1].terms["body"] == {"kessvale#1": 1, "quake": 2}  # names change, words stay
    assert feats[2].entities["body"] == {"kessvale#2": 1}
    assert feats[2].date == dt.date(2020, 1, 15)
    assert gold == {"a" * 16: "q#0", "a" * 16 + "~1": "q#1", "a" * 16 + "~2": "q#2"}


# --------------------------------------------------------------------------- the command


def _write_fixture(path: Path) -> Path:
    from test_cluster import FIXTURE

    with path.open("w", encoding="utf-8") as out:
        for n, (event, source, published, title, text) in enumerate(FIXTURE):
            out.write(json.dumps({"id": f"fx{n}", "title": title, "text": text, "source": source,
                                  "url": None, "published": published, "event": event}) + "\n")
    return path


@pytest.mark.slow
def test_eval_command_prints_perfect_figures_on_the_fixture(tmp_path, capsys):
    data = _write_fixture(tmp_path / "quakes.jsonl")
    assert ev.main([str(data)]) == 0
    out = capsys.readouterr().out
    assert "events found / gold  3 / 3 (0 singletons)" in out
    assert "B-cubed   P 1.000  R 1.000  F1 1.000" in out
    assert "pairwise  P 1.000  R 1.000  F1 1.000" in out
    assert "articles/s clustering" in out
    assert "incremental (5 batches) vs batch: B-cubed F1 1.000" in out


@pytest.mark.slow
def test_eval_command_json_and_blank_metadata(tmp_path, capsys):
    data = _write_fixture(tmp_path / "quakes.jsonl")
    assert ev.main([str(data), "--blank-metadata", "--json", "--batches", "2", "--scaling", "16,32"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["blank_metadata"] is True
    assert report["articles"] == 8 and report["gold_events"] == 3
    assert report["bcubed"]["f1"] == 1.0
    assert report["incremental"]["batches"] == 2
    assert [p["articles"] for p in report["scaling"]] == [16, 32]
    assert report["settings"]["threshold"] == pytest.approx(0.2)



@pytest.mark.slow
def test_eval_command_entity_support_flag(tmp_path, capsys):
    """Two same-kind strikes in different towns: two events by default, one with the entity
    check switched off (``--entity-support 0``)."""
    from test_cluster import STRIKES

    data = tmp_path / "strikes.jsonl"
    with data.open("w", encoding="utf-8") as out:
        for n, (event, source, published, title, text) in enumerate(STRIKES):
            out.write(json.dumps({"id": f"st{n}", "title": title, "text": text, "source": source,
                                  "url": None, "published": published, "event": event}) + "\n")
    assert ev.main([str(data), "--json", "--batches", "3", "--fast"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["found_events"] == report["gold_events"] == 2
    assert report["bcubed"]["f1"] == 1.0
    assert report["incremental"]["bcubed_vs_batch"]["f1"] == 1.0
    assert ev.main([str(data), "--json", "--batches", "0", "--fast", "--entity-support", "0"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["settings"]["entity_support"] == 0.0
    assert report["found_events"] == 1

def test_eval_command_fails_cleanly_without_gold(tmp_path, capsys):
    data = tmp_path / "nogold.jsonl"
    data.write_text(json.dumps({"id": "x", "title": "A title", "text": "Some text here."}) + "\n")
    assert ev.main([str(data), "--batches", "0", "--split", "tune"]) == 2
    assert "no articles in split 'tune'" in capsys.readouterr().err
    assert ev.main([str(data), "--batches", "0"]) == 2
    assert "no article carries a gold `event` field" in capsys.readouterr().err
    assert ev.main([str(tmp_path / "missing.jsonl")]) == 2


@pytest.mark.slow
def test_eval_on_an_ecbplus_slice(tmp_path, capsys):
    """Two topics of the dev data (four events, two of each kind): the figures are printed and
    the two events of each kind mostly come out apart."""
    if not ECBPLUS.is_file():
        pytest.fail(f"{ECBPLUS} is missing: the shared data must sit beside the checkout")
    rows = [json.loads(line) for line in ECBPLUS.read_text(encoding="utf-8").splitlines()]
    slice_ = [r for r in rows if r["event"].split("_")[0] in ("21", "24")]
    data = tmp_path / "slice.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in slice_), encoding="utf-8")
    report = ev.evaluate_clusters(data, blank_metadata=True, batches=5)
    assert report.articles == len(slice_) and report.gold_events == 4
    assert report.bcubed.f1 > 0.8
    assert report.pairwise.f1 > 0.7
    assert report.incremental is not None and report.incremental.agreement.f1 > 0.8
    ev.print_report(report)
    out = capsys.readouterr().out
    assert f"B-cubed   P {report.bcubed.precision:.3f}" in out
    assert f"events found / gold  {report.found_events} / 4" in out
