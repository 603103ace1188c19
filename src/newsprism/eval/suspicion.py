"""`newsprism eval suspicion DATA.jsonl`: how well article suspicion separates manipulated reports.

DATA is JSONL with `label` (real/fake) and `event` (and optionally `manipulation`, `split`,
`setting`, as written by `newsprism.bench.devset`). The whole per-event pipeline runs here:
read -> clean -> dedup -> linguistics -> verify, events taken from the `event` field.

Printed: ROC-AUC, best F1 (and its threshold), F1 at the calibrated 0.5, per manipulation type
(each type's manipulated articles against all real ones), per event (mean AUC over events that
hold both classes), and how often the top-ranked sentence of a manipulated article is an edited one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import Article, ArticleAnalysis, DedupResult, Event, EventVerification
from ..verify import VerifySettings, verify_event


@dataclass(slots=True)
class Scored:
    article_id: str
    event: str
    label: int  # 1 = fake
    manipulation: str | None
    score: float
    features: dict[str, float] = field(default_factory=dict)
    split: str | None = None
    top_is_edited: bool | None = None


@dataclass(slots=True)
class SuspicionReport:
    n: int
    auc: float | None
    best_f1: float
    best_threshold: float
    f1_at_half: float
    per_manipulation: dict[str, float | None]
    per_event_auc: dict[str, float | None]
    mean_event_auc: float | None
    localisation: float | None  # share of manipulated articles whose top sentence is edited
    rows: list[Scored]

    def lines(self) -> list[str]:
        out = [
            f"articles: {self.n} ({sum(r.label for r in self.rows)} manipulated)",
            f"ROC-AUC: {_fmt(self.auc)}",
            f"best F1: {self.best_f1:.3f} at threshold {self.best_threshold:.3f}",
            f"F1 at suspicion 0.5: {self.f1_at_half:.3f}",
            f"mean per-event AUC: {_fmt(self.mean_event_auc)}",
            f"top sentence is an edited one: {_fmt(self.localisation)}",
            "per manipulation (AUC vs all real articles):",
        ]
        for kind, auc in sorted(self.per_manipulation.items()):
            count = sum(1 for r in self.rows if r.manipulation == kind)
            out.append(f"  {kind:<16} n={count:<4} AUC={_fmt(auc)}")
        out.append("per event (AUC where both classes are present):")
        for ev, auc in sorted(self.per_event_auc.items()):
            out.append(f"  {ev:<16} AUC={_fmt(auc)}")
        return out


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    from sklearn.metrics import roc_auc_score

    if len(set(labels)) < 2:
        return None
    return float(roc_auc_score(labels, scores))


def _best_f1(labels: Sequence[int], scores: Sequence[float]) -> tuple[float, float]:
    from sklearn.metrics import precision_recall_curve

    if not any(labels):
        return 0.0, 0.5
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    best, at = 0.0, 0.5
    for p, r, t in zip(precision[:-1], recall[:-1], thresholds):
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best:
            best, at = f, float(t)
    return best, at


def _f1_at(labels: Sequence[int], scores: Sequence[float], threshold: float) -> float:
    tp = sum(1 for y, s in zip(labels, scores) if y and s >= threshold)
    fp = sum(1 for y, s in zip(labels, scores) if not y and s >= threshold)
    fn = sum(1 for y, s in zip(labels, scores) if y and s < threshold)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _rows_by_line(path: str | Path) -> dict[int, dict[str, Any]]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    out[number] = json.loads(line)
                except json.JSONDecodeError:
                    continue
    return out


def prepare(path: str | Path, *, cache: str | Path | None = None, n_process: int = 1):
    """Read, clean, dedup and analyse DATA (analyses cached in `cache`, keyed by article id)."""
    from ..clean import clean_articles
    from ..dedup import find_duplicates
    from ..linguistics import analyze_articles
    from ..readers import read_inputs

    raw = [a for a in read_inputs([str(path)]) if isinstance(a, Article)]
    articles = clean_articles(raw)
    dedup = find_duplicates(articles)
    analyses: dict[str, ArticleAnalysis] = {}
    store = Path(cache) if cache else None
    todo = []
    for a in articles:
        f = store / f"{a.id}.pkl" if store else None
        if f is not None and f.exists():
            analyses[a.id] = pickle.loads(f.read_bytes())
        else:
            todo.append(a)
    for analysis in analyze_articles(todo, n_process=n_process):
        analyses[analysis.article_id] = analysis
        if store:
            store.mkdir(parents=True, exist_ok=True)
            (store / f"{analysis.article_id}.pkl").write_bytes(pickle.dumps(analysis))
    return articles, analyses, dedup


def verify_all(
    articles: Sequence[Article],
    analyses: dict[str, ArticleAnalysis],
    dedup: DedupResult,
    settings: VerifySettings,
) -> dict[str, EventVerification]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        if a.id in analyses:
            groups[a.event_hint or f"_single:{a.id}"].append(a)
    out = {}
    for ev, members in sorted(groups.items()):
        event = Event(id=ev, article_ids=[a.id for a in members], title=ev)
        out[ev] = verify_event(event, members, {a.id: analyses[a.id] for a in members}, dedup, settings)
    return out


def score(
    path: str | Path,
    articles: Sequence[Article],
    analyses: dict[str, ArticleAnalysis],
    verifications: dict[str, EventVerification],
) -> list[Scored]:
    meta = _rows_by_line(path)
    verdicts = {av.article_id: av for v in verifications.values() for av in v.articles}
    rows = []
    for a in articles:
        av = verdicts.get(a.id)
        if av is None:
            continue
        row = meta.get(a.origin.line or -1, {})
        label = 1 if str(row.get("label", a.label or "")).lower() in ("fake", "1", "true", "manipulated") else 0
        top_is_edited = None
        edited = [e.strip() for e in row.get("edited") or [] if e and e.strip()]
        if label and edited and av.sentences:
            top = max(av.sentences, key=lambda s: (s.suspicion, -s.index))
            text = analyses[a.id].sentences[top.index].text.strip()
            top_is_edited = any(text in e or e in text for e in edited)
        rows.append(Scored(a.id, a.event_hint or "", label, row.get("manipulation"), av.suspicion,
                           dict(av.features), row.get("split"), top_is_edited))
    return rows


def report(rows: list[Scored]) -> SuspicionReport:
    labels = [r.label for r in rows]
    scores = [r.score for r in rows]
    best_f1, threshold = _best_f1(labels, scores)
    real = [r for r in rows if not r.label]
    per_kind = {}
    for kind in sorted({r.manipulation for r in rows if r.label and r.manipulation}):
        sub = real + [r for r in rows if r.label and r.manipulation == kind]
        per_kind[kind] = _auc([r.label for r in sub], [r.score for r in sub])
    per_event = {}
    for ev in sorted({r.event for r in rows}):
        sub = [r for r in rows if r.event == ev]
        per_event[ev] = _auc([r.label for r in sub], [r.score for r in sub])
    valid = [v for v in per_event.values() if v is not None]
    loc = [r.top_is_edited for r in rows if r.top_is_edited is not None]
    return SuspicionReport(
        n=len(rows),
        auc=_auc(labels, scores),
        best_f1=best_f1,
        best_threshold=threshold,
        f1_at_half=_f1_at(labels, scores, 0.5),
        per_manipulation=per_kind,
        per_event_auc=per_event,
        mean_event_auc=sum(valid) / len(valid) if valid else None,
        localisation=sum(loc) / len(loc) if loc else None,
        rows=rows,
    )


def evaluate_suspicion(
    path: str | Path,
    *,
    settings: VerifySettings | None = None,
    cache: str | Path | None = None,
    split: str | None = None,
    n_process: int = 1,
) -> SuspicionReport:
    """Run the per-event pipeline on DATA and measure how suspicion separates fake from real.
    `split` keeps only rows whose `split` field equals it (e.g. "test" for held-out topics)."""
    settings = settings or VerifySettings()
    articles, analyses, dedup = prepare(path, cache=cache, n_process=n_process)
    verifications = verify_all(articles, analyses, dedup, settings)
    rows = score(path, articles, analyses, verifications)
    if split:
        rows = [r for r in rows if r.split == split]
    return report(rows)


def default_cache(path: str | Path) -> Path:
    digest = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:12]
    return Path.home() / ".cache" / "newsprism" / f"analyses-{digest}"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="newsprism eval suspicion", description=__doc__.split("\n\n")[0])
    p.add_argument("data", help="JSONL with `label` (real/fake) and `event` fields")
    p.add_argument("--split", help="only rows whose `split` field is this (e.g. test: held-out topics)")
    p.add_argument("--cache", help="directory caching linguistic analyses between runs")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--features", metavar="OUT.jsonl", help="also write each article's features, label and score")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    if not Path(args.data).is_file():
        print(f"error: {args.data} not found", file=sys.stderr)
        return 1
    rep = evaluate_suspicion(args.data, cache=args.cache, split=args.split, n_process=args.workers)
    if args.features:
        with open(args.features, "w", encoding="utf-8") as fh:
            for r in rep.rows:
                fh.write(json.dumps({"article": r.article_id, "event": r.event, "label": r.label,
                                     "manipulation": r.manipulation, "split": r.split, "score": r.score,
                                     "features": r.features}) + "\n")
    if args.json:
        print(json.dumps({
            "n": rep.n, "auc": rep.auc, "best_f1": rep.best_f1, "best_threshold": rep.best_threshold,
            "f1_at_half": rep.f1_at_half, "mean_event_auc": rep.mean_event_auc,
            "localisation": rep.localisation, "per_manipulation": rep.per_manipulation,
            "per_event": rep.per_event_auc,
        }, indent=2))
    else:
        print("\n".join(rep.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
