"""``newsprism eval summaries DIR``: ROUGE of the extractive summariser on document clusters.

Accepted layouts (documented in docs/SUMMARIES.md)
----------------------------------------------------
(a) one folder per cluster::

        DIR/<cluster>/docs/*          the documents (any file names)
        DIR/<cluster>/refs/*          reference summaries (``models/``, ``references/`` or
                                      ``summaries/`` are accepted too)

    ``DIR`` may also hold collections one level down (e.g. ``DIR/clusters/<cluster>/docs`` and
    ``DIR/duc/docs/<cluster>/``): each subfolder is read in whichever layout it has.

(b) DUC style (DUC 2001-2007, as distributed)::

        DIR/docs/<cluster>/*          e.g. docs/d30001t/APW19981016.0240
        DIR/models/<CLUSTER>.*.<id>   e.g. models/D30001.M.100.T.A (searched recursively)

    Cluster folder names and model-file prefixes are matched case-insensitively, after
    dropping the trailing selector letter of DUC ids (``d30001t`` -> ``d30001``).

(c) a JSONL file (or a DIR holding exactly one ``*.jsonl``), one cluster per line::

        {"cluster": "id", "documents": ["text", ...], "references": ["text", ...]}

    (``id``/``name`` for the cluster and ``docs``/``summaries``/``refs`` are accepted too;
    a document may also be an object with a ``text`` field).

Documents may be plain text or SGML/TREC (``<DOC><TEXT>...</TEXT></DOC>``): when a ``<TEXT>``
element exists only its content is used, other tags are stripped and entities unescaped.

Scoring
-------
Every system's output is cut at ``word_limit`` whitespace words (ROUGE's ``-l``); ROUGE-1, -2 and
-L (recall and F1, Porter-stemmed, rouge-score package) are computed against each reference and
averaged over the references of a cluster, then averaged over clusters. Each system is timed
per cluster on the same pre-split sentences (sentence splitting, shared by all systems, and
ROUGE are not timed): the best wall time and the best process CPU time of ``repeats`` runs, each
started cold (newsprism's memo caches cleared). Systems: ``newsprism`` (this package's
concept-coverage summariser), ``lexrank`` and ``textrank`` (sumy, run offline with our own
tokenizer), ``centroid`` (a plain TF-IDF centroid with redundancy removal) and ``lead`` (first
sentences of the first document).
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from newsprism.summarize import (
    SummarySettings,
    clear_caches,
    content_tokens,
    split_sentences,
    summarize,
    truncate_words,
    word_count,
)

DEFAULT_SYSTEMS = ("newsprism", "lexrank", "textrank", "centroid")
REF_DIRS = ("refs", "models", "references", "summaries", "reference")


@dataclass
class Cluster:
    name: str
    documents: list[str]
    references: list[str]


@dataclass
class SystemScore:
    system: str
    rouge: dict[str, float] = field(default_factory=dict)  # "rouge2_recall" -> mean over clusters
    seconds_per_cluster: float = 0.0
    ratio_vs_lexrank: float | None = None  # system time / LexRank time (smaller is faster)
    # process CPU time: on a shared machine less noisy than wall time, which waits count in
    cpu_seconds_per_cluster: float = 0.0
    cpu_ratio_vs_lexrank: float | None = None
    per_cluster: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class EvalReport:
    word_limit: int
    clusters: list[str]
    systems: dict[str, SystemScore]
    summaries: dict[str, dict[str, str]] = field(default_factory=dict)  # system -> cluster -> text

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- reading


_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def read_document(raw: str) -> str:
    """Plain text of a document: the ``<TEXT>`` elements of SGML/TREC, or the whole file;
    tags stripped, entities unescaped, paragraph breaks kept."""
    parts = _TEXT_RE.findall(raw)
    if parts:
        raw = "\n\n".join(parts)
    if "<" in raw and _TAG_RE.search(raw):
        raw = re.sub(r"</?P>", "\n\n", raw, flags=re.IGNORECASE)
        raw = _TAG_RE.sub(" ", raw)
    text = html.unescape(raw)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    return text.strip()


def _read(path: Path) -> str:
    return read_document(path.read_text(encoding="utf-8", errors="replace"))


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _duc_key(name: str) -> str:
    key = name.lower().split(".")[0]
    if re.fullmatch(r"d\d+[a-z]", key):
        key = key[:-1]
    return key


def load_clusters(path: str | Path, *, _depth: int = 0) -> list[Cluster]:
    """Read clusters in any of the accepted layouts (see the module docstring)."""
    root = Path(path)
    if root.is_file():
        return _load_jsonl(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such file or directory")
    jsonl = sorted(root.glob("*.jsonl"))
    if len(jsonl) == 1 and not (root / "docs").is_dir():
        return _load_jsonl(jsonl[0])
    # (b) DUC: DIR/docs/<cluster>/ and DIR/models/
    models_dir = next((root / d for d in REF_DIRS if (root / d).is_dir()), None)
    if (root / "docs").is_dir() and models_dir is not None and any(
        p.is_dir() for p in (root / "docs").iterdir()
    ):
        refs_by_key: dict[str, list[Path]] = {}
        for p in _files(models_dir):
            refs_by_key.setdefault(_duc_key(p.name), []).append(p)
        clusters = []
        for folder in sorted(p for p in (root / "docs").iterdir() if p.is_dir()):
            refs = refs_by_key.get(_duc_key(folder.name), [])
            if not refs:
                continue
            clusters.append(
                Cluster(folder.name, [_read(p) for p in _files(folder)], [_read(p) for p in refs])
            )
        return clusters
    # (a) DIR/<cluster>/docs + refs, possibly one level down
    clusters = _load_folders(root)
    if not clusters and _depth == 0:
        for sub in sorted(p for p in root.iterdir() if p.is_dir()):
            clusters.extend(load_clusters(sub, _depth=1))
    return clusters


def _load_folders(root: Path) -> list[Cluster]:
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        docs = folder / "docs"
        refs = next((folder / d for d in REF_DIRS if (folder / d).is_dir()), None)
        if docs.is_dir() and any(p.is_dir() for p in docs.iterdir()):
            continue  # DIR/docs/<cluster>/: a DUC layout, not one cluster
        if docs.is_dir() and refs is not None:
            out.append(
                Cluster(folder.name, [_read(p) for p in _files(docs)], [_read(p) for p in _files(refs)])
            )
    return out


def _load_jsonl(path: Path) -> list[Cluster]:
    clusters = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            name = str(rec.get("cluster") or rec.get("id") or rec.get("name") or f"cluster-{n}")
            docs = rec.get("documents") or rec.get("docs") or []
            refs = rec.get("references") or rec.get("summaries") or rec.get("refs") or []
            docs = [read_document(d["text"] if isinstance(d, dict) else str(d)) for d in docs]
            refs = [read_document(r["text"] if isinstance(r, dict) else str(r)) for r in refs]
            clusters.append(Cluster(name, docs, refs))
    return clusters


# --------------------------------------------------------------------------- systems


def _fill(ranked: Sequence[str], word_limit: int) -> str:
    """Sentences in rank order until the word limit is reached (the last one is cut by ROUGE's
    ``-l``)."""
    out, used = [], 0
    for s in ranked:
        if used >= word_limit:
            break
        out.append(s)
        used += word_count(s)
    return " ".join(out)


def newsprism_system(settings: SummarySettings | None = None) -> Callable:
    s = settings or SummarySettings(fill=True)

    def run(docs: list[list[str]], word_limit: int) -> str:
        chosen = summarize(docs, word_limit, settings=s)
        return " ".join(x.text for x in chosen)

    return run


class _Tokenizer:
    """The tokenizer object sumy's document model calls (``to_words``), so that sumy runs
    without NLTK's punkt data."""

    _WORDS = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._WORDS.findall(sentence))

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))


def sumy_system(name: str) -> Callable:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[name]
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _Tokenizer()

    def run(docs: list[list[str]], word_limit: int) -> str:
        document = ObjectDocumentModel(
            [Paragraph([Sentence(s, tokenizer) for s in doc]) for doc in docs if doc]
        )
        ranking: list = []

        def take(infos):  # sumy hands us every sentence sorted by rating
            ranking.extend(infos)
            return ranking

        summarizer(document, take)
        ranked = [str(i.sentence) for i in sorted(ranking, key=lambda i: -i.rating)]
        return _fill(ranked, word_limit)

    return run


def centroid_system(docs: list[list[str]], word_limit: int, *, redundancy: float = 0.5) -> str:
    """A plain TF-IDF centroid summariser (Radev et al. 2004, without MEAD's extra features):
    sentences ranked by cosine to the cluster centroid, near-duplicates skipped."""
    import numpy as np

    sents = [s for doc in docs for s in doc if word_count(s) >= 5]
    if not sents:
        return ""
    doc_tokens = [set(t for s in doc for t in content_tokens(s)) for doc in docs]
    n = len(docs)
    vocab: dict[str, int] = {}
    toks = [content_tokens(s) for s in sents]
    for ts in toks:
        for t in ts:
            vocab.setdefault(t, len(vocab))
    idf = np.zeros(len(vocab))
    for t, i in vocab.items():
        df = sum(1 for d in doc_tokens if t in d)
        idf[i] = math.log((n + 1) / (df + 0.5))
    M = np.zeros((len(sents), len(vocab)))
    for r, ts in enumerate(toks):
        for t in ts:
            M[r, vocab[t]] += 1
    M *= idf
    norms = np.linalg.norm(M, axis=1)
    norms[norms == 0] = 1
    U = M / norms[:, None]
    centroid = M.sum(axis=0)
    centroid /= np.linalg.norm(centroid) or 1
    scores = U @ centroid
    chosen: list[int] = []
    used = 0
    for r in np.argsort(-scores):
        if used >= word_limit:
            break
        if any(U[r] @ U[c] > redundancy for c in chosen):
            continue
        chosen.append(int(r))
        used += word_count(sents[r])
    return " ".join(sents[r] for r in chosen)


def lead_system(docs: list[list[str]], word_limit: int) -> str:
    return _fill([s for s in (docs[0] if docs else [])], word_limit)


def make_system(name: str, settings: SummarySettings | None = None) -> Callable:
    if name == "newsprism":
        return newsprism_system(settings)
    if name in ("lexrank", "textrank"):
        return sumy_system(name)
    if name == "centroid":
        return centroid_system
    if name == "lead":
        return lead_system
    raise ValueError(f"unknown system {name!r}; known: newsprism, lexrank, textrank, centroid, lead")


# --------------------------------------------------------------------------- evaluation


def rouge_scores(summary: str, references: Sequence[str], scorer=None) -> dict[str, float]:
    """ROUGE-1/2/L recall and F1 (stemmed), averaged over the references."""
    if scorer is None:
        from rouge_score import rouge_scorer

        scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals: dict[str, float] = {}
    for ref in references:
        scores = scorer.score(ref, summary)
        for key, sc in scores.items():
            totals[f"{key}_recall"] = totals.get(f"{key}_recall", 0.0) + sc.recall
            totals[f"{key}_f1"] = totals.get(f"{key}_f1", 0.0) + sc.fmeasure
    n = max(1, len(references))
    return {k: 100.0 * v / n for k, v in totals.items()}


def evaluate_summaries(
    path: str | Path,
    *,
    word_limit: int = 100,
    systems: Sequence[str] = DEFAULT_SYSTEMS,
    settings: SummarySettings | None = None,
    repeats: int = 1,
) -> EvalReport:
    """Score ``systems`` on the clusters at ``path`` (see the module docstring for layouts)."""
    from rouge_score import rouge_scorer

    clusters = load_clusters(path)
    if not clusters:
        raise ValueError(f"{path}: no clusters with documents and references found")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    runners = {name: make_system(name, settings) for name in systems}
    prepared = {c.name: [split_sentences(d) for d in c.documents] for c in clusters}
    report = EvalReport(word_limit, [c.name for c in clusters], {})
    # warm-up (imports, caches) so the first cluster's timing is not an import
    warm = prepared[clusters[0].name]
    for run in runners.values():
        run(warm, word_limit)
    for name, run in runners.items():
        score = SystemScore(name)
        report.summaries[name] = {}
        for c in clusters:
            text, seconds, cpu_seconds = _timed_run(run, prepared[c.name], word_limit, repeats)
            text = truncate_words(text, word_limit)
            report.summaries[name][c.name] = text
            score.per_cluster[c.name] = rouge_scores(text, c.references, scorer)
            score.per_cluster[c.name].update(seconds=seconds, cpu_seconds=cpu_seconds)
        per_cluster = list(score.per_cluster.values())
        keys = [k for k in per_cluster[0] if k not in ("seconds", "cpu_seconds")]
        score.rouge = {k: statistics.fmean(p[k] for p in per_cluster) for k in keys}
        score.seconds_per_cluster = statistics.fmean(p["seconds"] for p in per_cluster)
        score.cpu_seconds_per_cluster = statistics.fmean(p["cpu_seconds"] for p in per_cluster)
        report.systems[name] = score
    if "lexrank" in report.systems:
        lexrank = report.systems["lexrank"]
        for sc in report.systems.values():
            sc.ratio_vs_lexrank = sc.seconds_per_cluster / (lexrank.seconds_per_cluster or 1e-12)
            sc.cpu_ratio_vs_lexrank = sc.cpu_seconds_per_cluster / (lexrank.cpu_seconds_per_cluster or 1e-12)
    return report


def _timed_run(run: Callable, docs: list[list[str]], word_limit: int, repeats: int) -> tuple[str, float, float]:
    """``run``'s summary and its best wall and best CPU seconds over ``repeats`` cold runs."""
    best = best_cpu = math.inf
    text = ""
    for _ in range(max(1, repeats)):
        clear_caches()  # newsprism memoises sentence preparation: every run starts cold
        t0, c0 = time.perf_counter(), time.process_time()
        text = run(docs, word_limit)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return text, best, best_cpu


def format_table(report: EvalReport) -> str:
    cols = [
        ("R1-R", "rouge1_recall"),
        ("R1-F", "rouge1_f1"),
        ("R2-R", "rouge2_recall"),
        ("R2-F", "rouge2_f1"),
        ("RL-R", "rougeL_recall"),
        ("RL-F", "rougeL_f1"),
    ]
    head = (
        f"{'system':<10} " + " ".join(f"{c:>6}" for c, _ in cols)
        + f" {'s/cluster':>10} {'vs LexRank':>10} {'cpu s/cl':>9} {'cpu vs LR':>9}"
    )
    lines = [
        f"ROUGE (x100, stemmed, mean over {len(report.clusters)} clusters, {report.word_limit} words)",
        head,
        "-" * len(head),
    ]

    def ratio(value: float | None) -> str:
        return "" if value is None else f"{value:.3f}x"

    for sc in report.systems.values():
        lines.append(
            f"{sc.system:<10} "
            + " ".join(f"{sc.rouge.get(k, 0.0):6.2f}" for _, k in cols)
            + f" {sc.seconds_per_cluster:10.4f} {ratio(sc.ratio_vs_lexrank):>10}"
            + f" {sc.cpu_seconds_per_cluster:9.4f} {ratio(sc.cpu_ratio_vs_lexrank):>9}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="newsprism eval summaries",
        description="ROUGE-1/2/L of newsprism's summaries and baselines on document clusters.",
    )
    parser.add_argument("path", help="cluster folder (layout a or b) or JSONL file (layout c)")
    parser.add_argument("--word-limit", type=int, default=100)
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS), help="comma-separated")
    parser.add_argument(
        "--solver", choices=("greedy", "ilp"), default="greedy",
        help="greedy (default, as in the briefs) or the exact ILP (about 1 ROUGE-2 point more on our fixtures, 20-30x slower)",
    )
    parser.add_argument("--no-compress", action="store_true", help="no sentence compression")
    parser.add_argument("--repeats", type=int, default=1, help="time each run this many times (best)")
    parser.add_argument("--json", metavar="FILE", help="also write the full report as JSON")
    parser.add_argument("--show", action="store_true", help="print each system's summaries")
    args = parser.parse_args(argv)
    settings = SummarySettings(fill=True, solver=args.solver, compress=not args.no_compress)
    try:
        report = evaluate_summaries(
            args.path,
            word_limit=args.word_limit,
            systems=[s.strip() for s in args.systems.split(",") if s.strip()],
            settings=settings,
            repeats=args.repeats,
        )
    except (FileNotFoundError, ValueError) as exc:
        print(f"newsprism eval summaries: {exc}", file=sys.stderr)
        return 2
    print(format_table(report))
    if args.show:
        for system, by_cluster in report.summaries.items():
            for cluster, text in by_cluster.items():
                print(f"\n[{system} / {cluster}]\n{text}")
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
