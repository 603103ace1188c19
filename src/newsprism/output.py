"""The stable JSON output of `newsprism analyze`, described by `schema/newsprism-output.schema.json`.

`SCHEMA_VERSION` follows semantic versioning: adding fields is a minor change; renaming or
removing one is a major change. Values the analysis did not produce are null, never invented.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from . import __version__
from .pipeline import AnalysisResult
from .records import (
    Article,
    ArticleAnalysis,
    ArticleVerdict,
    Brief,
    BriefSentence,
    InputProblem,
    SentenceInfo,
    SentenceVerdict,
    to_dict,
)

SCHEMA_VERSION = "1.0.0"
SCHEMA_ID = "https://newsprism.invalid/schema/newsprism-output-1.json"


def load_schema() -> dict[str, Any]:
    text = resources.files("newsprism").joinpath("schema/newsprism-output.schema.json").read_text()
    return json.loads(text)


def validate(document: dict[str, Any]) -> None:
    """Raise `jsonschema.ValidationError` when `document` does not follow the schema."""
    import jsonschema

    jsonschema.validate(document, load_schema())


def _problem(p: InputProblem) -> dict[str, Any]:
    return {"path": p.path, "line": p.line, "kind": p.kind, "message": p.message, "skipped": p.skipped}


def _brief_sentence(s: BriefSentence) -> dict[str, Any]:
    return {
        "text": s.text,
        "date": s.date,
        "attribution": s.attribution,
        "citations": [{"article": c.article, "outlet": c.outlet, "index": c.index} for c in s.citations],
    }


def _brief(brief: Brief) -> dict[str, Any]:
    return {
        "summary": [_brief_sentence(s) for s in brief.summary],
        "brief_short": [_brief_sentence(s) for s in brief.brief_short],
        "brief": [_brief_sentence(s) for s in brief.brief],
        "key_facts": brief.key_facts,
        "timeline": [_brief_sentence(s) for s in brief.timeline],
        "quotes": [to_dict(q) for q in brief.quotes],
        "coverage": brief.coverage,
        "standing_apart": brief.standing_apart,
    }


def _sentence(info: SentenceInfo, verdict: SentenceVerdict | None) -> dict[str, Any]:
    return {
        "index": info.index,
        "text": info.text,
        "start": info.start,
        "end": info.end,
        "label": verdict.label if verdict else None,
        "suspicion": verdict.suspicion if verdict else None,
        "support": [{"article": r.article, "index": r.index} for r in verdict.support] if verdict else [],
        "conflicts_with": (
            [{"article": r.article, "index": r.index} for r in verdict.conflicts_with] if verdict else []
        ),
        "independent_outlets": verdict.independent_outlets if verdict else None,
        "opinion": verdict.opinion if verdict else None,
        "loaded": verdict.loaded if verdict else None,
        "reasons": list(verdict.reasons) if verdict else [],
        "components": dict(verdict.components) if verdict else {},
        "attribution": to_dict(info.attribution) if info.attribution else None,
        "quantities": [
            {"text": q.text, "value": q.value, "unit": q.unit, "qualifier": q.qualifier, "low": q.low, "high": q.high}
            for q in info.quantities
        ],
        "hedges": list(info.hedges),
        "loaded_terms": list(info.loaded_terms),
    }


def _article(
    article: Article,
    event: str | None,
    analysis: ArticleAnalysis | None,
    verdict: ArticleVerdict | None,
    copies: dict[str, str],
) -> dict[str, Any]:
    verdicts = {s.index: s for s in verdict.sentences} if verdict else {}
    return {
        "id": article.id,
        "external_id": article.external_id,
        "event": event,
        "title": article.title,
        "source": article.source,
        "source_inferred": article.source_inferred,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "origin": {
            "path": article.origin.path,
            "line": article.origin.line,
            "record": article.origin.record,
            "ref": str(article.origin),
        },
        "copy_of": copies.get(article.id),
        "suspicion": verdict.suspicion if verdict else None,
        "reasons": list(verdict.reasons) if verdict else [],
        "drivers": list(verdict.drivers) if verdict else [],
        "features": dict(verdict.features) if verdict else {},
        "opinion_share": verdict.opinion_share if verdict else None,
        "support_share": verdict.support_share if verdict else None,
        "removed_boilerplate": list(article.removed),
        "sentences": [_sentence(s, verdicts.get(s.index)) for s in analysis.sentences] if analysis else [],
    }


def build_output(result: AnalysisResult) -> dict[str, Any]:
    """The JSON document for one run (see the schema for every field)."""
    event_of = result.event_of()
    copies = result.dedup.copy_of()
    verdicts: dict[str, ArticleVerdict] = {
        av.article_id: av for v in result.verifications.values() for av in v.articles
    }
    model = next((a.model for a in result.analyses.values() if a.model), None)
    events = []
    for event in result.events:
        brief = result.briefs.get(event.id)
        verification = result.verifications.get(event.id)
        members = [result.articles[a] for a in event.article_ids if a in result.articles]
        events.append(
            {
                "id": event.id,
                "title": event.title,
                "article_ids": list(event.article_ids),
                "outlets": sorted({a.source for a in members if a.source}),
                "summary": brief.summary_text if brief and brief.summary else None,
                "brief": _brief(brief) if brief else None,
                "conflicts": [to_dict(c) for c in verification.conflicts] if verification else [],
                "articles_by_suspicion": (
                    [
                        av.article_id
                        for av in sorted(verification.articles, key=lambda av: (-av.suspicion, av.article_id))
                    ]
                    if verification
                    else []
                ),
            }
        )
    articles = [
        _article(a, event_of.get(a.id), result.analyses.get(a.id), verdicts.get(a.id), copies)
        for a in sorted(result.articles.values(), key=lambda a: (str(a.origin.path), a.origin.line or 0, a.id))
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "$schema": SCHEMA_ID,
        "generator": {"name": "newsprism", "version": __version__, "model": model},
        "settings": {
            "events": result.settings.events,
            "summary_words": result.settings.summary_words,
            "engine": result.settings.engine,
        },
        "inputs": list(result.inputs),
        "counts": {
            "articles": len(result.articles),
            "analysed": len(result.analyses),
            "events": len(result.events),
            "problems": len(result.problems),
            "skipped": sum(1 for p in result.problems if p.skipped),
        },
        "problems": [_problem(p) for p in result.problems],
        "events": events,
        "articles": articles,
        "duplicates": [to_dict(link) for link in result.dedup.links],
        "shared_passages": [to_dict(p) for p in result.dedup.passages],
    }
