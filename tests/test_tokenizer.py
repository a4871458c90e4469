"""The motion tokenizer: feature conversion both ways, any walk length, save/load, training with resume,
the command line, and bad input. Tiny models only (the shipped model has its own test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from agir.cli import app
from agir.errors import AgirError
from agir.readers import read_motion
from agir.readers.humanml3d import heading_half_angles
from agir.synth.dataset import SynthConfig, write_synthetic_dataset
from agir.tokenizer.config import TokenizerConfig
from agir.tokenizer.features import FEATURE_DIM, features_to_joints, joints_to_features, resample_joints
from agir.tokenizer.model import MotionTokenizer
from agir.tokenizer.train import train_tokenizer

TINY = dict(width=16, code_dim=8, codebook_size=32, depth=1, batch_size=4, window=16, steps=12, warmup_steps=2,
            validate_every=6, checkpoint_every=6, learning_rate=1e-3)  # fmt: skip


def tiny(**overrides: object) -> TokenizerConfig:
    return TokenizerConfig(**{**TINY, **overrides})


@pytest.fixture(scope="module")
def small_walks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tok") / "walks"
    write_synthetic_dataset(out, SynthConfig(subjects=4, walks_per_subject=1, seed=5, fps=20.0), workers=1)
    return out


def test_features_recover_joints_exactly(normal_walk) -> None:
    joints = resample_joints(normal_walk.joints, normal_walk.fps, 20.0)
    assert len(joints) == int(normal_walk.duration_s * 20) + 1
    # the representation is heading- and position-free: start the walk at the origin facing +z
    yaw = -2 * heading_half_angles(joints[:1])[0]
    c, s = np.cos(-yaw), np.sin(-yaw)
    joints = joints @ np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]).T
    joints[..., [0, 2]] -= joints[0, 0, [0, 2]]
    features = joints_to_features(joints)
    assert features.shape == (len(joints) - 1, FEATURE_DIM)
    assert np.allclose(features_to_joints(features), joints[:-1], atol=1e-4)


def test_mirrored_features_are_the_features_of_the_mirrored_walk(normal_walk) -> None:
    from agir.skeleton import JOINT_NAMES
    from agir.tokenizer.features import mirror_features

    joints = resample_joints(normal_walk.joints, normal_walk.fps, 20.0)
    swap = [JOINT_NAMES.index(n.replace("left_", "right_") if n.startswith("left_") else n.replace("right_", "left_"))
            for n in JOINT_NAMES]  # fmt: skip
    mirrored = joints[:, swap] * np.array([-1.0, 1.0, 1.0])
    assert np.allclose(mirror_features(joints_to_features(joints)), joints_to_features(mirrored), atol=1e-6)
    assert np.array_equal(mirror_features(mirror_features(joints_to_features(joints))), joints_to_features(joints))


@pytest.mark.parametrize("frames", [1, 3, 5, 17, 64, 6000])
def test_any_length_encodes_and_decodes(frames: int) -> None:
    torch.manual_seed(0)
    model = MotionTokenizer(tiny()).eval()
    features = np.random.default_rng(0).normal(size=(frames, FEATURE_DIM)).astype(np.float32)
    ids = model.encode(features)
    assert ids.shape == (-(-frames // 4),) and ids.min() >= 0 and ids.max() < 32
    assert model.decode(ids, frames).shape == (frames, FEATURE_DIM)
    assert model.decode(ids).shape == (4 * len(ids), FEATURE_DIM)


def test_bad_ids_are_refused() -> None:
    model = MotionTokenizer(tiny()).eval()
    with pytest.raises(AgirError, match="0..31"):
        model.decode([3, 32])
    with pytest.raises(AgirError, match="non-empty"):
        model.decode([])


def test_save_and_load_reproduce_the_model(tmp_path: Path) -> None:
    torch.manual_seed(1)
    model = MotionTokenizer(tiny()).eval()
    model.std.fill_(2.0)
    features = np.random.default_rng(1).normal(size=(40, FEATURE_DIM)).astype(np.float32)
    ids = model.encode(features)
    model.save_pretrained(tmp_path / "m", "# card\n")
    loaded = MotionTokenizer.from_pretrained(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["README.md", "config.json", "feature_stats.json", "model.safetensors"]
    assert np.array_equal(loaded.encode(features), ids)
    assert np.allclose(loaded.decode(ids), model.decode(ids))
    assert json.loads((tmp_path / "m" / "feature_stats.json").read_text())["std"][0] == 2.0
    with pytest.raises(AgirError, match="no config.json"):
        MotionTokenizer.from_pretrained(tmp_path)
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    (tmp_path / "m" / "config.json").write_text(json.dumps({**config, "width": 32}))
    with pytest.raises(AgirError, match="do not match"):
        MotionTokenizer.from_pretrained(tmp_path / "m")


def test_training_resumes_where_it_stopped(small_walks: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    metrics = train_tokenizer(small_walks, full, tiny())
    assert metrics["walks"] == 1 and metrics["mpjpe_mm"] > 0 and 0 < metrics["codebook_usage"] <= 1
    config = json.loads((full / "config.json").read_text())
    assert config["validation_subjects"] and not set(config["validation_subjects"]) & set(config["training_subjects"])
    log = [json.loads(x) for x in (full / "training_log.jsonl").read_text().splitlines()]
    assert [row["step"] for row in log if "valid_mpjpe_mm" in row] == [6, 12]

    class Interrupt(Exception):
        pass

    def stop_at_9(step: int, total: int, logs: dict) -> None:
        if step == 9:
            raise Interrupt

    interrupted = tmp_path / "interrupted"
    with pytest.raises(Interrupt):
        train_tokenizer(small_walks, interrupted, tiny(), progress=stop_at_9)
    assert json.loads((interrupted / "checkpoint" / "trainer_state.json").read_text())["step"] == 6
    steps_seen: list[int] = []
    train_tokenizer(small_walks, interrupted, tiny(), progress=lambda s, t, logs: steps_seen.append(s))
    assert steps_seen[0] == 7 and steps_seen[-1] == 12
    a = MotionTokenizer.from_pretrained(full).state_dict()
    b = MotionTokenizer.from_pretrained(interrupted).state_dict()
    assert all(torch.allclose(a[k].float(), b[k].float(), atol=1e-5) for k in a)
    with pytest.raises(AgirError, match="other settings"):
        train_tokenizer(small_walks, interrupted, tiny(steps=20))


def test_command_line_round_trip(small_walks: Path, tmp_path: Path, cmu_dir: Path) -> None:
    runner = CliRunner()
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(TINY))
    model = tmp_path / "model"
    result = runner.invoke(app, ["tokenizer", "train", "--data", str(small_walks), "--out", str(model), "--config", str(config)])
    assert result.exit_code == 0, result.output
    walk = cmu_dir / "136_22.bvh"
    encoded = runner.invoke(app, ["tokenizer", "encode", str(walk), "--model", str(model), "--json"])
    assert encoded.exit_code == 0, encoded.output
    data = json.loads(encoded.output)
    seconds = read_motion(walk).duration_s
    assert len(data["ids"]) == -(-data["frames"] // 4) and abs(data["frames"] - seconds * 20) <= 2
    (tmp_path / "ids.json").write_text(encoded.output)
    decoded = runner.invoke(app, ["tokenizer", "decode", str(tmp_path / "ids.json"), "--model", str(model), "--out", str(tmp_path / "w.npz")])
    assert decoded.exit_code == 0, decoded.output
    motion = read_motion(tmp_path / "w.npz")
    assert motion.n_frames == data["frames"] and motion.fps == 20.0
    literal = runner.invoke(app, ["tokenizer", "decode", "1, 2 3", "--model", str(model), "--out", str(tmp_path / "v.npz")])
    assert literal.exit_code == 0 and read_motion(tmp_path / "v.npz").n_frames == 12
    evaluated = runner.invoke(app, ["tokenizer", "evaluate", "--model", str(model), "--data", str(small_walks), "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    metrics = json.loads(evaluated.output)
    assert metrics["walks"] == 1 and metrics["left_out_training_subject_walks"] == 3
    assert set(metrics) >= {"mpjpe_mm", "codebook_usage", "perplexity", "param_drift"}


@pytest.mark.parametrize("args,problem", [
    (["decode", "5 99", "--out", "x.npz"], "token ids must be in 0..31"),
    (["decode", "five", "--out", "x.npz"], "cannot read token ids"),
    (["encode", "missing.bvh"], "missing.bvh: file does not exist"),
])  # fmt: skip
def test_bad_input_is_explained(tmp_path: Path, args: list[str], problem: str) -> None:
    model = MotionTokenizer(tiny())
    model.save_pretrained(tmp_path / "m")
    args = [a if not a.endswith((".npz", ".bvh")) else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(app, ["tokenizer", *args, "--model", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert problem in re.sub(r"\s+", " ", result.output)
    assert not (tmp_path / "x.npz").exists()


def test_h36m_walk_without_feet_is_refused(tmp_path: Path, normal_walk) -> None:
    from agir.readers.arrays import LAYOUT_POINTS

    model = MotionTokenizer(tiny())
    model.save_pretrained(tmp_path / "m")
    np.save(tmp_path / "h36m.npy", np.zeros((50, len(LAYOUT_POINTS["h36m17"]), 3)) + np.arange(17)[None, :, None] * 0.1)
    result = CliRunner().invoke(app, ["tokenizer", "encode", str(tmp_path / "h36m.npy"), "--joints", "h36m17",
                                      "--fps", "30", "--model", str(tmp_path / "m")])  # fmt: skip
    assert result.exit_code == 1 and "all 22 joints" in re.sub(r"\s+", " ", result.output)


def test_training_runs_unchanged_under_accelerate_launch(small_walks: Path, tmp_path: Path) -> None:
    """Two CPU processes (DDP over gloo through torchrun), the same command as a single process."""
    import os
    import shutil
    import subprocess
    import sys

    accelerate = Path(sys.executable).with_name("accelerate")
    assert accelerate.exists() or shutil.which("accelerate")
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(TINY))
    model = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [str(accelerate if accelerate.exists() else "accelerate"), "launch", "--multi_gpu", "--num_processes", "2",
         "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "agir.cli", "tokenizer",
         "train", "--data", str(small_walks), "--out", str(model), "--config", str(config)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    log = [json.loads(x) for x in (model / "training_log.jsonl").read_text().splitlines()]
    assert {row["processes"] for row in log} == {2}
    loaded = MotionTokenizer.from_pretrained(model)
    assert loaded.encode(np.zeros((8, FEATURE_DIM), np.float32)).shape == (2,)


def test_residual_levels_interleave_and_decode() -> None:
    torch.manual_seed(2)
    model = MotionTokenizer(tiny(num_quantizers=3)).eval()
    features = np.random.default_rng(2).normal(size=(21, FEATURE_DIM)).astype(np.float32)
    ids = model.encode(features)
    assert ids.shape == (6 * 3,) and model.config.vocabulary_size == 96
    assert np.array_equal(ids.reshape(6, 3) // 32, np.tile(np.arange(3), (6, 1)))  # level q in q*32..q*32+31
    assert model.decode(ids, 21).shape == (21, FEATURE_DIM)
    with pytest.raises(AgirError, match="steps of 3"):
        model.decode(ids[1:])
    with pytest.raises(AgirError, match="steps of 3"):
        model.decode(ids.reshape(6, 3)[:, ::-1].reshape(-1))
