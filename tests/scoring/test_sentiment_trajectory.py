"""Per-interaction sentiment summary on hand-built turn sequences."""

from __future__ import annotations

import pytest

from scoring.conversation import Turn
from scoring.sentiment import summarize_sentiment


def _turns(speakers: str) -> list[Turn]:
    names = {"a": "agent", "c": "customer", "s": "system"}
    return [Turn(names[ch], f"turn {i}", start=float(10 * i)) for i, ch in enumerate(speakers)]  # type: ignore[arg-type]


def test_improving_customer() -> None:
    turns = _turns("acacacac")
    scores = [0.5, -0.8, 0.4, -0.2, 0.5, 0.3, 0.6, 0.9]
    s = summarize_sentiment(turns, scores)
    # customer scores -0.8, -0.2, 0.3, 0.9 -> thirds of 4 turns are 2 turns each
    assert s.customer.start == pytest.approx(-0.5)
    assert s.customer.end == pytest.approx(0.6)
    assert s.customer.overall == pytest.approx(0.05)
    assert s.trajectory == "improved"
    assert s.most_negative is not None
    assert (s.most_negative.turn, s.most_negative.start, s.most_negative.score) == (1, 10.0, -0.8)
    assert s.agent.overall == pytest.approx(0.5)


def test_worsening_and_flat() -> None:
    turns = _turns("cacaca")
    assert summarize_sentiment(turns, [0.6, 0, 0.1, 0, -0.7, 0]).trajectory == "worsened"
    assert summarize_sentiment(turns, [0.1, 0, 0.5, 0, 0.2, 0]).trajectory == "flat"


def test_single_customer_turn_is_flat_and_system_turns_ignored() -> None:
    s = summarize_sentiment(_turns("sac"), [-1.0, 0.2, -0.4])
    assert s.trajectory == "flat"
    assert s.customer.start == s.customer.end == s.customer.overall == pytest.approx(-0.4)
    assert s.most_negative is not None and s.most_negative.turn == 2


def test_no_customer_and_to_dict_shape() -> None:
    s = summarize_sentiment(_turns("aa"), [0.1, 0.3])
    d = s.to_dict()
    assert d["customer"] == {"start": None, "end": None, "overall": None}
    assert d["most_negative"] is None and d["trajectory"] == "flat"
    full = summarize_sentiment(_turns("ca"), [-0.3, 0.2]).to_dict()
    assert set(full) == {"customer", "agent", "trajectory", "most_negative"}
    most_negative = full["most_negative"]
    assert isinstance(most_negative, dict) and set(most_negative) == {"turn", "start", "score"}


def test_length_mismatch() -> None:
    with pytest.raises(ValueError):
        summarize_sentiment(_turns("ca"), [0.1])
