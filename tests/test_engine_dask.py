"""The Dask engine gives the same output as the local engine.

The slow tests run `analyze(..., engine="dask")` on a `distributed.LocalCluster` of two worker
processes (its address passed as `scheduler`, as on a real cluster) and compare the JSON output
with a local run: same events (ids and members), sentence labels, suspicion scores, briefs -
everything but `settings.engine`.
"""

from __future__ import annotations

import pytest

from newsprism.engine import get_engine
from newsprism.engine.dask import chunk_size

# --------------------------------------------------------------------------- fast, no model


@pytest.mark.parametrize("batch,expected", [(64, 256), (32, 256), (100, 300), (1000, 1000), (0, 256), (1, 256)])
def test_dask_chunks_are_whole_spacy_batches(batch, expected):
    size = chunk_size(batch)
    assert size == expected
    assert size % max(1, batch) == 0


def test_get_engine_local():
    from newsprism.engine.local import LocalEngine
    from newsprism.pipeline import PipelineSettings

    assert isinstance(get_engine(PipelineSettings()), LocalEngine)


# --------------------------------------------------------------------------- local vs Dask


@pytest.fixture(scope="module")
def scheduler():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _output(paths, **settings):
    from newsprism.output import build_output
    from newsprism.pipeline import PipelineSettings, analyze

    result = analyze(paths, PipelineSettings(**settings))
    out = build_output(result)
    assert out["settings"].pop("engine") == settings.get("engine", "local")
    return result, out


def _labels_and_scores(out: dict) -> dict:
    return {
        a["id"]: (a.get("suspicion"), [(s.get("label"), s.get("suspicion")) for s in a.get("sentences") or []])
        for a in out["articles"]
    }


def _assert_same(local, dask) -> None:
    local_result, local_out = local
    dask_result, dask_out = dask
    # events: ids and members, in order
    assert [(e.id, e.article_ids) for e in dask_result.events] == [(e.id, e.article_ids) for e in local_result.events]
    # per-sentence labels and scores, per-article suspicion
    assert dask_result.verifications == local_result.verifications
    assert _labels_and_scores(dask_out) == _labels_and_scores(local_out)
    assert dask_result.briefs == local_result.briefs
    # and the whole JSON document
    assert dask_out == local_out


@pytest.mark.slow
def test_dask_matches_local_on_demo_corpus(scheduler, demo_corpus_dir):
    local = _output([demo_corpus_dir])
    dask = _output([demo_corpus_dir], engine="dask", scheduler=scheduler)
    assert local[0].events and local[0].verifications
    _assert_same(local, dask)


@pytest.mark.slow
def test_dask_matches_local_on_generated_corpus(scheduler, tmp_path):
    from newsprism.bench.corpus import write_corpus

    corpus = tmp_path / "generated.jsonl"
    write_corpus(corpus, 300, seed=7)  # > one Dask chunk: both workers analyse articles
    # the local side with two worker processes (linguistics pool and per-event pool) too
    local = _output([corpus], n_process=2)
    dask = _output([corpus], engine="dask", scheduler=scheduler)
    assert len(local[0].analyses) == 300 and len(local[0].events) > 5
    _assert_same(local, dask)


@pytest.mark.slow
def test_dask_workers_load_the_model_once(scheduler):
    distributed = pytest.importorskip("distributed")

    def loads() -> int:
        from newsprism import nlp

        return nlp.load.cache_info().misses

    with distributed.Client(scheduler) as client:
        counts = client.run(loads)
    # after the tests above each worker has loaded the model exactly once (0 if run alone)
    assert len(counts) == 2
    assert all(n <= 1 for n in counts.values()), counts


def _ingested(tmp_path, name: str, corpus, **settings) -> dict:
    """Ingest `corpus` into a fresh store; every event's verification and brief, by event id."""
    from newsprism.pipeline import PipelineSettings, ingest
    from newsprism.store import Store

    with Store(tmp_path / f"{name}.sqlite") as store:
        report = ingest([corpus], store, PipelineSettings(**settings))
        assert set(report.seconds) >= {"dedup", "cross-check", "briefs"}  # shared out from the phase
        assert "per-event" not in report.seconds
        return {e.id: (e.article_ids, store.verification(e.id), store.brief(e.id), store.dedup_result(e.article_ids))
                for e in store.events()}


@pytest.mark.slow
def test_store_path_events_are_the_same_in_one_process_two_and_dask(scheduler, tmp_path):
    """`ingest` hands each event (dedup, cross-check, brief) to the engine: a pool of forked
    workers, or Dask tasks. The store ends up the same as when one process does everything."""
    from newsprism.bench.corpus import write_corpus

    corpus = tmp_path / "generated.jsonl"
    write_corpus(corpus, 150, seed=3)
    one = _ingested(tmp_path, "one", corpus, n_process=1)
    assert len(one) > 3 and all(v is not None and b is not None for _, v, b, _ in one.values())
    assert any(d.links or d.passages for *_, d in one.values())
    assert _ingested(tmp_path, "two", corpus, n_process=2) == one
    assert _ingested(tmp_path, "dask", corpus, engine="dask", scheduler=scheduler) == one
