"""Signal helpers for gait analysis: zero-lag low-pass filtering, run finding, heading angles."""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt

from agir.skeleton import JOINT_INDEX, Motion


def lowpass(x: np.ndarray, fps: float, cutoff_hz: float, order: int = 4) -> np.ndarray:
    """Zero-lag Butterworth low-pass along axis 0. Returns ``x`` unchanged if the cutoff is at or above
    0.8 x Nyquist (nothing to remove) or the sequence is too short to filter."""
    nyquist = fps / 2
    if cutoff_hz >= 0.8 * nyquist:
        return np.asarray(x, dtype=np.float64)
    sos = butter(order, cutoff_hz / nyquist, output="sos")
    padlen = min(3 * (2 * len(sos) + 1), len(x) - 1)
    if padlen < 1:
        return np.asarray(x, dtype=np.float64)
    return sosfiltfilt(sos, x, axis=0, padlen=padlen)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open [start, end) index ranges where a boolean mask is True."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.nonzero(edges == 1)[0].tolist(), np.nonzero(edges == -1)[0].tolist()))


def horizontal(v: np.ndarray) -> np.ndarray:
    """The x/z (horizontal) components of ... x 3 vectors, as ... x 2."""
    return v[..., [0, 2]]


def facing_yaw_deg(motion: np.ndarray | Motion, present: np.ndarray | None = None) -> np.ndarray:
    """Unwrapped yaw of the body's facing direction per frame (degrees; 0 = facing +z, +90 = facing +x).

    Facing = up x (right - left) using the hips, plus the shoulders where present.
    """
    joints = motion.joints if isinstance(motion, Motion) else motion
    present = motion.present if isinstance(motion, Motion) else present
    across = joints[:, JOINT_INDEX["right_hip"]] - joints[:, JOINT_INDEX["left_hip"]]
    if present is not None and present[JOINT_INDEX["left_shoulder"]] and present[JOINT_INDEX["right_shoulder"]]:
        across = across + joints[:, JOINT_INDEX["right_shoulder"]] - joints[:, JOINT_INDEX["left_shoulder"]]
    # forward = cross(y, across) = (across_z, 0, -across_x)
    return np.degrees(np.unwrap(np.arctan2(across[:, 2], -across[:, 0])))


def unit_heading(yaw_deg: np.ndarray) -> np.ndarray:
    """Horizontal unit vectors (... x 2, components x and z) for yaw angles in degrees."""
    yaw = np.radians(yaw_deg)
    return np.stack([np.sin(yaw), np.cos(yaw)], axis=-1)
