"""What a draft scorecard would change: per criterion, per team and agent mean, per interaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

# The kinds of change counted per criterion; anything else (n/a -> pass, pending, added) is "other".
PASS_TO_FAIL = "pass_to_fail"
FAIL_TO_PASS = "fail_to_pass"
TO_NA = "to_na"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Answer:
    result: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Rescored:
    """One interaction under the published rubric (as stored) and under the draft."""

    interaction_id: int
    agent_id: int | None
    agent: str | None
    team_id: int | None
    team: str | None
    before_total: float | None
    after_total: float | None
    before: dict[str, Answer]
    after: dict[str, Answer]


def change_kind(before: str | None, after: str | None) -> str | None:
    """How an answer moved, or None when it did not."""
    if before == after:
        return None
    if before == "pass" and after == "fail":
        return PASS_TO_FAIL
    if before == "fail" and after == "pass":
        return FAIL_TO_PASS
    if after == "na":
        return TO_NA
    return OTHER


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(fmean(known), 1) if known else None


def _group(rows: Sequence[Rescored], key: str, name: str) -> list[dict[str, Any]]:
    groups: dict[Any, list[Rescored]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    out = []
    for group_id, members in groups.items():
        out.append(
            {
                "id": group_id,
                "name": getattr(members[0], name),
                "team_id": members[0].team_id,
                "n": len(members),
                "before": _mean([m.before_total for m in members]),
                "after": _mean([m.after_total for m in members]),
            }
        )
    return sorted(out, key=lambda g: (g["name"] is None, g["name"] or ""))


def summarize(rows: Sequence[Rescored], *, failed: int = 0) -> dict[str, Any]:
    """The stored preview: counts per criterion, team and agent means before and after, changed interactions
    with the old and new answers and evidence of each changed criterion."""
    counts: dict[str, dict[str, int]] = {}
    changed = []
    for row in rows:
        moved = []
        for cid in [*row.after, *(c for c in row.before if c not in row.after)]:
            before, after = row.before.get(cid), row.after.get(cid)
            kind = change_kind(before.result if before else None, after.result if after else None)
            per = counts.setdefault(cid, {PASS_TO_FAIL: 0, FAIL_TO_PASS: 0, TO_NA: 0, OTHER: 0})
            if kind is None:
                continue
            per[kind] += 1
            moved.append(
                {
                    "id": cid,
                    "before": before.result if before else None,
                    "after": after.result if after else None,
                    "before_evidence": before.evidence if before else [],
                    "after_evidence": after.evidence if after else [],
                }
            )
        if moved or row.before_total != row.after_total:
            changed.append(
                {
                    "interaction_id": row.interaction_id,
                    "agent_id": row.agent_id,
                    "agent": row.agent,
                    "team_id": row.team_id,
                    "before_total": row.before_total,
                    "after_total": row.after_total,
                    "criteria": moved,
                }
            )
    return {
        "evaluated": len(rows),
        "failed": failed,
        "overall": {
            "n": len(rows),
            "before": _mean([r.before_total for r in rows]),
            "after": _mean([r.after_total for r in rows]),
        },
        "criteria": [{"id": cid, **per, "changed": sum(per.values())} for cid, per in counts.items()],
        "teams": _group(rows, "team_id", "team"),
        "agents": _group(rows, "agent_id", "agent"),
        "changed": changed,
    }
