"""Shared fixtures: the bundled CMU walks and writers that put known joints into each file format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agir.readers import read_motion
from agir.skeleton import JOINT_INDEX, Motion

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cmu"


@pytest.fixture(scope="session")
def cmu_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def normal_walk() -> Motion:
    """CMU 07_06 (subject 7, normal walk), read from BVH: real joints used as ground truth."""
    return read_motion(EXAMPLES / "07_06.bvh")


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def plug_in_gait_markers(joints: np.ndarray) -> dict[str, np.ndarray]:
    """Plug-in Gait markers placed around known joints (T x 22 x 3, metres, y up), inverting the reader's
    joint-centre model (Harrington hip centres, lateral knee/ankle markers, acromion above the shoulder)."""
    j = {name: joints[:, i] for name, i in JOINT_INDEX.items()}
    lat = unit(j["right_hip"] - j["left_hip"])
    up = j["neck"] - j["pelvis"]
    up = unit(up - np.sum(up * lat, -1, keepdims=True) * lat)
    ant = np.cross(up, lat)
    # pelvis width chosen so that Harrington's lateral offset lands on the known hip centres
    width = (np.linalg.norm(j["right_hip"] - j["left_hip"], axis=-1, keepdims=True) / 2 - 0.0073) / 0.33
    depth = 0.16
    hip_mid = (j["left_hip"] + j["right_hip"]) / 2
    origin = hip_mid - ant * (-0.24 * depth - 0.0099) - up * (-0.30 * width - 0.0109)
    half = lat * (0.33 * width + 0.0073)
    # place the hip centres exactly where the model puts them, so they round-trip
    sacrum = origin - ant * depth
    m = {
        "LASI": origin - lat * width / 2, "RASI": origin + lat * width / 2, "SACR": sacrum,
        "LKNE": j["left_knee"] - lat * 0.05, "RKNE": j["right_knee"] + lat * 0.05,
        "LANK": j["left_ankle"] - lat * 0.035, "RANK": j["right_ankle"] + lat * 0.035,
        "LTOE": j["left_foot"], "RTOE": j["right_foot"],
        "C7": j["neck"] - ant * 0.06, "CLAV": j["neck"] + ant * 0.06,
        "LELB": j["left_elbow"], "RELB": j["right_elbow"],
        "LWRA": j["left_wrist"] + lat * 0.03, "LWRB": j["left_wrist"] - lat * 0.03,
        "RWRA": j["right_wrist"] + lat * 0.03, "RWRB": j["right_wrist"] - lat * 0.03,
        "LFHD": j["head"] + ant * 0.08 - lat * 0.05, "RFHD": j["head"] + ant * 0.08 + lat * 0.05,
        "LBHD": j["head"] - ant * 0.08 - lat * 0.05, "RBHD": j["head"] - ant * 0.08 + lat * 0.05,
    }  # fmt: skip
    pelvis_marker = (origin + sacrum) / 2
    trunk_up = unit(j["neck"] - pelvis_marker)
    m["LSHO"] = j["left_shoulder"] + trunk_up * 0.05
    m["RSHO"] = j["right_shoulder"] + trunk_up * 0.05
    expected_hips = (origin + ant * (-0.24 * depth - 0.0099) + up * (-0.30 * width - 0.0109)) + np.stack([-half, half])
    assert np.allclose(expected_hips[0], j["left_hip"]) and np.allclose(expected_hips[1], j["right_hip"])
    return m


def y_up_to_z_up(points: np.ndarray) -> np.ndarray:
    """(x, y, z) y-up -> (x, -z, y) z-up, a proper rotation of +90 degrees about x."""
    return np.stack([points[..., 0], -points[..., 2], points[..., 1]], axis=-1)


def write_c3d(path: Path, markers: dict[str, np.ndarray], fps: float, scale_to_mm: bool = True) -> None:
    import ezc3d

    c3d = ezc3d.c3d()
    names = list(markers)
    data = np.stack([markers[n] for n in names], axis=1)  # T x N x 3
    points = np.ones((4, len(names), data.shape[0]))
    points[:3] = data.transpose(2, 1, 0) * (1000.0 if scale_to_mm else 1.0)
    c3d["parameters"]["POINT"]["RATE"]["value"] = [fps]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = tuple(names)
    c3d["data"]["points"] = points
    c3d.add_parameter("POINT", "UNITS", "mm")
    c3d.write(str(path))


def write_trc(path: Path, markers: dict[str, np.ndarray], fps: float, units: str = "m") -> None:
    scale = {"m": 1.0, "mm": 1000.0}[units]
    names = list(markers)
    n = len(next(iter(markers.values())))
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{path.name}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
        f"{fps}\t{fps}\t{n}\t{len(names)}\t{units}\t{fps}\t1\t{n}",
        "Frame#\tTime\t" + "\t\t\t".join(names),
        "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(len(names))),
        "",
    ]
    for t in range(n):
        values = "\t".join(f"{v:.6f}" for name in names for v in markers[name][t] * scale)
        lines.append(f"{t + 1}\t{t / fps:.5f}\t{values}")
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="session")
def synth_200(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 synthetic walks (50 subjects x 4, seed 0), generated once per test session."""
    from agir.synth.dataset import SynthConfig, write_synthetic_dataset

    out = tmp_path_factory.mktemp("synth") / "walks"
    write_synthetic_dataset(out, SynthConfig(subjects=50, walks_per_subject=4, seed=0), workers=2)
    return out


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny AGIR model (random 2-layer Llama, 2+2 training steps) for report and server tests."""
    from agir.corpus.build import build_corpus
    from agir.lm.config import LMConfig
    from agir.lm.train import train_lm
    from agir.synth.dataset import SynthConfig, write_synthetic_dataset
    from agir.tokenizer.config import TokenizerConfig
    from agir.tokenizer.train import train_tokenizer

    root = tmp_path_factory.mktemp("tiny_model")
    write_synthetic_dataset(root / "walks", SynthConfig(subjects=5, walks_per_subject=1, seed=4, fps=20.0), workers=1)
    build_corpus(root / "walks", root / "corpus", workers=1)
    train_tokenizer(root / "walks", root / "tok", TokenizerConfig(width=16, code_dim=8, codebook_size=16, depth=1, batch_size=2,
                    window=16, steps=2, warmup_steps=1, validate_every=2, checkpoint_every=2), workers=1)  # fmt: skip
    config = dict(base_model="tiny-llama", max_motion_steps=8, batch_size=2, max_steps=2, save_steps=2)
    train_lm(1, root / "corpus", root / "stage1", LMConfig(**config), tokenizer_dir=root / "tok", log=lambda m: None)
    train_lm(2, root / "corpus", root / "model", LMConfig(**config), init_dir=root / "stage1", log=lambda m: None)
    return root / "model"
