"""The canonical skeleton every reader produces and every later stage consumes.

22 joints in the SMPL / HumanML3D order, positions in metres, y up, the floor at y = 0 (the contact
height of the lowest foot joint), a right-handed frame. A joint that the input format lacks (e.g. the
feet in H36M-17) is *missing*: its coordinates are NaN and ``Motion.present`` is False for it. Nothing
downstream invents a missing joint; parameters that need one are reported unavailable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agir.errors import MotionFileError

JOINT_NAMES: tuple[str, ...] = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2",
    "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot", "neck",
    "left_collar", "right_collar", "head", "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist",
)  # fmt: skip
"""Joint names in SMPL / HumanML3D order; ``*_foot`` is the toe base (metatarsal heads)."""

PARENTS: tuple[int, ...] = (-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19)
"""Parent index of each joint in the kinematic tree (-1 for the root)."""

JOINT_INDEX: dict[str, int] = {name: i for i, name in enumerate(JOINT_NAMES)}
N_JOINTS = len(JOINT_NAMES)

UP_AXIS = 1
"""Index of the vertical axis (y)."""


@dataclass
class MotionSource:
    """Where a motion came from: file, format, joint layout, units and any conversion notes."""

    path: str = "<array>"
    format: str = "array"
    layout: str = "smpl22"
    units: str = "m"
    notes: list[str] = field(default_factory=list)


@dataclass
class Motion:
    """A walk on the canonical skeleton.

    Attributes:
        joints: float array, T x 22 x 3, metres, y up, floor at y = 0; NaN for missing joints.
        fps: frames per second (Hz).
        present: bool array of 22: which joints the input provided.
        source: provenance of the data.
    """

    joints: np.ndarray
    fps: float
    present: np.ndarray
    source: MotionSource = field(default_factory=MotionSource)

    @property
    def n_frames(self) -> int:
        return int(self.joints.shape[0])

    @property
    def duration_s(self) -> float:
        """Duration in seconds, (T - 1) / fps."""
        return (self.n_frames - 1) / self.fps

    @property
    def missing_joints(self) -> list[str]:
        return [name for name, ok in zip(JOINT_NAMES, self.present) if not ok]

    def has(self, *names: str) -> bool:
        """True when every named joint is present."""
        return all(bool(self.present[JOINT_INDEX[n]]) for n in names)

    def joint(self, name: str) -> np.ndarray:
        """Trajectory of one joint, T x 3 metres."""
        return self.joints[:, JOINT_INDEX[name]]


def _up_vector(joints: np.ndarray, present: np.ndarray) -> np.ndarray | None:
    """Mean vector from the lowest available joints (feet/ankles/knees) to the highest (head/neck/...)."""
    tops = [n for n in ("head", "neck", "spine3", "left_shoulder", "right_shoulder") if present[JOINT_INDEX[n]]]
    bottoms = [
        n
        for n in ("left_ankle", "right_ankle", "left_foot", "right_foot", "left_knee", "right_knee")
        if present[JOINT_INDEX[n]]
    ]
    if not tops or not bottoms:
        return None
    top = joints[:, [JOINT_INDEX[n] for n in tops]].mean(axis=1)
    bottom = joints[:, [JOINT_INDEX[n] for n in bottoms]].mean(axis=1)
    return (top - bottom).mean(axis=0)


def rotation_to_y_up(up: np.ndarray) -> np.ndarray:
    """Proper rotation (3 x 3) taking the coordinate axis nearest to ``up`` onto +y.

    Only axis permutations with signs are used (no tilt correction), so a z-up or y-down file becomes
    y-up without mirroring.
    """
    axis = int(np.argmax(np.abs(up)))
    sign = float(np.sign(up[axis])) or 1.0
    if axis == 1:
        return np.eye(3) if sign > 0 else np.diag([1.0, -1.0, -1.0])  # 180 degrees about x
    if axis == 2:  # z -> sign*y: rotate about x by -/+90 degrees
        return np.array([[1.0, 0, 0], [0, 0, sign], [0, -sign, 0]])
    # x -> sign*y: rotate about z by +/-90 degrees
    return np.array([[0, -sign, 0], [sign, 0, 0], [0, 0, 1.0]])


def canonicalise(
    joints: np.ndarray,
    present: np.ndarray,
    fps: float,
    source: MotionSource,
    detect_up_axis: bool = True,
) -> Motion:
    """Validate a T x 22 x 3 array (metres) and bring it to y up with the floor at y = 0.

    Raises:
        MotionFileError: wrong shape, fewer than 2 frames, non-positive fps, NaN or infinite values in
            present joints, or no joints to tell up from down.
    """
    path = source.path
    joints = np.asarray(joints, dtype=np.float64)
    present = np.asarray(present, dtype=bool)
    if joints.ndim != 3 or joints.shape[1:] != (N_JOINTS, 3):
        raise MotionFileError(path, f"joint array has shape {joints.shape}", f"T x {N_JOINTS} x 3")
    if joints.shape[0] < 2:
        raise MotionFileError(path, f"only {joints.shape[0]} frame(s)", "at least 2 frames")
    if not np.isfinite(fps) or fps <= 0:
        raise MotionFileError(path, f"frame rate {fps!r} is not a positive number", "fps > 0")
    data = joints[:, present]
    bad = ~np.isfinite(data)
    if bad.any():
        frames = np.unique(np.nonzero(bad)[0])
        names = [JOINT_NAMES[i] for i in np.nonzero(present)[0][np.unique(np.nonzero(bad)[1])]]
        raise MotionFileError(
            path,
            f"{len(frames)} frame(s) contain NaN or infinite coordinates (first at frame {frames[0]}, "
            f"joints {', '.join(names[:5])})",
            "finite coordinates for every provided joint",
        )
    joints = joints.copy()
    joints[:, ~present] = np.nan
    if detect_up_axis:
        up = _up_vector(joints, present)
        if up is None:
            raise MotionFileError(path, "too few joints to tell up from down", "a head/neck/shoulder and a leg joint")
        rotation = rotation_to_y_up(up)
        if not np.allclose(rotation, np.eye(3)):
            joints = joints @ rotation.T
            source.notes.append("rotated to y-up (vertical axis detected from the legs-to-head direction)")
    feet = [JOINT_INDEX[n] for n in ("left_foot", "right_foot") if present[JOINT_INDEX[n]]]
    if not feet:
        feet = [JOINT_INDEX[n] for n in ("left_ankle", "right_ankle") if present[JOINT_INDEX[n]]]
    if feet:
        floor = float(np.percentile(joints[:, feet, UP_AXIS].min(axis=1), 1.0))
        joints[..., UP_AXIS] -= floor
    return Motion(joints=joints, fps=float(fps), present=present, source=source)


def read_source_path(path: str | Path) -> Path:
    """Check a motion file exists and is non-empty; return it as a Path."""
    p = Path(path)
    if not p.exists():
        raise MotionFileError(p, "file does not exist")
    if p.is_dir():
        raise MotionFileError(p, "is a directory", "a motion file")
    if p.stat().st_size == 0:
        raise MotionFileError(p, "file is empty")
    return p
