"""TRC reader (OpenSim / OpenCap marker files): tab-separated marker trajectories with a 5-line header.

Header line 3 holds ``DataRate ... NumFrames NumMarkers Units``; line 4 the marker names (each spanning
X/Y/Z columns after ``Frame#`` and ``Time``). OpenCap files are in metres, y up, at 60 Hz.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from agir.errors import MotionFileError
from agir.readers.markers import fill_gaps, joints_from_markers
from agir.skeleton import Motion, MotionSource, canonicalise, read_source_path

_UNIT_SCALE = {"mm": 0.001, "cm": 0.01, "m": 1.0}


def read_trc(path: str | Path) -> Motion:
    """Read a TRC marker file into a canonical :class:`Motion` (metres, y up, floor at 0)."""
    path = read_source_path(path)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    if len(lines) < 6 or not lines[0].startswith("PathFileType"):
        raise MotionFileError(path, "missing the TRC header", "PathFileType line, 5 header lines, then data")
    keys = lines[1].split("\t")
    values = lines[2].split("\t")
    header = dict(zip([k.strip() for k in keys], [v.strip() for v in values]))
    try:
        fps = float(header["DataRate"])
        n_frames_declared = int(header.get("NumFrames", "0"))
    except (KeyError, ValueError) as exc:
        raise MotionFileError(path, "TRC header lacks a numeric DataRate/NumFrames") from exc
    unit = header.get("Units", "m").lower()
    if unit not in _UNIT_SCALE:
        raise MotionFileError(path, f"unknown Units '{unit}'", "mm, cm or m")
    names = [n.strip() for n in lines[3].split("\t")[2:] if n.strip()]
    if not names:
        raise MotionFileError(path, "no marker names on header line 4")
    n_cols = 2 + 3 * len(names)
    rows = []
    for k, line in enumerate(lines[5:], start=6):
        if not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) < n_cols:
            raise MotionFileError(path, f"line {k} has {len(fields)} columns", f"{n_cols} (Frame#, Time, 3 per marker)")
        try:
            rows.append([float(f) if f.strip() else np.nan for f in fields[:n_cols]])
        except ValueError as exc:
            raise MotionFileError(path, f"line {k}: non-numeric value ({exc})") from exc
    if len(rows) < 2:
        raise MotionFileError(path, f"only {len(rows)} data rows", "at least 2 frames")
    notes = []
    if n_frames_declared and len(rows) < n_frames_declared:
        raise MotionFileError(path, f"truncated: header declares {n_frames_declared} frames, {len(rows)} present")
    data = np.array(rows)[:, 2:] * _UNIT_SCALE[unit]
    markers = {name: data[:, 3 * i : 3 * i + 3].copy() for i, name in enumerate(names)}
    notes += fill_gaps(markers, fps, path)
    joints, present, marker_set = joints_from_markers(markers, len(rows), path)
    notes.insert(0, f"joint centres from the {marker_set} marker set")
    return canonicalise(joints, present, fps, MotionSource(str(path), "trc", marker_set, unit, notes))
