"""`newsprism serve`: a local web application over the store that `newsprism ingest` fills.

Server-rendered pages (Jinja2, autoescape on) and a JSON API that mirrors them, both built from
the same view models (`views.py`). Article text is untrusted everywhere: templates escape it,
links to article URLs are only made for http/https, a strict Content-Security-Policy forbids
inline scripts, request bodies are size-limited, and no request ever names a file-system path.

    app = create_app("newsprism.sqlite")       # a FastAPI app; no global state
    serve("newsprism.sqlite", host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from . import models
from .jobs import JobManager
from .upload import UploadError, human_bytes, receive_upload, too_large
from .views import LABELS, Catalog, valid_day

HERE = Path(__file__).resolve().parent
DEFAULT_MAX_UPLOAD = 20_000_000
MAX_OTHER_BODY = 64_000  # every non-upload request
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make form POSTs send "Origin: null"
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


# --------------------------------------------------------------------------- ASGI middleware


class GuardMiddleware:
    """Security headers on every response; a body size limit on every request (413 when over);
    cross-site POSTs refused (a page on another site must not be able to upload into the store)."""

    def __init__(self, app: Any, *, upload_limit: int, upload_paths: tuple[str, ...]) -> None:
        self.app = app
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.upload_limit if path in self.upload_paths else MAX_OTHER_BODY
        headers = {k.lower(): v for k, v in scope.get("headers", [])}

        async def secure_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {k.lower() for k, _ in message["headers"]}
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in present
                ]
            await send(message)

        if scope.get("method") == "POST" and not _same_origin(headers):
            await _plain(secure_send, path, 403, "Cross-site request refused.")
            return
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _plain(secure_send, path, 400, "Bad Content-Length.")
                return
            if declared > limit:
                await _drain(receive)
                await _plain(secure_send, path, 413, too_large(limit).message)
                return

        received = 0

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        started = False

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await secure_send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge as exc:
            if not started:
                await _plain(secure_send, path, 413, too_large(exc.limit).message)


class _BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit


def _same_origin(headers: dict[bytes, bytes]) -> bool:
    site = headers.get(b"sec-fetch-site", b"").decode("latin-1")
    if site and site not in ("same-origin", "none"):
        return False
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not origin or origin == "null":
        return origin != "null"
    host = headers.get(b"host", b"").decode("latin-1")
    return urlsplit(origin).netloc.lower() == host.lower()


async def _drain(receive: Callable) -> None:
    """Read (and drop) a little of the body so the client sees the response, not a reset."""
    for _ in range(4):
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _plain(send: Callable, path: str, status: int, message: str) -> None:
    if path.startswith("/api/"):
        import json

        body = json.dumps({"detail": message}).encode()
        ctype = b"application/json"
    else:
        from html import escape

        body = (
            "<!doctype html><meta charset=utf-8><title>Error</title>"
            "<link rel=stylesheet href=/static/style.css>"
            f"<main class=error><h1>{status}</h1><p>{escape(message)}</p><p><a href=/upload>Back</a></p></main>"
        ).encode()
        ctype = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


# --------------------------------------------------------------------------- templates


def _pq(value: Any) -> str:
    """A path segment, percent-encoded (ids come from the store but are still data)."""
    return quote(str(value), safe="")


def _score(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f}"


def _when(ts: Any) -> str:
    return "–" if not ts else time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pq=_pq, score=_score, when=_when, human_bytes=human_bytes)
    env.globals.update(labels=LABELS)
    return env


# --------------------------------------------------------------------------- the app


def create_app(
    db_path: str | os.PathLike[str],
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    ingest: Callable[..., Any] | None = None,
    store_factory: Callable[[str], Any] | None = None,
    suspicious_threshold: float = 0.5,
    allowed_hosts: list[str] | None = None,
    upload_root: str | None = None,
) -> FastAPI:
    """The web app over the store at ``db_path``.

    ``ingest`` (default ``newsprism.pipeline.ingest``) is called as
    ``ingest(paths, store, progress=callback)`` in a background thread for each upload;
    ``store_factory`` (default ``newsprism.store.Store``) opens the store, one per thread.
    """
    db_path = os.fspath(db_path)
    if ingest is None:
        ingest = _pipeline_ingest
    if store_factory is None:
        from ..store import Store

        if not os.path.exists(db_path):
            Store(db_path).close()  # an empty store: pages show "no events yet", uploads fill it
        read_store, write_store = Store.open_readonly, Store
    else:
        read_store = write_store = store_factory
    catalog = Catalog(db_path, read_store, suspicious_threshold=suspicious_threshold)
    jobs = JobManager(db_path, ingest, write_store, on_finished=catalog.invalidate, root=upload_root)
    templates = make_templates()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        jobs.close()
        catalog.close()

    app = FastAPI(
        title="newsprism",
        version=_version(),
        description=(
            "Cross-checked news events: what is established, what is disputed, which reports stand "
            "apart. Every JSON endpoint mirrors an HTML page (`/api/events` ↔ `/`, "
            "`/api/events/{id}` ↔ `/events/{id}`, `/api/articles/{id}` ↔ `/articles/{id}`, "
            "`/api/jobs/{id}` ↔ `/jobs/{id}`). All strings are untrusted article text."
        ),
        docs_url=None,  # Swagger UI needs a CDN; /docs is served offline below
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.catalog = catalog
    app.state.jobs = jobs
    app.state.db_path = db_path
    app.state.max_upload_bytes = max_upload_bytes
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or LOOPBACK_HOSTS)
    app.add_middleware(GuardMiddleware, upload_limit=max_upload_bytes, upload_paths=("/upload", "/api/upload"))

    def render_page(request: Request, name: str, **context: Any) -> str:
        return templates.get_template(name).render(
            request_path=request.url.path, max_upload=max_upload_bytes, **context
        )

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(render_page(request, name, **context), status_code=status_code)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "Error"
        if is_api(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code)
        return page(request, "error.html", exc.status_code, status=exc.status_code, message=detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        message = "Invalid request: " + "; ".join(parts)
        if is_api(request):
            return JSONResponse({"detail": message}, status_code=422)
        return page(request, "error.html", 400, status=400, message=message)

    def not_found(what: str) -> StarletteHTTPException:
        return StarletteHTTPException(404, f"No such {what}.")

    def bad(message: str) -> StarletteHTTPException:
        return StarletteHTTPException(400, message)

    def date_q() -> Any:
        return Query(None, description="YYYY-MM-DD", max_length=10)

    def event_list(q: str | None, date_from: str | None, date_to: str | None, outlet: str | None, page_no: int):
        try:
            valid_day(date_from), valid_day(date_to)
        except ValueError as exc:
            raise bad(str(exc)) from None
        return catalog.list_events(
            q=q or None, date_from=date_from or None, date_to=date_to or None, outlet=outlet or None, page=page_no
        )

    # ----------------------------------------------------------------------- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def events_page(
        request: Request,
        q: str | None = Query(None, max_length=300),
        date_from: str | None = date_q(),
        date_to: str | None = date_q(),
        outlet: str | None = Query(None, max_length=300),
        page_no: int = Query(1, alias="page", ge=1, le=100_000),
    ) -> HTMLResponse:
        data = event_list(q, date_from, date_to, outlet, page_no)
        return page(request, "events.html", data=data)

    @app.get("/events", include_in_schema=False)
    def events_redirect(request: Request) -> RedirectResponse:
        query = request.url.query
        return RedirectResponse("/" + ("?" + query if query else ""), status_code=307)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        def render() -> str | None:
            data = catalog.event_detail(event_id)
            return None if data is None else render_page(request, "event.html", ev=data)

        html = catalog.cached("event.html", event_id, render)
        if html is None:
            raise not_found("event")
        return HTMLResponse(html)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        def render() -> str | None:
            data = catalog.article_detail(article_id)
            return None if data is None else render_page(request, "article.html", art=data)

        html = catalog.cached("article.html", article_id, render)
        if html is None:
            raise not_found("article")
        return HTMLResponse(html)

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request) -> RedirectResponse:
        query = request.url.query
        return RedirectResponse("/" + ("?" + query if query else ""), status_code=307)

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_page(request: Request) -> HTMLResponse:
        return page(request, "upload.html", error=None, suffixes=_suffix_list())

    @app.post("/upload", include_in_schema=False)
    async def upload_form(request: Request) -> Response:
        try:
            job = await accept_upload(request)
        except UploadError as exc:
            return page(request, "upload.html", exc.status, error=exc.message, suffixes=_suffix_list())
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: str) -> HTMLResponse:
        job = jobs.get(job_id)
        if job is None:
            raise not_found("upload job")
        return page(request, "job.html", job=job.as_dict())

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        return page(request, "docs.html", spec=app.openapi())

    # ----------------------------------------------------------------------- JSON API

    @app.get("/api/events", response_model=models.EventList, tags=["events"], summary="List events (the events page)")
    def api_events(
        q: str | None = Query(None, max_length=300, description="full-text search (FTS5) over articles and events"),
        date_from: str | None = date_q(),
        date_to: str | None = date_q(),
        outlet: str | None = Query(None, max_length=300, description="only events an outlet reported"),
        page_no: int = Query(1, alias="page", ge=1, le=100_000),
    ) -> Any:
        return event_list(q, date_from, date_to, outlet, page_no)

    @app.get(
        "/api/events/{event_id}",
        response_model=models.EventDetail,
        responses={404: {"model": models.ErrorOut}},
        tags=["events"],
        summary="One event: brief, conflicts, coverage grid, articles ranked by suspicion",
    )
    def api_event(event_id: str) -> Any:
        data = catalog.event_detail(event_id)
        if data is None:
            raise not_found("event")
        return data

    @app.get(
        "/api/articles/{article_id}",
        response_model=models.ArticleDetail,
        responses={404: {"model": models.ErrorOut}},
        tags=["articles"],
        summary="One article: labelled sentences with support/conflicts, boilerplate, duplicates",
    )
    def api_article(article_id: str) -> Any:
        data = catalog.article_detail(article_id)
        if data is None:
            raise not_found("article")
        return data

    @app.get("/api/search", response_model=models.SearchResult, tags=["search"], summary="Full-text search")
    def api_search(
        q: str = Query(..., min_length=1, max_length=300), limit: int = Query(50, ge=1, le=500)
    ) -> Any:
        return catalog.search(q, limit=limit)

    @app.post(
        "/api/upload",
        status_code=202,
        response_model=models.UploadAccepted,
        responses={400: {"model": models.ErrorOut}, 413: {"model": models.ErrorOut}, 415: {"model": models.ErrorOut}},
        tags=["upload"],
        summary="Upload input files (same formats as `newsprism ingest`); ingested in the background",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["files"],
                            "properties": {
                                "files": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                    "description": "one or more of: " + ", ".join(_suffix_list()),
                                }
                            },
                        }
                    }
                },
            }
        },
    )
    async def api_upload(request: Request) -> Any:
        try:
            job = await accept_upload(request)
        except UploadError as exc:
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        return {
            "job": job.id,
            "status_url": f"/api/jobs/{job.id}",
            "page_url": f"/jobs/{job.id}",
            "files": job.files,
        }

    @app.get(
        "/api/jobs/{job_id}",
        response_model=models.JobOut,
        responses={404: {"model": models.ErrorOut}},
        tags=["upload"],
        summary="Progress of an upload job",
    )
    def api_job(job_id: str) -> Any:
        job = jobs.get(job_id)
        if job is None:
            raise not_found("upload job")
        return job.as_dict()

    async def accept_upload(request: Request):
        job = jobs.new_job([])
        try:
            await receive_upload(
                request.stream(), request.headers.get("content-type"), jobs, job, limit=max_upload_bytes
            )
        except _BodyTooLarge:
            jobs.discard(job)
            raise too_large(max_upload_bytes) from None
        except BaseException:
            jobs.discard(job)
            raise
        jobs.submit(job)
        return job

    return app


def _pipeline_ingest(paths: list[str], store: Any, **kwargs: Any) -> Any:
    """`newsprism.pipeline.ingest`, imported on the first upload (it loads the NLP stack)."""
    from ..pipeline import ingest

    return ingest(paths, store, **kwargs)


def _suffix_list() -> list[str]:
    from .jobs import SUFFIXES

    return sorted(SUFFIXES)


def _version() -> str:
    try:
        from .. import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "0"


def _hosts_for(host: str) -> list[str]:
    """Host headers to accept when bound to ``host`` (DNS-rebinding protection on loopback)."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return [*LOOPBACK_HOSTS, host]
    if ip.is_unspecified:
        return ["*"]
    return [*LOOPBACK_HOSTS, host, f"[{host}]"] if ip.version == 6 else [*LOOPBACK_HOSTS, host]


def serve(db_path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
    """Run the app with uvicorn (blocking). Binds to loopback unless told otherwise."""
    import uvicorn

    if not os.path.exists(db_path):
        raise SystemExit(f"no store at {os.fspath(db_path)}: run `newsprism ingest --db {os.fspath(db_path)} ...` first")
    app = create_app(db_path, allowed_hosts=_hosts_for(host), **options)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
