"""Joint centres from named 3D markers / keypoints (shared by the C3D and TRC readers).

Supported marker sets (names compared case-insensitively, subject prefixes like ``Sub01:`` dropped):

* **Plug-in Gait-like** (Vicon PiG, BMCLab-style): required ``LASI RASI`` + (``LPSI RPSI`` or ``SACR``)
  + ``LKNE RKNE LANK RANK``; optional ``LTOE RTOE`` (feet), ``C7 CLAV`` (trunk), ``LSHO RSHO``,
  ``LELB RELB``, ``LWRA LWRB RWRA RWRB`` (arms), ``LFHD RFHD LBHD RBHD`` (head); medial markers
  ``LKNM/LMKNE``, ``LMED/LMMA`` are used where present.
  Hip joint centres follow Harrington et al. 2007 (J Biomech 40:595) from pelvis width and depth;
  knee and ankle centres are the lateral marker moved 5 cm / 3.5 cm medially when no medial marker
  exists; the shoulder joint is 5 cm below the acromion marker. These are documented approximations.
* **OpenCap / OpenPose video keypoints** (TRC from OpenCap): ``midHip RHip LHip RKnee LKnee RAnkle
  LAnkle RBigToe LBigToe RSmallToe LSmallToe Neck RShoulder LShoulder RElbow LElbow RWrist LWrist``
  (head from ``Nose``/``Head`` if present).

Missing optional markers make the corresponding joints missing, not invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from agir.errors import MotionFileError
from agir.readers.mapping import Mean, Recipe, build_canonical, canonical, normalise_name, with_fallbacks

PIG_REQUIRED = ("lasi", "rasi", "lkne", "rkne", "lank", "rank")
OPENCAP_REQUIRED = ("lhip", "rhip", "lknee", "rknee", "lankle", "rankle")

KNEE_HALF_WIDTH_M = 0.05
ANKLE_HALF_WIDTH_M = 0.035
ACROMION_TO_SHOULDER_M = 0.05

OPENCAP_RECIPES: dict[str, list[Recipe]] = with_fallbacks({
    "pelvis": ["midhip", Mean(("lhip", "rhip"))],
    "left_hip": ["lhip"], "right_hip": ["rhip"],
    "left_knee": ["lknee"], "right_knee": ["rknee"],
    "left_ankle": ["lankle"], "right_ankle": ["rankle"],
    "left_foot": [Mean(("lbigtoe", "lsmalltoe")), "lbigtoe"],
    "right_foot": [Mean(("rbigtoe", "rsmalltoe")), "rbigtoe"],
    "neck": ["neck", Mean(("lshoulder", "rshoulder"))],
    "head": ["head", "nose"],
    "left_shoulder": ["lshoulder"], "right_shoulder": ["rshoulder"],
    "left_elbow": ["lelbow"], "right_elbow": ["relbow"],
    "left_wrist": ["lwrist"], "right_wrist": ["rwrist"],
})  # fmt: skip


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def _plug_in_gait_points(m: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Derived joint-centre points (metres) from Plug-in Gait markers; keys are canonical names."""
    out: dict[str, np.ndarray] = {}
    asis_mid = (m["lasi"] + m["rasi"]) / 2
    sacrum = m["sacr"] if "sacr" in m else (m["lpsi"] + m["rpsi"]) / 2
    lateral = _unit(m["rasi"] - m["lasi"])  # towards the right
    anterior = asis_mid - sacrum
    anterior = _unit(anterior - np.sum(anterior * lateral, axis=-1, keepdims=True) * lateral)
    superior = np.cross(lateral, anterior)
    width = np.linalg.norm(m["rasi"] - m["lasi"], axis=-1, keepdims=True)
    depth = np.linalg.norm(asis_mid - sacrum, axis=-1, keepdims=True)
    base = asis_mid + anterior * (-0.24 * depth - 0.0099) + superior * (-0.30 * width - 0.0109)
    side = lateral * (0.33 * width + 0.0073)
    out["right_hip"], out["left_hip"] = base + side, base - side
    out["pelvis"] = (asis_mid + sacrum) / 2
    for s, sign in (("l", 1.0), ("r", -1.0)):
        full = "left" if s == "l" else "right"
        medial = sign * lateral  # the left leg's medial side is towards the right
        knee_med = next((m[k] for k in (f"{s}kneemed", f"{s}knm", f"{s}mkne", f"{s}kneem") if k in m), None)
        out[f"{full}_knee"] = (
            (m[f"{s}kne"] + knee_med) / 2 if knee_med is not None else m[f"{s}kne"] + medial * KNEE_HALF_WIDTH_M
        )
        ank_med = next((m[k] for k in (f"{s}med", f"{s}mma", f"{s}mmal", f"{s}ankm") if k in m), None)
        out[f"{full}_ankle"] = (
            (m[f"{s}ank"] + ank_med) / 2 if ank_med is not None else m[f"{s}ank"] + medial * ANKLE_HALF_WIDTH_M
        )
        if f"{s}toe" in m:
            out[f"{full}_foot"] = m[f"{s}toe"]
        if f"{s}elb" in m:
            out[f"{full}_elbow"] = m[f"{s}elb"]
        if f"{s}wra" in m and f"{s}wrb" in m:
            out[f"{full}_wrist"] = (m[f"{s}wra"] + m[f"{s}wrb"]) / 2
    if "c7" in m and "clav" in m:
        out["neck"] = (m["c7"] + m["clav"]) / 2
        trunk_up = _unit(out["neck"] - out["pelvis"])
        for s, full in (("l", "left"), ("r", "right")):
            if f"{s}sho" in m:
                out[f"{full}_shoulder"] = m[f"{s}sho"] - trunk_up * ACROMION_TO_SHOULDER_M
    head = [m[k] for k in ("lfhd", "rfhd", "lbhd", "rbhd") if k in m]
    if len(head) == 4:
        out["head"] = np.mean(head, axis=0)
    return out


def joints_from_markers(
    markers: Mapping[str, np.ndarray], n_frames: int, path: str | Path
) -> tuple[np.ndarray, np.ndarray, str]:
    """Canonical joints (T x 22 x 3, metres) from marker trajectories (name -> T x 3, metres).

    Returns joints, present mask and the name of the marker set recognised.

    Raises:
        MotionFileError: when neither supported marker set's required markers are all present.
    """
    named = {normalise_name(k): np.asarray(v, dtype=np.float64) for k, v in markers.items()}
    has_pelvis_back = "sacr" in named or ("lpsi" in named and "rpsi" in named)
    if all(k in named for k in PIG_REQUIRED) and has_pelvis_back:
        derived = _plug_in_gait_points(named)
        recipes: dict[str, list[Recipe]] = with_fallbacks({j: [canonical(j) + "src"] for j in derived})
        points = {canonical(j) + "src": v for j, v in derived.items()}
        joints, present, _ = build_canonical(points, recipes, n_frames)
        return joints, present, "plug-in-gait"
    if all(k in named for k in OPENCAP_REQUIRED):
        joints, present, _ = build_canonical(named, OPENCAP_RECIPES, n_frames)
        return joints, present, "opencap-keypoints"
    found = ", ".join(sorted(markers)[:30]) or "none"
    raise MotionFileError(
        path,
        f"the markers needed for joint centres are missing (found: {found})",
        "Plug-in Gait markers LASI RASI LPSI RPSI|SACR LKNE RKNE LANK RANK, or OpenCap keypoints "
        "LHip RHip LKnee RKnee LAnkle RAnkle",
    )


def fill_gaps(markers: dict[str, np.ndarray], fps: float, path: str | Path, max_gap_s: float = 0.2) -> list[str]:
    """Linearly interpolate marker dropouts (NaN runs) of at most ``max_gap_s`` seconds, in place.

    Longer gaps raise, naming the marker and where the gap is. Markers that are entirely NaN are removed
    (treated as absent). Returns notes on what was filled.
    """
    notes: list[str] = []
    for name in list(markers):
        traj = markers[name]
        bad = ~np.isfinite(traj).all(axis=1)
        if not bad.any():
            continue
        if bad.all():
            del markers[name]
            notes.append(f"marker {name} has no valid samples and was ignored")
            continue
        idx = np.arange(len(traj))
        edges = np.diff(np.concatenate([[0], bad.astype(int), [0]]))
        starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
        longest = int((ends - starts).max())
        if longest / fps > max_gap_s:
            k = int(np.argmax(ends - starts))
            raise MotionFileError(
                path,
                f"marker {name} is missing for {longest} frames ({longest / fps:.2f} s) from frame {starts[k]}",
                f"gaps of at most {max_gap_s} s (they are interpolated)",
            )
        for axis in range(3):
            traj[bad, axis] = np.interp(idx[bad], idx[~bad], traj[~bad, axis])
        notes.append(f"marker {name}: {int(bad.sum())} missing samples interpolated")
    return notes

