"""Importers for the real datasets' layouts, tested on small files in those layouts that the tests write
(from real CMU joints where a layout allows), then through ``agir corpus``."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation
from typer.testing import CliRunner

from agir.cli import app
from agir.corpus.build import CorpusConfig, build_corpus
from agir.readers import read_motion
from agir.readers.arrays import read_carepd_pickle
from agir.readers.humanml3d import heading_half_angles, humanml3d_from_joints
from agir.readers.labelled import read_manifest

from conftest import plug_in_gait_markers, write_c3d, y_up_to_z_up

WALKS = {"07_06.bvh": ("P01", 0), "136_22.bvh": ("P02", 1), "07_04.bvh": ("P01", 1)}


def _humanml3d_features(joints_120fps: np.ndarray) -> np.ndarray:
    joints = joints_120fps[::6].copy()  # 20 fps
    yaw = -2 * heading_half_angles(joints[:1])[0]
    joints = joints @ Rotation.from_euler("y", -yaw).as_matrix().T
    joints[..., [0, 2]] -= joints[0, 0, [0, 2]]
    return humanml3d_from_joints(joints)


def _labels(path: Path, rows: list[tuple[str, str, str]], header: str = "filename,subject_id,UPDRS_GAIT") -> Path:
    path.write_text(header + "\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    return path


def test_pdgam_feature_folder_to_corpus(tmp_path: Path, cmu_dir: Path) -> None:
    folder = tmp_path / "PD-GaM" / "new_joint_vecs"
    folder.mkdir(parents=True)
    for name in WALKS:
        np.save(folder / name.replace(".bvh", ".npy"), _humanml3d_features(read_motion(cmu_dir / name).joints))
    labels = _labels(tmp_path / "labels.csv", [(n.replace(".bvh", ""), s, str(k)) for n, (s, k) in WALKS.items()]
                     + [("missing_walk", "P03", "2")])  # fmt: skip
    out = tmp_path / "labelled"
    result = CliRunner().invoke(app, ["import", "pdgam", str(tmp_path / "PD-GaM"), "--labels", str(labels), "--out", str(out)])
    assert result.exit_code == 0, result.output
    walks = {w.walk_id: w for w in read_manifest(out)}
    assert set(walks) == {"new_joint_vecs_07_06", "new_joint_vecs_136_22", "new_joint_vecs_07_04"}
    assert walks["new_joint_vecs_136_22"].subject == "P02" and walks["new_joint_vecs_136_22"].score == 1
    report = json.loads((out / "import_report.json").read_text())
    assert report["imported"] == 3 and "missing_walk" in report["skipped"][0]["walk"]
    summary = build_corpus(out, tmp_path / "corpus", CorpusConfig(paraphrases=1, splits="kfold:2"), workers=1)
    assert summary["walks"] == 3 and summary["subjects"] == 2
    records = {json.loads(x)["walk_id"]: json.loads(x) for x in (tmp_path / "corpus" / "walks.jsonl").read_text().splitlines()}
    assert 1.0 < records["new_joint_vecs_07_06"]["parameters"]["speed_m_s"] < 1.5  # a normal CMU walk, via HumanML3D


def test_bmclab_c3d_folder_to_corpus(tmp_path: Path, cmu_dir: Path) -> None:
    folder = tmp_path / "bmclab"
    folder.mkdir()
    for name in ("07_06.bvh", "136_22.bvh"):
        joints = read_motion(cmu_dir / name).joints[::2]
        markers = {k: y_up_to_z_up(v) for k, v in plug_in_gait_markers(joints).items()}
        write_c3d(folder / name.replace(".bvh", ".c3d"), markers, fps=60.0)
    labels = _labels(tmp_path / "labels.csv", [("07_06.c3d", "SUB01", "0"), ("136_22.c3d", "SUB02", "")],
                     header="file,subject,score")  # fmt: skip
    out = tmp_path / "labelled"
    result = CliRunner().invoke(app, ["import", "bmclab", str(folder), "--labels", str(labels), "--out", str(out)])
    assert result.exit_code == 0, result.output
    walks = {w.walk_id: w for w in read_manifest(out)}
    assert walks["07_06"].score == 0 and walks["136_22"].score is None
    assert read_motion(walks["07_06"].path).fps == 60.0
    summary = build_corpus(out, tmp_path / "corpus", CorpusConfig(paraphrases=1, splits="loso"), workers=1)
    assert summary["walks"] == 2 and summary["stage2_rows"] == 1 and summary["unlabelled"] == 1


def test_carepd_pickles(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)

    def walk(score: object) -> dict:
        n = 45
        pose = np.zeros((n, 72))
        pose[:, 3 * 1] = 0.4 * np.sin(np.linspace(0, 6 * np.pi, n))  # left hip flexion
        pose[:, 3 * 2] = -pose[:, 3 * 1]
        trans = np.c_[np.zeros(n), np.full(n, 0.9), np.linspace(0, 1.5, n)] + rng.normal(0, 0.001, (n, 3))
        return {"pose": pose, "trans": trans, "beta": np.zeros(10), "fps": 30, "UPDRS_GAIT": score, "medication": "on"}

    data = {"SUB01": {"walk_1": walk(1), "walk_2": walk(1)}, "SUB02": {"walk_1": walk(None)}}
    (tmp_path / "BMCLab.pkl").write_bytes(pickle.dumps(data))
    (tmp_path / "Other.pkl").write_bytes(pickle.dumps({"SUB01": {"w": {**walk(7)}}}))  # invalid score
    out = tmp_path / "labelled"
    result = CliRunner().invoke(app, ["import", "carepd", str(tmp_path / "BMCLab.pkl"), str(tmp_path / "Other.pkl"),
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    walks = {w.walk_id: w for w in read_manifest(out)}
    assert set(walks) == {"BMCLab_SUB01_walk_1", "BMCLab_SUB01_walk_2", "BMCLab_SUB02_walk_1"}
    assert walks["BMCLab_SUB01_walk_2"].subject == "BMCLab_SUB01" and walks["BMCLab_SUB01_walk_2"].score == 1
    assert walks["BMCLab_SUB02_walk_1"].score is None
    skipped = json.loads((out / "import_report.json").read_text())["skipped"]
    assert skipped[0]["walk"] == "Other.pkl:SUB01/w" and "out of range" in skipped[0]["error"]
    reference = read_carepd_pickle(tmp_path / "BMCLab.pkl", walk="SUB01/walk_2")
    assert np.allclose(read_motion(walks["BMCLab_SUB01_walk_2"].path).joints, reference.joints, atol=1e-5)


@pytest.mark.parametrize("csv_text,problem", [
    ("walk,subject,score\na,P1,1\n", "no file column"),
    ("file,person,score\na,P1,1\n", "no subject column"),
    ("file,subject,severity\na,P1,1\n", "no score column"),
    ("file,subject,score\na,P1,two\n", "line 2: score 'two' is not a number"),
])  # fmt: skip
def test_label_csv_problems_are_explained(tmp_path: Path, csv_text: str, problem: str) -> None:
    folder = tmp_path / "c3d"
    folder.mkdir()
    (tmp_path / "labels.csv").write_text(csv_text)
    result = CliRunner().invoke(app, ["import", "bmclab", str(folder), "--labels", str(tmp_path / "labels.csv"),
                                      "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 1
    message = re.sub(r"\s+", " ", result.output)
    assert "labels.csv" in message and problem in message


def test_an_import_that_finds_nothing_leaves_no_folder(tmp_path: Path) -> None:
    folder = tmp_path / "features"
    folder.mkdir()
    np.save(folder / "broken.npy", np.zeros((5, 10)))  # not HumanML3D features
    labels = _labels(tmp_path / "labels.csv", [("broken", "P1", "1"), ("absent", "P2", "0")])
    result = CliRunner().invoke(app, ["import", "pdgam", str(folder), "--labels", str(labels), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "no walk could be imported" in re.sub(r"\s+", " ", result.output)
    assert not (tmp_path / "out").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
