"""The synthetic walk generator: ground truth recovered by the analyser, severity visible in the
measurements, physical realism, determinism, and the ``agir synth`` command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from agir.cli import app
from agir.gait import analyze_motion
from agir.readers import read_motion
from agir.readers.labelled import load_walk_meta, read_manifest
from agir.skeleton import JOINT_INDEX, PARENTS
from agir.synth.dataset import SynthConfig, write_synthetic_dataset
from agir.synth.severity import draw_subject, draw_walk
from agir.synth.walk import generate_walk

SIDES = ("left", "right")


@pytest.fixture(scope="module")
def measured_200(synth_200: Path) -> list[tuple[int, dict, object]]:
    """(score, ground truth, measured parameters) of the 200 generated walks, as `agir analyze` reads them."""
    out = []
    for walk in read_manifest(synth_200):
        out.append((walk.score, load_walk_meta(walk.path)["ground_truth"], analyze_motion(read_motion(walk.path)).parameters))
    return out


def _recovered(truth: dict, p) -> dict[str, bool]:
    return {
        "cadence": abs(p.cadence_steps_per_min / truth["cadence_steps_per_min"] - 1) <= 0.05,
        "stride": abs(p.stride_length_m / truth["stride_length_m"] - 1) <= 0.10,
        "trunk": abs(p.trunk_flexion_deg - truth["trunk_flexion_deg"]) <= 5.0,
        "arm": all(abs(p.arm_swing_m[s] - truth["arm_swing_m"][s]) <= 0.2 * truth["arm_swing_m"][s] for s in SIDES),
    }


def test_analyser_recovers_generator_ground_truth(measured_200) -> None:
    assert len(measured_200) == 200
    checks = [_recovered(truth, p) for _, truth, p in measured_200]
    all_ok = np.mean([all(c.values()) for c in checks])
    rates = {k: np.mean([c[k] for c in checks]) for k in checks[0]}
    assert all_ok >= 0.9, f"all four recovered in {all_ok:.1%} of walks; per check {rates}"


def test_severity_is_visible_in_the_measurements(measured_200) -> None:
    def mean_by_score(get) -> list[float]:
        return [float(np.mean([get(p) for s, _, p in measured_200 if s == score])) for score in range(4)]

    for name, get in {
        "speed": lambda p: p.speed_m_s,
        "stride": lambda p: p.stride_length_m,
        "arm swing": lambda p: np.mean(list(p.arm_swing_m.values())),
        "foot clearance": lambda p: np.mean(list(p.foot_clearance_m.values())),
    }.items():
        means = mean_by_score(get)
        assert all(a > b for a, b in zip(means, means[1:])), f"{name} by score 0-3: {means}"
    turn_steps = mean_by_score(lambda p: max(p.turns, key=lambda t: t["angle_deg"])["steps"])
    assert all(a < b for a, b in zip(turn_steps, turn_steps[1:])), f"turn steps by score 0-3: {turn_steps}"
    assert all(len(p.turns) >= 1 for _, _, p in measured_200)


@pytest.mark.parametrize("score,fps", [(0, 20.0), (1, 30.0), (2, 60.0), (3, 120.0), (3, 25.0)])
def test_generated_walks_are_physically_plausible(score: int, fps: float) -> None:
    rng = np.random.default_rng(100 + score)
    spec = draw_walk(rng, draw_subject(rng, "S", score), 0, fps)
    walk = generate_walk(spec, nuisance=False)
    joints = walk.clean.joints
    for child, parent in enumerate(PARENTS):
        if parent >= 0:
            assert np.linalg.norm(joints[:, child] - joints[:, parent], axis=-1).std() < 0.001
    assert joints[..., 1].min() > -0.02
    for side in SIDES:
        feet = walk.clean.feet[side]
        for joint, planted in ((f"{side}_foot", feet.toe_planted), (f"{side}_ankle", feet.ankle_planted)):
            speed = np.linalg.norm(np.diff(joints[:, JOINT_INDEX[joint]][:, [0, 2]], axis=0), axis=-1) * fps
            both = planted[1:] & planted[:-1]
            assert both.sum() > 10 and speed[both].max() < 0.1
    # root speed = step length x cadence
    truth = walk.ground_truth
    assert truth["speed_m_s"] == pytest.approx(truth["stride_length_m"] * truth["cadence_steps_per_min"] / 120, rel=0.05)


def test_mocap_like_captures_stay_above_the_floor(synth_200: Path) -> None:
    """Walks with mocap-like noise (<= 3 mm), as read back by agir: nothing below the floor by 2 cm. (Walks
    with video-like 1-2 cm jitter dip below it as real pose estimates do.)"""
    checked = 0
    for walk in read_manifest(synth_200):
        if load_walk_meta(walk.path)["spec"]["jitter_m"] <= 0.003:
            assert read_motion(walk.path).joints[..., 1].min() > -0.02, walk.walk_id
            checked += 1
    assert checked >= 20


def test_nuisance_jitter_rotation_and_fps_vary(synth_200: Path) -> None:
    metas = [load_walk_meta(w.path)["spec"] for w in read_manifest(synth_200)]
    assert len({m["fps"] for m in metas}) >= 5 and min(m["fps"] for m in metas) >= 20 and max(m["fps"] for m in metas) <= 120
    jitter = np.array([m["jitter_m"] for m in metas])
    assert ((jitter >= 0.01) & (jitter <= 0.02)).mean() > 0.4 and jitter.max() <= 0.02
    assert np.ptp([m["global_yaw_deg"] for m in metas]) > 180
    lengths = [w.extra for w in read_manifest(synth_200)]
    assert len({row["frames"] for row in lengths}) > 100


def test_same_seed_same_files_whatever_the_workers(tmp_path: Path) -> None:
    config = SynthConfig(subjects=3, walks_per_subject=1, seed=11)
    write_synthetic_dataset(tmp_path / "a", config, workers=1)
    write_synthetic_dataset(tmp_path / "b", config, workers=2)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    other = write_synthetic_dataset(tmp_path / "c", SynthConfig(subjects=3, walks_per_subject=1, seed=12), workers=1)
    first_a = np.load(tmp_path / "a" / sorted(n for n in names if n.endswith(".npz"))[0])["joints"]
    first_c = np.load(tmp_path / "c" / other[0]["file"])["joints"]
    assert other[0]["subject"].startswith("syn12_") and first_a.shape != first_c.shape or not np.allclose(first_a, first_c)


def test_synth_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "walks"
    result = runner.invoke(app, ["synth", "--out", str(out), "--subjects", "4", "--walks-per-subject", "2",
                                 "--seed", "3", "--fps", "30"])  # fmt: skip
    assert result.exit_code == 0, result.output
    walks = read_manifest(out)
    assert len(walks) == 8 and {w.score for w in walks} == {0, 1, 2, 3}
    assert all(w.fps == 30.0 for w in walks)
    data = np.load(walks[0].path)
    assert data["joints"].dtype == np.float32 and data["joints"].shape[1:] == (22, 3)
    again = runner.invoke(app, ["synth", "--out", str(out), "--subjects", "1"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # no staging folder left behind
