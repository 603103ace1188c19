"""Reports for readers: Markdown and a self-contained HTML page, one section per event.

``render_markdown(result)`` and ``render_html(result)`` take the pipeline's ``AnalysisResult``
(or anything with ``articles``, ``events``, ``verifications``, ``briefs`` and optionally
``problems`` and ``dedup``). For each event they show the summary with its citations, the brief,
the key facts with the number of independent outlets carrying them, the disputed figures, the
timeline, who said what, coverage by outlet, the reports that stand apart and why, and the
list of articles.

Everything from the inputs (titles, text, outlet names, URLs) is attacker-controlled:

* HTML: Jinja2 with autoescape on; a Content-Security-Policy that allows no script, no remote
  resource and only inline style; links only for ``http``/``https`` URLs, with
  ``rel="noopener noreferrer nofollow"``;
* Markdown: every interpolated value passes through :func:`md_escape` (the Markdown
  environment's ``finalize``), which backslash-escapes Markdown syntax and HTML-escapes ``<``,
  ``>`` and ``&``, so no link, image, HTML tag or table cell can be injected; URLs are linked
  only when ``http``/``https`` and percent-encoded.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from .brief import outlet_name
from .urls import safe_url

__all__ = ["render_markdown", "render_html", "md_escape", "safe_url"]

TEMPLATES = Path(__file__).parent / "report_templates"


# --------------------------------------------------------------------------- escaping


class MdSafe(str):
    """Markdown built by this module from escaped parts: not escaped again."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(value: Any) -> str:
    """Inert Markdown for any value: whitespace collapsed to single spaces (no new block can
    start), ``& < >`` as HTML entities, Markdown punctuation backslash-escaped."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"^([-+#=!])", r"\\\1", text)  # would start a list, heading or rule
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def _md_link(text: Any, url: Any) -> MdSafe:
    label = md_escape(text)
    link = safe_url(url)
    if not link:
        return MdSafe(label)
    return MdSafe(f"[{label}]({quote(link, safe=':/?#@!$&*+,;=%~.-_')})")


def _md_finalize(value: Any) -> str:
    return md_escape(value)


# --------------------------------------------------------------------------- view model


def _get(result: Any, name: str, default: Any) -> Any:
    if isinstance(result, dict):
        return result.get(name, default)
    return getattr(result, name, default)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def build_view(result: Any) -> dict[str, Any]:
    """The data both templates render: plain dicts and strings, nothing escaped yet."""
    articles = _get(result, "articles", {}) or {}
    if not isinstance(articles, dict):
        articles = {a.id: a for a in articles}
    events = list(_get(result, "events", []) or [])
    verifications = _get(result, "verifications", {}) or {}
    briefs = _get(result, "briefs", {}) or {}
    problems = list(_get(result, "problems", []) or [])
    dedup = _get(result, "dedup", None)
    copy_of = dedup.copy_of() if dedup is not None and hasattr(dedup, "copy_of") else {}

    view_events = []
    for n, event in enumerate(events, 1):
        members = [articles[a] for a in event.article_ids if a in articles]
        number = {a.id: i for i, a in enumerate(members, 1)}
        verification = verifications.get(event.id)
        suspicion = {av.article_id: av.suspicion for av in verification.articles} if verification else {}
        brief = briefs.get(event.id)
        anchor = f"e{n}"

        def cites(citations, _number=number, _anchor=anchor):
            out = []
            for c in citations or []:
                art = c.article if hasattr(c, "article") else c.get("article")
                outlet = c.outlet if hasattr(c, "outlet") else c.get("outlet")
                if art in _number:
                    out.append({"n": _number[art], "outlet": outlet, "href": f"#{_anchor}-a{_number[art]}"})
            seen, uniq = set(), []
            for c in out:
                if c["n"] not in seen:
                    seen.add(c["n"])
                    uniq.append(c)
            return uniq

        def sentences(items):
            return [
                {"text": s.text, "cites": cites(s.citations), "date": s.date, "attribution": getattr(s, "attribution", None)}
                for s in items or []
            ]

        title = event.title or (members[0].title if members else event.id)
        facts = []
        conflicts = []
        quotes = []
        coverage = None
        apart = []
        if brief is not None:
            for f in brief.key_facts:
                facts.append(
                    {
                        "id": f.get("id", ""),
                        "text": f.get("text", ""),
                        "count": f.get("corroboration", 0),
                        "label": f.get("label") or "",
                        "outlets": f.get("outlets", []),
                        "attribution": f.get("attribution"),
                        "cites": cites(f.get("citations", [])),
                    }
                )
            for c in brief.conflicts or []:
                conflicts.append(
                    {
                        "topic": c.get("topic", ""),
                        "variants": [
                            {
                                "value": v.get("value", ""),
                                "outlets": v.get("outlets", []),
                                "speakers": v.get("speakers", []),
                                "cites": cites(v.get("citations", [])),
                            }
                            for v in c.get("variants", [])
                        ],
                    }
                )
            for q in brief.quotes:
                quotes.append(
                    {
                        "speaker": q.speaker,
                        "role": q.role,
                        "text": q.text,
                        "outlets": q.outlets,
                        "variants": list(getattr(q, "variants", []) or []),
                    }
                )
            cov = brief.coverage or {}
            if cov.get("outlets") and cov.get("facts"):
                coverage = {
                    "facts": cov["facts"],
                    "rows": [
                        {
                            "outlet": o,
                            "cells": cov.get("matrix", {}).get(o, []),
                            "omits": cov.get("omissions", {}).get(o, []),
                        }
                        for o in cov["outlets"]
                    ],
                }
            for item in brief.standing_apart:
                art = item.get("article")
                apart.append(
                    {
                        "n": number.get(art),
                        "href": f"#{anchor}-a{number[art]}" if art in number else None,
                        "outlet": item.get("outlet", ""),
                        "title": item.get("title", ""),
                        "suspicion": _pct(item.get("suspicion")),
                        "reasons": item.get("reasons", [])[:6],
                        "sentences": item.get("sentences", [])[:6],
                        "copy_of": number.get(item.get("copy_of")) if item.get("copy_of") else None,
                    }
                )
        elif verification is not None:
            for c in verification.conflicts:
                conflicts.append(
                    {
                        "topic": c.topic,
                        "variants": [
                            {"value": v.value, "outlets": list(v.outlets), "speakers": list(v.speakers), "cites": []}
                            for v in c.variants
                        ],
                    }
                )
        view_events.append(
            {
                "n": n,
                "anchor": anchor,
                "id": event.id,
                "title": title,
                "n_articles": len(members),
                "outlets": sorted({outlet_name(a) for a in members}),
                "summary": sentences(brief.summary) if brief else [],
                "brief": sentences(brief.brief) if brief else [],
                "facts": facts,
                "conflicts": conflicts,
                "timeline": sentences(brief.timeline) if brief else [],
                "quotes": quotes,
                "coverage": coverage,
                "apart": apart,
                "articles": [
                    {
                        "n": number[a.id],
                        "href_id": f"{anchor}-a{number[a.id]}",
                        "outlet": outlet_name(a),
                        "title": a.title or "(untitled)",
                        "url": safe_url(a.url),
                        "raw_url": a.url if a.url and not safe_url(a.url) else None,
                        "published": a.published or "",
                        "suspicion": _pct(suspicion.get(a.id)),
                        "copy_of": number.get(copy_of.get(a.id)) if copy_of.get(a.id) else None,
                        "apart": any(x["n"] == number[a.id] for x in apart),
                    }
                    for a in members
                ],
            }
        )
    return {
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "n_articles": len(articles),
        "n_events": len(events),
        "events": view_events,
        "problems": [str(p) for p in problems],
    }


# --------------------------------------------------------------------------- rendering


def _html_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _md_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # not HTML: every value is escaped for Markdown by `finalize` instead
        finalize=_md_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["link"] = _md_link
    env.filters["cites"] = lambda cs: MdSafe(
        "".join(f"[{c['n']}]" for c in cs).replace("[", "\\[").replace("]", "\\]")
    )
    env.filters["join_esc"] = lambda items, sep=", ": MdSafe(sep.join(md_escape(i) for i in items))
    return env


def render_markdown(result: Any) -> str:
    """The report as Markdown (every value escaped: see the module docstring)."""
    return _md_env().get_template("report.md.j2").render(**build_view(result))


def render_html(result: Any) -> str:
    """The report as one self-contained HTML page (inline CSS, no script, no remote asset)."""
    return _html_env().get_template("report.html.j2").render(**build_view(result))
