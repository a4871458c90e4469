"""BVH reader: parse the hierarchy, run forward kinematics, map the joints onto the canonical skeleton.

Units: BVH files carry no unit. ``units="auto"`` infers it from the rest-pose body height (the
vertical extent of the skeleton with all rotations zero): of metres, centimetres, millimetres,
inches and CMU units (inches / 0.45, as in the CMU database's BVH conversion), the one giving a
height closest to 1.7 m is chosen and written in the motion's notes. Pass ``units`` to override.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agir.errors import MotionFileError
from agir.readers.mapping import Lerp, Recipe, build_canonical, with_fallbacks
from agir.readers.rotations import intrinsic_euler
from agir.readers.units import UNIT_SCALES, resolve_units
from agir.skeleton import Motion, MotionSource, canonicalise, read_source_path


# Candidate names (normalised: lower case, no punctuation, no "mixamorig:" prefix) per canonical joint.
# Covers CMU, Mixamo, Poser/DAZ-style (lThigh, lShin ...), SMPL-style exports and Biovision-style names.
BVH_RECIPES: dict[str, list[Recipe]] = with_fallbacks({
    "pelvis": ["hips", "hip", "pelvis", "root"],
    "left_hip": ["leftupleg", "lthigh", "leftthigh", "lefthip", "lhip", "lupleg", "lfemur"],
    "right_hip": ["rightupleg", "rthigh", "rightthigh", "righthip", "rhip", "rupleg", "rfemur"],
    "left_knee": ["leftleg", "lshin", "leftshin", "leftknee", "lknee", "lleg", "ltibia"],
    "right_knee": ["rightleg", "rshin", "rightshin", "rightknee", "rknee", "rleg", "rtibia"],
    "left_ankle": ["leftfoot", "lfoot", "leftankle", "lankle"],
    "right_ankle": ["rightfoot", "rfoot", "rightankle", "rankle"],
    "left_foot": ["lefttoebase", "lefttoe", "ltoebase", "ltoe", "ltoes", "lefttoes"],
    "right_foot": ["righttoebase", "righttoe", "rtoebase", "rtoe", "rtoes", "righttoes"],
    "spine1": ["spine", "abdomen", "lowerback"],
    "spine2": [Lerp("spine", "spine1", 0.5), "chest"],
    "spine3": ["spine2", Lerp("spine", "spine1", 0.9), "chest2", "upperchest"],
    "neck": ["neck", "neck1", "lowerneck"],
    "head": ["head"],
    "left_collar": ["leftshoulder", "lcollar", "leftcollar", "lclavicle"],
    "right_collar": ["rightshoulder", "rcollar", "rightcollar", "rclavicle"],
    "left_shoulder": ["leftarm", "lshldr", "lshoulder", "leftupperarm", "lhumerus", "lupperarm"],
    "right_shoulder": ["rightarm", "rshldr", "rshoulder", "rightupperarm", "rhumerus", "rupperarm"],
    "left_elbow": ["leftforearm", "lforearm", "leftelbow", "lelbow", "lradius", "llowerarm"],
    "right_elbow": ["rightforearm", "rforearm", "rightelbow", "relbow", "rradius", "rlowerarm"],
    "left_wrist": ["lefthand", "lhand", "leftwrist", "lwrist"],
    "right_wrist": ["righthand", "rhand", "rightwrist", "rwrist"],
})  # fmt: skip


@dataclass
class BvhSkeleton:
    """A parsed BVH: joint tree, offsets (J x 3, file units), channels and the motion matrix (F x C)."""

    names: list[str]
    parents: list[int]
    offsets: np.ndarray
    channels: list[list[str]]
    frame_time_s: float
    motion: np.ndarray


def parse_bvh(path: Path) -> BvhSkeleton:
    """Parse a BVH file (hierarchy + motion). End sites become joints named ``<parent>_end``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise MotionFileError(path, f"cannot read file: {exc}") from exc
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines or lines[0].upper() != "HIERARCHY":
        raise MotionFileError(path, "does not start with HIERARCHY", "a BVH file")
    names: list[str] = []
    parents: list[int] = []
    offsets: list[list[float]] = []
    channels: list[list[str]] = []
    stack: list[int] = []
    pending: int | None = None
    i = 1
    while i < len(lines) and lines[i].upper() != "MOTION":
        tokens = lines[i].split()
        key = tokens[0].upper()
        if key in ("ROOT", "JOINT") or (key == "END" and len(tokens) > 1 and tokens[1].upper() == "SITE"):
            name = " ".join(tokens[1:]) if key != "END" else f"{names[stack[-1]] if stack else 'root'}_end"
            names.append(name)
            parents.append(stack[-1] if stack else -1)
            offsets.append([0.0, 0.0, 0.0])
            channels.append([])
            pending = len(names) - 1
        elif key == "{":
            if pending is None:
                raise MotionFileError(path, f"line {i + 1}: '{{' without a joint", "ROOT/JOINT/End Site before '{'")
            stack.append(pending)
            pending = None
        elif key == "}":
            if not stack:
                raise MotionFileError(path, f"line {i + 1}: unbalanced '}}'")
            stack.pop()
        elif key == "OFFSET":
            try:
                offsets[stack[-1]] = [float(v) for v in tokens[1:4]]
            except (ValueError, IndexError) as exc:
                raise MotionFileError(path, f"line {i + 1}: bad OFFSET '{lines[i]}'", "three numbers") from exc
        elif key == "CHANNELS":
            try:
                count = int(tokens[1])
            except (ValueError, IndexError) as exc:
                raise MotionFileError(path, f"line {i + 1}: bad CHANNELS line") from exc
            if len(tokens) - 2 != count:
                raise MotionFileError(
                    path, f"line {i + 1}: CHANNELS declares {count} channels but names {len(tokens) - 2}"
                )
            channels[stack[-1]] = [t.lower() for t in tokens[2:]]
        i += 1
    if stack:
        raise MotionFileError(path, "hierarchy is not closed (missing '}')", "balanced braces")
    if not names:
        raise MotionFileError(path, "hierarchy has no joints")
    if i >= len(lines):
        raise MotionFileError(path, "no MOTION section (file truncated?)", "HIERARCHY then MOTION")
    n_channels = sum(len(c) for c in channels)
    try:
        n_frames = int(lines[i + 1].split(":")[1])
        frame_time = float(lines[i + 2].split(":")[1])
    except (IndexError, ValueError) as exc:
        raise MotionFileError(path, "MOTION section lacks 'Frames:' / 'Frame Time:' lines") from exc
    rows = lines[i + 3 :]
    counts = [len(r.split()) for r in rows]
    for k, c in enumerate(counts):
        if c != n_channels:
            raise MotionFileError(
                path,
                f"motion frame {k} has {c} values but the hierarchy declares {n_channels} channels",
                "one value per channel on every frame line",
            )
    if len(rows) < n_frames:
        raise MotionFileError(path, f"truncated: header declares {n_frames} frames but {len(rows)} are present")
    try:
        motion = np.array(" ".join(rows[:n_frames]).split(), dtype=np.float64).reshape(n_frames, n_channels)
    except ValueError as exc:
        raise MotionFileError(path, f"non-numeric value in motion data: {exc}") from exc
    if frame_time <= 0:
        raise MotionFileError(path, f"Frame Time {frame_time} is not positive")
    return BvhSkeleton(names, parents, np.array(offsets), channels, frame_time, motion)


def forward_kinematics(skel: BvhSkeleton, motion: np.ndarray | None = None) -> np.ndarray:
    """Global joint positions, F x J x 3 in file units. ``motion`` defaults to the file's frames."""
    motion = skel.motion if motion is None else motion
    n = motion.shape[0]
    n_joints = len(skel.names)
    rot = np.empty((n, n_joints, 3, 3))
    pos = np.empty((n, n_joints, 3))
    col = 0
    for j, chans in enumerate(skel.channels):
        values = motion[:, col : col + len(chans)]
        col += len(chans)
        local_t = np.broadcast_to(skel.offsets[j], (n, 3)).copy()
        rot_axes = ""
        rot_idx = []
        for k, ch in enumerate(chans):
            if ch.endswith("position"):
                local_t[:, "xyz".index(ch[0])] += values[:, k]
            elif ch.endswith("rotation"):
                rot_axes += ch[0].upper()
                rot_idx.append(k)
        local_r = (
            intrinsic_euler(rot_axes, values[:, rot_idx])
            if rot_axes
            else np.broadcast_to(np.eye(3), (n, 3, 3))
        )
        p = skel.parents[j]
        if p < 0:
            rot[:, j] = local_r
            pos[:, j] = local_t
        else:
            rot[:, j] = rot[:, p] @ local_r
            pos[:, j] = pos[:, p] + np.einsum("nij,nj->ni", rot[:, p], local_t)
    return pos


def rest_height(skel: BvhSkeleton) -> float:
    """Vertical (y) extent of the skeleton with every channel zero, in file units."""
    zero = np.zeros((1, skel.motion.shape[1]))
    rest = forward_kinematics(skel, zero)[0]
    return float(rest[:, 1].max() - rest[:, 1].min())


def _is_rest_frame(skel: BvhSkeleton, motion: np.ndarray) -> bool:
    """CMU-style files begin with a T-pose line (integer rotation angles) that is not part of the take."""
    if motion.shape[0] < 3:
        return False
    is_rotation = np.array([ch.endswith("rotation") for chans in skel.channels for ch in chans])
    first, second = motion[0, is_rotation], motion[1, is_rotation]
    integer = np.allclose(first, np.round(first), atol=1e-9)
    return bool(integer and not np.allclose(first, second, atol=1.0))


def read_bvh(path: str | Path, units: str = "auto") -> Motion:
    """Read a BVH file into a canonical :class:`Motion` (metres, y up, floor at 0).

    Args:
        path: the .bvh file.
        units: one of ``auto``, ``m``, ``cm``, ``mm``, ``in``, ``cmu``.
    """
    path = read_source_path(path)
    skel = parse_bvh(path)
    units, notes = resolve_units(units, lambda: rest_height(skel), path, "rest-pose height")
    motion = skel.motion
    if _is_rest_frame(skel, motion):
        motion = motion[1:]
        notes.append("dropped frame 0: an integer-valued rest pose, not part of the take (CMU convention)")
    positions = forward_kinematics(skel, motion) * UNIT_SCALES[units]
    points = {name: positions[:, j] for j, name in enumerate(skel.names)}
    joints, present, _ = build_canonical(points, BVH_RECIPES, positions.shape[0])
    if not present[0]:
        raise MotionFileError(path, "no pelvis/hips joint found among BVH joint names", "a joint named Hips/Pelvis")
    source = MotionSource(str(path), "bvh", "bvh", units, notes)
    return canonicalise(joints, present, 1.0 / skel.frame_time_s, source)
