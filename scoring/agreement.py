"""How far two or more raters agree: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Raters answer nominal categories ("pass", "fail", "na"). Results are dataclasses; a statistic that is
undefined (no data, or every rater always gave the same single answer so chance agreement is 1) is None,
never a made-up number.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import permutations

CATEGORIES: tuple[str, ...] = ("pass", "fail", "na")
Z_95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement of two raters (first: the machine, second: a person) over n items.

    `confusion[(first, second)]` counts the items answered `first` by the first rater and `second` by
    the second. The kappa interval is the analytic large-sample one (Fleiss, Cohen and Everitt 1969).
    """

    n: int
    agreement: float | None
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RaterAgreement:
    """Agreement of several raters over units, some of which may lack an answer from some rater.

    `statistic` names what `kappa` is: Fleiss' kappa when every unit has the same raters,
    Krippendorff's alpha (nominal) when answers are missing.
    """

    units: int
    agreement: float | None
    kappa: float | None
    statistic: str


def confusion_counts(
    pairs: Sequence[tuple[str, str]], categories: Sequence[str] = CATEGORIES
) -> dict[tuple[str, str], int]:
    """Every (first, second) combination of `categories` (and any other answer seen) with its count."""
    seen = list(categories) + sorted({c for pair in pairs for c in pair} - set(categories))
    counts = Counter(pairs)
    return {(a, b): counts.get((a, b), 0) for a in seen for b in seen}


def cohen_kappa(
    pairs: Sequence[tuple[str, str]], categories: Sequence[str] = CATEGORIES, *, z: float = Z_95
) -> PairAgreement:
    """Percent agreement and Cohen's kappa of two raters, with a `z` (default 95 %) interval."""
    confusion = confusion_counts(pairs, categories)
    n = len(pairs)
    if n == 0:
        return PairAgreement(0, None, None, None, None, confusion)
    labels = confusion_labels(confusion)
    p = {key: count / n for key, count in confusion.items()}
    first = {c: sum(p[(c, other)] for other in labels) for c in labels}
    second = {c: sum(p[(other, c)] for other in labels) for c in labels}
    observed = sum(p[(c, c)] for c in labels)
    chance = sum(first[c] * second[c] for c in labels)
    if math.isclose(chance, 1.0):
        return PairAgreement(n, observed, None, None, None, confusion)
    kappa = (observed - chance) / (1 - chance)
    # Large-sample variance of kappa (Fleiss, Cohen & Everitt 1969), not the null-hypothesis one.
    diagonal = sum(p[(c, c)] * (1 - (first[c] + second[c]) * (1 - kappa)) ** 2 for c in labels)
    off = (1 - kappa) ** 2 * sum(
        p[(i, j)] * (second[i] + first[j]) ** 2 for i in labels for j in labels if i != j
    )
    correction = (kappa - chance * (1 - kappa)) ** 2
    variance = max(0.0, (diagonal + off - correction) / (n * (1 - chance) ** 2))
    half = z * math.sqrt(variance)
    return PairAgreement(n, observed, kappa, max(-1.0, kappa - half), min(1.0, kappa + half), confusion)


def confusion_labels(confusion: dict[tuple[str, str], int]) -> list[str]:
    """The labels of a confusion table in their first-seen order."""
    labels: list[str] = []
    for a, b in confusion:
        for label in (a, b):
            if label not in labels:
                labels.append(label)
    return labels


def fleiss_kappa(units: Sequence[Sequence[Hashable]]) -> float | None:
    """Fleiss' kappa of units that each have the same number (at least 2) of answers."""
    sizes = {len(unit) for unit in units}
    if not units or len(sizes) != 1 or min(sizes) < 2:
        return None
    raters = sizes.pop()
    counts = [Counter(unit) for unit in units]
    total = len(units) * raters
    totals: Counter[Hashable] = Counter()
    for unit_counts in counts:
        totals.update(unit_counts)
    chance = sum((count / total) ** 2 for count in totals.values())
    observed = sum(_unit_agreement(unit_counts, raters) for unit_counts in counts) / len(units)
    if math.isclose(chance, 1.0):
        return None
    return (observed - chance) / (1 - chance)


def _unit_agreement(counts: Counter[Hashable], raters: int) -> float:
    # The share of ordered rater pairs in the unit that gave the same answer.
    return sum(c * (c - 1) for c in counts.values()) / (raters * (raters - 1))


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal answers; None marks a missing answer, units with fewer than two
    answers do not count."""
    coincidences: dict[tuple[Hashable, Hashable], float] = {}
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue
        weight = 1 / (len(values) - 1)
        for a, b in permutations(values, 2):
            coincidences[(a, b)] = coincidences.get((a, b), 0.0) + weight
    marginals: dict[Hashable, float] = {}
    for (a, _b), weight in coincidences.items():
        marginals[a] = marginals.get(a, 0.0) + weight
    n = sum(marginals.values())
    if n <= 1:
        return None
    disagreement = sum(w for (a, b), w in coincidences.items() if a != b)
    expected = sum(marginals[a] * marginals[b] for a in marginals for b in marginals if a != b)
    if math.isclose(expected, 0.0):
        return None
    return 1 - (n - 1) * disagreement / expected


def pairwise_agreement(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Mean over units (with at least two answers) of the share of rater pairs that agree."""
    shares = []
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) >= 2:
            shares.append(_unit_agreement(Counter(values), len(values)))
    return sum(shares) / len(shares) if shares else None


def multi_rater_agreement(units: Sequence[Sequence[Hashable | None]]) -> RaterAgreement:
    """Agreement of several raters (one list per unit, one slot per rater, None when missing)."""
    rated = [unit for unit in units if sum(v is not None for v in unit) >= 2]
    complete = bool(rated) and all(None not in unit for unit in rated) and len({len(u) for u in rated}) == 1
    if complete:
        kappa = fleiss_kappa([[v for v in unit if v is not None] for unit in rated])
        statistic = "fleiss_kappa"
    else:
        kappa = krippendorff_alpha(rated)
        statistic = "krippendorff_alpha"
    return RaterAgreement(
        units=len(rated), agreement=pairwise_agreement(rated), kappa=kappa, statistic=statistic
    )


class Trust(enum.StrEnum):
    """Whether the machine's answers to a criterion can stand without a person."""

    TRUSTED = "trusted"
    NEEDS_HUMAN = "needs_human"
    UNMEASURED = "unmeasured"


@dataclass(frozen=True, slots=True)
class TrustRule:
    """A criterion is trusted when the lower end of its kappa interval reaches `min_kappa` over at least
    `min_answers` human answers; below that it needs a person; with fewer answers it is unmeasured."""

    min_kappa: float = 0.6
    min_answers: int = 20


def trust_of(result: PairAgreement, rule: TrustRule) -> Trust:
    """The trust a criterion earns from its machine-vs-human agreement."""
    if result.n < rule.min_answers:
        return Trust.UNMEASURED
    if result.kappa_low is None:
        # Undefined kappa: everyone always gave one answer; trust it only when machine and people agree.
        return Trust.TRUSTED if result.agreement == 1.0 else Trust.NEEDS_HUMAN
    return Trust.TRUSTED if result.kappa_low >= rule.min_kappa else Trust.NEEDS_HUMAN


__all__ = [
    "CATEGORIES",
    "PairAgreement",
    "RaterAgreement",
    "Trust",
    "TrustRule",
    "cohen_kappa",
    "confusion_counts",
    "fleiss_kappa",
    "krippendorff_alpha",
    "multi_rater_agreement",
    "pairwise_agreement",
    "trust_of",
]
