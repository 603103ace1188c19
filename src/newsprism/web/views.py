"""View models for the web pages and the JSON API, built from the store.

Every page and its JSON twin are rendered from the same plain dict, so the API mirrors the pages
exactly. Nothing here produces HTML: templates escape every string (autoescape), and URLs from
articles pass through :func:`safe_url`, which keeps only http/https links.

`Catalog` is the per-app data layer: one ``Store`` per worker thread (SQLite connections are not
shared between threads) and a cached index of event summaries that is rebuilt when the database
files change on disk (a commit by ``newsprism ingest`` or by an upload job).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..records import (
    Article,
    ArticleAnalysis,
    Brief,
    BriefSentence,
    DedupResult,
    Event,
    EventVerification,
    Origin,
    SentenceRef,
    to_dict,
)
from ..urls import safe_url

LABELS: tuple[tuple[str, str], ...] = (
    ("corroborated", "carried by at least one other independent outlet"),
    ("single-source", "only this report carries it (attributed or plausible, not necessarily wrong)"),
    ("conflicting", "a figure or statement that other outlets report differently"),
    ("unsupported", "specific content that no other report carries"),
    ("opinion", "evaluative or loaded language rather than a checkable claim"),
)
LABEL_NAMES = tuple(name for name, _ in LABELS)
PAGE_SIZE = 50
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- small helpers


def outlet_of(article: Article | None) -> str:
    if article is None:
        return "unknown outlet"
    if article.source:
        return article.source
    url = safe_url(article.url)
    if url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or "unknown outlet"
    return "unknown outlet"


def day_of(published: str | None) -> str | None:
    """The YYYY-MM-DD part of an ISO date/datetime, or None."""
    if not published or not isinstance(published, str):
        return None
    day = published[:10]
    return day if _DATE.match(day) else None


def valid_day(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}")
    return value


def _call(obj: Any, names: Iterable[str], *args: Any, default: Any = None) -> Any:
    """Call the first method of ``obj`` that exists among ``names`` (the store's API is young)."""
    for name in names:
        fn = getattr(obj, name, None)
        if callable(fn):
            return fn(*args)
    return default


def _sentence_by_index(analysis: ArticleAnalysis | None) -> dict[int, Any]:
    if analysis is None:
        return {}
    return {s.index: s for s in analysis.sentences}


# --------------------------------------------------------------------------- the event index


@dataclass(slots=True)
class ArticleMeta:
    id: str
    title: str
    outlet: str
    published: str | None
    url: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": safe_url(self.url),
        }


@dataclass(slots=True)
class EventIndex:
    """Summaries of every event, for the events page; cheap to filter and page through."""

    events: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    articles: dict[str, ArticleMeta] = field(default_factory=dict)
    event_of: dict[str, str] = field(default_factory=dict)
    outlets: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EventFacts:
    """What the events page needs from an event's verification and brief."""

    n_conflicts: int = 0
    suspicions: list[float] = field(default_factory=list)
    summary: str = ""


def summarize_event(event: Event, metas: list[ArticleMeta], facts: EventFacts, suspicious_threshold: float) -> dict[str, Any]:
    days = sorted(d for d in (day_of(m.published) for m in metas) if d)
    outlets = sorted({m.outlet for m in metas})
    title = event.title or (metas[0].title if metas else event.id)
    return {
        "id": event.id,
        "title": title,
        "summary": facts.summary,
        "n_articles": len(event.article_ids),
        "n_outlets": len(outlets),
        "outlets": outlets,
        "date_from": days[0] if days else None,
        "date_to": days[-1] if days else None,
        "n_conflicts": facts.n_conflicts,
        "n_suspicious": sum(1 for v in facts.suspicions if v >= suspicious_threshold),
        "max_suspicion": max(facts.suspicions, default=None),
    }


def _event_facts(store: Any, events: list[Event]) -> dict[str, EventFacts]:
    """Per event: conflicts, article suspicions and summary, read in bulk from the stored JSON
    (rebuilding whole records with ``from_dict`` is 80 % of the cost on a big store)."""
    facts = {ev.id: EventFacts() for ev in events}
    conn = getattr(store, "connection", None)
    try:
        if conn is None:
            raise LookupError
        for event_id, data in conn.execute("SELECT event_id, data FROM verifications"):
            if event_id in facts:
                v = json.loads(data)
                facts[event_id].n_conflicts = len(v.get("conflicts") or [])
                facts[event_id].suspicions = [float(a.get("suspicion") or 0.0) for a in v.get("articles") or []]
        for event_id, data in conn.execute("SELECT event_id, data FROM briefs"):
            if event_id in facts:
                b = json.loads(data)
                facts[event_id].summary = " ".join(str(x.get("text", "")) for x in b.get("summary") or [])
        return facts
    except Exception:  # another store layout: the public API, record by record
        pass
    for ev in events:
        verification, brief = store.verification(ev.id), store.brief(ev.id)
        facts[ev.id] = EventFacts(
            n_conflicts=len(verification.conflicts) if verification else 0,
            suspicions=[a.suspicion for a in verification.articles] if verification else [],
            summary=brief.summary_text if brief else "",
        )
    return facts


def build_index(store: Any, suspicious_threshold: float) -> EventIndex:
    index = EventIndex()
    for aid, title, source, url, published in _article_rows(store):
        outlet = outlet_of(Article(id=aid, title=title or "", text="", origin=_NO_ORIGIN, source=source, url=url))
        index.articles[aid] = ArticleMeta(aid, title or "(untitled)", outlet, published, url)
    events = store.events()
    facts = _event_facts(store, events)
    for event in events:
        metas = [index.articles[a] for a in event.article_ids if a in index.articles]
        summary = summarize_event(event, metas, facts[event.id], suspicious_threshold)
        index.events.append(summary)
        index.by_id[event.id] = summary
        index.members[event.id] = list(event.article_ids)
        for aid in event.article_ids:
            index.event_of[aid] = event.id
    # Most recent first, then the biggest.
    index.events.sort(key=lambda e: (e["date_to"] or "", e["n_articles"], e["id"]), reverse=True)
    index.outlets = sorted({m.outlet for m in index.articles.values()}, key=str.lower)
    return index


_NO_ORIGIN = Origin(path="")


def _article_rows(store: Any) -> Iterable[tuple]:
    """(id, title, source, url, published) of every article, without loading the texts."""
    conn = getattr(store, "connection", None)
    if conn is not None:
        try:
            return conn.execute("SELECT id, title, source, url, published FROM articles ORDER BY n").fetchall()
        except Exception:  # another store layout: fall back to the public API
            pass
    return [(a.id, a.title, a.source, a.url, a.published) for a in store.iter_articles()]


# --------------------------------------------------------------------------- the catalog


class Catalog:
    """The web app's access to one store file."""

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        store_factory: Callable[[str], Any] | None = None,
        *,
        suspicious_threshold: float = 0.5,
        cache_size: int = 512,
    ) -> None:
        self.db_path = os.fspath(db_path)
        if store_factory is None:
            from ..store import Store

            store_factory = Store.open_readonly
        self._factory = store_factory
        self.suspicious_threshold = suspicious_threshold
        self._local = threading.local()
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._opened: list[Any] = []
        self._index: EventIndex | None = None
        self._index_key: tuple | None = None
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_key: tuple | None = None
        self.cache_size = cache_size

    # -- stores, one per thread
    def store(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._factory(self.db_path)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            stores, self._opened = self._opened, []
        for store in stores:
            close = getattr(store, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # pragma: no cover - closing from another thread
                    pass

    # -- the cached index
    def version(self) -> tuple:
        self.store()  # opening the first connection may create the -wal file: do it before looking
        key = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(self.db_path + suffix)
                key.append((st.st_mtime_ns, st.st_size))
            except OSError:
                key.append(None)
        return tuple(key)

    def invalidate(self) -> None:
        with self._lock:
            self._index_key = None
            self._cache_key = None
            self._cache.clear()

    def cached(self, kind: str, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, memoised per (kind, key) until the database files change."""
        version = self.version()
        with self._lock:
            if self._cache_key != version:
                self._cache.clear()
                self._cache_key = version
            if (kind, key) in self._cache:
                self._cache.move_to_end((kind, key))
                return self._cache[(kind, key)]
        value = compute()
        with self._lock:
            if self._cache_key == version:
                self._cache[(kind, key)] = value
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return value

    def index(self) -> EventIndex:
        key = self.version()
        with self._lock:
            if self._index is not None and self._index_key == key:
                return self._index
        with self._build_lock:  # one rebuild at a time; the others wait and reuse it
            with self._lock:
                if self._index is not None and self._index_key == key:
                    return self._index
            index = build_index(self.store(), self.suspicious_threshold)
            with self._lock:
                self._index, self._index_key = index, key
        return index

    # -- events page
    def list_events(
        self,
        *,
        q: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        outlet: str | None = None,
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        index = self.index()
        date_from, date_to = valid_day(date_from), valid_day(date_to)
        events = index.events
        matches: list[dict[str, Any]] = []
        if q:
            hits = self.search(q, limit=200)
            matches = hits["articles"]
            wanted = {e["id"] for e in hits["events"]}
            events = [e for e in events if e["id"] in wanted]
        if outlet:
            events = [e for e in events if outlet in e["outlets"]]
        if date_from:
            events = [e for e in events if e["date_to"] and e["date_to"] >= date_from]
        if date_to:
            events = [e for e in events if e["date_from"] and e["date_from"] <= date_to]
        total = len(events)
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        start = (page - 1) * page_size
        return {
            "events": events[start : start + page_size],
            "total": total,
            "page": page,
            "pages": pages,
            "page_size": page_size,
            "filters": {"q": q or "", "date_from": date_from, "date_to": date_to, "outlet": outlet},
            "outlets": index.outlets,
            "matching_articles": matches,
        }

    # -- search
    def search(self, q: str, limit: int = 50) -> dict[str, Any]:
        """Articles whose title or text match (FTS5), and events whose articles or title match."""
        index = self.index()
        hits: dict[str, str] = {}  # article id -> snippet
        if re.search(r"\w", q or ""):
            # the store makes user input a safe FTS5 expression ("phrases", prefix*)
            for hit in self.store().search(q[:300], limit) or []:
                aid = hit if isinstance(hit, str) else _hit_id(hit)
                if aid and aid not in hits:
                    hits[aid] = str(getattr(hit, "snippet", "") or "")
        words = [w.lower() for w in re.findall(r"\w+", q)]
        articles = []
        event_ids: dict[str, None] = {}  # ordered set
        for aid, snippet in hits.items():
            meta = index.articles.get(aid)
            if meta is None:
                continue
            row = meta.as_dict()
            row["event"] = index.event_of.get(aid)
            row["snippet"] = snippet_parts(snippet)
            articles.append(row)
            if row["event"]:
                event_ids.setdefault(row["event"])
        if words:  # event titles and summaries match too
            for ev in index.events:
                if ev["id"] in event_ids:
                    continue
                hay = (ev["title"] + " " + ev["summary"]).lower()
                if all(w in hay for w in words):
                    event_ids.setdefault(ev["id"])
        return {
            "query": q,
            "articles": articles,
            "events": [index.by_id[e] for e in event_ids if e in index.by_id],
        }

    # -- event page
    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        return self.cached("event", event_id, lambda: self._event_detail(event_id))

    def _event_detail(self, event_id: str) -> dict[str, Any] | None:
        index = self.index()
        summary = index.by_id.get(event_id)
        if summary is None:
            return None
        store = self.store()
        ids = index.members[event_id]
        articles = {a.id: a for a in (store.get_article(aid) for aid in ids) if a is not None}
        verification = store.verification(event_id)
        brief = store.brief(event_id)
        dedup = store.dedup_result(ids) or DedupResult()
        outlets = {aid: outlet_of(a) for aid, a in articles.items()}
        return {
            **summary,
            "brief": _brief_view(brief, outlets),
            "conflicts": _conflicts_view(verification),
            "coverage": _coverage_view(brief, outlets),
            "articles": _ranked_articles(ids, articles, verification, dedup, self.suspicious_threshold),
            "standing_apart": _standing_apart(brief, index),
        }

    # -- article page
    def article_detail(self, article_id: str) -> dict[str, Any] | None:
        return self.cached("article", article_id, lambda: self._article_detail(article_id))

    def _article_detail(self, article_id: str) -> dict[str, Any] | None:
        store = self.store()
        article = store.get_article(article_id)
        if article is None:
            return None
        index = self.index()
        event_id = index.event_of.get(article_id)
        verification = store.verification(event_id) if event_id else None
        verdict = None
        if verification is not None:
            verdict = next((v for v in verification.articles if v.article_id == article_id), None)
        verdicts = {s.index: s for s in verdict.sentences} if verdict else {}
        refs = {r.article for s in verdicts.values() for r in (*s.support, *s.conflicts_with)}
        analyses = store.load_analyses([article_id, *sorted(refs - {article_id})]) or {}
        dedup = store.dedup_result([article_id]) or DedupResult()

        def ref_view(ref: SentenceRef) -> dict[str, Any]:
            meta = index.articles.get(ref.article)
            other = _sentence_by_index(analyses.get(ref.article)).get(ref.index)
            return {
                "article": ref.article,
                "index": ref.index,
                "outlet": meta.outlet if meta else "unknown outlet",
                "title": meta.title if meta else ref.article,
                "text": other.text if other is not None else None,
            }

        spans = _passage_spans(article_id, dedup)
        sentences = []
        analysis = analyses.get(article_id)
        prev_end, prev_para = 0, None
        for info in analysis.sentences if analysis else []:
            v = verdicts.get(info.index)
            para = getattr(info, "paragraph", None)
            if para is not None and prev_para is not None:
                new_paragraph = para != prev_para
            else:
                gap = article.text[prev_end : info.start] if 0 <= prev_end <= info.start else ""
                new_paragraph = "\n" in gap
            prev_end, prev_para = info.end, para
            shared = [p for (start, end, p) in spans if start < info.end and info.start < end]
            sentences.append(
                {
                    "index": info.index,
                    "text": info.text,
                    "new_paragraph": new_paragraph or not sentences,
                    "label": v.label if v else None,
                    "suspicion": v.suspicion if v else None,
                    "independent_outlets": v.independent_outlets if v else 0,
                    "reasons": list(v.reasons) if v else [],
                    "support": [ref_view(r) for r in v.support] if v else [],
                    "conflicts_with": [ref_view(r) for r in v.conflicts_with] if v else [],
                    "shared_with": sorted({p["other"] for p in shared}),
                    "speaker": info.attribution.speaker if info.attribution else None,
                }
            )
        counts = Counter(s["label"] for s in sentences if s["label"])
        event = index.by_id.get(event_id) if event_id else None
        return {
            "id": article.id,
            "title": article.title or "(untitled)",
            "outlet": outlet_of(article),
            "source": article.source,
            "source_inferred": article.source_inferred,
            "url": article.url,
            "safe_url": safe_url(article.url),
            "published": article.published,
            "language": article.language,
            "event": {"id": event["id"], "title": event["title"]} if event else None,
            "suspicion": verdict.suspicion if verdict else None,
            "suspicious": bool(verdict and verdict.suspicion >= self.suspicious_threshold),
            "reasons": list(verdict.reasons) if verdict else [],
            "label_counts": {name: counts.get(name, 0) for name in LABEL_NAMES},
            "sentences": sentences,
            "paragraphs": _paragraphs(article.text) if not sentences else [],
            "removed": list(article.removed),
            "duplicates": _duplicates_view(article_id, dedup, index),
            "passages": [
                {**p, "other_title": _title(index, p["other"]), "other_outlet": _outlet(index, p["other"])}
                for (_, _, p) in spans
            ],
        }


def _hit_id(hit: Any) -> str | None:
    if isinstance(hit, dict):
        return hit.get("article_id") or hit.get("id")
    if isinstance(hit, (tuple, list)) and hit:
        return hit[0] if isinstance(hit[0], str) else None
    return getattr(hit, "article_id", None) or getattr(hit, "id", None)


def snippet_parts(snippet: str, marks: tuple[str, str] = ("«", "»")) -> list[dict[str, Any]]:
    """A search snippet as plain-text parts, each saying whether it is a matched word (the
    template wraps those in <mark>; the text itself is always escaped)."""
    parts: list[dict[str, Any]] = []
    for i, chunk in enumerate(re.split(f"{re.escape(marks[0])}(.*?){re.escape(marks[1])}", snippet or "")):
        if chunk:
            parts.append({"text": chunk, "match": i % 2 == 1})
    return parts


def _title(index: EventIndex, aid: str) -> str:
    meta = index.articles.get(aid)
    return meta.title if meta else aid


def _outlet(index: EventIndex, aid: str) -> str:
    meta = index.articles.get(aid)
    return meta.outlet if meta else "unknown outlet"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


# --------------------------------------------------------------------------- event pieces


def _sentence_view(s: BriefSentence, outlets: dict[str, str]) -> dict[str, Any]:
    return {
        "text": s.text,
        "attribution": getattr(s, "attribution", None),
        "date": s.date,
        "citations": [
            {"article": c.article, "outlet": c.outlet or outlets.get(c.article, ""), "index": c.index}
            for c in s.citations
        ],
    }


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def normalize_key_fact(fact: Any, outlets: dict[str, str]) -> dict[str, Any] | None:
    """A key fact as {text, corroboration, outlets, citations}, whatever shape the brief used."""
    if isinstance(fact, str):
        return {"text": fact, "attribution": None, "label": None, "corroboration": None, "outlets": [], "citations": []}
    if not isinstance(fact, dict):
        return None
    text = next((fact[k] for k in ("text", "fact", "sentence", "statement") if isinstance(fact.get(k), str)), None)
    if text is None:
        return None
    citations = []
    for c in _as_list(fact.get("citations") or fact.get("sources") or fact.get("support")):
        if isinstance(c, dict) and isinstance(c.get("article"), str):
            citations.append(
                {
                    "article": c["article"],
                    "outlet": str(c.get("outlet") or outlets.get(c["article"], "")),
                    "index": c.get("index") if isinstance(c.get("index"), int) else None,
                }
            )
    fact_outlets = [str(o) for o in _as_list(fact.get("outlets")) if o]
    if not fact_outlets:
        fact_outlets = sorted({c["outlet"] for c in citations if c["outlet"]})
    if not fact_outlets:
        fact_outlets = sorted({outlets[a] for a in _as_list(fact.get("articles")) if a in outlets})
    corroboration = None
    for key in ("corroboration", "independent_outlets", "n_outlets", "outlet_count", "count"):
        if isinstance(fact.get(key), (int, float)) and not isinstance(fact.get(key), bool):
            corroboration = int(fact[key])
            break
    if corroboration is None:
        corroboration = len(set(fact_outlets))
    attribution = fact.get("attribution")
    label = fact.get("label")
    return {
        "text": text,
        "attribution": attribution if isinstance(attribution, str) else None,
        "label": label if label in LABEL_NAMES else None,
        "corroboration": corroboration,
        "outlets": fact_outlets,
        "citations": citations,
    }


def _brief_view(brief: Brief | None, outlets: dict[str, str]) -> dict[str, Any]:
    if brief is None:
        return {"summary": [], "brief": [], "key_facts": [], "timeline": [], "quotes": []}
    facts = [f for f in (normalize_key_fact(k, outlets) for k in brief.key_facts) if f]
    return {
        "summary": [_sentence_view(s, outlets) for s in brief.summary],
        "brief": [_sentence_view(s, outlets) for s in brief.brief],
        "key_facts": facts,
        "timeline": [_sentence_view(s, outlets) for s in brief.timeline],
        "quotes": [
            {
                "speaker": q.speaker,
                "role": q.role,
                "text": q.text,
                "outlets": list(q.outlets),
                "articles": list(q.articles),
                "variants": list(getattr(q, "variants", None) or []),
            }
            for q in brief.quotes
        ],
    }


def _conflicts_view(verification: EventVerification | None) -> list[dict[str, Any]]:
    return [to_dict(c) for c in verification.conflicts] if verification else []


def _coverage_view(brief: Brief | None, outlets: dict[str, str]) -> dict[str, Any]:
    """Outlet x fact grid: which outlet carries which key fact (from the facts' citations)."""
    facts = []
    if brief is not None:
        facts = [f for f in (normalize_key_fact(k, outlets) for k in brief.key_facts) if f]
        if not facts:  # no key facts: the brief's own sentences, with their citations
            facts = [
                {
                    "text": s.text,
                    "outlets": sorted({c.outlet or outlets.get(c.article, "") for c in s.citations}),
                }
                for s in brief.brief
            ]
    all_outlets = sorted(set(outlets.values()), key=str.lower)
    cells = [[o in set(f["outlets"]) for f in facts] for o in all_outlets]
    return {
        "outlets": all_outlets,
        "facts": [f["text"] for f in facts],
        "cells": cells,
        "per_outlet": [sum(row) for row in cells],
    }


def _ranked_articles(
    ids: list[str],
    articles: dict[str, Article],
    verification: EventVerification | None,
    dedup: DedupResult,
    threshold: float,
) -> list[dict[str, Any]]:
    verdicts = {v.article_id: v for v in verification.articles} if verification else {}
    copy_of = dedup.copy_of()
    rows = []
    for aid in ids:
        article = articles.get(aid)
        if article is None:
            continue
        v = verdicts.get(aid)
        counts = Counter(s.label for s in v.sentences) if v else Counter()
        rows.append(
            {
                "id": aid,
                "title": article.title or "(untitled)",
                "outlet": outlet_of(article),
                "published": article.published,
                "url": safe_url(article.url),
                "suspicion": v.suspicion if v else None,
                "suspicious": bool(v and v.suspicion >= threshold),
                "reasons": list(v.reasons[:3]) if v else [],
                "opinion_share": v.opinion_share if v else None,
                "support_share": v.support_share if v else None,
                "label_counts": {name: counts.get(name, 0) for name in LABEL_NAMES},
                "duplicate_of": copy_of.get(aid),
            }
        )
    rows.sort(key=lambda r: (r["suspicion"] if r["suspicion"] is not None else -1.0, r["id"]), reverse=True)
    return rows


def _standing_apart(brief: Brief | None, index: EventIndex) -> list[dict[str, Any]]:
    out = []
    for item in brief.standing_apart if brief else []:
        if not isinstance(item, dict):
            continue
        aid = item.get("article") or item.get("article_id") or item.get("id")
        aid = aid if isinstance(aid, str) else None
        reasons = item.get("reasons") or item.get("why") or item.get("reason") or []
        out.append(
            {
                "article": aid,
                "title": _title(index, aid) if aid else str(item.get("title", "")),
                "outlet": str(item.get("outlet") or (_outlet(index, aid) if aid else "")),
                "suspicion": item.get("suspicion") if isinstance(item.get("suspicion"), (int, float)) else None,
                "reasons": [str(r) for r in _as_list(reasons)],
                "sentences": [
                    {
                        "index": x["index"],
                        "text": str(x.get("text", "")),
                        "label": x.get("label") if x.get("label") in LABEL_NAMES else None,
                    }
                    for x in _as_list(item.get("sentences"))
                    if isinstance(x, dict) and isinstance(x.get("index"), int)
                ],
            }
        )
    return out


# --------------------------------------------------------------------------- article pieces


def _passage_spans(article_id: str, dedup: DedupResult) -> list[tuple[int, int, dict[str, Any]]]:
    spans = []
    for p in dedup.passages:
        if p.article_a == article_id:
            start, end, other = p.start_a, p.end_a, p.article_b
        elif p.article_b == article_id:
            start, end, other = p.start_b, p.end_b, p.article_a
        else:
            continue
        spans.append((start, end, {"other": other, "text": p.text, "similarity": round(p.similarity, 3)}))
    return spans


def _duplicates_view(article_id: str, dedup: DedupResult, index: EventIndex) -> list[dict[str, Any]]:
    out = []
    for link in dedup.links:
        if link.copy == article_id:
            other, relation = link.original, "copy of"
        elif link.original == article_id:
            other, relation = link.copy, "copied by"
        else:
            continue
        out.append(
            {
                "article": other,
                "relation": relation,
                "kind": link.kind,
                "similarity": round(link.similarity, 3),
                "title": _title(index, other),
                "outlet": _outlet(index, other),
            }
        )
    return out
