"""The `newsprism` command: a thin layer over `newsprism.pipeline` and friends.

Exit codes: 0 success; 3 success, but some inputs or records were skipped (listed on stderr and in
the output's `problems`); 2 usage error; 1 failure (nothing could be processed, or the spaCy
model is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
DEFAULT_DB = "newsprism.sqlite"


def default_db() -> str:
    return os.environ.get("NEWSPRISM_DB", DEFAULT_DB)


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator:
    """A rich progress display on stderr, one bar per stage; silent when stderr is no terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not (enabled and console.is_terminal),
    ) as bars:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield update


def _settings(args: argparse.Namespace):
    from .pipeline import PipelineSettings

    settings = PipelineSettings(
        events=getattr(args, "events", "auto"),
        summary_words=getattr(args, "summary_words", 40),
        model=getattr(args, "model", None),
        n_process=getattr(args, "workers", 1),
        engine=getattr(args, "engine", "local"),
        scheduler=getattr(args, "scheduler", None),
    )
    if getattr(args, "max_mb", None):
        settings.max_bytes = int(args.max_mb * 1_000_000)
    return settings


def _report_problems(problems) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


def _exit_code(problems) -> int:
    return EXIT_PARTIAL if any(p.skipped for p in problems) else EXIT_OK


def _write(path: str | Path, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- commands


def cmd_analyze(args: argparse.Namespace) -> int:
    from .output import build_output
    from .pipeline import analyze
    from .report import render_html, render_markdown

    with progress_bar(not args.quiet) as progress:
        result = analyze(args.inputs, _settings(args), progress=progress)
    _report_problems(result.problems)
    if not result.articles:
        print("error: no article could be read from the inputs", file=sys.stderr)
        return EXIT_FAILURE
    document = build_output(result)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if args.out == "-":
        sys.stdout.write(text + "\n")
    else:
        _write(args.out, text + "\n")
    if args.markdown:
        _write(args.markdown, render_markdown(result))
    if args.html:
        _write(args.html, render_html(result))
    counts = document["counts"]
    print(
        f"{counts['articles']} articles, {counts['events']} events, {counts['problems']} input problems"
        + ("" if args.out == "-" else f"; JSON written to {args.out}"),
        file=sys.stderr,
    )
    return _exit_code(result.problems)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import ingest
    from .store import Store

    with Store(args.db) as store, progress_bar(not args.quiet) as progress:
        report = ingest(args.inputs, store, _settings(args), progress=progress)
    _report_problems(report.problems)
    print(report.summary(), file=sys.stderr)
    if report.articles_read == 0 and report.articles_new == 0 and not report.problems:
        print("error: no article found in the inputs", file=sys.stderr)
        return EXIT_FAILURE
    return _exit_code(report.problems)


def cmd_report(args: argparse.Namespace) -> int:
    from .pipeline import load_result
    from .report import render_html, render_markdown
    from .store import Store

    if not Path(args.db).exists():
        print(f"error: no store at {args.db}; run `newsprism ingest` first", file=sys.stderr)
        return EXIT_FAILURE
    with Store(args.db) as store:
        result = load_result(store)
    text = render_markdown(result) if args.format == "md" else render_html(result)
    out = args.out or f"newsprism-report.{'md' if args.format == 'md' else 'html'}"
    if out == "-":
        sys.stdout.write(text)
    else:
        _write(out, text)
        print(f"report written to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .output import build_output
    from .pipeline import PipelineSettings, analyze, ingest
    from .report import render_html, render_markdown
    from .store import Store

    corpus = Path(__file__).parent / "demo_corpus"
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    settings = PipelineSettings(events="auto", n_process=args.workers)
    with progress_bar() as progress:
        result = analyze([corpus], settings, progress=progress)
        db = out / "demo.sqlite"
        with Store(db) as store:
            ingest([corpus], store, settings, progress=progress)
    _write(out / "demo.json", json.dumps(build_output(result), ensure_ascii=False, indent=2) + "\n")
    _write(out / "demo.md", render_markdown(result))
    _write(out / "demo.html", render_html(result))
    ranked = []
    for event in result.events:
        verification = result.verifications.get(event.id)
        if verification and verification.articles:
            top = max(verification.articles, key=lambda av: av.suspicion)
            ranked.append((event, result.articles[top.article_id], top.suspicion))
    print(f"newsprism demo: {len(result.articles)} articles, {len(result.events)} events")
    for event, article, score in ranked:
        print(f"  {event.title[:60]!s:<60}  most suspicious: {article.source} ({score:.2f})")
    print(f"HTML report: {out / 'demo.html'}")
    print(f"Markdown:    {out / 'demo.md'}")
    print(f"JSON:        {out / 'demo.json'}")
    print(f"Store:       {db}  (browse it: newsprism serve --db {db})")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .web.app import serve

    serve(args.db, host=args.host, port=args.port)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    import importlib

    module = importlib.import_module(f".eval.{args.what}", __package__)
    return int(module.main(args.rest) or 0)


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench.run import run

    return int(run(args) or 0)


# --------------------------------------------------------------------------- parser


def _add_analysis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", help="files or directories (.txt .jsonl .html .warc[.gz] .xml/.rss/.atom) or URLs")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local (default) or dask: run per-article and per-event work on a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:8786); default: a local 2-worker cluster")
    p.add_argument("--events", choices=["auto", "given"], default="auto",
                   help="auto: cluster articles into events; given: use each input's `event` field (default: auto)")
    p.add_argument("--summary-words", type=int, default=40, metavar="N", help="word limit of each event's short summary (default 40)")
    p.add_argument("--model", default=None, help="spaCy pipeline (package, name or path); default: $NEWSPRISM_SPACY_MODEL or the pinned en_core_web_md")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="spaCy worker processes (default 1)")
    p.add_argument("--max-mb", type=float, default=None, metavar="MB", help="skip input files larger than this (default 50)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsprism",
        description="Cross-check many news reports of the same events: what is corroborated, what is "
        "disputed, and which reports stand apart.",
        epilog="Exit codes: 0 ok; 3 done but some inputs skipped; 2 usage error; 1 failure.",
    )
    parser.add_argument("--version", action="version", version=f"newsprism {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("analyze", help="analyse inputs in memory and write the JSON output",
                       description="Read, clean, deduplicate, group into events and cross-check the inputs; "
                       "write the versioned JSON (schema: src/newsprism/schema/newsprism-output.schema.json).")
    _add_analysis_options(p)
    p.add_argument("--out", required=True, help="JSON output path, or - for stdout")
    p.add_argument("--markdown", metavar="PATH", help="also write a Markdown report")
    p.add_argument("--html", metavar="PATH", help="also write a self-contained HTML report")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("ingest", help="add inputs to the store, incrementally",
                       description="Add articles to the SQLite store: new articles are cleaned, deduplicated, "
                       "analysed, assigned to events; touched events are re-verified. Re-ingesting is "
                       "idempotent; an interrupted run is completed by running it again.")
    _add_analysis_options(p)
    p.add_argument("--db", default=default_db(), help=f"SQLite store (default: $NEWSPRISM_DB or ./{DEFAULT_DB})")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("report", help="write a Markdown or HTML report of the store",
                       description="Render every event in the store as a brief: summary with citations, key "
                       "facts, conflicts, timeline, who said what, coverage and articles standing apart.")
    p.add_argument("--db", default=default_db(), help=f"SQLite store (default: $NEWSPRISM_DB or ./{DEFAULT_DB})")
    p.add_argument("--format", choices=["html", "md"], default="html")
    p.add_argument("--out", help="output path or - (default newsprism-report.html / .md)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", help="run everything on the bundled demo corpus",
                       description="Analyse the bundled fictional demo corpus and write JSON, Markdown, HTML and a store.")
    p.add_argument("--out", default="newsprism-out", help="output directory (default newsprism-out)")
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="browse the store in a local web app",
                       description="Start the web interface over the store (binds to 127.0.0.1 by default).")
    p.add_argument("--db", default=default_db())
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="evaluate a stage on labelled data",
                       description="newsprism eval clusters DATA.jsonl | suspicion DATA.jsonl | summaries DIR "
                       "(run `newsprism eval WHAT --help` for each).")
    p.add_argument("what", choices=["clusters", "suspicion", "summaries"])
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="throughput and memory benchmark",
                       description="Generate corpora of several sizes and print articles/second per stage, "
                       "peak memory and the ratio to bare spaCy.")
    from .bench.run import add_arguments as add_bench_arguments

    add_bench_arguments(p)
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted; the store is consistent, run the same command again to finish", file=sys.stderr)
        return 130
    except Exception as exc:  # the model-missing error and friends: one clear line, not a trace
        from .nlp import ModelError

        if isinstance(exc, ModelError):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        raise


if __name__ == "__main__":
    sys.exit(main())
