"""Clustering metrics: B-cubed and pairwise precision/recall/F1.

A clustering is a mapping item -> cluster label (``labels``), or a list of groups of items
(``labels_from_groups``). Both metrics compare two clusterings over the items they share; the
first argument is the one being scored ("predicted"), the second the reference ("gold").

B-cubed (Bagga & Baldwin 1998): for each item, precision is the share of its predicted cluster
that is in its gold cluster, recall the share of its gold cluster that is in its predicted one;
both are averaged over items. Pairwise: precision is the share of item pairs put together that
belong together, recall the share of pairs that belong together that were put together. When
there is no pair to count (all singletons), the ratio is 1.0 (nothing wrong was done).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def labels_from_groups(groups: Iterable[Iterable[Hashable]]) -> dict[Hashable, int]:
    """item -> index of its group (an item in two groups is an error)."""
    labels: dict[Hashable, int] = {}
    for k, group in enumerate(groups):
        for item in group:
            if item in labels:
                raise ValueError(f"item {item!r} is in two groups")
            labels[item] = k
    return labels


def _contingency(pred: Mapping, gold: Mapping) -> tuple[Counter, Counter, Counter, int]:
    items = [i for i in pred if i in gold]
    joint = Counter((pred[i], gold[i]) for i in items)
    sizes_pred = Counter(pred[i] for i in items)
    sizes_gold = Counter(gold[i] for i in items)
    return joint, sizes_pred, sizes_gold, len(items)


def bcubed(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """B-cubed precision and recall of ``pred`` against ``gold`` over their common items."""
    joint, sizes_pred, sizes_gold, n = _contingency(pred, gold)
    if n == 0:
        raise ValueError("the two clusterings share no item")
    precision = sum(c * c / sizes_pred[p] for (p, _), c in joint.items()) / n
    recall = sum(c * c / sizes_gold[g] for (_, g), c in joint.items()) / n
    return PRF(precision, recall)


def _pairs(k: int) -> int:
    return k * (k - 1) // 2


def pairwise(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """Pairwise precision and recall of ``pred`` against ``gold`` over their common items."""
    joint, sizes_pred, sizes_gold, n = _contingency(pred, gold)
    if n == 0:
        raise ValueError("the two clusterings share no item")
    together = sum(_pairs(c) for c in joint.values())
    pred_pairs = sum(_pairs(c) for c in sizes_pred.values())
    gold_pairs = sum(_pairs(c) for c in sizes_gold.values())
    return PRF(
        together / pred_pairs if pred_pairs else 1.0,
        together / gold_pairs if gold_pairs else 1.0,
    )
