"""Gait analysis on real motion capture (CMU walks bundled in examples/cmu)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation
from typer.testing import CliRunner

from agir.cli import app
from agir.gait import analyze_motion
from agir.readers import read_motion
from agir.skeleton import JOINT_NAMES, Motion, MotionSource, canonicalise

NORMAL_WALKS = ["136_22.bvh", "07_06.bvh", "105_29_first15s.bvh"]


@pytest.fixture(scope="module")
def analyses(cmu_dir: Path) -> dict:
    names = [*NORMAL_WALKS, "136_01.bvh", "07_04.bvh"]
    return {name: analyze_motion(read_motion(cmu_dir / name)).parameters for name in names}


@pytest.mark.parametrize("name", NORMAL_WALKS)
def test_normal_walks_have_plausible_adult_values(analyses: dict, name: str) -> None:
    p = analyses[name]
    assert 90 <= p.cadence_steps_per_min <= 135
    assert 0.8 <= p.speed_m_s <= 1.8
    assert 1.0 <= p.stride_length_m <= 1.8
    assert abs(p.trunk_flexion_deg) < 15
    assert 0.4 <= p.step_length_m / p.stride_length_m <= 0.6
    assert 0.02 <= p.step_width_m <= 0.2
    assert 5 <= p.double_support_pct <= 40
    for side in ("left", "right"):
        assert 0.1 <= p.arm_swing_m[side] <= 0.6
        assert 0.05 <= p.foot_clearance_m[side] <= 0.2
    assert p.n_strides >= 3


def test_slow_walk_is_slower_than_normal_walk(analyses: dict) -> None:
    assert analyses["07_04.bvh"].speed_m_s < analyses["07_06.bvh"].speed_m_s - 0.15
    assert analyses["07_04.bvh"].cadence_steps_per_min < analyses["07_06.bvh"].cadence_steps_per_min


def test_bent_forward_walk_shows_trunk_flexion(analyses: dict) -> None:
    assert analyses["136_01.bvh"].trunk_flexion_deg >= analyses["136_22.bvh"].trunk_flexion_deg + 20


def test_out_and_back_walk_turn(analyses: dict, cmu_dir: Path) -> None:
    p = analyses["105_29_first15s.bvh"]
    assert len(p.turns) == 1
    turn = p.turns[0]
    assert 150 <= turn["angle_deg"] <= 210
    assert 7 < turn["start_s"] < 9.5 and 1.0 < turn["duration_s"] < 3.5
    assert 1 <= turn["steps"] <= 6
    analysis = analyze_motion(read_motion(cmu_dir / "105_29_first15s.bvh"))
    used = [s for s in analysis.strides if s.straight and s.steady]
    before = [s.length_m for s in used if s.start_s < turn["start_s"]]
    after = [s.length_m for s in used if s.start_s > turn["start_s"] + turn["duration_s"]]
    assert before and after, "straight strides on both legs of the out-and-back walk"
    assert abs(np.mean(before) - np.mean(after)) < 0.1
    assert all(not s.straight for s in analysis.strides if turn["start_s"] < s.start_s < turn["start_s"] + 1)


def _transformed(motion: Motion, yaw_deg: float, offset: tuple[float, float, float], mirror: bool) -> Motion:
    joints = motion.joints.copy()
    if mirror:  # reflect x and swap the labels of left and right joints: the same walk seen in a mirror
        joints[..., 0] *= -1
        swap = [JOINT_NAMES.index(n.replace("left", "RIGHT").replace("right", "left").replace("RIGHT", "right"))
                for n in JOINT_NAMES]  # fmt: skip
        joints = joints[:, swap]
    rot = Rotation.from_euler("y", yaw_deg, degrees=True).as_matrix()
    joints = joints @ rot.T + np.array(offset)
    return canonicalise(joints, motion.present, motion.fps, MotionSource())


def test_parameters_do_not_depend_on_direction_or_position(normal_walk: Motion) -> None:
    base = analyze_motion(normal_walk).parameters
    moved = analyze_motion(_transformed(normal_walk, 137.0, (5.0, 0.0, -3.0), mirror=False)).parameters
    for name in ("speed_m_s", "stride_length_m", "cadence_steps_per_min", "step_width_m", "trunk_flexion_deg"):
        assert getattr(moved, name) == pytest.approx(getattr(base, name), rel=1e-3, abs=1e-3), name
    assert moved.arm_swing_m == pytest.approx(base.arm_swing_m, rel=1e-3)


def test_left_and_right_are_not_swapped(normal_walk: Motion) -> None:
    base = analyze_motion(normal_walk).parameters
    assert abs(base.arm_swing_m["left"] - base.arm_swing_m["right"]) > 0.05  # subject 7 swings asymmetrically
    mirrored = analyze_motion(_transformed(normal_walk, 0.0, (0, 0, 0), mirror=True)).parameters
    assert mirrored.arm_swing_m["left"] == pytest.approx(base.arm_swing_m["right"], rel=1e-3)
    assert mirrored.arm_swing_m["right"] == pytest.approx(base.arm_swing_m["left"], rel=1e-3)


def test_missing_joints_make_parameters_unavailable(tmp_path: Path, normal_walk: Motion) -> None:
    from agir.skeleton import JOINT_INDEX
    from test_readers_roundtrip import H36M_FROM_SMPL
    from agir.readers.arrays import LAYOUT_POINTS

    h36m = np.stack([normal_walk.joint(H36M_FROM_SMPL[p]) for p in LAYOUT_POINTS["h36m17"]], axis=1)
    path = tmp_path / "lifted.npy"
    np.save(path, h36m)
    motion = read_motion(path, joints="h36m17", fps=normal_walk.fps)
    assert not motion.present[JOINT_INDEX["left_foot"]]
    p = analyze_motion(motion).parameters
    base = analyze_motion(normal_walk).parameters
    assert p.foot_clearance_m == {"left": None, "right": None}
    assert "h36m17" in p.unavailable["foot_clearance_m"]
    assert p.cadence_steps_per_min == pytest.approx(base.cadence_steps_per_min, rel=0.05)
    assert p.speed_m_s == pytest.approx(base.speed_m_s, rel=0.05)


def test_cli_table_and_json(cmu_dir: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["analyze", str(cmu_dir / "136_22.bvh")])
    assert table.exit_code == 0, table.output
    assert "cadence" in table.output and "healthy range" in table.output
    result = runner.invoke(app, ["analyze", str(cmu_dir / "136_22.bvh"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    for key in ("speed_m_s", "stride_length_m", "step_length_m", "cadence_steps_per_min", "step_width_m",
                "stride_time_cv_pct", "double_support_pct", "arm_swing_m", "arm_swing_asymmetry_pct",
                "foot_clearance_m", "trunk_flexion_deg", "n_strides", "turns", "frames", "fps", "duration_s",
                "unavailable"):  # fmt: skip
        assert key in data, key
    assert set(data["arm_swing_m"]) == {"left", "right"}
    assert data["frames"] == 836 and data["fps"] == pytest.approx(120, rel=1e-3)


@pytest.mark.parametrize("fps", [20.0, 60.0])
@pytest.mark.parametrize("name", ["07_06.bvh", "105_29_first15s.bvh"])
def test_robust_to_video_like_jitter_and_low_frame_rates(cmu_dir: Path, name: str, fps: float) -> None:
    """2 cm joint jitter (independent per joint and axis, band-limited to 6 Hz) at 20-60 fps changes cadence
    by under 5 % and stride length by under 10 % (a stance split by noise would add steps)."""
    from agir.gait.signals import lowpass

    motion = read_motion(cmu_dir / name)
    base = analyze_motion(motion).parameters
    step = int(round(motion.fps / fps))
    joints = motion.joints[::step]
    for seed in range(2):
        noise = lowpass(np.random.default_rng(seed).normal(size=joints.shape), fps, min(6.0, 0.35 * fps))
        noise *= 0.02 / noise.std()
        noisy = analyze_motion(canonicalise(joints + noise, motion.present, motion.fps / step, MotionSource()))
        p = noisy.parameters
        assert p.cadence_steps_per_min == pytest.approx(base.cadence_steps_per_min, rel=0.05)
        assert p.stride_length_m == pytest.approx(base.stride_length_m, rel=0.10)
