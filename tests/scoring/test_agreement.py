"""Agreement statistics checked against hand computations and published examples."""

from __future__ import annotations

import pytest

from scoring.agreement import (
    PairAgreement,
    Trust,
    TrustRule,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    multi_rater_agreement,
    pairwise_agreement,
    trust_of,
)


def _pairs(table: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    return [pair for pair, count in table.items() for _ in range(count)]


def test_cohen_kappa_of_a_2x2_table_matches_the_hand_computation() -> None:
    # machine \ human   pass  fail
    #   pass              20     5     row 25 -> p_m(pass) = 0.5
    #   fail              10    15     row 25 -> p_m(fail) = 0.5
    #   column            30    20     n = 50 -> p_h(pass) = 0.6, p_h(fail) = 0.4
    # observed po = (20 + 15) / 50 = 0.7; chance pe = 0.5*0.6 + 0.5*0.4 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    # Variance (Fleiss, Cohen & Everitt 1969), proportions p11=.4 p12=.1 p21=.2 p22=.3, 1-kappa = .6:
    #   A = .4*(1 - (.5+.6)*.6)^2 + .3*(1 - (.5+.4)*.6)^2 = .4*.1156 + .3*.2116 = .10972
    #   B = .6^2 * (.1*(.6+.5)^2 + .2*(.4+.5)^2) = .36 * (.121 + .162) = .10188
    #   C = (.4 - .5*.6)^2 = .01
    #   var = (A + B - C) / (50 * .5^2) = .2016 / 12.5 = .016128, se = .126996
    # 95 % interval: .4 -+ 1.96 * .126996 = [.1511, .6489]
    table = {("pass", "pass"): 20, ("pass", "fail"): 5, ("fail", "pass"): 10, ("fail", "fail"): 15}
    result = cohen_kappa(_pairs(table))
    assert result.n == 50
    assert result.agreement == pytest.approx(0.7)
    assert result.kappa == pytest.approx(0.4)
    assert result.kappa_low == pytest.approx(0.4 - 1.959964 * 0.126996, abs=1e-5)
    assert result.kappa_high == pytest.approx(0.4 + 1.959964 * 0.126996, abs=1e-5)
    assert result.confusion[("pass", "fail")] == 5 and result.confusion[("fail", "pass")] == 10
    assert result.confusion[("na", "na")] == 0  # every combination is listed


def test_cohen_kappa_interval_narrows_with_more_answers() -> None:
    table = {("pass", "pass"): 20, ("pass", "fail"): 5, ("fail", "pass"): 10, ("fail", "fail"): 15}
    small, large = cohen_kappa(_pairs(table)), cohen_kappa(_pairs(table) * 4)
    assert large.kappa == pytest.approx(small.kappa)
    assert large.kappa_high is not None and large.kappa_low is not None
    assert small.kappa_high is not None and small.kappa_low is not None
    assert large.kappa_high - large.kappa_low == pytest.approx((small.kappa_high - small.kappa_low) / 2)


def test_cohen_kappa_edges() -> None:
    empty = cohen_kappa([])
    assert (empty.n, empty.agreement, empty.kappa) == (0, None, None)
    perfect = cohen_kappa([("pass", "pass"), ("fail", "fail"), ("na", "na")])
    assert perfect.kappa == pytest.approx(1.0) and perfect.kappa_low == pytest.approx(1.0)
    # Everyone always said pass: agreement is total, kappa is undefined rather than a guess.
    same = cohen_kappa([("pass", "pass")] * 5)
    assert same.agreement == 1.0 and same.kappa is None
    opposite = cohen_kappa([("pass", "fail"), ("fail", "pass")] * 5)
    assert opposite.kappa == pytest.approx(-1.0) and opposite.agreement == 0.0


def test_fleiss_kappa_matches_the_published_example() -> None:
    # Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories, kappa = 0.210.
    counts = [
        (0, 0, 0, 0, 14),
        (0, 2, 6, 4, 2),
        (0, 0, 3, 5, 6),
        (0, 3, 9, 2, 0),
        (2, 2, 8, 1, 1),
        (7, 7, 0, 0, 0),
        (3, 2, 6, 3, 0),
        (2, 5, 3, 2, 2),
        (6, 5, 2, 1, 0),
        (0, 2, 2, 3, 7),
    ]
    units = [[category for category, n in enumerate(row) for _ in range(n)] for row in counts]
    assert fleiss_kappa(units) == pytest.approx(0.2099, abs=1e-4)
    assert fleiss_kappa([["pass", "pass"], ["pass"]]) is None  # unequal raters: not Fleiss' case


def test_krippendorff_alpha_matches_the_published_example_with_missing_answers() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units, nominal 0.743.
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [list(unit) for unit in zip(*coders, strict=True)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_multi_rater_agreement_picks_fleiss_or_krippendorff() -> None:
    complete = [["pass", "pass", "pass"], ["fail", "fail", "pass"], ["fail", "fail", "fail"]]
    result = multi_rater_agreement(complete)
    assert result.statistic == "fleiss_kappa" and result.units == 3
    # Pairs that agree: 3/3, 1/3, 3/3 of the rater pairs.
    assert result.agreement == pytest.approx((1 + 1 / 3 + 1) / 3)
    assert result.kappa == pytest.approx(fleiss_kappa(complete))
    missing: list[list[str | None]] = [["pass", "pass", None], ["fail", "fail", "pass"], ["fail", None, None]]
    partial = multi_rater_agreement(missing)
    assert partial.statistic == "krippendorff_alpha" and partial.units == 2  # the one-answer unit drops
    assert partial.kappa == pytest.approx(krippendorff_alpha(missing))
    assert pairwise_agreement(missing) == pytest.approx((1 + 1 / 3) / 2)


def test_trust_needs_enough_answers_and_a_high_enough_interval() -> None:
    rule = TrustRule(min_kappa=0.6, min_answers=20)
    good = cohen_kappa([("pass", "pass")] * 15 + [("fail", "fail")] * 15)
    assert trust_of(good, rule) is Trust.TRUSTED
    poor = cohen_kappa(
        _pairs({("pass", "pass"): 20, ("pass", "fail"): 5, ("fail", "pass"): 10, ("fail", "fail"): 15})
    )
    assert trust_of(poor, rule) is Trust.NEEDS_HUMAN  # kappa 0.4
    few = cohen_kappa([("pass", "pass")] * 5 + [("fail", "fail")] * 5)
    assert trust_of(few, rule) is Trust.UNMEASURED
    # A point estimate above the level is not enough when the interval reaches below it.
    wide = cohen_kappa([("pass", "pass")] * 10 + [("fail", "fail")] * 9 + [("pass", "fail")] * 2)
    assert wide.kappa is not None and wide.kappa > 0.6 and wide.kappa_low is not None and wide.kappa_low < 0.6
    assert trust_of(wide, rule) is Trust.NEEDS_HUMAN
    assert trust_of(PairAgreement(30, 1.0, None, None, None), rule) is Trust.TRUSTED
