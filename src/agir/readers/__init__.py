"""Motion input: every supported file format -> one canonical :class:`agir.skeleton.Motion`.

The reader is chosen by ``fmt`` or, by default, by the file extension:

=============  ==========================================================
format         files
=============  ==========================================================
``bvh``        ``.bvh`` (forward kinematics; CMU, Mixamo, Poser-style names)
``c3d``        ``.c3d`` optical markers (Plug-in Gait-like or OpenCap keypoints)
``trc``        ``.trc`` marker files (OpenCap / OpenSim)
``npy``        ``.npy`` joint arrays (``--joints`` layout, ``--fps``) or T x 263 HumanML3D features
``npz``        ``.npz`` joint arrays with fps, or AMASS-style SMPL ``poses`` + ``trans``
``humanml3d``  ``.npy`` HumanML3D 263-dim features (20 fps unless ``--fps``)
``carepd``     ``.pkl`` CARE-PD style SMPL pickles
=============  ==========================================================
"""

from __future__ import annotations

from pathlib import Path

from agir.errors import MotionFileError
from agir.readers.arrays import LAYOUTS, read_carepd_pickle, read_humanml3d, read_npy, read_npz
from agir.readers.bvh import read_bvh
from agir.readers.c3d import read_c3d
from agir.readers.trc import read_trc
from agir.skeleton import Motion

FORMATS = ("bvh", "c3d", "trc", "npy", "npz", "humanml3d", "carepd")
EXTENSIONS = {".bvh": "bvh", ".c3d": "c3d", ".trc": "trc", ".npy": "npy", ".npz": "npz", ".pkl": "carepd",
              ".pickle": "carepd"}  # fmt: skip
MOTION_EXTENSIONS = tuple(EXTENSIONS)


def detect_format(path: str | Path) -> str:
    """Format name from the file extension; raises for an unknown one."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise MotionFileError(
            path, f"unknown file extension '{suffix or '(none)'}'", f"one of {' '.join(EXTENSIONS)} or --format"
        )
    return EXTENSIONS[suffix]


def read_motion(
    path: str | Path,
    fmt: str | None = None,
    joints: str | None = None,
    units: str = "auto",
    fps: float | None = None,
) -> Motion:
    """Read any supported motion file into the canonical skeleton (metres, y up, floor at 0).

    Args:
        path: the motion file.
        fmt: one of :data:`FORMATS`; default from the extension.
        joints: joint layout of NumPy arrays (one of :data:`agir.readers.arrays.LAYOUTS`).
        units: length unit for BVH and arrays (``auto``, ``m``, ``cm``, ``mm``, ``in``, ``cmu``).
        fps: frame rate where the file does not store one (.npy, HumanML3D).
    """
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise MotionFileError(path, f"unknown format '{fmt}'", f"one of {', '.join(FORMATS)}")
    if joints is not None and joints not in LAYOUTS:
        raise MotionFileError(path, f"unknown joint layout '{joints}'", f"one of {', '.join(LAYOUTS)}")
    if fmt == "bvh":
        return read_bvh(path, units)
    if fmt == "c3d":
        return read_c3d(path)
    if fmt == "trc":
        return read_trc(path)
    if fmt == "npy":
        return read_npy(path, joints, units, fps)
    if fmt == "npz":
        return read_npz(path, joints, units, fps)
    if fmt == "humanml3d":
        return read_humanml3d(path, fps)
    return read_carepd_pickle(path, fps)


__all__ = ["FORMATS", "LAYOUTS", "MOTION_EXTENSIONS", "detect_format", "read_motion"]
