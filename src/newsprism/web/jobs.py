"""Background ingest jobs for uploads.

An upload is saved under the app's own temporary directory with generated file names, then one
worker thread runs ``ingest`` over it (one job at a time: SQLite has one writer). A job records
its progress per stage and, when done, the ingest report and input problems, with the server's
temporary paths replaced by the names the client gave.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..readers import READERS

JOB_ID = re.compile(r"^[0-9a-f]{32}$")
SUFFIXES = tuple(sorted((s for s, _ in READERS), key=len, reverse=True))
MAX_JOBS_KEPT = 200


def upload_suffix(client_name: str | None) -> str | None:
    """The reader suffix of a client's file name (longest match), or None if unsupported."""
    name = (client_name or "").strip().lower()
    return next((s for s in SUFFIXES if name.endswith(s)), None)


def display_name(client_name: str | None) -> str:
    """The client's file name for display only: its last path part, printable, at most 120 chars."""
    name = re.split(r"[\\/]", client_name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return (name or "upload")[:120]


@dataclass(slots=True)
class Job:
    id: str
    files: list[str]  # client names, for display
    directory: str
    paths: list[str]  # generated paths inside directory
    status: str = "queued"  # queued | running | done | failed
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    stages: dict[str, dict[str, int | None]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        read = self.stages.get("read", {}).get("done")
        processed = None
        for stage in ("analyse", "analyze", "linguistics", "analysed"):
            if stage in self.stages:
                processed = self.stages[stage].get("done")
                break
        return {
            "id": self.id,
            "status": self.status,
            "files": list(self.files),
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "stages": [{"stage": k, **v} for k, v in self.stages.items()],
            "articles_read": self.report.get("articles_read", read or 0),
            "articles_new": self.report.get("articles_new"),
            "articles_processed": self.report.get("analysed", processed or 0),
            "events_touched": self.report.get("events_touched"),
            "events_total": self.report.get("events_total"),
            "problems": list(self.problems),
            "error": self.error,
            "done": self.status in ("done", "failed"),
        }


class JobManager:
    def __init__(
        self,
        db_path: str,
        ingest: Callable[..., Any],
        store_factory: Callable[[str], Any],
        *,
        on_finished: Callable[[], None] | None = None,
        root: str | None = None,
    ) -> None:
        self.db_path = db_path
        self._ingest = ingest
        self._store_factory = store_factory
        self._on_finished = on_finished
        self.root = tempfile.mkdtemp(prefix="newsprism-uploads-", dir=root)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-ingest")

    def new_job(self, files: list[str]) -> Job:
        job_id = uuid.uuid4().hex
        directory = os.path.join(self.root, job_id)
        os.mkdir(directory, 0o700)
        job = Job(id=job_id, files=[], directory=directory, paths=[])
        with self._lock:
            self._jobs[job_id] = job
            if len(self._jobs) > MAX_JOBS_KEPT:  # forget the oldest finished jobs
                for old in sorted(self._jobs.values(), key=lambda j: j.created):
                    if len(self._jobs) <= MAX_JOBS_KEPT:
                        break
                    if old.status in ("done", "failed"):
                        del self._jobs[old.id]
        return job

    def add_file_path(self, job: Job, client_name: str, suffix: str) -> str:
        """A fresh generated path for one uploaded file of ``job`` (never the client's path)."""
        path = os.path.join(job.directory, f"upload-{len(job.paths) + 1:03d}{suffix}")
        job.paths.append(path)
        job.files.append(display_name(client_name))
        return path

    def discard(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.directory, ignore_errors=True)

    def get(self, job_id: str) -> Job | None:
        if not JOB_ID.match(job_id or ""):
            return None
        with self._lock:
            return self._jobs.get(job_id)

    def submit(self, job: Job) -> None:
        self._pool.submit(self._run, job)

    def _shown(self, text: str, job: Job) -> str:
        """Replace the server's temporary paths in ``text`` by the client's file names."""
        for path, name in zip(job.paths, job.files):
            text = text.replace(path, name)
        return text.replace(job.directory + os.sep, "").replace(self.root, "uploads")

    def _run(self, job: Job) -> None:
        job.status, job.started = "running", time.time()

        def progress(stage: str, done: int, total: int | None = None) -> None:
            job.stages[str(stage)] = {"done": int(done), "total": None if total is None else int(total)}

        store = None
        try:
            store = self._store_factory(self.db_path)
            report = self._ingest(list(job.paths), store, progress=progress)
            job.report = {
                k: getattr(report, k)
                for k in ("articles_read", "articles_new", "analysed", "events_touched", "events_total")
                if isinstance(getattr(report, k, None), int)
            }
            for p in getattr(report, "problems", []) or []:
                job.problems.append(
                    {
                        "file": self._shown(str(getattr(p, "path", "")), job),
                        "line": getattr(p, "line", None),
                        "kind": str(getattr(p, "kind", "")),
                        "message": self._shown(str(getattr(p, "message", "")), job),
                        "skipped": bool(getattr(p, "skipped", True)),
                    }
                )
            job.status = "done"
        except Exception as exc:  # shown to the user; the traceback goes to the log
            traceback.print_exc()
            job.error = self._shown(f"{type(exc).__name__}: {exc}", job)
            job.status = "failed"
        finally:
            job.finished = time.time()
            if store is not None and callable(getattr(store, "close", None)):
                try:
                    store.close()
                except Exception:
                    pass
            shutil.rmtree(job.directory, ignore_errors=True)
            if self._on_finished is not None:
                self._on_finished()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.root, ignore_errors=True)
