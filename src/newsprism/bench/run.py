"""`newsprism bench`: throughput per stage, end to end, peak memory, and the ratio to bare spaCy.

For each corpus size a fresh template-generated corpus (`newsprism.bench.corpus`) is ingested
into a fresh SQLite store through the same streaming path as `newsprism ingest` (so memory
stays flat), timing each stage. In the same run, spaCy's own `nlp.pipe` is timed over the same
texts with the same model, components, batch size and worker count; newsprism's end-to-end
throughput divided by that is the overhead ratio printed last.

Peak memory is the high-water resident set size of this process and of its worker processes
(`getrusage`), so it includes spaCy workers.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("read+clean", "dedup", "linguistics", "clustering", "cross-check", "briefs")


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # ru_maxrss is in KiB on Linux


def bare_spacy_rate(path: Path, *, limit: int, model: str | None, batch_size: int, n_process: int) -> tuple[float, int]:
    """Articles/second of `nlp.pipe` alone over the first `limit` texts of the corpus."""
    from .. import nlp as nlp_module
    from ..linguistics import SPACY_DISABLE

    nlp = nlp_module.load(model, disable=SPACY_DISABLE)
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if len(texts) >= limit:
                break
            texts.append(json.loads(line)["text"])
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    return len(texts) / (time.perf_counter() - started), len(texts)


def run_size(size: int, workdir: Path, args: argparse.Namespace) -> dict:
    from ..pipeline import PipelineSettings, ingest
    from ..store import Store
    from .corpus import write_corpus

    corpus = workdir / f"corpus-{size}.jsonl"
    write_corpus(corpus, size, seed=args.seed)
    settings = PipelineSettings(events="auto", n_process=args.workers, batch_size=args.batch_size, model=args.model)
    db = workdir / f"bench-{size}.sqlite"
    started = time.perf_counter()
    with Store(db) as store:
        report = ingest([corpus], store, settings)
    total = time.perf_counter() - started
    spacy_rate, spacy_n = bare_spacy_rate(
        corpus, limit=min(size, args.spacy_sample), model=args.model, batch_size=args.batch_size, n_process=args.workers
    )
    return {
        "size": size,
        "seconds": total,
        "rate": size / total,
        "stages": {stage: size / report.seconds[stage] for stage in STAGES if report.seconds.get(stage)},
        "stage_seconds": dict(report.seconds),
        "events": report.events_total,
        "peak_mb": _peak_rss_mb(),
        "spacy_rate": spacy_rate,
        "spacy_n": spacy_n,
    }


def print_table(rows: list[dict], out=sys.stdout) -> None:
    header = ["articles", *STAGES, "end-to-end", "bare spaCy", "peak MB"]
    print(" | ".join(f"{h:>12}" for h in header), file=out)
    for row in rows:
        cells = [f"{row['size']:>12}"]
        cells += [f"{row['stages'].get(stage, float('nan')):>12.1f}" for stage in STAGES]
        cells += [f"{row['rate']:>12.1f}", f"{row['spacy_rate']:>12.1f}", f"{row['peak_mb']:>12.0f}"]
        print(" | ".join(cells), file=out)
    print("(stage columns and end-to-end: articles/second)", file=out)
    if len(rows) >= 2:
        for small, large in zip(rows, rows[1:]):
            print(
                f"time({large['size']}) / time({small['size']}) = {large['seconds'] / small['seconds']:.2f}"
                f" (linear would be {large['size'] / small['size']:.0f})",
                file=out,
            )
    last = rows[-1]
    print(f"newsprism/spacy throughput ratio: {last['rate'] / last['spacy_rate']:.2f} at {last['size']} articles", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsprism bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes (default 1000,10000,100000)")
    parser.add_argument("--workers", type=int, default=2, help="spaCy worker processes for both newsprism and bare spaCy (default 2)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--spacy-sample", type=int, default=5000,
                        help="bare-spaCy throughput is measured on at most this many of the corpus' texts (default 5000)")
    parser.add_argument("--workdir", default=None, help="keep corpora and stores here (default: a temporary directory)")
    parser.add_argument("--json", default=None, help="also write the figures as JSON to this path")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in sizes:
            rows.append(run_size(size, workdir, args))
            print(f"done: {size} articles in {rows[-1]['seconds']:.1f} s", file=sys.stderr)
    print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0
