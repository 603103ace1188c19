"""Dask distributed engine: `newsprism analyze --engine dask --scheduler tcp://HOST:8786`.

Per-article linguistics runs as one task per chunk of articles (each worker process loads the
spaCy model once and keeps it: `nlp.load` is cached per process); per-event deduplication,
cross-checking and briefs run as one task per event (`pipeline.check_event`), shipped only that
event's articles and analyses. The tasks call the same pure functions as the local engine, so results are identical:
chunks are a whole number of spaCy batches, so every article is parsed in the same batch
(same neighbours, same padding) as in a local run.

Without `--scheduler`, a `distributed.LocalCluster` of two single-threaded worker processes is
started on this machine (handy for testing). On a real cluster (docs/SCALE.md), start
`dask scheduler` on one machine and `dask worker tcp://SCHEDULER:8786 --nthreads 1` on each
machine with the same newsprism and spaCy model installed, then pass the scheduler address.
Workers should be single-threaded: spaCy releases the GIL little, so one process per core
scales, threads do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..records import Article, ArticleAnalysis
from . import load_model, task_groups

if TYPE_CHECKING:
    from ..pipeline import EventCheck, EventTask, PipelineSettings, Progress

CHUNK = 256  # articles per linguistics task (rounded to whole spaCy batches): amortises task overhead


def chunk_size(batch_size: int, target: int = CHUNK) -> int:
    """Articles per task: the multiple of `batch_size` nearest `target` (at least one batch), so
    task boundaries are batch boundaries of a local run over the same list."""
    batch_size = max(1, batch_size)
    return batch_size * max(1, round(target / batch_size))


def _analyze_chunk(articles: list[Article], model: str | None, spacy_batch: int) -> list[ArticleAnalysis]:
    # NB: not called `batch_size`: Client.map would take that keyword for itself.
    from ..linguistics import analyze_articles

    return list(analyze_articles(articles, nlp=load_model(model), batch_size=spacy_batch, n_process=1))


_NOT_EXECUTED = ("web", "eval", "bench", "report_templates", "demo_corpus")


def code_fingerprint() -> str:
    """A hash of the newsprism source the tasks run (every module but the web app, evaluation,
    benchmark and CLI), to check that the workers run the same code as this process: a worker
    with another version would silently give other results."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in _NOT_EXECUTED or rel.name == "cli.py":
            continue
        digest.update(str(rel).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _preload(model: str | None) -> tuple[str, str]:
    from .. import nlp

    return nlp.model_label(load_model(model)), code_fingerprint()


class DaskEngine:
    def __init__(self, settings: "PipelineSettings") -> None:
        from distributed import Client, LocalCluster

        self.settings = settings
        self._checked = False
        self._cluster = None
        if settings.scheduler:
            self.client = Client(settings.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self._cluster)

    def _check_workers(self) -> None:
        """Load the model on every worker now (once per worker process) and check that they all
        run the same spaCy model and newsprism code as this process: anything else would change
        the results. Workers that join later load the model on their first task."""
        from .. import nlp

        if self._checked:
            return
        found = self.client.run(_preload, self.settings.model)
        expected = (nlp.model_label(load_model(self.settings.model)), code_fingerprint())
        wrong = {w: got for w, got in found.items() if tuple(got) != expected}
        if wrong:
            raise RuntimeError(
                f"Dask workers differ from this process (spaCy model, newsprism code fingerprint) = {expected}: "
                f"{wrong}; install the same newsprism and model on every worker"
            )
        self._checked = True

    def iter_analyses(self, articles: list[Article]) -> Iterator[ArticleAnalysis]:
        from distributed import as_completed

        if not articles:
            return
        self._check_workers()
        size = chunk_size(self.settings.batch_size)
        chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
        futures = self.client.map(
            _analyze_chunk,
            chunks,
            model=self.settings.model,
            spacy_batch=self.settings.batch_size,
            pure=False,
        )
        for future in as_completed(futures):
            yield from future.result()
            future.release()

    def check_events(self, tasks: Iterable["EventTask"], *, progress: "Progress") -> Iterator["EventCheck"]:
        """Every event as one task on the cluster, submitted a group at a time (largest first)."""
        from distributed import as_completed

        from ..pipeline import check_event

        self._check_workers()
        settings = self.client.scatter(self.settings, broadcast=True)
        for group in task_groups(tasks):
            futures = [self.client.submit(check_event, task, settings, pure=False) for task in group]
            for future in as_completed(futures):
                yield future.result()
                future.release()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
