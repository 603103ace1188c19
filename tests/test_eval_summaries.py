"""`newsprism eval summaries`: layouts, SGML, ROUGE, baselines side by side, timing."""

from __future__ import annotations

import json

import pytest

from newsprism.eval import summaries as ev


@pytest.fixture(scope="module")
def clusters_dir(fixtures_dir):
    return fixtures_dir / "summaries" / "clusters"


@pytest.fixture(scope="module")
def duc_dir(fixtures_dir):
    return fixtures_dir / "summaries" / "duc"


def test_layout_a_folders(clusters_dir):
    clusters = ev.load_clusters(clusters_dir)
    assert [c.name for c in clusters] == ["karsk-mine", "merrow-flood", "rail-strike", "velka-quake"]
    for c in clusters:
        assert 4 <= len(c.documents) <= 6
        assert len(c.references) == 2
        assert all(len(r.split()) > 60 for r in c.references)
    # the parent folder works too (clusters one level down)
    names = [c.name for c in ev.load_clusters(clusters_dir.parent)]
    assert names == ["karsk-mine", "merrow-flood", "rail-strike", "velka-quake", "d90001t"]


def test_layout_b_duc_with_sgml(duc_dir):
    clusters = ev.load_clusters(duc_dir)
    assert len(clusters) == 1
    c = clusters[0]
    assert c.name == "d90001t"  # matched to models D90001.* despite case and the trailing "t"
    assert len(c.documents) == 3 and len(c.references) == 2
    doc = c.documents[0]
    assert "<" not in doc and "DOCNO" not in doc and "FWS19990312" not in doc
    assert "sunflower seeds and spread quickly to two neighbouring buildings & a loading crane" in doc
    assert "Fire destroys warehouses" not in doc  # the headline is outside <TEXT>


def test_layout_c_jsonl(tmp_path):
    path = tmp_path / "clusters.jsonl"
    rows = [
        {"cluster": "x1", "documents": ["One. Two.", {"text": "<DOC><TEXT>Three.</TEXT></DOC>"}], "references": ["Ref."]},
        {"id": "x2", "docs": ["Four."], "summaries": ["Ref two."]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    clusters = ev.load_clusters(path)
    assert [c.name for c in clusters] == ["x1", "x2"]
    assert clusters[0].documents[1] == "Three."
    assert clusters[1].references == ["Ref two."]


def test_read_document_strips_trec_markup():
    raw = "<DOC><DOCNO> X1 </DOCNO><TEXT><P>A &amp; B met.</P><P>They agreed.</P></TEXT></DOC>"
    assert ev.read_document(raw).split() == ["A", "&", "B", "met.", "They", "agreed."]


def test_rouge_is_stemmed_and_multi_reference():
    refs = ["The miners were rescued on Friday.", "Rescuers saved the miners."]
    perfect = ev.rouge_scores("The miners were rescued on Friday.", refs)
    stemmed = ev.rouge_scores("The miner was rescuing on Friday.", refs[:1])
    assert perfect["rouge1_recall"] > stemmed["rouge1_recall"] * 0.5
    assert stemmed["rouge1_recall"] > 60  # "miner"/"miners", "rescuing"/"rescued" match when stemmed
    # averaged over the two references: below the score against the identical one
    assert 0 < perfect["rouge2_recall"] < 100


def test_sumy_baselines_run_offline():
    docs = [["The bridge collapsed on Monday killing four people in the town.", "Divers searched the river."],
            ["Four people died when the bridge collapsed on Monday.", "The ministry ordered inspections."]]
    for name in ("lexrank", "textrank"):
        out = ev.make_system(name)(docs, 15)
        assert out and "bridge" in out


def test_evaluate_fixtures_with_baselines_side_by_side(clusters_dir):
    report = ev.evaluate_summaries(
        clusters_dir, word_limit=100, systems=("newsprism", "lexrank", "textrank", "centroid"), repeats=3
    )
    assert set(report.systems) == {"newsprism", "lexrank", "textrank", "centroid"}
    for sc in report.systems.values():
        assert set(sc.per_cluster) == set(report.clusters)
        assert 0 < sc.rouge["rouge2_recall"] < 100
        assert sc.seconds_per_cluster > 0
        assert sc.cpu_seconds_per_cluster >= 0
        assert set(sc.rouge) == {f"{m}_{k}" for m in ("rouge1", "rouge2", "rougeL") for k in ("recall", "f1")}
    # every summary is cut at the word limit
    assert all(len(t.split()) <= 100 for by in report.summaries.values() for t in by.values())
    ours, lex = report.systems["newsprism"], report.systems["lexrank"]
    assert ours.rouge["rouge2_recall"] > lex.rouge["rouge2_recall"]
    assert ours.rouge["rouge1_recall"] > lex.rouge["rouge1_recall"]
    assert lex.ratio_vs_lexrank == pytest.approx(1.0)
    assert lex.cpu_ratio_vs_lexrank == pytest.approx(1.0)
    # Speed is a benchmark figure (printed by the command), not a test assertion.
    assert ours.ratio_vs_lexrank > 0
    assert ours.cpu_ratio_vs_lexrank is not None


def test_main_prints_table(clusters_dir, duc_dir, capsys, tmp_path):
    out_json = tmp_path / "r.json"
    assert ev.main([str(duc_dir), "--systems", "newsprism,lexrank", "--json", str(out_json)]) == 0
    printed = capsys.readouterr().out
    assert "newsprism" in printed and "lexrank" in printed and "vs LexRank" in printed
    data = json.loads(out_json.read_text())
    assert data["clusters"] == ["d90001t"]
    assert ev.main([str(tmp_path / "missing")]) == 2
