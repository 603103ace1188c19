"""`newsprism bench`: throughput per stage, end to end, peak memory, and the ratio to bare spaCy.

For each corpus size a fresh template-generated corpus (`newsprism.bench.corpus`) is ingested
into a fresh SQLite store through the same streaming path as `newsprism ingest` (so memory
stays flat), timing each stage. In the same run, spaCy's own `nlp.pipe` is timed over the same
texts (title and cleaned body, exactly what the linguistics stage parses) with the same model
object, the same disabled components, batch size and worker count; newsprism's end-to-end
throughput divided by that is the overhead ratio printed last.

The model is loaded before the clock starts, for both (worker processes inherit it on fork),
so neither figure includes model loading. Corpus generation is not timed.

Stages (articles/second = corpus size / wall seconds spent in the stage):
  ingest       read the JSONL and write articles to the store (read+clean minus clean)
  clean        boilerplate removal (`clean.clean_articles`)
  dedup        exact / near-duplicate and shared-passage detection (per event in the store path)
  linguistics  spaCy parse + per-sentence analysis, in `--workers` processes
  clustering   incremental event assignment
  cross-check  verification of every event
  briefs       summaries and briefs of every event

Peak memory is the high-water mark of the summed proportional set size (PSS; RSS where PSS is
unavailable) of this process and all its child processes, sampled every 0.5 s during the
newsprism run of each size; PSS counts pages shared between forked workers once, so the sum is
what the machine actually holds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..engine import load_model, spacy_disabled_components

# Stage keys as reported in IngestReport.seconds ("read+clean" is split into ingest and clean).
STAGES = ("ingest", "clean", "dedup", "linguistics", "clustering", "cross-check", "briefs")
RATIO_LINE = "newsprism/spacy throughput ratio: {ratio:.2f} at {size} articles"


# --------------------------------------------------------------------------- memory


class PeakMemory:
    """Samples the summed memory of this process and its children in a background thread."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def _usage(proc) -> int:  # noqa: ANN001 (psutil.Process)
        try:
            info = proc.memory_full_info()
            return int(getattr(info, "pss", 0) or info.rss)
        except Exception:  # psutil.AccessDenied / NoSuchProcess / no smaps
            try:
                return int(proc.memory_info().rss)
            except Exception:
                return 0

    def sample(self) -> int:
        import psutil

        me = psutil.Process()
        total = self._usage(me)
        try:
            children = me.children(recursive=True)
        except Exception:
            children = []
        total += sum(self._usage(child) for child in children)
        self.peak_bytes = max(self.peak_bytes, total)
        return total

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> PeakMemory:
        self.sample()
        self._thread = threading.Thread(target=self._loop, name="bench-memory", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 2**20


# --------------------------------------------------------------------------- bare spaCy


def _parsed_text(article) -> str:  # noqa: ANN001 (records.Article)
    """The text linguistics hands to spaCy for one article: title, blank line, cleaned body."""
    from .. import linguistics

    prepare = getattr(linguistics, "_prepare", None)
    if prepare is not None:
        return prepare(article)[0]
    title = (article.title or "").strip().replace("\n", " ")
    return (f"{title}\n\n" if title else "") + (article.text or "")


def bare_spacy_rate(
    texts: list[str], *, model: str | None, batch_size: int, n_process: int
) -> tuple[float, float]:
    """Articles/second of `nlp.pipe` alone over `texts` (the model is loaded before timing), and
    the CPU seconds it took (this thread and spaCy's worker processes)."""
    nlp = load_model(model)  # the very object the engine hands to linguistics
    started, cpu_started = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    return len(texts) / (time.perf_counter() - started), cpu_seconds() - cpu_started


def sample_texts(db: Path, limit: int) -> list[str]:
    """The parsed texts of the first `limit` analysable articles of a store, in ingest order."""
    from ..pipeline import is_analysable
    from ..store import Store

    texts: list[str] = []
    with Store(db) as store:
        for article in store.iter_articles():
            if len(texts) >= limit:
                break
            if is_analysable(article):
                texts.append(_parsed_text(article))
    return texts


# --------------------------------------------------------------------------- instrumentation


def cpu_seconds() -> float:
    """CPU time of this thread plus all finished child processes (worker pools are joined at the
    end of each stage, so their time is in). The memory sampler's thread is left out."""
    import resource

    who = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)
    own = resource.getrusage(who)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class StageTally:
    """Wall and CPU seconds per stage, end to end and peak memory of one size's newsprism run,
    added up over the run's segments: a run killed part way (a long 100k run) and continued
    with ``--resume`` carries on from the figures of the stages it completed. With a ``path``,
    the tally is saved there after every timed block, so a kill loses only the block in
    flight, whose work the store also rolls back and the next segment redoes."""

    def __init__(self, path: Path | None = None, prior: dict | None = None) -> None:
        prior = prior or {}
        self.path = path
        self.wall: dict[str, float] = dict(prior.get("wall", {}))
        self.cpu: dict[str, float] = dict(prior.get("cpu", {}))
        # worker seconds per per-event stage, of completed segments: how the phase is shared out
        self.per_event: dict[str, float] = dict(prior.get("per_event", {}))
        self.segments = int(prior.get("segments", 0)) + 1
        self._prior_total = float(prior.get("total", 0.0))
        self._prior_cpu = float(prior.get("total_cpu", 0.0))
        self._prior_peak = float(prior.get("peak_mb", 0.0))
        self._memory: PeakMemory | None = None
        self._pid = os.getpid()  # forked workers inherit the instrumented stopwatch: not theirs to record
        self._started, self._cpu_started = time.perf_counter(), cpu_seconds()

    def start(self, memory: PeakMemory) -> None:
        """Start this segment's clocks (after the model is loaded and the corpus written)."""
        self._memory = memory
        self._started, self._cpu_started = time.perf_counter(), cpu_seconds()

    @property
    def total(self) -> float:
        return self._prior_total + time.perf_counter() - self._started

    @property
    def total_cpu(self) -> float:
        return self._prior_cpu + cpu_seconds() - self._cpu_started

    @property
    def peak_mb(self) -> float:
        return max(self._prior_peak, self._memory.peak_mb if self._memory else 0.0)

    def record(self, stage: str, wall: float, cpu: float) -> None:
        if os.getpid() != self._pid:
            return
        self.wall[stage] = self.wall.get(stage, 0.0) + wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        state = {"wall": self.wall, "cpu": self.cpu, "per_event": self.per_event, "segments": self.segments, "total": self.total,
                 "total_cpu": self.total_cpu, "peak_mb": self.peak_mb}
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(state))
        partial.replace(self.path)  # atomic: a kill leaves the old tally or the new one


@contextlib.contextmanager
def instrumented(tally: StageTally) -> Iterator[None]:
    """Inside the block, every stage of the pipeline's stopwatch is also timed into ``tally``
    (wall, and CPU of this thread and worker processes), and `clean_articles` is timed on its
    own (the pipeline counts it in "read+clean"). CPU seconds do not grow when other programs
    compete for the cores, so they compare across runs on a busy machine."""
    from .. import pipeline

    original_clean = pipeline.clean_articles
    original_stopwatch = pipeline.Stopwatch

    @contextlib.contextmanager
    def measure(stage: str) -> Iterator[None]:
        w0, c0 = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            tally.record(stage, time.perf_counter() - w0, cpu_seconds() - c0)

    class Stopwatch(original_stopwatch):  # type: ignore[misc, valid-type]
        @contextlib.contextmanager
        def __call__(self, stage: str) -> Iterator[None]:
            with super().__call__(stage), measure(stage):
                yield

    def clean_articles(articles):  # noqa: ANN001, ANN202
        with measure("clean"):
            return original_clean(articles)

    pipeline.clean_articles = clean_articles
    pipeline.Stopwatch = Stopwatch
    try:
        yield
    finally:
        pipeline.clean_articles = original_clean
        pipeline.Stopwatch = original_stopwatch


# --------------------------------------------------------------------------- one size


def run_size(size: int, workdir: Path, args: argparse.Namespace, *, log=None) -> dict:  # noqa: ANN001
    from ..pipeline import PER_EVENT_PHASE, PipelineSettings, ingest
    from ..store import Store
    from .corpus import write_corpus

    log = log if log is not None else sys.stderr
    corpus = workdir / f"corpus-{size}-{args.seed}.jsonl"
    if not corpus.exists():
        write_corpus(corpus, size, seed=args.seed)
    db = workdir / f"bench-{size}.sqlite"
    tally_path = workdir / f"bench-{size}-{args.seed}.tally.json"
    prior = json.loads(tally_path.read_text()) if args.resume and tally_path.exists() and db.exists() else None
    if prior is None:
        _remove_store(db)
        tally_path.unlink(missing_ok=True)
    else:
        print(f"  {size}: resuming the run in {db} (segment {prior.get('segments', 0) + 1})", file=log)
    settings = PipelineSettings(events="auto", n_process=args.workers, batch_size=args.batch_size, model=args.model)
    load_model(args.model)  # before the clock starts; the engine and forked workers reuse it

    tally = StageTally(tally_path if args.keep or args.resume else None, prior)
    with PeakMemory() as memory, instrumented(tally):
        tally.start(memory)
        with Store(db) as store:
            report = ingest([corpus], store, settings)
            analysed, events = store.counts()["analyses"], report.events_total
        for stage in ("dedup", "cross-check", "briefs"):
            tally.per_event[stage] = tally.per_event.get(stage, 0.0) + report.worker_seconds.get(stage, 0.0)
        tally.save()
    total, total_cpu = tally.total, tally.total_cpu
    seconds = {k: v for k, v in tally.wall.items() if k not in ("read+clean", PER_EVENT_PHASE)}
    seconds["ingest"] = tally.wall.get("read+clean", 0.0) - seconds.get("clean", 0.0)
    stage_cpu = {k: v for k, v in tally.cpu.items() if k not in ("read+clean", PER_EVENT_PHASE)}
    stage_cpu["ingest"] = tally.cpu.get("read+clean", 0.0) - stage_cpu.get("clean", 0.0)
    # dedup, cross-check and briefs run in the engine's workers, inside the per-event phase: its
    # wall and CPU time (workers included) are shared out as the pipeline shares its wall time
    # (in proportion to the workers' time per stage)
    for stage, spent in tally.per_event.items():
        share = spent / max(sum(tally.per_event.values()), 1e-9)
        seconds[stage] = tally.wall.get(PER_EVENT_PHASE, 0.0) * share
        stage_cpu[stage] = tally.cpu.get(PER_EVENT_PHASE, 0.0) * share
    print(f"  {size}: newsprism {total:.1f} s ({total_cpu:.1f} CPU s) in {tally.segments} segment(s), "
          f"{report.summary()}", file=log)

    texts = sample_texts(db, min(analysed or size, args.spacy_sample))
    spacy_rate, spacy_cpu = bare_spacy_rate(texts, model=args.model, batch_size=args.batch_size, n_process=args.workers)
    print(f"  {size}: bare spaCy {spacy_rate:.1f} articles/s over {len(texts)} texts "
          f"({1000 * spacy_cpu / max(1, len(texts)):.0f} CPU ms/article)", file=log)
    if not args.keep:
        _remove_store(db)
        tally_path.unlink(missing_ok=True)
    return {
        "size": size,
        "articles": size,
        "analysed": analysed,
        "seconds": total,
        "rate": size / total,
        "segments": tally.segments,
        "stages": {stage: size / s for stage, s in seconds.items() if s > 0},
        "stage_seconds": seconds,
        "cpu_seconds": total_cpu,
        "stage_cpu_seconds": stage_cpu,
        "events": events,
        "peak_mb": tally.peak_mb,
        "spacy_rate": spacy_rate,
        "spacy_cpu_seconds": spacy_cpu,
        "spacy_n": len(texts),
        "workers": args.workers,
        "batch_size": args.batch_size,
        "spacy_disabled": list(spacy_disabled_components()),
    }


def _remove_store(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


# --------------------------------------------------------------------------- output


def _cells(values: list[str], width: int) -> str:
    return " | ".join(f"{v:>{width}}" for v in values)


def print_table(rows: list[dict], out=None) -> None:  # noqa: ANN001
    out = out if out is not None else sys.stdout
    width = 11
    header = ["articles", *STAGES, "end-to-end", "bare spaCy", "ratio", "peak MB"]
    print(_cells(header, width), file=out)
    print("-+-".join("-" * width for _ in header), file=out)
    for row in rows:
        cells = [str(row["size"])]
        cells += [f"{row['stages'].get(stage, float('nan')):.1f}" for stage in STAGES]
        cells += [f"{row['rate']:.1f}", f"{row['spacy_rate']:.1f}", f"{row['rate'] / row['spacy_rate']:.2f}",
                  f"{row['peak_mb']:.0f}"]
        print(_cells(cells, width), file=out)
    print("(articles/second of wall time; ratio = end-to-end / bare spaCy; "
          "peak MB: summed PSS of this process and its workers)", file=out)
    if all("stage_cpu_seconds" in row for row in rows):
        # CPU time does not grow when other programs compete for the cores: the figures to
        # compare across runs on a shared machine.
        print(file=out)
        header = ["CPU ms/art", *STAGES, "end-to-end", "bare spaCy", "CPU ratio", ""]
        print(_cells(header, width), file=out)
        for row in rows:
            cells = [str(row["size"])]
            cells += [f"{1000 * row['stage_cpu_seconds'].get(stage, float('nan')) / row['size']:.1f}"
                      for stage in STAGES]
            own = row["cpu_seconds"] / row["size"]
            spacy = row["spacy_cpu_seconds"] / max(1, row["spacy_n"])
            cells += [f"{1000 * own:.1f}", f"{1000 * spacy:.1f}", f"{spacy / own:.2f}", ""]
            print(_cells(cells, width), file=out)
        print("(CPU milliseconds per article, all processes; CPU ratio = bare spaCy / end-to-end)", file=out)
    print(file=out)
    for row in rows:
        events = row["events"] or 1
        print(
            f"{row['size']} articles: {row['events']} events, {row['seconds']:.1f} s end to end, "
            f"briefs {1000 * row['stage_seconds'].get('briefs', 0.0) / events:.1f} ms/event, "
            f"workers {row['workers']}, batch {row['batch_size']}",
            file=out,
        )
    for small, large in zip(rows, rows[1:]):
        cpu = ""
        if "cpu_seconds" in small and "cpu_seconds" in large:
            cpu = f", CPU time ratio {large['cpu_seconds'] / small['cpu_seconds']:.2f}"
        print(
            f"time({large['size']}) / time({small['size']}) = {large['seconds'] / small['seconds']:.2f}"
            f" (linear would be {large['size'] / small['size']:.1f}{cpu})",
            file=out,
        )
    last = rows[-1]
    print(RATIO_LINE.format(ratio=last["rate"] / last["spacy_rate"], size=last["size"]), file=out)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The benchmark's options, shared by `python -m newsprism.bench.run` and `newsprism bench`."""
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="comma-separated corpus sizes (default 1000,10000,100000)")
    parser.add_argument("--workers", type=int, default=2,
                        help="linguistics worker processes, for both newsprism and bare spaCy (default 2)")
    parser.add_argument("--batch-size", type=int, default=64, help="spaCy batch size for both (default 64)")
    parser.add_argument("--model", default=None, help="spaCy model (default: newsprism's configured model)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--spacy-sample", type=int, default=5000,
                        help="bare-spaCy throughput is measured on at most this many of the corpus' texts (default 5000)")
    parser.add_argument("--workdir", default=None, help="keep generated corpora here (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite stores (and stage tallies) in --workdir")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted run kept in --workdir (its store and stage tally), "
                             "adding up the times of all its segments")
    parser.add_argument("--json", default=None, help="also write the figures as JSON to this path")
    return parser


def build_parser() -> argparse.ArgumentParser:
    return add_arguments(argparse.ArgumentParser(prog="newsprism bench", description=__doc__.splitlines()[0]))


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(sys.argv[1:] if argv is None else argv))


def run(args: argparse.Namespace) -> int:
    """Run the benchmark for parsed options (see `add_arguments`)."""
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) <= 0:
        print("newsprism bench: --sizes needs positive integers", file=sys.stderr)
        return 2
    if args.resume and not args.workdir:
        print("newsprism bench: --resume needs the --workdir of the interrupted run", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in sizes:
            rows.append(run_size(size, workdir, args))
            if args.json:  # after every size, so a long run leaves its figures so far
                Path(args.json).write_text(json.dumps(rows, indent=2))
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
