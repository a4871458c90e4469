"""Walking direction and turns (e.g. the 180-degree turn of an out-and-back walk).

The body's facing yaw (hips and shoulders) is low-passed at 0.5 Hz, which removes the pelvis rotation
that oscillates at stride frequency (about 1 Hz) but keeps turns. A turn is a run where the yaw rate
exceeds 15 deg/s (runs closer than 0.3 s merged) and the accumulated yaw change reaches 45 degrees
(iTUG-style rule, ../shared/notes/gait-reference.md section 3.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agir.gait.signals import facing_yaw_deg, lowpass, runs
from agir.skeleton import Motion

YAW_CUTOFF_HZ = 0.5
TURN_RATE_DEG_S = 15.0
MIN_TURN_DEG = 45.0
MERGE_GAP_S = 0.3


@dataclass
class Turn:
    """One turn: frames [start, end), the yaw change (degrees, signed: + is towards the left) and timing."""

    start: int
    end: int
    angle_deg: float
    start_s: float
    duration_s: float


def smoothed_yaw_deg(motion: Motion) -> np.ndarray:
    """Facing yaw per frame (degrees, unwrapped), low-passed at 0.5 Hz."""
    return lowpass(facing_yaw_deg(motion), motion.fps, YAW_CUTOFF_HZ, order=2)


def detect_turns(motion: Motion, yaw_deg: np.ndarray | None = None) -> list[Turn]:
    """Turns of at least 45 degrees in the walk."""
    yaw = smoothed_yaw_deg(motion) if yaw_deg is None else yaw_deg
    rate = np.gradient(yaw) * motion.fps
    fast = np.abs(rate) > TURN_RATE_DEG_S
    merge = int(round(MERGE_GAP_S * motion.fps))
    spans = runs(fast)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start - merged[-1][1] <= merge:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    turns = []
    for start, end in merged:
        angle = float(yaw[min(end, len(yaw) - 1)] - yaw[start])
        if abs(angle) >= MIN_TURN_DEG:
            turns.append(Turn(start, end, angle, start / motion.fps, (end - start) / motion.fps))
    return turns
