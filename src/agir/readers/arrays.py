"""NumPy joint arrays (.npy / .npz) from video pose lifters and other tools, and CARE-PD pickles.

Layouts (``--joints``): ``smpl22``, ``smpl24`` (hands ignored), ``h36m17`` (no feet), ``coco17`` (no feet,
no spine: interpolated between the hips and shoulders), ``halpe26`` (COCO + head, neck, hip and feet).
Arrays are T x J x 3 (or T x 3J). Units default to ``auto``: inferred from body height like BVH.

``.npz`` keys: the array under ``joints`` / ``positions`` / ``keypoints`` / ``kpts`` / ``pose_3d`` (or the only
array), the rate under ``fps`` / ``frame_rate`` / ``mocap_framerate``, an optional ``layout`` string.
An ``.npz`` with SMPL ``poses`` + ``trans`` (AMASS style) goes through SMPL forward kinematics, and a
``.npy`` of shape T x 263 is read as HumanML3D features.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

from agir.errors import MotionFileError
from agir.readers.humanml3d import HUMANML3D_DIM, joints_from_humanml3d
from agir.readers.mapping import Lerp, Mean, Recipe, build_canonical, with_fallbacks
from agir.readers.smpl import smpl_forward_kinematics
from agir.readers.units import UNIT_SCALES, resolve_units
from agir.skeleton import JOINT_NAMES, Motion, MotionSource, canonicalise, read_source_path

LAYOUT_POINTS: dict[str, tuple[str, ...]] = {
    "smpl22": JOINT_NAMES,
    "smpl24": (*JOINT_NAMES, "left_hand", "right_hand"),
    "h36m17": ("hip", "rhip", "rknee", "rankle", "lhip", "lknee", "lankle", "spine", "thorax", "nose",
               "headtop", "lshoulder", "lelbow", "lwrist", "rshoulder", "relbow", "rwrist"),
    "coco17": ("nose", "leye", "reye", "lear", "rear", "lshoulder", "rshoulder", "lelbow", "relbow",
               "lwrist", "rwrist", "lhip", "rhip", "lknee", "rknee", "lankle", "rankle"),
}  # fmt: skip
LAYOUT_POINTS["halpe26"] = (*LAYOUT_POINTS["coco17"], "headtop", "neck", "hip", "lbigtoe", "rbigtoe",
                            "lsmalltoe", "rsmalltoe", "lheel", "rheel")  # fmt: skip

_KEYPOINT_RECIPES: dict[str, list[Recipe]] = {
    "pelvis": ["hip", Mean(("lhip", "rhip"))],
    "left_hip": ["lhip"], "right_hip": ["rhip"],
    "left_knee": ["lknee"], "right_knee": ["rknee"],
    "left_ankle": ["lankle"], "right_ankle": ["rankle"],
    "left_foot": [Mean(("lbigtoe", "lsmalltoe"))], "right_foot": [Mean(("rbigtoe", "rsmalltoe"))],
    "spine2": ["spine"],
    "neck": ["thorax", "neck", Mean(("lshoulder", "rshoulder"))],
    "head": [Lerp("nose", "headtop", 0.5), Mean(("lear", "rear")), "nose"],
    "left_shoulder": ["lshoulder"], "right_shoulder": ["rshoulder"],
    "left_elbow": ["lelbow"], "right_elbow": ["relbow"],
    "left_wrist": ["lwrist"], "right_wrist": ["rwrist"],
}  # fmt: skip
LAYOUT_RECIPES: dict[str, dict[str, list[Recipe]]] = {
    "smpl22": {name: [name.replace("_", "")] for name in JOINT_NAMES},
    "h36m17": with_fallbacks({**_KEYPOINT_RECIPES, "spine1": [Lerp("hip", "spine", 0.5)],
                              "spine3": [Lerp("spine", "thorax", 0.6)]}),
    "coco17": with_fallbacks(_KEYPOINT_RECIPES),
}  # fmt: skip
LAYOUT_RECIPES["smpl24"] = LAYOUT_RECIPES["smpl22"]
LAYOUT_RECIPES["halpe26"] = LAYOUT_RECIPES["coco17"]
LAYOUTS = tuple(LAYOUT_POINTS)
_ARRAY_KEYS = ("joints", "positions", "keypoints", "kpts", "pose_3d", "poses_3d", "keypoints_3d")
_FPS_KEYS = ("fps", "frame_rate", "mocap_framerate", "framerate")


def _guess_layout(n_points: int, path: Path) -> str:
    by_count = {22: "smpl22", 24: "smpl24", 26: "halpe26"}
    if n_points in by_count:
        return by_count[n_points]
    if n_points == 17:
        raise MotionFileError(path, "17 joints is ambiguous", "--joints h36m17 or --joints coco17")
    raise MotionFileError(path, f"{n_points} joints per frame matches no known layout", f"one of {', '.join(LAYOUTS)}")


def _body_height(points: dict[str, np.ndarray]) -> float:
    tops = [points[k] for k in ("head", "headtop", "nose", "neck", "thorax") if k in points]
    bottoms = [points[k] for k in ("leftankle", "rightankle", "lankle", "rankle") if k in points]
    if not tops or not bottoms:
        return float("nan")
    return float(np.median(np.linalg.norm(tops[0] - np.mean(bottoms, axis=0), axis=-1)) / 0.88)


def motion_from_keypoints(
    array: np.ndarray, fps: float, path: Path, layout: str | None = None, units: str = "auto", fmt: str = "npy"
) -> Motion:
    """Canonical motion from a T x J x 3 (or T x 3J) keypoint array in a known layout."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 2 and array.shape[1] % 3 == 0:
        array = array.reshape(array.shape[0], -1, 3)
    if array.ndim != 3 or array.shape[-1] != 3:
        raise MotionFileError(path, f"array has shape {array.shape}", "T x J x 3 joint positions")
    layout = layout or _guess_layout(array.shape[1], path)
    if layout not in LAYOUT_POINTS:
        raise MotionFileError(path, f"unknown joint layout '{layout}'", f"one of {', '.join(LAYOUTS)}")
    names = LAYOUT_POINTS[layout]
    if array.shape[1] != len(names):
        raise MotionFileError(path, f"{array.shape[1]} joints per frame", f"{len(names)} for layout {layout}")
    points = {n.replace("_", ""): array[:, i] for i, n in enumerate(names)}
    units, notes = resolve_units(units, lambda: _body_height(points), path, "body height")
    scale = UNIT_SCALES[units]
    joints, present, _ = build_canonical({k: v * scale for k, v in points.items()}, LAYOUT_RECIPES[layout], len(array))
    return canonicalise(joints, present, fps, MotionSource(str(path), fmt, layout, units, notes))


def motion_from_smpl(pose: np.ndarray, trans: np.ndarray, fps: float, path: Path, fmt: str) -> Motion:
    """Canonical motion from SMPL axis-angle pose (T x >=66) and translation (T x 3, metres)."""
    pose, trans = np.asarray(pose, dtype=np.float64), np.asarray(trans, dtype=np.float64)
    if pose.ndim != 2 or pose.shape[1] < 66:
        raise MotionFileError(path, f"SMPL pose has shape {pose.shape}", "T x 72 (or T x >=66) axis-angle")
    if trans.shape != (pose.shape[0], 3):
        raise MotionFileError(path, f"SMPL trans has shape {trans.shape}", f"{pose.shape[0]} x 3")
    if not (np.isfinite(pose).all() and np.isfinite(trans).all()):
        raise MotionFileError(path, "SMPL pose/trans contain NaN or infinite values")
    joints = smpl_forward_kinematics(pose, trans)
    note = "SMPL forward kinematics on a fixed template skeleton (body shape ignored)"
    return canonicalise(joints, np.ones(22, bool), fps, MotionSource(str(path), fmt, "smpl-params", "m", [note]))


def _fps_from(container: dict, fps: float | None, path: Path, default: float | None = None) -> float:
    for key in _FPS_KEYS:
        if key in container:
            return float(np.asarray(container[key]).reshape(-1)[0])
    if fps is not None:
        return fps
    if default is not None:
        return default
    raise MotionFileError(path, "frame rate unknown", "an 'fps' entry in the file or the --fps option")


def read_npy(path: str | Path, layout: str | None = None, units: str = "auto", fps: float | None = None) -> Motion:
    """Read a ``.npy`` joint array (needs ``fps``) or a T x 263 HumanML3D feature array (20 fps default)."""
    path = read_source_path(path)
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise MotionFileError(path, f"not a readable .npy array ({exc})") from exc
    if array.ndim == 2 and array.shape[1] == HUMANML3D_DIM and layout is None:
        return read_humanml3d_array(array, path, fps or 20.0)
    if fps is None:
        raise MotionFileError(path, "frame rate unknown: .npy files do not store it", "the --fps option")
    return motion_from_keypoints(array, fps, path, layout, units)


def read_humanml3d_array(features: np.ndarray, path: Path, fps: float = 20.0) -> Motion:
    """Canonical motion from HumanML3D features (T x 263)."""
    if features.ndim != 2 or features.shape[1] != HUMANML3D_DIM:
        raise MotionFileError(path, f"array has shape {features.shape}", f"T x {HUMANML3D_DIM} HumanML3D features")
    if not np.isfinite(features).all():
        raise MotionFileError(path, "features contain NaN or infinite values")
    joints = joints_from_humanml3d(features)
    note = "joints recovered from HumanML3D root + local positions (recover_from_ric)"
    return canonicalise(joints, np.ones(22, bool), fps, MotionSource(str(path), "humanml3d", "smpl22", "m", [note]))


def read_humanml3d(path: str | Path, fps: float | None = None) -> Motion:
    """Read a HumanML3D feature file (.npy, T x 263, 20 fps unless ``fps`` says otherwise)."""
    path = read_source_path(path)
    try:
        features = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise MotionFileError(path, f"not a readable .npy array ({exc})") from exc
    return read_humanml3d_array(np.asarray(features, dtype=np.float64), path, fps or 20.0)


def read_npz(path: str | Path, layout: str | None = None, units: str = "auto", fps: float | None = None) -> Motion:
    """Read an ``.npz``: a joint array with its fps (and optional layout), or AMASS-style SMPL params."""
    path = read_source_path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            content = {k: data[k] for k in data.files}
    except (ValueError, OSError, EOFError) as exc:
        raise MotionFileError(path, f"not a readable .npz archive ({exc})") from exc
    if "poses" in content and "trans" in content:
        return motion_from_smpl(content["poses"], content["trans"], _fps_from(content, fps, path), path, "npz-smpl")
    key = next((k for k in _ARRAY_KEYS if k in content), None)
    if key is None:
        arrays = [k for k, v in content.items() if v.ndim >= 2]
        if len(arrays) != 1:
            raise MotionFileError(path, f"cannot tell which array holds the joints (keys: {sorted(content)})",
                                  "a 'joints' array")  # fmt: skip
        key = arrays[0]
    if layout is None and "layout" in content:
        layout = str(content["layout"])
    return motion_from_keypoints(content[key], _fps_from(content, fps, path), path, layout, units, "npz")


def read_carepd_pickle(path: str | Path, fps: float | None = None, walk: str | None = None) -> Motion:
    """Read a CARE-PD style pickle: a walk dict (``pose`` T x 72, ``trans`` T x 3, ``fps``), or a dict of walks
    (nested by subject and/or walk id) from which ``walk`` selects one (the only one if there is one)."""
    path = read_source_path(path)
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)  # noqa: S301 - user-supplied research data, as CARE-PD distributes it
    except Exception as exc:  # pickle raises many types on corrupt input
        raise MotionFileError(path, f"not a readable pickle ({type(exc).__name__}: {exc})") from exc
    walks = dict(iter_carepd_walks(data))
    if not walks:
        raise MotionFileError(path, "no walk with 'pose' and 'trans' found", "CARE-PD dict(s) with pose/trans/fps")
    if walk is None:
        if len(walks) > 1:
            raise MotionFileError(path, f"holds {len(walks)} walks", f"one selected, e.g. {next(iter(walks))}")
        walk = next(iter(walks))
    if walk not in walks:
        raise MotionFileError(path, f"no walk '{walk}'", f"one of {', '.join(list(walks)[:5])} ...")
    entry = walks[walk]
    return motion_from_smpl(entry["pose"], entry["trans"], _fps_from(entry, fps, path, 30.0), path, "carepd")


def iter_carepd_walks(data: object, prefix: str = ""):
    """Yield (walk key, walk dict) for every dict holding ``pose`` and ``trans`` in a nested structure."""
    if isinstance(data, dict):
        if "pose" in data and "trans" in data:
            yield prefix or "walk", data
            return
        for key, value in data.items():
            yield from iter_carepd_walks(value, f"{prefix}/{key}" if prefix else str(key))
