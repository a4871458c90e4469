"""Rotation matrices from Euler angles and axis-angle vectors, in NumPy.

SciPy's ``Rotation`` gives the same matrices (the tests check it) but importing it costs about 0.6 s,
which matters for a command meant to answer in under 2 s.
"""

from __future__ import annotations

import numpy as np


def axis_rotation(axis: str, angles_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices (N x 3 x 3) about a coordinate axis ``x``, ``y`` or ``z`` (right-hand rule)."""
    c, s = np.cos(angles_rad), np.sin(angles_rad)
    m = np.zeros((len(angles_rad), 3, 3))
    i, j = {"x": (1, 2), "y": (2, 0), "z": (0, 1)}[axis]
    k = 3 - i - j
    m[:, k, k] = 1.0
    m[:, i, i], m[:, i, j], m[:, j, i], m[:, j, j] = c, -s, s, c
    return m


def intrinsic_euler(order: str, angles_deg: np.ndarray) -> np.ndarray:
    """Matrices for intrinsic rotations in ``order`` (e.g. ``"ZYX"``: R = Rz Ry Rx), angles N x len(order)."""
    radians = np.radians(np.asarray(angles_deg, dtype=np.float64))
    out = np.broadcast_to(np.eye(3), (len(radians), 3, 3)).copy()
    for k, axis in enumerate(order.lower()):
        out = out @ axis_rotation(axis, radians[:, k])
    return out


def rotvec_to_matrix(rotvec: np.ndarray) -> np.ndarray:
    """Rodrigues' formula: axis-angle vectors (N x 3, radians) -> rotation matrices (N x 3 x 3)."""
    theta = np.linalg.norm(rotvec, axis=-1, keepdims=True)
    axis = rotvec / np.where(theta > 1e-12, theta, 1.0)
    x, y, z = axis[:, 0], axis[:, 1], axis[:, 2]
    zeros = np.zeros_like(x)
    k = np.stack([zeros, -z, y, z, zeros, -x, -y, x, zeros], axis=-1).reshape(-1, 3, 3)
    s, c = np.sin(theta)[..., None], np.cos(theta)[..., None]
    return np.eye(3) + s * k + (1 - c) * (k @ k)
