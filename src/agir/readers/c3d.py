"""C3D reader (optical markers, via ezc3d): marker trajectories -> joint centres -> canonical skeleton.

Point units come from ``POINT:UNITS`` (mm by default, as in most C3D files); the vertical axis is
detected from the body (most labs record z up). See :mod:`agir.readers.markers` for the marker sets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from agir.errors import MotionFileError
from agir.readers.markers import fill_gaps, joints_from_markers
from agir.skeleton import Motion, MotionSource, canonicalise, read_source_path

_UNIT_SCALE = {"mm": 0.001, "cm": 0.01, "m": 1.0}


def read_c3d(path: str | Path) -> Motion:
    """Read a C3D marker file into a canonical :class:`Motion` (metres, y up, floor at 0)."""
    import ezc3d  # imported here: a compiled dependency only this reader needs

    path = read_source_path(path)
    try:
        c3d = ezc3d.c3d(str(path))
    except Exception as exc:  # ezc3d raises RuntimeError/OSError/IndexError on broken files
        raise MotionFileError(path, f"not a readable C3D file ({exc})", "a valid C3D file") from exc
    params = c3d["parameters"]["POINT"]
    labels = [str(lab).strip() for lab in params["LABELS"]["value"]]
    points = np.asarray(c3d["data"]["points"], dtype=np.float64)  # 4 x N x T
    if points.ndim != 3 or points.shape[1] == 0 or points.shape[2] < 2:
        raise MotionFileError(path, f"no marker trajectories (points array {points.shape})", "markers x frames")
    if len(labels) < points.shape[1]:
        labels += [f"unlabelled{i}" for i in range(len(labels), points.shape[1])]
    fps = float(params["RATE"]["value"][0])
    unit = str(params.get("UNITS", {}).get("value", ["mm"])[0]).strip().lower() or "mm"
    if unit not in _UNIT_SCALE:
        raise MotionFileError(path, f"unknown POINT:UNITS '{unit}'", "mm, cm or m")
    scale = _UNIT_SCALE[unit]
    markers = {labels[i]: points[:3, i, :].T * scale for i in range(points.shape[1])}
    if "residuals" in c3d["data"].get("meta_points", {}):
        residuals = np.asarray(c3d["data"]["meta_points"]["residuals"])[0]
        for i, name in enumerate(labels[: residuals.shape[0]]):
            markers[name][residuals[i] < 0] = np.nan  # C3D marks invalid samples by a negative residual
    notes = fill_gaps(markers, fps, path)
    joints, present, marker_set = joints_from_markers(markers, points.shape[2], path)
    notes.insert(0, f"joint centres from the {marker_set} marker set")
    return canonicalise(joints, present, fps, MotionSource(str(path), "c3d", marker_set, unit, notes))
