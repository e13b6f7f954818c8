"""Sampling plans: validation with one-line errors, stratified deterministic picks, even assignment."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from scoring.sampling import (
    Candidate,
    PlanInvalid,
    PlanSpec,
    allocate,
    assign_evenly,
    due_date,
    load_plan,
    load_plans,
    parse_plan,
    parse_week,
    select_sample,
    week_label,
)

SHIPPED = Path(__file__).parents[2] / "sampling"


def test_shipped_plans_are_valid() -> None:
    plans = load_plans(SHIPPED)
    assert {p.spec.team for p in plans} == {"north", "south"}
    north = next(p for p in plans if p.spec.team == "north")
    assert north.spec.per_agent_per_week == 4 and north.spec.always_review.needs_human


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "team: north\nper_agent_per_week: -1\n",
            "plan.yaml: per_agent_per_week: Input should be greater than",
        ),
        (
            "team: north\nper_agent_per_week: 2\nstratify_by: [queue]\n",
            "plan.yaml: stratify_by.0: Input should be",
        ),
        (
            "team: north\nper_agent_per_week: 2\nalways_review: {auto_fial: true}\n",
            "plan.yaml: always_review.auto_fial: Extra",
        ),
        ("per_agent_per_week: 2\n", "plan.yaml: team: Field required"),
        ("team: [north\n", "plan.yaml: line 2: YAML syntax error"),
        ("- team\n", "plan.yaml: a sampling plan must be a mapping"),
    ],
)
def test_bad_plans_name_file_and_field_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with pytest.raises(PlanInvalid) as error:
        load_plan(path)
    assert str(error.value).startswith(str(tmp_path / message))
    assert "\n" not in str(error.value)


def test_two_plans_for_one_team_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("team: north\nper_agent_per_week: 1\n")
    (tmp_path / "b.yaml").write_text("team: north\nper_agent_per_week: 2\n")
    with pytest.raises(PlanInvalid, match=r"b\.yaml: team: team 'north' already has a plan"):
        load_plans(tmp_path)
    assert load_plans(tmp_path / "missing") == []


def test_allocate_is_proportional_and_exact() -> None:
    assert allocate({"call": 6, "chat": 3, "email": 1}, 5) == {"call": 3, "chat": 2, "email": 0}
    assert sum(allocate({"a": 7, "b": 5, "c": 1}, 6).values()) == 6
    assert allocate({"a": 2, "b": 1}, 10) == {"a": 2, "b": 1}  # never more than there is
    assert allocate({"a": 2}, 0) == {"a": 0}


def _candidates() -> list[Candidate]:
    pool = []
    n = 0
    for agent in ("ann", "bob"):
        # Per agent: 12 calls about potholes, 6 chats about bins, 2 emails: a 60/30/10 mix.
        for channel, topic, count in (("call", "pothole", 12), ("chat", "bins", 6), ("email", None, 2)):
            for _ in range(count):
                n += 1
                pool.append(Candidate(n, agent, channel, topic))
    return pool


def test_sample_is_stratified_per_agent_and_deterministic() -> None:
    spec = PlanSpec(team="north", per_agent_per_week=10)
    picks = select_sample(_candidates(), spec, seed="north:2026-W10")
    per_agent = Counter(p.agent for p in picks)
    assert per_agent == {"ann": 10, "bob": 10}
    strata = Counter((p.agent, p.stratum) for p in picks)
    assert strata[("ann", "call/pothole")] == 6 and strata[("ann", "chat/bins")] == 3
    assert strata[("ann", "email/none")] == 1
    assert select_sample(_candidates(), spec, seed="north:2026-W10") == picks
    other_week = select_sample(_candidates(), spec, seed="north:2026-W11")
    assert {p.interaction_id for p in other_week} != {p.interaction_id for p in picks}
    # Picks made earlier in the week count toward N.
    topped_up = select_sample(
        _candidates(), spec, seed="north:2026-W10", already_sampled={"ann": 10, "bob": 7}
    )
    assert Counter(p.agent for p in topped_up) == {"bob": 3}


def test_always_review_rules_pick_on_top_of_the_sample() -> None:
    spec = PlanSpec(team="north", per_agent_per_week=1)
    special = [
        Candidate(101, "ann", "call", auto_fail=True),
        Candidate(102, "ann", "call", customer_sentiment_end=-0.8),
        Candidate(103, "ann", "call", recognition_confidence=0.4),
        Candidate(104, "ann", "call", longest_silence_seconds=45.0),
        Candidate(105, "ann", "chat", needs_human=True),
        Candidate(106, "ann", "chat", open_dispute=True),
        Candidate(107, "ann", "chat", customer_sentiment_end=-0.5, recognition_confidence=0.7),
        Candidate(108, "ann", "chat", longest_silence_seconds=29.0),
    ]
    picks = {p.interaction_id: p.reason for p in select_sample(special, spec, seed="s")}
    assert (
        picks.items()
        >= {
            101: "auto_fail",
            102: "negative_sentiment",
            103: "low_recognition_confidence",
            104: "long_silence",
            105: "needs_human",
            106: "open_dispute",
        }.items()
    )
    assert [i for i, reason in picks.items() if reason == "sample"] in ([107], [108])
    off = PlanSpec.model_validate(
        {
            "team": "north",
            "per_agent_per_week": 0,
            "always_review": {"auto_fail": False, "customer_sentiment_below": None},
        }
    )
    assert {p.interaction_id for p in select_sample(special, off, seed="s")} == {103, 104, 105, 106}


def test_assignments_are_spread_evenly() -> None:
    spec = PlanSpec(team="north", per_agent_per_week=10)
    picks = select_sample(_candidates(), spec, seed="w")
    assigned = assign_evenly(picks, ["sam", "tia", "uma"])
    assert sorted(Counter(r for _, r in assigned).values()) == [6, 7, 7]
    # Earlier load this week is evened out first.
    more = assign_evenly(picks[:4], ["sam", "tia"], load={"sam": 3})
    assert Counter(r for _, r in more) == {"tia": 4} or Counter(r for _, r in more) == {"tia": 3, "sam": 1}
    with pytest.raises(ValueError, match="no reviewers"):
        assign_evenly(picks, [])


def test_iso_weeks() -> None:
    assert parse_week("2026-W10") == date(2026, 3, 2)
    assert week_label(date(2026, 3, 8)) == "2026-W10" and week_label(date(2026, 1, 1)) == "2026-W01"
    assert due_date(date(2026, 3, 2), 7) == date(2026, 3, 15)
    for bad in ("2026-10", "2026-W54", "W10", ""):
        with pytest.raises(ValueError, match="ISO week like 2026-W10"):
            parse_week(bad)
    assert parse_plan("team: x\nper_agent_per_week: 0\n").spec.due_days == 7
