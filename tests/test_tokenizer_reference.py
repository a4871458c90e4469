"""The shipped reference tokenizer (models/tokenizer): its model card's held-out numbers reproduce, and
issue 4's targets hold on an independent set of new synthetic subjects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agir.synth.dataset import SynthConfig, write_synthetic_dataset
from agir.tokenizer.data import load_walk_features
from agir.tokenizer.evaluate import evaluate_tokenizer
from agir.tokenizer.model import MotionTokenizer

MODEL = Path(__file__).resolve().parents[1] / "models" / "tokenizer"


@pytest.fixture(scope="module")
def heldout_metrics(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = tmp_path_factory.mktemp("heldout") / "walks"
    # the card's independent held-out set: agir synth --subjects 40 --walks-per-subject 1 --seed 2 --fps 20
    write_synthetic_dataset(data, SynthConfig(subjects=40, walks_per_subject=1, seed=2, fps=20.0), workers=2)
    model = MotionTokenizer.from_pretrained(MODEL)
    walks, skipped = load_walk_features(data, model.config.fps)
    assert not skipped and not {w.subject for w in walks} & set(model.info["training_subjects"])
    return evaluate_tokenizer(model, walks)


def test_card_numbers_reproduce(heldout_metrics: dict) -> None:
    card = (MODEL / "README.md").read_text()
    assert f"MPJPE {heldout_metrics['mpjpe_mm']:.1f} mm" in card
    assert f"codebook usage {heldout_metrics['codebook_usage']:.1%}".replace("%", " %") in card
    drift = heldout_metrics["param_drift"]
    assert f"cadence\n{drift['cadence_pct']:.2f} %" in card or f"cadence {drift['cadence_pct']:.2f} %" in re.sub(r"\s+", " ", card)


def test_issue_targets_are_met_on_new_subjects(heldout_metrics: dict) -> None:
    assert heldout_metrics["mpjpe_mm"] < 25.0
    assert heldout_metrics["codebook_usage"] > 0.5
    drift = heldout_metrics["param_drift"]
    assert drift["cadence_pct"] < 3.0 and drift["stride_length_pct"] < 5.0
    assert drift["arm_swing_pct"] < 10.0 and drift["trunk_flexion_deg"] < 3.0


def test_config_records_held_out_subjects() -> None:
    config = json.loads((MODEL / "config.json").read_text())
    assert config["validation_subjects"] and config["metrics"]["walks"] == 450
