"""Signal helpers for gait analysis: zero-lag low-pass filtering, run finding, heading angles."""

from __future__ import annotations

import numpy as np

from agir.skeleton import JOINT_INDEX, Motion


def lowpass(x: np.ndarray, fps: float, cutoff_hz: float, order: int = 4) -> np.ndarray:
    """Zero-lag Butterworth low-pass along axis 0 (time), any trailing shape.

    Applies the squared Butterworth magnitude 1 / (1 + (f / fc)^(2 order)) in the frequency domain, which
    is what a forward-backward (filtfilt) pass of an ``order`` Butterworth filter does, after padding both
    ends with an odd reflection of about three cutoff periods to suppress edge effects. (Equivalent to
    ``scipy.signal.sosfiltfilt`` away from the ends; written in NumPy because importing scipy.signal
    costs about 1 s of start-up.) Returns ``x`` unchanged if the cutoff is at or above 0.8 x Nyquist.
    """
    x = np.asarray(x, dtype=np.float64)
    if cutoff_hz >= 0.8 * fps / 2 or len(x) < 3:
        return x
    pad = min(len(x) - 1, int(np.ceil(3 * fps / cutoff_hz)))
    head = 2 * x[:1] - x[pad:0:-1]
    tail = 2 * x[-1:] - x[-2 : -pad - 2 : -1]
    padded = np.concatenate([head, x, tail], axis=0)
    n = len(padded)
    freqs = np.fft.rfftfreq(n, d=1.0 / fps)
    gain = 1.0 / (1.0 + (freqs / cutoff_hz) ** (2 * order))
    spectrum = np.fft.rfft(padded, axis=0) * gain.reshape(-1, *([1] * (x.ndim - 1)))
    return np.fft.irfft(spectrum, n=n, axis=0)[pad : pad + len(x)]


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open [start, end) index ranges where a boolean mask is True."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.nonzero(edges == 1)[0].tolist(), np.nonzero(edges == -1)[0].tolist()))


def horizontal(v: np.ndarray) -> np.ndarray:
    """The x/z (horizontal) components of ... x 3 vectors, as ... x 2."""
    return v[..., [0, 2]]


def facing_yaw_deg(motion: Motion) -> np.ndarray:
    """Unwrapped yaw of the body's facing direction per frame (degrees; 0 = facing +z, +90 = facing +x).

    Facing = up x (right - left) using the hips, plus the shoulders where present.
    """
    joints = motion.joints
    across = joints[:, JOINT_INDEX["right_hip"]] - joints[:, JOINT_INDEX["left_hip"]]
    if motion.has("left_shoulder", "right_shoulder"):
        across = across + joints[:, JOINT_INDEX["right_shoulder"]] - joints[:, JOINT_INDEX["left_shoulder"]]
    # forward = cross(y, across) = (across_z, 0, -across_x)
    return np.degrees(np.unwrap(np.arctan2(across[:, 2], -across[:, 0])))


def unit_heading(yaw_deg: np.ndarray) -> np.ndarray:
    """Horizontal unit vectors (... x 2, components x and z) for yaw angles in degrees."""
    yaw = np.radians(yaw_deg)
    return np.stack([np.sin(yaw), np.cos(yaw)], axis=-1)
