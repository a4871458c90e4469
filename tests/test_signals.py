"""The NumPy helpers agree with SciPy's reference implementations."""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt
from scipy.spatial.transform import Rotation

from agir.gait.signals import lowpass
from agir.readers.rotations import intrinsic_euler, rotvec_to_matrix


def test_lowpass_matches_filtfilt_away_from_the_ends() -> None:
    rng = np.random.default_rng(1)
    fps = 120.0
    t = np.arange(2400) / fps
    x = np.sin(2 * np.pi * 1.0 * t)[:, None] + 0.05 * rng.normal(size=(2400, 3))
    ours = lowpass(x, fps, 6.0)
    ref = sosfiltfilt(butter(4, 6.0 / (fps / 2), output="sos"), x, axis=0)
    assert np.abs(ours - ref)[120:-120].max() < 2e-3
    assert np.abs(ours - ref).max() < 0.05  # the ends differ only by how each pads
    residual = np.sqrt(np.mean((ours - np.sin(2 * np.pi * t)[:, None]) ** 2))
    assert residual < 0.3 * 0.05  # pass band kept, most of the broadband noise removed
    assert np.allclose(lowpass(x, 10.0, 6.0), x)  # cutoff above 0.8 x Nyquist: nothing to remove


def test_rotations_match_scipy() -> None:
    rng = np.random.default_rng(2)
    angles = rng.uniform(-180, 180, size=(50, 3))
    for order in ("ZYX", "ZXY", "XYZ", "YZX"):
        assert np.allclose(intrinsic_euler(order, angles), Rotation.from_euler(order, angles, degrees=True).as_matrix())
    rotvec = rng.normal(size=(50, 3))
    rotvec[0] = 0.0
    assert np.allclose(rotvec_to_matrix(rotvec), Rotation.from_rotvec(rotvec).as_matrix())
