"""The claim checker and the score metrics."""

from __future__ import annotations

import random

import pytest

from agir.assess.claims import check_rationale
from agir.assess.metrics import score_metrics
from agir.corpus.texts import rationale

FLAT = {"speed_m_s": 0.61, "stride_length_m": 0.61, "cadence_steps_per_min": 100.0, "stride_time_cv_pct": 2.0,
        "foot_clearance_left_m": 0.02, "foot_clearance_right_m": 0.03, "arm_swing_left_m": 0.30, "arm_swing_right_m": 0.02,
        "arm_swing_asymmetry_pct": 80.0, "trunk_flexion_deg": 34.0, "turn_steps": 7.0, "turn_duration_s": 6.0}  # fmt: skip


@pytest.mark.parametrize("seed", range(20))
def test_the_corpus_rationales_are_fully_consistent(seed: int) -> None:
    text, claims = rationale(FLAT, 3, random.Random(seed))
    checks, faithfulness = check_rationale(text, FLAT)
    assert faithfulness == 1.0, [c.reason for c in checks if not c.consistent]
    assert len(checks) == len(claims) + 1  # each clause plus the 'k of n measures abnormal' count


def test_wrong_values_directions_and_unsupported_claims_are_flagged() -> None:
    text = ("Foot: Walking speed normal (0.61 m/s), stride length markedly shortened (0.71 m), foot lift severely reduced "
            "(2 cm). Arm: Left arm swing preserved (30 cm), right arm swing reduced (2 cm), gait looks lovely. "
            "Posture: Trunk flexed forward (34 deg). Turning: Turn duration markedly slow (6.0 s). "
            "Overall: bad; 5 of 8 measures abnormal. Score: 3")  # fmt: skip
    checks, faithfulness = check_rationale(text, FLAT)
    verdict = {c.text: (c.consistent, c.reason) for c in checks}
    assert verdict["Walking speed normal (0.61 m/s)"] == (False, "says normal but the measured value is low for 1.00-1.50 m/s")
    assert verdict["stride length markedly shortened (0.71 m)"][1] == "cites 0.71 but 0.61 m was measured"
    assert verdict["gait looks lovely"] == (False, "names no measured parameter")
    assert verdict["foot lift severely reduced (2 cm)"][0] and verdict["Left arm swing preserved (30 cm)"][0]
    assert not verdict["5 of 8 measures abnormal"][0]
    assert faithfulness == pytest.approx(5 / 9)


def test_a_claim_on_an_unmeasured_parameter_is_not_consistent() -> None:
    checks, _ = check_rationale("Turning: Turn duration normal (1.5 s).", {**FLAT, "turn_duration_s": None})
    assert not checks[0].consistent and "could not be measured" in checks[0].reason


def test_no_claims_means_no_faithfulness() -> None:
    assert check_rationale("Score: 2", FLAT) == ([], None)


def test_score_metrics_on_a_known_example() -> None:
    m = score_metrics([0, 0, 1, 1, 2, 2, 3, 3], [0, 0, 1, 2, 2, 2, 3, 1])
    assert m["accuracy"] == pytest.approx(6 / 8)
    assert m["within_one"] == pytest.approx(7 / 8)
    assert m["per_class"]["1"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert m["per_class"]["2"]["precision"] == pytest.approx(2 / 3)
    assert m["macro_f1_0_3"] == pytest.approx((1 + 0.5 + 0.8 + 2 / 3) / 4)
    assert m["macro_f1_0_2"] == pytest.approx((1 + 0.5 + 0.8) / 3)
    assert m["confusion"][3] == [0, 1, 0, 1]
    assert score_metrics([0, 1, 2, 3], [0, 1, 2, 3])["quadratic_kappa"] == pytest.approx(1.0)
    assert score_metrics([0, 1, 2, 3], [3, 2, 1, 0])["quadratic_kappa"] < 0
