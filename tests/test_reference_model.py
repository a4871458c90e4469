"""The shipped reference model (models/agir, on SmolLM2-135M-Instruct): what the issue asks of it on real
CMU walks, and that its recorded held-out evaluation reproduces on a sample of those walks.

Loading the base model builds the SmolLM2 cache folder on first use (about 30 s)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agir.assess.assessment import Assessor
from agir.corpus.build import build_corpus
from agir.lm.model import read_lm_folder
from agir.readers import read_motion
from agir.synth.dataset import SynthConfig, write_synthetic_dataset

MODEL = Path(__file__).resolve().parents[1] / "models" / "agir"


@pytest.fixture(scope="module")
def assessor() -> Assessor:
    return Assessor(MODEL)


@pytest.fixture(scope="module")
def cmu(assessor: Assessor, cmu_dir: Path) -> dict:
    names = ["136_22.bvh", "136_01.bvh", "07_06.bvh", "105_29_first15s.bvh"]
    return dict(zip(names, assessor.assess_motions([read_motion(cmu_dir / n) for n in names])))


def test_normal_cmu_walks_score_0_or_1(cmu: dict) -> None:
    for name in ("136_22.bvh", "07_06.bvh", "105_29_first15s.bvh"):
        assert cmu[name].score in (0, 1), (name, cmu[name].probabilities, cmu[name].rationale)


def test_walking_bent_forward_is_more_impaired_and_the_rationale_says_why(cmu: dict) -> None:
    bent, normal = cmu["136_01.bvh"], cmu["136_22.bvh"]
    assert 1 - bent.probabilities["0"] > 1 - normal.probabilities["0"]
    assert "Posture:" in bent.rationale
    posture = [c for c in bent.claims if c["parameter"] == "trunk_flexion_deg"]
    assert posture and posture[0]["claimed"] == "high" and posture[0]["consistent"]


def test_the_rationales_on_real_walks_are_faithful(cmu: dict) -> None:
    for name, a in cmu.items():
        assert a.faithfulness is not None and a.faithfulness >= 0.8, (name, [c for c in a.claims if not c["consistent"]])


def test_the_recorded_held_out_evaluation_reproduces(assessor: Assessor, tmp_path_factory: pytest.TempPathFactory) -> None:
    info = read_lm_folder(MODEL)
    evaluation = info["evaluation"]
    agir = next(m for name, m in evaluation["methods"].items() if name.startswith("AGIR rationale"))
    forest = evaluation["methods"]["gait parameters + random forest"]
    # the card's claims that hold (macro-F1 at or above the random forest's does NOT yet: see the README)
    assert agir["faithfulness"] >= 0.9 and agir["rationales_without_claims"] == 0
    assert agir["macro_f1_0_3"] > evaluation["methods"]["majority class"]["macro_f1_0_3"] + 0.3
    assert agir["within_one"] >= 0.9 and forest["n"] == agir["n"] == evaluation["test_walks"]
    # regenerate the corpus the card names (deterministic) and re-assess a sample of its held-out walks
    recipe = info["corpus_recipe"]
    root = tmp_path_factory.mktemp("reference")
    write_synthetic_dataset(root / "walks", SynthConfig(**recipe["synth"]), workers=2)
    build_corpus(root / "walks", root / "corpus", workers=2)
    walks = {json.loads(line)["walk_id"]: json.loads(line) for line in (root / "corpus" / "walks.jsonl").open()}
    sample = evaluation["sample_predictions"]
    for row in sample:
        assert walks[row["walk_id"]]["subject"] in set(info["held_out_subjects"])
    got = assessor.assess_motions([read_motion(walks[row["walk_id"]]["file"]) for row in sample])
    for row, a in zip(sample, got):
        assert a.score == row["predicted"], row["walk_id"]
        assert a.probabilities[str(row["predicted"])] == pytest.approx(row["probabilities"][str(row["predicted"])], abs=0.05)
