"""Bad input exits non-zero with a message naming the file and the problem (library and CLI)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from agir.cli import app
from agir.errors import AgirError, AnalysisError, MotionFileError
from agir.gait import analyze_motion
from agir.readers import read_motion
from conftest import write_c3d, write_trc

runner = CliRunner()


def _cli_error(path: Path, *args: str) -> str:
    result = runner.invoke(app, ["analyze", str(path), *args])
    assert result.exit_code != 0, result.output
    assert str(path) in result.output
    return result.output


def _bvh_lines(cmu_dir: Path) -> list[str]:
    return (cmu_dir / "07_06.bvh").read_text().splitlines()


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.bvh"
    path.write_text("")
    assert "file is empty" in _cli_error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _cli_error(tmp_path / "nope.bvh")


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "walk.xyz"
    path.write_text("1 2 3")
    assert "unknown file extension '.xyz'" in _cli_error(path)


def test_truncated_bvh(tmp_path: Path, cmu_dir: Path) -> None:
    path = tmp_path / "truncated.bvh"
    path.write_text("\n".join(_bvh_lines(cmu_dir)[:-100]))
    assert "truncated: header declares 418 frames" in _cli_error(path)
    path.write_text("\n".join(_bvh_lines(cmu_dir)[:40]))
    assert "hierarchy is not closed" in _cli_error(path)


def test_bvh_inconsistent_channel_counts(tmp_path: Path, cmu_dir: Path) -> None:
    lines = _bvh_lines(cmu_dir)
    start = next(i for i, line in enumerate(lines) if line.startswith("Frame Time")) + 1
    lines[start + 10] = " ".join(lines[start + 10].split()[:-1])
    path = tmp_path / "channels.bvh"
    path.write_text("\n".join(lines))
    output = _cli_error(path)
    assert "motion frame 10 has 95 values but the hierarchy declares 96 channels" in output


def test_c3d_without_needed_markers(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    path = tmp_path / "markers.c3d"
    write_c3d(path, {"LASI": rng.normal(size=(20, 3)), "FOO": rng.normal(size=(20, 3))}, fps=100.0)
    output = _cli_error(path)
    assert "markers needed for joint centres are missing" in output and "LKNE" in output


def test_truncated_c3d(tmp_path: Path) -> None:
    path = tmp_path / "walk.c3d"
    write_c3d(path, {"LASI": np.ones((20, 3))}, fps=100.0)
    path.write_bytes(path.read_bytes()[:300])
    assert "not a readable C3D file" in _cli_error(path)


def test_truncated_trc(tmp_path: Path, normal_walk) -> None:
    path = tmp_path / "walk.trc"
    write_trc(path, {"LHip": normal_walk.joint("left_hip")[:50]}, fps=60.0)
    path.write_text("\n".join(path.read_text().splitlines()[:30]))
    assert "truncated: header declares 50 frames" in _cli_error(path)


def test_nan_joints(tmp_path: Path, normal_walk) -> None:
    joints = normal_walk.joints.copy()
    joints[100:110, 7] = np.nan
    path = tmp_path / "nan.npz"
    np.savez(path, joints=joints, fps=120.0)
    output = _cli_error(path)
    assert "10 frame(s) contain NaN" in output and "left_ankle" in output


def test_long_marker_gap_is_an_error(tmp_path: Path, normal_walk) -> None:
    names = {"LHip": "left_hip", "RHip": "right_hip", "LKnee": "left_knee", "RKnee": "right_knee",
             "LAnkle": "left_ankle", "RAnkle": "right_ankle", "Neck": "neck"}  # fmt: skip
    markers = {k: normal_walk.joint(v)[::2].copy() for k, v in names.items()}
    markers["LKnee"][3:5] = np.nan  # 2 frames at 60 Hz: interpolated
    markers["RKnee"][50:100] = np.nan  # 0.83 s: refused
    path = tmp_path / "gap.trc"
    write_trc(path, markers, fps=60.0)
    assert "marker RKnee is missing for 50 frames" in _cli_error(path)
    markers["RKnee"] = normal_walk.joint("right_knee")[::2]
    write_trc(path, markers, fps=60.0)
    motion = read_motion(path)
    assert any("LKnee: 2 missing samples interpolated" in n for n in motion.source.notes)


def test_fewer_than_two_strides(tmp_path: Path, cmu_dir: Path) -> None:
    lines = _bvh_lines(cmu_dir)
    start = next(i for i, line in enumerate(lines) if line.startswith("Frame Time")) + 1
    short = lines[: start - 2] + ["Frames: 80"] + lines[start - 1 : start + 80]
    path = tmp_path / "short.bvh"
    path.write_text("\n".join(short))
    with pytest.raises(AnalysisError, match="fewer than two strides"):
        analyze_motion(read_motion(path))
    assert "fewer than two strides" in _cli_error(path)


def test_errors_share_a_base_class() -> None:
    assert issubclass(MotionFileError, AgirError) and issubclass(AnalysisError, AgirError)
    assert str(MotionFileError("a.bvh", "bad", "good")) == "a.bvh: bad (expected good)"
