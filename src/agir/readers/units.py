"""Length units accepted by readers whose files do not state one (BVH, NumPy arrays)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from agir.errors import MotionFileError

UNIT_SCALES: dict[str, float] = {"m": 1.0, "cm": 0.01, "mm": 0.001, "in": 0.0254, "cmu": 0.0254 / 0.45}
"""Metres per file unit for each accepted ``--units`` value (``cmu``: CMU mocap units, inches / 0.45)."""

TYPICAL_HEIGHT_M = 1.7


def infer_units(height_file_units: float) -> str:
    """The unit whose scale makes a body ``height_file_units`` tall closest to 1.7 m (log ratio)."""
    if not np.isfinite(height_file_units) or height_file_units <= 0:
        return "m"
    return min(UNIT_SCALES, key=lambda u: abs(np.log(height_file_units * UNIT_SCALES[u] / TYPICAL_HEIGHT_M)))


def resolve_units(
    units: str, measure_height: Callable[[], float], path: str | Path, basis: str
) -> tuple[str, list[str]]:
    """Validate ``units`` or, for ``auto``, infer it from ``measure_height()`` (body height in file units).

    Returns the unit name and a note on how it was chosen (empty when given explicitly).
    """
    if units == "auto":
        height = measure_height()
        chosen = infer_units(height)
        return chosen, [f"units inferred as '{chosen}' from {basis} {height:.2f} file units"]
    if units not in UNIT_SCALES:
        raise MotionFileError(path, f"unknown units '{units}'", f"one of auto, {', '.join(UNIT_SCALES)}")
    return units, []
