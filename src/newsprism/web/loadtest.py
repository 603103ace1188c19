"""A bounded load test of the web app, on loopback only.

    python -m newsprism.web.loadtest [--db STORE] [--path /events/ID] [--requests 2000]
                                     [--concurrency 8] [--max-seconds 30]

Starts uvicorn in a child process on 127.0.0.1 (a free port) over the store (default: the hand-built sample store
in a temporary directory), sends at most ``--requests`` GETs to one page with ``--concurrency``
httpx async clients, stops after ``--max-seconds`` whatever happens, and prints requests/second
and latency percentiles. Nothing leaves the machine: the target is always 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


async def _hammer(base: str, path: str, requests: int, concurrency: int, max_seconds: float) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    sent = 0
    deadline = time.monotonic() + max_seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10.0, trust_env=False) as client:

        async def worker() -> None:
            nonlocal sent, errors
            while sent < requests and time.monotonic() < deadline:
                sent += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    await r.aread()
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - t0)

        await client.get(path)  # warm-up: builds the event index once
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start

    done = len(latencies)
    return {
        "path": path,
        "requests": done,
        "errors": errors,
        "statuses": statuses,
        "concurrency": concurrency,
        "seconds": round(elapsed, 3),
        "requests_per_second": round(done / elapsed, 1) if elapsed else None,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p90_ms": round(percentile(latencies, 90) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
    }


def run(
    db: str | None = None,
    path: str | None = None,
    *,
    requests: int = 2000,
    concurrency: int = 8,
    max_seconds: float = 30.0,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="newsprism-load-") as tmp:
        if db is None:
            from ..store import Store
            from .sample import build_sample, fill_store

            db = str(Path(tmp) / "sample.sqlite")
            data = build_sample()
            with Store(db) as store:
                fill_store(store, data)
            path = path or f"/events/{data.events[0].id}"
        if path is None:
            from ..store import Store

            with Store.open_readonly(db) as store:
                events = store.events()
            if not events:
                raise SystemExit(f"{db} has no events: give --path")
            biggest = max(events, key=lambda e: len(e.article_ids))
            path = f"/events/{biggest.id}"

        # The server runs in its own process (as `newsprism serve` does), so the load generator
        # does not share its interpreter lock.
        with server_process(db, tmp) as (base, pid):
            cpu_before = _cpu_seconds(pid)
            result = asyncio.run(_hammer(base, path, requests, concurrency, max_seconds))
            cpu = _cpu_seconds(pid) - cpu_before
        # CPU time the server spent per request: comparable across machines under other load
        result["server_cpu_ms_per_request"] = round(cpu * 1000 / max(result["requests"], 1), 2)
        result["db"] = db if not db.startswith(tmp) else "(sample store)"
        return result


def _cpu_seconds(pid: int) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def _no_ingest(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("uploads are disabled during the load test")


@contextmanager
def server_process(db: str, tmp: str, timeout: float = 30.0) -> Iterator[tuple[str, int]]:
    """uvicorn serving ``db`` in a child process on 127.0.0.1; yields (base URL, pid)."""
    import httpx

    from .testing import free_port

    port = free_port()
    cmd = [sys.executable, "-m", "newsprism.web.loadtest", "--serve", db, "--port", str(port), "--tmp", tmp]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("the server exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
            try:
                httpx.get(base + "/static/style.css", timeout=1.0, trust_env=False)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _serve(db: str, port: int, tmp: str) -> None:
    import uvicorn

    from .app import create_app

    app = create_app(db, ingest=_no_ingest, upload_root=tmp)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newsprism.web.loadtest", description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="store to serve (default: the built-in sample store)")
    ap.add_argument("--path", help="page to request (default: the biggest event's page)")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--max-seconds", type=float, default=30.0)
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--serve", help=argparse.SUPPRESS)  # internal: the child server process
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        _serve(args.serve, args.port, args.tmp)
        return 0
    if args.requests < 1 or args.concurrency < 1 or args.max_seconds <= 0:
        ap.error("--requests, --concurrency and --max-seconds must be positive")
    result = run(args.db, args.path, requests=min(args.requests, 100_000), concurrency=min(args.concurrency, 64),
                 max_seconds=min(args.max_seconds, 300.0))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['requests']} requests to {result['path']} in {result['seconds']} s "
            f"(concurrency {result['concurrency']}, errors {result['errors']}, statuses {result['statuses']})\n"
            f"{result['requests_per_second']} requests/second; latency p50 {result['p50_ms']} ms, "
            f"p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms; "
            f"server CPU {result['server_cpu_ms_per_request']} ms/request"
        )
    return 0 if result["errors"] == 0 and set(result["statuses"]) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
