"""``newsprism eval clusters DATA.jsonl``: score event clustering against a gold ``event`` field.

The articles are read, cleaned and analysed as ``newsprism analyze`` would (``--fast``: the
clusterer's own lighter spaCy pass instead of the linguistics stage), clustered without looking
at their ``event`` field, and scored with B-cubed and pairwise precision/recall/F1 against it. The
run also times the clustering (articles per second, with and without the spaCy pass) and, unless
told not to, ingests the same articles into an ``IncrementalClusterer`` in batches (file order)
and reports how close that comes to the batch clustering (B-cubed F1 between the two).

Splits (``--split``): ``tune`` keeps events whose topic number is odd, ``test`` those whose topic
number is even, ``all`` everything. The topic number is the leading integer of the ``event``
value ("13_ecbplus" -> 13, as in ECB+); an event value without one is assigned by a stable hash
of the whole value. The defaults of ``ClusterSettings`` were tuned on ``tune`` only.

``--blank-metadata`` drops ``source``, ``url`` and ``published`` before anything else runs: in
ECB+ only one half of the articles carries them, and the clustering must not lean on that.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..cluster import ClusterSettings, cluster_features
from ..features import ArticleFeatures, extract_features
from ..incremental import IncrementalClusterer
from ..records import Article, ArticleAnalysis, Event, InputProblem
from .metrics import PRF, bcubed, labels_from_groups, pairwise

SPLITS = ("all", "tune", "test")
_TOPIC = re.compile(r"^\s*(\d+)")


@dataclass(slots=True)
class IncrementalCheck:
    """Incremental ingest of the same articles in ``batches`` batches, against the batch result."""

    batches: int
    events: int
    merges: int
    agreement: PRF  # B-cubed of the incremental clustering against the batch clustering
    bcubed: PRF  # B-cubed of the incremental clustering against gold
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "batches": self.batches,
            "events": self.events,
            "merges": self.merges,
            "bcubed_vs_batch": self.agreement.as_dict(),
            "bcubed_vs_gold": self.bcubed.as_dict(),
            "seconds": self.seconds,
        }


@dataclass(slots=True)
class ClusterReport:
    path: str
    split: str
    blank_metadata: bool
    articles: int  # articles clustered
    scored: int  # of which carry a gold event
    gold_events: int
    found_events: int
    singletons: int
    bcubed: PRF
    pairwise: PRF
    feature_seconds: float  # spaCy: the linguistics stage, or the fast pass with ``fast``
    cluster_seconds: float  # representation, candidates and agglomeration
    settings: ClusterSettings = field(default_factory=ClusterSettings)
    incremental: IncrementalCheck | None = None
    problems: int = 0  # input records skipped or warned about by the readers
    scaling: list[ScalePoint] = field(default_factory=list)
    fast: bool = False  # features from the fast spaCy pass rather than the linguistics stage

    @property
    def cluster_rate(self) -> float:
        """Articles per second of the clustering proper (features given)."""
        return self.articles / self.cluster_seconds if self.cluster_seconds > 0 else float("inf")

    @property
    def end_to_end_rate(self) -> float:
        """Articles per second including the spaCy pass."""
        total = self.cluster_seconds + self.feature_seconds
        return self.articles / total if total > 0 else float("inf")

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "split": self.split,
            "blank_metadata": self.blank_metadata,
            "articles": self.articles,
            "scored": self.scored,
            "gold_events": self.gold_events,
            "found_events": self.found_events,
            "singletons": self.singletons,
            "bcubed": self.bcubed.as_dict(),
            "pairwise": self.pairwise.as_dict(),
            "features_from": "fast spaCy pass" if self.fast else "linguistics stage",
            "feature_seconds": self.feature_seconds,
            "cluster_seconds": self.cluster_seconds,
            "articles_per_second": self.cluster_rate,
            "articles_per_second_with_spacy": self.end_to_end_rate,
            "incremental": self.incremental.as_dict() if self.incremental else None,
            "problems": self.problems,
            "scaling": [
                {"articles": p.articles, "seconds": p.seconds, "articles_per_second": p.rate,
                 "events": p.events, "bcubed": p.bcubed.as_dict()}
                for p in self.scaling
            ],
            "settings": self.settings.to_dict(),
        }


def topic_of(event: str) -> int:
    """The topic number of a gold event value (leading integer, else a stable hash)."""
    match = _TOPIC.match(event)
    if match:
        return int(match.group(1))
    return int.from_bytes(hashlib.sha256(event.encode()).digest()[:4], "big")


def in_split(article: Article, split: str) -> bool:
    if split == "all":
        return True
    if article.event_hint is None:
        return False
    odd = topic_of(article.event_hint) % 2 == 1
    return odd if split == "tune" else not odd


def blank_metadata(article: Article) -> Article:
    return dataclasses.replace(article, source=None, url=None, published=None, source_inferred=False)


def load_articles(path: str | Path, *, blank: bool = False) -> tuple[list[Article], list[InputProblem]]:
    """Read and clean the articles of ``path`` as ``newsprism analyze`` does (metadata dropped
    first when ``blank``); articles read twice are kept once."""
    from ..clean import clean_articles
    from ..readers import read_inputs

    articles: dict[str, Article] = {}
    problems: list[InputProblem] = []
    for item in read_inputs([str(path)]):
        if isinstance(item, InputProblem):
            problems.append(item)
        elif item.id not in articles:
            articles[item.id] = blank_metadata(item) if blank else item
    return clean_articles(list(articles.values())), problems


def _analyses(articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
    from ..linguistics import analyze_articles

    return {a.article_id: a for a in analyze_articles(articles)}


def _scores(events: Sequence[Event], articles: Sequence[Article]) -> tuple[PRF, PRF, int]:
    pred = labels_from_groups(e.article_ids for e in events)
    gold = {a.id: a.event_hint for a in articles if a.event_hint is not None}
    if not gold:
        raise ValueError("no article carries a gold `event` field")
    return bcubed(pred, gold), pairwise(pred, gold), len(set(gold.values()))


def incremental_check(
    features: Sequence[ArticleFeatures],
    batch_events: Sequence[Event],
    articles: Sequence[Article],
    settings: ClusterSettings,
    batches: int = 5,
) -> IncrementalCheck:
    """Ingest ``features`` (in the given order) in ``batches`` equal batches, merge what the
    clusterer proposes, and compare with the batch clustering and with gold."""
    start = time.perf_counter()
    clusterer = IncrementalClusterer(settings)
    size = -(-len(features) // batches)
    for k in range(0, len(features), size):
        clusterer.add_features(features[k : k + size])
    merges = clusterer.merge_all()
    seconds = time.perf_counter() - start
    events = clusterer.events()
    inc = labels_from_groups(e.article_ids for e in events)
    ref = labels_from_groups(e.article_ids for e in batch_events)
    gold_bcubed, _, _ = _scores(events, articles)
    return IncrementalCheck(
        batches=batches,
        events=len(events),
        merges=len(merges),
        agreement=bcubed(inc, ref),
        bcubed=gold_bcubed,
        seconds=seconds,
    )


def evaluate_clusters(
    path: str | Path,
    settings: ClusterSettings | None = None,
    *,
    blank_metadata: bool = False,
    split: str = "all",
    batches: int = 5,
    scaling_sizes: Sequence[int] = (),
    fast: bool = False,
) -> ClusterReport:
    """Cluster the articles of ``path`` (one split of them) and score against their ``event``.

    Lemmas and entities come from the linguistics stage, as in ``newsprism analyze``, or with
    ``fast`` from the clusterer's own spaCy pass without the parser (its fallback).
    ``batches`` > 0 also runs the incremental-versus-batch check with that many batches;
    ``scaling_sizes`` times the clustering on the articles replicated to those sizes.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    settings = settings or ClusterSettings()
    articles, problems = load_articles(path, blank=blank_metadata)
    articles = [a for a in articles if in_split(a, split)]
    if not articles:
        raise ValueError(f"{path}: no articles in split {split!r}")
    start = time.perf_counter()
    analyses = None if fast else _analyses(articles)
    features = extract_features(articles, analyses, lead_chars=settings.lead_chars)
    feature_seconds = time.perf_counter() - start
    start = time.perf_counter()
    events = cluster_features(features, settings)
    cluster_seconds = time.perf_counter() - start
    b3, pw, n_gold = _scores(events, articles)
    check = incremental_check(features, events, articles, settings, batches) if batches > 0 else None
    gold = {a.id: a.event_hint for a in articles if a.event_hint is not None}
    points = scaling(features, gold, scaling_sizes, settings) if scaling_sizes else []
    return ClusterReport(
        path=str(path),
        split=split,
        blank_metadata=blank_metadata,
        articles=len(articles),
        scored=sum(a.event_hint is not None for a in articles),
        gold_events=n_gold,
        found_events=len(events),
        singletons=sum(len(e.article_ids) == 1 for e in events),
        bcubed=b3,
        pairwise=pw,
        feature_seconds=feature_seconds,
        cluster_seconds=cluster_seconds,
        settings=settings,
        incremental=check,
        problems=len(problems),
        scaling=points,
        fast=fast,
    )


# --------------------------------------------------------------------------- scaling


def replicate(
    features: Sequence[ArticleFeatures], gold: dict[str, str], n: int, *, shift_days: int = 7
) -> tuple[list[ArticleFeatures], dict[str, str]]:
    """``n`` articles made of copies of ``features``: copy ``k`` gets new ids, its names
    (entity keys, and the lemmas that are words of them) marked ``#k`` and its date moved by
    ``k * shift_days``, so each copy of an event is a different event of the same kind, close
    in time to the others (what a big crawl looks like). Returns the features and their gold."""
    out: list[ArticleFeatures] = []
    out_gold: dict[str, str] = {}
    k = 0
    while len(out) < n:
        for f in features:
            if len(out) >= n:
                break
            if k == 0:
                copy = f
            else:
                names = {w for zone in f.entities.values() for key in zone for w in key.split()}
                copy = ArticleFeatures(
                    article_id=f"{f.article_id}~{k}",
                    title=f.title,
                    snippet=f.snippet,
                    date=f.date + dt.timedelta(days=k * shift_days) if f.date else None,
                    terms={z: {(t + f"#{k}" if t in names else t): c for t, c in zone.items()}
                           for z, zone in f.terms.items()},
                    entities={z: {f"{e}#{k}": c for e, c in zone.items()} for z, zone in f.entities.items()},
                )
            out.append(copy)
            if f.article_id in gold:
                out_gold[copy.article_id] = f"{gold[f.article_id]}#{k}"
        k += 1
    return out, out_gold


@dataclass(slots=True)
class ScalePoint:
    articles: int
    seconds: float
    events: int
    bcubed: PRF

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else float("inf")


def scaling(
    features: Sequence[ArticleFeatures],
    gold: dict[str, str],
    sizes: Sequence[int],
    settings: ClusterSettings | None = None,
) -> list[ScalePoint]:
    """Time ``cluster_features`` on replicated corpora of the given sizes (see ``replicate``)."""
    settings = settings or ClusterSettings()
    points = []
    for n in sizes:
        feats, g = replicate(features, gold, n)
        start = time.perf_counter()
        events = cluster_features(feats, settings)
        seconds = time.perf_counter() - start
        pred = labels_from_groups(e.article_ids for e in events)
        points.append(ScalePoint(n, seconds, len(events), bcubed(pred, g)))
    return points


def print_report(report: ClusterReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    b, p = report.bcubed, report.pairwise
    meta = "blanked" if report.blank_metadata else "as given"
    print(f"newsprism eval clusters: {report.path} (split {report.split}, metadata {meta})", file=out)
    print(f"  articles             {report.articles} ({report.scored} with a gold event)", file=out)
    print(f"  events found / gold  {report.found_events} / {report.gold_events} ({report.singletons} singletons)", file=out)
    print(f"  B-cubed   P {b.precision:.3f}  R {b.recall:.3f}  F1 {b.f1:.3f}", file=out)
    print(f"  pairwise  P {p.precision:.3f}  R {p.recall:.3f}  F1 {p.f1:.3f}", file=out)
    print(
        f"  speed                {report.cluster_rate:,.0f} articles/s clustering "
        f"({report.cluster_seconds:.2f} s); {report.end_to_end_rate:,.1f} articles/s with "
        f"{'the fast spaCy pass' if report.fast else 'the linguistics stage'} ({report.feature_seconds:.1f} s)",
        file=out,
    )
    inc = report.incremental
    if inc is not None:
        print(
            f"  incremental ({inc.batches} batches) vs batch: B-cubed F1 {inc.agreement.f1:.3f} "
            f"(P {inc.agreement.precision:.3f} R {inc.agreement.recall:.3f}); {inc.events} events, "
            f"{inc.merges} merges; vs gold B-cubed F1 {inc.bcubed.f1:.3f}",
            file=out,
        )
    if report.scaling:
        print("  scaling (replicated corpus: each copy of an event is another event of the same kind)", file=out)
        base = report.scaling[0]
        for point in report.scaling:
            growth = (point.seconds / base.seconds) / (point.articles / base.articles) if base.seconds else float("nan")
            print(
                f"    {point.articles:>7,} articles  {point.seconds:7.2f} s  {point.rate:8,.0f} articles/s  "
                f"time/size vs first {growth:4.2f}  events {point.events:,}  B-cubed F1 {point.bcubed.f1:.3f}",
                file=out,
            )
    if report.problems:
        print(f"  input problems       {report.problems} (see `newsprism analyze` for details)", file=out)


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    parser = parser or argparse.ArgumentParser(
        prog="newsprism eval clusters",
        description="Cluster JSONL articles without looking at their gold `event` field and print "
        "B-cubed and pairwise precision/recall/F1, events found vs gold, articles/second and the "
        "agreement of incremental (batched) with batch clustering.",
    )
    parser.add_argument("data", help="JSONL articles with a gold `event` field")
    parser.add_argument("--split", choices=SPLITS, default="all",
                        help="tune: odd topic numbers; test: even ones; all (default)")
    parser.add_argument("--blank-metadata", action="store_true",
                        help="drop source, url and published before clustering (a check that the clustering does not lean on them)")
    parser.add_argument("--batches", type=int, default=5, metavar="N",
                        help="incremental-vs-batch check with N batches (0: skip; default 5)")
    parser.add_argument("--fast", action="store_true",
                        help="lemmas and entities from the clusterer's own spaCy pass (no parser) instead of the linguistics stage")
    parser.add_argument("--threshold", type=float, default=None,
                        help=f"similarity threshold (default {ClusterSettings().threshold})")
    parser.add_argument("--entity-support", type=float, default=None, metavar="F",
                        help=f"the entity check: wording counts at most up to entity cosine / F for articles "
                        f"that both name entities; 0 switches it off (default {ClusterSettings().entity_support})")
    parser.add_argument("--scaling", metavar="N,N,...",
                        help="also time the clustering on the data replicated to these sizes (e.g. 1000,2000,5000,10000)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = ClusterSettings()
    if args.threshold is not None:
        settings = dataclasses.replace(settings, threshold=args.threshold)
    if args.entity_support is not None:
        settings = dataclasses.replace(settings, entity_support=args.entity_support)
    try:
        report = evaluate_clusters(
            args.data,
            settings,
            blank_metadata=args.blank_metadata,
            split=args.split,
            batches=args.batches,
            scaling_sizes=[int(x) for x in args.scaling.split(",")] if args.scaling else (),
            fast=args.fast,
        )
    except (OSError, ValueError) as exc:
        print(f"newsprism eval clusters: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
