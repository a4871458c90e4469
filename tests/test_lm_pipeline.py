"""The whole AGIR pipeline from an empty folder on tiny settings, through the command line:
agir synth -> corpus -> tokenizer train -> train --stage 1 -> --stage 2 (and the direct-answer ablation) ->
evaluate, then assess (file, JSON, folder -> CSV), describe and generate. A 2-layer random Llama stands in
for SmolLM2, so the numbers mean nothing here; the structure, the bookkeeping and the errors are checked."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from agir.cli import app

runner = CliRunner()
TINY_TOKENIZER = dict(width=16, code_dim=8, codebook_size=32, num_quantizers=2, depth=1, batch_size=4, window=16,
                      steps=8, warmup_steps=2, validate_every=4, checkpoint_every=4, learning_rate=1e-3)  # fmt: skip
TINY_LM = dict(base_model="tiny-llama", max_motion_steps=16, batch_size=4, max_steps=3, save_steps=2, learning_rate=5e-3)


def agir(*args: str) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, f"agir {' '.join(map(str, args))} failed:\n{result.output}\n{result.exception!r}"
    return result.stdout


def fails(*args: str) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 1, result.output
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pipeline")
    (root / "tok.json").write_text(json.dumps(TINY_TOKENIZER))
    (root / "lm.json").write_text(json.dumps(TINY_LM))
    agir("synth", "--out", root / "walks", "--subjects", 10, "--walks-per-subject", 2, "--seed", 3, "--fps", 20, "--workers", 1)
    agir("corpus", "--data", root / "walks", "--out", root / "corpus", "--workers", 1)
    agir("tokenizer", "train", "--data", root / "walks", "--out", root / "tokenizer", "--config", root / "tok.json")
    agir("train", "--stage", 1, "--corpus", root / "corpus", "--tokenizer", root / "tokenizer", "--out", root / "stage1",
         "--config", root / "lm.json")
    agir("train", "--stage", 2, "--corpus", root / "corpus", "--init", root / "stage1", "--out", root / "stage2",
         "--config", root / "lm.json")
    agir("train", "--stage", 2, "--corpus", root / "corpus", "--init", root / "stage1", "--out", root / "direct",
         "--config", root / "lm.json", "--answer", "direct")
    return {"root": root, "corpus": root / "corpus", "stage1": root / "stage1", "stage2": root / "stage2",
            "direct": root / "direct", "walks": root / "walks"}  # fmt: skip


def test_model_folders_follow_the_conventions(pipeline: dict[str, Path]) -> None:
    folder = pipeline["stage2"]
    for name in ("adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "agir_lm.json", "README.md",
                 "motion_tokenizer/config.json", "motion_tokenizer/model.safetensors"):  # fmt: skip
        assert (folder / name).is_file(), name
    assert not (folder / "checkpoints").exists()
    info = json.loads((folder / "agir_lm.json").read_text())
    splits = json.loads((pipeline["corpus"] / "splits.json").read_text())["kfold5"]["folds"][0]
    assert info["training_subjects"] == splits["train_subjects"] and info["held_out_subjects"] == splits["test_subjects"]
    assert [h["stage"] for h in info["history"]] == [1, 2]
    assert info["history"][1]["examples"] == 2 * len(splits["train_subjects"])  # one rationale per walk
    assert "agir train --stage 2" in (folder / "README.md").read_text()


def test_evaluate_puts_agir_beside_the_baselines_on_held_out_subjects(pipeline: dict[str, Path]) -> None:
    out = pipeline["root"] / "eval.json"
    agir("evaluate", "--corpus", pipeline["corpus"], "--model", pipeline["stage2"], "--model", pipeline["direct"], "--out", out)
    results = json.loads(out.read_text())
    names = list(results["methods"])
    assert names == ["AGIR rationale (stage2)", "AGIR direct (direct)", "majority class", "gait parameters + random forest",
                     "skeleton temporal-conv classifier"]  # fmt: skip
    held_out = set(json.loads((pipeline["stage2"] / "agir_lm.json").read_text())["held_out_subjects"])
    walks = {json.loads(line)["walk_id"]: json.loads(line) for line in (pipeline["corpus"] / "walks.jsonl").open()}
    for row in results["methods"]["AGIR rationale (stage2)"]["predictions"]:
        assert walks[row["walk_id"]]["subject"] in held_out
        assert abs(sum(row["probabilities"].values()) - 1) < 1e-3
    for m in results["methods"].values():
        assert m["n"] == results["test_walks"] == 2 * len(held_out)
        assert {"accuracy", "macro_f1_0_3", "macro_f1_0_2", "quadratic_kappa", "within_one", "per_class", "confusion"} <= set(m)
        assert sum(map(sum, m["confusion"])) == m["n"]
    assert results["methods"]["AGIR rationale (stage2)"]["faithfulness"] is not None
    assert results["methods"]["AGIR direct (direct)"]["faithfulness"] is None
    assert "| gait parameters + random forest |" in out.with_suffix(".md").read_text()


def test_evaluate_refuses_a_fold_whose_subjects_were_trained_on(pipeline: dict[str, Path]) -> None:
    message = fails("evaluate", "--corpus", pipeline["corpus"], "--model", pipeline["stage2"], "--fold", 1)
    assert "was trained on" in message and "fold 1" in message


def test_assess_a_real_walk_as_json(pipeline: dict[str, Path], cmu_dir: Path) -> None:
    data = json.loads(agir("assess", cmu_dir / "136_22.bvh", "--model", pipeline["stage2"], "--json"))
    assert set(data) >= {"score", "probabilities", "rationale", "parameters", "claims", "faithfulness"}
    assert set(data["probabilities"]) >= {"0", "1", "2", "3"} and abs(sum(data["probabilities"].values()) - 1) < 1e-3
    assert data["score"] == int(max(data["probabilities"], key=data["probabilities"].get))
    assert data["parameters"]["speed_m_s"] == pytest.approx(1.16, abs=0.02)
    assert data["source"]["format"] == "bvh"
    assert "A research tool" in agir("assess", cmu_dir / "136_22.bvh", "--model", pipeline["stage2"])


def test_inference_precisions_read_the_same_model(pipeline: dict[str, Path], cmu_dir: Path) -> None:
    from agir.lm.model import AgirLM

    by_precision = {p: json.loads(agir("assess", cmu_dir / "136_22.bvh", "--model", pipeline["stage2"], "--json",
                                       "--precision", p)) for p in ("fp32", "bf16")}  # fmt: skip
    fp32, bf16 = by_precision["fp32"], by_precision["bf16"]
    assert "bf16" in bf16["model"] and "fp32" in fp32["model"]
    # bf16 perturbs the numerics, not the model: the score distributions stay close on the same walk
    assert max(abs(fp32["probabilities"][k] - bf16["probabilities"][k]) for k in fp32["probabilities"]) < 0.1
    assert AgirLM(pipeline["stage2"], "auto").precision in ("fp32", "bf16")
    assert "unknown precision 'int4'" in fails("assess", cmu_dir / "136_22.bvh", "--model", pipeline["stage2"], "--precision", "int4")


def test_assess_a_folder_writes_one_csv_row_per_file(pipeline: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(pipeline["walks"].glob("*.npz"))[:3]:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "broken.bvh").write_text("HIERARCHY\nnot really\n")
    agir("assess", folder, "--model", pipeline["stage2"], "--out", tmp_path / "results.csv")
    rows = list(csv.DictReader((tmp_path / "results.csv").open()))
    assert [r["file"] for r in rows] == sorted(p.name for p in folder.iterdir())
    broken = next(r for r in rows if r["file"] == "broken.bvh")
    assert broken["error"] and broken["score"] == ""
    assert all(r["score"] in {"0", "1", "2", "3", "4"} for r in rows if not r["error"])


def test_describe_and_generate(pipeline: dict[str, Path], cmu_dir: Path, tmp_path: Path) -> None:
    from agir.readers import read_motion

    agir("describe", cmu_dir / "136_22.bvh", "--model", pipeline["stage1"])
    # the tiny random model may write no motion tokens; then the command must say so and exit 1
    result = runner.invoke(app, ["generate", "Slow walk with reduced arm swing.", "--out", str(tmp_path / "g.npz"),
                                 "--model", str(pipeline["stage1"])])  # fmt: skip
    if result.exit_code == 0:
        motion = read_motion(tmp_path / "g.npz")
        assert motion.joints.shape[1:] == (22, 3) and np.isfinite(motion.joints).all()
    else:
        assert result.exit_code == 1 and "motion tokens" in result.output
        assert not (tmp_path / "g.npz").exists()


def test_bad_input_is_refused_with_a_message(pipeline: dict[str, Path], tmp_path: Path) -> None:
    assert "does not exist" in fails("assess", tmp_path / "missing.bvh", "--model", pipeline["stage2"])
    assert "--out" in fails("assess", pipeline["walks"], "--model", pipeline["stage2"])
    assert "agir_lm.json" in fails("assess", pipeline["walks"] / "manifest.csv", "--model", tmp_path)
    assert "--init" in fails("train", "--stage", 2, "--corpus", pipeline["corpus"], "--out", tmp_path / "x")
    assert "already holds a trained model" in fails("train", "--stage", 2, "--corpus", pipeline["corpus"], "--init",
                                                    pipeline["stage1"], "--out", pipeline["stage2"])  # fmt: skip
    (tmp_path / "bad.json").write_text(json.dumps({"learning_rat": 1}))
    assert "unknown settings learning_rat" in fails("train", "--stage", 1, "--corpus", pipeline["corpus"], "--out",
                                                    tmp_path / "y", "--config", tmp_path / "bad.json")  # fmt: skip
    assert "both stages must hold out the same subjects" in fails(
        "train", "--stage", 2, "--corpus", pipeline["corpus"], "--init", pipeline["stage1"], "--out", tmp_path / "z", "--split", "loso")
    assert "not in splits.json" in fails("train", "--stage", 1, "--corpus", pipeline["corpus"], "--tokenizer",
                                         pipeline["stage1"] / "motion_tokenizer", "--out", tmp_path / "z", "--split", "loso")  # fmt: skip
    assert ".npz" in fails("generate", "walk", "--out", tmp_path / "w.bvh", "--model", pipeline["stage1"])
