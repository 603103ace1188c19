"""`newsprism bench`: the table it prints and its last line. No timing assertions: the figures
depend on the machine; only their presence and shape are checked."""

from __future__ import annotations

import json
import math
import re

import pytest

from newsprism.bench import run

RATIO = re.compile(r"^newsprism/spacy throughput ratio: (\d+(?:\.\d+)?) at (\d+) articles$")


def _row(size: int, seconds: float) -> dict:
    stages = {stage: 10.0 * (k + 1) for k, stage in enumerate(run.STAGES)}
    return {
        "size": size,
        "seconds": seconds,
        "rate": size / seconds,
        "stages": stages,
        "stage_seconds": {stage: size / rate for stage, rate in stages.items()},
        "events": size // 20,
        "peak_mb": 512.0,
        "spacy_rate": 40.0,
        "spacy_n": size,
        "workers": 2,
        "batch_size": 64,
        "cpu_seconds": seconds * 1.5,
        "stage_cpu_seconds": {stage: size / rate for stage, rate in stages.items()},
        "spacy_cpu_seconds": size / 20.0,
    }


def test_table_layout_and_last_line(capsys):
    run.print_table([_row(100, 10.0), _row(1000, 105.0)])
    lines = capsys.readouterr().out.strip().splitlines()
    header = [cell.strip() for cell in lines[0].split("|")]
    assert header == ["articles", *run.STAGES, "end-to-end", "bare spaCy", "ratio", "peak MB"]
    assert {"ingest", "clean", "dedup", "linguistics", "clustering", "cross-check", "briefs"} <= set(header)
    first = [cell.strip() for cell in lines[2].split("|")]
    assert first[0] == "100" and len(first) == len(header)
    assert any(line.startswith("time(1000) / time(100) = 10.50") for line in lines)
    cpu_header = next(line for line in lines if line.strip().startswith("CPU ms/art"))
    assert "CPU ratio" in cpu_header
    match = RATIO.match(lines[-1])
    assert match and match.group(2) == "1000"
    assert float(match.group(1)) == pytest.approx((1000 / 105.0) / 40.0, abs=0.01)


@pytest.mark.parametrize("entry", ["cli", "module"])
def test_sizes_and_options_reach_the_benchmark(entry, monkeypatch, capsys, tmp_path):
    """`newsprism bench --sizes ...` (the README command) and `python -m newsprism.bench.run`
    take the same options; --json gets the figures of every size."""
    from newsprism.cli import main as cli_main

    seen = []

    def fake_run_size(size, workdir, args, **_):
        seen.append((size, args.workers, args.batch_size))
        return _row(size, size / 25.0)

    monkeypatch.setattr(run, "run_size", fake_run_size)
    out_json = tmp_path / "bench.json"
    argv = ["--sizes", "30,60", "--workers", "1", "--workdir", str(tmp_path), "--json", str(out_json)]
    assert (cli_main(["bench", *argv]) if entry == "cli" else run.main(argv)) == 0
    assert seen == [(30, 1, 64), (60, 1, 64)]
    assert RATIO.match(capsys.readouterr().out.strip().splitlines()[-1]).group(2) == "60"
    assert [r["size"] for r in json.loads(out_json.read_text())] == [30, 60]


def test_bad_sizes_are_a_usage_error(capsys):
    assert run.main(["--sizes", "0"]) == 2


def test_peak_memory_sampler_sees_this_process():
    with run.PeakMemory(interval=0.01) as memory:
        blob = bytearray(32 * 2**20)
        blob[::4096] = b"x" * len(blob[::4096])
    assert memory.peak_mb > 32
    del blob


def test_baseline_disables_what_linguistics_disables():
    from newsprism import linguistics

    assert run.spacy_disabled_components() == tuple(getattr(linguistics, "SPACY_DISABLE", ()))


@pytest.mark.slow
def test_bench_end_to_end_on_60_articles(capsys, tmp_path):
    out_json = tmp_path / "bench.json"
    code = run.main(["--sizes", "60", "--workers", "2", "--spacy-sample", "60", "--workdir", str(tmp_path),
                     "--json", str(out_json)])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    header = [cell.strip() for cell in lines[0].split("|")]
    assert header[: len(run.STAGES) + 1] == ["articles", *run.STAGES]
    row = [cell.strip() for cell in lines[2].split("|")]
    assert row[0] == "60"
    values = [float(cell) for cell in row[1:]]
    assert all(math.isfinite(v) and v > 0 for v in values), row
    match = RATIO.match(lines[-1])
    assert match, lines[-1]
    assert match.group(2) == "60" and float(match.group(1)) > 0
    (figures,) = json.loads(out_json.read_text())
    assert figures["analysed"] == 60 and figures["events"] >= 1
    assert set(run.STAGES) <= set(figures["stages"])
    assert figures["peak_mb"] > 0 and figures["spacy_n"] == 60
    assert not list(tmp_path.glob("*.sqlite"))  # stores are removed unless --keep


def test_stage_tally_adds_a_resumed_segment_to_the_saved_figures(tmp_path):
    path = tmp_path / "bench-100-0.tally.json"
    first = run.StageTally(path)
    first.record("linguistics", 3.0, 5.0)
    first.record("linguistics", 1.0, 1.5)
    saved = json.loads(path.read_text())
    assert saved["wall"] == {"linguistics": 4.0} and saved["cpu"] == {"linguistics": 6.5}
    assert saved["segments"] == 1

    second = run.StageTally(path, saved)  # what --resume does after a kill
    second.record("clustering", 2.0, 2.0)
    again = json.loads(path.read_text())
    assert again["segments"] == 2
    assert again["wall"] == {"linguistics": 4.0, "clustering": 2.0}
    assert again["total"] >= saved["total"] and again["total_cpu"] >= saved["total_cpu"]


@pytest.mark.slow
def test_resume_continues_a_kept_run(capsys, tmp_path):
    """--keep leaves the store and its stage tally; --resume carries on from them (here nothing
    is left to do: the figures stay those of the first segment, counted as two segments)."""
    argv = ["--sizes", "40", "--workers", "1", "--spacy-sample", "10", "--workdir", str(tmp_path), "--keep"]
    assert run.main([*argv, "--json", str(tmp_path / "a.json")]) == 0
    assert run.main([*argv, "--resume", "--json", str(tmp_path / "b.json")]) == 0
    (first,) = json.loads((tmp_path / "a.json").read_text())
    (second,) = json.loads((tmp_path / "b.json").read_text())
    assert (first["segments"], second["segments"]) == (1, 2)
    assert second["analysed"] == first["analysed"] == 40 and second["events"] == first["events"]
    assert second["stage_cpu_seconds"]["linguistics"] >= first["stage_cpu_seconds"]["linguistics"]
    assert second["seconds"] >= first["seconds"]
    assert set(run.STAGES) <= set(second["stages"])  # the per-event split carried over too
    assert "resuming the run" in capsys.readouterr().err


def test_resume_needs_the_workdir(capsys):
    assert run.main(["--sizes", "10", "--resume"]) == 2
    assert "--workdir" in capsys.readouterr().err
